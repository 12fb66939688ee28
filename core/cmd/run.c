/* run (the default verb): obtain or reuse a certificate, then install it
 * with the selected installer (SPEC 1, 4.1 step 8, 4.18). */
#define LOG_COMPONENT "certbot._internal.main"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/certonly_flow.h"
#include "cmd/cmd.h"
#include "lifecycle/plugin_select.h"
#include "storage/lineage.h"
#include "util/display.h"
#include "util/log.h"
#include "util/strvec.h"

/* Authenticators that cannot install: run with one of these and no
 * installer is almost certainly meant to be certonly. */
static const char *const noninstallers[] = {"standalone", "webroot",
                                            "manual", NULL};

/* The -a/--configurator/selector request, when it names one of the
 * noninstallers and no installer was requested. */
static int check_needs_installer(struct cb_config *cfg, struct cb_err *err)
{
    const char *a = config_str(cfg, "authenticator");

    if (!a)
        a = config_str(cfg, "configurator");
    if (!a || config_str(cfg, "installer"))
        return CB_OK;
    for (size_t i = 0; noninstallers[i]; i++) {
        if (strcmp(a, noninstallers[i]) == 0)
            return cb_err_set(err, CB_ERR_CONFIG,
                              "With the %s plugin, you probably want to use "
                              "the \"certonly\" command, eg:\n\n"
                              "    certbot certonly --%s\n\n"
                              "(Alternatively, add a --installer flag. See "
                              "https://eff.org/letsencrypt-plugins\n"
                              " and \"--help plugins\" for more "
                              "information.)",
                              a, a);
    }
    return CB_OK;
}

/* --must-staple needs OCSP stapling; --auto-hsts is a new-style
 * enhancement the installer must implement (SPEC 4.18 preflight). */
static int preflight(struct cb_config *cfg, const struct strvec *supported,
                     struct cb_err *err)
{
    if (config_bool(cfg, "must_staple") &&
        !strvec_contains(supported, "staple-ocsp"))
        return cb_err_set(err, CB_ERR_NOT_SUPPORTED,
                          "Must-Staple extension requested, but OCSP "
                          "stapling is not supported by the selected "
                          "installer (%s)\n\n"
                          "You can either:\n"
                          " * remove the --must-staple option from the "
                          "command line and obtain a certificate without "
                          "the Must-Staple extension, or;\n"
                          " * use the `certonly` subcommand and manually "
                          "install the certificate into the  intended "
                          "service (e.g. webserver). You must also then "
                          "manually enable OCSP stapling, as it is required "
                          "for certificates with the Must-Staple extension "
                          "to function properly.\n"
                          " * choose a different installer plugin (such as "
                          "--nginx or --apache), if possible.",
                          config_str(cfg, "installer"));
    if (config_bool(cfg, "auto_hsts") &&
        !strvec_contains(supported, "auto-hsts"))
        return cb_err_set(err, CB_ERR_NOT_SUPPORTED,
                          "One or more of the requested enhancements are "
                          "not supported by the selected installer");
    return CB_OK;
}

/* deploy_cert for each name, save after each, a titled save, restart. */
static int deploy(struct plugin_inst *inst, const struct strvec *names,
                  const struct lineage *l, struct cb_err *err)
{
    struct cb_err ignore = {0};
    int r = CB_OK;

    display_notify("Deploying certificate", 0);
    for (size_t i = 0; r == CB_OK && i < names->n; i++) {
        r = plugin_inst_deploy_cert(inst, names->v[i], l->path[LK_CERT],
                                    l->path[LK_PRIVKEY], l->path[LK_CHAIN],
                                    l->path[LK_FULLCHAIN], err);
        if (r == CB_OK)
            r = plugin_inst_save(inst, NULL, 0, err);
    }
    if (r == CB_OK)
        r = plugin_inst_save(inst, "Deployed ACME Certificate", 0, err);
    if (r != CB_OK) {
        plugin_inst_recovery_routine(inst, &ignore);
        return r;
    }
    r = plugin_inst_restart(inst, err);
    if (r != CB_OK) {
        plugin_inst_rollback(inst, 1, &ignore);
        plugin_inst_restart(inst, &ignore);
        display_notify("We were unable to install your certificate, "
                       "however, we successfully restored your server to "
                       "its prior configuration.", 0);
    }
    return r;
}

/* The old-style enhancements: applied when supported, otherwise only
 * logged when requested (redirect defaults to on for run). */
static int enhance(struct cb_config *cfg, struct plugin_inst *inst,
                   const struct strvec *supported, const struct strvec *names,
                   const struct lineage *l, struct cb_err *err)
{
    static const struct {
        const char *dest, *name, *option;
    } table[] = {
        {"hsts", "ensure-http-header", "Strict-Transport-Security"},
        {"redirect", "redirect", NULL},
        {"staple", "staple-ocsp", NULL},
        {"uir", "ensure-http-header", "Upgrade-Insecure-Requests"},
    };
    int enhanced = 0, r = CB_OK;
    char title[128];

    for (size_t t = 0; r == CB_OK && t < sizeof(table) / sizeof(table[0]);
         t++) {
        int want = config_bool(cfg, table[t].dest);
        const char *opt = table[t].option;

        if (strcmp(table[t].dest, "redirect") == 0 &&
            config_origin(cfg, "redirect") == CONFIG_DEFAULT)
            want = 1;
        if (!strvec_contains(supported, table[t].name)) {
            if (want && config_origin(cfg, table[t].dest) != CONFIG_DEFAULT)
                log_warning("Option %s is not supported by the selected "
                            "installer. Skipping enhancement.",
                            table[t].dest);
            continue;
        }
        if (!want)
            continue;
        if (!opt && strcmp(table[t].name, "staple-ocsp") == 0)
            opt = l->path[LK_CHAIN];
        for (size_t i = 0; r == CB_OK && i < names->n; i++)
            r = plugin_inst_enhance(inst, names->v[i], table[t].name, opt,
                                    err);
        snprintf(title, sizeof(title), "Add enhancement %s", table[t].name);
        if (r == CB_OK)
            r = plugin_inst_save(inst, title, 0, err);
        enhanced = 1;
    }
    if (r == CB_OK && enhanced)
        r = plugin_inst_restart(inst, err);
    return r;
}

/* "https://a", "https://a and https://b", "https://a, https://b, and
 * https://c". */
static char *https_names(const struct strvec *names)
{
    struct strvec parts = {0};
    char *s = NULL;
    size_t n = names->n;

    for (size_t i = 0; i < n; i++) {
        const char *sep = "";
        if (i > 0 && n == 2)
            sep = " and ";
        else if (i > 0 && i + 1 == n)
            sep = ", and ";
        else if (i > 0)
            sep = ", ";
        if (strvec_pushf(&parts, "%shttps://%s", sep, names->v[i]) != CB_OK)
            goto out;
    }
    s = strvec_join(&parts, "");
out:
    strvec_clear(&parts);
    return s;
}

int cmd_run(struct cmd_ctx *ctx, struct cb_err *err)
{
    struct cb_config *cfg = ctx->cfg;
    struct plugin_inst *auth = NULL, *inst = NULL;
    struct certonly_out o = {{0}, {0}, 0, 0};
    struct strvec supported = {0};
    char *https = NULL;
    int r;

    r = check_needs_installer(cfg, err);
    if (r == CB_OK)
        r = select_installer(ctx, 1, &inst, err);
    if (r == CB_OK)
        r = select_authenticator(ctx, &auth, err);
    if (r != CB_OK)
        goto out;
    log_info("Plugins selected: Authenticator %s, Installer %s",
             plugin_inst_plugin(auth)->name, plugin_inst_plugin(inst)->name);
    r = plugin_inst_supported_enhancements(inst, &supported, err);
    if (r == CB_OK)
        r = preflight(cfg, &supported, err);
    if (r == CB_OK)
        r = certonly_flow(ctx, auth, 1, &o, err);
    if (r != CB_OK || config_bool(cfg, "dry_run") || !o.choice.lineage)
        goto out;
    r = deploy(inst, &o.names, o.choice.lineage, err);
    if (r == CB_OK)
        r = enhance(cfg, inst, &supported, &o.names, o.choice.lineage, err);
    if (r != CB_OK) {
        display_notifyf(0,
                        "\nNEXT STEPS:\n- The certificate was saved, but "
                        "could not be installed (installer: %s). After "
                        "fixing the error shown below, try installing it "
                        "again by running:\n  certbot install --cert-name "
                        "%s",
                        plugin_inst_plugin(inst)->name,
                        o.choice.lineage->name);
        goto out;
    }
    if (o.renewed) {
        display_notify("Your existing certificate has been successfully "
                       "renewed, and the new certificate has been "
                       "installed.", 0);
    } else {
        https = https_names(&o.names);
        display_notifyf(0, "Congratulations! You have successfully enabled "
                        "HTTPS on %s", https ? https : "");
    }
    certonly_report_steps(cfg, o.obtained);
out:
    free(https);
    strvec_clear(&supported);
    certonly_out_free(&o);
    plugin_inst_free(auth);
    plugin_inst_free(inst);
    return r;
}
