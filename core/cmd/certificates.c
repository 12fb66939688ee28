/* certificates: list lineages in Certbot 5.6's format (SPEC 4.10). */
#define LOG_COMPONENT "certbot._internal.cert_manager"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "cmd/cmd.h"
#include "crypto/cert.h"
#include "crypto/key.h"
#include "crypto/ocsp.h"
#include "crypto/x509_lite.h"
#include "storage/fsutil.h"
#include "storage/lineage.h"
#include "util/display.h"
#include "util/forkmap.h"
#include "util/log.h"
#include "util/tempfile.h"
#include "util/strvec.h"

/* access(R_OK) asks with the real ids, open() with the effective ones:
 * when they are the same, a file just opened for reading is readable. */
static int ids_same(void)
{
    static int known = -1;

    if (known < 0)
        known = getuid() == geteuid() && getgid() == getegid();
    return known;
}

/* ocsp_revoked, without reading the certificate again when the one
 * already read names no responder: what ocsp_revoked's own shortcut
 * checks (chain readable, no OCSP URL) and logs.  The chain was read
 * through the same path by lineage_consistent just before. */
static int lineage_revoked(const struct lineage *l,
                           const struct cert_info *ci)
{
    if (!ci->ocsp_url &&
        (ids_same() || access(l->path[LK_CHAIN], R_OK) == 0)) {
        /* ocsp_revoked's own line, under its logger */
        log_msg(CB_LOG_DEBUG, "certbot.ocsp", "Cannot extract OCSP URI from %s",
                l->path[LK_CERT]);
        return 0;
    }
    return ocsp_revoked(l->path[LK_CERT], l->path[LK_CHAIN], NULL);
}

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
    else if (lineage_revoked(l, ci))
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
static int lineage_consistent(const struct lineage *l, const char *cert,
                              size_t lc, struct cb_err *err)
{
    char *chain = NULL, *full = NULL;
    size_t lch = 0, lf = 0;
    char *keypem = NULL;
    size_t lk = 0;
    EVP_PKEY *key = NULL;
    int r, m;

    if (fs_read_regular(l->path[LK_CHAIN], &chain, &lch, NULL, err) !=
            CB_OK ||
        fs_read_regular(l->path[LK_FULLCHAIN], &full, &lf, NULL, err) !=
            CB_OK) {
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
    r = fs_read_regular(l->path[LK_PRIVKEY], &keypem, &lk, NULL, err);
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
    free(chain);
    free(full);
    return r;
}

/* live/cert.pem, read once for both its details (cert_info_load) and
 * the consistency checks.  A file that cannot be read is left to
 * cert_info_load, for its message. */
static int lineage_cert(const struct lineage *l, char **pem, size_t *len,
                        struct cert_info *ci, struct cb_err *err)
{
    int r;

    if (fs_read_regular(l->path[LK_CERT], pem, len, NULL, NULL) != CB_OK) {
        r = cert_info_load(l->path[LK_CERT], ci, err);
        /* readable again after all: the consistency check's read */
        if (r == CB_OK)
            r = fs_read_regular(l->path[LK_CERT], pem, len, NULL, err);
        return r;
    }
    r = cert_info_from_pem(*pem, *len, ci, err);
    if (r < 0)
        cb_err_prefix(err, "%s: ", l->path[LK_CERT]);
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

/* One lineage's entry of the listing, written to out. */
static int append_lineage(FILE *out, const struct lineage *l,
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
    r = fprintf(out,
                     "  Certificate Name: %s\n"
                     "    Serial Number: %s\n"
                     "    Key Type: %s\n"
                     "    Identifiers: %s\n"
                     "    Expiry Date: %s (%s)\n"
                     "    Certificate Path: %s\n"
                     "    Private Key Path: %s",
                     l->name, ci->serial_hex, ci->key_type,
                     idstr ? idstr : "", expiry, status,
                     l->path[LK_FULLCHAIN], l->path[LK_PRIVKEY]) < 0
            ? CB_ERR_NOMEM
            : CB_OK;
    free(idstr);
    strvec_clear(&ids);
    return r;
}

/* One conf of the listing.  ITEM_BAD: res gets the "  <conf>" line of
 * the invalid list; ITEM_SKIP: valid, not matched by the filter;
 * ITEM_SHOWN: res gets its entry. */
enum { ITEM_BAD, ITEM_SKIP, ITEM_SHOWN };

struct listing {
    struct cb_config *cfg;
    const char *config_dir;
    const struct strvec *confs;
};

static int list_item(void *arg, size_t i, struct strvec *res)
{
    const struct listing *ls = arg;
    const char *conf = ls->confs->v[i];
    struct lineage *l = NULL;
    struct cert_info ci = {0};
    struct cb_err e = {0};
    char *cert = NULL, *text = NULL;
    size_t lc = 0, tl = 0;
    FILE *f;
    int kind = ITEM_SKIP;

    /* Listing repairs nothing but interrupted switch-overs (previous_*
     * links); Certbot deploys new versions only when it renews. */
    if (lineage_load_ex(conf, ls->config_dir, LINEAGE_LOAD_NO_DEPLOY, &l,
                        &e) != CB_OK ||
        lineage_cert(l, &cert, &lc, &ci, &e) != CB_OK ||
        lineage_consistent(l, cert, lc, &e) != CB_OK) {
        log_debug("Renewal configuration %s is invalid: %s", conf,
                  cb_err_msg(&e));
        strvec_pushf(res, "  %s", conf);
        kind = ITEM_BAD;
    } else if (matches_filter(ls->cfg, &ci, l) &&
               (f = open_memstream(&text, &tl)) != NULL) {
        append_lineage(f, l, &ci);
        if (fclose(f) == 0 && text)
            strvec_push_take(res, text);
        else
            free(text);
        kind = ITEM_SHOWN;
    }
    cert_info_free(&ci);
    free(cert);
    lineage_free(l);
    return kind;
}

/* The listing's scratch file: in $TMPDIR or /tmp, else in the work dir
 * (a confined service may have no /tmp). */
static FILE *listing_file(const char *work_dir)
{
    int fd = tempfile_open(NULL);
    FILE *f;

    if (fd < 0)
        fd = tempfile_open(work_dir);
    if (fd < 0)
        return NULL;
    f = fdopen(fd, "w+");
    if (!f)
        close(fd);
    return f;
}

int cmd_certificates(struct cmd_ctx *ctx, struct cb_err *err)
{
    struct cb_config *cfg = ctx->cfg;
    const char *config_dir = config_str(cfg, "config_dir");
    struct strvec confs = {0}, bad = {0};
    size_t nd = 0, ni = 0, parsed = 0, shown = 0;
    FILE *out = NULL;
    int filtered, r;

    config_list(cfg, "domains", &nd);
    config_list(cfg, "ip_addresses", &ni);
    filtered = config_str(cfg, "certname") || nd || ni;
    r = lineage_list_confs(config_dir, &confs, err);
    if (r != CB_OK)
        goto out;
    /* The listing is printed at the end, as Certbot does; it is written
     * here as it grows, in its final form, into an unlinked temporary
     * file rather than memory: megabytes at 10,000 lineages, then shown
     * and logged from the file in pieces (issue 7: peak RSS). */
    out = listing_file(config_str(cfg, "work_dir"));
    if (!out) {
        r = cb_err_set(err, CB_ERR_IO, "cannot create a temporary file: %s",
                       strerror(errno));
        goto out;
    }
    {
        /* long lists: the second half listed by a helper process
         * (util/forkmap.h), the output in the same order */
        struct listing ls = {cfg, config_dir, &confs};
        size_t from = confs.n / 2;
        struct forkmap *helper =
            forkmap_worth(confs.n)
                ? forkmap_start(from, confs.n, list_item, &ls)
                : NULL;

        for (size_t i = 0; i < confs.n; i++) {
            struct strvec res = {0};
            int kind = FORKMAP_SELF;

            if (helper && i >= from)
                kind = forkmap_next(helper, i, &res);
            if (kind == FORKMAP_SELF)
                kind = list_item(&ls, i, &res);
            if (kind == ITEM_BAD) {
                if (res.n)
                    strvec_push(&bad, res.v[0]);
            } else {
                /* the header goes first once anything parsed, even when
                 * the filter then matches nothing */
                if (parsed++ == 0)
                    fprintf(out, "%s\n",
                            filtered ? "Found the following matching certs:"
                                     : "Found the following certs:");
                if (kind == ITEM_SHOWN && res.n) {
                    if (shown++)
                        fputc('\n', out);
                    fputs(res.v[0], out);
                }
            }
            strvec_clear(&res);
        }
        forkmap_end(helper);
    }
    strvec_clear(&confs);

    /* Like Certbot: "No certificates found." only when there is no
     * lineage at all; a filter that matches none of the valid ones still
     * prints the header with an empty list (scripts see the same text). */
    if (parsed == 0 && bad.n == 0) {
        display_notification("No certificates found.", 1, 0);
        goto out;
    }
    if (bad.n) {
        fprintf(out, "%sThe following renewal configurations were invalid:",
                parsed ? "\n\n" : "");
        for (size_t i = 0; i < bad.n; i++)
            fprintf(out, "\n%s", bad.v[i]);
        strvec_clear(&bad);
    }
    if (fflush(out) != 0 || ferror(out)) {
        r = cb_err_set(err, CB_ERR_IO, "cannot write a temporary file: %s",
                       strerror(errno));
        goto out;
    }
    display_notification_file(out, 1);
out:
    if (out)
        fclose(out);
    strvec_clear(&confs);
    strvec_clear(&bad);
    return r;
}
