#define LOG_COMPONENT "certbot._internal.auth_handler"

#include "lifecycle/obtain.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <openssl/evp.h>

#include "acme/b64.h"
#include "crypto/cert.h"
#include "crypto/csr.h"
#include "util/display.h"
#include "util/log.h"
#include "util/strvec.h"

#define MAX_CHALL_TYPES 8
#define AUTHZ_MAX_POLLS 30

/* One authorization we have to solve, with the challenge we chose. */
struct pending {
    struct acme_authz authz;
    const struct acme_challenge *chall;  /* into authz.challenges */
    struct cb_challenge cb;
    char *keyauth, *validation, *validation_name, *ident;
};

static const char *chall_name(uint32_t type)
{
    switch (type) {
    case CB_CHALL_HTTP01: return "http-01";
    case CB_CHALL_DNS01: return "dns-01";
    case CB_CHALL_TLSALPN01: return "tls-alpn-01";
    default: return "";
    }
}

/* The plugin's preference order filtered and reordered by
 * --preferred-challenges (Certbot keeps only types the plugin supports). */
static int chall_prefs(struct cb_config *cfg, struct plugin_inst *auth,
                       const char *ident, uint32_t *types, size_t *n,
                       struct cb_err *err)
{
    uint32_t plugin_types[MAX_CHALL_TYPES];
    size_t np = MAX_CHALL_TYPES, npref = 0, out = 0;
    const char *const *pref = config_list(cfg, "pref_challs", &npref);
    int r;

    r = plugin_inst_chall_pref(auth, ident, plugin_types, &np, err);
    if (r != CB_OK)
        return r;
    if (npref == 0) {
        memcpy(types, plugin_types, np * sizeof(*types));
        *n = np;
        return CB_OK;
    }
    for (size_t i = 0; i < npref && out < *n; i++)
        for (size_t j = 0; j < np; j++)
            if (strcmp(pref[i], chall_name(plugin_types[j])) == 0)
                types[out++] = plugin_types[j];
    if (out == 0)
        return cb_err_set(err, CB_ERR_CONFIG,
                          "None of the preferred challenges are supported by "
                          "the selected plugin");
    *n = out;
    return CB_OK;
}

static int choose_challenge(struct cb_config *cfg, struct plugin_inst *auth,
                            struct pending *p, struct cb_err *err)
{
    uint32_t types[MAX_CHALL_TYPES];
    size_t n = MAX_CHALL_TYPES;
    int only_dns = 1, r;

    r = chall_prefs(cfg, auth, p->ident, types, &n, err);
    if (r != CB_OK)
        return r;
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < p->authz.n_challenges; j++) {
            const struct acme_challenge *c = &p->authz.challenges[j];
            if (strcmp(c->type, chall_name(types[i])) == 0) {
                p->chall = c;
                p->cb.type = types[i];
                return CB_OK;
            }
        }
    }
    for (size_t j = 0; j < p->authz.n_challenges; j++)
        if (strcmp(p->authz.challenges[j].type, "dns-01") != 0)
            only_dns = 0;
    return cb_err_set(err, CB_ERR_PLUGIN,
                      "Client with the currently selected authenticator does "
                      "not support any combination of challenges that will "
                      "satisfy the CA.%s",
                      only_dns ? " You may need to use an authenticator plugin "
                                 "that can do challenges over DNS."
                               : "");
}

static char *dns01_value(const char *keyauth)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;

    if (!EVP_Digest(keyauth, strlen(keyauth), md, &len, EVP_sha256(), NULL))
        return NULL;
    return b64url_encode(md, len);
}

/* Fill the ABI view of the challenge: the core does the crypto so
 * plugins never have to. */
static int fill_challenge(struct acme_client *acme, struct pending *p,
                          struct cb_err *err)
{
    p->keyauth = acme_key_authorization(acme, p->chall->token);
    if (!p->keyauth)
        return cb_err_set(err, CB_ERR_NOMEM, "out of memory");
    if (p->cb.type == CB_CHALL_DNS01) {
        p->validation = dns01_value(p->keyauth);
        if (asprintf(&p->validation_name, "_acme-challenge.%s",
                     p->authz.ident_value) < 0)
            p->validation_name = NULL;
    } else {
        p->validation = strdup(p->keyauth);
        if (asprintf(&p->validation_name, "/.well-known/acme-challenge/%s",
                     p->chall->token) < 0)
            p->validation_name = NULL;
    }
    if (!p->validation || !p->validation_name)
        return cb_err_set(err, CB_ERR_NOMEM, "out of memory");
    p->cb.struct_size = sizeof(p->cb);
    p->cb.ident_type = strcmp(p->authz.ident_type, "ip") == 0 ? CB_IDENT_IP
                                                               : CB_IDENT_DNS;
    p->cb.identifier = p->ident;
    p->cb.token = p->chall->token;
    p->cb.key_authorization = p->keyauth;
    p->cb.validation = p->validation;
    p->cb.validation_name = p->validation_name;
    return CB_OK;
}

static void pending_free(struct pending *p)
{
    acme_authz_free(&p->authz);
    free(p->keyauth);
    free(p->validation);
    free(p->validation_name);
    free(p->ident);
}

/* Certbot's report of failed authorizations, on stdout. */
static void report_failures(struct plugin_inst *auth, struct pending *ps,
                            size_t n, const struct cb_challenge *const *cbs,
                            size_t ncb)
{
    const char *hint;
    size_t shown = 0;

    for (size_t i = 0; i < n; i++) {
        const json_t *e = NULL;
        const char *type, *detail;
        if (ps[i].authz.status && strcmp(ps[i].authz.status, "valid") == 0)
            continue;
        if (shown++ == 0)
            display_notifyf(0,
                            "\nCertbot failed to authenticate some domains "
                            "(authenticator: %s). The Certificate Authority "
                            "reported these problems:",
                            plugin_inst_plugin(auth)->name);
        for (size_t j = 0; j < ps[i].authz.n_challenges; j++)
            if (ps[i].authz.challenges[j].error)
                e = ps[i].authz.challenges[j].error;
        type = e ? json_string_value(json_object_get(e, "type")) : NULL;
        detail = e ? json_string_value(json_object_get(e, "detail")) : NULL;
        if (type && strncmp(type, "urn:ietf:params:acme:error:", 27) == 0)
            type += 27;
        display_notifyf(0, "  Identifier: %s\n  Type:   %s\n  Detail: %s",
                        ps[i].ident, type ? type : "unknown",
                        detail ? detail : "(no detail)");
    }
    hint = plugin_inst_auth_hint(auth, cbs, ncb);
    if (hint)
        display_notifyf(0, "\nHint: %s\n", hint);
}

/* --debug-challenges: show what the CA will check (with -v, the URLs or
 * TXT names and their expected values) and wait for Enter when we may
 * interact, as Certbot's notification(pause=True) does. */
static void debug_pause(struct cb_config *cfg, struct pending *ps, size_t n)
{
    struct strvec http = {0}, dns = {0}, parts = {0};
    struct cb_err ignore = {0};
    char *body = NULL, *msg = NULL;

    if (!config_bool(cfg, "debug_challenges"))
        return;
    for (size_t i = 0; i < n; i++) {
        if (!ps[i].chall)
            continue;
        if (ps[i].cb.type == CB_CHALL_HTTP01)
            strvec_pushf(&http, "URL: http://%s/.well-known/acme-challenge/%s"
                                "\nExpected value: %s\n",
                         ps[i].authz.ident_value, ps[i].chall->token,
                         ps[i].validation);
        else if (ps[i].cb.type == CB_CHALL_DNS01)
            strvec_pushf(&dns, "FQDN: %s\nExpected value: %s\n",
                         ps[i].validation_name, ps[i].validation);
    }
    if (config_int(cfg, "verbose_count") > 0) {
        if (http.n) {
            strvec_push(&parts, "The following URLs should be accessible "
                                "from the internet and return the value "
                                "mentioned:\n");
            for (size_t i = 0; i < http.n; i++)
                strvec_push(&parts, http.v[i]);
        }
        if (dns.n) {
            strvec_push(&parts, "The following FQDNs should return a TXT "
                                "resource record with the value mentioned:\n");
            for (size_t i = 0; i < dns.n; i++)
                strvec_push(&parts, dns.v[i]);
        }
        body = strvec_join(&parts, "\n");
        if (body && asprintf(&msg, "Challenges loaded. Press continue to "
                                   "submit to CA.\n\n%s", body) < 0)
            msg = NULL;
    } else if (asprintf(&msg, "Challenges loaded. Press continue to submit "
                              "to CA.\nPass \"-v\" for more info about "
                              "challenges.") < 0) {
        msg = NULL;
    }
    if (msg)
        display_notify_pause(msg, 1, &ignore);
    free(msg);
    free(body);
    strvec_clear(&http);
    strvec_clear(&dns);
    strvec_clear(&parts);
}

/* Poll every answered authorization in one round-robin (Certbot's
 * single polling loop), then copy the final status and challenge errors
 * into ps, keeping each chosen-challenge pointer valid. */
static int poll_and_merge(struct acme_client *acme, struct pending *ps,
                          size_t n, int *failed, struct cb_err *err)
{
    const char **urls = calloc(n + 1, sizeof(*urls));
    struct acme_authz *fresh = calloc(n + 1, sizeof(*fresh));
    size_t *idx = calloc(n + 1, sizeof(*idx));
    size_t m = 0;
    int r;

    if (!urls || !fresh || !idx) {
        r = cb_err_set(err, CB_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        if (!ps[i].chall)
            continue;
        idx[m] = i;
        urls[m++] = ps[i].authz.url;
    }
    r = acme_authz_poll_many(acme, urls, m, AUTHZ_MAX_POLLS, fresh, err);
    if (r != CB_OK)
        goto out;
    for (size_t f = 0; f < m; f++) {
        struct pending *p = &ps[idx[f]];
        free(p->authz.status);
        p->authz.status = fresh[f].status;
        fresh[f].status = NULL;
        for (size_t j = 0; j < fresh[f].n_challenges; j++) {
            if (strcmp(fresh[f].challenges[j].type, p->chall->type) != 0)
                continue;
            for (size_t k = 0; k < p->authz.n_challenges; k++) {
                struct acme_challenge *c = &p->authz.challenges[k];
                if (strcmp(c->type, p->chall->type) != 0)
                    continue;
                json_decref(c->error);
                c->error = json_incref(fresh[f].challenges[j].error);
            }
        }
        if (!p->authz.status || strcmp(p->authz.status, "valid") != 0)
            (*failed)++;
    }
out:
    for (size_t f = 0; fresh && f < m; f++)
        acme_authz_free(&fresh[f]);
    free(fresh);
    free(urls);
    free(idx);
    return r;
}

/* With failed non-NULL (--allow-subset-of-names, Certbot's best_effort)
 * failed authorizations are reported and their identifiers appended to
 * *failed instead of failing the run, unless all of them failed. */
static int solve_authorizations(struct cb_config *cfg,
                                struct acme_client *acme,
                                struct plugin_inst *auth,
                                const struct acme_order *order,
                                struct strvec *failed_idents,
                                struct cb_err *err)
{
    size_t n = order->authorizations.n, todo = 0;
    struct pending *ps = calloc(n + 1, sizeof(*ps));
    const struct cb_challenge **cbs = calloc(n + 1, sizeof(*cbs));
    struct cb_err cerr = {0};
    int performed = 0, failed = 0, r = CB_OK;

    if (!ps || !cbs) {
        r = cb_err_set(err, CB_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        struct pending *p = &ps[i];
        r = acme_authz_get(acme, order->authorizations.v[i], &p->authz, err);
        if (r != CB_OK)
            goto out;
        if (asprintf(&p->ident, "%s%s", p->authz.wildcard ? "*." : "",
                     p->authz.ident_value) < 0) {
            r = cb_err_set(err, CB_ERR_NOMEM, "out of memory");
            goto out;
        }
        /* Valid authorizations (reuse) need no challenge. */
        if (strcmp(p->authz.status, "valid") == 0)
            continue;
        r = choose_challenge(cfg, auth, p, err);
        if (r == CB_OK)
            r = fill_challenge(acme, p, err);
        if (r != CB_OK)
            goto out;
        cbs[todo++] = &p->cb;
    }
    if (todo == 0)
        goto out;

    performed = 1;
    r = plugin_inst_perform(auth, cbs, todo, err);
    if (r != CB_OK)
        goto out;
    debug_pause(cfg, ps, n);

    for (size_t i = 0; i < n; i++) {
        if (!ps[i].chall)
            continue;
        r = acme_challenge_answer(acme, ps[i].chall->url, err);
        if (r != CB_OK)
            goto out;
    }
    log_info("Waiting for verification...");
    r = poll_and_merge(acme, ps, n, &failed, err);
    if (r != CB_OK)
        goto out;
    if (failed) {
        report_failures(auth, ps, n, cbs, todo);
        if (!failed_idents)
            r = cb_err_set(err, CB_ERR_ACME, "Some challenges have failed.");
        else if ((size_t)failed == n)
            r = cb_err_set(err, CB_ERR_ACME, "All challenges have failed.");
        for (size_t i = 0; r == CB_OK && i < n; i++)
            if (strcmp(ps[i].authz.status, "valid") != 0)
                r = strvec_push(failed_idents, ps[i].authz.ident_value);
        if (r == CB_ERR_NOMEM)
            r = cb_err_set(err, r, "out of memory");
    }
out:
    /* Cleanup always runs for what perform was given (DESIGN 3.8 rule 4). */
    if (performed && plugin_inst_cleanup(auth, cbs, todo, &cerr) != CB_OK)
        log_warning("Cleanup of challenges failed: %s", cb_err_msg(&cerr));
    for (size_t i = 0; ps && i < n; i++)
        pending_free(&ps[i]);
    free(ps);
    free(cbs);
    return r;
}

/* --preferred-profile is asked for only when the directory's
 * meta.profiles offers it; otherwise the CA's default applies. */
static const char *offered_profile(struct acme_client *acme, const char *want)
{
    const json_t *meta = acme_directory_meta(acme);
    const json_t *profiles = meta ? json_object_get(meta, "profiles") : NULL;

    if (!want || !json_is_object(profiles) ||
        !json_object_get(profiles, want)) {
        if (want)
            log_info("Preferred profile %s is not offered by the server; "
                     "using its default profile.", want);
        return NULL;
    }
    return want;
}

/* Split the CA's chain into cert + chain, re-encoded (SPEC 3.2). */
static int split_chain(const char *pem, struct obtain_result *out,
                       struct cb_err *err)
{
    struct strvec certs = {0};
    struct strvec rest = {0};
    int r;

    r = pem_split_certs(pem, strlen(pem), &certs, err);
    if (r != CB_OK)
        goto out;
    if (certs.n < 2) {
        r = cb_err_set(err, CB_ERR_ACME,
                       "failed to parse fullchain into cert and chain: less "
                       "than 2 certificates in chain");
        goto out;
    }
    for (size_t i = 1; i < certs.n; i++)
        strvec_push(&rest, certs.v[i]);
    out->cert = strdup(certs.v[0]);
    out->chain = strvec_join(&rest, "");
    if (out->cert && out->chain &&
        asprintf(&out->fullchain, "%s%s", out->cert, out->chain) < 0)
        out->fullchain = NULL;
    if (!out->cert || !out->chain || !out->fullchain)
        r = cb_err_set(err, CB_ERR_NOMEM, "out of memory");
out:
    strvec_clear(&certs);
    strvec_clear(&rest);
    return r;
}

static int obtain_common(struct cb_config *cfg, struct acme_client *acme,
                         struct plugin_inst *auth,
                         const struct obtain_req *req,
                         const unsigned char *ready_csr, size_t ready_len,
                         struct obtain_result *out, struct cb_err *err);

/* Append the names of list that are not in failed to v. */
static int keep_names(const char *const *list, const struct strvec *failed,
                      struct strvec *v)
{
    int r = CB_OK;

    for (size_t i = 0; r == CB_OK && list && list[i]; i++)
        if (!strvec_contains(failed, list[i]))
            r = strvec_push(v, list[i]);
    return r;
}

/* Certbot's _retry_obtain_certificate: say what is dropped, order again
 * for the rest.  Each round drops at least one name, so it ends. */
static int retry_without(struct cb_config *cfg, struct acme_client *acme,
                         struct plugin_inst *auth,
                         const struct obtain_req *req,
                         const struct strvec *failed,
                         struct obtain_result *out, struct cb_err *err)
{
    struct strvec dns = {0}, ips = {0};
    struct obtain_req sub = *req;
    char *list = strvec_join(failed, ", ");
    int r;

    r = list ? keep_names(req->dns, failed, &dns) : CB_ERR_NOMEM;
    if (r == CB_OK)
        r = keep_names(req->ips, failed, &ips);
    if (r != CB_OK) {
        r = cb_err_set(err, CB_ERR_NOMEM, "out of memory");
        goto out;
    }
    display_notifyf(0, "Unable to obtain a certificate with every requested "
                    "domain. Retrying without: %s", list);
    /* a strvec is NULL-terminated once it holds something */
    sub.dns = dns.n ? (const char *const *)dns.v : NULL;
    sub.ips = ips.n ? (const char *const *)ips.v : NULL;
    r = obtain_common(cfg, acme, auth, &sub, NULL, 0, out, err);
out:
    free(list);
    strvec_clear(&dns);
    strvec_clear(&ips);
    return r;
}

/* The whole flow; ready_csr (DER) is used as is when given, else a CSR
 * is made from req->key. */
static int obtain_common(struct cb_config *cfg, struct acme_client *acme,
                         struct plugin_inst *auth,
                         const struct obtain_req *req,
                         const unsigned char *ready_csr, size_t ready_len,
                         struct obtain_result *out, struct cb_err *err)
{
    struct acme_order order = {0};
    unsigned char *csr = NULL;
    size_t csr_len = 0;
    char *pem = NULL;
    const char *preferred = config_str(cfg, "preferred_chain");
    const char *profile = config_str(cfg, "required_profile");
    long timeout = config_int(cfg, "issuance_timeout");
    int matched = 1, r;
    /* Certbot's best_effort; never for --csr (its names are fixed). */
    int subset = !ready_csr && config_bool(cfg, "allow_subset_of_names");
    struct strvec failed = {0};

    memset(out, 0, sizeof(*out));
    if (!profile)
        profile = offered_profile(acme, config_str(cfg, "preferred_profile"));
    r = acme_order_new(acme, req->dns, req->ips, profile, NULL, &order, err);
    if (r != CB_OK)
        goto out;
    if (config_bool(cfg, "dry_run")) {
        /* A dry run must really exercise the challenges: deactivate
         * reused valid authorizations and order again. */
        int deactivated = 0;
        for (size_t i = 0; i < order.authorizations.n; i++) {
            struct acme_authz a = {0};
            if (acme_authz_get(acme, order.authorizations.v[i], &a, err) ==
                    CB_OK &&
                strcmp(a.status, "valid") == 0 &&
                acme_authz_deactivate(acme, a.url, err) == CB_OK)
                deactivated++;
            acme_authz_free(&a);
        }
        cb_err_reset(err);
        if (deactivated) {
            log_debug("Recreating order after authz deactivations");
            acme_order_free(&order);
            r = acme_order_new(acme, req->dns, req->ips, profile, NULL,
                               &order, err);
            if (r != CB_OK)
                goto out;
        }
    }
    r = solve_authorizations(cfg, acme, auth, &order,
                             subset ? &failed : NULL, err);
    if (r != CB_OK)
        goto out;
    if (failed.n) {
        r = retry_without(cfg, acme, auth, req, &failed, out, err);
        goto out;
    }
    if (!ready_csr) {
        r = csr_make(req->key, req->dns, req->ips,
                     config_bool(cfg, "must_staple"), &csr, &csr_len, err);
        if (r != CB_OK)
            goto out;
    }
    r = acme_order_finalize(acme, &order, ready_csr ? ready_csr : csr,
                            ready_csr ? ready_len : csr_len,
                            timeout > 0 ? timeout : 90, err);
    if (r != CB_OK)
        goto out;
    r = acme_certificate_get(acme, &order, preferred, &pem, &matched, err);
    if (r != CB_OK)
        goto out;
    if (preferred && !matched)
        log_warning("Certbot has been configured to prefer certificate "
                    "chains with issuer '%s', but no chain from the CA "
                    "matched this issuer. Using the default certificate "
                    "chain instead.",
                    preferred);
    r = split_chain(pem, out, err);
out:
    if (r != CB_OK)
        obtain_result_free(out);
    strvec_clear(&failed);
    acme_order_free(&order);
    OPENSSL_free(csr);
    free(pem);
    return r;
}

int obtain_certificate(struct cb_config *cfg, struct acme_client *acme,
                       struct plugin_inst *auth, const struct obtain_req *req,
                       struct obtain_result *out, struct cb_err *err)
{
    return obtain_common(cfg, acme, auth, req, NULL, 0, out, err);
}

int obtain_certificate_csr(struct cb_config *cfg, struct acme_client *acme,
                           struct plugin_inst *auth,
                           const struct obtain_req *req,
                           const unsigned char *csr_der, size_t csr_len,
                           struct obtain_result *out, struct cb_err *err)
{
    return obtain_common(cfg, acme, auth, req, csr_der, csr_len, out, err);
}

void obtain_result_free(struct obtain_result *res)
{
    free(res->cert);
    free(res->chain);
    free(res->fullchain);
    memset(res, 0, sizeof(*res));
}
