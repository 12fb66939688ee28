/* TSIG (RFC 8945) with OpenSSL's HMAC, for the algorithms the ldns in use
 * cannot sign with (ldns 1.8.3: hmac-sha224 and hmac-sha384).  ldns still
 * builds, sends and parses the messages. */
#ifndef RFC2136_TSIG_H
#define RFC2136_TSIG_H

#include <stddef.h>
#include <stdint.h>

#include <ldns/ldns.h>

#define RFC2136_TSIG_MAC_MAX 64 /* SHA-512 */

/* Borrowed strings. */
struct rfc2136_tsig {
    const char *key_name;  /* "key-name" or "key-name." */
    const char *secret;    /* base64 */
    const char *algorithm; /* wire name, "hmac-sha384." */
    const char *digest;    /* OpenSSL digest name, "SHA384" */
    uint16_t fudge;
};

/* Sign q (which must not carry a TSIG yet): append the TSIG record and
 * copy its MAC to mac (*mac_len bytes), which the answer's signature
 * covers.  Returns LDNS_STATUS_OK or an ldns status. */
ldns_status rfc2136_tsig_sign(ldns_pkt *q, const struct rfc2136_tsig *t,
                              uint8_t mac[RFC2136_TSIG_MAC_MAX],
                              size_t *mac_len);

/* 0 when the answer ans, parsed from wire (len bytes), carries a TSIG by
 * the same key and algorithm, without error, in time, whose MAC over
 * the request's MAC and the answer verifies; -1 otherwise. */
int rfc2136_tsig_verify(const uint8_t *wire, size_t len, const ldns_pkt *ans,
                        const struct rfc2136_tsig *t, const uint8_t *req_mac,
                        size_t req_mac_len);

#endif
