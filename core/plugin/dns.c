/* Generic DNS-01 authenticator: see dns.h. */
#define LOG_COMPONENT "certbot.plugins.dns_common"

#include "plugin/dns.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

static void sleep_seconds(long secs)
{
    struct timespec ts = {.tv_sec = secs, .tv_nsec = 0};

    /* nanosleep shortens ts on EINTR; the loop ends when it completes or
     * fails for another reason. */
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

int plugin_dns_perform(const struct plugin *p, void *ctx,
                       const struct cb_config *cfg,
                       struct plugin_dns_state *st,
                       const struct cb_challenge *const *c, size_t n)
{
    const struct cb_dns_provider *dns = p->desc->dns;
    long secs;
    int r;

    if (!st->setup_done && dns->setup_credentials) {
        r = dns->setup_credentials(ctx);
        if (r != CB_OK)
            return r;
    }
    st->setup_done = 1;
    for (size_t i = 0; i < n; i++) {
        r = dns->add_txt(ctx, base_domain(c[i]->identifier),
                         c[i]->validation_name, c[i]->validation);
        if (r != CB_OK)
            return r;
    }
    if (n == 0)
        return CB_OK;
    secs = plugin_dns_propagation(p, cfg);
    display_notifyf(0, "Waiting %ld seconds for DNS changes to propagate",
                    secs);
    sleep_seconds(secs);
    return CB_OK;
}

int plugin_dns_cleanup(const struct plugin *p, void *ctx,
                       const struct plugin_dns_state *st,
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
        int r = dns->del_txt(ctx, base_domain(c[i]->identifier),
                             c[i]->validation_name, c[i]->validation);

        if (r != CB_OK) {
            log_warning("Encountered error deleting TXT record %s: %s",
                        c[i]->validation_name, cb_status_str(r));
            if (first == CB_OK)
                first = r;
        }
    }
    return first;
}
