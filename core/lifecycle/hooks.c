#define LOG_COMPONENT "certbot._internal.hooks"

#include "lifecycle/hooks.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/display.h"
#include "util/log.h"

#define HOOK_OUTPUT_MAX (1024 * 1024)
#define POST_ENV_MAX 16000
#define CERTONLY_ENV_MAX 32000

void hook_run_clear(struct hook_run *hr)
{
    strvec_clear(&hr->pre_done);
    strvec_clear(&hr->post_queue);
}

/* ------------------------------------------------------------ listing */

static int is_executable_file(const char *path)
{
    struct stat st;

    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return 0;
    return access(path, X_OK) == 0;
}

static int cmp_bytes(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int hooks_list_dir(const char *dir, struct strvec *out)
{
    struct strvec found = {0};
    DIR *d = opendir(dir);
    struct dirent *de;
    int r = CB_OK;

    if (!d)
        return CB_OK;
    while (r == CB_OK) {
        size_t len;
        char *path = NULL;

        de = readdir(d);
        if (!de)
            break;
        len = strlen(de->d_name);
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (len > 0 && de->d_name[len - 1] == '~')
            continue;
        if (asprintf(&path, "%s/%s", dir, de->d_name) < 0) {
            r = CB_ERR_NOMEM;
            break;
        }
        if (is_executable_file(path))
            r = strvec_push_take(&found, path);
        else
            free(path);
    }
    closedir(d);
    if (r == CB_OK && found.n > 1)
        qsort(found.v, found.n, sizeof(found.v[0]), cmp_bytes);
    for (size_t i = 0; r == CB_OK && i < found.n; i++)
        r = strvec_push(out, found.v[i]);
    strvec_clear(&found);
    return r;
}

static void dir_hooks(const struct cb_config *cfg, const char *kind,
                      struct strvec *out)
{
    char *dir = NULL;

    if (!config_bool(cfg, "directory_hooks"))
        return;
    if (asprintf(&dir, "%s/renewal-hooks/%s", config_str(cfg, "config_dir"),
                 kind) < 0)
        return;
    if (hooks_list_dir(dir, out) != CB_OK)
        log_warning("Could not list the hooks in %s", dir);
    free(dir);
}

/* ------------------------------------------------------------ running */

struct capture {
    char *buf;
    size_t len;
};

static void capture_add(struct capture *c, const char *data, size_t n)
{
    char *nb;

    if (c->len + n > HOOK_OUTPUT_MAX)
        n = HOOK_OUTPUT_MAX - c->len;
    if (n == 0)
        return;
    nb = realloc(c->buf, c->len + n + 1);
    if (!nb)
        return;
    c->buf = nb;
    memcpy(c->buf + c->len, data, n);
    c->len += n;
    c->buf[c->len] = '\0';
}

/* Read both pipes to EOF. */
static void drain(int out_fd, int err_fd, struct capture *out,
                  struct capture *errc)
{
    struct pollfd p[2];

    p[0].fd = out_fd;
    p[1].fd = err_fd;
    p[0].events = p[1].events = POLLIN;
    while (p[0].fd >= 0 || p[1].fd >= 0) {
        int n = poll(p, 2, -1);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            break;
        for (int i = 0; i < 2; i++) {
            char buf[4096];
            ssize_t got;

            if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            got = read(p[i].fd, buf, sizeof(buf));
            if (got < 0 && errno == EINTR)
                continue;
            if (got <= 0) {
                close(p[i].fd);
                p[i].fd = -1;
                continue;
            }
            capture_add(i == 0 ? out : errc, buf, (size_t)got);
        }
    }
}

/* Surrounding whitespace removed, each non-blank line prefixed with one
 * space (Python's str.strip + textwrap.indent).  Caller frees. */
static char *strip_indent(const char *s)
{
    struct strvec lines = {0};
    const char *end;
    char *copy, *line, *joined;

    if (!s)
        return NULL;
    while (*s && isspace((unsigned char)*s))
        s++;
    end = s + strlen(s);
    while (end > s && isspace((unsigned char)end[-1]))
        end--;
    if (end == s)
        return NULL;
    copy = strndup(s, (size_t)(end - s));
    if (!copy)
        return NULL;
    /* strtok_r would swallow empty lines; split by hand. */
    line = copy;
    while (line) {
        char *nl = strchr(line, '\n');
        const char *p = line;

        if (nl)
            *nl = '\0';
        while (*p && isspace((unsigned char)*p))
            p++;
        if (*p)
            strvec_pushf(&lines, " %s", line);
        else
            strvec_push(&lines, line);
        line = nl ? nl + 1 : NULL;
    }
    joined = strvec_join(&lines, "\n");
    strvec_clear(&lines);
    free(copy);
    return joined;
}

/* Run one hook through /bin/sh -c with extra environment entries
 * ("NAME=value", may be NULL) and report as Certbot does. */
static void run_hook(const char *name, const char *cmd,
                     const char *const *extra_env)
{
    int outp[2] = {-1, -1}, errp[2] = {-1, -1};
    struct capture out = {0}, errc = {0};
    char *shown = NULL;
    int status = 0, code;
    pid_t pid;

    log_info("Running %s command: %s", name, cmd);
    if (pipe(outp) != 0 || pipe(errp) != 0) {
        log_warning("Hook '%s' could not be run: %s", name, strerror(errno));
        goto out;
    }
    out_flush_all();
    pid = fork();
    if (pid < 0) {
        log_warning("Hook '%s' could not be run: %s", name, strerror(errno));
        goto out;
    }
    if (pid == 0) {
        int devnull = open("/dev/null", O_RDONLY);

        if (devnull >= 0)
            dup2(devnull, STDIN_FILENO);
        dup2(outp[1], STDOUT_FILENO);
        dup2(errp[1], STDERR_FILENO);
        close(outp[0]);
        close(errp[0]);
        signal(SIGPIPE, SIG_DFL);
        for (size_t i = 0; extra_env && extra_env[i]; i++)
            putenv((char *)extra_env[i]);
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    close(outp[1]);
    close(errp[1]);
    outp[1] = errp[1] = -1;
    drain(outp[0], errp[0], &out, &errc);
    outp[0] = errp[0] = -1;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            status = 0;
            break;
        }
    }
    code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    if (code != 0)
        log_warning("Hook '%s' reported error code %d", name, code);
    shown = strip_indent(out.buf);
    if (shown)
        display_notifyf(0, "Hook '%s' ran with output:\n%s", name, shown);
    free(shown);
    shown = strip_indent(errc.buf);
    if (shown)
        log_warning("Hook '%s' ran with error output:\n%s", name, shown);
out:
    for (int i = 0; i < 2; i++) {
        if (outp[i] >= 0)
            close(outp[i]);
        if (errp[i] >= 0)
            close(errp[i]);
    }
    free(shown);
    free(out.buf);
    free(errc.buf);
}

/* ---------------------------------------------------------- validation */

static const char *const extra_dirs[] = {"/usr/sbin", "/usr/local/bin",
                                         "/usr/local/sbin", NULL};

static int found_on_path(const char *prog, const char *path)
{
    char *copy = strdup(path ? path : ""), *dir, *save = NULL;
    int found = 0;

    if (!copy)
        return 0;
    for (dir = strtok_r(copy, ":", &save); dir && !found;
         dir = strtok_r(NULL, ":", &save)) {
        char *full = NULL;

        if (asprintf(&full, "%s/%s", dir, prog) < 0)
            break;
        found = is_executable_file(full);
        free(full);
    }
    free(copy);
    return found;
}

static int exe_exists(const char *prog)
{
    if (strchr(prog, '/'))
        return is_executable_file(prog);
    return found_on_path(prog, getenv("PATH"));
}

/* Certbot's path_surgery: add the usual sbin dirs missing from PATH. */
static void path_surgery(void)
{
    const char *path = getenv("PATH");
    struct strvec parts = {0};
    char *joined;

    strvec_push(&parts, path ? path : "");
    for (size_t i = 0; extra_dirs[i]; i++)
        if (!path || !strstr(path, extra_dirs[i]))
            strvec_push(&parts, extra_dirs[i]);
    if (parts.n > 1) {
        joined = strvec_join(&parts, ":");
        if (joined) {
            log_debug("Can't find a hook program; added to PATH: %s",
                      joined);
            setenv("PATH", joined, 1);
        }
        free(joined);
    }
    strvec_clear(&parts);
}

static int validate_one(const char *cmd, const char *kind, struct cb_err *err)
{
    char prog[4096];
    size_t len;
    struct stat st;

    if (!cmd)
        return CB_OK;
    while (*cmd && isspace((unsigned char)*cmd))
        cmd++;
    len = strcspn(cmd, " \t\n\r\f\v");
    if (len == 0)
        return CB_OK;
    if (len >= sizeof(prog))
        len = sizeof(prog) - 1;
    memcpy(prog, cmd, len);
    prog[len] = '\0';
    if (exe_exists(prog))
        return CB_OK;
    path_surgery();
    if (exe_exists(prog))
        return CB_OK;
    if (stat(prog, &st) == 0)
        return cb_err_set(err, CB_ERR_CONFIG,
                          "%s-hook command %s exists, but is not executable.",
                          prog, kind);
    return cb_err_set(err, CB_ERR_CONFIG,
                      "Unable to find %s-hook command %s in the PATH.\n"
                      "(PATH is %s)\n"
                      "See also the --disable-hook-validation option.",
                      kind, prog, getenv("PATH") ? getenv("PATH") : "");
}

int hooks_validate(const struct cb_config *cfg, struct cb_err *err)
{
    const char *deploy = config_str(cfg, "deploy_hook");
    int r;

    if (!config_bool(cfg, "validate_hooks"))
        return CB_OK;
    if (!deploy)
        deploy = config_str(cfg, "renew_hook");
    r = validate_one(config_str(cfg, "pre_hook"), "pre", err);
    if (r == CB_OK)
        r = validate_one(config_str(cfg, "post_hook"), "post", err);
    if (r == CB_OK)
        r = validate_one(deploy, "deploy", err);
    return r;
}

/* ---------------------------------------------------------- the kinds */

/* The directory hooks of kind followed by the configured command. */
static void gather(const struct cb_config *cfg, const char *kind,
                   const char *dest, struct strvec *out)
{
    const char *cmd = config_str(cfg, dest);

    dir_hooks(cfg, kind, out);
    if (cmd && *cmd)
        strvec_push(out, cmd);
}

void hooks_pre(const struct cb_config *cfg, struct hook_run *hr)
{
    struct strvec all = {0};

    gather(cfg, "pre", "pre_hook", &all);
    for (size_t i = 0; i < all.n; i++) {
        if (strvec_contains(&hr->pre_done, all.v[i])) {
            log_info("Pre-hook command already run, skipping: %s",
                     all.v[i]);
            continue;
        }
        run_hook("pre-hook", all.v[i], NULL);
        strvec_push(&hr->pre_done, all.v[i]);
    }
    strvec_clear(&all);
}

static char *join_names(const char *const *names, size_t n)
{
    struct strvec v = {0};
    char *s;

    for (size_t i = 0; i < n; i++)
        strvec_push(&v, names[i]);
    s = strvec_join(&v, " ");
    strvec_clear(&v);
    return s;
}

void hooks_deploy(const struct cb_config *cfg, const char *const *names,
                  size_t n, const char *live_dir)
{
    struct strvec all = {0}, done = {0};
    int skip = config_bool(cfg, "dry_run") &&
               !config_bool(cfg, "run_deploy_hooks");
    char *domains = join_names(names, n);

    gather(cfg, "deploy", "renew_hook", &all);
    for (size_t i = 0; i < all.n; i++) {
        if (strvec_contains(&done, all.v[i])) {
            log_info("Skipping deploy-hook '%s' as it was already run.",
                     all.v[i]);
            continue;
        }
        strvec_push(&done, all.v[i]);
        if (skip) {
            log_info("Dry run: skipping deploy hook command: %s", all.v[i]);
            continue;
        }
        setenv("RENEWED_DOMAINS", domains ? domains : "", 1);
        setenv("RENEWED_LINEAGE", live_dir, 1);
        run_hook("deploy-hook", all.v[i], NULL);
    }
    free(domains);
    strvec_clear(&done);
    strvec_clear(&all);
}

/* "NAME=a b c" from names, dropping trailing names (renew) or cutting
 * the text (certonly) beyond max characters.  Caller frees. */
static char *env_entry(const char *name, const struct strvec *names,
                       size_t max, int drop_whole)
{
    size_t n = names ? names->n : 0;
    char *joined = NULL, *entry = NULL;
    int limited = 0;

    for (;;) {
        joined = join_names(names ? (const char *const *)names->v : NULL, n);
        if (!joined || strlen(joined) <= max)
            break;
        limited = 1;
        if (!drop_whole) {
            joined[max] = '\0';
            break;
        }
        free(joined);
        joined = NULL;
        n--;
    }
    if (limited)
        log_warning("Limiting %s environment variable to %zuk characters",
                    name, max / 1000);
    if (asprintf(&entry, "%s=%s", name, joined ? joined : "") < 0)
        entry = NULL;
    free(joined);
    return entry;
}

void hooks_post(const struct cb_config *cfg, struct hook_run *hr,
                const struct strvec *renewed)
{
    struct strvec all = {0};
    char *rd = NULL;
    const char *env[3] = {NULL, "FAILED_DOMAINS=", NULL};

    gather(cfg, "post", "post_hook", &all);
    if (strcmp(config_verb(cfg), "renew") == 0) {
        for (size_t i = 0; i < all.n; i++)
            if (!strvec_contains(&hr->post_queue, all.v[i]))
                strvec_push(&hr->post_queue, all.v[i]);
        strvec_clear(&all);
        return;
    }
    rd = env_entry("RENEWED_DOMAINS", renewed, CERTONLY_ENV_MAX, 0);
    env[0] = rd ? rd : "RENEWED_DOMAINS=";
    for (size_t i = 0; i < all.n; i++)
        run_hook("post-hook", all.v[i], env);
    free(rd);
    strvec_clear(&all);
}

void hooks_run_saved_post(struct hook_run *hr, const struct strvec *renewed,
                          const struct strvec *failed)
{
    char *rd = env_entry("RENEWED_DOMAINS", renewed, POST_ENV_MAX, 1);
    char *fd = env_entry("FAILED_DOMAINS", failed, POST_ENV_MAX, 1);
    const char *env[3];

    env[0] = rd ? rd : "RENEWED_DOMAINS=";
    env[1] = fd ? fd : "FAILED_DOMAINS=";
    env[2] = NULL;
    for (size_t i = 0; i < hr->post_queue.n; i++)
        run_hook("post-hook", hr->post_queue.v[i], env);
    free(rd);
    free(fd);
}
