/* struct cb_config: one entry per registered dest, holding the value as
 * text (or a list) and where it came from.  Unset entries read as the
 * dest's default. */
#include "cli/config.h"
#include "cli/cli_internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct centry {
    int set;
    enum config_origin origin;
    char *value;            /* scalar dests */
    struct strvec list;     /* list dests */
    size_t *marks;          /* per list element, see config_list_domain_marks */
    size_t nmarks;
};

struct cb_config {
    char *verb;
    struct centry *e;
    size_t n;
};

static const char *const empty_list[] = {NULL};

struct cb_config *config_new(void)
{
    return calloc(1, sizeof(struct cb_config));
}

static void entry_clear(struct centry *ce)
{
    free(ce->value);
    strvec_clear(&ce->list);
    free(ce->marks);
    memset(ce, 0, sizeof(*ce));
}

/* Does the entry hold any memory?  Most of the hundred-odd entries of a
 * config never do; renew frees one config per lineage. */
static int entry_owns(const struct centry *ce)
{
    return ce->value || ce->list.v || ce->marks;
}

/* renew copies the config once per lineage and frees the copy again.
 * Its entry array (a few hundred entries, ~15 KB) is a "large" request
 * for glibc's malloc, which first consolidates every small freed chunk
 * (~3,700 instructions each time, ~4% of a lineage).  One freed array is
 * kept here for the next copy instead. */
static pthread_mutex_t spare_lock = PTHREAD_MUTEX_INITIALIZER;
static struct centry *spare;
static size_t spare_n;

static struct centry *entries_alloc(size_t n)
{
    struct centry *e = NULL;

    pthread_mutex_lock(&spare_lock);
    if (spare && spare_n >= n) {
        e = spare;
        spare = NULL;
    }
    pthread_mutex_unlock(&spare_lock);
    return e ? e : malloc(n * sizeof(*e));
}

static void entries_free(struct centry *e, size_t n)
{
    pthread_mutex_lock(&spare_lock);
    if (e && (!spare || spare_n < n)) {
        struct centry *old = spare;

        spare = e;
        spare_n = n;
        e = old;
    }
    pthread_mutex_unlock(&spare_lock);
    free(e);
}

void config_free(struct cb_config *cfg)
{
    if (!cfg)
        return;
    for (size_t i = 0; i < cfg->n; i++)
        if (entry_owns(&cfg->e[i]))
            entry_clear(&cfg->e[i]);
    entries_free(cfg->e, cfg->n);
    free(cfg->verb);
    free(cfg);
}

static int entry_copy(struct centry *dst, const struct centry *src)
{
    memset(dst, 0, sizeof(*dst));
    dst->set = src->set;
    dst->origin = src->origin;
    if (src->value) {
        dst->value = strdup(src->value);
        if (!dst->value)
            return CB_ERR_NOMEM;
    }
    for (size_t i = 0; i < src->list.n; i++)
        if (strvec_push(&dst->list, src->list.v[i]) != CB_OK)
            return CB_ERR_NOMEM;
    if (src->nmarks) {
        dst->marks = malloc(src->nmarks * sizeof(*dst->marks));
        if (!dst->marks)
            return CB_ERR_NOMEM;
        memcpy(dst->marks, src->marks, src->nmarks * sizeof(*dst->marks));
        dst->nmarks = src->nmarks;
    }
    return CB_OK;
}

struct cb_config *config_copy(const struct cb_config *cfg)
{
    struct cb_config *c;

    if (!cfg)
        return NULL;
    c = config_new();
    if (!c)
        return NULL;
    if (cfg->verb) {
        c->verb = strdup(cfg->verb);
        if (!c->verb)
            goto fail;
    }
    if (cfg->n) {
        c->e = entries_alloc(cfg->n);
        if (!c->e)
            goto fail;
        /* Entries that own nothing are copied as they are (renew copies
         * the config once per lineage); the others get their own copies
         * below, and until then no pointer of cfg may be freed by c. */
        memcpy(c->e, cfg->e, cfg->n * sizeof(*c->e));
        c->n = cfg->n;
    }
    for (size_t i = 0; i < cfg->n; i++) {
        if (!entry_owns(&cfg->e[i]))
            continue;
        if (entry_copy(&c->e[i], &cfg->e[i]) != CB_OK) {
            memset(&c->e[i + 1], 0, (cfg->n - i - 1) * sizeof(*c->e));
            goto fail;
        }
    }
    return c;
fail:
    config_free(c);
    return NULL;
}

const char *config_verb(const struct cb_config *cfg)
{
    return cfg && cfg->verb ? cfg->verb : "run";
}

int config_set_verb(struct cb_config *cfg, const char *verb)
{
    char *v = verb ? strdup(verb) : NULL;

    if (verb && !v)
        return CB_ERR_NOMEM;
    free(cfg->verb);
    cfg->verb = v;
    return CB_OK;
}

/* The entry for dest; with create, unknown dests are invented and the
 * array grows.  NULL when absent (reading) or on ENOMEM. */
static struct centry *entry(const struct cb_config *cfg, const char *dest,
                            int create)
{
    struct cb_config *mut = (struct cb_config *)cfg;
    int id = create ? cli_dest_intern(dest) : cli_dest_find(dest);

    if (id < 0 || !cfg)
        return NULL;
    if ((size_t)id >= cfg->n) {
        size_t nn = cli_dest_count();
        struct centry *ne;

        if (!create)
            return NULL;
        ne = realloc(mut->e, nn * sizeof(*ne));
        if (!ne)
            return NULL;
        memset(ne + mut->n, 0, (nn - mut->n) * sizeof(*ne));
        mut->e = ne;
        mut->n = nn;
    }
    return &mut->e[id];
}

static const struct cli_dest *dest_info(const char *dest)
{
    int id = cli_dest_find(dest);

    return id < 0 ? NULL : cli_dest_at((size_t)id);
}

static int is_list(const char *dest)
{
    const struct cli_dest *d = dest_info(dest);

    return d && d->type == CONFIG_T_LIST;
}

const char *config_default(const char *dest)
{
    const struct cli_dest *d = dest_info(dest);

    return d ? d->dflt : NULL;
}

const char *config_str(const struct cb_config *cfg, const char *dest)
{
    const struct centry *ce = entry(cfg, dest, 0);

    if (ce && ce->set) {
        if (is_list(dest))
            return ce->list.n ? ce->list.v[0] : NULL;
        return ce->value;
    }
    return config_default(dest);
}

long config_int(const struct cb_config *cfg, const char *dest)
{
    const char *v = config_str(cfg, dest);

    return v ? strtol(v, NULL, 10) : 0;
}

static int truthy(const char *v)
{
    return v && (strcasecmp(v, "true") == 0 || strcasecmp(v, "yes") == 0 ||
                 strcmp(v, "1") == 0 || strcasecmp(v, "on") == 0);
}

static int falsy(const char *v)
{
    return v && (strcasecmp(v, "false") == 0 || strcasecmp(v, "no") == 0 ||
                 strcmp(v, "0") == 0 || strcasecmp(v, "off") == 0);
}

int config_bool(const struct cb_config *cfg, const char *dest)
{
    return truthy(config_str(cfg, dest));
}

const char *const *config_list(const struct cb_config *cfg, const char *dest,
                               size_t *n)
{
    const struct centry *ce = entry(cfg, dest, 0);
    const struct cli_dest *d;

    if (ce && ce->set) {
        if (n)
            *n = ce->list.n;
        return ce->list.n ? (const char *const *)ce->list.v : empty_list;
    }
    d = dest_info(dest);
    if (d && d->dflt && d->type == CONFIG_T_LIST) {
        struct cli_dest *md = (struct cli_dest *)d;

        /* The registry entry lives for the process; so does this. */
        md->dflt_list[0] = d->dflt;
        md->dflt_list[1] = NULL;
        if (n)
            *n = 1;
        return md->dflt_list;
    }
    if (n)
        *n = 0;
    return empty_list;
}

const size_t *config_list_domain_marks(const struct cb_config *cfg,
                                       const char *dest, size_t *n)
{
    const struct centry *ce = entry(cfg, dest, 0);

    if (!ce || !ce->set || !ce->nmarks) {
        if (n)
            *n = 0;
        return NULL;
    }
    if (n)
        *n = ce->nmarks;
    return ce->marks;
}

enum config_origin config_origin(const struct cb_config *cfg, const char *dest)
{
    const struct centry *ce = entry(cfg, dest, 0);

    return ce && ce->set ? ce->origin : CONFIG_DEFAULT;
}

int config_is_set(const struct cb_config *cfg, const char *dest)
{
    return config_origin(cfg, dest) >= CONFIG_FILE;
}

int config_set(struct cb_config *cfg, const char *dest, const char *value,
               enum config_origin origin)
{
    struct centry *ce;
    const struct cli_dest *d;
    char *copy = NULL;

    if (!cfg || !dest)
        return CB_ERR_INVAL;
    ce = entry(cfg, dest, 1);
    if (!ce)
        return CB_ERR_NOMEM;
    if (!value) {
        entry_clear(ce);
        return CB_OK;
    }
    d = dest_info(dest);
    if (d && d->type == CONFIG_T_LIST)
        return config_list_set(cfg, dest, &value, 1, origin);
    /* Booleans are kept as Python prints them, whatever the source said. */
    if (d && d->type == CONFIG_T_BOOL && truthy(value))
        value = "True";
    else if (d && d->type == CONFIG_T_BOOL && falsy(value))
        value = "False";
    copy = strdup(value);
    if (!copy)
        return CB_ERR_NOMEM;
    free(ce->value);
    ce->value = copy;
    ce->set = 1;
    ce->origin = origin;
    return CB_OK;
}

int config_list_set(struct cb_config *cfg, const char *dest,
                    const char *const *values, size_t n,
                    enum config_origin origin)
{
    struct centry *ce;
    struct strvec nv = {0};

    if (!cfg || !dest)
        return CB_ERR_INVAL;
    ce = entry(cfg, dest, 1);
    if (!ce)
        return CB_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        if (strvec_push(&nv, values[i]) != CB_OK) {
            strvec_clear(&nv);
            return CB_ERR_NOMEM;
        }
    }
    strvec_clear(&ce->list);
    free(ce->value);
    free(ce->marks);
    ce->value = NULL;
    ce->marks = NULL;
    ce->nmarks = 0;
    ce->list = nv;
    ce->set = 1;
    ce->origin = origin;
    return CB_OK;
}

struct strvec *config_list_edit(struct cb_config *cfg, const char *dest,
                                enum config_origin origin)
{
    struct centry *ce = entry(cfg, dest, 1);

    if (!ce)
        return NULL;
    ce->set = 1;
    ce->origin = origin;
    return &ce->list;
}

int config_list_add(struct cb_config *cfg, const char *dest,
                    const char *value, enum config_origin origin)
{
    struct strvec *sv = config_list_edit(cfg, dest, origin);

    if (!sv)
        return CB_ERR_NOMEM;
    return strvec_push(sv, value);
}

int config_list_mark_last(struct cb_config *cfg, const char *dest,
                          size_t mark)
{
    struct centry *ce = entry(cfg, dest, 1);
    size_t *nm;

    if (!ce || ce->list.n == 0)
        return CB_ERR_INVAL;
    nm = realloc(ce->marks, ce->list.n * sizeof(*nm));
    if (!nm)
        return CB_ERR_NOMEM;
    /* Elements added without a mark (none today) count as before any -d. */
    for (size_t i = ce->nmarks; i + 1 < ce->list.n; i++)
        nm[i] = 0;
    nm[ce->list.n - 1] = mark;
    ce->marks = nm;
    ce->nmarks = ce->list.n;
    return CB_OK;
}

size_t config_foreach(const struct cb_config *cfg, config_visit_fn fn,
                      void *arg)
{
    size_t visited = 0;

    for (size_t i = 0; cfg && i < cfg->n; i++) {
        const struct cli_dest *d = cli_dest_at(i);

        if (!cfg->e[i].set || cfg->e[i].origin == CONFIG_DEFAULT || !d)
            continue;
        visited++;
        if (fn(d->name, cfg->e[i].origin, arg))
            break;
    }
    return visited;
}

int config_dest_info(const char *dest, enum config_type *type, int *renewal)
{
    const struct cli_dest *d = dest_info(dest);

    if (!d || !d->known)
        return CB_ERR_NOT_FOUND;
    if (type)
        *type = d->type;
    if (renewal)
        *renewal = (d->flags & CLI_F_RENEWAL) != 0;
    return CB_OK;
}

int config_dest_is_secret(const char *dest)
{
    const struct cli_dest *d = dest_info(dest);

    return d && (d->flags & CLI_F_SECRET);
}

const char *config_dest_plugin(const char *dest)
{
    const struct cli_dest *d = dest_info(dest);

    return d ? d->plugin : NULL;
}

/* Certbot's VAR_MODIFIERS: a dest counts as user-set when one of these
 * was, because setting them changes it. */
static const char *const *modifiers(const char *dest)
{
    static const char *const account[] = {"server", NULL};
    static const char *const server[] = {"dry_run", "staging", NULL};
    static const char *const webroot_map[] = {"webroot_path", NULL};

    /* renew asks for every restorable dest of every lineage */
    if (*dest != 'a' && *dest != 's' && *dest != 'w')
        return NULL;
    if (strcmp(dest, "account") == 0)
        return account;
    if (strcmp(dest, "server") == 0)
        return server;
    if (strcmp(dest, "webroot_map") == 0)
        return webroot_map;
    return NULL;
}

int config_set_by_user(const struct cb_config *cfg, const char *dest)
{
    const char *const *mods = modifiers(dest);

    for (size_t i = 0; mods && mods[i]; i++)
        if (config_set_by_user(cfg, mods[i]))
            return 1;
    return config_is_set(cfg, dest);
}

static int same_text(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcmp(a, b) == 0;
}

static int is_default_value(const struct cb_config *cfg, const char *dest)
{
    const struct centry *ce = entry(cfg, dest, 0);
    const struct cli_dest *d = dest_info(dest);
    const char *dflt = d ? d->dflt : NULL;

    if (!ce || !ce->set)
        return 1;
    if (!d)
        return ce->value == NULL;
    switch (d->type) {
    case CONFIG_T_LIST:
        if (!dflt)
            return ce->list.n == 0;
        return ce->list.n == 1 && strcmp(ce->list.v[0], dflt) == 0;
    case CONFIG_T_BOOL:
        if (!dflt || !ce->value)
            return same_text(dflt, ce->value);
        return truthy(dflt) == truthy(ce->value);
    case CONFIG_T_INT:
    case CONFIG_T_COUNT:
        if (!dflt || !ce->value)
            return same_text(dflt, ce->value);
        return strtol(dflt, NULL, 10) == strtol(ce->value, NULL, 10);
    default:
        return same_text(dflt, ce->value);
    }
}

int config_option_was_set(const struct cb_config *cfg, const char *dest)
{
    return config_set_by_user(cfg, dest) || !is_default_value(cfg, dest);
}
