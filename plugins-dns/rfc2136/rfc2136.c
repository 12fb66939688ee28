/* dns-rfc2136: dns-01 through RFC 2136 dynamic updates signed with TSIG
 * (BIND and friends), Certbot's certbot-dns-rfc2136.  The core's generic
 * DNS authenticator does the rest (propagation wait, batching, cleanup).
 *
 * Per record: find the zone (first name walking up from the record that
 * the server answers with an authoritative SOA), then one UPDATE over TCP
 * that adds, or on cleanup deletes, exactly that TXT rdata (TTL 120). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <certbot/plugin.h>

#include "client.h"
#include "credentials.h"

/* Certbot's Authenticator.ttl for this plugin. */
#define RECORD_TTL 120
#define CREDENTIALS_LABEL "RFC 2136 credentials INI file"

struct rfc2136 {
    const struct cb_host *host;
    struct cb_handle *h;
    struct rfc2136_server server; /* strings borrowed until destroy */
    int ready;
};

static int rfc_create(const struct cb_host *host, struct cb_handle *h,
                      void **ctx)
{
    struct rfc2136 *p = calloc(1, sizeof(*p));

    if (!p)
        return CB_ERR_NOMEM;
    p->host = host;
    p->h = h;
    *ctx = p;
    return CB_OK;
}

static void rfc_destroy(void *ctx)
{
    free(ctx);
}

/* Certbot asks for the file with its own label ("RFC 2136 credentials
 * INI file"); the host's generic prompt would name the plugin instead.
 * The answer is saved like a flag, so renewals find it. */
static int rfc_prompt_credentials(struct rfc2136 *p)
{
    const char *ans = NULL, *home = getenv("HOME");
    char *abs = NULL, *cwd = NULL;
    int r;

    r = p->host->input(p->h, "Input the path to your " CREDENTIALS_LABEL,
                       "--dns-rfc2136-credentials", &ans);
    if (r != CB_OK)
        return r;
    if (!ans || !ans[0])
        return p->host->fail(p->h, CB_ERR_PLUGIN, "Please enter a valid "
                             "path to your " CREDENTIALS_LABEL ".");
    if (strncmp(ans, "~/", 2) == 0 && home) {
        r = asprintf(&abs, "%s/%s", home, ans + 2);
    } else if (ans[0] != '/') {
        cwd = getcwd(NULL, 0);
        r = cwd ? asprintf(&abs, "%s/%s", cwd, ans) : -1;
    } else {
        r = asprintf(&abs, "%s", ans);
    }
    free(cwd);
    if (r < 0)
        return p->host->fail(p->h, CB_ERR_NOMEM, "out of memory");
    r = p->host->opt_set(p->h, "credentials", abs);
    free(abs);
    return r;
}

static int rfc_setup(void *ctx)
{
    struct rfc2136 *p = ctx;
    const char *path = p->host->opt_str(p->h, "credentials");
    int r = CB_OK;

    if (!path || !path[0])
        r = rfc_prompt_credentials(p);
    if (r == CB_OK)
        r = rfc2136_credentials_load(p->host, p->h, &p->server);
    p->ready = (r == CB_OK);
    return r;
}

static int rfc_change(struct rfc2136 *p, const char *name, const char *value,
                      int del)
{
    char msg[RFC2136_MSG_MAX];
    char *zone = NULL;
    int r;

    if (!p->ready)
        return p->host->fail(p->h, CB_ERR_PLUGIN, "Plugin has not been "
                             "prepared.");
    if (rfc2136_find_zone(&p->server, name, &zone, msg, sizeof(msg)) != 0)
        return p->host->fail(p->h, CB_ERR_PLUGIN, "%s", msg);
    p->host->log(p->h, CB_LOG_DEBUG, "%s TXT record %s in zone %s",
                 del ? "Deleting" : "Adding", name, zone);
    r = rfc2136_update(&p->server, zone, name, value, RECORD_TTL, del, msg,
                       sizeof(msg));
    if (r != 0)
        r = p->host->fail(p->h, CB_ERR_PLUGIN, "%s", msg);
    else
        p->host->log(p->h, CB_LOG_DEBUG, "Successfully %s TXT record %s",
                     del ? "deleted" : "added", name);
    free(zone);
    return r;
}

static int rfc_add(void *ctx, const char *domain, const char *name,
                   const char *value)
{
    (void)domain;
    return rfc_change(ctx, name, value, 0);
}

static int rfc_del(void *ctx, const char *domain, const char *name,
                   const char *value)
{
    (void)domain;
    return rfc_change(ctx, name, value, 1);
}

static const struct cb_option rfc_options[] = {
    {.name = "credentials", .type = CB_OPT_PATH,
     .help = CREDENTIALS_LABEL "."},
    CB_OPTION_END,
};

static const struct cb_dns_provider rfc_dns = {
    .struct_size = sizeof(struct cb_dns_provider),
    .default_propagation_seconds = 60,
    .setup_credentials = rfc_setup,
    .add_txt = rfc_add,
    .del_txt = rfc_del,
};

CB_PLUGIN_DEFINE(.name = "dns-rfc2136", .version = "5.6.0",
                 .description = "Obtain certificates using a DNS TXT record "
                                "(if you are using BIND for DNS).",
                 .more_info = "This plugin configures a DNS TXT record to "
                              "respond to a dns-01 challenge using RFC 2136 "
                              "Dynamic Updates.",
                 .options = rfc_options, .create = rfc_create,
                 .destroy = rfc_destroy, .dns = &rfc_dns);
