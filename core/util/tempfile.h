/* Unlinked temporary files: scratch space that disappears with the
 * process, for data too big to keep in memory (issue 7: peak RSS) or
 * handed between processes (util/forkmap.h).
 *
 * Ownership: descriptors and strings returned are the caller's. */
#ifndef CB_UTIL_TEMPFILE_H
#define CB_UTIL_TEMPFILE_H

#include <stddef.h>
#include <stdio.h>

/* A read-write file of mode 0600 in dir, already unlinked, close-on-exec;
 * -1 with errno set on failure.  dir NULL: an anonymous file
 * (memfd_create) where the kernel has them, else one in $TMPDIR or
 * /tmp. */
int tempfile_open(const char *dir);

/* All of f from its start, NUL-terminated (*len bytes before the NUL);
 * NULL on error. */
char *tempfile_slurp(FILE *f, size_t *len);

#endif
