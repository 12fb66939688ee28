/* certificates: list lineages in Certbot 5.6's format (SPEC 4.10). */
#define LOG_COMPONENT "certbot._internal.cert_manager"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "cmd/cmd.h"
#include "crypto/cert.h"
#include "crypto/key.h"
#include "crypto/ocsp.h"
#include "crypto/x509_lite.h"
#include "storage/fsutil.h"
#include "storage/lineage.h"
#include "util/display.h"
#include "util/log.h"
#include "util/strvec.h"

/* "VALID: 12 days" / "VALID: 1 day" / "VALID: 5 hour(s)" / "INVALID: ..." */
static void status_text(const struct lineage *l, const struct cert_info *ci,
                        char *buf, size_t len)
{
    struct co_section *params = renewal_conf_params(l->conf, 0);
    const char *server = params ? co_get(params, "server") : NULL;
    int64_t left = ci->not_after - (int64_t)time(NULL);
    struct strvec reasons = {0};
    char *joined;

    if (server && strstr(server, "staging"))
        strvec_push(&reasons, "TEST_CERT");
    if (left <= 0)
        strvec_push(&reasons, "EXPIRED");
    else if (ocsp_revoked(l->path[LK_CERT], l->path[LK_CHAIN], NULL))
        strvec_push(&reasons, "REVOKED");
    if (reasons.n) {
        joined = strvec_join(&reasons, ", ");
        snprintf(buf, len, "INVALID: %s", joined ? joined : "");
        free(joined);
    } else if (left >= 2 * 86400) {
        snprintf(buf, len, "VALID: %lld days", (long long)(left / 86400));
    } else if (left >= 86400) {
        snprintf(buf, len, "VALID: 1 day");
    } else {
        snprintf(buf, len, "VALID: %lld hour(s)", (long long)(left / 3600));
    }
    strvec_clear(&reasons);
}

/* Certbot's verify_renewable_cert: fullchain == cert + chain and the key
 * matches the certificate. */
static int lineage_consistent(const struct lineage *l, struct cb_err *err)
{
    char *cert = NULL, *chain = NULL, *full = NULL;
    size_t lc = 0, lch = 0, lf = 0;
    char *keypem = NULL;
    size_t lk = 0;
    EVP_PKEY *key = NULL;
    int r, m;

    if (fs_read_all(l->path[LK_CERT], &cert, &lc, err) != CB_OK ||
        fs_read_all(l->path[LK_CHAIN], &chain, &lch, err) != CB_OK ||
        fs_read_all(l->path[LK_FULLCHAIN], &full, &lf, err) != CB_OK) {
        r = CB_ERR_IO;
        goto out;
    }
    if (lf != lc + lch || memcmp(full, cert, lc) != 0 ||
        memcmp(full + lc, chain, lch) != 0) {
        r = cb_err_set(err, CB_ERR_CONFIG,
                       "fullchain does not match cert + chain for %s",
                       l->name);
        goto out;
    }
    /* The DER reader first: OpenSSL 3 spends ~4M instructions decoding
     * a private key, per lineage listed. */
    r = fs_read_all(l->path[LK_PRIVKEY], &keypem, &lk, err);
    if (r != CB_OK)
        goto out;
    m = x509_lite_key_matches(cert, lc, keypem, lk);
    if (m == 1)
        goto out;
    if (m == 0) {
        r = cb_err_set(err, CB_ERR_CONFIG,
                       "The private key does not match the certificate for %s",
                       l->name);
        goto out;
    }
    r = key_from_pem(keypem, lk, &key, err);
    if (r == CB_OK && !cert_matches_key(cert, lc, key))
        r = cb_err_set(err, CB_ERR_CONFIG,
                       "The private key does not match the certificate for %s",
                       l->name);
out:
    EVP_PKEY_free(key);
    if (keypem) {
        OPENSSL_cleanse(keypem, lk);
        free(keypem);
    }
    free(cert);
    free(chain);
    free(full);
    return r;
}

static int matches_filter(struct cb_config *cfg, const struct cert_info *ci,
                          const struct lineage *l)
{
    const char *certname = config_str(cfg, "certname");
    size_t nd = 0, ni = 0;
    const char *const *d = config_list(cfg, "domains", &nd);
    const char *const *ip = config_list(cfg, "ip_addresses", &ni);

    if (certname && strcmp(certname, l->name) != 0)
        return 0;
    for (size_t i = 0; i < nd; i++)
        if (!strvec_contains(&ci->dns, d[i]))
            return 0;
    for (size_t i = 0; i < ni; i++)
        if (!strvec_contains(&ci->ips, ip[i]))
            return 0;
    return 1;
}

static int append_lineage(struct strvec *out, const struct lineage *l,
                          const struct cert_info *ci)
{
    struct strvec ids = {0};
    char status[128], expiry[64], *idstr;
    time_t t = (time_t)ci->not_after;
    struct tm tm;
    int r;

    for (size_t i = 0; i < ci->dns.n; i++)
        strvec_push(&ids, ci->dns.v[i]);
    for (size_t i = 0; i < ci->ips.n; i++)
        strvec_push(&ids, ci->ips.v[i]);
    idstr = strvec_join(&ids, " ");
    gmtime_r(&t, &tm);
    strftime(expiry, sizeof(expiry), "%Y-%m-%d %H:%M:%S+00:00", &tm);
    status_text(l, ci, status, sizeof(status));
    r = strvec_pushf(out,
                     "  Certificate Name: %s\n"
                     "    Serial Number: %s\n"
                     "    Key Type: %s\n"
                     "    Identifiers: %s\n"
                     "    Expiry Date: %s (%s)\n"
                     "    Certificate Path: %s\n"
                     "    Private Key Path: %s",
                     l->name, ci->serial_hex, ci->key_type,
                     idstr ? idstr : "", expiry, status,
                     l->path[LK_FULLCHAIN], l->path[LK_PRIVKEY]);
    free(idstr);
    strvec_clear(&ids);
    return r;
}

int cmd_certificates(struct cmd_ctx *ctx, struct cb_err *err)
{
    struct cb_config *cfg = ctx->cfg;
    const char *config_dir = config_str(cfg, "config_dir");
    struct strvec confs = {0}, good = {0}, bad = {0};
    size_t nd = 0, ni = 0, parsed = 0;
    int filtered, r;

    config_list(cfg, "domains", &nd);
    config_list(cfg, "ip_addresses", &ni);
    filtered = config_str(cfg, "certname") || nd || ni;
    r = lineage_list_confs(config_dir, &confs, err);
    if (r != CB_OK)
        goto out;
    for (size_t i = 0; i < confs.n; i++) {
        struct lineage *l = NULL;
        struct cert_info ci = {0};
        struct cb_err e = {0};
        /* Listing repairs nothing but interrupted switch-overs
         * (previous_* links); Certbot deploys new versions only when it
         * renews. */
        if (lineage_load_ex(confs.v[i], config_dir, LINEAGE_LOAD_NO_DEPLOY,
                            &l, &e) != CB_OK ||
            cert_info_load(l->path[LK_CERT], &ci, &e) != CB_OK ||
            lineage_consistent(l, &e) != CB_OK) {
            log_debug("Renewal configuration %s is invalid: %s", confs.v[i],
                      cb_err_msg(&e));
            /* Certbot lists every invalid conf, whatever the filter. */
            strvec_pushf(&bad, "  %s", confs.v[i]);
        } else {
            parsed++;
            if (matches_filter(cfg, &ci, l))
                append_lineage(&good, l, &ci);
        }
        cert_info_free(&ci);
        lineage_free(l);
    }

    /* Like Certbot: "No certificates found." only when there is no
     * lineage at all; a filter that matches none of the valid ones still
     * prints the header with an empty list (scripts see the same text). */
    if (parsed == 0 && bad.n == 0) {
        display_notification("No certificates found.", 1, 0);
    } else {
        struct strvec parts = {0};
        char *body, *invalid;
        if (parsed) {
            body = strvec_join(&good, "\n");
            strvec_pushf(&parts, "%s\n%s",
                         filtered ? "Found the following matching certs:"
                                  : "Found the following certs:",
                         body ? body : "");
            free(body);
        }
        if (bad.n) {
            invalid = strvec_join(&bad, "\n");
            strvec_pushf(&parts,
                         "%sThe following renewal configurations were "
                         "invalid:\n%s",
                         parsed ? "\n" : "", invalid ? invalid : "");
            free(invalid);
        }
        body = strvec_join(&parts, "\n");
        display_notification(body ? body : "", 1, 0);
        free(body);
        strvec_clear(&parts);
    }
out:
    strvec_clear(&confs);
    strvec_clear(&good);
    strvec_clear(&bad);
    return r;
}
