/* unregister: deactivate the account on the server and delete it locally
 * (SPEC 1, 3.4; ). */
#define LOG_COMPONENT "certbot._internal.main"

#include "cmd/cmd.h"
#include "lifecycle/session.h"
#include "storage/account_store.h"
#include "util/display.h"

static int have_account(struct cb_config *cfg, struct cb_err *err)
{
    size_t n = 0;
    int r = session_account_count(cfg, &n, err);

    if (r == CB_OK && n == 0)
        r = cb_err_plain(err, CB_ERR_NOT_FOUND,
                         "Could not find existing account for server %s.",
                         config_str(cfg, "server"));
    return r;
}

int cmd_unregister(struct cmd_ctx *ctx, struct cb_err *err)
{
    struct cb_config *cfg = ctx->cfg;
    struct session s = {0};
    int yes = 0, r;

    r = have_account(cfg, err);
    if (r != CB_OK)
        goto out;
    r = display_yesno("Are you sure you would like to irrevocably deactivate "
                      "your account?",
                      "Deactivate", "Abort", 1, NULL, &yes, err);
    if (r != CB_OK)
        goto out;
    if (!yes) {
        r = cb_err_plain(err, CB_ERR_CANCELLED, "Deactivation aborted.");
        goto out;
    }
    r = session_open(cfg, &s, err);
    if (r != CB_OK)
        goto out;
    r = session_account(cfg, &s, 0, err);
    if (r != CB_OK)
        goto out;
    r = acme_account_deactivate(s.acme, err);
    if (r != CB_OK)
        goto out;
    r = account_delete(config_str(cfg, "config_dir"), s.server,
                       s.account->id, err);
    if (r != CB_OK)
        goto out;
    display_notify("Account deactivated.", 0);
out:
    session_close(&s);
    return r;
}
