/* Private keys: generation, PKCS#8 PEM, loading, inspection (SPEC 4.7). */
#include <openssl/pem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto/key.h"
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
    test_rsa_too_small();
    test_ec();
    test_bad_args();
    test_traditional_and_file();
    return done_testing();
}
