/* certonly --csr (SPEC 3.8, 4.15, 6.11). */
#define LOG_COMPONENT "certbot._internal.main"

#include "config.h"

#include "cmd/certonly_csr.h"
#include "lifecycle/eff.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "cmd/certonly_flow.h"
#include "crypto/cert.h"
#include "lifecycle/names.h"
#include "lifecycle/obtain.h"
#include "lifecycle/plugin_select.h"
#include "lifecycle/session.h"
#include "storage/fsutil.h"
#include "util/display.h"
#include "util/log.h"
#include "util/strvec.h"

/* NNNN_ candidates tried for a defaulted output path. */
#define UNIQUE_MAX 10000

/* The CSR as read: its DER and identifiers (the subject CN first, then
 * the SAN DNS names, then the SAN IPs, as Certbot lists them). */
struct csr_file {
    unsigned char *der;      /* OPENSSL_free */
    size_t der_len;
    struct strvec dns, ips, all;
};

static void csr_file_clear(struct csr_file *c)
{
    OPENSSL_free(c->der);
    c->der = NULL;
    strvec_clear(&c->dns);
    strvec_clear(&c->ips);
    strvec_clear(&c->all);
}

/* Certbot lowercases and strips the CSR's names. */
static int push_dns(struct csr_file *c, const char *s, size_t len)
{
    char *v;
    size_t i, j = 0;
    int r;

    v = malloc(len + 1);
    if (!v)
        return CB_ERR_NOMEM;
    for (i = 0; i < len; i++)
        if (!isspace((unsigned char)s[i]))
            v[j++] = (char)tolower((unsigned char)s[i]);
    v[j] = '\0';
    if (j == 0 || strvec_contains(&c->dns, v)) {
        free(v);
        return CB_OK;
    }
    r = strvec_push_take(&c->dns, v);
    if (r != CB_OK)
        free(v);
    return r;
}

static int push_ip(struct csr_file *c, const ASN1_OCTET_STRING *os)
{
    char buf[INET6_ADDRSTRLEN];
    const unsigned char *p = ASN1_STRING_get0_data(os);
    int len = ASN1_STRING_length(os);
    const char *t = NULL;

    if (len == 4)
        t = inet_ntop(AF_INET, p, buf, sizeof(buf));
    else if (len == 16)
        t = inet_ntop(AF_INET6, p, buf, sizeof(buf));
    if (!t || strvec_contains(&c->ips, buf))
        return CB_OK;
    return strvec_push(&c->ips, buf);
}

static int csr_names(X509_REQ *req, struct csr_file *c)
{
    const X509_NAME *subj = X509_REQ_get_subject_name(req);
    STACK_OF(X509_EXTENSION) *exts = X509_REQ_get_extensions(req);
    GENERAL_NAMES *gens = NULL;
    int idx, r = CB_OK;

    idx = subj ? X509_NAME_get_index_by_NID(subj, NID_commonName, -1) : -1;
    if (idx >= 0) {
        const ASN1_STRING *cn =
            X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subj, idx));
        r = push_dns(c, (const char *)ASN1_STRING_get0_data(cn),
                     (size_t)ASN1_STRING_length(cn));
    }
    if (exts)
        gens = X509V3_get_d2i(exts, NID_subject_alt_name, NULL, NULL);
    for (int i = 0; r == CB_OK && gens && i < sk_GENERAL_NAME_num(gens);
         i++) {
        const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);
        if (g->type == GEN_DNS)
            r = push_dns(c, (const char *)ASN1_STRING_get0_data(g->d.dNSName),
                         (size_t)ASN1_STRING_length(g->d.dNSName));
        else if (g->type == GEN_IPADD)
            r = push_ip(c, g->d.iPAddress);
    }
    for (size_t i = 0; r == CB_OK && i < c->dns.n; i++)
        r = strvec_push(&c->all, c->dns.v[i]);
    for (size_t i = 0; r == CB_OK && i < c->ips.n; i++)
        r = strvec_push(&c->all, c->ips.v[i]);
    GENERAL_NAMES_free(gens);
    sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
    return r;
}

/* Read a DER or PEM CSR (DER tried first, like Certbot). */
static int csr_read(const char *path, struct csr_file *c, struct cb_err *err)
{
    char *data = NULL;
    size_t len = 0;
    const unsigned char *p;
    X509_REQ *req = NULL;
    BIO *bio = NULL;
    unsigned char *der = NULL;
    int der_len, r;

    r = fs_read_all(path, &data, &len, err);
    if (r != CB_OK)
        goto out;
    p = (const unsigned char *)data;
    req = d2i_X509_REQ(NULL, &p, (long)len);
    if (!req) {
        bio = BIO_new_mem_buf(data, (int)len);
        if (bio)
            req = PEM_read_bio_X509_REQ(bio, NULL, NULL, NULL);
    }
    if (!req) {
        r = cb_err_set(err, CB_ERR_CRYPTO, "Failed to parse CSR file: %s",
                       path);
        goto out;
    }
    der_len = i2d_X509_REQ(req, &der);
    if (der_len <= 0) {
        r = cb_err_set(err, CB_ERR_CRYPTO, "Failed to parse CSR file: %s",
                       path);
        goto out;
    }
    c->der = der;
    c->der_len = (size_t)der_len;
    r = csr_names(req, c);
    if (r != CB_OK)
        r = cb_err_set(err, r, "out of memory");
out:
    BIO_free(bio);
    X509_REQ_free(req);
    free(data);
    return r;
}

/* -d / --ip-address may only repeat what the CSR asks for (SPEC 4.15). */
static int check_consistent(struct cb_config *cfg, const char *path,
                            const struct csr_file *c, struct cb_err *err)
{
    size_t nd = 0, ni = 0;
    const char *const *d = config_list(cfg, "domains", &nd);
    const char *const *ip = config_list(cfg, "ip_addresses", &ni);
    struct strvec given = {0};
    char *csr_s = NULL, *given_s = NULL;
    int bad = 0, r = CB_OK;

    if (c->all.n == 0)
        return cb_err_set(err, CB_ERR_CONFIG,
                          "Unfortunately, your CSR %s needs to have a "
                          "SubjectAltName for every domain", path);
    for (size_t i = 0; i < nd; i++)
        if (!strvec_contains(&c->dns, d[i]))
            bad = 1;
    for (size_t i = 0; i < ni; i++)
        if (!strvec_contains(&c->ips, ip[i]))
            bad = 1;
    if (!bad)
        return CB_OK;
    /* Certbot shows the user's names followed by the CSR's. */
    for (size_t i = 0; r == CB_OK && i < nd; i++)
        r = strvec_push(&given, d[i]);
    for (size_t i = 0; r == CB_OK && i < c->dns.n; i++)
        r = strvec_push(&given, c->dns.v[i]);
    for (size_t i = 0; r == CB_OK && i < ni; i++)
        r = strvec_push(&given, ip[i]);
    for (size_t i = 0; r == CB_OK && i < c->ips.n; i++)
        r = strvec_push(&given, c->ips.v[i]);
    csr_s = strvec_join(&c->all, ", ");
    given_s = strvec_join(&given, ", ");
    if (r != CB_OK || !csr_s || !given_s)
        r = cb_err_set(err, CB_ERR_NOMEM, "out of memory");
    else
        r = cb_err_set(err, CB_ERR_CONFIG,
                       "Inconsistent requests:\nFrom the CSR: %s\nFrom "
                       "command line/config: %s",
                       csr_s, given_s);
    free(csr_s);
    free(given_s);
    strvec_clear(&given);
    return r;
}

/* Write data to a hidden temp file in dir, then hard-link it to the final
 * name: the name appears complete or not at all, and never replaces an
 * existing file (O_EXCL semantics).  A path the user gave must not exist;
 * a defaulted one becomes <dir>/NNNN_<name>, the first free from 0000.
 * *out is the path written (caller frees). */
static int write_output(const char *path, int user_set, const char *data,
                        struct cb_err *err, char **out)
{
    char *dcopy = strdup(path), *bcopy = strdup(path);
    char *tmp = NULL, *cand = NULL;
    const char *dir, *base;
    size_t len = strlen(data);
    int fd = -1, r = CB_OK;

    *out = NULL;
    if (!dcopy || !bcopy) {
        r = cb_err_set(err, CB_ERR_NOMEM, "out of memory");
        goto out;
    }
    dir = dirname(dcopy);
    base = basename(bcopy);
    if (asprintf(&tmp, "%s/.%s.XXXXXX", dir, base) < 0) {
        tmp = NULL;
        r = cb_err_set(err, CB_ERR_NOMEM, "out of memory");
        goto out;
    }
    fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0) {
        r = cb_err_set(err, CB_ERR_IO, "[Errno %d] %s: '%s'", errno,
                       strerror(errno), path);
        free(tmp);
        tmp = NULL;
        goto out;
    }
    for (size_t off = 0; off < len;) {
        ssize_t w = write(fd, data + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            r = cb_err_set(err, CB_ERR_IO, "[Errno %d] %s: '%s'", errno,
                           strerror(errno), tmp);
            goto out;
        }
        off += (size_t)w;
    }
    if (fchmod(fd, 0644) < 0 || fsync(fd) < 0 || close(fd) < 0) {
        fd = -1;
        r = cb_err_set(err, CB_ERR_IO, "[Errno %d] %s: '%s'", errno,
                       strerror(errno), tmp);
        goto out;
    }
    fd = -1;
    for (int count = 0; count < UNIQUE_MAX; count++) {
        int e;

        free(cand);
        cand = NULL;
        if (user_set)
            cand = strdup(path);
        else if (asprintf(&cand, "%s/%04d_%s", dir, count, base) < 0)
            cand = NULL;
        if (!cand) {
            r = cb_err_set(err, CB_ERR_NOMEM, "out of memory");
            goto out;
        }
        if (link(tmp, cand) == 0) {
            *out = cand;
            cand = NULL;
            goto out;
        }
        e = errno;
        if (e != EEXIST || user_set) {
            r = cb_err_set(err, CB_ERR_IO, "[Errno %d] %s: '%s'", e,
                           strerror(e), cand);
            goto out;
        }
    }
    r = cb_err_set(err, CB_ERR_IO, "No free file name for %s", path);
out:
    if (fd >= 0)
        close(fd);
    if (tmp)
        unlink(tmp);
    free(tmp);
    free(cand);
    free(dcopy);
    free(bcopy);
    return r;
}

/* The three outputs in Certbot's order: cert, chain, fullchain.  On
 * failure the files already written are removed again. */
static int save_outputs(struct cb_config *cfg, const struct obtain_result *res,
                        char *paths[3], struct cb_err *err)
{
    static const char *const dests[3] = {
        "cert_path", "chain_path", "fullchain_path",
    };
    const char *data[3];
    int strict = config_bool(cfg, "strict_permissions"), r = CB_OK;

    data[0] = res->cert;
    data[1] = res->chain;
    data[2] = res->fullchain;
    for (int i = 0; r == CB_OK && i < 3; i++) {
        char *d = strdup(config_str(cfg, dests[i]));
        if (!d)
            return cb_err_set(err, CB_ERR_NOMEM, "out of memory");
        r = fs_make_or_verify_dir(dirname(d), 0755, strict, err);
        free(d);
    }
    for (int i = 0; r == CB_OK && i < 3; i++)
        r = write_output(config_str(cfg, dests[i]),
                         config_is_set(cfg, dests[i]), data[i], err,
                         &paths[i]);
    if (r != CB_OK) {
        for (int i = 0; i < 3; i++) {
            if (paths[i])
                unlink(paths[i]);
            free(paths[i]);
            paths[i] = NULL;
        }
    }
    return r;
}

static void report(struct cb_config *cfg, const struct obtain_result *res,
                   char *const paths[3])
{
    struct cert_info ci = {0};
    struct cb_err ignore = {0};
    char date[32] = "?";

    if (cert_info_from_pem(res->cert, strlen(res->cert), &ci, &ignore) ==
        CB_OK) {
        time_t t = (time_t)ci.not_after;
        struct tm tm;

        gmtime_r(&t, &tm);
        strftime(date, sizeof(date), "%Y-%m-%d", &tm);
    }
    cert_info_free(&ci);
    display_notifyf(0,
                    "\nSuccessfully received certificate.\n"
                    "Certificate is saved at:            %s\n"
                    "Intermediate CA chain is saved at:  %s\n"
                    "Full certificate chain is saved at: %s\n"
                    "This certificate expires on %s.",
                    paths[0], paths[1], paths[2], date);
    display_notify("\nNEXT STEPS:\n- Certificates created using --csr will "
                   "not be renewed automatically by Certbot. You will need "
                   "to renew the certificate before it expires, by running "
                   "the same Certbot command again.",
                   0);
    certonly_report_donation(cfg);
}

int certonly_csr(struct cmd_ctx *ctx, struct cb_err *err)
{
    struct cb_config *cfg = ctx->cfg;
    const char *path = config_str(cfg, "csr");
    struct csr_file c;
    struct plugin_inst *auth = NULL;
    struct session s = {0};
    struct obtain_req req = {0};
    struct obtain_result res = {0};
    char *paths[3] = {NULL, NULL, NULL};
    char *summary = NULL;
    int dry = config_bool(cfg, "dry_run"), r;

    memset(&c, 0, sizeof(c));
    r = csr_read(path, &c, err);
    if (r == CB_OK)
        r = check_consistent(cfg, path, &c, err);
    if (r != CB_OK)
        goto out;

    r = select_authenticator(ctx, &auth, err);
    if (r != CB_OK)
        goto out;
    log_info("Plugins selected: Authenticator %s, Installer None",
             plugin_inst_plugin(auth)->name);
    r = session_open(cfg, &s, err);
    if (r == CB_OK)
        r = session_account(cfg, &s, 1, err);
    if (r != CB_OK)
        goto out;

    summary = names_summary((const char *const *)c.all.v, c.all.n);
    display_notifyf(0, "%s for %s",
                    dry ? "Simulating a certificate request"
                        : "Requesting a certificate",
                    summary ? summary : "");
    req.dns = (const char *const *)c.dns.v;
    req.ips = (const char *const *)c.ips.v;
    r = obtain_certificate_csr(cfg, s.acme, auth, &req, c.der, c.der_len,
                               &res, err);
    if (r != CB_OK)
        goto out;
    if (dry) {
        log_debug("Dry run: skipping saving certificate to %s",
                  config_str(cfg, "cert_path"));
        display_notify("The dry run was successful.", 0);
        goto out;
    }
    r = save_outputs(cfg, &res, paths, err);
    if (r != CB_OK)
        goto out;
    report(cfg, &res, paths);
    eff_handle_subscription(cfg, s.account);
out:
    for (int i = 0; i < 3; i++)
        free(paths[i]);
    free(summary);
    obtain_result_free(&res);
    session_close(&s);
    plugin_inst_free(auth);
    csr_file_clear(&c);
    return r;
}
