/* --help output: the short overview, "all", "commands", one verb, a
 * topic group (security, paths, automation, testing, manage) or one plugin
 * (SPEC 1). */
#ifndef CB_CLI_HELP_H
#define CB_CLI_HELP_H

#include <stdio.h>

#include "cli/config.h"

/* topic NULL or "" prints the overview.  Returns 0. */
int cli_help(const struct cb_config *cfg, const char *topic, FILE *out);

#endif
