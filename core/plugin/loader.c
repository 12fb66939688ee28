/* Plugin discovery: see loader.h and DESIGN 3.3, 3.7.
 *
 * Only descriptors are read here; no plugin function is called, so
 * listing plugins and parsing options run no plugin code (the one
 * exception is the module's own ELF constructors, which dlopen runs). */
#define LOG_COMPONENT "certbot._internal.plugins.disco"

#include "plugin/loader.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/log.h"
#include "util/strvec.h"

#ifndef PLUGINDIR
#define PLUGINDIR "/usr/local/lib/certbot/plugins"
#endif

/* Bounds, so a hostile or broken directory cannot make the scan run
 * forever or eat memory. */
#define MAX_DIR_ENTRIES 4096
#define MAX_SEARCH_DIRS 64
#define MAX_OPTIONS 256
#define MAX_OPTION_SIZE 4096

/* The ABI 1.0 sizes.  Spelled as "end of the last 1.0 member" rather than
 * sizeof() so that appending fields in a later minor does not make the
 * core refuse plugins built against 1.0 headers. */
#define SIZE_THROUGH(type, member)                                            \
    (offsetof(type, member) + sizeof(((type *)0)->member))
#define DESC_SIZE_1_0 SIZE_THROUGH(struct cb_plugin_desc, dns)
#define OPTION_SIZE_1_0 SIZE_THROUGH(struct cb_option, short_name)
#define AUTH_SIZE_1_0 SIZE_THROUGH(struct cb_authenticator, auth_hint)
#define INST_SIZE_1_0 SIZE_THROUGH(struct cb_installer, renew_deploy)
#define DNS_SIZE_1_0 SIZE_THROUGH(struct cb_dns_provider, del_txt)

/* One file seen in the directory being scanned. */
struct scanned {
    size_t idx;        /* index in reg->items */
    char *declared;    /* descriptor name when it differs from the file's */
};

static int reg_append(struct plugin_registry *reg, size_t *cap,
                      struct plugin *p)
{
    if (reg->n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 16;
        struct plugin *ni = realloc(reg->items, ncap * sizeof(*ni));

        if (!ni)
            return CB_ERR_NOMEM;
        reg->items = ni;
        *cap = ncap;
    }
    reg->items[reg->n++] = *p;
    return CB_OK;
}

static int name_char_ok(char c, int first)
{
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
        return 1;
    return !first && c == '-';
}

/* [a-z0-9][a-z0-9-]{0,max-1} */
static int name_valid(const char *s, size_t max)
{
    size_t i;

    if (!s || !s[0])
        return 0;
    for (i = 0; s[i]; i++) {
        if (i >= max || !name_char_ok(s[i], i == 0))
            return 0;
    }
    return 1;
}

/* A plugin-supplied string made safe to print in one log line. */
static void printable(const char *s, char *buf, size_t len)
{
    size_t i;

    if (!s) {
        snprintf(buf, len, "(null)");
        return;
    }
    for (i = 0; s[i] && i + 1 < len; i++)
        buf[i] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
    buf[i] = '\0';
}

static char *fmt_reason(const char *fmt, ...) CB_PRINTF(1, 2);

static char *fmt_reason(const char *fmt, ...)
{
    va_list ap;
    char *s = NULL;

    va_start(ap, fmt);
    if (vasprintf(&s, fmt, ap) < 0)
        s = NULL;
    va_end(ap);
    return s;
}

static char *check_auth(const char *path, const struct cb_authenticator *a)
{
    if (a->struct_size < AUTH_SIZE_1_0)
        return fmt_reason("plugin %s: authenticator table is smaller than "
                          "the ABI 1.0 size (%u < %zu)",
                          path, a->struct_size, (size_t)AUTH_SIZE_1_0);
    if (!a->get_chall_pref || !a->perform || !a->cleanup)
        return fmt_reason("plugin %s: authenticator table lacks "
                          "get_chall_pref, perform or cleanup", path);
    return NULL;
}

static char *check_inst(const char *path, const struct cb_installer *i)
{
    if (i->struct_size < INST_SIZE_1_0)
        return fmt_reason("plugin %s: installer table is smaller than the "
                          "ABI 1.0 size (%u < %zu)",
                          path, i->struct_size, (size_t)INST_SIZE_1_0);
    if (!i->get_all_names || !i->deploy_cert || !i->enhance ||
        !i->supported_enhancements || !i->save || !i->rollback_checkpoints ||
        !i->recovery_routine || !i->config_test || !i->restart)
        return fmt_reason("plugin %s: installer table lacks a required "
                          "operation", path);
    return NULL;
}

static char *check_dns(const char *path, const struct cb_dns_provider *d)
{
    if (d->struct_size < DNS_SIZE_1_0)
        return fmt_reason("plugin %s: dns table is smaller than the ABI 1.0 "
                          "size (%u < %zu)",
                          path, d->struct_size, (size_t)DNS_SIZE_1_0);
    if (!d->add_txt || !d->del_txt)
        return fmt_reason("plugin %s: dns table lacks add_txt or del_txt",
                          path);
    return NULL;
}

static char *check_options(const char *path, const struct cb_plugin_desc *d)
{
    const char *base = (const char *)d->options;
    char shown[48];
    size_t i;

    if (!d->options)
        return NULL;
    if (d->option_size < OPTION_SIZE_1_0 || d->option_size > MAX_OPTION_SIZE)
        return fmt_reason("plugin %s: option_size %u is not a valid struct "
                          "cb_option size (ABI 1.0 size is %zu)",
                          path, d->option_size, (size_t)OPTION_SIZE_1_0);
    for (i = 0; i < MAX_OPTIONS; i++) {
        const struct cb_option *o =
            (const struct cb_option *)(const void *)(base + i * d->option_size);

        if (!o->name)
            return NULL;
        if (!name_valid(o->name, 64)) {
            printable(o->name, shown, sizeof(shown));
            return fmt_reason("plugin %s: invalid option name \"%s\"", path,
                              shown);
        }
        if (o->type < CB_OPT_STRING || o->type > CB_OPT_LIST)
            return fmt_reason("plugin %s: option \"%s\" has unknown type %u",
                              path, o->name, o->type);
    }
    return fmt_reason("plugin %s: option table has more than %d entries "
                      "(missing CB_OPTION_END?)", path, MAX_OPTIONS);
}

/* The checks of DESIGN 3.3 in order.  Returns a reason (caller frees) or
 * NULL; *declared gets the descriptor's name when it is well formed but
 * differs from the file name (the caller decides between "mismatch" and
 * "duplicate"). */
static char *check_desc(const char *path, const char *stem,
                        const struct cb_plugin_desc *d, char **declared)
{
    char shown[48];
    char *r;

    if (d->abi_major != CB_ABI_MAJOR)
        return fmt_reason("plugin %s: built for plugin ABI %u.%u; this "
                          "certbot provides ABI %d.%d (rebuild the plugin or "
                          "install a matching package)",
                          path, d->abi_major, d->abi_minor, CB_ABI_MAJOR,
                          CB_ABI_MINOR);
    if (d->abi_minor > CB_ABI_MINOR)
        return fmt_reason("plugin %s: built for plugin ABI %u.%u; this "
                          "certbot provides ABI %d.%d (upgrade certbot)",
                          path, d->abi_major, d->abi_minor, CB_ABI_MAJOR,
                          CB_ABI_MINOR);
    if (d->struct_size < DESC_SIZE_1_0)
        return fmt_reason("plugin %s: descriptor is smaller than the ABI 1.0 "
                          "size (%u < %zu)",
                          path, d->struct_size, (size_t)DESC_SIZE_1_0);
    if (!name_valid(d->name, 32)) {
        printable(d->name, shown, sizeof(shown));
        return fmt_reason("plugin %s: invalid plugin name \"%s\" (must match "
                          "[a-z0-9][a-z0-9-]{0,31})", path, shown);
    }
    if (strcmp(d->name, stem) != 0) {
        *declared = strdup(d->name);
        return fmt_reason("plugin %s: declares the name \"%s\" but the file "
                          "must then be named %s.so", path, d->name, d->name);
    }
    if (!d->description || !d->description[0])
        return fmt_reason("plugin %s: descriptor has no description", path);
    if (!d->create || !d->destroy)
        return fmt_reason("plugin %s: descriptor lacks create or destroy",
                          path);
    if (!d->authenticator && !d->installer && !d->dns)
        return fmt_reason("plugin %s: descriptor has no authenticator, "
                          "installer or dns table", path);
    r = d->authenticator ? check_auth(path, d->authenticator) : NULL;
    if (!r && d->installer)
        r = check_inst(path, d->installer);
    if (!r && d->dns)
        r = check_dns(path, d->dns);
    if (!r)
        r = check_options(path, d);
    return r;
}

/* Refusing what another user could have replaced: as root, loading such a
 * file is handing them code execution as root. */
static char *check_owner(const char *what, const char *path,
                         const struct stat *st)
{
    if (geteuid() != 0)
        return NULL;
    if (st->st_mode & (S_IWGRP | S_IWOTH))
        return fmt_reason("refusing to load as root: %s %s is writable by "
                          "group or others", what, path);
    if (st->st_uid != 0)
        return fmt_reason("refusing to load as root: %s %s is owned by uid "
                          "%lu, not root", what, path,
                          (unsigned long)st->st_uid);
    return NULL;
}

static char *load_one(const char *path, const char *stem,
                      const struct cb_plugin_desc **out, char **declared)
{
    const struct cb_plugin_desc *d;
    char *reason;
    void *h;

    /* Modules are never dlclose'd, even refused ones: their constructors
     * already ran and unloading buys nothing but risk. */
    h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h)
        return fmt_reason("plugin %s: cannot load: %s; a library it needs "
                          "may be missing (check with ldd)", path, dlerror());
    dlerror();
    d = dlsym(h, CB_PLUGIN_SYMBOL);
    if (!d)
        return fmt_reason("plugin %s: not a certbot plugin (no %s symbol)",
                          path, CB_PLUGIN_SYMBOL);
    reason = check_desc(path, stem, d, declared);
    if (!reason)
        *out = d;
    return reason;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_plugin(const void *a, const void *b)
{
    return strcmp(((const struct plugin *)a)->name,
                  ((const struct plugin *)b)->name);
}

/* Names of the "<stem>.so" entries of dir, sorted. */
static int list_dir(const char *dir, struct strvec *names)
{
    struct dirent *de;
    size_t seen = 0;
    DIR *d;
    int r = CB_OK;

    d = opendir(dir);
    if (!d) {
        log_debug("Plugin directory %s not readable: %s", dir,
                  strerror(errno));
        return CB_OK;
    }
    while (seen++ < MAX_DIR_ENTRIES) {
        size_t len;

        de = readdir(d);
        if (!de)
            break;
        len = strlen(de->d_name);
        if (len <= 3 || strcmp(de->d_name + len - 3, ".so") != 0)
            continue;
        r = strvec_push(names, de->d_name);
        if (r != CB_OK)
            goto out;
    }
    if (seen > MAX_DIR_ENTRIES)
        log_warning("Plugin directory %s has more than %d entries; the rest "
                    "are ignored", dir, MAX_DIR_ENTRIES);
    if (names->n > 1)
        qsort(names->v, names->n, sizeof(*names->v), cmp_str);
out:
    closedir(d);
    return r;
}

static char *abs_dir(const char *dir)
{
    char cwd[4096];

    if (dir[0] == '/')
        return strdup(dir);
    if (!getcwd(cwd, sizeof(cwd)))
        return strdup(dir);
    return fmt_reason("%s/%s", cwd, dir);
}

/* A descriptor naming a sibling file is two plugins claiming one name. */
static int check_duplicates(const struct plugin_registry *reg,
                            const struct scanned *sc, size_t nsc,
                            struct cb_err *err)
{
    for (size_t i = 0; i < nsc; i++) {
        if (!sc[i].declared)
            continue;
        for (size_t j = 0; j < nsc; j++) {
            const struct plugin *other = &reg->items[sc[j].idx];

            if (j != i && strcmp(other->name, sc[i].declared) == 0)
                return cb_err_set(err, CB_ERR_PLUGIN,
                                  "Duplicate plugin name %s from %s and %s.",
                                  sc[i].declared, other->path,
                                  reg->items[sc[i].idx].path);
        }
    }
    return CB_OK;
}

static int scan_dir(struct plugin_registry *reg, size_t *cap,
                    const char *dir_in, struct cb_err *err)
{
    struct strvec names = {0};
    struct scanned *sc = NULL;
    struct stat dst;
    char *dir = NULL, *dir_reason = NULL;
    size_t nsc = 0;
    int r;

    dir = abs_dir(dir_in);
    if (!dir) {
        r = cb_err_set(err, CB_ERR_NOMEM, "out of memory");
        goto out;
    }
    r = list_dir(dir, &names);
    if (r != CB_OK || names.n == 0)
        goto out;
    if (stat(dir, &dst) == 0)
        dir_reason = check_owner("directory", dir, &dst);
    sc = calloc(names.n, sizeof(*sc));
    if (!sc) {
        r = cb_err_set(err, CB_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < names.n; i++) {
        struct plugin p = {0};
        struct stat st;
        char *declared = NULL;

        p.name = strndup(names.v[i], strlen(names.v[i]) - 3);
        p.path = fmt_reason("%s/%s", dir, names.v[i]);
        if (!p.name || !p.path) {
            free(p.name);
            free(p.path);
            r = cb_err_set(err, CB_ERR_NOMEM, "out of memory");
            goto out;
        }
        /* stat, not lstat: symlinks are followed (distro alternatives). */
        if (stat(p.path, &st) != 0 || !S_ISREG(st.st_mode) ||
            plugin_find(reg, p.name)) {
            if (plugin_find(reg, p.name))
                log_debug("Plugin %s is shadowed by %s", p.path,
                          plugin_find(reg, p.name)->path);
            else
                log_debug("Skipping %s: not a regular file", p.path);
            free(p.name);
            free(p.path);
            continue;
        }
        if (dir_reason)
            p.broken = fmt_reason("plugin %s: %s", p.path, dir_reason);
        if (!p.broken) {
            char *own = check_owner("file", p.path, &st);

            if (own)
                p.broken = fmt_reason("plugin %s: %s", p.path, own);
            free(own);
        }
        if (!p.broken)
            p.broken = load_one(p.path, p.name, &p.desc, &declared);
        if (p.broken)
            log_warning("%s", p.broken);
        else
            log_debug("Loaded plugin %s from %s", p.name, p.path);
        r = reg_append(reg, cap, &p);
        if (r != CB_OK) {
            free(p.name);
            free(p.path);
            free(p.broken);
            free(declared);
            r = cb_err_set(err, r, "out of memory");
            goto out;
        }
        sc[nsc].idx = reg->n - 1;
        sc[nsc].declared = declared;
        nsc++;
    }
    r = check_duplicates(reg, sc, nsc, err);
out:
    for (size_t i = 0; i < nsc; i++)
        free(sc[i].declared);
    free(sc);
    strvec_clear(&names);
    free(dir_reason);
    free(dir);
    return r;
}

int plugin_registry_load_dirs(const char *const *dirs, size_t ndirs,
                              struct plugin_registry **out,
                              struct cb_err *err)
{
    struct plugin_registry *reg;
    size_t cap = 0;
    int r = CB_OK;

    *out = NULL;
    reg = calloc(1, sizeof(*reg));
    if (!reg)
        return cb_err_set(err, CB_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < ndirs && i < MAX_SEARCH_DIRS; i++) {
        r = scan_dir(reg, &cap, dirs[i], err);
        if (r != CB_OK)
            goto out;
    }
    if (reg->n > 1)
        qsort(reg->items, reg->n, sizeof(*reg->items), cmp_plugin);
out:
    if (r != CB_OK) {
        plugin_registry_free(reg);
        return r;
    }
    *out = reg;
    return CB_OK;
}

int plugin_search_path(struct strvec *dirs)
{
    const char *env = getenv("CERTBOT_PLUGIN_PATH");
    int r;

    if (env) {
        const char *p = env;

        while (*p) {
            size_t len = strcspn(p, ":");

            if (len > 0) {
                r = strvec_push_take(dirs, strndup(p, len));
                if (r != CB_OK)
                    return r;
            }
            p += len;
            if (*p == ':')
                p++;
        }
    }
    return strvec_push(dirs, PLUGINDIR);
}

int plugin_registry_load(struct plugin_registry **out, struct cb_err *err)
{
    struct strvec dirs = {0};
    int r;

    *out = NULL;
    r = plugin_search_path(&dirs);
    if (r != CB_OK) {
        r = cb_err_set(err, r, "out of memory");
        goto out;
    }
    r = plugin_registry_load_dirs((const char *const *)dirs.v, dirs.n, out,
                                  err);
out:
    strvec_clear(&dirs);
    return r;
}

void plugin_registry_free(struct plugin_registry *reg)
{
    if (!reg)
        return;
    for (size_t i = 0; i < reg->n; i++) {
        free(reg->items[i].name);
        free(reg->items[i].path);
        free(reg->items[i].broken);
    }
    free(reg->items);
    free(reg);
}

struct plugin *plugin_find(const struct plugin_registry *reg,
                           const char *name)
{
    if (!reg || !name)
        return NULL;
    for (size_t i = 0; i < reg->n; i++)
        if (strcmp(reg->items[i].name, name) == 0)
            return &reg->items[i];
    return NULL;
}

int plugin_is_authenticator(const struct plugin *p)
{
    return p && p->desc && (p->desc->authenticator || p->desc->dns);
}

int plugin_is_installer(const struct plugin *p)
{
    return p && p->desc && p->desc->installer;
}

int plugin_is_hidden(const struct plugin *p)
{
    return p && p->desc && (p->desc->flags & CB_PLUGIN_HIDDEN);
}
