/* .certbot.lock, the way Python Certbot's lock.py takes it: an fcntl
 * write lock over the whole file (what fcntl.lockf does), non-blocking,
 * with the path re-checked after locking because a releasing process
 * unlinks the file before it closes it. */
#include "storage/lock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct dir_lock {
    char *path;
    int fd;
};

/* 1 locked, 0 someone else holds it, <0 error (errno set). */
static int try_lock(int fd)
{
    struct flock fl;

    memset(&fl, 0, sizeof(fl));
    fl.l_type = F_WRLCK;
    fl.l_whence = SEEK_SET;
    fl.l_start = 0;
    fl.l_len = 0;
    if (fcntl(fd, F_SETLK, &fl) == 0)
        return 1;
    if (errno == EACCES || errno == EAGAIN)
        return 0;
    return -1;
}

/* Still the file at path?  A holder that released in between removed it,
 * and our lock on the orphaned inode would protect nothing. */
static int same_file(int fd, const char *path)
{
    struct stat a, b;

    if (stat(path, &a) < 0 || fstat(fd, &b) < 0)
        return 0;
    return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

int lock_dir(const char *dir, struct dir_lock **out, struct cb_err *err)
{
    struct dir_lock *l = NULL;
    int fd = -1;
    int r = CB_OK;

    *out = NULL;
    l = calloc(1, sizeof(*l));
    if (!l || asprintf(&l->path, "%s/.certbot.lock", dir) < 0) {
        if (l)
            l->path = NULL;
        r = cb_err_set(err, CB_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (;;) {
        int got;
        fd = open(l->path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd < 0) {
            r = cb_err_set(err, CB_ERR_IO, "[Errno %d] %s: '%s'", errno,
                           strerror(errno), l->path);
            goto out;
        }
        got = try_lock(fd);
        if (got < 0) {
            r = cb_err_set(err, CB_ERR_IO, "cannot lock %s: %s", l->path,
                           strerror(errno));
            goto out;
        }
        if (got == 0) {
            r = cb_err_set(err, CB_ERR_LOCKED,
                           "Another instance of Certbot is already running.");
            goto out;
        }
        if (same_file(fd, l->path))
            break;
        close(fd);
        fd = -1;
    }
    l->fd = fd;
    fd = -1;
    *out = l;
    l = NULL;
out:
    if (fd >= 0)
        close(fd);
    if (l) {
        free(l->path);
        free(l);
    }
    return r;
}

void lock_release(struct dir_lock *l)
{
    if (!l)
        return;
    /* Unlink while still holding the lock, so a waiter that opened the
     * old file notices (same_file) and starts over with a new one. */
    unlink(l->path);
    close(l->fd);
    free(l->path);
    free(l);
}
