#define LOG_COMPONENT "certbot._internal.main"

#include "lifecycle/startup.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "lifecycle/hooks.h"
#include "storage/fsutil.h"
#include "util/display.h"
#include "util/log.h"

static const char *const advice =
    "Either run as root, or set --config-dir, --work-dir, and --logs-dir "
    "to writeable paths.";

/* Certbot words directory failures as the OS error plus one line of
 * advice; keep that so scripts matching it keep working. */
static int dir_failure(struct cb_err *err, struct cb_err *inner)
{
    return cb_err_replace(err, CB_ERR_IO,
                          "The following error was encountered:\n%s\n%s",
                          cb_err_msg(inner), advice);
}

int startup_run(struct cb_config *cfg, int tolerant, struct startup *st,
                struct cb_err *err)
{
    const char *config_dir = config_str(cfg, "config_dir");
    const char *work_dir = config_str(cfg, "work_dir");
    const char *logs_dir = config_str(cfg, "logs_dir");
    int strict = config_bool(cfg, "strict_permissions");
    struct cb_err inner = {0};
    const char *const hook_dirs[] = {"pre", "deploy", "post"};
    char path[4096];
    mode_t old_umask;
    int r;

    memset(st, 0, sizeof(*st));

    /* Certbot checks hook commands right after parsing. */
    r = hooks_validate(cfg, err);
    if (r != CB_OK)
        return r;

    /* Logs first, so everything after is recorded. */
    r = fs_make_or_verify_dir(logs_dir, 0700, strict, &inner);
    if (r == CB_OK)
        r = log_open(logs_dir, config_int(cfg, "max_log_backups"), &inner);
    if (r != CB_OK && !tolerant)
        return dir_failure(err, &inner);
    if (r == CB_OK && !config_bool(cfg, "quiet"))
        fprintf(stderr, "Saving debug log to %s\n", log_path());
    cb_err_reset(&inner);

    /* The work dir is 0755 even under a stricter umask. */
    old_umask = umask(022);
    r = fs_make_or_verify_dir(config_dir, 0755, strict, &inner);
    if (r == CB_OK)
        r = fs_make_or_verify_dir(work_dir, 0755, strict, &inner);
    for (size_t i = 0; r == CB_OK && i < 3; i++) {
        snprintf(path, sizeof(path), "%s/renewal-hooks/%s", config_dir,
                 hook_dirs[i]);
        r = fs_mkdirs(path, 0755, &inner);
    }
    umask(old_umask);
    if (r != CB_OK) {
        if (tolerant)
            return CB_OK;
        return dir_failure(err, &inner);
    }

    /* lineage lookups relative to it from here on (fsutil.h) */
    fs_at_root(config_dir);
    {
        const char *dirs[3] = {config_dir, work_dir, logs_dir};
        for (size_t i = 0; i < 3; i++) {
            r = lock_dir(dirs[i], &st->locks[i], &inner);
            if (r == CB_ERR_LOCKED && !tolerant)
                return cb_err_replace(err, r, "%s", cb_err_msg(&inner));
            if (r != CB_OK && !tolerant)
                return dir_failure(err, &inner);
            cb_err_reset(&inner);
        }
    }
    return CB_OK;
}

void startup_finish(struct startup *st)
{
    fs_at_root(NULL);
    for (size_t i = 0; i < 3; i++) {
        lock_release(st->locks[i]);
        st->locks[i] = NULL;
    }
}
