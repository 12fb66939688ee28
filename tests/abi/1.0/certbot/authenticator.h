/* Authenticator plugins: solve ACME challenges.
 *
 * Challenges are passed as arrays of pointers so struct cb_challenge can
 * grow in a minor release without changing the array stride. */
#ifndef CERTBOT_AUTHENTICATOR_H
#define CERTBOT_AUTHENTICATOR_H

#include "abi.h"

enum cb_chall_type {
    CB_CHALL_HTTP01 = 1,
    CB_CHALL_DNS01 = 2,
    CB_CHALL_TLSALPN01 = 3,
};

enum cb_ident_type {
    CB_IDENT_DNS = 1,
    CB_IDENT_IP = 2,
};

/* Everything is borrowed from the core and valid until the op returns
 * (cleanup receives the same array that perform did). */
struct cb_challenge {
    uint32_t struct_size;
    uint32_t type;                 /* enum cb_chall_type */
    uint32_t ident_type;           /* enum cb_ident_type */
    const char *identifier;        /* "example.com", "*.example.com", "127.0.0.1" */
    const char *token;             /* the ACME token (b64url) */
    const char *key_authorization; /* token "." thumbprint */
    /* What to publish: http-01 the key authorization; dns-01 the
     * b64url(sha256(key authorization)) TXT value. */
    const char *validation;
    /* Where: http-01 "/.well-known/acme-challenge/<token>";
     * dns-01 "_acme-challenge.<domain>" (wildcard label stripped). */
    const char *validation_name;
};

struct cb_authenticator {
    uint32_t struct_size;
    int (*prepare)(void *ctx);
    /* Fill types[0..*n) with the challenge types preferred for ident, most
     * preferred first; *n holds the capacity on entry. */
    int (*get_chall_pref)(void *ctx, const char *ident, uint32_t *types,
                          size_t *n);
    int (*perform)(void *ctx, const struct cb_challenge *const *c, size_t n);
    /* Always called after perform, even if it failed; must tolerate
     * challenges that were never set up. */
    int (*cleanup)(void *ctx, const struct cb_challenge *const *c, size_t n);
    /* Optional: text shown as "Hint: ..." when challenges failed.  The
     * returned string is static or owned by ctx. */
    const char *(*auth_hint)(void *ctx, const struct cb_challenge *const *c,
                             size_t n);
};

#endif
