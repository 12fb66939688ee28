/* .certbot.lock: fcntl(F_SETLK) write locks compatible with Python
 * Certbot's lockf locks (not flock, which does not conflict on Linux). */
#ifndef CB_STORAGE_LOCK_H
#define CB_STORAGE_LOCK_H

#include "util/err.h"

struct dir_lock;

/* Lock <dir>/.certbot.lock (created 0600).  Held by another process:
 * CB_ERR_LOCKED "Another instance of Certbot is already running.". */
int lock_dir(const char *dir, struct dir_lock **out, struct cb_err *err);
/* Remove the file, then close (drops the lock).  NULL-safe. */
void lock_release(struct dir_lock *l);

#endif
