#include "lifecycle/names.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *names_summary(const char *const *names, size_t n)
{
    char *out = NULL;

    if (n == 0)
        return strdup("");
    if (n == 1)
        return strdup(names[0]);
    if (n == 2) {
        if (asprintf(&out, "%s and %s", names[0], names[1]) < 0)
            return NULL;
        return out;
    }
    if (asprintf(&out, "%s and %zu more domains", names[0], n - 1) < 0)
        return NULL;
    return out;
}

int names_subset(const struct strvec *sub, const struct strvec *super)
{
    for (size_t i = 0; i < sub->n; i++)
        if (!strvec_contains(super, sub->v[i]))
            return 0;
    return 1;
}

int names_equal_sets(const struct strvec *a, const struct strvec *b)
{
    return names_subset(a, b) && names_subset(b, a);
}
