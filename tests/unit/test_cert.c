/* Certificates: chain splitting and inspection. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto/cert.h"
#include "crypto/key.h"
#include "crypto/x509_lite.h"
#include "tap.h"
#include "test_acme_certgen.h"

static EVP_PKEY *leaf_key, *int_key, *root_key;
static char *leaf_pem, *int_pem, *root_pem;

static const char *leaf_dns[] = { "x.test", "www.x.test", NULL };
static const char *leaf_ips[] = { "10.0.0.1", "2001:db8::1", NULL };

static void make_chain(void)
{
    struct cb_err err = { 0 };
    struct certgen g = { 0 };

    key_generate("ecdsa", 0, "secp256r1", &leaf_key, &err);
    key_generate("rsa", 2048, NULL, &int_key, &err);
    key_generate("ecdsa", 0, "secp384r1", &root_key, &err);
    g.key = leaf_key;
    g.cn = "x.test";
    g.issuer_key = int_key;
    g.issuer_cn = "Test Intermediate";
    g.serial_hex = "00ab12cd";       /* leading zero byte must vanish */
    g.not_before = 1700000000;       /* 2023-11-14 22:13:20 UTC */
    g.not_after = 1807776000;        /* 2027-04-15 00:00:00 UTC */
    g.dns = leaf_dns;
    g.ips = leaf_ips;
    leaf_pem = certgen_pem(&g);

    memset(&g, 0, sizeof(g));
    g.key = int_key;
    g.cn = "Test Intermediate";
    g.issuer_key = root_key;
    g.issuer_cn = "Test Root";
    g.serial_hex = "7fffffffffffffffffffffffffffffff01";
    g.not_before = 1600000000;
    g.not_after = 1900000000;
    int_pem = certgen_pem(&g);

    memset(&g, 0, sizeof(g));
    g.key = root_key;
    g.cn = "Test Root";
    g.serial_hex = "01";
    g.not_before = 1600000000;
    g.not_after = 1900000000;
    root_pem = certgen_pem(&g);
}

/* s with every "\n" turned into "\r\n". */
static char *to_crlf(const char *s)
{
    size_t n = strlen(s), lines = 0, j = 0;
    char *out;

    for (size_t i = 0; i < n; i++)
        lines += s[i] == '\n';
    out = malloc(n + lines + 1);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n')
            out[j++] = '\r';
        out[j++] = s[i];
    }
    out[j] = '\0';
    return out;
}

static void test_split(void)
{
    struct cb_err err = { 0 };
    struct strvec parts = { 0 };
    char *joined = NULL, *crlf;
    int rc;

    /* Junk before, between and after the blocks, as some CAs send. */
    if (asprintf(&joined, "leading text\n%s\n%s# comment\n%strailing\n",
                 leaf_pem, int_pem, root_pem) < 0)
        joined = NULL;
    crlf = to_crlf(joined);
    rc = pem_split_certs(crlf, strlen(crlf), &parts, &err);
    is_int(rc, 0, "A-060 CRLF chain splits");
    is_int(parts.n, 3, "A-060 three certificates");
    if (parts.n == 3) {
        is_str(parts.v[0], leaf_pem, "leaf re-encoded with LF endings");
        is_str(parts.v[1], int_pem, "intermediate re-encoded");
        is_str(parts.v[2], root_pem, "root re-encoded");
        ok(strchr(parts.v[0], '\r') == NULL && strchr(parts.v[2], '\r') == NULL,
           "A-060 no CR left");
        ok(strncmp(parts.v[1], "-----BEGIN CERTIFICATE-----\n", 28) == 0,
           "starts with the BEGIN line");
        ok(strlen(parts.v[1]) > 26 &&
               strcmp(parts.v[1] + strlen(parts.v[1]) - 26,
                      "-----END CERTIFICATE-----\n") == 0,
           "ends with the END line and a newline");
    }
    strvec_clear(&parts);
    rc = pem_split_certs("no certificates here\n", 21, &parts, &err);
    is_int(rc, CB_ERR_CRYPTO, "text without certificates is an error");
    is_int(parts.n, 0, "nothing added");
    free(crlf);
    free(joined);
}

static void test_info(void)
{
    struct cb_err err = { 0 };
    struct cert_info ci;
    char path[] = "/tmp/test_cert_XXXXXX";
    int fd, rc;

    rc = cert_info_from_pem(leaf_pem, strlen(leaf_pem), &ci, &err);
    is_int(rc, 0, "cert_info_from_pem");
    is_str(ci.serial_hex, "ab12cd", "A-205 serial lowercase hex, no leading 0");
    is_int(ci.not_before, 1700000000, "notBefore as Unix time");
    is_int(ci.not_after, 1807776000, "notAfter as Unix time");
    is_int(ci.dns.n, 2, "two DNS SANs");
    if (ci.dns.n == 2) {
        is_str(ci.dns.v[0], "x.test", "SAN order kept (1)");
        is_str(ci.dns.v[1], "www.x.test", "SAN order kept (2)");
    }
    is_int(ci.ips.n, 2, "two IP SANs");
    if (ci.ips.n == 2) {
        is_str(ci.ips.v[0], "10.0.0.1", "IPv4 SAN as text");
        is_str(ci.ips.v[1], "2001:db8::1", "IPv6 SAN as text");
    }
    is_str(ci.common_name, "x.test", "subject CN");
    is_str(ci.issuer_cn, "Test Intermediate", "issuer CN");
    is_str(ci.key_type, "ECDSA", "A-205 key type ECDSA");
    cert_info_free(&ci);

    rc = cert_info_from_pem(int_pem, strlen(int_pem), &ci, &err);
    is_int(rc, 0, "intermediate parsed");
    is_str(ci.serial_hex, "7fffffffffffffffffffffffffffffff01", "long serial");
    is_str(ci.key_type, "RSA", "key type RSA");
    is_int(ci.dns.n + ci.ips.n, 0, "no SANs");
    cert_info_free(&ci);

    fd = mkstemp(path);
    ok(fd >= 0 && write(fd, root_pem, strlen(root_pem)) == (ssize_t)strlen(root_pem),
       "wrote root to a file");
    close(fd);
    rc = cert_info_load(path, &ci, &err);
    is_int(rc, 0, "cert_info_load");
    is_str(ci.serial_hex, "1", "serial 1");
    is_str(ci.issuer_cn, "Test Root", "self-signed issuer");
    cert_info_free(&ci);
    unlink(path);
    rc = cert_info_load(path, &ci, &err);
    is_int(rc, CB_ERR_IO, "missing file is CB_ERR_IO");
    cert_info_free(&ci);
}

static void test_matches(void)
{
    struct cb_err err = { 0 };
    unsigned char *der = NULL;
    size_t der_len = 0;

    ok(cert_matches_key(leaf_pem, strlen(leaf_pem), leaf_key),
       "A-061 leaf matches its key");
    ok(!cert_matches_key(leaf_pem, strlen(leaf_pem), int_key),
       "leaf does not match another key");
    ok(!cert_matches_key("junk", 4, leaf_key), "junk matches nothing");
    is_int(cert_pem_to_der(leaf_pem, strlen(leaf_pem), &der, &der_len, &err),
           0, "cert_pem_to_der");
    ok(der_len > 100 && der[0] == 0x30, "DER is a SEQUENCE");
    OPENSSL_free(der);
}

/* "label: what" in a static buffer (test names only) */
static const char *nm(const char *label, const char *what)
{
    static char buf[160];

    snprintf(buf, sizeof(buf), "x509_lite same as OpenSSL, %s: %s", label,
             what);
    return buf;
}

static int same_vec(const struct strvec *a, const struct strvec *b)
{
    if (a->n != b->n)
        return 0;
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->v[i], b->v[i]) != 0)
            return 0;
    return 1;
}

static int same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* The DER reader must give exactly what OpenSSL gives, and must really
 * be the one used for these ordinary certificates. */
static void test_lite_same(const char *label, const char *pem)
{
    struct cb_err err = { 0 };
    struct cert_info lite, ref;
    unsigned char *der = NULL;
    size_t der_len = 0;
    int rc;

    rc = x509_lite_pem_der(pem, strlen(pem), &der, &der_len);
    is_int(rc, 0, "x509_lite: PEM decoded");
    rc = der ? x509_lite_info(der, der_len, &lite) : -1;
    is_int(rc, 0, "x509_lite: DER read without OpenSSL");
    if (rc != 0)
        memset(&lite, 0, sizeof(lite));
    is_int(cert_info_from_pem_openssl(pem, strlen(pem), &ref, &err), 0,
           "OpenSSL reference parsed");
    ok(same_str(lite.serial_hex, ref.serial_hex), nm(label, "serial"));
    ok(lite.not_before == ref.not_before && lite.not_after == ref.not_after,
       nm(label, "validity dates"));
    ok(same_vec(&lite.dns, &ref.dns) && same_vec(&lite.ips, &ref.ips),
       nm(label, "SANs (DNS and IP)"));
    ok(same_str(lite.common_name, ref.common_name) &&
           same_str(lite.issuer_cn, ref.issuer_cn),
       nm(label, "subject and issuer CN"));
    ok(same_str(lite.key_type, ref.key_type), nm(label, "key type"));
    ok(same_str(lite.ocsp_url, ref.ocsp_url), nm(label, "OCSP URL"));
    if (der && der_len > 10) {
        struct cert_info cut;

        is_int(x509_lite_info(der, der_len - 7, &cut), CB_ERR_NOT_SUPPORTED,
               nm(label, "truncated DER is left to OpenSSL"));
        der[0] = 0x31;
        is_int(x509_lite_info(der, der_len, &cut), CB_ERR_NOT_SUPPORTED,
               nm(label, "not a SEQUENCE: left to OpenSSL"));
    }
    cert_info_free(&lite);
    cert_info_free(&ref);
    free(der);
}

/* A certificate with an OCSP URL and a negative serial (left to OpenSSL
 * by the reader): cert_info_from_pem still answers like OpenSSL. */
static void test_lite_fallback(void)
{
    X509 *x = X509_new();
    X509_NAME *n = X509_NAME_new();
    ASN1_INTEGER *serial = ASN1_INTEGER_new();
    X509_EXTENSION *ext;
    X509V3_CTX ctx;
    BIO *bio = BIO_new(BIO_s_mem());
    struct cert_info a, b;
    struct cb_err err = { 0 };
    char *data = NULL, *pem = NULL;
    long len;

    X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_UTF8,
                               (const unsigned char *)"ocsp.test", -1, -1, 0);
    X509_set_version(x, X509_VERSION_3);
    ASN1_INTEGER_set(serial, 4242);
    X509_set_serialNumber(x, serial);
    X509_set_subject_name(x, n);
    X509_set_issuer_name(x, n);
    ASN1_TIME_set(X509_getm_notBefore(x), 1700000000);
    ASN1_TIME_set(X509_getm_notAfter(x), 4102444800);   /* 2100: GenTime */
    X509_set_pubkey(x, int_key);
    X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
    ext = X509V3_EXT_conf_nid(NULL, &ctx, NID_info_access,
                              "OCSP;URI:http://127.0.0.1:4002/ocsp");
    X509_add_ext(x, ext, -1);
    X509_EXTENSION_free(ext);
    X509_sign(x, int_key, EVP_sha256());
    PEM_write_bio_X509(bio, x);
    len = BIO_get_mem_data(bio, &data);
    pem = len > 0 ? strndup(data, (size_t)len) : NULL;
    test_lite_same("RSA, AIA, GeneralizedTime", pem ? pem : "");
    is_int(cert_info_from_pem(pem, strlen(pem), &a, &err), 0, "parsed");
    is_str(a.ocsp_url, "http://127.0.0.1:4002/ocsp", "OCSP URL read");
    is_int(a.not_after, 4102444800, "GeneralizedTime after 2049");
    cert_info_free(&a);

    /* negative serial: the reader declines, OpenSSL answers */
    ASN1_INTEGER_set(serial, -5);
    X509_set_serialNumber(x, serial);
    X509_sign(x, int_key, EVP_sha256());
    (void)BIO_reset(bio);
    PEM_write_bio_X509(bio, x);
    len = BIO_get_mem_data(bio, &data);
    free(pem);
    pem = len > 0 ? strndup(data, (size_t)len) : NULL;
    {
        unsigned char *der = NULL;
        size_t dl = 0;

        x509_lite_pem_der(pem, strlen(pem), &der, &dl);
        is_int(der ? x509_lite_info(der, dl, &b) : 0, CB_ERR_NOT_SUPPORTED,
               "negative serial left to OpenSSL");
        free(der);
    }
    is_int(cert_info_from_pem(pem, strlen(pem), &a, &err), 0,
           "negative serial still parsed");
    is_str(a.serial_hex, "-5", "negative serial as OpenSSL prints it");
    cert_info_free(&a);
    free(pem);
    BIO_free(bio);
    ASN1_INTEGER_free(serial);
    X509_NAME_free(n);
    X509_free(x);
}

/* PEM of key: PKCS#8, or the traditional RSA/EC form. */
static char *key_pem(EVP_PKEY *key, int traditional)
{
    BIO *bio = BIO_new(BIO_s_mem());
    char *data = NULL, *out = NULL;
    long n;

    if (traditional)
        PEM_write_bio_PrivateKey_traditional(bio, key, NULL, NULL, 0, NULL,
                                             NULL);
    else
        PEM_write_bio_PrivateKey(bio, key, NULL, NULL, 0, NULL, NULL);
    n = BIO_get_mem_data(bio, &data);
    if (n > 0)
        out = strndup(data, (size_t)n);
    BIO_free(bio);
    return out;
}

/* certificates' key check (Certbot's verify_renewable_cert) through the
 * DER reader: same answers as EVP_PKEY_eq. */
static void test_lite_key_match(void)
{
    char *ec8 = key_pem(leaf_key, 0), *ect = key_pem(leaf_key, 1);
    char *rsa8 = key_pem(int_key, 0), *rsat = key_pem(int_key, 1);
    char *p384 = key_pem(root_key, 0);

    ok(ect && strstr(ect, "BEGIN EC PRIVATE KEY") &&
           rsat && strstr(rsat, "BEGIN RSA PRIVATE KEY"),
       "traditional key forms written");
    is_int(x509_lite_key_matches(leaf_pem, strlen(leaf_pem), ec8,
                                 strlen(ec8)), 1, "EC PKCS#8 key matches");
    is_int(x509_lite_key_matches(leaf_pem, strlen(leaf_pem), ect,
                                 strlen(ect)), 1, "EC traditional key matches");
    is_int(x509_lite_key_matches(int_pem, strlen(int_pem), rsa8,
                                 strlen(rsa8)), 1, "RSA PKCS#8 key matches");
    is_int(x509_lite_key_matches(int_pem, strlen(int_pem), rsat,
                                 strlen(rsat)), 1,
           "RSA traditional key matches");
    is_int(x509_lite_key_matches(leaf_pem, strlen(leaf_pem), rsa8,
                                 strlen(rsa8)), 0, "RSA key, EC cert: no");
    is_int(x509_lite_key_matches(int_pem, strlen(int_pem), p384,
                                 strlen(p384)), 0, "EC key, RSA cert: no");
    is_int(x509_lite_key_matches(root_pem, strlen(root_pem), ec8,
                                 strlen(ec8)), 0,
           "P-256 key, P-384 cert: no");
    is_int(x509_lite_key_matches(leaf_pem, strlen(leaf_pem), p384,
                                 strlen(p384)), 0, "other EC key: no");
    {
        static const char enc[] = "-----BEGIN ENCRYPTED PRIVATE KEY-----\n"
                                  "AAAA\n"
                                  "-----END ENCRYPTED PRIVATE KEY-----\n";

        is_int(x509_lite_key_matches(leaf_pem, strlen(leaf_pem), enc,
                                     strlen(enc)),
               CB_ERR_NOT_SUPPORTED, "encrypted key: left to OpenSSL");
    }
    ok(cert_matches_key(leaf_pem, strlen(leaf_pem), leaf_key) == 1 &&
           cert_matches_key(leaf_pem, strlen(leaf_pem), int_key) == 0,
       "OpenSSL agrees");
    free(ec8);
    free(ect);
    free(rsa8);
    free(rsat);
    free(p384);
}

/* ---- x509_lite's PEM decoding: same DER as OpenSSL where it decodes,
 * CB_ERR_NOT_SUPPORTED (OpenSSL decides) for anything unusual. */

/* The base64 body of a one-block PEM, blanks removed; caller frees. */
static char *pem_body(const char *pem)
{
    const char *p = strstr(pem, "-----\n"), *e = strstr(pem, "-----END ");
    char *out = calloc(1, strlen(pem) + 1);
    size_t n = 0;

    if (!out || !p || !e)
        return out;
    for (p += 6; p < e; p++)
        if (*p != '\n')
            out[n++] = *p;
    return out;
}

/* before + BEGIN line + body cut every width characters, lines ended by
 * eol + END line + after; caller frees. */
static char *pem_build(const char *before, const char *label,
                       const char *body, size_t width, const char *eol,
                       const char *after)
{
    size_t blen = strlen(body), cap = strlen(before) + strlen(after) +
                  2 * strlen(label) + 64 + blen * (1 + strlen(eol));
    char *out = malloc(cap);
    size_t n;

    if (!out)
        return NULL;
    n = (size_t)snprintf(out, cap, "%s-----BEGIN %s-----%s", before, label,
                         eol);
    for (size_t i = 0; i < blen; i += width) {
        size_t k = blen - i < width ? blen - i : width;

        memcpy(out + n, body + i, k);
        n += k;
        n += (size_t)snprintf(out + n, cap - n, "%s", eol);
    }
    snprintf(out + n, cap - n, "-----END %s-----%s%s", label, eol, after);
    return out;
}

static const char *pem_nm(const char *what, const char *name)
{
    static char buf[160];

    snprintf(buf, sizeof(buf), "x509_lite PEM %s: %s", what, name);
    return buf;
}

/* Decodes to exactly want (want NULL: refused, left to OpenSSL). */
static void pem_case(const char *name, const char *pem,
                     const unsigned char *want, size_t want_len)
{
    unsigned char *der = NULL;
    size_t der_len = 0;
    int rc = pem ? x509_lite_pem_der(pem, strlen(pem), &der, &der_len) : -1;

    if (want) {
        ok(rc == 0 && der_len == want_len && der &&
               memcmp(der, want, want_len) == 0,
           pem_nm("decoded", name));
    } else {
        ok(rc == CB_ERR_NOT_SUPPORTED && !der && der_len == 0,
           pem_nm("refused", name));
    }
    free(der);
}

static void test_lite_pem(void)
{
    struct cb_err err = { 0 };
    unsigned char *ref = NULL;
    size_t ref_len = 0;
    char *body = pem_body(leaf_pem), *two = NULL, *s = NULL;
    size_t bl = body ? strlen(body) : 0;

    is_int(cert_pem_to_der(leaf_pem, strlen(leaf_pem), &ref, &ref_len, &err),
           0, "OpenSSL reference DER");
    ok(bl > 100 && body[bl - 1] == '=', "leaf body ends with padding");
    pem_case("as written (64 per line)", leaf_pem, ref, ref_len);
#define CASE(name, pem, want, wl)                                             \
    do {                                                                      \
        s = (pem);                                                            \
        pem_case(name, s, want, wl);                                          \
        free(s);                                                              \
    } while (0)
    CASE("CRLF line ends", pem_build("", "CERTIFICATE", body, 64, "\r\n", ""),
         ref, ref_len);
    CASE("76 per line", pem_build("", "CERTIFICATE", body, 76, "\n", ""),
         ref, ref_len);
    CASE("5 per line (groups cut across lines)",
         pem_build("", "CERTIFICATE", body, 5, "\n", ""), ref, ref_len);
    CASE("1 per line", pem_build("", "CERTIFICATE", body, 1, "\n", ""), ref,
         ref_len);
    CASE("one long line", pem_build("", "CERTIFICATE", body, bl, "\n", ""),
         ref, ref_len);
    CASE("blanks and tabs as line ends",
         pem_build("", "CERTIFICATE", body, 7, " \t", ""), ref, ref_len);
    s = pem_build("", "CERTIFICATE", body, 64, "\n", "");
    if (s)
        s[strlen(s) - 1] = '\0';
    pem_case("no newline after END", s, ref, ref_len);
    free(s);
    CASE("text before BEGIN, trailing garbage after END",
         pem_build("subject=CN = x.test\n", "CERTIFICATE", body, 64, "\n",
                   "garbage \x01\xff-----\n"),
         ref, ref_len);
    /* two blocks: the first one only */
    if (asprintf(&two, "%s%s", leaf_pem, int_pem) < 0)
        two = NULL;
    CASE("two blocks: the first", two, ref, ref_len);
    CASE("small groups: ABC", strdup("-----BEGIN CERTIFICATE-----\nQUJD\n"
                                     "-----END CERTIFICATE-----\n"),
         (const unsigned char *)"ABC", 3);
    CASE("small groups: one '='",
         strdup("-----BEGIN CERTIFICATE-----\nQUJDREU=\n"
                "-----END CERTIFICATE-----\n"),
         (const unsigned char *)"ABCDE", 5);
    CASE("small groups: '==' on its own line",
         strdup("-----BEGIN CERTIFICATE-----\nQUJDRA\n==\n"
                "-----END CERTIFICATE-----\n"),
         (const unsigned char *)"ABCD", 4);
    CASE("missing padding is tolerated (as before)",
         strdup("-----BEGIN CERTIFICATE-----\nQUJDRA\n"
                "-----END CERTIFICATE-----\n"),
         (const unsigned char *)"ABCD", 4);

    /* refused */
    {
        char *bad = strdup(body);

        if (bad)
            bad[bl / 2] = '*';
        CASE("bad character", pem_build("", "CERTIFICATE", bad ? bad : "",
                                        64, "\n", ""),
             NULL, 0);
        if (bad)
            bad[bl / 2] = '-';
        CASE("a dash inside the body",
             pem_build("", "CERTIFICATE", bad ? bad : "", 64, "\n", ""),
             NULL, 0);
        free(bad);
    }
    s = pem_build("", "CERTIFICATE", body, 64, "\n", "");
    if (s) {
        unsigned char *der = NULL;
        size_t dl = 0, sl = strlen(s);

        s[28 + bl / 2] = '\0';
        is_int(x509_lite_pem_der(s, sl, &der, &dl),
               CB_ERR_NOT_SUPPORTED, "PEM refused: a NUL byte in the body");
        free(der);
    }
    free(s);
    CASE("header lines",
         pem_build("", "CERTIFICATE",
                   "Proc-Type: 4,ENCRYPTED\nQUJD", 64, "\n", ""),
         NULL, 0);
    CASE("no END line", strdup("-----BEGIN CERTIFICATE-----\nQUJD\n"), NULL,
         0);
    CASE("END of another label",
         strdup("-----BEGIN CERTIFICATE-----\nQUJD\n"
                "-----END PRIVATE KEY-----\n-----END CERTIFICATE-----\n"),
         NULL, 0);
    CASE("END line cut short",
         strdup("-----BEGIN CERTIFICATE-----\nQUJD\n-----END CERTIFICATE--"),
         NULL, 0);
    CASE("another label", pem_build("", "PRIVATE KEY", body, 64, "\n", ""),
         NULL, 0);
    CASE("data after padding",
         strdup("-----BEGIN CERTIFICATE-----\nQUI=QUJD\n"
                "-----END CERTIFICATE-----\n"),
         NULL, 0);
    CASE("three '='",
         strdup("-----BEGIN CERTIFICATE-----\nQQ===\n"
                "-----END CERTIFICATE-----\n"),
         NULL, 0);
    CASE("empty body",
         strdup("-----BEGIN CERTIFICATE-----\n\n-----END CERTIFICATE-----\n"),
         NULL, 0);
    CASE("no BEGIN line", strdup("QUJD\n-----END CERTIFICATE-----\n"), NULL,
         0);
#undef CASE
    free(body);
    free(ref);
}

int main(void)
{
    make_chain();
    ok(leaf_pem && int_pem && root_pem, "test chain generated");
    test_split();
    test_info();
    test_matches();
    test_lite_same("EC leaf, DNS+IP SANs", leaf_pem);
    test_lite_same("RSA intermediate, long serial", int_pem);
    test_lite_same("EC P-384 root", root_pem);
    test_lite_fallback();
    test_lite_pem();
    test_lite_key_match();
    free(leaf_pem);
    free(int_pem);
    free(root_pem);
    EVP_PKEY_free(leaf_key);
    EVP_PKEY_free(int_key);
    EVP_PKEY_free(root_key);
    return done_testing();
}
