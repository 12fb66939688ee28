/* Certificate signing requests as Certbot makes them: empty subject, a
 * non-critical SAN extension with the DNS names in order then the IPs,
 * optional TLS Feature status_request (--must-staple), SHA-256. */
#ifndef CB_CRYPTO_CSR_H
#define CB_CRYPTO_CSR_H

#include <stddef.h>
#include <openssl/evp.h>

#include "util/err.h"

/* dns/ips are NULL-terminated (either may be NULL).  *der is caller-freed
 * (OPENSSL_free). */
int csr_make(EVP_PKEY *key, const char *const *dns, const char *const *ips,
             int must_staple, unsigned char **der, size_t *der_len,
             struct cb_err *err);

#endif
