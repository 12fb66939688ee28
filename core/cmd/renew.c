/* renew: renew every lineage that is due, or the one named by
 * --cert-name, and report (SPEC 4.4, 4.6, 4.9). */
#define LOG_COMPONENT "certbot._internal.renewal"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "crypto/cert.h"
#include "lifecycle/hooks.h"
#include "lifecycle/lineage_choice.h"
#include "lifecycle/renew_decision.h"
#include "lifecycle/renew_lineage.h"
#include "lifecycle/renewal_restore.h"
#include "storage/lineage.h"
#include "util/display.h"
#include "util/interrupt.h"
#include "util/log.h"

#define SLEEP_MIN 1.0
#define SLEEP_MAX 480.0

struct renew_results {
    struct strvec successes;    /* fullchain paths */
    struct strvec failures;
    struct strvec skipped;      /* "<fullchain> expires on <date>" */
    struct strvec parse_failures;  /* conf paths */
    struct strvec renewed_names;
    struct strvec failed_names;
    int sleep_pending;
};

static void results_clear(struct renew_results *rr)
{
    strvec_clear(&rr->successes);
    strvec_clear(&rr->failures);
    strvec_clear(&rr->skipped);
    strvec_clear(&rr->parse_failures);
    strvec_clear(&rr->renewed_names);
    strvec_clear(&rr->failed_names);
}

static void push_all(struct strvec *dst, const struct strvec *src)
{
    for (size_t i = 0; i < src->n; i++)
        strvec_push(dst, src->v[i]);
}

/* Noninteractive renewals wait a random 1..480 s once, before the first
 * lineage actually renewed, to spread the load on the CA. */
static void random_sleep(struct renew_results *rr)
{
    double secs;
    struct timespec ts;

    if (!rr->sleep_pending)
        return;
    rr->sleep_pending = 0;
    secs = SLEEP_MIN + (SLEEP_MAX - SLEEP_MIN) * ((double)rand() / RAND_MAX);
    log_info("Non-interactive renewal: random delay of %f seconds", secs);
    ts.tv_sec = (time_t)secs;
    ts.tv_nsec = (long)((secs - (double)ts.tv_sec) * 1e9);
    while (nanosleep(&ts, &ts) != 0 && !interrupted())
        ;
}

static void note_skipped(struct renew_results *rr, const struct lineage *l)
{
    struct cert_info ci = {0};
    struct cb_err ignore = {0};
    int version = lineage_latest_common_version(l);
    char *path = lineage_version_path(l, LK_CERT, version);
    char date[32] = "?";

    if (path && cert_info_load(path, &ci, &ignore) == CB_OK) {
        time_t t = (time_t)ci.not_after;
        struct tm tm;

        gmtime_r(&t, &tm);
        strftime(date, sizeof(date), "%Y-%m-%d", &tm);
    }
    strvec_pushf(&rr->skipped, "%s expires on %s", l->path[LK_FULLCHAIN],
                 date);
    cert_info_free(&ci);
    free(path);
}

/* One renewal conf: load, restore, decide, renew.  Never fails the run;
 * the outcome lands in rr. */
static void renew_one(struct cmd_ctx *ctx, const char *conf_path,
                      struct hook_run *hr, struct renew_ari_cache *ari,
                      struct renew_results *rr)
{
    struct cb_config *lcfg = config_copy(ctx->cfg);
    struct cmd_ctx lctx = {lcfg, ctx->plugins};
    struct lineage *l = NULL;
    struct strvec names = {0};
    struct cb_err e = {0};
    int r;

    display_notifyf(1, "Processing %s", conf_path);
    if (!lcfg) {
        log_error("Renewal configuration file %s produced an unexpected "
                  "error: out of memory. Skipping.", conf_path);
        strvec_push(&rr->parse_failures, conf_path);
        return;
    }
    r = lineage_load(conf_path, config_str(ctx->cfg, "config_dir"), &l, &e);
    if (r != CB_OK) {
        log_error("Renewal configuration file %s is broken.", conf_path);
        log_error("The error was: %s\nSkipping.", cb_err_msg(&e));
        strvec_push(&rr->parse_failures, conf_path);
        goto out;
    }
    r = renewal_restore(lcfg, l->conf, &e);
    if (r != CB_OK) {
        log_error("%s", cb_err_msg(&e));
        strvec_push(&rr->parse_failures, conf_path);
        goto out;
    }
    r = lineage_names(l, &names, &e);
    if (r == CB_OK && renewal_restore_names(lcfg, &names) != CB_OK)
        r = cb_err_set(&e, CB_ERR_NOMEM, "out of memory");
    if (r != CB_OK) {
        log_error("Renewal configuration file %s references a certificate "
                  "that contains an invalid domain name. The problem was: "
                  "%s. Skipping.", conf_path, cb_err_msg(&e));
        strvec_push(&rr->parse_failures, conf_path);
        goto out;
    }
    if (!renew_should(lcfg, l, (int64_t)time(NULL), ari)) {
        note_skipped(rr, l);
        goto out;
    }
    random_sleep(rr);
    r = renew_lineage(&lctx, l, hr, &e);
    if (r == CB_OK) {
        strvec_push(&rr->successes, l->path[LK_FULLCHAIN]);
        push_all(&rr->renewed_names, &names);
    } else {
        log_error("Failed to renew certificate %s with error: %s", l->name,
                  cb_err_msg(&e));
        strvec_push(&rr->failures, l->path[LK_FULLCHAIN]);
        push_all(&rr->failed_names, &names);
    }
out:
    strvec_clear(&names);
    lineage_free(l);
    config_free(lcfg);
}

/* "  a (tag)\n  b (tag)" */
static char *report(const struct strvec *items, const char *tag)
{
    struct strvec lines = {0};
    char *s;

    for (size_t i = 0; i < items->n; i++)
        strvec_pushf(&lines, "  %s (%s)", items->v[i], tag);
    s = strvec_join(&lines, "\n");
    strvec_clear(&lines);
    return s;
}

static void describe(const struct cb_config *cfg,
                     const struct renew_results *rr)
{
    const char *noun = config_bool(cfg, "dry_run") ? "simulated renewal"
                                                   : "renewal";
    char *ok = report(&rr->successes, "success");
    char *bad = report(&rr->failures, "failure");

    display_notifyf(0, "\n%s", display_frame);
    if (rr->skipped.n) {
        char *sk = report(&rr->skipped, "skipped");
        display_notify("The following certificates are not due for renewal "
                       "yet:", 0);
        display_notify(sk ? sk : "", 0);
        free(sk);
    }
    if (!rr->successes.n && !rr->failures.n) {
        display_notifyf(0, "No %ss were attempted.", noun);
        if (config_str(cfg, "pre_hook") || config_str(cfg, "renew_hook") ||
            config_str(cfg, "post_hook"))
            display_notify("No hooks were run.", 0);
    } else if (!rr->failures.n) {
        display_notifyf(0, "Congratulations, all %ss succeeded: ", noun);
        display_notify(ok ? ok : "", 0);
    } else if (!rr->successes.n) {
        log_error("All %ss failed. The following certificates could not be "
                  "renewed:", noun);
        log_error("%s", bad ? bad : "");
    } else {
        display_notifyf(0, "The following %ss succeeded:", noun);
        display_notifyf(0, "%s\n", ok ? ok : "");
        log_error("The following %ss failed:", noun);
        log_error("%s", bad ? bad : "");
    }
    if (rr->parse_failures.n) {
        char *pf = report(&rr->parse_failures, "parsefail");
        display_notify("\nAdditionally, the following renewal configurations "
                       "were invalid: ", 0);
        display_notify(pf ? pf : "", 0);
        free(pf);
    }
    display_notify(display_frame, 0);
    free(ok);
    free(bad);
}

int cmd_renew(struct cmd_ctx *ctx, struct cb_err *err)
{
    struct cb_config *cfg = ctx->cfg;
    const char *config_dir = config_str(cfg, "config_dir");
    const char *certname = config_str(cfg, "certname");
    struct strvec confs = {0};
    struct renew_results rr;
    struct hook_run hr = {{0}, {0}};
    struct renew_ari_cache ari = {NULL, 0};
    size_t nd = 0, ni = 0;
    int r;

    memset(&rr, 0, sizeof(rr));
    config_list(cfg, "domains", &nd);
    config_list(cfg, "ip_addresses", &ni);
    if (nd || ni)
        return cb_err_set(err, CB_ERR_CONFIG,
                          "Currently, the renew verb is capable of either "
                          "renewing all installed certificates that are due "
                          "to be renewed or renewing a single certificate "
                          "specified by its name. If you would like to renew "
                          "specific certificates by their domains, use the "
                          "certonly command instead. The renew verb may "
                          "provide other options for selecting certificates "
                          "to renew in the future.");
    if (certname) {
        char *path = lineage_conf_path(config_dir, certname);

        if (!path)
            return cb_err_set(err, CB_ERR_NOMEM, "out of memory");
        if (access(path, F_OK) != 0) {
            r = cb_err_set(err, CB_ERR_NOT_FOUND,
                           "No certificate found with name %s (expected "
                           "%s).",
                           certname, path);
            free(path);
            return r;
        }
        r = strvec_push_take(&confs, path);
    } else {
        r = lineage_list_confs(config_dir, &confs, err);
    }
    if (r != CB_OK)
        goto out;

    /* the random delay and the point in an ARI window */
    srand((unsigned)time(NULL) ^ (unsigned)getpid());
    rr.sleep_pending = !isatty(STDIN_FILENO) &&
                       config_bool(cfg, "random_sleep_on_renew");
    for (size_t i = 0; i < confs.n && !interrupted(); i++)
        renew_one(ctx, confs.v[i], &hr, &ari, &rr);

    describe(cfg, &rr);
    hooks_run_saved_post(&hr, &rr.renewed_names, &rr.failed_names);
    if (rr.failures.n || rr.parse_failures.n)
        r = cb_err_set(err, CB_ERR_CONFIG,
                       "%zu renew failure(s), %zu parse failure(s)",
                       rr.failures.n, rr.parse_failures.n);
    else
        log_debug("no renewal failures");
out:
    renew_ari_cache_clear(&ari);
    hook_run_clear(&hr);
    results_clear(&rr);
    strvec_clear(&confs);
    return r;
}
