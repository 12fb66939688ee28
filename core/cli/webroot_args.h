/* Webroot arguments after parsing (SPEC 5.3; Certbot's _WebrootPathAction
 * and _WebrootMapAction, which run inside argparse).
 *
 * The webroot plugin cannot see the order of -w and -d, so the core
 * resolves it once argv and cli.ini are parsed:
 *   - every -w path must be an existing directory ("<path> does not exist
 *     or is not a directory");
 *   - several -w need one before every -d ("If you specify multiple
 *     webroot paths, one of them must precede all --domain and
 *     --ip-address flags");
 *   - each -d given before a later -w maps to the -w preceding it;
 *   - --webroot-map JSON keys (comma lists allowed) are added to the
 *     domains (IP literals to ip_addresses) and override -w mappings;
 *     their paths must be directories and are made absolute.
 * The result replaces dest webroot_map as a JSON object with one
 * identifier per key.  Identifiers with no mapping yet are left to the
 * plugin (the last -w, or a prompt).  --ip-address values are not
 * ordered against -w (the CLI records -d counts only): they take the
 * last -w unless --webroot-map names them.
 *
 * Does nothing when the webroot plugin (its dests) is not loaded.
 * Errors: CB_ERR_CONFIG (exit 1) with Certbot's message. */
#ifndef CB_CLI_WEBROOT_ARGS_H
#define CB_CLI_WEBROOT_ARGS_H

#include "cli/config.h"
#include "util/err.h"

int webroot_args_resolve(struct cb_config *cfg, struct cb_err *err);

#endif
