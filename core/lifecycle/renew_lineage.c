#define LOG_COMPONENT "certbot._internal.renewal"

#include "config.h"

#include "lifecycle/renew_lineage.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "crypto/key.h"
#include "lifecycle/lineage_choice.h"
#include "lifecycle/names.h"
#include "lifecycle/plugin_select.h"
#include "lifecycle/renewal_params.h"
#include "lifecycle/session.h"
#include "util/display.h"
#include "util/log.h"

int renew_lineage_save(struct cb_config *cfg, struct lineage *l,
                       const struct obtain_result *res, EVP_PKEY *key,
                       int reused, struct cb_err *err)
{
    char *pem = NULL;
    size_t pem_len = 0;
    int version = 0, r = CB_OK;

    if (!reused && key)
        r = key_to_pem(key, &pem, &pem_len, err);
    if (r == CB_OK)
        r = lineage_save_successor(l, res->cert, res->chain, res->fullchain,
                                   pem, pem_len, PACKAGE_VERSION, &version,
                                   err);
    if (pem)
        key_pem_free(pem, pem_len);
    if (r == CB_OK)
        r = lineage_truncate(l, RENEW_ARCHIVE_KEEP, err);
    if (r == CB_OK)
        r = renewal_params_store(l->conf, cfg, err);
    if (r == CB_OK)
        r = renewal_conf_save(l->conf, err);
    return r;
}

static int stored_true(struct lineage *l, const char *key)
{
    struct co_section *p = renewal_conf_params(l->conf, 0);
    const char *v = p ? co_get(p, key) : NULL;

    return v && strcasecmp(v, "true") == 0;
}

/* Certbot's _avoid_reuse_key_conflicts. */
static int reuse_conflicts(struct cb_config *cfg, const struct lineage *l,
                           EVP_PKEY *old, struct cb_err *err)
{
    const char *kt = config_str(cfg, "key_type");
    const char *old_type = key_type(old);
    const char *old_curve = key_curve(old);
    const char *curve = config_str(cfg, "elliptic_curve");
    const char *flag = NULL;

    if (config_set_by_user(cfg, "reuse_key") && !config_bool(cfg, "reuse_key"))
        return CB_OK;
    if (!stored_true((struct lineage *)l, "reuse_key") &&
        !config_bool(cfg, "reuse_key"))
        return CB_OK;
    if (config_bool(cfg, "new_key"))
        return CB_OK;
    if (!kt)
        kt = "ecdsa";
    if (!old_type || strcasecmp(kt, old_type) != 0)
        flag = "--key-type";
    else if (strcasecmp(kt, "rsa") == 0 &&
             config_int(cfg, "rsa_key_size") != key_rsa_bits(old))
        flag = "--rsa-key-size";
    else if (strcasecmp(kt, "ecdsa") == 0 && old_curve && curve &&
             strcasecmp(curve, old_curve) != 0)
        flag = "--elliptic-curve";
    if (!flag)
        return CB_OK;
    return cb_err_set(err, CB_ERR_CONFIG,
                      "Unable to change the %s of this certificate because "
                      "--reuse-key is set. To stop reusing the private key, "
                      "specify --no-reuse-key. To change the private key "
                      "this one time and then reuse it in future, add "
                      "--new-key.",
                      flag);
}

int renew_lineage_key(struct cb_config *cfg, const struct lineage *l,
                      EVP_PKEY **key_out, int *reused, struct cb_err *err)
{
    EVP_PKEY *old = NULL;
    const char *type = config_str(cfg, "key_type");
    const char *curve = config_str(cfg, "elliptic_curve");
    long bits = config_int(cfg, "rsa_key_size");
    int r;

    *key_out = NULL;
    *reused = 0;
    r = key_load_file(l->path[LK_PRIVKEY], &old, err);
    if (r != CB_OK)
        return r;
    r = reuse_conflicts(cfg, l, old, err);
    if (r != CB_OK)
        goto out;
    if (config_bool(cfg, "reuse_key") && !config_bool(cfg, "new_key")) {
        char bitbuf[32];

        /* The stored key's parameters describe the config from now on. */
        if (key_type(old))
            config_set(cfg, "key_type", key_type(old), CONFIG_RUNTIME);
        if (key_rsa_bits(old) > 0) {
            snprintf(bitbuf, sizeof(bitbuf), "%d", key_rsa_bits(old));
            if (strcmp(bitbuf, config_str(cfg, "rsa_key_size")) != 0)
                config_set(cfg, "rsa_key_size", bitbuf, CONFIG_RUNTIME);
        }
        if (key_curve(old) && curve && strcmp(key_curve(old), curve) != 0)
            config_set(cfg, "elliptic_curve", key_curve(old), CONFIG_RUNTIME);
        *key_out = old;
        old = NULL;
        *reused = 1;
        goto out;
    }
    r = key_generate(type ? type : "ecdsa", bits > 0 ? (int)bits : 2048,
                     curve ? curve : "secp256r1", key_out, err);
out:
    EVP_PKEY_free(old);
    return r;
}

static int is_ip(const char *s)
{
    return strchr(s, ':') != NULL || strspn(s, "0123456789.") == strlen(s);
}

/* util.is_staging */
static int is_staging(const char *server)
{
    return server && strstr(server, "staging") != NULL;
}

static int avoid_invalidating(struct cb_config *cfg, struct lineage *l,
                              const struct strvec *names, struct cb_err *err)
{
    struct co_section *p = renewal_conf_params(l->conf, 0);
    const char *orig = p ? co_get(p, "server") : NULL;
    char *joined;
    int r;

    if (!orig)
        orig = config_default("server");
    if (!is_staging(config_str(cfg, "server")) || is_staging(orig) ||
        config_bool(cfg, "break_my_certs"))
        return CB_OK;
    joined = strvec_join(names, ", ");
    r = cb_err_set(err, CB_ERR_CONFIG,
                   "You've asked to renew/replace a seemingly valid "
                   "certificate with a test certificate (domains: %s). We "
                   "will not do that unless you use the --break-my-certs "
                   "flag!",
                   joined ? joined : "");
    free(joined);
    return r;
}

/* After a renewal with an installer: its renew_deploy (unless
 * --disable-renew-updates), then a reload of the server. */
static int reload_installer(struct cb_config *cfg, struct plugin_inst *inst,
                            const struct lineage *l,
                            const struct strvec *names, struct cb_err *err)
{
    struct cb_lineage cl = {0};
    int r = CB_OK;

    cl.struct_size = sizeof(cl);
    cl.name = l->name;
    cl.cert_path = l->path[LK_CERT];
    cl.key_path = l->path[LK_PRIVKEY];
    cl.chain_path = l->path[LK_CHAIN];
    cl.fullchain_path = l->path[LK_FULLCHAIN];
    cl.names = (const char *const *)names->v;
    if (!config_bool(cfg, "disable_renew_updates"))
        r = plugin_inst_renew_deploy(inst, &cl, err);
    if (r != CB_OK)
        return r;
    display_notifyf(0, "Reloading %s server after certificate renewal",
                    plugin_inst_plugin(inst)->name);
    return plugin_inst_restart(inst, err);
}

int renew_lineage(struct cmd_ctx *ctx, struct lineage *l,
                  struct hook_run *hr, struct cb_err *err)
{
    struct cb_config *cfg = ctx->cfg;
    struct plugin_inst *auth = NULL, *inst = NULL;
    struct session s = {0};
    struct strvec names = {0}, dns = {0}, ips = {0}, renewed = {0};
    struct obtain_result res = {0};
    struct obtain_req req = {0};
    EVP_PKEY *key = NULL;
    char *summary = NULL;
    int dry = config_bool(cfg, "dry_run"), reused = 0, hooks_ran = 0, r;

    r = lineage_names(l, &names, err);
    if (r != CB_OK)
        goto out;
    r = select_authenticator(ctx, &auth, err);
    if (r == CB_OK)
        r = select_installer(ctx, 0, &inst, err);
    if (r != CB_OK)
        goto out;
    log_info("Plugins selected: Authenticator %s, Installer %s",
             plugin_inst_plugin(auth)->name,
             inst ? plugin_inst_plugin(inst)->name : "None");
    r = session_open(cfg, &s, err);
    if (r == CB_OK)
        r = session_account(cfg, &s, 1, err);
    if (r != CB_OK)
        goto out;
    config_set(cfg, "account", s.account->id, CONFIG_RUNTIME);

    hooks_pre(cfg, hr);
    hooks_ran = 1;
    summary = names_summary((const char *const *)names.v, names.n);
    display_notifyf(0, "%s %s",
                    dry ? "Simulating renewal of an existing certificate for"
                        : "Renewing an existing certificate for",
                    summary ? summary : "");
    r = avoid_invalidating(cfg, l, &names, err);
    if (r == CB_OK)
        r = renew_lineage_key(cfg, l, &key, &reused, err);
    if (r != CB_OK)
        goto out;
    for (size_t i = 0; r == CB_OK && i < names.n; i++)
        r = strvec_push(is_ip(names.v[i]) ? &ips : &dns, names.v[i]);
    if (r != CB_OK) {
        r = cb_err_set(err, r, "out of memory");
        goto out;
    }
    req.dns = (const char *const *)dns.v;
    req.ips = (const char *const *)ips.v;
    req.key = key;
    r = obtain_certificate(cfg, s.acme, auth, &req, &res, err);
    if (r != CB_OK)
        goto out;
    if (dry)
        log_debug("Dry run: skipping updating lineage at %s", l->live_dir);
    else
        r = renew_lineage_save(cfg, l, &res, key, reused, err);
    if (r != CB_OK)
        goto out;
    hooks_deploy(cfg, (const char *const *)names.v, names.n, l->live_dir);
    if (inst && !dry)
        r = reload_installer(cfg, inst, l, &names, err);
out:
    if (hooks_ran)
        hooks_post(cfg, hr, &renewed);
    free(summary);
    EVP_PKEY_free(key);
    obtain_result_free(&res);
    strvec_clear(&names);
    strvec_clear(&dns);
    strvec_clear(&ips);
    strvec_clear(&renewed);
    session_close(&s);
    plugin_inst_free(inst);
    plugin_inst_free(auth);
    return r;
}
