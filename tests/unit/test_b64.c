/* base64url (RFC 4648 section 5, no padding) as JWS uses it. */
#include <stdlib.h>
#include <string.h>

#include "acme/b64.h"
#include "tap.h"

static const struct {
    const char *plain;
    const char *encoded;
} vectors[] = {
    /* RFC 4648 section 10, without the "=" padding */
    { "", "" },
    { "f", "Zg" },
    { "fo", "Zm8" },
    { "foo", "Zm9v" },
    { "foob", "Zm9vYg" },
    { "fooba", "Zm9vYmE" },
    { "foobar", "Zm9vYmFy" },
};

static void test_vectors(void)
{
    for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
        char name[64];
        char *enc = b64url_encode(vectors[i].plain, strlen(vectors[i].plain));
        unsigned char *dec = NULL;
        size_t dec_len = 0;
        int rc;

        snprintf(name, sizeof(name), "encode \"%s\"", vectors[i].plain);
        is_str(enc, vectors[i].encoded, name);
        free(enc);
        rc = b64url_decode(vectors[i].encoded, &dec, &dec_len);
        snprintf(name, sizeof(name), "decode \"%s\"", vectors[i].encoded);
        ok(rc == 0 && dec_len == strlen(vectors[i].plain) &&
               memcmp(dec, vectors[i].plain, dec_len) == 0,
           name);
        free(dec);
    }
}

static void test_url_alphabet(void)
{
    static const unsigned char bytes[] = { 0xfb, 0xff, 0xbf, 0xfe };
    char *enc = b64url_encode(bytes, sizeof(bytes));
    unsigned char *dec = NULL;
    size_t len = 0;

    /* Standard base64 would give "+/+//g==". */
    is_str(enc, "-_-__g", "62 and 63 are '-' and '_', no padding");
    ok(b64url_decode("-_-__g", &dec, &len) == 0 && len == 4 &&
           memcmp(dec, bytes, 4) == 0,
       "url alphabet decodes");
    free(dec);
    free(enc);
}

static void test_padding_accepted(void)
{
    unsigned char *dec = NULL;
    size_t len = 0;

    ok(b64url_decode("Zg==", &dec, &len) == 0 && len == 1 && dec[0] == 'f',
       "padding accepted");
    free(dec);
    ok(b64url_decode("Zm8=", &dec, &len) == 0 && len == 2, "one pad accepted");
    free(dec);
}

static void test_rejections(void)
{
    static const char *bad[] = {
        "+/8",      /* standard alphabet */
        "Zm9v YmFy", /* whitespace */
        "Z",        /* one char cannot hold a byte */
        "Zh",       /* non-canonical: leftover bits set */
        "Zg=",      /* padding that does not complete a quantum */
        "Zg===",    /* too much padding */
        "Zm=9",     /* padding in the middle */
    };

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        unsigned char *dec = (unsigned char *)"x";
        size_t len = 99;
        char name[64];
        int rc = b64url_decode(bad[i], &dec, &len);

        snprintf(name, sizeof(name), "rejects \"%s\"", bad[i]);
        ok(rc < 0 && dec == NULL && len == 0, name);
    }
}

static void test_round_trips(void)
{
    unsigned char buf[300];
    int all = 1;

    for (size_t i = 0; i < sizeof(buf); i++)
        buf[i] = (unsigned char)(i * 37 + 11);
    for (size_t n = 0; n <= sizeof(buf); n++) {
        char *enc = b64url_encode(buf, n);
        unsigned char *dec = NULL;
        size_t len = 0;

        if (!enc || strlen(enc) != (n * 4 + 2) / 3 || strchr(enc, '=') ||
            b64url_decode(enc, &dec, &len) != 0 || len != n ||
            memcmp(dec, buf, n) != 0)
            all = 0;
        free(enc);
        free(dec);
    }
    ok(all, "round trips for every length 0..300");
}

int main(void)
{
    test_vectors();
    test_url_alphabet();
    test_padding_accepted();
    test_rejections();
    test_round_trips();
    return done_testing();
}
