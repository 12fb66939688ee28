/* See curl_lazy.h: libcurl through dlopen(), on first use. */
#define CB_CURL_LAZY_IMPL 1
#include "util/curl_lazy.h"

#include <dlfcn.h>
#include <stdlib.h>
#include <stddef.h>

struct cb_curl_api cb_curl;

static void *curl_lib;
static int curl_ready;

/* name -> slot in cb_curl */
#define SYM(field, name) {offsetof(struct cb_curl_api, field), name}
static const struct {
    size_t off;
    const char *name;
} curl_syms[] = {
    SYM(global_init, "curl_global_init"),
    SYM(global_cleanup, "curl_global_cleanup"),
    SYM(easy_init, "curl_easy_init"),
    SYM(easy_setopt, "curl_easy_setopt"),
    SYM(easy_perform, "curl_easy_perform"),
    SYM(easy_cleanup, "curl_easy_cleanup"),
    SYM(easy_reset, "curl_easy_reset"),
    SYM(easy_getinfo, "curl_easy_getinfo"),
    SYM(easy_strerror, "curl_easy_strerror"),
    SYM(slist_append, "curl_slist_append"),
    SYM(slist_free_all, "curl_slist_free_all"),
    SYM(multi_init, "curl_multi_init"),
    SYM(multi_setopt, "curl_multi_setopt"),
    SYM(multi_add_handle, "curl_multi_add_handle"),
    SYM(multi_remove_handle, "curl_multi_remove_handle"),
    SYM(multi_perform, "curl_multi_perform"),
    SYM(multi_poll, "curl_multi_poll"),
    SYM(multi_info_read, "curl_multi_info_read"),
    SYM(multi_cleanup, "curl_multi_cleanup"),
    SYM(getdate, "curl_getdate"),
};

int cb_curl_load(struct cb_err *err)
{
    static const char *const names[] = {"libcurl.so.4", "libcurl.so"};
    struct cb_curl_api api;

    int gnutls_quiet;

    if (curl_ready)
        return CB_OK;
    /* Debian's libcurl pulls in GnuTLS (through librtmp and libldap),
     * whose constructor initialises itself and p11-kit on load: ~0.7 MB
     * and a millisecond for a library we never call (libcurl's TLS is
     * OpenSSL's, and a GnuTLS-backed libcurl still initialises it
     * explicitly in curl_global_init).  Only for the load, and only when
     * the user did not set it: hooks inherit our environment. */
    gnutls_quiet = !getenv("GNUTLS_NO_IMPLICIT_INIT") &&
                   setenv("GNUTLS_NO_IMPLICIT_INIT", "1", 0) == 0;
    /* RTLD_LAZY: its ~25 libraries' functions are bound when first
     * called, not all at load (fewer pages touched, less time) */
    for (size_t i = 0; !curl_lib && i < sizeof(names) / sizeof(names[0]);
         i++)
        curl_lib = dlopen(names[i], RTLD_LAZY | RTLD_LOCAL);
    if (gnutls_quiet)
        unsetenv("GNUTLS_NO_IMPLICIT_INIT");
    if (!curl_lib)
        return cb_err_set(err, CB_ERR_NET, "cannot load libcurl: %s",
                          dlerror());
    for (size_t i = 0; i < sizeof(curl_syms) / sizeof(curl_syms[0]); i++) {
        void *p = dlsym(curl_lib, curl_syms[i].name);

        if (!p)
            return cb_err_set(err, CB_ERR_NET, "libcurl lacks %s",
                              curl_syms[i].name);
        /* POSIX: a data pointer from dlsym may hold a function */
        *(void **)((char *)&api + curl_syms[i].off) = p;
    }
    if (api.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return cb_err_set(err, CB_ERR_NET, "cannot initialise libcurl");
    cb_curl = api;
    curl_ready = 1;
    return CB_OK;
}

void cb_curl_unload(void)
{
    if (curl_ready)
        cb_curl.global_cleanup();
    curl_ready = 0;
    /* not dlclose()d: libcurl's TLS backends keep atexit handlers */
}
