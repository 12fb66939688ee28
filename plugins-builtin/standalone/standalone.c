/* standalone: answer http-01 challenges from a built-in HTTP server
 * (SPEC 5.2, Certbot's plugins/standalone.py + acme/standalone.py).
 *
 * perform binds --http-01-address:--http-01-port and starts one server
 * thread; cleanup removes the served tokens and, when none remain, stops
 * and joins the thread and closes the sockets.  destroy does the same if
 * cleanup never ran.
 *
 * Threads: DESIGN 3.8 rule 5 says plugin threads are joined before the op
 * returns.  The server must outlive perform (the CA connects between
 * perform and cleanup), so this plugin is the documented exception: its
 * thread runs from perform until cleanup/destroy, which always join it.
 * The thread calls no host service (not even log): it only reads the
 * token table under a mutex and talks to sockets.
 *
 * The server is poll()-based and non-blocking: every connection has a
 * read deadline and a request size cap, so a slow or hostile client
 * cannot hold up the CA's validation requests. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <certbot/plugin.h>

#define MAX_LISTEN 2
#define MAX_CONNS 256
#define REQ_MAX 8192             /* request line + headers */
#define READ_TIMEOUT_MS 10000    /* whole request must arrive in this */
#define WRITE_TIMEOUT_MS 10000
#define DRAIN_TIMEOUT_MS 2000    /* after the response, before close */
#define POLL_MAX_MS 1000
#define ACCEPT_BURST 64
#define ACCEPT_BACKOFF_MS 100    /* out of descriptors: pause accepting */
#define MAX_BIND_ATTEMPTS 20     /* interactive "Retry" answers */
#define MAX_TOKENS 4096

#define CHALLENGE_PREFIX "/.well-known/acme-challenge/"
#define SERVER_NAME "ACME client standalone challenge solver"
#define DESCRIPTION                                                           \
    "Runs an HTTP server locally which serves the necessary validation "     \
    "files under the /.well-known/acme-challenge/ request path. Suitable "   \
    "if there is no HTTP server already running. HTTP challenge only "       \
    "(wildcards not supported)."
#define MORE_INFO                                                             \
    "This authenticator creates its own ephemeral TCP listener on the "      \
    "necessary port in order to respond to incoming http-01 challenges "     \
    "from the certificate authority. Therefore, it does not rely on any "    \
    "existing server program."

enum conn_state { CONN_READ, CONN_WRITE, CONN_DRAIN };

struct conn {
    int fd;
    enum conn_state state;
    int64_t deadline;            /* monotonic ms */
    size_t in_len;
    char *out;
    size_t out_len, out_off;
    char in[REQ_MAX];
};

struct resource {
    char *path;                  /* CHALLENGE_PREFIX + token */
    char *body;                  /* the key authorization */
};

struct standalone {
    const struct cb_host *host;
    struct cb_handle *h;

    /* Shared with the server thread; guarded by lock. */
    pthread_mutex_t lock;
    struct resource *res;
    size_t nres, capres;

    /* Owned by the main thread; the server thread only reads lfd/wake. */
    int running;
    pthread_t thread;
    int lfd[MAX_LISTEN];
    size_t nlfd;
    int wake[2];
    unsigned port;
    char hint[640];
};

/* ------------------------------------------------------------ helpers */

static int64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

static char *dup_str(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* ------------------------------------------------------------ HTTP */

static const char *status_text(int code)
{
    switch (code) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    default: return "Not Implemented";
    }
}

/* Build the whole response in c->out. */
static void respond(struct conn *c, int code, const char *ctype,
                    const char *body, int head_only)
{
    size_t blen = strlen(body);
    char *out = NULL;
    int n;

    n = asprintf(&out,
                 "HTTP/1.0 %d %s\r\n"
                 "Server: " SERVER_NAME "\r\n"
                 "Content-Type: %s\r\n"
                 "Content-Length: %zu\r\n"
                 "Connection: close\r\n"
                 "\r\n"
                 "%s",
                 code, status_text(code), ctype, blen, head_only ? "" : body);
    c->out = n < 0 ? NULL : out;
    c->out_len = n < 0 ? 0 : (size_t)n;
    c->out_off = 0;
    c->state = CONN_WRITE;
    c->deadline = now_ms() + WRITE_TIMEOUT_MS;
}

static void handle_request(struct standalone *sa, struct conn *c)
{
    char method[16], target[REQ_MAX], version[16];
    char *eol, *body = NULL;
    int head;

    eol = memchr(c->in, '\n', c->in_len);
    if (!eol) {
        respond(c, 400, "text/html", "400", 0);
        return;
    }
    *eol = '\0';
    if (eol > c->in && eol[-1] == '\r')
        eol[-1] = '\0';
    if (sscanf(c->in, "%15s %8191s %15s", method, target, version) != 3 ||
        strncmp(version, "HTTP/", 5) != 0) {
        respond(c, 400, "text/html", "400", 0);
        return;
    }
    head = strcmp(method, "HEAD") == 0;
    if (!head && strcmp(method, "GET") != 0) {
        respond(c, 501, "text/html", "501", 0);
        return;
    }
    if (strcmp(target, "/") == 0) {
        respond(c, 200, "text/html", SERVER_NAME, head);
        return;
    }
    if (strncmp(target, CHALLENGE_PREFIX, strlen(CHALLENGE_PREFIX)) == 0) {
        pthread_mutex_lock(&sa->lock);
        for (size_t i = 0; i < sa->nres && !body; i++)
            if (strcmp(sa->res[i].path, target) == 0)
                body = strdup(sa->res[i].body);
        pthread_mutex_unlock(&sa->lock);
        if (body) {
            respond(c, 200, "text/plain", body, head);
            free(body);
            return;
        }
    }
    respond(c, 404, "text/html", "404", head);
}

/* The end of the request headers, if it has arrived. */
static int request_complete(const struct conn *c)
{
    for (size_t i = 0; i + 1 < c->in_len; i++) {
        if (c->in[i] != '\n')
            continue;
        if (c->in[i + 1] == '\n')
            return 1;
        if (i + 2 < c->in_len && c->in[i + 1] == '\r' && c->in[i + 2] == '\n')
            return 1;
    }
    return 0;
}

/* Returns 0 to keep the connection, -1 to close it. */
static int conn_read(struct standalone *sa, struct conn *c)
{
    for (int i = 0; i < 16; i++) {
        ssize_t n;

        if (c->state == CONN_DRAIN) {
            char sink[4096];

            n = recv(c->fd, sink, sizeof(sink), 0);
        } else {
            n = recv(c->fd, c->in + c->in_len, sizeof(c->in) - 1 - c->in_len,
                     0);
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return 0;
        if (n <= 0)
            return -1;
        if (c->state == CONN_DRAIN)
            continue;
        c->in_len += (size_t)n;
        c->in[c->in_len] = '\0';
        if (request_complete(c)) {
            handle_request(sa, c);
            return 0;
        }
        if (c->in_len >= sizeof(c->in) - 1) {
            /* Too large for any ACME validation request. */
            respond(c, 400, "text/html", "400", 0);
            return 0;
        }
    }
    return 0;
}

static int conn_write(struct conn *c)
{
    if (!c->out)
        return -1;
    while (c->out_off < c->out_len) {
        ssize_t n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off,
                         MSG_NOSIGNAL | MSG_DONTWAIT);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return 0;
        if (n <= 0)
            return -1;
        c->out_off += (size_t)n;
    }
    /* Half-close, then read what the client still sends until it closes:
     * closing with unread input would reset the connection and could
     * destroy the response before the client reads it. */
    shutdown(c->fd, SHUT_WR);
    c->state = CONN_DRAIN;
    c->deadline = now_ms() + DRAIN_TIMEOUT_MS;
    return 0;
}

static void conn_free(struct conn *c)
{
    if (!c)
        return;
    close_fd(&c->fd);
    free(c->out);
    free(c);
}

/* Returns -1 when out of descriptors or memory: the caller then stops
 * polling the listeners for a moment instead of spinning on them. */
static int accept_some(int lfd, struct conn **conns, size_t *nconns)
{
    for (int i = 0; i < ACCEPT_BURST && *nconns < MAX_CONNS; i++) {
        int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        struct conn *c;

        if (fd < 0)
            return (errno == EMFILE || errno == ENFILE || errno == ENOBUFS ||
                    errno == ENOMEM) ? -1 : 0;
        c = malloc(sizeof(*c));
        if (!c) {
            close(fd);
            return -1;
        }
        c->fd = fd;
        c->state = CONN_READ;
        c->deadline = now_ms() + READ_TIMEOUT_MS;
        c->in_len = 0;
        c->out = NULL;
        c->out_len = c->out_off = 0;
        conns[(*nconns)++] = c;
    }
    return 0;
}

static void *server_main(void *arg)
{
    struct standalone *sa = arg;
    struct conn **conns = calloc(MAX_CONNS, sizeof(*conns));
    struct pollfd *pfd = calloc(1 + MAX_LISTEN + MAX_CONNS, sizeof(*pfd));
    size_t nconns = 0;
    int64_t backoff_until = 0;

    /* Without memory the server cannot run; sockets stay open, so the CA
     * sees refused/hanging connections and validation fails cleanly. */
    while (conns && pfd) {
        size_t np = 0, first_conn;
        int64_t now = now_ms(), wait = POLL_MAX_MS;
        int n;

        pfd[np].fd = sa->wake[0];
        pfd[np++].events = POLLIN;
        for (size_t i = 0; i < sa->nlfd; i++) {
            int accepting = nconns < MAX_CONNS && now >= backoff_until;

            pfd[np].fd = accepting ? sa->lfd[i] : -1;
            pfd[np++].events = POLLIN;
        }
        if (now < backoff_until && backoff_until - now < wait)
            wait = backoff_until - now;
        first_conn = np;
        for (size_t i = 0; i < nconns; i++) {
            pfd[np].fd = conns[i]->fd;
            pfd[np++].events =
                conns[i]->state == CONN_WRITE ? POLLOUT : POLLIN;
            if (conns[i]->deadline - now < wait)
                wait = conns[i]->deadline - now;
        }
        if (wait < 0)
            wait = 0;
        n = poll(pfd, np, (int)wait);
        if (n < 0 && errno != EINTR)
            break;
        if (n > 0 && (pfd[0].revents & (POLLIN | POLLHUP | POLLERR)))
            break;
        now = now_ms();
        /* Connections first (their pfd slots refer to the current array),
         * then new ones. */
        for (size_t i = nconns; i-- > 0;) {
            struct conn *c = conns[i];
            short re = n > 0 ? pfd[first_conn + i].revents : 0;
            int was_write = c->state == CONN_WRITE;
            int drop = 0;

            if (!was_write && (re & (POLLIN | POLLHUP | POLLERR)))
                drop = conn_read(sa, c);
            /* A response just built is sent at once; otherwise only when
             * the socket has room. */
            if (!drop && c->state == CONN_WRITE &&
                (!was_write || (re & (POLLOUT | POLLHUP | POLLERR))))
                drop = conn_write(c);
            if (!drop && now >= c->deadline)
                drop = -1;
            if (drop) {
                conn_free(c);
                conns[i] = conns[--nconns];
            }
        }
        for (size_t i = 0; n > 0 && i < sa->nlfd; i++)
            if ((pfd[1 + i].revents & POLLIN) &&
                accept_some(sa->lfd[i], conns, &nconns) < 0)
                backoff_until = now + ACCEPT_BACKOFF_MS;
    }
    for (size_t i = 0; i < nconns; i++)
        conn_free(conns[i]);
    free(conns);
    free(pfd);
    return NULL;
}

/* ------------------------------------------------------------ binding */

static int listen_on(const struct sockaddr *addr, socklen_t len, int dual,
                     int *fd_out)
{
    int fd, one = 1, zero = 0, e;

    fd = socket(addr->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
                0);
    if (fd < 0)
        return errno;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (addr->sa_family == AF_INET6)
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, dual ? &zero : &one,
                   sizeof(int));
    if (bind(fd, addr, len) != 0 || listen(fd, 128) != 0) {
        e = errno;
        close(fd);
        return e;
    }
    *fd_out = fd;
    return 0;
}

static unsigned bound_port(int fd)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);

    if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0)
        return 0;
    if (ss.ss_family == AF_INET6)
        return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
    return ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

/* The errno that explains a failure best: a permission or in-use error
 * over "no IPv6 here". */
static int pick_errno(int a, int b)
{
    if (a == EACCES || a == EADDRINUSE)
        return a;
    if (b == EACCES || b == EADDRINUSE)
        return b;
    return a ? a : b;
}

/* Empty address: [::] dual-stack and 0.0.0.0, at least one must bind
 * (with a dual-stack [::] the IPv4 bind fails with EADDRINUSE, which is
 * expected). */
static int bind_all(struct standalone *sa, unsigned port)
{
    struct sockaddr_in6 s6 = {0};
    struct sockaddr_in s4 = {0};
    int e6, e4;

    s6.sin6_family = AF_INET6;
    s6.sin6_addr = in6addr_any;
    s6.sin6_port = htons((uint16_t)port);
    e6 = listen_on((struct sockaddr *)&s6, sizeof(s6), 1,
                   &sa->lfd[sa->nlfd]);
    if (e6 == 0) {
        if (port == 0)
            port = bound_port(sa->lfd[sa->nlfd]);
        sa->nlfd++;
    }
    s4.sin_family = AF_INET;
    s4.sin_addr.s_addr = htonl(INADDR_ANY);
    s4.sin_port = htons((uint16_t)port);
    e4 = listen_on((struct sockaddr *)&s4, sizeof(s4), 0, &sa->lfd[sa->nlfd]);
    if (e4 == 0)
        sa->nlfd++;
    return sa->nlfd > 0 ? 0 : pick_errno(e6, e4);
}

static int bind_addr(struct standalone *sa, const char *addr, unsigned port)
{
    struct addrinfo hints = {0}, *res = NULL, *ai;
    char portstr[8];
    int e = 0, g;

    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    snprintf(portstr, sizeof(portstr), "%u", port);
    g = getaddrinfo(addr, portstr, &hints, &res);
    if (g != 0)
        return g == EAI_SYSTEM ? errno : EADDRNOTAVAIL;
    for (ai = res; ai && sa->nlfd < MAX_LISTEN; ai = ai->ai_next) {
        int fd = -1;
        int r = listen_on(ai->ai_addr, ai->ai_addrlen, 0, &fd);

        if (r == 0)
            sa->lfd[sa->nlfd++] = fd;
        else
            e = pick_errno(e, r);
    }
    freeaddrinfo(res);
    return sa->nlfd > 0 ? 0 : (e ? e : EADDRNOTAVAIL);
}

static void server_stop(struct standalone *sa)
{
    if (sa->running) {
        ssize_t n;

        do {
            n = write(sa->wake[1], "x", 1);
        } while (n < 0 && errno == EINTR);
        pthread_join(sa->thread, NULL);
        sa->running = 0;
    }
    for (size_t i = 0; i < sa->nlfd; i++)
        close_fd(&sa->lfd[i]);
    sa->nlfd = 0;
    close_fd(&sa->wake[0]);
    close_fd(&sa->wake[1]);
}

static int server_start(struct standalone *sa, const char *addr,
                        unsigned port, int *sys_err)
{
    sigset_t all, old;
    int e;

    *sys_err = (addr && addr[0]) ? bind_addr(sa, addr, port)
                                 : bind_all(sa, port);
    if (*sys_err)
        return CB_ERR_NET;
    sa->port = bound_port(sa->lfd[0]);
    if (pipe2(sa->wake, O_CLOEXEC) != 0) {
        *sys_err = errno;
        server_stop(sa);
        return CB_ERR_IO;
    }
    /* Signals stay with the main thread, which owns shutdown. */
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    e = pthread_create(&sa->thread, NULL, server_main, sa);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (e != 0) {
        *sys_err = e;
        server_stop(sa);
        return CB_ERR_IO;
    }
    sa->running = 1;
    return CB_OK;
}

/* ------------------------------------------------------------ config */

static int config_port(struct standalone *sa, unsigned *port)
{
    const char *v = sa->host->config(sa->h, "http01_port");
    char *end = NULL;
    long n;

    *port = 80;
    if (!v || !v[0])
        return CB_OK;
    errno = 0;
    n = strtol(v, &end, 10);
    if (errno || !end || *end || n < 0 || n > 65535)
        return sa->host->fail(sa->h, CB_ERR_CONFIG,
                              "Invalid --http-01-port: %s", v);
    *port = (unsigned)n;
    return CB_OK;
}

static const char *config_addr(struct standalone *sa)
{
    const char *v = sa->host->config(sa->h, "http01_address");

    return v ? v : "";
}

/* ------------------------------------------------------------ resources */

static int res_add(struct standalone *sa, const struct cb_challenge *c)
{
    const char *body = c->validation ? c->validation : c->key_authorization;
    struct resource r = {0};
    int ret = CB_OK;

    if (!c->token || !body)
        return sa->host->fail(sa->h, CB_ERR_INVAL,
                              "challenge for %s has no token",
                              c->identifier ? c->identifier : "?");
    if (asprintf(&r.path, "%s%s", CHALLENGE_PREFIX, c->token) < 0)
        return CB_ERR_NOMEM;
    r.body = dup_str(body);
    pthread_mutex_lock(&sa->lock);
    if (!r.body || sa->nres >= MAX_TOKENS) {
        ret = r.body ? CB_ERR_INVAL : CB_ERR_NOMEM;
    } else if (sa->nres == sa->capres) {
        size_t ncap = sa->capres ? sa->capres * 2 : 8;
        struct resource *nr = realloc(sa->res, ncap * sizeof(*nr));

        if (nr) {
            sa->res = nr;
            sa->capres = ncap;
        } else {
            ret = CB_ERR_NOMEM;
        }
    }
    if (ret == CB_OK) {
        sa->res[sa->nres++] = r;
        r.path = r.body = NULL;
    }
    pthread_mutex_unlock(&sa->lock);
    free(r.path);
    free(r.body);
    return ret;
}

/* Remove the token's resource; tolerant of tokens never added. */
static void res_remove(struct standalone *sa, const char *token)
{
    size_t plen = strlen(CHALLENGE_PREFIX);

    if (!token)
        return;
    pthread_mutex_lock(&sa->lock);
    for (size_t i = 0; i < sa->nres; i++) {
        if (strcmp(sa->res[i].path + plen, token) != 0)
            continue;
        free(sa->res[i].path);
        free(sa->res[i].body);
        sa->res[i] = sa->res[--sa->nres];
        break;
    }
    pthread_mutex_unlock(&sa->lock);
}

static size_t res_count(struct standalone *sa)
{
    size_t n;

    pthread_mutex_lock(&sa->lock);
    n = sa->nres;
    pthread_mutex_unlock(&sa->lock);
    return n;
}

/* ------------------------------------------------------------ ops */

static int sa_create(const struct cb_host *host, struct cb_handle *h,
                     void **ctx)
{
    struct standalone *sa = calloc(1, sizeof(*sa));

    if (!sa)
        return CB_ERR_NOMEM;
    sa->host = host;
    sa->h = h;
    sa->wake[0] = sa->wake[1] = -1;
    for (size_t i = 0; i < MAX_LISTEN; i++)
        sa->lfd[i] = -1;
    if (pthread_mutex_init(&sa->lock, NULL) != 0) {
        free(sa);
        return CB_ERR_NOMEM;
    }
    *ctx = sa;
    return CB_OK;
}

static void sa_destroy(void *ctx)
{
    struct standalone *sa = ctx;

    if (!sa)
        return;
    server_stop(sa);
    for (size_t i = 0; i < sa->nres; i++) {
        free(sa->res[i].path);
        free(sa->res[i].body);
    }
    free(sa->res);
    pthread_mutex_destroy(&sa->lock);
    free(sa);
}

static int sa_prepare(void *ctx)
{
    (void)ctx;
    return CB_OK;
}

/* http-01 for every identifier, wildcards included: the core reports
 * that no combination is supported when the CA offers only dns-01. */
static int sa_chall_pref(void *ctx, const char *ident, uint32_t *types,
                         size_t *n)
{
    (void)ctx;
    (void)ident;
    if (*n < 1)
        return CB_ERR_INVAL;
    types[0] = CB_CHALL_HTTP01;
    *n = 1;
    return CB_OK;
}

static int bind_error(struct standalone *sa, unsigned port, int e,
                      int *retry)
{
    char msg[512];
    int yes = 0, r;

    *retry = 0;
    if (e == EACCES)
        return sa->host->fail(sa->h, CB_ERR_PLUGIN,
                              "Could not bind TCP port %u because you don't "
                              "have the appropriate permissions (for "
                              "example, you aren't running this program as "
                              "root).", port);
    if (e != EADDRINUSE)
        return sa->host->fail(sa->h, CB_ERR_PLUGIN,
                              "Could not bind TCP port %u: %s", port,
                              strerror(e));
    snprintf(msg, sizeof(msg),
             "Could not bind TCP port %u because it is already in use by "
             "another process on this system (such as a web server). Please "
             "stop the program in question and then try again.", port);
    /* Certbot asks Retry/Cancel with Cancel as the default, so a
     * non-interactive run fails with the message. */
    r = sa->host->yesno(sa->h, msg, 0, &yes);
    if (r != CB_OK || !yes)
        return sa->host->fail(sa->h, CB_ERR_PLUGIN, "%s", msg);
    *retry = 1;
    return CB_OK;
}

static int sa_perform(void *ctx, const struct cb_challenge *const *c,
                      size_t n)
{
    struct standalone *sa = ctx;
    unsigned port = 80;
    int r, e = 0, retry = 0;

    for (size_t i = 0; i < n; i++) {
        if (c[i]->type != CB_CHALL_HTTP01)
            return sa->host->fail(sa->h, CB_ERR_PLUGIN,
                                  "The standalone plugin only supports "
                                  "http-01 challenges");
        r = res_add(sa, c[i]);
        if (r != CB_OK)
            return r;
    }
    if (sa->running || n == 0)
        return CB_OK;
    r = config_port(sa, &port);
    if (r != CB_OK)
        return r;
    for (int attempt = 0; attempt < MAX_BIND_ATTEMPTS; attempt++) {
        r = server_start(sa, config_addr(sa), port, &e);
        if (r == CB_OK) {
            sa->host->log(sa->h, CB_LOG_DEBUG, "Serving http-01 on port %u",
                          sa->port);
            return CB_OK;
        }
        if (r != CB_ERR_NET)
            return sa->host->fail(sa->h, r, "Could not start the standalone "
                                  "server: %s", strerror(e));
        r = bind_error(sa, port, e, &retry);
        if (!retry)
            return r;
    }
    return sa->host->fail(sa->h, CB_ERR_PLUGIN, "Could not bind TCP port %u",
                          port);
}

static int sa_cleanup(void *ctx, const struct cb_challenge *const *c,
                      size_t n)
{
    struct standalone *sa = ctx;

    for (size_t i = 0; i < n; i++)
        res_remove(sa, c[i]->token);
    if (res_count(sa) == 0) {
        if (sa->running)
            sa->host->log(sa->h, CB_LOG_DEBUG, "Stopping server at port %u",
                          sa->port);
        server_stop(sa);
    }
    return CB_OK;
}

static const char *sa_auth_hint(void *ctx, const struct cb_challenge *const *c,
                                size_t n)
{
    struct standalone *sa = ctx;
    const char *addr = config_addr(sa);
    const char *port = sa->host->config(sa->h, "http01_port");
    char where[320];

    (void)c;
    (void)n;
    if (!port || !port[0])
        port = "80";
    if (addr[0])
        snprintf(where, sizeof(where), "%s:%s", addr, port);
    else
        snprintf(where, sizeof(where), "port %s", port);
    snprintf(sa->hint, sizeof(sa->hint),
             "The Certificate Authority failed to download the challenge "
             "files from the temporary standalone webserver started by "
             "Certbot on %s. Ensure that the listed domains point to this "
             "machine and that it can accept inbound connections from the "
             "internet.", where);
    return sa->hint;
}

static const struct cb_authenticator sa_auth = {
    .struct_size = sizeof(struct cb_authenticator),
    .prepare = sa_prepare,
    .get_chall_pref = sa_chall_pref,
    .perform = sa_perform,
    .cleanup = sa_cleanup,
    .auth_hint = sa_auth_hint,
};

CB_PLUGIN_DEFINE(.name = "standalone", .version = "5.6.0",
                 .description = DESCRIPTION, .more_info = MORE_INFO,
                 .create = sa_create, .destroy = sa_destroy,
                 .authenticator = &sa_auth);
