/* curl-floor: the smallest program that does what any HTTPS-speaking
 * certbot run must do, one GET through libcurl, and prints its peak RSS
 * ("<KiB>").  bench/run shows it beside our figures: the part of our
 * RSS that comes with libcurl and its TLS stack, which no change of ours
 * can remove.  libcurl is loaded the way core/util/curl_lazy.c loads it.
 *
 * Not part of the product: compiled by bench/run with the system cc. */
#define _DEFAULT_SOURCE

#include <curl/curl.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

static size_t sink(void *p, size_t size, size_t n, void *u)
{
    (void)p;
    (void)u;
    return size * n;
}

int main(int argc, char **argv)
{
    CURLcode (*global_init)(long);
    CURL *(*easy_init)(void);
    CURLcode (*setopt)(CURL *, CURLoption, ...);
    CURLcode (*perform)(CURL *);
    struct rusage ru;
    void *h;
    CURL *c;

    if (argc != 2) {
        fprintf(stderr, "usage: curl-floor URL\n");
        return 2;
    }
    setenv("GNUTLS_NO_IMPLICIT_INIT", "1", 0);   /* as curl_lazy.c */
    h = dlopen("libcurl.so.4", RTLD_LAZY | RTLD_LOCAL);
    if (!h)
        return 1;
    *(void **)&global_init = dlsym(h, "curl_global_init");
    *(void **)&easy_init = dlsym(h, "curl_easy_init");
    *(void **)&setopt = dlsym(h, "curl_easy_setopt");
    *(void **)&perform = dlsym(h, "curl_easy_perform");
    if (!global_init || !easy_init || !setopt || !perform ||
        global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK || !(c = easy_init()))
        return 1;
    setopt(c, CURLOPT_URL, argv[1]);
    setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);   /* pebble's own CA */
    setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
    setopt(c, CURLOPT_WRITEFUNCTION, sink);
    if (perform(c) != CURLE_OK)
        return 1;
    getrusage(RUSAGE_SELF, &ru);
    printf("%ld\n", ru.ru_maxrss);
    return 0;
}
