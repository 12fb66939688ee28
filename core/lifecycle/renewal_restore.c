#define LOG_COMPONENT "certbot._internal.renewal"

#include "lifecycle/renewal_restore.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lifecycle/renewal_params.h"
#include "util/log.h"
#include "util/strvec.h"

#define V1_SERVER "https://acme-v01.api.letsencrypt.org/directory"

/* Certbot's STR/INT/BOOL_CONFIG_ITEMS (renewal.py). */
static const char *const str_items[] = {
    "config_dir", "logs_dir", "work_dir", "user_agent", "server", "account",
    "authenticator", "installer", "renew_hook", "pre_hook", "post_hook",
    "http01_address", "preferred_chain", "key_type", "elliptic_curve",
    "preferred_profile", "required_profile", NULL,
};
static const char *const int_items[] = {"rsa_key_size", "http01_port", NULL};
static const char *const bool_items[] = {"must_staple",
                                         "allow_subset_of_names",
                                         "reuse_key", "autorenew", NULL};
/* Options Certbot no longer has; stored copies are ignored. */
static const char *const deprecated[] = {"manual_public_ip_logging_ok",
                                         "no_self_upgrade", "no_bootstrap",
                                         "os_packages_only",
                                         "no_permissions_check", NULL};

static int in_list(const char *const *list, const char *s)
{
    for (size_t i = 0; list[i]; i++)
        if (strcmp(list[i], s) == 0)
            return 1;
    return 0;
}

static int oom(struct cb_err *err, int r)
{
    if (r == CB_ERR_NOMEM)
        return cb_err_set(err, r, "out of memory");
    return r;
}

static int restore_pref_challs(struct cb_config *cfg,
                               const struct co_section *p, struct cb_err *err)
{
    struct strvec raw = {0}, out = {0};
    int r = co_get_list(p, "pref_challs", &raw);

    for (size_t i = 0; r == CB_OK && i < raw.n; i++) {
        const char *c = raw.v[i];
        if (strcmp(c, "http") == 0)
            c = "http-01";
        else if (strcmp(c, "dns") == 0)
            c = "dns-01";
        else if (strcmp(c, "tls-alpn") == 0)
            c = "tls-alpn-01";
        if (*c && !strvec_contains(&out, c))
            r = strvec_push(&out, c);
    }
    if (r == CB_OK)
        r = config_list_set(cfg, "pref_challs", (const char *const *)out.v,
                            out.n, CONFIG_RENEWAL);
    strvec_clear(&raw);
    strvec_clear(&out);
    return oom(err, r);
}

static int restore_bool(struct cb_config *cfg, const char *name,
                        const char *value, struct cb_err *err)
{
    if (strcasecmp(value, "true") != 0 && strcasecmp(value, "false") != 0)
        return cb_err_set(err, CB_ERR_CONFIG,
                          "Expected True or False for %s but found %s", name,
                          value);
    return oom(err, config_set(cfg, name,
                               strcasecmp(value, "true") == 0 ? "True"
                                                              : "False",
                               CONFIG_RENEWAL));
}

static int restore_int(struct cb_config *cfg, const char *name,
                       const char *value, struct cb_err *err)
{
    char *end = NULL;
    const char *p = value;

    if (strcmp(name, "http01_port") == 0 && strcmp(value, "None") == 0) {
        log_info("updating legacy http01_port value");
        return oom(err, config_set(cfg, name, NULL, CONFIG_RENEWAL));
    }
    /* Python's int(): surrounding blanks and a sign are fine. */
    while (*p == ' ' || *p == '\t')
        p++;
    errno = 0;
    (void)strtol(p, &end, 10);
    while (end && (*end == ' ' || *end == '\t'))
        end++;
    if (end == p || !end || *end != '\0' || errno == ERANGE)
        return cb_err_set(err, CB_ERR_CONFIG,
                          "Expected a numeric value for %s", name);
    return oom(err, config_set(cfg, name, p, CONFIG_RENEWAL));
}

static int restore_str(struct cb_config *cfg, const char *name,
                       const char *value, struct cb_err *err)
{
    if (strcmp(name, "server") == 0 && strcmp(value, V1_SERVER) == 0) {
        const char *v2 = config_default("server");
        log_info("Using server %s instead of legacy %s", v2, value);
        return oom(err, config_set(cfg, name, v2, CONFIG_RENEWAL));
    }
    if (strcmp(value, "None") == 0)
        return oom(err, config_set(cfg, name, NULL, CONFIG_RENEWAL));
    return oom(err, config_set(cfg, name, value, CONFIG_RENEWAL));
}

static int restore_core(struct cb_config *cfg, const struct co_section *p,
                        struct cb_err *err)
{
    int r = CB_OK;

    if (co_get(p, "pref_challs") && !config_set_by_user(cfg, "pref_challs"))
        r = restore_pref_challs(cfg, p, err);
    for (size_t i = 0; r == CB_OK && bool_items[i]; i++) {
        const char *v = co_get(p, bool_items[i]);
        if (v && !config_set_by_user(cfg, bool_items[i]))
            r = restore_bool(cfg, bool_items[i], v, err);
    }
    for (size_t i = 0; r == CB_OK && int_items[i]; i++) {
        const char *v = co_get(p, int_items[i]);
        if (v && !config_set_by_user(cfg, int_items[i]))
            r = restore_int(cfg, int_items[i], v, err);
    }
    for (size_t i = 0; r == CB_OK && str_items[i]; i++) {
        const char *v = co_get(p, str_items[i]);
        /* Lineages from before 1.25 did not store the default rsa. */
        if (!v && strcmp(str_items[i], "key_type") == 0)
            v = "rsa";
        if (v && !config_set_by_user(cfg, str_items[i]))
            r = restore_str(cfg, str_items[i], v, err);
    }
    return r;
}

/* One plugin option: None/True/False literally, lists as lists, the rest
 * as text (the flag table converts it when read). */
static int restore_plugin_item(struct cb_config *cfg,
                               const struct co_section *p, const char *key,
                               struct cb_err *err)
{
    enum config_type type = CONFIG_T_STR;
    int renewal = 0, r;
    const char *v = co_get(p, key);

    if (config_dest_info(key, &type, &renewal) != CB_OK) {
        log_debug("Ignoring stored option %s: no installed plugin has it",
                  key);
        return CB_OK;
    }
    if (!v || strcmp(v, "None") == 0)
        return oom(err, config_set(cfg, key, NULL, CONFIG_RENEWAL));
    if (type == CONFIG_T_BOOL && strcmp(v, "True") != 0 &&
        strcmp(v, "False") != 0)
        return cb_err_set(err, CB_ERR_CONFIG,
                          "Expected True or False for %s but found %s", key,
                          v);
    if (type == CONFIG_T_LIST) {
        struct strvec items = {0};
        r = co_get_list(p, key, &items);
        if (r == CB_OK)
            r = config_list_set(cfg, key, (const char *const *)items.v,
                                items.n, CONFIG_RENEWAL);
        strvec_clear(&items);
        return oom(err, r);
    }
    return oom(err, config_set(cfg, key, v, CONFIG_RENEWAL));
}

static int restore_namespace(struct cb_config *cfg,
                             const struct co_section *p, const char *plugin,
                             struct cb_err *err)
{
    struct strvec keys = {0};
    char prefix[128];
    size_t plen;
    int r;

    snprintf(prefix, sizeof(prefix), "%s_", plugin);
    for (char *c = prefix; *c; c++)
        if (*c == '-')
            *c = '_';
    plen = strlen(prefix);
    r = co_keys(p, &keys);
    for (size_t i = 0; r == CB_OK && i < keys.n; i++) {
        const char *k = keys.v[i];
        if (strncmp(k, prefix, plen) != 0 || in_list(deprecated, k))
            continue;
        if (config_set_by_user(cfg, k))
            continue;
        r = restore_plugin_item(cfg, p, k, err);
    }
    strvec_clear(&keys);
    return oom(err, r);
}

int renewal_restore(struct cb_config *cfg, struct renewal_conf *rc,
                    struct cb_err *err)
{
    struct co_section *p = renewal_conf_params(rc, 0);
    const char *auth, *inst;
    int r;

    if (!p)
        return cb_err_set(err, CB_ERR_CONFIG,
                          "Renewal configuration file %s lacks "
                          "renewalparams. Skipping.",
                          rc->path);
    auth = co_get(p, "authenticator");
    if (!auth)
        return cb_err_set(err, CB_ERR_CONFIG,
                          "Renewal configuration file %s does not specify "
                          "an authenticator. Skipping.",
                          rc->path);
    inst = co_get(p, "installer");
    if (inst && strcmp(inst, "None") == 0)
        inst = NULL;
    r = restore_core(cfg, p, err);
    /* webroot: only its path list and map (Certbot's special case). */
    if (r == CB_OK && strcmp(auth, "webroot") == 0) {
        r = renewal_params_restore_webroot_map(cfg, p, err);
        if (r == CB_OK && co_get(p, "webroot_path") &&
            !config_set_by_user(cfg, "webroot_path"))
            r = restore_plugin_item(cfg, p, "webroot_path", err);
    } else if (r == CB_OK) {
        r = restore_namespace(cfg, p, auth, err);
    }
    if (r == CB_OK && inst && strcmp(inst, auth) != 0)
        r = restore_namespace(cfg, p, inst, err);
    if (r == CB_ERR_CONFIG) {
        char reason[CB_ERR_MSG_MAX];

        snprintf(reason, sizeof(reason), "%s", cb_err_msg(err));
        return cb_err_replace(err, r,
                              "An error occurred while parsing %s. The error "
                              "was %s. Skipping the file.",
                              rc->path, reason);
    }
    return r;
}

/* Certbot's reconstitute ends by setting the config's domains to the
 * certificate's names (plugins such as webroot map them). */
int renewal_restore_names(struct cb_config *cfg, const struct strvec *names)
{
    struct strvec dns = {0}, ips = {0};
    int r = CB_OK;

    for (size_t i = 0; r == CB_OK && i < names->n; i++) {
        const char *s = names->v[i];
        int ip = strchr(s, ':') || strspn(s, "0123456789.") == strlen(s);
        r = strvec_push(ip ? &ips : &dns, s);
    }
    if (r == CB_OK)
        r = config_list_set(cfg, "domains", (const char *const *)dns.v,
                            dns.n, CONFIG_RUNTIME);
    if (r == CB_OK)
        r = config_list_set(cfg, "ip_addresses", (const char *const *)ips.v,
                            ips.n, CONFIG_RUNTIME);
    strvec_clear(&dns);
    strvec_clear(&ips);
    return r;
}
