/* renew helpers: restoring [renewalparams] (SPEC 3.3; ..A-140,
 * ), hook directory listing and hook
 * validation. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <certbot/options.h>
#include <jansson.h>

#include "cli/config.h"
#include "cli/parse.h"
#include "lifecycle/hooks.h"
#include "lifecycle/renewal_params.h"
#include "lifecycle/renewal_restore.h"
#include "storage/configobj.h"
#include "storage/renewal_conf.h"
#include "tap.h"

static struct cb_config *parse(int argc, char **argv)
{
    struct cb_config *cfg = config_new();
    struct cb_err err = {0};

    if (cli_parse(argc, argv, cfg, &err) != CB_OK) {
        printf("# parse failed: %s\n", cb_err_msg(&err));
        config_free(cfg);
        return NULL;
    }
    return cfg;
}

static struct cb_config *renew_cfg(void)
{
    char *argv[] = {"certbot", "renew", "--http-01-port", "5002", NULL};
    return parse(4, argv);
}

/* A renewal conf from text (path "t.conf"); the caller frees rc->doc. */
static void conf_from(struct renewal_conf *rc, const char *text)
{
    struct cb_err err = {0};

    memset(rc, 0, sizeof(*rc));
    rc->path = "t.conf";
    if (configobj_parse(text, strlen(text), "t.conf", &rc->doc, &err) != CB_OK)
        printf("# conf parse failed: %s\n", cb_err_msg(&err));
}

static int restore_text(struct cb_config *cfg, const char *text,
                        struct cb_err *err)
{
    struct renewal_conf rc;
    int r;

    conf_from(&rc, text);
    r = renewal_restore(cfg, &rc, err);
    configobj_free(rc.doc);
    return r;
}

static void test_restore_values(void)
{
    struct cb_config *cfg = renew_cfg();
    struct cb_err err = {0};
    size_t n = 0;
    const char *const *pc;
    struct renewal_conf rc;

    if (!ok(cfg != NULL, "parse a renew line"))
        return;
    is_int(restore_text(cfg,
                        "version = 2.1.0\n[renewalparams]\n"
                        "authenticator = standalone\n"
                        "server = https://acme-v01.api.letsencrypt.org/directory\n"
                        "http01_port = 1234\n"
                        "rsa_key_size = 4096\n"
                        "pre_hook = /bin/echo pre\n"
                        "renew_hook = /bin/echo deploy\n"
                        "reuse_key = TRUE\n"
                        "pref_challs = http-01,\n"
                        "installer = None\n"
                        "manual_public_ip_logging_ok = True\n",
                        &err),
           CB_OK, "restore a typical conf");
    is_str(config_str(cfg, "server"),
           "https://acme-v02.api.letsencrypt.org/directory",
           "A-140 ACMEv1 server migrated to v2");
    is_int(config_int(cfg, "http01_port"), 5002,
           "user-set --http-01-port beats the stored value");
    is_int(config_int(cfg, "rsa_key_size"), 4096, "rsa_key_size restored");
    is_int(config_origin(cfg, "rsa_key_size"), CONFIG_RENEWAL,
           "restored values have origin CONFIG_RENEWAL");
    is_str(config_str(cfg, "key_type"), "rsa",
           "A-124 missing key_type means rsa");
    is_str(config_str(cfg, "renew_hook"), "/bin/echo deploy",
           "renew_hook restored as the deploy hook");
    ok(config_bool(cfg, "reuse_key"), "booleans are case-insensitive");
    ok(config_str(cfg, "installer") == NULL, "installer None means unset");
    pc = config_list(cfg, "pref_challs", &n);
    ok(n == 1 && strcmp(pc[0], "http-01") == 0, "pref_challs restored as a list");
    is_str(config_str(cfg, "authenticator"), "standalone",
           "authenticator restored");

    /* Restored values are saved back (A-154: CLI ones replace them). */
    conf_from(&rc, "version = 2.1.0\n[renewalparams]\nfoo = bar\n");
    config_set(cfg, "account", "abc", CONFIG_RUNTIME);
    is_int(renewal_params_store(&rc, cfg, &err), CB_OK, "store again");
    is_str(co_get(renewal_conf_params(&rc, 0), "pre_hook"), "/bin/echo pre",
           "restored pre_hook is written back");
    is_str(co_get(renewal_conf_params(&rc, 0), "http01_port"), "5002",
           "A-154 the CLI value is what gets saved");
    is_str(co_get(renewal_conf_params(&rc, 0), "reuse_key"), "True",
           "restored reuse_key is written back");
    configobj_free(rc.doc);
    config_free(cfg);

    cfg = renew_cfg();
    if (!cfg)
        return;
    config_set(cfg, "http01_port", NULL, CONFIG_DEFAULT);
    is_int(restore_text(cfg,
                        "[renewalparams]\nauthenticator = standalone\n"
                        "http01_port = None\n",
                        &err),
           CB_OK, "restore http01_port = None");
    is_int(config_int(cfg, "http01_port"), 80, "A-139 http01_port None is 80");
    config_free(cfg);
}

static void test_restore_failures(void)
{
    struct cb_config *cfg = renew_cfg();
    struct cb_err err = {0};

    if (!cfg)
        return;
    is_int(restore_text(cfg,
                        "[renewalparams]\nauthenticator = standalone\n"
                        "reuse_key = maybe\n",
                        &err),
           CB_ERR_CONFIG, "A-138 reuse_key = maybe fails");
    is_str(cb_err_msg(&err),
           "An error occurred while parsing t.conf. The error was Expected "
           "True or False for reuse_key but found maybe. Skipping the file.",
           "A-138 message");
    cb_err_reset(&err);
    is_int(restore_text(cfg,
                        "[renewalparams]\nauthenticator = standalone\n"
                        "rsa_key_size = big\n",
                        &err),
           CB_ERR_CONFIG, "a non-numeric int fails");
    ok(strstr(cb_err_msg(&err), "Expected a numeric value for rsa_key_size"),
       "numeric message");
    cb_err_reset(&err);
    is_int(restore_text(cfg, "[renewalparams]\nserver = x\n", &err),
           CB_ERR_CONFIG, "A-143 missing authenticator fails");
    is_str(cb_err_msg(&err),
           "Renewal configuration file t.conf does not specify an "
           "authenticator. Skipping.",
           "A-143 message");
    cb_err_reset(&err);
    is_int(restore_text(cfg, "version = 1.0\n", &err), CB_ERR_CONFIG,
           "missing [renewalparams] fails");
    ok(strstr(cb_err_msg(&err), "lacks renewalparams"), "lacks message");
    cb_err_reset(&err);
    is_int(restore_text(cfg,
                        "[renewalparams]\nauthenticator = manual\n"
                        "manual_public_ip_logging_ok = True\n"
                        "no_self_upgrade = True\n",
                        &err),
           CB_OK, "A-137 deprecated keys are ignored");
    config_free(cfg);
}

static void touch_mode(const char *dir, const char *name, mode_t mode)
{
    char path[4096];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "w");
    if (f) {
        fputs("#!/bin/sh\n", f);
        fclose(f);
    }
    chmod(path, mode);
}

static void test_list_dir(void)
{
    char dir[] = "/tmp/cbtest-hooks.XXXXXX";
    char sub[8400];
    struct strvec out = {0};
    char *joined;
    const char *base;

    if (!ok(mkdtemp(dir) != NULL, "temp dir"))
        return;
    touch_mode(dir, "b", 0755);
    touch_mode(dir, "a", 0755);
    touch_mode(dir, "B", 0700);
    touch_mode(dir, "A", 0755);
    touch_mode(dir, "z~", 0755);
    touch_mode(dir, "noexec", 0644);
    snprintf(sub, sizeof(sub), "%s/subdir", dir);
    mkdir(sub, 0755);
    is_int(hooks_list_dir(dir, &out), CB_OK, "list hooks");
    {
        struct strvec names = {0};
        for (size_t i = 0; i < out.n; i++) {
            base = strrchr(out.v[i], '/');
            strvec_push(&names, base ? base + 1 : "?");
        }
        joined = strvec_join(&names, " ");
        strvec_clear(&names);
    }
    is_str(joined, "A B a b",
           "A-186/A-187 byte order, executables only, no '~', no dirs");
    free(joined);
    strvec_clear(&out);
    is_int(hooks_list_dir("/nonexistent/hooks", &out), CB_OK,
           "a missing directory lists nothing");
    is_int(out.n, 0, "nothing listed");

    {
        char *argv[] = {"certbot", "renew", "--pre-hook",
                        "no-such-cmd-xyz arg", NULL};
        struct cb_config *cfg = parse(4, argv);
        struct cb_err err = {0};
        char hook[4300];
        const char *want = "Unable to find pre-hook command "
                           "no-such-cmd-xyz in the PATH.\n(PATH is ";

        if (cfg) {
            is_int(hooks_validate(cfg, &err), CB_ERR_CONFIG,
                   "A-193 unknown hook command fails validation");
            ok(strncmp(cb_err_msg(&err), want, strlen(want)) == 0,
               "A-193 message");
            ok(strstr(cb_err_msg(&err),
                      ")\nSee also the --disable-hook-validation option."),
               "A-193 message ends with the advice");
            config_set(cfg, "validate_hooks", "False", CONFIG_ARGV);
            cb_err_reset(&err);
            is_int(hooks_validate(cfg, &err), CB_OK,
                   "A-193 --disable-hook-validation skips the check");
            config_set(cfg, "validate_hooks", "True", CONFIG_ARGV);
            snprintf(hook, sizeof(hook), "%s/noexec", dir);
            config_set(cfg, "pre_hook", NULL, CONFIG_DEFAULT);
            config_set(cfg, "deploy_hook", hook, CONFIG_ARGV);
            is_int(hooks_validate(cfg, &err), CB_ERR_CONFIG,
                   "A-194 non-executable hook fails validation");
            snprintf(sub, sizeof(sub),
                     "%s-hook command deploy exists, but is not executable.",
                     hook);
            is_str(cb_err_msg(&err), sub, "A-194 message");
            config_set(cfg, "deploy_hook", "sh -c true", CONFIG_ARGV);
            cb_err_reset(&err);
            is_int(hooks_validate(cfg, &err), CB_OK,
                   "a program on PATH passes");
            config_free(cfg);
        }
    }

    {
        const char *names[] = {"A", "B", "a", "b", "z~", "noexec", NULL};
        for (size_t i = 0; names[i]; i++) {
            snprintf(sub, sizeof(sub), "%s/%s", dir, names[i]);
            unlink(sub);
        }
        snprintf(sub, sizeof(sub), "%s/subdir", dir);
        rmdir(sub);
        rmdir(dir);
    }
}

/* [[webroot_map]] comes back as the JSON text jansson would write, on
 * the plain fast path and on the escaping one. */
static void test_webroot_map_json(void)
{
    static const struct {
        const char *conf;
        const char *keys[3], *vals[3];
    } cases[] = {
        {"[renewalparams]\nauthenticator = webroot\n[[webroot_map]]\n"
         "a.test = /var/www/a\nb.test = /srv/b\n",
         {"a.test", "b.test", NULL}, {"/var/www/a", "/srv/b", NULL}},
        {"[renewalparams]\nauthenticator = webroot\n[[webroot_map]]\n"
         "c.test = '/var/w\"w\\\\w'\nd.test = /srv/\xc3\xa9t\xc3\xa9\n",
         {"c.test", "d.test", NULL}, {"/var/w\"w\\\\w", "/srv/\xc3\xa9t\xc3\xa9", NULL}},
        {"[renewalparams]\nauthenticator = webroot\n[[webroot_map]]\n",
         {NULL}, {NULL}},
    };

    static const struct cb_option webroot[] = {
        {"path", CB_OPT_LIST, CB_OPT_PER_DOMAIN, NULL, NULL, "path", 'w'},
        {"map", CB_OPT_STRING, 0, NULL, "{}", "map", 0},
        CB_OPTION_END};
    struct cb_err rerr = {0};

    is_int(cli_add_plugin_options("webroot", "webroot", webroot,
                                  sizeof(struct cb_option), &rerr),
           0, "webroot options registered");
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct cb_config *cfg = renew_cfg();
        struct cb_err err = {0};
        json_t *want = json_object();
        char *wtext;
        const char *got;

        for (size_t k = 0; cases[i].keys[k]; k++)
            json_object_set_new(want, cases[i].keys[k],
                                json_string(cases[i].vals[k]));
        wtext = json_dumps(want, JSON_COMPACT | JSON_PRESERVE_ORDER);
        is_int(cfg ? restore_text(cfg, cases[i].conf, &err) : -1, 0,
               "restore a webroot map");
        got = cfg ? config_str(cfg, "webroot_map") : NULL;
        is_str(got ? got : "(none)", wtext, "webroot_map JSON as jansson writes it");
        free(wtext);
        json_decref(want);
        config_free(cfg);
    }
}

int main(void)
{
    setenv("CERTBOT_SYSTEM_CLI_INI", "/dev/null", 1);
    setenv("XDG_CONFIG_HOME", "/nonexistent", 1);
    test_restore_values();
    test_restore_failures();
    test_list_dir();
    test_webroot_map_json();
    return done_testing();
}
