/* Per-thread capture of log records and display text, and the one flush
 * point for fork/exec/exit sites (see out_capture.h). */
#include "util/out_capture.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/display.h"
#include "util/log.h"

enum { CAP_LOG, CAP_TEXT };

struct cap_entry {
    int kind;
    int level;
    size_t len, msg_off;
    char *text; /* NUL-terminated copy */
};

struct out_capture {
    struct cap_entry *v;
    size_t n, alloc;
};

static _Thread_local struct out_capture *current;

struct out_capture *out_capture_new(void)
{
    return calloc(1, sizeof(struct out_capture));
}

void out_capture_begin(struct out_capture *c)
{
    current = c;
}

void out_capture_end(void)
{
    current = NULL;
}

struct out_capture *out_capture_current(void)
{
    return current;
}

static int add(struct out_capture *c, int kind, int level, const char *s,
               size_t len, size_t msg_off)
{
    struct cap_entry *e;
    char *copy;

    if (c->n == c->alloc) {
        size_t na = c->alloc ? c->alloc * 2 : 16;
        struct cap_entry *nv = realloc(c->v, na * sizeof(*nv));

        if (!nv)
            return -1;
        c->v = nv;
        c->alloc = na;
    }
    copy = malloc(len + 1);
    if (!copy)
        return -1;
    memcpy(copy, s, len);
    copy[len] = '\0';
    e = &c->v[c->n++];
    e->kind = kind;
    e->level = level;
    e->len = len;
    e->msg_off = msg_off;
    e->text = copy;
    return 0;
}

int out_capture_add_log(struct out_capture *c, int level, const char *rec,
                        size_t len, size_t msg_off)
{
    return add(c, CAP_LOG, level, rec, len, msg_off);
}

int out_capture_add_text(struct out_capture *c, const char *text, size_t len)
{
    return add(c, CAP_TEXT, 0, text, len, 0);
}

void out_capture_free(struct out_capture *c)
{
    if (!c)
        return;
    if (current == c)
        current = NULL;
    for (size_t i = 0; i < c->n; i++)
        free(c->v[i].text);
    free(c->v);
    free(c);
}

void out_capture_replay(struct out_capture *c)
{
    if (!c)
        return;
    /* Replaying into the capture being replayed would loop. */
    if (current == c)
        current = NULL;
    for (size_t i = 0; i < c->n; i++) {
        const struct cap_entry *e = &c->v[i];

        if (e->kind == CAP_LOG)
            log_emit_record(e->level, e->text, e->len, e->msg_off);
        else
            display_emit_text(e->text, e->len);
    }
    out_capture_free(c);
}

/* Per entry: kind, level (int32), length and message offset (uint32),
 * then the bytes.  Native byte order: both ends are this program. */
struct wire {
    int32_t kind, level;
    uint32_t len, msg_off;
};

int out_capture_serialize(const struct out_capture *c, char **out,
                          size_t *len)
{
    size_t total = 0, at = 0;
    char *p;

    *out = NULL;
    *len = 0;
    for (size_t i = 0; i < c->n; i++) {
        if (c->v[i].len > UINT32_MAX)
            return -1;
        total += sizeof(struct wire) + c->v[i].len;
    }
    p = malloc(total ? total : 1);
    if (!p)
        return -1;
    for (size_t i = 0; i < c->n; i++) {
        const struct cap_entry *e = &c->v[i];
        struct wire w = {e->kind, e->level, (uint32_t)e->len,
                         (uint32_t)e->msg_off};

        memcpy(p + at, &w, sizeof(w));
        at += sizeof(w);
        memcpy(p + at, e->text, e->len);
        at += e->len;
    }
    *out = p;
    *len = total;
    return 0;
}

struct out_capture *out_capture_deserialize(const char *p, size_t len)
{
    struct out_capture *c = out_capture_new();
    size_t at = 0;

    while (c && at < len) {
        struct wire w;

        if (len - at < sizeof(w))
            goto bad;
        memcpy(&w, p + at, sizeof(w));
        at += sizeof(w);
        if (len - at < w.len || (w.kind != CAP_LOG && w.kind != CAP_TEXT) ||
            (w.kind == CAP_LOG && (w.len == 0 || w.msg_off >= w.len)))
            goto bad;
        if (add(c, w.kind, w.level, p + at, w.len, w.msg_off) != 0)
            goto bad;
        at += w.len;
    }
    return c;
bad:
    out_capture_free(c);
    return NULL;
}

void out_flush_all(void)
{
    log_flush();
    fflush(NULL);
}
