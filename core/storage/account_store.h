/* accounts/<netloc><path>/<id>/{private_key.json,regr.json,meta.json}
 * (SPEC 3.4).  id = lowercase hex MD5 of the public key's PEM
 * SubjectPublicKeyInfo.  Keys are stored as RSA JWK JSON, mode 0400.
 *
 * Ownership: struct account owns its strings and key. */
#ifndef CB_STORAGE_ACCOUNT_STORE_H
#define CB_STORAGE_ACCOUNT_STORE_H

#include <stddef.h>
#include <openssl/evp.h>

#include "util/err.h"

struct account {
    char *id;
    char *dir;               /* absolute account directory */
    char *uri;               /* regr.json "uri" */
    char *creation_dt;       /* meta.json */
    char *creation_host;
    char *register_to_eff;   /* NULL unless pending */
    EVP_PKEY *key;
};

/* <config>/accounts/<netloc><path> (caller frees). */
char *account_server_dir(const char *config_dir, const char *server);
/* lowercase hex md5 of the SPKI PEM (caller frees). */
char *account_id_for_key(EVP_PKEY *key);

/* All accounts for server, sorted by id; *out caller frees with
 * account_list_free.  No directory: zero accounts. */
int account_list(const char *config_dir, const char *server,
                 struct account ***out, size_t *n, struct cb_err *err);
void account_list_free(struct account **list, size_t n);
int account_load(const char *config_dir, const char *server, const char *id,
                 struct account **out, struct cb_err *err);
/* Save a new account (dirs 0700, files written in a temp dir renamed into
 * place so a crash leaves no half account).  register_to_eff may be NULL. */
int account_save(const char *config_dir, const char *server, EVP_PKEY *key,
                 const char *uri, const char *register_to_eff,
                 struct account **out, struct cb_err *err);
/* Rewrite meta.json / regr.json after a change to a. */
int account_update(const struct account *a, struct cb_err *err);
/* Remove <id>/ and then the server dir levels that became empty (not
 * above accounts/<netloc>). */
int account_delete(const char *config_dir, const char *server,
                   const char *id, struct cb_err *err);
void account_free(struct account *a);

/* JWK (RSA private) <-> EVP_PKEY. Caller frees. */
char *account_key_to_jwk_json(EVP_PKEY *key);
int account_key_from_jwk_json(const char *json, EVP_PKEY **out,
                              struct cb_err *err);

#endif
