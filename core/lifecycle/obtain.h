/* names -> order -> authorizations -> finalize -> certificate chain
 * (SPEC 4.1 step 5, 4.2).
 *
 * Ownership: struct obtain_result owns its PEM strings until
 * obtain_result_free(). */
#ifndef CB_LIFECYCLE_OBTAIN_H
#define CB_LIFECYCLE_OBTAIN_H

#include <openssl/evp.h>

#include "acme/client.h"
#include "cli/config.h"
#include "plugin/instance.h"
#include "util/err.h"

struct obtain_req {
    const char *const *dns;     /* NULL-terminated, may be NULL */
    const char *const *ips;     /* NULL-terminated, may be NULL */
    EVP_PKEY *key;              /* the certificate key (borrowed) */
};

struct obtain_result {
    char *cert;                 /* leaf PEM */
    char *chain;                /* intermediates PEM */
    char *fullchain;            /* cert + chain */
};

/* auth is the prepared authenticator; its plugin name is used in the
 * failure report.  Options come from cfg (pref_challs, must_staple,
 * preferred_chain, issuance_timeout, dry_run, debug_challenges). */
int obtain_certificate(struct cb_config *cfg, struct acme_client *acme,
                       struct plugin_inst *auth, const struct obtain_req *req,
                       struct obtain_result *out, struct cb_err *err);
/* The same with a ready CSR (certonly --csr): the order is for req's
 * dns/ips, finalized with csr_der (borrowed); req->key is not used. */
int obtain_certificate_csr(struct cb_config *cfg, struct acme_client *acme,
                           struct plugin_inst *auth,
                           const struct obtain_req *req,
                           const unsigned char *csr_der, size_t csr_len,
                           struct obtain_result *out, struct cb_err *err);
void obtain_result_free(struct obtain_result *res);

#endif
