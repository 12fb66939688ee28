/* libcurl, loaded with dlopen() on first use instead of at start-up.
 *
 * Why: libcurl's dependency tree (GnuTLS, Kerberos, LDAP, SSH, ...) is
 * the bulk of the dynamic linker's work: linked at start-up it cost
 * ~7 ms and ~4.5 MB of resident memory on every run, also for
 * `--version`, `certificates` and a `renew` with nothing due, which
 * never speak HTTP.  http.c is the only user: it includes this header
 * instead of <curl/curl.h>, and the curl_* names below become calls
 * through the table, filled by cb_curl_load() (http_client_new calls
 * it, so every other entry point runs after a successful load).
 *
 * Ownership: the library stays loaded until cb_curl_unload() at exit. */
#ifndef CB_UTIL_CURL_LAZY_H
#define CB_UTIL_CURL_LAZY_H

#ifndef CURL_DISABLE_TYPECHECK
#define CURL_DISABLE_TYPECHECK 1
#endif
#include <curl/curl.h>
#include <time.h>

#include "util/err.h"

struct cb_curl_api {
    CURLcode (*global_init)(long flags);
    void (*global_cleanup)(void);
    CURL *(*easy_init)(void);
    CURLcode (*easy_setopt)(CURL *h, CURLoption opt, ...);
    CURLcode (*easy_perform)(CURL *h);
    void (*easy_cleanup)(CURL *h);
    void (*easy_reset)(CURL *h);
    CURLcode (*easy_getinfo)(CURL *h, CURLINFO info, ...);
    const char *(*easy_strerror)(CURLcode c);
    struct curl_slist *(*slist_append)(struct curl_slist *l, const char *s);
    void (*slist_free_all)(struct curl_slist *l);
    CURLM *(*multi_init)(void);
    CURLMcode (*multi_setopt)(CURLM *m, CURLMoption opt, ...);
    CURLMcode (*multi_add_handle)(CURLM *m, CURL *h);
    CURLMcode (*multi_remove_handle)(CURLM *m, CURL *h);
    CURLMcode (*multi_perform)(CURLM *m, int *running);
    CURLMcode (*multi_poll)(CURLM *m, struct curl_waitfd extra[],
                            unsigned int n, int timeout_ms, int *ret);
    CURLMsg *(*multi_info_read)(CURLM *m, int *left);
    CURLMcode (*multi_cleanup)(CURLM *m);
    time_t (*getdate)(const char *s, const time_t *unused);
};

extern struct cb_curl_api cb_curl;

/* Load libcurl (libcurl.so.4) and run curl_global_init once.  CB_OK when
 * loaded (also on later calls), CB_ERR_NET with a message otherwise. */
int cb_curl_load(struct cb_err *err);

/* curl_global_cleanup, when loaded. */
void cb_curl_unload(void);

#ifndef CB_CURL_LAZY_IMPL
#undef curl_global_init
#undef curl_easy_init
#undef curl_easy_setopt
#undef curl_easy_perform
#undef curl_easy_cleanup
#undef curl_easy_reset
#undef curl_easy_getinfo
#undef curl_easy_strerror
#undef curl_slist_append
#undef curl_slist_free_all
#undef curl_multi_init
#undef curl_multi_setopt
#undef curl_multi_add_handle
#undef curl_multi_remove_handle
#undef curl_multi_perform
#undef curl_multi_poll
#undef curl_multi_info_read
#undef curl_multi_cleanup
#undef curl_getdate
#define curl_easy_init() cb_curl.easy_init()
#define curl_easy_setopt(h, ...) cb_curl.easy_setopt((h), __VA_ARGS__)
#define curl_easy_perform(h) cb_curl.easy_perform(h)
#define curl_easy_cleanup(h) cb_curl.easy_cleanup(h)
#define curl_easy_reset(h) cb_curl.easy_reset(h)
#define curl_easy_getinfo(h, ...) cb_curl.easy_getinfo((h), __VA_ARGS__)
#define curl_easy_strerror(c) cb_curl.easy_strerror(c)
#define curl_slist_append(l, s) cb_curl.slist_append((l), (s))
#define curl_slist_free_all(l) cb_curl.slist_free_all(l)
#define curl_multi_init() cb_curl.multi_init()
#define curl_multi_setopt(m, ...) cb_curl.multi_setopt((m), __VA_ARGS__)
#define curl_multi_add_handle(m, h) cb_curl.multi_add_handle((m), (h))
#define curl_multi_remove_handle(m, h) cb_curl.multi_remove_handle((m), (h))
#define curl_multi_perform(m, r) cb_curl.multi_perform((m), (r))
#define curl_multi_poll(m, e, n, t, r) cb_curl.multi_poll((m), (e), (n), (t), (r))
#define curl_multi_info_read(m, l) cb_curl.multi_info_read((m), (l))
#define curl_multi_cleanup(m) cb_curl.multi_cleanup(m)
#define curl_getdate(s, n) cb_curl.getdate((s), (n))
#endif

#endif
