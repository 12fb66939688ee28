/* DNS lookups for the generic DNS-01 authenticator, over ldns.
 *
 * Two kinds of servers are asked: the recursive resolver (for CNAME, SOA,
 * NS and address discovery) and, one at a time, the authoritative servers
 * of a zone (RD off) to see whether a TXT record has propagated.
 *
 * Test knobs (read from the environment, documented in docs/dns.md):
 *   CERTBOT_DNS_RESOLVER="ip@port[,ip@port...]" replaces /etc/resolv.conf;
 *     the value "none" turns every lookup off (plain sleep, no CNAME
 *     following): the integration harness must never reach the machine's
 *     own resolver.
 *   CERTBOT_DNS_AUTH_PORT=N   port of the authoritative servers found via
 *     NS (default 53).
 *   CERTBOT_DNS_AUTH_SERVERS="ip@port,..."   skip zone discovery and treat
 *     these as the authoritative set of every zone.
 *
 * Ownership: a struct dns_servers owns its array; dns_servers_free is
 * NULL-safe.  Names are given and returned without the trailing dot. */
#ifndef CB_DNS_RESOLVER_H
#define CB_DNS_RESOLVER_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

#define DNS_ADDR_MAX 64     /* fits an IPv6 literal */

struct dns_server {
    char addr[DNS_ADDR_MAX];
    uint16_t port;
};

struct dns_servers {
    struct dns_server *s;
    size_t n, cap;
};

void dns_servers_free(struct dns_servers *v);   /* frees the array only */
int dns_servers_add(struct dns_servers *v, const char *addr, uint16_t port);

/* Parse "ip@port[,ip@port...]" (port optional, default_port then) into v.
 * Only IPv4/IPv6 literals are accepted. */
int dns_servers_parse(const char *spec, uint16_t default_port,
                      struct dns_servers *v, struct cb_err *err);

/* The recursive resolvers: CERTBOT_DNS_RESOLVER, else /etc/resolv.conf.
 * Returns CB_ERR_NOT_SUPPORTED when lookups are turned off ("none"). */
int dns_recursive_servers(struct dns_servers *v, struct cb_err *err);

/* One answer set: record data as text (a TXT record's strings joined,
 * a name without the trailing dot, an address literal).  Caller frees
 * with dns_answers_free. */
struct dns_answers {
    char **v;
    size_t n;
    int rcode;          /* LDNS_RCODE_* of the answering server */
};
void dns_answers_free(struct dns_answers *a);

enum dns_qtype {
    DNS_T_A = 1, DNS_T_NS = 2, DNS_T_CNAME = 5, DNS_T_SOA = 6,
    DNS_T_TXT = 16, DNS_T_AAAA = 28,
};

/* Ask the servers in order (the first that answers at all wins) for
 * records of type at name; only answer-section records owned by name
 * count.  rd: set the recursion-desired bit.  CB_ERR_NET when no server
 * answered; a negative answer (NXDOMAIN, no data) is CB_OK with n == 0. */
int dns_query(const struct dns_servers *servers, int rd, const char *name,
              enum dns_qtype type, struct dns_answers *out,
              struct cb_err *err);

#endif
