/* dns-rfc2136 credentials: see credentials.h. */
#include "credentials.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PATH_OPT "credentials"
#define DEFAULT_PORT 53
/* Certbot's DEFAULT_NETWORK_TIMEOUT. */
#define NETWORK_TIMEOUT_S 45

/* Certbot's required keys and the labels its "Missing property" message
 * names them by: {key, label, ..., NULL} for host->credentials_require. */
static const char *const required[] = {
    "name", "TSIG key name",
    "secret", "TSIG key secret",
    "server", "The target DNS server",
    NULL,
};

/* The INI spelling (upper-cased), the TSIG algorithm name on the wire,
 * and for the two that ldns cannot sign with (1.8.3 has no HMAC-SHA224,
 * and its HMAC-SHA384 entry is misspelt "hmac-shac384.") the OpenSSL
 * digest with which tsig.c signs and verifies instead.  (Asking ldns by
 * signing a probe is no way to find out: that failure path leaks.) */
static const struct {
    const char *ini, *wire, *own_digest;
} algorithms[] = {
    {"HMAC-MD5", "hmac-md5.sig-alg.reg.int.", NULL},
    {"HMAC-SHA1", "hmac-sha1.", NULL},
    {"HMAC-SHA224", "hmac-sha224.", "SHA224"},
    {"HMAC-SHA256", "hmac-sha256.", NULL},
    {"HMAC-SHA384", "hmac-sha384.", "SHA384"},
    {"HMAC-SHA512", "hmac-sha512.", NULL},
};
#define N_ALGORITHMS (sizeof(algorithms) / sizeof(algorithms[0]))

/* ------------------------------------------------ optional keys */

/* An optional key: NULL when absent or empty (credentials_get's failure
 * message for it is dropped: the op goes on). */
static const char *optional(const struct cb_host *host, struct cb_handle *h,
                            const char *key)
{
    const char *v = NULL;

    if (host->credentials_get(h, PATH_OPT, key, &v) != CB_OK)
        return NULL;
    return v;
}

static int is_ip_literal(const char *s)
{
    unsigned char buf[sizeof(struct in6_addr)];

    return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
}

static int parse_port(const char *s, uint16_t *port)
{
    char *end = NULL;
    long v;

    if (!isdigit((unsigned char)s[0]))
        return -1;
    v = strtol(s, &end, 10);
    if (*end != '\0' || v < 1 || v > 65535)
        return -1;
    *port = (uint16_t)v;
    return 0;
}

int rfc2136_credentials_load(const struct cb_host *host, struct cb_handle *h,
                             struct rfc2136_server *out)
{
    const char *alg, *port, *sign;
    int r;

    /* Certbot's one message listing every missing key with its label
     * (an ABI 1.1 service, guarded as the ABI rules ask). */
    if (CB_HAS(host, struct cb_host, credentials_require)) {
        r = host->credentials_require(h, PATH_OPT, required);
        if (r != CB_OK)
            return r;
    }
    r = host->credentials_get(h, PATH_OPT, "name", &out->key_name);
    if (r == CB_OK)
        r = host->credentials_get(h, PATH_OPT, "secret", &out->secret);
    if (r == CB_OK)
        r = host->credentials_get(h, PATH_OPT, "server", &out->address);
    if (r != CB_OK)
        return r;
    if (!is_ip_literal(out->address))
        return host->fail(h, CB_ERR_PLUGIN, "The configured target DNS "
                          "server (%s) is not a valid IPv4 or IPv6 address. "
                          "A hostname is not allowed.", out->address);

    /* Certbot falls back to HMAC-MD5 when no algorithm is given. */
    out->algorithm = algorithms[0].wire;
    out->digest = NULL;
    alg = optional(host, h, "algorithm");
    if (alg) {
        size_t i;

        for (i = 0; i < N_ALGORITHMS; i++)
            if (strcasecmp(alg, algorithms[i].ini) == 0)
                break;
        if (i == N_ALGORITHMS)
            return host->fail(h, CB_ERR_PLUGIN, "Unknown algorithm: %s.",
                              alg);
        out->algorithm = algorithms[i].wire;
        out->digest = algorithms[i].own_digest;
    }

    out->port = DEFAULT_PORT;
    port = optional(host, h, "port");
    if (port && parse_port(port, &out->port) != 0)
        return host->fail(h, CB_ERR_PLUGIN, "Invalid port in credentials "
                          "configuration: %s.", port);

    sign = optional(host, h, "sign_query");
    out->sign_query = sign && strcasecmp(sign, "true") == 0;
    out->timeout_s = NETWORK_TIMEOUT_S;
    host->log(h, CB_LOG_DEBUG, "RFC 2136 server %s port %u, key %s (%s%s)%s",
              out->address, (unsigned)out->port, out->key_name,
              out->algorithm, out->digest ? ", signed by the plugin" : "",
              out->sign_query ? ", signed queries" : "");
    return CB_OK;
}
