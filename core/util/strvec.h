/* A growable, NULL-terminated vector of owned strings (git's strvec).
 *
 * Ownership: the vector owns every string in it; strvec_push copies.
 * strvec_clear frees the strings and the array and leaves an empty,
 * reusable vector.  A zero-initialised struct strvec is empty and valid. */
#ifndef CB_UTIL_STRVEC_H
#define CB_UTIL_STRVEC_H

#include <stddef.h>

struct strvec {
    char **v; /* NULL-terminated when n > 0; may be NULL when empty */
    size_t n;
    size_t alloc;
};

int strvec_push(struct strvec *sv, const char *s);      /* copies s */
int strvec_push_take(struct strvec *sv, char *s);       /* takes ownership */
int strvec_pushf(struct strvec *sv, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int strvec_contains(const struct strvec *sv, const char *s);
void strvec_remove(struct strvec *sv, size_t i);
void strvec_clear(struct strvec *sv);
/* Join with sep; caller frees; "" for an empty vector. NULL on ENOMEM. */
char *strvec_join(const struct strvec *sv, const char *sep);

#endif
