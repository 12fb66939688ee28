/* Helpers around the requested identifiers. */
#ifndef CB_LIFECYCLE_NAMES_H
#define CB_LIFECYCLE_NAMES_H

#include "util/strvec.h"

/* Certbot's summarize_domain_list: "a", "a and b", "a and 2 more domains".
 * Caller frees. */
char *names_summary(const char *const *names, size_t n);
/* 1 if both sets hold the same names (order ignored). */
int names_equal_sets(const struct strvec *a, const struct strvec *b);
/* 1 if every name of sub is in super. */
int names_subset(const struct strvec *sub, const struct strvec *super);

#endif
