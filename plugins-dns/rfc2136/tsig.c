/* TSIG with OpenSSL's HMAC: see tsig.h.  RFC 8945 section 4.3: the MAC
 * covers (the request's MAC, for an answer) the message without its TSIG
 * record, with the original ID, then the "TSIG variables". */
#include "tsig.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#define TSIG_RDATA_FIELDS 7
#define TIME_SIGNED_LEN 6
/* tsig-keygen makes keys as long as the digest (64 bytes for SHA-512). */
#define MAX_KEY_BYTES 256

/* A growing byte string; a failed allocation sets oom and stops it. */
struct bytes {
    uint8_t *p;
    size_t n, cap;
    int oom;
};

static void put(struct bytes *b, const void *d, size_t n)
{
    if (b->oom || n == 0)
        return;
    if (b->n + n > b->cap) {
        size_t cap = b->cap ? b->cap : 512;
        uint8_t *p;

        while (cap < b->n + n)
            cap *= 2;
        p = realloc(b->p, cap);
        if (!p) {
            b->oom = 1;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, d, n);
    b->n += n;
}

static void put16(struct bytes *b, uint16_t v)
{
    uint8_t x[2] = {(uint8_t)(v >> 8), (uint8_t)v};

    put(b, x, sizeof(x));
}

static void put32(struct bytes *b, uint32_t v)
{
    uint8_t x[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8),
                    (uint8_t)v};

    put(b, x, sizeof(x));
}

/* A name in canonical form: lower case, uncompressed. */
static void put_name(struct bytes *b, const ldns_rdf *name)
{
    ldns_rdf *c = ldns_rdf_clone(name);

    if (!c) {
        b->oom = 1;
        return;
    }
    ldns_dname2canonical(c);
    put(b, ldns_rdf_data(c), ldns_rdf_size(c));
    ldns_rdf_deep_free(c);
}

/* The TSIG variables (RFC 8945 4.3.3); other is an INT16_DATA rdf, whose
 * data is the length followed by the bytes, as on the wire. */
static void put_vars(struct bytes *b, const ldns_rdf *key, const ldns_rdf *alg,
                     const ldns_rdf *time_signed, uint16_t fudge,
                     uint16_t error, const ldns_rdf *other)
{
    put_name(b, key);
    put16(b, LDNS_RR_CLASS_ANY);
    put32(b, 0); /* TTL */
    put_name(b, alg);
    put(b, ldns_rdf_data(time_signed), TIME_SIGNED_LEN);
    put16(b, fudge);
    put16(b, error);
    put(b, ldns_rdf_data(other), ldns_rdf_size(other));
}

/* The secret's bytes, or -1 when it is not base64. */
static int secret_bytes(const char *b64, uint8_t *out, size_t cap)
{
    size_t n = strlen(b64), pad = 0;
    int len;

    if (n == 0 || n % 4 != 0 || n / 4 * 3 > cap || n > INT32_MAX)
        return -1;
    if (b64[n - 1] == '=')
        pad++;
    if (b64[n - 2] == '=')
        pad++;
    /* EVP_DecodeBlock counts the padding as zero bytes. */
    len = EVP_DecodeBlock(out, (const unsigned char *)b64, (int)n);
    if (len < 0 || (size_t)len < pad)
        return -1;
    return len - (int)pad;
}

static int hmac(const struct rfc2136_tsig *t, const struct bytes *b,
                uint8_t *mac, size_t *mac_len)
{
    uint8_t key[MAX_KEY_BYTES];
    int klen = secret_bytes(t->secret, key, sizeof(key));
    int ok = 0;

    if (klen >= 0 && !b->oom)
        ok = EVP_Q_mac(NULL, "HMAC", NULL, t->digest, NULL, key,
                       (size_t)klen, b->p, b->n, mac, RFC2136_TSIG_MAC_MAX,
                       mac_len) != NULL;
    OPENSSL_cleanse(key, sizeof(key));
    return ok ? 0 : -1;
}

ldns_status rfc2136_tsig_sign(ldns_pkt *q, const struct rfc2136_tsig *t,
                              uint8_t mac[RFC2136_TSIG_MAC_MAX],
                              size_t *mac_len)
{
    uint64_t now = (uint64_t)time(NULL);
    uint8_t when[TIME_SIGNED_LEN], none = 0;
    ldns_rdf *f[TSIG_RDATA_FIELDS] = {NULL};
    ldns_rdf *key = ldns_dname_new_frm_str(t->key_name);
    uint8_t *wire = NULL;
    size_t wire_len = 0;
    struct bytes b = {0};
    ldns_rr *rr = NULL;
    ldns_status st = LDNS_STATUS_MEM_ERR;

    for (int i = 0; i < TIME_SIGNED_LEN; i++)
        when[i] = (uint8_t)(now >> (8 * (TIME_SIGNED_LEN - 1 - i)));
    f[0] = ldns_dname_new_frm_str(t->algorithm);
    f[1] = ldns_rdf_new_frm_data(LDNS_RDF_TYPE_TSIGTIME, sizeof(when), when);
    f[2] = ldns_native2rdf_int16(LDNS_RDF_TYPE_INT16, t->fudge);
    f[4] = ldns_native2rdf_int16(LDNS_RDF_TYPE_INT16, ldns_pkt_id(q));
    f[5] = ldns_native2rdf_int16(LDNS_RDF_TYPE_INT16, 0);
    f[6] = ldns_native2rdf_int16_data(0, &none);
    if (!key || !f[0] || !f[1] || !f[2] || !f[4] || !f[5] || !f[6])
        goto out;
    st = ldns_pkt2wire(&wire, q, &wire_len);
    if (st != LDNS_STATUS_OK)
        goto out;
    put(&b, wire, wire_len);
    put_vars(&b, key, f[0], f[1], t->fudge, 0, f[6]);
    if (hmac(t, &b, mac, mac_len) != 0) {
        st = LDNS_STATUS_CRYPTO_TSIG_ERR;
        goto out;
    }
    st = LDNS_STATUS_MEM_ERR;
    f[3] = ldns_native2rdf_int16_data(*mac_len, mac);
    rr = ldns_rr_new();
    if (!f[3] || !rr)
        goto out;
    ldns_rr_set_owner(rr, key);
    key = NULL;
    ldns_rr_set_class(rr, LDNS_RR_CLASS_ANY);
    ldns_rr_set_type(rr, LDNS_RR_TYPE_TSIG);
    ldns_rr_set_ttl(rr, 0);
    for (int i = 0; i < TSIG_RDATA_FIELDS; i++) {
        if (!ldns_rr_push_rdf(rr, f[i]))
            goto out;
        f[i] = NULL; /* the record owns it */
    }
    ldns_pkt_set_tsig(q, rr);
    rr = NULL;
    st = LDNS_STATUS_OK;
out:
    ldns_rr_free(rr);
    for (int i = 0; i < TSIG_RDATA_FIELDS; i++)
        ldns_rdf_deep_free(f[i]);
    ldns_rdf_deep_free(key);
    free(wire);
    free(b.p);
    return st;
}

/* Where the last record of the additional section (the TSIG) starts. */
static int tsig_offset(const uint8_t *wire, size_t len, size_t *pos)
{
    static const ldns_pkt_section sect[] = {
        LDNS_SECTION_QUESTION, LDNS_SECTION_ANSWER, LDNS_SECTION_AUTHORITY,
        LDNS_SECTION_ADDITIONAL,
    };
    uint16_t count[4];

    if (len < LDNS_HEADER_SIZE || LDNS_ARCOUNT(wire) == 0)
        return -1;
    count[0] = LDNS_QDCOUNT(wire);
    count[1] = LDNS_ANCOUNT(wire);
    count[2] = LDNS_NSCOUNT(wire);
    count[3] = (uint16_t)(LDNS_ARCOUNT(wire) - 1);
    *pos = LDNS_HEADER_SIZE;
    for (int s = 0; s < 4; s++) {
        for (uint16_t i = 0; i < count[s]; i++) {
            ldns_rr *rr = NULL;

            if (ldns_wire2rr(&rr, wire, len, pos, sect[s]) != LDNS_STATUS_OK)
                return -1;
            ldns_rr_free(rr);
        }
    }
    return 0;
}

int rfc2136_tsig_verify(const uint8_t *wire, size_t len, const ldns_pkt *ans,
                        const struct rfc2136_tsig *t, const uint8_t *req_mac,
                        size_t req_mac_len)
{
    const ldns_rr *rr = ldns_pkt_tsig(ans);
    const ldns_rdf *alg, *when, *fudge, *mac, *id, *err, *other;
    ldns_rdf *our_alg = ldns_dname_new_frm_str(t->algorithm);
    ldns_rdf *our_key = ldns_dname_new_frm_str(t->key_name);
    uint8_t calc[RFC2136_TSIG_MAC_MAX], hdr[LDNS_HEADER_SIZE];
    size_t calc_len = 0, pos = 0;
    struct bytes b = {0};
    uint64_t signed_at = 0;
    int64_t skew;
    int ret = -1;

    if (!rr || ldns_rr_rd_count(rr) != TSIG_RDATA_FIELDS || !our_alg ||
        !our_key)
        goto out;
    alg = ldns_rr_rdf(rr, 0);
    when = ldns_rr_rdf(rr, 1);
    fudge = ldns_rr_rdf(rr, 2);
    mac = ldns_rr_rdf(rr, 3);
    id = ldns_rr_rdf(rr, 4);
    err = ldns_rr_rdf(rr, 5);
    other = ldns_rr_rdf(rr, 6);
    if (ldns_rdf_size(when) != TIME_SIGNED_LEN || ldns_rdf_size(fudge) != 2 ||
        ldns_rdf_size(mac) < 2 || ldns_rdf_size(id) != 2 ||
        ldns_rdf_size(err) != 2 || ldns_rdf2native_int16(err) != 0 ||
        ldns_dname_compare(alg, our_alg) != 0 ||
        ldns_dname_compare(ldns_rr_owner(rr), our_key) != 0)
        goto out;
    for (int i = 0; i < TIME_SIGNED_LEN; i++)
        signed_at = signed_at << 8 | ldns_rdf_data(when)[i];
    skew = (int64_t)time(NULL) - (int64_t)signed_at;
    if (skew > ldns_rdf2native_int16(fudge) ||
        -skew > ldns_rdf2native_int16(fudge))
        goto out;
    if (tsig_offset(wire, len, &pos) != 0)
        goto out;
    /* The answer as signed: its original ID, one record less. */
    memcpy(hdr, wire, sizeof(hdr));
    memcpy(hdr, ldns_rdf_data(id), 2);
    ldns_write_uint16(hdr + LDNS_ARCOUNT_OFF,
                      (uint16_t)(LDNS_ARCOUNT(wire) - 1));
    put16(&b, (uint16_t)req_mac_len);
    put(&b, req_mac, req_mac_len);
    put(&b, hdr, sizeof(hdr));
    put(&b, wire + LDNS_HEADER_SIZE, pos - LDNS_HEADER_SIZE);
    put_vars(&b, ldns_rr_owner(rr), alg, when, ldns_rdf2native_int16(fudge),
             0, other);
    if (hmac(t, &b, calc, &calc_len) != 0)
        goto out;
    if (calc_len == ldns_rdf_size(mac) - 2 &&
        CRYPTO_memcmp(calc, ldns_rdf_data(mac) + 2, calc_len) == 0)
        ret = 0;
out:
    ldns_rdf_deep_free(our_alg);
    ldns_rdf_deep_free(our_key);
    free(b.p);
    return ret;
}
