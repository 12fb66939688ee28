/* Created plugins: see instance.h.  Every call is bracketed by
 * plugin_handle_begin/end so borrowed strings of the previous call are
 * freed and the plugin's message lands in the caller's err. */
#define LOG_COMPONENT "certbot._internal.plugins"

#include "plugin/instance.h"

#include <stdlib.h>
#include <string.h>

#include "plugin/dns.h"
#include "plugin/host.h"
#include "util/log.h"

struct plugin_inst {
    struct plugin *p;
    struct cb_config *cfg;
    struct cb_handle *h;
    void *ctx;
    int created;                   /* destroy is owed */
    struct plugin_dns_state dns;
};

/* A field of a table the plugin sized itself: beyond struct_size it is
 * NULL (DESIGN 3.3 rule 4). */
#define AUTH_OP(pi, op)                                                       \
    (CB_HAS((pi)->p->desc->authenticator, struct cb_authenticator, op)        \
         ? (pi)->p->desc->authenticator->op                                   \
         : NULL)
#define INST_OP(pi, op)                                                       \
    (CB_HAS((pi)->p->desc->installer, struct cb_installer, op)                \
         ? (pi)->p->desc->installer->op                                       \
         : NULL)

/* Only a plugin without its own authenticator table is driven by dns.c. */
static int uses_generic_dns(const struct plugin_inst *pi)
{
    return !pi->p->desc->authenticator && pi->p->desc->dns;
}

static int not_a(const struct plugin_inst *pi, const char *what,
                 struct cb_err *err)
{
    return cb_err_set(err, CB_ERR_PLUGIN, "The %s plugin is not an %s",
                      pi->p->name, what);
}

int plugin_inst_new(struct plugin *p, struct cb_config *cfg,
                    struct plugin_inst **out, struct cb_err *err)
{
    struct plugin_inst *pi = NULL;
    int r;

    *out = NULL;
    if (!p)
        return cb_err_set(err, CB_ERR_INVAL, "no plugin");
    if (p->broken || !p->desc)
        return cb_err_set(err, CB_ERR_PLUGIN, "%s",
                          p->broken ? p->broken : "plugin not loaded");
    pi = calloc(1, sizeof(*pi));
    if (!pi)
        return cb_err_set(err, CB_ERR_NOMEM, "out of memory");
    pi->p = p;
    pi->cfg = cfg;
    r = plugin_handle_new(p, cfg, &pi->h, err);
    if (r != CB_OK)
        goto out;
    plugin_handle_begin(pi->h);
    r = p->desc->create(plugin_host_table(), pi->h, &pi->ctx);
    r = plugin_handle_end(pi->h, r, err);
    if (r != CB_OK)
        goto out;
    pi->created = 1;
    log_debug("Initialized plugin %s", p->name);
out:
    if (r != CB_OK) {
        plugin_inst_free(pi);
        return r;
    }
    *out = pi;
    return CB_OK;
}

void plugin_inst_free(struct plugin_inst *pi)
{
    if (!pi)
        return;
    if (pi->created) {
        /* Cleared first, so a re-entrant free cannot destroy twice. */
        pi->created = 0;
        plugin_handle_begin(pi->h);
        pi->p->desc->destroy(pi->ctx);
    }
    plugin_dns_state_free(&pi->dns);
    plugin_handle_free(pi->h);
    free(pi);
}

const struct plugin *plugin_inst_plugin(const struct plugin_inst *pi)
{
    return pi ? pi->p : NULL;
}

/* Run op(ctx) inside the bracket; a NULL op is a successful no-op. */
static int call0(struct plugin_inst *pi, int (*op)(void *),
                 struct cb_err *err)
{
    int r;

    if (!op)
        return CB_OK;
    plugin_handle_begin(pi->h);
    r = op(pi->ctx);
    return plugin_handle_end(pi->h, r, err);
}

int plugin_inst_prepare(struct plugin_inst *pi, struct cb_err *err)
{
    int r = CB_OK;

    if (pi->p->desc->authenticator)
        r = call0(pi, AUTH_OP(pi, prepare), err);
    if (r == CB_OK && pi->p->desc->installer)
        r = call0(pi, INST_OP(pi, prepare), err);
    return r;
}

int plugin_inst_chall_pref(struct plugin_inst *pi, const char *ident,
                           uint32_t *types, size_t *n, struct cb_err *err)
{
    int (*op)(void *, const char *, uint32_t *, size_t *);
    size_t cap = *n;
    int r;

    if (uses_generic_dns(pi))
        return plugin_dns_chall_pref(types, n) == CB_OK
                   ? CB_OK
                   : cb_err_set(err, CB_ERR_INVAL, "no room for challenges");
    op = AUTH_OP(pi, get_chall_pref);
    if (!op)
        return not_a(pi, "authenticator", err);
    plugin_handle_begin(pi->h);
    r = op(pi->ctx, ident, types, n);
    r = plugin_handle_end(pi->h, r, err);
    if (r == CB_OK && *n > cap)
        return cb_err_set(err, CB_ERR_PLUGIN, "The %s plugin returned more "
                          "challenge types than asked for", pi->p->name);
    return r;
}

int plugin_inst_perform(struct plugin_inst *pi,
                        const struct cb_challenge *const *c, size_t n,
                        struct cb_err *err)
{
    int (*op)(void *, const struct cb_challenge *const *, size_t);
    int r;

    plugin_handle_begin(pi->h);
    if (uses_generic_dns(pi)) {
        r = plugin_dns_perform(pi->p, pi->ctx, pi->cfg, &pi->dns, c, n,
                               err);
        return plugin_handle_end(pi->h, r, err);
    }
    op = AUTH_OP(pi, perform);
    if (!op)
        return not_a(pi, "authenticator", err);
    r = op(pi->ctx, c, n);
    return plugin_handle_end(pi->h, r, err);
}

int plugin_inst_cleanup(struct plugin_inst *pi,
                        const struct cb_challenge *const *c, size_t n,
                        struct cb_err *err)
{
    int (*op)(void *, const struct cb_challenge *const *, size_t);
    int r;

    plugin_handle_begin(pi->h);
    if (uses_generic_dns(pi)) {
        r = plugin_dns_cleanup(pi->p, pi->ctx, &pi->dns, c, n);
        return plugin_handle_end(pi->h, r, err);
    }
    op = AUTH_OP(pi, cleanup);
    if (!op)
        return not_a(pi, "authenticator", err);
    r = op(pi->ctx, c, n);
    return plugin_handle_end(pi->h, r, err);
}

const char *plugin_inst_auth_hint(struct plugin_inst *pi,
                                  const struct cb_challenge *const *c,
                                  size_t n)
{
    const char *(*op)(void *, const struct cb_challenge *const *, size_t);
    const char *hint;

    if (uses_generic_dns(pi))
        return NULL;
    op = AUTH_OP(pi, auth_hint);
    if (!op)
        return NULL;
    plugin_handle_begin(pi->h);
    hint = op(pi->ctx, c, n);
    /* Copied, so the caller's "until the next call" does not depend on
     * how the plugin stores it. */
    return hint ? plugin_handle_borrow(pi->h, hint) : NULL;
}

/* ------------------------------------------------------------ installer */

static int strlist_call(struct plugin_inst *pi,
                        int (*op)(void *, struct cb_strlist *),
                        struct strvec *out, struct cb_err *err)
{
    struct cb_strlist l = {.v = out};
    int r;

    if (!op)
        return not_a(pi, "installer", err);
    plugin_handle_begin(pi->h);
    r = op(pi->ctx, &l);
    return plugin_handle_end(pi->h, r, err);
}

int plugin_inst_get_all_names(struct plugin_inst *pi, struct strvec *out,
                              struct cb_err *err)
{
    return strlist_call(pi, INST_OP(pi, get_all_names), out, err);
}

int plugin_inst_supported_enhancements(struct plugin_inst *pi,
                                       struct strvec *out,
                                       struct cb_err *err)
{
    return strlist_call(pi, INST_OP(pi, supported_enhancements), out, err);
}

int plugin_inst_deploy_cert(struct plugin_inst *pi, const char *domain,
                            const char *cert, const char *key,
                            const char *chain, const char *fullchain,
                            struct cb_err *err)
{
    int (*op)(void *, const char *, const char *, const char *, const char *,
              const char *) = INST_OP(pi, deploy_cert);
    int r;

    if (!op)
        return not_a(pi, "installer", err);
    plugin_handle_begin(pi->h);
    r = op(pi->ctx, domain, cert, key, chain, fullchain);
    return plugin_handle_end(pi->h, r, err);
}

int plugin_inst_enhance(struct plugin_inst *pi, const char *domain,
                        const char *enhancement, const char *arg,
                        struct cb_err *err)
{
    int (*op)(void *, const char *, const char *, const char *) =
        INST_OP(pi, enhance);
    int r;

    if (!op)
        return not_a(pi, "installer", err);
    plugin_handle_begin(pi->h);
    r = op(pi->ctx, domain, enhancement, arg);
    return plugin_handle_end(pi->h, r, err);
}

int plugin_inst_save(struct plugin_inst *pi, const char *title,
                     int temporary, struct cb_err *err)
{
    int (*op)(void *, const char *, int) = INST_OP(pi, save);
    int r;

    if (!op)
        return not_a(pi, "installer", err);
    plugin_handle_begin(pi->h);
    r = op(pi->ctx, title, temporary);
    return plugin_handle_end(pi->h, r, err);
}

int plugin_inst_restart(struct plugin_inst *pi, struct cb_err *err)
{
    int (*op)(void *) = INST_OP(pi, restart);

    return op ? call0(pi, op, err) : not_a(pi, "installer", err);
}

int plugin_inst_config_test(struct plugin_inst *pi, struct cb_err *err)
{
    int (*op)(void *) = INST_OP(pi, config_test);

    return op ? call0(pi, op, err) : not_a(pi, "installer", err);
}

int plugin_inst_rollback(struct plugin_inst *pi, int n, struct cb_err *err)
{
    int (*op)(void *, int) = INST_OP(pi, rollback_checkpoints);
    int r;

    if (!op)
        return not_a(pi, "installer", err);
    plugin_handle_begin(pi->h);
    r = op(pi->ctx, n);
    return plugin_handle_end(pi->h, r, err);
}

int plugin_inst_recovery_routine(struct plugin_inst *pi, struct cb_err *err)
{
    int (*op)(void *) = INST_OP(pi, recovery_routine);

    return op ? call0(pi, op, err) : not_a(pi, "installer", err);
}

int plugin_inst_renew_deploy(struct plugin_inst *pi,
                             const struct cb_lineage *lineage,
                             struct cb_err *err)
{
    int (*op)(void *, const struct cb_lineage *) = INST_OP(pi, renew_deploy);
    int r;

    if (!op)
        return CB_OK;
    plugin_handle_begin(pi->h);
    r = op(pi->ctx, lineage);
    return plugin_handle_end(pi->h, r, err);
}
