#include "acme/jws.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#include "acme/b64.h"

/* JWS parameters per key: JOSE names and the digest each alg uses. */
struct jws_ec_curve {
    const char *group;       /* OpenSSL group name */
    const char *crv;         /* JWK "crv" */
    const char *alg;         /* JWS "alg" */
    const char *digest;
    size_t field_len;        /* coordinate and r/s size in bytes */
};

static const struct jws_ec_curve jws_ec_curves[] = {
    { "prime256v1", "P-256", "ES256", "SHA256", 32 },
    { "secp384r1", "P-384", "ES384", "SHA384", 48 },
    { "secp521r1", "P-521", "ES512", "SHA512", 66 },
};
#define JWS_N_CURVES (sizeof(jws_ec_curves) / sizeof(jws_ec_curves[0]))

static const struct jws_ec_curve *jws_curve_of(EVP_PKEY *key)
{
    char group[64];
    size_t glen = 0;

    if (!key || !EVP_PKEY_is_a(key, "EC"))
        return NULL;
    if (!EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME,
                                        group, sizeof(group), &glen))
        return NULL;
    for (size_t i = 0; i < JWS_N_CURVES; i++)
        if (strcmp(group, jws_ec_curves[i].group) == 0)
            return &jws_ec_curves[i];
    return NULL;
}

const char *jws_alg(EVP_PKEY *key)
{
    const struct jws_ec_curve *ec;

    if (!key)
        return NULL;
    if (EVP_PKEY_is_a(key, "RSA"))
        return "RS256";
    ec = jws_curve_of(key);
    return ec ? ec->alg : NULL;
}

/* base64url of a big-endian number, padded to pad bytes (0: minimal). */
static char *jws_bn_b64(EVP_PKEY *key, const char *param, size_t pad)
{
    BIGNUM *bn = NULL;
    unsigned char *buf = NULL;
    char *out = NULL;
    int n;

    if (!EVP_PKEY_get_bn_param(key, param, &bn))
        goto out;
    n = pad ? (int)pad : BN_num_bytes(bn);
    if (n == 0)
        n = 1; /* zero is one 0x00 octet, never the empty string */
    buf = malloc((size_t)n);
    if (!buf || BN_bn2binpad(bn, buf, n) != n)
        goto out;
    out = b64url_encode(buf, (size_t)n);
out:
    free(buf);
    BN_free(bn);
    return out;
}

static int jws_set_b64(json_t *obj, const char *name, char *b64)
{
    int r;

    if (!b64)
        return -1;
    r = json_object_set_new(obj, name, json_string(b64));
    free(b64);
    return r;
}

json_t *jwk_public(EVP_PKEY *key)
{
    const struct jws_ec_curve *ec;
    json_t *jwk = json_object(), *result = NULL;
    int bad = 0;

    if (!jwk || !key)
        goto out;
    if (EVP_PKEY_is_a(key, "RSA")) {
        bad |= jws_set_b64(jwk, "e", jws_bn_b64(key, OSSL_PKEY_PARAM_RSA_E, 0));
        bad |= json_object_set_new(jwk, "kty", json_string("RSA"));
        bad |= jws_set_b64(jwk, "n", jws_bn_b64(key, OSSL_PKEY_PARAM_RSA_N, 0));
    } else {
        ec = jws_curve_of(key);
        if (!ec)
            goto out;
        bad |= json_object_set_new(jwk, "crv", json_string(ec->crv));
        bad |= json_object_set_new(jwk, "kty", json_string("EC"));
        /* RFC 7518 6.2.1.2: coordinates are the full field size. */
        bad |= jws_set_b64(jwk, "x", jws_bn_b64(key, OSSL_PKEY_PARAM_EC_PUB_X,
                                                ec->field_len));
        bad |= jws_set_b64(jwk, "y", jws_bn_b64(key, OSSL_PKEY_PARAM_EC_PUB_Y,
                                                ec->field_len));
    }
    if (bad)
        goto out;
    result = jwk;
    jwk = NULL;
out:
    ERR_clear_error();
    json_decref(jwk);
    return result;
}

char *jwk_thumbprint(EVP_PKEY *key)
{
    json_t *jwk = jwk_public(key);
    char *canon = NULL, *out = NULL;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int md_len = 0;

    if (!jwk)
        goto out;
    /* RFC 7638 3: required members only, sorted, no whitespace. */
    canon = json_dumps(jwk, JSON_COMPACT | JSON_SORT_KEYS);
    if (!canon)
        goto out;
    if (!EVP_Digest(canon, strlen(canon), md, &md_len, EVP_sha256(), NULL))
        goto out;
    out = b64url_encode(md, md_len);
out:
    free(canon);
    json_decref(jwk);
    return out;
}

/* DER ECDSA-Sig-Value -> fixed-size r||s (RFC 7518 3.4). */
static int jws_ecdsa_raw(const unsigned char *der, size_t der_len,
                         size_t field_len, unsigned char *out)
{
    const unsigned char *p = der;
    ECDSA_SIG *sig = d2i_ECDSA_SIG(NULL, &p, (long)der_len);
    const BIGNUM *r = NULL, *s = NULL;
    int rc = -1;

    if (!sig)
        goto out;
    ECDSA_SIG_get0(sig, &r, &s);
    if (BN_bn2binpad(r, out, (int)field_len) != (int)field_len ||
        BN_bn2binpad(s, out + field_len, (int)field_len) != (int)field_len)
        goto out;
    rc = 0;
out:
    ECDSA_SIG_free(sig);
    return rc;
}

/* Sign input; *sig is malloc'd and already in JWS form. */
static int jws_sign_raw(EVP_PKEY *key, const char *input,
                        unsigned char **sig, size_t *sig_len)
{
    const struct jws_ec_curve *ec = jws_curve_of(key);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    unsigned char *buf = NULL, *raw = NULL;
    size_t len = 0;
    int rc = -1;

    *sig = NULL;
    *sig_len = 0;
    if (!md)
        goto out;
    /* RSA keys sign with PKCS#1 v1.5, OpenSSL's default padding. */
    if (EVP_DigestSignInit_ex(md, NULL, ec ? ec->digest : "SHA256", NULL,
                              NULL, key, NULL) <= 0 ||
        EVP_DigestSign(md, NULL, &len, (const unsigned char *)input,
                       strlen(input)) <= 0)
        goto out;
    buf = malloc(len);
    if (!buf || EVP_DigestSign(md, buf, &len, (const unsigned char *)input,
                               strlen(input)) <= 0)
        goto out;
    if (ec) {
        raw = malloc(2 * ec->field_len);
        if (!raw || jws_ecdsa_raw(buf, len, ec->field_len, raw) < 0)
            goto out;
        free(buf);
        buf = raw;
        raw = NULL;
        len = 2 * ec->field_len;
    }
    *sig = buf;
    *sig_len = len;
    buf = NULL;
    rc = 0;
out:
    free(raw);
    free(buf);
    EVP_MD_CTX_free(md);
    ERR_clear_error();
    return rc;
}

/* Assemble {"protected","payload","signature"} once the signature over
 * "protected.payload" is known. */
static json_t *jws_flatten(const char *prot_b64, const char *payload_b64,
                           const unsigned char *sig, size_t sig_len)
{
    char *sig_b64 = b64url_encode(sig, sig_len);
    json_t *out = NULL;

    if (sig_b64)
        out = json_pack("{s:s, s:s, s:s}", "protected", prot_b64,
                        "payload", payload_b64, "signature", sig_b64);
    free(sig_b64);
    return out;
}

static char *jws_join(const char *a, const char *b)
{
    char *out = NULL;

    if (asprintf(&out, "%s.%s", a, b) < 0)
        return NULL;
    return out;
}

static char *jws_b64_json(const json_t *obj)
{
    char *text = json_dumps(obj, JSON_COMPACT);
    char *out = NULL;

    if (text)
        out = b64url_encode(text, strlen(text));
    free(text);
    return out;
}

int jws_sign(EVP_PKEY *key, const char *kid, const char *nonce,
             const char *url, const char *payload, char **out,
             struct cb_err *err)
{
    const char *alg = jws_alg(key);
    json_t *prot = NULL, *jws = NULL;
    char *prot_b64 = NULL, *payload_b64 = NULL, *input = NULL;
    unsigned char *sig = NULL;
    size_t sig_len = 0;
    int rc = CB_ERR_NOMEM;

    *out = NULL;
    if (!alg) {
        rc = cb_err_set(err, CB_ERR_CRYPTO,
                        "Unsupported key for signing ACME requests");
        goto out;
    }
    prot = json_pack("{s:s, s:s}", "alg", alg, "url", url);
    if (!prot)
        goto out;
    if (kid) {
        if (json_object_set_new(prot, "kid", json_string(kid)) < 0)
            goto out;
    } else {
        json_t *jwk = jwk_public(key);

        if (!jwk || json_object_set_new(prot, "jwk", jwk) < 0) {
            rc = cb_err_set(err, CB_ERR_CRYPTO, "Cannot export the public key");
            goto out;
        }
    }
    if (nonce && json_object_set_new(prot, "nonce", json_string(nonce)) < 0)
        goto out;
    prot_b64 = jws_b64_json(prot);
    /* POST-as-GET signs an empty payload, not "{}" (RFC 8555 6.3). */
    if (payload)
        payload_b64 = b64url_encode(payload, strlen(payload));
    else
        payload_b64 = strdup("");
    if (!prot_b64 || !payload_b64)
        goto out;
    input = jws_join(prot_b64, payload_b64);
    if (!input)
        goto out;
    if (jws_sign_raw(key, input, &sig, &sig_len) < 0) {
        rc = cb_err_set(err, CB_ERR_CRYPTO, "Cannot sign the ACME request");
        goto out;
    }
    jws = jws_flatten(prot_b64, payload_b64, sig, sig_len);
    *out = jws ? json_dumps(jws, JSON_COMPACT) : NULL;
    if (!*out)
        goto out;
    rc = CB_OK;
out:
    if (rc == CB_ERR_NOMEM)
        cb_err_set(err, rc, "out of memory");
    free(sig);
    free(input);
    free(payload_b64);
    free(prot_b64);
    json_decref(jws);
    json_decref(prot);
    return rc;
}

static const char *jws_hmac_digest(const char *alg)
{
    if (!alg || strcmp(alg, "HS256") == 0)
        return "SHA256";
    if (strcmp(alg, "HS384") == 0)
        return "SHA384";
    if (strcmp(alg, "HS512") == 0)
        return "SHA512";
    return NULL;
}

/* CAs hand out EAB keys in base64url, but some use the standard alphabet;
 * Certbot's decoder takes both, so map to the url alphabet first. */
static int jws_decode_hmac_key(const char *in, unsigned char **key,
                               size_t *key_len)
{
    char *s = strdup(in);
    int rc;

    if (!s)
        return CB_ERR_NOMEM;
    for (char *p = s; *p; p++) {
        if (*p == '+')
            *p = '-';
        else if (*p == '/')
            *p = '_';
    }
    rc = b64url_decode(s, key, key_len);
    free(s);
    return rc;
}

int jws_eab(EVP_PKEY *account_key, const char *kid,
            const char *hmac_key_b64url, const char *alg, const char *url,
            json_t **out, struct cb_err *err)
{
    const char *digest = jws_hmac_digest(alg);
    json_t *prot = NULL, *jwk = NULL;
    char *prot_b64 = NULL, *payload_b64 = NULL, *input = NULL;
    unsigned char *hkey = NULL;
    size_t hkey_len = 0, mac_len = 0;
    unsigned char mac[EVP_MAX_MD_SIZE];
    int rc = CB_ERR_NOMEM;

    *out = NULL;
    if (!digest) {
        rc = cb_err_set(err, CB_ERR_CONFIG,
                        "Unsupported EAB HMAC algorithm: %s", alg);
        goto out;
    }
    if (!kid || !hmac_key_b64url ||
        jws_decode_hmac_key(hmac_key_b64url, &hkey, &hkey_len) < 0 ||
        hkey_len == 0) {
        /* Never echo the key itself: it is a secret. */
        rc = cb_err_set(err, CB_ERR_CONFIG,
                        "The EAB HMAC key is not valid base64url");
        goto out;
    }
    prot = json_pack("{s:s, s:s, s:s}", "alg", alg ? alg : "HS256",
                     "kid", kid, "url", url);
    jwk = jwk_public(account_key);
    if (!prot || !jwk)
        goto out;
    prot_b64 = jws_b64_json(prot);
    payload_b64 = jws_b64_json(jwk);
    if (!prot_b64 || !payload_b64)
        goto out;
    input = jws_join(prot_b64, payload_b64);
    if (!input)
        goto out;
    if (!EVP_Q_mac(NULL, "HMAC", NULL, digest, NULL, hkey, hkey_len,
                   (const unsigned char *)input, strlen(input), mac,
                   sizeof(mac), &mac_len)) {
        ERR_clear_error();
        rc = cb_err_set(err, CB_ERR_CRYPTO, "Cannot compute the EAB HMAC");
        goto out;
    }
    *out = jws_flatten(prot_b64, payload_b64, mac, mac_len);
    if (!*out)
        goto out;
    rc = CB_OK;
out:
    if (rc == CB_ERR_NOMEM)
        cb_err_set(err, rc, "out of memory");
    if (hkey) {
        OPENSSL_cleanse(hkey, hkey_len);
        free(hkey);
    }
    OPENSSL_cleanse(mac, sizeof(mac));
    free(input);
    free(payload_b64);
    free(prot_b64);
    json_decref(jwk);
    json_decref(prot);
    return rc;
}
