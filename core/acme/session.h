/* Internal to core/acme: the session shared by account.c, order.c and
 * authz.c.  Everyone else uses client.h.
 *
 * Ownership: the session owns dir_url, dir, nonce, kid and last_problem;
 * http and key are borrowed (see client.h). */
#ifndef CB_ACME_SESSION_H
#define CB_ACME_SESSION_H

#include <jansson.h>
#include <openssl/evp.h>

#include "acme/client.h"
#include "util/err.h"
#include "util/http.h"

struct acme_client {
    struct http_client *http;
    char *dir_url;
    json_t *dir;
    char *nonce;             /* next Replay-Nonce to use, or NULL */
    EVP_PKEY *key;
    char *kid;
    json_t *last_problem;
};

/* How a signed POST is sent. */
struct acme_post_opts {
    const char *context;     /* "Unable to create order": prefixes errors */
    int use_jwk;             /* sign with the jwk even when a kid is set */
    const char *accept;      /* Accept header value, or NULL */
};

/* Signed POST of payload (compact JSON text; NULL for POST-as-GET) to
 * url.  Success means a 2xx response, left in *resp (caller frees with
 * http_resp_free); *body, if non-NULL, receives the parsed JSON body or
 * NULL when the response is not JSON.  A problem document becomes
 * CB_ERR_ACME and is kept as the last problem. */
int acme_post(struct acme_client *c, const char *url, const char *payload,
              const struct acme_post_opts *opts, struct http_resp *resp,
              json_t **body, struct cb_err *err);

/* Same with a jansson payload (serialised compactly). */
int acme_post_json(struct acme_client *c, const char *url,
                   const json_t *payload, const struct acme_post_opts *opts,
                   struct http_resp *resp, json_t **body, struct cb_err *err);

/* Record problem as the last problem and put its one-line form, after
 * "context: ", in err; returns CB_ERR_ACME. */
int acme_problem_fail(struct acme_client *c, const json_t *problem,
                      const char *context, struct cb_err *err);

/* Debug-log a response (status, headers, body) as Certbot does. */
void acme_log_response(const char *method, const char *url,
                       const struct http_resp *r);

/* Copy of a string member, or NULL (also on ENOMEM). */
char *acme_json_strdup(const json_t *obj, const char *name);

/* Sleep for seconds (fractions allowed); interrupted sleeps resume. */
void acme_sleep(double seconds);

/* The wait before poll number attempt (0, 1, ...) when the server gave
 * no Retry-After: 5 ms, doubling, at most cap seconds.  A CA that
 * validates in milliseconds (pebble: ~5 ms on loopback) is seen at once
 * instead of after a fixed second; a slow one costs about four extra
 * polls in its first 100 ms and is polled no more often than before once
 * the back-off reaches the cap. */
#define ACME_BACKOFF_FIRST_S 0.005
double acme_backoff(int attempt, double cap);
/* Monotonic clock in seconds. */
double acme_now(void);

#endif
