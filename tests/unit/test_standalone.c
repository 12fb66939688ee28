/* standalone.so against a fake host: the HTTP server it runs between
 * perform and cleanup (SPEC 5.2, A-238..A-241).  Loopback only; every
 * socket has a receive timeout so a server bug fails the test instead of
 * hanging it. */
#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <certbot/plugin.h>

#include "tap.h"

#define EXPECTED_DESC                                                         \
    "Runs an HTTP server locally which serves the necessary validation "     \
    "files under the /.well-known/acme-challenge/ request path. Suitable "   \
    "if there is no HTTP server already running. HTTP challenge only "       \
    "(wildcards not supported)."

/* ------------------------------------------------------------ fake host */

struct cb_handle {
    char port[16];
    char addr[64];
    char failed[1024];
    int yesno_calls;
};

static void fk_log(struct cb_handle *h, int level, const char *fmt, ...)
{
    (void)h;
    (void)level;
    (void)fmt;
}

static int fk_fail(struct cb_handle *h, int code, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(h->failed, sizeof(h->failed), fmt, ap);
    va_end(ap);
    return code;
}

static int fk_yesno(struct cb_handle *h, const char *q, int dflt, int *answer)
{
    (void)q;
    h->yesno_calls++;
    *answer = dflt > 0;
    return CB_OK;
}

static const char *fk_config(struct cb_handle *h, const char *dest)
{
    if (strcmp(dest, "http01_port") == 0)
        return h->port;
    if (strcmp(dest, "http01_address") == 0)
        return h->addr;
    return NULL;
}

static const struct cb_host fake_host = {
    .abi_major = CB_ABI_MAJOR,
    .abi_minor = CB_ABI_MINOR,
    .struct_size = sizeof(struct cb_host),
    .certbot_version = "test",
    .log = fk_log,
    .fail = fk_fail,
    .yesno = fk_yesno,
    .config = fk_config,
};

/* ------------------------------------------------------------ sockets */

static int free_port(void)
{
    struct sockaddr_in sa = {0};
    socklen_t len = sizeof(sa);
    int fd = socket(AF_INET, SOCK_STREAM, 0), port = -1;

    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
        getsockname(fd, (struct sockaddr *)&sa, &len) == 0)
        port = ntohs(sa.sin_port);
    if (fd >= 0)
        close(fd);
    return port;
}

static int connect_to(int family, int port)
{
    struct timeval tv = {.tv_sec = 5};
    struct sockaddr_storage ss = {0};
    socklen_t len;
    int fd = socket(family, SOCK_STREAM, 0);

    if (fd < 0)
        return -1;
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    if (family == AF_INET6) {
        struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

        s6->sin6_family = AF_INET6;
        s6->sin6_addr = in6addr_loopback;
        s6->sin6_port = htons((uint16_t)port);
        len = sizeof(*s6);
    } else {
        struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

        s4->sin_family = AF_INET;
        s4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        s4->sin_port = htons((uint16_t)port);
        len = sizeof(*s4);
    }
    if (connect(fd, (struct sockaddr *)&ss, len) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

struct reply {
    int status;
    char head[2048];
    char body[2048];
};

/* Send req, read to EOF, split status / headers / body.  0 on success. */
static int exchange(int fd, const char *req, size_t len, struct reply *rep)
{
    char buf[8192];
    size_t got = 0;
    char *sep;

    memset(rep, 0, sizeof(*rep));
    while (len > 0) {
        ssize_t n = send(fd, req, len, MSG_NOSIGNAL);

        if (n <= 0)
            break;
        req += n;
        len -= (size_t)n;
    }
    for (int i = 0; i < 1000 && got < sizeof(buf) - 1; i++) {
        ssize_t n = recv(fd, buf + got, sizeof(buf) - 1 - got, 0);

        if (n <= 0)
            break;
        got += (size_t)n;
    }
    buf[got] = '\0';
    close(fd);
    if (sscanf(buf, "HTTP/1.%*d %d", &rep->status) != 1)
        return -1;
    sep = strstr(buf, "\r\n\r\n");
    if (!sep)
        return -1;
    snprintf(rep->head, sizeof(rep->head), "%.*s", (int)(sep - buf), buf);
    snprintf(rep->body, sizeof(rep->body), "%s", sep + 4);
    return 0;
}

static int http(int family, int port, const char *req, struct reply *rep)
{
    int fd = connect_to(family, port);

    if (fd < 0)
        return -1;
    return exchange(fd, req, strlen(req), rep);
}

static int get(int port, const char *path, struct reply *rep)
{
    char req[512];

    snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: a.test\r\n\r\n",
             path);
    return http(AF_INET, port, req, rep);
}

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------ plugin */

static const struct cb_plugin_desc *load_standalone(void)
{
    const char *dir = getenv("CERTBOT_PLUGIN_PATH");
    char path[4096];
    void *h;

    snprintf(path, sizeof(path), "%s/standalone.so",
             dir ? dir : "tests/plugins");
    h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        printf("# dlopen %s: %s\n", path, dlerror());
        return NULL;
    }
    return dlsym(h, CB_PLUGIN_SYMBOL);
}

static struct cb_challenge chall(const char *ident, const char *token,
                                 const char *ka)
{
    struct cb_challenge c = {
        .struct_size = sizeof(struct cb_challenge),
        .type = CB_CHALL_HTTP01,
        .ident_type = CB_IDENT_DNS,
        .identifier = ident,
        .token = token,
        .key_authorization = ka,
        .validation = ka,
    };
    return c;
}

static void test_static(const struct cb_plugin_desc *d)
{
    const struct cb_authenticator *a = d->authenticator;
    uint32_t types[4];
    size_t n;

    is_str(d->name, "standalone", "name");
    is_str(d->description, EXPECTED_DESC, "description is Certbot 5.6's");
    ok(!(d->flags & CB_PLUGIN_HIDDEN), "not hidden");
    ok(d->options == NULL, "no options");
    ok(d->installer == NULL && d->dns == NULL, "authenticator only");
    n = 4;
    ok(a->get_chall_pref(NULL, "example.com", types, &n) == CB_OK && n == 1 &&
           types[0] == CB_CHALL_HTTP01, "chall pref: http-01 for a domain");
    n = 4;
    ok(a->get_chall_pref(NULL, "127.0.0.1", types, &n) == CB_OK && n == 1 &&
           types[0] == CB_CHALL_HTTP01, "chall pref: http-01 for an IP");
    n = 4;
    ok(a->get_chall_pref(NULL, "*.example.com", types, &n) == CB_OK &&
           n == 1 && types[0] == CB_CHALL_HTTP01,
       "chall pref: http-01 even for a wildcard (core reports the error)");
}

/* responses while serving. */
static void test_serving(int port)
{
    struct reply rep;

    ok(get(port, "/", &rep) == 0 && rep.status == 200, "GET / is 200");
    is_str(rep.body, "ACME client standalone challenge solver", "GET / body");
    ok(strstr(rep.head, "Content-Type: text/html") != NULL,
       "GET / is text/html");
    ok(get(port, "/.well-known/acme-challenge/tokA", &rep) == 0 &&
           rep.status == 200, "token A is 200");
    is_str(rep.body, "tokA.thumbprint", "token A body is its key authorization");
    ok(get(port, "/.well-known/acme-challenge/tokB", &rep) == 0 &&
           rep.status == 200, "token B is 200");
    is_str(rep.body, "tokB.thumbprint", "token B body");
    ok(get(port, "/.well-known/acme-challenge/nope", &rep) == 0 &&
           rep.status == 404, "unknown token is 404");
    is_str(rep.body, "404", "404 body");
    ok(get(port, "/other", &rep) == 0 && rep.status == 404,
       "unknown path is 404");
    is_str(rep.body, "404", "unknown path body");
    ok(http(AF_INET, port, "HEAD / HTTP/1.0\r\n\r\n", &rep) == 0 &&
           rep.status == 200 && rep.body[0] == '\0',
       "HEAD / is 200 without a body");
    ok(http(AF_INET, port, "GET / HTTP/1.0\n\n", &rep) == 0 &&
           rep.status == 200, "bare LF line endings accepted");
    ok(http(AF_INET, port, "POST / HTTP/1.0\r\n\r\n", &rep) == 0 &&
           rep.status == 501, "POST is not implemented");
    ok(http(AF_INET, port, "garbage\r\n\r\n", &rep) == 0 && rep.status == 400,
       "malformed request line is 400");
}

/* A client that sends half a request and stalls must not block others. */
static void test_slow_client(int port)
{
    struct reply rep;
    int slow[20];
    double t0;
    int nslow = 0;

    for (int i = 0; i < 20; i++) {
        slow[i] = connect_to(AF_INET, port);
        if (slow[i] >= 0) {
            send(slow[i], "GET / HT", 8, MSG_NOSIGNAL);
            nslow++;
        }
    }
    is_int(nslow, 20, "20 stalled clients connected");
    t0 = now_s();
    ok(get(port, "/.well-known/acme-challenge/tokA", &rep) == 0 &&
           rep.status == 200, "a second client is served meanwhile");
    ok(now_s() - t0 < 3.0, "... promptly");
    for (int i = 0; i < 20; i++)
        if (slow[i] >= 0)
            close(slow[i]);
}

static void test_garbage(int port)
{
    size_t len = 100 * 1024;
    char *junk = malloc(len);
    struct reply rep;
    int fd, r;

    memset(junk, 'A', len);
    fd = connect_to(AF_INET, port);
    ok(fd >= 0, "connect for 100 KB garbage");
    r = fd >= 0 ? exchange(fd, junk, len, &rep) : -1;
    ok(r == 0 && rep.status == 400, "100 KB garbage is refused with 400");
    free(junk);
    ok(get(port, "/", &rep) == 0 && rep.status == 200,
       "server still serves after garbage");
}

/* the port is taken (by our own first instance). */
static void test_in_use(const struct cb_plugin_desc *d, int port)
{
    struct cb_handle h2 = {0};
    struct cb_challenge c = chall("b.test", "tokC", "tokC.thumbprint");
    const struct cb_challenge *cp[] = {&c};
    char want[512];
    void *ctx = NULL;
    int r;

    snprintf(h2.port, sizeof(h2.port), "%d", port);
    snprintf(h2.addr, sizeof(h2.addr), "127.0.0.1");
    ok(d->create(&fake_host, &h2, &ctx) == CB_OK, "second instance created");
    r = d->authenticator->perform(ctx, cp, 1);
    ok(r < 0, "perform on a taken port fails");
    snprintf(want, sizeof(want),
             "Could not bind TCP port %d because it is already in use by "
             "another process on this system (such as a web server). Please "
             "stop the program in question and then try again.", port);
    is_str(h2.failed, want, "A-240: EADDRINUSE message");
    is_int(h2.yesno_calls, 1, "Retry/Cancel asked once; default Cancel");
    ok(d->authenticator->cleanup(ctx, cp, 1) == CB_OK,
       "cleanup after a failed perform");
    d->destroy(ctx);
}

/* binding a privileged port without privileges.  As root the
 * check runs in a child that drops to nobody first. */
static void test_eacces(const struct cb_plugin_desc *d)
{
    struct cb_challenge c = chall("c.test", "tokD", "tokD.thumbprint");
    const struct cb_challenge *cp[] = {&c};
    FILE *f = fopen("/proc/sys/net/ipv4/ip_unprivileged_port_start", "r");
    int start = 1024, fds[2], status = 0;
    char msg[1024] = "";
    pid_t pid;

    if (f) {
        if (fscanf(f, "%d", &start) != 1)
            start = 1024;
        fclose(f);
    }
    if (start <= 1 || pipe(fds) != 0) {
        printf("ok %d # SKIP no privileged ports here\n", ++tap_n);
        return;
    }
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        struct cb_handle h = {0};
        void *ctx = NULL;
        ssize_t w;

        close(fds[0]);
        if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
            _exit(3);
        snprintf(h.port, sizeof(h.port), "1");
        snprintf(h.addr, sizeof(h.addr), "127.0.0.1");
        if (d->create(&fake_host, &h, &ctx) != CB_OK)
            _exit(4);
        if (d->authenticator->perform(ctx, cp, 1) == CB_OK)
            _exit(5);
        w = write(fds[1], h.failed, strlen(h.failed));
        d->authenticator->cleanup(ctx, cp, 1);
        d->destroy(ctx);
        _exit(w > 0 ? 0 : 6);
    }
    close(fds[1]);
    for (size_t got = 0; got < sizeof(msg) - 1;) {
        ssize_t n = read(fds[0], msg + got, sizeof(msg) - 1 - got);

        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(fds[0]);
    waitpid(pid, &status, 0);
    is_str(msg, "Could not bind TCP port 1 because you don't have the "
                "appropriate permissions (for example, you aren't running "
                "this program as root).", "A-241: EACCES message");
}

/* no address binds [::] and/or 0.0.0.0. */
static void test_all_addresses(const struct cb_plugin_desc *d)
{
    struct cb_handle h = {0};
    struct cb_challenge c = chall("d.test", "tokE", "tokE.thumbprint");
    const struct cb_challenge *cp[] = {&c};
    struct reply rep;
    void *ctx = NULL;
    int port = free_port(), fd6;

    snprintf(h.port, sizeof(h.port), "%d", port);
    ok(d->create(&fake_host, &h, &ctx) == CB_OK, "instance for all addresses");
    ok(d->authenticator->perform(ctx, cp, 1) == CB_OK,
       "perform binds all addresses");
    ok(get(port, "/.well-known/acme-challenge/tokE", &rep) == 0 &&
           rep.status == 200, "served over IPv4 loopback");
    fd6 = socket(AF_INET6, SOCK_STREAM, 0);
    if (fd6 >= 0) {
        close(fd6);
        fd6 = connect_to(AF_INET6, port);
        if (fd6 >= 0) {
            ok(exchange(fd6, "GET / HTTP/1.0\r\n\r\n", 18, &rep) == 0 &&
                   rep.status == 200, "served over IPv6 loopback");
        } else {
            printf("ok %d # SKIP no IPv6 loopback\n", ++tap_n);
        }
    }
    ok(d->authenticator->cleanup(ctx, cp, 1) == CB_OK, "cleanup");
    ok(connect_to(AF_INET, port) < 0, "port closed after cleanup");
    d->destroy(ctx);
}

int main(void)
{
    const struct cb_plugin_desc *d = load_standalone();
    struct cb_challenge ca = chall("a.test", "tokA", "tokA.thumbprint");
    struct cb_challenge cb = chall("www.a.test", "tokB", "tokB.thumbprint");
    const struct cb_challenge *cp[] = {&ca, &cb};
    struct cb_handle h = {0};
    char want[512];
    void *ctx = NULL;
    int port, fd;

    ok(d != NULL, "standalone.so loads");
    if (!d)
        return done_testing();
    test_static(d);

    port = free_port();
    ok(port > 0, "picked a free loopback port");
    snprintf(h.port, sizeof(h.port), "%d", port);
    snprintf(h.addr, sizeof(h.addr), "127.0.0.1");
    ok(connect_to(AF_INET, port) < 0, "nothing listens before perform");
    ok(d->create(&fake_host, &h, &ctx) == CB_OK, "create");
    ok(d->authenticator->prepare(ctx) == CB_OK, "prepare");
    ok(d->authenticator->perform(ctx, cp, 2) == CB_OK, "perform");
    test_serving(port);
    test_slow_client(port);
    test_garbage(port);
    test_in_use(d, port);

    snprintf(want, sizeof(want),
             "The Certificate Authority failed to download the challenge "
             "files from the temporary standalone webserver started by "
             "Certbot on 127.0.0.1:%d. Ensure that the listed domains point "
             "to this machine and that it can accept inbound connections "
             "from the internet.", port);
    is_str(d->authenticator->auth_hint(ctx, cp, 2), want, "auth_hint");

    ok(d->authenticator->cleanup(ctx, cp, 1) == CB_OK,
       "cleanup of one challenge");
    fd = connect_to(AF_INET, port);
    ok(fd >= 0, "still listening while a challenge remains");
    if (fd >= 0)
        close(fd);
    ok(d->authenticator->cleanup(ctx, cp + 1, 1) == CB_OK,
       "cleanup of the last challenge");
    ok(connect_to(AF_INET, port) < 0, "A-238: port closed after cleanup");
    ok(d->authenticator->cleanup(ctx, cp, 2) == CB_OK,
       "cleanup tolerates challenges already gone");
    d->destroy(ctx);

    test_eacces(d);
    test_all_addresses(d);

    /* destroy without cleanup still stops the server */
    {
        struct cb_handle h3 = {0};

        snprintf(h3.port, sizeof(h3.port), "%d", port);
        snprintf(h3.addr, sizeof(h3.addr), "127.0.0.1");
        ctx = NULL;
        ok(d->create(&fake_host, &h3, &ctx) == CB_OK &&
               d->authenticator->perform(ctx, cp, 2) == CB_OK,
           "perform again");
        d->destroy(ctx);
        ok(connect_to(AF_INET, port) < 0, "destroy stops a running server");
    }
    return done_testing();
}
