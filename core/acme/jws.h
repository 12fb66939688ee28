/* JSON Web Keys and Signatures for ACME (RFC 7515, 7517, 7518, 7638).
 *
 * Supported: RS256 for RSA keys; ES256/ES384/ES512 for P-256/384/521 keys
 * (signature as raw r||s, not DER); HS256/384/512 for EAB.
 * Ownership: json_t results are new references (json_decref); strings are
 * caller-freed. */
#ifndef CB_ACME_JWS_H
#define CB_ACME_JWS_H

#include <stddef.h>
#include <jansson.h>
#include <openssl/evp.h>

#include "util/err.h"

/* Public JWK with only the required members (RFC 7638 ordering is applied
 * by the thumbprint, not here). */
json_t *jwk_public(EVP_PKEY *key);
/* base64url(SHA-256(canonical JWK)) */
char *jwk_thumbprint(EVP_PKEY *key);
/* "RS256", "ES256", ... NULL if unsupported. */
const char *jws_alg(EVP_PKEY *key);

/* Flattened JWS JSON serialisation as a string.  Protected header has alg,
 * nonce, url and either kid (if non-NULL) or jwk.  payload NULL means
 * POST-as-GET (empty payload ""); otherwise the compact JSON text. */
int jws_sign(EVP_PKEY *key, const char *kid, const char *nonce,
             const char *url, const char *payload, char **out,
             struct cb_err *err);

/* External account binding JWS (RFC 8555 7.3.4) as a json object to place
 * under "externalAccountBinding".  hmac_key_b64url is the CA-given key;
 * alg "HS256" | "HS384" | "HS512". */
int jws_eab(EVP_PKEY *account_key, const char *kid,
            const char *hmac_key_b64url, const char *alg, const char *url,
            json_t **out, struct cb_err *err);

#endif
