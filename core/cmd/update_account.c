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
    struct account **list = NULL;
    size_t n = 0;
    int r;

    r = account_list(config_str(cfg, "config_dir"), config_str(cfg, "server"),
                     &list, &n, err);
    account_list_free(list, n);
    if (r == CB_OK && n == 0)
        r = cb_err_plain(err, CB_ERR_NOT_FOUND,
                         "Could not find an existing account for server %s.",
                         config_str(cfg, "server"));
    return r;
}

/* Certbot's safe_email: [a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+, not starting
 * with a dot and without "..". */
static int email_ok(const char *e)
{
    const char *at = strchr(e, '@');

    if (!at || at == e || !at[1] || e[0] == '.' || strstr(e, ".."))
        return 0;
    for (const char *p = e; *p; p++) {
        int c = (unsigned char)*p;
        int word = isalnum(c) || c == '.' || c == '-';
        if (p < at && !(word || c == '_' || c == '%' || c == '+'))
            return 0;
        if (p > at && !word)
            return 0;
    }
    return 1;
}

/* Certbot's get_email(): an empty answer (and the non-interactive
 * default) means no email; an invalid one is asked again.  *email is
 * caller-freed. */
static int ask_email(char **email, struct cb_err *err)
{
    static const char q[] = "Enter email address or hit Enter to skip.\n";
    const char *prefix = "";
    char *prompt = NULL;
    int r;

    *email = NULL;
    if (!display_is_interactive()) {
        *email = strdup("");
        return *email ? CB_OK : cb_err_set(err, CB_ERR_NOMEM, "out of memory");
    }
    for (;;) {
        if (asprintf(&prompt, "%s%s", prefix, q) < 0)
            return cb_err_set(err, CB_ERR_NOMEM, "out of memory");
        r = display_input(prompt, NULL, email, err);
        free(prompt);
        if (r == CB_ERR_CANCELLED)
            return cb_err_replace(err, r, "Error getting email address.");
        if (r != CB_OK || **email == '\0' || email_ok(*email))
            return r;
        log_error("Invalid email address: %s.", *email);
        free(*email);
        *email = NULL;
        prefix = "There is a problem with your email address. ";
    }
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
        r = ask_email(&asked, err);
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
