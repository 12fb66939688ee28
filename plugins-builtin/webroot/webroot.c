/* webroot: answer http-01 challenges by writing files into the document
 * root of a web server that is already running (SPEC 5.3).
 *
 * Options: --webroot-path/-w (a list, made absolute by the core) and
 * --webroot-map (JSON).  The positional -w/-d mapping needs the order of
 * -w and -d on the command line, which only the core sees: the core folds
 * it into --webroot-map after parsing (core/cli/webroot_args.c), so here
 * the map holds one identifier per key.  perform completes the map (the
 * last -w for every unmapped identifier, or a prompt), saves it back with
 * opt_set so it reaches the renewal conf, creates
 * <root>/.well-known/acme-challenge and writes one file per token.
 * cleanup removes the files and the directories perform created (when
 * empty).
 *
 * Files are created with O_EXCL | O_NOFOLLOW, so a symlink planted at a
 * token's name is never written through; directories this plugin creates
 * get their owner, group and mode through a descriptor opened with
 * O_NOFOLLOW.  Directories that already existed (even as symlinks, a
 * common way to share one challenge directory) are used as they are, as
 * Certbot does. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <jansson.h>
#include <certbot/plugin.h>

#define CHALLENGE_SUBDIR ".well-known/acme-challenge"
#define MAX_PROMPTS 20          /* invalid answers before giving up */
#define MAX_CREATED 64

#define DESCRIPTION                                                           \
    "Saves the necessary validation files to a .well-known/acme-challenge/ " \
    "directory within the nominated webroot path. A separate HTTP server "   \
    "must be running and serving files from the webroot path. HTTP "         \
    "challenge only (wildcards not supported)."
#define MORE_INFO                                                             \
    "Authenticator plugin that performs http-01 challenge by saving "        \
    "necessary validation resources to appropriate paths on the file "       \
    "system. It expects that there is some other HTTP server configured "    \
    "to serve all files under specified web root."
#define HINT                                                                  \
    "The Certificate Authority failed to download the temporary challenge "  \
    "files created by Certbot. Ensure that the listed domains serve their "  \
    "content from the provided --webroot-path/-w and that files created "    \
    "there can be downloaded from the internet."

/* One file written by perform, removed by cleanup. */
struct written {
    char *path;
    struct written *next;
};

struct webroot {
    const struct cb_host *host;
    struct cb_handle *h;
    json_t *map;                 /* identifier -> absolute webroot */
    struct written *files;
    char *created[MAX_CREATED];  /* dirs we made, in creation order */
    size_t ncreated;
};

static int wr_create(const struct cb_host *host, struct cb_handle *h,
                     void **ctx)
{
    struct webroot *w = calloc(1, sizeof(*w));

    if (!w)
        return CB_ERR_NOMEM;
    w->host = host;
    w->h = h;
    *ctx = w;
    return CB_OK;
}

static void wr_destroy(void *ctx)
{
    struct webroot *w = ctx;

    if (!w)
        return;
    while (w->files) {
        struct written *next = w->files->next;

        free(w->files->path);
        free(w->files);
        w->files = next;
    }
    for (size_t i = 0; i < w->ncreated; i++)
        free(w->created[i]);
    json_decref(w->map);
    free(w);
}

static int wr_prepare(void *ctx)
{
    (void)ctx;
    return CB_OK;
}

static int wr_chall_pref(void *ctx, const char *ident, uint32_t *types,
                         size_t *n)
{
    (void)ctx;
    (void)ident;
    if (*n < 1)
        return CB_ERR_INVAL;
    types[0] = CB_CHALL_HTTP01;
    *n = 1;
    return CB_OK;
}

static int is_dir(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static char *path_join(const char *a, const char *b)
{
    char *s = NULL;
    size_t len = strlen(a);

    if (asprintf(&s, "%s%s%s", a, (len && a[len - 1] == '/') ? "" : "/",
                 b) < 0)
        return NULL;
    return s;
}

/* ------------------------------------------------------------ the map */

static int load_map(struct webroot *w)
{
    const char *text = w->host->opt_str(w->h, "map");
    json_error_t jerr;

    json_decref(w->map);
    w->map = NULL;
    if (text && text[0]) {
        w->map = json_loads(text, 0, &jerr);
        if (!w->map || !json_is_object(w->map))
            return w->host->fail(w->h, CB_ERR_PLUGIN,
                                 "--webroot-map is not a JSON object: %s",
                                 text);
    } else {
        w->map = json_object();
        if (!w->map)
            return CB_ERR_NOMEM;
    }
    return CB_OK;
}

static const char *map_get(const struct webroot *w, const char *ident)
{
    return json_string_value(json_object_get(w->map, ident));
}

static int map_set(struct webroot *w, const char *ident, const char *path)
{
    return json_object_set_new(w->map, ident, json_string(path)) == 0
               ? CB_OK
               : CB_ERR_NOMEM;
}

/* Ask for a directory until we get one (or the user cancels). */
static int prompt_new_webroot(struct webroot *w, const char *ident,
                              char **out)
{
    char q[512];
    int r = CB_ERR_PLUGIN;

    snprintf(q, sizeof(q), "Input the webroot for %s:", ident);
    for (int i = 0; i < MAX_PROMPTS; i++) {
        const char *ans = NULL;
        char *abs = NULL;

        /* No flag named: Certbot's prompt does not name one either. */
        r = w->host->input(w->h, q, NULL, &ans);
        if (r == CB_ERR_CANCELLED)
            return w->host->fail(w->h, CB_ERR_PLUGIN,
                                 "Every requested domain must have a "
                                 "webroot when using the webroot plugin.");
        if (r != CB_OK)
            return r;
        if (ans[0] == '/') {
            abs = strdup(ans);
        } else {
            char cwd[4096];

            if (getcwd(cwd, sizeof(cwd)))
                abs = path_join(cwd, ans);
        }
        if (!abs)
            return CB_ERR_NOMEM;
        if (is_dir(abs)) {
            *out = abs;
            return CB_OK;
        }
        w->host->log(w->h, CB_LOG_WARNING, "%s does not exist or is not a "
                     "directory", abs);
        free(abs);
    }
    return w->host->fail(w->h, CB_ERR_PLUGIN,
                         "Every requested domain must have a webroot when "
                         "using the webroot plugin.");
}

/* Certbot's _prompt_for_webroot: a menu of the webroots seen so far (if
 * any) with "Enter a new webroot" first, else a free-text path. */
static int prompt_webroot(struct webroot *w, const char *ident,
                          json_t *known, char **out)
{
    const char **items = NULL;
    size_t n = json_array_size(known), choice = 0;
    char q[512];
    int r;

    *out = NULL;
    if (n == 0)
        return prompt_new_webroot(w, ident, out);
    items = calloc(n + 1, sizeof(*items));
    if (!items)
        return CB_ERR_NOMEM;
    items[0] = "Enter a new webroot";
    for (size_t i = 0; i < n; i++)
        items[i + 1] = json_string_value(json_array_get(known, i));
    snprintf(q, sizeof(q), "Select the webroot for %s:", ident);
    r = w->host->menu(w->h, q, items, n + 1, "--webroot-path", &choice);
    if (r == CB_ERR_CANCELLED)
        r = w->host->fail(w->h, CB_ERR_PLUGIN,
                          "Every requested domain must have a webroot when "
                          "using the webroot plugin.");
    else if (r == CB_OK && choice == 0)
        r = prompt_new_webroot(w, ident, out);
    else if (r == CB_OK)
        *out = strdup(items[choice]);
    if (r == CB_OK && !*out)
        r = CB_ERR_NOMEM;
    free(items);
    return r;
}

/* Move path to the front of known (most recent first). */
static int remember(json_t *known, const char *path)
{
    for (size_t i = 0; i < json_array_size(known); i++) {
        if (strcmp(json_string_value(json_array_get(known, i)), path) == 0) {
            json_array_remove(known, i);
            break;
        }
    }
    return json_array_insert_new(known, 0, json_string(path)) == 0
               ? CB_OK
               : CB_ERR_NOMEM;
}

/* Every challenged identifier gets a webroot: the last -w, or a prompt. */
static int complete_map(struct webroot *w, const struct cb_challenge *const *c,
                        size_t n)
{
    const char *const *paths = w->host->opt_list(w->h, "path");
    size_t np = 0, before = json_object_size(w->map);
    json_t *known = NULL;
    const char *key;
    json_t *val;
    char *dump = NULL;
    int r = CB_OK;

    while (paths && paths[np])
        np++;
    if (np) {
        w->host->log(w->h, CB_LOG_INFO, "Using the webroot path %s for all "
                     "unmatched domains.", paths[np - 1]);
        for (size_t i = 0; r == CB_OK && i < n; i++)
            if (!map_get(w, c[i]->identifier))
                r = map_set(w, c[i]->identifier, paths[np - 1]);
    } else {
        known = json_array();
        if (!known)
            return CB_ERR_NOMEM;
        json_object_foreach(w->map, key, val) {
            int seen = 0;

            for (size_t i = 0; i < json_array_size(known); i++)
                seen |= json_equal(json_array_get(known, i), val);
            if (!seen && json_array_append(known, val) != 0)
                r = CB_ERR_NOMEM;
        }
        for (size_t i = 0; r == CB_OK && i < n; i++) {
            char *root = NULL;

            if (map_get(w, c[i]->identifier))
                continue;
            r = prompt_webroot(w, c[i]->identifier, known, &root);
            if (r == CB_OK)
                r = remember(known, root);
            if (r == CB_OK)
                r = map_set(w, c[i]->identifier, root);
            free(root);
        }
        json_decref(known);
    }
    if (r != CB_OK)
        return r;
    if (json_object_size(w->map) == before)
        return CB_OK;
    /* Saved like a value the user gave (Certbot updates config.webroot_map
     * in place, and it is written to [[webroot_map]]). */
    dump = json_dumps(w->map, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (!dump)
        return CB_ERR_NOMEM;
    r = w->host->opt_set(w->h, "map", dump);
    free(dump);
    return r;
}

/* ------------------------------------------------------------ files */

static int add_created(struct webroot *w, const char *path)
{
    if (w->ncreated >= MAX_CREATED)
        return w->host->fail(w->h, CB_ERR_PLUGIN,
                             "too many webroot challenge directories");
    w->created[w->ncreated] = strdup(path);
    if (!w->created[w->ncreated])
        return CB_ERR_NOMEM;
    w->ncreated++;
    return CB_OK;
}

/* mkdir dir 0755 owned like the webroot.  Owner/mode are applied through
 * a descriptor opened without following symlinks. */
static int make_dir(struct webroot *w, const char *ident, const char *dir,
                    const struct stat *root_st, int *vanished)
{
    int fd, r;

    if (is_dir(dir))
        return CB_OK;
    if (mkdir(dir, 0755) != 0) {
        /* another certbot sharing this webroot (renew
         * --max-concurrent-renewals) made it just now: it is that one's
         * to remove, as Certbot's EEXIST case */
        if (errno == EEXIST && is_dir(dir))
            return CB_OK;
        /* ... or removed the parent it had made (its cleanup) between
         * our check and this mkdir: the caller starts over */
        if (errno == ENOENT && vanished) {
            *vanished = 1;
            return CB_OK;
        }
        return w->host->fail(w->h, CB_ERR_PLUGIN,
                             "Couldn't create root for %s http-01 challenge "
                             "responses: %s: %s", ident, strerror(errno),
                             dir);
    }
    r = add_created(w, dir);
    if (r != CB_OK)
        return r;
    fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return w->host->fail(w->h, CB_ERR_PLUGIN,
                             "Couldn't create root for %s http-01 challenge "
                             "responses: %s: %s", ident, strerror(errno),
                             dir);
    /* umask may have taken bits away; the webroot's owner may differ. */
    if (fchmod(fd, 0755) != 0)
        r = w->host->fail(w->h, CB_ERR_PLUGIN, "cannot set the mode of %s: "
                          "%s", dir, strerror(errno));
    if (r == CB_OK && fchown(fd, root_st->st_uid, root_st->st_gid) != 0) {
        w->host->log(w->h, CB_LOG_WARNING, "Unable to change owner and uid "
                     "of webroot directory");
        w->host->log(w->h, CB_LOG_DEBUG, "Error was: %s", strerror(errno));
    }
    close(fd);
    return r;
}

#define DIR_ATTEMPTS 3

static int make_challenge_dirs(struct webroot *w)
{
    const char *key;
    json_t *val;
    int r = CB_OK;

    if (json_object_size(w->map) == 0)
        return w->host->fail(w->h, CB_ERR_PLUGIN,
                             "Missing parts of webroot configuration; please "
                             "set --webroot-path and --domains or "
                             "--ip-address. Alternatively you may set "
                             "--webroot-map. Run with --help webroot for "
                             "examples.");
    json_object_foreach(w->map, key, val) {
        const char *root = json_string_value(val);
        char *wk = NULL, *ac = NULL;
        struct stat st;

        if (!root)
            return w->host->fail(w->h, CB_ERR_PLUGIN, "--webroot-map: the "
                                 "webroot of %s is not a string", key);
        if (stat(root, &st) != 0 || !S_ISDIR(st.st_mode))
            return w->host->fail(w->h, CB_ERR_PLUGIN, "%s does not exist or "
                                 "is not a directory", root);
        wk = path_join(root, ".well-known");
        ac = path_join(root, CHALLENGE_SUBDIR);
        w->host->log(w->h, CB_LOG_DEBUG, "Creating root challenges "
                     "validation dir at %s", ac ? ac : "");
        if (!wk || !ac)
            r = CB_ERR_NOMEM;
        /* bounded: a concurrent cleanup can win the race only so often */
        for (int attempt = 0; r == CB_OK && attempt < DIR_ATTEMPTS;
             attempt++) {
            int vanished = 0, *v = attempt + 1 < DIR_ATTEMPTS ? &vanished
                                                               : NULL;

            r = make_dir(w, key, wk, &st, v);
            if (r == CB_OK && !vanished)
                r = make_dir(w, key, ac, &st, v);
            if (!vanished)
                break;
        }
        free(wk);
        free(ac);
        if (r != CB_OK)
            return r;
    }
    return CB_OK;
}

static int write_all(int fd, const char *data, size_t len)
{
    while (len) {
        ssize_t n = write(fd, data, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

/* write_validation's "the challenge dir is gone": a concurrent certbot
 * sharing the webroot removed the directory it had made, between our
 * make_challenge_dirs and the write. */
#define WR_DIR_GONE 1

static int write_validation(struct webroot *w, const struct cb_challenge *c,
                            int may_retry)
{
    const char *root = map_get(w, c->identifier);
    char *dir = NULL, *path = NULL;
    struct written *rec = NULL;
    int fd = -1, r = CB_OK, e;

    if (!root || !c->token || !c->validation || strchr(c->token, '/') ||
        c->token[0] == '.' || !c->token[0])
        return w->host->fail(w->h, CB_ERR_PLUGIN, "bad http-01 challenge "
                             "for %s", c->identifier);
    dir = path_join(root, CHALLENGE_SUBDIR);
    path = dir ? path_join(dir, c->token) : NULL;
    rec = calloc(1, sizeof(*rec));
    if (!path || !rec) {
        r = CB_ERR_NOMEM;
        goto out;
    }
    w->host->log(w->h, CB_LOG_DEBUG, "Attempting to save validation to %s",
                 path);
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
              0644);
    if (fd < 0 && errno == ENOENT && may_retry) {
        r = WR_DIR_GONE;
        goto out;
    }
    if (fd < 0) {
        r = w->host->fail(w->h, CB_ERR_PLUGIN, "Cannot write %s: %s", path,
                          strerror(errno));
        goto out;
    }
    if (fchmod(fd, 0644) != 0 ||
        write_all(fd, c->validation, strlen(c->validation)) != 0) {
        e = errno;
        close(fd);
        fd = -1;
        unlink(path);
        r = w->host->fail(w->h, CB_ERR_PLUGIN, "Cannot write %s: %s", path,
                          strerror(e));
        goto out;
    }
    if (close(fd) != 0) {
        fd = -1;
        unlink(path);
        r = w->host->fail(w->h, CB_ERR_PLUGIN, "Cannot write %s: %s", path,
                          strerror(errno));
        goto out;
    }
    fd = -1;
    rec->path = path;
    path = NULL;
    rec->next = w->files;
    w->files = rec;
    rec = NULL;
out:
    if (fd >= 0)
        close(fd);
    free(rec);
    free(path);
    free(dir);
    return r;
}

static int wr_perform(void *ctx, const struct cb_challenge *const *c,
                      size_t n)
{
    struct webroot *w = ctx;
    int r;

    r = load_map(w);
    if (r == CB_OK)
        r = complete_map(w, c, n);
    if (r == CB_OK)
        r = make_challenge_dirs(w);
    for (size_t i = 0; r == CB_OK && i < n; i++) {
        r = write_validation(w, c[i], 1);
        if (r == WR_DIR_GONE) {
            r = make_challenge_dirs(w);
            if (r == CB_OK)
                r = write_validation(w, c[i], 0);
        }
    }
    return r;
}

static int wr_cleanup(void *ctx, const struct cb_challenge *const *c,
                      size_t n)
{
    struct webroot *w = ctx;
    size_t kept = 0;

    (void)c;
    (void)n;
    /* Only files perform wrote: challenges it never reached are skipped. */
    while (w->files) {
        struct written *next = w->files->next;

        w->host->log(w->h, CB_LOG_DEBUG, "Removing %s", w->files->path);
        if (unlink(w->files->path) != 0 && errno != ENOENT)
            w->host->log(w->h, CB_LOG_WARNING, "Cannot remove %s: %s",
                         w->files->path, strerror(errno));
        free(w->files->path);
        free(w->files);
        w->files = next;
    }
    /* Newest first, so acme-challenge goes before .well-known. */
    for (size_t i = w->ncreated; i-- > 0;) {
        if (rmdir(w->created[i]) == 0) {
            free(w->created[i]);
            w->created[i] = NULL;
            continue;
        }
        w->host->log(w->h, CB_LOG_INFO, "Challenge directory %s was not "
                     "empty, didn't remove", w->created[i]);
        w->host->log(w->h, CB_LOG_DEBUG, "Error was: %s", strerror(errno));
    }
    for (size_t i = 0; i < w->ncreated; i++)
        if (w->created[i])
            w->created[kept++] = w->created[i];
    w->ncreated = kept;
    w->host->log(w->h, CB_LOG_DEBUG, "All challenges cleaned up");
    return CB_OK;
}

static const char *wr_hint(void *ctx, const struct cb_challenge *const *c,
                           size_t n)
{
    (void)ctx;
    (void)c;
    (void)n;
    return HINT;
}

static const struct cb_option wr_options[] = {
    {.name = "path", .type = CB_OPT_LIST, .flags = CB_OPT_PER_DOMAIN,
     .metavar = "WEBROOT_PATH", .short_name = 'w',
     .help = "public_html / webroot path. This can be specified multiple "
             "times to handle different domains; each domain will have the "
             "webroot path that preceded it.  For instance: `-w "
             "/var/www/example -d example.com -d www.example.com -w "
             "/var/www/thing -d thing.net -d m.thing.net` (default: Ask)"},
    {.name = "map", .type = CB_OPT_STRING, .metavar = "WEBROOT_MAP",
     .default_value = "{}",
     .help = "JSON dictionary mapping domains to webroot paths; this "
             "implies -d for each entry. You may need to escape this from "
             "your shell. E.g.: --webroot-map "
             "'{\"eg1.is,m.eg1.is\":\"/www/eg1/\", \"eg2.is\":\"/www/eg2\"}' "
             "This option is merged with, but takes precedence over, -w / "
             "-d entries. At present, if you put webroot-map in a config "
             "file, it needs to be on a single line, like: webroot-map = "
             "{\"example.com\":\"/var/www\"}."},
    CB_OPTION_END
};

static const struct cb_authenticator wr_auth = {
    .struct_size = sizeof(struct cb_authenticator),
    .prepare = wr_prepare,
    .get_chall_pref = wr_chall_pref,
    .perform = wr_perform,
    .cleanup = wr_cleanup,
    .auth_hint = wr_hint,
};

CB_PLUGIN_DEFINE(.name = "webroot", .version = "5.6.0",
                 .description = DESCRIPTION, .more_info = MORE_INFO,
                 .options = wr_options, .create = wr_create,
                 .destroy = wr_destroy, .authenticator = &wr_auth);
