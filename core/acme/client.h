/* An ACME (RFC 8555) client session: directory, nonces, signed requests
 * and the resource verbs Certbot needs.
 *
 * Every signed request retries once per badNonce (up to 5 times) with the
 * nonce from the error response.  A problem document becomes one line in
 * err: "<what failed>: <type without urn:ietf:params:acme:error:> :: <detail>"
 * (with the identifier when the problem names one) and CB_ERR_ACME; the
 * raw problem is kept for callers that need the type (acme_last_problem).
 *
 * Ownership: struct acme_client owns its directory, nonce and a copy of the
 * kid; the account key is borrowed and must outlive the client.  Result
 * structs own their members until their _free function. */
#ifndef CB_ACME_CLIENT_H
#define CB_ACME_CLIENT_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include <openssl/evp.h>

#include "util/err.h"
#include "util/http.h"
#include "util/strvec.h"

struct acme_client;

/* Fetch the directory.  http is borrowed.  Connection failures give
 * CB_ERR_NET naming the directory URL. */
int acme_client_new(struct http_client *http, const char *directory_url,
                    struct acme_client **out, struct cb_err *err);
void acme_client_free(struct acme_client *c);

const char *acme_directory_url(const struct acme_client *c);
/* meta.termsOfService or NULL; meta.externalAccountRequired as 0/1. */
const char *acme_terms_of_service(const struct acme_client *c);
int acme_eab_required(const struct acme_client *c);
/* Directory member ("newOrder", "renewalInfo", ...) or NULL. Borrowed. */
const char *acme_directory_get(const struct acme_client *c, const char *name);
/* The directory's "meta" object (e.g. meta.profiles for --required-profile)
 * or NULL.  Borrowed until acme_client_free. */
const json_t *acme_directory_meta(const struct acme_client *c);

/* Use key (borrowed) for signing, with kid (copied) or NULL to send jwk. */
void acme_client_set_key(struct acme_client *c, EVP_PKEY *key,
                         const char *kid);
/* The last problem document received, or NULL. Borrowed. */
const json_t *acme_last_problem(const struct acme_client *c);
/* Its "type" ("urn:ietf:params:acme:error:badNonce"), or NULL. Borrowed. */
const char *acme_last_problem_type(const struct acme_client *c);
/* One-line "<type> :: <detail> [<ident>: <type> :: <detail>; ...]" form of
 * a problem document (as used in err, without the context); caller frees. */
char *acme_problem_to_string(const json_t *problem);
/* The kid (account URL) in use, or NULL. Borrowed. */
const char *acme_client_kid(const struct acme_client *c);

/* token "." thumbprint(key); caller frees. */
char *acme_key_authorization(const struct acme_client *c, const char *token);

/* ---- accounts ---- */
struct acme_account_req {
    const char *const *contacts; /* NULL-terminated emails (no mailto:), may be NULL */
    int tos_agreed;
    int only_return_existing;
    const char *eab_kid, *eab_hmac_key, *eab_alg; /* eab_kid NULL: no EAB */
};
/* newAccount with the client's key (sent as jwk).  *account_url is the
 * Location (caller frees); *body the account object (json_decref), both
 * optional.  On success the client's kid is set to the account URL. */
int acme_account_new(struct acme_client *c, const struct acme_account_req *req,
                     char **account_url, json_t **body, struct cb_err *err);
/* POST to the account URL with {"contact": [...]} (empty list clears). */
int acme_account_update(struct acme_client *c, const char *const *contacts,
                        json_t **body, struct cb_err *err);
int acme_account_deactivate(struct acme_client *c, struct cb_err *err);
/* POST-as-GET the account URL; *body is the account object (json_decref). */
int acme_account_get(struct acme_client *c, json_t **body, struct cb_err *err);

/* ---- orders ---- */
struct acme_order {
    char *url;
    char *status;            /* pending, ready, processing, valid, invalid */
    struct strvec authorizations;
    char *finalize;
    char *certificate;       /* NULL until valid */
    json_t *json;            /* the last order object */
};
void acme_order_free(struct acme_order *o);

/* dns/ips NULL-terminated (either may be NULL).  profile and replaces
 * (ARI cert id) are optional. */
int acme_order_new(struct acme_client *c, const char *const *dns,
                   const char *const *ips, const char *profile,
                   const char *replaces, struct acme_order *out,
                   struct cb_err *err);
/* POST-as-GET the order URL into o. */
int acme_order_refresh(struct acme_client *c, struct acme_order *o,
                       struct cb_err *err);

struct acme_challenge {
    char *type;              /* "http-01", "dns-01", ... */
    char *url;
    char *token;
    char *status;
    json_t *error;           /* problem document or NULL */
};

struct acme_authz {
    char *url;
    char *status;            /* pending, valid, invalid, deactivated, ... */
    char *ident_type;        /* "dns" or "ip" */
    char *ident_value;       /* without "*." */
    int wildcard;
    struct acme_challenge *challenges;
    size_t n_challenges;
    json_t *json;
};
void acme_authz_free(struct acme_authz *a);

int acme_authz_get(struct acme_client *c, const char *url,
                   struct acme_authz *out, struct cb_err *err);
int acme_authz_deactivate(struct acme_client *c, const char *url,
                          struct cb_err *err);
/* POST {} to the challenge URL. */
int acme_challenge_answer(struct acme_client *c, const char *url,
                          struct cb_err *err);
/* Poll until the authorization is no longer pending: first wait 1 s, then
 * Retry-After (default 3 s), at most max_polls.  Returns CB_OK with the
 * final state in out (which may be "invalid"; the caller reports).  Still
 * pending after max_polls: CB_ERR_TIMEOUT, with the last state in out. */
int acme_authz_poll(struct acme_client *c, const char *url, int max_polls,
                    struct acme_authz *out, struct cb_err *err);

/* acme_authz_poll for n authorizations together (one 1 s wait, then
 * rounds over those still pending, sleeping the longest Retry-After of
 * each round), so many names do not wait in series.  outs[0..n-1] are
 * filled (free each); CB_ERR_TIMEOUT if any is still pending after
 * max_polls rounds. */
int acme_authz_poll_many(struct acme_client *c, const char *const *urls,
                         size_t n, int max_polls, struct acme_authz *outs,
                         struct cb_err *err);

/* Finalize with the CSR and poll the order until valid, honouring
 * Retry-After, bounded by timeout_s (--issuance-timeout): on expiry
 * CB_ERR_TIMEOUT.  Handles orderNotReady by polling until ready and
 * finalizing again. */
int acme_order_finalize(struct acme_client *c, struct acme_order *o,
                        const unsigned char *csr_der, size_t csr_len,
                        long timeout_s, struct cb_err *err);

/* Download the certificate chain (PEM).  With preferred_chain set, also
 * fetch each rel="alternate" chain and return the first whose topmost
 * certificate's issuer CN equals it; *matched tells whether one did
 * (may be NULL).  *pem is caller-freed. */
int acme_certificate_get(struct acme_client *c, const struct acme_order *o,
                         const char *preferred_chain, char **pem,
                         int *matched, struct cb_err *err);

/* revokeCert: der of the certificate; sign with the client's key and kid
 * (account) or, with use_jwk, with the client's key as jwk (cert key). */
int acme_revoke(struct acme_client *c, const unsigned char *cert_der,
                size_t der_len, int reason, int use_jwk, struct cb_err *err);

/* ---- renewal information (ARI, RFC 9773) ---- */

/* "base64url(AKI keyIdentifier).base64url(serial)" of the first
 * certificate in cert_pem: the ARI path segment and the value of
 * acme_order_new's replaces.  Caller frees *id.  CB_ERR_NOT_SUPPORTED
 * when the certificate has no Authority Key Identifier. */
int acme_ari_cert_id(const char *cert_pem, size_t len, char **id,
                     struct cb_err *err);

struct acme_renewal_info {
    int64_t window_start;    /* suggestedWindow, Unix time */
    int64_t window_end;
    char *explanation_url;   /* or NULL */
    long retry_after;        /* seconds before asking again (60 s..1 day) */
};
void acme_renewal_info_free(struct acme_renewal_info *ri);

/* Unauthenticated GET <renewalInfo>/<cert_id>.  CB_ERR_NOT_SUPPORTED when
 * the directory has no renewalInfo (pebble 2.4). */
int acme_renewal_info_get(struct acme_client *c, const char *cert_id,
                          struct acme_renewal_info *out, struct cb_err *err);
/* The same for n certificates at once over concurrent connections, so a
 * renew run over many lineages does not pay n round trips in a row.
 * outs[i], rcs[i] and errs[i] hold each result; returns CB_ERR_NOMEM if
 * the batch could not start, else CB_OK. */
int acme_renewal_info_get_many(struct acme_client *c,
                               const char *const *cert_ids, size_t n,
                               struct acme_renewal_info *outs, int *rcs,
                               struct cb_err *errs);

#endif
