/* See x509_lite.h: the certificate fields of struct cert_info, read
 * straight from the DER (RFC 5280 section 4.1). */
#include "crypto/x509_lite.h"

#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define UNSUP CB_ERR_NOT_SUPPORTED

struct der {
    const unsigned char *p;
    size_t n;
};

/* One TLV off the front of d (single-octet tags, definite lengths). */
static int der_next(struct der *d, unsigned *tag, struct der *val)
{
    size_t len, hl = 2;

    if (d->n < 2 || (d->p[0] & 0x1f) == 0x1f)
        return -1;
    *tag = d->p[0];
    len = d->p[1];
    if (len & 0x80) {
        size_t k = len & 0x7f;

        if (k == 0 || k > 4 || d->n < 2 + k)
            return -1;
        len = 0;
        for (size_t i = 0; i < k; i++)
            len = (len << 8) | d->p[2 + i];
        hl = 2 + k;
    }
    if (len > d->n - hl)
        return -1;
    val->p = d->p + hl;
    val->n = len;
    d->p += hl + len;
    d->n -= hl + len;
    return 0;
}

/* the next TLV must carry tag */
static int der_expect(struct der *d, unsigned tag, struct der *val)
{
    unsigned t;

    return der_next(d, &t, val) == 0 && t == tag ? 0 : -1;
}

static int oid_is(const struct der *v, const unsigned char *oid, size_t n)
{
    return v->n == n && memcmp(v->p, oid, n) == 0;
}

static const unsigned char OID_CN[] = {0x55, 0x04, 0x03};
static const unsigned char OID_SAN[] = {0x55, 0x1d, 0x11};
static const unsigned char OID_AIA[] = {0x2b, 0x06, 0x01, 0x05,
                                        0x05, 0x07, 0x01, 0x01};
static const unsigned char OID_OCSP[] = {0x2b, 0x06, 0x01, 0x05,
                                         0x05, 0x07, 0x30, 0x01};
static const unsigned char OID_RSA[] = {0x2a, 0x86, 0x48, 0x86, 0xf7,
                                        0x0d, 0x01, 0x01, 0x01};
static const unsigned char OID_EC[] = {0x2a, 0x86, 0x48, 0xce,
                                       0x3d, 0x02, 0x01};

/* ---------------------------------------------------------------- PEM */

/* base64 alphabet -> value, -1 elsewhere (a table: this loop runs over
 * every certificate renew reads) */
static signed char b64_tab[256];
static int b64_ready;

static void b64_init(void)
{
    static const char alpha[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    memset(b64_tab, -1, sizeof(b64_tab));
    for (int i = 0; i < 64; i++)
        b64_tab[(unsigned char)alpha[i]] = (signed char)i;
    b64_ready = 1;
}

static int b64_val(unsigned char c)
{
    return b64_tab[c];
}

int x509_lite_pem_der(const char *pem, size_t len, unsigned char **der,
                      size_t *der_len)
{
    static const char begin[] = "-----BEGIN CERTIFICATE-----";
    static const char end[] = "-----END CERTIFICATE-----";
    const char *b = memmem(pem, len, "-----BEGIN ", 11), *e, *p;
    unsigned char *out;
    uint32_t acc = 0;
    size_t bits = 0, n = 0, pad = 0;

    *der = NULL;
    *der_len = 0;
    if (!b64_ready)
        b64_init();
    if (!b || (size_t)(pem + len - b) < sizeof(begin) - 1 ||
        memcmp(b, begin, sizeof(begin) - 1) != 0)
        return UNSUP;
    p = b + sizeof(begin) - 1;
    e = memmem(p, (size_t)(pem + len - p), end, sizeof(end) - 1);
    if (!e)
        return UNSUP;
    out = malloc((size_t)(e - p) / 4 * 3 + 3);
    if (!out)
        return CB_ERR_NOMEM;
    for (; p < e; p++) {
        unsigned char c = (unsigned char)*p;
        int v;

        if (c == '\n' || c == '\r' || c == ' ' || c == '\t')
            continue;
        if (c == '=') {
            pad++;
            continue;
        }
        v = b64_val(c);
        if (v < 0 || pad) {       /* headers, or data after padding */
            free(out);
            return UNSUP;
        }
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[n++] = (unsigned char)(acc >> bits);
        }
    }
    if (n == 0 || pad > 2) {
        free(out);
        return UNSUP;
    }
    *der = out;
    *der_len = n;
    return CB_OK;
}

/* --------------------------------------------------------------- fields */

/* Lowercase hex without leading zeros; negative serials go to OpenSSL. */
static int lite_serial(const struct der *v, char **out)
{
    static const char hex[] = "0123456789abcdef";
    size_t i = 0, j = 0;
    char *s;

    if (v->n == 0 || (v->p[0] & 0x80))
        return UNSUP;
    while (i + 1 < v->n && v->p[i] == 0)
        i++;
    s = malloc((v->n - i) * 2 + 1);
    if (!s)
        return CB_ERR_NOMEM;
    for (; i < v->n; i++) {
        s[j++] = hex[v->p[i] >> 4];
        s[j++] = hex[v->p[i] & 15];
    }
    s[j] = '\0';
    if (s[0] == '0' && s[1] != '\0')
        memmove(s, s + 1, j);
    *out = s;
    return CB_OK;
}

static int digits(const unsigned char *p, int n)
{
    int v = 0;

    for (int i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return -1;
        v = v * 10 + (p[i] - '0');
    }
    return v;
}

/* days since 1970-01-01 of a proleptic Gregorian date */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    int64_t era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* UTCTime YYMMDDHHMMSSZ or GeneralizedTime YYYYMMDDHHMMSSZ, the only
 * forms RFC 5280 allows; anything else goes to OpenSSL. */
static int lite_time(unsigned tag, const struct der *v, int64_t *out)
{
    const unsigned char *p = v->p;
    int y, mo, d, h, mi, s;

    if (tag == 0x17 && v->n == 13 && p[12] == 'Z') {
        y = digits(p, 2);
        if (y < 0)
            return UNSUP;
        y += y < 50 ? 2000 : 1900;
        p += 2;
    } else if (tag == 0x18 && v->n == 15 && p[14] == 'Z') {
        y = digits(p, 4);
        if (y < 0)
            return UNSUP;
        p += 4;
    } else {
        return UNSUP;
    }
    mo = digits(p, 2);
    d = digits(p + 2, 2);
    h = digits(p + 4, 2);
    mi = digits(p + 6, 2);
    s = digits(p + 8, 2);
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 ||
        mi < 0 || mi > 59 || s < 0 || s > 59)
        return UNSUP;
    *out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
    return CB_OK;
}

/* The first CN of a Name, when it is plain ASCII in a string type that
 * OpenSSL would hand back unchanged; NULL when the name has none. */
static int lite_cn(const struct der *name, char **out)
{
    struct der rdns = *name, rdn, atv, oid, val;
    unsigned tag;

    *out = NULL;
    while (rdns.n) {
        if (der_expect(&rdns, 0x31, &rdn) < 0)
            return UNSUP;
        while (rdn.n) {
            if (der_expect(&rdn, 0x30, &atv) < 0 ||
                der_expect(&atv, 0x06, &oid) < 0 ||
                der_next(&atv, &tag, &val) < 0)
                return UNSUP;
            if (!oid_is(&oid, OID_CN, sizeof(OID_CN)))
                continue;
            if (tag != 0x0c && tag != 0x13 && tag != 0x16)
                return UNSUP;     /* BMP, T61, ...: OpenSSL converts */
            for (size_t i = 0; i < val.n; i++)
                if (val.p[i] >= 0x80)
                    return UNSUP;
            *out = strndup((const char *)val.p, val.n);
            return *out ? CB_OK : CB_ERR_NOMEM;
        }
    }
    return CB_OK;
}

static int lite_key_type(const struct der *spki, char **out)
{
    struct der s = *spki, alg, oid;
    const char *kt;

    if (der_expect(&s, 0x30, &alg) < 0 || der_expect(&alg, 0x06, &oid) < 0)
        return UNSUP;
    if (oid_is(&oid, OID_RSA, sizeof(OID_RSA)))
        kt = "RSA";
    else if (oid_is(&oid, OID_EC, sizeof(OID_EC)))
        kt = "ECDSA";
    else
        return UNSUP;
    *out = strdup(kt);
    return *out ? CB_OK : CB_ERR_NOMEM;
}

static int lite_sans(const struct der *ext, struct cert_info *ci)
{
    struct der outer = *ext, names, gn;
    unsigned tag;
    char buf[INET6_ADDRSTRLEN];
    int rc;

    if (der_expect(&outer, 0x30, &names) < 0 || outer.n)
        return UNSUP;
    while (names.n) {
        if (der_next(&names, &tag, &gn) < 0)
            return UNSUP;
        if (tag == 0x82) {                      /* [2] dNSName */
            char *d = strndup((const char *)gn.p, gn.n);

            rc = strvec_push_take(&ci->dns, d);
            if (rc < 0)
                return rc;
        } else if (tag == 0x87) {               /* [7] iPAddress */
            int af = gn.n == 4 ? AF_INET : gn.n == 16 ? AF_INET6 : -1;

            if (af < 0 || !inet_ntop(af, gn.p, buf, sizeof(buf)))
                continue;
            rc = strvec_push(&ci->ips, buf);
            if (rc < 0)
                return rc;
        }
    }
    return CB_OK;
}

static int lite_ocsp(const struct der *ext, struct cert_info *ci)
{
    struct der outer = *ext, descs, ad, method;
    unsigned tag;
    struct der loc;

    if (der_expect(&outer, 0x30, &descs) < 0 || outer.n)
        return UNSUP;
    while (descs.n) {
        if (der_expect(&descs, 0x30, &ad) < 0 ||
            der_expect(&ad, 0x06, &method) < 0 ||
            der_next(&ad, &tag, &loc) < 0)
            return UNSUP;
        if (!oid_is(&method, OID_OCSP, sizeof(OID_OCSP)) || tag != 0x86)
            continue;
        if (!ci->ocsp_url) {
            ci->ocsp_url = strndup((const char *)loc.p, loc.n);
            if (!ci->ocsp_url)
                return CB_ERR_NOMEM;
        }
    }
    return CB_OK;
}

static int lite_extensions(const struct der *exts, struct cert_info *ci)
{
    struct der list, e, oid, v;
    struct der outer = *exts;
    unsigned tag;
    int seen_san = 0, seen_aia = 0, rc;

    if (der_expect(&outer, 0x30, &list) < 0 || outer.n)
        return UNSUP;
    while (list.n) {
        if (der_expect(&list, 0x30, &e) < 0 ||
            der_expect(&e, 0x06, &oid) < 0 || der_next(&e, &tag, &v) < 0)
            return UNSUP;
        if (tag == 0x01 && der_next(&e, &tag, &v) < 0)   /* critical */
            return UNSUP;
        if (tag != 0x04 || e.n)
            return UNSUP;
        rc = CB_OK;
        if (oid_is(&oid, OID_SAN, sizeof(OID_SAN))) {
            if (seen_san++)
                return UNSUP;     /* OpenSSL ignores duplicated ones */
            rc = lite_sans(&v, ci);
        } else if (oid_is(&oid, OID_AIA, sizeof(OID_AIA))) {
            if (seen_aia++)
                return UNSUP;
            rc = lite_ocsp(&v, ci);
        }
        if (rc < 0)
            return rc;
    }
    return CB_OK;
}

int x509_lite_info(const unsigned char *der, size_t len,
                   struct cert_info *ci)
{
    struct der all = {der, len}, cert, tbs, v, validity, issuer, subject,
               spki, sig;
    unsigned tag;
    int rc = UNSUP;

    memset(ci, 0, sizeof(*ci));
    /* Certificate ::= SEQUENCE { tbs, signatureAlgorithm, signature } */
    if (der_expect(&all, 0x30, &cert) < 0 || all.n ||
        der_expect(&cert, 0x30, &tbs) < 0 ||
        der_expect(&cert, 0x30, &sig) < 0 ||
        der_expect(&cert, 0x03, &sig) < 0 || cert.n)
        goto out;
    if (der_next(&tbs, &tag, &v) < 0)
        goto out;
    if (tag == 0xa0 && der_next(&tbs, &tag, &v) < 0)      /* version */
        goto out;
    if (tag != 0x02 || (rc = lite_serial(&v, &ci->serial_hex)) < 0)
        goto out;
    rc = UNSUP;
    if (der_expect(&tbs, 0x30, &v) < 0 ||                 /* signature */
        der_expect(&tbs, 0x30, &issuer) < 0 ||
        der_expect(&tbs, 0x30, &validity) < 0 ||
        der_expect(&tbs, 0x30, &subject) < 0 ||
        der_expect(&tbs, 0x30, &spki) < 0)
        goto out;
    if (der_next(&validity, &tag, &v) < 0 ||
        (rc = lite_time(tag, &v, &ci->not_before)) < 0)
        goto out;
    rc = UNSUP;
    if (der_next(&validity, &tag, &v) < 0 ||
        (rc = lite_time(tag, &v, &ci->not_after)) < 0)
        goto out;
    rc = UNSUP;
    if (validity.n)
        goto out;
    if ((rc = lite_cn(&subject, &ci->common_name)) < 0 ||
        (rc = lite_cn(&issuer, &ci->issuer_cn)) < 0 ||
        (rc = lite_key_type(&spki, &ci->key_type)) < 0)
        goto out;
    rc = UNSUP;
    while (tbs.n) {
        if (der_next(&tbs, &tag, &v) < 0)
            goto out;
        if (tag == 0x81 || tag == 0x82)       /* unique ids */
            continue;
        if (tag != 0xa3 || tbs.n)
            goto out;
        if ((rc = lite_extensions(&v, ci)) < 0)
            goto out;
        rc = UNSUP;
    }
    rc = CB_OK;
out:
    if (rc < 0)
        cert_info_free(ci);
    return rc;
}
