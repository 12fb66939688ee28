/* `certbot plugins` (core/cmd/plugins.c): Certbot's listing format,
 * hidden plugins, interface filters, --init/--prepare and broken plugins
 * (SPEC 5.7, A-260..A-262).  stdout is captured in a temp file. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/config.h"
#include "cmd/cmd.h"
#include "plugin/loader.h"
#include "util/display.h"

#include "tap.h"

#ifndef ABI_FIXTURES
#define ABI_FIXTURES "tests/abi/.libs"
#endif

#define FRAME                                                                 \
    "- - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - " \
    "- - - - -"

static char base[1024];
static char captured[65536];

static char *in_base(const char *name)
{
    static char buf[4][PATH_MAX];
    static int k;

    k = (k + 1) % 4;
    snprintf(buf[k], sizeof(buf[k]), "%s/%s", base, name);
    return buf[k];
}

/* Run cmd_plugins with stdout going to a file; the text lands in
 * captured. */
static int run(struct cmd_ctx *ctx, struct cb_err *err)
{
    const char *path = in_base("out.txt");
    int saved, fd, r;
    FILE *f;
    size_t n = 0;

    fflush(stdout);
    saved = dup(STDOUT_FILENO);
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(fd, STDOUT_FILENO);
    close(fd);
    r = cmd_plugins(ctx, err);
    fflush(stdout);
    dup2(saved, STDOUT_FILENO);
    close(saved);
    captured[0] = '\0';
    f = fopen(path, "r");
    if (f) {
        n = fread(captured, 1, sizeof(captured) - 1, f);
        fclose(f);
    }
    captured[n] = '\0';
    return r;
}

static void link_into(const char *dir, const char *src_dir, const char *name)
{
    char src[PATH_MAX], dst[PATH_MAX];

    snprintf(src, sizeof(src), "%s/%s.so", src_dir, name);
    snprintf(dst, sizeof(dst), "%s/%s.so", dir, name);
    if (symlink(src, dst) != 0)
        printf("# symlink %s: %s\n", dst, strerror(errno));
}

static int has_line(const char *line)
{
    size_t len = strlen(line);

    for (const char *p = captured; p && *p;) {
        if (strncmp(p, line, len) == 0 && (p[len] == '\n' || !p[len]))
            return 1;
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    return 0;
}

static void set_flags(struct cb_config *cfg, const char *iface1,
                      const char *iface2, int init, int prepare)
{
    const char *ifaces[2];
    size_t n = 0;

    if (iface1)
        ifaces[n++] = iface1;
    if (iface2)
        ifaces[n++] = iface2;
    config_list_set(cfg, "ifaces", ifaces, n, CONFIG_ARGV);
    config_set(cfg, "init", init ? "True" : "False", CONFIG_ARGV);
    config_set(cfg, "prepare", prepare ? "True" : "False", CONFIG_ARGV);
}

int main(void)
{
    struct display_opts dopts = {.noninteractive = 1};
    const char *plugdir = getenv("CERTBOT_PLUGIN_PATH");
    const char *tmp = getenv("TMPDIR");
    const char *dirs[2];
    struct plugin_registry *reg = NULL, empty = {0};
    struct cb_config *cfg = config_new();
    struct cmd_ctx ctx = {0};
    struct cb_err err = {0};
    char line[2 * PATH_MAX], cmd[PATH_MAX + 16];

    display_init(&dopts);
    snprintf(base, sizeof(base), "%s/cb-pcmd.XXXXXX", tmp ? tmp : "/tmp");
    if (!mkdtemp(base) || !cfg) {
        printf("not ok 1 - setup\n1..1\n");
        return 1;
    }
    chmod(base, 0755);
    mkdir(in_base("builtin"), 0755);
    mkdir(in_base("extra"), 0755);
    link_into(in_base("builtin"), plugdir ? plugdir : "tests/plugins",
              "standalone");
    link_into(in_base("builtin"), plugdir ? plugdir : "tests/plugins",
              "null");
    link_into(in_base("extra"), ABI_FIXTURES, "abi-valid");
    link_into(in_base("extra"), ABI_FIXTURES, "abi-dns");
    link_into(in_base("extra"), ABI_FIXTURES, "abi-major");
    dirs[0] = in_base("builtin");
    dirs[1] = in_base("extra");
    ctx.cfg = cfg;

    /* Only a hidden plugin: Certbot's "No plugins". */
    ctx.plugins = &empty;
    is_int(run(&ctx, &err), CB_OK, "empty registry");
    is_str(captured, "\n" FRAME "\nNo plugins\n" FRAME "\n",
           "empty registry prints No plugins in a frame");

    if (plugin_registry_load_dirs(dirs, 2, &reg, &err) != CB_OK) {
        printf("not ok - load: %s\n", cb_err_msg(&err));
        return done_testing();
    }
    ctx.plugins = reg;
    is_int(run(&ctx, &err), CB_OK, "A-260: plugins");
    for (const char *p = captured; *p;) {
        size_t len = strcspn(p, "\n");

        printf("# %.*s\n", (int)len, p);
        p += len + (p[len] == '\n');
    }
    ok(strncmp(captured, "\n" FRAME "\n* abi-dns\n", strlen(FRAME) + 12) == 0,
       "framed, first block is the first name");
    ok(has_line("* standalone"), "standalone listed");
    ok(has_line("Description: Runs an HTTP server locally which serves the "
                "necessary validation") &&
           has_line("files under the /.well-known/acme-challenge/ request "
                    "path. Suitable if there is"),
       "description wrapped at 80 columns like textwrap");
    ok(has_line("Interfaces: Authenticator, Plugin"), "authenticator line");
    ok(has_line("Interfaces: Authenticator, Installer, Plugin"),
       "authenticator + installer line");
    snprintf(line, sizeof(line), "Entry point: standalone = %s/standalone.so",
             in_base("builtin"));
    ok(has_line(line), "entry point names the .so");
    ok(!has_line("* null"), "A-260: hidden null not listed");
    ok(has_line("* abi-major"), "broken plugin listed");
    snprintf(line, sizeof(line), "\nError: plugin %s/abi-major.so: built for",
             in_base("extra"));
    ok(strstr(captured, line) != NULL &&
           strstr(captured, "(rebuild the plugin or install a matching "
                            "package)\n") != NULL,
       "... with its reason");
    ok(strstr(captured, "abi-dns.so\n\n* abi-major\n") != NULL,
       "blocks separated by one blank line");
    ok(!has_line("Initialized: <standalone plugin instance>"),
       "no Initialized line without --init");

    set_flags(cfg, "installer", NULL, 0, 0);
    is_int(run(&ctx, &err), CB_OK, "A-261: --installers");
    ok(has_line("* abi-valid") && !has_line("* standalone") &&
           !has_line("* abi-dns") && !has_line("* abi-major"),
       "A-261: only installers (null is hidden, broken unknown)");

    set_flags(cfg, "authenticator", NULL, 0, 0);
    is_int(run(&ctx, &err), CB_OK, "A-261: --authenticators");
    ok(has_line("* standalone") && has_line("* abi-dns") &&
           has_line("* abi-valid") && !has_line("* abi-major"),
       "A-261: authenticators only");

    set_flags(cfg, "authenticator", "installer", 0, 0);
    is_int(run(&ctx, &err), CB_OK, "both filters");
    ok(has_line("* abi-valid") && !has_line("* standalone"),
       "both filters: plugins implementing both");

    set_flags(cfg, NULL, NULL, 1, 0);
    is_int(run(&ctx, &err), CB_OK, "--init");
    ok(has_line("Initialized: <standalone plugin instance>"),
       "--init adds Initialized:");
    ok(!has_line("Prep: True"), "--init alone does not prepare");
    ok(has_line("* abi-major"), "--init keeps broken plugins listed");

    set_flags(cfg, NULL, NULL, 1, 1);
    is_int(run(&ctx, &err), CB_OK, "A-262: --init --prepare");
    ok(has_line("Prep: True"), "A-262: Prep: True");
    ok(has_line("* standalone") && has_line("Initialized: <standalone plugin "
                                            "instance>"),
       "prepared plugin kept with Initialized:");
    ok(!has_line("* abi-major"), "unavailable (broken) plugin dropped");

    plugin_registry_free(reg);
    config_free(cfg);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
    if (system(cmd) != 0)
        printf("# could not remove %s\n", base);
    return done_testing();
}
