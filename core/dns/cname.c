/* CNAME chains: see cname.h. */
#define LOG_COMPONENT "certbot.plugins.dns_common"

#include "dns/cname.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/log.h"

int dns_cname_follow(const struct dns_servers *recursive, const char *name,
                     char **target, struct cb_err *err)
{
    /* every name of the chain so far, to see a loop */
    char *seen[DNS_CNAME_MAX_HOPS + 1] = {0};
    size_t nseen = 0;
    int r = CB_OK;

    *target = NULL;
    seen[nseen] = strdup(name);
    if (!seen[nseen])
        return cb_err_set(err, CB_ERR_NOMEM, "out of memory");
    nseen++;
    for (;;) {
        struct dns_answers a;
        const char *cur = seen[nseen - 1];

        r = dns_query(recursive, 1, cur, DNS_T_CNAME, &a, err);
        if (r != CB_OK)
            goto out;
        if (a.n == 0) {
            dns_answers_free(&a);
            break;
        }
        for (size_t i = 0; i < nseen; i++) {
            if (strcasecmp(seen[i], a.v[0]) == 0) {
                r = cb_err_set(err, CB_ERR_INVAL, "CNAME loop at %s -> %s",
                               cur, a.v[0]);
                dns_answers_free(&a);
                goto out;
            }
        }
        if (nseen > DNS_CNAME_MAX_HOPS) {
            r = cb_err_set(err, CB_ERR_INVAL, "CNAME chain from %s is longer "
                           "than %d hops", name, DNS_CNAME_MAX_HOPS);
            dns_answers_free(&a);
            goto out;
        }
        log_debug("%s is an alias (CNAME) of %s", cur, a.v[0]);
        seen[nseen++] = a.v[0];
        a.v[0] = NULL;
        dns_answers_free(&a);
    }
    if (nseen > 1) {
        *target = seen[nseen - 1];
        seen[nseen - 1] = NULL;
    }
out:
    for (size_t i = 0; i < nseen; i++)
        free(seen[i]);
    return r;
}
