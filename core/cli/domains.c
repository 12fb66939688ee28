/* -d and --ip-address values: Certbot's add_domains and
 * enforce_domain_sanity (SPEC 4.8). */
#include "cli/domains.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Python's str.strip() for the ASCII whitespace that can reach us. */
static char *strip_dup(const char *s, size_t len)
{
    char *out;

    while (len && isspace((unsigned char)*s)) {
        s++;
        len--;
    }
    while (len && isspace((unsigned char)s[len - 1]))
        len--;
    out = malloc(len + 1);
    if (!out)
        return NULL;
    memcpy(out, s, len);
    out[len] = '\0';
    return out;
}

static int is_ip_literal(const char *s)
{
    unsigned char buf[16];

    return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
}

/* Normalise one name in place and check it; Certbot's order of checks. */
static int domain_sanity(char *d, struct cb_err *err)
{
    static const char *const schemes[] = {"http", "https"};
    size_t len;
    const char *label;

    for (const unsigned char *p = (const unsigned char *)d; *p; p++)
        if (*p >= 0x80)
            return cb_err_set(err, CB_ERR_CONFIG,
                              "Non-ASCII domain names not supported. To issue "
                              "for an Internationalized Domain Name, use "
                              "Punycode.");
    for (char *p = d; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    len = strlen(d);
    if (len && d[len - 1] == '.')
        d[--len] = '\0';
    for (size_t i = 0; i < 2; i++) {
        size_t sl = strlen(schemes[i]);

        if (strncmp(d, schemes[i], sl) == 0 && strncmp(d + sl, "://", 3) == 0)
            return cb_err_set(err, CB_ERR_CONFIG,
                              "Requested name %s appears to be a URL, not a "
                              "FQDN. Try again without the leading \"%s://\".",
                              d, schemes[i]);
    }
    if (is_ip_literal(d))
        return cb_err_set(err, CB_ERR_CONFIG,
                          "Requested name %s is an IP address. The Let's "
                          "Encrypt certificate authority will not issue "
                          "certificates for a bare IP address.", d);
    if (len > 255)
        return cb_err_set(err, CB_ERR_CONFIG,
                          "Requested domain %s is not a FQDN because it is "
                          "too long.", d);
    label = d;
    for (;;) {
        size_t ll = strcspn(label, ".");

        if (ll == 0)
            return cb_err_set(err, CB_ERR_CONFIG,
                              "Requested domain %s is not a FQDN because it "
                              "contains an empty label.", d);
        if (ll > 63)
            return cb_err_set(err, CB_ERR_CONFIG,
                              "Requested domain %s is not a FQDN because "
                              "label %.*s is too long.", d, (int)ll, label);
        if (label[ll] == '\0')
            break;
        label += ll + 1;
    }
    return CB_OK;
}

int domains_add(struct strvec *out, const char *raw, struct cb_err *err)
{
    const char *p = raw;
    int r = CB_OK;

    /* add_domains returns early for None and "" */
    if (!raw || !*raw)
        return CB_OK;
    for (;;) {
        size_t len = strcspn(p, ",");
        char *d = strip_dup(p, len);

        if (!d)
            return cb_err_set(err, CB_ERR_NOMEM, "out of memory");
        r = domain_sanity(d, err);
        if (r == CB_OK && !strvec_contains(out, d))
            r = strvec_push_take(out, d);
        else
            free(d);
        if (r != CB_OK)
            return r == CB_ERR_NOMEM
                       ? cb_err_set(err, r, "out of memory") : r;
        if (p[len] == '\0')
            break;
        p += len + 1;
    }
    return CB_OK;
}

int ip_address_add(struct strvec *out, const char *raw, struct cb_err *err)
{
    const char *p = raw;

    if (!raw || !*raw)
        return CB_OK;
    for (;;) {
        size_t len = strcspn(p, ",");
        char *ip = strip_dup(p, len);
        unsigned char buf[16];
        char text[INET6_ADDRSTRLEN];
        int af = AF_INET;

        if (!ip)
            return cb_err_set(err, CB_ERR_NOMEM, "out of memory");
        if (inet_pton(AF_INET, ip, buf) != 1) {
            af = AF_INET6;
            if (inet_pton(AF_INET6, ip, buf) != 1) {
                int r = cb_err_set(err, CB_ERR_CONFIG,
                                   "'%s' does not appear to be an IPv4 or "
                                   "IPv6 address", ip);
                free(ip);
                return r;
            }
        }
        free(ip);
        /* The compressed, lowercase form, as Python's ipaddress prints. */
        if (!inet_ntop(af, buf, text, sizeof(text)))
            return cb_err_set(err, CB_ERR_INVAL, "cannot format address");
        if (!strvec_contains(out, text) && strvec_push(out, text) != CB_OK)
            return cb_err_set(err, CB_ERR_NOMEM, "out of memory");
        if (p[len] == '\0')
            break;
        p += len + 1;
    }
    return CB_OK;
}
