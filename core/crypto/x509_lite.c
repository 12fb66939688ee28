/* See x509_lite.h: the certificate fields of struct cert_info, read
 * straight from the DER (RFC 5280 section 4.1). */
#include "crypto/x509_lite.h"

#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

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
static const unsigned char OID_AKI[] = {0x55, 0x1d, 0x23};
static const unsigned char OID_AIA[] = {0x2b, 0x06, 0x01, 0x05,
                                        0x05, 0x07, 0x01, 0x01};
static const unsigned char OID_OCSP[] = {0x2b, 0x06, 0x01, 0x05,
                                         0x05, 0x07, 0x30, 0x01};
static const unsigned char OID_RSA[] = {0x2a, 0x86, 0x48, 0x86, 0xf7,
                                        0x0d, 0x01, 0x01, 0x01};
static const unsigned char OID_EC[] = {0x2a, 0x86, 0x48, 0xce,
                                       0x3d, 0x02, 0x01};

/* ---------------------------------------------------------------- PEM */

/* base64 alphabet -> value shifted into its place in a 4-character
 * group (b64_d[0] for the first character ... b64_d[3] for the last);
 * B64_BAD (above 24 bits) elsewhere, so one OR of four lookups decodes a
 * group and tells whether all four were alphabet characters.  Tables:
 * this loop runs over every certificate renew reads. */
#define B64_BAD 0x01000000u
static uint32_t b64_d[4][256];
static int b64_ready;

static void b64_init(void)
{
    static const char alpha[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    for (int k = 0; k < 4; k++)
        for (int c = 0; c < 256; c++)
            b64_d[k][c] = B64_BAD;
    for (uint32_t i = 0; i < 64; i++)
        for (int k = 0; k < 4; k++)
            b64_d[k][(unsigned char)alpha[i]] = i << (18 - 6 * k);
    b64_ready = 1;
}

/* Whole groups of four alphabet characters from *p (at most up to e)
 * into out; stops before the first group holding anything else (a line
 * end, padding, a dash).  Returns the octets written. */
static size_t b64_groups(const unsigned char **p, const unsigned char *e,
                         unsigned char *out)
{
    const unsigned char *q = *p;
    unsigned char *o = out;

    for (size_t g = (size_t)(e - q) / 4; g > 0; g--) {
        uint32_t v = b64_d[0][q[0]] | b64_d[1][q[1]] | b64_d[2][q[2]] |
                     b64_d[3][q[3]];

        if (v & B64_BAD)
            break;
        o[0] = (unsigned char)(v >> 16);
        o[1] = (unsigned char)(v >> 8);
        o[2] = (unsigned char)v;
        o += 3;
        q += 4;
    }
    *p = q;
    return (size_t)(o - out);
}

/* Does "-----END <label>-----" start at p (n octets left)? */
static int is_end_line(const char *p, size_t n, const char *label, size_t ll)
{
    return n >= 9 + ll + 5 && memcmp(p, "-----END ", 9) == 0 &&
           memcmp(p + 9, label, ll) == 0 && memcmp(p + 9 + ll, "-----", 5) == 0;
}

/* The DER of the first PEM block of pem when its label is one of
 * labels (NULL-terminated); *which gets the index.  Headers, other
 * labels or odd base64 say UNSUP.
 *
 * The body is everything up to the first "-----END <label>-----": base64
 * characters, blanks (skipped), then at most two '=' (nothing but blanks
 * after them).  Any other character, a dash included, is UNSUP: so the
 * first dash of the body must be where the END line starts, and the scan
 * looks for it there instead of searching for the END line first. */
static int lite_pem_block(const char *pem, size_t len,
                          const char *const *labels, int *which,
                          unsigned char **der, size_t *der_len)
{
    const char *b, *p = NULL, *end = pem + len, *label = NULL;
    unsigned char *out = NULL;
    uint32_t acc = 0;
    size_t bits = 0, n = 0, pad = 0, ll = 0;
    int found_end = 0;

    *der = NULL;
    *der_len = 0;
    if (!b64_ready)
        b64_init();
    /* nearly always at the very start */
    if (len >= 11 && memcmp(pem, "-----BEGIN ", 11) == 0)
        b = pem;
    else
        b = memmem(pem, len, "-----BEGIN ", 11);
    if (!b)
        return UNSUP;
    for (int i = 0; labels[i] && !p; i++) {
        ll = strlen(labels[i]);
        if ((size_t)(end - b) >= 11 + ll + 5 &&
            memcmp(b + 11, labels[i], ll) == 0 &&
            memcmp(b + 11 + ll, "-----", 5) == 0) {
            p = b + 11 + ll + 5;
            *which = i;
            label = labels[i];
        }
    }
    if (!p)
        return UNSUP;
    /* the body is shorter than what is left: room enough */
    out = malloc((size_t)(end - p) / 4 * 3 + 3);
    if (!out)
        return CB_ERR_NOMEM;
    for (; p < end; p++) {
        unsigned char c;
        uint32_t v;

        /* four characters, three octets at a time (a PEM line is 16 such
         * groups) while on an octet boundary */
        if (bits == 0 && !pad) {
            const unsigned char *q = (const unsigned char *)p;

            n += b64_groups(&q, (const unsigned char *)end, out + n);
            p = (const char *)q;
            if (p >= end)
                break;
        }
        c = (unsigned char)*p;
        if (c == '\n' || c == '\r' || c == ' ' || c == '\t')
            continue;
        if (c == '-') {
            found_end = is_end_line(p, (size_t)(end - p), label, ll);
            break;
        }
        if (c == '=') {
            pad++;
            continue;
        }
        v = b64_d[3][c];
        if ((v & B64_BAD) || pad)  /* headers, or data after padding */
            break;
        acc = (acc << 6) | v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[n++] = (unsigned char)(acc >> bits);
        }
    }
    if (!found_end || n == 0 || pad > 2) {
        free(out);
        return UNSUP;
    }
    *der = out;
    *der_len = n;
    return CB_OK;
}

int x509_lite_pem_der(const char *pem, size_t len, unsigned char **der,
                      size_t *der_len)
{
    static const char *const labels[] = {"CERTIFICATE", NULL};
    int which;

    return lite_pem_block(pem, len, labels, &which, der, der_len);
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

/* ----------------------------------------------------------- key match */

/* The certificate's SubjectPublicKeyInfo: algorithm OID, its parameters
 * (the curve for EC) and the key bits (BIT STRING without the unused-bits
 * octet). */
struct lite_spki {
    struct der alg, params, bits;
};

static int lite_cert_spki(const unsigned char *der, size_t len,
                          struct lite_spki *k)
{
    struct der all = {der, len}, cert, tbs, v, spki, alg;
    unsigned tag;

    if (der_expect(&all, 0x30, &cert) < 0 ||
        der_expect(&cert, 0x30, &tbs) < 0 || der_next(&tbs, &tag, &v) < 0)
        return UNSUP;
    if (tag == 0xa0 && der_next(&tbs, &tag, &v) < 0)
        return UNSUP;
    if (tag != 0x02 || der_expect(&tbs, 0x30, &v) < 0 ||
        der_expect(&tbs, 0x30, &v) < 0 || der_expect(&tbs, 0x30, &v) < 0 ||
        der_expect(&tbs, 0x30, &v) < 0 || der_expect(&tbs, 0x30, &spki) < 0 ||
        der_expect(&spki, 0x30, &alg) < 0 ||
        der_expect(&alg, 0x06, &k->alg) < 0 ||
        der_expect(&spki, 0x03, &k->bits) < 0 || k->bits.n < 2 ||
        k->bits.p[0] != 0)
        return UNSUP;
    k->params.p = alg.p;
    k->params.n = alg.n;      /* the TLV after the OID (or nothing) */
    k->bits.p++;
    k->bits.n--;
    return CB_OK;
}

static int der_same(const struct der *a, const struct der *b)
{
    return a->n == b->n && memcmp(a->p, b->p, a->n) == 0;
}

/* RSAPrivateKey ::= SEQUENCE { version, n, e, d, ... } against the
 * certificate's RSAPublicKey ::= SEQUENCE { n, e }. */
static int lite_rsa_match(const struct der *rsapriv,
                          const struct lite_spki *k)
{
    struct der outer = *rsapriv, seq, ver, n, e, pub = k->bits, pseq, pn, pe;

    if (!oid_is(&k->alg, OID_RSA, sizeof(OID_RSA)))
        return 0;             /* an RSA key never matches an EC cert */
    if (der_expect(&outer, 0x30, &seq) < 0 ||
        der_expect(&seq, 0x02, &ver) < 0 || der_expect(&seq, 0x02, &n) < 0 ||
        der_expect(&seq, 0x02, &e) < 0 ||
        der_expect(&pub, 0x30, &pseq) < 0 ||
        der_expect(&pseq, 0x02, &pn) < 0 || der_expect(&pseq, 0x02, &pe) < 0)
        return UNSUP;
    return der_same(&n, &pn) && der_same(&e, &pe);
}

/* ECPrivateKey ::= SEQUENCE { 1, privateKey, [0] curve OPTIONAL,
 * [1] publicKey OPTIONAL }: its public point (and curve, when given)
 * against the certificate's.  Without [1], or with a point in another
 * form (compressed), OpenSSL decides. */
static int lite_ec_match(const struct der *ecpriv, const struct der *curve,
                         const struct lite_spki *k)
{
    struct der outer = *ecpriv, seq, v, cert_curve = k->params, cc,
               point = {NULL, 0}, pc = {NULL, 0};
    unsigned tag;

    if (!oid_is(&k->alg, OID_EC, sizeof(OID_EC)))
        return 0;
    if (der_expect(&cert_curve, 0x06, &cc) < 0)
        return UNSUP;         /* explicit curve parameters */
    if (der_expect(&outer, 0x30, &seq) < 0 ||
        der_expect(&seq, 0x02, &v) < 0 || der_expect(&seq, 0x04, &v) < 0)
        return UNSUP;
    while (seq.n) {
        struct der in;

        if (der_next(&seq, &tag, &v) < 0)
            return UNSUP;
        in = v;
        if (tag == 0xa0) {
            if (der_expect(&in, 0x06, &pc) < 0)
                return UNSUP;
        } else if (tag == 0xa1) {
            if (der_expect(&in, 0x03, &point) < 0 || point.n < 2 ||
                point.p[0] != 0)
                return UNSUP;
            point.p++;
            point.n--;
        }
    }
    if (curve && curve->n)
        pc = *curve;
    if (!point.n || (pc.n && !der_same(&pc, &cc)))
        return !point.n ? UNSUP : 0;
    if (point.p[0] != k->bits.p[0])
        return UNSUP;         /* compressed vs uncompressed */
    return der_same(&point, &k->bits);
}

int x509_lite_key_matches(const char *cert_pem, size_t cert_len,
                          const char *key_pem, size_t key_len)
{
    static const char *const labels[] = {"PRIVATE KEY", "RSA PRIVATE KEY",
                                         "EC PRIVATE KEY", NULL};
    unsigned char *cder = NULL, *kder = NULL;
    size_t clen = 0, klen = 0;
    struct lite_spki k;
    int which = -1, rc;

    rc = x509_lite_pem_der(cert_pem, cert_len, &cder, &clen);
    if (rc == CB_OK)
        rc = lite_pem_block(key_pem, key_len, labels, &which, &kder, &klen);
    if (rc == CB_OK)
        rc = lite_cert_spki(cder, clen, &k);
    if (rc != CB_OK)
        goto out;
    if (which == 1) {
        struct der d = {kder, klen};

        rc = lite_rsa_match(&d, &k);
    } else if (which == 2) {
        struct der d = {kder, klen};

        rc = lite_ec_match(&d, NULL, &k);
    } else {
        /* PKCS#8: SEQUENCE { 0, AlgorithmIdentifier, OCTET STRING key } */
        struct der all = {kder, klen}, seq, v, alg, oid, key;

        rc = UNSUP;
        if (der_expect(&all, 0x30, &seq) < 0 ||
            der_expect(&seq, 0x02, &v) < 0 ||
            der_expect(&seq, 0x30, &alg) < 0 ||
            der_expect(&alg, 0x06, &oid) < 0 ||
            der_expect(&seq, 0x04, &key) < 0)
            goto out;
        if (oid_is(&oid, OID_RSA, sizeof(OID_RSA))) {
            rc = lite_rsa_match(&key, &k);
        } else if (oid_is(&oid, OID_EC, sizeof(OID_EC))) {
            struct der curve;

            if (der_expect(&alg, 0x06, &curve) < 0)
                goto out;
            rc = lite_ec_match(&key, &curve, &k);
        }
    }
out:
    if (kder) {
        OPENSSL_cleanse(kder, klen);   /* private key material */
        free(kder);
    }
    free(cder);
    return rc;
}

/* -------------------------------------------------------------- ARI id */

int x509_lite_ari_parts(const unsigned char *der, size_t len,
                        const unsigned char **aki, size_t *aki_len,
                        const unsigned char **serial, size_t *serial_len)
{
    struct der all = {der, len}, cert, tbs, v, exts, list, e, oid, val;
    unsigned tag;
    int seen = 0;

    if (der_expect(&all, 0x30, &cert) < 0 ||
        der_expect(&cert, 0x30, &tbs) < 0 || der_next(&tbs, &tag, &v) < 0)
        return UNSUP;
    if (tag == 0xa0 && der_next(&tbs, &tag, &v) < 0)
        return UNSUP;
    if (tag != 0x02 || v.n == 0 || (v.p[0] & 0x80))
        return UNSUP;         /* negative serials: OpenSSL's way */
    *serial = v.p;            /* DER content octets: what ARI wants */
    *serial_len = v.n;
    for (int i = 0; i < 5; i++)   /* sig alg, issuer, validity, subject, spki */
        if (der_expect(&tbs, 0x30, &v) < 0)
            return UNSUP;
    while (tbs.n) {
        if (der_next(&tbs, &tag, &exts) < 0)
            return UNSUP;
        if (tag != 0xa3)
            continue;
        if (der_expect(&exts, 0x30, &list) < 0)
            return UNSUP;
        while (list.n) {
            struct der seq, kid;

            if (der_expect(&list, 0x30, &e) < 0 ||
                der_expect(&e, 0x06, &oid) < 0 || der_next(&e, &tag, &val) < 0)
                return UNSUP;
            if (tag == 0x01 && der_next(&e, &tag, &val) < 0)
                return UNSUP;
            if (tag != 0x04 || !oid_is(&oid, OID_AKI, sizeof(OID_AKI)))
                continue;
            if (seen++ || der_expect(&val, 0x30, &seq) < 0)
                return UNSUP;
            /* AuthorityKeyIdentifier: [0] keyIdentifier first if present */
            if (der_next(&seq, &tag, &kid) < 0 || tag != 0x80)
                return UNSUP;
            *aki = kid.p;
            *aki_len = kid.n;
        }
    }
    return seen ? CB_OK : UNSUP;
}
