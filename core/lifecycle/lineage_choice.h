/* What to do with the requested names given the existing lineages
 * (SPEC 4.3): a new lineage, a new version of an existing one, or keep.
 *
 * Ownership: struct lineage_choice owns the lineage and names. */
#ifndef CB_LIFECYCLE_LINEAGE_CHOICE_H
#define CB_LIFECYCLE_LINEAGE_CHOICE_H

#include "cli/config.h"
#include "storage/lineage.h"
#include "util/err.h"
#include "util/strvec.h"

enum lineage_action { LA_NEW, LA_RENEW, LA_KEEP };

struct lineage_choice {
    enum lineage_action action;
    struct lineage *lineage;     /* NULL for LA_NEW */
};

/* names: the requested DNS names and IPs together (certonly passes both). */
int lineage_choose(struct cb_config *cfg, const struct strvec *names,
                   struct lineage_choice *out, struct cb_err *err);
void lineage_choice_free(struct lineage_choice *c);

/* Certbot's get_certnames: --cert-name, else every lineage offered in a
 * checklist (allow_multiple) or a menu, asking "Which certificate(s)
 * would you like to <verb>?" (or "Which certificate ...").  Appends the
 * chosen names to out.  "No existing certificates found." without any;
 * "User ended interaction." when cancelled or nothing was chosen. */
int lineage_choose_names(const struct cb_config *cfg, const char *verb,
                         int allow_multiple, struct strvec *out,
                         struct cb_err *err);

/* The identifiers (DNS then IPs) of a lineage's current certificate. */
int lineage_names(const struct lineage *l, struct strvec *out,
                  struct cb_err *err);

#endif
