#include "lifecycle/renewal_params.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "util/strvec.h"

struct store_ctx {
    struct co_section *sec;
    const struct cb_config *cfg;
    struct strvec written;   /* keys set this time, in order */
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

/* The webroot map (JSON text in the config) is a [[webroot_map]]
 * subsection of "identifier = path" keys, as configobj writes a dict. */
static int store_webroot_map(struct co_section *sec, const char *json)
{
    json_t *map = json ? json_loads(json, 0, NULL) : NULL;
    struct co_section *sub;
    const char *key;
    json_t *val;
    int r = CB_OK;

    co_remove(sec, "webroot_map");
    co_section_remove(sec, "webroot_map");
    sub = co_section_add(sec, "webroot_map");
    if (!sub)
        r = CB_ERR_NOMEM;
    json_object_foreach(map, key, val) {
        if (r == CB_OK && json_is_string(val))
            r = co_set(sub, key, json_string_value(val));
    }
    json_decref(map);
    return r;
}

/* Set one key in place (existing keys keep their position, new ones are
 * appended), as Python's configobj update does. */
static int store_one(struct store_ctx *sc, const char *dest)
{
    enum config_type type = CONFIG_T_STR;
    int renewal = 0, r;

    if (strvec_contains(&sc->written, dest))
        return CB_OK;
    if (config_dest_info(dest, &type, &renewal) != CB_OK)
        renewal = 0;
    if (!renewal && !is_always(dest))
        return CB_OK;
    if (strcmp(dest, "webroot_map") == 0) {
        r = store_webroot_map(sc->sec, config_str(sc->cfg, dest));
    } else if (type == CONFIG_T_LIST) {
        size_t n = 0;
        const char *const *v = config_list(sc->cfg, dest, &n);
        r = co_set_list(sc->sec, dest, v, n);
    } else if (type == CONFIG_T_BOOL) {
        r = co_set(sc->sec, dest,
                   config_bool(sc->cfg, dest) ? "True" : "False");
    } else if (!config_str(sc->cfg, dest)) {
        return CB_OK;
    } else {
        r = co_set(sc->sec, dest, config_str(sc->cfg, dest));
    }
    if (r == CB_OK)
        r = strvec_push(&sc->written, dest);
    return r;
}

/* User-set (argv, cli.ini) and restored (renew) values are saved;
 * defaults and runtime values only for the always-written keys. */
static int visit(const char *dest, enum config_origin origin, void *arg)
{
    struct store_ctx *sc = arg;

    if (origin < CONFIG_RENEWAL && !is_always(dest))
        return 0;
    sc->r = store_one(sc, dest);
    return sc->r != CB_OK;
}

int renewal_params_store(struct renewal_conf *rc, const struct cb_config *cfg,
                         struct cb_err *err)
{
    struct store_ctx sc = {0};
    int r;

    sc.cfg = cfg;
    sc.sec = renewal_conf_params(rc, 1);
    if (!sc.sec)
        return cb_err_set(err, CB_ERR_NOMEM, "out of memory");
    /* Certbot writes the account first in a new section. */
    sc.r = store_one(&sc, "account");
    if (sc.r == CB_OK)
        config_foreach(cfg, visit, &sc);
    for (size_t i = 0; sc.r == CB_OK && always[i]; i++)
        sc.r = store_one(&sc, always[i]);
    r = sc.r;
    /* Keys not written this time (e.g. hooks given only at first
     * issuance, unknown keys) are dropped (SPEC 3.3, A-133, A-136). */
    if (r == CB_OK)
        r = co_section_keep_only(sc.sec, &sc.written);
    strvec_clear(&sc.written);
    if (r != CB_OK)
        return cb_err_set(err, r, "cannot update %s", rc->path);
    return CB_OK;
}

/* Printable ASCII other than '"' and '\\' needs no JSON escape. */
static int json_plain(const char *s)
{
    for (; *s; s++)
        if (*s < 0x20 || *s > 0x7e || *s == '"' || *s == '\\')
            return 0;
    return 1;
}

/* The compact JSON object jansson's json_dumps(JSON_COMPACT |
 * JSON_PRESERVE_ORDER) writes for these keys, byte for byte, when no key
 * or value needs escaping; NULL otherwise (or on ENOMEM). */
static char *plain_json_map(struct co_section *sub, const struct strvec *keys)
{
    size_t len = 3;
    char *text, *p;

    for (size_t i = 0; i < keys->n; i++) {
        const char *v = co_get(sub, keys->v[i]);

        if (!v || !json_plain(keys->v[i]) || !json_plain(v))
            return NULL;
        for (size_t j = 0; j < i; j++)   /* a repeated key: jansson's */
            if (strcmp(keys->v[j], keys->v[i]) == 0)
                return NULL;
        len += strlen(keys->v[i]) + strlen(v) + 6;
    }
    text = p = malloc(len);
    if (!text)
        return NULL;
    *p++ = '{';
    for (size_t i = 0; i < keys->n; i++)
        p += sprintf(p, "%s\"%s\":\"%s\"", i ? "," : "", keys->v[i],
                     co_get(sub, keys->v[i]));
    *p++ = '}';
    *p = '\0';
    return text;
}

int renewal_params_restore_webroot_map(struct cb_config *cfg,
                                       struct co_section *params,
                                       struct cb_err *err)
{
    struct co_section *sub = co_section_get(params, "webroot_map");
    struct strvec keys = {0};
    json_t *map = NULL;
    char *text = NULL;
    enum config_type type;
    int renewal, r;

    if (!sub || config_dest_info("webroot_map", &type, &renewal) != CB_OK ||
        config_set_by_user(cfg, "webroot_map"))
        return CB_OK;
    r = co_keys(sub, &keys);
    if (r == CB_OK && (text = plain_json_map(sub, &keys)) != NULL) {
        /* the common case, without building a jansson object per lineage */
        r = config_set(cfg, "webroot_map", text, CONFIG_RENEWAL);
        goto out;
    }
    map = r == CB_OK ? json_object() : NULL;
    if (r == CB_OK && !map)
        r = CB_ERR_NOMEM;
    for (size_t i = 0; r == CB_OK && i < keys.n; i++) {
        const char *v = co_get(sub, keys.v[i]);

        if (v && json_object_set_new(map, keys.v[i], json_string(v)) != 0)
            r = CB_ERR_NOMEM;
    }
    if (r == CB_OK) {
        text = json_dumps(map, JSON_COMPACT | JSON_PRESERVE_ORDER);
        r = text ? config_set(cfg, "webroot_map", text, CONFIG_RENEWAL)
                 : CB_ERR_NOMEM;
    }
out:
    free(text);
    json_decref(map);
    strvec_clear(&keys);
    if (r != CB_OK)
        return cb_err_set(err, r, "out of memory");
    return CB_OK;
}
