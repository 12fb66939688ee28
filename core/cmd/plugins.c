/* plugins: list plugins the way Certbot's plugins_cmd does (SPEC 5.7).
 *
 * One framed notification holding one block per visible plugin, blocks
 * separated by a blank line (display_notify wraps each line at 80
 * columns, as Certbot's display does):
 *
 *   * standalone
 *   Description: Runs an HTTP server locally which serves the necessary
 *   validation files under ...
 *   Interfaces: Authenticator, Plugin
 *   Entry point: standalone = /usr/lib/certbot/plugins/standalone.so
 *   Initialized: <standalone plugin instance>      (--init / --prepare)
 *   Prep: True                                     (--prepare)
 *
 * Broken plugins (no descriptor) show "Error: <reason>" instead of the
 * description and interfaces; they are left out when an interface filter
 * is given (their interfaces are unknown) and by --prepare (they are not
 * available).  An empty list prints "No plugins". */
#define LOG_COMPONENT "certbot._internal.main"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "plugin/instance.h"
#include "util/display.h"
#include "util/log.h"

struct listing {
    int want_auth, want_inst, init, prepare;
};

static const char *interfaces(const struct plugin *p)
{
    int a = plugin_is_authenticator(p), i = plugin_is_installer(p);

    if (a && i)
        return "Authenticator, Installer, Plugin";
    if (a)
        return "Authenticator, Plugin";
    if (i)
        return "Installer, Plugin";
    return "Plugin";
}

static int wanted(const struct plugin *p, const struct listing *l)
{
    if (!p->desc)
        return !l->want_auth && !l->want_inst && !l->prepare;
    if (plugin_is_hidden(p))
        return 0;
    if (l->want_auth && !plugin_is_authenticator(p))
        return 0;
    if (l->want_inst && !plugin_is_installer(p))
        return 0;
    return 1;
}

/* Init and prepare one plugin when asked to; returns 0 when --prepare
 * leaves it out (Certbot's available(): prepared or misconfigured). */
static int init_prepare(struct cmd_ctx *ctx, struct plugin *p,
                        const struct listing *l, FILE *block)
{
    struct plugin_inst *pi = NULL;
    struct cb_err e = {0};
    int r, keep = 1;

    if (!p->desc || (!l->init && !l->prepare))
        return 1;
    r = plugin_inst_new(p, ctx->cfg, &pi, &e);
    if (r != CB_OK) {
        log_debug("Initializing %s failed: %s", p->name, cb_err_msg(&e));
        fprintf(block, "\nInitialized: error: %s", cb_err_msg(&e));
        return !l->prepare;
    }
    fprintf(block, "\nInitialized: <%s plugin instance>", p->name);
    if (l->prepare) {
        r = plugin_inst_prepare(pi, &e);
        if (r == CB_OK) {
            fputs("\nPrep: True", block);
        } else if (r == CB_ERR_MISCONFIGURED) {
            log_debug("Misconfigured %s: %s", p->name, cb_err_msg(&e));
            fprintf(block, "\nPrep: %s", cb_err_msg(&e));
        } else {
            log_debug("Prepare of %s failed: %s", p->name, cb_err_msg(&e));
            keep = 0;
        }
    }
    plugin_inst_free(pi);
    return keep;
}

static int list_one(struct cmd_ctx *ctx, struct plugin *p,
                    const struct listing *l, FILE *out, int *nshown)
{
    char *text = NULL;
    size_t len = 0;
    FILE *block = open_memstream(&text, &len);
    int keep;

    if (!block)
        return CB_ERR_NOMEM;
    fprintf(block, "* %s\n", p->name);
    /* Wrapped like Certbot's notification(), except the entry point:
     * our entry points are file paths, and a split path helps nobody. */
    if (p->desc) {
        char *line = NULL, *wrapped = NULL;
        if (asprintf(&line, "Description: %s", p->desc->description) >= 0)
            wrapped = display_wrap_lines(line);
        fprintf(block, "%s\nInterfaces: %s\n",
                wrapped ? wrapped : (line ? line : ""), interfaces(p));
        free(wrapped);
        free(line);
    } else {
        fprintf(block, "Error: %s\n", p->broken);
    }
    fprintf(block, "Entry point: %s = %s", p->name, p->path);
    keep = init_prepare(ctx, p, l, block);
    if (fclose(block) != 0) {
        free(text);
        return CB_ERR_NOMEM;
    }
    if (keep) {
        fprintf(out, "%s%s", *nshown ? "\n\n" : "", text);
        (*nshown)++;
    }
    free(text);
    return CB_OK;
}

int cmd_plugins(struct cmd_ctx *ctx, struct cb_err *err)
{
    struct listing l = {0};
    const char *const *ifaces;
    char *text = NULL;
    size_t len = 0;
    FILE *out = NULL;
    int nshown = 0, r = CB_OK;

    /* --authenticators / --installers append to dest "ifaces"; both
     * given means plugins implementing both, as in Certbot. */
    ifaces = config_list(ctx->cfg, "ifaces", NULL);
    for (size_t i = 0; ifaces && ifaces[i]; i++) {
        if (strcmp(ifaces[i], "authenticator") == 0)
            l.want_auth = 1;
        else if (strcmp(ifaces[i], "installer") == 0)
            l.want_inst = 1;
    }
    l.init = config_bool(ctx->cfg, "init");
    l.prepare = config_bool(ctx->cfg, "prepare");
    log_debug("Expected interfaces: %s%s", l.want_auth ? "Authenticator " : "",
              l.want_inst ? "Installer" : "");
    out = open_memstream(&text, &len);
    if (!out) {
        r = cb_err_set(err, CB_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; ctx->plugins && i < ctx->plugins->n; i++) {
        struct plugin *p = &ctx->plugins->items[i];

        if (!wanted(p, &l))
            continue;
        r = list_one(ctx, p, &l, out, &nshown);
        if (r != CB_OK) {
            r = cb_err_set(err, r, "out of memory");
            goto out;
        }
    }
    if (nshown == 0)
        fputs("No plugins", out);
    if (fclose(out) != 0) {
        out = NULL;
        r = cb_err_set(err, CB_ERR_NOMEM, "out of memory");
        goto out;
    }
    out = NULL;
    display_notification(text, 1, 0);
out:
    if (out)
        fclose(out);
    free(text);
    return r;
}
