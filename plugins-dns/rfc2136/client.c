/* RFC 2136 client over ldns: see client.h. */
#include "client.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ldns/ldns.h>

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

int rfc2136_algorithm_usable(const char *alg)
{
    ldns_pkt *p = ldns_pkt_new();
    ldns_status st;

    if (!p)
        return -1;
    /* A throw-away signature with a dummy key: ldns answers
     * CRYPTO_UNKNOWN_ALGO for an algorithm it has no digest for. */
    st = ldns_pkt_tsig_sign(p, "probe.", "AAAAAAAAAAAAAAAAAAAAAA==",
                            TSIG_FUDGE, alg, NULL);
    ldns_pkt_free(p);
    return st == LDNS_STATUS_OK ? 0 : -1;
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
 * 0 (not a zone here), -1 (no usable answer; msg set). */
static int soa_query(const struct rfc2136_server *s, const char *name,
                     bool tcp, char *msg, size_t msg_len)
{
    ldns_resolver *r = resolver_new(s, tcp, s->sign_query);
    ldns_rdf *qname = ldns_dname_new_frm_str(name);
    ldns_rdf *owned = qname ? ldns_rdf_clone(qname) : NULL;
    ldns_pkt *q = NULL, *ans = NULL;
    ldns_status st;
    int ret = -1;

    if (!r || !qname || !owned) {
        msgf(msg, msg_len, "Encountered error when making query: %s",
             r ? "invalid name" : "cannot set up the resolver");
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
    ldns_pkt_set_random_id(q);
    if (s->sign_query) {
        st = ldns_pkt_tsig_sign(q, s->key_name, s->secret, TSIG_FUDGE,
                                s->algorithm, NULL);
        if (st != LDNS_STATUS_OK) {
            msgf(msg, msg_len, "Encountered error when making query: %s",
                 ldns_get_errorstr_by_id(st));
            goto out;
        }
    }
    st = ldns_send(&ans, r, q);
    if (st == LDNS_STATUS_OK && ans) {
        ret = soa_found(ans, qname);
    } else if (ans) {
        char buf[16];

        /* An answer whose TSIG does not verify (or another late
         * failure): say what the server answered. */
        msgf(msg, msg_len, "Encountered error when making query: %s "
             "(server answered %s)", ldns_get_errorstr_by_id(st),
             rcode_name(ldns_pkt_get_rcode(ans), buf, sizeof(buf)));
    } else {
        msgf(msg, msg_len, "Encountered error when making query: %s",
             ldns_get_errorstr_by_id(st));
    }
out:
    ldns_pkt_free(ans);
    ldns_pkt_free(q);
    ldns_rdf_deep_free(owned);
    ldns_rdf_deep_free(qname);
    if (r)
        ldns_resolver_deep_free(r);
    return ret;
}

/* Like Certbot: TCP first, UDP when TCP got no answer at all. */
static int soa_lookup(const struct rfc2136_server *s, const char *name,
                      char *msg, size_t msg_len)
{
    int r = soa_query(s, name, true, msg, msg_len);

    if (r >= 0)
        return r;
    return soa_query(s, name, false, msg, msg_len);
}

/* "['a.b.c', 'b.c', 'c']": Certbot names the guesses as a Python list. */
static void guesses_repr(const char *record, char *buf, size_t len)
{
    size_t used = 0;
    const char *p = record;

    buf[0] = '\0';
    for (int n = 0; p && *p && n < MAX_LABELS; n++) {
        int w = snprintf(buf + used, len - used, "%s'%s'", n ? ", " : "[",
                         p);

        if (w < 0 || (size_t)w >= len - used)
            return;
        used += (size_t)w;
        p = strchr(p, '.');
        if (p)
            p++;
    }
    snprintf(buf + used, len - used, "]");
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
    guesses_repr(record, guesses, sizeof(guesses));
    return msgf(msg, msg_len, "Unable to determine base domain for %s "
                "using names: %s.", record, guesses);
}

/* ---------------------------------------------------------- update */

int rfc2136_update(const struct rfc2136_server *s, const char *zone,
                   const char *record, const char *value, uint32_t ttl,
                   int del, char *msg, size_t msg_len)
{
    const char *what = del ? "deleting" : "adding";
    ldns_resolver *r = resolver_new(s, true, true);
    ldns_rdf *zname = ldns_dname_new_frm_str(zone);
    ldns_rr_list *up = ldns_rr_list_new();
    ldns_rr *rr = NULL;
    ldns_pkt *q = NULL, *ans = NULL;
    ldns_status st;
    char *text = NULL;
    char buf[16];
    int ret = -1;

    if (!r || !zname || !up) {
        msgf(msg, msg_len, "Encountered error %s TXT record: %s", what,
             "cannot set up the resolver");
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
    ldns_pkt_set_random_id(q);
    st = ldns_update_pkt_tsig_add(q, r);
    if (st != LDNS_STATUS_OK) {
        msgf(msg, msg_len, "Encountered error %s TXT record: %s", what,
             ldns_get_errorstr_by_id(st));
        goto out;
    }
    /* ldns_send, not ldns_resolver_send_pkt: the latter drops the answer
     * when its TSIG does not verify, and that answer's rcode is the news. */
    st = ldns_send(&ans, r, q);
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
    if (r)
        ldns_resolver_deep_free(r);
    return ret;
}
