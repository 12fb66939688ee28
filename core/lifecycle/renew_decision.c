#define LOG_COMPONENT "certbot._internal.storage"

#include "lifecycle/renew_decision.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/config.h"
#include "crypto/cert.h"
#include "util/display.h"
#include "util/log.h"

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

int lineage_should_autorenew(const struct lineage *l, int64_t now)
{
    struct co_section *params = renewal_conf_params(l->conf, 0);
    const char *autorenew = params ? co_get(params, "autorenew") : NULL;
    const char *rbe = renewal_conf_get(l->conf, "renew_before_expiry");
    struct cert_info ci = {0};
    struct cb_err err = {0};
    int version = lineage_latest_common_version(l), due = 0;
    char *path;

    if (autorenew && strcasecmp(autorenew, "False") == 0)
        return 0;
    path = lineage_version_path(l, LK_CERT, version);
    if (path && cert_info_load(path, &ci, &err) == CB_OK) {
        int64_t before = rbe ? renew_interval_parse(rbe) : -1;
        due = renew_due(ci.not_before, ci.not_after, before, now);
        if (due)
            log_debug("Should renew, less than %s before certificate "
                      "expiry %s.", rbe ? rbe : "the default window", path);
    }
    cert_info_free(&ci);
    free(path);
    return due;
}

int renew_should(const struct cb_config *cfg, const struct lineage *l,
                 int64_t now)
{
    if (config_bool(cfg, "renew_by_default")) {
        log_debug("Auto-renewal forced with --force-renewal...");
        return 1;
    }
    if (config_bool(cfg, "dry_run")) {
        log_info("Certificate not due for renewal, but simulating renewal "
                 "for dry run");
        return 1;
    }
    if (lineage_should_autorenew(l, now)) {
        log_info("Certificate is due for renewal, auto-renewing...");
        return 1;
    }
    display_notify("Certificate not yet due for renewal", 0);
    return 0;
}
