/* DNS lookups over ldns: see resolver.h. */
#define LOG_COMPONENT "certbot.plugins.dns_common"

#include "dns/resolver.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include <ldns/ldns.h>

#include "util/log.h"

/* A lookup must not eat the propagation budget: two seconds per server
 * and one retry, TCP only when an answer was truncated. */
#define QUERY_TIMEOUT_SECONDS 2
#define QUERY_RETRIES 1
#define RESOLV_CONF "/etc/resolv.conf"

void dns_servers_free(struct dns_servers *v)
{
    if (!v)
        return;
    free(v->s);
    v->s = NULL;
    v->n = v->cap = 0;
}

int dns_servers_add(struct dns_servers *v, const char *addr, uint16_t port)
{
    if (strlen(addr) >= DNS_ADDR_MAX)
        return CB_ERR_INVAL;
    for (size_t i = 0; i < v->n; i++)
        if (v->s[i].port == port && strcmp(v->s[i].addr, addr) == 0)
            return CB_OK;       /* a server answers once per round */
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 4;
        struct dns_server *s = realloc(v->s, cap * sizeof(*s));

        if (!s)
            return CB_ERR_NOMEM;
        v->s = s;
        v->cap = cap;
    }
    memset(&v->s[v->n], 0, sizeof(v->s[v->n]));
    memcpy(v->s[v->n].addr, addr, strlen(addr) + 1);
    v->s[v->n].port = port;
    v->n++;
    return CB_OK;
}

static int is_ip_literal(const char *s)
{
    unsigned char buf[sizeof(struct in6_addr)];

    return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
}

int dns_servers_parse(const char *spec, uint16_t default_port,
                      struct dns_servers *v, struct cb_err *err)
{
    char *copy = strdup(spec ? spec : "");
    char *save = NULL;
    int r = CB_OK;

    if (!copy)
        return cb_err_set(err, CB_ERR_NOMEM, "out of memory");
    for (char *tok = strtok_r(copy, ", ", &save); tok;
         tok = strtok_r(NULL, ", ", &save)) {
        char *at = strchr(tok, '@');
        long port = default_port;

        if (at) {
            char *end = NULL;

            *at = '\0';
            errno = 0;
            port = strtol(at + 1, &end, 10);
            if (errno || !end || *end || port < 1 || port > 65535) {
                r = cb_err_set(err, CB_ERR_INVAL,
                               "invalid DNS server port in \"%s@%s\"", tok,
                               at + 1);
                goto out;
            }
        }
        if (!is_ip_literal(tok)) {
            r = cb_err_set(err, CB_ERR_INVAL, "DNS server \"%s\" is not an "
                           "IPv4 or IPv6 address", tok);
            goto out;
        }
        r = dns_servers_add(v, tok, (uint16_t)port);
        if (r != CB_OK) {
            cb_err_set(err, r, "cannot add DNS server %s", tok);
            goto out;
        }
    }
    if (v->n == 0)
        r = cb_err_set(err, CB_ERR_INVAL, "no DNS server in \"%s\"",
                       spec ? spec : "");
out:
    free(copy);
    return r;
}

/* The nameservers of /etc/resolv.conf, as ldns reads them. */
static int system_servers(struct dns_servers *v, struct cb_err *err)
{
    ldns_resolver *res = NULL;
    ldns_rdf **ns;
    int r = CB_OK;

    if (ldns_resolver_new_frm_file(&res, RESOLV_CONF) != LDNS_STATUS_OK)
        return cb_err_set(err, CB_ERR_NET, "cannot read %s", RESOLV_CONF);
    ns = ldns_resolver_nameservers(res);
    for (size_t i = 0; i < ldns_resolver_nameserver_count(res); i++) {
        char *s = ldns_rdf2str(ns[i]);

        if (s && is_ip_literal(s))
            r = dns_servers_add(v, s, ldns_resolver_port(res));
        free(s);
        if (r != CB_OK)
            break;
    }
    ldns_resolver_deep_free(res);
    if (r != CB_OK)
        return cb_err_set(err, r, "out of memory");
    if (v->n == 0)
        return cb_err_set(err, CB_ERR_NET, "no nameserver in %s",
                          RESOLV_CONF);
    return CB_OK;
}

int dns_recursive_servers(struct dns_servers *v, struct cb_err *err)
{
    const char *env = getenv("CERTBOT_DNS_RESOLVER");

    if (env && strcmp(env, "none") == 0)
        return cb_err_set(err, CB_ERR_NOT_SUPPORTED,
                          "DNS lookups are turned off "
                          "(CERTBOT_DNS_RESOLVER=none)");
    if (env && env[0])
        return dns_servers_parse(env, 53, v, err);
    return system_servers(v, err);
}

void dns_answers_free(struct dns_answers *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->n; i++)
        free(a->v[i]);
    free(a->v);
    a->v = NULL;
    a->n = 0;
}

static int answers_push(struct dns_answers *a, char *s)
{
    char **v;

    if (!s)
        return CB_ERR_NOMEM;
    v = realloc(a->v, (a->n + 1) * sizeof(*v));
    if (!v) {
        free(s);
        return CB_ERR_NOMEM;
    }
    a->v = v;
    a->v[a->n++] = s;
    return CB_OK;
}

/* A TXT record's character-strings, joined (RFC 8555 8.4 values fit in
 * one, but a server may split long ones). */
static char *txt_text(const ldns_rr *rr)
{
    size_t len = 0, off = 0;
    char *s;

    for (size_t i = 0; i < ldns_rr_rd_count(rr); i++) {
        const ldns_rdf *f = ldns_rr_rdf(rr, i);

        if (ldns_rdf_size(f) > 0)
            len += ldns_rdf_size(f) - 1;
    }
    s = malloc(len + 1);
    if (!s)
        return NULL;
    for (size_t i = 0; i < ldns_rr_rd_count(rr); i++) {
        const ldns_rdf *f = ldns_rr_rdf(rr, i);
        const uint8_t *d = ldns_rdf_data(f);
        size_t n = ldns_rdf_size(f) > 0 ? ldns_rdf_size(f) - 1 : 0;

        if (n > d[0])
            n = d[0];
        memcpy(s + off, d + 1, n);
        off += n;
    }
    s[off] = '\0';
    return s;
}

/* A name or address rdf as text, without a name's trailing dot. */
static char *rdf_text(const ldns_rdf *f)
{
    char *s = f ? ldns_rdf2str(f) : NULL;
    size_t n = s ? strlen(s) : 0;

    if (n > 1 && s[n - 1] == '.')
        s[n - 1] = '\0';
    return s;
}

static ldns_resolver *resolver_for(const struct dns_server *srv, int rd)
{
    ldns_resolver *res = ldns_resolver_new();
    ldns_rdf *ns = NULL;
    struct timeval tv = {.tv_sec = QUERY_TIMEOUT_SECONDS, .tv_usec = 0};

    if (!res)
        return NULL;
    ns = ldns_rdf_new_frm_str(strchr(srv->addr, ':') ? LDNS_RDF_TYPE_AAAA
                                                      : LDNS_RDF_TYPE_A,
                              srv->addr);
    if (!ns || ldns_resolver_push_nameserver(res, ns) != LDNS_STATUS_OK) {
        ldns_rdf_deep_free(ns);
        ldns_resolver_deep_free(res);
        return NULL;
    }
    ldns_rdf_deep_free(ns);        /* the resolver keeps a clone */
    ldns_resolver_set_port(res, srv->port);
    ldns_resolver_set_recursive(res, rd ? true : false);
    ldns_resolver_set_timeout(res, tv);
    ldns_resolver_set_retry(res, QUERY_RETRIES);
    ldns_resolver_set_retrans(res, QUERY_TIMEOUT_SECONDS);
    ldns_resolver_set_fallback(res, true);
    ldns_resolver_set_random(res, false);
    return res;
}

/* One server: CB_OK with out filled when it gave a usable answer
 * (NOERROR or NXDOMAIN), CB_ERR_NET otherwise. */
static int query_one(const struct dns_server *srv, int rd,
                     const ldns_rdf *dname, enum dns_qtype type,
                     struct dns_answers *out)
{
    ldns_resolver *res = resolver_for(srv, rd);
    ldns_pkt *pkt = NULL;
    ldns_rr_list *rrs = NULL;
    ldns_status st;
    int r = CB_ERR_NET;

    if (!res)
        return CB_ERR_NOMEM;
    st = ldns_resolver_send(&pkt, res, dname, (ldns_rr_type)type,
                            LDNS_RR_CLASS_IN, rd ? LDNS_RD : 0);
    if (st != LDNS_STATUS_OK || !pkt) {
        log_debug("DNS query to %s@%u failed: %s", srv->addr, srv->port,
                  ldns_get_errorstr_by_id(st));
        goto out;
    }
    out->rcode = ldns_pkt_get_rcode(pkt);
    if (out->rcode != LDNS_RCODE_NOERROR &&
        out->rcode != LDNS_RCODE_NXDOMAIN) {
        log_debug("DNS server %s@%u answered rcode %d", srv->addr,
                  srv->port, out->rcode);
        goto out;
    }
    r = CB_OK;
    rrs = ldns_pkt_rr_list_by_name_and_type(pkt, dname, (ldns_rr_type)type,
                                            LDNS_SECTION_ANSWER);
    for (size_t i = 0; rrs && i < ldns_rr_list_rr_count(rrs); i++) {
        const ldns_rr *rr = ldns_rr_list_rr(rrs, i);

        r = answers_push(out, type == DNS_T_TXT ? txt_text(rr)
                                                : rdf_text(ldns_rr_rdf(rr, 0)));
        if (r != CB_OK)
            break;
    }
out:
    ldns_rr_list_deep_free(rrs);
    ldns_pkt_free(pkt);
    ldns_resolver_deep_free(res);
    return r;
}

int dns_query(const struct dns_servers *servers, int rd, const char *name,
              enum dns_qtype type, struct dns_answers *out,
              struct cb_err *err)
{
    ldns_rdf *dname = NULL;
    int r = CB_ERR_NET;

    memset(out, 0, sizeof(*out));
    if (ldns_str2rdf_dname(&dname, name) != LDNS_STATUS_OK)
        return cb_err_set(err, CB_ERR_INVAL, "invalid DNS name %s", name);
    for (size_t i = 0; i < servers->n; i++) {
        r = query_one(&servers->s[i], rd, dname, type, out);
        if (r == CB_OK || r == CB_ERR_NOMEM)
            break;
        dns_answers_free(out);
    }
    ldns_rdf_deep_free(dname);
    if (r == CB_ERR_NOMEM)
        return cb_err_set(err, r, "out of memory");
    if (r != CB_OK)
        return cb_err_set(err, r, "no DNS server answered the %d query "
                          "for %s", (int)type, name);
    return CB_OK;
}
