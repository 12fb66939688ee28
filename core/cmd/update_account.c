/* update_account: replace the account's contact emails on the server
 * (SPEC 1, 4.12; A-043..A-045). */
#define LOG_COMPONENT "certbot._internal.main"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "lifecycle/session.h"
#include "storage/account_store.h"
#include "util/display.h"
#include "util/log.h"
#include "util/strvec.h"

static int have_account(struct cb_config *cfg, struct cb_err *err)
{
    size_t n = 0;
    int r = session_account_count(cfg, &n, err);

    if (r == CB_OK && n == 0)
        r = cb_err_plain(err, CB_ERR_NOT_FOUND,
                         "Could not find an existing account for server %s.",
                         config_str(cfg, "server"));
    return r;
}

int cmd_update_account(struct cmd_ctx *ctx, struct cb_err *err)
{
    struct cb_config *cfg = ctx->cfg;
    struct session s = {0};
    struct strvec emails = {0};
    char *asked = NULL;
    const char *email;
    json_t *body = NULL;
    int subscribe = 0, r;

    r = have_account(cfg, err);
    if (r != CB_OK)
        goto out;
    email = config_str(cfg, "email");
    if (!email && !config_bool(cfg, "register_unsafely_without_email")) {
        r = session_ask_email(&asked, err);
        if (r != CB_OK)
            goto out;
        email = asked;
    }
    if (email)
        session_split_emails(email, &emails);

    r = session_open(cfg, &s, err);
    if (r != CB_OK)
        goto out;
    r = session_account(cfg, &s, 0, err);
    if (r != CB_OK)
        goto out;
    r = acme_account_update(s.acme, (const char *const *)emails.v, &body,
                            err);
    if (r != CB_OK)
        goto out;
    /* regr.json keeps the stored account URL whatever the reply says */
    r = account_update(s.account, err);
    if (r != CB_OK)
        goto out;
    if (emails.n == 0) {
        display_notify("Any contact information associated with this "
                       "account has been removed.", 0);
        goto out;
    }
    r = session_eff_choice(cfg, &emails, &subscribe, err);
    if (r != CB_OK)
        goto out;
    if (subscribe) {
        char *copy = strdup(email);
        if (!copy) {
            r = cb_err_set(err, CB_ERR_NOMEM, "out of memory");
            goto out;
        }
        free(s.account->register_to_eff);
        s.account->register_to_eff = copy;
        r = account_update(s.account, err);
        if (r != CB_OK)
            goto out;
    }
    display_notifyf(0, "Your e-mail address was updated to %s.", email);
out:
    json_decref(body);
    session_close(&s);
    strvec_clear(&emails);
    free(asked);
    return r;
}
