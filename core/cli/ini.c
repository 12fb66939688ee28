/* cli.ini reading with ConfigArgParse's syntax (SPEC 3.9): "key = value",
 * ':' or whitespace also separate, a bare key means true, "[a, b]" is a
 * list, one level of matching quotes is removed, " # comment" and
 * " ; comment" are stripped, and lines starting with '#', ';', '[' or
 * "---" are skipped.  Turning items into flags happens in parse.c. */
#include "cli/cli_internal.h"

#include <ctype.h>
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void ini_file_clear(struct ini_file *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->n; i++) {
        free(f->items[i].key);
        free(f->items[i].value);
        strvec_clear(&f->items[i].list);
    }
    free(f->items);
    free(f->path);
    memset(f, 0, sizeof(*f));
}

static int is_ws(char c)
{
    return isspace((unsigned char)c) != 0;
}

/* Does s match \s*(?:\s[;#].*)?$ , i.e. only blanks or a blank-led
 * comment follow? */
static int only_comment_left(const char *s)
{
    const char *p = s;

    while (is_ws(*p))
        p++;
    if (*p == '\0')
        return 1;
    return p > s && (*p == ';' || *p == '#');
}

/* The value part after the separator: ConfigArgParse's lazy
 * ([\'"]?)(?P<value>.+?)?\3 followed by an optional comment. */
static char *value_part(const char *s)
{
    size_t len = strlen(s);

    if (len == 0)
        return strdup("");
    if (s[0] == '"' || s[0] == '\'') {
        for (size_t i = 1; i < len; i++)
            if (s[i] == s[0] && only_comment_left(s + i + 1))
                return strndup(s + 1, i - 1);
    }
    for (size_t j = 1; j < len; j++)
        if (is_ws(s[j]) && only_comment_left(s + j))
            return strndup(s, j);
    return strdup(s);
}

static char *strip_dup(const char *s, size_t len)
{
    while (len && is_ws(*s)) {
        s++;
        len--;
    }
    while (len && is_ws(s[len - 1]))
        len--;
    return strndup(s, len);
}

/* "[a, b]" (JSON or the legacy unquoted form) into items. */
static int split_list(const char *v, struct strvec *out)
{
    size_t len = strlen(v);
    const char *p = v + 1, *end = v + len - 1;
    int r = CB_OK;

    while (p < end && is_ws(*p))
        p++;
    if (p == end)
        return CB_OK; /* [] */
    while (r == CB_OK) {
        const char *c = memchr(p, ',', (size_t)(end - p));
        const char *stop = c ? c : end;
        char *elem = strip_dup(p, (size_t)(stop - p));
        size_t el;

        if (!elem)
            return CB_ERR_NOMEM;
        el = strlen(elem);
        if (el >= 2 && (elem[0] == '"' || elem[0] == '\'') &&
            elem[el - 1] == elem[0]) {
            memmove(elem, elem + 1, el - 2);
            elem[el - 2] = '\0';
        }
        r = strvec_push_take(out, elem);
        if (!c)
            break;
        p = c + 1;
    }
    return r;
}

static int add_item(struct ini_file *f, const char *key, char *value)
{
    struct ini_item *it = NULL;
    size_t vlen = strlen(value);
    int r = CB_OK;

    /* A repeated key keeps its first position and takes the new value. */
    for (size_t i = 0; i < f->n; i++) {
        if (strcmp(f->items[i].key, key) == 0) {
            it = &f->items[i];
            free(it->value);
            strvec_clear(&it->list);
            it->value = NULL;
            it->is_list = 0;
            break;
        }
    }
    if (!it) {
        struct ini_item *ni = realloc(f->items, (f->n + 1) * sizeof(*ni));

        if (!ni) {
            free(value);
            return CB_ERR_NOMEM;
        }
        f->items = ni;
        it = &f->items[f->n];
        memset(it, 0, sizeof(*it));
        it->key = strdup(key);
        if (!it->key) {
            free(value);
            return CB_ERR_NOMEM;
        }
        f->n++;
    }
    if (vlen >= 2 && value[0] == '[' && value[vlen - 1] == ']') {
        it->is_list = 1;
        r = split_list(value, &it->list);
        free(value);
        return r;
    }
    it->value = value;
    return CB_OK;
}

/* One stripped, non-comment line.  Returns 1 when it does not parse. */
static int parse_line(struct ini_file *f, const char *line, int *bad)
{
    size_t klen = strcspn(line, ":=;#\t\n\v\f\r ");
    const char *p = line + klen;
    const char *q;
    char *key, *value;
    int r;

    *bad = 0;
    if (klen == 0) {
        *bad = 1;
        return CB_OK;
    }
    q = p;
    while (is_ws(*q))
        q++;
    if (*q == '\0') {
        value = strdup("true");
    } else if (*q == ':' || *q == '=') {
        q++;
        while (is_ws(*q))
            q++;
        value = value_part(q);
    } else if (q > p) {
        value = value_part(q);
    } else {
        *bad = 1;
        return CB_OK;
    }
    key = strndup(line, klen);
    if (!key || !value) {
        free(key);
        free(value);
        return CB_ERR_NOMEM;
    }
    r = add_item(f, key, value);
    free(key);
    return r;
}

int ini_read(const char *path, int missing_ok, struct ini_file *out,
             struct cb_err *err)
{
    FILE *fp = NULL;
    char *line = NULL;
    size_t cap = 0, lineno = 0;
    ssize_t got;
    struct stat st;
    int r = CB_OK;

    memset(out, 0, sizeof(*out));
    /* Default files count only when they are regular files (Python's
     * os.path.isfile), so /dev/null disables one. */
    if (missing_ok && (stat(path, &st) != 0 || !S_ISREG(st.st_mode)))
        return CB_OK;
    out->path = strdup(path);
    if (!out->path)
        return cb_err_set(err, CB_ERR_NOMEM, "out of memory");
    fp = fopen(path, "r");
    if (!fp) {
        r = cb_err_set(err, CB_ERR_USAGE,
                       "Unable to open config file: %s. Error: %s", path,
                       strerror(errno));
        goto out;
    }
    for (;;) {
        char *s;
        size_t len;
        int bad = 0;

        got = getline(&line, &cap, fp);
        if (got < 0)
            break;
        s = line;
        len = (size_t)got;

        while (len && is_ws(s[len - 1]))
            s[--len] = '\0';
        while (is_ws(*s))
            s++;
        if (*s == '\0' || *s == '#' || *s == ';' || *s == '[' ||
            strncmp(s, "---", 3) == 0) {
            lineno++;
            continue;
        }
        r = parse_line(out, s, &bad);
        if (r != CB_OK) {
            r = cb_err_set(err, r, "out of memory");
            goto out;
        }
        if (bad) {
            r = cb_err_set(err, CB_ERR_USAGE,
                           "Couldn't parse config file: Unexpected line %zu "
                           "in %s: %s", lineno, path, s);
            goto out;
        }
        lineno++;
    }
    if (ferror(fp))
        r = cb_err_set(err, CB_ERR_USAGE,
                       "Unable to open config file: %s. Error: %s", path,
                       strerror(errno));
out:
    if (fp)
        fclose(fp);
    free(line);
    if (r != CB_OK)
        ini_file_clear(out);
    return r;
}

/* Python's os.path.expanduser for a leading "~" or "~/". */
static char *expand_user(const char *p)
{
    const char *home;
    char *out = NULL;

    if (p[0] != '~' || (p[1] != '\0' && p[1] != '/'))
        return strdup(p);
    home = getenv("HOME");
    if (!home) {
        struct passwd *pw = getpwuid(getuid());

        home = pw ? pw->pw_dir : "";
    }
    if (asprintf(&out, "%s%s", home, p + 1) < 0)
        return NULL;
    return out;
}

int ini_default_paths(struct strvec *out)
{
    /* CERTBOT_SYSTEM_CLI_INI replaces the fixed system path: tests point
     * it at /dev/null (or a temp file) because a packaged certbot may have
     * installed /etc/letsencrypt/cli.ini on the machine running them. */
    const char *sys = getenv("CERTBOT_SYSTEM_CLI_INI");
    const char *xdg = getenv("XDG_CONFIG_HOME");
    char *user = NULL, *expanded = NULL;
    int r;

    if (!sys)
        sys = "/etc/letsencrypt/cli.ini";
    if (*sys) {
        r = strvec_push(out, sys);
        if (r != CB_OK)
            return r;
    }
    if (asprintf(&user, "%s/letsencrypt/cli.ini", xdg ? xdg : "~/.config") < 0)
        return CB_ERR_NOMEM;
    expanded = expand_user(user);
    free(user);
    if (!expanded)
        return CB_ERR_NOMEM;
    return strvec_push_take(out, expanded);
}
