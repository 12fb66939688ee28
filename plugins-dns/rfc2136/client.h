/* The RFC 2136 client of dns-rfc2136: finds the zone of a record name
 * with SOA queries and adds/deletes one TXT rdata with a TSIG-signed
 * UPDATE, all through ldns.  It knows nothing of certbot: errors come back
 * as a status and a one-line message in the caller's buffer. */
#ifndef RFC2136_CLIENT_H
#define RFC2136_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#define RFC2136_MSG_MAX 1024

/* Where and how to talk; every string is borrowed for the call. */
struct rfc2136_server {
    const char *address;   /* IPv4 or IPv6 literal */
    uint16_t port;
    const char *key_name;  /* TSIG key name */
    const char *secret;    /* base64 TSIG secret; never logged */
    const char *algorithm; /* wire name, e.g. "hmac-sha256." */
    /* OpenSSL digest name ("SHA384") when ldns cannot sign with
     * algorithm and tsig.c does; NULL: ldns signs. */
    const char *digest;
    int sign_query;        /* also sign the SOA queries */
    unsigned timeout_s;    /* per query */
};

/* Walk up from record ("_acme-challenge.a.example.com") to the first
 * name for which the server answers an authoritative SOA.  On success
 * *zone is the zone without the final dot (caller frees).  Returns 0 or
 * -1 with msg set. */
int rfc2136_find_zone(const struct rfc2136_server *s, const char *record,
                      char **zone, char *msg, size_t msg_len);

/* Send one UPDATE to zone over TCP: add (ttl) or, when del is set, delete
 * exactly the TXT rdata value at record.  Returns 0 or -1 with msg set
 * ("Received response from server: NOTAUTH" for a refused update). */
int rfc2136_update(const struct rfc2136_server *s, const char *zone,
                   const char *record, const char *value, uint32_t ttl,
                   int del, char *msg, size_t msg_len);

#endif
