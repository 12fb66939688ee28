/* cli.ini: ConfigArgParse syntax and precedence (SPEC 3.9; A-296..A-302).
 * The system file is redirected with CERTBOT_SYSTEM_CLI_INI and the user
 * file with XDG_CONFIG_HOME, both into a temp directory. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tap.h"

#include <certbot/options.h>

#include "cli/config.h"
#include "cli/parse.h"

static struct cb_err err;
static struct cb_config *cfg;
static char dir[64] = "/tmp/test_cli_ini.XXXXXX";
static char sys_ini[128], xdg_ini[128], my_ini[128];

static void write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");

    if (fp) {
        fputs(text, fp);
        fclose(fp);
    }
}

static int parse(const char *first, ...)
{
    const char *argv[32];
    int argc = 0;
    va_list ap;
    const char *a;

    config_free(cfg);
    cfg = config_new();
    cb_err_reset(&err);
    argv[argc++] = "certbot";
    va_start(ap, first);
    for (a = first; a && argc < 31; a = va_arg(ap, const char *))
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

static void reset_files(void)
{
    write_file(sys_ini, "");
    write_file(xdg_ini, "");
    write_file(my_ini, "");
}

static void test_precedence(void)
{
    enum config_type type;
    int renewal = 0;

    reset_files();
    write_file(xdg_ini, "rsa-key-size = 4096\nkey-type = rsa\n");
    is_int(parse("certonly", NULL), 0, "A-296 XDG cli.ini parses");
    is_int(config_int(cfg, "rsa_key_size"), 4096, "A-296 rsa-key-size read");
    is_str(config_str(cfg, "key_type"), "rsa", "A-296 key-type read");
    is_int(config_origin(cfg, "rsa_key_size"), CONFIG_FILE,
           "A-296 origin is CONFIG_FILE");
    ok(config_is_set(cfg, "rsa_key_size"), "A-296 cli.ini values are user-set");
    config_dest_info("rsa_key_size", &type, &renewal);
    ok(renewal && type == CONFIG_T_INT,
       "A-296 rsa_key_size is saved for renewal");

    write_file(xdg_ini, "key-type = ecdsa\n");
    write_file(my_ini, "key-type = rsa\n");
    parse("certonly", "-c", my_ini, NULL);
    is_str(config_str(cfg, "key_type"), "rsa", "A-297 -c beats XDG");
    parse("certonly", "--config", my_ini, "--key-type", "ecdsa", NULL);
    is_str(config_str(cfg, "key_type"), "ecdsa", "A-297 argv beats -c");
    is_int(config_origin(cfg, "key_type"), CONFIG_ARGV, "A-297 origin argv");
    ok(config_is_set(cfg, "config_dir"),
       "-c on the command line marks config_dir as set (Certbot quirk)");

    write_file(sys_ini, "key-type = rsa\nmax-log-backups = 0\n");
    write_file(xdg_ini, "key-type = ecdsa\n");
    write_file(my_ini, "");
    parse("certonly", NULL);
    is_str(config_str(cfg, "key_type"), "ecdsa", "XDG beats the system file");
    is_int(config_int(cfg, "max_log_backups"), 0,
           "A-298 the system file is read");
    parse("certonly", "--config-dir", dir, NULL);
    is_int(config_int(cfg, "max_log_backups"), 0,
           "A-298 the system file is read with another --config-dir");

    reset_files();
    write_file(my_ini, "preferred-challenges = http\n");
    write_file(xdg_ini, "preferred-challenges = dns\n");
    parse("certonly", "-c", my_ini, NULL);
    {
        size_t n = 0;
        const char *const *v = config_list(cfg, "pref_challs", &n);

        ok(n == 1 && strcmp(v[0], "http-01") == 0,
           "a higher file claims a key entirely (no merging)");
    }
}

static void test_syntax(void)
{
    reset_files();
    write_file(my_ini, "agree-tos\n");
    parse("certonly", "-c", my_ini, NULL);
    ok(config_bool(cfg, "tos"), "A-299 bare key means true");
    is_int(config_origin(cfg, "tos"), CONFIG_FILE, "A-299 origin file");

    write_file(my_ini, "agree-tos = false\n");
    parse("certonly", "-c", my_ini, NULL);
    ok(!config_is_set(cfg, "tos"), "A-299 false leaves the flag unset");

    write_file(my_ini, "agree-tos = maybe\n");
    is_int(parse("certonly", "-c", my_ini, NULL), CB_ERR_USAGE,
           "A-299 a bad boolean exits 2");
    is_str(last_line(cb_err_msg(&err)),
           "certbot: error: Unexpected value for agree-tos: 'maybe'. "
           "Expecting 'true', 'false', 'yes', 'no', '1' or '0'",
           "A-299 bad boolean message");

    write_file(my_ini, "# comment\n; other\n[section]\n---\n"
               "email = a@x.test # note\n"
               "webroot-map = {\"d1.test\": \"/srv\"}\n");
    is_int(parse("certonly", "-c", my_ini, NULL), 0,
           "A-300 comments, sections and JSON parse");
    is_str(config_str(cfg, "email"), "a@x.test",
           "A-300 inline comment stripped");
    is_str(config_str(cfg, "webroot_map"), "{\"d1.test\": \"/srv\"}",
           "A-300 one-line JSON webroot-map kept whole");

    write_file(my_ini, "frobnicate = 1\n");
    is_int(parse("certonly", "-c", my_ini, NULL), CB_ERR_USAGE,
           "A-301 unknown key exits 2");
    is_str(last_line(cb_err_msg(&err)),
           "certbot: error: unrecognized arguments: --frobnicate=1",
           "A-301 unknown key message");

    write_file(my_ini, "authenticator = standalone\n");
    parse("certonly", "-c", my_ini, NULL);
    is_str(config_str(cfg, "authenticator"), "standalone",
           "A-302 authenticator from cli.ini");
    ok(config_is_set(cfg, "authenticator"), "A-302 ...counts as user-set");

    write_file(my_ini, "rsa-key-size: 3072\nkey-type 'rsa'\n"
               "cert-name = \"quoted name\"\n");
    parse("certonly", "-c", my_ini, NULL);
    is_int(config_int(cfg, "rsa_key_size"), 3072, "':' separator");
    is_str(config_str(cfg, "key_type"), "rsa",
           "whitespace separator and single quotes");
    is_str(config_str(cfg, "certname"), "quoted name", "double quotes removed");

    write_file(my_ini, "cert-n = abbreviated\n");
    parse("certonly", "-c", my_ini, NULL);
    is_str(config_str(cfg, "certname"), "abbreviated",
           "an abbreviated key works like on the command line");

    write_file(my_ini, "verbose = 2\n");
    parse("certonly", "-c", my_ini, NULL);
    is_int(config_int(cfg, "verbose_count"), 2, "a count from cli.ini");

    write_file(my_ini, "domains = [a.test, b.test]\n");
    is_int(parse("certonly", "-c", my_ini, NULL), CB_ERR_USAGE,
           "a list for a non-list option exits 2");
    ok(strstr(cb_err_msg(&err), "domains can't be set to a list "
              "'['a.test', 'b.test']'") != NULL, "list error message");

    write_file(my_ini, "key-type = failwhale\n");
    is_int(parse("certonly", "-c", my_ini, NULL), CB_ERR_USAGE,
           "bad choices in cli.ini exit 2 too");

    write_file(my_ini, "=oops\n");
    is_int(parse("certonly", "-c", my_ini, NULL), CB_ERR_USAGE,
           "a line without a key exits 2");

    is_int(parse("certonly", "-c", "/nonexistent/cli.ini", NULL),
           CB_ERR_USAGE, "a missing -c file exits 2");
    ok(strstr(cb_err_msg(&err), "Unable to open config file: "
              "/nonexistent/cli.ini") != NULL, "missing -c file message");
}

static void test_renew_domains(void)
{
    size_t n = 0;

    reset_files();
    write_file(xdg_ini, "domains = a.test\n");
    parse("certonly", NULL);
    config_list(cfg, "domains", &n);
    is_int(n, 1, "certonly takes domains from cli.ini");
    parse("renew", NULL);
    config_list(cfg, "domains", &n);
    is_int(n, 0, "renew ignores domains from cli.ini");
    ok(!config_is_set(cfg, "domains"), "...and they are not user-set");
    parse("certonly", "-d", "b.test", NULL);
    {
        const char *const *d = config_list(cfg, "domains", &n);

        ok(n == 1 && strcmp(d[0], "b.test") == 0,
           "-d on the command line replaces cli.ini domains");
    }
}

int main(void)
{
    static const struct cb_option webroot[] = {
        {"path", CB_OPT_LIST, CB_OPT_PER_DOMAIN, NULL, NULL, "path", 'w'},
        {"map", CB_OPT_STRING, 0, NULL, "{}", "map", 0},
        CB_OPTION_END};
    char xdg[128];

    if (!mkdtemp(dir))
        return 1;
    snprintf(sys_ini, sizeof(sys_ini), "%s/system.ini", dir);
    snprintf(xdg, sizeof(xdg), "%s/xdg", dir);
    mkdir(xdg, 0700);
    snprintf(xdg_ini, sizeof(xdg_ini), "%s/xdg/letsencrypt", dir);
    mkdir(xdg_ini, 0700);
    snprintf(xdg_ini, sizeof(xdg_ini), "%s/xdg/letsencrypt/cli.ini", dir);
    snprintf(my_ini, sizeof(my_ini), "%s/my.ini", dir);
    setenv("CERTBOT_SYSTEM_CLI_INI", sys_ini, 1);
    setenv("XDG_CONFIG_HOME", xdg, 1);
    cli_add_plugin_options("webroot", "webroot", webroot,
                           sizeof(struct cb_option), &err);

    test_precedence();
    test_syntax();
    test_renew_domains();

    config_free(cfg);
    unlink(sys_ini);
    unlink(xdg_ini);
    unlink(my_ini);
    snprintf(xdg, sizeof(xdg), "%s/xdg/letsencrypt", dir);
    rmdir(xdg);
    snprintf(xdg, sizeof(xdg), "%s/xdg", dir);
    rmdir(xdg);
    rmdir(dir);
    return done_testing();
}
