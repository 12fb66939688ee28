/* CSRs as Certbot makes them. */
#include <arpa/inet.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <string.h>

#include "crypto/csr.h"
#include "crypto/key.h"
#include "tap.h"

static X509_REQ *parse(const unsigned char *der, size_t len)
{
    const unsigned char *p = der;

    return d2i_X509_REQ(NULL, &p, (long)len);
}

static X509_EXTENSION *find_ext(STACK_OF(X509_EXTENSION) *exts, int nid)
{
    for (int i = 0; i < sk_X509_EXTENSION_num(exts); i++) {
        X509_EXTENSION *e = sk_X509_EXTENSION_value(exts, i);

        if (OBJ_obj2nid(X509_EXTENSION_get_object(e)) == nid)
            return e;
    }
    return NULL;
}

/* "DNS:b.test,DNS:a.test,IP:127.0.0.1" */
static void san_string(X509_EXTENSION *ext, char *out, size_t outlen)
{
    GENERAL_NAMES *names = X509V3_EXT_d2i(ext);
    size_t used = 0;

    out[0] = '\0';
    for (int i = 0; names && i < sk_GENERAL_NAME_num(names); i++) {
        GENERAL_NAME *gn = sk_GENERAL_NAME_value(names, i);
        int type, n = 0;
        ASN1_STRING *s = GENERAL_NAME_get0_value(gn, &type);

        if (type == GEN_DNS)
            n = snprintf(out + used, outlen - used, "%sDNS:%.*s",
                         i ? "," : "", ASN1_STRING_length(s),
                         (const char *)ASN1_STRING_get0_data(s));
        else if (type == GEN_IPADD) {
            char ip[INET6_ADDRSTRLEN] = "?";

            inet_ntop(ASN1_STRING_length(s) == 4 ? AF_INET : AF_INET6,
                      ASN1_STRING_get0_data(s), ip, sizeof(ip));
            n = snprintf(out + used, outlen - used, "%sIP:%s", i ? "," : "",
                         ip);
        }
        if (n > 0 && (size_t)n < outlen - used)
            used += (size_t)n;
    }
    GENERAL_NAMES_free(names);
}

static void check_csr(EVP_PKEY *key, const char *label, int must_staple)
{
    static const char *dns[] = { "b.test", "a.test", "www.b.test", NULL };
    static const char *ips[] = { "127.0.0.1", "::1", NULL };
    struct cb_err err = { 0 };
    unsigned char *der = NULL;
    size_t len = 0;
    X509_REQ *req = NULL;
    STACK_OF(X509_EXTENSION) *exts = NULL;
    X509_EXTENSION *san, *tls;
    char sans[256], name[128];
    int rc, sig_nid, md_nid = 0, pk_nid = 0;

    rc = csr_make(key, dns, ips, must_staple, &der, &len, &err);
    snprintf(name, sizeof(name), "%s: csr_make", label);
    is_int(rc, 0, name);
    req = parse(der, len);
    ok(req != NULL, "DER parses back");
    if (!req)
        goto out;
    is_int(X509_REQ_get_version(req), X509_REQ_VERSION_1, "version 1 (0)");
    is_int(X509_NAME_entry_count(X509_REQ_get_subject_name(req)), 0,
           "A-067 empty subject");
    exts = X509_REQ_get_extensions(req);
    san = find_ext(exts, NID_subject_alt_name);
    ok(san != NULL, "A-067 SAN extension present");
    ok(san && !X509_EXTENSION_get_critical(san), "A-067 SAN not critical");
    san_string(san, sans, sizeof(sans));
    is_str(sans, "DNS:b.test,DNS:a.test,DNS:www.b.test,IP:127.0.0.1,IP:::1",
           "A-067 SAN: DNS names in order, then IPs");
    tls = find_ext(exts, NID_tlsfeature);
    if (must_staple) {
        static const unsigned char want[] = { 0x30, 0x03, 0x02, 0x01, 0x05 };
        ASN1_OCTET_STRING *v = tls ? X509_EXTENSION_get_data(tls) : NULL;

        ok(tls != NULL, "A-068 TLS Feature present with must_staple");
        ok(v && ASN1_STRING_length(v) == 5 &&
               memcmp(ASN1_STRING_get0_data(v), want, 5) == 0,
           "A-068 TLS Feature is SEQUENCE { INTEGER 5 } (status_request)");
        ok(tls && !X509_EXTENSION_get_critical(tls), "TLS Feature not critical");
    } else {
        ok(tls == NULL, "no TLS Feature without must_staple");
    }
    is_int(X509_REQ_verify(req, key), 1, "signature verifies with the key");
    sig_nid = X509_REQ_get_signature_nid(req);
    OBJ_find_sigid_algs(sig_nid, &md_nid, &pk_nid);
    is_int(md_nid, NID_sha256, "A-067 signed with SHA-256");
    ok(EVP_PKEY_eq(X509_REQ_get0_pubkey(req), key) == 1, "CSR carries the key");
out:
    sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
    X509_REQ_free(req);
    OPENSSL_free(der);
}

static void test_errors(EVP_PKEY *key)
{
    static const char *bad_ip[] = { "300.1.1.1", NULL };
    struct cb_err err = { 0 };
    unsigned char *der = NULL;
    size_t len = 0;

    is_int(csr_make(key, NULL, bad_ip, 0, &der, &len, &err), CB_ERR_INVAL,
           "invalid IP refused");
    ok(strstr(cb_err_msg(&err), "300.1.1.1") != NULL, "message names the IP");
    ok(der == NULL && len == 0, "no output on error");
    cb_err_reset(&err);
    is_int(csr_make(key, NULL, NULL, 0, &der, &len, &err), CB_ERR_INVAL,
           "no names refused");
}

int main(void)
{
    struct cb_err err = { 0 };
    EVP_PKEY *rsa = NULL, *ec = NULL, *ec384 = NULL;

    key_generate("rsa", 2048, NULL, &rsa, &err);
    key_generate("ecdsa", 0, "secp256r1", &ec, &err);
    key_generate("ecdsa", 0, "secp384r1", &ec384, &err);
    check_csr(rsa, "RSA", 0);
    check_csr(ec, "P-256", 0);
    check_csr(ec, "P-256 must-staple", 1);
    check_csr(ec384, "P-384", 1);
    test_errors(ec);
    EVP_PKEY_free(ec384);
    EVP_PKEY_free(ec);
    EVP_PKEY_free(rsa);
    return done_testing();
}
