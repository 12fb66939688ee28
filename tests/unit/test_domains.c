/* domains_add / ip_address_add: Certbot's add_domains and
 * enforce_domain_sanity (SPEC 4.8; A-069..A-074). */
#include <stdlib.h>
#include <string.h>

#include "tap.h"

#include "cli/domains.h"

static struct cb_err err;

static int add(struct strvec *sv, const char *raw)
{
    cb_err_reset(&err);
    return domains_add(sv, raw, &err);
}

static void expect_error(const char *raw, const char *msg, const char *name)
{
    struct strvec sv = {0};

    is_int(add(&sv, raw), CB_ERR_CONFIG, name);
    is_str(cb_err_msg(&err), msg, name);
    strvec_clear(&sv);
}

int main(void)
{
    struct strvec sv = {0};
    char long_label[80], long_name[300];

    is_int(add(&sv, "a.test,b.test"), 0, "A-069 comma list");
    is_int(add(&sv, " c.test , a.test"), 0, "A-069 second -d");
    is_int(sv.n, 3, "A-069 duplicates dropped");
    is_str(sv.v[2], "c.test", "A-069 whitespace stripped, order kept");
    strvec_clear(&sv);

    add(&sv, "WWW.Example.TEST.");
    is_str(sv.v[0], "www.example.test",
           "A-070 lowercased, trailing dot removed");
    add(&sv, "www.example.test");
    is_int(sv.n, 1, "A-070 normalised duplicates dropped");
    is_int(add(&sv, "*.example.test"), 0, "wildcards allowed");
    is_str(sv.v[1], "*.example.test", "wildcard kept");
    is_int(add(&sv, ""), 0, "empty value is ignored (Certbot returns early)");
    is_int(add(&sv, NULL), 0, "NULL value is ignored");
    is_int(sv.n, 2, "nothing added for empty values");
    strvec_clear(&sv);

    expect_error("ex\xc3\xa4mple.test",
                 "Non-ASCII domain names not supported. To issue for an "
                 "Internationalized Domain Name, use Punycode.",
                 "A-071 non-ASCII");
    expect_error("http://example.test",
                 "Requested name http://example.test appears to be a URL, "
                 "not a FQDN. Try again without the leading \"http://\".",
                 "A-072 http URL");
    expect_error("HTTPS://example.test",
                 "Requested name https://example.test appears to be a URL, "
                 "not a FQDN. Try again without the leading \"https://\".",
                 "A-072 https URL (after lowercasing)");
    expect_error("192.0.2.1",
                 "Requested name 192.0.2.1 is an IP address. The Let's "
                 "Encrypt certificate authority will not issue certificates "
                 "for a bare IP address.", "A-073 IPv4 literal in -d");
    expect_error("::1",
                 "Requested name ::1 is an IP address. The Let's Encrypt "
                 "certificate authority will not issue certificates for a "
                 "bare IP address.", "A-073 IPv6 literal in -d");
    expect_error("a..test",
                 "Requested domain a..test is not a FQDN because it contains "
                 "an empty label.", "A-074 empty label");
    expect_error("a.test, ,b.test",
                 "Requested domain  is not a FQDN because it contains an "
                 "empty label.", "A-074 blank list entry");
    memset(long_label, 'x', 64);
    long_label[64] = '\0';
    snprintf(long_name, sizeof(long_name), "%s.test", long_label);
    {
        char msg[512];

        snprintf(msg, sizeof(msg), "Requested domain %s is not a FQDN "
                 "because label %s is too long.", long_name, long_label);
        expect_error(long_name, msg, "A-074 label over 63 characters");
    }
    for (size_t i = 0; i < 260; i += 2) {
        long_name[i] = 'a';
        long_name[i + 1] = '.';
    }
    memcpy(long_name + 260, "test", 5);
    {
        char msg[512];

        snprintf(msg, sizeof(msg), "Requested domain %s is not a FQDN "
                 "because it is too long.", long_name);
        expect_error(long_name, msg, "A-074 name over 255 characters");
    }

    cb_err_reset(&err);
    is_int(ip_address_add(&sv, "127.0.0.2, ::0:1", &err), 0,
           "ip_address_add list");
    ok(sv.n == 2 && strcmp(sv.v[0], "127.0.0.2") == 0 &&
       strcmp(sv.v[1], "::1") == 0, "IP addresses normalised");
    ip_address_add(&sv, "0:0::1", &err);
    is_int(sv.n, 2, "IP duplicates dropped after normalising");
    is_int(ip_address_add(&sv, "example.test", &err), CB_ERR_CONFIG,
           "a name is not an IP address");
    is_str(cb_err_msg(&err),
           "'example.test' does not appear to be an IPv4 or IPv6 address",
           "IP error message");
    strvec_clear(&sv);
    return done_testing();
}
