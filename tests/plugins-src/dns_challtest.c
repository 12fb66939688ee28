/* TEST ONLY: a dns plugin whose records live in pebble-challtestsrv
 * (POST <url>/set-txt and /clear-txt of its management API), so
 * tests/integration/dns_core.sh can drive the core's generic DNS-01
 * authenticator against pebble.  Never installed.
 *
 * Options:
 *   --dns-challtest-credentials FILE   INI with dns_challtest_token
 *   --dns-challtest-url URL     the management API (default: $CHALLTESTSRV_MGMT)
 *   --dns-challtest-skip-add    add_txt does nothing (the test adds the
 *                               record itself, late, to show the
 *                               propagation check waiting for it) */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include <certbot/plugin.h>

struct ct {
    const struct cb_host *host;
    struct cb_handle *h;
    const char *url;
};

static int ct_create(const struct cb_host *host, struct cb_handle *h,
                     void **ctx)
{
    struct ct *ct = calloc(1, sizeof(*ct));

    if (!ct)
        return CB_ERR_NOMEM;
    ct->host = host;
    ct->h = h;
    *ctx = ct;
    return CB_OK;
}

static void ct_destroy(void *ctx)
{
    free(ctx);
}

static int ct_setup(void *ctx)
{
    struct ct *ct = ctx;
    const char *token = NULL;
    int r;

    /* the core's credentials handling is under test; the token itself is
     * not used */
    r = ct->host->credentials_get(ct->h, "credentials", "token", &token);
    if (r != CB_OK)
        return r;

    ct->url = ct->host->opt_str(ct->h, "url");
    if (!ct->url || !ct->url[0])
        ct->url = getenv("CHALLTESTSRV_MGMT");
    if (!ct->url || !ct->url[0])
        return ct->host->fail(ct->h, CB_ERR_MISCONFIGURED,
                              "dns-challtest: no --dns-challtest-url");
    return CB_OK;
}

/* POST {"host": "<name>.", ["value": v]} to url/path. */
static int ct_post(struct ct *ct, const char *path, const char *name,
                   const char *value)
{
    static const char *const hdrs[] = {"Content-Type: application/json",
                                       NULL};
    char *host = NULL, *url = NULL, *body = NULL;
    json_t *o = NULL;
    struct cb_http_resp resp = {.struct_size = sizeof(resp)};
    int r = CB_ERR_NOMEM;

    if (asprintf(&host, "%s.", name) < 0 ||
        asprintf(&url, "%s%s", ct->url, path) < 0) {
        host = url = NULL;
        goto out;
    }
    o = value ? json_pack("{s:s, s:s}", "host", host, "value", value)
              : json_pack("{s:s}", "host", host);
    body = o ? json_dumps(o, JSON_COMPACT) : NULL;
    if (!body)
        goto out;
    struct cb_http_req req = {.struct_size = sizeof(req), .method = "POST",
                              .url = url, .headers = hdrs, .body = body,
                              .body_len = strlen(body)};
    r = ct->host->http(ct->h, &req, &resp);
    if (r == CB_OK && resp.status / 100 != 2)
        r = ct->host->fail(ct->h, CB_ERR_PLUGIN, "challtestsrv %s returned "
                           "HTTP %ld", path, resp.status);
    if (r == CB_OK)
        ct->host->log(ct->h, CB_LOG_INFO, "challtestsrv %s %s", path, host);
out:
    json_decref(o);
    free(body);
    free(url);
    free(host);
    return r;
}

static int ct_add(void *ctx, const char *domain, const char *name,
                  const char *value)
{
    struct ct *ct = ctx;

    ct->host->log(ct->h, CB_LOG_INFO, "add_txt domain=%s name=%s", domain,
                  name);
    if (ct->host->opt_bool(ct->h, "skip-add"))
        return CB_OK;
    return ct_post(ct, "/set-txt", name, value);
}

static int ct_del(void *ctx, const char *domain, const char *name,
                  const char *value)
{
    struct ct *ct = ctx;

    (void)value;
    ct->host->log(ct->h, CB_LOG_INFO, "del_txt domain=%s name=%s", domain,
                  name);
    return ct_post(ct, "/clear-txt", name, NULL);
}

static const struct cb_option ct_options[] = {
    {.name = "credentials", .type = CB_OPT_PATH, .metavar = "FILE",
     .help = "Test credentials INI file (dns_challtest_token)."},
    {.name = "url", .type = CB_OPT_STRING, .flags = CB_OPT_NOSAVE,
     .metavar = "URL", .help = "pebble-challtestsrv management URL."},
    {.name = "skip-add", .type = CB_OPT_BOOL, .flags = CB_OPT_NOSAVE,
     .help = "Do not add the TXT records (the test adds them)."},
    CB_OPTION_END};

static const struct cb_dns_provider ct_dns = {
    .struct_size = sizeof(struct cb_dns_provider),
    .default_propagation_seconds = 5,
    .setup_credentials = ct_setup,
    .add_txt = ct_add,
    .del_txt = ct_del,
};

CB_PLUGIN_DEFINE(.name = "dns-challtest", .version = "0.0.0",
                 .description = "TEST ONLY: TXT records in "
                                "pebble-challtestsrv.",
                 .options = ct_options, .create = ct_create,
                 .destroy = ct_destroy, .dns = &ct_dns);
