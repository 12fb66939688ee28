/* AWS Signature Version 4, header form (the "Authorization:" value).
 *
 * Self-contained (OpenSSL's SHA-256 and HMAC only, nothing of certbot), so
 * tests/unit/test_route53_sigv4.c checks it against AWS's published
 * example signatures. */
#ifndef R53_SIGV4_H
#define R53_SIGV4_H

#include <stddef.h>

/* One header to sign: the name in any case, the value as sent. */
struct sigv4_header {
    const char *name;
    const char *value;
};

struct sigv4_req {
    const char *method;      /* "GET", "POST" */
    const char *path;        /* raw path ("/2013-04-01/hostedzone"); encoded here */
    const char *query;       /* encoded "a=1&b=2" as sent (see sigv4_uri_encode),
                                or NULL */
    const struct sigv4_header *headers; /* must include host and x-amz-date */
    size_t n_headers;
    const void *payload;     /* NULL: empty */
    size_t payload_len;
};

struct sigv4_key {
    const char *access_key;
    const char *secret_key;  /* never logged */
    const char *amz_date;    /* "20150830T123600Z", the x-amz-date value */
    const char *region;      /* "us-east-1" */
    const char *service;     /* "route53" */
};

/* RFC 3986 percent-encoding of everything but A-Z a-z 0-9 - _ . ~ (and
 * '/' when keep_slash).  Caller frees; NULL when out of memory. */
char *sigv4_uri_encode(const char *s, int keep_slash);

/* The canonical request (step 1 of the signing process), for tests and
 * debugging.  Caller frees; NULL when out of memory or r is malformed. */
char *sigv4_canonical_request(const struct sigv4_req *r);

/* "AWS4-HMAC-SHA256 Credential=<ak>/<date>/<region>/<service>/aws4_request,
 * SignedHeaders=<...>, Signature=<hex>".  Caller frees; NULL when out of
 * memory or an argument is malformed. */
char *sigv4_authorization(const struct sigv4_req *r, const struct sigv4_key *k);

#endif
