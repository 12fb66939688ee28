#include "util/http.h"
#include "util/curl_lazy.h"
#include "util/interrupt.h"
#include "util/log.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define HTTP_DEFAULT_TIMEOUT_MS 45000L
#define HTTP_DEFAULT_MAX_BODY (16u * 1024u * 1024u)

struct http_client {
    CURL *curl;              /* reused so connections stay alive */
    int verify_ssl;
    char *ca_bundle;         /* NULL: curl's system default */
    char *user_agent;
    long timeout_ms;
    size_t max_body;
};

/* Per-request state: what the curl callbacks fill and what must be
 * released after the transfer. */
struct http_xfer {
    struct http_resp *resp;
    size_t cap;              /* allocated body size */
    size_t max_body;
    int too_big;
    int oom;
    const char *url;
    struct curl_slist *hl;
    char errbuf[CURL_ERROR_SIZE];
};

static int http_global_ready;

int http_client_new(const struct http_opts *opts, struct http_client **out,
                    struct cb_err *err)
{
    struct http_client *c = NULL;
    const char *bundle;
    int rc = CB_ERR_NOMEM;

    *out = NULL;
    if (!http_global_ready) {
        rc = cb_curl_load(err);
        if (rc != CB_OK)
            goto out;
        rc = CB_ERR_NOMEM;
        http_global_ready = 1;
    }
    c = calloc(1, sizeof(*c));
    if (!c)
        goto out;
    c->curl = curl_easy_init();
    if (!c->curl) {
        rc = cb_err_set(err, CB_ERR_NET, "cannot create a libcurl handle");
        goto out;
    }
    c->verify_ssl = opts ? opts->verify_ssl : 1;
    c->timeout_ms = opts && opts->timeout_ms > 0 ? opts->timeout_ms
                                                 : HTTP_DEFAULT_TIMEOUT_MS;
    c->max_body = opts && opts->max_body > 0 ? opts->max_body
                                             : HTTP_DEFAULT_MAX_BODY;
    /* Same precedence as Python requests: explicit, then the env var. */
    bundle = opts && opts->ca_bundle ? opts->ca_bundle
                                     : getenv("REQUESTS_CA_BUNDLE");
    if (bundle && *bundle) {
        c->ca_bundle = strdup(bundle);
        if (!c->ca_bundle)
            goto out;
    }
    if (opts && opts->user_agent) {
        c->user_agent = strdup(opts->user_agent);
        if (!c->user_agent)
            goto out;
    }
    *out = c;
    c = NULL;
    rc = CB_OK;
out:
    if (rc == CB_ERR_NOMEM)
        cb_err_set(err, rc, "out of memory");
    http_client_free(c);
    return rc;
}

void http_client_free(struct http_client *c)
{
    if (!c)
        return;
    if (c->curl)
        curl_easy_cleanup(c->curl);
    free(c->ca_bundle);
    free(c->user_agent);
    free(c);
}

void http_resp_free(struct http_resp *resp)
{
    if (!resp)
        return;
    free(resp->body);
    resp->body = NULL;
    resp->body_len = 0;
    resp->status = 0;
    strvec_clear(&resp->headers);
}

static size_t http_on_body(char *ptr, size_t size, size_t nmemb, void *ud)
{
    struct http_xfer *x = ud;
    struct http_resp *resp = x->resp;
    size_t n = size * nmemb;

    if (n > x->max_body || resp->body_len > x->max_body - n) {
        x->too_big = 1;
        return 0;
    }
    if (resp->body_len + n + 1 > x->cap) {
        size_t ncap = x->cap ? x->cap : 4096;
        char *nb;

        while (ncap < resp->body_len + n + 1)
            ncap *= 2;
        nb = realloc(resp->body, ncap);
        if (!nb) {
            x->oom = 1;
            return 0;
        }
        resp->body = nb;
        x->cap = ncap;
    }
    memcpy(resp->body + resp->body_len, ptr, n);
    resp->body_len += n;
    resp->body[resp->body_len] = '\0';
    return n;
}

static size_t http_on_header(char *ptr, size_t size, size_t nmemb, void *ud)
{
    struct http_xfer *x = ud;
    size_t n = size * nmemb, len = n;
    char *line;

    /* A new status line starts a new response (100 Continue, redirects):
     * only the final response's headers are kept. */
    if (n >= 5 && memcmp(ptr, "HTTP/", 5) == 0) {
        strvec_clear(&x->resp->headers);
        return n;
    }
    while (len > 0 && (ptr[len - 1] == '\r' || ptr[len - 1] == '\n'))
        len--;
    if (len == 0)
        return n;
    line = strndup(ptr, len);
    if (!line || strvec_push_take(&x->resp->headers, line) < 0) {
        x->oom = 1;
        return 0;
    }
    return n;
}

static int http_set_method(CURL *curl, const char *method, const char *body,
                           size_t body_len)
{
    CURLcode cc = CURLE_OK;

    if (strcmp(method, "GET") == 0) {
        cc = curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
    } else if (strcmp(method, "HEAD") == 0) {
        cc = curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    } else {
        if (strcmp(method, "POST") != 0)
            cc = curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
        if (cc == CURLE_OK && (body || strcmp(method, "POST") == 0)) {
            cc = curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                                  (curl_off_t)(body ? body_len : 0));
            if (cc == CURLE_OK)
                cc = curl_easy_setopt(curl, CURLOPT_POSTFIELDS,
                                      body ? body : "");
        }
    }
    return cc == CURLE_OK ? 0 : -1;
}

static int http_is_tls_error(CURLcode cc)
{
    return cc == CURLE_SSL_CONNECT_ERROR ||
           cc == CURLE_PEER_FAILED_VERIFICATION ||
           cc == CURLE_SSL_CACERT_BADFILE || cc == CURLE_SSL_CERTPROBLEM;
}

/* Abort a transfer in flight once the user asked us to stop. */
static int http_on_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow,
                            curl_off_t ultotal, curl_off_t ulnow)
{
    (void)arg;
    (void)dltotal;
    (void)dlnow;
    (void)ultotal;
    (void)ulnow;
    return interrupted() ? 1 : 0;
}

/* Configure curl for one request described by x (url, resp set). */
static int http_xfer_setup(struct http_client *c, CURL *curl,
                           struct http_xfer *x, const char *method,
                           const char *const *headers, const char *body,
                           size_t body_len, struct cb_err *err)
{
    const char *url = x->url;
    struct curl_slist *tmp;
    CURLcode cc;

    memset(x->resp, 0, sizeof(*x->resp));
    x->max_body = c->max_body;
    x->errbuf[0] = '\0';
    for (size_t i = 0; headers && headers[i]; i++) {
        tmp = curl_slist_append(x->hl, headers[i]);
        if (!tmp)
            return cb_err_set(err, CB_ERR_NOMEM, "out of memory");
        x->hl = tmp;
    }
    /* ACME bodies are small; the 100-continue round trip only adds delay. */
    tmp = curl_slist_append(x->hl, "Expect:");
    if (!tmp)
        return cb_err_set(err, CB_ERR_NOMEM, "out of memory");
    x->hl = tmp;

    cc = curl_easy_setopt(curl, CURLOPT_URL, url);
    if (cc == CURLE_OK)
        cc = curl_easy_setopt(curl, CURLOPT_HTTPHEADER, x->hl);
    if (cc == CURLE_OK)
        cc = curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, http_on_body);
    if (cc == CURLE_OK)
        cc = curl_easy_setopt(curl, CURLOPT_WRITEDATA, x);
    if (cc == CURLE_OK)
        cc = curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, http_on_header);
    if (cc == CURLE_OK)
        cc = curl_easy_setopt(curl, CURLOPT_HEADERDATA, x);
    if (cc == CURLE_OK)
        cc = curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, x->errbuf);
    if (cc == CURLE_OK)
        cc = curl_easy_setopt(curl, CURLOPT_PRIVATE, x);
    if (cc == CURLE_OK)
        cc = curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    if (cc == CURLE_OK)
        cc = curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION,
                              http_on_progress);
    if (cc == CURLE_OK)
        cc = curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    if (cc == CURLE_OK)
        cc = curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, c->timeout_ms);
    if (cc == CURLE_OK)
        cc = curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER,
                              c->verify_ssl ? 1L : 0L);
    if (cc == CURLE_OK)
        cc = curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST,
                              c->verify_ssl ? 2L : 0L);
    if (cc == CURLE_OK && c->ca_bundle)
        cc = curl_easy_setopt(curl, CURLOPT_CAINFO, c->ca_bundle);
    if (cc == CURLE_OK && c->user_agent)
        cc = curl_easy_setopt(curl, CURLOPT_USERAGENT, c->user_agent);
    /* Only HTTP(S): a CA-supplied URL must not reach file:// or others. */
#if LIBCURL_VERSION_NUM >= 0x075500
    if (cc == CURLE_OK)
        cc = curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
#else
    if (cc == CURLE_OK)
        cc = curl_easy_setopt(curl, CURLOPT_PROTOCOLS,
                              (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    if (cc != CURLE_OK)
        return cb_err_set(err, CB_ERR_NET,
                          "Failed to set up a request to %s: %s", url,
                          curl_easy_strerror(cc));
    if (http_set_method(curl, method, body, body_len) < 0)
        return cb_err_set(err, CB_ERR_NET,
                          "Failed to set up a %s request to %s", method, url);
    return CB_OK;
}

/* Turn a finished transfer into a status and a one-line message. */
static int http_xfer_finish(struct http_client *c, CURL *curl,
                            struct http_xfer *x, CURLcode cc,
                            struct cb_err *err)
{
    struct http_resp *resp = x->resp;

    if (x->oom)
        return cb_err_set(err, CB_ERR_NOMEM, "out of memory reading %s",
                          x->url);
    if (interrupted())
        return cb_err_set(err, CB_ERR_CANCELLED, INTERRUPT_MESSAGE);
    if (x->too_big)
        return cb_err_set(err, CB_ERR_NET,
                          "Response from %s is larger than %zu bytes", x->url,
                          c->max_body);
    if (cc != CURLE_OK) {
        /* curl's error buffer explains TLS failures (which certificate,
         * why); for the rest its short reason reads better. */
        if (http_is_tls_error(cc) && x->errbuf[0])
            return cb_err_set(err, CB_ERR_NET,
                              "Failed to connect to %s: %s (%s)", x->url,
                              curl_easy_strerror(cc), x->errbuf);
        return cb_err_set(err, CB_ERR_NET, "Failed to connect to %s: %s",
                          x->url, curl_easy_strerror(cc));
    }
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &resp->status);
    if (!resp->body) {
        resp->body = strdup("");
        if (!resp->body)
            return cb_err_set(err, CB_ERR_NOMEM, "out of memory");
    }
    return CB_OK;
}

/* Drop what the handle borrowed from x; free the response on failure. */
static void http_xfer_release(CURL *curl, struct http_xfer *x, int rc)
{
    if (curl) {
        curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, NULL);
        curl_easy_setopt(curl, CURLOPT_HTTPHEADER, NULL);
    }
    curl_slist_free_all(x->hl);
    x->hl = NULL;
    if (rc < 0)
        http_resp_free(x->resp);
}

int http_request(struct http_client *c, const char *method, const char *url,
                 const char *const *headers, const char *body,
                 size_t body_len, struct http_resp *resp, struct cb_err *err)
{
    struct http_xfer x = { .resp = resp, .url = url };
    CURL *curl = c->curl;
    int rc;

    /* Once interrupted, no new request starts: every polling loop then
     * unwinds through its error path and cleanup runs. */
    if (interrupted())
        return cb_err_set(err, CB_ERR_CANCELLED, INTERRUPT_MESSAGE);
    /* what was shown and logged is out while we wait on the network */
    out_flush_all();
    /* curl_easy_reset keeps live connections, so keep-alive survives. */
    curl_easy_reset(curl);
    rc = http_xfer_setup(c, curl, &x, method, headers, body, body_len, err);
    if (rc < 0)
        goto out;
    rc = http_xfer_finish(c, curl, &x, curl_easy_perform(curl), err);
out:
    http_xfer_release(curl, &x, rc);
    return rc;
}

/* rcs[] value of a transfer still in flight (never returned). */
#define HTTP_PENDING 1

int http_get_many(struct http_client *c, const char *const *urls, size_t n,
                  const char *const *headers, struct http_resp *resps,
                  int *rcs, struct cb_err *errs)
{
    struct http_xfer *xs = NULL;
    CURL **easies = NULL;
    CURLM *multi = NULL;
    int running = 0, rc = CB_ERR_NOMEM;

    for (size_t i = 0; i < n; i++) {
        memset(&resps[i], 0, sizeof(resps[i]));
        rcs[i] = CB_ERR_NET;
    }
    if (n == 0)
        return CB_OK;
    xs = calloc(n, sizeof(*xs));
    easies = calloc(n, sizeof(*easies));
    multi = curl_multi_init();
    if (!xs || !easies || !multi)
        goto out;
    /* A few connections per host: concurrent, but polite to the CA. */
    curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, 6L);
    for (size_t i = 0; i < n; i++) {
        xs[i].resp = &resps[i];
        xs[i].url = urls[i];
        easies[i] = curl_easy_init();
        if (!easies[i]) {
            rcs[i] = cb_err_set(&errs[i], CB_ERR_NOMEM, "out of memory");
            continue;
        }
        rcs[i] = http_xfer_setup(c, easies[i], &xs[i], "GET", headers, NULL,
                                 0, &errs[i]);
        if (rcs[i] < 0)
            continue;
        if (curl_multi_add_handle(multi, easies[i]) != CURLM_OK)
            rcs[i] = cb_err_set(&errs[i], CB_ERR_NET,
                                "Failed to start a request to %s", urls[i]);
        else
            rcs[i] = HTTP_PENDING;
    }
    do {
        CURLMsg *msg;
        int left = 0;

        if (curl_multi_perform(multi, &running) != CURLM_OK)
            break;
        for (msg = curl_multi_info_read(multi, &left); msg;
             msg = curl_multi_info_read(multi, &left)) {
            struct http_xfer *x = NULL;
            size_t i;

            if (msg->msg != CURLMSG_DONE)
                continue;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&x);
            i = (size_t)(x - xs);
            rcs[i] = http_xfer_finish(c, msg->easy_handle, x, msg->data.result,
                                      &errs[i]);
        }
        if (running > 0 &&
            curl_multi_poll(multi, NULL, 0, 1000, NULL) != CURLM_OK)
            break;
    } while (running > 0);
    rc = CB_OK;
out:
    for (size_t i = 0; easies && i < n; i++) {
        if (rcs[i] == HTTP_PENDING)
            rcs[i] = cb_err_set(&errs[i], CB_ERR_NET,
                                "Failed to complete the request to %s",
                                urls[i]);
        if (!easies[i])
            continue;
        curl_multi_remove_handle(multi, easies[i]);
        http_xfer_release(easies[i], &xs[i], rcs[i]);
        curl_easy_cleanup(easies[i]);
    }
    if (multi)
        curl_multi_cleanup(multi);
    free(easies);
    free(xs);
    return rc;
}

const char *http_resp_header(const struct http_resp *resp, const char *name)
{
    size_t nlen = strlen(name);

    for (size_t i = 0; i < resp->headers.n; i++) {
        const char *h = resp->headers.v[i];

        if (strncasecmp(h, name, nlen) == 0 && h[nlen] == ':') {
            h += nlen + 1;
            while (*h == ' ' || *h == '\t')
                h++;
            return h;
        }
    }
    return NULL;
}

static const char *http_skip_ws(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

/* Does the space-separated relation list [v, v+len) contain rel? */
static int http_rel_matches(const char *v, size_t len, const char *rel)
{
    size_t rlen = strlen(rel), i = 0;

    while (i < len) {
        size_t start;

        while (i < len && v[i] == ' ')
            i++;
        start = i;
        while (i < len && v[i] != ' ')
            i++;
        if (i - start == rlen && strncasecmp(v + start, rel, rlen) == 0)
            return 1;
    }
    return 0;
}

/* Parse one Link header value: "<u1>; rel=\"a\", <u2>;rel=b". */
static int http_parse_link_value(const char *p, const char *rel,
                                 struct strvec *out)
{
    while (*p) {
        const char *url, *url_end;
        int match = 0;

        p = http_skip_ws(p);
        if (*p == ',') {
            p++;
            continue;
        }
        if (*p != '<')
            return 0; /* malformed: keep what we have */
        url = p + 1;
        url_end = strchr(url, '>');
        if (!url_end)
            return 0;
        p = url_end + 1;
        /* parameters up to the next top-level comma */
        while (*p && *p != ',') {
            const char *name, *val;
            size_t name_len, val_len;

            p = http_skip_ws(p);
            if (*p != ';') {
                p++;
                continue;
            }
            p = http_skip_ws(p + 1);
            name = p;
            while (*p && *p != '=' && *p != ';' && *p != ',' && *p != ' ')
                p++;
            name_len = (size_t)(p - name);
            p = http_skip_ws(p);
            if (*p != '=')
                continue;
            p = http_skip_ws(p + 1);
            if (*p == '"') {
                val = ++p;
                while (*p && *p != '"')
                    p++;
                val_len = (size_t)(p - val);
                if (*p == '"')
                    p++;
            } else {
                val = p;
                while (*p && *p != ';' && *p != ',' && *p != ' ')
                    p++;
                val_len = (size_t)(p - val);
            }
            if (name_len == 3 && strncasecmp(name, "rel", 3) == 0 &&
                http_rel_matches(val, val_len, rel))
                match = 1;
        }
        if (match) {
            char *u = strndup(url, (size_t)(url_end - url));

            if (strvec_push_take(out, u) < 0)
                return CB_ERR_NOMEM;
        }
    }
    return 0;
}

int http_resp_links(const struct http_resp *resp, const char *rel,
                    struct strvec *out)
{
    for (size_t i = 0; i < resp->headers.n; i++) {
        const char *h = resp->headers.v[i];
        int rc;

        if (strncasecmp(h, "Link:", 5) != 0)
            continue;
        rc = http_parse_link_value(h + 5, rel, out);
        if (rc < 0)
            return rc;
    }
    return CB_OK;
}

long http_resp_retry_after(const struct http_resp *resp, long dflt)
{
    const char *v = http_resp_header(resp, "Retry-After");
    char *end;
    long secs;
    time_t when, now;

    if (!v || !*v)
        return dflt;
    if (isdigit((unsigned char)*v)) {
        secs = strtol(v, &end, 10);
        end = (char *)http_skip_ws(end);
        if (*end == '\0' && secs >= 0)
            return secs;
        return dflt;
    }
    if (cb_curl_load(&(struct cb_err){0}) != CB_OK)
        return dflt;
    when = curl_getdate(v, NULL);
    if (when == (time_t)-1)
        return dflt;
    now = time(NULL);
    return when > now ? (long)(when - now) : 0;
}
