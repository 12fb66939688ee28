/* The ACME session: directory, nonces, signed POSTs and problem
 * documents (RFC 8555 sections 6 and 7.1). */
#define LOG_COMPONENT "acme.client"

#include "util/interrupt.h"
#include "acme/session.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "acme/jws.h"
#include "util/log.h"

#define ACME_BAD_NONCE_RETRIES 5

static const char acme_error_ns[] = "urn:ietf:params:acme:error:";
static const char acme_error_ns_v1[] = "urn:acme:error:";

double acme_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void acme_sleep(double seconds)
{
    struct timespec ts, rem;

    if (seconds <= 0)
        return;
    ts.tv_sec = (time_t)seconds;
    ts.tv_nsec = (long)((seconds - (double)ts.tv_sec) * 1e9);
    /* A signal asking us to stop ends the wait; the next request then
     * fails with the interrupt message (util/interrupt.h). */
    out_flush_all(); /* what was shown and logged is out while we wait */
    while (nanosleep(&ts, &rem) < 0 && errno == EINTR && !interrupted())
        ts = rem;
}

double acme_backoff(int attempt, double cap)
{
    double w = ACME_BACKOFF_FIRST_S;

    for (int i = 0; i < attempt && w < cap; i++)
        w *= 2;
    return w < cap ? w : cap;
}

char *acme_json_strdup(const json_t *obj, const char *name)
{
    const char *s = json_string_value(json_object_get(obj, name));

    return s ? strdup(s) : NULL;
}

/* Certbot's debug record of a response: status, headers, body.  Nothing
 * secret travels in ACME responses (certificates and public keys only). */
void acme_log_response(const char *method, const char *url,
                       const struct http_resp *r)
{
    char *headers = strvec_join(&r->headers, "\n");

    log_debug("%s %s -> HTTP %ld", method, url, r->status);
    log_debug("Received response:\nHTTP %ld\n%s\n\n%.*s", r->status,
              headers ? headers : "", (int)(r->body_len > 65536 ? 65536
                                                                : r->body_len),
              r->body ? r->body : "");
    free(headers);
}

/* Keep the freshest nonce the server gave us (every response may carry
 * one, RFC 8555 7.2). */
static void acme_take_nonce(struct acme_client *c, const struct http_resp *r)
{
    const char *n = http_resp_header(r, "Replay-Nonce");
    char *copy;

    if (!n || !*n)
        return;
    copy = strdup(n);
    if (!copy)
        return;
    free(c->nonce);
    c->nonce = copy;
}

int acme_client_new(struct http_client *http, const char *directory_url,
                    struct acme_client **out, struct cb_err *err)
{
    struct acme_client *c = NULL;
    struct http_resp resp = { 0 };
    json_error_t jerr;
    int rc = CB_ERR_NOMEM;

    *out = NULL;
    c = calloc(1, sizeof(*c));
    if (!c)
        goto out;
    c->http = http;
    c->dir_url = strdup(directory_url);
    if (!c->dir_url)
        goto out;
    log_debug("Sending GET request to %s.", directory_url);
    rc = http_request(http, "GET", directory_url, NULL, NULL, 0, &resp, err);
    if (rc < 0)
        goto out;
    acme_log_response("GET", directory_url, &resp);
    acme_take_nonce(c, &resp);
    if (resp.status != 200) {
        rc = cb_err_set(err, CB_ERR_ACME,
                        "Unable to fetch the ACME directory %s: HTTP %ld",
                        directory_url, resp.status);
        goto out;
    }
    c->dir = json_loadb(resp.body, resp.body_len, 0, &jerr);
    if (!json_is_object(c->dir)) {
        rc = cb_err_set(err, CB_ERR_ACME,
                        "The ACME directory at %s is not a JSON object",
                        directory_url);
        goto out;
    }
    if (!json_string_value(json_object_get(c->dir, "newNonce")) ||
        !json_string_value(json_object_get(c->dir, "newAccount")) ||
        !json_string_value(json_object_get(c->dir, "newOrder"))) {
        rc = cb_err_set(err, CB_ERR_ACME,
                        "The ACME directory at %s lacks newNonce, newAccount "
                        "or newOrder", directory_url);
        goto out;
    }
    *out = c;
    c = NULL;
    rc = CB_OK;
out:
    if (rc == CB_ERR_NOMEM)
        cb_err_set(err, rc, "out of memory");
    http_resp_free(&resp);
    acme_client_free(c);
    return rc;
}

void acme_client_free(struct acme_client *c)
{
    if (!c)
        return;
    free(c->dir_url);
    json_decref(c->dir);
    free(c->nonce);
    free(c->kid);
    json_decref(c->last_problem);
    free(c);
}

const char *acme_directory_url(const struct acme_client *c)
{
    return c->dir_url;
}

const char *acme_directory_get(const struct acme_client *c, const char *name)
{
    return json_string_value(json_object_get(c->dir, name));
}

const json_t *acme_directory_meta(const struct acme_client *c)
{
    const json_t *meta = json_object_get(c->dir, "meta");

    return json_is_object(meta) ? meta : NULL;
}

static const json_t *acme_meta(const struct acme_client *c)
{
    return acme_directory_meta(c);
}

const char *acme_terms_of_service(const struct acme_client *c)
{
    return json_string_value(json_object_get(acme_meta(c), "termsOfService"));
}

int acme_eab_required(const struct acme_client *c)
{
    return json_is_true(json_object_get(acme_meta(c),
                                        "externalAccountRequired"));
}

void acme_client_set_key(struct acme_client *c, EVP_PKEY *key,
                         const char *kid)
{
    char *copy = kid ? strdup(kid) : NULL;

    c->key = key;
    free(c->kid);
    c->kid = copy;
}

const char *acme_client_kid(const struct acme_client *c)
{
    return c->kid;
}

const json_t *acme_last_problem(const struct acme_client *c)
{
    return c->last_problem;
}

const char *acme_last_problem_type(const struct acme_client *c)
{
    return json_string_value(json_object_get(c->last_problem, "type"));
}

char *acme_key_authorization(const struct acme_client *c, const char *token)
{
    char *thumb = jwk_thumbprint(c->key);
    char *out = NULL;

    if (!thumb)
        return NULL;
    if (asprintf(&out, "%s.%s", token, thumb) < 0)
        out = NULL;
    free(thumb);
    return out;
}

/* ---- problem documents ---- */

static const char *acme_short_type(const char *type)
{
    if (!type)
        return "unknown";
    if (strncmp(type, acme_error_ns, sizeof(acme_error_ns) - 1) == 0)
        return type + sizeof(acme_error_ns) - 1;
    if (strncmp(type, acme_error_ns_v1, sizeof(acme_error_ns_v1) - 1) == 0)
        return type + sizeof(acme_error_ns_v1) - 1;
    return type;
}

/* Append text to *buf, turning line breaks into spaces: messages are
 * one line. */
static int acme_append(char **buf, size_t *len, const char *text)
{
    size_t tl = strlen(text);
    char *nb = realloc(*buf, *len + tl + 1);

    if (!nb)
        return -1;
    for (size_t i = 0; i < tl; i++)
        nb[*len + i] = (text[i] == '\n' || text[i] == '\r') ? ' ' : text[i];
    *len += tl;
    nb[*len] = '\0';
    *buf = nb;
    return 0;
}

/* "[<identifier>: ]<type> :: <detail>" */
static int acme_append_problem(char **buf, size_t *len, const json_t *p,
                               int with_ident)
{
    const char *type = json_string_value(json_object_get(p, "type"));
    const char *detail = json_string_value(json_object_get(p, "detail"));
    const char *ident = json_string_value(
        json_object_get(json_object_get(p, "identifier"), "value"));
    int bad = 0;

    if (!detail)
        detail = json_string_value(json_object_get(p, "title"));
    if (with_ident && ident) {
        bad |= acme_append(buf, len, ident);
        bad |= acme_append(buf, len, ": ");
    }
    bad |= acme_append(buf, len, acme_short_type(type));
    if (detail && *detail) {
        bad |= acme_append(buf, len, " :: ");
        bad |= acme_append(buf, len, detail);
    }
    return bad ? -1 : 0;
}

/* One line for a problem: its own type/detail, its identifier in
 * parentheses, and each subproblem with the identifier it names. */
static char *acme_problem_line(const json_t *p)
{
    const json_t *subs = json_object_get(p, "subproblems");
    const char *ident = json_string_value(
        json_object_get(json_object_get(p, "identifier"), "value"));
    char *buf = NULL;
    size_t len = 0, i;
    const json_t *sp;
    int bad;

    bad = acme_append(&buf, &len, "");
    bad |= acme_append_problem(&buf, &len, p, 0);
    if (ident) {
        bad |= acme_append(&buf, &len, " (");
        bad |= acme_append(&buf, &len, ident);
        bad |= acme_append(&buf, &len, ")");
    }
    if (json_array_size(subs) > 0) {
        bad |= acme_append(&buf, &len, " [");
        json_array_foreach(subs, i, sp) {
            if (i > 0)
                bad |= acme_append(&buf, &len, "; ");
            bad |= acme_append_problem(&buf, &len, sp, 1);
        }
        bad |= acme_append(&buf, &len, "]");
    }
    if (bad) {
        free(buf);
        return NULL;
    }
    return buf;
}

char *acme_problem_to_string(const json_t *problem)
{
    return acme_problem_line(problem);
}

int acme_problem_fail(struct acme_client *c, const json_t *problem,
                      const char *context, struct cb_err *err)
{
    char *line = acme_problem_line(problem);

    json_decref(c->last_problem);
    c->last_problem = json_deep_copy(problem);
    cb_err_set(err, CB_ERR_ACME, "%s: %s", context ? context : "ACME error",
               line ? line : "unknown problem");
    free(line);
    return CB_ERR_ACME;
}

/* ---- nonces and signed requests ---- */

static int acme_fetch_nonce(struct acme_client *c, struct cb_err *err)
{
    const char *url = acme_directory_get(c, "newNonce");
    struct http_resp resp = { 0 };
    struct cb_err ignored = { 0 };
    int rc;

    /* RFC 8555 7.2: HEAD is the normal way; some servers only do GET. */
    log_debug("Requesting fresh nonce");
    rc = http_request(c->http, "HEAD", url, NULL, NULL, 0, &resp, &ignored);
    if (rc == CB_OK) {
        acme_log_response("HEAD", url, &resp);
        acme_take_nonce(c, &resp);
    }
    http_resp_free(&resp);
    if (c->nonce)
        return CB_OK;
    rc = http_request(c->http, "GET", url, NULL, NULL, 0, &resp, err);
    if (rc < 0)
        goto out;
    acme_take_nonce(c, &resp);
    if (!c->nonce)
        rc = cb_err_set(err, CB_ERR_ACME,
                        "The ACME server gave no Replay-Nonce at %s", url);
out:
    http_resp_free(&resp);
    return rc;
}

static int acme_is_json(const struct http_resp *r)
{
    const char *ct = http_resp_header(r, "Content-Type");

    return ct && (strncasecmp(ct, "application/json", 16) == 0 ||
                  strncasecmp(ct, "application/problem+json", 24) == 0);
}

static int acme_is_bad_nonce(const json_t *problem)
{
    const char *type = json_string_value(json_object_get(problem, "type"));

    return type && strcmp(acme_short_type(type), "badNonce") == 0;
}

/* One signed POST; *problem receives the problem document of a failed
 * response (or NULL). */
static int acme_post_once(struct acme_client *c, const char *url,
                          const char *payload, const struct acme_post_opts *o,
                          struct http_resp *resp, json_t **problem,
                          struct cb_err *err)
{
    const char *headers[3] = { "Content-Type: application/jose+json", NULL,
                               NULL };
    char *accept = NULL, *jws = NULL, *nonce = NULL;
    json_error_t jerr;
    int rc;

    *problem = NULL;
    if (!c->nonce) {
        rc = acme_fetch_nonce(c, err);
        if (rc < 0)
            goto out;
    }
    /* A nonce is good for one request only. */
    nonce = c->nonce;
    c->nonce = NULL;
    log_debug("JWS payload:\n%s", payload ? payload : "");
    rc = jws_sign(c->key, o->use_jwk ? NULL : c->kid, nonce, url, payload,
                  &jws, err);
    if (rc < 0)
        goto out;
    if (o->accept) {
        if (asprintf(&accept, "Accept: %s", o->accept) < 0) {
            accept = NULL;
            rc = cb_err_set(err, CB_ERR_NOMEM, "out of memory");
            goto out;
        }
        headers[1] = accept;
    }
    log_debug("Sending POST request to %s.", url);
    rc = http_request(c->http, "POST", url, headers, jws, strlen(jws), resp,
                      err);
    if (rc < 0)
        goto out;
    acme_log_response("POST", url, resp);
    acme_take_nonce(c, resp);
    if (resp->status >= 200 && resp->status < 300)
        goto out;
    *problem = json_loadb(resp->body, resp->body_len, 0, &jerr);
    if (!json_is_object(*problem)) {
        json_decref(*problem);
        *problem = NULL;
        rc = cb_err_set(err, CB_ERR_ACME, "%s: HTTP %ld from %s",
                        o->context ? o->context : "ACME request failed",
                        resp->status, url);
        goto out;
    }
    rc = CB_ERR_ACME;
out:
    free(nonce);
    free(jws);
    free(accept);
    return rc;
}

int acme_post(struct acme_client *c, const char *url, const char *payload,
              const struct acme_post_opts *opts, struct http_resp *resp,
              json_t **body, struct cb_err *err)
{
    static const struct acme_post_opts defaults = { 0 };
    const struct acme_post_opts *o = opts ? opts : &defaults;
    json_t *problem = NULL;
    json_error_t jerr;
    int rc = CB_ERR_INVAL;

    memset(resp, 0, sizeof(*resp));
    if (body)
        *body = NULL;
    if (!c->key) {
        rc = cb_err_set(err, CB_ERR_INVAL, "No account key for ACME request");
        goto out;
    }
    if (!url) {
        rc = cb_err_set(err, CB_ERR_ACME, "%s: the server gave no URL",
                        o->context ? o->context : "ACME request failed");
        goto out;
    }
    for (int attempt = 0;; attempt++) {
        rc = acme_post_once(c, url, payload, o, resp, &problem, err);
        if (rc != CB_ERR_ACME || !problem)
            break;
        /* Servers reject some good nonces on purpose (pebble: 5%), so a
         * badNonce is retried with the nonce from the error response. */
        if (!acme_is_bad_nonce(problem) || attempt >= ACME_BAD_NONCE_RETRIES)
            break;
        log_debug("Retrying request after error: badNonce");
        json_decref(problem);
        problem = NULL;
        http_resp_free(resp);
    }
    if (problem) {
        rc = acme_problem_fail(c, problem, o->context, err);
        goto out;
    }
    if (rc < 0)
        goto out;
    if (body && acme_is_json(resp) && resp->body_len > 0) {
        *body = json_loadb(resp->body, resp->body_len, 0, &jerr);
        if (!*body) {
            rc = cb_err_set(err, CB_ERR_ACME, "%s: invalid JSON from %s",
                            o->context ? o->context : "ACME request failed",
                            url);
            goto out;
        }
    }
    rc = CB_OK;
out:
    json_decref(problem);
    if (rc < 0)
        http_resp_free(resp);
    return rc;
}

int acme_post_json(struct acme_client *c, const char *url,
                   const json_t *payload, const struct acme_post_opts *opts,
                   struct http_resp *resp, json_t **body, struct cb_err *err)
{
    char *text = json_dumps(payload, JSON_COMPACT);
    int rc;

    if (!text) {
        memset(resp, 0, sizeof(*resp));
        if (body)
            *body = NULL;
        return cb_err_set(err, CB_ERR_NOMEM, "out of memory");
    }
    rc = acme_post(c, url, text, opts, resp, body, err);
    free(text);
    return rc;
}
