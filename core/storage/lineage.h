/* A certificate lineage: archive/<name>/{cert,chain,fullchain,privkey}N.pem,
 * live/<name>/<kind>.pem relative symlinks and renewal/<name>.conf (SPEC 3.1,
 * 3.2).
 *
 * Crash safety: a new lineage becomes visible only when its renewal conf
 * is renamed into place, after archive/ and live/ are complete; a new
 * version switches the live links through previous_*.pem links so a crash
 * at any point leaves the previous state or the new one.
 *
 * Ownership: struct lineage owns its strings and conf. */
#ifndef CB_STORAGE_LINEAGE_H
#define CB_STORAGE_LINEAGE_H

#include <stddef.h>

#include "storage/renewal_conf.h"
#include "util/err.h"
#include "util/strvec.h"

enum lineage_kind { LK_CERT = 0, LK_PRIVKEY, LK_CHAIN, LK_FULLCHAIN, LK_N };

struct lineage_cache;

struct lineage {
    char *name;
    char *config_dir;
    char *archive_dir;
    char *live_dir;              /* <config>/live/<name> */
    char *path[LK_N];            /* live paths from the conf */
    struct renewal_conf *conf;
    /* What load read of the links and the archive (lineage.c); NULL in
     * a lineage from lineage_create, which then asks the disk each time. */
    struct lineage_cache *cache;
};

/* Sorted (strcmp on file name) absolute paths of <config>/renewal/<name>.conf. */
int lineage_list_confs(const char *config_dir, struct strvec *out,
                       struct cb_err *err);
/* The lineage names (<name> of each renewal/<name>.conf), same order. */
int lineage_list_names(const char *config_dir, struct strvec *names,
                       struct cb_err *err);
/* Path of <config>/renewal/<name>.conf (caller frees). */
char *lineage_conf_path(const char *config_dir, const char *name);

/* Load and check: the four references present ("renewal config file X is
 * missing a required file reference"), each a symlink to an existing file.
 * Repairs previous_* leftovers and re-points live to a newer complete
 * archive version (warning "Found a new certificate /archive/ that was not
 * linked to in /live/; fixing..."). Errors are CB_ERR_CONFIG. */
int lineage_load(const char *conf_path, const char *config_dir,
                 struct lineage **out, struct cb_err *err);
void lineage_free(struct lineage *l);

/* Additions (storage room).  Python Certbot runs ensure_deployed only in
 * renew and in certonly's "same names" path; `certificates`, `delete` and
 * friends only repair previous_* leftovers (A-159 relies on that).  Those
 * callers pass LINEAGE_LOAD_NO_DEPLOY. */
#define LINEAGE_LOAD_NO_DEPLOY 1u
int lineage_load_ex(const char *conf_path, const char *config_dir,
                    unsigned flags, struct lineage **out, struct cb_err *err);
/* Link the newest complete archive version if live lags behind (warning
 * "Found a new certificate /archive/ ..."): 1 fixed, 0 nothing to do. */
int lineage_ensure_deployed(struct lineage *l, struct cb_err *err);

/* Create a new lineage named name (or name-0001, -0002, ... when taken),
 * version 1, with README files, Certbot's modes, and a renewal conf with
 * the top-level keys (version, archive_dir, cert, privkey, chain,
 * fullchain) and an empty [renewalparams] that the caller fills and
 * saves.  The key is written 0600 from creation.  On any failure nothing
 * is left behind. */
int lineage_create(const char *config_dir, const char *name,
                   const char *cert, const char *chain, const char *fullchain,
                   const char *key_pem, size_t key_len,
                   const char *certbot_version, struct lineage **out,
                   struct cb_err *err);
/* lineage_create with [renewalparams] filled from params (copied) before
 * the conf is published: a crash leaves either no lineage or a complete
 * one. */
int lineage_create_params(const char *config_dir, const char *name,
                          const char *cert, const char *chain,
                          const char *fullchain, const char *key_pem,
                          size_t key_len, const char *certbot_version,
                          const struct co_section *params,
                          struct lineage **out, struct cb_err *err);

/* Write version next_free_version() and switch the live links to it.
 * key_pem NULL reuses the current key bytes.  The new key's mode is 0600 |
 * (old & (g+rwx | o+r)) and its group is copied from the old key.  Updates
 * the conf's version key in memory (caller saves). */
int lineage_save_successor(struct lineage *l, const char *cert,
                           const char *chain, const char *fullchain,
                           const char *key_pem, size_t key_len,
                           const char *certbot_version, int *new_version,
                           struct cb_err *err);

/* Version live/<kind> points to, or -1. */
int lineage_current_version(const struct lineage *l, enum lineage_kind kind);
/* 1 when live/<kind> points to exactly the archive file of version
 * (lexically, as Certbot's current_target compares), else 0. */
int lineage_live_is_version(const struct lineage *l, enum lineage_kind kind,
                            int version);
/* Highest version for which all four archive files exist, or -1. */
int lineage_latest_common_version(const struct lineage *l);
int lineage_next_free_version(const struct lineage *l);
/* Archive path of kind at version (caller frees). */
char *lineage_version_path(const struct lineage *l, enum lineage_kind kind,
                           int version);
/* Delete archive versions older than current - keep. */
int lineage_truncate(struct lineage *l, int keep, struct cb_err *err);
/* Remove conf, live links + README + live dir (if empty), archive dir. */
int lineage_delete(const char *config_dir, const char *name,
                   struct cb_err *err);

#endif
