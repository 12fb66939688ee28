/* letsencrypt.log and terminal logging, after Certbot's log.py (SPEC 3.5):
 * records are kept in memory until log_open(), which first rotates the
 * file the way logging.handlers.RotatingFileHandler.doRollover() does at
 * every start; the terminal gets the bare message at the chosen level.
 * A mutex makes log_msg safe from plugin threads (DESIGN 3.8). */
#include "util/log.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/strvec.h"

/* RotatingFileHandler(maxBytes=2**20): a long run rolls over again. */
#define LOG_MAX_BYTES (1L << 20)
#define REDACTED "********"

static struct {
    int console_level;
    int fd;
    char *path;
    long max_backups;
    long size;
    struct strvec buffer;   /* formatted records before log_open */
    struct strvec secrets;
    char *spill_path;
} L = {
    .console_level = CB_LOG_WARNING,
    .fd = -1,
};

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

void log_set_console_level(int level)
{
    pthread_mutex_lock(&log_lock);
    L.console_level = level;
    pthread_mutex_unlock(&log_lock);
}

int log_console_level(void)
{
    return L.console_level;
}

const char *log_path(void)
{
    return L.fd >= 0 ? L.path : NULL;
}

static const char *level_name(int level, char *buf, size_t size)
{
    switch (level) {
    case CB_LOG_DEBUG: return "DEBUG";
    case CB_LOG_INFO: return "INFO";
    case CB_LOG_WARNING: return "WARNING";
    case CB_LOG_ERROR: return "ERROR";
    case 50: return "CRITICAL";
    default:
        snprintf(buf, size, "Level %d", level);
        return buf;
    }
}

static int write_all(int fd, const char *s, size_t len)
{
    while (len) {
        ssize_t w = write(fd, s, len);

        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return -1;
        s += w;
        len -= (size_t)w;
    }
    return 0;
}

static int exists(const char *p)
{
    struct stat st;

    return lstat(p, &st) == 0;
}

/* doRollover(): base.N-1 -> base.N ... base -> base.1, then reopen. */
static int rollover(void)
{
    char *src = NULL, *dst = NULL;
    int r = 0;

    if (L.fd >= 0) {
        close(L.fd);
        L.fd = -1;
    }
    for (long i = L.max_backups - 1; i > 0 && r == 0; i--) {
        if (asprintf(&src, "%s.%ld", L.path, i) < 0 ||
            asprintf(&dst, "%s.%ld", L.path, i + 1) < 0) {
            r = -1;
            break;
        }
        if (exists(src)) {
            if (exists(dst))
                unlink(dst);
            if (rename(src, dst) != 0)
                r = -1;
        }
        free(src);
        free(dst);
        src = dst = NULL;
    }
    if (r == 0 && L.max_backups > 0) {
        if (asprintf(&dst, "%s.1", L.path) < 0) {
            r = -1;
        } else {
            if (exists(dst))
                unlink(dst);
            if (exists(L.path) && rename(L.path, dst) != 0)
                r = -1;
        }
    }
    free(src);
    free(dst);
    if (r != 0)
        return -1;
    L.fd = open(L.path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
    if (L.fd < 0)
        return -1;
    L.size = (long)lseek(L.fd, 0, SEEK_END);
    return 0;
}

/* Called with the lock held. */
static void file_write(const char *rec)
{
    size_t len = strlen(rec);

    if (L.size > 0 && L.size + (long)len >= LOG_MAX_BYTES &&
        L.max_backups > 0)
        rollover();
    if (L.fd < 0)
        return;
    if (write_all(L.fd, rec, len) == 0)
        L.size += (long)len;
}

/* Replace every registered secret in s (caller frees the result). */
static char *redact(const char *s)
{
    char *cur = strdup(s);

    for (size_t i = 0; cur && i < L.secrets.n; i++) {
        const char *sec = L.secrets.v[i];
        size_t slen = strlen(sec), rlen = strlen(REDACTED);
        char *hit = strstr(cur, sec);

        while (hit) {
            size_t pre = (size_t)(hit - cur), clen = strlen(cur);
            char *next = malloc(clen - slen + rlen + 1);

            if (!next) {
                free(cur);
                return NULL;
            }
            memcpy(next, cur, pre);
            memcpy(next + pre, REDACTED, rlen);
            memcpy(next + pre + rlen, hit + slen, clen - pre - slen + 1);
            free(cur);
            cur = next;
            hit = strstr(cur + pre + rlen, sec);
        }
    }
    return cur;
}

void log_add_secret(const char *s)
{
    if (!s || strlen(s) < 4)
        return;
    pthread_mutex_lock(&log_lock);
    if (!strvec_contains(&L.secrets, s))
        strvec_push(&L.secrets, s);
    pthread_mutex_unlock(&log_lock);
}

static void format_time(char *buf, size_t size)
{
    struct timespec ts;
    struct tm tm;
    char base[32];

    clock_gettime(CLOCK_REALTIME, &ts);
    localtime_r(&ts.tv_sec, &tm);
    strftime(base, sizeof(base), "%Y-%m-%d %H:%M:%S", &tm);
    snprintf(buf, size, "%s,%03ld", base, ts.tv_nsec / 1000000L);
}

void log_msg(int level, const char *logger, const char *fmt, ...)
{
    char *raw = NULL, *msg = NULL, *rec = NULL;
    char when[48], lvl[32];
    va_list ap;

    va_start(ap, fmt);
    if (vasprintf(&raw, fmt, ap) < 0)
        raw = NULL;
    va_end(ap);
    if (!raw)
        return;
    pthread_mutex_lock(&log_lock);
    msg = redact(raw);
    if (!msg)
        goto out;
    format_time(when, sizeof(when));
    if (asprintf(&rec, "%s:%s:%s:%s\n", when,
                 level_name(level, lvl, sizeof(lvl)),
                 logger ? logger : "certbot", msg) < 0)
        rec = NULL;
    if (rec && L.fd >= 0)
        file_write(rec);
    else if (rec)
        strvec_push(&L.buffer, rec);
    if (level >= L.console_level) {
        /* Certbot colours warnings and errors red on a terminal. */
        int red = level >= CB_LOG_WARNING && isatty(STDERR_FILENO);

        fprintf(stderr, "%s%s%s\n", red ? "\033[31m" : "", msg,
                red ? "\033[0m" : "");
        fflush(stderr);
    }
out:
    pthread_mutex_unlock(&log_lock);
    free(rec);
    free(msg);
    free(raw);
}

int log_open(const char *logs_dir, long max_backups, struct cb_err *err)
{
    char *path = NULL;
    int e, r = CB_OK;

    if (!logs_dir)
        return cb_err_set(err, CB_ERR_INVAL, "no logs directory");
    if (asprintf(&path, "%s/letsencrypt.log", logs_dir) < 0)
        return cb_err_set(err, CB_ERR_NOMEM, "out of memory");
    pthread_mutex_lock(&log_lock);
    if (L.fd >= 0)
        close(L.fd);
    free(L.path);
    L.path = path;
    L.max_backups = max_backups < 0 ? 0 : max_backups;
    /* The handler opens (creating) the file before rolling it over, which
     * is why a first run leaves an empty letsencrypt.log.1 behind. */
    L.fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
    if (L.fd < 0 || rollover() != 0) {
        e = errno;
        if (L.fd >= 0)
            close(L.fd);
        L.fd = -1;
        r = cb_err_set(err, CB_ERR_IO,
                       "The following error was encountered:\n[Errno %d] "
                       "%s: '%s'\nEither run as root, or set --config-dir, "
                       "--work-dir, and --logs-dir to writeable paths.",
                       e, strerror(e), path);
        goto out;
    }
    for (size_t i = 0; i < L.buffer.n; i++)
        file_write(L.buffer.v[i]);
    strvec_clear(&L.buffer);
out:
    pthread_mutex_unlock(&log_lock);
    return r;
}

void log_close(void)
{
    pthread_mutex_lock(&log_lock);
    if (L.fd >= 0)
        close(L.fd);
    L.fd = -1;
    free(L.path);
    L.path = NULL;
    L.size = 0;
    pthread_mutex_unlock(&log_lock);
}

const char *log_spill_to_temp(void)
{
    const char *tmp = getenv("TMPDIR");
    char *dir = NULL, *file = NULL;
    int fd = -1;

    pthread_mutex_lock(&log_lock);
    if (!tmp || !*tmp)
        tmp = "/tmp";
    if (asprintf(&dir, "%s/certbot-log-XXXXXX", tmp) < 0) {
        dir = NULL;
        goto out;
    }
    if (!mkdtemp(dir) || asprintf(&file, "%s/log", dir) < 0) {
        file = NULL;
        goto out;
    }
    fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        goto out;
    for (size_t i = 0; i < L.buffer.n; i++)
        if (write_all(fd, L.buffer.v[i], strlen(L.buffer.v[i])) != 0)
            break;
    free(L.spill_path);
    L.spill_path = file;
    file = NULL;
out:
    if (fd >= 0)
        close(fd);
    free(file);
    free(dir);
    pthread_mutex_unlock(&log_lock);
    return fd >= 0 ? L.spill_path : NULL;
}
