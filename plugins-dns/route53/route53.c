/* dns-route53: dns-01 through AWS Route 53, as certbot-dns-route53 does.
 *
 * A full authenticator rather than a cb_dns_provider: like Certbot's
 * plugin (which has had no options since 3.0) it waits for Route 53 to
 * report each change INSYNC instead of sleeping a propagation delay, so
 * the core adds no --dns-route53-propagation-seconds flag.
 *
 * All values of one record name form one TXT record set (a wildcard and
 * its base domain share _acme-challenge.<domain>): perform UPSERTs the
 * whole set; cleanup UPSERTs what remains, or DELETEs the set when the
 * last value goes. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>

#include <certbot/plugin.h>

#include "buf.h"
#include "r53_api.h"

/* Certbot polls GetChange every 5 s, 120 times (10 minutes).  Tests
 * shorten the interval with CERTBOT_ROUTE53_POLL_MS; the count stays. */
#define POLL_TRIES 120
#define POLL_MS_DEFAULT 5000L

struct rrset {
    char *name;      /* "_acme-challenge.example.com" */
    char **values;   /* quoted TXT values ("\"abc\"") now in the set */
    size_t n;
    char *change_id; /* the set's last change */
};

struct r53 {
    struct r53_client api;
    struct rrset *sets;
    size_t nsets;
    int attempt_cleanup;   /* perform ran: cleanup has work to do */
};

static int r53_create(const struct cb_host *host, struct cb_handle *h,
                      void **ctx)
{
    struct r53 *r = calloc(1, sizeof(*r));
    int rc;

    if (!r)
        return CB_ERR_NOMEM;
    rc = r53_client_init(&r->api, host, h);
    if (rc != CB_OK) {
        r53_client_free(&r->api);
        free(r);
        return rc;
    }
    *ctx = r;
    return CB_OK;
}

static void r53_destroy(void *ctx)
{
    struct r53 *r = ctx;

    if (!r)
        return;
    for (size_t i = 0; i < r->nsets; i++) {
        for (size_t j = 0; j < r->sets[i].n; j++)
            free(r->sets[i].values[j]);
        free(r->sets[i].values);
        free(r->sets[i].name);
        free(r->sets[i].change_id);
    }
    free(r->sets);
    r53_client_free(&r->api);
    free(r);
}

static int r53_chall_pref(void *ctx, const char *ident, uint32_t *types,
                          size_t *n)
{
    (void)ctx;
    (void)ident;
    if (*n < 1)
        return CB_ERR_INVAL;
    types[0] = CB_CHALL_DNS01;
    *n = 1;
    return CB_OK;
}

static struct rrset *rrset_get(struct r53 *r, const char *name)
{
    struct rrset *s;

    for (size_t i = 0; i < r->nsets; i++)
        if (strcmp(r->sets[i].name, name) == 0)
            return &r->sets[i];
    s = realloc(r->sets, (r->nsets + 1) * sizeof(*s));
    if (!s)
        return NULL;
    r->sets = s;
    s = &r->sets[r->nsets];
    memset(s, 0, sizeof(*s));
    s->name = strdup(name);
    if (!s->name)
        return NULL;
    r->nsets++;
    return s;
}

static ssize_t rrset_find(const struct rrset *s, const char *quoted)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->values[i], quoted) == 0)
            return (ssize_t)i;
    return -1;
}

/* Adds (UPSERT) or removes (DELETE) one value of name's TXT set at Route
 * 53.  *change_id: the change to wait for (caller frees), NULL when
 * nothing was sent. */
static int change_txt(struct r53 *r, const char *action, const char *name,
                      const char *value, char **change_id)
{
    struct rrset *s = rrset_get(r, name);
    struct buf b = {0};
    char *quoted, *zone = NULL, *id = NULL;
    const char *one[1];
    ssize_t at;
    int rc;

    *change_id = NULL;
    buf_addf(&b, "\"%s\"", value);
    quoted = buf_steal(&b);
    if (!s || !quoted) {
        free(quoted);
        return r->api.host->fail(r->api.h, CB_ERR_NOMEM, "out of memory");
    }
    at = rrset_find(s, quoted);
    if (strcmp(action, "UPSERT") == 0) {
        /* Some CAs give a wildcard and its base domain the same value;
         * Route 53 refuses duplicate records: wait for the earlier
         * change instead. */
        if (at >= 0) {
            free(quoted);
            *change_id = s->change_id ? strdup(s->change_id) : NULL;
            return CB_OK;
        }
        char **v = realloc(s->values, (s->n + 1) * sizeof(*v));
        if (!v) {
            free(quoted);
            return r->api.host->fail(r->api.h, CB_ERR_NOMEM,
                                     "out of memory");
        }
        s->values = v;
        s->values[s->n++] = quoted;
        quoted = NULL;
    } else {
        if (at < 0) {          /* never added: nothing to remove */
            free(quoted);
            return CB_OK;
        }
        free(s->values[at]);
        memmove(&s->values[at], &s->values[at + 1],
                (s->n - (size_t)at - 1) * sizeof(*s->values));
        s->n--;
    }

    rc = r53_find_zone(&r->api, name, &zone);
    if (rc != CB_OK)
        goto out;
    if (s->n > 0) {
        rc = r53_change_txt(&r->api, zone, "UPSERT", name,
                            (const char *const *)s->values, s->n, &id);
    } else {
        /* DELETE must name the record set as it is: the last value */
        one[0] = quoted;
        rc = r53_change_txt(&r->api, zone, "DELETE", name, one, 1, &id);
    }
    if (rc != CB_OK)
        goto out;
    free(s->change_id);
    s->change_id = id;
    *change_id = id ? strdup(id) : NULL;
    if (id && !*change_id)
        rc = r->api.host->fail(r->api.h, CB_ERR_NOMEM, "out of memory");
out:
    free(zone);
    free(quoted);
    return rc;
}

static long poll_ms(void)
{
    const char *v = getenv("CERTBOT_ROUTE53_POLL_MS");
    char *end = NULL;
    long ms;

    if (!v || !*v)
        return POLL_MS_DEFAULT;
    ms = strtol(v, &end, 10);
    if (!end || *end || ms < 1 || ms > POLL_MS_DEFAULT)
        return POLL_MS_DEFAULT;
    return ms;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {.tv_sec = ms / 1000,
                          .tv_nsec = (ms % 1000) * 1000000L};

    /* nanosleep leaves the remainder in ts when a signal interrupts it */
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

/* GetChange until INSYNC, at most POLL_TRIES times. */
static int wait_for_change(struct r53 *r, const char *change_id)
{
    long ms = poll_ms();
    char *status = NULL;
    int rc = CB_OK;

    for (int i = 0; i < POLL_TRIES; i++) {
        free(status);
        rc = r53_get_change(&r->api, change_id, &status);
        if (rc != CB_OK)
            goto out;
        if (strcmp(status, "INSYNC") == 0)
            goto out;
        if (i + 1 < POLL_TRIES)
            sleep_ms(ms);
    }
    rc = r->api.host->fail(r->api.h, CB_ERR_PLUGIN,
                           "Timed out waiting for Route53 change. Current "
                           "status: %s", status ? status : "unknown");
out:
    free(status);
    return rc;
}

static int r53_perform(void *ctx, const struct cb_challenge *const *c,
                       size_t n)
{
    struct r53 *r = ctx;
    char **ids = calloc(n ? n : 1, sizeof(*ids));
    int rc = CB_OK;

    if (!ids)
        return CB_ERR_NOMEM;
    r->attempt_cleanup = 1;
    /* all changes first, then wait: Route 53 syncs them in parallel */
    for (size_t i = 0; i < n && rc == CB_OK; i++)
        rc = change_txt(r, "UPSERT", c[i]->validation_name,
                        c[i]->validation, &ids[i]);
    for (size_t i = 0; i < n && rc == CB_OK; i++)
        if (ids[i])
            rc = wait_for_change(r, ids[i]);
    for (size_t i = 0; i < n; i++)
        free(ids[i]);
    free(ids);
    return rc;
}

/* As in Certbot, a failed deletion is logged, not fatal: the record is
 * harmless and the certificate may already be issued. */
static int r53_cleanup(void *ctx, const struct cb_challenge *const *c,
                       size_t n)
{
    struct r53 *r = ctx;

    if (!r->attempt_cleanup)
        return CB_OK;
    for (size_t i = 0; i < n; i++) {
        char *id = NULL;

        r->api.err[0] = '\0';
        if (change_txt(r, "DELETE", c[i]->validation_name, c[i]->validation,
                       &id) != CB_OK)
            r->api.host->log(r->api.h, CB_LOG_DEBUG,
                             "Encountered error during cleanup: %s",
                             r->api.err[0] ? r->api.err : "(see above)");
        free(id);
    }
    return CB_OK;
}

static const char *r53_auth_hint(void *ctx, const struct cb_challenge *const *c,
                                 size_t n)
{
    (void)ctx;
    (void)c;
    (void)n;
    return "The Certificate Authority failed to verify the DNS TXT records "
           "created by --dns-route53. Ensure the above domains have their "
           "DNS hosted by AWS Route53.";
}

static const struct cb_authenticator r53_auth = {
    .struct_size = sizeof(struct cb_authenticator),
    .get_chall_pref = r53_chall_pref,
    .perform = r53_perform,
    .cleanup = r53_cleanup,
    .auth_hint = r53_auth_hint,
};

CB_PLUGIN_DEFINE(.name = "dns-route53", .version = "1.0.0",
                 .description = "Obtain certificates using a DNS TXT record "
                                "(if you are using AWS Route53 for DNS).",
                 .more_info = "Solve a DNS01 challenge using AWS Route53",
                 .create = r53_create, .destroy = r53_destroy,
                 .authenticator = &r53_auth);
