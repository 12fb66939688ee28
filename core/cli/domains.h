/* Identifier normalisation and sanity checks (SPEC 4.8). */
#ifndef CB_CLI_DOMAINS_H
#define CB_CLI_DOMAINS_H

#include "util/err.h"
#include "util/strvec.h"

/* Split raw -d values on commas, strip whitespace, lowercase, drop a
 * trailing dot, check (non-ASCII, URL, IP literal, empty or long labels,
 * length), and append new names to out in order without duplicates.
 * Errors are CB_ERR_CONFIG with Certbot's message. */
int domains_add(struct strvec *out, const char *raw, struct cb_err *err);
/* Validate/normalise an --ip-address value ("127.0.0.1", "::1"). */
int ip_address_add(struct strvec *out, const char *raw, struct cb_err *err);

#endif
