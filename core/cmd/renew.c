/* renew: renew every lineage that is due, or the one named by
 * --cert-name, and report (SPEC 4.4, 4.6, 4.9). */
#define LOG_COMPONENT "certbot._internal.renewal"

#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
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
#include "util/forkmap.h"
#include "util/interrupt.h"
#include "util/log.h"
#include "util/out_capture.h"

#define SLEEP_MIN 1.0
#define SLEEP_MAX 480.0

struct renew_results {
    struct strvec successes;    /* fullchain paths */
    struct strvec failures;
    /* the "not due" report as it will be printed, built as lineages
     * are skipped ("  <fullchain> expires on <date> (skipped)" lines):
     * one copy of it however many lineages there are */
    FILE *skipped;
    char *skipped_text;
    size_t skipped_len, skipped_n;
    struct strvec parse_failures;  /* conf paths */
    struct strvec renewed_names;
    struct strvec failed_names;
    int sleep_pending;
};

static void results_clear(struct renew_results *rr)
{
    strvec_clear(&rr->successes);
    strvec_clear(&rr->failures);
    if (rr->skipped)
        fclose(rr->skipped);
    rr->skipped = NULL;
    free(rr->skipped_text);
    rr->skipped_text = NULL;
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
    out_flush_all(); /* what was shown and logged is out while we wait */
    while (nanosleep(&ts, &ts) != 0 && !interrupted())
        ;
}

/* One line of the not-due report, appended (lines are '\n'-separated). */
static void add_skipped(struct renew_results *rr, const char *fmt, ...)
    CB_PRINTF(2, 3);
static void add_skipped(struct renew_results *rr, const char *fmt, ...)
{
    va_list ap;

    if (!rr->skipped)
        rr->skipped = open_memstream(&rr->skipped_text, &rr->skipped_len);
    if (rr->skipped) {
        if (rr->skipped_n)
            fputc('\n', rr->skipped);
        va_start(ap, fmt);
        vfprintf(rr->skipped, fmt, ap);
        va_end(ap);
    }
    rr->skipped_n++;
}

/* "<fullchain> expires on <date>" from the certificate the decision
 * read (the newest complete version's). */
static void note_skipped(struct renew_results *rr, const struct lineage *l,
                         const struct lineage_snap *snap)
{
    char date[32] = "?";

    if (snap->have_ci) {
        time_t t = (time_t)snap->ci.not_after;
        struct tm tm;

        gmtime_r(&t, &tm);
        strftime(date, sizeof(date), "%Y-%m-%d", &tm);
    }
    add_skipped(rr, "  %s expires on %s (skipped)", l->path[LK_FULLCHAIN],
                date);
}

/* The lineage's names (lineage_names), from the certificate the decision
 * reads when live/cert.pem points to that very file: one read of it per
 * lineage instead of two. */
static int names_of(const struct lineage *l, const struct lineage_snap *snap,
                    struct strvec *names, struct cb_err *err)
{
    int r = CB_OK;

    if (!snap->have_ci ||
        !lineage_live_is_version(l, LK_CERT, snap->version))
        return lineage_names(l, names, err);
    for (size_t i = 0; r == CB_OK && i < snap->ci.dns.n; i++)
        r = strvec_push(names, snap->ci.dns.v[i]);
    for (size_t i = 0; r == CB_OK && i < snap->ci.ips.n; i++)
        r = strvec_push(names, snap->ci.ips.v[i]);
    return r;
}

/* A lineage found due: what renewing it needs, owned until due_free. */
struct due {
    char *conf_path;
    struct cb_config *lcfg;
    struct lineage *l;
    struct strvec names;
    pid_t pid;                  /* concurrent: its child, 0 before/after */
    int result;                 /* CB_OK or the error of renew_lineage */
};

static void due_free(struct due *d)
{
    if (!d)
        return;
    strvec_clear(&d->names);
    lineage_free(d->l);
    config_free(d->lcfg);
    free(d->conf_path);
    free(d);
}

/* One renewal conf: load, restore, decide.  Never fails the run; a
 * lineage not due or broken lands in rr, a due one in *out.  known_due:
 * the forkmap helper decided already (and printed what deciding prints):
 * only load what renewing needs, silently. */
static void renew_decide_ex(struct cmd_ctx *ctx, const char *conf_path,
                            struct renew_ari_cache *ari,
                            struct renew_results *rr, struct due **out,
                            int known_due)
{
    struct due *d = calloc(1, sizeof(*d));
    struct lineage_snap snap = {0};
    struct cb_err e = {0};
    struct out_capture *quiet = NULL;
    int r;

    *out = NULL;
    if (known_due && (quiet = out_capture_new()) != NULL)
        out_capture_begin(quiet);
    if (!known_due)
        display_notifyf(1, "Processing %s", conf_path);
    if (d) {
        d->lcfg = config_copy(ctx->cfg);
        d->conf_path = strdup(conf_path);
    }
    if (!d || !d->lcfg || !d->conf_path) {
        log_error("Renewal configuration file %s produced an unexpected "
                  "error: out of memory. Skipping.", conf_path);
        strvec_push(&rr->parse_failures, conf_path);
        goto out;
    }
    r = lineage_load(conf_path, config_str(ctx->cfg, "config_dir"), &d->l,
                     &e);
    if (r != CB_OK) {
        log_error("Renewal configuration file %s is broken.", conf_path);
        log_error("The error was: %s\nSkipping.", cb_err_msg(&e));
        strvec_push(&rr->parse_failures, conf_path);
        goto out;
    }
    r = renewal_restore(d->lcfg, d->l->conf, &e);
    if (r != CB_OK) {
        log_error("%s", cb_err_msg(&e));
        strvec_push(&rr->parse_failures, conf_path);
        goto out;
    }
    lineage_snap_load(d->l, &snap);
    r = names_of(d->l, &snap, &d->names, &e);
    if (r == CB_OK && renewal_restore_names(d->lcfg, &d->names) != CB_OK)
        r = cb_err_set(&e, CB_ERR_NOMEM, "out of memory");
    if (r != CB_OK) {
        log_error("Renewal configuration file %s references a certificate "
                  "that contains an invalid domain name. The problem was: "
                  "%s. Skipping.", conf_path, cb_err_msg(&e));
        strvec_push(&rr->parse_failures, conf_path);
        goto out;
    }
    if (!known_due && !renew_should_snap(d->lcfg, d->l, (int64_t)time(NULL),
                                         ari, &snap)) {
        note_skipped(rr, d->l, &snap);
        goto out;
    }
    *out = d;
    d = NULL;
out:
    if (quiet) {
        out_capture_end();
        out_capture_free(quiet);
    }
    lineage_snap_free(&snap);
    due_free(d);
}

static void renew_decide(struct cmd_ctx *ctx, const char *conf_path,
                         struct renew_ari_cache *ari,
                         struct renew_results *rr, struct due **out)
{
    renew_decide_ex(ctx, conf_path, ari, rr, out, 0);
}

/* What deciding one conf added to a results of its own (at most one
 * parse failure or one not-due line), into rr. */
static void results_take(struct renew_results *rr,
                         struct renew_results *from)
{
    for (size_t k = 0; k < from->parse_failures.n; k++)
        strvec_push(&rr->parse_failures, from->parse_failures.v[k]);
    if (from->skipped && fflush(from->skipped) == 0 && from->skipped_text)
        add_skipped(rr, "%.*s", (int)from->skipped_len, from->skipped_text);
}

/* ---- the second half decided by a helper process (util/forkmap.h) ----
 * Long lists (forkmap_worth: 400 confs by default) on a machine with more
 * than one CPU: a helper decides the second half of the confs while this
 * process decides the first.  It runs renew_decide on a copy of
 * everything and sends back what it added to the results ("P<conf>" for
 * a parse failure, "S<line>" for the not-due report) and 1 for a due
 * lineage, which this process then loads again (silently) and renews in
 * its turn.
 *
 * The helper starts before anything is decided, and fetching the CA's
 * directory (does it offer ARI?  ~14 ms against a local pebble: libcurl,
 * a TLS handshake) is its job: it tells this process what it found
 * through forkmap's side channel ("N<url>": no renewalInfo, "A<url>":
 * offers ARI, "F<url>": failed).  Meanwhile this process decides its own
 * first confs as if the server offered no ARI (renew_ari_cache.assume),
 * each under an output capture, and holds them; when the word comes it
 * replays them (no ARI, as with pebble) or decides them again (it then
 * fetches its own client).  Its half is a little larger to make up for
 * the helper's fetch. */

#define AHEAD_MAX 512     /* confs decided and held at most */
#define AHEAD_WINDOW 16   /* confs after which nothing is assumed any more */

struct held {
    struct out_capture *cap;    /* NULL: its output went out directly */
    struct renew_results rr;    /* what deciding it added */
    struct due *d;
    char *assumed;              /* decided as if this server had no ARI */
};

struct deciders {
    struct cmd_ctx *ctx;
    const struct strvec *confs;
    struct renew_ari_cache *ari;
    struct forkmap *helper;     /* NULL: every conf decided here */
    size_t from;                /* the helper's first conf */
    int forked;                 /* in the helper: its setup done */
    size_t told;                /* in the helper: servers told about */
    int started;                /* the helper considered */
    struct held *held;          /* confs [held_from, +held_n) decided */
    size_t held_from, held_n, held_next;
    int any_assumed;            /* a held decision assumed (assume_url) */
    int assume_offered;         /* the helper found assume_url offers ARI */
};

static int decide_in_helper(void *arg, size_t i, struct strvec *res)
{
    struct deciders *dc = arg;
    struct renew_results rr;
    struct due *d = NULL;
    int due;

    if (!dc->forked) {
        renew_ari_cache_after_fork(dc->ari);
        dc->forked = 1;
    }
    memset(&rr, 0, sizeof(rr));
    renew_decide(dc->ctx, dc->confs->v[i], dc->ari, &rr, &d);
    /* what it learnt of directories, for the parent's held decisions */
    for (; dc->told < dc->ari->n; dc->told++) {
        const char *url = renew_ari_server_url(dc->ari, dc->told);
        enum ari_known k = renew_ari_known(dc->ari, url);
        char *line = NULL;

        if (asprintf(&line, "%c%s",
                     k == ARI_NONE ? 'N' : k == ARI_OFFERED ? 'A' : 'F',
                     url) >= 0 && !strchr(line, '\n'))
            forkmap_tell(line);
        free(line);
    }
    due = d != NULL;
    for (size_t k = 0; k < rr.parse_failures.n; k++)
        strvec_pushf(res, "P%s", rr.parse_failures.v[k]);
    if (rr.skipped && fflush(rr.skipped) == 0 && rr.skipped_text)
        strvec_pushf(res, "S%.*s", (int)rr.skipped_len, rr.skipped_text);
    due_free(d);
    results_clear(&rr);
    return due;
}

/* The helper takes [from, n): a little less than half (~0.47 n - 64),
 * since it fetches the directory first and its items cost more (each
 * captured and sent back): timestamps in the log of a 1,000-lineage run
 * showed the two finishing within a millisecond or two of each other. */
static void deciders_start(struct deciders *dc)
{
    size_t n = dc->confs->n;

    dc->started = 1;
    if (!forkmap_worth(n))
        return;
    dc->from = n / 2 + n / 32 + 64;
    if (dc->from >= n)
        dc->from = n / 2;
    dc->helper = forkmap_start(dc->from, n, decide_in_helper, dc);
    dc->ari->assume = dc->helper != NULL;
}

/* The helper's word on directories so far (wait: for at least one line,
 * or its end) into the cache; -1 when no more will come. */
static int hear_helper(struct deciders *dc, int wait)
{
    struct strvec lines = {0};
    int r = forkmap_heard(dc->helper, &lines, wait);

    for (size_t k = 0; k < lines.n; k++) {
        const char *l = lines.v[k];

        if (l[0] == 'N' || l[0] == 'F')
            renew_ari_cache_learn(dc->ari, l + 1,
                                  l[0] == 'N' ? ARI_NONE : ARI_FAILED);
        else if (l[0] == 'A' && dc->ari->assume_url &&
                 strcmp(l + 1, dc->ari->assume_url) == 0)
            dc->assume_offered = 1;
    }
    strvec_clear(&lines);
    return r;
}

/* Are the held decisions' assumptions answered?  They are all about one
 * server (renew_ari_cache.assume_url), which the helper's lines name. */
static int answered(const struct deciders *dc)
{
    const char *url = dc->ari->assume_url;

    return !dc->any_assumed || !url || dc->assume_offered ||
           renew_ari_known(dc->ari, url) != ARI_UNKNOWN;
}

/* Decide conf j into h, its output captured. */
static void hold(struct deciders *dc, size_t j, struct held *h)
{
    memset(h, 0, sizeof(*h));
    h->cap = out_capture_new();
    if (!h->cap)                /* nothing may be decided twice then */
        dc->ari->assume = 0;
    else
        out_capture_begin(h->cap);
    renew_decide(dc->ctx, dc->confs->v[j], dc->ari, &h->rr, &h->d);
    if (h->cap)
        out_capture_end();
    h->assumed = dc->ari->assumed;
    dc->ari->assumed = NULL;
    if (h->assumed)
        dc->any_assumed = 1;
}

/* Decide conf i and, while an assumption waits for the helper's word,
 * the confs after it (up to the helper's first); then get that word. */
static void decide_ahead(struct deciders *dc, size_t i)
{
    size_t j;

    if (!dc->held)
        dc->held = calloc(AHEAD_MAX, sizeof(*dc->held));
    if (!dc->held) {
        dc->ari->assume = 0;
        return;
    }
    dc->held_from = i;
    dc->held_next = 0;
    dc->held_n = 0;
    hold(dc, i, &dc->held[dc->held_n++]);
    for (j = i + 1; !answered(dc) && dc->held_n < AHEAD_MAX &&
                    j < dc->from && !interrupted(); j++) {
        if ((j - i) % 4 == 0) {     /* a read(2) each: not every conf */
            hear_helper(dc, 0);
            if (answered(dc))
                break;
        }
        hold(dc, j, &dc->held[dc->held_n++]);
    }
    while (!answered(dc) && hear_helper(dc, 1) == 0 && !interrupted())
        ;
    /* one round of assuming: later confs ask (or know) for themselves */
    if (dc->any_assumed || i + 1 >= AHEAD_WINDOW)
        dc->ari->assume = 0;
}

/* A held decision as renew_decide would have made it now: replayed, or
 * made again when it assumed what the helper's word contradicts. */
static void settle(struct deciders *dc, size_t i, struct renew_results *rr,
                   struct due **out)
{
    struct held *h = &dc->held[dc->held_next++];

    if (dc->held_next == dc->held_n)
        dc->held_n = dc->held_next = 0;
    if (h->assumed && renew_ari_known(dc->ari, h->assumed) != ARI_NONE) {
        out_capture_free(h->cap);
        due_free(h->d);
        results_clear(&h->rr);
        free(h->assumed);
        renew_decide(dc->ctx, dc->confs->v[i], dc->ari, rr, out);
        return;
    }
    if (h->cap)
        out_capture_replay(h->cap);
    results_take(rr, &h->rr);
    results_clear(&h->rr);
    free(h->assumed);
    *out = h->d;
}

/* renew_decide for conf i: decided ahead, by the helper when it has it,
 * or here. */
static void decide_at(struct deciders *dc, size_t i,
                      struct renew_results *rr, struct due **out)
{
    struct strvec res = {0};
    int r;

    *out = NULL;
    if (!dc->started)
        deciders_start(dc);
    if (dc->held_n == 0 && dc->ari->assume && i < dc->from)
        decide_ahead(dc, i);
    if (dc->held_n > 0 && dc->held_from + dc->held_next == i) {
        settle(dc, i, rr, out);
        return;
    }
    if (!dc->helper || i < dc->from ||
        (r = forkmap_next(dc->helper, i, &res)) == FORKMAP_SELF) {
        renew_decide(dc->ctx, dc->confs->v[i], dc->ari, rr, out);
        return;
    }
    for (size_t k = 0; k < res.n; k++) {
        const char *v = res.v[k];

        if (v[0] == 'P')
            strvec_push(&rr->parse_failures, v + 1);
        else if (v[0] == 'S')
            add_skipped(rr, "%s", v + 1);
    }
    strvec_clear(&res);
    if (r == 1)
        renew_decide_ex(dc->ctx, dc->confs->v[i], dc->ari, rr, out, 1);
}

/* Deciding is over (also when interrupted with confs still held). */
static void deciders_end(struct deciders *dc)
{
    forkmap_end(dc->helper);
    dc->helper = NULL;
    for (size_t k = dc->held_next; k < dc->held_n; k++) {
        out_capture_free(dc->held[k].cap);
        due_free(dc->held[k].d);
        results_clear(&dc->held[k].rr);
        free(dc->held[k].assumed);
    }
    free(dc->held);
    dc->held = NULL;
    dc->ari->assume = 0;
}

/* The outcome of one renewal, into rr. */
static void renew_record(struct renew_results *rr, const struct due *d)
{
    if (d->result == CB_OK) {
        strvec_push(&rr->successes, d->l->path[LK_FULLCHAIN]);
        push_all(&rr->renewed_names, &d->names);
    } else {
        strvec_push(&rr->failures, d->l->path[LK_FULLCHAIN]);
        push_all(&rr->failed_names, &d->names);
    }
}

/* renew_lineage for one due lineage, its error logged. */
static int renew_due_now(struct cmd_ctx *ctx, struct due *d,
                         struct hook_run *hr)
{
    struct cmd_ctx lctx = {d->lcfg, ctx->plugins};
    struct cb_err e = {0};
    int r = renew_lineage(&lctx, d->l, hr, &e);

    if (r != CB_OK)
        log_error("Failed to renew certificate %s with error: %s",
                  d->l->name, cb_err_msg(&e));
    return r;
}

/* One after another: Certbot's order, decide then renew, per conf. */
static void renew_sequential(struct cmd_ctx *ctx, const struct strvec *confs,
                             struct hook_run *hr,
                             struct renew_ari_cache *ari,
                             struct renew_results *rr)
{
    struct deciders dc = {.ctx = ctx, .confs = confs, .ari = ari};

    for (size_t i = 0; i < confs->n && !interrupted(); i++) {
        struct due *d = NULL;

        decide_at(&dc, i, rr, &d);
        if (!d)
            continue;
        random_sleep(rr);
        d->result = renew_due_now(ctx, d, hr);
        renew_record(rr, d);
        due_free(d);
    }
    deciders_end(&dc);
}

/* May this lineage renew beside others?  Not with a plugin that binds a
 * port (standalone), runs the user's challenge scripts (manual) or
 * restarts a server (an installer): those keep Certbot's one at a time. */
static int concurrent_ok(const struct due *d)
{
    const char *auth = config_str(d->lcfg, "authenticator");
    const char *inst = config_str(d->lcfg, "installer");

    if (!auth || strcmp(auth, "standalone") == 0 ||
        strcmp(auth, "manual") == 0)
        return 0;
    return !inst || strcmp(inst, "null") == 0 || strcmp(inst, "none") == 0;
}

/* A deploy hook sets RENEWED_LINEAGE/RENEWED_DOMAINS in Certbot's own
 * environment, which the post hooks at the end then see (hooks.h).  A
 * child's setenv is lost: set what the last renewal, in conf order,
 * would have left. */
static void deploy_env_like_sequential(struct due **due, size_t n)
{
    for (size_t i = n; i-- > 0;) {
        const struct due *d = due[i];
        struct strvec dir = {0};
        char *hookdir, *domains;
        int has;

        if (d->result != CB_OK || (config_bool(d->lcfg, "dry_run") &&
                                   !config_bool(d->lcfg, "run_deploy_hooks")))
            continue;
        has = config_str(d->lcfg, "renew_hook") != NULL;
        if (!has && asprintf(&hookdir, "%s/renewal-hooks/deploy",
                             config_str(d->lcfg, "config_dir")) >= 0) {
            hooks_list_dir(hookdir, &dir);
            has = dir.n > 0;
            strvec_clear(&dir);
            free(hookdir);
        }
        if (!has)
            continue;
        domains = strvec_join(&d->names, " ");
        setenv("RENEWED_DOMAINS", domains ? domains : "", 1);
        setenv("RENEWED_LINEAGE", d->l->live_dir, 1);
        free(domains);
        return;
    }
}

/* Wait for one of the children started for due[0..n) and note its
 * result.  ECHILD (none left) ends them all as failed. */
static void wait_one(struct due **due, size_t n, size_t *running)
{
    int status;
    pid_t pid = waitpid(-1, &status, 0);

    if (pid < 0 && errno == EINTR)
        return;
    for (size_t i = 0; i < n; i++) {
        if (due[i]->pid == 0 || (pid >= 0 && due[i]->pid != pid))
            continue;
        due[i]->pid = 0;
        due[i]->result = pid >= 0 && WIFEXITED(status) &&
                                 WEXITSTATUS(status) == 0
                             ? CB_OK
                             : CB_ERR_CONFIG;
        (*running)--;
        if (pid >= 0)
            return;
    }
}

/* Renew d in a child process running the same renew_lineage as the
 * sequential path, so its locks, files and deploy hooks are what a
 * sequential run makes.  The parent runs d's pre hooks first (the
 * child's copy of hr then lists them as done, so it runs none) and
 * queues its post hooks, which run once at the very end as always. */
static void start_child(struct cmd_ctx *ctx, struct due *d,
                        struct hook_run *hr, size_t *running)
{
    struct strvec none = {0};
    pid_t pid;

    hooks_pre(d->lcfg, hr);
    hooks_post(d->lcfg, hr, &none);     /* renew: only queued */
    out_flush_all();
    pid = fork();
    if (pid == 0) {
        int r = renew_due_now(ctx, d, hr);

        out_flush_all();
        _exit(r == CB_OK ? 0 : 1);
    }
    if (pid < 0) {
        log_warning("Cannot start a renewal process (%s): renewing %s "
                    "here.", strerror(errno), d->l->name);
        d->result = renew_due_now(ctx, d, hr);
        return;
    }
    d->pid = pid;
    (*running)++;
}

/* Certbot's loop (decide, renew, per conf, in order), except that a due
 * lineage that may renew beside others (concurrent_ok) starts in a child
 * while the loop goes on, up to max at a time.  One that may not waits
 * for the running ones and renews here, as in a sequential run, so a run
 * without such lineages looks exactly like Certbot's.  Results are
 * reported in conf order. */
static void renew_all(struct cmd_ctx *ctx, const struct strvec *confs,
                      long max, struct hook_run *hr,
                      struct renew_ari_cache *ari, struct renew_results *rr)
{
    struct due **due = calloc(confs->n, sizeof(*due));
    struct deciders dc = {.ctx = ctx, .confs = confs, .ari = ari};
    size_t n = 0, running = 0;
    int children = 0;

    if (!due) {
        renew_sequential(ctx, confs, hr, ari, rr);
        return;
    }
    for (size_t i = 0; i < confs->n && !interrupted(); i++) {
        struct due *d = NULL;

        decide_at(&dc, i, rr, &d);
        if (!d)
            continue;
        due[n++] = d;
        random_sleep(rr);
        if (concurrent_ok(d)) {
            while (running >= (size_t)max)
                wait_one(due, n, &running);
            start_child(ctx, d, hr, &running);
            children = 1;
        } else {
            while (running > 0)
                wait_one(due, n, &running);
            d->result = renew_due_now(ctx, d, hr);
        }
    }
    deciders_end(&dc);
    while (running > 0)
        wait_one(due, n, &running);
    for (size_t i = 0; i < n; i++)
        renew_record(rr, due[i]);
    if (children)
        deploy_env_like_sequential(due, n);
    for (size_t i = 0; i < n; i++)
        due_free(due[i]);
    free(due);
}

/* "  a (tag)\n  b (tag)" */
/* Built in one allocation: with thousands of lineages skipped, a line
 * vector plus its join were two more copies of the whole report. */
static char *report(const struct strvec *items, const char *tag)
{
    size_t tl = strlen(tag), total = 1, at = 0;
    char *s;

    for (size_t i = 0; i < items->n; i++)
        total += strlen(items->v[i]) + tl + 6;   /* "  " " (" ")" "\n" */
    s = malloc(total);
    if (!s)
        return NULL;
    for (size_t i = 0; i < items->n; i++) {
        int n = snprintf(s + at, total - at, "%s  %s (%s)", i ? "\n" : "",
                         items->v[i], tag);
        if (n < 0 || (size_t)n >= total - at) {
            free(s);
            return NULL;
        }
        at += (size_t)n;
    }
    s[at] = '\0';
    return s;
}

static void describe(const struct cb_config *cfg, struct renew_results *rr)
{
    const char *noun = config_bool(cfg, "dry_run") ? "simulated renewal"
                                                   : "renewal";
    char *ok = report(&rr->successes, "success");
    char *bad = report(&rr->failures, "failure");

    display_notifyf(0, "\n%s", display_frame);
    if (rr->skipped_n) {
        char *sk = NULL;
        if (rr->skipped && fclose(rr->skipped) == 0)
            sk = rr->skipped_text;
        else
            free(rr->skipped_text);
        rr->skipped = NULL;
        rr->skipped_text = NULL;
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
    struct renew_ari_cache ari = {0};
    size_t nd = 0, ni = 0;
    long max;
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
    max = config_int(cfg, "max_concurrent_renewals");
    if (max > 1 && confs.n > 1)
        renew_all(ctx, &confs, max, &hr, &ari, &rr);
    else
        renew_sequential(ctx, &confs, &hr, &ari, &rr);
    strvec_clear(&confs);       /* not needed for the report */

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
