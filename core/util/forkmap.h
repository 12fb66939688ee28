/* An ordered map over a forked helper: the second core decides the
 * second half of a long list while this process decides the first.
 *
 * Why (issue 7): `renew` with nothing due and `certificates` spend their
 * time per lineage (a few system calls and some parsing each), one
 * lineage after another on one core.  forkmap_start() forks a child that
 * runs fn for items [from, n) while the caller handles [0, from) itself;
 * the caller then takes the child's results in order with forkmap_next().
 *
 * The child never touches the terminal, the log file or anything the
 * caller decides on: each item runs under an out_capture
 * (util/out_capture.h) whose records travel back with the item's result
 * and are replayed by forkmap_next(), so the output is byte for byte what
 * a one-process run prints, in the same order.  What fn may do in the
 * child: read files, and writes that the caller would make in the same
 * way for that item (its own renewal conf); never prompt.  The result of
 * an item is a list of strings (fn's choice of encoding).
 *
 * A child that dies or cannot be started is not an error: forkmap_next()
 * then says FORKMAP_SELF for that item and every later one, and the
 * caller handles them itself, as without a forkmap.
 *
 * Ownership: struct forkmap is the caller's until forkmap_end(). */
#ifndef CB_UTIL_FORKMAP_H
#define CB_UTIL_FORKMAP_H

#include <stddef.h>

#include "util/strvec.h"

/* Runs in the child for item i: fills result, returns an int passed back
 * as is (>= 0). */
typedef int (*forkmap_fn)(void *arg, size_t i, struct strvec *result);

struct forkmap;

#define FORKMAP_SELF (-1)

/* Worth it for n - from items?  No helper on one CPU, for short lists, or
 * when the environment says CERTBOT_NO_FORKMAP. CERTBOT_FORKMAP_MIN (tests)
 * lowers the list size from which a helper starts. */
int forkmap_worth(size_t n);

/* Fork the helper for items [from, n); NULL when none was started (then
 * the caller does everything itself).  Flushes the output layer first. */
struct forkmap *forkmap_start(size_t from, size_t n, forkmap_fn fn,
                              void *arg);

/* Item i's result (items are taken in order, from `from` up): waits for
 * it, replays its output, fills result and returns fn's value, or
 * FORKMAP_SELF when the helper is gone (the caller handles item i). */
int forkmap_next(struct forkmap *m, size_t i, struct strvec *result);

/* A side channel from the helper to the caller, for what the caller
 * needs before it reaches the helper's items (renew: what the helper
 * learnt of a CA's directory, which the caller's own decisions wait on).
 * In the helper, forkmap_tell() sends one line (no '\n' in it, at most
 * 4000 bytes).  In the caller, forkmap_heard() appends the lines that
 * arrived so far to lines; with wait, it first waits for at least one
 * line.  0, or -1 when the helper is gone (or never started) and no more
 * lines will come. */
int forkmap_tell(const char *line);
int forkmap_heard(struct forkmap *m, struct strvec *lines, int wait);

/* Stop the helper (if still running), reap it, free m.  NULL-safe. */
void forkmap_end(struct forkmap *m);

#endif
