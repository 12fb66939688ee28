/* Certificate lineages: archive/, live/ and renewal/<name>.conf, laid out
 * and switched over the way Certbot's storage.py does (SPEC 3.1, 3.2). */
#define LOG_COMPONENT "certbot._internal.storage"

#include "config.h"

#include "storage/lineage.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "storage/fsutil.h"
#include "util/log.h"

static const char *const kind_name[LK_N] = {
    "cert", "privkey", "chain", "fullchain",
};

/* The README Certbot writes into live/ (prefix "[cert name]/") and into
 * every live/<name>/ (no prefix). */
static char *readme_text(const char *prefix)
{
    char *t = NULL;

    if (asprintf(&t,
                 "This directory contains your keys and certificates.\n\n"
                 "`%sprivkey.pem`  : the private key for your certificate.\n"
                 "`%sfullchain.pem`: the certificate file used in most "
                 "server software.\n"
                 "`%schain.pem`    : used for OCSP stapling in Nginx "
                 ">=1.3.7.\n"
                 "`%scert.pem`     : will break many server configurations, "
                 "and should not be used\n"
                 "                 without reading further documentation "
                 "(see link below).\n\n"
                 "WARNING: DO NOT MOVE OR RENAME THESE FILES!\n"
                 "         Certbot expects these files to remain in this "
                 "location in order\n"
                 "         to function properly!\n\n"
                 "We recommend not moving these files. For more information, "
                 "see the Certbot\n"
                 "User Guide at https://certbot.eff.org/docs/using.html"
                 "#where-are-my-certificates.\n",
                 prefix, prefix, prefix, prefix) < 0)
        return NULL;
    return t;
}

/* ---- small path helpers -------------------------------------------------- */

static int os_err(struct cb_err *err, int errnum, const char *path)
{
    return cb_err_set(err, errnum == ENOMEM ? CB_ERR_NOMEM : CB_ERR_IO,
                      "[Errno %d] %s: '%s'", errnum, strerror(errnum), path);
}

static int nomem(struct cb_err *err)
{
    return cb_err_set(err, CB_ERR_NOMEM, "out of memory");
}

/* Lookups go through fs_lstat & co., relative to the config dir when
 * they are under it (fsutil.h: fewer path components per call). */
static int lexists(const char *p)
{
    struct stat st;

    return fs_lstat(p, &st) == 0;
}

static int exists(const char *p)
{
    struct stat st;

    return fs_stat(p, &st) == 0;
}

static int is_symlink(const char *p)
{
    struct stat st;

    return fs_lstat(p, &st) == 0 && S_ISLNK(st.st_mode);
}

static char *dirname_of(const char *p)
{
    const char *s = strrchr(p, '/');

    if (!s)
        return strdup(".");
    if (s == p)
        return strdup("/");
    return strndup(p, (size_t)(s - p));
}

static const char *basename_of(const char *p)
{
    const char *s = strrchr(p, '/');

    return s ? s + 1 : p;
}

/* The link text (caller frees) or NULL. */
static char *read_link(const char *link)
{
    char buf[PATH_MAX];
    ssize_t n = fs_readlink(link, buf, sizeof(buf) - 1);

    if (n < 0)
        return NULL;
    buf[n] = '\0';
    return strdup(buf);
}

/* a + b + c in one allocation (NULL on ENOMEM): path building run for
 * every link of every lineage, where asprintf's formatting showed. */
static char *concat3(const char *a, size_t al, const char *b, const char *c)
{
    size_t bl = strlen(b), cl = strlen(c);
    char *p = malloc(al + bl + cl + 1);

    if (!p)
        return NULL;
    memcpy(p, a, al);
    memcpy(p + al, b, bl);
    memcpy(p + al + bl, c, cl + 1);
    return p;
}

/* Absolute, lexically normalised target of link (Certbot's
 * get_link_target); NULL when link is not a symlink (errno from
 * readlink) or on ENOMEM. */
static char *link_target(const char *link)
{
    char text[PATH_MAX], *joined, *abs;
    const char *slash;
    ssize_t n = fs_readlink(link, text, sizeof(text) - 1);

    if (n < 0)
        return NULL;
    text[n] = '\0';
    if (text[0] == '/')
        return fs_abspath(text);
    /* relative to the link's directory (dirname_of's "." and "/") */
    slash = strrchr(link, '/');
    if (!slash)
        joined = concat3("./", 2, "", text);
    else if (slash == link)
        joined = concat3("/", 1, "", text);
    else
        joined = concat3(link, (size_t)(slash - link), "/", text);
    abs = joined ? fs_abspath(joined) : NULL;
    free(joined);
    return abs;
}

/* "<kind><N>.pem" -> N, else -1. */
static int parse_version(const char *base, const char *kind)
{
    size_t kl = strlen(kind);
    const char *p;
    long v = 0;

    if (strncmp(base, kind, kl) != 0)
        return -1;
    p = base + kl;
    if (*p < '0' || *p > '9')
        return -1;
    while (*p >= '0' && *p <= '9') {
        v = v * 10 + (*p - '0');
        if (v > INT_MAX / 10)
            return -1;
        p++;
    }
    return strcmp(p, ".pem") == 0 ? (int)v : -1;
}

static void fsync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

/* Point link at text atomically: a temporary symlink renamed over it. */
static int replace_symlink(const char *text, const char *link,
                           struct cb_err *err)
{
    char *dir = dirname_of(link), *tmp = NULL;
    int r = CB_OK;

    if (!dir)
        return nomem(err);
    for (int attempt = 0;; attempt++) {
        free(tmp);
        tmp = NULL;
        if (asprintf(&tmp, "%s/.%s.%ld.%d.tmp", dir, basename_of(link),
                     (long)getpid(), attempt) < 0) {
            tmp = NULL;
            r = nomem(err);
            goto out;
        }
        if (symlink(text, tmp) == 0)
            break;
        if (errno != EEXIST || attempt > 100) {
            r = os_err(err, errno, tmp);
            free(tmp);
            tmp = NULL;
            goto out;
        }
    }
    if (rename(tmp, link) < 0) {
        r = os_err(err, errno, link);
        unlink(tmp);
        goto out;
    }
out:
    free(tmp);
    free(dir);
    return r;
}

/* ---- versions ------------------------------------------------------------ */

struct versions {
    int *v[LK_N];
    unsigned char *reg[LK_N];   /* 1: the listing says a regular file */
    size_t n[LK_N];
};

static void versions_free(struct versions *vs)
{
    for (int k = 0; k < LK_N; k++) {
        free(vs->v[k]);
        free(vs->reg[k]);
    }
    memset(vs, 0, sizeof(*vs));
}

static int has_version(const struct versions *vs, int k, int v)
{
    for (size_t i = 0; i < vs->n[k]; i++)
        if (vs->v[k][i] == v)
            return 1;
    return 0;
}

static int add_version(struct versions *vs, size_t *cap, int k, int v,
                       int reg)
{
    if (vs->n[k] == cap[k]) {
        size_t nc = cap[k] ? cap[k] * 2 : 16;
        int *nv = realloc(vs->v[k], nc * sizeof(*nv));
        unsigned char *nr = nv ? realloc(vs->reg[k], nc) : NULL;

        if (nv)
            vs->v[k] = nv;
        if (!nr)
            return CB_ERR_NOMEM;
        vs->reg[k] = nr;
        cap[k] = nc;
    }
    vs->reg[k][vs->n[k]] = (unsigned char)reg;
    vs->v[k][vs->n[k]++] = v;
    return CB_OK;
}

struct scan {
    struct versions *vs;
    size_t cap[LK_N];
    int oom;
};

static int scan_entry(void *arg, const char *name, unsigned char type)
{
    struct scan *sc = arg;

    for (int k = 0; k < LK_N; k++) {
        int v = parse_version(name, kind_name[k]);

        if (v < 0)
            continue;
#ifdef DT_REG
        sc->oom = add_version(sc->vs, sc->cap, k, v, type == DT_REG) < 0;
#else
        sc->oom = add_version(sc->vs, sc->cap, k, v, 0) < 0;
#endif
        return sc->oom;
    }
    return 0;
}

/* Every <kind><N>.pem name in the archive dir (links included, like
 * Certbot's os.listdir).  0 or CB_ERR_NOMEM; a missing or unreadable dir
 * is empty. */
static int scan_versions(const char *archive, struct versions *vs)
{
    struct scan sc = {vs, {0}, 0};

    memset(vs, 0, sizeof(*vs));
    fs_list_dir(archive, scan_entry, &sc);
    if (sc.oom) {
        versions_free(vs);
        return CB_ERR_NOMEM;
    }
    return CB_OK;
}

static int latest_common(const struct versions *vs)
{
    int best = -1;

    for (size_t i = 0; i < vs->n[LK_CERT]; i++) {
        int v = vs->v[LK_CERT][i], all = 1;
        for (int k = 1; k < LK_N && all; k++)
            all = has_version(vs, k, v);
        if (all && v > best)
            best = v;
    }
    return best;
}

/* ---- what load read of live/ and archive/ --------------------------------
 *
 * Load, ensure_deployed and renew's decision ask the same questions of a
 * lineage several times (where do the links point, do the targets exist,
 * which versions are in the archive).  Python Certbot asks the file system
 * each time; the answers cannot change in between unless this process
 * changes the lineage, so they are read once and kept here.  Every
 * function that changes links or archive files drops them (cache_drop)
 * before and after, so it works on fresh data and so does whatever asks
 * next. */

struct link_info {
    char *target;       /* absolute lexical target; NULL: not a symlink */
    int errnum;         /* readlink's errno when target is NULL */
    int exists;         /* does target exist: -1 not asked yet */
};

struct lineage_cache {
    int have_links;
    struct link_info link[LK_N];
    int listed;                 /* vs holds the archive listing */
    int list_failed;            /* ENOMEM while listing */
    char *archive_abs;          /* fs_abspath(archive_dir) */
    struct versions vs;
};

static void cache_drop(const struct lineage *l)
{
    struct lineage_cache *c = l ? l->cache : NULL;

    if (!c)
        return;
    for (int k = 0; k < LK_N; k++)
        free(c->link[k].target);
    versions_free(&c->vs);
    free(c->archive_abs);
    memset(c, 0, sizeof(*c));
}

/* Target of link with readlink's errno (0 on success or ENOMEM). */
static char *link_target_errno(const char *link, int *errnum)
{
    char *t;

    errno = 0;
    t = link_target(link);
    *errnum = t ? 0 : errno;
    return t;
}

static void cache_links(const struct lineage *l)
{
    struct lineage_cache *c = l->cache;

    if (c->have_links)
        return;
    for (int k = 0; k < LK_N; k++) {
        c->link[k].target = link_target_errno(l->path[k], &c->link[k].errnum);
        c->link[k].exists = -1;
    }
    c->have_links = 1;
}

static const struct versions *cache_versions(const struct lineage *l)
{
    struct lineage_cache *c = l->cache;

    if (!c->listed && !c->list_failed) {
        if (scan_versions(l->archive_dir, &c->vs) < 0)
            c->list_failed = 1;
        else
            c->listed = 1;
    }
    return c->listed ? &c->vs : NULL;
}

/* Does live/<kind>'s target exist?  A certificate file the archive
 * listing shows as a regular file does (the listing and the target name
 * the same directory); anything else (a link, another directory, no
 * listing) is asked of stat(), as Certbot's os.path.exists does. */
static int target_exists(const struct lineage *l, int k)
{
    struct lineage_cache *c = l->cache;
    struct link_info *li = &c->link[k];
    const char *base;
    size_t dl;
    int v;

    if (!li->target)
        return 0;
    if (li->exists >= 0)
        return li->exists;
    li->exists = -1;
    base = basename_of(li->target);
    dl = (size_t)(base - li->target);
    if (c->listed && !c->archive_abs)
        c->archive_abs = fs_abspath(l->archive_dir);
    v = parse_version(base, kind_name[k]);
    if (c->listed && c->archive_abs && v >= 0 && dl > 1 &&
        strlen(c->archive_abs) == dl - 1 &&
        strncmp(c->archive_abs, li->target, dl - 1) == 0) {
        for (size_t i = 0; i < c->vs.n[k]; i++)
            if (c->vs.v[k][i] == v && c->vs.reg[k][i]) {
                li->exists = 1;
                break;
            }
    }
    if (li->exists < 0)
        li->exists = exists(li->target);
    return li->exists;
}

int lineage_current_version(const struct lineage *l, enum lineage_kind kind)
{
    char *target;
    int v = -1;

    if (!l || kind < 0 || kind >= LK_N || !l->path[kind])
        return -1;
    if (l->cache) {
        cache_links(l);
        target = l->cache->link[kind].target;
        if (target && target_exists(l, kind))
            v = parse_version(basename_of(target), kind_name[kind]);
        return v;
    }
    target = link_target(l->path[kind]);
    if (target && exists(target))
        v = parse_version(basename_of(target), kind_name[kind]);
    free(target);
    return v;
}

int lineage_live_is_version(const struct lineage *l, enum lineage_kind kind,
                            int version)
{
    char *target, *want, *abs;
    int same;

    if (!l || kind < 0 || kind >= LK_N || !l->path[kind] || version < 0)
        return 0;
    if (l->cache) {
        cache_links(l);
        target = l->cache->link[kind].target;
    } else {
        target = link_target(l->path[kind]);
    }
    want = lineage_version_path(l, kind, version);
    abs = want ? fs_abspath(want) : NULL;
    same = target && abs && strcmp(target, abs) == 0;
    if (!l->cache)
        free(target);
    free(want);
    free(abs);
    return same;
}

int lineage_latest_common_version(const struct lineage *l)
{
    struct versions vs;
    int v;

    if (!l)
        return -1;
    if (l->cache) {
        const struct versions *cv = cache_versions(l);
        return cv ? latest_common(cv) : -1;
    }
    if (scan_versions(l->archive_dir, &vs) < 0)
        return -1;
    v = latest_common(&vs);
    versions_free(&vs);
    return v;
}

static int next_free(const struct versions *vs)
{
    int best = 0;

    /* over every kind, so a stray partial version is never overwritten */
    for (int k = 0; k < LK_N; k++)
        for (size_t i = 0; i < vs->n[k]; i++)
            if (vs->v[k][i] > best)
                best = vs->v[k][i];
    return best + 1;
}

int lineage_next_free_version(const struct lineage *l)
{
    struct versions vs;
    int best;

    if (!l)
        return -1;
    if (l->cache) {
        const struct versions *cv = cache_versions(l);
        return cv ? next_free(cv) : -1;
    }
    if (scan_versions(l->archive_dir, &vs) < 0)
        return -1;
    best = next_free(&vs);
    versions_free(&vs);
    return best;
}

char *lineage_version_path(const struct lineage *l, enum lineage_kind kind,
                           int version)
{
    char *p = NULL;

    if (!l || kind < 0 || kind >= LK_N)
        return NULL;
    if (asprintf(&p, "%s/%s%d.pem", l->archive_dir, kind_name[kind],
                 version) < 0)
        return NULL;
    return p;
}

/* ---- live links ---------------------------------------------------------- */

static char *previous_link(const struct lineage *l, int k)
{
    static const char *const prev_name[LK_N] = {
        "previous_cert.pem", "previous_privkey.pem", "previous_chain.pem",
        "previous_fullchain.pem",
    };
    const char *path = l->path[k], *slash = strrchr(path, '/');

    /* "<dirname_of(path)>/previous_<kind>.pem", byte for byte */
    if (!slash)
        return concat3("./", 2, "", prev_name[k]);
    if (slash == path)
        return concat3("//", 2, "", prev_name[k]);
    return concat3(path, (size_t)(slash - path), "/", prev_name[k]);
}

/* Certbot's _fix_symlinks: a complete set of previous_* links means an
 * update was interrupted; put the live links back, then drop them. */
static int fix_symlinks(struct lineage *l, struct cb_err *err)
{
    char *prev[LK_N] = { 0 };
    int all = 1, any = 0, r = CB_OK;

    for (int k = 0; k < LK_N; k++) {
        prev[k] = previous_link(l, k);
        if (!prev[k]) {
            r = nomem(err);
            goto out;
        }
        any = any || lexists(prev[k]);
    }
    /* The usual case, no leftovers at all: 4 lstat() and done.  When
     * none lexists, none exists either, so Certbot's all(exists) is
     * false and there is nothing to unlink. */
    if (!any)
        goto out;
    cache_drop(l);
    for (int k = 0; k < LK_N; k++)
        all = all && exists(prev[k]);
    if (all) {
        log_debug("Restoring the live links of %s from previous_*.pem",
                  l->name);
        for (int k = 0; k < LK_N; k++) {
            char *text = read_link(prev[k]);
            if (!text) {
                r = os_err(err, errno, prev[k]);
                goto out;
            }
            r = replace_symlink(text, l->path[k], err);
            free(text);
            if (r < 0)
                goto out;
        }
    }
    for (int k = 0; k < LK_N; k++)
        if (lexists(prev[k]) && unlink(prev[k]) < 0) {
            r = os_err(err, errno, prev[k]);
            goto out;
        }
out:
    for (int k = 0; k < LK_N; k++)
        free(prev[k]);
    return r;
}

/* Certbot's update_all_links_to, made atomic per link: previous_* links
 * record the old state first, so a crash anywhere is repaired on the next
 * load (fix_symlinks). */
static int update_all_links_to(struct lineage *l, int version,
                               struct cb_err *err)
{
    char *prev[LK_N] = { 0 }, *old[LK_N] = { 0 };
    int switched = 0, r = CB_OK;

    cache_drop(l);
    for (int k = 0; k < LK_N; k++) {
        prev[k] = previous_link(l, k);
        old[k] = read_link(l->path[k]);
        if (!prev[k]) {
            r = nomem(err);
            goto out;
        }
        if (!old[k]) {
            r = cb_err_set(err, CB_ERR_CONFIG, "Target %s does not exist!",
                           kind_name[k]);
            goto out;
        }
    }
    for (int k = 0; k < LK_N; k++) {
        if (lexists(prev[k]))
            unlink(prev[k]);
        if (symlink(old[k], prev[k]) < 0) {
            r = os_err(err, errno, prev[k]);
            goto out;
        }
    }
    switched = 1;
    for (int k = 0; k < LK_N; k++) {
        /* keep the link's (relative) directory, change the file name */
        const char *slash = strrchr(old[k], '/');
        char *text = NULL;
        int n = slash ? (int)(slash - old[k] + 1) : 0;
        if (asprintf(&text, "%.*s%s%d.pem", n, old[k], kind_name[k],
                     version) < 0) {
            r = nomem(err);
            goto out;
        }
        r = replace_symlink(text, l->path[k], err);
        free(text);
        if (r < 0)
            goto out;
    }
    for (int k = 0; k < LK_N; k++)
        unlink(prev[k]);
    switched = 0;
    {
        char *dir = dirname_of(l->path[LK_CERT]);
        if (dir)
            fsync_dir(dir);
        free(dir);
    }
out:
    if (r < 0 && switched) {
        /* put everything back the way it was (Certbot's ErrorHandler) */
        for (int k = 0; k < LK_N; k++)
            replace_symlink(old[k], l->path[k], NULL);
        for (int k = 0; k < LK_N; k++)
            unlink(prev[k]);
    } else if (r < 0) {
        for (int k = 0; k < LK_N; k++)
            if (prev[k] && is_symlink(prev[k]) && old[k]) {
                char *t = read_link(prev[k]);
                if (t && strcmp(t, old[k]) == 0)
                    unlink(prev[k]);
                free(t);
            }
    }
    for (int k = 0; k < LK_N; k++) {
        free(prev[k]);
        free(old[k]);
    }
    cache_drop(l);
    return r;
}

/* Certbot's ensure_deployed: a complete archive version newer than what
 * live points to (e.g. a crash after writing it) gets linked. */
int lineage_ensure_deployed(struct lineage *l, struct cb_err *err)
{
    int smallest = INT_MAX, latest, r;

    for (int k = 0; k < LK_N; k++) {
        int v = lineage_current_version(l, k);
        if (v < 0) {
            log_debug("%s is not a numbered archive file; not checking for "
                      "pending deployment", l->path[k]);
            return CB_OK;
        }
        if (v < smallest)
            smallest = v;
    }
    latest = lineage_latest_common_version(l);
    if (smallest >= latest)
        return CB_OK;
    log_warning("Found a new certificate /archive/ that was not linked to "
                "in /live/; fixing...");
    r = update_all_links_to(l, latest, err);
    return r < 0 ? r : 1;
}

/* ---- load ---------------------------------------------------------------- */

void lineage_free(struct lineage *l)
{
    if (!l)
        return;
    free(l->name);
    free(l->config_dir);
    free(l->archive_dir);
    free(l->live_dir);
    for (int k = 0; k < LK_N; k++)
        free(l->path[k]);
    renewal_conf_free(l->conf);
    cache_drop(l);
    free(l->cache);
    free(l);
}

/* Compare dotted versions numerically ("5.10.0" > "5.6.0"), roughly
 * Certbot's parse_loose_version. */
static int version_newer(const char *a, const char *b)
{
    for (int i = 0; i < 16; i++) {
        char *ea, *eb;
        long x = strtol(a, &ea, 10), y = strtol(b, &eb, 10);
        if (x != y)
            return x > y;
        if (*ea != '.' && *eb != '.')
            return 0;
        a = *ea == '.' ? ea + 1 : ea;
        b = *eb == '.' ? eb + 1 : eb;
    }
    return 0;
}

int lineage_load(const char *conf_path, const char *config_dir,
                 struct lineage **out, struct cb_err *err)
{
    return lineage_load_ex(conf_path, config_dir, 0, out, err);
}

int lineage_load_ex(const char *conf_path, const char *config_dir,
                    unsigned flags, struct lineage **out, struct cb_err *err)
{
    struct lineage *l = NULL;
    const char *v;
    size_t n;
    int r;

    *out = NULL;
    n = strlen(conf_path);
    if (n < 5 || strcmp(conf_path + n - 5, ".conf") != 0)
        return cb_err_set(err, CB_ERR_CONFIG,
                          "renewal config file name must end in .conf");
    l = calloc(1, sizeof(*l));
    if (!l)
        return nomem(err);
    r = renewal_conf_load(conf_path, &l->conf, err);
    if (r < 0) {
        if (r != CB_ERR_NOMEM) {
            r = CB_ERR_CONFIG;
            if (err)
                err->code = r;
        }
        goto out;
    }
    l->name = strdup(l->conf->name);
    l->config_dir = fs_abspath(config_dir);
    if (!l->name || !l->config_dir) {
        r = nomem(err);
        goto out;
    }
    for (int k = 0; k < LK_N; k++) {
        v = renewal_conf_get(l->conf, kind_name[k]);
        if (!v) {
            r = cb_err_set(err, CB_ERR_CONFIG,
                           "renewal config file %s is missing a required "
                           "file reference", l->conf->path);
            goto out;
        }
        l->path[k] = strdup(v);
        if (!l->path[k]) {
            r = nomem(err);
            goto out;
        }
    }
    v = renewal_conf_get(l->conf, "version");
    if (v && version_newer(v, PACKAGE_VERSION))
        log_info("Attempting to parse the version %s renewal configuration "
                 "file found at %s with version %s of Certbot. This might "
                 "not work.", v, l->conf->path, PACKAGE_VERSION);
    v = renewal_conf_get(l->conf, "archive_dir");
    if (v)
        l->archive_dir = strdup(v);
    else if (asprintf(&l->archive_dir, "%s/archive/%s", l->config_dir,
                      l->name) < 0)
        l->archive_dir = NULL;
    l->live_dir = dirname_of(l->path[LK_CERT]);
    if (!l->archive_dir || !l->live_dir) {
        r = nomem(err);
        goto out;
    }

    l->cache = calloc(1, sizeof(*l->cache));
    if (!l->cache) {
        r = nomem(err);
        goto out;
    }
    r = fix_symlinks(l, err);
    if (r < 0)
        goto out;
    /* renew asks for the archive versions next (ensure_deployed, the
     * decision): list them now and the listing answers the existence
     * of the four targets too */
    if (!(flags & LINEAGE_LOAD_NO_DEPLOY))
        cache_versions(l);
    cache_links(l);
    for (int k = 0; k < LK_N; k++) {
        const struct link_info *li = &l->cache->link[k];
        /* readlink alone: EINVAL (not a link) and ENOENT/ENOTDIR (no
         * such file) are what lstat's "not a symlink" means; any other
         * failure asks lstat */
        int not_link = !li->target &&
                       (li->errnum == EINVAL || li->errnum == ENOENT ||
                        li->errnum == ENOTDIR || !is_symlink(l->path[k]));
        if (not_link) {
            r = cb_err_set(err, CB_ERR_CONFIG, "expected %s to be a symlink",
                           l->path[k]);
            goto out;
        }
        if (!target_exists(l, k)) {
            r = cb_err_set(err, CB_ERR_CONFIG,
                           "target %s of symlink %s does not exist",
                           li->target ? li->target : "?", l->path[k]);
            goto out;
        }
    }
    if (!(flags & LINEAGE_LOAD_NO_DEPLOY)) {
        r = lineage_ensure_deployed(l, err);
        if (r < 0)
            goto out;
        r = CB_OK;
    }
    *out = l;
    l = NULL;
out:
    lineage_free(l);
    return r;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* glob("*.conf"): no hidden files, so our temp files never show.
 * Stops (1) only when out of memory. */
static int conf_entry(void *arg, const char *name, unsigned char type)
{
    size_t n = strlen(name);

    (void)type;
    if (name[0] == '.' || n < 5 || strcmp(name + n - 5, ".conf") != 0)
        return 0;
    return strvec_push(arg, name) < 0;
}

int lineage_list_confs(const char *config_dir, struct strvec *out,
                       struct cb_err *err)
{
    char *abs = fs_abspath(config_dir), *dir = NULL;
    struct strvec names = { 0 };
    int r = CB_OK;

    if (!abs || asprintf(&dir, "%s/renewal", abs) < 0) {
        dir = NULL;
        r = nomem(err);
        goto out;
    }
    r = fs_list_dir(dir, conf_entry, &names);
    if (r > 0) {
        r = nomem(err);
        goto out;
    }
    if (r < 0) {
        r = errno == ENOENT ? CB_OK : os_err(err, errno, dir);
        goto out;
    }
    if (names.n > 1)
        qsort(names.v, names.n, sizeof(*names.v), cmp_str);
    for (size_t i = 0; i < names.n; i++)
        if (strvec_pushf(out, "%s/%s", dir, names.v[i]) < 0) {
            r = nomem(err);
            goto out;
        }
out:
    free(abs);
    free(dir);
    strvec_clear(&names);
    return r;
}

char *lineage_conf_path(const char *config_dir, const char *name)
{
    char *abs = fs_abspath(config_dir), *p = NULL;

    if (abs && asprintf(&p, "%s/renewal/%s.conf", abs, name) < 0)
        p = NULL;
    free(abs);
    return p;
}

/* ---- create -------------------------------------------------------------- */

/* What a failed creation must take back, newest first. */
struct undo {
    struct strvec files;
    struct strvec dirs;
};

static void undo_run(struct undo *u)
{
    for (size_t i = u->files.n; i-- > 0;)
        unlink(u->files.v[i]);
    for (size_t i = u->dirs.n; i-- > 0;)
        rmdir(u->dirs.v[i]);
    strvec_clear(&u->files);
    strvec_clear(&u->dirs);
}

static void undo_forget(struct undo *u)
{
    strvec_clear(&u->files);
    strvec_clear(&u->dirs);
}

/* mkdir with exactly mode; 1 created, 0 already there, <0 error. */
static int make_dir(const char *path, mode_t mode, struct undo *u,
                    struct cb_err *err)
{
    if (mkdir(path, mode) < 0) {
        if (errno == EEXIST && exists(path))
            return 0;
        return os_err(err, errno, path);
    }
    if (strvec_push(&u->dirs, path) < 0)
        return nomem(err);
    if (chmod(path, mode) < 0)
        return os_err(err, errno, path);
    return 1;
}

static int write_tracked(const char *path, const void *data, size_t len,
                         mode_t mode, struct undo *u, struct cb_err *err)
{
    int r = fs_write_new(path, data, len, mode, err);

    if (r == CB_OK && strvec_push(&u->files, path) < 0)
        r = nomem(err);
    return r;
}

struct new_lineage {
    const char *cfg;
    const char *cert, *chain, *fullchain, *key;
    size_t key_len;
    const char *version;
    const struct co_section *params; /* copied into [renewalparams]; may be NULL */
};

/* The conf for a new lineage: Certbot 5.6's layout, an empty
 * [renewalparams] for the caller to fill. */
static struct renewal_conf *new_conf(const char *path, const char *version,
                                     const char *archive,
                                     char *const live[LK_N])
{
    struct renewal_conf *rc = renewal_conf_new(path);
    int r;

    if (!rc)
        return NULL;
    r = renewal_conf_set(rc, "version", version);
    if (r == CB_OK)
        r = renewal_conf_set(rc, "archive_dir", archive);
    for (int k = 0; k < LK_N && r == CB_OK; k++)
        r = renewal_conf_set(rc, kind_name[k], live[k]);
    if (r == CB_OK && !renewal_conf_params(rc, 1))
        r = CB_ERR_NOMEM;
    if (r < 0) {
        renewal_conf_free(rc);
        return NULL;
    }
    return rc;
}

/* Publish text as path without ever replacing an existing file: a temp
 * file hard-linked into place.  CB_ERR_EXISTS when path is taken. */
static int publish_new(const char *dir, const char *path, const char *text,
                       mode_t mode, struct cb_err *err)
{
    char *tmp = NULL;
    int r;

    if (asprintf(&tmp, "%s/.%s.XXXXXX", dir, basename_of(path)) < 0)
        return nomem(err);
    {
        int fd = mkostemp(tmp, O_CLOEXEC);
        if (fd < 0) {
            r = os_err(err, errno, tmp);
            goto out;
        }
        close(fd);
        unlink(tmp);
    }
    r = fs_write_new(tmp, text, strlen(text), mode, err);
    if (r < 0)
        goto out;
    if (link(tmp, path) < 0) {
        r = errno == EEXIST ? CB_ERR_EXISTS : os_err(err, errno, path);
        unlink(tmp);
        goto out;
    }
    unlink(tmp);
    fsync_dir(dir);
out:
    free(tmp);
    return r;
}

/* Build lineage n; CB_ERR_EXISTS means "taken, try the next name" and
 * leaves nothing behind, as does any other failure. */
static int create_at(const struct new_lineage *nl, const char *n,
                     struct lineage **out, struct cb_err *err)
{
    struct undo u = { 0 };
    struct lineage *l = NULL;
    char *conf_path = NULL, *renewal = NULL, *text = NULL, *readme = NULL;
    char *arch[LK_N] = { 0 };
    const char *data[LK_N];
    size_t len[LK_N];
    int r;

    data[LK_CERT] = nl->cert;
    data[LK_PRIVKEY] = nl->key;
    data[LK_CHAIN] = nl->chain;
    data[LK_FULLCHAIN] = nl->fullchain;
    len[LK_CERT] = strlen(nl->cert);
    len[LK_PRIVKEY] = nl->key_len;
    len[LK_CHAIN] = strlen(nl->chain);
    len[LK_FULLCHAIN] = strlen(nl->fullchain);

    l = calloc(1, sizeof(*l));
    if (l) {
        l->name = strdup(n);
        l->config_dir = strdup(nl->cfg);
    }
    if (!l || !l->name || !l->config_dir ||
        asprintf(&l->archive_dir, "%s/archive/%s", nl->cfg, n) < 0 ||
        asprintf(&l->live_dir, "%s/live/%s", nl->cfg, n) < 0 ||
        asprintf(&renewal, "%s/renewal", nl->cfg) < 0 ||
        asprintf(&conf_path, "%s/%s.conf", renewal, n) < 0) {
        r = nomem(err);
        goto out;
    }
    if (lexists(conf_path) || lexists(l->archive_dir) ||
        lexists(l->live_dir)) {
        r = CB_ERR_EXISTS;
        goto out;
    }
    /* mkdir is the claim on the name: whoever creates archive/<n> owns it */
    r = make_dir(l->archive_dir, 0755, &u, err);
    if (r == 0)
        r = CB_ERR_EXISTS;
    if (r < 0)
        goto out;
    r = make_dir(l->live_dir, 0755, &u, err);
    if (r == 0)
        r = CB_ERR_EXISTS;
    if (r < 0)
        goto out;

    for (int k = 0; k < LK_N; k++) {
        char *target = NULL;
        if (asprintf(&arch[k], "%s/%s1.pem", l->archive_dir,
                     kind_name[k]) < 0 ||
            asprintf(&l->path[k], "%s/%s.pem", l->live_dir,
                     kind_name[k]) < 0) {
            r = nomem(err);
            goto out;
        }
        log_debug("Writing %s to %s.", kind_name[k], arch[k]);
        /* the key is 0600 from creation on (O_EXCL, mode before data) */
        r = write_tracked(arch[k], data[k], len[k],
                          k == LK_PRIVKEY ? 0600 : 0644, &u, err);
        if (r < 0)
            goto out;
        if (asprintf(&target, "../../archive/%s/%s1.pem", n,
                     kind_name[k]) < 0) {
            r = nomem(err);
            goto out;
        }
        if (symlink(target, l->path[k]) < 0) {
            r = os_err(err, errno, l->path[k]);
            free(target);
            goto out;
        }
        free(target);
        if (strvec_push(&u.files, l->path[k]) < 0) {
            r = nomem(err);
            goto out;
        }
    }
    text = readme_text("");
    if (!text || asprintf(&readme, "%s/README", l->live_dir) < 0) {
        readme = NULL;
        r = nomem(err);
        goto out;
    }
    r = write_tracked(readme, text, strlen(text), 0644, &u, err);
    free(text);
    text = NULL;
    if (r < 0)
        goto out;
    fsync_dir(l->archive_dir);
    fsync_dir(l->live_dir);

    /* Last: the conf makes the lineage exist (atomically, never
     * clobbering a conf someone else created meanwhile). */
    l->conf = new_conf(conf_path, nl->version, l->archive_dir, l->path);
    if (!l->conf) {
        r = nomem(err);
        goto out;
    }
    /* The options go in before the conf is published, so the lineage
     * never exists without its [renewalparams]. */
    if (nl->params) {
        struct co_section *dst = renewal_conf_params(l->conf, 1);
        r = dst ? co_section_copy(dst, nl->params) : CB_ERR_NOMEM;
        if (r < 0) {
            r = cb_err_set(err, r, "cannot prepare %s", conf_path);
            goto out;
        }
    }
    r = configobj_render(l->conf->doc, &text);
    if (r < 0) {
        r = cb_err_set(err, r, "cannot write %s", conf_path);
        goto out;
    }
    r = publish_new(renewal, conf_path, text, 0644, err);
    if (r < 0)
        goto out;
    *out = l;
    l = NULL;
out:
    if (r < 0)
        undo_run(&u);
    else
        undo_forget(&u);
    for (int k = 0; k < LK_N; k++)
        free(arch[k]);
    free(conf_path);
    free(renewal);
    free(readme);
    free(text);
    lineage_free(l);
    return r;
}

int lineage_create(const char *config_dir, const char *name,
                   const char *cert, const char *chain, const char *fullchain,
                   const char *key_pem, size_t key_len,
                   const char *certbot_version, struct lineage **out,
                   struct cb_err *err)
{
    return lineage_create_params(config_dir, name, cert, chain, fullchain,
                                 key_pem, key_len, certbot_version, NULL, out,
                                 err);
}

int lineage_create_params(const char *config_dir, const char *name,
                          const char *cert, const char *chain,
                          const char *fullchain, const char *key_pem,
                          size_t key_len, const char *certbot_version,
                          const struct co_section *params,
                          struct lineage **out, struct cb_err *err)
{
    struct new_lineage nl = { 0 };
    struct undo u = { 0 };
    char *cfg = NULL, *dir = NULL, *readme = NULL, *text = NULL, *n = NULL;
    int r = CB_OK;

    *out = NULL;
    if (!name || !*name || strchr(name, '/') || strcmp(name, ".") == 0 ||
        strcmp(name, "..") == 0)
        return cb_err_set(err, CB_ERR_INVAL,
                          "The provided certname cannot be used as a lineage "
                          "name because it contains an illegal character "
                          "(i.e. filepath separator).");
    if (!cert || !chain || !fullchain || !key_pem)
        return cb_err_set(err, CB_ERR_INVAL, "missing certificate data");
    cfg = fs_abspath(config_dir);
    if (!cfg) {
        r = nomem(err);
        goto out;
    }
    r = fs_mkdirs(cfg, 0755, err);
    if (r < 0)
        goto out;
    /* archive/ and live/ hold keys: 0700; renewal/ is 0755 (SPEC 3) */
    {
        static const struct { const char *sub; mode_t mode; } tops[] = {
            { "archive", 0700 }, { "live", 0700 }, { "renewal", 0755 },
        };
        for (size_t i = 0; i < sizeof(tops) / sizeof(tops[0]); i++) {
            free(dir);
            if (asprintf(&dir, "%s/%s", cfg, tops[i].sub) < 0) {
                dir = NULL;
                r = nomem(err);
                goto out;
            }
            r = make_dir(dir, tops[i].mode, &u, err);
            if (r < 0)
                goto out;
            if (r == 1)
                log_debug("Creating directory %s.", dir);
        }
    }
    if (asprintf(&readme, "%s/live/README", cfg) < 0) {
        readme = NULL;
        r = nomem(err);
        goto out;
    }
    if (!lexists(readme)) {
        text = readme_text("[cert name]/");
        if (!text) {
            r = nomem(err);
            goto out;
        }
        r = write_tracked(readme, text, strlen(text), 0644, &u, err);
        /* another run may have written it meanwhile: fine */
        if (r < 0 && lexists(readme)) {
            cb_err_reset(err);
            r = CB_OK;
        }
        if (r < 0)
            goto out;
    }

    nl.cfg = cfg;
    nl.cert = cert;
    nl.chain = chain;
    nl.fullchain = fullchain;
    nl.key = key_pem;
    nl.key_len = key_len;
    nl.version = certbot_version ? certbot_version : PACKAGE_VERSION;
    nl.params = params;
    r = CB_ERR_EXISTS;
    for (int i = 0; i <= 9999 && r == CB_ERR_EXISTS; i++) {
        int len;
        free(n);
        if (i == 0)
            len = asprintf(&n, "%s", name);
        else
            len = asprintf(&n, "%s-%04d", name, i);
        if (len < 0) {
            n = NULL;
            r = nomem(err);
            goto out;
        }
        r = create_at(&nl, n, out, err);
    }
    if (r == CB_ERR_EXISTS)
        r = cb_err_set(err, CB_ERR_EXISTS, "no free lineage name for %s",
                       name);
out:
    if (r < 0)
        undo_run(&u);
    else
        undo_forget(&u);
    free(cfg);
    free(dir);
    free(readme);
    free(text);
    free(n);
    return r;
}

/* ---- successors ---------------------------------------------------------- */

/* Write a private key file: 0600 from creation, then the group and the
 * carried mode bits (Certbot's copy_ownership_and_apply_mode). */
static int write_key(const char *path, const char *data, size_t len,
                     mode_t mode, gid_t gid, struct cb_err *err)
{
    struct stat st;
    int fd, r = CB_OK;
    size_t off = 0;

    fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
              0600);
    if (fd < 0)
        return os_err(err, errno, path);
    if (fchmod(fd, 0600) < 0 || fstat(fd, &st) < 0) {
        r = os_err(err, errno, path);
        goto out;
    }
    /* group first, wider mode after: never readable by the wrong group */
    if (st.st_gid != gid && fchown(fd, (uid_t)-1, gid) < 0) {
        r = os_err(err, errno, path);
        goto out;
    }
    if (fchmod(fd, mode) < 0) {
        r = os_err(err, errno, path);
        goto out;
    }
    while (off < len) {
        ssize_t w = write(fd, data + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0) {
            r = os_err(err, errno, path);
            goto out;
        }
        off += (size_t)w;
    }
    if (fsync(fd) < 0)
        r = os_err(err, errno, path);
out:
    if (close(fd) < 0 && r == CB_OK)
        r = os_err(err, errno, path);
    if (r < 0)
        unlink(path);
    return r;
}

int lineage_save_successor(struct lineage *l, const char *cert,
                           const char *chain, const char *fullchain,
                           const char *key_pem, size_t key_len,
                           const char *certbot_version, int *new_version,
                           struct cb_err *err)
{
    struct undo u = { 0 };
    char *old_key = NULL, *old_bytes = NULL, *path = NULL;
    struct stat st;
    size_t old_len = 0;
    int prior, target, r;
    mode_t mode;

    if (new_version)
        *new_version = -1;
    if (!l || !cert || !chain || !fullchain)
        return cb_err_set(err, CB_ERR_INVAL, "missing certificate data");
    /* another process may have renewed since load: list afresh */
    cache_drop(l);
    prior = lineage_latest_common_version(l);
    target = lineage_next_free_version(l);
    if (prior < 0 || target < 0)
        return cb_err_set(err, CB_ERR_CONFIG,
                          "no complete version in %s", l->archive_dir);
    old_key = lineage_version_path(l, LK_PRIVKEY, prior);
    if (!old_key) {
        r = nomem(err);
        goto out;
    }
    /* stat/read follow an old privkeyN.pem -> privkeyM.pem symlink */
    if (stat(old_key, &st) < 0) {
        r = os_err(err, errno, old_key);
        goto out;
    }
    if (!key_pem) {
        /* 5.6 --reuse-key: a copy of the current key, not a symlink */
        r = fs_read_all(old_key, &old_bytes, &old_len, err);
        if (r < 0)
            goto out;
        key_pem = old_bytes;
        key_len = old_len;
    }
    mode = 0600 | (st.st_mode & (S_IRWXG | S_IROTH));

    path = lineage_version_path(l, LK_PRIVKEY, target);
    if (!path) {
        r = nomem(err);
        goto out;
    }
    log_debug("Writing new private key to %s.", path);
    r = write_key(path, key_pem, key_len, mode, st.st_gid, err);
    if (r < 0)
        free(path);
    else if (strvec_push_take(&u.files, path) < 0)
        r = nomem(err);
    path = NULL;
    if (r < 0)
        goto out;
    {
        const char *data[LK_N] = { cert, NULL, chain, fullchain };
        for (int k = 0; k < LK_N; k++) {
            if (k == LK_PRIVKEY)
                continue;
            path = lineage_version_path(l, k, target);
            if (!path) {
                r = nomem(err);
                goto out;
            }
            log_debug("Writing %s to %s.", kind_name[k], path);
            r = write_tracked(path, data[k], strlen(data[k]), 0644, &u, err);
            free(path);
            path = NULL;
            if (r < 0)
                goto out;
        }
    }
    fsync_dir(l->archive_dir);
    cache_drop(l);
    /* what Certbot's update_configuration writes: in place for keys
     * that exist, archive_dir added to lineages that predate it */
    if (certbot_version)
        r = renewal_conf_set(l->conf, "version", certbot_version);
    if (r == CB_OK)
        r = renewal_conf_set(l->conf, "archive_dir", l->archive_dir);
    for (int k = 0; k < LK_N && r == CB_OK; k++)
        r = renewal_conf_set(l->conf, kind_name[k], l->path[k]);
    if (r < 0) {
        r = nomem(err);
        goto out;
    }
    /* last: once the links moved, the new version is live */
    r = update_all_links_to(l, target, err);
    if (r < 0)
        goto out;
    if (new_version)
        *new_version = target;
out:
    if (r < 0)
        undo_run(&u);
    else
        undo_forget(&u);
    cache_drop(l);
    if (old_bytes) {
        /* key material: do not leave it in freed memory */
        memset(old_bytes, 0, old_len);
        free(old_bytes);
    }
    free(old_key);
    free(path);
    return r;
}

/* ---- truncate / delete --------------------------------------------------- */

/* A kept privkeyK.pem that is a symlink (older Certbots' --reuse-key)
 * into a version about to be deleted becomes a regular copy first. */
static int materialize_key(const struct lineage *l, int keep_v, int lo,
                           int hi, struct cb_err *err)
{
    char *p = lineage_version_path(l, LK_PRIVKEY, keep_v), *target = NULL;
    char *data = NULL, *tmp = NULL, *adir = NULL, *tdir = NULL;
    struct stat st;
    size_t len = 0;
    int tv, r = CB_OK;

    if (!p)
        return nomem(err);
    if (!is_symlink(p))
        goto out;
    target = realpath(p, NULL);
    adir = realpath(l->archive_dir, NULL);
    tdir = target ? dirname_of(target) : NULL;
    if (!target || !adir || !tdir || strcmp(adir, tdir) != 0)
        goto out;
    tv = parse_version(basename_of(target), "privkey");
    if (tv < 0 || (tv >= lo && tv <= hi))
        goto out;
    if (stat(target, &st) < 0 || fs_read_all(target, &data, &len, err) < 0)
        goto out;
    if (asprintf(&tmp, "%s/.privkey%d.pem.tmp", l->archive_dir, keep_v) < 0) {
        tmp = NULL;
        r = nomem(err);
        goto out;
    }
    unlink(tmp);
    r = write_key(tmp, data, len, st.st_mode & 07777, st.st_gid, err);
    if (r == CB_OK && rename(tmp, p) < 0) {
        r = os_err(err, errno, p);
        unlink(tmp);
    }
out:
    if (data) {
        memset(data, 0, len);
        free(data);
    }
    free(tmp);
    free(target);
    free(adir);
    free(tdir);
    free(p);
    return r;
}

int lineage_truncate(struct lineage *l, int keep, struct cb_err *err)
{
    struct versions vs;
    int current, lo, r = CB_OK;

    if (!l || keep < 0)
        return cb_err_set(err, CB_ERR_INVAL, "invalid truncation request");
    cache_drop(l);
    if (scan_versions(l->archive_dir, &vs) < 0)
        return nomem(err);
    current = latest_common(&vs);
    if (current < 0)
        goto out;
    lo = current - keep;
    for (int v = lo < 1 ? 1 : lo; v <= current; v++) {
        r = materialize_key(l, v, lo, current, err);
        if (r < 0)
            goto out;
    }
    /* Certbot deletes every cert version outside current..current-keep,
     * newer partial ones included, with all four kinds. */
    for (size_t i = 0; i < vs.n[LK_CERT]; i++) {
        int v = vs.v[LK_CERT][i];
        if (v >= lo && v <= current)
            continue;
        log_debug("Deleting %s/cert%d.pem and related items during clean up",
                  l->archive_dir, v);
        for (int k = 0; k < LK_N; k++) {
            char *p = lineage_version_path(l, k, v);
            if (p && unlink(p) < 0 && errno != ENOENT)
                log_debug("Failed to clean up %s", p);
            free(p);
        }
    }
out:
    versions_free(&vs);
    cache_drop(l);
    return r;
}

int lineage_delete(const char *config_dir, const char *name,
                   struct cb_err *err)
{
    struct renewal_conf *rc = NULL;
    struct strvec dirs = { 0 };
    char *conf = lineage_conf_path(config_dir, name), *cfg = NULL;
    char *archive = NULL;
    int r;

    cfg = fs_abspath(config_dir);
    if (!conf || !cfg) {
        r = nomem(err);
        goto out;
    }
    if (!lexists(conf)) {
        r = cb_err_set(err, CB_ERR_NOT_FOUND,
                       "No certificate found with name %s (expected %s).",
                       name, conf);
        goto out;
    }
    r = renewal_conf_load(conf, &rc, NULL);
    /* Certbot removes the conf even when it cannot parse it. */
    if (unlink(conf) < 0 && errno != ENOENT) {
        r = os_err(err, errno, conf);
        goto out;
    }
    log_info("Removed %s", conf);
    if (r < 0) {
        log_error("Could not parse %s. You may wish to manually delete the "
                  "contents of %s/live/%s and %s/archive/%s.", conf, cfg,
                  name, cfg, name);
        r = cb_err_set(err, CB_ERR_CONFIG, "error parsing %s", conf);
        goto out;
    }
    for (int k = 0; k < LK_N; k++) {
        const char *link = renewal_conf_get(rc, kind_name[k]);
        char *d;
        if (!link)
            continue;
        if (unlink(link) == 0)
            log_debug("Removed %s", link);
        else
            log_debug("Unable to delete %s", link);
        d = dirname_of(link);
        if (d && !strvec_contains(&dirs, d))
            strvec_push(&dirs, d);
        free(d);
    }
    /* all four in one directory: its README goes, then the dir if empty */
    if (dirs.n == 1) {
        char *readme = NULL;
        if (asprintf(&readme, "%s/README", dirs.v[0]) >= 0) {
            unlink(readme);
            free(readme);
        }
        if (rmdir(dirs.v[0]) == 0)
            log_debug("Removed %s", dirs.v[0]);
        else
            log_debug("Unable to remove %s; may not be empty.", dirs.v[0]);
    }
    {
        const char *a = renewal_conf_get(rc, "archive_dir");
        if (a)
            archive = fs_abspath(a);
        else if (asprintf(&archive, "%s/archive/%s", cfg, name) < 0)
            archive = NULL;
    }
    /* never let a corrupt conf point the rm -rf at / or the config dir */
    if (archive && strcmp(archive, "/") != 0 && strcmp(archive, cfg) != 0) {
        struct cb_err ignore = { 0 };
        if (fs_rmtree(archive, &ignore) == CB_OK)
            log_debug("Removed %s", archive);
        else
            log_debug("Unable to remove %s", archive);
    }
    r = CB_OK;
out:
    renewal_conf_free(rc);
    strvec_clear(&dirs);
    free(conf);
    free(cfg);
    free(archive);
    return r;
}

/* renewal/<name>.conf -> <name> for every conf, in file name order. */
int lineage_list_names(const char *config_dir, struct strvec *names,
                       struct cb_err *err)
{
    struct strvec confs = {0};
    int r;

    r = lineage_list_confs(config_dir, &confs, err);
    for (size_t i = 0; r == CB_OK && i < confs.n; i++) {
        const char *base = strrchr(confs.v[i], '/');
        size_t len;

        base = base ? base + 1 : confs.v[i];
        len = strlen(base);
        if (len > 5 && strcmp(base + len - 5, ".conf") == 0)
            len -= 5;
        if (strvec_pushf(names, "%.*s", (int)len, base) != 0)
            r = cb_err_set(err, CB_ERR_NOMEM, "out of memory");
    }
    strvec_clear(&confs);
    return r;
}
