/* webroot_args_resolve: -w/-d positional mapping, --webroot-map, checks
 * (SPEC 5.3; A-246..A-249). */
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
#include "cli/webroot_args.h"

static struct cb_err err;
static struct cb_config *cfg;
static char base[64] = "/tmp/test_webroot_args.XXXXXX";
static char dir_a[128], dir_b[128];

/* Parse "certbot certonly <args...>" into a fresh cfg, then resolve. */
static int resolve(const char *first, ...)
{
    const char *argv[64];
    int argc = 0, r;
    va_list ap;
    const char *a;

    config_free(cfg);
    cfg = config_new();
    cb_err_reset(&err);
    argv[argc++] = "certbot";
    argv[argc++] = "certonly";
    va_start(ap, first);
    for (a = first; a && argc < 63; a = va_arg(ap, const char *))
        argv[argc++] = a;
    va_end(ap);
    argv[argc] = NULL;
    r = cli_parse(argc, (char **)argv, cfg, &err);
    if (r != CB_OK)
        return r;
    return webroot_args_resolve(cfg, &err);
}

static int contains(const char *hay, const char *needle)
{
    return hay && needle && strstr(hay, needle) != NULL;
}

static const char *list_join(const char *dest)
{
    static char buf[512];
    size_t n = 0;
    const char *const *v = config_list(cfg, dest, &n);

    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        strncat(buf, v[i], sizeof(buf) - strlen(buf) - 2);
        strncat(buf, " ", sizeof(buf) - strlen(buf) - 1);
    }
    return buf;
}

static void test_positional(void)
{
    char want[1024];

    is_int(resolve("-w", dir_a, "-d", "x.test", "-d", "y.test", "-w", dir_b,
                   "-d", "z.test", NULL),
           0, "A-246 -w a -d x -d y -w b -d z resolves");
    /* z.test follows the last -w: left for the plugin (last -w) */
    snprintf(want, sizeof(want), "{\"x.test\":\"%s\",\"y.test\":\"%s\"}",
             dir_a, dir_a);
    is_str(config_str(cfg, "webroot_map"), want,
           "A-246 domains before the second -w map to the first");
    ok(config_set_by_user(cfg, "webroot_map"),
       "the map counts as set by the user (saved)");

    is_int(resolve("-w", dir_a, "-d", "x.test", NULL), 0, "single -w");
    is_str(config_str(cfg, "webroot_map"), "{}",
           "a single -w maps nothing yet (the plugin uses it for all)");

    is_int(resolve("-d", "x.test", "-w", dir_a, NULL), 0,
           "one -w after -d is fine");

    is_int(resolve("-d", "x.test", "-w", dir_a, "-w", dir_b, "-d", "y.test",
                   NULL),
           CB_ERR_CONFIG, "A-247 -d before the first of two -w fails");
    ok(contains(cb_err_msg(&err), "If you specify multiple webroot paths, "
                "one of them must precede all --domain and --ip-address "
                "flags"),
       "A-247 message");

    is_int(resolve("-w", "/does/not/exist", "-d", "x.test", NULL),
           CB_ERR_CONFIG, "A-249 missing webroot fails");
    is_str(cb_err_msg(&err),
           "/does/not/exist does not exist or is not a directory",
           "A-249 message");

    is_int(resolve("-d", "x.test", NULL), 0, "no webroot options: no-op");
    ok(!config_set_by_user(cfg, "webroot_map"), "map untouched");
}

static void test_map(void)
{
    char json[512], want[1024];

    snprintf(json, sizeof(json), "{\"X.test, y.test\": \"%s\", "
             "\"127.0.0.1\": \"%s\"}", dir_a, dir_b);
    is_int(resolve("--webroot-map", json, NULL), 0,
           "A-248 --webroot-map alone resolves");
    is_str(list_join("domains"), "x.test y.test ",
           "A-248 its keys become domains (split, normalised)");
    is_str(list_join("ip_addresses"), "127.0.0.1 ",
           "IP keys become --ip-address values");
    snprintf(want, sizeof(want), "{\"x.test\":\"%s\",\"y.test\":\"%s\","
             "\"127.0.0.1\":\"%s\"}", dir_a, dir_a, dir_b);
    is_str(config_str(cfg, "webroot_map"), want,
           "one identifier per key in the resolved map");

    snprintf(json, sizeof(json), "{\"x.test\": \"%s\"}", dir_b);
    is_int(resolve("-w", dir_a, "-d", "x.test", "-d", "y.test", "-w", dir_a,
                   "--webroot-map", json, NULL),
           0, "map and -w together");
    snprintf(want, sizeof(want), "{\"x.test\":\"%s\",\"y.test\":\"%s\"}",
             dir_b, dir_a);
    is_str(config_str(cfg, "webroot_map"), want,
           "the map takes precedence over -w/-d");
    is_str(list_join("domains"), "x.test y.test ", "no duplicate domains");

    is_int(resolve("--webroot-map", "{\"x.test\": \"/does/not/exist\"}",
                   NULL),
           CB_ERR_CONFIG, "A-249 map paths are checked");
    is_int(resolve("--webroot-map", "[1, 2]", NULL), CB_ERR_CONFIG,
           "a map that is not a JSON object fails");
    is_int(resolve("--webroot-map", "{\"x.test\": 3}", NULL), CB_ERR_CONFIG,
           "a map value that is not a string fails");
    is_int(resolve("--webroot-map", "{\"http://x.test\": \"/tmp\"}", NULL),
           CB_ERR_CONFIG, "map keys get the -d sanity checks");
}

int main(void)
{
    static const struct cb_option webroot[] = {
        {"path", CB_OPT_LIST, CB_OPT_PER_DOMAIN, NULL, NULL, "path", 'w'},
        {"map", CB_OPT_STRING, 0, NULL, "{}", "map", 0},
        CB_OPTION_END};

    setenv("CERTBOT_SYSTEM_CLI_INI", "/dev/null", 1);
    setenv("XDG_CONFIG_HOME", "/nonexistent-webroot-test", 1);
    if (!mkdtemp(base))
        return 1;
    snprintf(dir_a, sizeof(dir_a), "%s/a", base);
    snprintf(dir_b, sizeof(dir_b), "%s/b", base);
    mkdir(dir_a, 0755);
    mkdir(dir_b, 0755);
    cfg = config_new();
    is_int(webroot_args_resolve(cfg, &err), 0,
           "without the webroot plugin's options: nothing to do");
    is_int(cli_add_plugin_options("webroot", "webroot", webroot,
                                  sizeof(struct cb_option), &err),
           0, "webroot options registered");
    test_positional();
    test_map();
    config_free(cfg);
    rmdir(dir_a);
    rmdir(dir_b);
    rmdir(base);
    return done_testing();
}
