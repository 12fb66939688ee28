/* Process start-up after parsing (Certbot's post_arg_parse_setup and
 * make_or_verify_needed_dirs): logs dir + log file, config/work dirs,
 * renewal-hooks dirs, and the three .certbot.lock files.
 *
 * Ownership: struct startup owns the locks until startup_finish(). */
#ifndef CB_LIFECYCLE_STARTUP_H
#define CB_LIFECYCLE_STARTUP_H

#include "cli/config.h"
#include "storage/lock.h"
#include "util/err.h"

struct startup {
    struct dir_lock *locks[3];
};

/* Create and lock what the verb needs.  tolerant (the plugins verb)
 * ignores directory and lock failures. */
int startup_run(struct cb_config *cfg, int tolerant, struct startup *st,
                struct cb_err *err);
/* Release the locks (removing the lock files). */
void startup_finish(struct startup *st);

#endif
