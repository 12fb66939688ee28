/* DNS providers: the shape of Certbot's DNSAuthenticator.  A plugin that
 * sets only this table gets a complete dns-01 authenticator from the core:
 * the --<name>-propagation-seconds flag, challenge preference, batching,
 * waiting for propagation and cleanup. */
#ifndef CERTBOT_DNS_H
#define CERTBOT_DNS_H

#include "abi.h"

struct cb_dns_provider {
    uint32_t struct_size;
    uint32_t default_propagation_seconds;
    /* Read credentials/options; called once before the first add_txt. */
    int (*setup_credentials)(void *ctx);
    /* domain is the identifier being validated (wildcard stripped),
     * name the full record name ("_acme-challenge.example.com"), value the
     * TXT content. */
    int (*add_txt)(void *ctx, const char *domain, const char *name,
                   const char *value);
    int (*del_txt)(void *ctx, const char *domain, const char *name,
                   const char *value);
};

#endif
