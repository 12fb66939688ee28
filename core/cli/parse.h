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

/* ---- additions (cli room) ----
 *
 * What cli_parse leaves in cfg besides the dests:
 *   verb "help":    -h/--help anywhere (or a first argument "help"); dest
 *                   "help_topic" holds the topic ("" for the overview).
 *                   Nothing else is parsed or checked.
 *   verb "version": --version was reached; print "certbot X.Y.Z", exit 0.
 *   otherwise the subcommand, with cli.ini and argv applied, paths made
 *   absolute, selector flags folded into "authenticator"/"installer"
 *   (their origin), SPEC 4.15 flag checks done, --quiet and renew
 *   implying noninteractive_mode, and --staging/--dry-run having set
 *   server.  Errors: CB_ERR_USAGE (exit 2; err holds the argparse-style
 *   text without a trailing newline) or CB_ERR_CONFIG (exit 1).
 * Not done here (they need crypto or the file system beyond cli.ini):
 * reading the --csr contents, hook validation, webroot path checks. */

/* Terminal log level for the parsed config: ERROR under --quiet, else
 * WARNING - 10 * (--verbose-level, or the -v count). */
int cli_log_level(const struct cb_config *cfg);

/* Python-repr of argv[1..] for the "Arguments: [...]" debug line, with the
 * values of secret options (--eab-hmac-key, CB_OPT_SECRET) replaced by
 * "********".  Caller frees; NULL on ENOMEM. */
char *cli_args_repr(int argc, char **argv);

/* Certbot's set_test_server_options for --staging/--dry-run (also what
 * reconfigure applies to its dry-run copy): the production server becomes
 * staging (dropping a production account), and a dry run implies
 * break_my_certs, staging, and with accounts on disk tos and
 * register_unsafely_without_email. */
int cli_test_server_options(struct cb_config *cfg, const char *verb,
                            struct cb_err *err);

#endif
