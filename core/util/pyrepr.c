/* Python repr() of a str: see pyrepr.h. */
#include "util/pyrepr.h"

#include <string.h>

void py_repr(char *buf, size_t size, const char *s)
{
    char q = (strchr(s, '\'') && !strchr(s, '"')) ? '"' : '\'';
    size_t o = 0;

    if (size < 3) {
        if (size)
            buf[0] = '\0';
        return;
    }
    buf[o++] = q;
    for (const char *p = s; *p && o + 3 < size; p++) {
        char esc = *p == '\n' ? 'n' : *p == '\r' ? 'r' : *p == '\t' ? 't'
                 : (*p == q || *p == '\\') ? *p : 0;

        if (esc) {
            buf[o++] = '\\';
            buf[o++] = esc;
        } else {
            buf[o++] = *p;
        }
    }
    buf[o++] = q;
    buf[o] = '\0';
}
