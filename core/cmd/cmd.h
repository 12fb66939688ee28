/* Subcommands.  Each returns 0 or a negative CB_ERR_* with err set; main
 * maps CB_ERR_USAGE to exit status 2 and every other error to 1. */
#ifndef CB_CMD_CMD_H
#define CB_CMD_CMD_H

#include "cli/config.h"
#include "plugin/loader.h"
#include "util/err.h"

struct cmd_ctx {
    struct cb_config *cfg;
    struct plugin_registry *plugins;
};

int cmd_certonly(struct cmd_ctx *ctx, struct cb_err *err);
int cmd_run(struct cmd_ctx *ctx, struct cb_err *err);
int cmd_register(struct cmd_ctx *ctx, struct cb_err *err);
int cmd_certificates(struct cmd_ctx *ctx, struct cb_err *err);
int cmd_plugins(struct cmd_ctx *ctx, struct cb_err *err);
int cmd_renew(struct cmd_ctx *ctx, struct cb_err *err);
int cmd_revoke(struct cmd_ctx *ctx, struct cb_err *err);
int cmd_delete(struct cmd_ctx *ctx, struct cb_err *err);
int cmd_reconfigure(struct cmd_ctx *ctx, struct cb_err *err);
int cmd_update_account(struct cmd_ctx *ctx, struct cb_err *err);
int cmd_unregister(struct cmd_ctx *ctx, struct cb_err *err);
int cmd_show_account(struct cmd_ctx *ctx, struct cb_err *err);
int cmd_install(struct cmd_ctx *ctx, struct cb_err *err);
int cmd_enhance(struct cmd_ctx *ctx, struct cb_err *err);
int cmd_rollback(struct cmd_ctx *ctx, struct cb_err *err);

#endif
