/* Command-line and cli.ini parsing with argparse's semantics (SPEC 1,
 * 2, 3.9): verb detection, abbreviated long options, repeatable and
 * comma-separated -d, "help" rewrite, config files.
 *
 * Errors: usage errors return CB_ERR_USAGE with err holding the whole
 * argparse-style text ("usage: ...\ncertbot: error: unrecognized
 * arguments: --bogus-flag"); main prints it and exits 2. */
#ifndef CB_CLI_PARSE_H
#define CB_CLI_PARSE_H

#include <stddef.h>
#include <certbot/options.h>

#include "cli/config.h"
#include "util/err.h"

/* Register a plugin's options before parsing: --<plugin>-<opt> with dest
 * <plugin with - as _>_<opt>.  description is shown by --help <plugin>.
 * stride is the plugin's option_size. Clashes with an existing flag are
 * CB_ERR_INVAL. */
int cli_add_plugin_options(const char *plugin_name, const char *description,
                           const struct cb_option *opts, size_t stride,
                           struct cb_err *err);

/* Parse argv (and, unless the verb needs none, the cli.ini files) into
 * cfg.  Relative paths of path options become absolute. */
int cli_parse(int argc, char **argv, struct cb_config *cfg,
              struct cb_err *err);

#endif
