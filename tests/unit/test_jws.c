/* JWK, RFC 7638 thumbprints, JWS signatures and EAB, each checked by an
 * independent parse and OpenSSL verification of the output. */
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/param_build.h>
#include <stdlib.h>
#include <string.h>

#include "acme/b64.h"
#include "acme/jws.h"
#include "crypto/key.h"
#include "tap.h"

/* RFC 7638 section 3.1 example key. */
static const char rfc7638_n[] =
    "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aP"
    "FFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl9"
    "3lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdA"
    "ZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3"
    "XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";
static const char rfc7638_e[] = "AQAB";
static const char rfc7638_thumb[] = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";

static BIGNUM *b64_bn(const char *s)
{
    unsigned char *buf = NULL;
    size_t len = 0;
    BIGNUM *bn = NULL;

    if (b64url_decode(s, &buf, &len) == 0)
        bn = BN_bin2bn(buf, (int)len, NULL);
    free(buf);
    return bn;
}

static EVP_PKEY *rsa_from_ne(const char *n_b64, const char *e_b64)
{
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    BIGNUM *n = b64_bn(n_b64), *e = b64_bn(e_b64);
    OSSL_PARAM *params = NULL;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
    EVP_PKEY *key = NULL;

    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n);
    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e);
    params = OSSL_PARAM_BLD_to_param(bld);
    if (EVP_PKEY_fromdata_init(ctx) > 0)
        EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params);
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    BN_free(n);
    BN_free(e);
    return key;
}

static void test_rfc7638(void)
{
    EVP_PKEY *key = rsa_from_ne(rfc7638_n, rfc7638_e);
    json_t *jwk = jwk_public(key);
    char *thumb = jwk_thumbprint(key);

    ok(key != NULL, "RFC 7638 key built from n/e");
    is_str(thumb, rfc7638_thumb, "A-041 RFC 7638 3.1 thumbprint");
    is_str(json_string_value(json_object_get(jwk, "n")), rfc7638_n, "JWK n");
    is_str(json_string_value(json_object_get(jwk, "e")), "AQAB", "JWK e");
    is_str(json_string_value(json_object_get(jwk, "kty")), "RSA", "JWK kty");
    is_int(json_object_size(jwk), 3, "RSA JWK has only e, kty, n");
    is_str(jws_alg(key), "RS256", "RSA alg RS256");
    free(thumb);
    json_decref(jwk);
    EVP_PKEY_free(key);
}

/* Size in bytes of a decoded base64url member of obj (-1 if bad). */
static long member_len(const json_t *obj, const char *name)
{
    unsigned char *buf = NULL;
    size_t len = 0;
    const char *s = json_string_value(json_object_get(obj, name));
    long out = -1;

    if (s && b64url_decode(s, &buf, &len) == 0)
        out = (long)len;
    free(buf);
    return out;
}

static void test_ec_jwk(void)
{
    static const struct {
        const char *curve, *crv, *alg;
        long field;
    } ec[] = {
        { "secp256r1", "P-256", "ES256", 32 },
        { "secp384r1", "P-384", "ES384", 48 },
        { "secp521r1", "P-521", "ES512", 66 },
    };
    struct cb_err err = { 0 };

    for (size_t i = 0; i < 3; i++) {
        EVP_PKEY *key = NULL;
        json_t *jwk;

        key_generate("ecdsa", 0, ec[i].curve, &key, &err);
        jwk = jwk_public(key);
        is_str(json_string_value(json_object_get(jwk, "crv")), ec[i].crv, "JWK crv");
        is_str(json_string_value(json_object_get(jwk, "kty")), "EC", "JWK kty EC");
        is_int(json_object_size(jwk), 4, "EC JWK has only crv, kty, x, y");
        is_int(member_len(jwk, "x"), ec[i].field, "x is the full field size");
        is_int(member_len(jwk, "y"), ec[i].field, "y is the full field size");
        is_str(jws_alg(key), ec[i].alg, "EC alg by curve");
        json_decref(jwk);
        EVP_PKEY_free(key);
    }
}

/* A P-256 key whose x coordinate has a leading zero byte must still give
 * a 32-byte x (RFC 7518 6.2.1.2); BN_num_bytes would give 31. */
static void test_ec_left_pad(void)
{
    struct cb_err err = { 0 };
    EVP_PKEY *key = NULL;
    BIGNUM *x = NULL;
    int found = 0;

    for (int i = 0; i < 5000 && !found; i++) {
        EVP_PKEY_free(key);
        key = NULL;
        BN_free(x);
        x = NULL;
        key_generate("ecdsa", 0, "secp256r1", &key, &err);
        EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_EC_PUB_X, &x);
        found = x && BN_num_bytes(x) < 32;
    }
    ok(found, "found a key with a short x coordinate");
    if (found) {
        json_t *jwk = jwk_public(key);
        unsigned char *buf = NULL;
        size_t len = 0;

        b64url_decode(json_string_value(json_object_get(jwk, "x")), &buf, &len);
        ok(len == 32 && buf[0] == 0, "x left-padded with zero to 32 bytes");
        free(buf);
        json_decref(jwk);
    }
    BN_free(x);
    EVP_PKEY_free(key);
}

/* Raw r||s back to DER for OpenSSL's verifier. */
static unsigned char *raw_to_der(const unsigned char *raw, size_t len,
                                 size_t *der_len)
{
    ECDSA_SIG *sig = ECDSA_SIG_new();
    BIGNUM *r = BN_bin2bn(raw, (int)(len / 2), NULL);
    BIGNUM *s = BN_bin2bn(raw + len / 2, (int)(len / 2), NULL);
    unsigned char *der = NULL;
    int n;

    ECDSA_SIG_set0(sig, r, s);
    n = i2d_ECDSA_SIG(sig, &der);
    ECDSA_SIG_free(sig);
    *der_len = n > 0 ? (size_t)n : 0;
    return der;
}

static int verify(EVP_PKEY *key, const char *md, const char *input,
                  const unsigned char *sig, size_t sig_len)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    int r = EVP_DigestVerifyInit_ex(ctx, NULL, md, NULL, NULL, key, NULL) > 0 &&
            EVP_DigestVerify(ctx, sig, sig_len, (const unsigned char *)input,
                             strlen(input)) == 1;

    EVP_MD_CTX_free(ctx);
    return r;
}

static json_t *decode_json_member(const json_t *obj, const char *name)
{
    unsigned char *buf = NULL;
    size_t len = 0;
    json_t *out = NULL;
    json_error_t jerr;
    const char *s = json_string_value(json_object_get(obj, name));

    if (s && b64url_decode(s, &buf, &len) == 0)
        out = json_loadb((const char *)buf, len, 0, &jerr);
    free(buf);
    return out;
}

static void check_jws(EVP_PKEY *key, const char *label, const char *alg,
                      const char *md, size_t raw_len, const char *kid,
                      const char *payload)
{
    struct cb_err err = { 0 };
    json_error_t jerr;
    char *out = NULL, *input = NULL, name[128];
    json_t *jws = NULL, *prot = NULL, *jwk = jwk_public(key);
    unsigned char *sig = NULL, *der = NULL, *pl = NULL;
    size_t sig_len = 0, der_len = 0, pl_len = 0;
    int rc;

    rc = jws_sign(key, kid, "nonce-123", "https://ca.test/acme/new-order",
                  payload, &out, &err);
    snprintf(name, sizeof(name), "%s: jws_sign", label);
    is_int(rc, 0, name);
    jws = json_loads(out ? out : "", 0, &jerr);
    is_int(json_object_size(jws), 3, "flattened JWS has three members");
    prot = decode_json_member(jws, "protected");
    is_str(json_string_value(json_object_get(prot, "alg")), alg, "protected alg");
    is_str(json_string_value(json_object_get(prot, "nonce")), "nonce-123",
           "protected nonce");
    is_str(json_string_value(json_object_get(prot, "url")),
           "https://ca.test/acme/new-order", "protected url");
    if (kid) {
        is_str(json_string_value(json_object_get(prot, "kid")), kid, "protected kid");
        ok(json_object_get(prot, "jwk") == NULL, "no jwk with kid");
    } else {
        ok(json_equal(json_object_get(prot, "jwk"), jwk), "protected jwk is the key");
        ok(json_object_get(prot, "kid") == NULL, "no kid with jwk");
    }
    b64url_decode(json_string_value(json_object_get(jws, "payload")), &pl, &pl_len);
    if (payload)
        ok(pl_len == strlen(payload) && memcmp(pl, payload, pl_len) == 0,
           "payload round trips");
    else
        is_str(json_string_value(json_object_get(jws, "payload")), "",
               "POST-as-GET payload is empty");
    b64url_decode(json_string_value(json_object_get(jws, "signature")), &sig,
                  &sig_len);
    if (asprintf(&input, "%s.%s",
                 json_string_value(json_object_get(jws, "protected")),
                 json_string_value(json_object_get(jws, "payload"))) < 0)
        input = NULL;
    if (raw_len) {
        is_int(sig_len, raw_len, "EC signature is raw r||s of fixed size");
        der = raw_to_der(sig, sig_len, &der_len);
        ok(input && verify(key, md, input, der, der_len),
           "EC signature verifies over protected.payload");
    } else {
        is_int(sig_len, 256, "RS256 signature is the modulus size");
        ok(input && verify(key, md, input, sig, sig_len),
           "RS256 signature verifies over protected.payload");
    }
    /* A changed byte must not verify: the check above is not vacuous. */
    if (input) {
        input[0] ^= 1;
        ok(!(raw_len ? verify(key, md, input, der, der_len)
                     : verify(key, md, input, sig, sig_len)),
           "tampered input fails verification");
    }
    OPENSSL_free(der);
    free(input);
    free(sig);
    free(pl);
    free(out);
    json_decref(jwk);
    json_decref(prot);
    json_decref(jws);
}

static void test_sign(void)
{
    struct cb_err err = { 0 };
    EVP_PKEY *rsa = NULL, *p256 = NULL, *p384 = NULL, *p521 = NULL;

    key_generate("rsa", 2048, NULL, &rsa, &err);
    key_generate("ecdsa", 0, "secp256r1", &p256, &err);
    key_generate("ecdsa", 0, "secp384r1", &p384, &err);
    key_generate("ecdsa", 0, "secp521r1", &p521, &err);
    check_jws(rsa, "RSA-2048 jwk", "RS256", "SHA256", 0, NULL,
              "{\"identifiers\":[]}");
    check_jws(rsa, "RSA-2048 kid", "RS256", "SHA256", 0,
              "https://ca.test/acct/1", NULL);
    check_jws(p256, "P-256", "ES256", "SHA256", 64, "https://ca.test/acct/2", "{}");
    check_jws(p384, "P-384", "ES384", "SHA384", 96, NULL, "{\"a\":1}");
    check_jws(p521, "P-521", "ES512", "SHA512", 132, NULL, "{}");
    EVP_PKEY_free(p521);
    EVP_PKEY_free(p384);
    EVP_PKEY_free(p256);
    EVP_PKEY_free(rsa);
}

static void check_eab(EVP_PKEY *acct, const char *alg, const char *md,
                      const char *key_text)
{
    static const unsigned char hkey[] = "super secret hmac key 0123456789";
    struct cb_err err = { 0 };
    json_t *eab = NULL, *prot, *payload, *jwk = jwk_public(acct);
    unsigned char mac[EVP_MAX_MD_SIZE], *sig = NULL;
    size_t mac_len = 0, sig_len = 0;
    char *input = NULL, name[96];
    int rc;

    rc = jws_eab(acct, "kid-1", key_text, alg,
                 "https://ca.test/acme/new-acct", &eab, &err);
    snprintf(name, sizeof(name), "jws_eab %s", alg);
    is_int(rc, 0, name);
    prot = decode_json_member(eab, "protected");
    payload = decode_json_member(eab, "payload");
    is_str(json_string_value(json_object_get(prot, "alg")), alg, "A-053 EAB alg");
    is_str(json_string_value(json_object_get(prot, "kid")), "kid-1", "EAB kid");
    is_str(json_string_value(json_object_get(prot, "url")),
           "https://ca.test/acme/new-acct", "EAB url is newAccount");
    ok(json_object_get(prot, "nonce") == NULL, "EAB has no nonce");
    ok(json_equal(payload, jwk), "EAB payload is the account JWK");
    if (asprintf(&input, "%s.%s",
                 json_string_value(json_object_get(eab, "protected")),
                 json_string_value(json_object_get(eab, "payload"))) < 0)
        input = NULL;
    EVP_Q_mac(NULL, "HMAC", NULL, md, NULL, hkey, sizeof(hkey) - 1,
              (const unsigned char *)input, input ? strlen(input) : 0, mac,
              sizeof(mac), &mac_len);
    b64url_decode(json_string_value(json_object_get(eab, "signature")), &sig,
                  &sig_len);
    ok(sig_len == mac_len && mac_len > 0 && memcmp(sig, mac, mac_len) == 0,
       "EAB HMAC recomputed matches");
    free(sig);
    free(input);
    json_decref(payload);
    json_decref(prot);
    json_decref(jwk);
    json_decref(eab);
}

static void test_eab(void)
{
    static const char hkey[] = "super secret hmac key 0123456789";
    struct cb_err err = { 0 };
    EVP_PKEY *acct = NULL;
    char *k = b64url_encode(hkey, sizeof(hkey) - 1);
    json_t *eab = NULL;
    char std[128];

    key_generate("rsa", 2048, NULL, &acct, &err);
    check_eab(acct, "HS256", "SHA256", k);
    check_eab(acct, "HS384", "SHA384", k);
    check_eab(acct, "HS512", "SHA512", k);
    /* Standard-alphabet keys are taken too, as Certbot's decoder does. */
    snprintf(std, sizeof(std), "%s", k);
    for (char *p = std; *p; p++)
        *p = *p == '-' ? '+' : *p == '_' ? '/' : *p;
    check_eab(acct, "HS256", "SHA256", std);
    is_int(jws_eab(acct, "kid-1", k, "HS1", "https://x", &eab, &err),
           CB_ERR_CONFIG, "unknown HMAC alg refused");
    cb_err_reset(&err);
    is_int(jws_eab(acct, "kid-1", "not*base64", "HS256", "https://x", &eab, &err),
           CB_ERR_CONFIG, "bad HMAC key refused");
    ok(strstr(cb_err_msg(&err), "not*base64") == NULL,
       "the key is not echoed in the message");
    EVP_PKEY_free(acct);
    free(k);
}

int main(void)
{
    test_rfc7638();
    test_ec_jwk();
    test_ec_left_pad();
    test_sign();
    test_eab();
    return done_testing();
}
