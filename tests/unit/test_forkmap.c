/* util/forkmap (issue 7): a helper process decides items [from, n) while
 * the caller takes their results in order; its side channel carries
 * lines to the caller before the caller reaches the helper's items
 * (renew: what the helper found in the CA's directory). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"

#include "util/forkmap.h"
#include "util/strvec.h"

static int twice(void *arg, size_t i, struct strvec *res)
{
    (void)arg;
    strvec_pushf(res, "item %zu", i);
    if (i == 3)
        forkmap_tell("first word");
    if (i == 6)
        forkmap_tell("second word");
    return (int)(i * 2);
}

/* Results travel in batches of 32 items: the first batch (items 0-31)
 * is sent, the one the helper dies in is lost with it. */
static int dies_at_forty(void *arg, size_t i, struct strvec *res)
{
    (void)arg;
    (void)res;
    if (i == 40)
        _exit(1);
    return 1;
}

int main(void)
{
    struct strvec lines = {0}, res = {0};
    struct forkmap *m;
    int in_order = 1, r;

    m = forkmap_start(2, 10, twice, NULL);
    ok(m != NULL, "forkmap_start: a helper for items 2..9");
    /* the side channel, read before any result is taken */
    while (lines.n < 2 && forkmap_heard(m, &lines, 1) == 0)
        ;
    is_int((int)lines.n, 2, "forkmap_heard: both lines the helper told");
    ok(lines.n == 2 && strcmp(lines.v[0], "first word") == 0 &&
           strcmp(lines.v[1], "second word") == 0,
       "forkmap_heard: whole lines, in the order told, without '\\n'");
    for (size_t i = 2; i < 10; i++) {
        char want[32];

        snprintf(want, sizeof(want), "item %zu", i);
        r = forkmap_next(m, i, &res);
        if (r != (int)(i * 2) || res.n != 1 || strcmp(res.v[0], want) != 0)
            in_order = 0;
        strvec_clear(&res);
    }
    ok(in_order, "forkmap_next: each item's value and strings, in order");
    strvec_clear(&lines);
    is_int(forkmap_heard(m, &lines, 1), -1,
           "forkmap_heard: -1 once the helper is done (no more lines)");
    is_int((int)lines.n, 0, "forkmap_heard: nothing more was told");
    forkmap_end(m);
    is_int(forkmap_tell("not a helper"), -1,
           "forkmap_tell: -1 outside a helper");
    is_int(forkmap_heard(NULL, &lines, 0), -1, "forkmap_heard: NULL map");

    m = forkmap_start(0, 50, dies_at_forty, NULL);
    ok(m != NULL, "forkmap_start: a helper that dies at item 40");
    r = 1;
    for (size_t i = 0; i < 32; i++)
        if (forkmap_next(m, i, &res) != 1)
            r = 0;
    ok(r, "items 0-31 (its first batch) from the helper");
    is_int(forkmap_next(m, 32, &res), FORKMAP_SELF,
           "item 32: the helper is gone, the caller decides it");
    is_int(forkmap_next(m, 45, &res), FORKMAP_SELF,
           "a later item: the caller decides it too");
    is_int(forkmap_heard(m, &lines, 1), -1,
           "forkmap_heard: -1 for a dead helper");
    forkmap_end(m);
    strvec_clear(&res);
    strvec_clear(&lines);
    return done_testing();
}
