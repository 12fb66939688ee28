/* The option and dest registries: flags.def rows plus the options plugins
 * register before parsing (DESIGN 3.5).  Everything here lives for the
 * process, like the plugin descriptors it copies from. */
#include "cli/cli_internal.h"
#include "cli/parse.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct flag_row {
    const char *names;
    char shrt;
    const char *dest;
    enum cli_action action;
    enum cli_check check;
    const char *dflt;
    const char *metavar;
    const char *choices;
    const char *topics;
    unsigned flags;
    const char *help;
};

static const struct flag_row core_rows[] = {
#define CB_FLAG(names, shrt, dest, action, check, dflt, metavar, choices, \
                topics, flags, help)                                      \
    {names, shrt, dest, action, check, dflt, metavar, choices, topics,     \
     flags, help},
#include "cli/flags.def"
};

static const struct cli_verb verbs[] = {
#define CB_VERB(name, short_help, usage) {name, short_help, usage},
#include "cli/flags.def"
};

static const struct cli_group groups[] = {
#define CB_GROUP(id, topic, title, description) \
    {id, topic, title, description},
#include "cli/flags.def"
};

const char cli_short_usage[] =
    "\n  certbot [SUBCOMMAND] [options] [-d DOMAIN] [-d DOMAIN] ...\n\n"
    "Certbot obtains and installs HTTPS (TLS/SSL) certificates. Unless told\n"
    "otherwise it uses your web server both to prove control of the domains\n"
    "and to install the certificate. ";

struct registry {
    int ready;
    struct cli_opt *opts;
    size_t nopts, aopts;
    struct cli_dest *dests;
    size_t ndests, adests;
    struct cli_plugin_group *plugins;
    size_t nplugins, aplugins;
};

static struct registry reg;

static int grow(void **arr, size_t *alloc, size_t need, size_t elem)
{
    size_t na;
    void *p;

    if (need <= *alloc)
        return CB_OK;
    na = *alloc ? *alloc * 2 : 64;
    while (na < need)
        na *= 2;
    p = realloc(*arr, na * elem);
    if (!p)
        return CB_ERR_NOMEM;
    memset((char *)p + *alloc * elem, 0, (na - *alloc) * elem);
    *arr = p;
    *alloc = na;
    return CB_OK;
}

static enum config_type dest_type(enum cli_action a, enum cli_check c)
{
    switch (a) {
    case CLI_ACT_STORE:
        return (c == CLI_CHK_INT || c == CLI_CHK_NONNEG) ? CONFIG_T_INT
                                                         : CONFIG_T_STR;
    case CLI_ACT_REASON:
        return CONFIG_T_INT;
    case CLI_ACT_COUNT:
        return CONFIG_T_COUNT;
    case CLI_ACT_APPEND:
    case CLI_ACT_APPEND_CONST:
    case CLI_ACT_DOMAINS:
    case CLI_ACT_IP:
    case CLI_ACT_PREF_CHALLS:
    case CLI_ACT_CONFIG:
        return CONFIG_T_LIST;
    case CLI_ACT_DEPLOY_HOOK:
    case CLI_ACT_RENEW_HOOK:
        return CONFIG_T_STR;
    default:
        return CONFIG_T_BOOL;
    }
}

/* Name -> dest index, open addressing (linear probing), -1 = empty.
 * renew restores every stored option of every lineage by name: with a
 * linear search that was a fifth of renew's time over 1,000 lineages.
 * Reachable from a static for the process's life, like reg. */
static int *dest_index;
static size_t dest_index_cap;     /* power of two, > 2 x ndests */

static size_t dest_hash(const char *s)
{
    size_t h = 2166136261u;       /* FNV-1a */

    while (*s)
        h = (h ^ (unsigned char)*s++) * 16777619u;
    return h;
}

static void dest_index_put(int i)
{
    size_t h = dest_hash(reg.dests[i].name) & (dest_index_cap - 1);

    while (dest_index[h] >= 0)
        h = (h + 1) & (dest_index_cap - 1);
    dest_index[h] = i;
}

/* After dests[i] was appended: grow (rehash) or insert.  Without memory
 * the index is dropped and lookups stay linear. */
static void dest_index_added(int i)
{
    if ((size_t)i * 2 + 2 > dest_index_cap) {
        size_t cap = dest_index_cap ? dest_index_cap * 2 : 1024;
        int *t = malloc(cap * sizeof(*t));

        free(dest_index);
        dest_index = t;
        dest_index_cap = t ? cap : 0;
        if (!t)
            return;
        for (size_t k = 0; k < cap; k++)
            t[k] = -1;
        for (int k = 0; k <= i; k++)
            dest_index_put(k);
        return;
    }
    if (dest_index)
        dest_index_put(i);
}

static int dest_find_raw(const char *name)
{
    if (dest_index) {
        size_t h = dest_hash(name) & (dest_index_cap - 1);

        for (size_t n = 0; n < dest_index_cap && dest_index[h] >= 0; n++) {
            if (strcmp(reg.dests[dest_index[h]].name, name) == 0)
                return dest_index[h];
            h = (h + 1) & (dest_index_cap - 1);
        }
        return -1;
    }
    for (size_t i = 0; i < reg.ndests; i++)
        if (strcmp(reg.dests[i].name, name) == 0)
            return (int)i;
    return -1;
}

/* name and dflt must outlive the registry (static or copied). */
static int dest_add(const char *name, enum config_type type,
                    const char *dflt, unsigned flags, const char *plugin,
                    int known)
{
    int i = dest_find_raw(name);
    struct cli_dest *d;

    if (i >= 0) {
        /* A second flag for the same dest (--no-reuse-key). */
        reg.dests[i].flags |= flags;
        if (known)
            reg.dests[i].known = 1;
        return i;
    }
    if (grow((void **)&reg.dests, &reg.adests, reg.ndests + 1,
             sizeof(*reg.dests)) != CB_OK)
        return CB_ERR_NOMEM;
    d = &reg.dests[reg.ndests];
    d->name = name;
    d->type = type;
    d->dflt = dflt;
    d->flags = flags;
    d->plugin = plugin;
    d->known = known;
    reg.ndests++;
    dest_index_added((int)reg.ndests - 1);
    return (int)reg.ndests - 1;
}

static char *upper_dest(const char *dest)
{
    char *m = strdup(dest);

    for (char *p = m; p && *p; p++)
        *p = (char)toupper((unsigned char)*p);
    return m;
}

/* argparse shows {a,b} for an option with choices and no metavar. */
static char *choice_metavar(const char *choices)
{
    size_t len = strlen(choices);
    char *m = malloc(len + 3);

    if (!m)
        return NULL;
    m[0] = '{';
    for (size_t i = 0; i < len; i++)
        m[i + 1] = choices[i] == '|' ? ',' : choices[i];
    m[len + 1] = '}';
    m[len + 2] = '\0';
    return m;
}

static int opt_push(struct cli_opt *o)
{
    if (grow((void **)&reg.opts, &reg.aopts, reg.nopts + 1,
             sizeof(*reg.opts)) != CB_OK)
        return CB_ERR_NOMEM;
    reg.opts[reg.nopts++] = *o;
    return CB_OK;
}

static int add_core_row(const struct flag_row *r)
{
    struct cli_opt o;
    const char *p = r->names;
    unsigned dflags = r->flags & (CLI_F_RENEWAL | CLI_F_SECRET);

    memset(&o, 0, sizeof(o));
    if (r->shrt) {
        if (asprintf(&o.strs[o.nstrs++], "-%c", r->shrt) < 0)
            return CB_ERR_NOMEM;
    }
    while (*p && o.nstrs < CLI_MAX_STRS) {
        size_t len = strcspn(p, "|");

        if (asprintf(&o.strs[o.nstrs++], "--%.*s", (int)len, p) < 0)
            return CB_ERR_NOMEM;
        p += len;
        if (*p == '|')
            p++;
    }
    o.dest = r->dest;
    o.action = r->action;
    o.check = r->check;
    o.dflt = r->dflt;
    o.choices = r->choices;
    o.topics = r->topics;
    o.flags = r->flags;
    o.help = r->help;
    if (r->metavar)
        o.metavar = r->metavar;
    else if (r->choices && r->action != CLI_ACT_APPEND_CONST)
        o.metavar = choice_metavar(r->choices);
    else
        o.metavar = upper_dest(r->dest);
    if (!o.metavar)
        return CB_ERR_NOMEM;
    o.dest_id = dest_add(r->dest, dest_type(r->action, r->check), r->dflt,
                         dflags, NULL, 1);
    if (o.dest_id < 0)
        return o.dest_id;
    return opt_push(&o);
}

static int reg_init(void)
{
    int r;

    if (reg.ready)
        return CB_OK;
    reg.ready = 1;
    for (size_t i = 0; i < sizeof(core_rows) / sizeof(core_rows[0]); i++) {
        r = add_core_row(&core_rows[i]);
        if (r != CB_OK)
            return r;
    }
    /* Not flags, but part of every parsed config. */
    r = dest_add("help_topic", CONFIG_T_STR, NULL, 0, NULL, 1);
    return r < 0 ? r : CB_OK;
}

size_t cli_opt_count(void)
{
    reg_init();
    return reg.nopts;
}

const struct cli_opt *cli_opt_at(size_t i)
{
    reg_init();
    return i < reg.nopts ? &reg.opts[i] : NULL;
}

size_t cli_plugin_group_count(void)
{
    return reg.nplugins;
}

const struct cli_plugin_group *cli_plugin_group_at(size_t i)
{
    return i < reg.nplugins ? &reg.plugins[i] : NULL;
}

int cli_plugin_group_known(const char *name)
{
    for (size_t i = 0; i < reg.nplugins; i++)
        if (strcmp(reg.plugins[i].name, name) == 0)
            return 1;
    return 0;
}

size_t cli_dest_count(void)
{
    reg_init();
    return reg.ndests;
}

const struct cli_dest *cli_dest_at(size_t i)
{
    reg_init();
    return i < reg.ndests ? &reg.dests[i] : NULL;
}

int cli_dest_find(const char *name)
{
    reg_init();
    return name ? dest_find_raw(name) : -1;
}

int cli_dest_intern(const char *name)
{
    int i = cli_dest_find(name);
    char *copy;

    if (i >= 0)
        return i;
    copy = strdup(name);
    if (!copy)
        return CB_ERR_NOMEM;
    i = dest_add(copy, CONFIG_T_STR, NULL, 0, NULL, 0);
    if (i < 0)
        free(copy);
    return i;
}

size_t cli_verb_count(void)
{
    return sizeof(verbs) / sizeof(verbs[0]);
}

const struct cli_verb *cli_verb_at(size_t i)
{
    return i < cli_verb_count() ? &verbs[i] : NULL;
}

const struct cli_verb *cli_verb_find(const char *name)
{
    for (size_t i = 0; name && i < cli_verb_count(); i++)
        if (strcmp(verbs[i].name, name) == 0)
            return &verbs[i];
    return NULL;
}

size_t cli_group_count(void)
{
    return sizeof(groups) / sizeof(groups[0]);
}

const struct cli_group *cli_group_at(size_t i)
{
    return i < cli_group_count() ? &groups[i] : NULL;
}

const struct cli_group *cli_group_find(const char *id)
{
    for (size_t i = 0; id && i < cli_group_count(); i++)
        if (strcmp(groups[i].id, id) == 0)
            return &groups[i];
    return NULL;
}

/* ---- plugin options ---- */

static int string_taken(const char *s)
{
    for (size_t i = 0; i < reg.nopts; i++)
        for (size_t j = 0; j < reg.opts[i].nstrs; j++)
            if (strcmp(reg.opts[i].strs[j], s) == 0)
                return 1;
    return 0;
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* Options hold a list of paths when their name says so (webroot's
 * "path"): cb_option has no flag for "list of paths", and Certbot makes
 * webroot paths absolute. */
static int is_path_list(const char *name)
{
    size_t len = strlen(name);

    return strcmp(name, "path") == 0 ||
           (len > 5 && strcmp(name + len - 5, "-path") == 0);
}

static int plugin_opt(const char *plugin, const struct cb_option *src,
                      struct cb_err *err)
{
    struct cli_opt o;
    char *dest = NULL, *lng = NULL;
    unsigned dflags = 0;
    int r = CB_OK, handed = 0;

    memset(&o, 0, sizeof(o));
    if (asprintf(&lng, "--%s-%s", plugin, src->name) < 0 ||
        asprintf(&dest, "%s_%s", plugin, src->name) < 0) {
        r = cb_err_set(err, CB_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (char *p = dest; *p; p++)
        if (*p == '-')
            *p = '_';
    if (string_taken(lng) || dest_find_raw(dest) >= 0) {
        r = cb_err_set(err, CB_ERR_INVAL,
                       "plugin %s: option %s clashes with an existing flag",
                       plugin, lng);
        goto out;
    }
    o.strs[o.nstrs++] = lng;
    lng = NULL;
    o.dest = dest;
    if (src->short_name) {
        if (asprintf(&o.strs[o.nstrs], "-%c", src->short_name) < 0) {
            r = cb_err_set(err, CB_ERR_NOMEM, "out of memory");
            goto out;
        }
        if (string_taken(o.strs[o.nstrs])) {
            r = cb_err_set(err, CB_ERR_INVAL,
                           "plugin %s: option %s clashes with an existing "
                           "flag", plugin, o.strs[o.nstrs]);
            free(o.strs[o.nstrs]);
            o.strs[o.nstrs] = NULL;
            goto out;
        }
        o.nstrs++;
    }
    switch (src->type) {
    case CB_OPT_PATH:
        o.action = CLI_ACT_STORE;
        o.check = CLI_CHK_PATH;
        break;
    case CB_OPT_INT:
        o.action = CLI_ACT_STORE;
        o.check = CLI_CHK_INT;
        break;
    case CB_OPT_BOOL:
        o.action = CLI_ACT_STORE_TRUE;
        break;
    case CB_OPT_LIST:
        o.action = CLI_ACT_APPEND;
        o.check = is_path_list(src->name) ? CLI_CHK_PATH : CLI_CHK_NONE;
        break;
    default:
        o.action = CLI_ACT_STORE;
        break;
    }
    if (!(src->flags & CB_OPT_NOSAVE))
        dflags |= CLI_F_RENEWAL;
    if (src->flags & CB_OPT_SECRET)
        dflags |= CLI_F_SECRET;
    if (src->flags & CB_OPT_PER_DOMAIN)
        dflags |= CLI_F_PER_DOMAIN;
    o.flags = dflags;
    o.dflt = dup_or_null(src->default_value);
    if (src->type == CB_OPT_BOOL && !o.dflt)
        o.dflt = strdup("False");
    o.metavar = src->metavar ? strdup(src->metavar) : upper_dest(dest);
    o.help = dup_or_null(src->help);
    o.topics = reg.plugins[reg.nplugins - 1].name;
    o.plugin = reg.plugins[reg.nplugins - 1].name;
    if (!o.metavar || (src->default_value && !o.dflt) ||
        (src->help && !o.help)) {
        r = cb_err_set(err, CB_ERR_NOMEM, "out of memory");
        goto out;
    }
    o.dest_id = dest_add(dest, dest_type(o.action, o.check), o.dflt, dflags,
                         o.plugin, 1);
    if (o.dest_id < 0) {
        r = cb_err_set(err, CB_ERR_NOMEM, "out of memory");
        goto out;
    }
    /* dest, dflt and plugin now belong to the dest registry too */
    handed = 1;
    r = opt_push(&o);
    if (r != CB_OK)
        r = cb_err_set(err, r, "out of memory");
out:
    if (r != CB_OK) {
        for (size_t i = 0; i < o.nstrs; i++)
            free(o.strs[i]);
        free((char *)o.metavar);
        free((char *)o.help);
        if (!handed) {
            free((char *)o.dflt);
            free(dest);
        }
    }
    free(lng);
    return r;
}

int cli_add_plugin_options(const char *plugin_name, const char *description,
                           const struct cb_option *opts, size_t stride,
                           struct cb_err *err)
{
    struct cli_plugin_group *g;
    const char *base = (const char *)opts;
    int r;

    r = reg_init();
    if (r != CB_OK)
        return cb_err_set(err, r, "out of memory");
    if (!plugin_name || !*plugin_name)
        return cb_err_set(err, CB_ERR_INVAL, "plugin without a name");
    if (cli_plugin_group_known(plugin_name))
        return cb_err_set(err, CB_ERR_INVAL,
                          "plugin %s registered its options twice",
                          plugin_name);
    if (grow((void **)&reg.plugins, &reg.aplugins, reg.nplugins + 1,
             sizeof(*reg.plugins)) != CB_OK)
        return cb_err_set(err, CB_ERR_NOMEM, "out of memory");
    g = &reg.plugins[reg.nplugins];
    g->name = strdup(plugin_name);
    g->description = dup_or_null(description);
    if (!g->name || (description && !g->description))
        return cb_err_set(err, CB_ERR_NOMEM, "out of memory");
    reg.nplugins++;
    if (stride == 0)
        stride = sizeof(struct cb_option);
    for (size_t i = 0; base; i++) {
        struct cb_option o;
        size_t copy = stride < sizeof(o) ? stride : sizeof(o);

        /* Read only the fields the plugin's struct has (DESIGN 3.3). */
        memset(&o, 0, sizeof(o));
        memcpy(&o, base + i * stride, copy);
        if (!o.name)
            break;
        r = plugin_opt(plugin_name, &o, err);
        if (r != CB_OK)
            return r;
    }
    return CB_OK;
}

/* ---- paths ---- */

char *cli_abspath(const char *path)
{
    char *joined = NULL, *out = NULL, *cwd = NULL;
    char **parts = NULL;
    size_t nparts = 0, len;

    if (!path)
        return NULL;
    if (path[0] == '/') {
        joined = strdup(path);
    } else {
        cwd = getcwd(NULL, 0);
        if (!cwd)
            goto out;
        if (asprintf(&joined, "%s/%s", cwd, path) < 0)
            joined = NULL;
    }
    if (!joined)
        goto out;
    len = strlen(joined);
    parts = calloc(len + 1, sizeof(*parts));
    out = malloc(len + 2);
    if (!parts || !out) {
        free(out);
        out = NULL;
        goto out;
    }
    /* normpath: drop empty and "." components, ".." eats one. */
    for (char *tok = strtok(joined, "/"); tok; tok = strtok(NULL, "/")) {
        if (strcmp(tok, ".") == 0)
            continue;
        if (strcmp(tok, "..") == 0) {
            if (nparts > 0)
                nparts--;
            continue;
        }
        parts[nparts++] = tok;
    }
    out[0] = '\0';
    len = 0;
    for (size_t i = 0; i < nparts; i++) {
        size_t l = strlen(parts[i]);

        out[len++] = '/';
        memcpy(out + len, parts[i], l);
        len += l;
    }
    if (len == 0)
        out[len++] = '/';
    out[len] = '\0';
out:
    free(parts);
    free(joined);
    free(cwd);
    return out;
}
