/* HTTP client over libcurl: CA trust, --no-verify-ssl, user agent,
 * timeouts, response size cap, connection reuse.
 *
 * Ownership: struct http_client owns its curl handle; struct http_resp
 * owns its body and headers until http_resp_free(). */
#ifndef CB_UTIL_HTTP_H
#define CB_UTIL_HTTP_H

#include <stddef.h>

#include "util/err.h"
#include "util/strvec.h"

struct http_opts {
    int verify_ssl;          /* 0 with --no-verify-ssl */
    const char *ca_bundle;   /* NULL: $REQUESTS_CA_BUNDLE, else system default */
    const char *user_agent;  /* copied */
    long timeout_ms;         /* per request; 0: 45000 */
    size_t max_body;         /* 0: 16 MiB */
};

struct http_resp {
    long status;
    char *body;              /* NUL-terminated (may hold binary) */
    size_t body_len;
    struct strvec headers;   /* raw "Name: value" lines of the final response */
};

struct http_client;

int http_client_new(const struct http_opts *opts, struct http_client **out,
                    struct cb_err *err);
void http_client_free(struct http_client *c);

/* headers: NULL-terminated "Name: value" lines, may be NULL.  A transport
 * failure returns CB_ERR_NET with a message naming the URL; any HTTP status
 * is success at this layer. */
int http_request(struct http_client *c, const char *method, const char *url,
                 const char *const *headers, const char *body,
                 size_t body_len, struct http_resp *resp, struct cb_err *err);
void http_resp_free(struct http_resp *resp);

/* GET every url concurrently (libcurl multi; a few connections per host),
 * e.g. ARI checks for many lineages.  resps[i], rcs[i] and errs[i] receive
 * each result exactly as http_request would give it (free each response).
 * Returns CB_ERR_NOMEM if the batch could not start, else CB_OK. */
int http_get_many(struct http_client *c, const char *const *urls, size_t n,
                  const char *const *headers, struct http_resp *resps,
                  int *rcs, struct cb_err *errs);

/* First header value by case-insensitive name; borrowed; NULL if absent. */
const char *http_resp_header(const struct http_resp *resp, const char *name);
/* URLs of every Link header with rel="<rel>" appended to out (copied). */
int http_resp_links(const struct http_resp *resp, const char *rel,
                    struct strvec *out);
/* Retry-After in seconds (delta or HTTP date), or dflt. */
long http_resp_retry_after(const struct http_resp *resp, long dflt);

#endif
