/* Route 53 API calls: see r53_api.h. */
#include "r53_api.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "buf.h"
#include "sigv4.h"
#include "xml.h"

#define API_PREFIX "/2013-04-01"
#define TXT_TTL 10
/* A bound on ListHostedZones pages (100 zones each on AWS). */
#define MAX_ZONE_PAGES 1000

/* Certbot's advice after an AWS error, word for word. */
static const char INSTRUCTIONS[] =
    "To use certbot-dns-route53, configure credentials as described at "
    "https://boto3.readthedocs.io/en/latest/guide/configuration.html"
    "#best-practices-for-configuring-credentials and add the necessary "
    "permissions for Route53 access.";

static int fail(struct r53_client *c, int code, int hint, const char *fmt,
                ...) __attribute__((format(printf, 4, 5)));

static int fail(struct r53_client *c, int code, int hint, const char *fmt,
                ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(c->err, sizeof(c->err), fmt, ap);
    va_end(ap);
    if (hint)
        return c->host->fail(c->h, code, "%s\n%s", c->err, INSTRUCTIONS);
    return c->host->fail(c->h, code, "%s", c->err);
}

int r53_client_init(struct r53_client *c, const struct cb_host *host,
                    struct cb_handle *h)
{
    const char *ep = getenv("AWS_ENDPOINT_URL_ROUTE_53");
    const char *auth, *slash;
    size_t alen;

    memset(c, 0, sizeof(*c));
    c->host = host;
    c->h = h;
    if (!ep || !*ep)
        ep = getenv("AWS_ENDPOINT_URL");
    if (!ep || !*ep)
        ep = R53_DEFAULT_ENDPOINT;
    auth = strstr(ep, "://");
    if (!auth || auth[3] == '\0' || auth[3] == '/')
        return fail(c, CB_ERR_MISCONFIGURED, 0,
                    "Invalid endpoint: %s", ep);
    auth += 3;
    slash = strchr(auth, '/');
    alen = slash ? (size_t)(slash - auth) : strlen(auth);
    c->base = strdup(ep);
    c->host_hdr = strndup(auth, alen);
    if (!c->base || !c->host_hdr)
        return fail(c, CB_ERR_NOMEM, 0, "out of memory");
    /* "https://h/" and "https://h" are the same endpoint */
    for (size_t n = strlen(c->base); n > 0 && c->base[n - 1] == '/'; n--)
        c->base[n - 1] = '\0';
    /* libcurl leaves the scheme's default port out of Host: sign the same
     * value it sends */
    alen = strlen(c->host_hdr);
    if ((strncmp(ep, "https:", 6) == 0 && alen > 4 &&
         strcmp(c->host_hdr + alen - 4, ":443") == 0) ||
        (strncmp(ep, "http:", 5) == 0 && alen > 3 &&
         strcmp(c->host_hdr + alen - 3, ":80") == 0))
        *strrchr(c->host_hdr, ':') = '\0';
    return CB_OK;
}

void r53_client_free(struct r53_client *c)
{
    aws_creds_free(&c->creds);
    free(c->base);
    free(c->host_hdr);
    memset(c, 0, sizeof(*c));
}

static int load_creds(struct r53_client *c)
{
    char why[512] = "";
    int r;

    if (c->have_creds)
        return CB_OK;
    r = aws_creds_load(&c->creds, why, sizeof(why));
    if (r == AWS_CREDS_NONE)
        return fail(c, CB_ERR_PLUGIN, 1, "Unable to locate credentials");
    if (r != AWS_CREDS_FOUND)
        return fail(c, CB_ERR_PLUGIN, 1, "%s", why);
    c->host->log(c->h, CB_LOG_INFO, "Found credentials in %s",
                 c->creds.source);
    c->have_creds = 1;
    return CB_OK;
}

static const char *reason_phrase(long status)
{
    switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 409: return "Conflict";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "HTTP error";
    }
}

/* botocore's ClientError text: "An error occurred (<Code>) when calling
 * the <Op> operation: <Message>".  Route 53 answers <ErrorResponse><Error>
 * <Code>..; InvalidChangeBatch is its own root with <Messages>. */
static int api_error(struct r53_client *c, const char *op,
                     const struct cb_http_resp *resp)
{
    struct xml_span doc = {resp->body, resp->body + resp->body_len};
    char root[64], status[16];
    char *code = NULL, *msg = NULL;
    int r;

    /* an HTML error page from a proxy is no Route 53 error */
    if (resp->content_type && strstr(resp->content_type, "xml"))
        xml_root_name(doc, root, sizeof(root));
    else
        root[0] = '\0';
    if (strcmp(root, "ErrorResponse") == 0) {
        code = xml_text(doc, "Code");
        msg = xml_text(doc, "Message");
    } else if (root[0]) {
        code = strdup(root);
        msg = xml_text(doc, "Message");
    }
    snprintf(status, sizeof(status), "%ld", resp->status);
    r = fail(c, CB_ERR_PLUGIN, 1,
             "An error occurred (%s) when calling the %s operation: %s",
             code && *code ? code : status, op,
             msg ? msg : reason_phrase(resp->status));
    free(code);
    free(msg);
    return r;
}

/* One signed request.  path and query are already URI-encoded; SigV4 for
 * Route 53 encodes the path once more, as AWS specifies for every service
 * but S3.  On CB_OK resp holds a 2xx answer. */
static int call(struct r53_client *c, const char *op, const char *method,
                const char *path, const char *query, const char *body,
                struct cb_http_resp *resp)
{
    char amz_date[17], date_hdr[64];
    struct sigv4_header sh[3];
    struct sigv4_req sr = {0};
    struct sigv4_key sk = {0};
    struct buf b = {0};
    const char *hdrs[5];
    char *auth = NULL, *auth_hdr = NULL, *tok_hdr = NULL, *url = NULL;
    const char *bpath;
    size_t nh = 0, nl = 0;
    time_t now = time(NULL);
    struct tm tm;
    int r = load_creds(c);

    if (r != CB_OK)
        return r;
    gmtime_r(&now, &tm);
    strftime(amz_date, sizeof(amz_date), "%Y%m%dT%H%M%SZ", &tm);
    /* an endpoint may carry a path of its own */
    bpath = strchr(strstr(c->base, "://") + 3, '/');
    buf_addf(&b, "%s%s", bpath ? bpath : "", path);
    sr.path = buf_steal(&b);
    sh[nh++] = (struct sigv4_header){"host", c->host_hdr};
    sh[nh++] = (struct sigv4_header){"x-amz-date", amz_date};
    if (c->creds.session_token)
        sh[nh++] = (struct sigv4_header){"x-amz-security-token",
                                         c->creds.session_token};
    sr.method = method;
    sr.query = query;
    sr.headers = sh;
    sr.n_headers = nh;
    sr.payload = body;
    sr.payload_len = body ? strlen(body) : 0;
    sk = (struct sigv4_key){c->creds.access_key, c->creds.secret_key,
                            amz_date, "us-east-1", "route53"};
    auth = sr.path ? sigv4_authorization(&sr, &sk) : NULL;
    buf_addf(&b, "Authorization: %s", auth ? auth : "");
    auth_hdr = buf_steal(&b);
    if (c->creds.session_token) {
        buf_addf(&b, "X-Amz-Security-Token: %s", c->creds.session_token);
        tok_hdr = buf_steal(&b);
    }
    buf_addf(&b, "%s%s%s%s", c->base, path, query ? "?" : "",
             query ? query : "");
    url = buf_steal(&b);
    if (!auth || !auth_hdr || !url ||
        (c->creds.session_token && !tok_hdr)) {
        r = fail(c, CB_ERR_NOMEM, 0, "out of memory");
        goto out;
    }
    snprintf(date_hdr, sizeof(date_hdr), "X-Amz-Date: %s", amz_date);
    hdrs[nl++] = date_hdr;
    hdrs[nl++] = auth_hdr;
    if (tok_hdr)
        hdrs[nl++] = tok_hdr;
    if (body)
        hdrs[nl++] = "Content-Type: text/xml";
    hdrs[nl] = NULL;
    {
        struct cb_http_req req = {.struct_size = sizeof(req),
                                  .method = method, .url = url,
                                  .headers = hdrs, .body = body,
                                  .body_len = body ? strlen(body) : 0};

        c->host->log(c->h, CB_LOG_DEBUG, "%s %s (%s)", method, url, op);
        r = c->host->http(c->h, &req, resp);
    }
    if (r != CB_OK) {
        snprintf(c->err, sizeof(c->err), "%s %s failed: %s", method, url,
                 cb_status_str(r));
        goto out;
    }
    if (resp->status / 100 != 2)
        r = api_error(c, op, resp);
out:
    free((char *)sr.path);
    free(auth);
    free(auth_hdr);
    free(tok_hdr);
    free(url);
    return r;
}

/* zone "example.com." is a suffix of "_acme-challenge.www.example.com" at
 * a label boundary */
static int zone_matches(const char *zone, const char *name)
{
    size_t zl = strlen(zone), nl = strlen(name);

    while (zl > 0 && zone[zl - 1] == '.')
        zl--;
    while (nl > 0 && name[nl - 1] == '.')
        nl--;
    if (zl == 0 || zl > nl)
        return 0;
    if (strncasecmp(name + nl - zl, zone, zl) != 0)
        return 0;
    return zl == nl || name[nl - zl - 1] == '.';
}

static const char *last_part(const char *id)
{
    const char *s = strrchr(id, '/');

    return s ? s + 1 : id;
}

/* One page of <HostedZone>s: keep the longest public match. */
static int scan_zones(struct xml_span doc, const char *name, char **best_id,
                      size_t *best_len)
{
    struct xml_span zones, zone, rest;

    if (!xml_find(doc, "HostedZones", &zones, NULL))
        return CB_OK;
    rest = zones;
    while (xml_find(rest, "HostedZone", &zone, &rest)) {
        char *zname = xml_text(zone, "Name"), *id = xml_text(zone, "Id");
        char *priv = xml_text(zone, "PrivateZone");
        size_t zl = zname ? strlen(zname) : 0;
        int r = CB_OK;

        if (!zname || !id) {
            r = CB_ERR_NOMEM;
        } else if (!(priv && strcasecmp(priv, "true") == 0) &&
                   zone_matches(zname, name) && zl > *best_len) {
            free(*best_id);
            *best_id = strdup(last_part(id));
            *best_len = zl;
            if (!*best_id)
                r = CB_ERR_NOMEM;
        }
        free(zname);
        free(id);
        free(priv);
        if (r != CB_OK)
            return r;
    }
    return CB_OK;
}

int r53_find_zone(struct r53_client *c, const char *name, char **zone_id)
{
    char *marker = NULL, *best = NULL, *query = NULL;
    size_t best_len = 0;
    int r = CB_OK, page;

    *zone_id = NULL;
    for (page = 0; page < MAX_ZONE_PAGES; page++) {
        struct cb_http_resp resp = {.struct_size = sizeof(resp)};
        struct xml_span doc;
        char *trunc, *next;
        struct buf b = {0};

        if (marker) {
            char *m = sigv4_uri_encode(marker, 0);

            buf_addf(&b, "marker=%s", m ? m : "");
            free(m);
            free(query);
            query = buf_steal(&b);
            if (!query || !m) {
                r = fail(c, CB_ERR_NOMEM, 0, "out of memory");
                break;
            }
        }
        r = call(c, "ListHostedZones", "GET", API_PREFIX "/hostedzone",
                 marker ? query : NULL, NULL, &resp);
        if (r != CB_OK)
            break;
        doc = (struct xml_span){resp.body, resp.body + resp.body_len};
        r = scan_zones(doc, name, &best, &best_len);
        if (r != CB_OK) {
            r = fail(c, r, 0, "out of memory");
            break;
        }
        trunc = xml_text(doc, "IsTruncated");
        next = xml_text(doc, "NextMarker");
        free(marker);
        marker = NULL;
        if (trunc && strcmp(trunc, "true") == 0 && next && *next) {
            marker = next;
            next = NULL;
        }
        free(trunc);
        free(next);
        if (!marker)
            break;
    }
    if (r == CB_OK && page == MAX_ZONE_PAGES)
        r = fail(c, CB_ERR_PLUGIN, 0,
                 "ListHostedZones returned more than %d pages",
                 MAX_ZONE_PAGES);
    if (r == CB_OK && !best)
        r = fail(c, CB_ERR_PLUGIN, 0,
                 "Unable to find a Route53 hosted zone for %s", name);
    if (r == CB_OK) {
        *zone_id = best;
        best = NULL;
    }
    free(best);
    free(marker);
    free(query);
    return r;
}

int r53_change_txt(struct r53_client *c, const char *zone_id,
                   const char *action, const char *name,
                   const char *const *values, size_t n, char **change_id)
{
    struct cb_http_resp resp = {.struct_size = sizeof(resp)};
    struct xml_span doc, info;
    struct buf b = {0};
    char *body = NULL, *path = NULL, *zid = sigv4_uri_encode(zone_id, 0);
    char *id = NULL;
    int r;

    *change_id = NULL;
    buf_adds(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                 "<ChangeResourceRecordSetsRequest xmlns=\"https://route53."
                 "amazonaws.com/doc/2013-04-01/\"><ChangeBatch><Comment>");
    buf_addf(&b, "certbot-dns-route53 certificate validation %s", action);
    buf_addf(&b, "</Comment><Changes><Change><Action>%s</Action>"
                 "<ResourceRecordSet><Name>", action);
    buf_add_xml(&b, name);
    buf_addf(&b, "</Name><Type>TXT</Type><TTL>%d</TTL><ResourceRecords>",
             TXT_TTL);
    for (size_t i = 0; i < n; i++) {
        buf_adds(&b, "<ResourceRecord><Value>");
        buf_add_xml(&b, values[i]);
        buf_adds(&b, "</Value></ResourceRecord>");
    }
    buf_adds(&b, "</ResourceRecords></ResourceRecordSet></Change></Changes>"
                 "</ChangeBatch></ChangeResourceRecordSetsRequest>");
    body = buf_steal(&b);
    buf_addf(&b, API_PREFIX "/hostedzone/%s/rrset/", zid ? zid : "");
    path = buf_steal(&b);
    if (!body || !path || !zid) {
        r = fail(c, CB_ERR_NOMEM, 0, "out of memory");
        goto out;
    }
    r = call(c, "ChangeResourceRecordSets", "POST", path, NULL, body, &resp);
    if (r != CB_OK)
        goto out;
    doc = (struct xml_span){resp.body, resp.body + resp.body_len};
    if (xml_find(doc, "ChangeInfo", &info, NULL))
        id = xml_text(info, "Id");
    if (!id || !*id) {
        r = fail(c, CB_ERR_PLUGIN, 0,
                 "ChangeResourceRecordSets answered without a change id");
        goto out;
    }
    *change_id = strdup(last_part(id));
    if (!*change_id)
        r = fail(c, CB_ERR_NOMEM, 0, "out of memory");
out:
    free(id);
    free(zid);
    free(path);
    free(body);
    return r;
}

int r53_get_change(struct r53_client *c, const char *change_id,
                   char **status)
{
    struct cb_http_resp resp = {.struct_size = sizeof(resp)};
    struct xml_span doc, info;
    struct buf b = {0};
    char *cid = sigv4_uri_encode(change_id, 0), *path;
    int r;

    *status = NULL;
    buf_addf(&b, API_PREFIX "/change/%s", cid ? cid : "");
    path = buf_steal(&b);
    if (!path || !cid) {
        free(path);
        free(cid);
        return fail(c, CB_ERR_NOMEM, 0, "out of memory");
    }
    free(cid);
    r = call(c, "GetChange", "GET", path, NULL, NULL, &resp);
    free(path);
    if (r != CB_OK)
        return r;
    doc = (struct xml_span){resp.body, resp.body + resp.body_len};
    if (xml_find(doc, "ChangeInfo", &info, NULL))
        *status = xml_text(info, "Status");
    if (!*status)
        return fail(c, CB_ERR_PLUGIN, 0,
                    "GetChange answered without a status");
    return CB_OK;
}
