/* dns-rfc2136 credentials: see credentials.h. */
#include "credentials.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define PATH_OPT "credentials"
#define KEY_PREFIX "dns_rfc2136_"
#define DEFAULT_PORT 53
/* Certbot's DEFAULT_NETWORK_TIMEOUT. */
#define NETWORK_TIMEOUT_S 45
/* A credentials file is a handful of lines; longer ones are not ours. */
#define MAX_INI_LINES 10000

/* Certbot's required keys and the labels its message names them by. */
static const struct {
    const char *key, *label;
} required[] = {
    {"name", "TSIG key name"},
    {"secret", "TSIG key secret"},
    {"server", "The target DNS server"},
};
#define N_REQUIRED (sizeof(required) / sizeof(required[0]))

/* The INI spelling (upper-cased) and the TSIG algorithm name on the
 * wire, which is also the name ldns signs with. */
static const struct {
    const char *ini, *wire;
} algorithms[] = {
    {"HMAC-MD5", "hmac-md5.sig-alg.reg.int."},
    {"HMAC-SHA1", "hmac-sha1."},
    {"HMAC-SHA224", "hmac-sha224."},
    {"HMAC-SHA256", "hmac-sha256."},
    {"HMAC-SHA384", "hmac-sha384."},
    {"HMAC-SHA512", "hmac-sha512."},
};
#define N_ALGORITHMS (sizeof(algorithms) / sizeof(algorithms[0]))

/* ------------------------------------------------ missing-key messages */

enum key_state { KEY_UNKNOWN = -1, KEY_ABSENT, KEY_EMPTY, KEY_SET };

static char *trim(char *s)
{
    char *e;

    while (isspace((unsigned char)*s))
        s++;
    e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = '\0';
    return s;
}

/* Whether a configobj value is empty: "", '' or nothing before a
 * comment. */
static int value_empty(char *v)
{
    char *hash;

    v = trim(v);
    if (v[0] == '"' || v[0] == '\'')
        return v[1] == v[0];
    hash = strchr(v, '#');
    if (hash)
        *hash = '\0';
    return trim(v)[0] == '\0';
}

/* How full_key appears among the top-level keys of the INI at path.  The
 * host's credentials_get says only that a key failed; this tells "not
 * found" from "not set" for Certbot's message.  KEY_UNKNOWN when the file
 * cannot be read. */
static enum key_state ini_key_state(const char *path, const char *full_key)
{
    FILE *f = fopen(path, "r");
    enum key_state st = KEY_ABSENT;
    char *line = NULL;
    size_t cap = 0;

    if (!f)
        return KEY_UNKNOWN;
    for (int n = 0; n < MAX_INI_LINES && getline(&line, &cap, f) >= 0; n++) {
        char *l = trim(line), *eq, *k;
        size_t klen;

        if (l[0] == '[')
            break; /* keys of a section are not credentials keys */
        if (l[0] == '#' || !(eq = strchr(l, '=')))
            continue;
        *eq = '\0';
        k = trim(l);
        klen = strlen(k);
        if (klen >= 2 && (k[0] == '"' || k[0] == '\'') &&
            k[klen - 1] == k[0]) {
            k[klen - 1] = '\0';
            k++;
        }
        if (strcmp(k, full_key) == 0)
            st = value_empty(eq + 1) ? KEY_EMPTY : KEY_SET;
    }
    free(line);
    fclose(f);
    return st;
}

/* Some required keys failed with status first: if the file itself is
 * fine, replace the host's message with Certbot's, which lists every
 * missing key with its label.  Otherwise (no path, missing file, a
 * directory, a parse error) the host's message stands. */
static int missing_keys(const struct cb_host *host, struct cb_handle *h,
                        const int *rs, int first)
{
    const char *path = host->opt_str(h, PATH_OPT);
    char list[1024];
    size_t used = 0, n = 0;
    struct stat sb;

    if (!path || !path[0] || stat(path, &sb) != 0 || S_ISDIR(sb.st_mode))
        return first;
    list[0] = '\0';
    for (size_t i = 0; i < N_REQUIRED; i++) {
        char full[64];
        enum key_state st;
        int w;

        if (rs[i] == CB_OK)
            continue;
        snprintf(full, sizeof(full), KEY_PREFIX "%s", required[i].key);
        st = ini_key_state(path, full);
        /* Present with a value yet refused: not a missing key. */
        if (st == KEY_UNKNOWN || st == KEY_SET)
            return first;
        w = snprintf(list + used, sizeof(list) - used,
                     "%sProperty \"%s\" %s (should be %s).",
                     n ? "\n * " : "", full,
                     st == KEY_EMPTY ? "not set" : "not found",
                     required[i].label);
        if (w > 0 && (size_t)w < sizeof(list) - used)
            used += (size_t)w;
        n++;
    }
    return host->fail(h, first, "Missing %s in credentials configuration "
                      "file %s:\n * %s", n == 1 ? "property" : "properties",
                      path, list);
}

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
    const char *vals[N_REQUIRED] = {NULL};
    int rs[N_REQUIRED];
    int first = CB_OK;
    const char *alg, *port, *sign;

    for (size_t i = 0; i < N_REQUIRED; i++) {
        rs[i] = host->credentials_get(h, PATH_OPT, required[i].key, &vals[i]);
        if (rs[i] != CB_OK && first == CB_OK)
            first = rs[i];
    }
    if (first != CB_OK)
        return missing_keys(host, h, rs, first);

    out->key_name = vals[0];
    out->secret = vals[1];
    out->address = vals[2];
    if (!is_ip_literal(out->address))
        return host->fail(h, CB_ERR_PLUGIN, "The configured target DNS "
                          "server (%s) is not a valid IPv4 or IPv6 address. "
                          "A hostname is not allowed.", out->address);

    /* Certbot falls back to HMAC-MD5 when no algorithm is given. */
    out->algorithm = algorithms[0].wire;
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
        if (rfc2136_algorithm_usable(out->algorithm) != 0)
            return host->fail(h, CB_ERR_NOT_SUPPORTED, "TSIG algorithm %s "
                              "is not supported: the ldns library this "
                              "plugin uses cannot sign with it (use "
                              "HMAC-SHA256 or HMAC-SHA512).",
                              algorithms[i].ini);
    }

    out->port = DEFAULT_PORT;
    port = optional(host, h, "port");
    if (port && parse_port(port, &out->port) != 0)
        return host->fail(h, CB_ERR_PLUGIN, "Invalid port in credentials "
                          "configuration: %s.", port);

    sign = optional(host, h, "sign_query");
    out->sign_query = sign && strcasecmp(sign, "true") == 0;
    out->timeout_s = NETWORK_TIMEOUT_S;
    host->log(h, CB_LOG_DEBUG, "RFC 2136 server %s port %u, key %s (%s)%s",
              out->address, (unsigned)out->port, out->key_name,
              out->algorithm, out->sign_query ? ", signed queries" : "");
    return CB_OK;
}
