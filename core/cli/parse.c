/* argv and cli.ini with argparse's and ConfigArgParse's semantics (SPEC 1,
 * 2, 3.9), as Certbot's HelpfulArgumentParser drives them:
 *
 *   1. a first argument "help" becomes --help; -h/--help anywhere makes
 *      the verb "help"; otherwise the first argv token naming a verb is
 *      the verb (removed), else "run";
 *   2. cli.ini files become "--key=value" tokens placed before argv, the
 *      highest priority file first claiming a key (ConfigArgParse drops a
 *      file's key when a later source already names that option);
 *   3. every token is classified ('O' option, 'A' argument) up front, so
 *      ambiguous abbreviations fail before anything is applied; then the
 *      options are applied left to right and leftovers are "unrecognized
 *      arguments";
 *   4. Certbot's post-parse checks (SPEC 4.15). */
#define LOG_COMPONENT "certbot._internal.cli"

#include "cli/parse.h"
#include "cli/cli_internal.h"
#include "cli/domains.h"
#include "util/log.h"
#include "util/pyrepr.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DEFAULT_SERVER "https://acme-v02.api.letsencrypt.org/directory"
#define STAGING_SERVER "https://acme-staging-v02.api.letsencrypt.org/directory"

/* verbs argv may name, with their aliases */
static const char *const verb_words[] = {
    "auth", "certonly", "run", "install", "plugins", "register",
    "update_account", "show_account", "unregister", "renew", "revoke",
    "rollback", "everything", "certificates", "delete", "enhance",
    "reconfigure", NULL,
};

static const char *const command_topics[] = {
    "command", "commands", "subcommand", "subcommands", "verbs", NULL,
};

struct tok {
    char *s;                    /* owned */
    enum config_origin origin;
    char cls;                   /* 'O', 'A' or '-' (the "--" separator) */
    const struct cli_opt *opt;  /* for 'O'; NULL = unknown option */
    const char *optstr;         /* the option string it resolved to */
    char *explicit_arg;         /* "--x=v", "-dv": owned, or NULL */
};

struct toks {
    struct tok *v;
    size_t n, alloc;
};

struct parse_state {
    struct cb_config *cfg;
    struct cb_err *err;
    struct toks toks;
    struct strvec extras;
    int stop;                   /* --version / --help reached */
};

/* ---- small helpers ---- */

static int in_list(const char *const *list, const char *s)
{
    for (size_t i = 0; list[i]; i++)
        if (strcmp(list[i], s) == 0)
            return 1;
    return 0;
}

/* argparse's self.error(): the usage block, then "certbot: error: ...". */
static int usage_error(struct cb_err *err, const char *fmt, ...)
    CB_PRINTF(2, 3);

static int usage_error(struct cb_err *err, const char *fmt, ...)
{
    char msg[CB_ERR_MSG_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return cb_err_set(err, CB_ERR_USAGE, "usage: %s\ncertbot: error: %s",
                      cli_short_usage, msg);
}

/* "-d/--domains/--domain", argparse's name for an action in errors. */
static void opt_names(const struct cli_opt *o, char *buf, size_t size)
{
    size_t used = 0;

    buf[0] = '\0';
    for (size_t i = 0; i < o->nstrs && used < size; i++) {
        int w = snprintf(buf + used, size - used, "%s%s", i ? "/" : "",
                         o->strs[i]);
        if (w < 0)
            break;
        used += (size_t)w;
    }
}

static int arg_error(struct cb_err *err, const struct cli_opt *o,
                     const char *fmt, ...) CB_PRINTF(3, 4);

static int arg_error(struct cb_err *err, const struct cli_opt *o,
                     const char *fmt, ...)
{
    char names[256], msg[CB_ERR_MSG_MAX / 2];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    opt_names(o, names, sizeof(names));
    return usage_error(err, "argument %s: %s", names, msg);
}

static int nargs(const struct cli_opt *o)
{
    switch (o->action) {
    case CLI_ACT_STORE_TRUE:
    case CLI_ACT_STORE_FALSE:
    case CLI_ACT_COUNT:
    case CLI_ACT_APPEND_CONST:
    case CLI_ACT_DEPRECATED:
    case CLI_ACT_VERSION:
    case CLI_ACT_HELP:
        return 0;
    default:
        return 1;
    }
}

static const struct cli_opt *find_exact(const char *s, const char **str)
{
    size_t n = cli_opt_count();

    for (size_t i = 0; i < n; i++) {
        const struct cli_opt *o = cli_opt_at(i);

        for (size_t j = 0; j < o->nstrs; j++) {
            if (strcmp(o->strs[j], s) == 0) {
                if (str)
                    *str = o->strs[j];
                return o;
            }
        }
    }
    return NULL;
}

static void toks_free(struct toks *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free(t->v[i].s);
        free(t->v[i].explicit_arg);
    }
    free(t->v);
    memset(t, 0, sizeof(*t));
}

/* Insert a copy of s at position at. */
static int toks_insert(struct toks *t, size_t at, const char *s,
                       enum config_origin origin)
{
    struct tok nt;

    memset(&nt, 0, sizeof(nt));
    nt.s = strdup(s);
    if (!nt.s)
        return CB_ERR_NOMEM;
    nt.origin = origin;
    if (t->n + 1 > t->alloc) {
        size_t na = t->alloc ? t->alloc * 2 : 32;
        struct tok *nv = realloc(t->v, na * sizeof(*nv));

        if (!nv) {
            free(nt.s);
            return CB_ERR_NOMEM;
        }
        t->v = nv;
        t->alloc = na;
    }
    memmove(&t->v[at + 1], &t->v[at], (t->n - at) * sizeof(*t->v));
    t->v[at] = nt;
    t->n++;
    return CB_OK;
}

/* ---- verb and help ---- */

static int is_help_topic(const char *s)
{
    if (strcmp(s, "all") == 0 || strcmp(s, "security") == 0 ||
        strcmp(s, "paths") == 0 || strcmp(s, "automation") == 0 ||
        strcmp(s, "testing") == 0 || strcmp(s, "manage") == 0)
        return 1;
    return in_list(verb_words, s) || in_list(command_topics, s) ||
           cli_plugin_group_known(s);
}

/* HelpfulArgumentParser.prescan_for_flag: the word after flag when it is
 * a topic, "" when flag is present without one, NULL when absent. */
static const char *prescan_help(const struct toks *t, const char *flag)
{
    for (size_t i = 0; i < t->n; i++) {
        if (strcmp(t->v[i].s, flag) != 0)
            continue;
        if (i + 1 < t->n && is_help_topic(t->v[i + 1].s))
            return t->v[i + 1].s;
        return "";
    }
    return NULL;
}

static int determine_verb(struct parse_state *ps)
{
    struct toks *t = &ps->toks;
    const char *h1, *h2, *topic;

    for (size_t i = 0; i < t->n; i++) {
        if (strcmp(t->v[i].s, "-h") == 0 || strcmp(t->v[i].s, "--help") == 0) {
            h1 = prescan_help(t, "-h");
            h2 = prescan_help(t, "--help");
            topic = (h1 && *h1) ? h1 : (h2 && *h2) ? h2 : "";
            ps->stop = 1;
            if (config_set_verb(ps->cfg, "help") != CB_OK ||
                config_set(ps->cfg, "help_topic", topic, CONFIG_ARGV) != CB_OK)
                return cb_err_set(ps->err, CB_ERR_NOMEM, "out of memory");
            return CB_OK;
        }
    }
    for (size_t i = 0; i < t->n; i++) {
        const char *v = t->v[i].s;

        if (!in_list(verb_words, v))
            continue;
        if (strcmp(v, "auth") == 0)
            v = "certonly";
        else if (strcmp(v, "everything") == 0)
            v = "run";
        if (config_set_verb(ps->cfg, v) != CB_OK)
            return cb_err_set(ps->err, CB_ERR_NOMEM, "out of memory");
        free(t->v[i].s);
        free(t->v[i].explicit_arg);
        memmove(&t->v[i], &t->v[i + 1], (t->n - i - 1) * sizeof(*t->v));
        t->n--;
        return CB_OK;
    }
    return config_set_verb(ps->cfg, "run") == CB_OK
               ? CB_OK
               : cb_err_set(ps->err, CB_ERR_NOMEM, "out of memory");
}

/* ---- cli.ini ---- */

/* ConfigArgParse's already_on_command_line: a token whose text before '='
 * is exactly one of the option strings. */
static int on_command_line(const struct toks *t, const struct cli_opt *o,
                           const char *unknown_key)
{
    for (size_t i = 0; i < t->n; i++) {
        const char *s = t->v[i].s;
        size_t len = strcspn(s, "=");

        if (s[0] != '-')
            continue;
        if (o) {
            for (size_t j = 0; j < o->nstrs; j++)
                if (strlen(o->strs[j]) == len &&
                    strncmp(o->strs[j], s, len) == 0)
                    return 1;
        } else if (strlen(unknown_key) + 2 == len &&
                   strncmp(s + 2, unknown_key, len - 2) == 0 &&
                   strncmp(s, "--", 2) == 0) {
            return 1;
        }
    }
    return 0;
}

static const struct cli_opt *find_config_key(const char *key)
{
    char buf[256];

    if (snprintf(buf, sizeof(buf), "--%s", key) >= (int)sizeof(buf))
        return NULL;
    return find_exact(buf, NULL);
}

/* "--<last option string>", the key ConfigArgParse writes for an action. */
static const char *last_long(const struct cli_opt *o)
{
    return o->strs[o->nstrs - 1];
}

static void list_repr(const struct strvec *l, char *buf, size_t size)
{
    size_t used = 0;
    char item[512];

    used += (size_t)snprintf(buf, size, "[");
    for (size_t i = 0; i < l->n && used < size; i++) {
        py_repr(item, sizeof(item), l->v[i]);
        used += (size_t)snprintf(buf + used, size - used, "%s%s",
                                 i ? ", " : "", item);
    }
    if (used < size)
        snprintf(buf + used, size - used, "]");
}

/* ConfigArgParse's convert_item_to_command_line_arg for one item. */
static int item_tokens(const struct ini_item *it, const struct cli_opt *o,
                       struct strvec *out, struct cb_err *err)
{
    char buf[CB_ERR_MSG_MAX / 2];

    if (o && nargs(o) == 0) {
        const char *v = it->is_list ? "" : it->value;

        if (!it->is_list && (strcasecmp(v, "true") == 0 ||
                             strcasecmp(v, "yes") == 0 || strcmp(v, "1") == 0))
            return strvec_push(out, last_long(o));
        if (!it->is_list && (strcasecmp(v, "false") == 0 ||
                             strcasecmp(v, "no") == 0 || strcmp(v, "0") == 0))
            return CB_OK;
        if (!it->is_list && o->action == CLI_ACT_COUNT) {
            char *end = NULL;
            long n = strtol(v, &end, 10);

            if (end && *end == '\0' && n >= 0 && n < 100) {
                for (long i = 0; i < n; i++)
                    if (strvec_push(out, last_long(o)) != CB_OK)
                        return CB_ERR_NOMEM;
                return CB_OK;
            }
        }
        return usage_error(err, "Unexpected value for %s: '%s'. Expecting "
                           "'true', 'false', 'yes', 'no', '1' or '0'",
                           it->key, v);
    }
    if (it->is_list) {
        if (o && o->action != CLI_ACT_APPEND) {
            list_repr(&it->list, buf, sizeof(buf));
            return usage_error(err, "%s can't be set to a list '%s' unless "
                               "its action type is changed to 'append' or "
                               "nargs is set to '*', '+', or > 1",
                               it->key, buf);
        }
        for (size_t i = 0; i < it->list.n; i++) {
            int r = o ? strvec_pushf(out, "%s=%s", last_long(o), it->list.v[i])
                      : strvec_pushf(out, "--%s=%s", it->key, it->list.v[i]);
            if (r != CB_OK)
                return r;
        }
        return CB_OK;
    }
    return o ? strvec_pushf(out, "%s=%s", last_long(o), it->value)
             : strvec_pushf(out, "--%s=%s", it->key, it->value);
}

static int read_config_files(struct parse_state *ps)
{
    struct strvec paths = {0};
    struct ini_file f;
    size_t ndefault;
    int r;

    memset(&f, 0, sizeof(f));
    r = ini_default_paths(&paths);
    if (r != CB_OK) {
        r = cb_err_set(ps->err, r, "out of memory");
        goto out;
    }
    ndefault = paths.n;
    /* -c FILE as ConfigArgParse pre-parses it: "-c F", "--config F",
     * "-cF", "--config=F". */
    for (size_t i = 0; i < ps->toks.n; i++) {
        const char *s = ps->toks.v[i].s;
        const char *file = NULL;

        if ((strcmp(s, "-c") == 0 || strcmp(s, "--config") == 0) &&
            i + 1 < ps->toks.n)
            file = ps->toks.v[i + 1].s;
        else if (strncmp(s, "--config=", 9) == 0)
            file = s + 9;
        else if (strncmp(s, "-c", 2) == 0 && s[2] && s[1] != '-')
            file = s + 2;
        if (file && strvec_push(&paths, file) != CB_OK) {
            r = cb_err_set(ps->err, CB_ERR_NOMEM, "out of memory");
            goto out;
        }
    }
    /* Highest priority first: each file's keys yield to what is already
     * in the token list (argv, then the files read before it). */
    for (size_t k = paths.n; k-- > 0;) {
        struct strvec ftoks = {0};
        /* default files may be missing; -c files may not */
        int missing_ok = k < ndefault;

        r = ini_read(paths.v[k], missing_ok, &f, ps->err);
        if (r == CB_ERR_USAGE) {
            char msg[CB_ERR_MSG_MAX];

            snprintf(msg, sizeof(msg), "%s", cb_err_msg(ps->err));
            cb_err_reset(ps->err);
            r = usage_error(ps->err, "%s", msg);
        }
        if (r != CB_OK)
            goto out;
        for (size_t i = 0; i < f.n && r == CB_OK; i++) {
            const struct ini_item *it = &f.items[i];
            const struct cli_opt *o = find_config_key(it->key);

            if (on_command_line(&ps->toks, o, it->key))
                continue;
            r = item_tokens(it, o, &ftoks, ps->err);
        }
        for (size_t i = 0; i < ftoks.n && r == CB_OK; i++)
            r = toks_insert(&ps->toks, i, ftoks.v[i], CONFIG_FILE);
        strvec_clear(&ftoks);
        ini_file_clear(&f);
        if (r == CB_ERR_NOMEM)
            r = cb_err_set(ps->err, r, "out of memory");
        if (r != CB_OK)
            goto out;
    }
out:
    ini_file_clear(&f);
    strvec_clear(&paths);
    return r;
}

/* ---- classification (argparse's _parse_optional) ---- */

static int negative_number(const char *s)
{
    const char *p = s + 1;

    if (s[0] != '-')
        return 0;
    while (isdigit((unsigned char)*p))
        p++;
    if (*p == '\0')
        return p > s + 1;
    if (*p != '.')
        return 0;
    p++;
    if (!isdigit((unsigned char)*p))
        return 0;
    while (isdigit((unsigned char)*p))
        p++;
    return *p == '\0';
}

struct match {
    const struct cli_opt *opt;
    const char *str;
    const char *explicit_arg; /* borrowed from the token, or NULL */
};

/* argparse's _get_option_tuples: every option string the token may
 * abbreviate. */
static size_t option_tuples(const char *s, struct match *m, size_t max)
{
    size_t n = 0, count = cli_opt_count();

    if (s[1] == '-') {
        size_t plen = strcspn(s, "=");
        const char *explicit_arg = s[plen] == '=' ? s + plen + 1 : NULL;

        for (size_t i = 0; i < count; i++) {
            const struct cli_opt *o = cli_opt_at(i);

            for (size_t j = 0; j < o->nstrs; j++) {
                if (strncmp(o->strs[j], s, plen) != 0)
                    continue;
                if (n < max) {
                    m[n].opt = o;
                    m[n].str = o->strs[j];
                    m[n].explicit_arg = explicit_arg;
                }
                n++;
            }
        }
        return n;
    }
    for (size_t i = 0; i < count; i++) {
        const struct cli_opt *o = cli_opt_at(i);

        for (size_t j = 0; j < o->nstrs; j++) {
            const char *os = o->strs[j];
            const char *explicit_arg = NULL;

            if (strlen(os) == 2 && strncmp(os, s, 2) == 0)
                explicit_arg = s + 2;
            else if (strncmp(os, s, strlen(s)) != 0)
                continue;
            if (n < max) {
                m[n].opt = o;
                m[n].str = os;
                m[n].explicit_arg = explicit_arg;
            }
            n++;
        }
    }
    return n;
}

static int set_explicit(struct tok *t, const char *explicit_arg)
{
    if (!explicit_arg)
        return CB_OK;
    t->explicit_arg = strdup(explicit_arg);
    return t->explicit_arg ? CB_OK : CB_ERR_NOMEM;
}

static int classify_one(struct tok *t, struct cb_err *err)
{
    const char *s = t->s;
    const char *str = NULL;
    struct match m[64];
    size_t n;

    t->cls = 'A';
    if (s[0] != '-')
        return CB_OK;
    t->opt = find_exact(s, &str);
    if (t->opt) {
        t->cls = 'O';
        t->optstr = str;
        return CB_OK;
    }
    if (s[1] == '\0')
        return CB_OK;
    if (strchr(s, '=')) {
        size_t len = strcspn(s, "=");
        char *head = strndup(s, len);

        if (!head)
            return cb_err_set(err, CB_ERR_NOMEM, "out of memory");
        t->opt = find_exact(head, &str);
        free(head);
        if (t->opt) {
            t->cls = 'O';
            t->optstr = str;
            return set_explicit(t, s + len + 1) == CB_OK
                       ? CB_OK
                       : cb_err_set(err, CB_ERR_NOMEM, "out of memory");
        }
    }
    n = option_tuples(s, m, sizeof(m) / sizeof(m[0]));
    if (n > 1) {
        char list[CB_ERR_MSG_MAX / 2];
        size_t used = 0;

        list[0] = '\0';
        for (size_t i = 0; i < n && i < sizeof(m) / sizeof(m[0]); i++) {
            int w = snprintf(list + used, sizeof(list) - used, "%s%s",
                             i ? ", " : "", m[i].str);
            if (w < 0 || (size_t)w >= sizeof(list) - used)
                break;
            used += (size_t)w;
        }
        return usage_error(err, "ambiguous option: %s could match %s", s,
                           list);
    }
    if (n == 1) {
        t->cls = 'O';
        t->opt = m[0].opt;
        t->optstr = m[0].str;
        return set_explicit(t, m[0].explicit_arg) == CB_OK
                   ? CB_OK
                   : cb_err_set(err, CB_ERR_NOMEM, "out of memory");
    }
    if (negative_number(s) || strchr(s, ' '))
        return CB_OK;
    t->cls = 'O'; /* an unknown option */
    return CB_OK;
}

static int classify(struct parse_state *ps)
{
    for (size_t i = 0; i < ps->toks.n; i++) {
        struct tok *t = &ps->toks.v[i];
        int r;

        if (strcmp(t->s, "--") == 0) {
            t->cls = '-';
            for (size_t j = i + 1; j < ps->toks.n; j++)
                ps->toks.v[j].cls = 'A';
            return CB_OK;
        }
        r = classify_one(t, ps->err);
        if (r != CB_OK)
            return r;
    }
    return CB_OK;
}

/* ---- applying values ---- */

/* Python's int(): optional blanks and sign, digits with single '_'. */
static int py_int(const char *s, long *out)
{
    char digits[64];
    size_t n = 0;
    const char *p = s;
    int neg = 0, last_us = 1;
    char *end;

    while (isspace((unsigned char)*p))
        p++;
    if (*p == '+' || *p == '-')
        neg = *p++ == '-';
    for (; *p && !isspace((unsigned char)*p); p++) {
        if (*p == '_') {
            if (last_us)
                return -1;
            last_us = 1;
            continue;
        }
        if (!isdigit((unsigned char)*p) || n + 2 >= sizeof(digits))
            return -1;
        digits[n++] = *p;
        last_us = 0;
    }
    while (isspace((unsigned char)*p))
        p++;
    if (*p || n == 0 || last_us)
        return -1;
    digits[n] = '\0';
    errno = 0;
    *out = strtol(digits, &end, 10);
    if (errno)
        return -1;
    if (neg)
        *out = -*out;
    return 0;
}

static int in_choices(const char *choices, const char *v, int nocase)
{
    const char *p = choices;
    size_t vlen = strlen(v);

    while (*p) {
        size_t len = strcspn(p, "|");

        if (len == vlen && (nocase ? strncasecmp(p, v, len) == 0
                                   : strncmp(p, v, len) == 0))
            return 1;
        p += len;
        if (*p == '|')
            p++;
    }
    return 0;
}

static int invalid_choice(struct cb_err *err, const struct cli_opt *o,
                          const char *v)
{
    char list[512], item[128], got[256];
    const char *p = o->choices;
    size_t used = 0;

    list[0] = '\0';
    while (*p) {
        size_t len = strcspn(p, "|");
        char word[128];

        snprintf(word, sizeof(word), "%.*s", (int)len, p);
        py_repr(item, sizeof(item), word);
        used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s",
                                 used ? ", " : "", item);
        if (used >= sizeof(list))
            break;
        p += len;
        if (*p == '|')
            p++;
    }
    py_repr(got, sizeof(got), v);
    return arg_error(err, o, "invalid choice: %s (choose from %s)", got, list);
}

/* The argparse "type" step: the text to store, caller frees. */
static int convert(const struct cli_opt *o, const char *v, char **out,
                   struct cb_err *err)
{
    char buf[256];
    long n;
    FILE *fp;

    *out = NULL;
    switch (o->check) {
    case CLI_CHK_INT:
        if (py_int(v, &n) != 0) {
            py_repr(buf, sizeof(buf), v);
            return arg_error(err, o, "invalid int value: %s", buf);
        }
        return asprintf(out, "%ld", n) < 0 ? CB_ERR_NOMEM : CB_OK;
    case CLI_CHK_NONNEG:
        if (py_int(v, &n) != 0)
            return arg_error(err, o, "value must be an integer");
        if (n < 0)
            return arg_error(err, o, "value must be non-negative");
        return asprintf(out, "%ld", n) < 0 ? CB_ERR_NOMEM : CB_OK;
    case CLI_CHK_PATH:
        *out = cli_abspath(v);
        return *out ? CB_OK : CB_ERR_NOMEM;
    case CLI_CHK_CSR:
        *out = cli_abspath(v);
        if (!*out)
            return CB_ERR_NOMEM;
        /* Certbot's read_file: the file must open and read now. */
        fp = fopen(*out, "rb");
        if (fp && fread(buf, 1, 1, fp) == 0 && ferror(fp)) {
            int e = errno;

            fclose(fp);
            fp = NULL;
            errno = e;
        }
        if (!fp) {
            int e = errno;

            free(*out);
            *out = NULL;
            return arg_error(err, o, "%s", strerror(e));
        }
        fclose(fp);
        return CB_OK;
    case CLI_CHK_UA_COMMENT:
        if (strchr(v, '(') || strchr(v, ')'))
            return arg_error(err, o, "may not contain parentheses");
        break;
    default:
        break;
    }
    *out = strdup(v);
    return *out ? CB_OK : CB_ERR_NOMEM;
}

static int oom(struct cb_err *err, int r)
{
    return r == CB_ERR_NOMEM ? cb_err_set(err, r, "out of memory") : r;
}

static const char *const chall_aliases[][2] = {
    {"dns", "dns-01"}, {"http", "http-01"},
};

static int apply_pref_challs(struct parse_state *ps, const struct cli_opt *o,
                             const char *v, enum config_origin origin)
{
    struct strvec got = {0}, bad = {0};
    struct strvec *list;
    const char *p = v;
    int r = CB_OK;

    for (;;) {
        size_t len = strcspn(p, ",");
        char *c = strndup(p, len);
        char *s = c, *e;

        if (!c) {
            r = CB_ERR_NOMEM;
            goto out;
        }
        while (isspace((unsigned char)*s))
            s++;
        e = s + strlen(s);
        while (e > s && isspace((unsigned char)e[-1]))
            *--e = '\0';
        for (size_t i = 0; i < 2; i++)
            if (strcmp(s, chall_aliases[i][0]) == 0)
                s = (char *)chall_aliases[i][1];
        /* SPEC 2.1: 5.6 knows http-01 and dns-01 only. */
        if (strcmp(s, "http-01") == 0 || strcmp(s, "dns-01") == 0)
            r = strvec_push(&got, s);
        else
            r = strvec_push(&bad, s);
        free(c);
        if (r != CB_OK || p[len] == '\0')
            break;
        p += len + 1;
    }
    if (r == CB_OK && bad.n) {
        char *joined = strvec_join(&bad, ", ");

        r = joined ? arg_error(ps->err, o, "Unrecognized challenges: %s",
                               joined)
                   : CB_ERR_NOMEM;
        free(joined);
        goto out;
    }
    list = config_list_edit(ps->cfg, o->dest, origin);
    for (size_t i = 0; r == CB_OK && list && i < got.n; i++)
        r = strvec_push(list, got.v[i]);
    if (!list)
        r = CB_ERR_NOMEM;
out:
    strvec_clear(&got);
    strvec_clear(&bad);
    return oom(ps->err, r);
}

static int same(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcmp(a, b) == 0;
}

static int apply_hook(struct parse_state *ps, const struct cli_opt *o,
                      const char *v, enum config_origin origin)
{
    const char *deploy = config_str(ps->cfg, "deploy_hook");
    const char *renew = config_str(ps->cfg, "renew_hook");
    int r;

    if (o->action == CLI_ACT_DEPLOY_HOOK) {
        if (!same(deploy, renew) && !same(renew, v))
            return arg_error(ps->err, o, "conflicts with --renew-hook value");
        r = config_set(ps->cfg, "deploy_hook", v, origin);
        if (r == CB_OK)
            r = config_set(ps->cfg, "renew_hook", v, origin);
        return oom(ps->err, r);
    }
    if (deploy && !same(deploy, v))
        return arg_error(ps->err, o, "conflicts with --deploy-hook value");
    return oom(ps->err, config_set(ps->cfg, "renew_hook", v, origin));
}

static int apply_reason(struct parse_state *ps, const struct cli_opt *o,
                        const char *v, enum config_origin origin)
{
    static const struct {
        const char *name;
        const char *code;
    } reasons[] = {
        {"unspecified", "0"}, {"keycompromise", "1"},
        {"affiliationchanged", "3"}, {"superseded", "4"},
        {"cessationofoperation", "5"},
    };

    for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
        if (strcasecmp(v, reasons[i].name) == 0)
            return oom(ps->err,
                       config_set(ps->cfg, o->dest, reasons[i].code, origin));
    return invalid_choice(ps->err, o, v);
}

static int apply(struct parse_state *ps, const struct cli_opt *o,
                 const char *optstr, const char *v, enum config_origin origin)
{
    struct cb_config *cfg = ps->cfg;
    char *conv = NULL;
    struct strvec *list;
    int r = CB_OK;

    switch (o->action) {
    case CLI_ACT_STORE:
        r = convert(o, v, &conv, ps->err);
        if (r != CB_OK)
            break;
        if (o->choices && !in_choices(o->choices, conv, 0)) {
            r = invalid_choice(ps->err, o, conv);
            break;
        }
        r = config_set(cfg, o->dest, conv, origin);
        if (r == CB_OK && (o->flags & CLI_F_SECRET))
            log_add_secret(conv);
        break;
    case CLI_ACT_STORE_TRUE:
        r = config_set(cfg, o->dest, "True", origin);
        break;
    case CLI_ACT_STORE_FALSE:
        r = config_set(cfg, o->dest, "False", origin);
        break;
    case CLI_ACT_COUNT: {
        char num[32];

        snprintf(num, sizeof(num), "%ld", config_int(cfg, o->dest) + 1);
        r = config_set(cfg, o->dest, num, origin);
        break;
    }
    case CLI_ACT_APPEND:
        r = convert(o, v, &conv, ps->err);
        if (r != CB_OK)
            break;
        r = config_list_add(cfg, o->dest, conv, origin);
        if (r == CB_OK && (o->flags & CLI_F_SECRET))
            log_add_secret(conv);
        if (r == CB_OK && (o->flags & CLI_F_PER_DOMAIN)) {
            size_t nd = 0;

            config_list(cfg, "domains", &nd);
            r = config_list_mark_last(cfg, o->dest, nd);
        }
        break;
    case CLI_ACT_APPEND_CONST:
        r = config_list_add(cfg, o->dest, o->choices, origin);
        break;
    case CLI_ACT_DOMAINS:
        list = config_list_edit(cfg, o->dest, origin);
        r = list ? domains_add(list, v, ps->err) : CB_ERR_NOMEM;
        break;
    case CLI_ACT_IP:
        list = config_list_edit(cfg, o->dest, origin);
        r = list ? ip_address_add(list, v, ps->err) : CB_ERR_NOMEM;
        break;
    case CLI_ACT_PREF_CHALLS:
        r = apply_pref_challs(ps, o, v, origin);
        break;
    case CLI_ACT_DEPLOY_HOOK:
    case CLI_ACT_RENEW_HOOK:
        r = apply_hook(ps, o, v, origin);
        break;
    case CLI_ACT_REASON:
        r = apply_reason(ps, o, v, origin);
        break;
    case CLI_ACT_DEPRECATED:
        /* Certbot 5.6 warns before logging is set up, so even -q shows it. */
        log_warning("Use of %s is deprecated.", optstr);
        break;
    case CLI_ACT_VERSION:
        ps->stop = 1;
        r = config_set_verb(cfg, "version");
        break;
    case CLI_ACT_HELP:
        ps->stop = 1;
        r = config_set_verb(cfg, "help");
        if (r == CB_OK)
            r = config_set(cfg, "help_topic", "", origin);
        break;
    case CLI_ACT_CONFIG:
        r = convert(o, v, &conv, ps->err);
        if (r == CB_OK)
            r = config_list_add(cfg, o->dest, conv, origin);
        break;
    }
    free(conv);
    return oom(ps->err, r);
}

static int push_extra(struct parse_state *ps, const char *s)
{
    return oom(ps->err, strvec_push(&ps->extras, s));
}

/* argparse's consume_optional for the option token at *i. */
static int consume_option(struct parse_state *ps, size_t *i)
{
    struct tok *t = &ps->toks.v[*i];
    const struct cli_opt *o = t->opt;
    const char *optstr = t->optstr;
    const char *explicit_arg = t->explicit_arg;
    char shortbuf[3];
    int r;

    if (!o) {
        (*i)++;
        return push_extra(ps, t->s);
    }
    for (;;) {
        char rep[256];

        if (explicit_arg) {
            if (nargs(o) == 0 && optstr[1] != '-' && *explicit_arg) {
                const struct cli_opt *next;
                const char *nstr = NULL;

                /* "-vvn": flags without values can be chained. */
                r = apply(ps, o, optstr, NULL, t->origin);
                if (r != CB_OK || ps->stop)
                    return r;
                shortbuf[0] = '-';
                shortbuf[1] = explicit_arg[0];
                shortbuf[2] = '\0';
                next = find_exact(shortbuf, &nstr);
                if (!next) {
                    py_repr(rep, sizeof(rep), explicit_arg);
                    return arg_error(ps->err, o,
                                     "ignored explicit argument %s", rep);
                }
                o = next;
                optstr = nstr;
                explicit_arg = explicit_arg[1] ? explicit_arg + 1 : NULL;
                continue;
            }
            if (nargs(o) == 1) {
                (*i)++;
                return apply(ps, o, optstr, explicit_arg, t->origin);
            }
            py_repr(rep, sizeof(rep), explicit_arg);
            return arg_error(ps->err, o, "ignored explicit argument %s", rep);
        }
        if (nargs(o) == 0) {
            (*i)++;
            return apply(ps, o, optstr, NULL, t->origin);
        }
        if (*i + 1 >= ps->toks.n || ps->toks.v[*i + 1].cls != 'A')
            return arg_error(ps->err, o, "expected one argument");
        *i += 2;
        return apply(ps, o, optstr, ps->toks.v[*i - 1].s, t->origin);
    }
}

static int consume(struct parse_state *ps)
{
    size_t i = 0;
    int r;

    while (i < ps->toks.n && !ps->stop) {
        struct tok *t = &ps->toks.v[i];

        if (t->cls == 'O') {
            r = consume_option(ps, &i);
            if (r != CB_OK)
                return r;
            continue;
        }
        r = push_extra(ps, t->s);
        if (r != CB_OK)
            return r;
        i++;
    }
    return CB_OK;
}

/* ---- after parsing (HelpfulArgumentParser.parse_args, SPEC 4.15) ---- */

static int set_runtime(struct cb_config *cfg, const char *dest,
                       const char *value)
{
    const char *cur = config_str(cfg, dest);

    if (cur && value && config_origin(cfg, dest) != CONFIG_DEFAULT &&
        strcmp(cur, value) == 0)
        return CB_OK;
    return config_set(cfg, dest, value, CONFIG_RUNTIME);
}

static int has_accounts(const char *config_dir)
{
    char *path = NULL;
    DIR *d;
    struct dirent *de;
    int found = 0;

    if (asprintf(&path, "%s/accounts", config_dir) < 0)
        return 0;
    d = opendir(path);
    free(path);
    if (!d)
        return 0;
    while (!found) {
        de = readdir(d);
        if (!de)
            break;
        found = de->d_name[0] != '.';
    }
    closedir(d);
    return found;
}

int cli_test_server_options(struct cb_config *cfg, const char *verb,
                            struct cb_err *err)
{
    const char *server = config_str(cfg, "server");
    int r = CB_OK;

    if (config_bool(cfg, "staging") && server &&
        strcmp(server, DEFAULT_SERVER) != 0 &&
        strcmp(server, STAGING_SERVER) != 0)
        return cb_err_set(err, CB_ERR_CONFIG,
                          "--server value conflicts with --staging");
    if (server && strcmp(server, DEFAULT_SERVER) == 0) {
        r = set_runtime(cfg, "server", STAGING_SERVER);
        /* a production account must not be used on staging */
        if (r == CB_OK && config_str(cfg, "account"))
            r = config_set(cfg, "account", NULL, CONFIG_RUNTIME);
    }
    if (r == CB_OK && config_bool(cfg, "dry_run")) {
        if (strcmp(verb, "certonly") != 0 && strcmp(verb, "renew") != 0 &&
            strcmp(verb, "reconfigure") != 0)
            return cb_err_set(err, CB_ERR_CONFIG,
                              "--dry-run currently only works with the "
                              "'certonly' or 'renew' subcommands ('%s')",
                              verb);
        r = set_runtime(cfg, "break_my_certs", "True");
        if (r == CB_OK)
            r = set_runtime(cfg, "staging", "True");
        /* With an account on disk, a dry run must not stop to register. */
        if (r == CB_OK && has_accounts(config_str(cfg, "config_dir"))) {
            r = set_runtime(cfg, "tos", "True");
            if (r == CB_OK)
                r = set_runtime(cfg, "register_unsafely_without_email",
                                "True");
        }
    }
    return oom(err, r);
}

struct selection {
    const char *auth, *inst;
    enum config_origin auth_origin, inst_origin;
};

/* Certbot's set_configurator. */
static int pick(const char **prev, enum config_origin *prev_origin,
                const char *now, enum config_origin origin,
                struct cb_err *err)
{
    if (!now)
        return CB_OK;
    if (*prev && strcmp(*prev, now) != 0)
        return cb_err_set(err, CB_ERR_CONFIG,
                          "Too many flags setting configurators/installers/"
                          "authenticators '%s' -> '%s'", *prev, now);
    *prev = now;
    if (origin > *prev_origin)
        *prev_origin = origin;
    return CB_OK;
}

/* selection.cli_plugin_requests: --configurator, -a/-i and the selector
 * flags, in Certbot's order, folded into authenticator/installer. */
static int fold_selectors(struct cb_config *cfg, struct cb_err *err)
{
    static const char *const auth_only[] = {
        "standalone", "webroot", "manual", "dns-cloudflare",
        "dns-digitalocean", "dns-dnsimple", "dns-dnsmadeeasy", "dns-gehirn",
        "dns-google", "dns-linode", "dns-luadns", "dns-nsone", "dns-ovh",
        "dns-rfc2136", "dns-route53", "dns-sakuracloud", NULL,
    };
    static const char *const both[] = {"nginx", "apache", NULL};
    struct selection s = {NULL, NULL, CONFIG_DEFAULT, CONFIG_DEFAULT};
    const char *conf = config_str(cfg, "configurator");
    enum config_origin co = config_origin(cfg, "configurator");
    char dest[64];
    int r;

    s.auth = s.inst = conf;
    s.auth_origin = s.inst_origin = conf ? co : CONFIG_DEFAULT;
    r = pick(&s.inst, &s.inst_origin, config_str(cfg, "installer"),
             config_origin(cfg, "installer"), err);
    if (r == CB_OK)
        r = pick(&s.auth, &s.auth_origin, config_str(cfg, "authenticator"),
                 config_origin(cfg, "authenticator"), err);
    for (size_t i = 0; r == CB_OK && both[i]; i++) {
        if (!config_bool(cfg, both[i]))
            continue;
        co = config_origin(cfg, both[i]);
        r = pick(&s.inst, &s.inst_origin, both[i], co, err);
        if (r == CB_OK)
            r = pick(&s.auth, &s.auth_origin, both[i], co, err);
    }
    for (size_t i = 0; r == CB_OK && auth_only[i]; i++) {
        snprintf(dest, sizeof(dest), "%s", auth_only[i]);
        for (char *p = dest; *p; p++)
            if (*p == '-')
                *p = '_';
        if (config_bool(cfg, dest))
            r = pick(&s.auth, &s.auth_origin, auth_only[i],
                     config_origin(cfg, dest), err);
    }
    if (r != CB_OK)
        return r;
    if (s.auth && !same(s.auth, config_str(cfg, "authenticator")))
        r = config_set(cfg, "authenticator", s.auth, s.auth_origin);
    if (r == CB_OK && s.inst &&
        !same(s.inst, config_str(cfg, "installer")))
        r = config_set(cfg, "installer", s.inst, s.inst_origin);
    return oom(err, r);
}

static int post_checks(struct parse_state *ps, int config_flag_in_argv)
{
    struct cb_config *cfg = ps->cfg;
    struct cb_err *err = ps->err;
    const char *verb = config_verb(cfg);
    size_t nd = 0;
    const char *const *domains;
    int r = CB_OK;

    /* Certbot counts "-c FILE" on the command line as setting config_dir
     * (its _build_sources_dict does), so renewal confs then record it. */
    if (config_flag_in_argv && !config_is_set(cfg, "config_dir"))
        r = config_set(cfg, "config_dir", config_str(cfg, "config_dir"),
                       CONFIG_ARGV);
    /* certonly --csr writes to ./cert.pem and ./chain.pem by default */
    if (r == CB_OK && strcmp(verb, "certonly") == 0) {
        static const char *const dflt[][2] = {
            {"cert_path", "cert.pem"}, {"chain_path", "chain.pem"},
            {"fullchain_path", "chain.pem"},
        };

        for (size_t i = 0; r == CB_OK && i < 3; i++) {
            char *abs;

            if (config_origin(cfg, dflt[i][0]) != CONFIG_DEFAULT)
                continue;
            abs = cli_abspath(dflt[i][1]);
            r = abs ? config_set(cfg, dflt[i][0], abs, CONFIG_DEFAULT)
                    : CB_ERR_NOMEM;
            free(abs);
        }
    }
    if (r != CB_OK)
        return oom(err, r);

    /* NamespaceConfig's own sanity check comes first. */
    if (config_int(cfg, "http01_port") == config_int(cfg, "https_port"))
        return cb_err_set(err, CB_ERR_CONFIG,
                          "Trying to run http-01 and https-port on the same "
                          "port (%ld)", config_int(cfg, "https_port"));

    /* domains in cli.ini would make renew misbehave (certbot#4096) */
    if (strcmp(verb, "renew") == 0) {
        if (config_origin(cfg, "domains") == CONFIG_FILE)
            r = config_list_set(cfg, "domains", NULL, 0, CONFIG_DEFAULT);
        if (r == CB_OK && config_origin(cfg, "ip_addresses") == CONFIG_FILE)
            r = config_list_set(cfg, "ip_addresses", NULL, 0, CONFIG_DEFAULT);
        if (r != CB_OK)
            return oom(err, r);
        if (config_bool(cfg, "force_interactive"))
            return cb_err_set(err, CB_ERR_CONFIG,
                              "--force-interactive cannot be used with renew");
        r = set_runtime(cfg, "noninteractive_mode", "True");
        if (r != CB_OK)
            return oom(err, r);
    }
    if (config_bool(cfg, "force_interactive") &&
        config_bool(cfg, "noninteractive_mode"))
        return cb_err_set(err, CB_ERR_CONFIG,
                          "Flag for non-interactive mode and "
                          "--force-interactive conflict");
    if (config_bool(cfg, "staging") || config_bool(cfg, "dry_run")) {
        r = cli_test_server_options(cfg, verb, err);
        if (r != CB_OK)
            return r;
    }
    if (config_str(cfg, "csr")) {
        if (strcmp(verb, "certonly") != 0)
            return cb_err_set(err, CB_ERR_CONFIG,
                              "Currently, a CSR file may only be specified "
                              "when obtaining a new or replacement via the "
                              "certonly command. Please try the certonly "
                              "command instead.");
        if (config_bool(cfg, "allow_subset_of_names"))
            return cb_err_set(err, CB_ERR_CONFIG,
                              "--allow-subset-of-names cannot be used with "
                              "--csr");
    }
    if (config_bool(cfg, "must_staple") && !config_bool(cfg, "staple")) {
        r = set_runtime(cfg, "staple", "True");
        if (r != CB_OK)
            return oom(err, r);
    }
    domains = config_list(cfg, "domains", &nd);
    if (config_bool(cfg, "allow_subset_of_names")) {
        for (size_t i = 0; i < nd; i++)
            if (strncmp(domains[i], "*.", 2) == 0)
                return cb_err_set(err, CB_ERR_CONFIG,
                                  "Using --allow-subset-of-names with a "
                                  "wildcard domain is not supported.");
    }
    if (config_bool(cfg, "hsts") && config_bool(cfg, "auto_hsts"))
        return cb_err_set(err, CB_ERR_CONFIG,
                          "Parameters --hsts and --auto-hsts cannot be used "
                          "simultaneously.");
    r = fold_selectors(cfg, err);
    if (r != CB_OK)
        return r;
    /* main.make_displayer: --quiet means no questions either */
    if (config_bool(cfg, "quiet"))
        r = set_runtime(cfg, "noninteractive_mode", "True");
    return oom(err, r);
}

int cli_parse(int argc, char **argv, struct cb_config *cfg,
              struct cb_err *err)
{
    struct parse_state ps;
    int r = CB_OK, config_flag = 0;

    memset(&ps, 0, sizeof(ps));
    ps.cfg = cfg;
    ps.err = err;
    if (!cfg)
        return cb_err_set(err, CB_ERR_INVAL, "no config to parse into");
    for (int i = 1; i < argc && r == CB_OK; i++) {
        const char *a = argv[i];

        if (i == 1 && strcmp(a, "help") == 0)
            a = "--help";
        if (strcmp(a, "-c") == 0 || strcmp(a, "--config") == 0)
            config_flag = 1;
        r = toks_insert(&ps.toks, ps.toks.n, a, CONFIG_ARGV);
    }
    if (r != CB_OK) {
        r = oom(err, r);
        goto out;
    }
    r = determine_verb(&ps);
    if (r != CB_OK || ps.stop)
        goto out;
    r = read_config_files(&ps);
    if (r == CB_OK)
        r = classify(&ps);
    if (r == CB_OK)
        r = consume(&ps);
    if (r != CB_OK || ps.stop)
        goto out;
    if (ps.extras.n) {
        char *joined = strvec_join(&ps.extras, " ");

        r = joined ? usage_error(err, "unrecognized arguments: %s", joined)
                   : oom(err, CB_ERR_NOMEM);
        free(joined);
        goto out;
    }
    r = post_checks(&ps, config_flag);
out:
    toks_free(&ps.toks);
    strvec_clear(&ps.extras);
    return r;
}

int cli_log_level(const struct cb_config *cfg)
{
    const char *level = config_str(cfg, "verbose_level");

    if (config_bool(cfg, "quiet"))
        return CB_LOG_ERROR;
    if (level)
        return CB_LOG_WARNING - 10 * (int)strtol(level, NULL, 10);
    return CB_LOG_WARNING - 10 * (int)config_int(cfg, "verbose_count");
}

/* The option a token names (exact or unique abbreviation), for redaction
 * only: no errors. */
static const struct cli_opt *loose_lookup(const char *s, size_t len)
{
    char buf[256];
    struct match m[2];

    if (len >= sizeof(buf) || s[0] != '-')
        return NULL;
    memcpy(buf, s, len);
    buf[len] = '\0';
    if (find_exact(buf, NULL))
        return find_exact(buf, NULL);
    if (buf[1] == '-' && option_tuples(buf, m, 2) == 1)
        return m[0].opt;
    return NULL;
}

char *cli_args_repr(int argc, char **argv)
{
    struct strvec items = {0};
    char *out = NULL, *joined = NULL;
    int hide_next = 0;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        size_t len = strcspn(a, "=");
        const struct cli_opt *o = loose_lookup(a, len);
        char rep[1024];
        char *shown = NULL;

        if (hide_next) {
            shown = strdup("********");
            hide_next = 0;
        } else if (o && (o->flags & CLI_F_SECRET) && a[len] == '=') {
            if (asprintf(&shown, "%.*s=********", (int)len, a) < 0)
                shown = NULL;
        } else {
            shown = strdup(a);
            hide_next = o && (o->flags & CLI_F_SECRET) && a[len] != '=';
        }
        if (!shown)
            goto out;
        py_repr(rep, sizeof(rep), shown);
        free(shown);
        if (strvec_push(&items, rep) != CB_OK)
            goto out;
    }
    joined = strvec_join(&items, ", ");
    if (joined && asprintf(&out, "[%s]", joined) < 0)
        out = NULL;
out:
    free(joined);
    strvec_clear(&items);
    return out;
}
