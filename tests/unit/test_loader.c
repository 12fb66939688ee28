/* Plugin discovery (core/plugin/loader.c): search order, what counts as a
 * plugin file, every refusal reason (DESIGN 3.3, 3.7; A-264), shadowing,
 * duplicates and the root-safety checks.  Fixtures are the plugins built
 * in tests/abi/.libs (ABI_FIXTURES); each case links them into its own
 * temporary directory. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "plugin/loader.h"
#include "util/strvec.h"

#include "tap.h"

#ifndef ABI_FIXTURES
#define ABI_FIXTURES "tests/abi/.libs"
#endif

static char base[1024];

static char *path2(const char *dir, const char *name)
{
    static char buf[4][PATH_MAX];
    static int k;

    k = (k + 1) % 4;
    snprintf(buf[k], sizeof(buf[k]), "%s/%s", dir, name);
    return buf[k];
}

static const char *mkdir_case(const char *name)
{
    static char buf[8][PATH_MAX];
    static int k;

    k = (k + 1) % 8;
    snprintf(buf[k], sizeof(buf[k]), "%s/%s", base, name);
    if (mkdir(buf[k], 0755) != 0 && errno != EEXIST)
        printf("# mkdir %s: %s\n", buf[k], strerror(errno));
    return buf[k];
}

static void link_fixture(const char *dir, const char *fixture,
                         const char *as)
{
    char src[PATH_MAX], dst[PATH_MAX];

    snprintf(src, sizeof(src), "%s/%s.so", ABI_FIXTURES, fixture);
    snprintf(dst, sizeof(dst), "%s/%s.so", dir, as);
    if (symlink(src, dst) != 0)
        printf("# symlink %s: %s\n", dst, strerror(errno));
}

/* A real copy, for the ownership/mode checks that symlinks would hide. */
static void copy_fixture(const char *dir, const char *fixture,
                         const char *as, mode_t mode)
{
    char src[PATH_MAX], dst[PATH_MAX], buf[65536];
    int in, out;
    ssize_t n;

    snprintf(src, sizeof(src), "%s/%s.so", ABI_FIXTURES, fixture);
    snprintf(dst, sizeof(dst), "%s/%s.so", dir, as);
    in = open(src, O_RDONLY);
    out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    for (int i = 0; in >= 0 && out >= 0 && i < 4096; i++) {
        n = read(in, buf, sizeof(buf));
        if (n <= 0 || write(out, buf, (size_t)n) != n)
            break;
    }
    if (in >= 0)
        close(in);
    if (out >= 0)
        close(out);
    chmod(dst, mode);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static int load1(const char *dir, struct plugin_registry **reg,
                 struct cb_err *err)
{
    const char *dirs[] = {dir};

    return plugin_registry_load_dirs(dirs, 1, reg, err);
}

static const char *reason(const struct plugin_registry *reg, const char *name)
{
    const struct plugin *p = plugin_find(reg, name);

    return p && p->broken ? p->broken : "(not broken)";
}

static int starts_ends(const char *s, const char *head, const char *tail)
{
    size_t ls = strlen(s), lh = strlen(head), lt = strlen(tail);

    return ls >= lh + lt && strncmp(s, head, lh) == 0 &&
           strcmp(s + ls - lt, tail) == 0;
}

static void test_reasons(void)
{
    const char *d = mkdir_case("mixed");
    const char *fixtures[] = {"abi-valid", "abi-frozen10", "abi-major",
                              "abi-minor", "abi-nodesc", "abi-badname",
                              "abi-mismatch", "abi-noops", "abi-undef",
                              "abi-dns"};
    struct plugin_registry *reg = NULL;
    struct cb_err err = {0};
    char want[2 * PATH_MAX], head[PATH_MAX + 64];
    const struct plugin *p;
    int sorted = 1;

    for (size_t i = 0; i < sizeof(fixtures) / sizeof(*fixtures); i++)
        link_fixture(d, fixtures[i], fixtures[i]);
    write_text(path2(d, "garbage.so"), "this is not an ELF file\n");
    write_text(path2(d, "README"), "not a plugin\n");
    mkdir(path2(d, "subdir.so"), 0755);

    is_int(load1(d, &reg, &err), CB_OK, "bad plugins do not fail the scan");
    if (!reg)
        return;
    is_int(reg->n, 11, "10 fixtures + garbage.so; README and dirs skipped");
    for (size_t i = 1; i < reg->n; i++)
        if (strcmp(reg->items[i - 1].name, reg->items[i].name) >= 0)
            sorted = 0;
    ok(sorted, "registry sorted by name");

    p = plugin_find(reg, "abi-valid");
    ok(p && p->desc && !p->broken, "valid fixture loads");
    is_str(p ? p->path : NULL, path2(d, "abi-valid.so"),
           "path is the absolute file name (symlink not resolved)");
    ok(plugin_is_authenticator(p) && plugin_is_installer(p) &&
           !plugin_is_hidden(p), "valid fixture: authenticator + installer");
    p = plugin_find(reg, "abi-frozen10");
    ok(p && p->desc && !p->broken,
       "plugin built against the frozen 1.0 headers loads");
    p = plugin_find(reg, "abi-dns");
    ok(p && p->desc && plugin_is_authenticator(p) && !plugin_is_installer(p),
       "dns-only plugin counts as an authenticator");

    snprintf(want, sizeof(want),
             "plugin %s: built for plugin ABI 2.0; this certbot provides ABI "
             "1.1 (rebuild the plugin or install a matching package)",
             path2(d, "abi-major.so"));
    is_str(reason(reg, "abi-major"), want, "major mismatch refused");
    snprintf(want, sizeof(want),
             "plugin %s: built for plugin ABI 1.2; this certbot provides ABI "
             "1.1 (upgrade certbot)", path2(d, "abi-minor.so"));
    is_str(reason(reg, "abi-minor"), want, "newer minor refused");
    snprintf(want, sizeof(want),
             "plugin %s: not a certbot plugin (no certbot_plugin_desc "
             "symbol)", path2(d, "abi-nodesc.so"));
    is_str(reason(reg, "abi-nodesc"), want, "no descriptor refused");
    snprintf(head, sizeof(head), "plugin %s: cannot load: ",
             path2(d, "garbage.so"));
    ok(starts_ends(reason(reg, "garbage"), head,
                   "; a library it needs may be missing (check with ldd)"),
       "garbage file: cannot load + dlerror + ldd hint");
    printf("# %s\n", reason(reg, "garbage"));
    ok(strstr(reason(reg, "abi-badname"),
              "invalid plugin name \"Bad_Name\"") != NULL,
       "bad name refused");
    ok(strstr(reason(reg, "abi-mismatch"),
              "declares the name \"abi-other\"") != NULL,
       "name differing from the file name refused");
    ok(strstr(reason(reg, "abi-noops"), "authenticator table lacks") != NULL,
       "missing required op refused");
    ok(strstr(reason(reg, "abi-undef"), "cannot load: ") != NULL &&
           strstr(reason(reg, "abi-undef"), "log_msg") != NULL,
       "a plugin using a core symbol fails at discovery");
    printf("# %s\n", reason(reg, "abi-undef"));
    ok(plugin_find(reg, "nosuch") == NULL, "plugin_find: unknown name");
    ok(!plugin_is_authenticator(plugin_find(reg, "abi-major")) &&
           !plugin_is_installer(plugin_find(reg, "abi-major")),
       "a broken plugin has no interfaces");
    plugin_registry_free(reg);
}

static void test_search_path(void)
{
    const char *d1 = mkdir_case("first"), *d2 = mkdir_case("second");
    struct plugin_registry *reg = NULL;
    struct strvec dirs = {0};
    struct cb_err err = {0};
    const char *dd[2];
    char env[2 * PATH_MAX + 8];
    const struct plugin *p;

    link_fixture(d1, "abi-valid", "abi-valid");
    write_text(path2(d2, "abi-valid.so"), "garbage\n");
    link_fixture(d2, "abi-dns", "abi-dns");

    dd[0] = d1;
    dd[1] = d2;
    is_int(plugin_registry_load_dirs(dd, 2, &reg, &err), CB_OK, "two dirs");
    is_int(reg ? reg->n : 0, 2, "shadowed file not listed twice");
    p = plugin_find(reg, "abi-valid");
    ok(p && !p->broken && strcmp(p->path, path2(d1, "abi-valid.so")) == 0,
       "the first directory wins");
    ok(plugin_find(reg, "abi-dns") != NULL, "later directory still scanned");
    plugin_registry_free(reg);
    reg = NULL;

    snprintf(env, sizeof(env), ":%s::%s:", d2, d1);
    setenv("CERTBOT_PLUGIN_PATH", env, 1);
    is_int(plugin_search_path(&dirs), CB_OK, "search path");
    ok(dirs.n == 3 && strcmp(dirs.v[0], d2) == 0 &&
           strcmp(dirs.v[1], d1) == 0 && strcmp(dirs.v[2], PLUGINDIR) == 0,
       "CERTBOT_PLUGIN_PATH entries (empty ones skipped), then PLUGINDIR");
    strvec_clear(&dirs);
    is_int(plugin_registry_load(&reg, &err), CB_OK, "load via environment");
    p = plugin_find(reg, "abi-valid");
    ok(p && p->broken && strstr(p->path, "/second/"),
       "environment order decides shadowing");
    plugin_registry_free(reg);
    unsetenv("CERTBOT_PLUGIN_PATH");

    dd[0] = "/nonexistent/certbot/plugins";
    reg = NULL;
    is_int(plugin_registry_load_dirs(dd, 1, &reg, &err), CB_OK,
           "missing directory is fine");
    is_int(reg ? reg->n : 1, 0, "... and empty");
    plugin_registry_free(reg);
    plugin_registry_free(NULL);
}

static void test_duplicates(void)
{
    const char *d = mkdir_case("dup"), *d2 = mkdir_case("lonely");
    struct plugin_registry *reg = NULL;
    struct cb_err err = {0};
    char want[2 * PATH_MAX + 64];

    link_fixture(d, "abi-valid", "abi-valid");
    link_fixture(d, "abi-valid", "copy");
    snprintf(want, sizeof(want),
             "Duplicate plugin name abi-valid from %s and %s.",
             path2(d, "abi-valid.so"), path2(d, "copy.so"));
    is_int(load1(d, &reg, &err), CB_ERR_PLUGIN,
           "A-264: two files declaring one name are fatal");
    is_str(err.msg, want, "A-264: duplicate message");
    ok(reg == NULL, "no registry on a fatal error");

    link_fixture(d2, "abi-mismatch", "abi-mismatch");
    cb_err_reset(&err);
    is_int(load1(d2, &reg, &err), CB_OK,
           "a mismatched name without a sibling is only broken");
    plugin_registry_free(reg);
}

/* As root, a plugin someone else could have written is refused. */
static void test_root_safety(void)
{
    const char *d = mkdir_case("perm"), *gw = mkdir_case("groupwritable");
    struct plugin_registry *reg = NULL;
    struct cb_err err = {0};
    char want[2 * PATH_MAX];

    if (geteuid() != 0) {
        for (int i = 0; i < 4; i++)
            printf("ok %d # SKIP root-safety checks need root\n", ++tap_n);
        return;
    }
    copy_fixture(d, "abi-valid", "abi-valid", 0755);
    copy_fixture(d, "abi-dns", "abi-dns", 0775);
    copy_fixture(d, "abi-frozen10", "abi-frozen10", 0755);
    if (chown(path2(d, "abi-frozen10.so"), 1234, 1234) != 0)
        printf("# chown: %s\n", strerror(errno));
    is_int(load1(d, &reg, &err), CB_OK, "scan with unsafe files");
    ok(plugin_find(reg, "abi-valid") && !plugin_find(reg, "abi-valid")->broken,
       "root-owned 0755 plugin loads");
    snprintf(want, sizeof(want),
             "plugin %s: refusing to load as root: file %s is writable by "
             "group or others", path2(d, "abi-dns.so"), path2(d, "abi-dns.so"));
    is_str(reason(reg, "abi-dns"), want, "group-writable file refused");
    snprintf(want, sizeof(want),
             "plugin %s: refusing to load as root: file %s is owned by uid "
             "1234, not root", path2(d, "abi-frozen10.so"),
             path2(d, "abi-frozen10.so"));
    is_str(reason(reg, "abi-frozen10"), want, "file of another user refused");
    plugin_registry_free(reg);
    reg = NULL;

    copy_fixture(gw, "abi-valid", "abi-valid", 0755);
    chmod(gw, 0777);
    is_int(load1(gw, &reg, &err), CB_OK, "scan of a writable directory");
    snprintf(want, sizeof(want),
             "plugin %s: refusing to load as root: directory %s is writable "
             "by group or others", path2(gw, "abi-valid.so"), gw);
    is_str(reason(reg, "abi-valid"), want, "world-writable directory refused");
    plugin_registry_free(reg);
    chmod(gw, 0755);
}

int main(void)
{
    const char *tmp = getenv("TMPDIR");
    char cmd[PATH_MAX + 16];

    snprintf(base, sizeof(base), "%s/cb-loader.XXXXXX", tmp ? tmp : "/tmp");
    if (!mkdtemp(base)) {
        printf("not ok 1 - mkdtemp: %s\n1..1\n", strerror(errno));
        return 1;
    }
    chmod(base, 0755);
    test_reasons();
    test_search_path();
    test_duplicates();
    test_root_safety();
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
    if (system(cmd) != 0)
        printf("# could not remove %s\n", base);
    return done_testing();
}
