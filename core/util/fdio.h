/* Whole writes and reads on file descriptors, retried over EINTR and
 * short counts: the one loop every file writer here needs. */
#ifndef CB_UTIL_FDIO_H
#define CB_UTIL_FDIO_H

#include <stddef.h>
#include <sys/types.h>

/* 0, or -1 with errno set (a write of 0 bytes counts as EIO). */
int fd_write_all(int fd, const void *data, size_t len);
/* len bytes at off; 0, or -1 (errno set; end of file is EIO). */
int fd_pread_all(int fd, void *dst, size_t len, off_t off);

/* The rest of a regular file from fd, NUL-terminated (*len bytes before
 * the NUL; *data malloc'ed), in one read(2) when it is under 16 KiB:
 * a short read of a regular file is its end, so no second read asks for
 * it (renew reads a conf and a certificate per lineage).  The stack copy
 * is wiped (private keys pass here).  0, or -1 with errno set (ENOMEM
 * too).  Not for pipes or /proc files, which may read short early. */
int fd_read_regular(int fd, char **data, size_t *len);

#endif
