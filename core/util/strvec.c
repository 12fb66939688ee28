#include "util/strvec.h"

#include <certbot/status.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int strvec_push_take(struct strvec *sv, char *s)
{
    if (!s)
        return CB_ERR_NOMEM;
    if (sv->n + 2 > sv->alloc) {
        size_t na = sv->alloc ? sv->alloc * 2 : 8;
        char **nv = realloc(sv->v, na * sizeof(*nv));
        if (!nv) {
            free(s);
            return CB_ERR_NOMEM;
        }
        sv->v = nv;
        sv->alloc = na;
    }
    sv->v[sv->n++] = s;
    sv->v[sv->n] = NULL;
    return CB_OK;
}

int strvec_push(struct strvec *sv, const char *s)
{
    return strvec_push_take(sv, strdup(s ? s : ""));
}

int strvec_pushf(struct strvec *sv, const char *fmt, ...)
{
    va_list ap;
    char *s = NULL;
    int r;

    va_start(ap, fmt);
    r = vasprintf(&s, fmt, ap);
    va_end(ap);
    if (r < 0)
        return CB_ERR_NOMEM;
    return strvec_push_take(sv, s);
}

int strvec_contains(const struct strvec *sv, const char *s)
{
    for (size_t i = 0; i < sv->n; i++)
        if (strcmp(sv->v[i], s) == 0)
            return 1;
    return 0;
}

void strvec_remove(struct strvec *sv, size_t i)
{
    if (i >= sv->n)
        return;
    free(sv->v[i]);
    memmove(&sv->v[i], &sv->v[i + 1], (sv->n - i) * sizeof(*sv->v));
    sv->n--;
}

void strvec_clear(struct strvec *sv)
{
    for (size_t i = 0; i < sv->n; i++)
        free(sv->v[i]);
    free(sv->v);
    sv->v = NULL;
    sv->n = sv->alloc = 0;
}

char *strvec_join(const struct strvec *sv, const char *sep)
{
    size_t len = 1, seplen = strlen(sep);
    char *out, *p;

    for (size_t i = 0; i < sv->n; i++)
        len += strlen(sv->v[i]) + seplen;
    out = malloc(len);
    if (!out)
        return NULL;
    p = out;
    for (size_t i = 0; i < sv->n; i++) {
        size_t l = strlen(sv->v[i]);
        if (i > 0) {
            memcpy(p, sep, seplen);
            p += seplen;
        }
        memcpy(p, sv->v[i], l);
        p += l;
    }
    *p = '\0';
    return out;
}
