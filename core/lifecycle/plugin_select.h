/* Choosing the authenticator and installer for a verb (SPEC 5.7):
 * -a/-i, --configurator and the selector flags arrive as the dests
 * authenticator / installer / configurator; with none requested an
 * interactive run gets a menu and a non-interactive run an error.
 *
 * Ownership: the returned instance is the caller's (plugin_inst_free). */
#ifndef CB_LIFECYCLE_PLUGIN_SELECT_H
#define CB_LIFECYCLE_PLUGIN_SELECT_H

#include "cmd/cmd.h"
#include "plugin/instance.h"

/* Create and prepare the authenticator; records its name in the config
 * (dest "authenticator", runtime origin). */
int select_authenticator(struct cmd_ctx *ctx, struct plugin_inst **out,
                         struct cb_err *err);
/* The installer named by -i/--configurator, or *out = NULL when none was
 * requested and required is 0. */
int select_installer(struct cmd_ctx *ctx, int required,
                     struct plugin_inst **out, struct cb_err *err);

#endif
