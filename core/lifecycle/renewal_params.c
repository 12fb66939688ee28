#include "lifecycle/renewal_params.h"

#include <string.h>

struct store_ctx {
    struct co_section *sec;
    const struct cb_config *cfg;
    int r;
};

/* Always written (when they have a value), whoever set them. */
static const char *const always[] = {"account", "server", "authenticator",
                                     "installer", "key_type", NULL};

static int is_always(const char *dest)
{
    for (size_t i = 0; always[i]; i++)
        if (strcmp(always[i], dest) == 0)
            return 1;
    return 0;
}

static int store_one(struct store_ctx *sc, const char *dest)
{
    enum config_type type = CONFIG_T_STR;
    int renewal = 0;

    if (co_get(sc->sec, dest))
        return CB_OK;
    if (config_dest_info(dest, &type, &renewal) != CB_OK)
        renewal = is_always(dest);
    if (!renewal && !is_always(dest))
        return CB_OK;
    if (type == CONFIG_T_LIST) {
        size_t n = 0;
        const char *const *v = config_list(sc->cfg, dest, &n);
        return co_set_list(sc->sec, dest, v, n);
    }
    if (type == CONFIG_T_BOOL)
        return co_set(sc->sec, dest,
                      config_bool(sc->cfg, dest) ? "True" : "False");
    if (!config_str(sc->cfg, dest))
        return CB_OK;
    return co_set(sc->sec, dest, config_str(sc->cfg, dest));
}

static int visit(const char *dest, enum config_origin origin, void *arg)
{
    struct store_ctx *sc = arg;

    if (origin < CONFIG_FILE && !is_always(dest) && origin != CONFIG_RENEWAL)
        return 0;
    if (origin == CONFIG_RUNTIME && !is_always(dest))
        return 0;
    sc->r = store_one(sc, dest);
    return sc->r != CB_OK;
}

int renewal_params_store(struct renewal_conf *rc, const struct cb_config *cfg,
                         struct cb_err *err)
{
    struct store_ctx sc = {0};

    sc.cfg = cfg;
    sc.sec = renewal_conf_params(rc, 1);
    if (!sc.sec)
        return cb_err_set(err, CB_ERR_NOMEM, "out of memory");
    co_section_clear(sc.sec);
    /* Certbot writes the account first. */
    sc.r = store_one(&sc, "account");
    if (sc.r == CB_OK)
        config_foreach(cfg, visit, &sc);
    for (size_t i = 0; sc.r == CB_OK && always[i]; i++)
        sc.r = store_one(&sc, always[i]);
    if (sc.r != CB_OK)
        return cb_err_set(err, sc.r, "cannot update %s", rc->path);
    return CB_OK;
}
