/* The obtain half of certonly, shared with run (SPEC 4.1 steps 2-7):
 * names, account, lineage decision, hooks, obtain and save.
 *
 * Ownership: struct certonly_out owns its names and lineage choice until
 * certonly_out_free(). */
#ifndef CB_CMD_CERTONLY_FLOW_H
#define CB_CMD_CERTONLY_FLOW_H

#include "cmd/cmd.h"
#include "lifecycle/lineage_choice.h"
#include "plugin/instance.h"
#include "util/strvec.h"

struct certonly_out {
    struct strvec names;          /* identifiers, DNS names then IPs */
    struct lineage_choice choice; /* LA_KEEP: nothing was obtained */
    int obtained;                 /* a certificate was issued */
    int renewed;                  /* ... as a new version of a lineage */
};

/* auth is the prepared authenticator (borrowed).  run=1 refuses IP
 * identifiers, returns quietly for an up-to-date lineage (reinstall) and
 * reports a new certificate without NEXT STEPS. */
int certonly_flow(struct cmd_ctx *ctx, struct plugin_inst *auth, int run,
                  struct certonly_out *out, struct cb_err *err);
void certonly_out_free(struct certonly_out *o);

/* NEXT STEPS (new_cert=1: a certificate was saved) and the donation
 * box. */
void certonly_report_steps(struct cb_config *cfg, int new_cert);
/* The donation box after a successful request (not for staging CAs). */
void certonly_report_donation(struct cb_config *cfg);

#endif
