/* Writing [renewalparams] (SPEC 3.3): only renewal-relevant options set by
 * the user (argv or cli.ini) or at run time, plus always account, server,
 * authenticator, installer (when one is used) and key_type.  The section
 * is replaced; other sections and comments survive. */
#ifndef CB_LIFECYCLE_RENEWAL_PARAMS_H
#define CB_LIFECYCLE_RENEWAL_PARAMS_H

#include "cli/config.h"
#include "storage/renewal_conf.h"
#include "util/err.h"

int renewal_params_store(struct renewal_conf *rc, const struct cb_config *cfg,
                         struct cb_err *err);

/* Certbot's _restore_webroot_config: a [[webroot_map]] subsection of
 * params becomes dest webroot_map (JSON text, origin CONFIG_RENEWAL)
 * unless the user set it (or -w) now.  No subsection: nothing to do
 * (webroot_path is restored with the other plugin options). */
int renewal_params_restore_webroot_map(struct cb_config *cfg,
                                       struct co_section *params,
                                       struct cb_err *err);

#endif
