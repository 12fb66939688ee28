/* Is a lineage due for renewal? (SPEC 4.5, without ARI/OCSP yet). */
#ifndef CB_LIFECYCLE_RENEW_DECISION_H
#define CB_LIFECYCLE_RENEW_DECISION_H

#include <stdint.h>

#include "crypto/cert.h"
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

/* ARI (SPEC 4.5 step 3): ACME clients of one renew run, one per stored
 * server, so each directory is fetched once.  Zero-initialise; free with
 * renew_ari_cache_clear.
 *
 * assume (issue 7): a caller that can hold decisions and make them again
 * sets it; then a lineage whose server this cache does not know yet is
 * decided as if that server offered no ARI, without fetching anything,
 * and the server's URL is left in assumed (caller-freed; NULL when the
 * decision assumed nothing).  Only the first such server is assumed
 * about; others are fetched as usual.  renew's forkmap helper fetches the
 * directory meanwhile and says what it found (renew_ari_cache_learn). */
struct renew_ari_server;
struct renew_ari_cache {
    struct renew_ari_server *servers;
    size_t n;
    int assume;
    char *assumed;
    char *assume_url;           /* the one server assumed about */
};
void renew_ari_cache_clear(struct renew_ari_cache *c);
/* In a child process (util/forkmap.h): forget the clients that would
 * send requests (servers offering ARI) without closing anything, since
 * their connections are the parent's; the child makes its own when it
 * needs them.  Servers known to offer no ARI (nothing to ask) and
 * failed directories stay.  Assumes nothing. */
void renew_ari_cache_after_fork(struct renew_ari_cache *c);

/* What a cache knows of a server's directory. */
enum ari_known {
    ARI_UNKNOWN,    /* not fetched */
    ARI_NONE,       /* no renewalInfo: nothing to ask */
    ARI_OFFERED,    /* renewalInfo */
    ARI_FAILED      /* could not be fetched */
};
enum ari_known renew_ari_known(const struct renew_ari_cache *c,
                               const char *url);
/* Server i (< c->n): its URL and what is known of it. */
const char *renew_ari_server_url(const struct renew_ari_cache *c, size_t i);
/* Take another process's word for url: ARI_NONE and ARI_FAILED are kept
 * (no request will be made, as if fetched here); ARI_OFFERED is not (this
 * process fetches its own client when it asks).  0 or CB_ERR_NOMEM. */
int renew_ari_cache_learn(struct renew_ari_cache *c, const char *url,
                          enum ari_known k);

/* The ARI renewal time of the lineage's newest certificate, asked of the
 * lineage's stored server: 1 and *when set, or 0 (no ARI: no server,
 * retry time not reached, no renewalInfo, expired certificate, errors).
 * Stores [acme_renewal_info] ari_retry_after in the conf and saves it. */
struct cb_config;
int renew_ari_time(const struct cb_config *cfg, struct lineage *l,
                   struct renew_ari_cache *cache, int64_t now,
                   int64_t *when);

/* should_autorenew with an ARI answer (ari_when < 0: none): ARI time
 * passed, else renew_before_expiry, else (only without ARI) the default
 * rule. */
int lineage_should_autorenew_ari(const struct lineage *l, int64_t now,
                                 int64_t ari_when);

/* What the decision reads of a lineage, once per decision: the newest
 * complete version and its certificate (scanning the archive and reading
 * the certificate once instead of in every check: renew with nothing due
 * over many lineages is mostly this).  Owns its path and ci until
 * lineage_snap_free. */
struct lineage_snap {
    int version;
    char *cert_path;             /* archive cert<version>.pem */
    int have_ci;                 /* ci read from cert_path */
    struct cert_info ci;
};
void lineage_snap_load(const struct lineage *l, struct lineage_snap *s);
void lineage_snap_free(struct lineage_snap *s);

/* renew_should with the snap the caller loaded (borrowed; NULL: load
 * one), so renew's report and names reuse the one certificate read. */
int renew_should_snap(const struct cb_config *cfg, struct lineage *l,
                      int64_t now, struct renew_ari_cache *cache,
                      const struct lineage_snap *snap);

/* renew's should_renew (SPEC 4.4): --force-renewal, --dry-run, then
 * should_autorenew (with ARI when cache is not NULL); prints "Certificate
 * not yet due for renewal" when not due. */
int renew_should(const struct cb_config *cfg, struct lineage *l,
                 int64_t now, struct renew_ari_cache *cache);

#endif
