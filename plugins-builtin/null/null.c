/* null: an installer that does nothing (Certbot's plugins/null.py), for
 * "run -a <auth> -i null" and tests.  Hidden from `certbot plugins` and
 * menus; every operation succeeds without effect. */
#include <stdlib.h>

#include <certbot/plugin.h>

/* No state is needed, but create must hand back a ctx; a static byte
 * avoids an allocation that destroy would have to free. */
static char null_ctx;

static int null_create(const struct cb_host *host, struct cb_handle *h,
                       void **ctx)
{
    (void)host;
    (void)h;
    *ctx = &null_ctx;
    return CB_OK;
}

static void null_destroy(void *ctx)
{
    (void)ctx;
}

static int null_noop(void *ctx)
{
    (void)ctx;
    return CB_OK;
}

static int null_names(void *ctx, struct cb_strlist *out)
{
    (void)ctx;
    (void)out;
    return CB_OK;
}

static int null_deploy(void *ctx, const char *domain, const char *cert,
                       const char *key, const char *chain,
                       const char *fullchain)
{
    (void)ctx;
    (void)domain;
    (void)cert;
    (void)key;
    (void)chain;
    (void)fullchain;
    return CB_OK;
}

static int null_enhance(void *ctx, const char *domain, const char *name,
                        const char *arg)
{
    (void)ctx;
    (void)domain;
    (void)name;
    (void)arg;
    return CB_OK;
}

static int null_save(void *ctx, const char *title, int temporary)
{
    (void)ctx;
    (void)title;
    (void)temporary;
    return CB_OK;
}

static int null_rollback(void *ctx, int n)
{
    (void)ctx;
    (void)n;
    return CB_OK;
}

static const struct cb_installer null_installer = {
    .struct_size = sizeof(struct cb_installer),
    .prepare = null_noop,
    .get_all_names = null_names,
    .deploy_cert = null_deploy,
    .enhance = null_enhance,
    .supported_enhancements = null_names,
    .save = null_save,
    .rollback_checkpoints = null_rollback,
    .recovery_routine = null_noop,
    .config_test = null_noop,
    .restart = null_noop,
};

CB_PLUGIN_DEFINE(.name = "null", .version = "5.6.0",
                 .flags = CB_PLUGIN_HIDDEN,
                 .description = "Null Installer",
                 .more_info = "Installer that doesn't do anything (for "
                              "testing).",
                 .create = null_create, .destroy = null_destroy,
                 .installer = &null_installer);
