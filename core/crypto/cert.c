#include "crypto/cert.h"
#include "crypto/x509_lite.h"
#include "util/fdio.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Is the queued OpenSSL error just "no more PEM blocks"? */
static int cert_pem_at_end(void)
{
    unsigned long e = ERR_peek_last_error();

    return ERR_GET_LIB(e) == ERR_LIB_PEM &&
           ERR_GET_REASON(e) == PEM_R_NO_START_LINE;
}

static int cert_to_pem(X509 *x, char **out)
{
    BIO *mem = BIO_new(BIO_s_mem());
    char *data = NULL;
    long n;
    int rc = CB_ERR_CRYPTO;

    *out = NULL;
    if (!mem || !PEM_write_bio_X509(mem, x))
        goto out;
    n = BIO_get_mem_data(mem, &data);
    if (n <= 0)
        goto out;
    *out = strndup(data, (size_t)n);
    rc = *out ? CB_OK : CB_ERR_NOMEM;
out:
    BIO_free(mem);
    return rc;
}

int pem_split_certs(const char *pem, size_t len, struct strvec *out,
                    struct cb_err *err)
{
    BIO *in = NULL;
    X509 *x = NULL;
    size_t found = 0;
    int rc = CB_ERR_CRYPTO;

    ERR_clear_error();
    in = BIO_new_mem_buf(pem, (int)len);
    if (!in) {
        rc = cb_err_set(err, CB_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (;;) {
        char *one = NULL;

        x = PEM_read_bio_X509(in, NULL, NULL, NULL);
        if (!x) {
            if (cert_pem_at_end())
                break;
            rc = cb_err_set(err, CB_ERR_CRYPTO,
                            "Failed to parse certificate %zu of the chain",
                            found + 1);
            goto out;
        }
        rc = cert_to_pem(x, &one);
        if (rc == CB_OK)
            rc = strvec_push_take(out, one);
        if (rc < 0) {
            rc = cb_err_set(err, rc, "Cannot re-encode certificate %zu",
                            found + 1);
            goto out;
        }
        X509_free(x);
        x = NULL;
        found++;
    }
    if (found == 0) {
        rc = cb_err_set(err, CB_ERR_CRYPTO, "No certificate found in PEM data");
        goto out;
    }
    rc = CB_OK;
out:
    X509_free(x);
    BIO_free(in);
    ERR_clear_error();
    return rc;
}

static X509 *cert_parse_first(const char *pem, size_t len)
{
    BIO *in = BIO_new_mem_buf(pem, (int)len);
    X509 *x = NULL;

    if (in)
        x = PEM_read_bio_X509(in, NULL, NULL, NULL);
    BIO_free(in);
    ERR_clear_error();
    return x;
}

/* Lowercase hex without leading zeros, like Python's format(n, "x"). */
static char *cert_serial_hex(const ASN1_INTEGER *serial)
{
    BIGNUM *bn = ASN1_INTEGER_to_BN(serial, NULL);
    char *hex = NULL, *out = NULL;
    const char *p;
    int neg;

    if (!bn)
        return NULL;
    hex = BN_bn2hex(bn);
    if (!hex)
        goto out;
    neg = hex[0] == '-';
    p = hex + neg;
    while (p[0] == '0' && p[1] != '\0')
        p++;
    if (asprintf(&out, "%s%s", neg ? "-" : "", p) < 0) {
        out = NULL;
        goto out;
    }
    for (char *q = out; *q; q++)
        *q = (char)tolower((unsigned char)*q);
out:
    OPENSSL_free(hex);
    BN_free(bn);
    return out;
}

static int cert_time(const ASN1_TIME *t, int64_t *out)
{
    struct tm tm;

    memset(&tm, 0, sizeof(tm));
    if (!t || !ASN1_TIME_to_tm(t, &tm))
        return -1;
    *out = (int64_t)timegm(&tm);
    return 0;
}

/* First CN of name as UTF-8, or NULL (also when there is none). */
static char *cert_name_cn(const X509_NAME *name)
{
    int idx = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
    const X509_NAME_ENTRY *e;
    unsigned char *utf8 = NULL;
    char *out = NULL;
    int n;

    if (idx < 0)
        return NULL;
    e = X509_NAME_get_entry(name, idx);
    n = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(e));
    if (n < 0)
        return NULL;
    out = strndup((char *)utf8, (size_t)n);
    OPENSSL_free(utf8);
    return out;
}

static int cert_push_sans(X509 *x, struct cert_info *ci)
{
    GENERAL_NAMES *names = X509_get_ext_d2i(x, NID_subject_alt_name, NULL,
                                            NULL);
    int n = names ? sk_GENERAL_NAME_num(names) : 0;
    int rc = CB_OK;

    for (int i = 0; i < n && rc == CB_OK; i++) {
        const GENERAL_NAME *gn = sk_GENERAL_NAME_value(names, i);
        int type;
        const void *val = GENERAL_NAME_get0_value(gn, &type);
        const ASN1_STRING *s = val;
        char buf[INET6_ADDRSTRLEN];

        if (type == GEN_DNS) {
            char *d = strndup((const char *)ASN1_STRING_get0_data(s),
                              (size_t)ASN1_STRING_length(s));
            rc = strvec_push_take(&ci->dns, d);
        } else if (type == GEN_IPADD) {
            int af = ASN1_STRING_length(s) == 4    ? AF_INET
                     : ASN1_STRING_length(s) == 16 ? AF_INET6
                                                   : -1;
            if (af < 0)
                continue;
            if (!inet_ntop(af, ASN1_STRING_get0_data(s), buf, sizeof(buf)))
                continue;
            rc = strvec_push(&ci->ips, buf);
        }
    }
    GENERAL_NAMES_free(names);
    return rc;
}

static int cert_info_from_x509(X509 *x, struct cert_info *ci,
                               struct cb_err *err)
{
    EVP_PKEY *pub = X509_get0_pubkey(x);
    const char *kt;
    int rc = CB_ERR_NOMEM;

    ci->serial_hex = cert_serial_hex(X509_get0_serialNumber(x));
    if (!ci->serial_hex)
        goto out;
    if (cert_time(X509_get0_notBefore(x), &ci->not_before) < 0 ||
        cert_time(X509_get0_notAfter(x), &ci->not_after) < 0) {
        rc = cb_err_set(err, CB_ERR_CRYPTO,
                        "Cannot read the certificate's validity dates");
        goto out;
    }
    if (cert_push_sans(x, ci) < 0)
        goto out;
    ci->common_name = cert_name_cn(X509_get_subject_name(x));
    ci->issuer_cn = cert_name_cn(X509_get_issuer_name(x));
    if (!pub)
        kt = "Unknown";
    else if (EVP_PKEY_is_a(pub, "RSA"))
        kt = "RSA";
    else if (EVP_PKEY_is_a(pub, "EC"))
        kt = "ECDSA";
    else
        kt = EVP_PKEY_get0_type_name(pub) ? EVP_PKEY_get0_type_name(pub)
                                          : "Unknown";
    ci->key_type = strdup(kt);
    if (!ci->key_type)
        goto out;
    {
        STACK_OF(OPENSSL_STRING) *urls = X509_get1_ocsp(x);

        if (urls && sk_OPENSSL_STRING_num(urls) > 0)
            ci->ocsp_url = strdup(sk_OPENSSL_STRING_value(urls, 0));
        X509_email_free(urls);
    }
    rc = CB_OK;
out:
    if (rc == CB_ERR_NOMEM)
        cb_err_set(err, rc, "out of memory");
    return rc;
}

int cert_info_from_pem(const char *pem, size_t len, struct cert_info *out,
                       struct cb_err *err)
{
    unsigned char *der = NULL;
    size_t der_len = 0;
    int rc = x509_lite_pem_der(pem, len, &der, &der_len);

    if (rc == CB_OK)
        rc = x509_lite_info(der, der_len, out);
    free(der);
    if (rc == CB_ERR_NOMEM)
        return cb_err_set(err, rc, "out of memory");
    if (rc == CB_OK)
        return rc;
    return cert_info_from_pem_openssl(pem, len, out, err);
}

int cert_info_from_pem_openssl(const char *pem, size_t len,
                               struct cert_info *out, struct cb_err *err)
{
    X509 *x = NULL;
    int rc;

    memset(out, 0, sizeof(*out));
    x = cert_parse_first(pem, len);
    if (!x) {
        rc = cb_err_set(err, CB_ERR_CRYPTO, "No certificate found in PEM data");
        goto out;
    }
    rc = cert_info_from_x509(x, out, err);
out:
    if (rc < 0)
        cert_info_free(out);
    X509_free(x);
    return rc;
}

/* A certificate file: open, one read into a stack buffer, close (renew
 * and certificates read one or two per lineage; stdio's fopen/fstat and
 * reads until 0 doubled that).  Certificates are regular files, where a
 * read shorter than the buffer is the end; a full buffer reads on. */

static int cert_read_file(const char *path, char **data, size_t *len,
                          struct cb_err *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC), rc = CB_OK;

    *data = NULL;
    *len = 0;
    if (fd < 0)
        return cb_err_set(err, CB_ERR_IO, "Cannot open %s: %s", path,
                          strerror(errno));
    if (fd_read_regular(fd, data, len) < 0)
        rc = errno == ENOMEM
                 ? cb_err_set(err, CB_ERR_NOMEM, "out of memory")
                 : cb_err_set(err, CB_ERR_IO, "Cannot read %s", path);
    close(fd);
    return rc;
}

int cert_info_load(const char *path, struct cert_info *out,
                   struct cb_err *err)
{
    char *data = NULL;
    size_t len = 0;
    int rc;

    memset(out, 0, sizeof(*out));
    rc = cert_read_file(path, &data, &len, err);
    if (rc < 0)
        goto out;
    rc = cert_info_from_pem(data, len, out, err);
    if (rc < 0)
        cb_err_prefix(err, "%s: ", path);
out:
    free(data);
    return rc;
}

void cert_info_free(struct cert_info *ci)
{
    if (!ci)
        return;
    free(ci->serial_hex);
    free(ci->common_name);
    free(ci->issuer_cn);
    free(ci->key_type);
    free(ci->ocsp_url);
    strvec_clear(&ci->dns);
    strvec_clear(&ci->ips);
    memset(ci, 0, sizeof(*ci));
}

int cert_matches_key(const char *cert_pem, size_t len, EVP_PKEY *key)
{
    X509 *x = cert_parse_first(cert_pem, len);
    EVP_PKEY *pub;
    int match = 0;

    if (!x || !key)
        goto out;
    pub = X509_get0_pubkey(x);
    match = pub && EVP_PKEY_eq(pub, key) == 1;
out:
    X509_free(x);
    ERR_clear_error();
    return match;
}

int cert_pem_to_der(const char *pem, size_t len, unsigned char **der,
                    size_t *der_len, struct cb_err *err)
{
    X509 *x = cert_parse_first(pem, len);
    unsigned char *buf = NULL;
    int n, rc = CB_ERR_CRYPTO;

    *der = NULL;
    *der_len = 0;
    if (!x) {
        rc = cb_err_set(err, CB_ERR_CRYPTO, "No certificate found in PEM data");
        goto out;
    }
    n = i2d_X509(x, &buf);
    if (n <= 0) {
        rc = cb_err_set(err, CB_ERR_CRYPTO, "Cannot encode the certificate");
        goto out;
    }
    *der = buf;
    *der_len = (size_t)n;
    rc = CB_OK;
out:
    X509_free(x);
    return rc;
}
