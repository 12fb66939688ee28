/* ACME Renewal Information (RFC 9773): certificate identifiers and the
 * suggested renewal window, one lineage at a time or many concurrently. */
#include <ctype.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "acme/b64.h"
#include "crypto/x509_lite.h"
#include "acme/session.h"

#define ARI_DEFAULT_RETRY_S 21600L   /* 6 h when the CA gives no hint */
#define ARI_MIN_RETRY_S 60L
#define ARI_MAX_RETRY_S 86400L

/* The serial's DER content octets: big-endian, with a 0x00 in front when
 * the top bit is set so the INTEGER stays positive. */
static unsigned char *ari_serial_bytes(const ASN1_INTEGER *serial,
                                       size_t *len)
{
    BIGNUM *bn = ASN1_INTEGER_to_BN(serial, NULL);
    unsigned char *out = NULL;
    int n, pad;

    *len = 0;
    if (!bn)
        return NULL;
    n = BN_num_bytes(bn);
    out = malloc((size_t)n + 1);
    if (!out)
        goto out;
    out[0] = 0;
    BN_bn2bin(bn, out + 1);
    /* Zero encodes as one 0x00 octet. */
    pad = n == 0 || (out[1] & 0x80) != 0;
    if (!pad)
        memmove(out, out + 1, (size_t)n);
    *len = (size_t)n + (size_t)pad;
out:
    BN_free(bn);
    return out;
}

/* The identifier through the DER reader (crypto/x509_lite.h): OpenSSL's
 * X509 parse costs ~1.5M instructions, for every lineage renew looks at.
 * CB_ERR_NOT_SUPPORTED: let OpenSSL do it. */
static int ari_cert_id_lite(const char *cert_pem, size_t len, char **id)
{
    const unsigned char *aki = NULL, *serial = NULL;
    size_t aki_len = 0, serial_len = 0, der_len = 0;
    unsigned char *der = NULL;
    char *a = NULL, *b = NULL;
    int rc = x509_lite_pem_der(cert_pem, len, &der, &der_len);

    if (rc == CB_OK)
        rc = x509_lite_ari_parts(der, der_len, &aki, &aki_len, &serial,
                                 &serial_len);
    if (rc != CB_OK)
        goto out;
    a = b64url_encode(aki, aki_len);
    b = b64url_encode(serial, serial_len);
    rc = a && b && asprintf(id, "%s.%s", a, b) >= 0 ? CB_OK : CB_ERR_NOMEM;
    if (rc != CB_OK)
        *id = NULL;
out:
    free(a);
    free(b);
    free(der);
    return rc;
}

int acme_ari_cert_id(const char *cert_pem, size_t len, char **id,
                     struct cb_err *err)
{
    BIO *in = NULL;
    X509 *x = NULL;
    const ASN1_OCTET_STRING *akid;
    unsigned char *serial = NULL;
    size_t serial_len = 0;
    char *a = NULL, *b = NULL;
    int rc = CB_ERR_NOMEM;

    *id = NULL;
    rc = ari_cert_id_lite(cert_pem, len, id);
    if (rc == CB_OK)
        return rc;
    if (rc == CB_ERR_NOMEM)
        return cb_err_set(err, rc, "out of memory");
    rc = CB_ERR_NOMEM;
    in = BIO_new_mem_buf(cert_pem, (int)len);
    if (in)
        x = PEM_read_bio_X509(in, NULL, NULL, NULL);
    if (!x) {
        rc = cb_err_set(err, CB_ERR_CRYPTO, "No certificate found in PEM data");
        goto out;
    }
    akid = X509_get0_authority_key_id(x);
    if (!akid) {
        rc = cb_err_set(err, CB_ERR_NOT_SUPPORTED,
                        "The certificate has no Authority Key Identifier");
        goto out;
    }
    serial = ari_serial_bytes(X509_get0_serialNumber(x), &serial_len);
    if (!serial)
        goto out;
    a = b64url_encode(ASN1_STRING_get0_data(akid),
                      (size_t)ASN1_STRING_length(akid));
    b = b64url_encode(serial, serial_len);
    if (!a || !b || asprintf(id, "%s.%s", a, b) < 0) {
        *id = NULL;
        goto out;
    }
    rc = CB_OK;
out:
    if (rc == CB_ERR_NOMEM)
        cb_err_set(err, rc, "out of memory");
    free(a);
    free(b);
    free(serial);
    X509_free(x);
    BIO_free(in);
    ERR_clear_error();
    return rc;
}

/* RFC 3339 date-time ("2025-01-02T04:00:00.5Z", "...+01:00") to Unix time. */
static int ari_parse_time(const char *s, int64_t *out)
{
    struct tm tm;
    int y, mo, d, h, mi, sec, n = 0, oh, om;
    long off = 0;
    const char *p;

    if (!s || sscanf(s, "%4d-%2d-%2d%*1[Tt ]%2d:%2d:%2d%n", &y, &mo, &d, &h,
                     &mi, &sec, &n) != 6 || n == 0)
        return -1;
    p = s + n;
    if (*p == '.')
        for (p++; isdigit((unsigned char)*p); p++)
            ;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if ((*p == '+' || *p == '-') &&
               sscanf(p + 1, "%2d:%2d", &oh, &om) == 2) {
        off = (oh * 3600L + om * 60L) * (*p == '-' ? -1 : 1);
        p += 6;
    } else {
        return -1;
    }
    if (*p != '\0')
        return -1;
    memset(&tm, 0, sizeof(tm));
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = sec;
    *out = (int64_t)timegm(&tm) - off;
    return 0;
}

void acme_renewal_info_free(struct acme_renewal_info *ri)
{
    if (!ri)
        return;
    free(ri->explanation_url);
    memset(ri, 0, sizeof(*ri));
}

static char *ari_url(const struct acme_client *c, const char *cert_id)
{
    const char *base = acme_directory_get(c, "renewalInfo");
    size_t bl;
    char *url = NULL;

    if (!base)
        return NULL;
    bl = strlen(base);
    if (asprintf(&url, "%s%s%s", base, bl && base[bl - 1] == '/' ? "" : "/",
                 cert_id) < 0)
        return NULL;
    return url;
}

/* Read one renewalInfo response into out. */
static int ari_parse(struct acme_client *c, const char *url,
                     const struct http_resp *resp,
                     struct acme_renewal_info *out, struct cb_err *err)
{
    static const char context[] = "Unable to fetch renewal information";
    json_t *j = NULL;
    const json_t *win;
    json_error_t jerr;
    long ra;
    int rc = CB_ERR_ACME;

    memset(out, 0, sizeof(*out));
    j = json_loadb(resp->body, resp->body_len, 0, &jerr);
    if (resp->status != 200) {
        if (json_is_object(j) && json_object_get(j, "type"))
            rc = acme_problem_fail(c, j, context, err);
        else
            rc = cb_err_set(err, CB_ERR_ACME, "%s: HTTP %ld from %s", context,
                            resp->status, url);
        goto out;
    }
    win = json_object_get(j, "suggestedWindow");
    if (ari_parse_time(json_string_value(json_object_get(win, "start")),
                       &out->window_start) < 0 ||
        ari_parse_time(json_string_value(json_object_get(win, "end")),
                       &out->window_end) < 0 ||
        out->window_end < out->window_start) {
        rc = cb_err_set(err, CB_ERR_ACME,
                        "%s: no valid suggestedWindow from %s", context, url);
        goto out;
    }
    if (json_string_value(json_object_get(j, "explanationURL"))) {
        out->explanation_url = acme_json_strdup(j, "explanationURL");
        if (!out->explanation_url) {
            rc = cb_err_set(err, CB_ERR_NOMEM, "out of memory");
            goto out;
        }
    }
    /* RFC 9773 4.3: a missing or absurd Retry-After is clamped so one
     * bad reply can neither hammer the CA nor silence checks for weeks. */
    ra = http_resp_retry_after(resp, ARI_DEFAULT_RETRY_S);
    if (ra < ARI_MIN_RETRY_S)
        ra = ARI_MIN_RETRY_S;
    if (ra > ARI_MAX_RETRY_S)
        ra = ARI_MAX_RETRY_S;
    out->retry_after = ra;
    rc = CB_OK;
out:
    json_decref(j);
    return rc;
}

int acme_renewal_info_get(struct acme_client *c, const char *cert_id,
                          struct acme_renewal_info *out, struct cb_err *err)
{
    struct http_resp resp = { 0 };
    char *url = NULL;
    int rc;

    memset(out, 0, sizeof(*out));
    if (!acme_directory_get(c, "renewalInfo")) {
        rc = cb_err_set(err, CB_ERR_NOT_SUPPORTED,
                        "The ACME server does not offer renewal information");
        goto out;
    }
    url = ari_url(c, cert_id);
    if (!url) {
        rc = cb_err_set(err, CB_ERR_NOMEM, "out of memory");
        goto out;
    }
    rc = http_request(c->http, "GET", url, NULL, NULL, 0, &resp, err);
    if (rc < 0)
        goto out;
    acme_log_response("GET", url, &resp);
    rc = ari_parse(c, url, &resp, out, err);
out:
    http_resp_free(&resp);
    free(url);
    return rc;
}

int acme_renewal_info_get_many(struct acme_client *c,
                               const char *const *cert_ids, size_t n,
                               struct acme_renewal_info *outs, int *rcs,
                               struct cb_err *errs)
{
    struct http_resp *resps = NULL;
    char **urls = NULL;
    int rc = CB_ERR_NOMEM;

    for (size_t i = 0; i < n; i++) {
        memset(&outs[i], 0, sizeof(outs[i]));
        rcs[i] = CB_ERR_NOMEM;
    }
    if (n == 0)
        return CB_OK;
    if (!acme_directory_get(c, "renewalInfo")) {
        for (size_t i = 0; i < n; i++)
            rcs[i] = cb_err_set(&errs[i], CB_ERR_NOT_SUPPORTED,
                                "The ACME server does not offer renewal "
                                "information");
        return CB_OK;
    }
    resps = calloc(n, sizeof(*resps));
    urls = calloc(n, sizeof(*urls));
    if (!resps || !urls)
        goto out;
    for (size_t i = 0; i < n; i++) {
        urls[i] = ari_url(c, cert_ids[i]);
        if (!urls[i])
            goto out;
    }
    rc = http_get_many(c->http, (const char *const *)urls, n, NULL, resps, rcs,
                       errs);
    if (rc < 0)
        goto out;
    for (size_t i = 0; i < n; i++)
        if (rcs[i] == CB_OK) {
            acme_log_response("GET", urls[i], &resps[i]);
            rcs[i] = ari_parse(c, urls[i], &resps[i], &outs[i], &errs[i]);
        }
    rc = CB_OK;
out:
    for (size_t i = 0; i < n; i++) {
        if (resps)
            http_resp_free(&resps[i]);
        if (urls)
            free(urls[i]);
    }
    free(resps);
    free(urls);
    return rc;
}
