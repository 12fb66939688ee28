/* DNS server lists of core/dns/resolver.c: the CERTBOT_DNS_RESOLVER /
 * CERTBOT_DNS_AUTH_SERVERS syntax "ip@port,..." (docs/dns.md). */
#include <stdlib.h>
#include <string.h>

#include "dns/resolver.h"
#include "tap.h"

static void test_parse(void)
{
    struct dns_servers v = {0};
    struct cb_err err = {0};

    ok(dns_servers_parse("127.0.0.1@5353,::1@53, 127.0.0.2", 53, &v,
                         &err) == CB_OK, "parse three servers");
    is_int(v.n, 3, "three entries");
    if (v.n == 3) {
        is_str(v.s[0].addr, "127.0.0.1", "first address");
        is_int(v.s[0].port, 5353, "first port");
        is_str(v.s[1].addr, "::1", "IPv6 address");
        is_int(v.s[2].port, 53, "default port without @");
    }
    dns_servers_free(&v);

    ok(dns_servers_parse("127.0.0.1@53,127.0.0.1@53", 53, &v, &err) ==
           CB_OK && v.n == 1, "duplicates are asked once");
    dns_servers_free(&v);

    cb_err_reset(&err);
    ok(dns_servers_parse("ns.example.com@53", 53, &v, &err) == CB_ERR_INVAL,
       "a hostname is refused");
    ok(strstr(err.msg, "ns.example.com") != NULL, "message names it");
    dns_servers_free(&v);
    ok(dns_servers_parse("127.0.0.1@0", 53, &v, &err) == CB_ERR_INVAL,
       "port 0 is refused");
    dns_servers_free(&v);
    ok(dns_servers_parse("127.0.0.1@99999", 53, &v, &err) == CB_ERR_INVAL,
       "port above 65535 is refused");
    dns_servers_free(&v);
    ok(dns_servers_parse("", 53, &v, &err) == CB_ERR_INVAL,
       "an empty list is refused");
    dns_servers_free(&v);
}

static void test_env(void)
{
    struct dns_servers v = {0};
    struct cb_err err = {0};

    setenv("CERTBOT_DNS_RESOLVER", "none", 1);
    ok(dns_recursive_servers(&v, &err) == CB_ERR_NOT_SUPPORTED,
       "CERTBOT_DNS_RESOLVER=none turns lookups off");
    dns_servers_free(&v);
    setenv("CERTBOT_DNS_RESOLVER", "127.0.0.1@5300", 1);
    ok(dns_recursive_servers(&v, &err) == CB_OK && v.n == 1 &&
           v.s[0].port == 5300, "CERTBOT_DNS_RESOLVER replaces resolv.conf");
    dns_servers_free(&v);
    unsetenv("CERTBOT_DNS_RESOLVER");
}

/* Nothing listens on a reserved-then-closed loopback port: the query
 * fails with CB_ERR_NET instead of hanging. */
static void test_unreachable(void)
{
    struct dns_servers v = {0};
    struct dns_answers a;
    struct cb_err err = {0};

    dns_servers_add(&v, "127.0.0.1", 9);    /* discard: nothing answers */
    ok(dns_query(&v, 0, "example.test", DNS_T_TXT, &a, &err) ==
           CB_ERR_NET, "an unreachable server is CB_ERR_NET");
    ok(err.msg[0] != '\0', "with a message");
    dns_answers_free(&a);
    dns_servers_free(&v);
}

int main(void)
{
    test_parse();
    test_env();
    test_unreachable();
    return done_testing();
}
