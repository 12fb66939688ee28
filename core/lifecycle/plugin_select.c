#define LOG_COMPONENT "certbot._internal.plugins.selection"

#include "lifecycle/plugin_select.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/display.h"
#include "util/log.h"
#include "util/pyrepr.h"
#include "util/strvec.h"

enum want { WANT_AUTH, WANT_INST };

static int plugin_fits(const struct plugin *p, enum want w)
{
    if (p->broken)
        return 0;
    return w == WANT_AUTH ? plugin_is_authenticator(p)
                          : plugin_is_installer(p);
}

/* Interactive menu of visible plugins of the wanted kind. */
static int ask_plugin(struct cmd_ctx *ctx, enum want w, struct plugin **out,
                      struct cb_err *err)
{
    struct plugin_registry *reg = ctx->plugins;
    struct strvec labels = {0};
    struct plugin **cands = NULL;
    size_t n = 0, choice = 0;
    int r;

    cands = calloc(reg->n + 1, sizeof(*cands));
    if (!cands)
        return cb_err_set(err, CB_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < reg->n; i++) {
        struct plugin *p = &reg->items[i];
        if (!plugin_fits(p, w) || plugin_is_hidden(p))
            continue;
        cands[n++] = p;
        r = strvec_pushf(&labels, "%s (%s)", p->desc->description, p->name);
        if (r != CB_OK)
            goto out;
    }
    if (n == 0 || !display_is_interactive()) {
        r = cb_err_set(err, CB_ERR_NONINTERACTIVE,
                       "Missing command line flags. For non-interactive "
                       "execution, you will need to specify a plugin on the "
                       "command line. Run with '--help plugins' to see a "
                       "list of options.");
        goto out;
    }
    r = display_menu(w == WANT_AUTH
                         ? "How would you like to authenticate with the ACME CA?"
                         : "How would you like to install certificates?",
                     (const char *const *)labels.v, n, -1, "--authenticator",
                     &choice, err);
    if (r == CB_OK)
        *out = cands[choice];
out:
    strvec_clear(&labels);
    free(cands);
    return r;
}

static int create_and_prepare(struct cmd_ctx *ctx, struct plugin *p,
                              struct plugin_inst **out, struct cb_err *err)
{
    struct plugin_inst *pi = NULL;
    struct cb_err inner = {0};
    char rep[CB_ERR_MSG_MAX];
    int r;

    if (p->broken)
        return cb_err_set(err, CB_ERR_PLUGIN, "The %s plugin cannot be used: %s",
                          p->name, p->broken);
    r = plugin_inst_new(p, ctx->cfg, &pi, &inner);
    if (r == CB_OK)
        r = plugin_inst_prepare(pi, &inner);
    if (r != CB_OK) {
        plugin_inst_free(pi);
        /* A misconfigured plugin's own message is what the user needs;
         * Certbot wraps it the same way.  Errors that are not plugin
         * errors (ConfigurationError, e.g. the manual plugin's hook
         * validation) are not wrapped by Certbot either. */
        if (r == CB_ERR_NONINTERACTIVE || r == CB_ERR_CONFIG)
            return cb_err_set(err, r, "%s", cb_err_msg(&inner));
        py_repr(rep, sizeof(rep), cb_err_msg(&inner));
        return cb_err_set(err, r,
                          "The %s plugin is not working; there may be "
                          "problems with your existing configuration.\n"
                          "The error was: PluginError(%s)",
                          p->name, rep);
    }
    *out = pi;
    return CB_OK;
}

static int select_plugin(struct cmd_ctx *ctx, enum want w, const char *name,
                         struct plugin_inst **out, struct cb_err *err)
{
    struct plugin *p = NULL;
    int r;

    if (name) {
        p = plugin_find(ctx->plugins, name);
        if (!p || (!p->broken && !plugin_fits(p, w)))
            return cb_err_set(err, CB_ERR_PLUGIN,
                              "The requested %s plugin does not appear to be "
                              "installed",
                              name);
    } else {
        r = ask_plugin(ctx, w, &p, err);
        if (r != CB_OK)
            return r;
    }
    r = create_and_prepare(ctx, p, out, err);
    if (r == CB_OK)
        config_set(ctx->cfg, w == WANT_AUTH ? "authenticator" : "installer",
                   p->name, CONFIG_RUNTIME);
    return r;
}

int select_authenticator(struct cmd_ctx *ctx, struct plugin_inst **out,
                         struct cb_err *err)
{
    const char *name = config_str(ctx->cfg, "authenticator");

    if (!name)
        name = config_str(ctx->cfg, "configurator");
    return select_plugin(ctx, WANT_AUTH, name, out, err);
}

int select_installer(struct cmd_ctx *ctx, int required,
                     struct plugin_inst **out, struct cb_err *err)
{
    const char *name = config_str(ctx->cfg, "installer");

    if (!name)
        name = config_str(ctx->cfg, "configurator");
    *out = NULL;
    if (!name && !required)
        return CB_OK;
    return select_plugin(ctx, WANT_INST, name, out, err);
}
