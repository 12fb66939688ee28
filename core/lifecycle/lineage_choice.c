#define LOG_COMPONENT "certbot._internal.main"

#include "lifecycle/lineage_choice.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto/cert.h"
#include "lifecycle/names.h"
#include "lifecycle/renew_decision.h"
#include "util/display.h"
#include "util/log.h"

int lineage_names(const struct lineage *l, struct strvec *out,
                  struct cb_err *err)
{
    struct cert_info ci = {0};
    int r;

    r = cert_info_load(l->path[LK_CERT], &ci, err);
    if (r != CB_OK)
        return r;
    for (size_t i = 0; r == CB_OK && i < ci.dns.n; i++)
        r = strvec_push(out, ci.dns.v[i]);
    for (size_t i = 0; r == CB_OK && i < ci.ips.n; i++)
        r = strvec_push(out, ci.ips.v[i]);
    cert_info_free(&ci);
    return r;
}

/* Every loadable lineage; broken ones are skipped (logged). */
static int load_all(const char *config_dir, struct lineage ***out, size_t *n,
                    struct cb_err *err)
{
    struct strvec confs = {0};
    struct lineage **list = NULL;
    int r;

    *n = 0;
    r = lineage_list_confs(config_dir, &confs, err);
    if (r != CB_OK)
        return r;
    list = calloc(confs.n + 1, sizeof(*list));
    if (!list) {
        strvec_clear(&confs);
        return cb_err_set(err, CB_ERR_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < confs.n; i++) {
        struct cb_err e = {0};
        if (lineage_load(confs.v[i], config_dir, &list[*n], &e) == CB_OK)
            (*n)++;
        else
            log_debug("Skipping %s: %s", confs.v[i], cb_err_msg(&e));
    }
    strvec_clear(&confs);
    *out = list;
    return CB_OK;
}

static void free_all(struct lineage **list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        lineage_free(list[i]);
    free(list);
}

/* The identical-names case: renew if due or forced, else keep. */
static int identical_case(struct cb_config *cfg, struct lineage *l,
                          struct lineage_choice *out, struct cb_err *err)
{
    static const char *const items[] = {
        "Keep the existing certificate for now",
        "Renew & replace the certificate (may be subject to CA rate limits)",
    };
    size_t choice = 0;
    char q[4096];
    int r;

    out->lineage = l;
    if (config_bool(cfg, "renew_by_default") || config_bool(cfg, "dry_run") ||
        lineage_should_autorenew(l, (int64_t)time(NULL))) {
        out->action = LA_RENEW;
        return CB_OK;
    }
    if (config_bool(cfg, "reinstall") || !display_is_interactive()) {
        out->action = LA_KEEP;
        return CB_OK;
    }
    snprintf(q, sizeof(q),
             "You have an existing certificate that has exactly the same "
             "domains or certificate name you requested and isn't close to "
             "expiry.\n(ref: %s)\n\nWhat would you like to do?",
             l->conf->path);
    r = display_menu(q, items, 2, 0, "--keep", &choice, err);
    if (r != CB_OK)
        return r;
    out->action = choice == 1 ? LA_RENEW : LA_KEEP;
    return CB_OK;
}

static int expand_case(struct cb_config *cfg, struct lineage *l,
                       const struct strvec *have, const struct strvec *want,
                       struct lineage_choice *out, struct cb_err *err)
{
    char *h = strvec_join(have, ", "), *w = strvec_join(want, ", ");
    char q[4096];
    int yes = 0, r;

    out->lineage = l;
    out->action = LA_RENEW;
    if (config_bool(cfg, "expand") || config_bool(cfg, "renew_by_default")) {
        r = CB_OK;
        goto out;
    }
    snprintf(q, sizeof(q),
             "You have an existing certificate that contains a portion of "
             "the domains you requested (ref: %s)\n\nIt contains these "
             "names: %s\n\nYou requested these names for the new "
             "certificate: %s.\n\nDo you want to expand and replace this "
             "existing certificate with the new certificate?",
             l->conf->path, h ? h : "", w ? w : "");
    r = display_yesno(q, "Expand", "Cancel", -1, "--expand", &yes, err);
    if (r == CB_OK && !yes) {
        display_notifyf(0,
                        "To obtain a new certificate that contains these "
                        "names without replacing your existing certificate "
                        "for %s, you must use the --duplicate option.\n\n"
                        "For example:\n\n%s --duplicate %s",
                        h ? h : "", "certbot", config_verb(cfg));
        r = cb_err_set(err, CB_ERR_CANCELLED,
                       "User chose to cancel the operation and may "
                       "reinvoke the client.");
    }
out:
    free(h);
    free(w);
    return r;
}

int lineage_choose(struct cb_config *cfg, const struct strvec *names,
                   struct lineage_choice *out, struct cb_err *err)
{
    const char *config_dir = config_str(cfg, "config_dir");
    const char *certname = config_str(cfg, "certname");
    struct lineage **all = NULL, *best = NULL;
    struct strvec best_names = {0};
    size_t n = 0, best_n = 0;
    int r;

    memset(out, 0, sizeof(*out));
    out->action = LA_NEW;
    if (config_bool(cfg, "duplicate"))
        return CB_OK;
    r = load_all(config_dir, &all, &n, err);
    if (r != CB_OK)
        return r;

    for (size_t i = 0; i < n; i++) {
        struct strvec have = {0};
        if (certname && strcmp(all[i]->name, certname) != 0)
            continue;
        if (lineage_names(all[i], &have, err) != CB_OK) {
            cb_err_reset(err);
            continue;
        }
        if (certname) {
            /* --cert-name with other names replaces them;
             * the confirmation defaults to yes. */
            if (names->n && !names_equal_sets(&have, names) &&
                !config_bool(cfg, "renew_with_new_domains") &&
                display_is_interactive()) {
                int yes = 1;
                r = display_yesno("Do you want to update certificate to "
                                  "include the new domain(s)?",
                                  "Update", "Cancel", 1,
                                  "--renew-with-new-domains", &yes, err);
                if (r == CB_OK && !yes)
                    r = cb_err_set(err, CB_ERR_CANCELLED,
                                   "Specified mismatched certificate name "
                                   "and domains.");
                if (r != CB_OK) {
                    strvec_clear(&have);
                    goto out;
                }
            }
            if (names->n && !names_equal_sets(&have, names)) {
                out->action = LA_RENEW;
                out->lineage = all[i];
                all[i] = NULL;
            } else {
                r = identical_case(cfg, all[i], out, err);
                all[i] = NULL;
            }
            strvec_clear(&have);
            goto out;
        }
        if (names_equal_sets(&have, names)) {
            r = identical_case(cfg, all[i], out, err);
            all[i] = NULL;
            strvec_clear(&have);
            strvec_clear(&best_names);
            goto out;
        }
        /* Largest existing lineage whose names are a subset. */
        if (names_subset(&have, names) && have.n > best_n) {
            best = all[i];
            best_n = have.n;
            strvec_clear(&best_names);
            best_names = have;
            continue;
        }
        strvec_clear(&have);
    }
    if (best) {
        for (size_t i = 0; i < n; i++)
            if (all[i] == best)
                all[i] = NULL;
        r = expand_case(cfg, best, &best_names, names, out, err);
        if (r != CB_OK) {
            lineage_free(best);
            out->lineage = NULL;
        }
    }
out:
    strvec_clear(&best_names);
    free_all(all, n);
    return r;
}

void lineage_choice_free(struct lineage_choice *c)
{
    lineage_free(c->lineage);
    c->lineage = NULL;
}
