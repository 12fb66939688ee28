/* Propagation check: see propagation.h. */
#define LOG_COMPONENT "certbot.plugins.dns_common"

#include "dns/propagation.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "dns/resolver.h"
#include "util/interrupt.h"
#include "util/log.h"

/* Seconds between two rounds of questions to the authoritative servers. */
#define POLL_INTERVAL_MS 1000L
/* A DNS name has at most 127 labels: the SOA walk ends before that. */
#define MAX_LABELS 128

/* One record name of a zone and the values it must carry. */
struct name_check {
    const char *name;
    const char **values;
    size_t nvalues;
};

struct zone_check {
    char *zone;                 /* owned; NULL for the configured set */
    struct dns_servers auth;
    struct name_check *names;
    size_t nnames;
    unsigned char *done;        /* per auth server: answered everything */
};

struct checks {
    struct zone_check *z;
    size_t n;
};

static double now_seconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Sleep until deadline or for at most max_ms, whichever is sooner; 1 when
 * a signal asked us to stop. */
static int nap(double deadline, long max_ms)
{
    double left = deadline - now_seconds();
    struct timespec ts;

    if (interrupted())
        return 1;
    if (left <= 0)
        return 0;
    if (left * 1000.0 > (double)max_ms)
        left = (double)max_ms / 1000.0;
    ts.tv_sec = (time_t)left;
    ts.tv_nsec = (long)((left - (double)ts.tv_sec) * 1e9);
    /* a signal cuts the nap short: the caller looks at interrupted() */
    out_flush_all(); /* what was shown and logged is out while we wait */
    nanosleep(&ts, NULL);
    return interrupted() ? 1 : 0;
}

/* Certbot's behaviour: sleep the whole time (in slices, so a signal is
 * noticed). */
static int plain_sleep(double deadline, struct cb_err *err)
{
    while (now_seconds() < deadline) {
        if (nap(deadline, POLL_INTERVAL_MS))
            return cb_err_set(err, CB_ERR_CANCELLED, INTERRUPT_MESSAGE);
    }
    return CB_OK;
}

static void checks_free(struct checks *c)
{
    for (size_t i = 0; i < c->n; i++) {
        struct zone_check *z = &c->z[i];

        for (size_t j = 0; j < z->nnames; j++)
            free(z->names[j].values);
        free(z->names);
        free(z->zone);
        free(z->done);
        dns_servers_free(&z->auth);
    }
    free(c->z);
    c->z = NULL;
    c->n = 0;
}

static struct zone_check *zone_add(struct checks *c, char *zone)
{
    struct zone_check *z = realloc(c->z, (c->n + 1) * sizeof(*z));

    if (!z)
        return NULL;
    c->z = z;
    z = &c->z[c->n++];
    memset(z, 0, sizeof(*z));
    z->zone = zone;
    return z;
}

static int zone_add_record(struct zone_check *z, const struct dns_record *rec)
{
    struct name_check *nc = NULL;
    const char **v;

    for (size_t i = 0; i < z->nnames; i++)
        if (strcasecmp(z->names[i].name, rec->name) == 0)
            nc = &z->names[i];
    if (!nc) {
        nc = realloc(z->names, (z->nnames + 1) * sizeof(*nc));
        if (!nc)
            return CB_ERR_NOMEM;
        z->names = nc;
        nc = &z->names[z->nnames++];
        memset(nc, 0, sizeof(*nc));
        nc->name = rec->name;
    }
    v = realloc(nc->values, (nc->nvalues + 1) * sizeof(*v));
    if (!v)
        return CB_ERR_NOMEM;
    nc->values = v;
    nc->values[nc->nvalues++] = rec->value;
    return CB_OK;
}

/* The closest enclosing zone of name: the first name, walking up, with
 * an SOA record.  Caller frees *zone. */
static int find_zone(const struct dns_servers *rec, const char *name,
                     char **zone, struct cb_err *err)
{
    const char *cand = name;

    for (int i = 0; i < MAX_LABELS && cand && *cand; i++) {
        struct dns_answers a;
        int r = dns_query(rec, 1, cand, DNS_T_SOA, &a, err);

        if (r != CB_OK)
            return r;
        if (a.n > 0) {
            dns_answers_free(&a);
            *zone = strdup(cand);
            return *zone ? CB_OK : cb_err_set(err, CB_ERR_NOMEM,
                                              "out of memory");
        }
        dns_answers_free(&a);
        cand = strchr(cand, '.');
        if (cand)
            cand++;
    }
    return cb_err_set(err, CB_ERR_NOT_FOUND, "no zone (SOA) found for %s",
                      name);
}

/* NS of zone, then their addresses, each on port. */
static int find_auth(const struct dns_servers *rec, const char *zone,
                     uint16_t port, struct dns_servers *auth,
                     struct cb_err *err)
{
    static const enum dns_qtype addr_types[] = {DNS_T_A, DNS_T_AAAA};
    struct dns_answers ns;
    int r = dns_query(rec, 1, zone, DNS_T_NS, &ns, err);

    if (r != CB_OK)
        return r;
    for (size_t i = 0; i < ns.n && r == CB_OK; i++) {
        for (size_t t = 0; t < 2 && r == CB_OK; t++) {
            struct dns_answers a;
            struct cb_err ignored = {0};

            /* one nameserver without an address is not fatal */
            if (dns_query(rec, 1, ns.v[i], addr_types[t], &a,
                          &ignored) != CB_OK) {
                log_debug("no %s address for nameserver %s: %s",
                          t == 0 ? "IPv4" : "IPv6", ns.v[i], ignored.msg);
                continue;
            }
            for (size_t k = 0; k < a.n && r == CB_OK; k++)
                r = dns_servers_add(auth, a.v[k], port);
            dns_answers_free(&a);
        }
    }
    dns_answers_free(&ns);
    if (r != CB_OK)
        return cb_err_set(err, r, "out of memory");
    if (auth->n == 0)
        return cb_err_set(err, CB_ERR_NOT_FOUND, "no address for the "
                          "nameservers of zone %s", zone);
    return CB_OK;
}

static uint16_t auth_port(void)
{
    const char *env = getenv("CERTBOT_DNS_AUTH_PORT");
    char *end = NULL;
    long p;

    if (!env || !env[0])
        return 53;
    errno = 0;
    p = strtol(env, &end, 10);
    if (errno || !end || *end || p < 1 || p > 65535) {
        log_warning("Ignoring CERTBOT_DNS_AUTH_PORT=%s (not a port)", env);
        return 53;
    }
    return (uint16_t)p;
}

static int discover(const struct dns_record *recs, size_t n,
                    struct checks *c, struct cb_err *err)
{
    const char *fixed = getenv("CERTBOT_DNS_AUTH_SERVERS");
    struct dns_servers rec = {0};
    uint16_t port = auth_port();
    int r = CB_OK;

    if (fixed && fixed[0]) {
        struct zone_check *z = zone_add(c, NULL);

        if (!z)
            return cb_err_set(err, CB_ERR_NOMEM, "out of memory");
        r = dns_servers_parse(fixed, port, &z->auth, err);
        for (size_t i = 0; i < n && r == CB_OK; i++)
            r = zone_add_record(z, &recs[i]);
        goto out;
    }
    r = dns_recursive_servers(&rec, err);
    for (size_t i = 0; i < n && r == CB_OK; i++) {
        struct zone_check *z = NULL;
        char *zone = NULL;

        r = find_zone(&rec, recs[i].name, &zone, err);
        if (r != CB_OK)
            break;
        for (size_t k = 0; k < c->n; k++)
            if (strcasecmp(c->z[k].zone, zone) == 0)
                z = &c->z[k];
        if (z) {
            free(zone);
        } else {
            z = zone_add(c, zone);
            if (!z) {
                free(zone);
                r = CB_ERR_NOMEM;
                break;
            }
            r = find_auth(&rec, zone, port, &z->auth, err);
            if (r != CB_OK)
                break;
        }
        r = zone_add_record(z, &recs[i]);
    }
out:
    dns_servers_free(&rec);
    for (size_t k = 0; k < c->n && r == CB_OK; k++) {
        c->z[k].done = calloc(c->z[k].auth.n ? c->z[k].auth.n : 1, 1);
        if (!c->z[k].done)
            r = CB_ERR_NOMEM;
    }
    if (r == CB_ERR_NOMEM)
        cb_err_set(err, r, "out of memory");
    return r;
}

/* Does server s answer every value of every name of z? */
static int server_has_all(const struct dns_server *s,
                          const struct zone_check *z)
{
    struct dns_servers one = {.s = (struct dns_server *)s, .n = 1, .cap = 1};

    for (size_t i = 0; i < z->nnames; i++) {
        const struct name_check *nc = &z->names[i];
        struct dns_answers a;
        struct cb_err e = {0};
        int all = 1;

        if (dns_query(&one, 0, nc->name, DNS_T_TXT, &a, &e) != CB_OK) {
            log_debug("%s@%u: %s", s->addr, s->port, e.msg);
            return 0;
        }
        for (size_t v = 0; v < nc->nvalues && all; v++) {
            int found = 0;

            for (size_t k = 0; k < a.n && !found; k++)
                found = strcmp(a.v[k], nc->values[v]) == 0;
            all = found;
        }
        dns_answers_free(&a);
        if (!all) {
            log_debug("%s@%u does not answer every TXT value of %s yet",
                      s->addr, s->port, nc->name);
            return 0;
        }
    }
    return 1;
}

static void log_plan(const struct zone_check *z)
{
    char list[512] = "";
    size_t off = 0;

    for (size_t i = 0; i < z->auth.n && off < sizeof(list); i++) {
        int w = snprintf(list + off, sizeof(list) - off, "%s%s@%u",
                         i ? ", " : "", z->auth.s[i].addr,
                         z->auth.s[i].port);
        if (w < 0)
            break;
        off += (size_t)w;
    }
    log_info("Checking %zu TXT record name(s) of zone %s at its "
             "authoritative nameservers: %s", z->nnames,
             z->zone ? z->zone : "(CERTBOT_DNS_AUTH_SERVERS)", list);
}

int dns_propagation_wait(const struct dns_record *recs, size_t n, long secs,
                         struct cb_err *err)
{
    double start = now_seconds(), deadline = start + (double)secs;
    struct checks c = {0};
    struct cb_err why = {0};
    int r, rounds = 0;

    if (n == 0 || secs <= 0)
        return CB_OK;
    if (discover(recs, n, &c, &why) != CB_OK) {
        log_debug("Not checking DNS propagation (%s); sleeping %ld seconds",
                  why.msg, secs);
        r = plain_sleep(deadline, err);
        goto out;
    }
    for (size_t k = 0; k < c.n; k++)
        log_plan(&c.z[k]);
    for (;;) {
        int pending = 0;

        rounds++;
        for (size_t k = 0; k < c.n; k++) {
            struct zone_check *z = &c.z[k];

            for (size_t s = 0; s < z->auth.n; s++) {
                if (!z->done[s])
                    z->done[s] = (unsigned char)server_has_all(&z->auth.s[s],
                                                               z);
                pending += !z->done[s];
            }
        }
        if (pending == 0) {
            log_info("Every authoritative nameserver answers the TXT "
                     "records (after %.1f seconds, %d round(s))",
                     now_seconds() - start, rounds);
            r = CB_OK;
            goto out;
        }
        if (now_seconds() >= deadline) {
            log_info("%d authoritative nameserver(s) did not answer every "
                     "TXT record within %ld seconds; asking the CA anyway",
                     pending, secs);
            r = CB_OK;
            goto out;
        }
        if (nap(deadline, POLL_INTERVAL_MS)) {
            r = cb_err_set(err, CB_ERR_CANCELLED, INTERRUPT_MESSAGE);
            goto out;
        }
    }
out:
    checks_free(&c);
    return r;
}
