/* The ACME client against a scripted stub CA (plain HTTP on loopback, run
 * in a forked child): nonces and badNonce retries, problem documents,
 * accounts, orders, authorization polling, finalize with orderNotReady,
 * timeouts, alternate chains, revocation, and util/http.c details. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "acme/b64.h"
#include "acme/client.h"
#include "acme/session.h"
#include "crypto/cert.h"
#include "crypto/key.h"
#include "tap.h"
#include "test_acme_certgen.h"
#include "util/http.h"

static char base[64];               /* "http://127.0.0.1:<port>" */
static char *chain_default, *chain_alt1, *chain_alt2;

/* ------------------------------------------------------------------ */
/* The stub CA (runs in the child).                                    */

struct req {
    char method[8];
    char path[256];
    char accept[128];
    char ctype[128];
    char *body;
    size_t body_len;
};

struct reply {
    int status;
    const char *ctype;
    char *body;                     /* malloc'd or NULL */
    char headers[1024];
};

static unsigned nonce_next;
static unsigned char nonce_used[4096];
static int flaky_count, always_bad_count, authz1_polls, finalize1_calls;
static int authz3_polls;
static int order1_state;            /* 0 pending, 1 ready, 2 processing, 3 valid */

static void add_header(struct reply *r, const char *name, const char *value)
{
    size_t used = strlen(r->headers);

    snprintf(r->headers + used, sizeof(r->headers) - used, "%s: %s\r\n",
             name, value);
}

static void reply_json(struct reply *r, int status, json_t *j)
{
    r->status = status;
    r->ctype = "application/json";
    r->body = json_dumps(j, JSON_COMPACT);
    json_decref(j);
}

static void reply_problem(struct reply *r, int status, const char *type,
                          const char *detail, json_t *extra)
{
    char full[128];
    json_t *p;

    snprintf(full, sizeof(full), "urn:ietf:params:acme:error:%s", type);
    p = json_pack("{s:s, s:s, s:i}", "type", full, "detail", detail,
                  "status", status);
    if (extra)
        json_object_update(p, extra);
    json_decref(extra);
    reply_json(r, status, p);
    r->ctype = "application/problem+json";
}

static void url_of(char *out, size_t n, const char *path)
{
    snprintf(out, n, "%s%s", base, path);
}

static json_t *b64_json(const char *s)
{
    unsigned char *buf = NULL;
    size_t len = 0;
    json_t *j = NULL;
    json_error_t jerr;

    if (s && b64url_decode(s, &buf, &len) == 0 && len > 0)
        j = json_loadb((const char *)buf, len, 0, &jerr);
    free(buf);
    return j;
}

static char *chain_with_links(void)
{
    return strdup(chain_default);
}

static void route_get(const struct req *q, struct reply *r)
{
    char u[16][128];

    if (strcmp(q->path, "/dir-ari") == 0) {
        url_of(u[0], sizeof(u[0]), "/nonce");
        url_of(u[1], sizeof(u[1]), "/new-acct");
        url_of(u[2], sizeof(u[2]), "/new-order");
        url_of(u[3], sizeof(u[3]), "/ari/");
        reply_json(r, 200, json_pack("{s:s, s:s, s:s, s:s}", "newNonce", u[0],
                                     "newAccount", u[1], "newOrder", u[2],
                                     "renewalInfo", u[3]));
        return;
    }
    if (strcmp(q->path, "/ari/good.AQI") == 0) {
        add_header(r, "Retry-After", "30");
        reply_json(r, 200, json_pack("{s:{s:s, s:s}, s:s}", "suggestedWindow",
                                     "start", "2025-01-02T04:00:00Z",
                                     "end", "2025-01-03T05:00:00.123+01:00",
                                     "explanationURL", "https://ca.test/why"));
        return;
    }
    if (strcmp(q->path, "/ari/late.AQI") == 0) {
        add_header(r, "Retry-After", "9999999");
        reply_json(r, 200, json_pack("{s:{s:s, s:s}}", "suggestedWindow",
                                     "start", "2030-06-01T00:00:00-02:30",
                                     "end", "2030-06-02t00:00:00z"));
        return;
    }
    if (strcmp(q->path, "/ari/nowindow.AQI") == 0) {
        reply_json(r, 200, json_pack("{s:s}", "explanationURL", "x"));
        return;
    }
    if (strncmp(q->path, "/ari/", 5) == 0) {
        reply_problem(r, 404, "malformed", "unknown certificate", NULL);
        return;
    }
    if (strcmp(q->path, "/dir") == 0 || strcmp(q->path, "/dir-getnonce") == 0) {
        url_of(u[0], sizeof(u[0]), strcmp(q->path, "/dir") == 0 ? "/nonce"
                                                                : "/nonce-get");
        url_of(u[1], sizeof(u[1]), "/new-acct");
        url_of(u[2], sizeof(u[2]), "/new-order");
        url_of(u[3], sizeof(u[3]), "/revoke");
        reply_json(r, 200, json_pack("{s:s, s:s, s:s, s:s, s:{s:s, s:b}}",
                                     "newNonce", u[0], "newAccount", u[1],
                                     "newOrder", u[2], "revokeCert", u[3],
                                     "meta", "termsOfService",
                                     "https://ca.test/tos",
                                     "externalAccountRequired", 1));
        return;
    }
    if (strcmp(q->path, "/nonce-get") == 0 || strcmp(q->path, "/nonce") == 0) {
        r->status = strcmp(q->path, "/nonce") == 0 ? 200 : 204;
        return;
    }
    if (strcmp(q->path, "/big") == 0) {
        r->status = 200;
        r->ctype = "text/plain";
        r->body = calloc(1, 1001);
        memset(r->body, 'x', 1000);
        return;
    }
    if (strcmp(q->path, "/links") == 0) {
        r->status = 200;
        r->ctype = "text/plain";
        r->body = strdup("links");
        add_header(r, "Link", "<https://x.test/a>;rel=\"alternate\", "
                   "<https://x.test/up>;rel=up, "
                   "<https://x.test/b>; rel=\"index alternate\"");
        add_header(r, "link", "<https://x.test/c> ; rel=alternate");
        add_header(r, "Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT");
        return;
    }
    r->status = 404;
    r->ctype = "text/plain";
    r->body = strdup("not found");
}

static int nonce_ok(const char *nonce)
{
    unsigned k;

    if (!nonce || sscanf(nonce, "nonce-%u", &k) != 1 || k >= nonce_next ||
        k >= sizeof(nonce_used) || nonce_used[k])
        return 0;
    nonce_used[k] = 1;
    return 1;
}

static void route_post(const struct req *q, json_t *jws, json_t *prot,
                       json_t *payload, const char *payload_b64,
                       struct reply *r)
{
    const char *kid = json_string_value(json_object_get(prot, "kid"));
    const json_t *jwk = json_object_get(prot, "jwk");
    char u[4][160];
    char acct[160];

    (void)jws;
    url_of(acct, sizeof(acct), "/acct/1");
    if (strcmp(q->path, "/new-acct") == 0) {
        if (!jwk || kid) {
            reply_problem(r, 400, "malformed", "newAccount needs a jwk", NULL);
            return;
        }
        if (json_is_true(json_object_get(payload, "onlyReturnExisting"))) {
            reply_problem(r, 400, "accountDoesNotExist", "no such account", NULL);
            return;
        }
        add_header(r, "Location", acct);
        reply_json(r, 201, json_pack("{s:s, s:O}", "status", "valid", "echo",
                                     payload));
        return;
    }
    if (strcmp(q->path, "/acct/1") == 0) {
        if (!kid || strcmp(kid, acct) != 0) {
            reply_problem(r, 401, "unauthorized", "wrong kid", NULL);
            return;
        }
        reply_json(r, 200, json_pack("{s:s, s:O}", "status", "valid", "echo",
                                     payload ? payload : json_null()));
        return;
    }
    if (strcmp(q->path, "/flaky") == 0) {
        if (++flaky_count <= 2) {
            reply_problem(r, 400, "badNonce", "try again", NULL);
            return;
        }
        reply_json(r, 200, json_pack("{s:i}", "attempts", flaky_count));
        return;
    }
    if (strcmp(q->path, "/always-bad") == 0) {
        char detail[64];

        snprintf(detail, sizeof(detail), "attempt %d", ++always_bad_count);
        reply_problem(r, 400, "badNonce", detail, NULL);
        return;
    }
    if (strcmp(q->path, "/new-order") == 0) {
        url_of(u[0], sizeof(u[0]), "/authz/1");
        url_of(u[1], sizeof(u[1]), "/authz/2");
        url_of(u[2], sizeof(u[2]), "/finalize/1");
        url_of(u[3], sizeof(u[3]), "/order/1");
        add_header(r, "Location", u[3]);
        reply_json(r, 201, json_pack("{s:s, s:[s,s], s:s, s:O}", "status",
                                     "pending", "authorizations", u[0], u[1],
                                     "finalize", u[2], "echo", payload));
        return;
    }
    if (strcmp(q->path, "/new-order-sub") == 0) {
        json_t *subs = json_pack(
            "{s:[{s:s, s:s, s:{s:s, s:s}}, {s:s, s:s, s:{s:s, s:s}}]}",
            "subproblems",
            "type", "urn:ietf:params:acme:error:rejectedIdentifier", "detail",
            "forbidden name", "identifier", "type", "dns", "value", "a.test",
            "type", "urn:ietf:params:acme:error:malformed", "detail",
            "bad\nname", "identifier", "type", "ip", "value", "10.0.0.1");
        reply_problem(r, 400, "rejectedIdentifier",
                      "Error creating new order", subs);
        return;
    }
    if (strcmp(q->path, "/authz/1") == 0 || strcmp(q->path, "/authz/2") == 0) {
        int first = q->path[7] == '1';

        if (payload_b64[0] != '\0') {
            reply_problem(r, 400, "malformed", "POST-as-GET expected", NULL);
            return;
        }
        url_of(u[0], sizeof(u[0]), "/chall/1");
        if (first) {
            authz1_polls++;
            add_header(r, "Retry-After", "1");
            reply_json(r, 200, json_pack(
                "{s:s, s:{s:s, s:s}, s:[{s:s, s:s, s:s, s:s}, {s:s, s:s, s:s, s:s}],"
                " s:i}",
                "status", authz1_polls <= 2 ? "pending" : "valid",
                "identifier", "type", "dns", "value", "a.test",
                "challenges",
                "type", "http-01", "url", u[0], "token", "tok-http",
                "status", "pending",
                "type", "dns-01", "url", u[0], "token", "tok-dns",
                "status", "pending",
                "polls", authz1_polls));
        } else {
            reply_json(r, 200, json_pack(
                "{s:s, s:{s:s, s:s}, s:b, s:[{s:s, s:s, s:s, s:s, s:{s:s, s:s}}]}",
                "status", "invalid", "identifier", "type", "dns", "value",
                "b.test", "wildcard", 1, "challenges",
                "type", "dns-01", "url", u[0], "token", "tok-2",
                "status", "invalid", "error",
                "type", "urn:ietf:params:acme:error:dns", "detail",
                "no TXT record"));
        }
        return;
    }
    if (strcmp(q->path, "/authz/3") == 0) {
        authz3_polls++;
        add_header(r, "Retry-After", "1");
        reply_json(r, 200, json_pack("{s:s, s:{s:s, s:s}, s:[], s:i}",
                                     "status", authz3_polls <= 1 ? "pending"
                                                                 : "valid",
                                     "identifier", "type", "ip", "value",
                                     "10.0.0.1", "challenges", "polls",
                                     authz3_polls));
        return;
    }
    if (strcmp(q->path, "/chall/1") == 0) {
        if (!payload || json_object_size(payload) != 0) {
            reply_problem(r, 400, "malformed", "challenge answer must be {}", NULL);
            return;
        }
        reply_json(r, 200, json_pack("{s:s}", "status", "processing"));
        return;
    }
    if (strncmp(q->path, "/finalize/", 10) == 0) {
        char which = q->path[10];
        const char *csr = json_string_value(json_object_get(payload, "csr"));

        url_of(u[0], sizeof(u[0]), which == '1' ? "/finalize/1" : "/finalize/2");
        if (!csr) {
            reply_problem(r, 400, "malformed", "no csr", NULL);
            return;
        }
        if (which == '1' && ++finalize1_calls == 1) {
            order1_state = 1;
            reply_problem(r, 403, "orderNotReady", "not yet", NULL);
            return;
        }
        if (which == '3') {
            reply_json(r, 200, json_pack("{s:s, s:s, s:{s:s, s:s}}", "status",
                                         "invalid", "finalize", u[0], "error",
                                         "type",
                                         "urn:ietf:params:acme:error:badCSR",
                                         "detail", "CSR rejected"));
            return;
        }
        if (which == '1')
            order1_state = 2;
        add_header(r, "Retry-After", "1");
        reply_json(r, 200, json_pack("{s:s, s:s, s:i}", "status", "processing",
                                     "finalize", u[0], "finalize_calls",
                                     finalize1_calls));
        return;
    }
    if (strcmp(q->path, "/order/1") == 0 || strcmp(q->path, "/order/2") == 0) {
        static const char *states[] = { "pending", "ready", "processing", "valid" };
        int one = q->path[7] == '1';
        json_t *o;

        url_of(u[0], sizeof(u[0]), one ? "/finalize/1" : "/finalize/2");
        url_of(u[1], sizeof(u[1]), "/cert/1");
        if (!one) {
            reply_json(r, 200, json_pack("{s:s, s:s}", "status", "processing",
                                         "finalize", u[0]));
            return;
        }
        o = json_pack("{s:s, s:s, s:i}", "status", states[order1_state],
                      "finalize", u[0], "finalize_calls", finalize1_calls);
        if (order1_state == 3)
            json_object_set_new(o, "certificate", json_string(u[1]));
        if (order1_state == 2)
            order1_state = 3;
        reply_json(r, 200, o);
        return;
    }
    if (strncmp(q->path, "/cert/1", 7) == 0) {
        if (strcmp(q->accept, "application/pem-certificate-chain") != 0) {
            reply_problem(r, 406, "malformed", "bad Accept", NULL);
            return;
        }
        r->status = 200;
        r->ctype = "application/pem-certificate-chain";
        if (strcmp(q->path, "/cert/1/alt1") == 0) {
            r->body = strdup(chain_alt1);
        } else if (strcmp(q->path, "/cert/1/alt2") == 0) {
            r->body = strdup(chain_alt2);
        } else {
            url_of(u[0], sizeof(u[0]), "/cert/1/alt1");
            url_of(u[1], sizeof(u[1]), "/cert/1/alt2");
            url_of(u[2], sizeof(u[2]), "/dir");
            char line[400];

            snprintf(line, sizeof(line), "<%s>;rel=\"alternate\", <%s>;rel=\"index\"",
                     u[0], u[2]);
            add_header(r, "Link", line);
            snprintf(line, sizeof(line), "<%s>; rel=\"alternate\"", u[1]);
            add_header(r, "Link", line);
            r->body = chain_with_links();
        }
        return;
    }
    if (strcmp(q->path, "/revoke") == 0) {
        json_int_t reason = json_integer_value(json_object_get(payload, "reason"));
        const char *cert = json_string_value(json_object_get(payload, "certificate"));

        if (cert && ((reason == 4 && jwk && !kid) || (reason == 1 && kid && !jwk))) {
            r->status = 200;
            return;
        }
        reply_problem(r, 400, "malformed", "unexpected revocation request", NULL);
        return;
    }
    if (strcmp(q->path, "/html-error") == 0) {
        r->status = 500;
        r->ctype = "text/html";
        r->body = strdup("<html>oops</html>");
        return;
    }
    reply_problem(r, 404, "malformed", "no such resource", NULL);
}

static void handle(const struct req *q, struct reply *r)
{
    json_error_t jerr;
    json_t *jws = NULL, *prot = NULL, *payload = NULL;
    const char *payload_b64;
    char full[400];

    if (strcmp(q->method, "GET") == 0 || strcmp(q->method, "HEAD") == 0) {
        if (strcmp(q->method, "HEAD") == 0 && strcmp(q->path, "/nonce-get") == 0) {
            r->status = 405;
            return;
        }
        route_get(q, r);
        return;
    }
    if (strcmp(q->ctype, "application/jose+json") != 0) {
        reply_problem(r, 415, "malformed", "Content-Type must be jose+json", NULL);
        return;
    }
    jws = json_loadb(q->body, q->body_len, 0, &jerr);
    prot = b64_json(json_string_value(json_object_get(jws, "protected")));
    payload_b64 = json_string_value(json_object_get(jws, "payload"));
    if (!prot || !payload_b64) {
        reply_problem(r, 400, "malformed", "not a JWS", NULL);
        goto out;
    }
    payload = b64_json(payload_b64);
    snprintf(full, sizeof(full), "%s%s", base, q->path);
    if (!json_string_value(json_object_get(prot, "url")) ||
        strcmp(json_string_value(json_object_get(prot, "url")), full) != 0) {
        reply_problem(r, 401, "unauthorized", "url mismatch", NULL);
        goto out;
    }
    /* /flaky and /always-bad judge nonces themselves. */
    if (strcmp(q->path, "/flaky") != 0 && strcmp(q->path, "/always-bad") != 0 &&
        !nonce_ok(json_string_value(json_object_get(prot, "nonce")))) {
        reply_problem(r, 400, "badNonce", "stale or unknown nonce", NULL);
        goto out;
    }
    route_post(q, jws, prot, payload, payload_b64, r);
out:
    json_decref(payload);
    json_decref(prot);
    json_decref(jws);
}

static void header_value(const char *hdrs, const char *name, char *out,
                         size_t n)
{
    const char *p = hdrs;
    size_t nl = strlen(name);

    out[0] = '\0';
    for (p = strstr(p, "\r\n"); p; p = strstr(p, "\r\n")) {
        p += 2;
        if (strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
            const char *v = p + nl + 1, *e;

            while (*v == ' ')
                v++;
            e = strstr(v, "\r\n");
            snprintf(out, n, "%.*s", (int)(e ? e - v : (long)strlen(v)), v);
            return;
        }
    }
}

static void serve_one(int fd)
{
    char buf[65536], cl[32], *end;
    size_t got = 0, hdr_len, want;
    struct req q;
    struct reply r;
    char *out = NULL;
    int n;

    memset(&q, 0, sizeof(q));
    memset(&r, 0, sizeof(r));
    for (;;) {
        ssize_t k = read(fd, buf + got, sizeof(buf) - 1 - got);

        if (k <= 0)
            return;
        got += (size_t)k;
        buf[got] = '\0';
        end = strstr(buf, "\r\n\r\n");
        if (end)
            break;
    }
    hdr_len = (size_t)(end - buf) + 4;
    end[2] = '\0';
    sscanf(buf, "%7s %255s", q.method, q.path);
    header_value(buf, "Accept", q.accept, sizeof(q.accept));
    header_value(buf, "Content-Type", q.ctype, sizeof(q.ctype));
    header_value(buf, "Content-Length", cl, sizeof(cl));
    want = (size_t)atol(cl);
    while (got - hdr_len < want && got < sizeof(buf) - 1) {
        ssize_t k = read(fd, buf + got, sizeof(buf) - 1 - got);

        if (k <= 0)
            break;
        got += (size_t)k;
    }
    buf[got] = '\0';
    q.body = buf + hdr_len;
    q.body_len = got - hdr_len;

    handle(&q, &r);
    /* Every response carries a fresh nonce (RFC 8555 7.2). */
    n = asprintf(&out,
                 "HTTP/1.1 %d X\r\nReplay-Nonce: nonce-%u\r\n"
                 "Content-Type: %s\r\nContent-Length: %zu\r\n"
                 "Connection: close\r\n%s\r\n%s",
                 r.status, nonce_next++, r.ctype ? r.ctype : "text/plain",
                 r.body ? strlen(r.body) : 0, r.headers,
                 strcmp(q.method, "HEAD") == 0 || !r.body ? "" : r.body);
    if (n > 0 && write(fd, out, (size_t)n) < 0)
        perror("stub write");
    free(out);
    free(r.body);
}

static pid_t stub_start(void)
{
    struct sockaddr_in sa;
    socklen_t sl = sizeof(sa);
    int lfd = socket(AF_INET, SOCK_STREAM, 0);
    pid_t pid;

    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
        listen(lfd, 16) < 0 || getsockname(lfd, (struct sockaddr *)&sa, &sl) < 0)
        return -1;
    snprintf(base, sizeof(base), "http://127.0.0.1:%d", ntohs(sa.sin_port));
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        alarm(120); /* never outlive a crashed parent for long */
        for (;;) {
            int fd = accept(lfd, NULL, NULL);

            if (fd < 0)
                continue;
            serve_one(fd);
            close(fd);
        }
    }
    close(lfd);
    return pid;
}

/* ------------------------------------------------------------------ */
/* The tests (parent).                                                 */

static char *make_chain(EVP_PKEY *leaf, EVP_PKEY *ik, const char *int_cn,
                        const char *root_cn)
{
    static const char *dns[] = { "a.test", NULL };
    struct certgen g = { .key = leaf, .cn = "a.test", .issuer_key = ik,
                         .issuer_cn = int_cn, .serial_hex = "10",
                         .not_before = 1700000000, .not_after = 1800000000,
                         .dns = dns };
    char *a = certgen_pem(&g), *b, *out = NULL;

    g.key = ik;
    g.cn = int_cn;
    g.issuer_cn = root_cn;
    g.dns = NULL;
    g.serial_hex = "11";
    b = certgen_pem(&g);
    if (asprintf(&out, "%s%s", a, b) < 0)
        out = NULL;
    free(a);
    free(b);
    return out;
}

static void test_http(struct http_client *http)
{
    struct http_opts small = { .verify_ssl = 1, .max_body = 100 };
    struct http_client *h2 = NULL;
    struct http_resp resp = { 0 };
    struct strvec links = { 0 };
    struct cb_err err = { 0 };
    char url[128];
    int rc;

    snprintf(url, sizeof(url), "%s/links", base);
    rc = http_request(http, "GET", url, NULL, NULL, 0, &resp, &err);
    is_int(rc, 0, "GET /links");
    is_int(resp.status, 200, "status 200");
    is_str(http_resp_header(&resp, "content-type"), "text/plain",
           "header lookup is case-insensitive");
    http_resp_links(&resp, "alternate", &links);
    is_int(links.n, 3, "three rel=alternate links over two header lines");
    if (links.n == 3) {
        is_str(links.v[0], "https://x.test/a", "quoted rel");
        is_str(links.v[1], "https://x.test/b", "rel list with several values");
        is_str(links.v[2], "https://x.test/c", "unquoted rel, lowercase header");
    }
    strvec_clear(&links);
    http_resp_links(&resp, "up", &links);
    is_int(links.n, 1, "rel=up found separately");
    strvec_clear(&links);
    is_int(http_resp_retry_after(&resp, 7), 0, "Retry-After date in the past is 0");
    http_resp_free(&resp);

    snprintf(url, sizeof(url), "%s/big", base);
    http_client_new(&small, &h2, &err);
    rc = http_request(h2, "GET", url, NULL, NULL, 0, &resp, &err);
    is_int(rc, CB_ERR_NET, "body over the cap fails");
    ok(strstr(cb_err_msg(&err), "larger than 100 bytes") != NULL,
       "cap message names the limit");
    ok(resp.body == NULL, "no body left on failure");
    http_client_free(h2);

    /* Retry-After forms on a hand-made response. */
    {
        struct http_resp r = { 0 };
        char date[64];
        time_t later = time(NULL) + 120;
        long got;

        strvec_push(&r.headers, "Retry-After: 42");
        is_int(http_resp_retry_after(&r, 3), 42, "Retry-After delta-seconds");
        strvec_clear(&r.headers);
        strftime(date, sizeof(date), "Retry-After: %a, %d %b %Y %H:%M:%S GMT",
                 gmtime(&later));
        strvec_push(&r.headers, date);
        got = http_resp_retry_after(&r, 3);
        ok(got >= 118 && got <= 120, "Retry-After HTTP-date");
        strvec_clear(&r.headers);
        strvec_push(&r.headers, "Retry-After: soon");
        is_int(http_resp_retry_after(&r, 3), 3, "unparsable Retry-After uses default");
        strvec_clear(&r.headers);
        is_int(http_resp_retry_after(&r, 5), 5, "absent Retry-After uses default");
    }
}

static void test_nonces(struct acme_client *c)
{
    struct acme_post_opts o = { .context = "Flaky" };
    struct http_resp resp;
    struct cb_err err = { 0 };
    json_t *body = NULL;
    char url[128];
    int rc;

    snprintf(url, sizeof(url), "%s/flaky", base);
    rc = acme_post(c, url, "{}", &o, &resp, &body, &err);
    is_int(rc, 0, "badNonce twice, then success");
    is_int(json_integer_value(json_object_get(body, "attempts")), 3,
           "retried with fresh nonces");
    json_decref(body);
    http_resp_free(&resp);

    snprintf(url, sizeof(url), "%s/always-bad", base);
    o.context = "Always bad";
    rc = acme_post(c, url, "{}", &o, &resp, NULL, &err);
    is_int(rc, CB_ERR_ACME, "endless badNonce gives up");
    is_str(cb_err_msg(&err), "Always bad: badNonce :: attempt 6",
           "one try plus five retries");
    is_str(acme_last_problem_type(c), "urn:ietf:params:acme:error:badNonce",
           "raw problem kept");
}

static void test_problems(struct acme_client *c)
{
    struct acme_post_opts o = { .context = "Broken" };
    const char *dns[] = { "a.test", NULL };
    const char *ips[] = { "10.0.0.1", NULL };
    struct acme_order order = { 0 };
    struct http_resp resp;
    struct cb_err err = { 0 };
    char url[128];
    const json_t *p;
    int rc;

    snprintf(url, sizeof(url), "%s/html-error", base);
    rc = acme_post(c, url, NULL, &o, &resp, NULL, &err);
    is_int(rc, CB_ERR_ACME, "non-JSON error status is CB_ERR_ACME");
    ok(strstr(cb_err_msg(&err), "Broken: HTTP 500 from ") == cb_err_msg(&err),
       "non-JSON error names status and URL");

    /* Point newOrder at the subproblem route for one call. */
    cb_err_reset(&err);
    snprintf(url, sizeof(url), "%s/new-order-sub", base);
    json_object_set_new(c->dir, "newOrder", json_string(url));
    rc = acme_order_new(c, dns, ips, NULL, NULL, &order, &err);
    is_int(rc, CB_ERR_ACME, "rejected order is CB_ERR_ACME");
    is_str(cb_err_msg(&err),
           "Unable to create order: rejectedIdentifier :: Error creating new "
           "order [a.test: rejectedIdentifier :: forbidden name; 10.0.0.1: "
           "malformed :: bad name]",
           "problem with subproblems is one line naming identifiers");
    p = acme_last_problem(c);
    is_int(json_array_size(json_object_get(p, "subproblems")), 2,
           "raw problem keeps subproblems");
    snprintf(url, sizeof(url), "%s/new-order", base);
    json_object_set_new(c->dir, "newOrder", json_string(url));
}

static void test_account(struct acme_client *c, EVP_PKEY *key)
{
    const char *contacts[] = { "a@x.test", "b@x.test", NULL };
    struct acme_account_req req = { .contacts = contacts, .tos_agreed = 1,
                                     .eab_kid = "kid-1",
                                     .eab_hmac_key = "c2VjcmV0",
                                     .eab_alg = "HS512" };
    struct acme_account_req existing = { .only_return_existing = 1 };
    struct cb_err err = { 0 };
    json_t *body = NULL, *echo;
    char *url = NULL, want[128];
    int rc;

    acme_client_set_key(c, key, NULL);
    is_str(acme_terms_of_service(c), "https://ca.test/tos", "terms of service");
    ok(json_is_object(acme_directory_meta(c)), "directory meta object");
    is_int(acme_eab_required(c), 1, "externalAccountRequired");
    rc = acme_account_new(c, &existing, &url, NULL, &err);
    is_int(rc, CB_ERR_ACME, "onlyReturnExisting without account fails");
    is_str(acme_last_problem_type(c),
           "urn:ietf:params:acme:error:accountDoesNotExist", "accountDoesNotExist");
    ok(acme_client_kid(c) == NULL, "no kid after failure");

    cb_err_reset(&err);
    rc = acme_account_new(c, &req, &url, &body, &err);
    is_int(rc, 0, "newAccount");
    snprintf(want, sizeof(want), "%s/acct/1", base);
    is_str(url, want, "account URL from Location");
    is_str(acme_client_kid(c), want, "kid set");
    echo = json_object_get(body, "echo");
    ok(json_is_true(json_object_get(echo, "termsOfServiceAgreed")),
       "termsOfServiceAgreed sent");
    is_str(json_string_value(json_array_get(json_object_get(echo, "contact"), 1)),
           "mailto:b@x.test", "contacts as mailto: URIs in order");
    ok(json_object_get(echo, "onlyReturnExisting") == NULL,
       "no onlyReturnExisting unless asked");
    {
        json_t *eab = json_object_get(echo, "externalAccountBinding");
        json_t *prot = b64_json(json_string_value(json_object_get(eab, "protected")));
        char nacct[128];

        snprintf(nacct, sizeof(nacct), "%s/new-acct", base);
        is_str(json_string_value(json_object_get(prot, "alg")), "HS512",
               "A-053 EAB alg HS512");
        is_str(json_string_value(json_object_get(prot, "url")), nacct,
               "EAB url is newAccount");
        json_decref(prot);
    }
    json_decref(body);
    body = NULL;
    free(url);

    rc = acme_account_update(c, NULL, &body, &err);
    is_int(rc, 0, "update with no contacts");
    echo = json_object_get(body, "echo");
    ok(json_is_array(json_object_get(echo, "contact")) &&
           json_array_size(json_object_get(echo, "contact")) == 0,
       "A-044 empty contact list clears contacts");
    json_decref(body);
    rc = acme_account_deactivate(c, &err);
    is_int(rc, 0, "deactivate posts to the kid");
}

static void test_order_flow(struct acme_client *c)
{
    const char *dns[] = { "a.test", "b.test", NULL };
    const char *ips[] = { "10.0.0.1", NULL };
    static const unsigned char csr[] = { 0x30, 0x03, 0x02, 0x01, 0x00 };
    struct acme_order order = { 0 }, stuck = { 0 };
    struct acme_authz az = { 0 };
    struct cb_err err = { 0 };
    const json_t *idents;
    char *pem = NULL, url[128], *ka;
    int rc, matched = -1;
    double t0;

    rc = acme_order_new(c, dns, ips, "shortlived", "aaa.bbb", &order, &err);
    is_int(rc, 0, "newOrder");
    if (rc < 0)
        printf("# %s\n", cb_err_msg(&err));
    idents = json_object_get(json_object_get(order.json, "echo"), "identifiers");
    is_int(json_array_size(idents), 3, "three identifiers");
    is_str(json_string_value(json_object_get(json_array_get(idents, 1), "value")),
           "b.test", "DNS identifiers in order");
    is_str(json_string_value(json_object_get(json_array_get(idents, 2), "type")),
           "ip", "IP identifier typed ip");
    is_str(json_string_value(json_object_get(json_object_get(order.json, "echo"),
                                             "profile")),
           "shortlived", "profile sent");
    is_str(json_string_value(json_object_get(json_object_get(order.json, "echo"),
                                             "replaces")),
           "aaa.bbb", "replaces sent");
    snprintf(url, sizeof(url), "%s/order/1", base);
    is_str(order.url, url, "order URL from Location");
    is_int(order.authorizations.n, 2, "authorizations listed");

    rc = acme_authz_get(c, order.authorizations.v[1], &az, &err);
    is_int(rc, 0, "authz 2 fetched");
    is_str(az.status, "invalid", "authz 2 invalid");
    is_int(az.wildcard, 1, "wildcard flag");
    is_str(az.ident_value, "b.test", "identifier value");
    ok(az.n_challenges == 1 && az.challenges[0].error &&
           strcmp(json_string_value(json_object_get(az.challenges[0].error,
                                                    "detail")),
                  "no TXT record") == 0,
       "challenge error document kept");
    acme_authz_free(&az);

    rc = acme_authz_get(c, order.authorizations.v[0], &az, &err);
    is_int(az.n_challenges, 2, "two challenges");
    is_str(az.challenges[0].token, "tok-http", "token");
    rc = acme_challenge_answer(c, az.challenges[0].url, &err);
    is_int(rc, 0, "challenge answered with {}");
    ka = acme_key_authorization(c, "tok-http");
    ok(ka && strncmp(ka, "tok-http.", 9) == 0 && strlen(ka) == 9 + 43,
       "key authorization is token.thumbprint");
    free(ka);
    acme_authz_free(&az);

    t0 = acme_now();
    rc = acme_authz_poll(c, order.authorizations.v[0], 10, &az, &err);
    is_int(rc, 0, "authz polled");
    is_str(az.status, "valid", "authz valid after polling");
    is_int(json_integer_value(json_object_get(az.json, "polls")), 3,
           "polled until no longer pending (fetch 1 by get, 2 and 3 by poll)");
    /* no fixed first second any more: 5 ms back-off, then the
     * server's Retry-After (1 s) */
    ok(acme_now() - t0 >= 1.0 && acme_now() - t0 < 1.9,
       "waited 5 ms first (no fixed second), then Retry-After 1 s");
    ok(acme_backoff(0, 3.0) == 0.005 && acme_backoff(1, 3.0) == 0.01 &&
           acme_backoff(9, 3.0) == 0.005 * 512 &&
           acme_backoff(10, 3.0) == 3.0 && acme_backoff(40, 1.0) == 1.0,
       "back-off without Retry-After: 5 ms doubling up to the cap");
    acme_authz_free(&az);

    {
        struct acme_authz many[2];
        char u3[128];
        const char *urls[2] = { u3, order.authorizations.v[1] };

        snprintf(u3, sizeof(u3), "%s/authz/3", base);
        t0 = acme_now();
        rc = acme_authz_poll_many(c, urls, 2, 5, many, &err);
        is_int(rc, 0, "poll_many");
        is_str(many[0].status, "valid", "poll_many: pending one became valid");
        is_int(json_integer_value(json_object_get(many[0].json, "polls")), 2,
               "poll_many: polled twice");
        is_str(many[1].status, "invalid", "poll_many: settled one kept");
        is_str(many[0].ident_type, "ip", "IP identifier type");
        ok(acme_now() - t0 >= 1.0 && acme_now() - t0 < 1.9,
           "poll_many: 50 ms, then one Retry-After for the whole round");
        acme_authz_free(&many[0]);
        acme_authz_free(&many[1]);
    }

    t0 = acme_now();
    rc = acme_order_finalize(c, &order, csr, sizeof(csr), 30, &err);
    is_int(rc, 0, "finalize through orderNotReady");
    if (rc < 0)
        printf("# %s\n", cb_err_msg(&err));
    is_str(order.status, "valid", "order valid");
    is_int(json_integer_value(json_object_get(order.json, "finalize_calls")), 2,
           "finalize retried once the order was ready");
    ok(order.certificate != NULL, "certificate URL");

    rc = acme_certificate_get(c, &order, NULL, &pem, &matched, &err);
    is_int(rc, 0, "download default chain");
    is_str(pem, chain_default, "default chain without preference");
    is_int(matched, 0, "no preference, no match");
    free(pem);
    rc = acme_certificate_get(c, &order, "Root C", &pem, &matched, &err);
    is_int(rc, 0, "download with preferred chain");
    is_str(pem, chain_alt2, "A-081 second alternate chosen by topmost issuer CN");
    is_int(matched, 1, "matched");
    free(pem);
    rc = acme_certificate_get(c, &order, "Root A", &pem, &matched, &err);
    is_str(pem, chain_default, "default chain wins when it matches");
    is_int(matched, 1, "default matched");
    free(pem);
    rc = acme_certificate_get(c, &order, "Int B", &pem, &matched, &err);
    is_str(pem, chain_default, "A-081 intermediate CN is not the topmost issuer");
    is_int(matched, 0, "no chain matched");
    free(pem);

    /* an order stuck in processing times out. */
    snprintf(url, sizeof(url), "%s/order/2", base);
    stuck.url = strdup(url);
    snprintf(url, sizeof(url), "%s/finalize/2", base);
    stuck.finalize = strdup(url);
    stuck.status = strdup("ready");
    t0 = acme_now();
    cb_err_reset(&err);
    rc = acme_order_finalize(c, &stuck, csr, sizeof(csr), 2, &err);
    is_int(rc, CB_ERR_TIMEOUT, "A-085 stuck order times out");
    is_str(cb_err_msg(&err),
           "Timed out waiting for the order to be issued after 2 seconds",
           "A-085 timeout message");
    ok(acme_now() - t0 >= 1.9 && acme_now() - t0 < 4, "timeout honoured");

    /* An invalid order reports the CA's error. */
    free(stuck.finalize);
    snprintf(url, sizeof(url), "%s/finalize/3", base);
    stuck.finalize = strdup(url);
    free(stuck.status);
    stuck.status = strdup("ready");
    cb_err_reset(&err);
    rc = acme_order_finalize(c, &stuck, csr, sizeof(csr), 5, &err);
    is_int(rc, CB_ERR_ACME, "invalid order fails");
    is_str(cb_err_msg(&err),
           "The certificate order failed: badCSR :: CSR rejected",
           "order error document reported");
    acme_order_free(&stuck);
    acme_order_free(&order);
}

static void test_revoke(struct acme_client *c)
{
    static const unsigned char der[] = { 0x30, 0x00 };
    struct cb_err err = { 0 };

    is_int(acme_revoke(c, der, sizeof(der), 4, 1, &err), 0,
           "revoke signed with jwk (certificate key)");
    is_int(acme_revoke(c, der, sizeof(der), 1, 0, &err), 0,
           "revoke signed with kid (account)");
    is_int(acme_revoke(c, der, sizeof(der), 4, 0, &err), CB_ERR_ACME,
           "stub refuses the mismatched request (check is not vacuous)");
}

static void test_ari_cert_id(void)
{
    /* RFC 9773 appendix A example values. */
    static const unsigned char akid[] = {
        0x69, 0x88, 0x5B, 0x6B, 0x87, 0x46, 0x40, 0x41, 0xE1, 0xB3,
        0x7B, 0x84, 0x7B, 0xA0, 0xAE, 0x2C, 0xDE, 0x01, 0xC8, 0xD4,
    };
    struct cb_err err = { 0 };
    EVP_PKEY *k = NULL;
    struct certgen g = { .cn = "ari.test", .issuer_cn = "CA",
                         .serial_hex = "87654321", .not_before = 1700000000,
                         .not_after = 1800000000, .akid = akid,
                         .akid_len = sizeof(akid) };
    char *pem, *id = NULL;

    key_generate("ecdsa", 0, NULL, &k, &err);
    g.key = k;
    pem = certgen_pem(&g);
    is_int(acme_ari_cert_id(pem, strlen(pem), &id, &err), 0, "ARI cert id");
    is_str(id, "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE",
           "RFC 9773 example: serial with top bit set gets a 0x00 octet");
    free(id);
    free(pem);
    g.serial_hex = "0102";
    pem = certgen_pem(&g);
    acme_ari_cert_id(pem, strlen(pem), &id, &err);
    is_str(id, "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AQI", "small serial, no padding");
    free(id);
    free(pem);
    g.akid = NULL;
    pem = certgen_pem(&g);
    is_int(acme_ari_cert_id(pem, strlen(pem), &id, &err), CB_ERR_NOT_SUPPORTED,
           "no AKI: not supported");
    free(pem);
    EVP_PKEY_free(k);
}

static void test_ari(struct http_client *http, struct acme_client *plain)
{
    static const char *ids[] = { "good.AQI", "gone.AQI", "nowindow.AQI",
                                 "late.AQI" };
    struct acme_renewal_info ri[4];
    struct cb_err errs[4];
    int rcs[4];
    struct acme_client *c = NULL;
    struct cb_err err = { 0 };
    char url[128];
    int rc;

    rc = acme_renewal_info_get(plain, "good.AQI", &ri[0], &err);
    is_int(rc, CB_ERR_NOT_SUPPORTED, "no renewalInfo in the directory");
    snprintf(url, sizeof(url), "%s/dir-ari", base);
    rc = acme_client_new(http, url, &c, &err);
    is_int(rc, 0, "ARI directory");
    if (rc < 0)
        return;
    cb_err_reset(&err);
    rc = acme_renewal_info_get(c, "good.AQI", &ri[0], &err);
    is_int(rc, 0, "renewalInfo fetched");
    is_int(ri[0].window_start, 1735790400, "window start (Z)");
    is_int(ri[0].window_end, 1735876800, "window end (+01:00, fraction)");
    is_str(ri[0].explanation_url, "https://ca.test/why", "explanationURL");
    is_int(ri[0].retry_after, 60, "Retry-After 30 clamped up to 60 s");
    acme_renewal_info_free(&ri[0]);

    memset(errs, 0, sizeof(errs));
    rc = acme_renewal_info_get_many(c, ids, 4, ri, rcs, errs);
    is_int(rc, 0, "batch ran");
    is_int(rcs[0], 0, "batch: good");
    is_int(ri[0].window_start, 1735790400, "batch: good window");
    is_int(rcs[1], CB_ERR_ACME, "batch: unknown cert is a problem");
    is_str(cb_err_msg(&errs[1]),
           "Unable to fetch renewal information: malformed :: unknown "
           "certificate",
           "batch: problem message");
    is_int(rcs[2], CB_ERR_ACME, "batch: missing window refused");
    is_int(rcs[3], 0, "batch: late");
    is_int(ri[3].window_start, 1906511400, "window start with -02:30 offset");
    is_int(ri[3].window_end, 1906588800, "lowercase t and z accepted");
    is_int(ri[3].retry_after, 86400, "huge Retry-After clamped to a day");
    for (int i = 0; i < 4; i++)
        acme_renewal_info_free(&ri[i]);
    acme_client_free(c);
}

static void test_get_nonce_fallback(struct http_client *http, EVP_PKEY *key)
{
    struct acme_client *c = NULL;
    struct cb_err err = { 0 };
    char url[128];
    int rc;

    snprintf(url, sizeof(url), "%s/dir-getnonce", base);
    rc = acme_client_new(http, url, &c, &err);
    is_int(rc, 0, "second directory");
    acme_client_set_key(c, key, NULL);
    rc = acme_account_new(c, &(struct acme_account_req){ .tos_agreed = 1 },
                          NULL, NULL, &err);
    is_int(rc, 0, "nonce via GET when HEAD is refused");
    acme_client_free(c);
}

int main(void)
{
    struct http_opts ho = { .verify_ssl = 1 };
    struct http_client *http = NULL;
    struct acme_client *c = NULL;
    struct cb_err err = { 0 };
    EVP_PKEY *akey = NULL, *leaf = NULL, *ia = NULL, *ib = NULL, *ic = NULL;
    char url[128];
    pid_t stub;
    int rc;

    key_generate("ecdsa", 0, "secp256r1", &akey, &err);
    key_generate("ecdsa", 0, "secp256r1", &leaf, &err);
    key_generate("ecdsa", 0, "secp256r1", &ia, &err);
    key_generate("ecdsa", 0, "secp256r1", &ib, &err);
    key_generate("ecdsa", 0, "secp256r1", &ic, &err);
    chain_default = make_chain(leaf, ia, "Int A", "Root A");
    chain_alt1 = make_chain(leaf, ib, "Int B", "Root B");
    chain_alt2 = make_chain(leaf, ic, "Int C", "Root C");

    stub = stub_start();
    ok(stub > 0, "stub CA started");
    http_client_new(&ho, &http, &err);
    snprintf(url, sizeof(url), "%s/dir", base);
    rc = acme_client_new(http, url, &c, &err);
    is_int(rc, 0, "directory fetched");
    if (rc == 0) {
        is_str(acme_directory_url(c), url, "directory URL kept");
        test_http(http);
        test_account(c, akey);
        test_nonces(c);
        test_problems(c);
        test_order_flow(c);
        test_revoke(c);
        test_get_nonce_fallback(http, akey);
        test_ari_cert_id();
        test_ari(http, c);
    }
    acme_client_free(c);
    http_client_free(http);
    if (stub > 0) {
        kill(stub, SIGTERM);
        waitpid(stub, NULL, 0);
    }
    free(chain_default);
    free(chain_alt1);
    free(chain_alt2);
    EVP_PKEY_free(ic);
    EVP_PKEY_free(ib);
    EVP_PKEY_free(ia);
    EVP_PKEY_free(leaf);
    EVP_PKEY_free(akey);
    return done_testing();
}
