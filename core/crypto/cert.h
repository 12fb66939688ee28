/* Certificates: split a PEM chain, inspect a certificate.
 *
 * Ownership: struct cert_info owns its strings and vectors until
 * cert_info_free(). */
#ifndef CB_CRYPTO_CERT_H
#define CB_CRYPTO_CERT_H

#include <stddef.h>
#include <stdint.h>
#include <openssl/evp.h>

#include "util/err.h"
#include "util/strvec.h"

/* Split PEM text into certificates, each re-encoded as canonical PEM with
 * LF line endings ("-----BEGIN CERTIFICATE-----\n...\n-----END...-----\n").
 * Non-certificate text is ignored.  At least one certificate or error. */
int pem_split_certs(const char *pem, size_t len, struct strvec *out,
                    struct cb_err *err);

struct cert_info {
    char *serial_hex;        /* lowercase, no leading zeros ("2778cd5b...") */
    int64_t not_before;      /* Unix time */
    int64_t not_after;
    struct strvec dns;       /* SAN dNSNames in certificate order */
    struct strvec ips;       /* SAN iPAddresses as text ("127.0.0.1", "::1") */
    char *common_name;       /* subject CN or NULL */
    char *issuer_cn;         /* issuer CN or NULL */
    char *key_type;          /* "RSA" or "ECDSA" (as printed by certificates) */
    char *ocsp_url;          /* first OCSP responder URL of the AIA, or NULL */
};

/* Parse the first certificate of a PEM text / file (through
 * crypto/x509_lite.h when it can, OpenSSL otherwise: same result). */
int cert_info_from_pem(const char *pem, size_t len, struct cert_info *out,
                       struct cb_err *err);
/* The same through OpenSSL's X509 parser only (the reference). */
int cert_info_from_pem_openssl(const char *pem, size_t len,
                               struct cert_info *out, struct cb_err *err);
int cert_info_load(const char *path, struct cert_info *out,
                   struct cb_err *err);
void cert_info_free(struct cert_info *ci);

/* 1 if the certificate's public key matches key. */
int cert_matches_key(const char *cert_pem, size_t len, EVP_PKEY *key);

/* DER of the first certificate in pem (for revokeCert).  *der is
 * caller-freed (OPENSSL_free). */
int cert_pem_to_der(const char *pem, size_t len, unsigned char **der,
                    size_t *der_len, struct cb_err *err);

#endif
