/* certbot: parse, set up, dispatch the subcommand, map status to an exit
 * code (0 success, 1 any error, 2 usage). */
#define LOG_COMPONENT "certbot._internal.main"

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/config.h"
#include "cli/help.h"
#include "cli/parse.h"
#include "cli/webroot_args.h"
#include "cmd/cmd.h"
#include "lifecycle/startup.h"
#include "plugin/loader.h"
#include "util/curl_lazy.h"
#include "util/display.h"
#include "util/interrupt.h"
#include "util/log.h"

struct verb {
    const char *name;
    int (*fn)(struct cmd_ctx *ctx, struct cb_err *err);
    int tolerant_startup;   /* runs even if dirs can't be created/locked */
};

static const struct verb verbs[] = {
    {"certonly", cmd_certonly, 0},
    {"run", cmd_run, 0},
    {"renew", cmd_renew, 0},
    {"certificates", cmd_certificates, 0},
    {"revoke", cmd_revoke, 0},
    {"delete", cmd_delete, 0},
    {"reconfigure", cmd_reconfigure, 0},
    {"register", cmd_register, 0},
    {"update_account", cmd_update_account, 0},
    {"unregister", cmd_unregister, 0},
    {"show_account", cmd_show_account, 0},
    {"install", cmd_install, 0},
    {"enhance", cmd_enhance, 0},
    {"rollback", cmd_rollback, 0},
    {"plugins", cmd_plugins, 1},
};

static const struct verb *find_verb(const char *name)
{
    for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
        if (strcmp(verbs[i].name, name) == 0)
            return &verbs[i];
    return NULL;
}

static void print_error(const struct cb_config *cfg, const struct cb_err *err)
{
    int quiet = cfg && config_bool(cfg, "quiet");
    const char *logfile;

    out_flush_all(); /* what stdout and the log hold goes first */
    fprintf(stderr, "%s\n", cb_err_msg(err));
    if (quiet || err->plain)
        return;
    /* Failing before the logs dir is usable: Certbot writes what it has
     * logged so far to a temporary file and points there. */
    logfile = log_path();
    if (!logfile)
        logfile = log_spill_to_temp();
    if (logfile)
        fprintf(stderr,
                "Ask for help or search for solutions at "
                "https://community.letsencrypt.org. See the logfile %s or "
                "re-run Certbot with -v for more details.\n",
                logfile);
}

int main(int argc, char **argv)
{
    struct plugin_registry *reg = NULL;
    struct cb_config *cfg = NULL;
    struct startup st = {{0}};
    struct cb_err err = {0};
    struct display_opts dopts = {0};
    const struct verb *verb;
    struct cmd_ctx ctx;
    int status = 1, r;

    /* `certbot --version` alone: answer before loading the plugins (a
     * dlopen() each, most of the start-up left; issue 7).  Any other
     * spelling takes the normal path and prints the same. */
    if (argc == 2 && strcmp(argv[1], "--version") == 0) {
        printf("certbot %s\n", PACKAGE_VERSION);
        return 0;
    }
    signal(SIGPIPE, SIG_IGN);
    interrupt_install();
    r = plugin_registry_load(&reg, &err);
    if (r != CB_OK) {
        fprintf(stderr, "%s\n", cb_err_msg(&err));
        goto out;
    }
    /* Every plugin option joins the flag table before argv is parsed,
     * since any --<plugin>-<opt> may appear in argv or cli.ini. */
    r = plugin_registry_add_options(reg, &err);
    if (r != CB_OK) {
        fprintf(stderr, "%s\n", cb_err_msg(&err));
        goto out;
    }

    cfg = config_new();
    if (!cfg) {
        fprintf(stderr, "out of memory\n");
        goto out;
    }
    r = cli_parse(argc, argv, cfg, &err);
    if (r == CB_ERR_USAGE) {
        fprintf(stderr, "%s\n", cb_err_msg(&err));
        status = 2;
        goto out;
    }
    if (strcmp(config_verb(cfg), "help") == 0) {
        cli_help(cfg, config_str(cfg, "help_topic"), stdout);
        status = 0;
        goto out;
    }
    if (strcmp(config_verb(cfg), "version") == 0) {
        printf("certbot %s\n", PACKAGE_VERSION);
        status = 0;
        goto out;
    }

    /* Certbot checks webroot arguments while parsing (exit 1). */
    if (r == CB_OK)
        r = webroot_args_resolve(cfg, &err);
    log_set_console_level(cli_log_level(cfg));
    dopts.noninteractive = config_bool(cfg, "noninteractive_mode") ||
                           config_bool(cfg, "quiet") ||
                           strcmp(config_verb(cfg), "renew") == 0;
    dopts.force_interactive = config_bool(cfg, "force_interactive");
    dopts.quiet = config_bool(cfg, "quiet");
    display_init(&dopts);
    if (r != CB_OK) {
        /* Post-parse sanity errors (exit 1), reported like any other. */
        print_error(cfg, &err);
        goto out;
    }

    verb = find_verb(config_verb(cfg));
    r = startup_run(cfg, verb ? verb->tolerant_startup : 0, &st, &err);
    if (r != CB_OK) {
        print_error(cfg, &err);
        goto out;
    }
    log_debug("certbot version: %s", PACKAGE_VERSION);
    {
        char *args = cli_args_repr(argc, argv);
        log_debug("Arguments: %s", args ? args : "");
        free(args);
    }
    if (!verb) {
        cb_err_set(&err, CB_ERR_NOT_SUPPORTED,
                   "The %s subcommand is not implemented yet.",
                   config_verb(cfg));
        print_error(cfg, &err);
        goto out;
    }
    ctx.cfg = cfg;
    ctx.plugins = reg;
    r = verb->fn(&ctx, &err);
    if (r == CB_OK) {
        status = 0;
    } else {
        log_debug("Exiting with status 1: %s", cb_err_msg(&err));
        print_error(cfg, &err);
        status = r == CB_ERR_USAGE ? 2 : 1;
    }
out:
    startup_finish(&st);
    log_close();
    config_free(cfg);
    plugin_registry_free(reg);
    cb_curl_unload();
    return status;
}
