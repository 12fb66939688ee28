/* OCSP revocation checks: see ocsp.h. */
#define LOG_COMPONENT "certbot.ocsp"

#include "crypto/ocsp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/ocsp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <unistd.h>

#include "crypto/cert.h"
#include "util/err.h"
#include "util/http.h"
#include "util/log.h"

/* Responses a little older or newer than our clock are still accepted
 * (Certbot allows five minutes). */
#define OCSP_CLOCK_SKEW_S 300L

static X509 *read_first_cert(const char *path)
{
    FILE *f = fopen(path, "r");
    X509 *x;

    if (!f)
        return NULL;
    x = PEM_read_X509(f, NULL, NULL, NULL);
    fclose(f);
    return x;
}

/* 1 when cert_path reads fine, names no OCSP responder and chain_path
 * is readable: nothing to ask, nothing to warn about. */
static int no_responder(const char *cert_path, const char *chain_path)
{
    struct cert_info ci;
    struct cb_err err = {0};
    int none;

    if (!chain_path || access(chain_path, R_OK) != 0 ||
        cert_info_load(cert_path, &ci, &err) != CB_OK)
        return 0;
    none = ci.ocsp_url == NULL;
    cert_info_free(&ci);
    if (none)
        log_debug("Cannot extract OCSP URI from %s", cert_path);
    return none;
}

/* The first OCSP URL of the certificate's AIA (caller frees), or NULL. */
static char *responder_url(X509 *cert)
{
    STACK_OF(OPENSSL_STRING) *urls = X509_get1_ocsp(cert);
    char *url = NULL;

    if (urls && sk_OPENSSL_STRING_num(urls) > 0)
        url = strdup(sk_OPENSSL_STRING_value(urls, 0));
    X509_email_free(urls);
    return url;
}

/* The DER request for cert, and the id to find in the answer. */
static int build_request(X509 *cert, X509 *issuer, unsigned char **der,
                         int *der_len, OCSP_CERTID **id_out)
{
    OCSP_REQUEST *req = OCSP_REQUEST_new();
    OCSP_CERTID *id = OCSP_cert_to_id(EVP_sha1(), cert, issuer);
    OCSP_CERTID *mine = id ? OCSP_CERTID_dup(id) : NULL;
    int r = CB_ERR_CRYPTO;

    *der = NULL;
    if (!req || !id || !mine || !OCSP_request_add0_id(req, id))
        goto out;
    id = NULL;                  /* owned by req now */
    *der_len = i2d_OCSP_REQUEST(req, der);
    if (*der_len <= 0)
        goto out;
    *id_out = mine;
    mine = NULL;
    r = CB_OK;
out:
    OCSP_CERTID_free(id);
    OCSP_CERTID_free(mine);
    OCSP_REQUEST_free(req);
    return r;
}

/* Signature by the issuer (or its delegated responder), status of our
 * certificate, and fresh enough: 1 revoked, 0 good/unknown, <0 invalid. */
static int check_response(const unsigned char *der, long len, X509 *issuer,
                          OCSP_CERTID *id, const char *cert_path)
{
    const unsigned char *p = der;
    OCSP_RESPONSE *resp = d2i_OCSP_RESPONSE(NULL, &p, len);
    OCSP_BASICRESP *bs = NULL;
    STACK_OF(X509) *trusted = sk_X509_new_null();
    X509_STORE *store = X509_STORE_new();
    ASN1_GENERALIZEDTIME *this_upd = NULL, *next_upd = NULL;
    int status, reason, r = -1;

    if (!resp) {
        log_warning("Invalid OCSP response for %s.", cert_path);
        goto out;
    }
    status = OCSP_response_status(resp);
    if (status != OCSP_RESPONSE_STATUS_SUCCESSFUL) {
        log_warning("Invalid OCSP response status for %s: %s", cert_path,
                    OCSP_response_status_str(status));
        goto out;
    }
    bs = OCSP_response_get1_basic(resp);
    if (!bs || !trusted || !store || !sk_X509_push(trusted, issuer) ||
        !X509_STORE_add_cert(store, issuer))
        goto out;
    /* The issuer signs, or certifies a responder (EKU OCSPSigning) that
     * does; the issuer is an intermediate, hence a partial chain. */
    X509_STORE_set_flags(store, X509_V_FLAG_PARTIAL_CHAIN);
    if (OCSP_basic_verify(bs, trusted, store, OCSP_TRUSTOTHER) <= 0) {
        log_warning("Invalid OCSP response for %s: the signature does not "
                    "verify.", cert_path);
        goto out;
    }
    if (!OCSP_resp_find_status(bs, id, &status, &reason, NULL, &this_upd,
                               &next_upd)) {
        log_warning("Invalid OCSP response for %s: it does not answer for "
                    "this certificate.", cert_path);
        goto out;
    }
    if (!OCSP_check_validity(this_upd, next_upd, OCSP_CLOCK_SKEW_S, -1)) {
        log_warning("Invalid OCSP response for %s: it is stale or not yet "
                    "valid.", cert_path);
        goto out;
    }
    r = status == V_OCSP_CERTSTATUS_REVOKED;
    log_debug("OCSP status for %s: %s", cert_path,
              OCSP_cert_status_str(status));
out:
    sk_X509_free(trusted);      /* issuer itself is the caller's */
    X509_STORE_free(store);
    OCSP_BASICRESP_free(bs);
    OCSP_RESPONSE_free(resp);
    return r;
}

int ocsp_revoked(const char *cert_path, const char *chain_path,
                 const char *user_agent)
{
    static const char *const hdrs[] = {
        "Content-Type: application/ocsp-request", NULL};
    X509 *cert = NULL, *issuer = NULL;
    struct http_opts opts = {1, NULL, user_agent, OCSP_TIMEOUT_MS, 0};
    struct http_client *hc = NULL;
    struct http_resp resp = {0};
    struct cb_err err = {0};
    OCSP_CERTID *id = NULL;
    unsigned char *der = NULL;
    char *url = NULL;
    int der_len = 0, revoked = 0;

    /* Most certificates name no responder (Let's Encrypt dropped OCSP):
     * learn that from the cheap reader (crypto/x509_lite.h) before
     * OpenSSL parses certificate and issuer, ~1.5M instructions each,
     * for every lineage renew looks at. */
    if (no_responder(cert_path, chain_path))
        goto out;
    cert = read_first_cert(cert_path);
    issuer = chain_path ? read_first_cert(chain_path) : NULL;
    if (!cert || !issuer) {
        log_warning("An error occurred determining the OCSP status of %s.",
                    cert_path);
        goto out;
    }
    url = responder_url(cert);
    if (!url) {
        log_debug("Cannot extract OCSP URI from %s", cert_path);
        goto out;
    }
    if (build_request(cert, issuer, &der, &der_len, &id) != CB_OK ||
        http_client_new(&opts, &hc, &err) != CB_OK) {
        log_warning("An error occurred determining the OCSP status of %s.",
                    cert_path);
        goto out;
    }
    if (http_request(hc, "POST", url, hdrs, (const char *)der,
                     (size_t)der_len, &resp, &err) != CB_OK ||
        resp.status != 200) {
        log_info("OCSP check failed for %s (are we offline?)", cert_path);
        if (cb_err_msg(&err)[0])
            log_debug("%s", cb_err_msg(&err));
        goto out;
    }
    revoked = check_response((const unsigned char *)resp.body,
                             (long)resp.body_len, issuer, id,
                             cert_path) == 1;
out:
    http_resp_free(&resp);
    http_client_free(hc);
    OCSP_CERTID_free(id);
    OPENSSL_free(der);
    free(url);
    X509_free(issuer);
    X509_free(cert);
    return revoked;
}
