/* cli_parse: verbs, abbreviations, -d, usage errors, flag checks, plugin
 * options and --help pages (SPEC 1, 2, 4.15; A-002..A-031). */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tap.h"

#include <certbot/options.h>

#include "cli/cli_internal.h"
#include "cli/config.h"
#include "cli/help.h"
#include "cli/parse.h"

static struct cb_err err;
static struct cb_config *cfg;
static char csr_path[64] = "/tmp/test_cli_parse_csr.XXXXXX";

/* Parse "certbot <args...>" into a fresh cfg; returns cli_parse's code. */
static int parse(const char *first, ...)
{
    const char *argv[64];
    int argc = 0;
    va_list ap;
    const char *a;

    config_free(cfg);
    cfg = config_new();
    cb_err_reset(&err);
    argv[argc++] = "certbot";
    va_start(ap, first);
    for (a = first; a && argc < 63; a = va_arg(ap, const char *))
        argv[argc++] = a;
    va_end(ap);
    argv[argc] = NULL;
    return cli_parse(argc, (char **)argv, cfg, &err);
}

static const char *last_line(const char *s)
{
    const char *nl = strrchr(s, '\n');

    return nl ? nl + 1 : s;
}

static int contains(const char *hay, const char *needle)
{
    return hay && needle && strstr(hay, needle) != NULL;
}

/* stderr capture, for the deprecation warning */
static int saved_fd = -1;
static char cap_path[64];

static void capture_start(void)
{
    int fd;

    snprintf(cap_path, sizeof(cap_path), "/tmp/test_cli_parse.XXXXXX");
    fd = mkstemp(cap_path);
    fflush(stderr);
    saved_fd = dup(2);
    dup2(fd, 2);
    close(fd);
}

static char *capture_end(void)
{
    static char buf[4096];
    FILE *fp;
    size_t n;

    fflush(stderr);
    dup2(saved_fd, 2);
    close(saved_fd);
    fp = fopen(cap_path, "r");
    n = fp ? fread(buf, 1, sizeof(buf) - 1, fp) : 0;
    buf[n] = '\0';
    if (fp)
        fclose(fp);
    unlink(cap_path);
    return buf;
}

static char *help_text(const char *topic)
{
    static char *buf;
    size_t len = 0;
    FILE *fp;

    free(buf);
    buf = NULL;
    fp = open_memstream(&buf, &len);
    cli_help(cfg, topic, fp);
    fclose(fp);
    return buf;
}

static void test_verbs(void)
{
    is_int(parse(NULL), 0, "no arguments parse");
    is_str(config_verb(cfg), "run", "no verb means run");
    parse("certonly", "-d", "a.test", NULL);
    is_str(config_verb(cfg), "certonly", "certonly verb");
    parse("auth", "-d", "a.test", NULL);
    is_str(config_verb(cfg), "certonly", "A-017 auth is certonly");
    parse("everything", NULL);
    is_str(config_verb(cfg), "run", "A-018 everything is run");
    parse("--cert-name", "x", "renew", NULL);
    is_str(config_verb(cfg), "renew", "verb found after flags");
    is_int(parse("renew", "certonly", NULL), CB_ERR_USAGE,
           "a second verb is an unrecognized argument");
    is_str(last_line(cb_err_msg(&err)),
           "certbot: error: unrecognized arguments: certonly",
           "second verb error text");
    parse("--version", NULL);
    is_str(config_verb(cfg), "version", "--version gives verb version");
    is_int(parse("--version", "--bogus", NULL), 0,
           "--version stops parsing before later errors (argparse)");
    is_int(parse("--key-type", "x", "--version", NULL), CB_ERR_USAGE,
           "errors before --version still count");
}

static void test_help_detection(void)
{
    parse("--help", NULL);
    is_str(config_verb(cfg), "help", "--help gives verb help");
    is_str(config_str(cfg, "help_topic"), "", "--help alone: overview");
    parse("help", "renew", NULL);
    is_str(config_verb(cfg), "help", "A-006 first argument help is --help");
    is_str(config_str(cfg, "help_topic"), "renew", "A-006 help renew topic");
    parse("-h", "all", NULL);
    is_str(config_str(cfg, "help_topic"), "all", "-h all topic");
    parse("certonly", "--bogus", "-h", "commands", NULL);
    is_str(config_str(cfg, "help_topic"), "commands",
           "-h anywhere wins over bad flags");
    parse("renew", "--help", NULL);
    is_str(config_str(cfg, "help_topic"), "",
           "renew --help is the overview (topic follows the flag)");
    parse("-h", "nosuchtopic", NULL);
    is_str(config_str(cfg, "help_topic"), "", "unknown topic: overview");
}

static void test_abbreviations(void)
{
    is_int(parse("--cert-n", "NAME", NULL), 0, "A-031 --cert-n parses");
    is_str(config_str(cfg, "certname"), "NAME", "A-031 --cert-n sets certname");
    is_int(config_origin(cfg, "certname"), CONFIG_ARGV,
           "A-031 abbreviation counts as user-set");
    ok(config_is_set(cfg, "certname"), "A-031 config_is_set via abbreviation");
    parse("--cert-n=EQ", NULL);
    is_str(config_str(cfg, "certname"), "EQ", "A-031 --cert-n=VALUE");
    parse("--rsa-key=4096", NULL);
    is_str(config_str(cfg, "rsa_key_size"), "4096", "abbreviation with =");
    is_int(parse("--re", NULL), CB_ERR_USAGE, "A-031 ambiguous prefix exits 2");
    ok(contains(cb_err_msg(&err),
                "certbot: error: ambiguous option: --re could match "
                "--register-unsafely-without-email, --reinstall, "),
       "A-031 ambiguous message lists the candidates in table order");
    is_int(parse("--doma", "x.test", NULL), CB_ERR_USAGE,
           "two names of one flag are still ambiguous (argparse)");
    is_int(parse("certonly", "--dry", NULL), 0, "--dry is --dry-run");
    ok(config_bool(cfg, "dry_run"), "--dry sets dry_run");
    is_int(parse("--no-eff", NULL), 0, "--no-eff abbreviates --no-eff-email");
    is_str(config_str(cfg, "eff_email"), "False",
           "--no-eff-email stores False");
}

static void test_domains(void)
{
    size_t n = 0;
    const char *const *d;

    parse("-d", "a.test,B.test.", "-d", " a.test ", "--domains", "c.test",
          "--domain=d.test", "-de.test", NULL);
    d = config_list(cfg, "domains", &n);
    is_int(n, 5, "A-069 -d lists merge and dedupe");
    is_str(d[0], "a.test", "A-069 order kept");
    is_str(d[1], "b.test", "A-070 lowercased, trailing dot dropped");
    is_str(d[4], "e.test", "-dVALUE form");
    is_int(parse("-d", "*.wild.test", NULL), 0, "wildcards are accepted");
    is_int(parse("-d", "http://a.test", NULL), CB_ERR_CONFIG,
           "A-071 URL domain is a configuration error (exit 1)");
    ok(contains(cb_err_msg(&err), "appears to be a URL"), "A-071 URL message");
    is_int(parse("-d", "a..test", NULL), CB_ERR_CONFIG,
           "empty label is a configuration error");
    is_int(parse("-d", NULL), CB_ERR_USAGE, "-d without value exits 2");
    is_str(last_line(cb_err_msg(&err)),
           "certbot: error: argument -d/--domains/--domain: expected one "
           "argument", "-d missing value message");
    is_int(parse("-d", "-x.test", NULL), CB_ERR_USAGE,
           "-d followed by a dash word has no value");
    parse("--ip-address", "127.0.0.2,::0:1", "--ip-address", "127.0.0.2",
          NULL);
    d = config_list(cfg, "ip_addresses", &n);
    is_int(n, 2, "--ip-address list deduplicated");
    is_str(d[1], "::1", "IPv6 address normalised");
}

static void expect_usage(const char *what, const char *msg, ...)
{
    const char *argv[16];
    int argc = 0, r;
    va_list ap;
    const char *a;

    config_free(cfg);
    cfg = config_new();
    cb_err_reset(&err);
    argv[argc++] = "certbot";
    va_start(ap, msg);
    for (a = va_arg(ap, const char *); a && argc < 15;
         a = va_arg(ap, const char *))
        argv[argc++] = a;
    va_end(ap);
    argv[argc] = NULL;
    r = cli_parse(argc, (char **)argv, cfg, &err);
    is_int(r, CB_ERR_USAGE, what);
    is_str(last_line(cb_err_msg(&err)), msg, what);
}

static void test_usage_errors(void)
{
    expect_usage("A-008 unknown flag",
                 "certbot: error: unrecognized arguments: --bogus-flag",
                 "--bogus-flag", NULL);
    ok(strncmp(cb_err_msg(&err), "usage: \n  certbot [SUBCOMMAND] [options] "
               "[-d DOMAIN] [-d DOMAIN] ...\n", 52) == 0,
       "A-008 error starts with the usage block");
    expect_usage("A-009 update_symlinks removed",
                 "certbot: error: unrecognized arguments: update_symlinks",
                 "update_symlinks", NULL);
    expect_usage("config_changes removed",
                 "certbot: error: unrecognized arguments: config_changes",
                 "config_changes", NULL);
    expect_usage("A-010 --key-type failwhale",
                 "certbot: error: argument --key-type: invalid choice: "
                 "'failwhale' (choose from 'rsa', 'ecdsa')",
                 "--key-type", "failwhale", NULL);
    expect_usage("A-010 --elliptic-curve prime256v1",
                 "certbot: error: argument --elliptic-curve: invalid choice: "
                 "'prime256v1' (choose from 'secp256r1', 'secp384r1', "
                 "'secp521r1')", "--elliptic-curve", "prime256v1", NULL);
    expect_usage("A-011 --csr without argument",
                 "certbot: error: argument --csr: expected one argument",
                 "--csr", NULL);
    expect_usage("A-012 unreadable --csr",
                 "certbot: error: argument --csr: No such file or directory",
                 "certonly", "--csr", "/nonexistent/csr.pem", NULL);
    expect_usage("A-013 --max-log-backups -1",
                 "certbot: error: argument --max-log-backups: value must be "
                 "non-negative", "--max-log-backups", "-1", NULL);
    expect_usage("A-013 --max-log-backups x",
                 "certbot: error: argument --max-log-backups: value must be "
                 "an integer", "--max-log-backups", "x", NULL);
    expect_usage("A-014 tls-sni-01",
                 "certbot: error: argument --preferred-challenges: "
                 "Unrecognized challenges: tls-sni-01",
                 "--preferred-challenges", "tls-sni-01", NULL);
    expect_usage("A-014 every bad challenge named",
                 "certbot: error: argument --preferred-challenges: "
                 "Unrecognized challenges: foo, tls-alpn-01",
                 "--preferred-challenges", "foo,http,tls-alpn-01", NULL);
    expect_usage("A-015 parentheses in --user-agent-comment",
                 "certbot: error: argument --user-agent-comment: may not "
                 "contain parentheses", "--user-agent-comment", "a(b)", NULL);
    expect_usage("A-016 --reason foo",
                 "certbot: error: argument --reason: invalid choice: 'foo' "
                 "(choose from 'unspecified', 'keycompromise', "
                 "'affiliationchanged', 'superseded', "
                 "'cessationofoperation')", "--reason", "foo", NULL);
    expect_usage("--eab-hmac-alg HS1",
                 "certbot: error: argument --eab-hmac-alg: invalid choice: "
                 "'HS1' (choose from 'HS256', 'HS384', 'HS512')",
                 "--eab-hmac-alg", "HS1", NULL);
    expect_usage("A-026 --manual-public-ip-logging-ok removed",
                 "certbot: error: unrecognized arguments: "
                 "--manual-public-ip-logging-ok",
                 "--manual-public-ip-logging-ok", NULL);
    expect_usage("A-026 --dns-route53-propagation-seconds removed",
                 "certbot: error: unrecognized arguments: "
                 "--dns-route53-propagation-seconds 10",
                 "--dns-route53-propagation-seconds", "10", NULL);
    expect_usage("tls-sni-01 port flag removed",
                 "certbot: error: unrecognized arguments: "
                 "--tls-sni-01-port 443", "--tls-sni-01-port", "443", NULL);
    expect_usage("int flags want ints",
                 "certbot: error: argument --rsa-key-size: invalid int "
                 "value: 'abc'", "--rsa-key-size", "abc", NULL);
    expect_usage("store_true refuses =value",
                 "certbot: error: argument --agree-tos: ignored explicit "
                 "argument 'yes'", "--agree-tos=yes", NULL);
    expect_usage("chained short flags stop at a non-flag",
                 "certbot: error: argument -q/--quiet: ignored explicit "
                 "argument '5'", "-nq5", NULL);
    expect_usage("-- ends the options",
                 "certbot: error: unrecognized arguments: -- --version",
                 "--", "--version", NULL);
    expect_usage("deploy and renew hook must agree",
                 "certbot: error: argument --renew-hook: conflicts with "
                 "--deploy-hook value", "--deploy-hook", "a",
                 "--renew-hook", "b", NULL);
}

static void test_values(void)
{
    size_t n = 0;
    const char *const *v;

    is_int(parse("--reason", "KeyCompromise", NULL), 0,
           "A-016 --reason is case-insensitive");
    is_int(config_int(cfg, "reason"), 1, "A-016 keycompromise is code 1");
    parse("--reason", "cessationOfOperation", NULL);
    is_int(config_int(cfg, "reason"), 5, "cessationofoperation is code 5");
    is_int(parse("--preferred-challenges", "dns,http", NULL), 0,
           "A-014 dns,http accepted");
    v = config_list(cfg, "pref_challs", &n);
    ok(n == 2 && strcmp(v[0], "dns-01") == 0 && strcmp(v[1], "http-01") == 0,
       "A-014 stored as dns-01, http-01");
    is_int(parse("--renew-hook", "echo hi", NULL), 0, "A-027 --renew-hook ok");
    is_str(config_str(cfg, "renew_hook"), "echo hi",
           "A-027 --renew-hook stored as renew_hook");
    parse("--deploy-hook", "echo d", NULL);
    is_str(config_str(cfg, "renew_hook"), "echo d",
           "--deploy-hook is saved as renew_hook");
    is_str(config_str(cfg, "deploy_hook"), "echo d", "...and deploy_hook");
    is_int(parse("--deploy-hook", "x", "--renew-hook", "x", NULL), 0,
           "equal deploy and renew hooks are fine");
    parse("-vvv", NULL);
    is_int(config_int(cfg, "verbose_count"), 3, "-vvv counts 3");
    is_int(cli_log_level(cfg), 0, "-vvv: console level 0");
    parse("-v", "-q", NULL);
    is_int(cli_log_level(cfg), 40, "--quiet: console level ERROR");
    parse(NULL);
    is_int(cli_log_level(cfg), 30, "default console level WARNING");
    parse("--max-log-backups", "0", NULL);
    is_int(config_int(cfg, "max_log_backups"), 0, "--max-log-backups 0");
    parse("--authenticators", "--installers", NULL);
    v = config_list(cfg, "ifaces", &n);
    ok(n == 2 && strcmp(v[0], "authenticator") == 0, "ifaces append_const");
    parse("--no-reuse-key", NULL);
    is_str(config_str(cfg, "reuse_key"), "False",
           "--no-reuse-key stores False");
    ok(config_is_set(cfg, "reuse_key"), "--no-reuse-key is user-set");
    parse("--keep", NULL);
    ok(config_bool(cfg, "reinstall"), "--keep sets reinstall");
    parse("--renew-by-default", NULL);
    ok(config_bool(cfg, "renew_by_default"), "--renew-by-default alias");
    parse("--test-cert", NULL);
    ok(config_bool(cfg, "staging"), "--test-cert sets staging");
}

static void test_paths(void)
{
    char cwd[1024], want[1200];

    if (!getcwd(cwd, sizeof(cwd)))
        cwd[0] = '\0';
    parse("--config-dir", "conf", "--work-dir", "./w/../work",
          "--logs-dir=/x//y/", NULL);
    snprintf(want, sizeof(want), "%s/conf", cwd);
    is_str(config_str(cfg, "config_dir"), want,
           "A-312 relative --config-dir made absolute");
    snprintf(want, sizeof(want), "%s/work", cwd);
    is_str(config_str(cfg, "work_dir"), want, "work dir normalised");
    is_str(config_str(cfg, "logs_dir"), "/x/y", "logs dir normalised");
    parse("certonly", NULL);
    snprintf(want, sizeof(want), "%s/cert.pem", cwd);
    is_str(config_str(cfg, "cert_path"), want,
           "certonly: cert_path defaults to ./cert.pem");
    snprintf(want, sizeof(want), "%s/chain.pem", cwd);
    is_str(config_str(cfg, "fullchain_path"), want,
           "certonly: fullchain_path defaults to ./chain.pem (sic)");
    ok(!config_is_set(cfg, "cert_path"),
       "the certonly default is not user-set");
    parse("install", NULL);
    ok(config_str(cfg, "cert_path") == NULL, "install: no cert_path default");
    is_int(parse("certonly", "--csr", csr_path, NULL), 0,
           "readable --csr accepted");
    is_str(config_str(cfg, "csr"), csr_path, "--csr path kept");
}

static void test_checks(void)
{
    is_int(parse("renew", "--force-interactive", NULL), CB_ERR_CONFIG,
           "A-019 renew --force-interactive is exit 1");
    is_str(cb_err_msg(&err), "--force-interactive cannot be used with renew",
           "A-019 message");
    is_int(parse("certonly", "-n", "--force-interactive", NULL), CB_ERR_CONFIG,
           "A-020 -n with --force-interactive");
    is_str(cb_err_msg(&err), "Flag for non-interactive mode and "
           "--force-interactive conflict", "A-020 message");
    is_int(parse("run", "--dry-run", "-d", "d1.test", NULL), CB_ERR_CONFIG,
           "A-021 run --dry-run");
    is_str(cb_err_msg(&err), "--dry-run currently only works with the "
           "'certonly' or 'renew' subcommands ('run')", "A-021 message");
    is_int(parse("--staging", "--server", "https://other.example/dir",
                 "certonly", NULL), CB_ERR_CONFIG, "A-022 staging + server");
    is_str(cb_err_msg(&err), "--server value conflicts with --staging",
           "A-022 message");
    is_int(parse("certonly", "--hsts", "--auto-hsts", NULL), CB_ERR_CONFIG,
           "A-023 hsts + auto-hsts");
    is_str(cb_err_msg(&err), "Parameters --hsts and --auto-hsts cannot be "
           "used simultaneously.", "A-023 message");
    is_int(parse("certonly", "--http-01-port", "443", NULL), CB_ERR_CONFIG,
           "A-024 http-01 port equals https port");
    is_str(cb_err_msg(&err), "Trying to run http-01 and https-port on the "
           "same port (443)", "A-024 message");
    is_int(parse("run", "--csr", csr_path, NULL), CB_ERR_CONFIG,
           "--csr outside certonly");
    ok(contains(cb_err_msg(&err), "a CSR file may only be specified"),
       "--csr outside certonly message");
    is_int(parse("certonly", "--csr", csr_path,
                 "--allow-subset-of-names", NULL), CB_ERR_CONFIG,
           "--csr with --allow-subset-of-names");
    is_str(cb_err_msg(&err), "--allow-subset-of-names cannot be used with "
           "--csr", "--csr/--allow-subset message");
    is_int(parse("--allow-subset-of-names", "-d", "*.a.test", NULL),
           CB_ERR_CONFIG, "--allow-subset-of-names with a wildcard");
    is_int(parse("--staging", NULL), 0, "--staging alone is fine");
    is_str(config_str(cfg, "server"),
           "https://acme-staging-v02.api.letsencrypt.org/directory",
           "--staging switches the server");
    ok(config_set_by_user(cfg, "server"),
       "server counts as user-set through --staging");
    is_int(parse("certonly", "--dry-run", "--server", "https://x.test/dir",
                 NULL), 0, "dry-run keeps a custom server");
    is_str(config_str(cfg, "server"), "https://x.test/dir",
           "custom server kept by --dry-run");
    ok(config_bool(cfg, "staging"), "--dry-run sets staging");
    parse("certonly", "-q", NULL);
    ok(config_bool(cfg, "noninteractive_mode"), "--quiet implies -n");
    parse("renew", NULL);
    ok(config_bool(cfg, "noninteractive_mode"), "renew forces -n");
    parse("--must-staple", NULL);
    ok(config_bool(cfg, "staple"), "--must-staple sets staple");
}

static void test_selectors(void)
{
    is_int(parse("--standalone", "--nginx", NULL), CB_ERR_CONFIG,
           "selector conflict is exit 1");
    is_str(cb_err_msg(&err), "Too many flags setting configurators/"
           "installers/authenticators 'nginx' -> 'standalone'",
           "selector conflict message (Certbot's order)");
    is_int(parse("--standalone", "-a", "webroot", NULL), CB_ERR_CONFIG,
           "-a and a different selector conflict");
    is_int(parse("certonly", "--standalone", NULL), 0, "--standalone ok");
    is_str(config_str(cfg, "authenticator"), "standalone",
           "--standalone selects the authenticator");
    ok(config_is_set(cfg, "authenticator"), "...as a user setting");
    ok(config_str(cfg, "installer") == NULL, "--standalone sets no installer");
    parse("--nginx", NULL);
    is_str(config_str(cfg, "installer"), "nginx", "--nginx sets installer");
    is_str(config_str(cfg, "authenticator"), "nginx", "...and authenticator");
    is_int(parse("--nginx", "-a", "nginx", NULL), 0, "agreeing flags are fine");
    parse("--dns-rfc2136", NULL);
    is_str(config_str(cfg, "authenticator"), "dns-rfc2136",
           "dns selector names the plugin with a dash");
    parse("--configurator", "apache", NULL);
    is_str(config_str(cfg, "installer"), "apache", "--configurator: installer");
}

static void test_deprecated(void)
{
    const char *out;
    int r;

    capture_start();
    r = parse("--os-packages-only", "--no-self-upgrade", "--no-bootstrap",
              "--no-permissions-check", NULL);
    out = capture_end();
    is_int(r, 0, "A-025 certbot-auto flags are accepted");
    ok(contains(out, "Use of --os-packages-only is deprecated.\n"),
       "A-025 --os-packages-only warns");
    ok(contains(out, "Use of --no-permissions-check is deprecated.\n"),
       "A-025 --no-permissions-check warns");
    ok(!config_is_set(cfg, "os_packages_only"),
       "A-025 deprecated flags change nothing");
}

static void test_plugins(void)
{
    static const struct cb_option webroot[] = {
        {"path", CB_OPT_LIST, CB_OPT_PER_DOMAIN, NULL, NULL,
         "Web root directory; repeat it for several.", 'w'},
        {"map", CB_OPT_STRING, 0, NULL, "{}",
         "JSON mapping of domains to web roots.", 0},
        CB_OPTION_END};
    static const struct cb_option dns[] = {
        {"credentials", CB_OPT_PATH, 0, "FILE", NULL, "Credentials file.", 0},
        {"token", CB_OPT_STRING, CB_OPT_SECRET | CB_OPT_NOSAVE, NULL, NULL,
         "API token.", 0},
        CB_OPTION_END};
    static const struct cb_option clash[] = {
        {"port", CB_OPT_INT, 0, NULL, NULL, "again", 0}, CB_OPTION_END};
    static const struct cb_option none[] = {CB_OPTION_END};
    char cwd[1024], want[1200];
    size_t n = 0, nm = 0;
    const char *const *v;
    const size_t *marks;
    enum config_type type;
    int renewal = 0;
    char *repr;
    char *argv[] = {"certbot", "--dns-example-token", "sekrit-token",
                    "--eab-hmac-key=hmac-secret", "-d", "a.test", NULL};

    if (!getcwd(cwd, sizeof(cwd)))
        cwd[0] = '\0';
    is_int(cli_add_plugin_options("webroot", "Writes files into a web root",
                                  webroot, sizeof(struct cb_option), &err),
           0, "webroot options registered");
    is_int(cli_add_plugin_options("dns-example", "Example DNS", dns,
                                  sizeof(struct cb_option), &err),
           0, "dns-example options registered");
    is_int(cli_add_plugin_options("standalone", "Runs its own server", none,
                                  sizeof(struct cb_option), &err),
           0, "a plugin without options registers its section");
    cb_err_reset(&err);
    is_int(cli_add_plugin_options("http-01", "x", clash,
                                  sizeof(struct cb_option), &err),
           CB_ERR_INVAL, "a plugin option may not shadow a core flag");
    ok(contains(cb_err_msg(&err), "--http-01-port"), "clash names the flag");
    cb_err_reset(&err);
    is_int(cli_add_plugin_options("webroot", "x", none,
                                  sizeof(struct cb_option), &err),
           CB_ERR_INVAL, "registering a plugin twice fails");

    is_int(parse("-w", "www", "-d", "a.test", "-d", "b.test",
                 "--webroot-path", "/srv/c", "-d", "c.test", "--webroot",
                 "certonly", NULL), 0, "-w and --webroot-path parse");
    v = config_list(cfg, "webroot_path", &n);
    snprintf(want, sizeof(want), "%s/www", cwd);
    ok(n == 2 && strcmp(v[0], want) == 0 && strcmp(v[1], "/srv/c") == 0,
       "webroot paths made absolute, in order");
    marks = config_list_domain_marks(cfg, "webroot_path", &nm);
    ok(marks && nm == 2 && marks[0] == 0 && marks[1] == 2,
       "PER_DOMAIN marks record the -d count at each -w");
    is_str(config_str(cfg, "webroot_map"), "{}", "plugin string default");
    is_int(config_dest_info("webroot_path", &type, &renewal), 0,
           "plugin dest known");
    ok(type == CONFIG_T_LIST && renewal, "webroot_path: list, renewal");
    is_str(config_dest_plugin("webroot_map"), "webroot", "dest plugin owner");
    is_int(parse("--dns-example-cred", "c.ini", NULL), 0,
           "plugin options abbreviate too");
    snprintf(want, sizeof(want), "%s/c.ini", cwd);
    is_str(config_str(cfg, "dns_example_credentials"), want,
           "CB_OPT_PATH made absolute");
    config_dest_info("dns_example_token", &type, &renewal);
    ok(!renewal, "CB_OPT_NOSAVE is not saved");
    ok(config_dest_is_secret("dns_example_token"), "CB_OPT_SECRET is secret");
    ok(config_dest_is_secret("eab_hmac_key"), "--eab-hmac-key is secret");
    repr = cli_args_repr(6, argv);
    is_str(repr, "['--dns-example-token', '********', "
           "'--eab-hmac-key=********', '-d', 'a.test']",
           "secrets are hidden from the Arguments: log line");
    free(repr);
}

static void test_help_pages(void)
{
    static const struct cb_option none[] = {CB_OPTION_END};
    const char *out;
    char *renew1;

    parse(NULL);
    out = help_text("");
    ok(contains(out, "certbot [SUBCOMMAND] [options] [-d DOMAIN] "
                "[-d DOMAIN] ..."), "A-002 overview usage line");
    ok(contains(out, "obtain, install, and renew certificates:"),
       "A-002 obtain section");
    ok(contains(out, "manage certificates:"), "A-002 manage certificates");
    ok(contains(out, "manage your account:"), "A-002 manage your account");
    ok(contains(out, "-h all"), "A-002 mentions -h all");
    ok(contains(out, "(the certbot nginx plugin is not installed)"),
       "A-003 without nginx");
    ok(strncmp(out, "\n- - - - ", 9) == 0, "overview is framed");
    out = help_text("commands");
    ok(contains(out, "\ncertificates  ") && contains(out, "\nreconfigure  ") &&
       contains(out, "\nrun (default)  ") &&
       contains(out, "\nupdate_account  ") && !contains(out, "update_symlinks"),
       "A-005 -h commands lists the 15 verbs");
    renew1 = strdup(help_text("renew"));
    ok(contains(renew1, "certbot renew [--cert-name CERTNAME] [options]"),
       "A-006 renew usage");
    ok(contains(renew1, "\n  --pre-hook PRE_HOOK"),
       "A-006 renew shows --pre-hook");
    ok(!contains(renew1, "--renew-hook"), "hidden --renew-hook not shown");
    ok(!contains(renew1, "\nsecurity:"), "-h renew shows only its section");
    free(renew1);
    out = help_text("webroot");
    ok(contains(out, "--webroot-path WEBROOT_PATH, -w WEBROOT_PATH"),
       "A-007 -h webroot shows -w");
    ok(contains(out, "--webroot-map WEBROOT_MAP"), "A-007 shows --webroot-map");
    out = help_text("standalone");
    ok(contains(out, "\nstandalone:\n  Runs its own server"),
       "-h standalone shows the plugin section");
    ok(contains(out, "--http-01-port HTTP01_PORT"),
       "-h standalone lists core flags with that topic");
    out = help_text("plugins");
    ok(contains(out, "--init") && contains(out, "--standalone"),
       "-h plugins shows both plugins sections");
    out = help_text("security");
    ok(contains(out, "--key-type {rsa,ecdsa}"), "choices as metavar");
    ok(!contains(out, "--no-hsts"), "hidden --no-hsts absent");

    cli_add_plugin_options("nginx", "Nginx Web Server plugin", none,
                           sizeof(struct cb_option), &err);
    out = help_text("");
    ok(contains(out, "--nginx           Use the Nginx plugin for "
                "authentication & installation"), "A-003 with nginx");
}

/* every visible flag of the table in -h all, no hidden one. */
struct row {
    const char *names;
    char shrt;
    unsigned flags;
};

#define CB_FLAG(names, shrt, dest, action, check, dflt, metavar, choices, \
                topics, flags, help)                                      \
    {names, shrt, flags},
static const struct row rows[] = {
#include "cli/flags.def"
};

static void test_help_all(void)
{
    const char *out = help_text("all");
    int missing = 0, leaked = 0;

    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        char want[128];
        size_t len = strcspn(rows[i].names, "|");

        if (rows[i].shrt)
            snprintf(want, sizeof(want), "\n  -%c", rows[i].shrt);
        else
            snprintf(want, sizeof(want), "\n  --%.*s", (int)len,
                     rows[i].names);
        if (rows[i].flags & CLI_F_HIDDEN) {
            char line[128];

            snprintf(line, sizeof(line), "\n  --%.*s", (int)len,
                     rows[i].names);
            if (contains(out, line)) {
                leaked++;
                printf("# hidden flag shown: %s\n", line + 1);
            }
        } else if (!contains(out, want)) {
            missing++;
            printf("# flag missing from -h all: %s\n", want + 1);
        }
    }
    is_int(missing, 0, "A-004 -h all lists every visible flag");
    is_int(leaked, 0, "A-004 -h all hides hidden flags");
    ok(contains(out, "\nautomation:\n") && contains(out, "\npaths:\n") &&
       contains(out, "\nshow_account:\n") && contains(out, "\nwebroot:\n"),
       "A-004 -h all has the groups and plugin sections");
}

int main(void)
{
    int fd = mkstemp(csr_path);

    if (fd >= 0) {
        (void)!write(fd, "not really a CSR\n", 17);
        close(fd);
    }
    setenv("CERTBOT_SYSTEM_CLI_INI", "/dev/null", 1);
    setenv("XDG_CONFIG_HOME", "/nonexistent-cli-test", 1);
    unsetenv("COLUMNS");
    test_verbs();
    test_help_detection();
    test_abbreviations();
    test_domains();
    test_usage_errors();
    test_values();
    test_paths();
    test_checks();
    test_selectors();
    test_deprecated();
    test_plugins();
    test_help_pages();
    test_help_all();
    config_free(cfg);
    unlink(csr_path);
    return done_testing();
}
