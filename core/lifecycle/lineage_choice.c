#define LOG_COMPONENT "certbot._internal.main"

#include "lifecycle/lineage_choice.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "crypto/cert.h"
#include "crypto/key.h"
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

/* Every loadable lineage; broken ones are skipped (logged).  Loading
 * only repairs previous_* leftovers: deploying a newer archive version is
 * the identical-names case's business (Certbot's ensure_deployed). */
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
        if (lineage_load_ex(confs.v[i], config_dir, LINEAGE_LOAD_NO_DEPLOY,
                            &list[*n], &e) == CB_OK)
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

static void upper(const char *in, char *out, size_t len)
{
    size_t i;

    for (i = 0; in[i] && i + 1 < len; i++)
        out[i] = (char)toupper((unsigned char)in[i]);
    out[i] = '\0';
}

/* The key-type guard of certonly/run (SPEC 4.3, A-102..A-104): a lineage
 * never changes key type by accident.  *changing is 1 when the user asked
 * for the change (--key-type with --cert-name, or yes at the prompt);
 * when --key-type was not set the lineage keeps its type (the config's
 * key_type becomes the lineage's). */
static int key_type_guard(struct cb_config *cfg, const struct lineage *l,
                          int *changing, struct cb_err *err)
{
    const char *want = config_str(cfg, "key_type");
    const char *have;
    EVP_PKEY *key = NULL;
    struct cb_err ignore = {0};
    char cur[16], nw[16], q[1024];
    int yes = 0, r = CB_OK;

    *changing = 0;
    if (!want)
        want = "ecdsa";
    if (key_load_file(l->path[LK_PRIVKEY], &key, &ignore) != CB_OK)
        return CB_OK;    /* unreadable key: nothing to compare */
    have = key_type(key);
    if (!have || strcasecmp(have, want) == 0)
        goto out;
    upper(have, cur, sizeof(cur));
    upper(want, nw, sizeof(nw));
    if (config_is_set(cfg, "key_type") && config_is_set(cfg, "certname")) {
        *changing = 1;
        goto out;
    }
    snprintf(q, sizeof(q),
             "An %s certificate named %s already exists. Do you want to "
             "update its key type to %s?", cur, l->name, nw);
    r = display_yesno(q, "Update key type", "Keep existing key type", 0,
                      NULL, &yes, err);
    if (r != CB_OK)
        goto out;
    if (yes) {
        /* Record the answer so the new key gets the chosen type even
         * when it was only the default (copy: want may be cfg's). */
        char chosen[16];
        snprintf(chosen, sizeof(chosen), "%s", want);
        *changing = 1;
        if (config_set(cfg, "key_type", chosen, CONFIG_RUNTIME) != CB_OK)
            r = cb_err_set(err, CB_ERR_NOMEM, "out of memory");
        goto out;
    }
    if (config_is_set(cfg, "key_type")) {
        r = cb_err_set(err, CB_ERR_CONFIG,
                       "Are you trying to change the key type of the "
                       "certificate named %s from %s to %s? Please provide "
                       "both --cert-name and --key-type on the command line "
                       "to confirm the change you are trying to make.",
                       l->name, cur, nw);
        goto out;
    }
    /* Only the default differs: keep the lineage's key type. */
    r = config_set(cfg, "key_type", have, CONFIG_RUNTIME);
    if (r != CB_OK)
        r = cb_err_set(err, r, "out of memory");
out:
    EVP_PKEY_free(key);
    return r;
}

/* The identical-names case: deploy a newer archive version if live lags
 * (then keep), renew if the key type changes, if due or forced, else keep
 * (--keep) or ask (the default being keep). */
static int identical_case(struct cb_config *cfg, struct lineage *l,
                          struct lineage_choice *out, struct cb_err *err)
{
    static const char *const items[] = {
        "Keep the existing certificate for now",
        "Renew & replace the certificate (may be subject to CA rate limits)",
    };
    size_t choice = 0;
    char q[4096];
    int changing = 0, fixed, r;

    out->lineage = l;
    r = key_type_guard(cfg, l, &changing, err);
    if (r != CB_OK)
        return r;
    fixed = lineage_ensure_deployed(l, err);
    if (fixed < 0)
        return fixed;
    if (fixed > 0) {
        out->action = LA_KEEP;
        return CB_OK;
    }
    if (changing || config_bool(cfg, "renew_by_default") ||
        config_bool(cfg, "dry_run") ||
        lineage_should_autorenew(l, (int64_t)time(NULL))) {
        out->action = LA_RENEW;
        return CB_OK;
    }
    if (config_bool(cfg, "reinstall")) {
        out->action = LA_KEEP;
        return CB_OK;
    }
    snprintf(q, sizeof(q),
             "You have an existing certificate that has exactly the same "
             "domains or certificate name you requested and isn't close to "
             "expiry.\n(ref: %s)\n\nWhat would you like to do?",
             l->conf->path);
    r = display_menu(q, items, 2, 0, "--keep", &choice, err);
    if (r == CB_ERR_CANCELLED)
        return cb_err_replace(err, r, "Operation canceled. You may re-run "
                              "the client.");
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
    int changing = 0, yes = 0, r;

    out->lineage = l;
    out->action = LA_RENEW;
    r = key_type_guard(cfg, l, &changing, err);
    if (r != CB_OK)
        goto out;
    if (config_bool(cfg, "expand") || config_bool(cfg, "renew_by_default"))
        goto out;
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

/* "\n(None)" or "\n+ a\n+ b": Certbot's list of added/removed names. */
static char *format_list(char ch, const struct strvec *v)
{
    struct strvec lines = {0};
    char *s;

    if (v->n == 0)
        return strdup("\n(None)");
    for (size_t i = 0; i < v->n; i++)
        if (strvec_pushf(&lines, "\n%c %s", ch, v->v[i]) != CB_OK) {
            strvec_clear(&lines);
            return NULL;
        }
    s = strvec_join(&lines, "");
    strvec_clear(&lines);
    return s;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* --cert-name N -d <other names>: confirm replacing N's names (default
 * yes; --renew-with-new-domains skips the question). */
static int confirm_new_names(struct cb_config *cfg, const char *certname,
                             const struct strvec *have,
                             const struct strvec *want, struct cb_err *err)
{
    struct strvec added = {0}, removed = {0};
    char *a = NULL, *d = NULL, *q = NULL;
    int yes = 1, r = CB_OK;

    if (config_bool(cfg, "renew_with_new_domains"))
        return CB_OK;
    for (size_t i = 0; r == CB_OK && i < want->n; i++)
        if (!strvec_contains(have, want->v[i]) &&
            !strvec_contains(&added, want->v[i]))
            r = strvec_push(&added, want->v[i]);
    for (size_t i = 0; r == CB_OK && i < have->n; i++)
        if (!strvec_contains(want, have->v[i]) &&
            !strvec_contains(&removed, have->v[i]))
            r = strvec_push(&removed, have->v[i]);
    if (r != CB_OK)
        goto nomem;
    if (added.n > 1)
        qsort(added.v, added.n, sizeof(*added.v), cmp_str);
    if (removed.n > 1)
        qsort(removed.v, removed.n, sizeof(*removed.v), cmp_str);
    a = format_list('+', &added);
    d = format_list('-', &removed);
    if (!a || !d ||
        asprintf(&q, "You are updating certificate %s to include new "
                 "domain(s): %s\n\nYou are also removing previously included "
                 "domain(s): %s\n\nDid you intend to make this change?",
                 certname, a, d) < 0) {
        q = NULL;
        goto nomem;
    }
    r = display_yesno(q, "Update certificate", "Cancel", 1, NULL, &yes, err);
    if (r == CB_OK && !yes)
        r = cb_err_set(err, CB_ERR_CONFIG,
                       "Specified mismatched certificate name and domains.");
    goto out;
nomem:
    r = cb_err_set(err, CB_ERR_NOMEM, "out of memory");
out:
    free(a);
    free(d);
    free(q);
    strvec_clear(&added);
    strvec_clear(&removed);
    return r;
}

/* --cert-name N: N's lineage (A-096..A-100). */
static int certname_case(struct cb_config *cfg, struct lineage *l,
                         const struct strvec *names,
                         struct lineage_choice *out, struct cb_err *err)
{
    struct strvec have = {0};
    int changing = 0, r;

    out->lineage = l;
    if (lineage_names(l, &have, err) != CB_OK) {
        cb_err_reset(err);
        strvec_clear(&have);
    }
    if (names->n && have.n && !names_equal_sets(&have, names)) {
        out->action = LA_RENEW;
        r = key_type_guard(cfg, l, &changing, err);
        if (r == CB_OK)
            r = confirm_new_names(cfg, l->name, &have, names, err);
    } else {
        r = identical_case(cfg, l, out, err);
    }
    strvec_clear(&have);
    return r;
}

int lineage_choose(struct cb_config *cfg, const struct strvec *names,
                   struct lineage_choice *out, struct cb_err *err)
{
    const char *config_dir = config_str(cfg, "config_dir");
    const char *certname = config_str(cfg, "certname");
    struct lineage **all = NULL, *best = NULL, *same = NULL;
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

    if (certname) {
        for (size_t i = 0; i < n; i++) {
            if (strcmp(all[i]->name, certname) != 0)
                continue;
            same = all[i];
            all[i] = NULL;
            break;
        }
        /* No such lineage: a new one named certname (the caller needs
         * names for it). */
        if (same)
            r = certname_case(cfg, same, names, out, err);
        goto out;
    }

    for (size_t i = 0; i < n; i++) {
        struct strvec have = {0};
        if (lineage_names(all[i], &have, err) != CB_OK) {
            cb_err_reset(err);
            strvec_clear(&have);
            continue;
        }
        if (names_equal_sets(&have, names)) {
            same = all[i];
        } else if (names_subset(&have, names) && have.n > best_n) {
            /* Largest existing lineage whose names are a subset. */
            best = all[i];
            best_n = have.n;
            strvec_clear(&best_names);
            best_names = have;
            continue;
        }
        strvec_clear(&have);
    }
    /* An identical lineage wins over a subset one. */
    if (same) {
        for (size_t i = 0; i < n; i++)
            if (all[i] == same)
                all[i] = NULL;
        r = identical_case(cfg, same, out, err);
    } else if (best) {
        for (size_t i = 0; i < n; i++)
            if (all[i] == best)
                all[i] = NULL;
        r = expand_case(cfg, best, &best_names, names, out, err);
    }
out:
    if (r != CB_OK) {
        lineage_free(out->lineage);
        out->lineage = NULL;
    }
    strvec_clear(&best_names);
    free_all(all, n);
    return r;
}

void lineage_choice_free(struct lineage_choice *c)
{
    lineage_free(c->lineage);
    c->lineage = NULL;
}

int lineage_choose_names(const struct cb_config *cfg, const char *verb,
                         int allow_multiple, struct strvec *out,
                         struct cb_err *err)
{
    const char *certname = config_str(cfg, "certname");
    struct strvec all = {0};
    char q[128];
    size_t before = out->n, choice = 0;
    int r;

    if (certname)
        return strvec_push(out, certname) == 0
                   ? CB_OK : cb_err_set(err, CB_ERR_NOMEM, "out of memory");
    r = lineage_list_names(config_str(cfg, "config_dir"), &all, err);
    if (r != CB_OK)
        goto out;
    if (all.n == 0) {
        r = cb_err_set(err, CB_ERR_NOT_FOUND,
                       "No existing certificates found.");
        goto out;
    }
    snprintf(q, sizeof(q), "Which certificate%s would you like to %s?",
             allow_multiple ? "(s)" : "", verb);
    if (allow_multiple) {
        r = display_checklist(q, (const char *const *)all.v, all.n,
                              "--cert-name", out, err);
    } else {
        r = display_menu(q, (const char *const *)all.v, all.n, -1,
                         "--cert-name", &choice, err);
        if (r == CB_OK && strvec_push(out, all.v[choice]) != 0)
            r = cb_err_set(err, CB_ERR_NOMEM, "out of memory");
    }
    if (r == CB_ERR_CANCELLED || (r == CB_OK && out->n == before))
        r = cb_err_replace(err, CB_ERR_CANCELLED, "User ended interaction.");
out:
    strvec_clear(&all);
    return r;
}
