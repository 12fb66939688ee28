/* AWS Signature Version 4: see sigv4.h.  The steps are the ones AWS
 * documents: canonical request -> string to sign -> signing key (an HMAC
 * chain over date, region, service) -> signature. */
#include "sigv4.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include "buf.h"

#define MAX_SIGNED_HEADERS 16
#define MAX_QUERY_PARAMS 64

static void hex(const unsigned char *d, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";

    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[d[i] >> 4];
        out[2 * i + 1] = digits[d[i] & 15];
    }
    out[2 * n] = '\0';
}

static void sha256_hex(const void *d, size_t n, char out[65])
{
    unsigned char md[SHA256_DIGEST_LENGTH];

    SHA256(d ? d : (const void *)"", n, md);
    hex(md, sizeof(md), out);
}

static int hmac(const void *key, size_t klen, const char *msg,
                unsigned char out[32])
{
    unsigned int len = 0;

    if (!HMAC(EVP_sha256(), key, (int)klen, (const unsigned char *)msg,
              strlen(msg), out, &len) || len != 32)
        return -1;
    return 0;
}

char *sigv4_uri_encode(const char *s, int keep_slash)
{
    static const char digits[] = "0123456789ABCDEF";
    struct buf b = {0};

    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        char esc[3];

        if (isalnum(*p) || *p == '-' || *p == '_' || *p == '.' ||
            *p == '~' || (keep_slash && *p == '/')) {
            buf_add(&b, (const char *)p, 1);
            continue;
        }
        esc[0] = '%';
        esc[1] = digits[*p >> 4];
        esc[2] = digits[*p & 15];
        buf_add(&b, esc, 3);
    }
    return buf_steal(&b);
}

/* Query parameters sort by name, then by value (not by "name=value":
 * '=' would sort after '-'). */
static int param_cmp(const char *a, const char *b)
{
    size_t na = strcspn(a, "="), nb = strcspn(b, "=");
    size_t n = na < nb ? na : nb;
    int c = memcmp(a, b, n);

    if (c != 0)
        return c;
    if (na != nb)
        return na < nb ? -1 : 1;
    return strcmp(a + na, b + nb);
}

static void add_canonical_query(struct buf *out, const char *query)
{
    char *copy, *items[MAX_QUERY_PARAMS], *save = NULL;
    size_t n = 0;

    if (!query || !*query)
        return;
    copy = strdup(query);
    if (!copy) {
        out->oom = 1;
        return;
    }
    for (char *t = strtok_r(copy, "&", &save); t && n < MAX_QUERY_PARAMS;
         t = strtok_r(NULL, "&", &save))
        items[n++] = t;
    /* insertion sort: a handful of parameters */
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && param_cmp(items[j - 1], items[j]) > 0; j--) {
            char *t = items[j];
            items[j] = items[j - 1];
            items[j - 1] = t;
        }
    for (size_t i = 0; i < n; i++) {
        if (i)
            buf_adds(out, "&");
        buf_adds(out, items[i]);
        if (!strchr(items[i], '='))
            buf_adds(out, "=");
    }
    free(copy);
}

/* Lowercased name, value trimmed with inner runs of spaces collapsed. */
static void add_header_line(struct buf *out, const struct sigv4_header *h)
{
    const char *v = h->value ? h->value : "";
    int space = 0;

    for (const char *p = h->name; *p; p++) {
        char c = (char)tolower((unsigned char)*p);
        buf_add(out, &c, 1);
    }
    buf_adds(out, ":");
    while (*v == ' ' || *v == '\t')
        v++;
    for (; *v; v++) {
        if (*v == ' ' || *v == '\t') {
            space = 1;
            continue;
        }
        if (space)
            buf_adds(out, " ");
        space = 0;
        buf_add(out, v, 1);
    }
    buf_adds(out, "\n");
}

/* The headers in signing order (by lowercased name). */
static int sorted_headers(const struct sigv4_req *r,
                          const struct sigv4_header **v)
{
    if (r->n_headers == 0 || r->n_headers > MAX_SIGNED_HEADERS)
        return -1;
    for (size_t i = 0; i < r->n_headers; i++) {
        if (!r->headers[i].name)
            return -1;
        v[i] = &r->headers[i];
    }
    for (size_t i = 1; i < r->n_headers; i++)
        for (size_t j = i;
             j > 0 && strcasecmp(v[j - 1]->name, v[j]->name) > 0; j--) {
            const struct sigv4_header *t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    return 0;
}

static void add_signed_headers(struct buf *out,
                               const struct sigv4_header *const *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            buf_adds(out, ";");
        for (const char *p = v[i]->name; *p; p++) {
            char c = (char)tolower((unsigned char)*p);
            buf_add(out, &c, 1);
        }
    }
}

char *sigv4_canonical_request(const struct sigv4_req *r)
{
    const struct sigv4_header *v[MAX_SIGNED_HEADERS];
    struct buf b = {0};
    char *path, payload_hash[65];

    if (!r || !r->method || !r->path || sorted_headers(r, v) != 0)
        return NULL;
    path = sigv4_uri_encode(r->path[0] ? r->path : "/", 1);
    if (!path)
        return NULL;
    buf_addf(&b, "%s\n%s\n", r->method, path);
    free(path);
    add_canonical_query(&b, r->query);
    buf_adds(&b, "\n");
    for (size_t i = 0; i < r->n_headers; i++)
        add_header_line(&b, v[i]);
    buf_adds(&b, "\n");
    add_signed_headers(&b, v, r->n_headers);
    sha256_hex(r->payload, r->payload ? r->payload_len : 0, payload_hash);
    buf_addf(&b, "\n%s", payload_hash);
    return buf_steal(&b);
}

char *sigv4_authorization(const struct sigv4_req *r, const struct sigv4_key *k)
{
    const struct sigv4_header *v[MAX_SIGNED_HEADERS];
    unsigned char key[32], key2[32], sig[32];
    char date[9], creq_hash[65], sig_hex[65];
    struct buf b = {0};
    char *creq = NULL, *sts = NULL, *secret = NULL, *out = NULL;

    if (!k || !k->access_key || !k->secret_key || !k->amz_date ||
        strlen(k->amz_date) != 16 || !k->region || !k->service ||
        sorted_headers(r, v) != 0)
        return NULL;
    memcpy(date, k->amz_date, 8);
    date[8] = '\0';
    creq = sigv4_canonical_request(r);
    if (!creq)
        goto out;
    sha256_hex(creq, strlen(creq), creq_hash);
    buf_addf(&b, "AWS4-HMAC-SHA256\n%s\n%s/%s/%s/aws4_request\n%s",
             k->amz_date, date, k->region, k->service, creq_hash);
    sts = buf_steal(&b);
    buf_addf(&b, "AWS4%s", k->secret_key);
    secret = buf_steal(&b);
    if (!sts || !secret)
        goto out;
    /* kDate -> kRegion -> kService -> kSigning, never in place */
    if (hmac(secret, strlen(secret), date, key) != 0 ||
        hmac(key, sizeof(key), k->region, key2) != 0 ||
        hmac(key2, sizeof(key2), k->service, key) != 0 ||
        hmac(key, sizeof(key), "aws4_request", key2) != 0 ||
        hmac(key2, sizeof(key2), sts, sig) != 0)
        goto out;
    hex(sig, sizeof(sig), sig_hex);
    buf_addf(&b, "AWS4-HMAC-SHA256 Credential=%s/%s/%s/%s/aws4_request, "
                 "SignedHeaders=", k->access_key, date, k->region,
             k->service);
    add_signed_headers(&b, v, r->n_headers);
    buf_addf(&b, ", Signature=%s", sig_hex);
    out = buf_steal(&b);
out:
    /* the key material is secret: do not leave it in freed memory */
    OPENSSL_cleanse(key, sizeof(key));
    OPENSSL_cleanse(key2, sizeof(key2));
    if (secret)
        OPENSSL_cleanse(secret, strlen(secret));
    free(secret);
    free(sts);
    free(creq);
    buf_free(&b);
    return out;
}
