/* Generic DNS-01 authenticator: see dns.h. */
#define LOG_COMPONENT "certbot.plugins.dns_common"

#include "plugin/dns.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dns/cname.h"
#include "dns/journal.h"
#include "dns/propagation.h"
#include "dns/resolver.h"
#include "plugin/host.h"
#include "util/display.h"
#include "util/log.h"

/* Longer waits are a typo, not a DNS provider (Certbot has no bound; one
 * day keeps a bad value from hanging a renewal forever). */
#define MAX_PROPAGATION_SECONDS 86400L

int plugin_dns_chall_pref(uint32_t *types, size_t *n)
{
    if (*n < 1)
        return CB_ERR_INVAL;
    types[0] = CB_CHALL_DNS01;
    *n = 1;
    return CB_OK;
}

long plugin_dns_propagation(const struct plugin *p,
                            const struct cb_config *cfg)
{
    char *dest = plugin_option_dest(p->name, PLUGIN_DNS_PROPAGATION_OPT);
    const char *v = dest ? config_str(cfg, dest) : NULL;
    long secs = (long)p->desc->dns->default_propagation_seconds;

    if (v && v[0]) {
        char *end = NULL;
        long n;

        errno = 0;
        n = strtol(v, &end, 10);
        if (errno == 0 && end && *end == '\0' && n >= 0)
            secs = n;
    }
    free(dest);
    if (secs > MAX_PROPAGATION_SECONDS)
        secs = MAX_PROPAGATION_SECONDS;
    return secs;
}

/* "*.example.com" is validated at example.com. */
static const char *base_domain(const char *ident)
{
    if (ident && strncmp(ident, "*.", 2) == 0)
        return ident + 2;
    return ident;
}

void plugin_dns_state_free(struct plugin_dns_state *st)
{
    if (!st)
        return;
    dns_journal_free(st->journal);
    for (size_t i = 0; i < st->nnames; i++)
        free(st->names[i]);
    free(st->names);
    free(st->added);
    memset(st, 0, sizeof(*st));
}

static void forget_names(struct plugin_dns_state *st)
{
    for (size_t i = 0; i < st->nnames; i++)
        free(st->names[i]);
    free(st->names);
    free(st->added);
    st->names = NULL;
    st->added = NULL;
    st->nnames = 0;
}

/* Records an earlier run added and never deleted (it was killed between
 * add_txt and del_txt): delete them now, with the credentials of this
 * run.  A failure only warns; the entry stays for the next run. */
static void delete_leftovers(const struct plugin *p, void *ctx,
                             struct dns_journal *j)
{
    const struct cb_dns_provider *dns = p->desc->dns;
    size_t i = 0;

    while (i < dns_journal_count(j)) {
        const struct dns_journal_entry *e = dns_journal_get(j, i);
        struct cb_err err = {0};
        int r;

        log_info("Deleting TXT record %s left behind by an earlier run "
                 "(recorded in %s)", e->name, dns_journal_path(j));
        r = dns->del_txt(ctx, e->domain, e->name, e->value);
        if (r != CB_OK) {
            log_warning("Could not delete the TXT record %s left behind by "
                        "an earlier run: %s", e->name, cb_status_str(r));
            i++;
            continue;
        }
        /* removal shifts the next entry into slot i */
        if (dns_journal_remove(j, e->name, e->value, &err) != CB_OK) {
            log_warning("%s", err.msg);
            i++;
        }
    }
}

/* The journal of this plugin, opened once per instance. */
static int journal_ready(const struct plugin *p, void *ctx,
                         const struct cb_config *cfg,
                         struct plugin_dns_state *st, struct cb_err *err)
{
    const char *work_dir = config_str(cfg, "work_dir");
    int r;

    if (st->journal)
        return CB_OK;
    if (!work_dir)
        return cb_err_set(err, CB_ERR_CONFIG, "no work directory");
    r = dns_journal_open(work_dir, p->name, &st->journal, err);
    if (r != CB_OK)
        return r;
    if (!st->recovered && dns_journal_count(st->journal) > 0)
        delete_leftovers(p, ctx, st->journal);
    st->recovered = 1;
    return CB_OK;
}

/* Where the record for name goes: the end of its CNAME chain, or name.
 * Caller frees. */
static char *record_name(const struct dns_servers *rec, const char *name)
{
    struct cb_err why = {0};
    char *target = NULL;

    if (rec->n == 0)
        return strdup(name);
    if (dns_cname_follow(rec, name, &target, &why) != CB_OK) {
        log_debug("Not following a CNAME at %s: %s", name, why.msg);
        return strdup(name);
    }
    if (!target)
        return strdup(name);
    log_info("%s is an alias (CNAME) of %s; the TXT record is added there",
             name, target);
    return target;
}

int plugin_dns_perform(const struct plugin *p, void *ctx,
                       const struct cb_config *cfg,
                       struct plugin_dns_state *st,
                       const struct cb_challenge *const *c, size_t n,
                       struct cb_err *err)
{
    const struct cb_dns_provider *dns = p->desc->dns;
    struct dns_servers rec = {0};
    struct dns_record *recs = NULL;
    struct cb_err why = {0};
    long secs;
    int r;

    if (!st->setup_done && dns->setup_credentials) {
        r = dns->setup_credentials(ctx);
        if (r != CB_OK)
            return r;
    }
    st->setup_done = 1;
    r = journal_ready(p, ctx, cfg, st, err);
    if (r != CB_OK)
        return r;
    if (n == 0)
        return CB_OK;
    forget_names(st);
    st->names = calloc(n, sizeof(*st->names));
    st->added = calloc(n, 1);
    recs = calloc(n, sizeof(*recs));
    if (!st->names || !st->added || !recs) {
        r = cb_err_set(err, CB_ERR_NOMEM, "out of memory");
        goto out;
    }
    st->nnames = n;
    if (dns_recursive_servers(&rec, &why) != CB_OK)
        log_debug("Not looking for CNAMEs: %s", why.msg);
    for (size_t i = 0; i < n; i++) {
        const char *domain = base_domain(c[i]->identifier);

        st->names[i] = record_name(&rec, c[i]->validation_name);
        if (!st->names[i]) {
            r = cb_err_set(err, CB_ERR_NOMEM, "out of memory");
            goto out;
        }
        if (strcmp(st->names[i], c[i]->validation_name) != 0)
            domain = st->names[i];
        /* on disk before the record exists anywhere */
        r = dns_journal_add(st->journal, domain, st->names[i],
                            c[i]->validation, err);
        if (r != CB_OK)
            goto out;
        r = dns->add_txt(ctx, domain, st->names[i], c[i]->validation);
        if (r != CB_OK)
            goto out;
        st->added[i] = 1;
        recs[i].name = st->names[i];
        recs[i].value = c[i]->validation;
    }
    secs = plugin_dns_propagation(p, cfg);
    display_notifyf(0, "Waiting %ld seconds for DNS changes to propagate",
                    secs);
    r = dns_propagation_wait(recs, n, secs, err);
out:
    dns_servers_free(&rec);
    free(recs);
    return r;
}

int plugin_dns_cleanup(const struct plugin *p, void *ctx,
                       struct plugin_dns_state *st,
                       const struct cb_challenge *const *c, size_t n)
{
    const struct cb_dns_provider *dns = p->desc->dns;
    int first = CB_OK;

    /* Like Certbot's _attempt_cleanup: nothing was added before the
     * credentials were set up. */
    if (!st->setup_done)
        return CB_OK;
    /* Every record is attempted even after a failure: a left-over TXT
     * record is harmless but each deletion is independent. */
    for (size_t i = 0; i < n; i++) {
        const char *name = c[i]->validation_name;
        const char *domain = base_domain(c[i]->identifier);
        struct cb_err err = {0};
        int r;

        if (i < st->nnames && st->names[i] &&
            strcmp(st->names[i], name) != 0) {
            name = st->names[i];
            domain = st->names[i];
        }
        r = dns->del_txt(ctx, domain, name, c[i]->validation);
        if (r != CB_OK) {
            log_warning("Encountered error deleting TXT record %s: %s",
                        name, cb_status_str(r));
            if (first == CB_OK)
                first = r;
            continue;
        }
        if (st->journal &&
            dns_journal_remove(st->journal, name, c[i]->validation,
                               &err) != CB_OK)
            log_warning("%s", err.msg);
    }
    forget_names(st);
    return first;
}
