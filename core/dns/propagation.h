/* Waiting for TXT records to propagate (beyond Certbot, which only
 * sleeps): find each record's zone (walking up the name, asking for SOA)
 * and the zone's authoritative servers (NS, then A/AAAA), then ask every
 * one of them (RD off) until each answers every value, at most for the
 * propagation seconds.  Records of one zone are checked together.
 *
 * When discovery fails (no resolver, no SOA/NS answer, lookups turned off
 * with CERTBOT_DNS_RESOLVER=none) this falls back to Certbot's plain
 * sleep of the full time.  Knobs: see dns/resolver.h and docs/dns.md. */
#ifndef CB_DNS_PROPAGATION_H
#define CB_DNS_PROPAGATION_H

#include <stddef.h>

#include "util/err.h"

struct dns_record {
    const char *name;   /* "_acme-challenge.example.com" (borrowed) */
    const char *value;  /* the TXT value (borrowed) */
};

/* Returns CB_OK when every server agreed or the time is up (as Certbot,
 * the CA gets asked either way), CB_ERR_CANCELLED when interrupted by a
 * signal (message set). */
int dns_propagation_wait(const struct dns_record *recs, size_t n, long secs,
                         struct cb_err *err);

#endif
