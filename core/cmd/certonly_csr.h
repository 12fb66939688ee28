/* certonly --csr: get a user-supplied CSR signed (SPEC 3.8, 4.15, 6.11).
 * No key is generated, no lineage or renewal conf is written; the
 * certificate, chain and full chain go to --cert-path, --chain-path and
 * --fullchain-path (defaulted ones made unique as NNNN_<name>). */
#ifndef CB_CMD_CERTONLY_CSR_H
#define CB_CMD_CERTONLY_CSR_H

#include "cmd/cmd.h"
#include "util/err.h"

/* The whole --csr flow of certonly; the config's "csr" must be set. */
int certonly_csr(struct cmd_ctx *ctx, struct cb_err *err);

#endif
