#include "util/forkmap.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/fdio.h"
#include "util/interrupt.h"
#include "util/log.h"
#include "util/out_capture.h"
#include "util/tempfile.h"

/* Below this many items a helper costs more than it saves: fork(), and
 * whatever the first item needs once per process (renew: the CA's
 * directory, ~10 ms) happen twice. */
#define FORKMAP_MIN_DEFAULT 400

/* Each finished item is one record:
 *   u32 size of the record, u32 item, i32 fn's value, u32 strings,
 *   per string u32 length + bytes, u32 capture length + capture bytes.
 * The helper appends them in batches to an unlinked temp file (no size
 * limit, unlike a pipe, so it never waits for the caller) and after each
 * batch writes the file's new length (u64) to a pipe: one write(2) and
 * one read per batch on each side, not per item. */
#define BATCH_BYTES 32768
#define BATCH_ITEMS 32

struct forkmap {
    pid_t pid;
    int notify;        /* read end of the pipe */
    int data;          /* the temp file */
    off_t off;         /* how much of it is in rbuf (or consumed) */
    char *rbuf;        /* read, not yet parsed: [rpos, rlen) */
    size_t rlen, rpos, rcap;
    size_t next;       /* the item expected next */
    size_t n;
    int gone;          /* helper dead or out of step: caller does the rest */
    int side;          /* read end of the side channel; -1 at its EOF */
    char *sbuf;        /* side channel bytes not yet a whole line */
    size_t slen;
};

/* In the helper: the write end of the side channel. */
static int side_out = -1;

int forkmap_worth(size_t n)
{
    const char *min = getenv("CERTBOT_FORKMAP_MIN");
    long threshold = FORKMAP_MIN_DEFAULT;

    if (getenv("CERTBOT_NO_FORKMAP"))
        return 0;
    if (min && *min)
        threshold = strtol(min, NULL, 10);
    return sysconf(_SC_NPROCESSORS_ONLN) > 1 && threshold >= 2 &&
           n >= (size_t)threshold;
}

/* ---- records ---- */

struct buf {
    char *p;
    size_t len, cap;
};

static int buf_add(struct buf *b, const void *data, size_t len)
{
    if (b->len + len > b->cap) {
        size_t cap = b->cap ? b->cap : 1024;
        char *grown;

        while (cap < b->len + len)
            cap *= 2;
        grown = realloc(b->p, cap);
        if (!grown)
            return -1;
        b->p = grown;
        b->cap = cap;
    }
    memcpy(b->p + b->len, data, len);
    b->len += len;
    return 0;
}

static int buf_u32(struct buf *b, uint32_t v)
{
    return buf_add(b, &v, sizeof(v));
}


static int record(struct buf *b, size_t i, int ret, const struct strvec *res,
                  const struct out_capture *c)
{
    char *cap = NULL;
    size_t caplen = 0;
    int32_t r32 = ret;
    int rc = -1;

    b->len = 0;
    if (out_capture_serialize(c, &cap, &caplen) < 0)
        return -1;
    if (buf_u32(b, 0) < 0 || buf_u32(b, (uint32_t)i) < 0 ||
        buf_add(b, &r32, sizeof(r32)) < 0 || buf_u32(b, (uint32_t)res->n) < 0)
        goto out;
    for (size_t k = 0; k < res->n; k++) {
        size_t len = strlen(res->v[k]);

        if (buf_u32(b, (uint32_t)len) < 0 || buf_add(b, res->v[k], len) < 0)
            goto out;
    }
    if (buf_u32(b, (uint32_t)caplen) < 0 || buf_add(b, cap, caplen) < 0)
        goto out;
    {
        uint32_t size = (uint32_t)b->len;

        memcpy(b->p, &size, sizeof(size));
    }
    rc = 0;
out:
    free(cap);
    return rc;
}

/* Write the batch and tell the caller how far the file now goes. */
static int send_batch(struct buf *batch, int data, int notify,
                      uint64_t *written)
{
    if (batch->len == 0)
        return 0;
    if (fd_write_all(data, batch->p, batch->len) < 0)
        return -1;
    *written += batch->len;
    batch->len = 0;
    return fd_write_all(notify, (const char *)written, sizeof(*written));
}

/* The helper: items [from, n), each under its own capture. */
static void child_main(size_t from, size_t n, forkmap_fn fn, void *arg,
                       int notify, int data, int side)
{
    struct buf rec = {0}, batch = {0};
    uint64_t written = 0;
    size_t items = 0;

    signal(SIGPIPE, SIG_DFL);   /* the caller gone: so are we */
    side_out = side;
    for (size_t i = from; i < n && !interrupted(); i++) {
        struct out_capture *c = out_capture_new();
        struct strvec res = {0};
        int ret, bad;

        if (!c)
            break;
        out_capture_begin(c);
        ret = fn(arg, i, &res);
        out_capture_end();
        bad = record(&rec, i, ret < 0 ? 0 : ret, &res, c) < 0 ||
              buf_add(&batch, rec.p, rec.len) < 0;
        out_capture_free(c);
        strvec_clear(&res);
        if (bad)
            break;
        if ((++items % BATCH_ITEMS == 0 || batch.len >= BATCH_BYTES) &&
            send_batch(&batch, data, notify, &written) < 0)
            break;
    }
    send_batch(&batch, data, notify, &written);
    close(side);
    free(rec.p);
    free(batch.p);
    _exit(0);
}

struct forkmap *forkmap_start(size_t from, size_t n, forkmap_fn fn,
                              void *arg)
{
    struct forkmap *m = calloc(1, sizeof(*m));
    int p[2] = {-1, -1}, side[2] = {-1, -1}, data = -1;
    pid_t pid;

    if (!m || from >= n || pipe(p) < 0 || pipe(side) < 0 ||
        (data = tempfile_open(NULL)) < 0)
        goto fail;
    /* renewal children exec hooks: the pipes are not theirs */
    for (int k = 0; k < 2; k++) {
        fcntl(p[k], F_SETFD, FD_CLOEXEC);
        fcntl(side[k], F_SETFD, FD_CLOEXEC);
    }
    fcntl(side[0], F_SETFL, O_NONBLOCK);
    out_flush_all();            /* nothing buffered is written twice */
    pid = fork();
    if (pid < 0)
        goto fail;
    if (pid == 0) {
        close(p[0]);
        close(side[0]);
        child_main(from, n, fn, arg, p[1], data, side[1]);
    }
    close(p[1]);
    close(side[1]);
    m->pid = pid;
    m->notify = p[0];
    m->side = side[0];
    m->data = data;
    m->next = from;
    m->n = n;
    log_debug("Deciding items %zu to %zu in helper process %ld", from + 1,
              n, (long)pid);
    return m;
fail:
    for (int k = 0; k < 2; k++) {
        if (p[k] >= 0)
            close(p[k]);
        if (side[k] >= 0)
            close(side[k]);
    }
    if (data >= 0)
        close(data);
    free(m);
    return NULL;
}


static int take_u32(const char **p, const char *end, uint32_t *v)
{
    if ((size_t)(end - *p) < sizeof(*v))
        return -1;
    memcpy(v, *p, sizeof(*v));
    *p += sizeof(*v);
    return 0;
}

/* Parse one record: its strings into res, its capture replayed. */
static int parse_record(const char *rec, size_t size, size_t i,
                        struct strvec *res, int *ret)
{
    const char *p = rec + sizeof(uint32_t), *end = rec + size;
    uint32_t item, nstr, len;
    int32_t r32;
    struct out_capture *c;

    if (take_u32(&p, end, &item) < 0 || item != (uint32_t)i ||
        (size_t)(end - p) < sizeof(r32))
        return -1;
    memcpy(&r32, p, sizeof(r32));
    p += sizeof(r32);
    if (take_u32(&p, end, &nstr) < 0)
        return -1;
    for (uint32_t k = 0; k < nstr; k++) {
        char *str;

        if (take_u32(&p, end, &len) < 0 || (size_t)(end - p) < len ||
            !(str = strndup(p, len)) || strvec_push_take(res, str) < 0)
            return -1;
        p += len;
    }
    if (take_u32(&p, end, &len) < 0 || (size_t)(end - p) != len)
        return -1;
    c = out_capture_deserialize(p, len);
    if (!c)
        return -1;
    out_capture_replay(c);
    *ret = r32;
    return 0;
}

/* Wait for the helper's next batch and read it into rbuf. */
static int more(struct forkmap *m)
{
    uint64_t end;
    size_t got = 0, want;
    ssize_t r;

    while (got < sizeof(end)) {
        r = read(m->notify, (char *)&end + got, sizeof(end) - got);
        if (r < 0 && errno == EINTR && !interrupted())
            continue;
        if (r <= 0)
            return -1;
        got += (size_t)r;
    }
    if (end <= (uint64_t)m->off || end - (uint64_t)m->off > SIZE_MAX / 2)
        return -1;
    want = (size_t)(end - (uint64_t)m->off);
    if (m->rpos > 0) {          /* drop what was parsed */
        memmove(m->rbuf, m->rbuf + m->rpos, m->rlen - m->rpos);
        m->rlen -= m->rpos;
        m->rpos = 0;
    }
    if (m->rlen + want > m->rcap) {
        char *grown = realloc(m->rbuf, m->rlen + want);

        if (!grown)
            return -1;
        m->rbuf = grown;
        m->rcap = m->rlen + want;
    }
    if (fd_pread_all(m->data, m->rbuf + m->rlen, want, m->off) < 0)
        return -1;
    m->rlen += want;
    m->off = (off_t)end;
    return 0;
}

int forkmap_next(struct forkmap *m, size_t i, struct strvec *res)
{
    uint32_t size = 0;
    int ret = FORKMAP_SELF;

    if (!m || m->gone || i != m->next || i >= m->n)
        goto gone;
    for (;;) {
        size_t have = m->rlen - m->rpos;

        if (have >= sizeof(size)) {
            memcpy(&size, m->rbuf + m->rpos, sizeof(size));
            if (size < 4 * sizeof(uint32_t))
                goto gone;
            if (have >= size)
                break;
        }
        if (more(m) < 0)
            goto gone;
    }
    if (parse_record(m->rbuf + m->rpos, size, i, res, &ret) < 0)
        goto gone;
    m->rpos += size;
    m->next++;
    return ret;
gone:
    strvec_clear(res);
    if (m && !m->gone) {
        m->gone = 1;
        log_debug("Helper process gone before item %zu; deciding the rest "
                  "here", i + 1);
    }
    return FORKMAP_SELF;
}

int forkmap_tell(const char *line)
{
    char buf[4096];
    size_t len = strlen(line);

    if (side_out < 0 || len >= sizeof(buf))
        return -1;
    memcpy(buf, line, len);
    buf[len] = '\n';
    /* one write of at most PIPE_BUF bytes: never interleaved */
    return fd_write_all(side_out, buf, len + 1);
}

/* Move the whole lines of sbuf into lines. */
static void side_lines(struct forkmap *m, struct strvec *lines)
{
    size_t start = 0;

    for (size_t k = 0; k < m->slen; k++) {
        if (m->sbuf[k] != '\n')
            continue;
        m->sbuf[k] = '\0';
        strvec_push(lines, m->sbuf + start);
        start = k + 1;
    }
    memmove(m->sbuf, m->sbuf + start, m->slen - start);
    m->slen -= start;
}

int forkmap_heard(struct forkmap *m, struct strvec *lines, int wait)
{
    size_t before = lines->n;

    if (!m || m->side < 0)
        return -1;
    for (;;) {
        char chunk[4096], *grown;
        ssize_t got = read(m->side, chunk, sizeof(chunk));

        if (got > 0) {
            grown = realloc(m->sbuf, m->slen + (size_t)got);
            if (!grown)
                return -1;
            m->sbuf = grown;
            memcpy(m->sbuf + m->slen, chunk, (size_t)got);
            m->slen += (size_t)got;
            side_lines(m, lines);
            continue;
        }
        if (got == 0) {         /* the helper closed it: nothing more */
            close(m->side);
            m->side = -1;
            return lines->n > before ? 0 : -1;
        }
        if (errno == EINTR && !interrupted())
            continue;
        if (errno != EAGAIN || interrupted())
            return -1;
        if (!wait || lines->n > before)
            return 0;
        {
            struct pollfd pfd = {m->side, POLLIN, 0};

            if (poll(&pfd, 1, -1) < 0 && errno != EINTR)
                return -1;
        }
    }
}

void forkmap_end(struct forkmap *m)
{
    if (!m)
        return;
    close(m->notify);           /* a helper still writing gets EPIPE */
    if (m->side >= 0)
        close(m->side);
    free(m->sbuf);
    close(m->data);
    free(m->rbuf);
    if (m->pid > 0) {
        int status;

        if (m->next < m->n)
            kill(m->pid, SIGTERM);
        while (waitpid(m->pid, &status, 0) < 0 && errno == EINTR)
            ;
    }
    free(m);
}
