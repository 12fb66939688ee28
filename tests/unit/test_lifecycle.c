/* Lifecycle helpers: renewal timing (A-146..A-148), interval parsing,
 * name summaries, and the [renewalparams] selection. */
#include <stdlib.h>
#include <string.h>

#include "cli/config.h"
#include "cli/parse.h"
#include "lifecycle/names.h"
#include "lifecycle/renew_decision.h"
#include "lifecycle/renewal_params.h"
#include "storage/configobj.h"
#include "storage/renewal_conf.h"
#include "tap.h"

#define DAY 86400LL

static void test_timing(void)
{
    int64_t nb = 1000 * DAY, na90 = nb + 90 * DAY, na9 = nb + 9 * DAY;

    /* 90-day certificate: due after 60 days (2/3 of the lifetime). */
    ok(!renew_due(nb, na90, -1, nb + 59 * DAY), "A-148 90-day cert not due at day 59");
    ok(renew_due(nb, na90, -1, nb + 61 * DAY), "A-148 90-day cert due at day 61");
    /* Short-lived (< 10 days): half the lifetime. */
    ok(!renew_due(nb, na9, -1, nb + 4 * DAY), "A-148 9-day cert not due at day 4");
    ok(renew_due(nb, na9, -1, nb + 5 * DAY), "A-148 9-day cert due at day 5");
    /* renew_before_expiry replaces the default rule. */
    ok(!renew_due(nb, na90, 1 * DAY, nb + 80 * DAY),
       "A-147 renew_before_expiry = 1 day wins over 2/3 rule");
    ok(renew_due(nb, na90, 100 * 365 * DAY, nb + 1 * DAY),
       "A-146 renew_before_expiry = 100 years renews at once");
}

static void test_interval(void)
{
    is_int(renew_interval_parse("30 days"), 30 * DAY, "30 days");
    is_int(renew_interval_parse("2 weeks"), 14 * DAY, "2 weeks");
    is_int(renew_interval_parse("100 years"), 100 * 365 * DAY, "100 years");
    is_int(renew_interval_parse("12 hours"), 12 * 3600, "12 hours");
    is_int(renew_interval_parse("10"), 10 * DAY, "bare number means days");
    is_int(renew_interval_parse("soon"), -1, "garbage is rejected");
    is_int(renew_interval_parse(NULL), -1, "NULL is rejected");
}

static void test_summary(void)
{
    const char *one[] = {"a.test"}, *two[] = {"a.test", "b.test"};
    const char *three[] = {"a.test", "b.test", "c.test"};
    char *s;

    s = names_summary(one, 1);
    is_str(s, "a.test", "one name");
    free(s);
    s = names_summary(two, 2);
    is_str(s, "a.test and b.test", "two names");
    free(s);
    s = names_summary(three, 3);
    is_str(s, "a.test and 2 more domains", "three names");
    free(s);
}

static void test_params(void)
{
    char *argv[] = {"certbot", "certonly", "--standalone", "--http-01-port",
                    "5002", "--must-staple", "-d", "a.test", NULL};
    struct cb_config *cfg = config_new();
    struct configobj *doc = NULL;
    struct renewal_conf rc = {0};
    struct cb_err err = {0};
    struct co_section *p;
    struct strvec keys = {0};

    setenv("CERTBOT_SYSTEM_CLI_INI", "/dev/null", 1);
    setenv("XDG_CONFIG_HOME", "/nonexistent", 1);
    is_int(cli_parse(8, argv, cfg, &err), CB_OK, "parse a certonly line");
    config_set(cfg, "account", "abc123", CONFIG_RUNTIME);
    configobj_parse("version = 5.6.0\n# kept\n[renewalparams]\nfoo = bar\n",
                    strlen("version = 5.6.0\n# kept\n[renewalparams]\nfoo = bar\n"),
                    "t.conf", &doc, &err);
    rc.doc = doc;
    rc.path = "t.conf";
    is_int(renewal_params_store(&rc, cfg, &err), CB_OK, "store params");
    p = renewal_conf_params(&rc, 0);
    ok(p != NULL, "[renewalparams] exists");
    is_str(co_get(p, "account"), "abc123", "A-126 account stored");
    is_str(co_get(p, "authenticator"), "standalone", "A-126 authenticator stored");
    is_str(co_get(p, "http01_port"), "5002", "A-126 user-set http01_port stored");
    is_str(co_get(p, "key_type"), "ecdsa", "A-126 key_type always stored");
    ok(co_get(p, "server") != NULL, "A-126 server always stored");
    is_str(co_get(p, "must_staple"), "True", "A-127 --must-staple stored as True");
    ok(co_get(p, "rsa_key_size") == NULL, "A-127 default rsa_key_size absent");
    ok(co_get(p, "foo") == NULL, "A-133 unknown key dropped on save");
    ok(co_get(p, "installer") == NULL, "A-126 no installer line without one");
    ok(co_get(p, "domains") == NULL, "domains are never stored");
    co_keys(p, &keys);
    is_str(keys.n ? keys.v[0] : NULL, "account", "account is written first");
    {
        char *text = configobj_write(doc);
        ok(text && strstr(text, "# kept\n"), "comments survive the rewrite");
        free(text);
    }
    strvec_clear(&keys);
    configobj_free(doc);
    config_free(cfg);
}

int main(void)
{
    test_timing();
    test_interval();
    test_summary();
    test_params();
    return done_testing();
}
