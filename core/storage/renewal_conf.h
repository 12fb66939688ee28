/* renewal/<name>.conf: the lineage's configobj file (SPEC 3.3).
 *
 * Ownership: struct renewal_conf owns its document and strings. */
#ifndef CB_STORAGE_RENEWAL_CONF_H
#define CB_STORAGE_RENEWAL_CONF_H

#include "storage/configobj.h"
#include "util/err.h"

struct renewal_conf {
    char *path;              /* absolute path of the .conf */
    char *name;              /* lineage name: basename without ".conf" */
    struct configobj *doc;
};

/* Parse; a syntax error is CB_ERR_CONFIG naming the file. */
int renewal_conf_load(const char *path, struct renewal_conf **out,
                      struct cb_err *err);
void renewal_conf_free(struct renewal_conf *rc);
/* Addition: an empty conf for path (not written until saved); NULL on
 * ENOMEM.  Caller frees with renewal_conf_free. */
struct renewal_conf *renewal_conf_new(const char *path);

/* Top-level key ("version", "archive_dir", "cert", "privkey", "chain",
 * "fullchain", "renew_before_expiry") or NULL. */
const char *renewal_conf_get(const struct renewal_conf *rc, const char *key);
int renewal_conf_set(struct renewal_conf *rc, const char *key,
                     const char *value);
/* [renewalparams], or NULL when absent / created when create != 0. */
struct co_section *renewal_conf_params(struct renewal_conf *rc, int create);

/* Write <path>.new with the current file's mode (0644 for a new file),
 * then rename over path. */
int renewal_conf_save(const struct renewal_conf *rc, struct cb_err *err);

#endif
