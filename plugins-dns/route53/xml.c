/* Flat XML lookups: see xml.h. */
#include "xml.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

/* The next "<tag" start that is followed by '>', '/' or white space. */
static const char *find_open(const char *p, const char *end, const char *tag,
                             size_t tl)
{
    while (p < end) {
        const char *lt = memchr(p, '<', (size_t)(end - p));

        if (!lt)
            return NULL;
        if ((size_t)(end - lt) > tl + 1 && memcmp(lt + 1, tag, tl) == 0 &&
            (lt[tl + 1] == '>' || lt[tl + 1] == '/' ||
             isspace((unsigned char)lt[tl + 1])))
            return lt;
        p = lt + 1;
    }
    return NULL;
}

int xml_find(struct xml_span in, const char *tag, struct xml_span *content,
             struct xml_span *rest)
{
    size_t tl = strlen(tag);
    const char *open, *gt, *p;

    if (!in.p || in.p >= in.end || tl == 0)
        return 0;
    open = find_open(in.p, in.end, tag, tl);
    if (!open)
        return 0;
    gt = memchr(open, '>', (size_t)(in.end - open));
    if (!gt)
        return 0;
    if (gt[-1] == '/') {           /* <tag/> */
        content->p = content->end = gt + 1;
        if (rest) {
            rest->p = gt + 1;
            rest->end = in.end;
        }
        return 1;
    }
    for (p = gt + 1; p < in.end;) {
        const char *lt = memchr(p, '<', (size_t)(in.end - p));

        if (!lt)
            return 0;
        if ((size_t)(in.end - lt) >= tl + 3 && lt[1] == '/' &&
            memcmp(lt + 2, tag, tl) == 0 && lt[tl + 2] == '>') {
            content->p = gt + 1;
            content->end = lt;
            if (rest) {
                rest->p = lt + tl + 3;
                rest->end = in.end;
            }
            return 1;
        }
        p = lt + 1;
    }
    return 0;
}

static const struct {
    const char *name;
    char c;
} entities[] = {
    {"amp;", '&'}, {"lt;", '<'}, {"gt;", '>'}, {"quot;", '"'}, {"apos;", '\''},
};

char *xml_text(struct xml_span in, const char *tag)
{
    struct xml_span c;
    struct buf b = {0};

    if (!xml_find(in, tag, &c, NULL))
        return NULL;
    for (const char *p = c.p; p < c.end; p++) {
        size_t left = (size_t)(c.end - p - 1), i;

        if (*p != '&') {
            buf_add(&b, p, 1);
            continue;
        }
        for (i = 0; i < sizeof(entities) / sizeof(entities[0]); i++) {
            size_t n = strlen(entities[i].name);

            if (left >= n && memcmp(p + 1, entities[i].name, n) == 0) {
                buf_add(&b, &entities[i].c, 1);
                p += n;
                break;
            }
        }
        if (i < sizeof(entities) / sizeof(entities[0]))
            continue;
        if (left >= 3 && p[1] == '#') {  /* &#65; &#x41; (ASCII only) */
            char *e = NULL;
            long v = p[2] == 'x' ? strtol(p + 3, &e, 16)
                                 : strtol(p + 2, &e, 10);

            if (e && e < c.end && *e == ';' && v > 0 && v < 128) {
                char ch = (char)v;
                buf_add(&b, &ch, 1);
                p = e;
                continue;
            }
        }
        buf_add(&b, p, 1);
    }
    return buf_steal(&b);
}

void xml_root_name(struct xml_span in, char *out, size_t outlen)
{
    const char *p = in.p;
    size_t n = 0;

    if (outlen == 0)
        return;
    out[0] = '\0';
    while (p && p < in.end) {
        const char *lt = memchr(p, '<', (size_t)(in.end - p));

        if (!lt || lt + 1 >= in.end)
            return;
        if (lt[1] == '?' || lt[1] == '!') {
            p = lt + 1;
            continue;
        }
        for (p = lt + 1; p < in.end && n + 1 < outlen &&
                         (isalnum((unsigned char)*p) || *p == '_' ||
                          *p == '-' || *p == ':' || *p == '.');
             p++)
            out[n++] = *p;
        out[n] = '\0';
        return;
    }
}
