/* The three Route 53 API calls certbot needs (REST/XML, API version
 * 2013-04-01), signed with SigV4 and sent through the core's HTTP service
 * (host->http: libcurl, TLS verified, REQUESTS_CA_BUNDLE honoured).
 *
 * Errors: every function returns CB_OK or a negative CB_ERR_*.  For API
 * and credential errors the one-line reason is in c->err and has been
 * recorded with host->fail (with Certbot's hint on configuring
 * credentials); for transport errors the core's own message stands. */
#ifndef R53_API_H
#define R53_API_H

#include <stddef.h>

#include <certbot/plugin.h>

#include "aws_creds.h"

#define R53_DEFAULT_ENDPOINT "https://route53.amazonaws.com"

struct r53_client {
    const struct cb_host *host;   /* borrowed */
    struct cb_handle *h;          /* borrowed */
    struct aws_creds creds;       /* loaded on the first call */
    int have_creds;
    char *base;                   /* owned: scheme://authority[/path] */
    char *host_hdr;               /* owned: the Host header libcurl sends */
    char err[1536];               /* last error, for cleanup's debug log */
};

/* Endpoint: AWS_ENDPOINT_URL_ROUTE_53, else AWS_ENDPOINT_URL, else
 * Route 53's global endpoint. */
int r53_client_init(struct r53_client *c, const struct cb_host *host,
                    struct cb_handle *h);
void r53_client_free(struct r53_client *c);

/* ListHostedZones, every page: the id ("Z123...") of the longest public
 * zone whose name is a suffix of name.  *zone_id: caller frees. */
int r53_find_zone(struct r53_client *c, const char *name, char **zone_id);

/* ChangeResourceRecordSets: one change, action "UPSERT" or "DELETE", of
 * the TXT set name with TTL 10 and the n (already quoted) values.
 * *change_id ("C123..."): caller frees. */
int r53_change_txt(struct r53_client *c, const char *zone_id,
                   const char *action, const char *name,
                   const char *const *values, size_t n, char **change_id);

/* GetChange: *status ("PENDING", "INSYNC"): caller frees. */
int r53_get_change(struct r53_client *c, const char *change_id,
                   char **status);

#endif
