/* tsig.c against ldns's own TSIG code: a request signed by tsig.c must
 * verify with ldns_pkt_tsig_verify, an answer signed by ldns must verify
 * with rfc2136_tsig_verify, and any change to the answer, the key, the
 * algorithm or the request MAC must make it fail.  HMAC-SHA256 is one
 * both sides know.  TAP output. */
#include <stdlib.h>
#include <string.h>

#include <ldns/ldns.h>

#include "tap.h"
#include "tsig.h"

#define KEY "test-key."
#define SECRET "Q/KpMN+K/7ue7QAW9z2WbWr35Kmc7/XG3b2v6ylRlhI="
#define OTHER_SECRET "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="

static ldns_pkt *query(void)
{
    ldns_pkt *q = NULL;

    if (ldns_pkt_query_new_frm_str(&q, "Example.TEST.", LDNS_RR_TYPE_SOA,
                                   LDNS_RR_CLASS_IN, 0) != LDNS_STATUS_OK)
        return NULL;
    ldns_pkt_set_id(q, 4242);
    return q;
}

/* An answer to q, with one record, signed by ldns over req_mac. */
static int answer_wire(const ldns_pkt *q, const char *secret,
                       const ldns_rdf *req_mac, uint8_t **wire, size_t *len)
{
    ldns_pkt *a = ldns_pkt_clone(q);
    ldns_rr *rr = NULL;
    ldns_status st;

    if (!a)
        return -1;
    /* the clone carries the query's TSIG: an answer has its own */
    ldns_rr_free(ldns_pkt_tsig(a));
    ldns_pkt_set_tsig(a, NULL);
    ldns_pkt_set_qr(a, true);
    ldns_pkt_set_aa(a, true);
    st = ldns_rr_new_frm_str(&rr, "example.test. 300 IN SOA ns.example.test."
                             " h.example.test. 1 3600 600 86400 60", 0, NULL,
                             NULL);
    if (st == LDNS_STATUS_OK &&
        !ldns_pkt_push_rr(a, LDNS_SECTION_ANSWER, rr))
        st = LDNS_STATUS_MEM_ERR;
    if (st == LDNS_STATUS_OK)
        st = ldns_pkt_tsig_sign(a, KEY, secret, 300, "hmac-sha256.",
                                req_mac);
    if (st == LDNS_STATUS_OK)
        st = ldns_pkt2wire(wire, a, len);
    ldns_pkt_free(a);
    return st == LDNS_STATUS_OK ? 0 : -1;
}

static int verify(const uint8_t *wire, size_t len,
                  const struct rfc2136_tsig *t, const uint8_t *mac,
                  size_t mac_len)
{
    ldns_pkt *a = NULL;
    int r;

    if (ldns_wire2pkt(&a, wire, len) != LDNS_STATUS_OK)
        return -2;
    r = rfc2136_tsig_verify(wire, len, a, t, mac, mac_len);
    ldns_pkt_free(a);
    return r;
}

int main(void)
{
    struct rfc2136_tsig t = {.key_name = KEY, .secret = SECRET,
                             .algorithm = "hmac-sha256.", .digest = "SHA256",
                             .fudge = 300};
    struct rfc2136_tsig bad = t;
    uint8_t mac[RFC2136_TSIG_MAC_MAX], *qwire = NULL, *awire = NULL;
    size_t mac_len = 0, qlen = 0, alen = 0;
    ldns_pkt *q = query(), *parsed = NULL;
    ldns_rdf *mac_rdf = NULL;

    ok(q != NULL, "a query");
    if (!q)
        return done_testing();
    is_int(rfc2136_tsig_sign(q, &t, mac, &mac_len), LDNS_STATUS_OK,
           "tsig.c signs the query");
    is_int(mac_len, 32, "an HMAC-SHA256 MAC has 32 bytes");
    ok(ldns_pkt_tsig(q) != NULL, "the query carries a TSIG record");
    ok(ldns_pkt2wire(&qwire, q, &qlen) == LDNS_STATUS_OK &&
           ldns_wire2pkt(&parsed, qwire, qlen) == LDNS_STATUS_OK,
       "the signed query goes to the wire and back");
    ok(parsed && ldns_pkt_tsig_verify(parsed, qwire, qlen, KEY, SECRET, NULL),
       "ldns verifies tsig.c's signature");
    ok(parsed && !ldns_pkt_tsig_verify(parsed, qwire, qlen, KEY, OTHER_SECRET,
                                       NULL),
       "...and not with another secret");

    /* ldns wants the request MAC as the TSIG rdata (2-byte length, MAC) */
    mac_rdf = ldns_native2rdf_int16_data(mac_len, mac);
    ok(mac_rdf && answer_wire(q, SECRET, mac_rdf, &awire, &alen) == 0,
       "ldns signs an answer over the request MAC");
    if (awire) {
        is_int(verify(awire, alen, &t, mac, mac_len), 0,
               "tsig.c verifies ldns's answer");
        mac[0] ^= 1;
        is_int(verify(awire, alen, &t, mac, mac_len), -1,
               "...not over another request MAC");
        mac[0] ^= 1;
        bad.secret = OTHER_SECRET;
        is_int(verify(awire, alen, &bad, mac, mac_len), -1,
               "...not with another secret");
        bad = t;
        bad.algorithm = "hmac-sha512.";
        bad.digest = "SHA512";
        is_int(verify(awire, alen, &bad, mac, mac_len), -1,
               "...not for another algorithm");
        bad = t;
        bad.key_name = "other-key.";
        is_int(verify(awire, alen, &bad, mac, mac_len), -1,
               "...not for another key name");
        /* the SOA serial's last byte, in the answer section */
        size_t at = 0;

        for (size_t i = 12; i + 8 <= alen && !at; i++)
            if (memcmp(awire + i, "\x00\x00\x00\x01\x00\x00\x0e\x10", 8) == 0)
                at = i + 3;
        ok(at != 0, "the answer's SOA serial is on the wire");
        if (at)
            awire[at] ^= 1;
        is_int(verify(awire, alen, &t, mac, mac_len), -1,
               "...not when the answer was changed");
    }
    free(awire);
    free(qwire);
    ldns_rdf_deep_free(mac_rdf);
    ldns_pkt_free(parsed);
    ldns_pkt_free(q);
    return done_testing();
}
