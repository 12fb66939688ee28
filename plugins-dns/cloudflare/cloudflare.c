/* dns-cloudflare: dns-01 TXT records through the Cloudflare v4 API.
 *
 * Behaviour follows Certbot's certbot-dns-cloudflare: credentials are an
 * API token (recommended) or the account email plus the Global API Key;
 * the zone is the first base-domain guess that GET /zones?name= knows;
 * records are created with TTL 120 and removed by id afterwards.  Deletion
 * problems are logged, never fatal (a left-over TXT record is harmless).
 *
 * Endpoint: https://api.cloudflare.com/client/v4.  The environment
 * variable CERTBOT_DNS_CLOUDFLARE_API_URL replaces it; it exists only so
 * the test suite can point the plugin at a local mock, real users never
 * set it (it is deliberately not an option, so it is never saved to a
 * renewal conf). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <jansson.h>

#include <certbot/plugin.h>

#include "../common/dnsplug.h"

#define CF_DEFAULT_API "https://api.cloudflare.com/client/v4"
#define CF_API_ENV "CERTBOT_DNS_CLOUDFLARE_API_URL"
#define CF_ACCOUNT_URL "https://dash.cloudflare.com/?to=/:account/profile/api-tokens"
#define CF_TTL 120
/* Zones are paged at most 50 at a time by the API. */
#define CF_PER_PAGE 50
/* Bounds every paging loop even if result_info lies. */
#define CF_MAX_PAGES 200
#define CF_MAX_GUESSES 64
#define CF_MSG_MAX 512

struct cf {
    const struct cb_host *host;
    struct cb_handle *h;
    const char *api;          /* borrowed: getenv() or the literal */
    char *hdr_a, *hdr_b;      /* owned: auth header lines */
    const char *hdrs[4];      /* hdr_a, [hdr_b], Content-Type, NULL */
};

/* One failed API answer: Cloudflare's first error, or the HTTP status
 * when the body was not a v4 envelope (a proxy's 502 page, say). */
struct cf_apierr {
    long code;
    char msg[CF_MSG_MAX];
};

static int cf_create(const struct cb_host *host, struct cb_handle *h,
                     void **ctx)
{
    struct cf *cf = calloc(1, sizeof(*cf));

    if (!cf)
        return CB_ERR_NOMEM;
    cf->host = host;
    cf->h = h;
    *ctx = cf;
    return CB_OK;
}

static void cf_destroy(void *ctx)
{
    struct cf *cf = ctx;

    if (!cf)
        return;
    free(cf->hdr_a);
    free(cf->hdr_b);
    free(cf);
}

/* ------------------------------------------------------------ helpers */

/* ------------------------------------------------------------ the API */

static void apierr_from_body(const struct cb_http_resp *resp, json_t *root,
                             struct cf_apierr *ae)
{
    json_t *errs = root ? json_object_get(root, "errors") : NULL;
    json_t *first = json_is_array(errs) ? json_array_get(errs, 0) : NULL;
    const char *msg = first ? json_string_value(
                                  json_object_get(first, "message"))
                            : NULL;
    json_t *code = first ? json_object_get(first, "code") : NULL;

    if (json_is_integer(code) && msg) {
        ae->code = (long)json_integer_value(code);
        snprintf(ae->msg, sizeof(ae->msg), "%s", msg);
        return;
    }
    ae->code = resp->status;
    snprintf(ae->msg, sizeof(ae->msg), "HTTP error without a Cloudflare "
             "error body");
}

/* One API call.  On success *result is Cloudflare's "result" (caller
 * decrefs) and, if wanted, *total_pages comes from result_info.
 * Returns CB_OK; CB_ERR_PLUGIN with *ae filled when Cloudflare said no
 * (nothing recorded yet: the caller words the message); any other code
 * when the transport failed (the host already recorded why). */
static int cf_call(struct cf *cf, const char *method, const char *path,
                   json_t *body, json_t **result, long *total_pages,
                   struct cf_apierr *ae)
{
    struct cb_http_resp resp = {.struct_size = sizeof(resp)};
    struct cb_http_req req = {.struct_size = sizeof(req)};
    char *url = NULL, *text = NULL;
    json_t *root = NULL, *ok;
    json_error_t jerr;
    int r;

    *result = NULL;
    if (total_pages)
        *total_pages = 1;
    url = dp_printf("%s%s", cf->api, path);
    text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    if (!url || (body && !text)) {
        r = CB_ERR_NOMEM;
        goto out;
    }
    req.method = method;
    req.url = url;
    req.headers = cf->hdrs;
    req.body = text;
    req.body_len = text ? strlen(text) : 0;
    r = cf->host->http(cf->h, &req, &resp);
    if (r != CB_OK)
        goto out;
    root = json_loadb(resp.body, resp.body_len, 0, &jerr);
    ok = root ? json_object_get(root, "success") : NULL;
    if (!json_is_true(ok) || resp.status / 100 != 2) {
        apierr_from_body(&resp, root, ae);
        r = CB_ERR_PLUGIN;
        goto out;
    }
    *result = json_incref(json_object_get(root, "result"));
    if (total_pages) {
        json_t *tp = json_object_get(json_object_get(root, "result_info"),
                                     "total_pages");

        if (json_is_integer(tp))
            *total_pages = (long)json_integer_value(tp);
    }
out:
    json_decref(root);
    free(text);
    free(url);
    return r;
}

/* Certbot's hints for the codes that mean "your credentials are wrong". */
static const char *zone_hint(long code)
{
    switch (code) {
    case 6003:
        return "Did you copy your entire API token/key?";
    case 9103:
        return "Did you enter the correct email address and Global key?";
    case 9109:
        return "Did you enter a valid Cloudflare Token?";
    default:
        return NULL;
    }
}

/* Look one zone name up (all pages); *id is set (caller frees) when
 * found.  Returns as cf_call. */
static int zone_lookup(struct cf *cf, const char *name, char **id,
                       struct cf_apierr *ae)
{
    char *esc = dp_url_escape(name), *path = NULL;
    long pages = 1;
    int r = CB_OK;

    *id = NULL;
    if (!esc)
        return CB_ERR_NOMEM;
    for (long page = 1; page <= pages && page <= CF_MAX_PAGES && !*id;
         page++) {
        json_t *res = NULL, *z;
        size_t i;

        free(path);
        path = dp_printf("/zones?name=%s&per_page=%d&page=%ld", esc,
                          CF_PER_PAGE, page);
        if (!path) {
            r = CB_ERR_NOMEM;
            break;
        }
        r = cf_call(cf, "GET", path, NULL, &res, &pages, ae);
        if (r != CB_OK)
            break;
        json_array_foreach(res, i, z) {
            const char *zn = json_string_value(json_object_get(z, "name"));
            const char *zid = json_string_value(json_object_get(z, "id"));

            if (zn && zid && strcasecmp(zn, name) == 0) {
                *id = strdup(zid);
                if (!*id)
                    r = CB_ERR_NOMEM;
                break;
            }
        }
        json_decref(res);
        if (r != CB_OK)
            break;
    }
    free(path);
    free(esc);
    return r;
}

/* The zone id for domain (caller frees).  Like Certbot: an error with a
 * credentials hint stops at once, any other is remembered and the next
 * guess is tried.  Failures are recorded with host->fail. */
static int find_zone_id(struct cf *cf, const char *domain, char **id)
{
    struct cf_apierr ae = {0}, last = {0};
    char guesses[CF_MSG_MAX];
    const char *p = domain;
    int had_err = 0, n = 0, r;

    *id = NULL;
    while (p && *p && n++ < CF_MAX_GUESSES) {
        const char *dot = strchr(p, '.');
        const char *hint;

        r = zone_lookup(cf, p, id, &ae);
        if (r == CB_OK && *id) {
            cf->host->log(cf->h, CB_LOG_DEBUG, "Found zone_id of %s for %s "
                          "using name %s", *id, domain, p);
            return CB_OK;
        }
        if (r != CB_OK && r != CB_ERR_PLUGIN)
            return r;
        if (r == CB_ERR_PLUGIN) {
            hint = zone_hint(ae.code);
            if (hint)
                return cf->host->fail(cf->h, CB_ERR_PLUGIN, "Error "
                                      "determining zone_id: %ld %s. Please "
                                      "confirm that you have supplied valid "
                                      "Cloudflare API credentials. (%s)",
                                      ae.code, ae.msg, hint);
            cf->host->log(cf->h, CB_LOG_DEBUG, "Unrecognised Cloudflare API "
                          "error while finding zone_id: %ld %s. Continuing "
                          "with next zone guess...", ae.code, ae.msg);
            last = ae;
            had_err = 1;
        }
        p = dot ? dot + 1 : NULL;
    }
    dp_guesses_text(domain, guesses, sizeof(guesses));
    if (had_err && strstr(last.msg, "com.cloudflare.api.account.zone.list"))
        return cf->host->fail(cf->h, CB_ERR_PLUGIN, "Unable to determine "
                              "zone_id for %s using zone names: %s. Please "
                              "confirm that the domain name has been entered "
                              "correctly and your Cloudflare Token has access "
                              "to the domain.", domain, guesses);
    if (had_err)
        return cf->host->fail(cf->h, CB_ERR_PLUGIN, "Unable to determine "
                              "zone_id for %s using zone names: %s. The error "
                              "from Cloudflare was: %ld %s.", domain, guesses,
                              last.code, last.msg);
    return cf->host->fail(cf->h, CB_ERR_PLUGIN, "Unable to determine zone_id "
                          "for %s using zone names: %s. Please confirm that "
                          "the domain name has been entered correctly and is "
                          "already associated with the supplied Cloudflare "
                          "account.", domain, guesses);
}

/* TXT content may come back wrapped in double quotes (Cloudflare began
 * quoting TXT content), so both spellings count as a match. */
static int content_matches(const char *got, const char *want)
{
    size_t n = strlen(want);

    if (!got)
        return 0;
    if (strcmp(got, want) == 0)
        return 1;
    return got[0] == '"' && strncmp(got + 1, want, n) == 0 &&
           got[n + 1] == '"' && got[n + 2] == '\0';
}

/* The id of the TXT record name=value (caller frees; NULL if none).  The
 * records are listed by type and name and the content compared here,
 * page by page (see content_matches for why not a content filter). */
static int find_record_id(struct cf *cf, const char *zone, const char *name,
                          const char *value, char **id, struct cf_apierr *ae)
{
    char *esc = dp_url_escape(name), *path = NULL;
    long pages = 1;
    int r = CB_OK;

    *id = NULL;
    if (!esc)
        return CB_ERR_NOMEM;
    for (long page = 1; page <= pages && page <= CF_MAX_PAGES && !*id;
         page++) {
        json_t *res = NULL, *rec;
        size_t i;

        free(path);
        path = dp_printf("/zones/%s/dns_records?type=TXT&name=%s"
                          "&per_page=%d&page=%ld", zone, esc, CF_PER_PAGE,
                          page);
        if (!path) {
            r = CB_ERR_NOMEM;
            break;
        }
        r = cf_call(cf, "GET", path, NULL, &res, &pages, ae);
        if (r != CB_OK)
            break;
        json_array_foreach(res, i, rec) {
            const char *c = json_string_value(json_object_get(rec,
                                                              "content"));
            const char *rid = json_string_value(json_object_get(rec, "id"));

            if (rid && content_matches(c, value)) {
                *id = strdup(rid);
                if (!*id)
                    r = CB_ERR_NOMEM;
                break;
            }
        }
        json_decref(res);
        if (r != CB_OK)
            break;
    }
    free(path);
    free(esc);
    return r;
}

/* ------------------------------------------------------------ plugin ops */

/* An optional credentials key: NULL when absent or empty (Certbot's
 * credentials.conf() is falsy for both); *rc gets credentials_get's
 * status. */
static const char *cred_opt(struct cf *cf, const char *key, int *rc)
{
    const char *v = NULL;

    *rc = cf->host->credentials_get(cf->h, "credentials", key, &v);
    if (*rc != CB_OK)
        return NULL;
    return v && v[0] ? v : NULL;
}

static int cf_setup(void *ctx)
{
    struct cf *cf = ctx;
    const char *env = getenv(CF_API_ENV);
    const char *token, *email, *key, *path;
    struct stat st;
    int r;

    cf->api = env && env[0] ? env : CF_DEFAULT_API;
    /* The first lookup loads (and, interactively, asks for) the file.  A
     * failure then is either the file (not given, not found, a
     * directory: the host's message stands) or just a missing key. */
    token = cred_opt(cf, "api-token", &r);
    path = cf->host->opt_str(cf->h, "credentials");
    if (r != CB_OK && (!path || stat(path, &st) != 0 || S_ISDIR(st.st_mode)))
        return r;
    email = cred_opt(cf, "email", &r);
    key = cred_opt(cf, "api-key", &r);
    if (token && (email || key))
        return cf->host->fail(cf->h, CB_ERR_PLUGIN, "%s: dns_cloudflare_email "
                              "and dns_cloudflare_api_key are not needed when "
                              "using an API Token", path);
    if (!token && !email && !key)
        return cf->host->fail(cf->h, CB_ERR_PLUGIN, "%s: Either "
                              "dns_cloudflare_api_token (recommended), or "
                              "dns_cloudflare_email and dns_cloudflare_api_key "
                              "are required. (see %s)", path, CF_ACCOUNT_URL);
    if (!token && !email)
        return cf->host->fail(cf->h, CB_ERR_PLUGIN, "%s: dns_cloudflare_email "
                              "is required when using a Global API Key. "
                              "(should be email address associated with "
                              "Cloudflare account)", path);
    if (!token && !key)
        return cf->host->fail(cf->h, CB_ERR_PLUGIN, "%s: dns_cloudflare_api_key"
                              " is required when using a Global API Key. (see "
                              "%s)", path, CF_ACCOUNT_URL);
    if (token) {
        cf->hdr_a = dp_printf("Authorization: Bearer %s", token);
        if (!cf->hdr_a)
            return CB_ERR_NOMEM;
        cf->hdrs[0] = cf->hdr_a;
        cf->hdrs[1] = "Content-Type: application/json";
    } else {
        cf->hdr_a = dp_printf("X-Auth-Email: %s", email);
        cf->hdr_b = dp_printf("X-Auth-Key: %s", key);
        if (!cf->hdr_a || !cf->hdr_b)
            return CB_ERR_NOMEM;
        cf->hdrs[0] = cf->hdr_a;
        cf->hdrs[1] = cf->hdr_b;
        cf->hdrs[2] = "Content-Type: application/json";
    }
    return CB_OK;
}

static int cf_add(void *ctx, const char *domain, const char *name,
                  const char *value)
{
    struct cf *cf = ctx;
    struct cf_apierr ae = {0};
    char *zone = NULL, *path = NULL;
    const char *rid;
    json_t *rec = NULL, *res = NULL;
    int r;

    r = find_zone_id(cf, domain, &zone);
    if (r != CB_OK)
        goto out;
    rec = json_pack("{s:s, s:s, s:s, s:i}", "type", "TXT", "name", name,
                    "content", value, "ttl", CF_TTL);
    path = dp_printf("/zones/%s/dns_records", zone);
    if (!rec || !path) {
        r = CB_ERR_NOMEM;
        goto out;
    }
    cf->host->log(cf->h, CB_LOG_DEBUG, "Attempting to add record to zone %s:"
                  " TXT %s ttl %d", zone, name, CF_TTL);
    r = cf_call(cf, "POST", path, rec, &res, NULL, &ae);
    if (r == CB_ERR_PLUGIN) {
        /* 1009: the token lacks the DNS edit permission. */
        r = cf->host->fail(cf->h, CB_ERR_PLUGIN, "Error communicating with "
                           "the Cloudflare API: %ld %s%s", ae.code, ae.msg,
                           ae.code == 1009 ? " (Does your API token have "
                           "\"Zone:DNS:Edit\" permissions?)" : "");
        goto out;
    }
    if (r != CB_OK)
        goto out;
    rid = json_string_value(json_object_get(res, "id"));
    cf->host->log(cf->h, CB_LOG_DEBUG, "Successfully added TXT record with "
                  "record_id: %s", rid ? rid : "?");
out:
    json_decref(res);
    json_decref(rec);
    free(path);
    free(zone);
    return r;
}

/* Never fails for API reasons, like Certbot's del_txt_record: a record
 * that stays behind is logged and harmless. */
static int cf_del(void *ctx, const char *domain, const char *name,
                  const char *value)
{
    struct cf *cf = ctx;
    struct cf_apierr ae = {0};
    char *zone = NULL, *rid = NULL, *path = NULL;
    json_t *res = NULL;
    int r;

    r = find_zone_id(cf, domain, &zone);
    if (r == CB_ERR_NOMEM)
        goto out;
    if (r != CB_OK) {
        cf->host->log(cf->h, CB_LOG_DEBUG, "Encountered error finding "
                      "zone_id during deletion of %s", name);
        r = CB_OK;
        goto out;
    }
    r = find_record_id(cf, zone, name, value, &rid, &ae);
    if (r == CB_ERR_NOMEM)
        goto out;
    if (r != CB_OK || !rid) {
        if (r == CB_ERR_PLUGIN)
            cf->host->log(cf->h, CB_LOG_DEBUG, "Encountered Cloudflare API "
                          "error getting TXT record_id: %ld %s", ae.code,
                          ae.msg);
        cf->host->log(cf->h, CB_LOG_DEBUG, "TXT record %s not found; no "
                      "cleanup needed.", name);
        r = CB_OK;
        goto out;
    }
    path = dp_printf("/zones/%s/dns_records/%s", zone, rid);
    if (!path) {
        r = CB_ERR_NOMEM;
        goto out;
    }
    r = cf_call(cf, "DELETE", path, NULL, &res, NULL, &ae);
    if (r == CB_OK)
        cf->host->log(cf->h, CB_LOG_DEBUG, "Successfully deleted TXT record.");
    else if (r == CB_ERR_PLUGIN)
        cf->host->log(cf->h, CB_LOG_WARNING, "Encountered Cloudflare API "
                      "error deleting TXT record: %ld %s", ae.code, ae.msg);
    else
        cf->host->log(cf->h, CB_LOG_WARNING, "Could not delete TXT record %s",
                      name);
    r = CB_OK;
out:
    json_decref(res);
    free(path);
    free(rid);
    free(zone);
    return r;
}

static const struct cb_option cf_options[] = {
    {.name = "credentials", .type = CB_OPT_PATH,
     .help = "Cloudflare credentials INI file."},
    CB_OPTION_END
};

static const struct cb_dns_provider cf_dns = {
    .struct_size = sizeof(struct cb_dns_provider),
    .default_propagation_seconds = 10,
    .setup_credentials = cf_setup,
    .add_txt = cf_add,
    .del_txt = cf_del,
};

CB_PLUGIN_DEFINE(.name = "dns-cloudflare", .version = "1.0.0",
                 .description = "Obtain certificates using a DNS TXT record "
                                "(if you are using Cloudflare for DNS).",
                 .more_info = "This plugin configures a DNS TXT record to "
                              "respond to a dns-01 challenge using the "
                              "Cloudflare API.",
                 .options = cf_options, .create = cf_create,
                 .destroy = cf_destroy, .dns = &cf_dns);
