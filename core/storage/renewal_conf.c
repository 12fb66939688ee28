/* renewal/<name>.conf (see renewal_conf.h). */
#include "storage/renewal_conf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "storage/fsutil.h"

/* Lineage name from "<dir>/<name>.conf" (Certbot's
 * lineagename_for_filename). */
static char *name_from_path(const char *path)
{
    const char *base = strrchr(path, '/');
    size_t n;

    base = base ? base + 1 : path;
    n = strlen(base);
    if (n > 5 && strcmp(base + n - 5, ".conf") == 0)
        n -= 5;
    return strndup(base, n);
}

int renewal_conf_load(const char *path, struct renewal_conf **out,
                      struct cb_err *err)
{
    struct renewal_conf *rc = NULL;
    char *data = NULL;
    size_t len = 0;
    int errnum = 0, r = CB_OK;

    *out = NULL;
    rc = calloc(1, sizeof(*rc));
    if (!rc) {
        r = cb_err_set(err, CB_ERR_NOMEM, "out of memory");
        goto out;
    }
    rc->path = fs_abspath(path);
    rc->name = rc->path ? name_from_path(rc->path) : NULL;
    if (!rc->path || !rc->name) {
        r = cb_err_set(err, CB_ERR_NOMEM, "out of memory");
        goto out;
    }
    /* configobj_load without its access(F_OK): the open reports the
     * same missing file, one system call less per lineage */
    r = fs_read_regular(rc->path, &data, &len, &errnum, NULL);
    if (r < 0 && errnum == ENOENT) {
        r = cb_err_set(err, CB_ERR_NOT_FOUND, "%s: %s", rc->path,
                       strerror(ENOENT));
        goto out;
    }
    if (r < 0) {
        /* fs_read_all's message, which configobj_load passes on */
        r = r == CB_ERR_NOMEM
                ? cb_err_set(err, r, "out of memory")
                : cb_err_set(err, CB_ERR_IO, "[Errno %d] %s: '%s'", errnum,
                             strerror(errnum), rc->path);
        goto out;
    }
    r = configobj_parse(data, len, rc->path, &rc->doc, err);
    if (r < 0)
        goto out;
    *out = rc;
    rc = NULL;
out:
    free(data);
    renewal_conf_free(rc);
    return r;
}

struct renewal_conf *renewal_conf_new(const char *path)
{
    struct renewal_conf *rc = calloc(1, sizeof(*rc));

    if (!rc)
        return NULL;
    rc->path = fs_abspath(path);
    rc->name = rc->path ? name_from_path(rc->path) : NULL;
    rc->doc = configobj_new();
    if (!rc->path || !rc->name || !rc->doc) {
        renewal_conf_free(rc);
        return NULL;
    }
    return rc;
}

void renewal_conf_free(struct renewal_conf *rc)
{
    if (!rc)
        return;
    free(rc->path);
    free(rc->name);
    configobj_free(rc->doc);
    free(rc);
}

const char *renewal_conf_get(const struct renewal_conf *rc, const char *key)
{
    if (!rc || !rc->doc)
        return NULL;
    return co_get(configobj_root(rc->doc), key);
}

int renewal_conf_set(struct renewal_conf *rc, const char *key,
                     const char *value)
{
    if (!rc || !rc->doc)
        return CB_ERR_INVAL;
    return co_set(configobj_root(rc->doc), key, value);
}

struct co_section *renewal_conf_params(struct renewal_conf *rc, int create)
{
    struct co_section *root;

    if (!rc || !rc->doc)
        return NULL;
    root = configobj_root(rc->doc);
    if (create)
        return co_section_add(root, "renewalparams");
    return co_section_get(root, "renewalparams");
}

int renewal_conf_save(const struct renewal_conf *rc, struct cb_err *err)
{
    char *text = NULL, *tmp = NULL;
    struct stat st;
    mode_t mode = 0644;
    int fd = -1;
    int r;

    r = configobj_render(rc->doc, &text);
    if (r < 0) {
        r = cb_err_set(err, r, "cannot write %s: %s", rc->path,
                       r == CB_ERR_NOMEM ? "out of memory"
                                         : "a value cannot be quoted");
        goto out;
    }
    /* The rewrite keeps the mode the user gave the file; stat,
     * not lstat, so a symlinked conf does not turn into a 0777 file. */
    if (stat(rc->path, &st) == 0)
        mode = st.st_mode & 07777;
    if (asprintf(&tmp, "%s.new", rc->path) < 0) {
        tmp = NULL;
        r = cb_err_set(err, CB_ERR_NOMEM, "out of memory");
        goto out;
    }
    /* A leftover .new from a crash is ours to replace (Certbot deletes
     * it too); O_EXCL then guarantees nobody else's file is reused. */
    if (unlink(tmp) < 0 && errno != ENOENT) {
        r = cb_err_set(err, CB_ERR_IO, "[Errno %d] %s: '%s'", errno,
                       strerror(errno), tmp);
        goto out;
    }
    r = fs_write_new(tmp, text, strlen(text), mode, err);
    if (r < 0)
        goto out;
    if (rename(tmp, rc->path) < 0) {
        r = cb_err_set(err, CB_ERR_IO, "[Errno %d] %s: '%s'", errno,
                       strerror(errno), rc->path);
        unlink(tmp);
        goto out;
    }
    /* make the rename itself durable */
    {
        char *dir = strdup(rc->path), *slash = dir ? strrchr(dir, '/') : NULL;
        if (slash) {
            *slash = '\0';
            fd = open(*dir ? dir : "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            if (fd >= 0)
                fsync(fd);
        }
        free(dir);
    }
out:
    if (fd >= 0)
        close(fd);
    free(tmp);
    free(text);
    return r;
}
