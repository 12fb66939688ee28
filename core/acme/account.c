/* ACME accounts: newAccount, update, deactivate (RFC 8555 7.3). */
#include <stdlib.h>
#include <string.h>

#include "acme/jws.h"
#include "acme/session.h"

/* ["mailto:a@x", ...]; an empty array when contacts is NULL or empty. */
static json_t *account_contacts(const char *const *contacts)
{
    json_t *arr = json_array();

    for (size_t i = 0; arr && contacts && contacts[i]; i++) {
        char *uri = NULL;
        int bad;

        if (asprintf(&uri, "mailto:%s", contacts[i]) < 0)
            uri = NULL;
        bad = !uri || json_array_append_new(arr, json_string(uri)) < 0;
        free(uri);
        if (bad) {
            json_decref(arr);
            arr = NULL;
        }
    }
    return arr;
}

static int account_has_contacts(const char *const *contacts)
{
    return contacts && contacts[0];
}

int acme_account_new(struct acme_client *c, const struct acme_account_req *req,
                     char **account_url, json_t **body, struct cb_err *err)
{
    static const struct acme_post_opts opts = {
        .context = "Unable to register an account", .use_jwk = 1,
    };
    const char *url = acme_directory_get(c, "newAccount");
    struct http_resp resp = { 0 };
    json_t *payload = json_object(), *eab = NULL, *reply = NULL;
    const char *location;
    char *loc = NULL;
    int rc = CB_ERR_NOMEM;

    if (account_url)
        *account_url = NULL;
    if (body)
        *body = NULL;
    if (!payload)
        goto out;
    if (account_has_contacts(req->contacts) &&
        json_object_set_new(payload, "contact",
                            account_contacts(req->contacts)) < 0)
        goto out;
    if (req->tos_agreed &&
        json_object_set_new(payload, "termsOfServiceAgreed", json_true()) < 0)
        goto out;
    if (req->only_return_existing &&
        json_object_set_new(payload, "onlyReturnExisting", json_true()) < 0)
        goto out;
    if (req->eab_kid) {
        rc = jws_eab(c->key, req->eab_kid, req->eab_hmac_key, req->eab_alg,
                     url, &eab, err);
        if (rc < 0)
            goto out;
        rc = CB_ERR_NOMEM;
        if (json_object_set_new(payload, "externalAccountBinding", eab) < 0) {
            eab = NULL;
            goto out;
        }
        eab = NULL;
    }
    rc = acme_post_json(c, url, payload, &opts, &resp, &reply, err);
    if (rc < 0)
        goto out;
    location = http_resp_header(&resp, "Location");
    if (!location || !*location) {
        rc = cb_err_set(err, CB_ERR_ACME,
                        "%s: the server returned no account URL", opts.context);
        goto out;
    }
    rc = CB_ERR_NOMEM;
    loc = strdup(location);
    if (!loc)
        goto out;
    acme_client_set_key(c, c->key, loc);
    if (!c->kid)
        goto out;
    if (account_url) {
        *account_url = loc;
        loc = NULL;
    }
    if (body) {
        *body = reply;
        reply = NULL;
    }
    rc = CB_OK;
out:
    if (rc == CB_ERR_NOMEM)
        cb_err_set(err, rc, "out of memory");
    free(loc);
    json_decref(reply);
    json_decref(eab);
    json_decref(payload);
    http_resp_free(&resp);
    return rc;
}

/* POST payload to the account URL (the kid). */
static int account_post(struct acme_client *c, json_t *payload,
                        const char *context, json_t **body,
                        struct cb_err *err)
{
    const struct acme_post_opts opts = { .context = context };
    struct http_resp resp = { 0 };
    int rc;

    if (body)
        *body = NULL;
    if (!payload) {
        rc = cb_err_set(err, CB_ERR_NOMEM, "out of memory");
        goto out;
    }
    if (!c->kid) {
        rc = cb_err_set(err, CB_ERR_INVAL, "%s: no account URL is known",
                        context);
        goto out;
    }
    rc = acme_post_json(c, c->kid, payload, &opts, &resp, body, err);
out:
    http_resp_free(&resp);
    return rc;
}

int acme_account_update(struct acme_client *c, const char *const *contacts,
                        json_t **body, struct cb_err *err)
{
    json_t *contact = account_contacts(contacts);
    json_t *payload = contact ? json_pack("{s:o}", "contact", contact) : NULL;
    int rc;

    rc = account_post(c, payload, "Unable to update the account", body, err);
    json_decref(payload);
    return rc;
}

int acme_account_deactivate(struct acme_client *c, struct cb_err *err)
{
    json_t *payload = json_pack("{s:s}", "status", "deactivated");
    int rc;

    rc = account_post(c, payload, "Unable to deactivate the account", NULL,
                      err);
    json_decref(payload);
    return rc;
}

int acme_account_get(struct acme_client *c, json_t **body, struct cb_err *err)
{
    const struct acme_post_opts opts = {
        .context = "Unable to fetch the account",
    };
    struct http_resp resp = { 0 };
    int rc;

    *body = NULL;
    if (!c->kid)
        return cb_err_set(err, CB_ERR_INVAL, "%s: no account URL is known",
                          opts.context);
    rc = acme_post(c, c->kid, NULL, &opts, &resp, body, err);
    http_resp_free(&resp);
    return rc;
}
