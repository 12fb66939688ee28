/* revoke: revoke a certificate signed by the account key or by the
 * certificate's own key, then offer to delete its lineage (SPEC 1, 4.11;
 * A-211..A-218, A-113, A-329). */
#define LOG_COMPONENT "certbot._internal.main"

#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "acme/jws.h"
#include "cmd/cmd.h"
#include "crypto/cert.h"
#include "crypto/key.h"
#include "lifecycle/session.h"
#include "storage/fsutil.h"
#include "storage/lineage.h"
#include "util/display.h"
#include "util/log.h"
#include "util/strvec.h"

/* os.path.exists */
static int path_exists(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0;
}

/* Every lineage that loads (Certbot's _search_lineages skips broken
 * ones). */
struct lineage_set {
    struct lineage **v;
    size_t n;
};

static void lineage_set_free(struct lineage_set *set)
{
    for (size_t i = 0; i < set->n; i++)
        lineage_free(set->v[i]);
    free(set->v);
    set->v = NULL;
    set->n = 0;
}

static int lineage_set_load(const char *config_dir, struct lineage_set *set,
                            struct cb_err *err)
{
    struct strvec confs = {0};
    int r;

    r = lineage_list_confs(config_dir, &confs, err);
    if (r == CB_OK && confs.n) {
        set->v = calloc(confs.n, sizeof(*set->v));
        if (!set->v)
            r = cb_err_set(err, CB_ERR_NOMEM, "out of memory");
    }
    for (size_t i = 0; r == CB_OK && i < confs.n; i++) {
        struct cb_err e = {0};
        struct lineage *l = NULL;

        if (lineage_load_ex(confs.v[i], config_dir, LINEAGE_LOAD_NO_DEPLOY,
                            &l, &e) != CB_OK) {
            log_debug("Renewal conf file %s is broken. Skipping.",
                      confs.v[i]);
            continue;
        }
        set->v[set->n++] = l;
    }
    strvec_clear(&confs);
    return r;
}

/* Certbot's archive-file match: "<kind>[0-9]*.pem" anchored at the start
 * only (re.match), the '.' matching any character. */
static int archive_name_matches(const char *name, const char *kind)
{
    size_t k = strlen(kind);

    if (strncmp(name, kind, k) != 0)
        return 0;
    name += k;
    while (*name >= '0' && *name <= '9')
        name++;
    return name[0] != '\0' && strncmp(name + 1, "pem", 3) == 0;
}

/* Does cert_path name this lineage's fullchain or cert, or one of its
 * archive cert / fullchain files? */
static int lineage_has_path(const struct lineage *l, const char *cert_path)
{
    const char *dir = l->archive_dir;
    size_t dl = strlen(dir);
    const char *base;

    if (strcmp(cert_path, l->path[LK_FULLCHAIN]) == 0 ||
        strcmp(cert_path, l->path[LK_CERT]) == 0)
        return 1;
    if (strncmp(cert_path, dir, dl) != 0 || cert_path[dl] != '/')
        return 0;
    base = cert_path + dl + 1;
    if (strchr(base, '/') || !path_exists(cert_path))
        return 0;
    return archive_name_matches(base, "cert") ||
           archive_name_matches(base, "fullchain");
}

/* Certbot's cert_path_to_lineage. */
static int cert_path_to_lineage(const struct lineage_set *set,
                                const char *cert_path, const char **name,
                                struct cb_err *err)
{
    size_t found = 0;

    for (size_t i = 0; i < set->n; i++) {
        if (lineage_has_path(set->v[i], cert_path)) {
            *name = set->v[i]->name;
            found++;
        }
    }
    if (found == 0)
        return cb_err_set(err, CB_ERR_NOT_FOUND,
                          "No match found for cert-path %s!", cert_path);
    if (found > 1)
        return cb_err_set(err, CB_ERR_EXISTS,
                          "More than one certificate lineage matches "
                          "cert-path %s.", cert_path);
    return CB_OK;
}

/* Certbot's _delete_if_appropriate. */
static int delete_if_appropriate(struct cmd_ctx *ctx, const char *cert_path,
                                 struct cb_err *err)
{
    struct cb_config *cfg = ctx->cfg;
    const char *config_dir = config_str(cfg, "config_dir");
    const char *flag = config_str(cfg, "delete_after_revoke");
    const struct lineage *target = NULL;
    struct lineage_set set = {0};
    const char *name = NULL;
    char *conf = NULL;
    size_t sharing = 0;
    int yes = 1, r;

    if (flag) {
        yes = config_bool(cfg, "delete_after_revoke");
    } else {
        r = display_yesno("Would you like to delete the certificate(s) you "
                          "just revoked, along with all earlier and later "
                          "versions of the certificate?",
                          "Yes (recommended)", "No", 1, NULL, &yes, err);
        if (r != CB_OK)
            return r;
    }
    if (!yes)
        return CB_OK;

    r = lineage_set_load(config_dir, &set, err);
    if (r != CB_OK)
        goto out;
    name = config_str(cfg, "certname");
    if (!name) {
        r = cert_path_to_lineage(&set, cert_path, &name, err);
        if (r != CB_OK)
            goto out;
    }
    conf = lineage_conf_path(config_dir, name);
    if (!conf) {
        r = cb_err_set(err, CB_ERR_NOMEM, "out of memory");
        goto out;
    }
    if (!path_exists(conf)) {
        r = cb_err_set(err, CB_ERR_NOT_FOUND,
                       "No certificate found with name %s (expected %s).",
                       name, conf);
        goto out;
    }
    for (size_t i = 0; i < set.n; i++)
        if (strcmp(set.v[i]->name, name) == 0)
            target = set.v[i];
    if (!target) {
        r = cb_err_set(err, CB_ERR_CONFIG,
                       "The renewal configuration of %s could not be loaded, "
                       "so its files were not deleted.", name);
        goto out;
    }
    for (size_t i = 0; i < set.n; i++)
        if (strcmp(set.v[i]->archive_dir, target->archive_dir) == 0)
            sharing++;
    if (sharing > 1) {
        log_warning("Not deleting revoked certificates due to overlapping "
                    "archive dirs. More than one certificate is using %s",
                    target->archive_dir);
        r = CB_OK;
        goto out;
    }
    /* the delete verb for that one lineage, prompt included */
    r = config_set(cfg, "certname", target->name, CONFIG_RUNTIME);
    if (r != CB_OK) {
        r = cb_err_set(err, r, "out of memory");
        goto out;
    }
    r = cmd_delete(ctx, err);
out:
    free(conf);
    lineage_set_free(&set);
    return r;
}

/* --cert-name: the lineage's cert.pem and, unless --server (or
 * --staging) was given, the server it was obtained from. */
static int from_lineage(struct cb_config *cfg, char **cert_path,
                        struct cb_err *err)
{
    const char *config_dir = config_str(cfg, "config_dir");
    const char *name = config_str(cfg, "certname");
    char *conf = lineage_conf_path(config_dir, name);
    struct lineage *l = NULL;
    struct co_section *params;
    const char *server;
    int r;

    if (!conf)
        return cb_err_set(err, CB_ERR_NOMEM, "out of memory");
    if (!path_exists(conf)) {
        r = cb_err_set(err, CB_ERR_NOT_FOUND,
                       "No certificate found with name %s (expected %s).",
                       name, conf);
        goto out;
    }
    r = lineage_load_ex(conf, config_dir, LINEAGE_LOAD_NO_DEPLOY, &l, err);
    if (r != CB_OK)
        goto out;
    *cert_path = strdup(l->path[LK_CERT]);
    if (!*cert_path) {
        r = cb_err_set(err, CB_ERR_NOMEM, "out of memory");
        goto out;
    }
    params = renewal_conf_params(l->conf, 0);
    server = params ? co_get(params, "server") : NULL;
    if (server && *server && !config_set_by_user(cfg, "server")) {
        r = config_set(cfg, "server", server, CONFIG_RUNTIME);
        if (r != CB_OK)
            r = cb_err_set(err, r, "out of memory");
    }
out:
    lineage_free(l);
    free(conf);
    return r;
}

/* Certbot's verify_cert_matches_priv_key, then the key for the JWS. */
static int load_cert_key(const char *cert_path, const char *key_path,
                         const char *pem, size_t len, EVP_PKEY **key,
                         struct cb_err *err)
{
    struct cb_err e = {0};
    int r;

    r = key_load_file(key_path, key, &e);
    if (r == CB_OK && !cert_matches_key(pem, len, *key))
        r = cb_err_set(&e, CB_ERR_CONFIG, "key values mismatch");
    if (r != CB_OK)
        return cb_err_set(err, r,
                          "verifying the certificate located at %s matches "
                          "the private key located at %s has failed. "
                          "Details: %s",
                          cert_path, key_path, cb_err_msg(&e));
    if (!jws_alg(*key))
        return cb_err_set(err, CB_ERR_NOT_SUPPORTED,
                          "The key at %s cannot sign ACME requests.",
                          key_path);
    return CB_OK;
}

int cmd_revoke(struct cmd_ctx *ctx, struct cb_err *err)
{
    struct cb_config *cfg = ctx->cfg;
    const char *key_path = config_str(cfg, "key_path");
    struct session s = {0};
    EVP_PKEY *cert_key = NULL;
    unsigned char *der = NULL;
    char *cert_path = NULL, *pem = NULL;
    size_t der_len = 0, pem_len = 0;
    int reason, r;

    /* no plugin takes part: the user agent says Authenticator/None */
    config_set(cfg, "authenticator", NULL, CONFIG_RUNTIME);
    config_set(cfg, "installer", NULL, CONFIG_RUNTIME);
    if (!config_str(cfg, "cert_path") && config_str(cfg, "certname")) {
        r = from_lineage(cfg, &cert_path, err);
        if (r != CB_OK)
            goto out;
    } else if (!config_str(cfg, "cert_path") || config_str(cfg, "certname")) {
        r = cb_err_set(err, CB_ERR_CONFIG,
                       "Error! Exactly one of --cert-path or --cert-name "
                       "must be specified!");
        goto out;
    } else {
        cert_path = strdup(config_str(cfg, "cert_path"));
        if (!cert_path) {
            r = cb_err_set(err, CB_ERR_NOMEM, "out of memory");
            goto out;
        }
    }

    r = fs_read_all(cert_path, &pem, &pem_len, err);
    if (r != CB_OK)
        goto out;
    r = session_open(cfg, &s, err);
    if (r != CB_OK)
        goto out;
    if (key_path) {
        log_debug("Revoking %s using certificate key %s", cert_path,
                  key_path);
        r = load_cert_key(cert_path, key_path, pem, pem_len, &cert_key, err);
        if (r != CB_OK)
            goto out;
        acme_client_set_key(s.acme, cert_key, NULL);
    } else {
        log_debug("Revoking %s using Account Key", cert_path);
        r = session_account(cfg, &s, 1, err);
        if (r != CB_OK)
            goto out;
    }
    r = cert_pem_to_der(pem, pem_len, &der, &der_len, err);
    if (r != CB_OK)
        goto out;
    reason = (int)config_int(cfg, "reason");
    log_debug("Reason code for revocation: %d", reason);
    r = acme_revoke(s.acme, der, der_len, reason, key_path != NULL, err);
    if (r != CB_OK)
        goto out;
    r = delete_if_appropriate(ctx, cert_path, err);
    if (r != CB_OK)
        goto out;
    display_notifyf(0, "Congratulations! You have successfully revoked the "
                       "certificate that was located at %s.", cert_path);
out:
    session_close(&s);
    EVP_PKEY_free(cert_key);
    OPENSSL_free(der);
    free(pem);
    free(cert_path);
    return r;
}
