/* ACME orders: newOrder, finalize and polling, certificate download with
 * alternate chains, revocation (RFC 8555 7.4, 7.4.2, 7.6). */
#include <stdlib.h>
#include <string.h>

#include "acme/b64.h"
#include "acme/session.h"
#include "crypto/cert.h"

#define ORDER_DEFAULT_POLL_S 1L    /* Certbot's interval: the back-off cap */
#define ORDER_DEFAULT_TIMEOUT_S 90L

void acme_order_free(struct acme_order *o)
{
    if (!o)
        return;
    free(o->url);
    free(o->status);
    strvec_clear(&o->authorizations);
    free(o->finalize);
    free(o->certificate);
    json_decref(o->json);
    memset(o, 0, sizeof(*o));
}

/* Replace o's fields (except url) with those of the order object j. */
static int order_update(struct acme_order *o, json_t *j)
{
    struct acme_order n = { 0 };
    const json_t *authz = json_object_get(j, "authorizations");
    const json_t *v;
    size_t i;

    if (!json_is_object(j))
        return CB_ERR_ACME;
    n.status = acme_json_strdup(j, "status");
    n.finalize = acme_json_strdup(j, "finalize");
    n.certificate = acme_json_strdup(j, "certificate");
    json_array_foreach(authz, i, v) {
        if (json_is_string(v) &&
            strvec_push(&n.authorizations, json_string_value(v)) < 0) {
            acme_order_free(&n);
            return CB_ERR_NOMEM;
        }
    }
    if (!n.status) {
        acme_order_free(&n);
        return CB_ERR_ACME;
    }
    n.url = o->url;
    o->url = NULL;
    n.json = json_incref(j);
    acme_order_free(o);
    *o = n;
    return CB_OK;
}

static int order_identifiers(json_t *arr, const char *type,
                             const char *const *values)
{
    for (size_t i = 0; values && values[i]; i++)
        if (json_array_append_new(arr, json_pack("{s:s, s:s}", "type", type,
                                                 "value", values[i])) < 0)
            return -1;
    return 0;
}

int acme_order_new(struct acme_client *c, const char *const *dns,
                   const char *const *ips, const char *profile,
                   const char *replaces, struct acme_order *out,
                   struct cb_err *err)
{
    static const struct acme_post_opts opts = {
        .context = "Unable to create order",
    };
    struct http_resp resp = { 0 };
    json_t *payload = NULL, *idents = json_array(), *reply = NULL;
    const char *location;
    int rc = CB_ERR_NOMEM;

    memset(out, 0, sizeof(*out));
    if (!idents || order_identifiers(idents, "dns", dns) < 0 ||
        order_identifiers(idents, "ip", ips) < 0)
        goto out;
    payload = json_pack("{s:O}", "identifiers", idents);
    if (!payload)
        goto out;
    if (profile &&
        json_object_set_new(payload, "profile", json_string(profile)) < 0)
        goto out;
    if (replaces &&
        json_object_set_new(payload, "replaces", json_string(replaces)) < 0)
        goto out;
    rc = acme_post_json(c, acme_directory_get(c, "newOrder"), payload, &opts,
                        &resp, &reply, err);
    if (rc < 0)
        goto out;
    location = http_resp_header(&resp, "Location");
    if (!location || !*location || !reply) {
        rc = cb_err_set(err, CB_ERR_ACME,
                        "%s: the server returned no order URL or body",
                        opts.context);
        goto out;
    }
    out->url = strdup(location);
    rc = out->url ? order_update(out, reply) : CB_ERR_NOMEM;
    if (rc == CB_ERR_ACME)
        cb_err_set(err, rc, "%s: the server returned a malformed order",
                   opts.context);
out:
    if (rc == CB_ERR_NOMEM)
        cb_err_set(err, rc, "out of memory");
    if (rc < 0)
        acme_order_free(out);
    json_decref(reply);
    json_decref(payload);
    json_decref(idents);
    http_resp_free(&resp);
    return rc;
}

/* POST-as-GET the order; *retry_after gets the server's hint (or dflt). */
static int order_fetch(struct acme_client *c, struct acme_order *o,
                       long dflt, long *retry_after, struct cb_err *err)
{
    static const struct acme_post_opts opts = {
        .context = "Unable to fetch order",
    };
    struct http_resp resp = { 0 };
    json_t *reply = NULL;
    int rc;

    rc = acme_post(c, o->url, NULL, &opts, &resp, &reply, err);
    if (rc < 0)
        goto out;
    if (retry_after)
        *retry_after = http_resp_retry_after(&resp, dflt);
    rc = order_update(o, reply);
    if (rc == CB_ERR_ACME)
        cb_err_set(err, rc, "%s: the server returned a malformed order",
                   opts.context);
    else if (rc == CB_ERR_NOMEM)
        cb_err_set(err, rc, "out of memory");
out:
    json_decref(reply);
    http_resp_free(&resp);
    return rc;
}

int acme_order_refresh(struct acme_client *c, struct acme_order *o,
                       struct cb_err *err)
{
    return order_fetch(c, o, ORDER_DEFAULT_POLL_S, NULL, err);
}

static int order_status_is(const struct acme_order *o, const char *s)
{
    return o->status && strcmp(o->status, s) == 0;
}

/* An invalid order: report its error document, or Certbot's words when
 * there is none. */
static int order_invalid(struct acme_client *c, const struct acme_order *o,
                         struct cb_err *err)
{
    const json_t *problem = json_object_get(o->json, "error");

    if (json_is_object(problem))
        return acme_problem_fail(c, problem, "The certificate order failed",
                                 err);
    return cb_err_set(err, CB_ERR_ACME,
                      "The certificate order failed. No further information "
                      "was provided by the server.");
}

/* Sleep for the server's hint (or the back-off when it gave none), but
 * never past the deadline. */
static void order_wait(long retry_after, int *attempt, double deadline)
{
    double left = deadline - acme_now();
    double wait = retry_after > 0
                      ? (double)retry_after
                      : acme_backoff((*attempt)++,
                                     (double)ORDER_DEFAULT_POLL_S);

    if (wait > left)
        wait = left;
    acme_sleep(wait);
}

/* POST the CSR to the finalize URL.  *not_ready is set (and err left
 * untouched) when the server answers orderNotReady. */
static int order_post_finalize(struct acme_client *c, struct acme_order *o,
                               const char *csr_b64, long *retry_after,
                               int *not_ready, struct cb_err *err)
{
    static const struct acme_post_opts opts = {
        .context = "Unable to finalize order",
    };
    struct cb_err local = { 0 };
    struct http_resp resp = { 0 };
    json_t *payload = json_pack("{s:s}", "csr", csr_b64), *reply = NULL;
    const char *type;
    int rc;

    *not_ready = 0;
    if (!payload) {
        rc = cb_err_set(err, CB_ERR_NOMEM, "out of memory");
        goto out;
    }
    rc = acme_post_json(c, o->finalize, payload, &opts, &resp, &reply, &local);
    if (rc < 0) {
        type = acme_last_problem_type(c);
        if (rc == CB_ERR_ACME && type &&
            strcmp(type, "urn:ietf:params:acme:error:orderNotReady") == 0) {
            *not_ready = 1;
            rc = CB_OK;
            goto out;
        }
        rc = cb_err_set(err, rc, "%s", local.msg);
        goto out;
    }
    *retry_after = http_resp_retry_after(&resp, -1);
    rc = order_update(o, reply);
    if (rc < 0)
        rc = cb_err_set(err, rc, "%s: the server returned a malformed order",
                        opts.context);
out:
    json_decref(reply);
    json_decref(payload);
    http_resp_free(&resp);
    return rc;
}

int acme_order_finalize(struct acme_client *c, struct acme_order *o,
                        const unsigned char *csr_der, size_t csr_len,
                        long timeout_s, struct cb_err *err)
{
    char *csr_b64 = b64url_encode(csr_der, csr_len);
    double deadline;
    long retry_after = -1;
    int finalized, tried = 0, not_ready = 0, attempt = 0, rc;

    if (timeout_s <= 0)
        timeout_s = ORDER_DEFAULT_TIMEOUT_S;
    deadline = acme_now() + (double)timeout_s;
    if (!csr_b64) {
        rc = cb_err_set(err, CB_ERR_NOMEM, "out of memory");
        goto out;
    }
    /* An order already past "ready" needs no second finalize. */
    finalized = order_status_is(o, "processing") ||
                order_status_is(o, "valid");
    for (;;) {
        /* The cached status may predate the authorizations, so the first
         * finalize is always tried; after orderNotReady it is retried
         * once polling shows the order ready. */
        if (!finalized && (!tried || order_status_is(o, "ready"))) {
            tried = 1;
            rc = order_post_finalize(c, o, csr_b64, &retry_after, &not_ready,
                                     err);
            if (rc < 0)
                goto out;
            finalized = !not_ready;
        }
        if (order_status_is(o, "valid") && o->certificate) {
            rc = CB_OK;
            goto out;
        }
        if (order_status_is(o, "invalid")) {
            rc = order_invalid(c, o, err);
            goto out;
        }
        if (acme_now() >= deadline)
            break;
        order_wait(retry_after, &attempt, deadline);
        rc = order_fetch(c, o, -1, &retry_after, err);
        if (rc < 0)
            goto out;
    }
    rc = cb_err_set(err, CB_ERR_TIMEOUT,
                    "Timed out waiting for the order to be issued after %ld "
                    "seconds", timeout_s);
out:
    free(csr_b64);
    return rc;
}

/* ---- certificates ---- */

static int cert_fetch(struct acme_client *c, const char *url,
                      struct http_resp *resp, char **pem, struct cb_err *err)
{
    static const struct acme_post_opts opts = {
        .context = "Unable to download the certificate",
        .accept = "application/pem-certificate-chain",
    };
    int rc;

    *pem = NULL;
    rc = acme_post(c, url, NULL, &opts, resp, NULL, err);
    if (rc < 0)
        return rc;
    *pem = strndup(resp->body, resp->body_len);
    if (!*pem)
        return cb_err_set(err, CB_ERR_NOMEM, "out of memory");
    return CB_OK;
}

/* Does the topmost certificate of chain have issuer CN cn? */
static int chain_top_issuer_is(const char *chain, const char *cn)
{
    struct strvec certs = { 0 };
    struct cert_info ci;
    int match = 0;

    if (pem_split_certs(chain, strlen(chain), &certs, NULL) < 0)
        goto out;
    if (cert_info_from_pem(certs.v[certs.n - 1], strlen(certs.v[certs.n - 1]),
                           &ci, NULL) < 0)
        goto out;
    match = ci.issuer_cn && strcmp(ci.issuer_cn, cn) == 0;
    cert_info_free(&ci);
out:
    strvec_clear(&certs);
    return match;
}

/* Fetch each rel="alternate" chain of resp until one's topmost issuer
 * is cn; that one replaces *chain. */
static int chain_pick_alternate(struct acme_client *c,
                                const struct http_resp *resp, const char *cn,
                                char **chain, int *matched, struct cb_err *err)
{
    struct strvec alternates = { 0 };
    struct http_resp alt_resp = { 0 };
    char *alt = NULL;
    int rc;

    rc = http_resp_links(resp, "alternate", &alternates);
    if (rc < 0) {
        rc = cb_err_set(err, rc, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < alternates.n; i++) {
        rc = cert_fetch(c, alternates.v[i], &alt_resp, &alt, err);
        http_resp_free(&alt_resp);
        if (rc < 0)
            goto out;
        if (chain_top_issuer_is(alt, cn)) {
            free(*chain);
            *chain = alt;
            alt = NULL;
            *matched = 1;
            break;
        }
        free(alt);
        alt = NULL;
    }
    rc = CB_OK;
out:
    free(alt);
    strvec_clear(&alternates);
    return rc;
}

int acme_certificate_get(struct acme_client *c, const struct acme_order *o,
                         const char *preferred_chain, char **pem,
                         int *matched, struct cb_err *err)
{
    struct http_resp resp = { 0 };
    char *chain = NULL;
    int found = 0, rc;

    *pem = NULL;
    if (matched)
        *matched = 0;
    if (!o->certificate) {
        rc = cb_err_set(err, CB_ERR_ACME,
                        "Unable to download the certificate: the order has "
                        "no certificate URL");
        goto out;
    }
    rc = cert_fetch(c, o->certificate, &resp, &chain, err);
    if (rc < 0)
        goto out;
    /* Certbot's rule (1.12+): the default chain first, then each
     * alternate; the first whose topmost certificate was issued by the
     * preferred CN wins, else the default chain. */
    if (preferred_chain) {
        found = chain_top_issuer_is(chain, preferred_chain);
        if (!found)
            rc = chain_pick_alternate(c, &resp, preferred_chain, &chain,
                                      &found, err);
        if (rc < 0)
            goto out;
    }
    if (matched)
        *matched = found;
    *pem = chain;
    chain = NULL;
    rc = CB_OK;
out:
    free(chain);
    http_resp_free(&resp);
    return rc;
}

int acme_revoke(struct acme_client *c, const unsigned char *cert_der,
                size_t der_len, int reason, int use_jwk, struct cb_err *err)
{
    const struct acme_post_opts opts = {
        .context = "Unable to revoke the certificate", .use_jwk = use_jwk,
    };
    struct http_resp resp = { 0 };
    char *cert_b64 = b64url_encode(cert_der, der_len);
    json_t *payload = NULL;
    int rc = CB_ERR_NOMEM;

    if (!cert_b64)
        goto out;
    payload = json_pack("{s:s, s:i}", "certificate", cert_b64, "reason",
                        reason);
    if (!payload)
        goto out;
    if (!acme_directory_get(c, "revokeCert")) {
        rc = cb_err_set(err, CB_ERR_ACME,
                        "%s: the ACME directory has no revokeCert URL",
                        opts.context);
        goto out;
    }
    rc = acme_post_json(c, acme_directory_get(c, "revokeCert"), payload,
                        &opts, &resp, NULL, err);
out:
    if (rc == CB_ERR_NOMEM)
        cb_err_set(err, rc, "out of memory");
    free(cert_b64);
    json_decref(payload);
    http_resp_free(&resp);
    return rc;
}
