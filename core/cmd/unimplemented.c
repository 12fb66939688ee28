/* Subcommands not built yet.  Each says so and fails (exit 1) instead of
 * pretending; implementing one means deleting its line here and adding
 * core/cmd/<verb>.c. */
#include "cmd/cmd.h"

#define UNIMPLEMENTED(verb)                                                   \
    int cmd_##verb(struct cmd_ctx *ctx, struct cb_err *err)                   \
    {                                                                         \
        (void)ctx;                                                            \
        return cb_err_set(err, CB_ERR_NOT_SUPPORTED,                          \
                          "The " #verb " subcommand is not implemented yet.");\
    }

UNIMPLEMENTED(install)
UNIMPLEMENTED(enhance)
UNIMPLEMENTED(rollback)
