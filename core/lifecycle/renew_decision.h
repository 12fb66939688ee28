/* Is a lineage due for renewal? (SPEC 4.5, without ARI/OCSP yet). */
#ifndef CB_LIFECYCLE_RENEW_DECISION_H
#define CB_LIFECYCLE_RENEW_DECISION_H

#include <stdint.h>

#include "storage/lineage.h"

/* Parse "30 days", "2 weeks", "100 years", "12 hours", or a bare number of
 * days into seconds.  -1 if unparseable. */
int64_t renew_interval_parse(const char *text);

/* Decide on explicit values (unit-testable with an injected clock):
 * renew_before seconds (<0: not configured), validity window, now. */
int renew_due(int64_t not_before, int64_t not_after, int64_t renew_before,
              int64_t now);

/* Due decision for a lineage from its newest archive certificate and its
 * conf (renew_before_expiry, autorenew). */
int lineage_should_autorenew(const struct lineage *l, int64_t now);

/* renew's should_renew (SPEC 4.4): --force-renewal, --dry-run, then
 * lineage_should_autorenew; prints "Certificate not yet due for renewal"
 * when not due. */
struct cb_config;
int renew_should(const struct cb_config *cfg, const struct lineage *l,
                 int64_t now);

#endif
