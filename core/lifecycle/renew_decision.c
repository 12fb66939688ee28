#define LOG_COMPONENT "certbot._internal.storage"

#include "lifecycle/renew_decision.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "acme/client.h"
#include "cli/config.h"
#include "crypto/cert.h"
#include "crypto/ocsp.h"
#include "lifecycle/session.h"
#include "storage/fsutil.h"
#include "util/display.h"
#include "util/http.h"
#include "util/log.h"

#define ARI_DEFAULT_RETRY (6 * 3600)   /* Certbot's default wait */

int64_t renew_interval_parse(const char *text)
{
    static const struct {
        const char *unit;
        int64_t seconds;
    } units[] = {
        {"second", 1},        {"sec", 1},          {"minute", 60},
        {"min", 60},          {"hour", 3600},      {"day", 86400},
        {"week", 7 * 86400},  {"month", 30 * 86400}, {"year", 365 * 86400},
    };
    char *end;
    double n;

    if (!text)
        return -1;
    while (isspace((unsigned char)*text))
        text++;
    n = strtod(text, &end);
    if (end == text || n < 0)
        return -1;
    while (isspace((unsigned char)*end))
        end++;
    if (*end == '\0')
        return (int64_t)(n * 86400);
    for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
        if (strncasecmp(end, units[i].unit, strlen(units[i].unit)) == 0)
            return (int64_t)(n * (double)units[i].seconds);
    return -1;
}

int renew_due(int64_t not_before, int64_t not_after, int64_t renew_before,
              int64_t now)
{
    int64_t lifetime = not_after - not_before;

    if (renew_before >= 0)
        return not_after < now + renew_before;
    /* 5.6: renew after 2/3 of the lifetime, or 1/2 for short-lived
     * certificates (under 10 days). */
    if (lifetime < 10 * 86400)
        return now > not_before + lifetime / 2;
    return now > not_before + lifetime * 2 / 3;
}

static int autorenew_enabled(const struct lineage *l)
{
    struct co_section *params = renewal_conf_params(l->conf, 0);
    const char *autorenew = params ? co_get(params, "autorenew") : NULL;

    return !(autorenew && strcasecmp(autorenew, "False") == 0);
}

void lineage_snap_load(const struct lineage *l, struct lineage_snap *s)
{
    struct cb_err err = {0};
    char *pem = NULL;
    size_t len = 0;

    memset(s, 0, sizeof(*s));
    s->version = lineage_latest_common_version(l);
    s->cert_path = lineage_version_path(l, LK_CERT, s->version);
    /* fs_read_regular: relative to the config dir (storage/fsutil.h) */
    s->have_ci = s->cert_path &&
                 fs_read_regular(s->cert_path, &pem, &len, NULL, &err) ==
                     CB_OK &&
                 cert_info_from_pem(pem, len, &s->ci, &err) == CB_OK;
    free(pem);
}

void lineage_snap_free(struct lineage_snap *s)
{
    cert_info_free(&s->ci);
    free(s->cert_path);
    memset(s, 0, sizeof(*s));
}

static int should_autorenew_snap(const struct lineage *l, int64_t now,
                                 int64_t ari_when,
                                 const struct lineage_snap *s)
{
    const char *rbe = renewal_conf_get(l->conf, "renew_before_expiry");
    int due = 0;

    if (!autorenew_enabled(l))
        return 0;
    if (ari_when >= 0 && now > ari_when) {
        log_debug("Should renew, the ARI renewal time has passed.");
        return 1;
    }
    if (s->have_ci) {
        int64_t before = rbe ? renew_interval_parse(rbe) : -1;
        /* The default rule only applies without an ARI answer. */
        if (before >= 0 || ari_when < 0)
            due = renew_due(s->ci.not_before, s->ci.not_after, before, now);
        if (due)
            log_debug("Should renew, less than %s before certificate "
                      "expiry %s.", rbe ? rbe : "the default window",
                      s->cert_path);
    }
    return due;
}

int lineage_should_autorenew_ari(const struct lineage *l, int64_t now,
                                 int64_t ari_when)
{
    struct lineage_snap s;
    int due;

    if (!autorenew_enabled(l))
        return 0;
    lineage_snap_load(l, &s);
    due = should_autorenew_snap(l, now, ari_when, &s);
    lineage_snap_free(&s);
    return due;
}

/* OCSP on the newest complete version (Certbot's ocsp_revoked).  A
 * certificate without a responder URL needs no OCSP code at all (its
 * chain still must be readable: ocsp_revoked warns otherwise). */
static int lineage_revoked(const struct lineage *l,
                           const struct lineage_snap *s)
{
    char *cert = lineage_version_path(l, LK_CERT, s->version);
    char *chain = lineage_version_path(l, LK_CHAIN, s->version);
    int revoked = 0;

    if (cert && chain && s->have_ci && !s->ci.ocsp_url &&
        fs_access(chain, R_OK) == 0)
        log_debug("Cannot extract OCSP URI from %s", cert);
    else
        revoked = cert && chain && ocsp_revoked(cert, chain, NULL);
    free(cert);
    free(chain);
    return revoked;
}

int lineage_should_autorenew(const struct lineage *l, int64_t now)
{
    return lineage_should_autorenew_ari(l, now, -1);
}

/* ---- ARI ---- */

struct renew_ari_server {
    char *url;
    struct http_client *http;
    struct acme_client *acme;   /* NULL when the directory failed */
    int none;                   /* learnt: no renewalInfo (acme NULL) */
};

/* Assume nothing any more (and forget what was assumed). */
static void forget_assumptions(struct renew_ari_cache *c)
{
    c->assume = 0;
    free(c->assumed);
    c->assumed = NULL;
    free(c->assume_url);
    c->assume_url = NULL;
}

void renew_ari_cache_clear(struct renew_ari_cache *c)
{
    for (size_t i = 0; i < c->n; i++) {
        acme_client_free(c->servers[i].acme);
        http_client_free(c->servers[i].http);
        free(c->servers[i].url);
    }
    free(c->servers);
    c->servers = NULL;
    c->n = 0;
    forget_assumptions(c);
}

void renew_ari_cache_after_fork(struct renew_ari_cache *c)
{
    size_t kept = 0;

    for (size_t i = 0; i < c->n; i++) {
        struct renew_ari_server *s = &c->servers[i];

        /* dropped ones are not freed: that would close the parent's
         * TLS connection; the child exits without freeing anyway */
        if (s->acme && acme_directory_get(s->acme, "renewalInfo"))
            continue;
        c->servers[kept++] = *s;
    }
    c->n = kept;
    forget_assumptions(c);
}

static const struct renew_ari_server *
find_server(const struct renew_ari_cache *c, const char *url)
{
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->servers[i].url, url) == 0)
            return &c->servers[i];
    return NULL;
}

static enum ari_known server_known(const struct renew_ari_server *s)
{
    if (!s)
        return ARI_UNKNOWN;
    if (s->none)
        return ARI_NONE;
    if (!s->acme)
        return ARI_FAILED;
    return acme_directory_get(s->acme, "renewalInfo") ? ARI_OFFERED
                                                      : ARI_NONE;
}

enum ari_known renew_ari_known(const struct renew_ari_cache *c,
                               const char *url)
{
    return server_known(find_server(c, url));
}

const char *renew_ari_server_url(const struct renew_ari_cache *c, size_t i)
{
    return i < c->n ? c->servers[i].url : NULL;
}

/* A new entry for url (copied), zeroed; NULL on ENOMEM. */
static struct renew_ari_server *add_server(struct renew_ari_cache *c,
                                           const char *url)
{
    struct renew_ari_server *grown, *s;

    grown = realloc(c->servers, (c->n + 1) * sizeof(*grown));
    if (!grown)
        return NULL;
    c->servers = grown;
    s = &c->servers[c->n];
    memset(s, 0, sizeof(*s));
    s->url = strdup(url);
    if (!s->url)
        return NULL;
    c->n++;
    return s;
}

int renew_ari_cache_learn(struct renew_ari_cache *c, const char *url,
                          enum ari_known k)
{
    struct renew_ari_server *s;

    if ((k != ARI_NONE && k != ARI_FAILED) || find_server(c, url))
        return CB_OK;
    s = add_server(c, url);
    if (!s)
        return CB_ERR_NOMEM;
    s->none = k == ARI_NONE;
    return CB_OK;
}

static struct acme_client *ari_client(const struct cb_config *cfg,
                                      struct renew_ari_cache *c,
                                      const char *url, struct cb_err *err)
{
    const struct renew_ari_server *known = find_server(c, url);
    struct renew_ari_server *s;
    struct http_opts opts = {0};
    char *ua;

    if (known) {
        if (!known->acme)
            cb_err_set(err, CB_ERR_NET, "directory %s unavailable", url);
        return known->acme;
    }
    s = add_server(c, url);
    if (!s) {
        cb_err_set(err, CB_ERR_NOMEM, "out of memory");
        return NULL;
    }
    ua = session_user_agent(cfg);
    opts.verify_ssl = !config_bool(cfg, "no_verify_ssl");
    opts.user_agent = ua;
    if (http_client_new(&opts, &s->http, err) == CB_OK &&
        acme_client_new(s->http, url, &s->acme, err) != CB_OK)
        s->acme = NULL;
    free(ua);
    return s->acme;
}

/* Has this run already seen (or learnt) that server's directory, without
 * a renewalInfo URL?  Then no lineage of it needs its certificate read
 * for an ARI identifier. */
static int ari_known_unsupported(const struct renew_ari_cache *c,
                                 const char *url)
{
    return renew_ari_known(c, url) == ARI_NONE;
}

static void iso_time(int64_t t, char *buf, size_t len)
{
    time_t tt = (time_t)t;
    struct tm tm;

    gmtime_r(&tt, &tm);
    strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
}

/* Naive ISO-8601 (UTC) to Unix time; -1 when unparseable. */
static int64_t parse_iso(const char *s)
{
    struct tm tm;
    const char *end;

    memset(&tm, 0, sizeof(tm));
    end = s ? strptime(s, "%Y-%m-%dT%H:%M:%S", &tm) : NULL;
    if (!end)
        return -1;
    return (int64_t)timegm(&tm);
}

static void store_retry(const struct cb_config *cfg, struct lineage *l,
                        int64_t at)
{
    struct co_section *sec;
    struct cb_err err = {0};
    char buf[32];

    if (config_bool(cfg, "dry_run"))
        return;
    sec = co_section_add(configobj_root(l->conf->doc), "acme_renewal_info");
    iso_time(at, buf, sizeof(buf));
    if (!sec || co_set(sec, "ari_retry_after", buf) != CB_OK ||
        renewal_conf_save(l->conf, &err) != CB_OK)
        log_warning("Could not save the ARI retry time to %s: %s",
                    l->conf->path, cb_err_msg(&err));
}

static int ari_time_snap(const struct cb_config *cfg, struct lineage *l,
                         struct renew_ari_cache *cache, int64_t now,
                         int64_t *when, const struct lineage_snap *s)
{
    struct co_section *params = renewal_conf_params(l->conf, 0);
    struct co_section *info = co_section_get(configobj_root(l->conf->doc),
                                             "acme_renewal_info");
    const char *server = params ? co_get(params, "server") : NULL;
    const char *retry = info ? co_get(info, "ari_retry_after") : NULL;
    struct acme_renewal_info ri = {0};
    struct cb_err err = {0};
    struct acme_client *acme;
    char *path = NULL, *pem = NULL, *id = NULL;
    size_t len = 0;
    int got = 0, r;

    if (!autorenew_enabled(l))
        return 0;
    if (!server) {
        log_warning("Skipping ARI check because %s has no 'server' field. "
                    "This issue will not prevent certificate renewal",
                    l->conf->path);
        return 0;
    }
    if (retry && parse_iso(retry) > now) {
        log_debug("Not asking for ARI before %s", retry);
        return 0;
    }
    if (!s->have_ci)
        goto out;
    if (s->ci.not_after < now)
        goto out;     /* expired: renew without asking */
    if (ari_known_unsupported(cache, server))
        goto out;     /* as acme_renewal_info_get would say, unasked */
    if (cache->assume && renew_ari_known(cache, server) == ARI_UNKNOWN &&
        (!cache->assume_url || strcmp(cache->assume_url, server) == 0)) {
        /* decided as without ARI; the caller checks that later.  One
         * server only: the one whose word the caller then waits for */
        if (!cache->assume_url)
            cache->assume_url = strdup(server);
        if (!cache->assumed)
            cache->assumed = strdup(server);
        if (cache->assumed)
            goto out;
    }
    path = strdup(s->cert_path);
    if (!path || fs_read_all(path, &pem, &len, &err) != CB_OK)
        goto out;
    r = acme_ari_cert_id(pem, len, &id, &err);
    if (r != CB_OK)
        goto out;
    acme = ari_client(cfg, cache, server, &err);
    r = acme ? acme_renewal_info_get(acme, id, &ri, &err) : CB_ERR_NET;
    if (r == CB_ERR_NOT_SUPPORTED)
        goto out;
    if (r != CB_OK) {
        log_warning("An error occurred requesting ACME Renewal Information "
                    "(ARI). If this problem persists and you think it's a "
                    "bug in Certbot, please open an issue at "
                    "https://github.com/certbot/certbot/issues/new/choose.");
        log_debug("Error while requesting ARI was: %s", cb_err_msg(&err));
        store_retry(cfg, l, now + ARI_DEFAULT_RETRY);
        goto out;
    }
    *when = ri.window_start;
    if (ri.window_end > ri.window_start)
        *when += (int64_t)((double)(ri.window_end - ri.window_start) *
                           ((double)rand() / ((double)RAND_MAX + 1.0)));
    got = 1;
    store_retry(cfg, l, now + (ri.retry_after > 0 ? ri.retry_after
                                                   : ARI_DEFAULT_RETRY));
out:
    acme_renewal_info_free(&ri);
    free(id);
    free(pem);
    free(path);
    return got;
}

int renew_ari_time(const struct cb_config *cfg, struct lineage *l,
                   struct renew_ari_cache *cache, int64_t now,
                   int64_t *when)
{
    struct lineage_snap s;
    int got;

    lineage_snap_load(l, &s);
    got = ari_time_snap(cfg, l, cache, now, when, &s);
    lineage_snap_free(&s);
    return got;
}

int renew_should(const struct cb_config *cfg, struct lineage *l,
                 int64_t now, struct renew_ari_cache *cache)
{
    return renew_should_snap(cfg, l, now, cache, NULL);
}

int renew_should_snap(const struct cb_config *cfg, struct lineage *l,
                      int64_t now, struct renew_ari_cache *cache,
                      const struct lineage_snap *given)
{
    struct lineage_snap own = {0};
    const struct lineage_snap *snap = given;
    int64_t ari = -1;
    int due = 0;

    if (config_bool(cfg, "renew_by_default")) {
        log_debug("Auto-renewal forced with --force-renewal...");
        return 1;
    }
    if (config_bool(cfg, "dry_run")) {
        log_info("Certificate not due for renewal, but simulating renewal "
                 "for dry run");
        return 1;
    }
    if (!snap) {
        lineage_snap_load(l, &own);
        snap = &own;
    }
    if (autorenew_enabled(l) && lineage_revoked(l, snap)) {
        log_debug("Should renew, certificate is revoked.");
        log_info("Certificate is due for renewal, auto-renewing...");
        due = 1;
        goto out;
    }
    if (cache && !ari_time_snap(cfg, l, cache, now, &ari, snap))
        ari = -1;
    if (should_autorenew_snap(l, now, ari, snap)) {
        log_info("Certificate is due for renewal, auto-renewing...");
        due = 1;
        goto out;
    }
    display_notify("Certificate not yet due for renewal", 0);
out:
    lineage_snap_free(&own);
    return due;
}
