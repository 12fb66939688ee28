/* struct cb_config: defaults, origins, lists, copies, dest facts and the
 * renewal-relevant set (SPEC 3.3). */
#include <stdlib.h>
#include <string.h>

#include "tap.h"

#include <certbot/options.h>

#include "cli/config.h"
#include "cli/parse.h"

static int count_visit(const char *dest, enum config_origin origin, void *arg)
{
    (void)dest;
    (void)origin;
    (*(int *)arg)++;
    return 0;
}

static void test_defaults(void)
{
    struct cb_config *cfg = config_new();
    size_t n = 9;

    ok(cfg != NULL, "config_new");
    is_str(config_verb(cfg), "run", "verb defaults to run");
    is_str(config_str(cfg, "rsa_key_size"), "2048", "rsa_key_size default");
    is_int(config_int(cfg, "rsa_key_size"), 2048, "config_int default");
    is_str(config_str(cfg, "key_type"), "ecdsa", "key_type default ecdsa");
    is_str(config_str(cfg, "elliptic_curve"), "secp256r1", "curve default");
    is_str(config_str(cfg, "server"),
           "https://acme-v02.api.letsencrypt.org/directory", "server default");
    is_str(config_str(cfg, "config_dir"), "/etc/letsencrypt", "config_dir");
    is_str(config_str(cfg, "work_dir"), "/var/lib/letsencrypt", "work_dir");
    is_str(config_str(cfg, "logs_dir"), "/var/log/letsencrypt", "logs_dir");
    is_int(config_int(cfg, "http01_port"), 80, "http01_port default");
    is_int(config_int(cfg, "https_port"), 443, "https_port default");
    is_int(config_int(cfg, "max_log_backups"), 1000, "max_log_backups");
    is_int(config_int(cfg, "issuance_timeout"), 90, "issuance_timeout");
    is_str(config_str(cfg, "eab_hmac_alg"), "HS256", "eab_hmac_alg");
    is_str(config_str(cfg, "http01_address"), "", "http01_address is empty");
    ok(config_str(cfg, "eff_email") == NULL, "eff_email defaults to None");
    ok(config_str(cfg, "certname") == NULL, "certname defaults to None");
    ok(config_bool(cfg, "random_sleep_on_renew"), "random sleep on by default");
    ok(config_bool(cfg, "autorenew"), "autorenew on by default");
    ok(config_bool(cfg, "validate_hooks"), "hook validation on by default");
    ok(config_bool(cfg, "directory_hooks"), "directory hooks on by default");
    ok(!config_bool(cfg, "dry_run"), "dry_run off");
    ok(config_list(cfg, "domains", &n)[0] == NULL && n == 0,
       "domains default to an empty list");
    is_int(config_origin(cfg, "key_type"), CONFIG_DEFAULT, "default origin");
    ok(!config_is_set(cfg, "key_type"), "defaults are not user-set");
    ok(config_str(cfg, "no_such_dest") == NULL, "unknown dest reads NULL");
    is_int(config_foreach(cfg, NULL, NULL), 0, "nothing to visit when fresh");
    config_free(cfg);
    config_free(NULL);
    ok(1, "config_free(NULL) is fine");
}

static void test_set_and_origin(void)
{
    struct cb_config *cfg = config_new(), *copy;
    const char *vals[] = {"a.test", "b.test"};
    size_t n = 0;
    int visited = 0;

    is_int(config_set(cfg, "key_type", "rsa", CONFIG_RUNTIME), 0, "set");
    is_str(config_str(cfg, "key_type"), "rsa", "value replaced");
    is_int(config_origin(cfg, "key_type"), CONFIG_RUNTIME, "runtime origin");
    ok(!config_is_set(cfg, "key_type"), "runtime is not user-set");
    config_set(cfg, "key_type", "rsa", CONFIG_RENEWAL);
    ok(!config_is_set(cfg, "key_type"), "restored is not user-set");
    config_set(cfg, "key_type", "rsa", CONFIG_FILE);
    ok(config_is_set(cfg, "key_type"), "cli.ini is user-set");
    config_set(cfg, "key_type", "rsa", CONFIG_ARGV);
    ok(config_is_set(cfg, "key_type"), "argv is user-set");
    config_set(cfg, "key_type", NULL, CONFIG_ARGV);
    is_str(config_str(cfg, "key_type"), "ecdsa", "NULL restores the default");
    is_int(config_origin(cfg, "key_type"), CONFIG_DEFAULT, "...and origin");

    config_set(cfg, "must_staple", "true", CONFIG_RENEWAL);
    is_str(config_str(cfg, "must_staple"), "True", "booleans normalised");
    ok(config_bool(cfg, "must_staple"), "config_bool true");
    config_set(cfg, "must_staple", "FALSE", CONFIG_RENEWAL);
    ok(!config_bool(cfg, "must_staple"), "config_bool false");

    config_list_set(cfg, "domains", vals, 2, CONFIG_ARGV);
    config_list(cfg, "domains", &n);
    is_int(n, 2, "config_list_set");
    config_list_add(cfg, "domains", "c.test", CONFIG_ARGV);
    is_str(config_list(cfg, "domains", &n)[2], "c.test", "config_list_add");
    config_set(cfg, "webroot_path", "/srv", CONFIG_RENEWAL);
    config_set(cfg, "pref_challs", "http-01", CONFIG_RENEWAL);
    is_str(config_list(cfg, "pref_challs", &n)[0], "http-01",
           "config_set on a list makes a one-element list");
    is_int(n, 1, "one element");
    config_set(cfg, "made_up_dest", "x", CONFIG_RUNTIME);
    is_str(config_str(cfg, "made_up_dest"), "x", "ad-hoc dests can be stored");
    is_int(config_dest_info("made_up_dest", NULL, NULL), CB_ERR_NOT_FOUND,
           "...but are not known dests");
    config_set_verb(cfg, "renew");

    copy = config_copy(cfg);
    ok(copy != NULL, "config_copy");
    config_set(cfg, "rsa_key_size", "4096", CONFIG_ARGV);
    config_list_add(cfg, "domains", "d.test", CONFIG_ARGV);
    is_str(config_str(copy, "rsa_key_size"), "2048", "copy is independent");
    config_list(copy, "domains", &n);
    is_int(n, 3, "copied list is independent");
    is_str(config_verb(copy), "renew", "verb copied");
    is_int(config_origin(copy, "domains"), CONFIG_ARGV, "origin copied");
    config_foreach(copy, count_visit, &visited);
    is_int(visited, 5, "foreach visits every non-default value");
    config_free(copy);

    /* a list set to nothing owns no memory but is set, with its origin */
    config_list_set(cfg, "ip_addresses", NULL, 0, CONFIG_RUNTIME);
    copy = config_copy(cfg);
    config_list(copy, "ip_addresses", &n);
    is_int(n, 0, "copied empty list");
    is_int(config_origin(copy, "ip_addresses"), CONFIG_RUNTIME,
           "copied empty list keeps its origin");
    is_int(config_origin(copy, "rsa_key_size"), CONFIG_ARGV,
           "copied scalar keeps its origin");
    /* the copy owns its strings: the original can go first */
    config_free(cfg);
    is_str(config_str(copy, "rsa_key_size"), "4096",
           "copy's value outlives the original");
    is_str(config_list(copy, "domains", &n)[3], "d.test",
           "copy's list outlives the original");
    is_str(config_str(copy, "made_up_dest"), "x",
           "copy's ad-hoc value outlives the original");
    config_free(copy);
}

static void test_dest_info(void)
{
    static const struct {
        const char *dest;
        enum config_type type;
        int renewal;
    } want[] = {
        /* SPEC 3.3: strings */
        {"config_dir", CONFIG_T_STR, 1}, {"logs_dir", CONFIG_T_STR, 1},
        {"work_dir", CONFIG_T_STR, 1}, {"user_agent", CONFIG_T_STR, 1},
        {"server", CONFIG_T_STR, 1}, {"account", CONFIG_T_STR, 1},
        {"authenticator", CONFIG_T_STR, 1}, {"installer", CONFIG_T_STR, 1},
        {"pre_hook", CONFIG_T_STR, 1}, {"post_hook", CONFIG_T_STR, 1},
        {"renew_hook", CONFIG_T_STR, 1}, {"http01_address", CONFIG_T_STR, 1},
        {"preferred_chain", CONFIG_T_STR, 1}, {"key_type", CONFIG_T_STR, 1},
        {"elliptic_curve", CONFIG_T_STR, 1},
        {"preferred_profile", CONFIG_T_STR, 1},
        {"required_profile", CONFIG_T_STR, 1},
        /* ints, bools, list */
        {"rsa_key_size", CONFIG_T_INT, 1}, {"http01_port", CONFIG_T_INT, 1},
        {"must_staple", CONFIG_T_BOOL, 1},
        {"allow_subset_of_names", CONFIG_T_BOOL, 1},
        {"reuse_key", CONFIG_T_BOOL, 1}, {"autorenew", CONFIG_T_BOOL, 1},
        {"pref_challs", CONFIG_T_LIST, 1},
        /* not saved */
        {"deploy_hook", CONFIG_T_STR, 0}, {"domains", CONFIG_T_LIST, 0},
        {"certname", CONFIG_T_STR, 0}, {"dry_run", CONFIG_T_BOOL, 0},
        {"verbose_count", CONFIG_T_COUNT, 0}, {"tos", CONFIG_T_BOOL, 0},
        {"noninteractive_mode", CONFIG_T_BOOL, 0},
        {"eab_hmac_key", CONFIG_T_STR, 0}, {"reason", CONFIG_T_INT, 0},
        {"standalone", CONFIG_T_BOOL, 0}, {"ip_addresses", CONFIG_T_LIST, 0},
        {"https_port", CONFIG_T_INT, 0}, {"new_key", CONFIG_T_BOOL, 0},
    };
    int bad = 0;

    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        enum config_type t = 0;
        int r = -1;

        if (config_dest_info(want[i].dest, &t, &r) != CB_OK ||
            t != want[i].type || r != want[i].renewal) {
            printf("# %s: type %d renewal %d\n", want[i].dest, (int)t, r);
            bad++;
        }
    }
    is_int(bad, 0, "dest types and renewal flags match SPEC 3.3");
    is_int(config_dest_info("nope", NULL, NULL), CB_ERR_NOT_FOUND,
           "unknown dest is CB_ERR_NOT_FOUND");
    is_str(config_default("reason"), "0", "reason defaults to code 0");
    ok(config_dest_plugin("key_type") == NULL, "core dests have no plugin");
}

static void test_was_set(void)
{
    struct cb_config *cfg = config_new();

    ok(!config_option_was_set(cfg, "server"), "fresh server not set");
    config_set(cfg, "staging", "True", CONFIG_ARGV);
    config_set(cfg, "server",
               "https://acme-staging-v02.api.letsencrypt.org/directory",
               CONFIG_RUNTIME);
    ok(config_set_by_user(cfg, "server"), "staging makes server user-set");
    ok(config_set_by_user(cfg, "account"),
       "...and account, through server (VAR_MODIFIERS)");
    ok(!config_set_by_user(cfg, "key_type"), "others unaffected");
    config_set(cfg, "authenticator", "standalone", CONFIG_RUNTIME);
    ok(!config_set_by_user(cfg, "authenticator"), "runtime value not by user");
    ok(config_option_was_set(cfg, "authenticator"),
       "runtime value differing from the default was set");
    config_set(cfg, "rsa_key_size", "2048", CONFIG_RUNTIME);
    ok(!config_option_was_set(cfg, "rsa_key_size"),
       "runtime value equal to the default was not set");
    config_set(cfg, "rsa_key_size", "2048", CONFIG_FILE);
    ok(config_option_was_set(cfg, "rsa_key_size"),
       "a cli.ini value equal to the default still counts");
    config_free(cfg);
}

static void test_plugin_dests(void)
{
    static const struct cb_option opts[] = {
        {"credentials", CB_OPT_PATH, 0, NULL, NULL, "creds", 0},
        {"propagation-seconds", CB_OPT_INT, 0, NULL, "30", "wait", 0},
        {"secret", CB_OPT_STRING, CB_OPT_SECRET, NULL, NULL, "s", 0},
        {"quiet-flag", CB_OPT_BOOL, CB_OPT_NOSAVE, NULL, NULL, "b", 0},
        CB_OPTION_END};
    struct cb_err err = {0};
    struct cb_config *cfg = config_new();
    enum config_type t;
    int renewal = 0;

    is_int(cli_add_plugin_options("dns-example", "Example", opts,
                                  sizeof(struct cb_option), &err), 0,
           "plugin options registered");
    is_int(config_dest_info("dns_example_credentials", &t, &renewal), 0,
           "dash in plugin name becomes underscore");
    ok(t == CONFIG_T_STR && renewal, "path option: string, saved");
    config_dest_info("dns_example_propagation_seconds", &t, &renewal);
    ok(t == CONFIG_T_INT && renewal, "dash in option name: underscore, int");
    is_int(config_int(cfg, "dns_example_propagation_seconds"), 30,
           "plugin default");
    config_dest_info("dns_example_quiet_flag", &t, &renewal);
    ok(t == CONFIG_T_BOOL && !renewal, "bool option, NOSAVE");
    ok(!config_bool(cfg, "dns_example_quiet_flag"), "bool default False");
    ok(config_dest_is_secret("dns_example_secret"), "secret option");
    is_str(config_dest_plugin("dns_example_secret"), "dns-example",
           "owner plugin");
    config_free(cfg);
}

int main(void)
{
    test_defaults();
    test_set_and_origin();
    test_dest_info();
    test_was_set();
    test_plugin_dests();
    return done_testing();
}
