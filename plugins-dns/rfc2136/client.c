/* RFC 2136 client over ldns: see client.h. */
#include "client.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ldns/ldns.h>

#include "tsig.h"
#include "../common/dnsplug.h"

/* TSIG fudge: the clock skew the server tolerates (RFC 8945 suggests
 * 300 s; nsupdate uses the same). */
#define TSIG_FUDGE 300
/* A name has at most 127 labels; the guesses are bounded by that. */
#define MAX_LABELS 128

static int msgf(char *msg, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int msgf(char *msg, size_t len, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, len, fmt, ap);
    va_end(ap);
    return -1;
}

/* dnspython's rcode names, which Certbot prints (ldns spells 4 NOTIMPL). */
static const char *rcode_name(unsigned rcode, char *buf, size_t len)
{
    static const char *const names[] = {
        "NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED",
        "YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE",
    };

    if (rcode < sizeof(names) / sizeof(names[0]))
        return names[rcode];
    snprintf(buf, len, "%u", rcode);
    return buf;
}

/* A resolver for exactly one server; TSIG keys set only when signing, so
 * that ldns verifies the signature of the answer to a signed message. */
static ldns_resolver *resolver_new(const struct rfc2136_server *s, bool tcp,
                                   bool sign)
{
    ldns_resolver *r = ldns_resolver_new();
    ldns_rdf *ns = NULL;
    struct timeval tv = {.tv_sec = s->timeout_s, .tv_usec = 0};
    ldns_rdf_type t = strchr(s->address, ':') ? LDNS_RDF_TYPE_AAAA
                                               : LDNS_RDF_TYPE_A;

    if (!r)
        return NULL;
    ns = ldns_rdf_new_frm_str(t, s->address);
    if (!ns || ldns_resolver_push_nameserver(r, ns) != LDNS_STATUS_OK) {
        ldns_rdf_deep_free(ns);
        ldns_resolver_deep_free(r);
        return NULL;
    }
    ldns_rdf_deep_free(ns);
    ldns_resolver_set_port(r, s->port);
    ldns_resolver_set_usevc(r, tcp);
    ldns_resolver_set_recursive(r, false);
    ldns_resolver_set_dnssec(r, false);
    ldns_resolver_set_fallback(r, false);
    /* One try: ldns sleeps "retrans" seconds between tries, and a
     * loopback or LAN server either answers or is down. */
    ldns_resolver_set_retry(r, 1);
    ldns_resolver_set_retrans(r, 0);
    ldns_resolver_set_timeout(r, tv);
    if (sign) {
        ldns_resolver_set_tsig_keyname(r, s->key_name);
        ldns_resolver_set_tsig_keydata(r, s->secret);
        ldns_resolver_set_tsig_algorithm(r, s->algorithm);
    }
    return r;
}

/* ---------------------------------------------------------- exchange */

/* q signed by tsig.c, sent and read back raw: the answer's signature
 * covers its exact bytes, which ldns_send does not hand out. */
static ldns_status exchange_own_tsig(const struct rfc2136_server *s,
                                     ldns_pkt *q, bool tcp, ldns_pkt **ans)
{
    struct rfc2136_tsig t = {.key_name = s->key_name, .secret = s->secret,
                             .algorithm = s->algorithm, .digest = s->digest,
                             .fudge = TSIG_FUDGE};
    struct timeval tv = {.tv_sec = s->timeout_s, .tv_usec = 0};
    uint8_t mac[RFC2136_TSIG_MAC_MAX];
    size_t mac_len = 0, to_len = 0, wire_len = 0;
    ldns_rdf *ns = ldns_rdf_new_frm_str(strchr(s->address, ':')
                                            ? LDNS_RDF_TYPE_AAAA
                                            : LDNS_RDF_TYPE_A, s->address);
    struct sockaddr_storage *to = NULL;
    ldns_buffer *qb = ldns_buffer_new(LDNS_MIN_BUFLEN);
    uint8_t *wire = NULL;
    ldns_status st = LDNS_STATUS_MEM_ERR;

    if (!ns || !qb)
        goto out;
    to = ldns_rdf2native_sockaddr_storage(ns, s->port, &to_len);
    if (!to)
        goto out;
    st = rfc2136_tsig_sign(q, &t, mac, &mac_len);
    if (st == LDNS_STATUS_OK)
        st = ldns_pkt2buffer_wire(qb, q);
    if (st != LDNS_STATUS_OK)
        goto out;
    if (tcp)
        st = ldns_tcp_send(&wire, qb, to, (socklen_t)to_len, tv, &wire_len);
    else
        st = ldns_udp_send(&wire, qb, to, (socklen_t)to_len, tv, &wire_len);
    if (st == LDNS_STATUS_OK && !wire)
        st = LDNS_STATUS_NETWORK_ERR;
    if (st == LDNS_STATUS_OK)
        st = ldns_wire2pkt(ans, wire, wire_len);
    if (st == LDNS_STATUS_OK &&
        rfc2136_tsig_verify(wire, wire_len, *ans, &t, mac, mac_len) != 0)
        st = LDNS_STATUS_CRYPTO_TSIG_BOGUS;
out:
    free(wire);
    free(to);
    ldns_buffer_free(qb);
    ldns_rdf_deep_free(ns);
    return st;
}

/* Send q, TSIG-signed when sign, over TCP or UDP.  *ans is set also when
 * the status says the answer's signature does not verify: its rcode is
 * the news then (ldns_resolver_send_pkt would drop it). */
static ldns_status exchange(const struct rfc2136_server *s, ldns_pkt *q,
                            bool tcp, bool sign, ldns_pkt **ans)
{
    ldns_resolver *r;
    ldns_status st = LDNS_STATUS_OK;

    *ans = NULL;
    ldns_pkt_set_random_id(q);
    if (sign && s->digest)
        return exchange_own_tsig(s, q, tcp, ans);
    r = resolver_new(s, tcp, sign);
    if (!r)
        return LDNS_STATUS_MEM_ERR;
    if (sign)
        st = ldns_pkt_tsig_sign(q, s->key_name, s->secret, TSIG_FUDGE,
                                s->algorithm, NULL);
    if (st == LDNS_STATUS_OK)
        st = ldns_send(ans, r, q);
    ldns_resolver_deep_free(r);
    return st;
}

/* ---------------------------------------------------------- zone lookup */

/* 1 if the answer is an authoritative NOERROR with an SOA for qname. */
static int soa_found(const ldns_pkt *ans, const ldns_rdf *qname)
{
    const ldns_rr_list *an = ldns_pkt_answer(ans);

    if (ldns_pkt_get_rcode(ans) != LDNS_RCODE_NOERROR || !ldns_pkt_aa(ans))
        return 0;
    for (size_t i = 0; i < ldns_rr_list_rr_count(an); i++) {
        const ldns_rr *rr = ldns_rr_list_rr(an, i);

        if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_SOA &&
            ldns_rr_get_class(rr) == LDNS_RR_CLASS_IN &&
            ldns_dname_compare(ldns_rr_owner(rr), qname) == 0)
            return 1;
    }
    return 0;
}

/* One SOA query for name over TCP or UDP.  Returns 1 (authoritative SOA),
 * 0 (not a zone here), -1 (no answer) or -2 (an answer that does not
 * verify); msg set for both. */
static int soa_query(const struct rfc2136_server *s, const char *name,
                     bool tcp, char *msg, size_t msg_len)
{
    ldns_rdf *qname = ldns_dname_new_frm_str(name);
    ldns_rdf *owned = qname ? ldns_rdf_clone(qname) : NULL;
    ldns_pkt *q = NULL, *ans = NULL;
    ldns_status st;
    char buf[16];
    int ret = -1;

    if (!qname || !owned) {
        msgf(msg, msg_len, "Encountered error when making query: "
             "invalid name %s", name);
        goto out;
    }
    /* flags 0: the RD bit stays off, an authoritative server is asked. */
    q = ldns_pkt_query_new(owned, LDNS_RR_TYPE_SOA, LDNS_RR_CLASS_IN, 0);
    owned = NULL;
    if (!q) {
        msgf(msg, msg_len, "Encountered error when making query: %s",
             "out of memory");
        goto out;
    }
    st = exchange(s, q, tcp, s->sign_query, &ans);
    if (st == LDNS_STATUS_OK && ans) {
        ret = soa_found(ans, qname);
    } else if (ans) {
        msgf(msg, msg_len, "Encountered error when making query: %s "
             "(server answered %s)", ldns_get_errorstr_by_id(st),
             rcode_name(ldns_pkt_get_rcode(ans), buf, sizeof(buf)));
        ret = -2;
    } else {
        msgf(msg, msg_len, "Encountered error when making query: %s",
             ldns_get_errorstr_by_id(st));
    }
out:
    ldns_pkt_free(ans);
    ldns_pkt_free(q);
    ldns_rdf_deep_free(owned);
    ldns_rdf_deep_free(qname);
    return ret;
}

/* Like Certbot: TCP first, UDP when TCP got no answer at all. */
static int soa_lookup(const struct rfc2136_server *s, const char *name,
                      char *msg, size_t msg_len)
{
    int r = soa_query(s, name, true, msg, msg_len);

    if (r != -1)
        return r;
    return soa_query(s, name, false, msg, msg_len);
}

int rfc2136_find_zone(const struct rfc2136_server *s, const char *record,
                      char **zone, char *msg, size_t msg_len)
{
    const char *p = record;
    char guesses[512];

    *zone = NULL;
    for (int n = 0; p && *p && n < MAX_LABELS; n++) {
        int r = soa_lookup(s, p, msg, msg_len);

        if (r < 0)
            return -1;
        if (r == 1) {
            *zone = strdup(p);
            if (!*zone)
                return msgf(msg, msg_len, "out of memory");
            return 0;
        }
        p = strchr(p, '.');
        if (p)
            p++;
    }
    dp_guesses_text(record, guesses, sizeof(guesses));
    return msgf(msg, msg_len, "Unable to determine base domain for %s "
                "using names: %s.", record, guesses);
}

/* ---------------------------------------------------------- update */

int rfc2136_update(const struct rfc2136_server *s, const char *zone,
                   const char *record, const char *value, uint32_t ttl,
                   int del, char *msg, size_t msg_len)
{
    const char *what = del ? "deleting" : "adding";
    ldns_rdf *zname = ldns_dname_new_frm_str(zone);
    ldns_rr_list *up = ldns_rr_list_new();
    ldns_rr *rr = NULL;
    ldns_pkt *q = NULL, *ans = NULL;
    ldns_status st;
    char *text = NULL;
    char buf[16];
    int ret = -1;

    if (!zname || !up) {
        msgf(msg, msg_len, "Encountered error %s TXT record: %s", what,
             zname ? "out of memory" : "invalid zone name");
        goto out;
    }
    /* The value is base64url (the core's dns-01 validation): it needs
     * no escaping inside the quotes. */
    if (asprintf(&text, "%s. %u IN TXT \"%s\"", record, (unsigned)ttl,
                 value) < 0) {
        text = NULL;
        msgf(msg, msg_len, "out of memory");
        goto out;
    }
    st = ldns_rr_new_frm_str(&rr, text, 0, NULL, NULL);
    if (st != LDNS_STATUS_OK) {
        msgf(msg, msg_len, "Encountered error %s TXT record: %s", what,
             ldns_get_errorstr_by_id(st));
        goto out;
    }
    if (del) {
        /* RFC 2136 2.5.4: class NONE, TTL 0 deletes this rdata only. */
        ldns_rr_set_class(rr, LDNS_RR_CLASS_NONE);
        ldns_rr_set_ttl(rr, 0);
    }
    if (!ldns_rr_list_push_rr(up, rr)) {
        msgf(msg, msg_len, "out of memory");
        goto out;
    }
    rr = NULL;
    q = ldns_update_pkt_new(zname, LDNS_RR_CLASS_IN, NULL, up, NULL);
    zname = NULL; /* q owns it now (a failed allocation loses it) */
    if (!q) {
        msgf(msg, msg_len, "out of memory");
        goto out;
    }
    ldns_pkt_set_rd(q, false);
    st = exchange(s, q, true, true, &ans);
    if (ans && ldns_pkt_get_rcode(ans) != LDNS_RCODE_NOERROR) {
        /* A refused key (BADKEY/BADSIG) comes back as NOTAUTH with an
         * unsigned TSIG, so the rcode matters more than the signature. */
        msgf(msg, msg_len, "Received response from server: %s",
             rcode_name(ldns_pkt_get_rcode(ans), buf, sizeof(buf)));
        goto out;
    }
    if (st != LDNS_STATUS_OK || !ans) {
        msgf(msg, msg_len, "Encountered error %s TXT record: %s", what,
             ldns_get_errorstr_by_id(st));
        goto out;
    }
    ret = 0;
out:
    free(text);
    ldns_pkt_free(ans);
    ldns_pkt_free(q);
    ldns_rr_free(rr);
    ldns_rr_list_deep_free(up);
    ldns_rdf_deep_free(zname);
    return ret;
}
