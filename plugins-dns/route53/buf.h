/* A growable NUL-terminated string for building requests and signatures.
 * An allocation failure is sticky: later appends do nothing and
 * buf_steal() returns NULL, so callers check once at the end. */
#ifndef R53_BUF_H
#define R53_BUF_H

#include <stddef.h>

struct buf {
    char *p;      /* owned; NULL until the first append */
    size_t len, cap;
    int oom;
};

void buf_add(struct buf *b, const char *s, size_t n);
void buf_adds(struct buf *b, const char *s);
void buf_addf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* s with & < > " ' as XML entities. */
void buf_add_xml(struct buf *b, const char *s);
/* The string (caller frees; "" for an empty buffer) or NULL after a
 * failed allocation; the buffer is empty afterwards. */
char *buf_steal(struct buf *b);
void buf_free(struct buf *b);

#endif
