#include "crypto/key.h"

#include "crypto/rsa_keygen.h"

#include <errno.h>
#include <openssl/core_names.h>
#include <openssl/decoder.h>
#include <openssl/encoder.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Certbot's curve names and the OpenSSL group names they map to. */
static const struct {
    const char *name;
    const char *group;
} key_curves[] = {
    { "secp256r1", "prime256v1" },
    { "secp384r1", "secp384r1" },
    { "secp521r1", "secp521r1" },
};

static const char *key_curve_group(const char *curve)
{
    for (size_t i = 0; i < sizeof(key_curves) / sizeof(key_curves[0]); i++)
        if (strcmp(curve, key_curves[i].name) == 0 ||
            strcmp(curve, key_curves[i].group) == 0)
            return key_curves[i].group;
    return NULL;
}

/* One line naming what failed and OpenSSL's reason for it. */
static int key_ossl_fail(struct cb_err *err, const char *what)
{
    const char *why = ERR_reason_error_string(ERR_peek_last_error());

    return cb_err_set(err, CB_ERR_CRYPTO, "%s: %s", what,
                      why ? why : "unknown OpenSSL error");
}

static EVP_PKEY_CTX *key_gen_ctx(const char *type, int rsa_bits,
                                 const char *group)
{
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
    int ok;

    if (!ctx)
        return NULL;
    ok = EVP_PKEY_keygen_init(ctx) > 0;
    if (ok && group)
        ok = EVP_PKEY_CTX_set_group_name(ctx, group) > 0;
    if (ok && !group)
        ok = EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, rsa_bits) > 0;
    if (!ok) {
        EVP_PKEY_CTX_free(ctx);
        return NULL;
    }
    return ctx;
}

int key_generate(const char *type, int rsa_bits, const char *curve,
                 EVP_PKEY **out, struct cb_err *err)
{
    EVP_PKEY_CTX *ctx = NULL;
    EVP_PKEY *key = NULL;
    const char *group = NULL;
    int rc = CB_ERR_CRYPTO;

    *out = NULL;
    if (type && strcmp(type, "rsa") == 0) {
        if (rsa_bits < 2048) {
            rc = cb_err_set(err, CB_ERR_CONFIG,
                            "Unsupported RSA key length: %d", rsa_bits);
            goto out;
        }
        /* both primes at once (crypto/rsa_keygen.h) */
        rc = rsa_keygen(rsa_bits, out, err);
        goto out;
    } else if (type && strcmp(type, "ecdsa") == 0) {
        /* Certbot's default curve (2.0+) when none is named. */
        group = key_curve_group(curve ? curve : "secp256r1");
        if (!group) {
            rc = cb_err_set(err, CB_ERR_CONFIG,
                            "Unsupported elliptic curve: %s",
                            curve ? curve : "(none)");
            goto out;
        }
        ctx = key_gen_ctx("EC", 0, group);
    } else {
        rc = cb_err_set(err, CB_ERR_CONFIG, "Invalid key type: %s",
                        type ? type : "(none)");
        goto out;
    }
    if (!ctx || EVP_PKEY_generate(ctx, &key) <= 0) {
        rc = key_ossl_fail(err, "Key generation failed");
        goto out;
    }
    *out = key;
    key = NULL;
    rc = CB_OK;
out:
    ERR_clear_error();
    EVP_PKEY_free(key);
    EVP_PKEY_CTX_free(ctx);
    return rc;
}

int key_to_pem(EVP_PKEY *key, char **pem, size_t *len, struct cb_err *err)
{
    OSSL_ENCODER_CTX *ectx = NULL;
    unsigned char *data = NULL;
    size_t dlen = 0;
    char *buf = NULL;
    int rc = CB_ERR_CRYPTO;

    *pem = NULL;
    *len = 0;
    /* "PrivateKeyInfo" is PKCS#8; the default would be the traditional
     * per-algorithm format that Certbot 3.1 briefly wrote by mistake. */
    ectx = OSSL_ENCODER_CTX_new_for_pkey(key, OSSL_KEYMGMT_SELECT_KEYPAIR,
                                         "PEM", "PrivateKeyInfo", NULL);
    if (!ectx || OSSL_ENCODER_CTX_get_num_encoders(ectx) == 0 ||
        !OSSL_ENCODER_to_data(ectx, &data, &dlen)) {
        rc = cb_err_set(err, CB_ERR_CRYPTO, "Cannot encode the private key");
        goto out;
    }
    buf = malloc(dlen + 1);
    if (!buf) {
        rc = cb_err_set(err, CB_ERR_NOMEM, "out of memory");
        goto out;
    }
    memcpy(buf, data, dlen);
    buf[dlen] = '\0';
    *pem = buf;
    *len = dlen;
    rc = CB_OK;
out:
    if (data)
        OPENSSL_clear_free(data, dlen);
    OSSL_ENCODER_CTX_free(ectx);
    ERR_clear_error();
    return rc;
}

void key_pem_free(char *pem, size_t len)
{
    if (!pem)
        return;
    OPENSSL_cleanse(pem, len);
    free(pem);
}

int key_from_pem(const char *pem, size_t len, EVP_PKEY **out,
                 struct cb_err *err)
{
    OSSL_DECODER_CTX *dctx = NULL;
    EVP_PKEY *key = NULL;
    const unsigned char *p = (const unsigned char *)pem;
    size_t left = len;
    int rc = CB_ERR_CRYPTO;

    *out = NULL;
    /* Accept PKCS#8 and the traditional RSA/EC PEM forms older tools wrote. */
    dctx = OSSL_DECODER_CTX_new_for_pkey(&key, "PEM", NULL, NULL,
                                         OSSL_KEYMGMT_SELECT_KEYPAIR, NULL,
                                         NULL);
    if (!dctx || !OSSL_DECODER_from_data(dctx, &p, &left) || !key) {
        rc = cb_err_set(err, CB_ERR_CRYPTO, "Cannot parse the private key");
        goto out;
    }
    *out = key;
    key = NULL;
    rc = CB_OK;
out:
    EVP_PKEY_free(key);
    OSSL_DECODER_CTX_free(dctx);
    ERR_clear_error();
    return rc;
}

int key_load_file(const char *path, EVP_PKEY **out, struct cb_err *err)
{
    FILE *f = NULL;
    char *buf = NULL;
    size_t len = 0, cap = 0;
    int rc = CB_ERR_IO;

    *out = NULL;
    f = fopen(path, "rb");
    if (!f) {
        rc = cb_err_set(err, CB_ERR_IO, "Cannot read private key %s: %s",
                        path, strerror(errno));
        goto out;
    }
    for (;;) {
        size_t n;

        if (len + 4096 + 1 > cap) {
            size_t ncap = cap ? cap * 2 : 8192;
            char *nb = malloc(ncap);

            if (!nb) {
                rc = cb_err_set(err, CB_ERR_NOMEM, "out of memory");
                goto out;
            }
            /* Copy by hand so the old buffer can be wiped: it holds key
             * material. */
            if (buf) {
                memcpy(nb, buf, len);
                OPENSSL_cleanse(buf, cap);
                free(buf);
            }
            buf = nb;
            cap = ncap;
        }
        n = fread(buf + len, 1, cap - len - 1, f);
        len += n;
        if (n == 0)
            break;
    }
    if (ferror(f)) {
        rc = cb_err_set(err, CB_ERR_IO, "Cannot read private key %s", path);
        goto out;
    }
    buf[len] = '\0';
    rc = key_from_pem(buf, len, out, err);
    if (rc < 0)
        cb_err_replace(err, rc, "Cannot parse private key %s", path);
out:
    if (f)
        fclose(f);
    if (buf) {
        OPENSSL_cleanse(buf, cap);
        free(buf);
    }
    return rc;
}

const char *key_type(EVP_PKEY *key)
{
    if (!key)
        return NULL;
    if (EVP_PKEY_is_a(key, "RSA"))
        return "rsa";
    if (EVP_PKEY_is_a(key, "EC"))
        return "ecdsa";
    return NULL;
}

int key_rsa_bits(EVP_PKEY *key)
{
    if (!key || !EVP_PKEY_is_a(key, "RSA"))
        return 0;
    return EVP_PKEY_get_bits(key);
}

const char *key_curve(EVP_PKEY *key)
{
    char group[64];
    size_t glen = 0;

    if (!key || !EVP_PKEY_is_a(key, "EC"))
        return NULL;
    if (!EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME,
                                        group, sizeof(group), &glen))
        return NULL;
    for (size_t i = 0; i < sizeof(key_curves) / sizeof(key_curves[0]); i++)
        if (strcmp(group, key_curves[i].group) == 0 ||
            strcmp(group, key_curves[i].name) == 0)
            return key_curves[i].name;
    return NULL;
}

int key_public_equal(EVP_PKEY *a, EVP_PKEY *b)
{
    int r;

    if (!a || !b)
        return 0;
    r = EVP_PKEY_eq(a, b);
    ERR_clear_error();
    return r == 1;
}
