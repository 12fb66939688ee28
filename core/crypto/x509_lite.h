/* A small DER reader for the few certificate fields renew and
 * certificates look at, for every lineage on every run.
 *
 * Why: OpenSSL 3.0's d2i_X509 decodes the public key through its
 * provider decoder framework, about 1.5 million instructions per
 * certificate; renew over 1,000 lineages spent 90% of its time there.
 * This reader walks the DER in a few thousand instructions.  It handles
 * the common shapes (RSA or EC keys, ASCII names, UTCTime or
 * GeneralizedTime) and says CB_ERR_NOT_SUPPORTED for anything else, so
 * the caller (cert_info_from_pem) falls back to OpenSSL: the result is
 * always the same as OpenSSL's (tests/unit/test_cert.c compares them).
 * It checks no signature: nothing here trusts the certificate. */
#ifndef CB_CRYPTO_X509_LITE_H
#define CB_CRYPTO_X509_LITE_H

#include <stddef.h>

#include "crypto/cert.h"

/* The DER of the first PEM block of pem, when that block is a
 * "CERTIFICATE" (no headers, plain base64).  *der is malloc'd, caller
 * frees.  CB_ERR_NOT_SUPPORTED otherwise. */
int x509_lite_pem_der(const char *pem, size_t len, unsigned char **der,
                      size_t *der_len);

/* Fill out (zeroed first; caller frees with cert_info_free) from DER.
 * CB_ERR_NOT_SUPPORTED for shapes left to OpenSSL, CB_ERR_NOMEM. */
int x509_lite_info(const unsigned char *der, size_t len,
                   struct cert_info *out);

/* Does the private key (PEM: PKCS#8, or traditional RSA / EC) belong to
 * the certificate?  1 yes, 0 no, CB_ERR_NOT_SUPPORTED: ask OpenSSL
 * (cert_matches_key).  Compares the public halves, as EVP_PKEY_eq does:
 * RSA modulus and exponent, or the EC curve and public point (from the
 * key's optional publicKey field). */
int x509_lite_key_matches(const char *cert_pem, size_t cert_len,
                          const char *key_pem, size_t key_len);

/* The parts of an ARI certificate identifier (RFC 9773): the Authority
 * Key Identifier's keyIdentifier and the serial's DER content octets,
 * both pointing into der.  CB_ERR_NOT_SUPPORTED when either is missing
 * or unusual (OpenSSL then decides, and words the error). */
int x509_lite_ari_parts(const unsigned char *der, size_t len,
                        const unsigned char **aki, size_t *aki_len,
                        const unsigned char **serial, size_t *serial_len);

#endif
