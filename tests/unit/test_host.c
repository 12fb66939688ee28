/* The host services table and plugin instances (core/plugin/host.c,
 * instance.c, dns.c, options.c) driven through the abi-valid and abi-dns
 * fixtures: option lookups via a config, fail() capture into the caller's
 * err, destroy exactly once, strlists, processes, files, credentials and
 * the generic DNS-01 authenticator. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/config.h"
#include "plugin/host.h"
#include "plugin/instance.h"
#include "plugin/loader.h"
#include "util/display.h"
#include "util/strvec.h"

#include "tap.h"

#ifndef ABI_FIXTURES
#define ABI_FIXTURES "tests/abi/.libs"
#endif

static char base[1024];

static char *in_base(const char *name)
{
    static char buf[4][PATH_MAX];
    static int k;

    k = (k + 1) % 4;
    snprintf(buf[k], sizeof(buf[k]), "%s/%s", base, name);
    return buf[k];
}

static void write_text(const char *path, const char *text, mode_t mode)
{
    FILE *f = fopen(path, "w");

    if (f) {
        fputs(text, f);
        fclose(f);
    }
    chmod(path, mode);
}

static char *read_text(const char *path)
{
    static char buf[4096];
    FILE *f = fopen(path, "r");
    size_t n = 0;

    buf[0] = '\0';
    if (f) {
        n = fread(buf, 1, sizeof(buf) - 1, f);
        fclose(f);
    }
    buf[n] = '\0';
    return buf;
}

static int count_lines(const char *text, const char *line)
{
    size_t len = strlen(line);
    int n = 0;

    for (const char *p = text; p && *p;) {
        if (strncmp(p, line, len) == 0 && (p[len] == '\n' || !p[len]))
            n++;
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    return n;
}

static struct plugin_registry *load_fixtures(void)
{
    const char *names[] = {"abi-valid", "abi-dns", "http"};
    char src[PATH_MAX], dst[PATH_MAX];
    const char *dirs[1];
    struct plugin_registry *reg = NULL;
    struct cb_err err = {0};

    mkdir(in_base("plugins"), 0755);
    for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++) {
        snprintf(src, sizeof(src), "%s/%s.so", ABI_FIXTURES, names[i]);
        snprintf(dst, sizeof(dst), "%s/%s.so", in_base("plugins"), names[i]);
        if (symlink(src, dst) != 0)
            printf("# symlink: %s\n", strerror(errno));
    }
    dirs[0] = in_base("plugins");
    if (plugin_registry_load_dirs(dirs, 1, &reg, &err) != CB_OK)
        printf("# load: %s\n", cb_err_msg(&err));
    return reg;
}

static struct cb_challenge chall(uint32_t type, const char *ident,
                                 const char *vname, const char *val)
{
    struct cb_challenge c = {
        .struct_size = sizeof(struct cb_challenge),
        .type = type,
        .ident_type = CB_IDENT_DNS,
        .identifier = ident,
        .token = "tok",
        .key_authorization = "tok.thumb",
        .validation = val,
        .validation_name = vname,
    };
    return c;
}

static void test_instance(struct plugin *p, struct cb_config *cfg)
{
    struct cb_challenge ok1 = chall(CB_CHALL_HTTP01, "a.test", NULL, "v");
    struct cb_challenge bad = chall(CB_CHALL_HTTP01, "fail.test", NULL, "v");
    struct cb_challenge quiet = chall(CB_CHALL_HTTP01, "silent.test", NULL,
                                      "v");
    struct cb_challenge pos = chall(CB_CHALL_HTTP01, "positive.test", NULL,
                                    "v");
    const struct cb_challenge *c1[] = {&ok1}, *cb[] = {&ok1, &bad},
                              *cq[] = {&quiet}, *cp[] = {&pos};
    const char *dlog = in_base("destroy.log");
    struct plugin_inst *pi = NULL;
    struct strvec names = {0};
    struct cb_err err = {0};
    uint32_t types[4];
    size_t n = 4;

    setenv("ABI_VALID_DESTROY_LOG", dlog, 1);
    is_int(plugin_inst_new(p, cfg, &pi, &err), CB_OK, "create");
    ok(plugin_inst_plugin(pi) == p, "instance knows its plugin");
    is_int(plugin_inst_prepare(pi, &err), CB_OK, "prepare");
    is_int(plugin_inst_chall_pref(pi, "a.test", types, &n, &err), CB_OK,
           "chall pref");
    ok(n == 2 && types[0] == CB_CHALL_HTTP01 && types[1] == CB_CHALL_DNS01,
       "chall pref order kept");
    is_int(plugin_inst_perform(pi, c1, 1, &err), CB_OK, "perform");
    is_int(plugin_inst_cleanup(pi, c1, 1, &err), CB_OK, "cleanup");

    is_int(plugin_inst_perform(pi, cb, 2, &err), CB_ERR_PLUGIN,
           "perform failing through fail()");
    is_str(err.msg, "cannot serve fail.test", "fail() message reaches err");
    cb_err_reset(&err);
    is_int(plugin_inst_perform(pi, cq, 1, &err), CB_ERR_IO,
           "error code without a message");
    is_str(err.msg, "abi-valid plugin: input/output error",
           "generic message names the plugin");
    cb_err_reset(&err);
    is_int(plugin_inst_perform(pi, cp, 1, &err), CB_ERR_PLUGIN,
           "a positive return is a plugin bug, reported as an error");
    cb_err_reset(&err);
    is_int(plugin_inst_perform(pi, c1, 1, &err), CB_OK,
           "a failed call leaves no message for the next one");
    is_str(err.msg, "", "... err untouched on success");
    is_str(plugin_inst_auth_hint(pi, c1, 1), "fixture hint", "auth_hint");

    is_int(plugin_inst_get_all_names(pi, &names, &err), CB_OK,
           "get_all_names");
    ok(names.n == 2 && strcmp(names.v[0], "a.example") == 0 &&
           strcmp(names.v[1], "b.example") == 0,
       "names added through strlist_add");
    strvec_clear(&names);
    is_int(plugin_inst_supported_enhancements(pi, &names, &err), CB_OK,
           "supported_enhancements");
    ok(names.n == 1 && strcmp(names.v[0], "redirect") == 0,
       "enhancement names");
    strvec_clear(&names);
    is_int(plugin_inst_deploy_cert(pi, "fail.test", "c", "k", "ch", "f", &err),
           CB_ERR_MISCONFIGURED, "deploy_cert failure keeps its code");
    is_str(err.msg, "no vhost for fail.test", "deploy_cert message");
    cb_err_reset(&err);
    ok(plugin_inst_deploy_cert(pi, "a.test", "c", "k", "ch", "f", &err) == 0 &&
           plugin_inst_enhance(pi, "a.test", "redirect", NULL, &err) == 0 &&
           plugin_inst_save(pi, "t", 0, &err) == 0 &&
           plugin_inst_restart(pi, &err) == 0 &&
           plugin_inst_config_test(pi, &err) == 0 &&
           plugin_inst_rollback(pi, 1, &err) == 0 &&
           plugin_inst_recovery_routine(pi, &err) == 0 &&
           plugin_inst_renew_deploy(pi, NULL, &err) == 0,
       "the other installer ops");
    unlink(dlog);
    plugin_inst_free(pi);
    is_int(count_lines(read_text(dlog), "destroy"), 1, "destroy ran once");
    plugin_inst_free(NULL);

    unlink(dlog);
    config_set(cfg, "abi_valid_endpoint", "fail-create", CONFIG_ARGV);
    pi = NULL;
    is_int(plugin_inst_new(p, cfg, &pi, &err), CB_ERR_CONFIG,
           "create failure keeps its code");
    is_str(err.msg, "create refused for fail-create", "create message");
    ok(pi == NULL, "no instance after a failed create");
    is_int(count_lines(read_text(dlog), "destroy"), 0,
           "no destroy after a failed create");
    config_set(cfg, "abi_valid_endpoint", NULL, CONFIG_ARGV);
    unsetenv("ABI_VALID_DESTROY_LOG");
}

static void test_options(const struct cb_host *host, struct cb_handle *h,
                         struct cb_config *cfg)
{
    const char *const items[] = {"one", "two"};
    const char *const *list;
    int64_t v = 0;

    is_str(host->opt_str(h, "endpoint"), "https://api.example.net/v1",
           "opt_str: default of a plugin option");
    is_int(host->opt_int(h, "count", &v), CB_OK, "opt_int");
    is_int(v, 3, "opt_int: default parsed");
    config_set(cfg, "abi_valid_count", "12", CONFIG_ARGV);
    ok(host->opt_int(h, "count", &v) == CB_OK && v == 12, "opt_int: set");
    config_set(cfg, "abi_valid_count", "twelve", CONFIG_ARGV);
    is_int(host->opt_int(h, "count", &v), CB_ERR_INVAL, "opt_int: not a number");
    is_int(host->opt_bool(h, "flag"), 0, "opt_bool: default false");
    config_set(cfg, "abi_valid_flag", "True", CONFIG_ARGV);
    is_int(host->opt_bool(h, "flag"), 1, "opt_bool: set");
    config_list_set(cfg, "abi_valid_item", items, 2, CONFIG_ARGV);
    list = host->opt_list(h, "item");
    ok(list && list[0] && list[1] && !list[2] &&
           strcmp(list[0], "one") == 0 && strcmp(list[1], "two") == 0,
       "opt_list");
    is_int(host->opt_set(h, "endpoint", "https://set.example"), CB_OK,
           "opt_set");
    is_str(config_str(cfg, "abi_valid_endpoint"), "https://set.example",
           "opt_set stores under <plugin>_<opt>");
    ok(config_is_set(cfg, "abi_valid_endpoint"),
       "opt_set counts as user-set (saved to the renewal conf)");
    is_str(host->config(h, "http01_port"), "80", "config(): a core dest");
    ok(host->config(h, "no_such_dest") == NULL, "config(): unknown dest");
    is_int(host->abi_major, 1, "host abi_major");
    ok(host->struct_size == sizeof(struct cb_host), "host struct_size");
}

static void test_fail_and_lists(const struct cb_host *host,
                                struct cb_handle *h)
{
    struct strvec v = {0};
    struct cb_strlist l = {.v = &v};
    struct cb_err err = {0};

    plugin_handle_begin(h);
    is_int(host->fail(h, CB_ERR_NET, "first %d", 1), CB_ERR_NET,
           "fail returns its code");
    is_int(host->fail(h, 0, "zero"), CB_ERR_PLUGIN,
           "fail with a non-error code still fails");
    is_int(plugin_handle_end(h, CB_ERR_PLUGIN, &err), CB_ERR_PLUGIN, "end");
    is_str(err.msg, "zero", "the last message recorded wins");
    cb_err_reset(&err);
    plugin_handle_begin(h);
    is_int(plugin_handle_end(h, CB_OK, &err), CB_OK, "begin clears it");
    is_str(err.msg, "", "no stale message");

    ok(host->strlist_add(&l, "x") == CB_OK &&
           host->strlist_add(&l, "y") == CB_OK, "strlist_add");
    is_int(host->strlist_len(&l), 2, "strlist_len");
    is_str(host->strlist_get(&l, 1), "y", "strlist_get");
    ok(host->strlist_get(&l, 2) == NULL, "strlist_get out of range");
    strvec_clear(&v);
    ok(host->dns_base_domains(h, "a.b.example.com", &l) == CB_OK &&
           v.n == 4 && strcmp(v.v[0], "a.b.example.com") == 0 &&
           strcmp(v.v[1], "b.example.com") == 0 &&
           strcmp(v.v[3], "com") == 0,
       "dns_base_domains: Certbot's guesses");
    strvec_clear(&v);
    is_int(host->checkpoint_add(h, "/etc/x"), CB_ERR_NOT_SUPPORTED,
           "checkpoints not supported yet");
}

static void test_processes(const struct cb_host *host, struct cb_handle *h)
{
    const char *env[] = {"CB_TEST_FOO=bar", NULL};
    const char *argv[] = {"echo", "argv", "ok", NULL};
    const char *missing[] = {"/nonexistent/certbot-test-prog", NULL};
    const char *out = NULL;
    int code = -1;

    plugin_handle_begin(h);
    is_int(host->run_hook(h, "echo hi; echo \"$CB_TEST_FOO\"; echo err >&2",
                          env, &code, &out), CB_OK, "run_hook");
    is_int(code, 0, "run_hook exit code");
    is_str(out, "hi\nbar\n", "run_hook captures stdout, env added");
    is_int(host->run_hook(h, "exit 3", NULL, &code, &out), CB_OK,
           "run_hook with a failing command");
    is_int(code, 3, "... its exit code");
    is_int(host->run_argv(h, argv, &code, &out), CB_OK, "run_argv (PATH)");
    is_str(out, "argv ok\n", "run_argv output");
    is_int(host->run_argv(h, missing, &code, &out), CB_ERR_NOT_FOUND,
           "run_argv: missing program");
}

static void test_files(const struct cb_host *host, struct cb_handle *h)
{
    struct stat st;

    plugin_handle_begin(h);
    is_int(host->mkdirs(h, in_base("d1/d2"), 0750), CB_OK, "mkdirs");
    ok(stat(in_base("d1/d2"), &st) == 0 && (st.st_mode & 07777) == 0750,
       "mkdirs mode");
    is_int(host->write_file(h, in_base("d1/d2/f"), "data", 4, 0640), CB_OK,
           "write_file");
    ok(stat(in_base("d1/d2/f"), &st) == 0 && (st.st_mode & 07777) == 0640 &&
           st.st_size == 4, "write_file mode and size");
    is_str(read_text(in_base("d1/d2/f")), "data", "write_file content");
}

static void test_credentials(const struct cb_host *host, struct cb_handle *h,
                             struct cb_config *cfg)
{
    const char *val = NULL;
    struct cb_err err = {0};
    char want[PATH_MAX + 128];

    write_text(in_base("creds.ini"),
               "# test\nabi_valid_api_token = s3cret\nabi_valid_empty =\n",
               0600);
    config_set(cfg, "abi_valid_credentials", in_base("creds.ini"),
               CONFIG_ARGV);
    plugin_handle_begin(h);
    is_int(host->credentials_get(h, "credentials", "api-token", &val), CB_OK,
           "credentials_get");
    is_str(val, "s3cret", "api-token maps to abi_valid_api_token");
    is_int(host->credentials_get(h, "credentials", "other", &val),
           CB_ERR_PLUGIN, "missing property");
    plugin_handle_end(h, CB_ERR_PLUGIN, &err);
    snprintf(want, sizeof(want),
             "Missing property in credentials configuration file %s:\n"
             " * Property \"abi_valid_other\" not found.",
             in_base("creds.ini"));
    is_str(err.msg, want, "missing property message");
    cb_err_reset(&err);
    plugin_handle_begin(h);
    is_int(host->credentials_get(h, "credentials", "empty", &val),
           CB_ERR_PLUGIN, "empty property");
    config_set(cfg, "abi_valid_credentials", in_base("nope.ini"), CONFIG_ARGV);
    plugin_handle_begin(h);
    is_int(host->credentials_get(h, "credentials", "api-token", &val),
           CB_ERR_PLUGIN, "missing file");
    plugin_handle_end(h, CB_ERR_PLUGIN, &err);
    snprintf(want, sizeof(want), "File not found: %s", in_base("nope.ini"));
    is_str(err.msg, want, "missing file message");
    cb_err_reset(&err);
    config_set(cfg, "abi_valid_credentials", base, CONFIG_ARGV);
    plugin_handle_begin(h);
    host->credentials_get(h, "credentials", "api-token", &val);
    plugin_handle_end(h, CB_ERR_PLUGIN, &err);
    snprintf(want, sizeof(want), "Path is a directory: %s", base);
    is_str(err.msg, want, "directory message");
    cb_err_reset(&err);

    /* ABI 1.1: every missing key at once, with its label */
    {
        static const char *const one[] = {"api-token", "Example API token",
                                          NULL};
        static const char *const three[] = {"api-token", "Example API token",
                                            "other", "the other thing",
                                            "empty", "an empty one", NULL};

        ok(CB_HAS(host, struct cb_host, credentials_require),
           "the core offers credentials_require (ABI 1.1)");
        config_set(cfg, "abi_valid_credentials", in_base("creds.ini"),
                   CONFIG_ARGV);
        plugin_handle_begin(h);
        is_int(host->credentials_require(h, "credentials", one), CB_OK,
               "credentials_require: present key");
        is_int(host->credentials_require(h, "credentials", three),
               CB_ERR_PLUGIN, "credentials_require: missing keys");
        plugin_handle_end(h, CB_ERR_PLUGIN, &err);
        snprintf(want, sizeof(want),
                 "Missing properties in credentials configuration file %s:\n"
                 " * Property \"abi_valid_other\" not found (should be the "
                 "other thing).\n"
                 " * Property \"abi_valid_empty\" not set (should be an "
                 "empty one).", in_base("creds.ini"));
        is_str(err.msg, want, "credentials_require message (Certbot's)");
        cb_err_reset(&err);
    }
    config_set(cfg, "abi_valid_credentials", NULL, CONFIG_ARGV);
}

static void test_domain_guesses(const struct cb_host *host,
                                struct cb_handle *h)
{
    const char *const *g;

    ok(CB_HAS(host, struct cb_host, dns_domain_guesses),
       "the core offers dns_domain_guesses (ABI 1.1)");
    plugin_handle_begin(h);
    g = host->dns_domain_guesses(h, "a.b.example.com");
    ok(g && g[0] && g[1] && g[2] && g[3] && !g[4], "four guesses");
    is_str(g ? g[0] : NULL, "a.b.example.com", "the name itself first");
    is_str(g ? g[2] : NULL, "example.com", "then its parents");
    is_str(g ? g[3] : NULL, "com", "down to the TLD");
}

/* One-shot HTTP server in a child process on a loopback port: reads the
 * request, answers 201 with a JSON body, exits.  alarm() bounds it. */
static pid_t serve_once(int *port)
{
    struct sockaddr_in sa = {0};
    socklen_t len = sizeof(sa);
    int lfd = socket(AF_INET, SOCK_STREAM, 0);
    pid_t pid;

    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
        listen(lfd, 1) != 0 ||
        getsockname(lfd, (struct sockaddr *)&sa, &len) != 0)
        return -1;
    *port = ntohs(sa.sin_port);
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        const char resp[] = "HTTP/1.1 201 Created\r\n"
                            "Content-Type: application/json\r\n"
                            "Content-Length: 11\r\n"
                            "Connection: close\r\n\r\n"
                            "{\"id\": 42}\n";
        char buf[4096];
        int fd;

        alarm(10);
        fd = accept(lfd, NULL, NULL);
        if (fd < 0)
            _exit(1);
        for (size_t got = 0; got < sizeof(buf) - 1;) {
            ssize_t n = recv(fd, buf + got, sizeof(buf) - 1 - got, 0);

            if (n <= 0)
                break;
            got += (size_t)n;
            buf[got] = '\0';
            if (strstr(buf, "\r\n\r\n") && strstr(buf, "hello"))
                break;
        }
        if (send(fd, resp, sizeof(resp) - 1, 0) < 0)
            _exit(1);
        close(fd);
        _exit(0);
    }
    close(lfd);
    return pid;
}

static void test_http(const struct cb_host *host, struct cb_handle *h)
{
    const char *hdrs[] = {"Content-Type: text/plain", NULL};
    struct cb_http_req req = {.struct_size = sizeof(req)};
    struct cb_http_resp resp = {.struct_size = sizeof(resp)};
    struct cb_http_req small = {.struct_size = 8};
    char url[64];
    int port = 0, status = -1;
    pid_t pid = serve_once(&port);

    ok(pid > 0, "loopback HTTP server started");
    if (pid <= 0)
        return;
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/records", port);
    req.method = "POST";
    req.url = url;
    req.headers = hdrs;
    req.body = "hello";
    req.body_len = 5;
    plugin_handle_begin(h);
    is_int(host->http(h, &req, &resp), CB_OK, "http POST");
    is_int(resp.status, 201, "http status");
    is_str(resp.body, "{\"id\": 42}\n", "http body (NUL-terminated)");
    is_int(resp.body_len, 11, "http body_len");
    is_str(resp.content_type, "application/json", "http content type");
    waitpid(pid, &status, 0);
    ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
       "server saw the request body");
    is_int(host->http(h, &small, &resp), CB_ERR_INVAL,
           "http: request struct smaller than 1.0 refused");
}

static void test_generic_dns(struct plugin *p, struct cb_config *cfg)
{
    struct cb_challenge a = chall(CB_CHALL_DNS01, "a.test",
                                  "_acme-challenge.a.test", "v1");
    struct cb_challenge w = chall(CB_CHALL_DNS01, "*.b.test",
                                  "_acme-challenge.b.test", "v2");
    struct cb_challenge f = chall(CB_CHALL_DNS01, "fail.test",
                                  "_acme-challenge.fail.test", "v3");
    const struct cb_challenge *two[] = {&a, &w}, *bad[] = {&f};
    const char *dlog = in_base("dns.log");
    struct plugin_inst *pi = NULL;
    struct cb_err err = {0};
    uint32_t types[4];
    size_t n = 4;
    const char *text;

    setenv("ABI_DNS_LOG", dlog, 1);
    /* the generic authenticator journals into the work dir and would ask
     * the system resolver for CNAMEs (core/dns, docs/dns.md) */
    config_set(cfg, "work_dir", in_base("work"), CONFIG_ARGV);
    setenv("CERTBOT_DNS_RESOLVER", "none", 1);
    is_int(plugin_inst_new(p, cfg, &pi, &err), CB_OK, "dns plugin created");
    is_int(plugin_inst_prepare(pi, &err), CB_OK, "dns prepare");
    ok(plugin_inst_chall_pref(pi, "a.test", types, &n, &err) == CB_OK &&
           n == 1 && types[0] == CB_CHALL_DNS01, "generic dns prefers dns-01");
    is_str(config_str(cfg, "abi_dns_propagation_seconds"), "0",
           "--abi-dns-propagation-seconds registered with the default");
    is_int(plugin_inst_perform(pi, two, 2, &err), CB_OK, "dns perform");
    is_int(plugin_inst_cleanup(pi, two, 2, &err), CB_OK, "dns cleanup");
    text = read_text(dlog);
    is_str(text,
           "setup\n"
           "add _acme-challenge.a.test v1\n"
           "add _acme-challenge.b.test v2\n"
           "del _acme-challenge.a.test v1\n"
           "del _acme-challenge.b.test v2\n",
           "setup once, add all, delete all");
    is_int(plugin_inst_perform(pi, bad, 1, &err), CB_ERR_PLUGIN,
           "add_txt failure");
    is_str(err.msg, "API refused _acme-challenge.fail.test",
           "add_txt message");
    ok(count_lines(read_text(dlog), "setup") == 1,
       "credentials set up only once");
    plugin_inst_free(pi);
    unsetenv("ABI_DNS_LOG");
}

int main(void)
{
    struct display_opts dopts = {.noninteractive = 1, .quiet = 1};
    const char *tmp = getenv("TMPDIR");
    struct plugin_registry *reg;
    struct cb_config *cfg = config_new();
    struct cb_handle *h = NULL;
    struct cb_err err = {0};
    struct plugin *valid, *dns;
    char cmd[PATH_MAX + 16];

    display_init(&dopts);
    snprintf(base, sizeof(base), "%s/cb-host.XXXXXX", tmp ? tmp : "/tmp");
    if (!mkdtemp(base) || !cfg) {
        printf("not ok 1 - setup\n1..1\n");
        return 1;
    }
    reg = load_fixtures();
    valid = plugin_find(reg, "abi-valid");
    dns = plugin_find(reg, "abi-dns");
    ok(valid && valid->desc && dns && dns->desc, "fixtures loaded");
    if (!valid || !valid->desc || !dns || !dns->desc)
        return done_testing();
    ok(plugin_find(reg, "http") && plugin_find(reg, "http")->desc,
       "clashing fixture loads (the clash is found at registration)");
    is_int(plugin_registry_add_options(reg, &err), CB_OK,
           "plugin options registered with the CLI");
    ok(plugin_find(reg, "http") && !plugin_find(reg, "http")->desc &&
           strstr(plugin_find(reg, "http")->broken,
                  "option --http-01-port clashes with an existing flag"),
       "a clashing option marks its plugin broken instead of failing");

    test_instance(valid, cfg);
    is_int(plugin_handle_new(valid, cfg, &h, &err), CB_OK, "handle");
    test_options(plugin_host_table(), h, cfg);
    test_fail_and_lists(plugin_host_table(), h);
    test_processes(plugin_host_table(), h);
    test_files(plugin_host_table(), h);
    test_credentials(plugin_host_table(), h, cfg);
    test_domain_guesses(plugin_host_table(), h);
    test_http(plugin_host_table(), h);
    plugin_handle_free(h);
    test_generic_dns(dns, cfg);

    plugin_registry_free(reg);
    config_free(cfg);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
    if (system(cmd) != 0)
        printf("# could not remove %s\n", base);
    return done_testing();
}
