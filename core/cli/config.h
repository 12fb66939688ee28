/* The merged configuration: defaults < cli.ini files < renewal conf < argv.
 *
 * Values are stored as text under their dest ("rsa_key_size",
 * "webroot_path", "dns_example_credentials") together with where they came
 * from.  "Set by the user" means argv or a cli.ini file: exactly the values
 * Certbot saves into [renewalparams].  Plugin options join the same table
 * (cli_add_plugin_options) so they parse, save and restore like core ones.
 *
 * Ownership: struct cb_config owns every string it holds; getters return
 * borrowed pointers valid until the value is replaced or the config is
 * freed.  config_copy gives an independent deep copy (renew works on one
 * copy per lineage). */
#ifndef CB_CLI_CONFIG_H
#define CB_CLI_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

enum config_origin {
    CONFIG_DEFAULT = 0,  /* the flag's default */
    CONFIG_RUNTIME = 1,  /* set by code (e.g. selected authenticator) */
    CONFIG_RENEWAL = 2,  /* restored from a renewal conf */
    CONFIG_FILE = 3,     /* cli.ini: counts as user-set */
    CONFIG_ARGV = 4,     /* command line: counts as user-set */
};

struct cb_config;

struct cb_config *config_new(void);          /* NULL on ENOMEM */
struct cb_config *config_copy(const struct cb_config *cfg);
void config_free(struct cb_config *cfg);     /* NULL-safe */

/* The subcommand after parsing: "certonly" (alias auth resolved), "run",
 * "renew", "certificates", "plugins", "register", ..., "help". */
const char *config_verb(const struct cb_config *cfg);

/* Scalars.  config_str returns the value, or the default as text, or NULL
 * when neither exists.  Booleans are "True"/"False" internally. */
const char *config_str(const struct cb_config *cfg, const char *dest);
long config_int(const struct cb_config *cfg, const char *dest);  /* 0 if unset */
int config_bool(const struct cb_config *cfg, const char *dest);  /* 1/0 */

/* Lists (-d, webroot_path, pref_challs, ...): NULL-terminated, borrowed;
 * *n may be NULL.  Never NULL itself (an empty list is {NULL}). */
const char *const *config_list(const struct cb_config *cfg, const char *dest,
                               size_t *n);

/* Where the current value came from; config_is_set is origin >= FILE. */
enum config_origin config_origin(const struct cb_config *cfg, const char *dest);
int config_is_set(const struct cb_config *cfg, const char *dest);

/* Replace a value (copied).  A list dest takes the value as one element
 * list; use config_list_set for several.  value NULL clears to default. */
int config_set(struct cb_config *cfg, const char *dest, const char *value,
               enum config_origin origin);
int config_list_set(struct cb_config *cfg, const char *dest,
                    const char *const *values, size_t n,
                    enum config_origin origin);

/* Iterate over every dest that has a non-default value, in table order;
 * returns the number visited. The callback returns non-zero to stop. */
typedef int (*config_visit_fn)(const char *dest, enum config_origin origin,
                               void *arg);
size_t config_foreach(const struct cb_config *cfg, config_visit_fn fn,
                      void *arg);

/* Static facts about a dest (core flag or registered plugin option).
 * renewal: saved to [renewalparams] when user-set (Certbot's
 * STR/INT/BOOL_CONFIG_ITEMS and every plugin option not CB_OPT_NOSAVE).
 * Returns CB_ERR_NOT_FOUND for an unknown dest. */
enum config_type {
    CONFIG_T_STR = 1,
    CONFIG_T_INT = 2,
    CONFIG_T_BOOL = 3,   /* True/False */
    CONFIG_T_LIST = 4,
    CONFIG_T_COUNT = 5,  /* -v */
};
int config_dest_info(const char *dest, enum config_type *type, int *renewal);

/* ---- additions (cli room) ---- */

/* Set the subcommand (cli_parse does; tests and renew may too). */
int config_set_verb(struct cb_config *cfg, const char *verb);

/* Append one value (copied) to a list dest; the list becomes origin. */
int config_list_add(struct cb_config *cfg, const char *dest,
                    const char *value, enum config_origin origin);

/* For plugin list options flagged CB_OPT_PER_DOMAIN (webroot's -w): for
 * each element, how many "domains" entries existed when it was given, in
 * cli.ini-then-argv order.  Certbot maps each domain to the last -w before
 * it.  NULL (and *n = 0) when nothing was recorded, e.g. after
 * config_list_set. Borrowed like config_list. */
const size_t *config_list_domain_marks(const struct cb_config *cfg,
                                       const char *dest, size_t *n);

/* The dest's default as text (NULL for Python's None). Borrowed, static. */
const char *config_default(const char *dest);

/* Certbot's set_by_user(): origin FILE/ARGV, or a modifier was
 * (account <- server <- dry_run/staging; webroot_map <- webroot_path). */
int config_set_by_user(const struct cb_config *cfg, const char *dest);
/* Certbot's option_was_set(): set_by_user, or the value differs from the
 * default (runtime and restored values).  What renewal saving uses. */
int config_option_was_set(const struct cb_config *cfg, const char *dest);

/* 1 for --eab-hmac-key and CB_OPT_SECRET plugin options: never log. */
int config_dest_is_secret(const char *dest);
/* The plugin whose option dest is ("webroot"), or NULL for core dests. */
const char *config_dest_plugin(const char *dest);

#endif
