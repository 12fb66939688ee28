/* Helpers shared by the DNS provider plugins: see dnsplug.h. */
#include "dnsplug.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Certbot walks at most this many labels; a DNS name has fewer. */
#define DP_MAX_GUESSES 128

char *dp_printf(const char *fmt, ...)
{
    va_list ap;
    char *s;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    s = malloc((size_t)n + 1);
    if (!s)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

char *dp_url_escape(const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    char *out = malloc(strlen(s) * 3 + 1), *o = out;

    if (!out)
        return NULL;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
            (*p >= '0' && *p <= '9') || strchr("-._~", *p)) {
            *o++ = (char)*p;
        } else {
            *o++ = '%';
            *o++ = hex[*p >> 4];
            *o++ = hex[*p & 15];
        }
    }
    *o = '\0';
    return out;
}

void dp_guesses_text(const char *domain, char *buf, size_t size)
{
    const char *p = domain;
    size_t used = 0;

    if (size == 0)
        return;
    buf[0] = '\0';
    for (int n = 0; p && *p && n < DP_MAX_GUESSES; n++) {
        int w = snprintf(buf + used, size - used, "%s'%s'", n ? ", " : "[",
                         p);

        if (w < 0 || (size_t)w >= size - used)
            return;
        used += (size_t)w;
        p = strchr(p, '.');
        if (p)
            p++;
    }
    snprintf(buf + used, size - used, used ? "]" : "[]");
}
