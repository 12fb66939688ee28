/* dns-digitalocean: dns-01 TXT records through the DigitalOcean v2 API.
 *
 * Behaviour follows Certbot's certbot-dns-digitalocean: one credential
 * (dns_digitalocean_token, sent as a Bearer token); the domain is the
 * first base-domain guess found among all of the account's domains
 * (GET /domains, every page); records are created relative to it with TTL
 * 30, and removed afterwards by matching type, name and data.  Deletion
 * problems are logged, never fatal (a left-over TXT record is harmless).
 *
 * Endpoint: https://api.digitalocean.com/v2.  The environment variable
 * CERTBOT_DNS_DIGITALOCEAN_API_URL replaces it; it exists only so the
 * test suite can point the plugin at a local mock, real users never set
 * it (it is deliberately not an option, so it is never saved to a renewal
 * conf). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include <certbot/plugin.h>

#include "../common/dnsplug.h"

#define DO_DEFAULT_API "https://api.digitalocean.com/v2"
#define DO_API_ENV "CERTBOT_DNS_DIGITALOCEAN_API_URL"
#define DO_TTL 30
/* The API's largest page. */
#define DO_PER_PAGE 200
/* Bounds every paging loop even if the links lie. */
#define DO_MAX_PAGES 500
#define DO_MAX_GUESSES 64
#define DO_MSG_MAX 512

struct dgo {
    const struct cb_host *host;
    struct cb_handle *h;
    const char *api;          /* borrowed: getenv() or the literal */
    char *auth;               /* owned: "Authorization: Bearer ..." */
    const char *hdrs[3];      /* auth, Content-Type, NULL */
};

static int do_create(const struct cb_host *host, struct cb_handle *h,
                     void **ctx)
{
    struct dgo *d = calloc(1, sizeof(*d));

    if (!d)
        return CB_ERR_NOMEM;
    d->host = host;
    d->h = h;
    *ctx = d;
    return CB_OK;
}

static void do_destroy(void *ctx)
{
    struct dgo *d = ctx;

    if (!d)
        return;
    free(d->auth);
    free(d);
}

/* ------------------------------------------------------------ helpers */

/* "_acme-challenge.www.example.com" in zone "example.com" is
 * "_acme-challenge.www": DigitalOcean appends the domain itself.  Caller
 * frees. */
static char *relative_name(const char *full, const char *zone)
{
    size_t fl = strlen(full), zl = strlen(zone);

    if (fl > zl + 1 && full[fl - zl - 1] == '.' &&
        strcasecmp(full + fl - zl, zone) == 0)
        return strndup(full, fl - zl - 1);
    return strdup(full);
}

/* ------------------------------------------------------------ the API */

/* One API call.  On a 2xx answer *root is the parsed body (caller
 * decrefs; NULL for an empty body, e.g. DELETE's 204).  Returns CB_OK;
 * CB_ERR_PLUGIN with msg filled from DigitalOcean's {"id", "message"}
 * body when the API said no (nothing recorded yet: the caller words the
 * message); any other code when the transport failed (the host already
 * recorded why). */
static int do_call(struct dgo *d, const char *method, const char *path,
                   json_t *body, json_t **root, char *msg, size_t msglen)
{
    struct cb_http_resp resp = {.struct_size = sizeof(resp)};
    struct cb_http_req req = {.struct_size = sizeof(req)};
    char *url = NULL, *text = NULL;
    json_t *js = NULL;
    json_error_t jerr;
    int r;

    *root = NULL;
    url = dp_printf("%s%s", d->api, path);
    text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    if (!url || (body && !text)) {
        r = CB_ERR_NOMEM;
        goto out;
    }
    req.method = method;
    req.url = url;
    req.headers = d->hdrs;
    req.body = text;
    req.body_len = text ? strlen(text) : 0;
    r = d->host->http(d->h, &req, &resp);
    if (r != CB_OK)
        goto out;
    if (resp.body_len > 0)
        js = json_loadb(resp.body, resp.body_len, 0, &jerr);
    if (resp.status / 100 != 2) {
        const char *m = json_string_value(json_object_get(js, "message"));

        if (m)
            snprintf(msg, msglen, "%s", m);
        else
            snprintf(msg, msglen, "HTTP %ld without a DigitalOcean error "
                     "message", resp.status);
        r = CB_ERR_PLUGIN;
        goto out;
    }
    *root = js;
    js = NULL;
out:
    json_decref(js);
    free(text);
    free(url);
    return r;
}

/* Is there a page after this one?  DigitalOcean sets links.pages.next
 * only then. */
static int has_next_page(json_t *root)
{
    json_t *next = json_object_get(
        json_object_get(json_object_get(root, "links"), "pages"), "next");

    return json_is_string(next);
}

/* The account's domain that is the first base-domain guess for domain
 * (caller frees).  Every page of GET /domains is read first, like
 * Certbot's get_all_domains.  API failures: CB_ERR_PLUGIN with msg. */
static int find_domain(struct dgo *d, const char *domain, char **zone,
                       char *msg, size_t msglen)
{
    json_t *all = json_array();
    char *path = NULL;
    const char *p = domain;
    int r = CB_OK, n = 0, more = 1;

    *zone = NULL;
    if (!all)
        return CB_ERR_NOMEM;
    for (long page = 1; more && page <= DO_MAX_PAGES; page++) {
        json_t *root = NULL, *doms;

        free(path);
        path = dp_printf("/domains?page=%ld&per_page=%d", page,
                          DO_PER_PAGE);
        if (!path) {
            r = CB_ERR_NOMEM;
            goto out;
        }
        r = do_call(d, "GET", path, NULL, &root, msg, msglen);
        if (r != CB_OK)
            goto out;
        more = has_next_page(root);
        doms = json_object_get(root, "domains");
        if (json_is_array(doms) && json_array_extend(all, doms) != 0) {
            json_decref(root);
            r = CB_ERR_NOMEM;
            goto out;
        }
        json_decref(root);
    }
    while (p && *p && n++ < DO_MAX_GUESSES && !*zone) {
        const char *dot = strchr(p, '.');
        json_t *dom;
        size_t i;

        json_array_foreach(all, i, dom) {
            const char *name = json_string_value(json_object_get(dom,
                                                                 "name"));

            if (name && strcasecmp(name, p) == 0) {
                *zone = strdup(name);
                if (!*zone)
                    r = CB_ERR_NOMEM;
                break;
            }
        }
        p = dot ? dot + 1 : NULL;
    }
    if (r == CB_OK && *zone)
        d->host->log(d->h, CB_LOG_DEBUG, "Found base domain for %s using "
                     "name %s", domain, *zone);
out:
    free(path);
    json_decref(all);
    return r;
}

/* find_domain with Certbot's wording for the failures. */
static int find_domain_or_fail(struct dgo *d, const char *domain,
                               char **zone)
{
    char msg[DO_MSG_MAX] = "", guesses[DO_MSG_MAX];
    int r = find_domain(d, domain, zone, msg, sizeof(msg));

    if (r == CB_ERR_PLUGIN)
        return d->host->fail(d->h, CB_ERR_PLUGIN, "Error finding domain "
                             "using the DigitalOcean API: %s%s", msg,
                             strncmp(msg, "Unable to authenticate", 22) == 0
                                 ? " (Did you provide a valid API token?)"
                                 : "");
    if (r != CB_OK)
        return r;
    if (!*zone) {
        dp_guesses_text(domain, guesses, sizeof(guesses));
        return d->host->fail(d->h, CB_ERR_PLUGIN, "Unable to determine base "
                             "domain for %s using names: %s.", domain,
                             guesses);
    }
    return CB_OK;
}

/* ------------------------------------------------------------ plugin ops */

static int do_setup(void *ctx)
{
    struct dgo *d = ctx;
    const char *env = getenv(DO_API_ENV);
    const char *token = NULL;
    int r;

    d->api = env && env[0] ? env : DO_DEFAULT_API;
    /* Certbot's labelled "Missing property" message (ABI 1.1 cores) */
    if (CB_HAS(d->host, struct cb_host, credentials_require)) {
        static const char *const required[] = {
            "token", "API token for DigitalOcean account", NULL};

        r = d->host->credentials_require(d->h, "credentials", required);
        if (r != CB_OK)
            return r;
    }
    r = d->host->credentials_get(d->h, "credentials", "token", &token);
    if (r != CB_OK)
        return r;
    d->auth = dp_printf("Authorization: Bearer %s", token);
    if (!d->auth)
        return CB_ERR_NOMEM;
    d->hdrs[0] = d->auth;
    d->hdrs[1] = "Content-Type: application/json";
    d->hdrs[2] = NULL;
    return CB_OK;
}

static int do_add(void *ctx, const char *domain, const char *name,
                  const char *value)
{
    struct dgo *d = ctx;
    char msg[DO_MSG_MAX] = "";
    char *zone = NULL, *rel = NULL, *path = NULL;
    json_t *rec = NULL, *root = NULL, *id;
    int r;

    r = find_domain_or_fail(d, domain, &zone);
    if (r != CB_OK)
        goto out;
    rel = relative_name(name, zone);
    path = dp_printf("/domains/%s/records", zone);
    rec = rel ? json_pack("{s:s, s:s, s:s, s:i}", "type", "TXT", "name",
                          rel, "data", value, "ttl", DO_TTL)
              : NULL;
    if (!rel || !path || !rec) {
        r = CB_ERR_NOMEM;
        goto out;
    }
    r = do_call(d, "POST", path, rec, &root, msg, sizeof(msg));
    if (r == CB_ERR_PLUGIN) {
        r = d->host->fail(d->h, CB_ERR_PLUGIN, "Error adding TXT record "
                          "using the DigitalOcean API: %s", msg);
        goto out;
    }
    if (r != CB_OK)
        goto out;
    id = json_object_get(json_object_get(root, "domain_record"), "id");
    d->host->log(d->h, CB_LOG_DEBUG, "Successfully added TXT record with id:"
                 " %lld", json_is_integer(id)
                              ? (long long)json_integer_value(id) : -1LL);
out:
    json_decref(root);
    json_decref(rec);
    free(path);
    free(rel);
    free(zone);
    return r;
}

/* Delete every record in records that is TXT rel = value.  API failures
 * are warnings (see do_del). */
static int del_matches(struct dgo *d, const char *zone, json_t *records,
                       const char *rel, const char *value)
{
    char msg[DO_MSG_MAX];
    json_t *rec;
    size_t i;

    json_array_foreach(records, i, rec) {
        const char *type = json_string_value(json_object_get(rec, "type"));
        const char *nm = json_string_value(json_object_get(rec, "name"));
        const char *data = json_string_value(json_object_get(rec, "data"));
        json_t *id = json_object_get(rec, "id"), *root = NULL;
        char *path;
        int r;

        if (!type || !nm || !data || !json_is_integer(id) ||
            strcmp(type, "TXT") != 0 || strcmp(nm, rel) != 0 ||
            strcmp(data, value) != 0)
            continue;
        path = dp_printf("/domains/%s/records/%lld", zone,
                          (long long)json_integer_value(id));
        if (!path)
            return CB_ERR_NOMEM;
        d->host->log(d->h, CB_LOG_DEBUG, "Removing TXT record with id: %lld",
                     (long long)json_integer_value(id));
        r = do_call(d, "DELETE", path, NULL, &root, msg, sizeof(msg));
        json_decref(root);
        free(path);
        if (r == CB_ERR_NOMEM)
            return r;
        if (r == CB_ERR_PLUGIN)
            d->host->log(d->h, CB_LOG_WARNING, "Error deleting TXT record "
                         "%lld using the DigitalOcean API: %s",
                         (long long)json_integer_value(id), msg);
        else if (r != CB_OK)
            d->host->log(d->h, CB_LOG_WARNING, "Error deleting TXT record "
                         "%lld using the DigitalOcean API",
                         (long long)json_integer_value(id));
    }
    return CB_OK;
}

/* Never fails for API reasons, like Certbot's del_txt_record. */
static int do_del(void *ctx, const char *domain, const char *name,
                  const char *value)
{
    struct dgo *d = ctx;
    char msg[DO_MSG_MAX] = "";
    char *zone = NULL, *rel = NULL, *path = NULL;
    json_t *all = json_array();
    int r, more = 1;

    if (!all)
        return CB_ERR_NOMEM;
    r = find_domain(d, domain, &zone, msg, sizeof(msg));
    if (r == CB_ERR_NOMEM)
        goto out;
    if (r != CB_OK || !zone) {
        d->host->log(d->h, CB_LOG_DEBUG, "Error finding domain using the "
                     "DigitalOcean API: %s", msg[0] ? msg : "not found");
        r = CB_OK;
        goto out;
    }
    rel = relative_name(name, zone);
    if (!rel) {
        r = CB_ERR_NOMEM;
        goto out;
    }
    /* All pages first: deleting while paging would shift later pages. */
    for (long page = 1; more && page <= DO_MAX_PAGES; page++) {
        json_t *root = NULL, *recs;

        free(path);
        path = dp_printf("/domains/%s/records?page=%ld&per_page=%d", zone,
                          page, DO_PER_PAGE);
        if (!path) {
            r = CB_ERR_NOMEM;
            goto out;
        }
        r = do_call(d, "GET", path, NULL, &root, msg, sizeof(msg));
        if (r != CB_OK) {
            if (r == CB_ERR_NOMEM)
                goto out;
            d->host->log(d->h, CB_LOG_DEBUG, "Error getting DNS records "
                         "using the DigitalOcean API: %s", msg);
            r = CB_OK;
            goto out;
        }
        more = has_next_page(root);
        recs = json_object_get(root, "domain_records");
        if (json_is_array(recs) && json_array_extend(all, recs) != 0) {
            json_decref(root);
            r = CB_ERR_NOMEM;
            goto out;
        }
        json_decref(root);
    }
    r = del_matches(d, zone, all, rel, value);
out:
    json_decref(all);
    free(path);
    free(rel);
    free(zone);
    return r;
}

static const struct cb_option do_options[] = {
    {.name = "credentials", .type = CB_OPT_PATH,
     .help = "DigitalOcean credentials INI file."},
    CB_OPTION_END
};

static const struct cb_dns_provider do_dns = {
    .struct_size = sizeof(struct cb_dns_provider),
    .default_propagation_seconds = 10,
    .setup_credentials = do_setup,
    .add_txt = do_add,
    .del_txt = do_del,
};

CB_PLUGIN_DEFINE(.name = "dns-digitalocean", .version = "1.0.0",
                 .description = "Obtain certificates using a DNS TXT record "
                                "(if you are using DigitalOcean for DNS).",
                 .more_info = "This plugin configures a DNS TXT record to "
                              "respond to a dns-01 challenge using the "
                              "DigitalOcean API.",
                 .options = do_options, .create = do_create,
                 .destroy = do_destroy, .dns = &do_dns);
