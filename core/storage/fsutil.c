/* File-system helpers: exact modes whatever the umask, O_EXCL creation
 * and temp-file + rename writes (see fsutil.h). */
#include "storage/fsutil.h"

#include "util/fdio.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Python's OSError text, which Certbot shows verbatim ("[Errno 13]
 * Permission denied: '/x'"); A-310 expects the same wording from us. */
static int os_error(struct cb_err *err, int errnum, const char *path)
{
    return cb_err_set(err, CB_ERR_IO, "[Errno %d] %s: '%s'", errnum,
                      strerror(errnum), path);
}


/* mkdir one level with exactly mode; EEXIST is reported to the caller. */
static int mkdir_exact(const char *path, mode_t mode)
{
    if (mkdir(path, mode) < 0)
        return -1;
    /* mkdir honours the umask; Certbot wants the literal mode. */
    if (chmod(path, mode) < 0) {
        int e = errno;
        rmdir(path);
        errno = e;
        return -1;
    }
    return 0;
}

int fs_mkdirs(const char *path, mode_t mode, struct cb_err *err)
{
    char *buf = NULL;
    size_t len;
    struct stat st;
    int r = CB_OK;

    if (!path || !*path)
        return cb_err_set(err, CB_ERR_INVAL, "empty directory path");
    buf = strdup(path);
    if (!buf)
        return cb_err_set(err, CB_ERR_NOMEM, "out of memory");
    len = strlen(buf);
    while (len > 1 && buf[len - 1] == '/')
        buf[--len] = '\0';

    /* Walk every prefix ending before a '/' and then the whole path. */
    for (size_t i = 1; i <= len; i++) {
        if (i < len && buf[i] != '/')
            continue;
        if (i < len && buf[i - 1] == '/')
            continue; /* "//" */
        char saved = buf[i];
        buf[i] = '\0';
        if (stat(buf, &st) == 0) {
            if (!S_ISDIR(st.st_mode)) {
                r = os_error(err, ENOTDIR, buf);
                goto out;
            }
        } else if (errno != ENOENT) {
            r = os_error(err, errno, buf);
            goto out;
        } else if (mkdir_exact(buf, mode) < 0 && errno != EEXIST) {
            r = os_error(err, errno, buf);
            goto out;
        }
        buf[i] = saved;
    }
out:
    free(buf);
    return r;
}

int fs_make_or_verify_dir(const char *path, mode_t mode, int strict,
                          struct cb_err *err)
{
    struct stat st;

    if (stat(path, &st) < 0) {
        if (errno != ENOENT)
            return os_error(err, errno, path);
        return fs_mkdirs(path, mode, err);
    }
    if (!S_ISDIR(st.st_mode))
        return os_error(err, EEXIST, path);
    if (strict && (st.st_uid != geteuid() || (st.st_mode & 07777) != mode))
        return cb_err_set(err, CB_ERR_IO,
                          "%s exists, but it should be owned by current user "
                          "with permissions 0o%o", path, (unsigned)mode);
    return CB_OK;
}

int fs_write_new(const char *path, const void *data, size_t len, mode_t mode,
                 struct cb_err *err)
{
    int fd = -1;
    int created = 0;
    int r = CB_OK;

    fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
              mode);
    if (fd < 0) {
        r = os_error(err, errno, path);
        goto out;
    }
    created = 1;
    /* Exact mode before the first byte, whatever the umask. */
    if (fchmod(fd, mode) < 0 || fd_write_all(fd, data, len) < 0 ||
        fsync(fd) < 0) {
        r = os_error(err, errno, path);
        goto out;
    }
out:
    if (fd >= 0 && close(fd) < 0 && r == CB_OK)
        r = os_error(err, errno, path);
    if (r < 0 && created)
        unlink(path);
    return r;
}

int fs_write_atomic(const char *path, const void *data, size_t len,
                    mode_t mode, struct cb_err *err)
{
    char *tmp = NULL;
    int fd = -1;
    int r = CB_OK;

    if (asprintf(&tmp, "%s.XXXXXX", path) < 0) {
        tmp = NULL;
        r = cb_err_set(err, CB_ERR_NOMEM, "out of memory");
        goto out;
    }
    fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0) {
        r = os_error(err, errno, path);
        free(tmp);
        tmp = NULL;
        goto out;
    }
    if (fchmod(fd, mode) < 0 || fd_write_all(fd, data, len) < 0 ||
        fsync(fd) < 0) {
        r = os_error(err, errno, tmp);
        goto out;
    }
    if (close(fd) < 0) {
        fd = -1;
        r = os_error(err, errno, tmp);
        goto out;
    }
    fd = -1;
    if (rename(tmp, path) < 0) {
        r = os_error(err, errno, path);
        goto out;
    }
out:
    if (fd >= 0)
        close(fd);
    if (r < 0 && tmp)
        unlink(tmp);
    free(tmp);
    return r;
}


/* ---- relative to the config dir (fsutil.h) ---- */

static int root_fd = -1;
static char *root;
static size_t root_len;

void fs_at_root(const char *dir)
{
    if (root_fd >= 0)
        close(root_fd);
    free(root);
    root_fd = -1;
    root = NULL;
    root_len = 0;
    if (!dir || dir[0] != '/' || !(root = strdup(dir)))
        return;
    root_len = strlen(root);
    while (root_len > 1 && root[root_len - 1] == '/')
        root[--root_len] = '\0';
    root_fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (root_fd < 0) {
        free(root);
        root = NULL;
        root_len = 0;
    }
}

/* The (descriptor, path) pair naming path for an *at() call. */
static const char *at(const char *path, int *fd)
{
    *fd = AT_FDCWD;
    if (root_fd < 0 || root_len <= 1 || strncmp(path, root, root_len) != 0 ||
        path[root_len] != '/')
        return path;
    path += root_len;
    while (*path == '/')
        path++;
    if (!*path)
        return root;
    *fd = root_fd;
    return path;
}

int fs_lstat(const char *path, struct stat *st)
{
    int fd;
    const char *p = at(path, &fd);

    return fstatat(fd, p, st, AT_SYMLINK_NOFOLLOW);
}

int fs_stat(const char *path, struct stat *st)
{
    int fd;
    const char *p = at(path, &fd);

    return fstatat(fd, p, st, 0);
}

ssize_t fs_readlink(const char *path, char *buf, size_t size)
{
    int fd;
    const char *p = at(path, &fd);

    return readlinkat(fd, p, buf, size);
}

int fs_access(const char *path, int mode)
{
    int fd;
    const char *p = at(path, &fd);

    /* faccessat without AT_EACCESS: the real ids, as access() */
    return faccessat(fd, p, mode, 0);
}

int fs_open_read(const char *path, int extra)
{
    int fd;
    const char *p = at(path, &fd);

    return openat(fd, p, O_RDONLY | O_CLOEXEC | extra);
}

#if defined(__linux__) && defined(__GLIBC__) && \
    (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 30))
#define HAVE_GETDENTS64_WRAPPER 1
#endif

int fs_list_dir(const char *dir,
                int (*fn)(void *arg, const char *name, unsigned char type),
                void *arg)
{
    int fd = fs_open_read(dir, O_DIRECTORY), r = 0, e;
#ifdef HAVE_GETDENTS64_WRAPPER
    char buf[2048] __attribute__((aligned(8)));
    ssize_t got = 0;
#else
    DIR *d;
    struct dirent *de;
#endif

    if (fd < 0)
        return -1;
#ifdef HAVE_GETDENTS64_WRAPPER
    while (r == 0 && (got = getdents64(fd, buf, sizeof(buf))) > 0) {
        for (ssize_t off = 0; r == 0 && off < got;) {
            struct dirent64 *de = (struct dirent64 *)(void *)(buf + off);
            const char *n = de->d_name;

            off += de->d_reclen;
            if (n[0] == '.' && (!n[1] || (n[1] == '.' && !n[2])))
                continue;
            r = fn(arg, n, de->d_type);
        }
    }
    e = r == 0 && got < 0 ? errno : 0;
    close(fd);
#else
    d = fdopendir(fd);
    if (!d) {
        e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    errno = 0;
    while (r == 0 && (de = readdir(d)) != NULL) {
        const char *n = de->d_name;

        if (n[0] == '.' && (!n[1] || (n[1] == '.' && !n[2])))
            continue;
#ifdef DT_UNKNOWN
        r = fn(arg, n, de->d_type);
#else
        r = fn(arg, n, 0);
#endif
        errno = 0;
    }
    e = r == 0 ? errno : 0;
    closedir(d);
#endif
    if (e) {
        errno = e;
        return -1;
    }
    return r ? 1 : 0;
}

int fs_read_regular(const char *path, char **data, size_t *len,
                    int *errnum, struct cb_err *err)
{
    size_t n = 0;
    int fd, e = 0, r = CB_OK;

    *data = NULL;
    if (len)
        *len = 0;
    fd = fs_open_read(path, 0);
    if (fd < 0 || fd_read_regular(fd, data, &n) < 0) {
        e = errno;
        r = e == ENOMEM ? cb_err_set(err, CB_ERR_NOMEM, "out of memory")
                        : os_error(err, e, path);
    } else if (len) {
        *len = n;
    }
    if (fd >= 0)
        close(fd);
    if (errnum)
        *errnum = e;
    return r;
}

int fs_read_all(const char *path, char **data, size_t *len,
                struct cb_err *err)
{
    int fd;
    char *buf = NULL;
    size_t n = 0, cap = 0;
    int r = CB_OK;

    *data = NULL;
    if (len)
        *len = 0;
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return os_error(err, errno, path);
    for (;;) {
        if (cap - n < 4096) {
            size_t ncap = cap ? cap * 2 : 8192;
            char *nb = realloc(buf, ncap);
            if (!nb) {
                r = cb_err_set(err, CB_ERR_NOMEM, "out of memory");
                goto out;
            }
            buf = nb;
            cap = ncap;
        }
        ssize_t got = read(fd, buf + n, cap - n - 1);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            r = os_error(err, errno, path);
            goto out;
        }
        if (got == 0)
            break;
        n += (size_t)got;
    }
    buf[n] = '\0';
    *data = buf;
    buf = NULL;
    if (len)
        *len = n;
out:
    free(buf);
    close(fd);
    return r;
}

char *fs_abspath(const char *path)
{
    char *cwd = NULL, *joined = NULL, *out = NULL;
    const char *src;
    size_t n, o = 0;

    if (!path)
        return NULL;
    if (path[0] == '/') {
        src = path;     /* normalised straight from the argument */
    } else {
        cwd = getcwd(NULL, 0);
        if (!cwd)
            return NULL;
        if (asprintf(&joined, "%s/%s", cwd, path) < 0)
            joined = NULL;
        src = joined;
    }
    if (!src)
        goto out;
    n = strlen(src);
    out = malloc(n + 2);
    if (!out)
        goto out;
    /* Lexical like os.path.abspath: drop "." and "", pop on "..". */
    for (size_t i = 0; i < n;) {
        const char *slash = memchr(src + i, '/', n - i);
        size_t j = slash ? (size_t)(slash - src) : n;
        size_t seg = j - i;
        if (seg == 0 || (seg == 1 && src[i] == '.')) {
            /* nothing */
        } else if (seg == 2 && src[i] == '.' && src[i + 1] == '.') {
            while (o > 0 && out[o - 1] != '/')
                o--;
            if (o > 0)
                o--;
        } else {
            out[o++] = '/';
            memcpy(out + o, src + i, seg);
            o += seg;
        }
        i = j + 1;
    }
    if (o == 0)
        out[o++] = '/';
    out[o] = '\0';
out:
    free(cwd);
    free(joined);
    return out;
}

static int rmtree_at(int parent, const char *name, const char *shown,
                     struct cb_err *err)
{
    struct stat st;
    DIR *d = NULL;
    int fd = -1;
    int r = CB_OK;

    if (fstatat(parent, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
        if (errno == ENOENT)
            return CB_OK;
        return os_error(err, errno, shown);
    }
    if (!S_ISDIR(st.st_mode)) {
        if (unlinkat(parent, name, 0) < 0 && errno != ENOENT)
            return os_error(err, errno, shown);
        return CB_OK;
    }
    fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        r = os_error(err, errno, shown);
        goto out;
    }
    d = fdopendir(fd);
    if (!d) {
        r = os_error(err, errno, shown);
        goto out;
    }
    fd = -1; /* owned by d now */
    for (;;) {
        struct dirent *de;
        errno = 0;
        de = readdir(d);
        if (!de)
            break;
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        r = rmtree_at(dirfd(d), de->d_name, shown, err);
        if (r < 0)
            goto out;
    }
    closedir(d);
    d = NULL;
    if (unlinkat(parent, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
        r = os_error(err, errno, shown);
out:
    if (d)
        closedir(d);
    if (fd >= 0)
        close(fd);
    return r;
}

int fs_rmtree(const char *path, struct cb_err *err)
{
    return rmtree_at(AT_FDCWD, path, path, err);
}
