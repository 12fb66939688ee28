/* Restoring a lineage's stored [renewalparams] into the configuration
 * renew uses for it (SPEC 3.3, 4.4; Certbot's reconstitute).
 *
 * Stored values apply only to dests the user did not set now (argv or
 * cli.ini) and get origin CONFIG_RENEWAL, so they are saved back after a
 * renewal.  Core items are typed (strings, ints, True/False booleans,
 * pref_challs); plugin options are taken only from the namespaces of the
 * stored authenticator and installer. */
#ifndef CB_LIFECYCLE_RENEWAL_RESTORE_H
#define CB_LIFECYCLE_RENEWAL_RESTORE_H

#include "cli/config.h"
#include "storage/renewal_conf.h"
#include "util/err.h"
#include "util/strvec.h"

/* Fails with CB_ERR_CONFIG and Certbot's one-line reason (for example
 * "Expected True or False for reuse_key but found maybe", or "Renewal
 * configuration file X does not specify an authenticator. Skipping.")
 * when the lineage must be counted as a parse failure.  cfg may then be
 * partly updated; callers use a copy per lineage. */
int renewal_restore(struct cb_config *cfg, struct renewal_conf *rc,
                    struct cb_err *err);

/* Certbot's reconstitute ends by setting domains (and ip_addresses) to
 * the certificate's names, runtime origin.  CB_ERR_NOMEM only. */
int renewal_restore_names(struct cb_config *cfg, const struct strvec *names);

#endif
