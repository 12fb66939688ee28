#include "crypto/csr.h"

#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <string.h>

/* DER of TLSFeature ::= SEQUENCE { INTEGER 5 }: status_request (RFC 7633),
 * the value Certbot's --must-staple writes. */
static const unsigned char csr_tlsfeature_status_request[] = {
    0x30, 0x03, 0x02, 0x01, 0x05
};

static int csr_push_name(GENERAL_NAMES *names, int type, const char *value)
{
    GENERAL_NAME *gn = NULL;
    ASN1_IA5STRING *ia5 = NULL;
    ASN1_OCTET_STRING *ip = NULL;
    int rc = -1;

    if (type == GEN_DNS) {
        ia5 = ASN1_IA5STRING_new();
        if (!ia5 || !ASN1_STRING_set(ia5, value, (int)strlen(value)))
            goto out;
    } else {
        ip = a2i_IPADDRESS(value);
        if (!ip)
            goto out;
    }
    gn = GENERAL_NAME_new();
    if (!gn)
        goto out;
    if (type == GEN_DNS)
        GENERAL_NAME_set0_value(gn, type, ia5);
    else
        GENERAL_NAME_set0_value(gn, type, ip);
    ia5 = NULL;
    ip = NULL;
    if (!sk_GENERAL_NAME_push(names, gn))
        goto out;
    gn = NULL;
    rc = 0;
out:
    GENERAL_NAME_free(gn);
    ASN1_IA5STRING_free(ia5);
    ASN1_OCTET_STRING_free(ip);
    return rc;
}

static X509_EXTENSION *csr_tlsfeature_ext(void)
{
    ASN1_OCTET_STRING *os = ASN1_OCTET_STRING_new();
    X509_EXTENSION *ext = NULL;

    if (os && ASN1_OCTET_STRING_set(os, csr_tlsfeature_status_request,
                                    sizeof(csr_tlsfeature_status_request)))
        ext = X509_EXTENSION_create_by_NID(NULL, NID_tlsfeature, 0, os);
    ASN1_OCTET_STRING_free(os);
    return ext;
}

int csr_make(EVP_PKEY *key, const char *const *dns, const char *const *ips,
             int must_staple, unsigned char **der, size_t *der_len,
             struct cb_err *err)
{
    X509_REQ *req = NULL;
    GENERAL_NAMES *names = NULL;
    STACK_OF(X509_EXTENSION) *exts = NULL;
    X509_EXTENSION *ext = NULL;
    unsigned char *buf = NULL;
    int len, rc = CB_ERR_CRYPTO;

    *der = NULL;
    *der_len = 0;
    names = sk_GENERAL_NAME_new_null();
    exts = sk_X509_EXTENSION_new_null();
    req = X509_REQ_new();
    if (!names || !exts || !req) {
        rc = cb_err_set(err, CB_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; dns && dns[i]; i++) {
        if (csr_push_name(names, GEN_DNS, dns[i]) < 0) {
            rc = cb_err_set(err, CB_ERR_CRYPTO,
                            "Cannot add %s to the CSR", dns[i]);
            goto out;
        }
    }
    for (size_t i = 0; ips && ips[i]; i++) {
        if (csr_push_name(names, GEN_IPADD, ips[i]) < 0) {
            rc = cb_err_set(err, CB_ERR_INVAL,
                            "Invalid IP address for the CSR: %s", ips[i]);
            goto out;
        }
    }
    if (sk_GENERAL_NAME_num(names) == 0) {
        rc = cb_err_set(err, CB_ERR_INVAL, "A CSR needs at least one name");
        goto out;
    }
    /* Version 1 (encoded 0), empty subject: the CA takes names from SAN. */
    if (!X509_REQ_set_version(req, X509_REQ_VERSION_1) ||
        !X509_REQ_set_pubkey(req, key)) {
        rc = cb_err_set(err, CB_ERR_CRYPTO, "Cannot set up the CSR");
        goto out;
    }
    ext = X509V3_EXT_i2d(NID_subject_alt_name, 0, names);
    if (!ext || !sk_X509_EXTENSION_push(exts, ext)) {
        rc = cb_err_set(err, CB_ERR_CRYPTO, "Cannot build the SAN extension");
        goto out;
    }
    ext = NULL;
    if (must_staple) {
        ext = csr_tlsfeature_ext();
        if (!ext || !sk_X509_EXTENSION_push(exts, ext)) {
            rc = cb_err_set(err, CB_ERR_CRYPTO,
                            "Cannot build the TLS Feature extension");
            goto out;
        }
        ext = NULL;
    }
    if (!X509_REQ_add_extensions(req, exts)) {
        rc = cb_err_set(err, CB_ERR_CRYPTO, "Cannot add CSR extensions");
        goto out;
    }
    if (X509_REQ_sign(req, key, EVP_sha256()) <= 0) {
        rc = cb_err_set(err, CB_ERR_CRYPTO, "Cannot sign the CSR");
        goto out;
    }
    len = i2d_X509_REQ(req, &buf);
    if (len <= 0) {
        rc = cb_err_set(err, CB_ERR_CRYPTO, "Cannot encode the CSR");
        goto out;
    }
    *der = buf;
    *der_len = (size_t)len;
    buf = NULL;
    rc = CB_OK;
out:
    OPENSSL_free(buf);
    X509_EXTENSION_free(ext);
    sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
    GENERAL_NAMES_free(names);
    X509_REQ_free(req);
    ERR_clear_error();
    return rc;
}
