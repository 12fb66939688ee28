/* The DNS-01 journal: see journal.h. */
#define LOG_COMPONENT "certbot.plugins.dns_common"

#include "dns/journal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "storage/fsutil.h"
#include "util/log.h"

#define JOURNAL_DIR "dns-01"

struct dns_journal {
    char *dir;
    char *path;
    struct dns_journal_entry *e;
    size_t n, cap;
};

static void entry_clear(struct dns_journal_entry *e)
{
    free(e->domain);
    free(e->name);
    free(e->value);
    memset(e, 0, sizeof(*e));
}

void dns_journal_free(struct dns_journal *j)
{
    if (!j)
        return;
    for (size_t i = 0; i < j->n; i++)
        entry_clear(&j->e[i]);
    free(j->e);
    free(j->dir);
    free(j->path);
    free(j);
}

size_t dns_journal_count(const struct dns_journal *j)
{
    return j ? j->n : 0;
}

const struct dns_journal_entry *dns_journal_get(const struct dns_journal *j,
                                                size_t i)
{
    return j && i < j->n ? &j->e[i] : NULL;
}

const char *dns_journal_path(const struct dns_journal *j)
{
    return j ? j->path : NULL;
}

static int push(struct dns_journal *j, const char *domain, const char *name,
                const char *value, int64_t t)
{
    struct dns_journal_entry *e;

    if (j->n == j->cap) {
        size_t cap = j->cap ? j->cap * 2 : 4;

        e = realloc(j->e, cap * sizeof(*e));
        if (!e)
            return CB_ERR_NOMEM;
        j->e = e;
        j->cap = cap;
    }
    e = &j->e[j->n];
    e->domain = strdup(domain);
    e->name = strdup(name);
    e->value = strdup(value);
    e->time = t;
    if (!e->domain || !e->name || !e->value) {
        entry_clear(e);
        return CB_ERR_NOMEM;
    }
    j->n++;
    return CB_OK;
}

/* The rename is only durable once the directory itself is synced. */
static int sync_dir(const char *dir, struct cb_err *err)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int r = CB_OK;

    if (fd < 0 || fsync(fd) < 0)
        r = cb_err_set(err, CB_ERR_IO, "[Errno %d] %s: '%s'", errno,
                       strerror(errno), dir);
    if (fd >= 0)
        close(fd);
    return r;
}

static int journal_save(struct dns_journal *j, struct cb_err *err)
{
    json_t *root = NULL, *arr = NULL;
    char *text = NULL;
    int r = CB_OK;

    if (j->n == 0) {
        if (unlink(j->path) < 0 && errno != ENOENT)
            return cb_err_set(err, CB_ERR_IO, "[Errno %d] %s: '%s'", errno,
                              strerror(errno), j->path);
        return sync_dir(j->dir, err);
    }
    arr = json_array();
    root = json_object();
    if (!arr || !root || json_object_set(root, "records", arr) < 0)
        goto nomem;
    for (size_t i = 0; i < j->n; i++) {
        json_t *o = json_pack("{s:s, s:s, s:s, s:I}", "domain",
                              j->e[i].domain, "name", j->e[i].name, "value",
                              j->e[i].value, "time", (json_int_t)j->e[i].time);

        if (!o || json_array_append_new(arr, o) < 0)
            goto nomem;
    }
    text = json_dumps(root, JSON_INDENT(2));
    if (!text)
        goto nomem;
    r = fs_write_atomic(j->path, text, strlen(text), 0600, err);
    if (r == CB_OK)
        r = sync_dir(j->dir, err);
    goto out;
nomem:
    r = cb_err_set(err, CB_ERR_NOMEM, "out of memory");
out:
    free(text);
    json_decref(arr);
    json_decref(root);
    return r;
}

/* Entries of a parsed file; anything malformed makes the whole file
 * corrupt (CB_ERR_INVAL). */
static int journal_parse(struct dns_journal *j, const char *text)
{
    json_error_t jerr;
    json_t *root = json_loads(text, 0, &jerr);
    json_t *arr = root ? json_object_get(root, "records") : NULL;
    size_t i;
    json_t *o;
    int r = CB_OK;

    if (!json_is_array(arr)) {
        r = CB_ERR_INVAL;
        goto out;
    }
    json_array_foreach(arr, i, o) {
        const char *d = NULL, *n = NULL, *v = NULL;
        json_int_t t = 0;

        if (json_unpack(o, "{s:s, s:s, s:s, s?:I}", "domain", &d, "name", &n,
                        "value", &v, "time", &t) < 0) {
            r = CB_ERR_INVAL;
            goto out;
        }
        r = push(j, d, n, v, (int64_t)t);
        if (r != CB_OK)
            goto out;
    }
out:
    json_decref(root);
    return r;
}

int dns_journal_open(const char *work_dir, const char *plugin,
                     struct dns_journal **out, struct cb_err *err)
{
    struct dns_journal *j = calloc(1, sizeof(*j));
    char *text = NULL;
    size_t len = 0;
    struct stat st;
    int r = CB_OK;

    *out = NULL;
    if (!j)
        return cb_err_set(err, CB_ERR_NOMEM, "out of memory");
    if (asprintf(&j->dir, "%s/%s", work_dir, JOURNAL_DIR) < 0) {
        j->dir = NULL;
        r = cb_err_set(err, CB_ERR_NOMEM, "out of memory");
        goto out;
    }
    if (asprintf(&j->path, "%s/%s.json", j->dir, plugin) < 0) {
        j->path = NULL;
        r = cb_err_set(err, CB_ERR_NOMEM, "out of memory");
        goto out;
    }
    r = fs_make_or_verify_dir(j->dir, 0700, 0, err);
    if (r != CB_OK)
        goto out;
    /* the values are not secret, but the names show which domains this
     * machine validates: keep the directory private */
    if (chmod(j->dir, 0700) < 0) {
        r = cb_err_set(err, CB_ERR_IO, "[Errno %d] %s: '%s'", errno,
                       strerror(errno), j->dir);
        goto out;
    }
    if (stat(j->path, &st) < 0) {
        if (errno == ENOENT)
            goto out;
        r = cb_err_set(err, CB_ERR_IO, "[Errno %d] %s: '%s'", errno,
                       strerror(errno), j->path);
        goto out;
    }
    r = fs_read_all(j->path, &text, &len, err);
    if (r != CB_OK)
        goto out;
    r = journal_parse(j, text);
    if (r == CB_ERR_INVAL) {
        char *aside = NULL;

        log_warning("The DNS-01 journal %s is not readable; moving it aside",
                    j->path);
        for (size_t i = 0; i < j->n; i++)
            entry_clear(&j->e[i]);
        j->n = 0;
        r = CB_OK;
        if (asprintf(&aside, "%s.corrupt", j->path) < 0)
            aside = NULL;
        if (!aside || rename(j->path, aside) < 0)
            r = cb_err_set(err, CB_ERR_IO, "cannot move aside %s", j->path);
        free(aside);
    } else if (r != CB_OK) {
        cb_err_set(err, r, "out of memory");
    }
out:
    free(text);
    if (r != CB_OK) {
        dns_journal_free(j);
        return r;
    }
    *out = j;
    return CB_OK;
}

int dns_journal_add(struct dns_journal *j, const char *domain,
                    const char *name, const char *value, struct cb_err *err)
{
    int r = push(j, domain, name, value, (int64_t)time(NULL));

    if (r != CB_OK)
        return cb_err_set(err, r, "out of memory");
    r = journal_save(j, err);
    if (r != CB_OK) {
        /* not on disk: the caller must not add the record */
        j->n--;
        entry_clear(&j->e[j->n]);
    }
    return r;
}

int dns_journal_remove(struct dns_journal *j, const char *name,
                       const char *value, struct cb_err *err)
{
    for (size_t i = 0; i < j->n; i++) {
        if (strcmp(j->e[i].name, name) != 0 ||
            strcmp(j->e[i].value, value) != 0)
            continue;
        entry_clear(&j->e[i]);
        memmove(&j->e[i], &j->e[i + 1], (j->n - i - 1) * sizeof(*j->e));
        j->n--;
        return journal_save(j, err);
    }
    return CB_OK;
}
