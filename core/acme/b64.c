#include "acme/b64.h"

#include <certbot/status.h>
#include <stdlib.h>
#include <string.h>

static const char b64url_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

char *b64url_encode(const void *data, size_t len)
{
    const unsigned char *in = data;
    size_t full = len / 3, rest = len % 3;
    size_t out_len = full * 4 + (rest ? rest + 1 : 0);
    char *out = malloc(out_len + 1);
    char *p = out;

    if (!out)
        return NULL;
    for (size_t i = 0; i < full; i++) {
        unsigned long v = ((unsigned long)in[0] << 16) |
                          ((unsigned long)in[1] << 8) | in[2];
        p[0] = b64url_alphabet[(v >> 18) & 63];
        p[1] = b64url_alphabet[(v >> 12) & 63];
        p[2] = b64url_alphabet[(v >> 6) & 63];
        p[3] = b64url_alphabet[v & 63];
        in += 3;
        p += 4;
    }
    if (rest) {
        unsigned long v = (unsigned long)in[0] << 16;
        if (rest == 2)
            v |= (unsigned long)in[1] << 8;
        *p++ = b64url_alphabet[(v >> 18) & 63];
        *p++ = b64url_alphabet[(v >> 12) & 63];
        if (rest == 2)
            *p++ = b64url_alphabet[(v >> 6) & 63];
    }
    *p = '\0';
    return out;
}

static int b64url_value(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '-')
        return 62;
    if (c == '_')
        return 63;
    return -1;
}

int b64url_decode(const char *s, unsigned char **out, size_t *out_len)
{
    size_t n = strlen(s), pad = 0, o = 0;
    unsigned long acc = 0;
    int bits = 0;
    unsigned char *buf = NULL;
    int rc = CB_ERR_INVAL;

    *out = NULL;
    *out_len = 0;
    /* Padding is optional, but if present it must complete a quantum. */
    while (n > 0 && s[n - 1] == '=') {
        n--;
        pad++;
    }
    if (pad > 2 || (pad > 0 && (n + pad) % 4 != 0))
        goto out;
    /* A single leftover character cannot encode a whole byte. */
    if (n % 4 == 1)
        goto out;
    buf = malloc(n * 3 / 4 + 1);
    if (!buf) {
        rc = CB_ERR_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        int v = b64url_value(s[i]);
        if (v < 0)
            goto out;
        acc = (acc << 6) | (unsigned long)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            buf[o++] = (unsigned char)((acc >> bits) & 0xff);
        }
    }
    /* Non-canonical encodings leave set bits in the unused tail. */
    if (bits > 0 && (acc & ((1UL << bits) - 1)) != 0)
        goto out;
    buf[o] = '\0';
    *out = buf;
    *out_len = o;
    buf = NULL;
    rc = CB_OK;
out:
    free(buf);
    return rc;
}
