/* struct cb_host: the services the core offers plugins (DESIGN 3.4).
 *
 * Every service takes the plugin's handle.  Messages go into the handle's
 * call error (last one wins: it is the one closest to the code the plugin
 * returns) and plugin_handle_end() moves it into the caller's cb_err. */
#define LOG_COMPONENT "certbot._internal.plugins"

#include "config.h"

#include "plugin/host.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "storage/configobj.h"
#include "storage/fsutil.h"
#include "util/display.h"
#include "util/http.h"
#include "util/log.h"

#define MAX_LINE 4096
#define MAX_CHILD_OUTPUT (1024 * 1024)
#define MAX_ENV_ADD 256
#define MAX_ARGV 1024
#define MAX_LABELS 128

extern char **environ;

/* ------------------------------------------------------------ arenas */

/* A list of separately allocated items freed together: simple, and the
 * number of borrowed strings per call is small. */
struct arena_item {
    struct arena_item *next;
    max_align_t align[];
};

struct arena {
    struct arena_item *head;
};

static void *arena_alloc(struct arena *a, size_t n)
{
    struct arena_item *it;

    if (n > SIZE_MAX - sizeof(*it))
        return NULL;
    it = malloc(sizeof(*it) + n);
    if (!it)
        return NULL;
    it->next = a->head;
    a->head = it;
    return it->align;
}

static char *arena_memdup0(struct arena *a, const void *p, size_t n)
{
    char *s;

    if (n == SIZE_MAX)
        return NULL;
    s = arena_alloc(a, n + 1);
    if (!s)
        return NULL;
    if (n)
        memcpy(s, p, n);
    s[n] = '\0';
    return s;
}

static char *arena_strdup(struct arena *a, const char *s)
{
    return s ? arena_memdup0(a, s, strlen(s)) : NULL;
}

static void arena_reset(struct arena *a)
{
    struct arena_item *it = a->head;

    while (it) {
        struct arena_item *next = it->next;

        free(it);
        it = next;
    }
    a->head = NULL;
}

/* ------------------------------------------------------------ handle */

struct cb_handle {
    const struct plugin *plugin;
    struct cb_config *cfg;
    struct cb_err call_err;        /* message of the current call */
    struct arena call;             /* borrowed until the op returns */
    struct arena life;             /* borrowed until destroy */
    struct http_client *http;      /* created on first use */
    struct configobj *creds;       /* parsed credentials INI, once */
    char *creds_path;
};

static int hfail(struct cb_handle *h, int code, const char *fmt, ...)
    CB_PRINTF(3, 4);

static int hfail(struct cb_handle *h, int code, const char *fmt, ...)
{
    char buf[CB_ERR_MSG_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    return cb_err_replace(&h->call_err, code, "%s", buf);
}

/* A service failed with a message in e: keep it for the call. */
static int hfail_err(struct cb_handle *h, int code, const struct cb_err *e)
{
    return cb_err_replace(&h->call_err, code, "%s", cb_err_msg(e));
}

char *plugin_option_dest(const char *plugin, const char *opt)
{
    char *s = NULL;

    if (asprintf(&s, "%s_%s", plugin, opt) < 0)
        return NULL;
    for (char *p = s; *p; p++)
        if (*p == '-')
            *p = '_';
    return s;
}

static const char *opt_value(struct cb_handle *h, const char *name)
{
    char *dest = plugin_option_dest(h->plugin->name, name);
    const char *v;

    if (!dest)
        return NULL;
    v = config_str(h->cfg, dest);
    free(dest);
    return v;
}

/* ------------------------------------------------------------ log */

static void host_log(struct cb_handle *h, int level, const char *fmt, ...)
    CB_PRINTF(3, 4);

/* The only service plugins may call from their own threads: it touches
 * nothing in the handle but the (immutable) plugin name. */
static void host_log(struct cb_handle *h, int level, const char *fmt, ...)
{
    char buf[MAX_LINE];
    va_list ap;

    if (!h || !fmt)
        return;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (level < CB_LOG_DEBUG)
        level = CB_LOG_DEBUG;
    if (level > CB_LOG_ERROR)
        level = CB_LOG_ERROR;
    log_msg(level, LOG_COMPONENT, "%s: %s", h->plugin->name, buf);
}

static int host_fail(struct cb_handle *h, int code, const char *fmt, ...)
    CB_PRINTF(3, 4);

static int host_fail(struct cb_handle *h, int code, const char *fmt, ...)
{
    char buf[CB_ERR_MSG_MAX];
    va_list ap;

    /* fail() means failure: a non-negative code would read as success. */
    if (code >= 0)
        code = CB_ERR_PLUGIN;
    if (!h)
        return code;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt ? fmt : "", ap);
    va_end(ap);
    log_debug("%s: %s", h->plugin->name, buf);
    return cb_err_replace(&h->call_err, code, "%s", buf);
}

/* ------------------------------------------------------------ prompts */

/* Certbot's notification() as plugins get it: framed, and when it can
 * interact it waits for Enter (pause=True), which the manual plugin's
 * instructions rely on.  Under -n or without a TTY it only prints. */
static int host_notify(struct cb_handle *h, const char *msg)
{
    struct cb_err e = {0};
    int r;

    if (!h || !msg)
        return CB_ERR_INVAL;
    r = display_notify_pause(msg, 1, &e);
    if (r != CB_OK)
        return hfail_err(h, r, &e);
    return CB_OK;
}

static int host_yesno(struct cb_handle *h, const char *q, int dflt,
                      int *answer)
{
    struct cb_err e = {0};
    int r;

    if (!h || !q || !answer)
        return CB_ERR_INVAL;
    r = display_yesno(q, NULL, NULL, dflt < 0 ? -1 : !!dflt, NULL, answer,
                      &e);
    if (r != CB_OK)
        return hfail_err(h, r, &e);
    return CB_OK;
}

static int host_input(struct cb_handle *h, const char *q, const char *cli_flag,
                      const char **answer)
{
    struct cb_err e = {0};
    char *s = NULL;
    int r;

    if (!h || !q || !answer)
        return CB_ERR_INVAL;
    *answer = NULL;
    r = display_input(q, cli_flag, &s, &e);
    if (r != CB_OK)
        return hfail_err(h, r, &e);
    *answer = arena_strdup(&h->call, s);
    free(s);
    return *answer ? CB_OK : hfail(h, CB_ERR_NOMEM, "out of memory");
}

static int host_menu(struct cb_handle *h, const char *q,
                     const char *const *items, size_t n, const char *cli_flag,
                     size_t *choice)
{
    struct cb_err e = {0};
    int r;

    if (!h || !q || !items || !choice || n == 0)
        return CB_ERR_INVAL;
    r = display_menu(q, items, n, -1, cli_flag, choice, &e);
    if (r != CB_OK)
        return hfail_err(h, r, &e);
    return CB_OK;
}

/* ------------------------------------------------------------ options */

static const char *host_opt_str(struct cb_handle *h, const char *name)
{
    if (!h || !name)
        return NULL;
    /* Copied: a later opt_set would otherwise free what we returned. */
    return arena_strdup(&h->life, opt_value(h, name));
}

static int host_opt_int(struct cb_handle *h, const char *name, int64_t *val)
{
    const char *v;
    char *end = NULL;
    long long n;

    if (!h || !name || !val)
        return CB_ERR_INVAL;
    v = opt_value(h, name);
    if (!v || !v[0])
        return CB_ERR_NOT_FOUND;
    errno = 0;
    n = strtoll(v, &end, 10);
    if (errno != 0 || !end || *end != '\0')
        return hfail(h, CB_ERR_INVAL, "--%s-%s: invalid integer value: '%s'",
                     h->plugin->name, name, v);
    *val = n;
    return CB_OK;
}

static int host_opt_bool(struct cb_handle *h, const char *name)
{
    char *dest;
    int v;

    if (!h || !name)
        return 0;
    dest = plugin_option_dest(h->plugin->name, name);
    if (!dest)
        return 0;
    v = config_bool(h->cfg, dest);
    free(dest);
    return v ? 1 : 0;
}

static const char *const *host_opt_list(struct cb_handle *h, const char *name)
{
    const char *const *src;
    const char **copy;
    char *dest;
    size_t n = 0;

    if (!h || !name)
        return NULL;
    dest = plugin_option_dest(h->plugin->name, name);
    if (!dest)
        return NULL;
    src = config_list(h->cfg, dest, &n);
    free(dest);
    copy = arena_alloc(&h->life, (n + 1) * sizeof(*copy));
    if (!copy)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        copy[i] = arena_strdup(&h->life, src[i]);
        if (!copy[i])
            return NULL;
    }
    copy[n] = NULL;
    return copy;
}

static int host_opt_set(struct cb_handle *h, const char *name,
                        const char *value)
{
    char *dest;
    int r;

    if (!h || !name)
        return CB_ERR_INVAL;
    dest = plugin_option_dest(h->plugin->name, name);
    if (!dest)
        return hfail(h, CB_ERR_NOMEM, "out of memory");
    /* A prompted answer counts as set by the user, so it is saved to the
     * renewal conf like Certbot saves a value the plugin put on config. */
    r = config_set(h->cfg, dest, value, CONFIG_ARGV);
    free(dest);
    if (r != CB_OK)
        return hfail(h, r, "cannot set option --%s-%s", h->plugin->name,
                     name);
    return CB_OK;
}

static const char *host_config(struct cb_handle *h, const char *dest)
{
    if (!h || !dest)
        return NULL;
    return arena_strdup(&h->life, config_str(h->cfg, dest));
}

/* ------------------------------------------------------------ credentials */

static int creds_load(struct cb_handle *h, const char *path_opt,
                      const char **path_out)
{
    struct cb_err e = {0};
    const char *path = opt_value(h, path_opt);
    struct stat st;
    char *flag = NULL, *q = NULL, *abs = NULL;
    int r;

    if (!path || !path[0]) {
        char *ans = NULL;

        if (asprintf(&flag, "--%s-%s", h->plugin->name, path_opt) < 0 ||
            asprintf(&q, "Input the path to your %s credentials INI file",
                     h->plugin->name) < 0) {
            r = hfail(h, CB_ERR_NOMEM, "out of memory");
            goto out;
        }
        r = display_input(q, flag, &ans, &e);
        if (r != CB_OK) {
            r = hfail_err(h, r, &e);
            goto out;
        }
        abs = fs_abspath(ans);
        free(ans);
        if (!abs) {
            r = hfail(h, CB_ERR_NOMEM, "out of memory");
            goto out;
        }
        r = host_opt_set(h, path_opt, abs);
        if (r != CB_OK)
            goto out;
        path = opt_value(h, path_opt);
    }
    if (stat(path, &st) != 0) {
        r = hfail(h, CB_ERR_PLUGIN, "File not found: %s", path);
        goto out;
    }
    if (S_ISDIR(st.st_mode)) {
        r = hfail(h, CB_ERR_PLUGIN, "Path is a directory: %s", path);
        goto out;
    }
    if (h->creds && h->creds_path && strcmp(h->creds_path, path) == 0) {
        *path_out = h->creds_path;
        r = CB_OK;
        goto out;
    }
    /* Certbot's has_world_permissions: group access is the admin's call. */
    if (st.st_mode & S_IRWXO)
        log_warning("Unsafe permissions on credentials configuration file: "
                    "%s", path);
    configobj_free(h->creds);
    h->creds = NULL;
    free(h->creds_path);
    h->creds_path = strdup(path);
    if (!h->creds_path) {
        r = hfail(h, CB_ERR_NOMEM, "out of memory");
        goto out;
    }
    r = configobj_load(path, &h->creds, &e);
    if (r != CB_OK) {
        r = hfail(h, CB_ERR_PLUGIN, "Error parsing credentials configuration "
                  "'%s': %s", path, cb_err_msg(&e));
        goto out;
    }
    *path_out = h->creds_path;
out:
    free(flag);
    free(q);
    free(abs);
    return r;
}

static int host_credentials_get(struct cb_handle *h, const char *path_opt,
                                const char *key, const char **val)
{
    const char *path = NULL, *v;
    char *full = NULL;
    int r;

    if (!h || !path_opt || !key || !val)
        return CB_ERR_INVAL;
    *val = NULL;
    r = creds_load(h, path_opt, &path);
    if (r != CB_OK)
        goto out;
    /* Certbot's mapper: key "api-token" of dns-x is dns_x_api_token. */
    full = plugin_option_dest(h->plugin->name, key);
    if (!full) {
        r = hfail(h, CB_ERR_NOMEM, "out of memory");
        goto out;
    }
    v = co_get(configobj_root(h->creds), full);
    if (!v) {
        r = hfail(h, CB_ERR_PLUGIN, "Missing property in credentials "
                  "configuration file %s:\n * Property \"%s\" not found.",
                  path, full);
        goto out;
    }
    if (!v[0]) {
        r = hfail(h, CB_ERR_PLUGIN, "Missing property in credentials "
                  "configuration file %s:\n * Property \"%s\" not set.",
                  path, full);
        goto out;
    }
    *val = arena_strdup(&h->life, v);
    r = *val ? CB_OK : hfail(h, CB_ERR_NOMEM, "out of memory");
out:
    free(full);
    return r;
}

/* Certbot's CredentialsConfiguration.require: one message for every
 * missing or empty key, each with its label. */
static int host_credentials_require(struct cb_handle *h, const char *path_opt,
                                    const char *const *keys_labels)
{
    struct strvec missing = {0};
    const char *path = NULL;
    char *joined = NULL;
    int r;

    if (!h || !path_opt || !keys_labels)
        return CB_ERR_INVAL;
    r = creds_load(h, path_opt, &path);
    if (r != CB_OK)
        return r;
    for (size_t i = 0; keys_labels[i] && keys_labels[i + 1]; i += 2) {
        char *full = plugin_option_dest(h->plugin->name, keys_labels[i]);
        const char *v = full ? co_get(configobj_root(h->creds), full) : NULL;

        if (!full) {
            r = hfail(h, CB_ERR_NOMEM, "out of memory");
            goto out;
        }
        if (!v || !v[0])
            strvec_pushf(&missing, "Property \"%s\" %s (should be %s).",
                         full, v ? "not set" : "not found",
                         keys_labels[i + 1]);
        free(full);
    }
    if (missing.n == 0)
        goto out;
    joined = strvec_join(&missing, "\n * ");
    r = hfail(h, CB_ERR_PLUGIN, "Missing %s in credentials configuration "
              "file %s:\n * %s", missing.n == 1 ? "property" : "properties",
              path, joined ? joined : "");
out:
    free(joined);
    strvec_clear(&missing);
    return r;
}

/* ------------------------------------------------------------ http */

static int http_client_get(struct cb_handle *h)
{
    struct http_opts o = {0};
    struct cb_err e = {0};
    const char *ua = config_str(h->cfg, "user_agent");
    int r;

    if (h->http)
        return CB_OK;
    /* --no-verify-ssl is about the ACME server only; a DNS provider's API
     * is always verified (Certbot's provider libraries do the same), with
     * REQUESTS_CA_BUNDLE as the way to trust a private CA. */
    o.verify_ssl = 1;
    o.user_agent = (ua && ua[0]) ? ua : "CertbotACMEClient/" PACKAGE_VERSION;
    r = http_client_new(&o, &h->http, &e);
    if (r != CB_OK)
        return hfail_err(h, r, &e);
    return CB_OK;
}

static int host_http(struct cb_handle *h, const struct cb_http_req *req,
                     struct cb_http_resp *resp)
{
    struct http_resp hr = {0};
    struct cb_err e = {0};
    const char *ct;
    int r;

    if (!h || !req || !resp)
        return CB_ERR_INVAL;
    if (!CB_HAS(req, struct cb_http_req, timeout_ms) ||
        !CB_HAS(resp, struct cb_http_resp, content_type) || !req->method ||
        !req->url)
        return hfail(h, CB_ERR_INVAL, "http: malformed request");
    r = http_client_get(h);
    if (r != CB_OK)
        goto out;
    /* req->timeout_ms is advisory for now: util/http.h sets timeouts per
     * client, and the core's default (45 s) bounds every request. */
    r = http_request(h->http, req->method, req->url, req->headers, req->body,
                     req->body ? req->body_len : 0, &hr, &e);
    if (r != CB_OK) {
        r = hfail_err(h, r, &e);
        goto out;
    }
    resp->status = hr.status;
    resp->body = arena_memdup0(&h->call, hr.body ? hr.body : "",
                               hr.body ? hr.body_len : 0);
    resp->body_len = hr.body ? hr.body_len : 0;
    ct = http_resp_header(&hr, "Content-Type");
    resp->content_type = ct ? arena_strdup(&h->call, ct) : NULL;
    if (!resp->body || (ct && !resp->content_type))
        r = hfail(h, CB_ERR_NOMEM, "out of memory");
out:
    http_resp_free(&hr);
    return r;
}

/* ------------------------------------------------------------ processes */

static size_t vec_len(const char *const *v, size_t max)
{
    size_t n = 0;

    while (v && v[n] && n < max)
        n++;
    return n;
}

/* environ with the "NAME=value" additions overriding; caller frees the
 * array (the strings are borrowed). */
static char **env_build(const char *const *add)
{
    size_t nenv = vec_len((const char *const *)environ, SIZE_MAX / 2);
    size_t nadd = vec_len(add, MAX_ENV_ADD);
    char **out = calloc(nenv + nadd + 1, sizeof(*out));
    size_t n = 0;

    if (!out)
        return NULL;
    for (size_t i = 0; i < nenv; i++) {
        const char *eq = strchr(environ[i], '=');
        size_t klen = eq ? (size_t)(eq - environ[i]) : strlen(environ[i]);
        int overridden = 0;

        for (size_t j = 0; j < nadd && !overridden; j++)
            overridden = strncmp(add[j], environ[i], klen) == 0 &&
                         add[j][klen] == '=';
        if (!overridden)
            out[n++] = environ[i];
    }
    for (size_t j = 0; j < nadd; j++)
        if (strchr(add[j], '='))
            out[n++] = (char *)add[j];
    out[n] = NULL;
    return out;
}

static void close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

/* Run argv (PATH search) with env additions, capture stdout (capped), wait.
 * An exec failure is reported through a close-on-exec pipe so "not found"
 * is an error, not exit status 127. */
static int spawn(struct cb_handle *h, const char *const *argv,
                 const char *const *env_add, int *exit_code,
                 const char **out)
{
    int outp[2] = {-1, -1}, errp[2] = {-1, -1};
    char **envp = NULL;
    char *buf = NULL;
    size_t len = 0;
    int child_errno = 0, status = 0, r;
    pid_t pid;

    if (exit_code)
        *exit_code = -1;
    if (out)
        *out = NULL;
    buf = malloc(MAX_CHILD_OUTPUT + 1);
    envp = env_build(env_add);
    if (!buf || !envp) {
        r = hfail(h, CB_ERR_NOMEM, "out of memory");
        goto out;
    }
    if (pipe2(outp, O_CLOEXEC) != 0 || pipe2(errp, O_CLOEXEC) != 0) {
        r = hfail(h, CB_ERR_IO, "cannot create pipe: %s", strerror(errno));
        goto out;
    }
    out_flush_all();
    pid = fork();
    if (pid < 0) {
        r = hfail(h, CB_ERR_IO, "cannot fork: %s", strerror(errno));
        goto out;
    }
    if (pid == 0) {
        int e;

        if (dup2(outp[1], STDOUT_FILENO) >= 0)
            execvpe(argv[0], (char *const *)argv, envp);
        e = errno;
        if (write(errp[1], &e, sizeof(e)) < 0)
            _exit(127);
        _exit(127);
    }
    close_fd(&outp[1]);
    close_fd(&errp[1]);
    /* Read to EOF; output beyond the cap is drained and dropped. */
    for (;;) {
        char sink[4096];
        char *dst = len < MAX_CHILD_OUTPUT ? buf + len : sink;
        size_t room = len < MAX_CHILD_OUTPUT ? MAX_CHILD_OUTPUT - len
                                             : sizeof(sink);
        ssize_t n = read(outp[0], dst, room);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        if (dst != sink)
            len += (size_t)n;
    }
    for (;;) {
        ssize_t n = read(errp[0], &child_errno, sizeof(child_errno));

        if (n < 0 && errno == EINTR)
            continue;
        if (n != (ssize_t)sizeof(child_errno))
            child_errno = 0;
        break;
    }
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            r = hfail(h, CB_ERR_IO, "waitpid: %s", strerror(errno));
            goto out;
        }
    }
    if (child_errno) {
        r = hfail(h, child_errno == ENOENT ? CB_ERR_NOT_FOUND : CB_ERR_IO,
                  "cannot run %s: %s", argv[0], strerror(child_errno));
        goto out;
    }
    if (exit_code)
        *exit_code = WIFEXITED(status) ? WEXITSTATUS(status)
                                       : 128 + WTERMSIG(status);
    if (out) {
        *out = arena_memdup0(&h->call, buf, len);
        if (!*out) {
            r = hfail(h, CB_ERR_NOMEM, "out of memory");
            goto out;
        }
    }
    r = CB_OK;
out:
    close_fd(&outp[0]);
    close_fd(&outp[1]);
    close_fd(&errp[0]);
    close_fd(&errp[1]);
    free(envp);
    free(buf);
    return r;
}

static int host_run_hook(struct cb_handle *h, const char *shell_cmd,
                         const char *const *env, int *exit_code,
                         const char **out)
{
    const char *argv[] = {"/bin/sh", "-c", shell_cmd, NULL};

    if (!h || !shell_cmd)
        return CB_ERR_INVAL;
    return spawn(h, argv, env, exit_code, out);
}

static int host_run_argv(struct cb_handle *h, const char *const *argv,
                         int *exit_code, const char **out)
{
    if (!h || !argv || !argv[0])
        return CB_ERR_INVAL;
    if (vec_len(argv, MAX_ARGV) >= MAX_ARGV)
        return hfail(h, CB_ERR_INVAL, "run_argv: too many arguments");
    return spawn(h, argv, NULL, exit_code, out);
}

/* ------------------------------------------------------------ dns, files */

static int host_strlist_add(struct cb_strlist *l, const char *s);

/* Certbot's base_domain_name_guesses: "a.b.c" -> a.b.c, b.c, c. */
static int host_dns_base_domains(struct cb_handle *h, const char *domain,
                                 struct cb_strlist *out)
{
    const char *p = domain;
    size_t n = 0;

    if (!h || !domain || !out)
        return CB_ERR_INVAL;
    while (p && n++ < MAX_LABELS) {
        const char *dot;

        if (host_strlist_add(out, p) != CB_OK)
            return hfail(h, CB_ERR_NOMEM, "out of memory");
        dot = strchr(p, '.');
        p = dot ? dot + 1 : NULL;
    }
    return CB_OK;
}

/* The same guesses as a borrowed NULL-terminated array (ABI 1.1: a
 * plugin cannot make the cb_strlist the call above fills). */
static const char *const *host_dns_domain_guesses(struct cb_handle *h,
                                                  const char *domain)
{
    const char **v;
    const char *p = domain;
    size_t n = 0;

    if (!h || !domain)
        return NULL;
    v = arena_alloc(&h->life, (MAX_LABELS + 1) * sizeof(*v));
    while (v && p && n < MAX_LABELS) {
        const char *dot = strchr(p, '.');

        v[n] = arena_memdup0(&h->life, p, strlen(p));
        if (!v[n++])
            return NULL;
        p = dot ? dot + 1 : NULL;
    }
    if (v)
        v[n] = NULL;
    return v;
}

static int host_write_file(struct cb_handle *h, const char *path,
                           const void *data, size_t len, uint32_t mode)
{
    struct cb_err e = {0};
    int r;

    if (!h || !path || (!data && len))
        return CB_ERR_INVAL;
    r = fs_write_atomic(path, data ? data : "", len, (mode_t)(mode & 07777),
                        &e);
    return r == CB_OK ? CB_OK : hfail_err(h, r, &e);
}

static int host_mkdirs(struct cb_handle *h, const char *path, uint32_t mode)
{
    struct cb_err e = {0};
    int r;

    if (!h || !path)
        return CB_ERR_INVAL;
    r = fs_mkdirs(path, (mode_t)(mode & 07777), &e);
    return r == CB_OK ? CB_OK : hfail_err(h, r, &e);
}

/* ------------------------------------------------------------ checkpoints */

/* The reverter is not wired to plugins yet; installers that need it get a
 * clear refusal rather than a silent no-op. */
static int host_checkpoint_add(struct cb_handle *h, const char *path)
{
    (void)path;
    if (!h)
        return CB_ERR_INVAL;
    return hfail(h, CB_ERR_NOT_SUPPORTED, "checkpoints are not supported "
                 "by this certbot yet");
}

static int host_checkpoint_new_file(struct cb_handle *h, const char *path)
{
    return host_checkpoint_add(h, path);
}

static int host_checkpoint_finalize(struct cb_handle *h, const char *title,
                                    int temporary)
{
    (void)temporary;
    return host_checkpoint_add(h, title);
}

static int host_checkpoint_rollback(struct cb_handle *h, int n)
{
    (void)n;
    return host_checkpoint_add(h, NULL);
}

/* ------------------------------------------------------------ strlist */

static int host_strlist_add(struct cb_strlist *l, const char *s)
{
    if (!l || !l->v || !s)
        return CB_ERR_INVAL;
    return strvec_push(l->v, s);
}

static size_t host_strlist_len(const struct cb_strlist *l)
{
    return (l && l->v) ? l->v->n : 0;
}

static const char *host_strlist_get(const struct cb_strlist *l, size_t i)
{
    if (!l || !l->v || i >= l->v->n)
        return NULL;
    return l->v->v[i];
}

/* ------------------------------------------------------------ table */

static const struct cb_host host_table = {
    .abi_major = CB_ABI_MAJOR,
    .abi_minor = CB_ABI_MINOR,
    .struct_size = sizeof(struct cb_host),
    .certbot_version = PACKAGE_VERSION,
    .log = host_log,
    .fail = host_fail,
    .notify = host_notify,
    .yesno = host_yesno,
    .input = host_input,
    .menu = host_menu,
    .opt_str = host_opt_str,
    .opt_int = host_opt_int,
    .opt_bool = host_opt_bool,
    .opt_list = host_opt_list,
    .opt_set = host_opt_set,
    .config = host_config,
    .credentials_get = host_credentials_get,
    .http = host_http,
    .run_hook = host_run_hook,
    .run_argv = host_run_argv,
    .dns_base_domains = host_dns_base_domains,
    .write_file = host_write_file,
    .mkdirs = host_mkdirs,
    .checkpoint_add = host_checkpoint_add,
    .checkpoint_new_file = host_checkpoint_new_file,
    .checkpoint_finalize = host_checkpoint_finalize,
    .checkpoint_rollback = host_checkpoint_rollback,
    .strlist_add = host_strlist_add,
    .strlist_len = host_strlist_len,
    .strlist_get = host_strlist_get,
    .credentials_require = host_credentials_require,
    .dns_domain_guesses = host_dns_domain_guesses,
};

const struct cb_host *plugin_host_table(void)
{
    return &host_table;
}

int plugin_handle_new(const struct plugin *p, struct cb_config *cfg,
                      struct cb_handle **out, struct cb_err *err)
{
    struct cb_handle *h;

    *out = NULL;
    if (!p || !p->desc || !cfg)
        return cb_err_set(err, CB_ERR_INVAL, "plugin handle: bad arguments");
    h = calloc(1, sizeof(*h));
    if (!h)
        return cb_err_set(err, CB_ERR_NOMEM, "out of memory");
    h->plugin = p;
    h->cfg = cfg;
    *out = h;
    return CB_OK;
}

void plugin_handle_free(struct cb_handle *h)
{
    if (!h)
        return;
    arena_reset(&h->call);
    arena_reset(&h->life);
    http_client_free(h->http);
    configobj_free(h->creds);
    free(h->creds_path);
    free(h);
}

void plugin_handle_begin(struct cb_handle *h)
{
    arena_reset(&h->call);
    cb_err_reset(&h->call_err);
}

int plugin_handle_end(struct cb_handle *h, int r, struct cb_err *err)
{
    if (r > 0)
        r = CB_ERR_PLUGIN;
    if (r == CB_OK)
        return CB_OK;
    if (h->call_err.msg[0])
        return cb_err_set(err, r, "%s", h->call_err.msg);
    return cb_err_set(err, r, "%s plugin: %s", h->plugin->name,
                      cb_status_str(r));
}

const char *plugin_handle_borrow(struct cb_handle *h, const char *s)
{
    return arena_strdup(&h->call, s);
}
