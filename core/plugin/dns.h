/* The generic DNS-01 authenticator over a plugin's struct cb_dns_provider
 * (Certbot's DNSAuthenticator): prefer dns-01, set up credentials once,
 * add every TXT record, wait --<name>-propagation-seconds once, delete
 * the records in cleanup.
 *
 * Called by plugin/instance.c inside its begin/end bracket, so messages
 * recorded through the handle reach the caller's cb_err. */
#ifndef CB_PLUGIN_DNS_H
#define CB_PLUGIN_DNS_H

#include <stddef.h>
#include <stdint.h>
#include <certbot/plugin.h>

#include "cli/config.h"
#include "plugin/loader.h"

struct plugin_dns_state {
    int setup_done;     /* setup_credentials ran successfully */
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
                       const struct cb_challenge *const *c, size_t n);
int plugin_dns_cleanup(const struct plugin *p, void *ctx,
                       const struct plugin_dns_state *st,
                       const struct cb_challenge *const *c, size_t n);

#endif
