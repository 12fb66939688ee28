/* Test helper: make small X.509 certificates with chosen serials, names
 * and dates.  Header-only (static) so each test program stands alone. */
#ifndef CB_TESTS_ACME_CERTGEN_H
#define CB_TESTS_ACME_CERTGEN_H

#include <openssl/bn.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct certgen {
    EVP_PKEY *key;           /* subject key */
    const char *cn;          /* subject CN (NULL: empty subject) */
    EVP_PKEY *issuer_key;    /* signs; NULL: self-signed */
    const char *issuer_cn;
    const char *serial_hex;
    time_t not_before, not_after;
    const char *const *dns, *const *ips;
    const unsigned char *akid;   /* Authority Key Identifier, optional */
    size_t akid_len;
};

static X509_NAME *certgen_name(const char *cn)
{
    X509_NAME *n = X509_NAME_new();

    if (n && cn)
        X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_UTF8,
                                   (const unsigned char *)cn, -1, -1, 0);
    return n;
}

/* PEM text of the certificate (malloc'd), or NULL. */
static char *certgen_pem(const struct certgen *g)
{
    X509 *x = X509_new();
    X509_NAME *subj = certgen_name(g->cn);
    X509_NAME *iss = certgen_name(g->issuer_cn ? g->issuer_cn : g->cn);
    BIGNUM *bn = NULL;
    ASN1_INTEGER *serial = NULL;
    GENERAL_NAMES *names = sk_GENERAL_NAME_new_null();
    BIO *bio = BIO_new(BIO_s_mem());
    char *data = NULL, *out = NULL;
    long n;

    BN_hex2bn(&bn, g->serial_hex);
    serial = BN_to_ASN1_INTEGER(bn, NULL);
    X509_set_version(x, X509_VERSION_3);
    X509_set_serialNumber(x, serial);
    X509_set_subject_name(x, subj);
    X509_set_issuer_name(x, iss);
    ASN1_TIME_set(X509_getm_notBefore(x), g->not_before);
    ASN1_TIME_set(X509_getm_notAfter(x), g->not_after);
    X509_set_pubkey(x, g->key);
    for (size_t i = 0; g->dns && g->dns[i]; i++) {
        GENERAL_NAME *gn = GENERAL_NAME_new();
        ASN1_IA5STRING *s = ASN1_IA5STRING_new();

        ASN1_STRING_set(s, g->dns[i], -1);
        GENERAL_NAME_set0_value(gn, GEN_DNS, s);
        sk_GENERAL_NAME_push(names, gn);
    }
    for (size_t i = 0; g->ips && g->ips[i]; i++) {
        GENERAL_NAME *gn = GENERAL_NAME_new();

        GENERAL_NAME_set0_value(gn, GEN_IPADD, a2i_IPADDRESS(g->ips[i]));
        sk_GENERAL_NAME_push(names, gn);
    }
    if (sk_GENERAL_NAME_num(names) > 0)
        X509_add1_ext_i2d(x, NID_subject_alt_name, names, 0, 0);
    if (g->akid) {
        AUTHORITY_KEYID *ak = AUTHORITY_KEYID_new();

        ak->keyid = ASN1_OCTET_STRING_new();
        ASN1_OCTET_STRING_set(ak->keyid, g->akid, (int)g->akid_len);
        X509_add1_ext_i2d(x, NID_authority_key_identifier, ak, 0, 0);
        AUTHORITY_KEYID_free(ak);
    }
    X509_sign(x, g->issuer_key ? g->issuer_key : g->key, EVP_sha256());
    PEM_write_bio_X509(bio, x);
    n = BIO_get_mem_data(bio, &data);
    if (n > 0)
        out = strndup(data, (size_t)n);
    BIO_free(bio);
    GENERAL_NAMES_free(names);
    ASN1_INTEGER_free(serial);
    BN_free(bn);
    X509_NAME_free(iss);
    X509_NAME_free(subj);
    X509_free(x);
    return out;
}

#endif
