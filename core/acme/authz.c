/* ACME authorizations and challenges (RFC 8555 7.5). */
#include <stdlib.h>
#include <string.h>

#include "acme/session.h"

/* Certbot waits 1 s, then polls every 3 s (or the Retry-After): the
 * time budget of max_polls polls.  We poll with acme_backoff() up to
 * that 3 s interval instead (Retry-After still wins), within the same
 * budget. */
#define AUTHZ_FIRST_WAIT_S 1.0
#define AUTHZ_DEFAULT_POLL_S 3L
#define AUTHZ_EXTRA_ROUNDS 16     /* back-off rounds before the cap */

static void authz_challenge_free(struct acme_challenge *ch)
{
    free(ch->type);
    free(ch->url);
    free(ch->token);
    free(ch->status);
    json_decref(ch->error);
}

void acme_authz_free(struct acme_authz *a)
{
    if (!a)
        return;
    free(a->url);
    free(a->status);
    free(a->ident_type);
    free(a->ident_value);
    for (size_t i = 0; i < a->n_challenges; i++)
        authz_challenge_free(&a->challenges[i]);
    free(a->challenges);
    json_decref(a->json);
    memset(a, 0, sizeof(*a));
}

static int authz_parse_challenges(struct acme_authz *a, const json_t *arr)
{
    size_t n = json_array_size(arr), i;
    const json_t *ch;

    if (n == 0)
        return CB_OK;
    a->challenges = calloc(n, sizeof(*a->challenges));
    if (!a->challenges)
        return CB_ERR_NOMEM;
    json_array_foreach(arr, i, ch) {
        struct acme_challenge *out = &a->challenges[a->n_challenges];
        const json_t *error = json_object_get(ch, "error");

        if (!json_is_object(ch))
            continue;
        a->n_challenges++;
        out->type = acme_json_strdup(ch, "type");
        out->url = acme_json_strdup(ch, "url");
        out->token = acme_json_strdup(ch, "token");
        out->status = acme_json_strdup(ch, "status");
        if (json_is_object(error))
            out->error = json_deep_copy(error);
        if (!out->type || !out->url || !out->status)
            return CB_ERR_ACME;
    }
    return CB_OK;
}

static int authz_parse(const char *url, json_t *j, struct acme_authz *out)
{
    const json_t *ident = json_object_get(j, "identifier");
    int rc = CB_ERR_ACME;

    memset(out, 0, sizeof(*out));
    if (!json_is_object(j) || !json_is_object(ident))
        goto out;
    out->url = strdup(url);
    out->status = acme_json_strdup(j, "status");
    out->ident_type = acme_json_strdup(ident, "type");
    out->ident_value = acme_json_strdup(ident, "value");
    out->wildcard = json_is_true(json_object_get(j, "wildcard"));
    out->json = json_incref(j);
    if (!out->url || !out->status || !out->ident_type || !out->ident_value)
        goto out;
    rc = authz_parse_challenges(out, json_object_get(j, "challenges"));
out:
    if (rc < 0)
        acme_authz_free(out);
    return rc;
}

/* POST-as-GET the authorization; *retry_after gets the server's hint. */
static int authz_fetch(struct acme_client *c, const char *url,
                       struct acme_authz *out, long *retry_after,
                       struct cb_err *err)
{
    static const struct acme_post_opts opts = {
        .context = "Unable to fetch the authorization",
    };
    struct http_resp resp = { 0 };
    json_t *reply = NULL;
    int rc;

    memset(out, 0, sizeof(*out));
    rc = acme_post(c, url, NULL, &opts, &resp, &reply, err);
    if (rc < 0)
        goto out;
    if (retry_after)
        *retry_after = http_resp_retry_after(&resp, -1);
    rc = authz_parse(url, reply, out);
    if (rc == CB_ERR_NOMEM)
        cb_err_set(err, rc, "out of memory");
    else if (rc < 0)
        cb_err_set(err, rc, "%s: the server returned a malformed "
                   "authorization from %s", opts.context, url);
out:
    json_decref(reply);
    http_resp_free(&resp);
    return rc;
}

int acme_authz_get(struct acme_client *c, const char *url,
                   struct acme_authz *out, struct cb_err *err)
{
    return authz_fetch(c, url, out, NULL, err);
}

int acme_authz_deactivate(struct acme_client *c, const char *url,
                          struct cb_err *err)
{
    static const struct acme_post_opts opts = {
        .context = "Unable to deactivate the authorization",
    };
    struct http_resp resp = { 0 };
    json_t *payload = json_pack("{s:s}", "status", "deactivated");
    int rc;

    if (!payload)
        return cb_err_set(err, CB_ERR_NOMEM, "out of memory");
    rc = acme_post_json(c, url, payload, &opts, &resp, NULL, err);
    json_decref(payload);
    http_resp_free(&resp);
    return rc;
}

int acme_challenge_answer(struct acme_client *c, const char *url,
                          struct cb_err *err)
{
    static const struct acme_post_opts opts = {
        .context = "Unable to answer the challenge",
    };
    struct http_resp resp = { 0 };
    int rc;

    /* "{}" tells the server to validate; an empty payload would be a
     * POST-as-GET that only reads the challenge. */
    rc = acme_post(c, url, "{}", &opts, &resp, NULL, err);
    http_resp_free(&resp);
    return rc;
}

static int authz_settled(const struct acme_authz *a)
{
    return a->status && strcmp(a->status, "pending") != 0 &&
           strcmp(a->status, "processing") != 0;
}

/* The end of Certbot's polling time for max_polls polls. */
static double authz_deadline(int max_polls)
{
    return acme_now() + AUTHZ_FIRST_WAIT_S +
           (double)(max_polls - 1) * (double)AUTHZ_DEFAULT_POLL_S;
}

int acme_authz_poll_many(struct acme_client *c, const char *const *urls,
                         size_t n, int max_polls, struct acme_authz *outs,
                         struct cb_err *err)
{
    size_t left = n;
    double deadline;
    int rc = CB_OK, attempt = 0;

    for (size_t i = 0; i < n; i++)
        memset(&outs[i], 0, sizeof(outs[i]));
    if (max_polls <= 0)
        max_polls = 1;
    deadline = authz_deadline(max_polls);
    /* All authorizations at once, each round after the longest
     * Retry-After of the last round, or the back-off. */
    acme_sleep(acme_backoff(attempt++, (double)AUTHZ_DEFAULT_POLL_S));
    for (int round = 0; round < max_polls + AUTHZ_EXTRA_ROUNDS && left > 0;
         round++) {
        long wait = -1;
        double w;

        for (size_t i = 0; i < n; i++) {
            long ra = -1;

            if (outs[i].status && authz_settled(&outs[i]))
                continue;
            acme_authz_free(&outs[i]);
            rc = authz_fetch(c, urls[i], &outs[i], &ra, err);
            if (rc < 0)
                goto out;
            if (authz_settled(&outs[i]))
                left--;
            else if (ra > wait)
                wait = ra;
        }
        if (left == 0)
            break;
        w = wait > 0 ? (double)wait
                     : acme_backoff(attempt++, (double)AUTHZ_DEFAULT_POLL_S);
        if (acme_now() + w > deadline)
            break;
        acme_sleep(w);
    }
    for (size_t i = 0; i < n && left > 0; i++) {
        if (!authz_settled(&outs[i])) {
            rc = cb_err_set(err, CB_ERR_TIMEOUT,
                            "Timed out waiting for the authorization of %s "
                            "after %d polls", outs[i].ident_value, max_polls);
            goto out;
        }
    }
out:
    return rc;
}

int acme_authz_poll(struct acme_client *c, const char *url, int max_polls,
                    struct acme_authz *out, struct cb_err *err)
{
    long retry_after = -1;
    double deadline;
    int rc = CB_OK, attempt = 0;

    memset(out, 0, sizeof(*out));
    if (max_polls <= 0)
        max_polls = 1;
    deadline = authz_deadline(max_polls);
    acme_sleep(acme_backoff(attempt++, (double)AUTHZ_DEFAULT_POLL_S));
    for (int i = 0; i < max_polls + AUTHZ_EXTRA_ROUNDS; i++) {
        if (i > 0) {
            double w = retry_after > 0
                           ? (double)retry_after
                           : acme_backoff(attempt++,
                                          (double)AUTHZ_DEFAULT_POLL_S);

            if (acme_now() + w > deadline)
                break;
            acme_authz_free(out);
            acme_sleep(w);
        }
        rc = authz_fetch(c, url, out, &retry_after, err);
        if (rc < 0)
            goto out;
        if (strcmp(out->status, "pending") != 0 &&
            strcmp(out->status, "processing") != 0)
            goto out;
    }
    rc = cb_err_set(err, CB_ERR_TIMEOUT,
                    "Timed out waiting for the authorization of %s after %d "
                    "polls", out->ident_value, max_polls);
out:
    return rc;
}
