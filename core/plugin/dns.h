/* The generic DNS-01 authenticator over a plugin's struct cb_dns_provider
 * (Certbot's DNSAuthenticator): prefer dns-01, set up credentials once,
 * add every TXT record, wait --<name>-propagation-seconds once, delete
 * the records in cleanup.
 *
 * Beyond Certbot (core/dns, docs/dns.md):
 * - each record is first written to a journal in the work dir, and
 *   records a killed earlier run left behind are deleted at the start of
 *   the next perform of the same plugin;
 * - _acme-challenge.<domain> that is a CNAME gets its TXT record at the
 *   end of the chain (delegated validation);
 * - the wait ends as soon as every authoritative nameserver of each
 *   record's zone answers the record (else after the full time).
 *
 * Called by plugin/instance.c inside its begin/end bracket, so messages
 * recorded through the handle reach the caller's cb_err; the core's own
 * failures are set in err first (the first message wins). */
#ifndef CB_PLUGIN_DNS_H
#define CB_PLUGIN_DNS_H

#include <stddef.h>
#include <stdint.h>
#include <certbot/plugin.h>

#include "cli/config.h"
#include "plugin/loader.h"
#include "util/err.h"

struct dns_journal;

/* Per-instance state; zero-initialised by the instance, released with
 * plugin_dns_state_free (the instance owns it). */
struct plugin_dns_state {
    int setup_done;     /* setup_credentials ran successfully */
    int recovered;      /* leftovers of earlier runs were handled */
    struct dns_journal *journal;    /* owned; NULL until first perform */
    /* Where each challenge's record went (CNAME target or the
     * validation name), by index in the perform array; owned. */
    char **names;
    size_t nnames;
    unsigned char *added;           /* add_txt succeeded, by index */
};

/* The option the core adds for every dns plugin ("propagation-seconds"). */
#define PLUGIN_DNS_PROPAGATION_OPT "propagation-seconds"

int plugin_dns_chall_pref(uint32_t *types, size_t *n);
/* Seconds to wait: the option when set, else the plugin's default. */
long plugin_dns_propagation(const struct plugin *p,
                            const struct cb_config *cfg);
int plugin_dns_perform(const struct plugin *p, void *ctx,
                       const struct cb_config *cfg,
                       struct plugin_dns_state *st,
                       const struct cb_challenge *const *c, size_t n,
                       struct cb_err *err);
int plugin_dns_cleanup(const struct plugin *p, void *ctx,
                       struct plugin_dns_state *st,
                       const struct cb_challenge *const *c, size_t n);
/* NULL-safe; leaves st zeroed. */
void plugin_dns_state_free(struct plugin_dns_state *st);

#endif
