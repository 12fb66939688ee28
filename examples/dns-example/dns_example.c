/* dns-example: a third-party DNS plugin built out of tree against the
 * installed SDK (docs/plugin-guide.md).  It only declares a dns table; the
 * core turns that into a complete dns-01 authenticator (--dns-example-
 * propagation-seconds, waiting, cleanup), as Certbot's DNSAuthenticator
 * does.
 *
 * The "Example DNS" API it talks to is imaginary:
 *   POST   <endpoint>/records  {"type":"TXT","name":...,"content":...}
 *   DELETE <endpoint>/records  (same body)
 * authenticated with "Authorization: Bearer <dns_example_api_token>". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <certbot/plugin.h>

struct ex {
    const struct cb_host *host;
    struct cb_handle *h;
    const char *token, *api; /* borrowed from the core until destroy */
};

static int ex_create(const struct cb_host *host, struct cb_handle *h,
                     void **ctx)
{
    struct ex *ex = calloc(1, sizeof(*ex));

    if (!ex)
        return CB_ERR_NOMEM;
    ex->host = host;
    ex->h = h;
    *ctx = ex;
    return CB_OK;
}

static void ex_destroy(void *ctx)
{
    free(ctx);
}

static int ex_setup(void *ctx)
{
    struct ex *ex = ctx;

    static const char *const need[] = {"api-token", "Example API token",
                                       NULL};

    ex->api = ex->host->opt_str(ex->h, "endpoint");
    /* ABI 1.1 names every missing key with its label; 1.0 cores lack it */
    if (CB_HAS(ex->host, struct cb_host, credentials_require) &&
        ex->host->credentials_require(ex->h, "credentials", need) != CB_OK)
        return CB_ERR_PLUGIN;
    return ex->host->credentials_get(ex->h, "credentials", "api-token",
                                     &ex->token);
}

static int ex_call(struct ex *ex, const char *method, const char *name,
                   const char *value)
{
    char url[512], auth[512];
    const char *hdrs[] = {auth, "Content-Type: application/json", NULL};
    struct cb_http_resp resp = {.struct_size = sizeof(resp)};
    json_t *rec = json_pack("{s:s, s:s, s:s}", "type", "TXT", "name", name,
                            "content", value);
    char *body = rec ? json_dumps(rec, JSON_COMPACT) : NULL;
    int r;

    json_decref(rec);
    if (!body)
        return CB_ERR_NOMEM;
    snprintf(url, sizeof(url), "%s/records", ex->api);
    snprintf(auth, sizeof(auth), "Authorization: Bearer %s", ex->token);
    struct cb_http_req req = {.struct_size = sizeof(req), .method = method,
                              .url = url, .headers = hdrs, .body = body,
                              .body_len = strlen(body)};
    r = ex->host->http(ex->h, &req, &resp);
    free(body); /* ours; resp.body is the core's */
    if (r == CB_OK && resp.status / 100 != 2)
        r = ex->host->fail(ex->h, CB_ERR_PLUGIN,
                           "Example DNS API returned HTTP %ld for %s %s",
                           resp.status, method, name);
    return r;
}

static int ex_add(void *ctx, const char *domain, const char *name,
                  const char *value)
{
    (void)domain;
    return ex_call(ctx, "POST", name, value);
}

static int ex_del(void *ctx, const char *domain, const char *name,
                  const char *value)
{
    (void)domain;
    return ex_call(ctx, "DELETE", name, value);
}

static const struct cb_option ex_options[] = {
    {.name = "credentials", .type = CB_OPT_PATH, .metavar = "FILE",
     .help = "Example DNS credentials INI file."},
    {.name = "endpoint", .type = CB_OPT_STRING,
     .default_value = "https://api.example.net/v1",
     .help = "Base URL of the Example DNS API."},
    CB_OPTION_END};

static const struct cb_dns_provider ex_dns = {
    .struct_size = sizeof(struct cb_dns_provider),
    .default_propagation_seconds = 30,
    .setup_credentials = ex_setup, .add_txt = ex_add, .del_txt = ex_del};

CB_PLUGIN_DEFINE(.name = "dns-example", .version = "1.0.0",
                 .description = "Obtain certificates using a DNS TXT record "
                                "(if you are using Example DNS for DNS).",
                 .options = ex_options, .create = ex_create,
                 .destroy = ex_destroy, .dns = &ex_dns);
