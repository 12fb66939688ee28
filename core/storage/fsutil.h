/* File-system helpers with Certbot's modes and crash safety. */
#ifndef CB_STORAGE_FSUTIL_H
#define CB_STORAGE_FSUTIL_H

#include <stddef.h>
#include <sys/types.h>

#include "util/err.h"

/* Create path and missing parents; every level created gets exactly mode
 * (chmod after mkdir, so umask does not narrow it). Existing dirs kept. */
int fs_mkdirs(const char *path, mode_t mode, struct cb_err *err);
/* Certbot's make_or_verify_dir: create with mode; if strict, an existing
 * dir must be owned by us with exactly mode ("<path> exists, but it should
 * be owned by current user with permissions 0o755"). */
int fs_make_or_verify_dir(const char *path, mode_t mode, int strict,
                          struct cb_err *err);
/* Write to <path>.XXXXXX created with mode, fsync, rename over path. */
int fs_write_atomic(const char *path, const void *data, size_t len,
                    mode_t mode, struct cb_err *err);
/* Create path with O_EXCL and exactly mode from the first byte. */
int fs_write_new(const char *path, const void *data, size_t len, mode_t mode,
                 struct cb_err *err);
/* Read a whole file; *data NUL-terminated, caller frees. */
int fs_read_all(const char *path, char **data, size_t *len,
                struct cb_err *err);
/* fs_read_all for the files of a lineage and its renewal conf, which
 * Certbot writes as regular files: open, one read into a stack buffer,
 * close (3 system calls where fs_read_all's loop needs 4-6; renew and
 * certificates read several per lineage).  A read shorter than the
 * buffer is taken as the end of the file, as it is for a regular file;
 * a full buffer reads on until 0.  Same messages as fs_read_all; on
 * failure *errnum (may be NULL) is the failing call's errno. */
int fs_read_regular(const char *path, char **data, size_t *len,
                    int *errnum, struct cb_err *err);
/* Absolute, lexically normalised path; caller frees; NULL on ENOMEM. */
char *fs_abspath(const char *path);
/* rm -rf; missing is fine. */
int fs_rmtree(const char *path, struct cb_err *err);

#endif
