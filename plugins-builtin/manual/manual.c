/* manual: the user (or their scripts) sets up the challenges (SPEC 4.13,
 * 5.4).  Hidden from menus and `certbot plugins`.
 *
 * With --manual-auth-hook, perform runs the hook once per challenge with
 * the CERTBOT_* environment; its stdout (stripped) is handed to the
 * --manual-cleanup-hook of the same challenge as CERTBOT_AUTH_OUTPUT.
 * Without a hook (interactive only: prepare refuses under -n) it prints
 * Certbot's instructions and waits for Enter after each.
 *
 * Hook exit codes are warnings, never failures, as in Certbot.  A hook's
 * stderr goes straight to certbot's stderr (run_hook captures stdout
 * only). */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <certbot/plugin.h>

#define N_ENV 10
#define MAX_PATH_DIRS 256

#define DNS_INSTRUCTIONS                                                      \
    "Please deploy a DNS TXT record under the name:\n\n%s.\n\n"              \
    "with the following value:\n\n%s\n"
#define DNS_VERIFY_INSTRUCTIONS                                               \
    "\nBefore continuing, verify the TXT record has been deployed. "         \
    "Depending on the DNS\nprovider, this may take some time, from a few "   \
    "seconds to multiple minutes. You can\ncheck if it has finished "        \
    "deploying with aid of online tools, such as the Google\nAdmin "         \
    "Toolbox: https://toolbox.googleapps.com/apps/dig/#TXT/%s.\nLook for "   \
    "one or more bolded line(s) below the line ';ANSWER'. It should show "   \
    "the\nvalue(s) you've just added.\n"
#define HTTP_INSTRUCTIONS                                                     \
    "Create a file containing just this data:\n\n%s\n\n"                     \
    "And make it available on your web server at this URL:\n\n%s\n"
#define SUBSEQUENT                                                            \
    "\n(This must be set up in addition to the previous challenges; do not " \
    "remove,\nreplace, or undo the previous challenge tasks yet.)\n"
#define SUBSEQUENT_DNS                                                        \
    "\n(This must be set up in addition to the previous challenges; do not " \
    "remove,\nreplace, or undo the previous challenge tasks yet. Note that " \
    "you might be\nasked to create multiple distinct TXT records with the "  \
    "same name. This is\npermitted by DNS standards.)\n"

/* What perform learnt about one challenge, for its cleanup hook. */
struct done {
    const struct cb_challenge *c;   /* identity only: compared, never read */
    char *auth_output;
};

struct manual {
    const struct cb_host *host;
    struct cb_handle *h;
    struct done *done;
    size_t ndone;
    int subsequent_dns, subsequent_any;
    char hint[512];
};

static int man_create(const struct cb_host *host, struct cb_handle *h,
                      void **ctx)
{
    struct manual *m = calloc(1, sizeof(*m));

    if (!m)
        return CB_ERR_NOMEM;
    m->host = host;
    m->h = h;
    *ctx = m;
    return CB_OK;
}

static void done_clear(struct manual *m)
{
    for (size_t i = 0; i < m->ndone; i++) {
        free(m->done[i].auth_output);
    }
    free(m->done);
    m->done = NULL;
    m->ndone = 0;
}

static void man_destroy(void *ctx)
{
    struct manual *m = ctx;

    if (!m)
        return;
    done_clear(m);
    free(m);
}

static const char *hook(struct manual *m, const char *name)
{
    const char *v = m->host->opt_str(m->h, name);

    return (v && v[0]) ? v : NULL;
}

static int truthy(const char *v)
{
    return v && (strcmp(v, "True") == 0 || strcmp(v, "true") == 0 ||
                 strcmp(v, "1") == 0);
}

/* ------------------------------------------------------------ validation */

static int is_exe(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
           access(path, X_OK) == 0;
}

/* The first word is a path to an executable, or a program on $PATH or in
 * the directories Certbot adds to it (path_surgery). */
static int prog_found(const char *prog)
{
    static const char *const extra = "/usr/sbin:/usr/local/bin:/usr/local/sbin";
    const char *path = getenv("PATH");
    char dirs[8192];
    char *save = NULL, *d;

    if (strchr(prog, '/'))
        return is_exe(prog);
    snprintf(dirs, sizeof(dirs), "%s:%s", path ? path : "", extra);
    d = strtok_r(dirs, ":", &save);
    for (int i = 0; d && i < MAX_PATH_DIRS; i++) {
        char *cand = NULL;
        int found;

        if (asprintf(&cand, "%s/%s", d[0] ? d : ".", prog) < 0)
            return 0;
        found = is_exe(cand);
        free(cand);
        if (found)
            return 1;
        d = strtok_r(NULL, ":", &save);
    }
    return 0;
}

/* Certbot's hooks.validate_hook for --manual-<kind>-hook. */
static int validate_hook(struct manual *m, const char *cmd, const char *kind)
{
    char prog[4096];
    const char *p = cmd;
    size_t len;
    struct stat st;
    const char *path = getenv("PATH");

    while (isspace((unsigned char)*p))
        p++;
    len = 0;
    while (p[len] && !isspace((unsigned char)p[len]))
        len++;
    if (len == 0)
        return CB_OK;
    if (len >= sizeof(prog))
        len = sizeof(prog) - 1;
    memcpy(prog, p, len);
    prog[len] = '\0';
    if (prog_found(prog))
        return CB_OK;
    /* A configuration error, not a plugin one: Certbot shows it as is. */
    if (stat(prog, &st) == 0)
        return m->host->fail(m->h, CB_ERR_CONFIG,
                             "%s-hook command manual-%s exists, but is not "
                             "executable.", prog, kind);
    return m->host->fail(m->h, CB_ERR_CONFIG,
                         "Unable to find manual-%s-hook command %s in the "
                         "PATH.\n(PATH is %s)\nSee also the "
                         "--disable-hook-validation option.",
                         kind, prog, path ? path : "");
}

static int man_prepare(void *ctx)
{
    struct manual *m = ctx;
    const char *auth = hook(m, "auth-hook");
    const char *cleanup = hook(m, "cleanup-hook");
    int r = CB_OK;

    if (!auth && truthy(m->host->config(m->h, "noninteractive_mode")))
        return m->host->fail(m->h, CB_ERR_PLUGIN,
                             "An authentication script must be provided "
                             "with --manual-auth-hook when using the manual "
                             "plugin non-interactively.");
    if (!truthy(m->host->config(m->h, "validate_hooks")))
        return CB_OK;
    if (auth)
        r = validate_hook(m, auth, "auth");
    if (r == CB_OK && cleanup)
        r = validate_hook(m, cleanup, "cleanup");
    return r;
}

static int man_chall_pref(void *ctx, const char *ident, uint32_t *types,
                          size_t *n)
{
    (void)ctx;
    (void)ident;
    if (*n < 2)
        return CB_ERR_INVAL;
    types[0] = CB_CHALL_HTTP01;
    types[1] = CB_CHALL_DNS01;
    *n = 2;
    return CB_OK;
}

/* ------------------------------------------------------------ hooks */

/* The authorization's identifier: a wildcard's is its base domain. */
static const char *ident_value(const struct cb_challenge *c)
{
    if (strncmp(c->identifier, "*.", 2) == 0)
        return c->identifier + 2;
    return c->identifier;
}

/* "a,b,c" of every challenged identifier; caller frees. */
static char *all_identifiers(const struct cb_challenge *const *c, size_t n)
{
    size_t len = 1;
    char *s, *p;

    for (size_t i = 0; i < n; i++)
        len += strlen(ident_value(c[i])) + 1;
    s = malloc(len);
    if (!s)
        return NULL;
    p = s;
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(ident_value(c[i]));

        if (i)
            *p++ = ',';
        memcpy(p, ident_value(c[i]), l);
        p += l;
    }
    *p = '\0';
    return s;
}

/* Leading and trailing whitespace removed (Python's str.strip). */
static char *strip_dup(const char *s)
{
    size_t len;
    char *d;

    while (*s && isspace((unsigned char)*s))
        s++;
    len = strlen(s);
    while (len && isspace((unsigned char)s[len - 1]))
        len--;
    d = malloc(len + 1);
    if (!d)
        return NULL;
    memcpy(d, s, len);
    d[len] = '\0';
    return d;
}

/* Certbot's report_executed_command: a non-zero exit is a warning; the
 * stripped output goes to stdout, each line indented by one space.  The
 * host has no plain (unframed, non-pausing) notify, so this writes to
 * stdout itself and stays silent under --quiet. */
static void report(struct manual *m, const char *kind, const char *ident,
                   int code, const char *out)
{
    char *text = out ? strip_dup(out) : NULL;

    if (code != 0)
        m->host->log(m->h, CB_LOG_WARNING, "Hook '--manual-%s' for %s "
                     "reported error code %d", kind, ident, code);
    if (text && text[0]) {
        m->host->log(m->h, CB_LOG_DEBUG, "Hook '--manual-%s' for %s ran "
                     "with output: %s", kind, ident, text);
        if (!truthy(m->host->config(m->h, "quiet"))) {
            fflush(stdout);
            printf("Hook '--manual-%s' for %s ran with output:\n ", kind,
                   ident);
            for (const char *p = text; *p; p++) {
                putchar(*p);
                if (*p == '\n')
                    putchar(' ');
            }
            putchar('\n');
            fflush(stdout);
        }
    }
    free(text);
}

/* env: NULL-terminated "NAME=value" strings, all owned by the array. */
struct env {
    char *v[N_ENV + 1];
    size_t n;
};

static int env_add(struct env *e, const char *name, const char *value)
{
    char *s = NULL;

    if (e->n >= N_ENV || asprintf(&s, "%s=%s", name, value) < 0)
        return CB_ERR_NOMEM;
    e->v[e->n++] = s;
    e->v[e->n] = NULL;
    return CB_OK;
}

static void env_clear(struct env *e)
{
    for (size_t i = 0; i < e->n; i++)
        free(e->v[i]);
    e->n = 0;
    e->v[0] = NULL;
}

/* The variables both hooks see for challenge i of c[0..n). */
static int env_build(struct env *e, const struct cb_challenge *const *c,
                     size_t n, size_t i, const char *all)
{
    char remaining[32];
    int r;

    snprintf(remaining, sizeof(remaining), "%zu", n - i - 1);
    r = env_add(e, "CERTBOT_DOMAIN", ident_value(c[i]));
    if (r == CB_OK)
        r = env_add(e, "CERTBOT_IDENTIFIER", ident_value(c[i]));
    if (r == CB_OK)
        r = env_add(e, "CERTBOT_VALIDATION", c[i]->validation);
    if (r == CB_OK)
        r = env_add(e, "CERTBOT_REMAINING_CHALLENGES", remaining);
    if (r == CB_OK)
        r = env_add(e, "CERTBOT_ALL_DOMAINS", all);
    if (r == CB_OK)
        r = env_add(e, "CERTBOT_ALL_IDENTIFIERS", all);
    if (r == CB_OK && c[i]->type == CB_CHALL_HTTP01)
        r = env_add(e, "CERTBOT_TOKEN", c[i]->token);
    return r;
}

/* Run a hook with env plus, for dns-01, CERTBOT_TOKEN removed from the
 * environment we inherited (Certbot pops it). */
static int run(struct manual *m, const char *kind, const char *cmd,
               const struct cb_challenge *c, struct env *e, char **out)
{
    const char *stdout_text = NULL;
    char *wrapped = NULL;
    int code = 0, r;

    if (c->type != CB_CHALL_HTTP01 && getenv("CERTBOT_TOKEN")) {
        if (asprintf(&wrapped, "unset CERTBOT_TOKEN; %s", cmd) < 0)
            return CB_ERR_NOMEM;
        cmd = wrapped;
    }
    r = m->host->run_hook(m->h, cmd, (const char *const *)e->v, &code,
                          &stdout_text);
    free(wrapped);
    if (r != CB_OK)
        return r;
    report(m, kind, ident_value(c), code, stdout_text);
    if (out) {
        *out = strip_dup(stdout_text ? stdout_text : "");
        if (!*out)
            return CB_ERR_NOMEM;
    }
    return CB_OK;
}

/* ------------------------------------------------------------ perform */

static int instructions(struct manual *m, const struct cb_challenge *c,
                        int last_dns)
{
    char *msg = NULL, *uri = NULL, *verify = NULL;
    const char *extra = "";
    int r;

    if (c->type == CB_CHALL_HTTP01) {
        int v6 = strchr(c->identifier, ':') != NULL;

        if (asprintf(&uri, "http://%s%s%s%s", v6 ? "[" : "", c->identifier,
                     v6 ? "]" : "", c->validation_name) < 0)
            return CB_ERR_NOMEM;
        if (m->subsequent_any)
            extra = SUBSEQUENT;
        r = asprintf(&msg, HTTP_INSTRUCTIONS "%s", c->validation, uri, extra);
    } else {
        if (m->subsequent_dns)
            extra = SUBSEQUENT_DNS;
        else if (m->subsequent_any)
            extra = SUBSEQUENT;
        m->subsequent_dns = 1;
        if (last_dns &&
            asprintf(&verify, DNS_VERIFY_INSTRUCTIONS, c->validation_name) < 0)
            return CB_ERR_NOMEM;
        r = asprintf(&msg, DNS_INSTRUCTIONS "%s%s", c->validation_name,
                     c->validation, extra, verify ? verify : "");
    }
    free(uri);
    free(verify);
    if (r < 0)
        return CB_ERR_NOMEM;
    m->subsequent_any = 1;
    r = m->host->notify(m->h, msg);
    free(msg);
    return r;
}

static int man_perform(void *ctx, const struct cb_challenge *const *c,
                       size_t n)
{
    struct manual *m = ctx;
    const char *auth = hook(m, "auth-hook");
    char *all = NULL;
    size_t last_dns = 0;
    int r = CB_OK;

    done_clear(m);
    m->done = calloc(n ? n : 1, sizeof(*m->done));
    all = all_identifiers(c, n);
    if (!m->done || !all) {
        free(all);
        return CB_ERR_NOMEM;
    }
    for (size_t i = 0; i < n; i++)
        if (c[i]->type == CB_CHALL_DNS01)
            last_dns = i;
    for (size_t i = 0; r == CB_OK && i < n; i++) {
        struct env e = {{NULL}, 0};
        char *out = NULL;

        if (c[i]->type != CB_CHALL_HTTP01 && c[i]->type != CB_CHALL_DNS01) {
            r = m->host->fail(m->h, CB_ERR_PLUGIN, "unsupported challenge "
                              "for %s", c[i]->identifier);
            break;
        }
        if (!auth) {
            r = instructions(m, c[i], i == last_dns);
            continue;
        }
        r = env_build(&e, c, n, i, all);
        if (r == CB_OK)
            r = run(m, "auth-hook", auth, c[i], &e, &out);
        env_clear(&e);
        if (r != CB_OK)
            break;
        m->done[m->ndone].c = c[i];
        m->done[m->ndone].auth_output = out;
        m->ndone++;
    }
    free(all);
    return r;
}

static int man_cleanup(void *ctx, const struct cb_challenge *const *c,
                       size_t n)
{
    struct manual *m = ctx;
    const char *cleanup = hook(m, "cleanup-hook");
    char *all = NULL;
    int r = CB_OK;

    if (!cleanup || m->ndone == 0) {
        done_clear(m);
        return CB_OK;
    }
    all = all_identifiers(c, n);
    if (!all) {
        done_clear(m);
        return CB_ERR_NOMEM;
    }
    /* Only challenges whose auth hook ran; every one gets its cleanup
     * even if an earlier cleanup failed to start. */
    for (size_t i = 0; i < n; i++) {
        struct env e = {{NULL}, 0};
        const struct done *d = NULL;
        int rr;

        for (size_t j = 0; j < m->ndone && !d; j++)
            if (m->done[j].c == c[i])
                d = &m->done[j];
        if (!d)
            continue;
        rr = env_build(&e, c, n, i, all);
        if (rr == CB_OK)
            rr = env_add(&e, "CERTBOT_AUTH_OUTPUT",
                         d->auth_output ? d->auth_output : "");
        if (rr == CB_OK)
            rr = run(m, "cleanup-hook", cleanup, c[i], &e, NULL);
        env_clear(&e);
        if (r == CB_OK)
            r = rr;
    }
    free(all);
    done_clear(m);
    return r;
}

static const char *man_hint(void *ctx, const struct cb_challenge *const *c,
                            size_t n)
{
    struct manual *m = ctx;
    int dns = 0, http = 0;
    const char *res;

    for (size_t i = 0; i < n; i++) {
        dns |= c[i]->type == CB_CHALL_DNS01;
        http |= c[i]->type == CB_CHALL_HTTP01;
    }
    res = dns && http ? "DNS TXT records and challenge files"
          : dns      ? "DNS TXT records"
                     : "challenge files";
    if (hook(m, "auth-hook"))
        snprintf(m->hint, sizeof(m->hint),
                 "The Certificate Authority failed to verify the %s created "
                 "by the --manual-auth-hook. Ensure that this hook is "
                 "functioning correctly%s. Refer to \"certbot --help "
                 "manual\" and the Certbot User Guide.", res,
                 dns ? " and that it waits a sufficient duration of time "
                       "for DNS propagation" : "");
    else
        snprintf(m->hint, sizeof(m->hint),
                 "The Certificate Authority failed to verify the manually "
                 "created %s. Ensure that you created these in the correct "
                 "location%s.", res,
                 dns ? ", or try waiting longer for DNS propagation on the "
                       "next attempt" : "");
    return m->hint;
}

static const struct cb_option man_options[] = {
    {.name = "auth-hook", .type = CB_OPT_STRING, .metavar = "MANUAL_AUTH_HOOK",
     .help = "Path or command to execute for the authentication script"},
    {.name = "cleanup-hook", .type = CB_OPT_STRING,
     .metavar = "MANUAL_CLEANUP_HOOK",
     .help = "Path or command to execute for the cleanup script"},
    CB_OPTION_END
};

static const struct cb_authenticator man_auth = {
    .struct_size = sizeof(struct cb_authenticator),
    .prepare = man_prepare,
    .get_chall_pref = man_chall_pref,
    .perform = man_perform,
    .cleanup = man_cleanup,
    .auth_hint = man_hint,
};

CB_PLUGIN_DEFINE(.name = "manual", .version = "5.6.0",
                 .flags = CB_PLUGIN_HIDDEN,
                 .description = "Manual configuration or run your own shell "
                                "scripts",
                 .more_info = "This plugin allows the user to customize "
                              "setup for domain validation challenges either "
                              "through shell scripts provided by the user or "
                              "by performing the setup manually.",
                 .options = man_options, .create = man_create,
                 .destroy = man_destroy, .authenticator = &man_auth);
