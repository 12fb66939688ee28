#include "util/fdio.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int fd_write_all(int fd, const void *data, size_t len)
{
    const char *p = data;

    while (len > 0) {
        ssize_t w = write(fd, p, len);

        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (w == 0)
                errno = EIO;
            return -1;
        }
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

int fd_pread_all(int fd, void *dst, size_t len, off_t off)
{
    char *p = dst;

    while (len > 0) {
        ssize_t r = pread(fd, p, len, off);

        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            if (r == 0)
                errno = EIO;
            return -1;
        }
        p += r;
        off += r;
        len -= (size_t)r;
    }
    return 0;
}

#define READ_STACK 16384

static void *(*const volatile wipe_memset)(void *, int, size_t) = memset;

int fd_read_regular(int fd, char **data, size_t *len)
{
    char stack[READ_STACK];
    char *buf = NULL;
    size_t n = 0, cap = sizeof(stack);
    int rc = -1, e = 0;

    *data = NULL;
    *len = 0;
    for (;;) {
        ssize_t got;

        if (n == cap) {
            /* a full buffer: this file is bigger, go on in the heap */
            char *nb = realloc(buf, cap * 2 + 1);

            if (!nb) {
                e = ENOMEM;
                goto out;
            }
            if (!buf)
                memcpy(nb, stack, n);
            buf = nb;
            cap *= 2;
        }
        got = read(fd, (buf ? buf : stack) + n, cap - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            e = errno;
            goto out;
        }
        n += (size_t)got;
        if (got == 0 || n < cap)
            break;
    }
    if (!buf) {
        buf = malloc(n + 1);
        if (!buf) {
            e = ENOMEM;
            goto out;
        }
        memcpy(buf, stack, n);
    }
    buf[n] = '\0';
    *data = buf;
    *len = n;
    buf = NULL;
    rc = 0;
out:
    /* volatile: the wipe is not elided */
    wipe_memset(stack, 0, n < sizeof(stack) ? n : sizeof(stack));
    free(buf);
    if (rc < 0)
        errno = e;
    return rc;
}
