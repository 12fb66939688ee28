#include "util/tempfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int tempfile_open(const char *dir)
{
    char *path = NULL;
    int fd, e;

#ifdef MFD_CLOEXEC
    /* No file system at all where the kernel has anonymous files: making
     * an inode on disk is the dearest part of a temp file (~1 ms on an
     * ext4 without journal that recently deleted many files), and
     * nothing ever sees a name. */
    if (!dir || !*dir) {
        fd = memfd_create("certbot-tmp", MFD_CLOEXEC);
        if (fd >= 0)
            return fd;
    }
#endif
    if (!dir || !*dir)
        dir = getenv("TMPDIR");
    if (!dir || !*dir)
        dir = "/tmp";
    if (asprintf(&path, "%s/certbot-tmp-XXXXXX", dir) < 0)
        return -1;
    fd = mkstemp(path);     /* 0600 */
    e = errno;
    if (fd >= 0) {
        unlink(path);
        /* not for the hooks we exec */
        fcntl(fd, F_SETFD, FD_CLOEXEC);
    }
    free(path);
    errno = e;
    return fd;
}

char *tempfile_slurp(FILE *f, size_t *len)
{
    long size;
    char *all;

    if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 ||
        fseek(f, 0, SEEK_SET) != 0 || !(all = malloc((size_t)size + 1)))
        return NULL;
    *len = fread(all, 1, (size_t)size, f);
    all[*len] = '\0';
    return all;
}
