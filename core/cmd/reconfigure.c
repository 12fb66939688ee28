/* reconfigure: change a lineage's stored renewal options without renewing
 * (SPEC 2, A-224..A-229; Certbot 2.3+).  The new options are tried with a
 * dry-run renewal first; only when it succeeds is [renewalparams]
 * rewritten, so a failed attempt leaves the conf byte-identical. */
#define LOG_COMPONENT "certbot._internal.main"

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/parse.h"
#include "cmd/cmd.h"
#include "lifecycle/hooks.h"
#include "lifecycle/lineage_choice.h"
#include "lifecycle/renew_lineage.h"
#include "lifecycle/renewal_params.h"
#include "lifecycle/renewal_restore.h"
#include "storage/configobj.h"
#include "storage/lineage.h"
#include "util/display.h"
#include "util/log.h"

#define DEPLOY_HOOK_QUESTION                                                 \
    "You are attempting to set a --deploy-hook. Would you like Certbot to "  \
    "run deploy hooks when it performs a dry run with the new settings? "    \
    "This will run all relevant deploy hooks, including directory hooks, "   \
    "unless --no-directory-hooks is set. This will use the current active "  \
    "certificate, and not the temporary test certificate acquired during "   \
    "the dry run."

static int same(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* The account and server a lineage renews with are not reconfigurable:
 * a different CA would need a real issuance. */
static int check_account_server(struct cb_config *lcfg,
                                struct co_section *params, struct cb_err *err)
{
    const char *stored_server = co_get(params, "server");
    const char *stored_account = co_get(params, "account");

    /* --server naming the stored CA without --account: the stored account
     * (restoring skipped it because server was set by the user). */
    if (config_set_by_user(lcfg, "server") &&
        same(config_str(lcfg, "server"), stored_server) &&
        !config_str(lcfg, "account") &&
        config_set(lcfg, "account", stored_account, CONFIG_RENEWAL) != 0)
        return cb_err_set(err, CB_ERR_NOMEM, "out of memory");
    if (same(config_str(lcfg, "server"), stored_server) &&
        same(config_str(lcfg, "account"), stored_account))
        return CB_OK;
    return cb_err_set(err, CB_ERR_CONFIG,
                      "Using reconfigure to change the ACME account or "
                      "server is not supported. If you would like to do so, "
                      "use renew with the --force-renewal flag instead of "
                      "reconfigure. Note that doing so will count against "
                      "any rate limits. For more information on this "
                      "method, see https://certbot.org/renew-reconfiguration");
}

/* A new deploy hook: ask whether the dry run should run it (default no;
 * --run-deploy-hooks answers yes beforehand). */
static int ask_run_deploy_hooks(struct cb_config *lcfg,
                                struct co_section *params, int *run,
                                struct cb_err *err)
{
    const char *hook = config_str(lcfg, "renew_hook");
    int yes = 0, r;

    *run = config_bool(lcfg, "run_deploy_hooks");
    if (*run || !hook || !config_set_by_user(lcfg, "renew_hook") ||
        same(hook, co_get(params, "renew_hook")))
        return CB_OK;
    r = display_yesno(DEPLOY_HOOK_QUESTION, "Run deploy hooks",
                      "Do not run deploy hooks", 0, "--run-deploy-hooks",
                      &yes, err);
    if (r == CB_OK)
        *run = yes;
    return r;
}

/* The dry run with the new options: a copy of lcfg, non-interactive like
 * renew, against the test server. */
static int dry_run(struct cmd_ctx *ctx, struct cb_config *lcfg,
                   struct lineage *l, int run_hooks, struct cb_err *err)
{
    struct cb_config *dcfg = config_copy(lcfg);
    struct cmd_ctx dctx = {dcfg, ctx->plugins};
    struct hook_run hr = {{0}, {0}};
    struct display_opts saved, quiet;
    const char *v;
    int r;

    if (!dcfg)
        return cb_err_set(err, CB_ERR_NOMEM, "out of memory");
    r = config_set(dcfg, "dry_run", "True", CONFIG_RUNTIME);
    if (r == 0)
        r = config_set(dcfg, "noninteractive_mode", "True", CONFIG_RUNTIME);
    if (r == 0 && run_hooks)
        r = config_set(dcfg, "run_deploy_hooks", "True", CONFIG_RUNTIME);
    if (r != 0) {
        r = cb_err_set(err, CB_ERR_NOMEM, "out of memory");
        goto out;
    }
    /* renew never prompts; neither does its rehearsal */
    display_get_opts(&saved);
    quiet = saved;
    quiet.noninteractive = 1;
    display_init(&quiet);
    r = cli_test_server_options(dcfg, "reconfigure", err);
    if (r == CB_OK)
        r = renew_lineage(&dctx, l, &hr, err);
    display_init(&saved);
    if (r != CB_OK)
        goto out;
    /* the plugins the dry run chose are what renewals will use */
    v = config_str(dcfg, "authenticator");
    if (v && !same(v, config_str(lcfg, "authenticator")))
        r = config_set(lcfg, "authenticator", v, CONFIG_RUNTIME);
    v = config_str(dcfg, "installer");
    if (r == 0 && v && !same(v, config_str(lcfg, "installer")))
        r = config_set(lcfg, "installer", v, CONFIG_RUNTIME);
    if (r != 0)
        r = cb_err_set(err, CB_ERR_NOMEM, "out of memory");
out:
    hook_run_clear(&hr);
    config_free(dcfg);
    return r;
}

/* A detached copy of [renewalparams] to compare against afterwards. */
static struct configobj *snapshot(struct co_section *params)
{
    struct configobj *doc = configobj_new();
    struct co_section *s = doc ? co_section_add(configobj_root(doc),
                                                "renewalparams") : NULL;

    if (!s || co_section_copy(s, params) != 0) {
        configobj_free(doc);
        return NULL;
    }
    return doc;
}

int cmd_reconfigure(struct cmd_ctx *ctx, struct cb_err *err)
{
    struct cb_config *cfg = ctx->cfg, *lcfg = NULL;
    const char *config_dir = config_str(cfg, "config_dir");
    struct configobj *before = NULL;
    struct co_section *params;
    struct lineage *l = NULL;
    struct strvec names = {0};
    struct strvec chosen = {0};
    const char *certname;
    char *conf = NULL;
    size_t nd = 0, ni = 0;
    int run_hooks = 0, r;

    config_list(cfg, "domains", &nd);
    config_list(cfg, "ip_addresses", &ni);
    if (nd || ni)
        return cb_err_set(err, CB_ERR_CONFIG,
                          "You have specified domains, but this function "
                          "cannot be used to modify the domains in a "
                          "certificate. If you would like to do so, you will "
                          "need to renew the certificate instead of "
                          "reconfiguring, which can be done with the flag "
                          "--force-renewal. Otherwise, remove the domains "
                          "from the command to continue "
                          "reconfiguring. You can specify which certificate "
                          "you want on the command line with flag "
                          "--cert-name instead.");
    r = lineage_choose_names(cfg, "reconfigure", 0, &chosen, err);
    if (r != CB_OK)
        goto out;
    certname = chosen.v[0];
    conf = lineage_conf_path(config_dir, certname);
    if (!conf) {
        r = cb_err_set(err, CB_ERR_NOMEM, "out of memory");
        goto out;
    }
    if (access(conf, F_OK) != 0) {
        r = cb_err_set(err, CB_ERR_NOT_FOUND,
                       "An existing certificate with name %s could not be "
                       "found. Run `certbot certificates` to list available "
                       "certificates.", certname);
        goto out;
    }
    lcfg = config_copy(cfg);
    if (!lcfg) {
        r = cb_err_set(err, CB_ERR_NOMEM, "out of memory");
        goto out;
    }
    r = lineage_load(conf, config_dir, &l, err);
    if (r == CB_OK)
        r = renewal_restore(lcfg, l->conf, err);
    if (r == CB_OK)
        r = lineage_names(l, &names, err);
    if (r == CB_OK && renewal_restore_names(lcfg, &names) != CB_OK)
        r = cb_err_set(err, CB_ERR_NOMEM, "out of memory");
    if (r != CB_OK) {
        char *why = strdup(cb_err_msg(err));

        r = cb_err_replace(err, r, "Renewal configuration file %s (cert: %s) "
                                   "produced an unexpected error: %s.",
                           conf, certname, why ? why : "out of memory");
        free(why);
        goto out;
    }
    params = renewal_conf_params(l->conf, 1);
    before = params ? snapshot(params) : NULL;
    if (!before) {
        r = cb_err_set(err, CB_ERR_NOMEM, "out of memory");
        goto out;
    }
    r = check_account_server(lcfg, params, err);
    if (r == CB_OK)
        r = ask_run_deploy_hooks(lcfg, params, &run_hooks, err);
    if (r == CB_OK)
        r = dry_run(ctx, lcfg, l, run_hooks, err);
    if (r != CB_OK)
        goto out;

    /* Only now, after the dry run worked, is the conf rewritten. */
    r = renewal_params_store(l->conf, lcfg, err);
    if (r == CB_OK)
        r = renewal_conf_save(l->conf, err);
    if (r != CB_OK)
        goto out;
    params = renewal_conf_params(l->conf, 1);
    if (co_section_equal(params, co_section_get(configobj_root(before),
                                                "renewalparams")))
        display_notify("\nNo changes were made to the renewal "
                       "configuration.", 0);
    else
        display_notify("\nSuccessfully updated configuration.\nChanges will "
                       "apply when the certificate renews.", 0);
out:
    configobj_free(before);
    strvec_clear(&names);
    lineage_free(l);
    config_free(lcfg);
    free(conf);
    strvec_clear(&chosen);
    return r;
}
