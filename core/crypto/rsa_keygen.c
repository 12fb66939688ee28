#include "crypto/rsa_keygen.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/param_build.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#define RSA_E 65537u
#define PRIME_TRIES 64      /* candidates rejected for gcd(e, p-1) != 1 */
#define PAIR_TRIES 4        /* prime pairs rejected as too close, etc. */

struct prime_job {
    int bits;
    BIGNUM *p;
    int ok;
};

/* A prime p of `bits` bits (top two bits set, so p*q has exactly twice
 * the bits) with gcd(e, p-1) = 1: e is prime, so p mod e != 1. */
static int find_prime(int bits, BIGNUM *p)
{
    BN_CTX *ctx = BN_CTX_new();
    int ok = 0;

    if (!ctx)
        return 0;
    for (int i = 0; i < PRIME_TRIES && !ok; i++) {
        BN_ULONG r;

        if (!BN_generate_prime_ex2(p, bits, 0, NULL, NULL, NULL, ctx))
            break;
        r = BN_mod_word(p, RSA_E);
        ok = r != 1 && r != (BN_ULONG)-1;
    }
    BN_CTX_free(ctx);
    return ok;
}

static void *prime_thread(void *arg)
{
    struct prime_job *job = arg;

    job->ok = find_prime(job->bits, job->p);
    return NULL;
}

static int push_bn(OSSL_PARAM_BLD *bld, const char *name, const BIGNUM *v)
{
    return OSSL_PARAM_BLD_push_BN(bld, name, v);
}

EVP_PKEY *rsa_key_from_primes(const BIGNUM *p_in, const BIGNUM *q_in,
                              int bits)
{
    BN_CTX *ctx = BN_CTX_new();
    BIGNUM *p = BN_dup(p_in), *q = BN_dup(q_in), *e = BN_new();
    BIGNUM *n = BN_new(), *d = BN_new(), *p1 = BN_new(), *q1 = BN_new();
    BIGNUM *g = BN_new(), *lcm = BN_new(), *dp = BN_new(), *dq = BN_new();
    BIGNUM *qi = BN_new(), *diff = BN_new();
    OSSL_PARAM_BLD *bld = NULL;
    OSSL_PARAM *params = NULL;
    EVP_PKEY_CTX *pctx = NULL;
    EVP_PKEY *key = NULL;

    if (!ctx || !p || !q || !e || !n || !d || !p1 || !q1 || !g || !lcm ||
        !dp || !dq || !qi || !diff)
        goto out;
    /* secrets: OpenSSL's constant-time paths, as its own generator */
    BN_set_flags(p, BN_FLG_CONSTTIME);
    BN_set_flags(q, BN_FLG_CONSTTIME);
    BN_set_flags(p1, BN_FLG_CONSTTIME);
    BN_set_flags(q1, BN_FLG_CONSTTIME);
    BN_set_flags(lcm, BN_FLG_CONSTTIME);
    BN_set_flags(d, BN_FLG_CONSTTIME);
    if (BN_cmp(p, q) < 0)
        BN_swap(p, q);
    /* FIPS 186-4 B.3.1: |p - q| > 2^(nlen/2 - 100) */
    if (!BN_sub(diff, p, q) || BN_num_bits(diff) <= bits / 2 - 100)
        goto out;
    if (!BN_set_word(e, RSA_E) || !BN_mul(n, p, q, ctx) ||
        BN_num_bits(n) != bits)
        goto out;
    if (!BN_sub(p1, p, BN_value_one()) || !BN_sub(q1, q, BN_value_one()) ||
        !BN_gcd(g, p1, q1, ctx) || !BN_mul(lcm, p1, q1, ctx) ||
        !BN_div(lcm, NULL, lcm, g, ctx))
        goto out;
    /* d = e^-1 mod lcm(p-1, q-1); FIPS 186-4 B.3.1 wants d > 2^(nlen/2) */
    if (!BN_mod_inverse(d, e, lcm, ctx) || BN_num_bits(d) <= bits / 2)
        goto out;
    if (!BN_mod(dp, d, p1, ctx) || !BN_mod(dq, d, q1, ctx) ||
        !BN_mod_inverse(qi, q, p, ctx))
        goto out;
    bld = OSSL_PARAM_BLD_new();
    if (!bld || !push_bn(bld, OSSL_PKEY_PARAM_RSA_N, n) ||
        !push_bn(bld, OSSL_PKEY_PARAM_RSA_E, e) ||
        !push_bn(bld, OSSL_PKEY_PARAM_RSA_D, d) ||
        !push_bn(bld, OSSL_PKEY_PARAM_RSA_FACTOR1, p) ||
        !push_bn(bld, OSSL_PKEY_PARAM_RSA_FACTOR2, q) ||
        !push_bn(bld, OSSL_PKEY_PARAM_RSA_EXPONENT1, dp) ||
        !push_bn(bld, OSSL_PKEY_PARAM_RSA_EXPONENT2, dq) ||
        !push_bn(bld, OSSL_PKEY_PARAM_RSA_COEFFICIENT1, qi))
        goto out;
    params = OSSL_PARAM_BLD_to_param(bld);
    pctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
    if (!params || !pctx || EVP_PKEY_fromdata_init(pctx) <= 0 ||
        EVP_PKEY_fromdata(pctx, &key, EVP_PKEY_KEYPAIR, params) <= 0) {
        EVP_PKEY_free(key);
        key = NULL;
    }
out:
    OSSL_PARAM_free(params);   /* holds copies of the secrets: */
    OSSL_PARAM_BLD_free(bld);  /* OpenSSL clears secure params only */
    EVP_PKEY_CTX_free(pctx);
    BN_clear_free(p);
    BN_clear_free(q);
    BN_free(e);
    BN_free(n);
    BN_clear_free(d);
    BN_clear_free(p1);
    BN_clear_free(q1);
    BN_clear_free(g);
    BN_clear_free(lcm);
    BN_clear_free(dp);
    BN_clear_free(dq);
    BN_clear_free(qi);
    BN_clear_free(diff);
    BN_CTX_free(ctx);
    return key;
}

/* Sign and verify one message: a key whose halves disagree never leaves
 * this file. */
static int pairwise_ok(EVP_PKEY *key)
{
    static const unsigned char msg[] = "certbot rsa pairwise check";
    unsigned char sig[1024];
    size_t siglen = sizeof(sig);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    int ok = 0;

    if (!md)
        return 0;
    if (EVP_DigestSignInit_ex(md, NULL, "SHA256", NULL, NULL, key, NULL) > 0 &&
        EVP_DigestSign(md, sig, &siglen, msg, sizeof(msg)) > 0) {
        EVP_MD_CTX_reset(md);
        ok = EVP_DigestVerifyInit_ex(md, NULL, "SHA256", NULL, NULL, key,
                                     NULL) > 0 &&
             EVP_DigestVerify(md, sig, siglen, msg, sizeof(msg)) == 1;
    }
    EVP_MD_CTX_free(md);
    return ok;
}

static int start_blocked(pthread_t *t, void *(*fn)(void *), void *arg);

/* The two primes at once; NULL when anything failed. */
static EVP_PKEY *keygen_parallel(int bits)
{
    struct prime_job job = { bits / 2, BN_new(), 0 };
    BIGNUM *p = BN_new();
    EVP_PKEY *key = NULL;

    if (!job.p || !p)
        goto out;
    for (int i = 0; i < PAIR_TRIES && !key; i++) {
        pthread_t t;
        int started, ok;

        started = start_blocked(&t, prime_thread, &job) == 0;
        ok = find_prime(bits / 2, p);
        if (started)
            pthread_join(t, NULL);
        else
            prime_thread(&job);
        if (!ok || !job.ok)
            break;
        key = rsa_key_from_primes(p, job.p, bits);
        if (key && !pairwise_ok(key)) {
            EVP_PKEY_free(key);
            key = NULL;
            break;
        }
    }
out:
    BN_clear_free(job.p);
    BN_clear_free(p);
    return key;
}

int rsa_keygen(int bits, EVP_PKEY **out, struct cb_err *err)
{
    EVP_PKEY *key = NULL;

    *out = NULL;
    if (bits >= 2048 && bits % 2 == 0)
        key = keygen_parallel(bits);
    if (!key) {
        /* OpenSSL's own generator: odd sizes, or anything above failed */
        ERR_clear_error();
        key = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)bits);
    }
    if (!key) {
        const char *why = ERR_reason_error_string(ERR_peek_last_error());

        ERR_clear_error();
        return cb_err_set(err, CB_ERR_CRYPTO, "Key generation failed: %s",
                          why ? why : "unknown OpenSSL error");
    }
    ERR_clear_error();
    *out = key;
    return CB_OK;
}

struct rsa_keygen_job {
    pthread_t thread;
    int bits;
    int rc;
    EVP_PKEY *key;
    struct cb_err err;
};

static void *job_thread(void *arg)
{
    struct rsa_keygen_job *job = arg;

    job->rc = rsa_keygen(job->bits, &job->key, &job->err);
    return NULL;
}

/* Start a thread with every signal blocked: only the main thread handles
 * them (Ctrl-C, SIGTERM). */
static int start_blocked(pthread_t *t, void *(*fn)(void *), void *arg)
{
    sigset_t all, old;
    int r;

    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    r = pthread_create(t, NULL, fn, arg);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return r;
}

struct rsa_keygen_job *rsa_keygen_start(int bits)
{
    struct rsa_keygen_job *job = calloc(1, sizeof(*job));

    if (!job)
        return NULL;
    job->bits = bits;
    if (start_blocked(&job->thread, job_thread, job) != 0) {
        free(job);
        return NULL;
    }
    return job;
}

int rsa_keygen_join(struct rsa_keygen_job *job, int bits, EVP_PKEY **out,
                    struct cb_err *err)
{
    int rc;

    *out = NULL;
    if (!job || job->bits != bits) {
        rsa_keygen_drop(job);
        return rsa_keygen(bits, out, err);
    }
    pthread_join(job->thread, NULL);
    rc = job->rc;
    if (rc == CB_OK)
        *out = job->key;
    else if (err)
        *err = job->err;
    free(job);
    return rc;
}

void rsa_keygen_drop(struct rsa_keygen_job *job)
{
    if (!job)
        return;
    pthread_join(job->thread, NULL);
    EVP_PKEY_free(job->key);
    free(job);
}
