/* EFF subscription: see eff.h. */
#define LOG_COMPONENT "certbot._internal.eff"

#include "lifecycle/eff.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "util/display.h"
#include "util/err.h"
#include "util/http.h"
#include "util/log.h"

/* application/x-www-form-urlencoded value (what requests sends for a
 * dict body).  Caller frees; NULL on ENOMEM. */
static char *form_escape(const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = strlen(s);
    char *out = malloc(3 * n + 1), *p = out;

    if (!out)
        return NULL;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;

        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
            (c >= '0' && c <= '9') || strchr("-._~", c)) {
            *p++ = (char)c;
        } else if (c == ' ') {
            *p++ = '+';
        } else {
            *p++ = '%';
            *p++ = hex[c >> 4];
            *p++ = hex[c & 15];
        }
    }
    *p = '\0';
    return out;
}

static void report_failure(const char *reason)
{
    display_notifyf(0, "We were unable to subscribe you the EFF mailing "
                       "list%s%s. You can try again later by visiting "
                       "https://act.eff.org.",
                    reason ? " because " : "", reason ? reason : "");
}

/* POST the address; the answer is {"status": true|false}. */
static void subscribe(const char *email)
{
    static const char *const hdrs[] = {
        "Content-Type: application/x-www-form-urlencoded", NULL};
    const char *url = getenv("CERTBOT_EFF_SUBSCRIBE_URL");
    struct http_opts opts = {1, NULL, NULL, 60000L, 0};
    struct http_client *hc = NULL;
    struct http_resp resp = {0};
    struct cb_err err = {0};
    char *esc = form_escape(email), *body = NULL;
    json_t *doc = NULL, *status;

    if (!url || !url[0])
        url = EFF_SUBSCRIBE_URL;
    if (!esc || asprintf(&body, "data_type=json&email=%s&form_id="
                                "eff_supporters_library_subscribe_form",
                         esc) < 0) {
        body = NULL;
        report_failure(NULL);
        goto out;
    }
    log_info("Sending POST request to %s", url);
    display_notifyf(0, "Subscribing to the EFF mailing list (email: %s).",
                    email);
    if (http_client_new(&opts, &hc, &err) != CB_OK ||
        http_request(hc, "POST", url, hdrs, body, strlen(body), &resp,
                     &err) != CB_OK) {
        log_debug("EFF subscription request failed: %s", cb_err_msg(&err));
        report_failure(NULL);
        goto out;
    }
    log_debug("Received response:\n%s", resp.body ? resp.body : "");
    if (resp.status < 200 || resp.status >= 400) {
        report_failure(NULL);
        goto out;
    }
    doc = json_loadb(resp.body ? resp.body : "", resp.body_len, 0, NULL);
    status = doc ? json_object_get(doc, "status") : NULL;
    if (!status)
        report_failure("there was a problem parsing the response");
    else if (!json_is_true(status))
        report_failure("your e-mail address appears to be invalid");
out:
    json_decref(doc);
    http_resp_free(&resp);
    http_client_free(hc);
    free(body);
    free(esc);
}

void eff_handle_subscription(const struct cb_config *cfg,
                             struct account *acct)
{
    struct cb_err err = {0};

    if (config_bool(cfg, "dry_run") || !acct || !acct->register_to_eff)
        return;
    subscribe(acct->register_to_eff);
    free(acct->register_to_eff);
    acct->register_to_eff = NULL;
    if (account_update(acct, &err) != CB_OK)
        log_warning("Could not update the account's meta.json: %s",
                    cb_err_msg(&err));
}
