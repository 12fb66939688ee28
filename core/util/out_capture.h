/* The output layer's flush point and per-thread capture.
 *
 * Log records (util/log.h) and display lines (util/display.h) are
 * buffered (issue 7).  out_flush_all() writes everything buffered: call it
 * before fork(), before exec, before _exit() and before writing to stderr
 * outside util/log.c, so nothing is written twice by a child or comes out
 * of order.
 *
 * Capture: a thread doing work in the background (say, fetching the ACME
 * directory while the main thread goes on) must not interleave its
 * messages with the main thread's.  Between out_capture_begin(c) and
 * out_capture_end() every log record and displayed notification of the
 * CALLING thread goes into c instead of the log file, stdout and stderr;
 * other threads are unaffected.  out_capture_replay(c) later writes them,
 * in order, where they would have gone, as if emitted then (the terminal
 * level and --quiet apply at replay), with the log records' original
 * timestamps.  Prompts are never captured (they need an answer now).
 *
 * Typical use:
 *     worker:  out_capture_begin(c); ...; out_capture_end();
 *     main:    pthread_join(worker); out_capture_replay(c);
 * c is used by one thread at a time: the capturing thread until
 * out_capture_end(), then whoever replays or frees it (after a join or
 * another synchronisation). */
#ifndef CB_UTIL_OUT_CAPTURE_H
#define CB_UTIL_OUT_CAPTURE_H

#include <stddef.h>

#include "util/log.h"

struct out_capture;

/* Empty capture; NULL on ENOMEM.  Freed by out_capture_replay() or
 * out_capture_free(). */
struct out_capture *out_capture_new(void);
/* Capture the calling thread's output into c (borrowed until
 * out_capture_end()). */
void out_capture_begin(struct out_capture *c);
void out_capture_end(void);
/* Write the captured records to their destinations, then free c. */
void out_capture_replay(struct out_capture *c);
/* Drop the captured records; NULL-safe. */
void out_capture_free(struct out_capture *c);

/* The captured records as bytes, for another process of the same
 * program (a forked helper sends its output to the parent, which
 * replays it).  0, or -1 on ENOMEM; *out is caller-freed. */
int out_capture_serialize(const struct out_capture *c, char **out,
                          size_t *len);
/* A capture from out_capture_serialize's bytes (borrowed); NULL when they
 * are malformed or on ENOMEM.  Freed by out_capture_replay/free. */
struct out_capture *out_capture_deserialize(const char *p, size_t len);

/* out_flush_all() is declared in util/log.h (the fork/exec/exit sites
 * include that already). */

/* ---- for util/log.c and util/display.c ---- */

/* The calling thread's capture, or NULL (borrowed). */
struct out_capture *out_capture_current(void);
/* A formatted log record (header, message, "\n"; the message starts at
 * msg_off) or a piece of stdout text, copied.  0, or -1 on ENOMEM (the
 * caller then writes it out directly). */
int out_capture_add_log(struct out_capture *c, int level, const char *rec,
                        size_t len, size_t msg_off);
int out_capture_add_text(struct out_capture *c, const char *text,
                         size_t len);

#endif
