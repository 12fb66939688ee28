/* letsencrypt.log and terminal logging, after Certbot's log.py (SPEC 3.5):
 * records are kept in memory until log_open(), which first rotates the
 * file the way logging.handlers.RotatingFileHandler.doRollover() does at
 * every start (from one listing of the logs dir); the terminal gets the
 * bare message at the chosen level.  Records are formatted straight into
 * a file buffer, flushed as log.h says.  A mutex makes log_msg safe from
 * plugin threads (DESIGN 3.8) and from out_capture's background threads;
 * stdio, which has locks of its own, is only called outside it. */
#include "util/log.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/fdio.h"
#include "util/out_capture.h"
#include "util/tempfile.h"
#include "util/strvec.h"

/* RotatingFileHandler(maxBytes=2**20): a long run rolls over again. */
#define LOG_MAX_BYTES (1L << 20)
#define REDACTED "********"
#define LOG_BASE "letsencrypt.log"
/* The file buffer: ~500 renew records per write(2). */
#define LOG_BUF_SIZE 65536
/* A record written this long after the previous flush flushes (with
 * everything before it).  A kill -9 loses at most the records logged
 * since the last flush, all within 100 ms before the last of them. */
#define LOG_FLUSH_NS 100000000L

static struct {
    int console_level;
    int fd;
    char *path;
    char *dir;
    long max_backups;
    long size;              /* bytes in the file, the buffer excluded */
    struct strvec buffer;   /* formatted records before log_open */
    struct strvec secrets;
    char *spill_path;
    size_t wlen;            /* bytes used in wbuf */
    struct timespec flushed; /* CLOCK_MONOTONIC of the last flush */
    time_t tsec;            /* the second tstr shows */
    char tstr[32];          /* "%Y-%m-%d %H:%M:%S" of tsec */
    size_t tlen;
} L = {
    .console_level = CB_LOG_WARNING,
    .fd = -1,
    .tsec = -1,
};

static char wbuf[LOG_BUF_SIZE];

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


/* ---- rotation ---- */

static int exists(const char *p)
{
    struct stat st;

    return lstat(p, &st) == 0;
}

/* "<path>.<i>" into buf (room for the path and 21 more bytes). */
static void backup_name(char *buf, size_t size, long i)
{
    snprintf(buf, size, "%s.%ld", L.path, i);
}

/* doRollover() as written: probe every name base.N-1 ... base.1.  Used
 * when the directory cannot be listed. */
static int rotate_probing(char *src, char *dst, size_t size)
{
    for (long i = L.max_backups - 1; i > 0; i--) {
        backup_name(src, size, i);
        backup_name(dst, size, i + 1);
        if (exists(src)) {
            if (exists(dst))
                unlink(dst);
            if (rename(src, dst) != 0)
                return -1;
        }
    }
    backup_name(dst, size, 1);
    if (exists(dst))
        unlink(dst);
    if (exists(L.path) && rename(L.path, dst) != 0)
        return -1;
    return 0;
}

/* N of a name "letsencrypt.log.N" spelt as "%ld" spells it (no sign, no
 * leading zero), or 0. */
static long backup_index(const char *name)
{
    const char *p;
    long v = 0;

    if (strncmp(name, LOG_BASE ".", sizeof(LOG_BASE)) != 0)
        return 0;
    p = name + sizeof(LOG_BASE);
    if (*p < '1' || *p > '9' || strlen(p) > 18)
        return 0;
    for (; *p; p++) {
        if (*p < '0' || *p > '9')
            return 0;
        v = v * 10 + (*p - '0');
    }
    return v;
}

static int cmp_desc(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;

    return (x < y) - (x > y);
}

/* The backups 1..max present in the logs dir, highest first (caller
 * frees *idx), and whether the log itself is there.  -1 if the directory
 * cannot be read. */
static int list_backups(long **idx, size_t *n, int *base)
{
    DIR *d = opendir(L.dir);
    struct dirent *de;
    size_t alloc = 0;
    int r = 0;

    *idx = NULL;
    *n = 0;
    *base = 0;
    if (!d)
        return -1;
    for (;;) {
        long i;

        errno = 0;
        de = readdir(d);
        if (!de)
            break;
        i = backup_index(de->d_name);
        if (strcmp(de->d_name, LOG_BASE) == 0)
            *base = 1;
        if (i < 1 || i > L.max_backups)
            continue;
        if (*n == alloc) {
            size_t na = alloc ? alloc * 2 : 16;
            long *nv = realloc(*idx, na * sizeof(*nv));

            if (!nv) {
                r = -1;
                break;
            }
            *idx = nv;
            alloc = na;
        }
        (*idx)[(*n)++] = i;
    }
    if (r == 0 && errno != 0)
        r = -1;
    closedir(d);
    if (r != 0) {
        free(*idx);
        *idx = NULL;
        *n = 0;
        return -1;
    }
    if (*n > 1)
        qsort(*idx, *n, sizeof(**idx), cmp_desc);
    return 0;
}

/* doRollover() from one listing of the logs dir instead of a stat() per
 * possible name (1,000 by default): the same renames and unlinks in the
 * same order.  Going down from the top, base.i+1 is free when base.i
 * moves up (its own file moved on before) unless it is base.max, which
 * is removed first when present.  Names that do not exist are skipped,
 * as doRollover skips them. */
static int rotate_listed(const long *idx, size_t n, int base, char *src,
                         char *dst, size_t size)
{
    int top = n > 0 && idx[0] == L.max_backups;
    int one = 0;

    for (size_t k = 0; k < n; k++) {
        long i = idx[k];

        if (i == 1)
            one = 1;
        if (i >= L.max_backups)
            continue;
        backup_name(src, size, i);
        backup_name(dst, size, i + 1);
        if (i + 1 == L.max_backups && top)
            unlink(dst);
        if (rename(src, dst) != 0)
            return -1;
        if (i == 1)
            one = 0; /* moved up to .2 */
    }
    backup_name(dst, size, 1);
    if (one)
        unlink(dst);
    if (base && rename(L.path, dst) != 0)
        return -1;
    return 0;
}

/* RotatingFileHandler.doRollover(): base.N-1 -> base.N ... base ->
 * base.1, then reopen. */
static int rollover(void)
{
    size_t size = strlen(L.path) + 24;
    char *src = malloc(size), *dst = malloc(size);
    long *idx = NULL;
    size_t n = 0;
    int base = 0, r = 0;

    if (L.fd >= 0) {
        close(L.fd);
        L.fd = -1;
    }
    if (!src || !dst)
        r = -1;
    else if (L.max_backups > 0 && list_backups(&idx, &n, &base) == 0)
        r = rotate_listed(idx, n, base, src, dst, size);
    else if (L.max_backups > 0)
        r = rotate_probing(src, dst, size);
    free(idx);
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

/* ---- the file buffer (lock held) ---- */

static long elapsed_ns(const struct timespec *a, const struct timespec *b)
{
    return (long)(b->tv_sec - a->tv_sec) * 1000000000L +
           (b->tv_nsec - a->tv_nsec);
}

static void buf_flush(void)
{
    if (L.wlen && L.fd >= 0 && fd_write_all(L.fd, wbuf, L.wlen) == 0)
        L.size += (long)L.wlen;
    L.wlen = 0;
    clock_gettime(CLOCK_MONOTONIC, &L.flushed);
}

/* Add one record to the file: rec is either at wbuf + L.wlen (formatted
 * in place) or anywhere else.  A record that would take the file to 1 MiB
 * goes to a fresh one, as shouldRollover() decides per record. */
static void file_add(const char *rec, size_t len)
{
    int in_place = rec == wbuf + L.wlen;
    long total = L.size + (long)L.wlen;

    if (total > 0 && total + (long)len >= LOG_MAX_BYTES &&
        L.max_backups > 0) {
        buf_flush();
        rollover();
        if (in_place)
            memmove(wbuf, rec, len);
    }
    if (L.fd < 0)
        return;
    if (in_place) {
        L.wlen += len;
        return;
    }
    if (L.wlen + len > sizeof(wbuf))
        buf_flush();
    if (len > sizeof(wbuf)) {
        if (fd_write_all(L.fd, rec, len) == 0)
            L.size += (long)len;
        return;
    }
    memcpy(wbuf + L.wlen, rec, len);
    L.wlen += len;
}

/* Flush on warnings, and when 100 ms passed since the last flush. */
static void flush_policy(int level)
{
    struct timespec now;

    if (L.wlen == 0)
        return;
    if (level >= CB_LOG_WARNING) {
        buf_flush();
        return;
    }
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (elapsed_ns(&L.flushed, &now) >= LOG_FLUSH_NS)
        buf_flush();
}

void log_flush(void)
{
    pthread_mutex_lock(&log_lock);
    buf_flush();
    pthread_mutex_unlock(&log_lock);
}

/* ---- records ---- */

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

static int has_secret(const char *msg)
{
    for (size_t i = 0; i < L.secrets.n; i++)
        if (strstr(msg, L.secrets.v[i]))
            return 1;
    return 0;
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

/* Append [s, s+len) at dst + *n while it fits in size; *n counts on. */
static void put(char *dst, size_t size, size_t *n, const char *s, size_t len)
{
    if (*n < size)
        memcpy(dst + *n, s, len < size - *n ? len : size - *n);
    *n += len;
}

/* The record header "<asctime>:<LEVEL>:<logger>:" into hdr; returns its
 * length (it fits when that is < size).  Lock held: the formatted second
 * is cached, as most records share it. */
static size_t format_header(char *hdr, size_t size, const struct timespec *ts,
                            int level, const char *logger)
{
    char lvl[32], ms[5];
    const char *name = level_name(level, lvl, sizeof(lvl));
    long msec = ts->tv_nsec / 1000000L;
    size_t n = 0;

    if (ts->tv_sec != L.tsec) {
        struct tm tm;

        localtime_r(&ts->tv_sec, &tm);
        L.tlen = strftime(L.tstr, sizeof(L.tstr), "%Y-%m-%d %H:%M:%S", &tm);
        L.tsec = ts->tv_sec;
    }
    ms[0] = ',';
    ms[1] = (char)('0' + msec / 100);
    ms[2] = (char)('0' + msec / 10 % 10);
    ms[3] = (char)('0' + msec % 10);
    ms[4] = ':';
    if (!logger)
        logger = "certbot";
    put(hdr, size, &n, L.tstr, L.tlen);
    put(hdr, size, &n, ms, sizeof(ms));
    put(hdr, size, &n, name, strlen(name));
    put(hdr, size, &n, ":", 1);
    put(hdr, size, &n, logger, strlen(logger));
    put(hdr, size, &n, ":", 1);
    return n;
}

/* vsnprintf for the formats most records use, made of text, "%s" and
 * "%%" only: the same bytes without printf's set-up and parsing.  -1
 * when fmt holds anything else (the caller then uses vsnprintf). */
static long format_simple(char *dst, size_t size, const char *fmt,
                          va_list ap)
{
    size_t n = 0;
    const char *p = fmt;

    while (*p) {
        const char *pct = strchr(p, '%');
        size_t lit = pct ? (size_t)(pct - p) : strlen(p);

        put(dst, size, &n, p, lit);
        if (!pct)
            break;
        if (pct[1] == 's') {
            const char *arg = va_arg(ap, const char *);

            if (!arg)
                arg = "(null)"; /* what glibc prints */
            put(dst, size, &n, arg, strlen(arg));
        } else if (pct[1] == '%') {
            put(dst, size, &n, "%", 1);
        } else {
            return -1;
        }
        p = pct + 2;
    }
    if (size)
        dst[n < size ? n : size - 1] = '\0';
    return (long)n;
}

int log_vformat(char *dst, size_t size, const char *fmt, va_list ap)
{
    va_list aq;
    long m;

    va_copy(aq, ap);
    m = format_simple(dst, size, fmt, aq);
    va_end(aq);
    if (m >= 0)
        return m > INT_MAX ? -1 : (int)m;
    va_copy(aq, ap);
    m = vsnprintf(dst, size, fmt, aq);
    va_end(aq);
    return (int)m;
}

/* header + message + "\n" into dst (size bytes); returns the length the
 * record needs.  When that is < size it fits: the message's NUL is at
 * dst[len - 1], where the caller puts the "\n". */
static size_t format_record(char *dst, size_t size, const char *hdr,
                            size_t hlen, const char *fmt, va_list ap)
{
    char *at = hlen < size ? dst + hlen : NULL;
    size_t left = hlen < size ? size - hlen : 0;
    int m;

    if (at)
        memcpy(dst, hdr, hlen);
    m = log_vformat(at, left, fmt, ap);
    if (m < 0)
        m = 0;
    return hlen + (size_t)m + 1;
}

/* The same record with the secrets replaced; caller frees. */
static char *rebuild_redacted(const char *hdr, size_t hlen, const char *msg,
                              size_t *len)
{
    char *clean = redact(msg), *rec = NULL;
    size_t mlen;

    if (!clean)
        return NULL;
    mlen = strlen(clean);
    rec = malloc(hlen + mlen + 2);
    if (rec) {
        memcpy(rec, hdr, hlen);
        memcpy(rec + hlen, clean, mlen);
        rec[hlen + mlen] = '\n';
        rec[hlen + mlen + 1] = '\0';
        *len = hlen + mlen + 1;
    }
    free(clean);
    return rec;
}

/* Where one record goes (lock held): the capture (returns 1: nothing
 * for the terminal now), the buffer before log_open, or the file. */
static int route_record(struct out_capture *cap, int level, const char *rec,
                        size_t len, size_t msg_off)
{
    if (cap && out_capture_add_log(cap, level, rec, len, msg_off) == 0)
        return 1;
    if (L.fd < 0) {
        strvec_push(&L.buffer, rec);
        return 0;
    }
    file_add(rec, len);
    flush_policy(level);
    return 0;
}

/* Certbot colours warnings and errors red on a terminal.  Called without
 * the lock: stdout goes first so both streams keep their order when they
 * share a file or pipe. */
static void console_write(int level, const char *msg, size_t len)
{
    int red = level >= CB_LOG_WARNING && isatty(STDERR_FILENO);

    fflush(stdout);
    fprintf(stderr, "%s%.*s%s\n", red ? "\033[31m" : "", (int)len, msg,
            red ? "\033[0m" : "");
    fflush(stderr);
}

/* The console copy of a record's message, taken under the lock when the
 * level shows (NULL otherwise); caller frees. */
static char *console_copy(int level, const char *msg, size_t len)
{
    char *c;

    if (level < L.console_level)
        return NULL;
    c = malloc(len + 1);
    if (c) {
        memcpy(c, msg, len);
        c[len] = '\0';
    }
    return c;
}

void log_emit_record(int level, const char *rec, size_t len, size_t msg_off)
{
    char *show;

    pthread_mutex_lock(&log_lock);
    show = console_copy(level, rec + msg_off, len - msg_off - 1);
    route_record(NULL, level, rec, len, msg_off);
    pthread_mutex_unlock(&log_lock);
    if (show)
        console_write(level, show, strlen(show));
    free(show);
}

/* One record: formatted straight into the file buffer when the file is
 * open and nobody captures (the common case), else into a local buffer
 * or, when it does not fit, a heap one.  The message is redacted only
 * when a registered secret occurs in it. */
void log_msg(int level, const char *logger, const char *fmt, ...)
{
    struct out_capture *cap = out_capture_current();
    char hbuf[256], local[1024], *hdr = hbuf, *hheap = NULL, *heap = NULL;
    char *show = NULL, *dst, *rec;
    size_t hlen, need, len, room;
    struct timespec ts;
    va_list ap;

    clock_gettime(CLOCK_REALTIME, &ts);
    va_start(ap, fmt);
    pthread_mutex_lock(&log_lock);
    hlen = format_header(hbuf, sizeof(hbuf), &ts, level, logger);
    if (hlen >= sizeof(hbuf)) {
        hheap = malloc(hlen + 1);
        if (!hheap)
            goto out;
        format_header(hheap, hlen + 1, &ts, level, logger);
        hdr = hheap;
    }
    /* A record fits in room bytes when need < room: the message, then
     * its "\n" where vsnprintf put the NUL, then a NUL. */
    if (!cap && L.fd >= 0) {
        room = sizeof(wbuf) - L.wlen;
        need = format_record(wbuf + L.wlen, room, hdr, hlen, fmt, ap);
        if (need >= room && L.wlen) {
            buf_flush();
            room = sizeof(wbuf);
            need = format_record(wbuf, room, hdr, hlen, fmt, ap);
        }
        dst = need < room ? wbuf + L.wlen : NULL;
    } else {
        need = format_record(local, sizeof(local), hdr, hlen, fmt, ap);
        dst = need < sizeof(local) ? local : NULL;
    }
    if (!dst) {
        heap = malloc(need + 1);
        if (!heap)
            goto out;
        format_record(heap, need + 1, hdr, hlen, fmt, ap);
        dst = heap;
    }
    rec = dst;
    len = need;
    if (L.secrets.n && has_secret(dst + hlen)) {
        rec = rebuild_redacted(hdr, hlen, dst + hlen, &len);
        if (!rec)
            goto out;
        free(heap);
        heap = rec;
    } else {
        dst[need - 1] = '\n';
        dst[need] = '\0';
    }
    if (route_record(cap, level, rec, len, hlen) == 0)
        show = console_copy(level, rec + hlen, len - hlen - 1);
out:
    pthread_mutex_unlock(&log_lock);
    va_end(ap);
    if (show)
        console_write(level, show, strlen(show));
    free(show);
    free(heap);
    free(hheap);
}

void log_msg_file(int level, const char *logger, const char *prefix,
                  FILE *f)
{
    char hbuf[256], chunk[16384], *all;
    size_t hlen, plen = strlen(prefix), n, total;
    struct timespec ts;
    long size;
    int ok;

    clock_gettime(CLOCK_REALTIME, &ts);
    pthread_mutex_lock(&log_lock);
    hlen = format_header(hbuf, sizeof(hbuf), &ts, level, logger);
    /* Streamed only in the plain case: the file open, nobody capturing,
     * nothing for the terminal, no secret to look for. */
    ok = L.fd >= 0 && !out_capture_current() && level < L.console_level &&
         L.secrets.n == 0 && hlen < sizeof(hbuf) &&
         fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 &&
         fseek(f, 0, SEEK_SET) == 0;
    if (ok) {
        total = hlen + plen + (size_t)size + 1;
        buf_flush();
        /* shouldRollover(), per record, as file_add() */
        if (L.size > 0 && L.size + (long)total >= LOG_MAX_BYTES &&
            L.max_backups > 0)
            rollover();
        if (L.fd >= 0) {
            fd_write_all(L.fd, hbuf, hlen);
            fd_write_all(L.fd, prefix, plen);
            while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
                fd_write_all(L.fd, chunk, n);
            fd_write_all(L.fd, "\n", 1);
            L.size += (long)total;
        }
    }
    pthread_mutex_unlock(&log_lock);
    if (ok)
        return;
    all = tempfile_slurp(f, &n);
    if (all)
        log_msg(level, logger, "%s%s", prefix, all);
    free(all);
}

static void flush_at_exit(void)
{
    log_flush();
}

/* A child forked while another thread formats a record would inherit a
 * locked mutex; the fork waits for the record instead. */
static void lock_for_fork(void)
{
    pthread_mutex_lock(&log_lock);
}

static void unlock_after_fork(void)
{
    pthread_mutex_unlock(&log_lock);
}

static pthread_once_t handlers_once = PTHREAD_ONCE_INIT;

static void install_handlers(void)
{
    atexit(flush_at_exit);
    pthread_atfork(lock_for_fork, unlock_after_fork, unlock_after_fork);
}

int log_open(const char *logs_dir, long max_backups, struct cb_err *err)
{
    char *path = NULL;
    int e, r = CB_OK;

    if (!logs_dir)
        return cb_err_set(err, CB_ERR_INVAL, "no logs directory");
    if (asprintf(&path, "%s/letsencrypt.log", logs_dir) < 0)
        return cb_err_set(err, CB_ERR_NOMEM, "out of memory");
    pthread_once(&handlers_once, install_handlers);
    pthread_mutex_lock(&log_lock);
    buf_flush();
    if (L.fd >= 0)
        close(L.fd);
    free(L.path);
    free(L.dir);
    L.path = path;
    L.dir = strdup(logs_dir);
    L.max_backups = max_backups < 0 ? 0 : max_backups;
    /* The handler opens (creating) the file before rolling it over, which
     * is why a first run leaves an empty letsencrypt.log.1 behind. */
    L.fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
    if (!L.dir || L.fd < 0 || rollover() != 0) {
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
        file_add(L.buffer.v[i], strlen(L.buffer.v[i]));
    strvec_clear(&L.buffer);
    buf_flush();
out:
    pthread_mutex_unlock(&log_lock);
    return r;
}

void log_close(void)
{
    pthread_mutex_lock(&log_lock);
    buf_flush();
    if (L.fd >= 0)
        close(L.fd);
    L.fd = -1;
    free(L.path);
    L.path = NULL;
    free(L.dir);
    L.dir = NULL;
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
        if (fd_write_all(fd, L.buffer.v[i], strlen(L.buffer.v[i])) != 0)
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
