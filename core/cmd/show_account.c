/* show_account: ask the server for the account and print it (SPEC 1;
 * A-040..A-042). */
#define LOG_COMPONENT "certbot._internal.main"

#include <stdlib.h>
#include <string.h>

#include "acme/jws.h"
#include "cmd/cmd.h"
#include "lifecycle/session.h"
#include "storage/account_store.h"
#include "util/display.h"
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

/* The mailto: contacts of the account object, without the scheme. */
static void mail_contacts(const json_t *body, struct strvec *out)
{
    const json_t *contact = json_object_get(body, "contact");
    size_t i;
    json_t *v;

    json_array_foreach(contact, i, v) {
        const char *c = json_string_value(v);
        if (c && strncmp(c, "mailto:", 7) == 0)
            strvec_push(out, c + 7);
    }
}

int cmd_show_account(struct cmd_ctx *ctx, struct cb_err *err)
{
    struct cb_config *cfg = ctx->cfg;
    struct session s = {0};
    struct strvec emails = {0};
    char *thumb = NULL, *joined = NULL;
    json_t *body = NULL;
    int r;

    r = have_account(cfg, err);
    if (r != CB_OK)
        goto out;
    r = session_open(cfg, &s, err);
    if (r != CB_OK)
        goto out;
    r = session_account(cfg, &s, 0, err);
    if (r != CB_OK)
        goto out;
    r = acme_account_get(s.acme, &body, err);
    if (r != CB_OK)
        goto out;
    thumb = jwk_thumbprint(s.account->key);
    mail_contacts(body, &emails);
    joined = emails.n ? strvec_join(&emails, ", ") : strdup("none");
    if (!thumb || !joined) {
        r = cb_err_set(err, CB_ERR_NOMEM, "out of memory");
        goto out;
    }
    display_notifyf(0,
                    "Account details for server %s:\n"
                    "  Account URL: %s\n"
                    "  Account Thumbprint: %s\n"
                    "  Email contact%s: %s",
                    config_str(cfg, "server"), s.account->uri, thumb,
                    emails.n > 1 ? "s" : "", joined);
out:
    json_decref(body);
    session_close(&s);
    strvec_clear(&emails);
    free(thumb);
    free(joined);
    return r;
}
