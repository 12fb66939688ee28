/* File-system helpers with Certbot's modes and crash safety. */
#ifndef CB_STORAGE_FSUTIL_H
#define CB_STORAGE_FSUTIL_H

#include <stddef.h>
#include <sys/stat.h>
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
/* ---- looking up files under the config dir ----
 * renew and certificates make ~15 system calls per lineage, each naming
 * a file under the config dir by its absolute path, which the kernel
 * walks component by component every time (~8 of them; issue 7).  After
 * fs_at_root(config_dir), the calls below pass a descriptor of that dir
 * and the rest of the path instead (3 components), which measured ~4 us
 * less per lineage.  Paths outside the root, and every call before
 * fs_at_root or after fs_at_root(NULL), go as they are.  The descriptor
 * is close-on-exec; the root must not move while a command runs (the
 * lock files in it say it is ours).  Writers keep absolute paths. */
void fs_at_root(const char *dir);
int fs_lstat(const char *path, struct stat *st);
int fs_stat(const char *path, struct stat *st);
ssize_t fs_readlink(const char *path, char *buf, size_t size);
int fs_access(const char *path, int mode);
/* open(path, O_RDONLY | O_CLOEXEC | extra) */
int fs_open_read(const char *path, int extra);

/* Call fn for every entry of dir but "." and "..", with its d_type
 * (DT_UNKNOWN where the file system has none); fn returns 0 to go on,
 * anything else to stop (say why in arg).  0 when every entry was seen,
 * 1 when fn stopped, -1 with errno when dir cannot be read (ENOENT for a
 * missing one).  Reads with getdents64 into a
 * stack buffer where there is one (no DIR allocation, no fstat). */
int fs_list_dir(const char *dir,
                int (*fn)(void *arg, const char *name, unsigned char type),
                void *arg);

/* Absolute, lexically normalised path; caller frees; NULL on ENOMEM. */
char *fs_abspath(const char *path);
/* rm -rf; missing is fine. */
int fs_rmtree(const char *path, struct cb_err *err);

#endif
