/* register: create an ACME account for the server (SPEC 1, 4.12). */
#include <stdlib.h>

#include "cmd/cmd.h"
#include "lifecycle/session.h"

int cmd_register(struct cmd_ctx *ctx, struct cb_err *err)
{
    struct cb_config *cfg = ctx->cfg;
    struct session s = {0};
    size_t n = 0;
    int r;

    r = session_account_count(cfg, &n, err);
    if (r != CB_OK)
        return r;
    if (n > 0)
        return cb_err_plain(err, CB_ERR_EXISTS,
                            "There is an existing account; registration of "
                            "a duplicate account with this command is "
                            "currently unsupported.");
    r = session_open(cfg, &s, err);
    if (r == CB_OK)
        r = session_register(cfg, &s, err);
    session_close(&s);
    return r;
}
