/* Pre, deploy and post hooks (SPEC 4.9): the --pre-hook / --deploy-hook
 * (dest renew_hook) / --post-hook commands and the executables in
 * <config>/renewal-hooks/{pre,deploy,post}/, run with /bin/sh -c.
 *
 * A failing hook only warns; nothing here fails the command except
 * hooks_validate.  What ran is remembered in a struct hook_run that the
 * verb owns for the whole invocation: identical pre hooks run once, and
 * renew queues its post hooks to run once each at the very end.
 *
 * Ownership: struct hook_run owns its lists; hook_run_clear frees them. */
#ifndef CB_LIFECYCLE_HOOKS_H
#define CB_LIFECYCLE_HOOKS_H

#include <stddef.h>

#include "cli/config.h"
#include "util/err.h"
#include "util/strvec.h"

struct hook_run {
    struct strvec pre_done;     /* pre hook commands already run */
    struct strvec post_queue;   /* renew: post hooks to run at the end */
};

void hook_run_clear(struct hook_run *hr);

/* Start-up check of the pre, post and deploy hook commands (skipped with
 * --disable-hook-validation): the first word must be an executable path
 * or a program on $PATH (plus /usr/sbin, /usr/local/bin, /usr/local/sbin,
 * which are then added to PATH as Certbot does). */
int hooks_validate(const struct cb_config *cfg, struct cb_err *err);

/* Executables in dir (regular files with an execute bit, names not
 * ending in '~'), as absolute paths in byte order, appended to out.  A
 * missing directory gives nothing. */
int hooks_list_dir(const char *dir, struct strvec *out);

/* Directory pre hooks then --pre-hook, each unless already run. */
void hooks_pre(const struct cb_config *cfg, struct hook_run *hr);

/* Directory deploy hooks then the deploy hook, once each.  Sets
 * RENEWED_LINEAGE and RENEWED_DOMAINS in Certbot's own environment, so
 * later hooks see them too.  On a dry run they are only logged as
 * skipped unless --run-deploy-hooks. */
void hooks_deploy(const struct cb_config *cfg, const char *const *names,
                  size_t n, const char *live_dir);

/* Directory post hooks then --post-hook.  For renew they are queued (once
 * each) for hooks_run_saved_post; otherwise they run now with
 * RENEWED_DOMAINS = renewed and FAILED_DOMAINS empty. */
void hooks_post(const struct cb_config *cfg, struct hook_run *hr,
                const struct strvec *renewed);

/* renew: run the queued post hooks with RENEWED_DOMAINS and
 * FAILED_DOMAINS (space-separated, each limited to 16k characters). */
void hooks_run_saved_post(struct hook_run *hr, const struct strvec *renewed,
                          const struct strvec *failed);

#endif
