/* Certificates: chain splitting and inspection. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto/cert.h"
#include "crypto/key.h"
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

int main(void)
{
    make_chain();
    ok(leaf_pem && int_pem && root_pem, "test chain generated");
    test_split();
    test_info();
    test_matches();
    free(leaf_pem);
    free(int_pem);
    free(root_pem);
    EVP_PKEY_free(leaf_key);
    EVP_PKEY_free(int_key);
    EVP_PKEY_free(root_key);
    return done_testing();
}
