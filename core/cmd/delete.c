/* delete: remove a lineage's renewal conf, live links and archive
 * (SPEC 1, 4.11; A-219..A-223).  revoke reuses this verb for its
 * delete-after-revoke step with dest certname set. */
#define LOG_COMPONENT "certbot._internal.cert_manager"

#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "lifecycle/lineage_choice.h"
#include "storage/lineage.h"
#include "util/display.h"
#include "util/log.h"
#include "util/strvec.h"

#define DELETE_WARNING                                                        \
    "WARNING: Before continuing, ensure that the listed certificates are "    \
    "not being used by any installed server software (e.g. Apache, nginx, "   \
    "mail servers). Deleting a certificate that is still being used will "    \
    "cause the server software to stop working. See "                         \
    "https://certbot.org/deleting-certs for information on deleting "         \
    "certificates safely."

static int confirm(const struct strvec *names, int *yes, struct cb_err *err)
{
    struct strvec msg = {0};
    char *text;
    int r;

    strvec_push(&msg, "The following certificate(s) are selected for "
                      "deletion:\n");
    for (size_t i = 0; i < names->n; i++)
        strvec_pushf(&msg, "  * %s", names->v[i]);
    strvec_push(&msg, "\n" DELETE_WARNING);
    strvec_push(&msg, "\nAre you sure you want to delete the above "
                      "certificate(s)?");
    text = strvec_join(&msg, "\n");
    strvec_clear(&msg);
    if (!text)
        return cb_err_set(err, CB_ERR_NOMEM, "out of memory");
    r = display_yesno(text, "Yes", "No", 1, NULL, yes, err);
    free(text);
    return r;
}

int cmd_delete(struct cmd_ctx *ctx, struct cb_err *err)
{
    struct cb_config *cfg = ctx->cfg;
    struct strvec names = {0};
    int yes = 0, r;

    r = lineage_choose_names(cfg, "delete", 1, &names, err);
    if (r != CB_OK)
        goto out;
    r = confirm(&names, &yes, err);
    if (r != CB_OK)
        goto out;
    if (!yes) {
        log_info("Deletion of certificate(s) canceled.");
        goto out;
    }
    for (size_t i = 0; i < names.n; i++) {
        r = lineage_delete(config_str(cfg, "config_dir"), names.v[i], err);
        if (r != CB_OK)
            goto out;
        display_notifyf(0, "Deleted all files relating to certificate %s.",
                        names.v[i]);
    }
out:
    strvec_clear(&names);
    return r;
}
