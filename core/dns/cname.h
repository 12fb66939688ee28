/* CNAME alias mode: _acme-challenge.<domain> may be a CNAME into another
 * zone (delegated validation); the TXT record then belongs at the end of
 * the chain, which is where the CA's resolver will look. */
#ifndef CB_DNS_CNAME_H
#define CB_DNS_CNAME_H

#include "dns/resolver.h"

/* At most this many CNAME hops are followed. */
#define DNS_CNAME_MAX_HOPS 8

/* Follow name's CNAME chain through the recursive servers.  *target is
 * the final name (caller frees), or NULL when name is not an alias.  A
 * loop or a chain longer than DNS_CNAME_MAX_HOPS is CB_ERR_INVAL; a
 * lookup failure is CB_ERR_NET (callers then keep the name). */
int dns_cname_follow(const struct dns_servers *recursive, const char *name,
                     char **target, struct cb_err *err);

#endif
