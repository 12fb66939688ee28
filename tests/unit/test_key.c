/* Private keys: generation, PKCS#8 PEM, loading, inspection (SPEC 4.7). */
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto/key.h"
#include "crypto/rsa_keygen.h"
#include "tap.h"

static const char pkcs8_header[] = "-----BEGIN PRIVATE KEY-----\n";

static void test_rsa(void)
{
    struct cb_err err = { 0 };
    EVP_PKEY *key = NULL, *back = NULL;
    char *pem = NULL;
    size_t len = 0;
    int rc;

    rc = key_generate("rsa", 2048, NULL, &key, &err);
    is_int(rc, 0, "A-110 RSA 2048 generated");
    is_str(key_type(key), "rsa", "key_type rsa");
    is_int(key_rsa_bits(key), 2048, "2048 bits");
    ok(key_curve(key) == NULL, "RSA key has no curve");
    rc = key_to_pem(key, &pem, &len, &err);
    is_int(rc, 0, "key_to_pem");
    ok(pem && len == strlen(pem) &&
           strncmp(pem, pkcs8_header, sizeof(pkcs8_header) - 1) == 0,
       "A-062 RSA PEM is PKCS#8 (BEGIN PRIVATE KEY)");
    ok(pem && strstr(pem, "-----END PRIVATE KEY-----\n") != NULL, "PKCS#8 footer");
    rc = key_from_pem(pem, len, &back, &err);
    is_int(rc, 0, "key_from_pem");
    ok(key_public_equal(key, back), "round trip keeps the key");
    key_pem_free(pem, len);
    EVP_PKEY_free(back);
    EVP_PKEY_free(key);
}

/* The parallel generator's keys are whole RSA keys: OpenSSL's full check
 * (primality of p and q, n = pq, d e = 1 mod lcm, CRT values) passes. */
static void test_rsa_parallel(void)
{
    struct cb_err err = { 0 };
    EVP_PKEY *key = NULL;
    EVP_PKEY_CTX *ctx;
    BIGNUM *e = NULL;

    is_int(rsa_keygen(2048, &key, &err), 0, "rsa_keygen 2048");
    is_int(key_rsa_bits(key), 2048, "modulus of 2048 bits");
    ok(key && EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_E, &e) &&
           BN_is_word(e, 65537), "e = 65537");
    ctx = key ? EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL) : NULL;
    ok(ctx && EVP_PKEY_check(ctx) == 1,
       "OpenSSL's full key check passes (primes, d, CRT values)");
    EVP_PKEY_CTX_free(ctx);
    BN_free(e);
    EVP_PKEY_free(key);
}

/* Assembly refuses prime pairs that make no valid key. */
static void test_rsa_from_primes(void)
{
    BIGNUM *p = BN_new(), *q = BN_new(), *close = BN_new();
    EVP_PKEY *key;
    EVP_PKEY_CTX *ctx;
    int found = 0;

    /* primes with gcd(e, p-1) = 1 */
    for (int i = 0; i < 16 && !found; i++)
        found = BN_generate_prime_ex(p, 1024, 0, NULL, NULL, NULL) &&
                BN_mod_word(p, 65537) != 1 &&
                BN_generate_prime_ex(q, 1024, 0, NULL, NULL, NULL) &&
                BN_mod_word(q, 65537) != 1;
    ok(found, "two 1024-bit primes");
    key = rsa_key_from_primes(p, q, 2048);
    ctx = key ? EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL) : NULL;
    ok(ctx && EVP_PKEY_check(ctx) == 1, "p, q make a valid key");
    EVP_PKEY_CTX_free(ctx);
    EVP_PKEY_free(key);
    key = rsa_key_from_primes(q, p, 2048);
    ok(key != NULL, "order of the primes does not matter");
    EVP_PKEY_free(key);
    ok(rsa_key_from_primes(p, p, 2048) == NULL, "p = q refused");
    BN_copy(close, p);
    BN_add_word(close, 2);        /* not prime, but too close is checked first */
    ok(rsa_key_from_primes(p, close, 2048) == NULL, "|p - q| too small refused");
    ok(rsa_key_from_primes(p, q, 3072) == NULL, "wrong modulus size refused");
    BN_free(p);
    BN_free(q);
    BN_free(close);
}

static void test_rsa_too_small(void)
{
    struct cb_err err = { 0 };
    EVP_PKEY *key = (EVP_PKEY *)1;
    int rc = key_generate("rsa", 1024, NULL, &key, &err);

    is_int(rc, CB_ERR_CONFIG, "A-112 RSA 1024 refused with CB_ERR_CONFIG");
    is_str(cb_err_msg(&err), "Unsupported RSA key length: 1024",
           "A-112 exact message");
    ok(key == NULL, "no key returned");
}

static void test_ec(void)
{
    static const char *curves[] = { "secp256r1", "secp384r1", "secp521r1" };
    static const int bits[] = { 256, 384, 521 };

    for (size_t i = 0; i < 3; i++) {
        struct cb_err err = { 0 };
        EVP_PKEY *key = NULL, *back = NULL;
        char *pem = NULL, name[80];
        size_t len = 0;
        int rc = key_generate("ecdsa", 0, curves[i], &key, &err);

        snprintf(name, sizeof(name), "A-113 %s generated", curves[i]);
        is_int(rc, 0, name);
        is_str(key_type(key), "ecdsa", "key_type ecdsa");
        snprintf(name, sizeof(name), "key_curve is %s", curves[i]);
        is_str(key_curve(key), curves[i], name);
        is_int(EVP_PKEY_get_bits(key), bits[i], "curve size");
        is_int(key_rsa_bits(key), 0, "EC key has no RSA bits");
        key_to_pem(key, &pem, &len, &err);
        ok(pem && strncmp(pem, pkcs8_header, sizeof(pkcs8_header) - 1) == 0,
           "A-062 EC PEM is PKCS#8, not BEGIN EC PRIVATE KEY");
        rc = key_from_pem(pem, len, &back, &err);
        ok(rc == 0 && key_public_equal(key, back), "EC round trip");
        is_str(key_curve(back), curves[i], "curve survives the round trip");
        key_pem_free(pem, len);
        EVP_PKEY_free(back);
        EVP_PKEY_free(key);
    }
}

static void test_bad_args(void)
{
    struct cb_err err = { 0 };
    EVP_PKEY *key = NULL;

    is_int(key_generate("ecdsa", 0, "secp192r1", &key, &err), CB_ERR_CONFIG,
           "unknown curve refused");
    ok(strstr(cb_err_msg(&err), "secp192r1") != NULL, "message names the curve");
    cb_err_reset(&err);
    is_int(key_generate("ecdsa", 0, NULL, &key, &err), 0, "no curve: default");
    is_str(key_curve(key), "secp256r1", "A-109 default curve secp256r1");
    EVP_PKEY_free(key);
    key = NULL;
    is_int(key_generate("dsa", 2048, NULL, &key, &err), CB_ERR_CONFIG,
           "unknown key type refused");
    cb_err_reset(&err);
    is_int(key_from_pem("not a key", 9, &key, &err), CB_ERR_CRYPTO,
           "garbage PEM refused");
    ok(key == NULL, "no key on failure");
}

static void test_traditional_and_file(void)
{
    struct cb_err err = { 0 };
    EVP_PKEY *key = NULL, *back = NULL, *other = NULL;
    char path[] = "/tmp/test_key_XXXXXX";
    BIO *bio = BIO_new(BIO_s_mem());
    char *data = NULL;
    long n;
    int fd, rc;

    key_generate("ecdsa", 0, "secp256r1", &key, &err);
    /* Older tools wrote "BEGIN EC PRIVATE KEY"; those files must load. */
    PEM_write_bio_PrivateKey_traditional(bio, key, NULL, NULL, 0, NULL, NULL);
    n = BIO_get_mem_data(bio, &data);
    ok(n > 0 && strncmp(data, "-----BEGIN EC PRIVATE KEY-----", 30) == 0,
       "made a traditional EC PEM");
    fd = mkstemp(path);
    ok(fd >= 0 && write(fd, data, (size_t)n) == n, "wrote it to a file");
    close(fd);
    rc = key_load_file(path, &back, &err);
    is_int(rc, 0, "key_load_file reads the traditional form");
    ok(key_public_equal(key, back), "loaded key matches");
    unlink(path);
    cb_err_reset(&err);
    rc = key_load_file(path, &other, &err);
    is_int(rc, CB_ERR_IO, "missing file is CB_ERR_IO");
    ok(strstr(cb_err_msg(&err), path) != NULL, "message names the file");
    key_generate("ecdsa", 0, "secp256r1", &other, &err);
    ok(!key_public_equal(key, other), "different keys are not equal");
    BIO_free(bio);
    EVP_PKEY_free(other);
    EVP_PKEY_free(back);
    EVP_PKEY_free(key);
}

int main(void)
{
    test_rsa();
    test_rsa_parallel();
    test_rsa_from_primes();
    test_rsa_too_small();
    test_ec();
    test_bad_args();
    test_traditional_and_file();
    return done_testing();
}
