/* dns-rfc2136's credentials INI: reading and validating the
 * dns_rfc2136_* keys into a struct rfc2136_server. */
#ifndef RFC2136_CREDENTIALS_H
#define RFC2136_CREDENTIALS_H

#include <certbot/host.h>

#include "client.h"

/* Fill *out from the file named by --dns-rfc2136-credentials (through
 * host->credentials_get, which prompts for the path when allowed).  The
 * strings in *out are borrowed from the host until destroy, or static.
 * Returns CB_OK or a status with the host's message (Certbot's "Missing
 * property ... (should be <label>)" from credentials_require, File not
 * found, ...) or this plugin's: a hostname server, an unknown or
 * unsupported algorithm, a bad port. */
int rfc2136_credentials_load(const struct cb_host *host, struct cb_handle *h,
                             struct rfc2136_server *out);

#endif
