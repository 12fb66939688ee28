/* freeport: small socket helper for the integration tests.
 *
 *   freeport [N]          print N (default 1) distinct free TCP ports, one
 *                         per line.  Ports are drawn at random from below
 *                         the kernel's ephemeral range (so no outgoing
 *                         connection can be sitting on them), skipping the
 *                         fixed ports other pebble setups use; each must
 *                         bind on 0.0.0.0.  All N stay bound until all are
 *                         chosen, so they differ.  Falls back to bind(0).
 *   freeport --hold PORT [SECONDS]
 *   freeport --tarpit ADDR PORT [SECONDS]   listen on one IPv4 address and
 *       never answer: a client (e.g. the CA's validator) hangs until its
 *       own timeout, so a test can act while validation is in flight
 *                         bind and listen on PORT (dual-stack [::] if the
 *                         host has IPv6, plus 127.0.0.1/0.0.0.0 otherwise),
 *                         print "listening" and sleep until killed or until
 *                         SECONDS (default 300) have passed.  Used to
 *                         occupy the http-01 port.
 *
 * Exit status: 0 on success, 1 on any socket error (message on stderr). */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_PORTS 32

static int parse_num(const char *s, long lo, long hi, long *out)
{
    char *end = NULL;
    long v;

    errno = 0;
    v = strtol(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

/* Ports other test setups on the same machine bind by fixed number. */
static int is_reserved(unsigned port)
{
    static const unsigned fixed[] = { 14000, 15000, 5001, 5002, 5003,
                                      8053, 8055, 8080, 8443 };
    size_t i;

    for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
        if (fixed[i] == port)
            return 1;
    return 0;
}

/* The low end of the ephemeral range, or 0 if unknown. */
static unsigned ephemeral_low(void)
{
    FILE *f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "r");
    unsigned lo = 0, hi = 0;

    if (!f)
        return 0;
    if (fscanf(f, "%u %u", &lo, &hi) != 2)
        lo = 0;
    fclose(f);
    return lo;
}

/* Bind a TCP socket on 0.0.0.0:port; returns the fd or -1. */
static int bind_any(unsigned port)
{
    struct sockaddr_in sa;
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    if (fd < 0)
        return -1;
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_ANY);
    sa.sin_port = htons((unsigned short)port);
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Random free ports in [10000, ephemeral low); 0 if that range is unusable
 * or too crowded, so the caller falls back to the kernel's choice. */
static int pick_low_ports(long n, int *fds, unsigned short *ports)
{
    unsigned lo = 10000, hi = ephemeral_low();
    unsigned seed = (unsigned)getpid() * 2654435761u ^ (unsigned)time(NULL);
    long got = 0, tries;

    if (hi < lo + 1000)
        return 0;
    srand(seed);
    for (tries = 0; tries < 2000 && got < n; tries++) {
        unsigned p = lo + (unsigned)rand() % (hi - lo);
        long j;
        int dup = 0, fd;

        for (j = 0; j < got; j++)
            if (ports[j] == p)
                dup = 1;
        if (dup || is_reserved(p))
            continue;
        fd = bind_any(p);
        if (fd < 0)
            continue;
        fds[got] = fd;
        ports[got] = (unsigned short)p;
        got++;
    }
    return got == n;
}

static int print_free_ports(long n)
{
    int fds[MAX_PORTS];
    unsigned short ports[MAX_PORTS];
    int i, rc = 0;

    for (i = 0; i < n; i++)
        fds[i] = -1;
    if (pick_low_ports(n, fds, ports))
        goto print;
    for (i = 0; i < n; i++) {
        if (fds[i] >= 0)
            close(fds[i]);
        fds[i] = -1;
    }
    for (i = 0; i < n; i++) {
        struct sockaddr_in sa;
        socklen_t len = sizeof(sa);

        fds[i] = socket(AF_INET, SOCK_STREAM, 0);
        if (fds[i] < 0) {
            perror("freeport: socket");
            rc = 1;
            goto out;
        }
        memset(&sa, 0, sizeof(sa));
        sa.sin_family = AF_INET;
        sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        sa.sin_port = 0;
        if (bind(fds[i], (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
            getsockname(fds[i], (struct sockaddr *)&sa, &len) != 0) {
            perror("freeport: bind");
            rc = 1;
            goto out;
        }
        ports[i] = ntohs(sa.sin_port);
    }
print:
    for (i = 0; i < n; i++)
        printf("%u\n", (unsigned)ports[i]);
out:
    for (i = 0; i < n; i++)
        if (fds[i] >= 0)
            close(fds[i]);
    return rc;
}

static int listen_v6(unsigned short port)
{
    struct sockaddr_in6 sa;
    int off = 0, fd = socket(AF_INET6, SOCK_STREAM, 0);

    if (fd < 0)
        return -1;
    /* dual-stack: also covers every IPv4 address */
    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off));
    memset(&sa, 0, sizeof(sa));
    sa.sin6_family = AF_INET6;
    sa.sin6_addr = in6addr_any;
    sa.sin6_port = htons(port);
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
        listen(fd, 16) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static int listen_v4(unsigned short port)
{
    struct sockaddr_in sa;
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    if (fd < 0)
        return -1;
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_ANY);
    sa.sin_port = htons(port);
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
        listen(fd, 16) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static int hold_port(long port, long seconds)
{
    int fd6 = listen_v6((unsigned short)port);
    int fd4 = fd6 < 0 ? listen_v4((unsigned short)port) : -1;

    if (fd6 < 0 && fd4 < 0) {
        fprintf(stderr, "freeport: cannot listen on port %ld: %s\n", port,
                strerror(errno));
        return 1;
    }
    printf("listening\n");
    fflush(stdout);
    /* sleep() returns early on signals; the default SIGTERM action ends us */
    while (seconds > 0) {
        unsigned int left = sleep(1);

        seconds -= 1 - (long)left;
    }
    if (fd6 >= 0)
        close(fd6);
    if (fd4 >= 0)
        close(fd4);
    return 0;
}

static int tarpit(const char *addr, long port, long seconds)
{
    struct sockaddr_in sa;
    int one = 1, fd = socket(AF_INET, SOCK_STREAM, 0);

    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_port = htons((unsigned short)port);
    if (fd < 0 || inet_pton(AF_INET, addr, &sa.sin_addr) != 1) {
        fprintf(stderr, "freeport: bad address %s\n", addr);
        return 1;
    }
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
        listen(fd, 64) != 0) {
        fprintf(stderr, "freeport: cannot listen on %s:%ld: %s\n", addr,
                port, strerror(errno));
        close(fd);
        return 1;
    }
    printf("listening\n");
    fflush(stdout);
    /* Never accept: the kernel completes handshakes into the backlog and
     * the peer waits for an answer that does not come. */
    while (seconds > 0) {
        unsigned int left = sleep(1);

        seconds -= 1 - (long)left;
    }
    close(fd);
    return 0;
}

int main(int argc, char **argv)
{
    long n = 1, port, secs = 300;

    if (argc >= 4 && strcmp(argv[1], "--tarpit") == 0) {
        if (parse_num(argv[3], 1, 65535, &port) != 0 ||
            (argc >= 5 && parse_num(argv[4], 1, 3600, &secs) != 0)) {
            fprintf(stderr, "usage: freeport --tarpit ADDR PORT [SECONDS]\n");
            return 1;
        }
        return tarpit(argv[2], port, secs);
    }
    if (argc >= 3 && strcmp(argv[1], "--hold") == 0) {
        if (parse_num(argv[2], 1, 65535, &port) != 0 ||
            (argc >= 4 && parse_num(argv[3], 1, 3600, &secs) != 0)) {
            fprintf(stderr, "usage: freeport --hold PORT [SECONDS]\n");
            return 1;
        }
        return hold_port(port, secs);
    }
    if (argc >= 2 && parse_num(argv[1], 1, MAX_PORTS, &n) != 0) {
        fprintf(stderr, "usage: freeport [N (1..%d)] | --hold PORT [SECONDS]\n",
                MAX_PORTS);
        return 1;
    }
    return print_free_ports(n);
}
