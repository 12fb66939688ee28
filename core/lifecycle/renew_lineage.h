/* A new version of an existing lineage (SPEC 4.4, 4.7): the key (fresh,
 * or the current one with reuse_key), the successor in archive/ + live/,
 * archive truncation and the rewritten [renewalparams].
 *
 * Ownership: nothing returned; *key_out is the caller's (EVP_PKEY_free). */
#ifndef CB_LIFECYCLE_RENEW_LINEAGE_H
#define CB_LIFECYCLE_RENEW_LINEAGE_H

#include <openssl/evp.h>

#include "cmd/cmd.h"
#include "lifecycle/hooks.h"
#include "lifecycle/obtain.h"
#include "storage/lineage.h"

/* Versions kept besides the current one (Certbot 2.3+). */
#define RENEW_ARCHIVE_KEEP 5

/* Save res as the lineage's next version (key NULL or reused=1: the
 * current key bytes again), truncate the archive and save the conf with
 * [renewalparams] from cfg. */
int renew_lineage_save(struct cb_config *cfg, struct lineage *l,
                       const struct obtain_result *res, EVP_PKEY *key,
                       int reused, struct cb_err *err);

/* The key for renew: with reuse_key (and no --new-key) the current key,
 * refusing --key-type/--rsa-key-size/--elliptic-curve values that differ
 * from it; else a fresh key of the configured type. */
int renew_lineage_key(struct cb_config *cfg, const struct lineage *l,
                      EVP_PKEY **key_out, int *reused, struct cb_err *err);

/* The renew verb's work for one due lineage, ctx->cfg being the
 * lineage's restored configuration: the stored authenticator, the
 * account, pre hooks (once per run via hr), the certificate, the saved
 * successor (not on a dry run), deploy hooks; post hooks are queued in
 * hr once pre hooks ran. */
int renew_lineage(struct cmd_ctx *ctx, struct lineage *l,
                  struct hook_run *hr, struct cb_err *err);

#endif
