/* Services the core offers to plugins (OpenSSL's upcall table, PAM's pamh).
 *
 * Every member takes the plugin's opaque handle first.  Members return an
 * int status (enum cb_status) unless noted.  Strings returned to the plugin
 * are borrowed: option/config/credential values until destroy, everything
 * else until the current op returns.  Nothing is freed across the
 * boundary. */
#ifndef CERTBOT_HOST_H
#define CERTBOT_HOST_H

#include "abi.h"
#include "status.h"

struct cb_handle;  /* opaque, one per plugin */
struct cb_strlist; /* opaque list of strings; the core copies what is added */

enum cb_log_level {
    CB_LOG_DEBUG = 10,
    CB_LOG_INFO = 20,
    CB_LOG_WARNING = 30,
    CB_LOG_ERROR = 40,
};

struct cb_http_req {
    uint32_t struct_size;
    const char *method;          /* "GET", "POST", ... */
    const char *url;
    const char *const *headers;  /* NULL-terminated "Name: value" lines */
    const char *body;
    size_t body_len;
    uint32_t timeout_ms;         /* 0: the core's default */
};

struct cb_http_resp {
    uint32_t struct_size;
    long status;
    const char *body;            /* NUL-terminated; borrowed until the op returns */
    size_t body_len;
    const char *content_type;
};

struct cb_host {
    uint32_t abi_major, abi_minor, struct_size;
    const char *certbot_version;

    /* log/errors */
    void (*log)(struct cb_handle *h, int level, const char *fmt, ...)
        CB_PRINTF(3, 4);
    /* Record a one-line message for the user and return code. */
    int (*fail)(struct cb_handle *h, int code, const char *fmt, ...)
        CB_PRINTF(3, 4);

    /* prompts: under -n they return CB_ERR_NONINTERACTIVE naming cli_flag */
    int (*notify)(struct cb_handle *h, const char *msg);
    int (*yesno)(struct cb_handle *h, const char *q, int dflt, int *answer);
    int (*input)(struct cb_handle *h, const char *q, const char *cli_flag,
                 const char **answer);
    int (*menu)(struct cb_handle *h, const char *q, const char *const *items,
                size_t n, const char *cli_flag, size_t *choice);

    /* options: name is the plugin-local option name ("credentials") */
    const char *(*opt_str)(struct cb_handle *h, const char *name);
    int (*opt_int)(struct cb_handle *h, const char *name, int64_t *val);
    int (*opt_bool)(struct cb_handle *h, const char *name); /* 1, 0 */
    /* NULL-terminated; borrowed until destroy */
    const char *const *(*opt_list)(struct cb_handle *h, const char *name);
    int (*opt_set)(struct cb_handle *h, const char *name, const char *value);
    /* Read-only core settings by dest: "config_dir", "work_dir",
     * "logs_dir", "server", "dry_run", "http01_port", "http01_address",
     * "noninteractive", ... NULL when unset. */
    const char *(*config)(struct cb_handle *h, const char *dest);

    /* credentials INI (Certbot's CredentialsConfiguration) */
    int (*credentials_get)(struct cb_handle *h, const char *path_opt,
                           const char *key, const char **val);

    /* HTTP through the core's libcurl */
    int (*http)(struct cb_handle *h, const struct cb_http_req *req,
                struct cb_http_resp *resp);

    /* processes */
    int (*run_hook)(struct cb_handle *h, const char *shell_cmd,
                    const char *const *env, int *exit_code, const char **out);
    int (*run_argv)(struct cb_handle *h, const char *const *argv,
                    int *exit_code, const char **out);

    /* DNS-01 helpers */
    int (*dns_base_domains)(struct cb_handle *h, const char *domain,
                            struct cb_strlist *out);

    /* files */
    int (*write_file)(struct cb_handle *h, const char *path, const void *data,
                      size_t len, uint32_t mode);
    int (*mkdirs)(struct cb_handle *h, const char *path, uint32_t mode);

    /* installer checkpoints (the core's reverter) */
    int (*checkpoint_add)(struct cb_handle *h, const char *path);
    int (*checkpoint_new_file)(struct cb_handle *h, const char *path);
    int (*checkpoint_finalize)(struct cb_handle *h, const char *title,
                               int temporary);
    int (*checkpoint_rollback)(struct cb_handle *h, int n);

    /* containers */
    int (*strlist_add)(struct cb_strlist *l, const char *s);
    size_t (*strlist_len)(const struct cb_strlist *l);
    const char *(*strlist_get)(const struct cb_strlist *l, size_t i);

    /* ---- ABI 1.1 (check with CB_HAS(host, struct cb_host, member)) ---- */

    /* Certbot's CredentialsConfiguration.require: keys_labels is
     * {key, label, key, label, ..., NULL} ("api-token", "Example API
     * token").  Fails with one message naming every key missing or empty
     * from the INI ("Missing property in credentials configuration file
     * X:\n * Property \"dns_x_api_token\" not found (should be Example
     * API token).").  Afterwards credentials_get returns those values. */
    int (*credentials_require)(struct cb_handle *h, const char *path_opt,
                               const char *const *keys_labels);
    /* Certbot's base_domain_name_guesses: "a.b.c" gives {"a.b.c", "b.c",
     * "c", NULL}.  Borrowed until destroy; NULL when out of memory. */
    const char *const *(*dns_domain_guesses)(struct cb_handle *h,
                                             const char *domain);
};

#endif
