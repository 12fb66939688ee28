/* Private keys: generate, serialise (PKCS#8 PEM), load.
 *
 * Ownership: EVP_PKEY results are the caller's (EVP_PKEY_free).  PEM
 * strings returned are caller-freed and hold secrets: free them with
 * key_pem_free, which wipes them. */
#ifndef CB_CRYPTO_KEY_H
#define CB_CRYPTO_KEY_H

#include <stddef.h>
#include <openssl/evp.h>

#include "util/err.h"

/* type "rsa" (bits >= 2048, else "Unsupported RSA key length: N") or
 * "ecdsa" (curve secp256r1 | secp384r1 | secp521r1; NULL: secp256r1). */
int key_generate(const char *type, int rsa_bits, const char *curve,
                 EVP_PKEY **out, struct cb_err *err);
/* PKCS#8 "-----BEGIN PRIVATE KEY-----" PEM of the private key. */
int key_to_pem(EVP_PKEY *key, char **pem, size_t *len, struct cb_err *err);
void key_pem_free(char *pem, size_t len);
int key_from_pem(const char *pem, size_t len, EVP_PKEY **out,
                 struct cb_err *err);
int key_load_file(const char *path, EVP_PKEY **out, struct cb_err *err);
/* "rsa" or "ecdsa"; NULL for anything else. */
const char *key_type(EVP_PKEY *key);
int key_rsa_bits(EVP_PKEY *key);          /* 0 if not RSA */
const char *key_curve(EVP_PKEY *key);     /* "secp256r1"..., NULL if not EC */
/* 1 if both hold the same public key. */
int key_public_equal(EVP_PKEY *a, EVP_PKEY *b);

#endif
