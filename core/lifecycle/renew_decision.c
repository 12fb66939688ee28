#define LOG_COMPONENT "certbot._internal.storage"

#include "lifecycle/renew_decision.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

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

int lineage_should_autorenew_ari(const struct lineage *l, int64_t now,
                                 int64_t ari_when)
{
    const char *rbe = renewal_conf_get(l->conf, "renew_before_expiry");
    struct cert_info ci = {0};
    struct cb_err err = {0};
    int version = lineage_latest_common_version(l), due = 0;
    char *path;

    if (!autorenew_enabled(l))
        return 0;
    if (ari_when >= 0 && now > ari_when) {
        log_debug("Should renew, the ARI renewal time has passed.");
        return 1;
    }
    path = lineage_version_path(l, LK_CERT, version);
    if (path && cert_info_load(path, &ci, &err) == CB_OK) {
        int64_t before = rbe ? renew_interval_parse(rbe) : -1;
        /* The default rule only applies without an ARI answer. */
        if (before >= 0 || ari_when < 0)
            due = renew_due(ci.not_before, ci.not_after, before, now);
        if (due)
            log_debug("Should renew, less than %s before certificate "
                      "expiry %s.", rbe ? rbe : "the default window", path);
    }
    cert_info_free(&ci);
    free(path);
    return due;
}

/* OCSP on the newest complete version (Certbot's ocsp_revoked). */
static int lineage_revoked(const struct lineage *l)
{
    int version = lineage_latest_common_version(l);
    char *cert = lineage_version_path(l, LK_CERT, version);
    char *chain = lineage_version_path(l, LK_CHAIN, version);
    int revoked = cert && chain && ocsp_revoked(cert, chain, NULL);

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
};

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
}

static struct acme_client *ari_client(const struct cb_config *cfg,
                                      struct renew_ari_cache *c,
                                      const char *url, struct cb_err *err)
{
    struct renew_ari_server *grown, *s;
    struct http_opts opts = {0};
    char *ua;

    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->servers[i].url, url) == 0) {
            if (!c->servers[i].acme)
                cb_err_set(err, CB_ERR_NET, "directory %s unavailable", url);
            return c->servers[i].acme;
        }
    grown = realloc(c->servers, (c->n + 1) * sizeof(*grown));
    if (!grown) {
        cb_err_set(err, CB_ERR_NOMEM, "out of memory");
        return NULL;
    }
    c->servers = grown;
    s = &c->servers[c->n];
    memset(s, 0, sizeof(*s));
    s->url = strdup(url);
    if (!s->url) {
        cb_err_set(err, CB_ERR_NOMEM, "out of memory");
        return NULL;
    }
    c->n++;
    ua = session_user_agent(cfg);
    opts.verify_ssl = !config_bool(cfg, "no_verify_ssl");
    opts.user_agent = ua;
    if (http_client_new(&opts, &s->http, err) == CB_OK &&
        acme_client_new(s->http, url, &s->acme, err) != CB_OK)
        s->acme = NULL;
    free(ua);
    return s->acme;
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

int renew_ari_time(const struct cb_config *cfg, struct lineage *l,
                   struct renew_ari_cache *cache, int64_t now,
                   int64_t *when)
{
    struct co_section *params = renewal_conf_params(l->conf, 0);
    struct co_section *info = co_section_get(configobj_root(l->conf->doc),
                                             "acme_renewal_info");
    const char *server = params ? co_get(params, "server") : NULL;
    const char *retry = info ? co_get(info, "ari_retry_after") : NULL;
    struct acme_renewal_info ri = {0};
    struct cert_info ci = {0};
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
    path = lineage_version_path(l, LK_CERT,
                                lineage_latest_common_version(l));
    if (!path || fs_read_all(path, &pem, &len, &err) != CB_OK ||
        cert_info_from_pem(pem, len, &ci, &err) != CB_OK)
        goto out;
    if (ci.not_after < now)
        goto out;     /* expired: renew without asking */
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
    cert_info_free(&ci);
    free(id);
    free(pem);
    free(path);
    return got;
}

int renew_should(const struct cb_config *cfg, struct lineage *l,
                 int64_t now, struct renew_ari_cache *cache)
{
    int64_t ari = -1;

    if (config_bool(cfg, "renew_by_default")) {
        log_debug("Auto-renewal forced with --force-renewal...");
        return 1;
    }
    if (config_bool(cfg, "dry_run")) {
        log_info("Certificate not due for renewal, but simulating renewal "
                 "for dry run");
        return 1;
    }
    if (autorenew_enabled(l) && lineage_revoked(l)) {
        log_debug("Should renew, certificate is revoked.");
        log_info("Certificate is due for renewal, auto-renewing...");
        return 1;
    }
    if (cache && !renew_ari_time(cfg, l, cache, now, &ari))
        ari = -1;
    if (lineage_should_autorenew_ari(l, now, ari)) {
        log_info("Certificate is due for renewal, auto-renewing...");
        return 1;
    }
    display_notify("Certificate not yet due for renewal", 0);
    return 0;
}
