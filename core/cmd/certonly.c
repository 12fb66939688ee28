/* certonly (alias auth): obtain or renew a certificate without installing
 * it (SPEC 1, 4.1, 4.3). */
#define LOG_COMPONENT "certbot._internal.main"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd/cmd.h"
#include "cmd/certonly_csr.h"
#include "cmd/certonly_flow.h"
#include "cli/domains.h"
#include "crypto/cert.h"
#include "crypto/key.h"
#include "lifecycle/eff.h"
#include "lifecycle/hooks.h"
#include "lifecycle/lineage_choice.h"
#include "lifecycle/names.h"
#include "lifecycle/obtain.h"
#include "lifecycle/plugin_select.h"
#include "lifecycle/renew_lineage.h"
#include "lifecycle/renewal_params.h"
#include "lifecycle/session.h"
#include "storage/lineage.h"
#include "util/display.h"
#include "util/log.h"


/* Requested identifiers: DNS names then IP addresses. */
struct names {
    struct strvec dns, ips, all;
};

static void names_clear(struct names *n)
{
    strvec_clear(&n->dns);
    strvec_clear(&n->ips);
    strvec_clear(&n->all);
}

static int is_ip(const char *s)
{
    return strchr(s, ':') != NULL ||
           strspn(s, "0123456789.") == strlen(s);
}

static int gather_names(struct cb_config *cfg, struct names *n)
{
    size_t nd = 0, ni = 0;
    const char *const *d = config_list(cfg, "domains", &nd);
    const char *const *ip = config_list(cfg, "ip_addresses", &ni);
    int r = CB_OK;

    for (size_t i = 0; r == CB_OK && i < nd; i++)
        r = strvec_push(&n->dns, d[i]);
    for (size_t i = 0; r == CB_OK && i < ni; i++)
        r = strvec_push(&n->ips, ip[i]);
    for (size_t i = 0; r == CB_OK && i < n->dns.n; i++)
        r = strvec_push(&n->all, n->dns.v[i]);
    for (size_t i = 0; r == CB_OK && i < n->ips.n; i++)
        r = strvec_push(&n->all, n->ips.v[i]);
    return r;
}

/* Names from the lineage when only --cert-name was given. */
static int names_from_lineage(const struct lineage *l, struct names *n,
                              struct cb_err *err)
{
    struct strvec all = {0};
    int r = lineage_names(l, &all, err);

    for (size_t i = 0; r == CB_OK && i < all.n; i++)
        r = strvec_push(is_ip(all.v[i]) ? &n->ips : &n->dns, all.v[i]);
    for (size_t i = 0; r == CB_OK && i < all.n; i++)
        r = strvec_push(&n->all, all.v[i]);
    strvec_clear(&all);
    return r;
}

/* One answer to the domain question: commas and blanks separate names;
 * each goes through -d's checks.  Bad names are listed in *bad. */
static int parse_names(const char *answer, struct names *n, struct strvec *bad)
{
    char *copy = strdup(answer), *save = NULL, *tok;
    int r = CB_OK;

    if (!copy)
        return CB_ERR_NOMEM;
    for (char *c = copy; *c; c++)
        if (*c == ',')
            *c = ' ';
    tok = strtok_r(copy, " \t\r\n", &save);
    while (r == CB_OK && tok) {
        struct cb_err e = {0};
        if (domains_add(&n->dns, tok, &e) != CB_OK)
            r = strvec_pushf(bad, "%s: %s", tok, cb_err_msg(&e));
        tok = strtok_r(NULL, " \t\r\n", &save);
    }
    free(copy);
    return r;
}

/* No -d and no --cert-name: ask for names as free text (SPEC 4.1 step 3,
 * A cancel leaves n empty; under -n the prompt fails naming
 * --domains. */
static int ask_names(int run, struct names *n, struct cb_err *err)
{
    char q[256];
    int r = CB_OK;

    snprintf(q, sizeof(q), "%sPlease enter the domain name(s) you would "
             "like on your certificate (comma and/or space separated)",
             run ? "No names were found in your configuration files. " : "");
    for (int tries = 0; tries < 20; tries++) {
        struct strvec bad = {0};
        char *answer = NULL, *list = NULL, *retry_q = NULL;
        int again = 0;

        r = display_input(q, "--domains", &answer, err);
        if (r == CB_ERR_CANCELLED)
            return CB_OK;
        if (r != CB_OK)
            return r;
        strvec_clear(&n->dns);
        r = parse_names(answer, n, &bad);
        free(answer);
        if (r == CB_OK && bad.n == 0) {
            for (size_t i = 0; r == CB_OK && i < n->dns.n; i++)
                r = strvec_push(&n->all, n->dns.v[i]);
            strvec_clear(&bad);
            return r == CB_OK ? r : cb_err_set(err, r, "out of memory");
        }
        strvec_clear(&n->dns);
        list = strvec_join(&bad, "\n");
        strvec_clear(&bad);
        if (r == CB_OK && list &&
            asprintf(&retry_q, "One or more of the entered domain names was "
                     "not valid:\n\n%s\n\nWould you like to re-enter the "
                     "names?\n", list) < 0)
            retry_q = NULL;
        free(list);
        if (!retry_q)
            return cb_err_set(err, CB_ERR_NOMEM, "out of memory");
        r = display_yesno(retry_q, NULL, NULL, -1, NULL, &again, err);
        free(retry_q);
        if (r != CB_OK || !again)
            return r;
        snprintf(q, sizeof(q), "Please enter the domain name(s) you would "
                 "like on your certificate (comma and/or space separated)");
    }
    return r;
}

/* The lineage name for a new certificate (SPEC 3.1). */
static int new_lineage_name(struct cb_config *cfg, const struct names *n,
                            char **out, struct cb_err *err)
{
    const char *certname = config_str(cfg, "certname");
    const char *first = n->all.v[0];

    if (certname) {
        if (strchr(certname, '/'))
            return cb_err_set(err, CB_ERR_CONFIG,
                              "The provided certname cannot be used as a "
                              "lineage name because it contains an illegal "
                              "character (i.e. filepath separator).");
        *out = strdup(certname);
    } else {
        if (strncmp(first, "*.", 2) == 0)
            first += 2;
        if (strchr(first, '/'))
            return cb_err_set(err, CB_ERR_CONFIG,
                              "The provided domain cannot be used as a "
                              "lineage name because it contains an illegal "
                              "character (i.e. filepath separator). Please "
                              "use --cert-name to specify a different name.");
        *out = strdup(first);
    }
    return *out ? CB_OK : cb_err_set(err, CB_ERR_NOMEM, "out of memory");
}

/* Key parameters: explicit flags win; an existing lineage keeps its type
 * (SPEC 4.7). */
static int make_key(struct cb_config *cfg, const struct lineage *l,
                    EVP_PKEY **out, struct cb_err *err)
{
    const char *type = config_str(cfg, "key_type");
    const char *curve = config_str(cfg, "elliptic_curve");
    long bits = config_int(cfg, "rsa_key_size");

    /* Keep the lineage's type unless someone chose one: the user
     * (argv, cli.ini) or the key-type question (runtime). */
    if (l && config_origin(cfg, "key_type") == CONFIG_DEFAULT) {
        EVP_PKEY *old = NULL;
        struct cb_err ignore = {0};
        if (key_load_file(l->path[LK_PRIVKEY], &old, &ignore) == CB_OK) {
            if (key_type(old))
                type = key_type(old);
            config_set(cfg, "key_type", type, CONFIG_RUNTIME);
            EVP_PKEY_free(old);
        }
    }
    if (!type)
        type = "ecdsa";
    return key_generate(type, bits > 0 ? (int)bits : 2048,
                        curve ? curve : "secp256r1", out, err);
}

static void format_date(int64_t t, char *buf, size_t len)
{
    time_t tt = (time_t)t;
    struct tm tm;

    gmtime_r(&tt, &tm);
    strftime(buf, len, "%Y-%m-%d", &tm);
}

/* --manual without --manual-auth-hook can never renew unattended. */
static int interactive_only_auth(struct cb_config *cfg)
{
    const char *auth = config_str(cfg, "authenticator");

    return auth && strcmp(auth, "manual") == 0 &&
           !config_str(cfg, "manual_auth_hook");
}

/* "Successfully received certificate." and where it is; run adds a
 * blank line as Certbot normalizes spacing across verbs. */
static void report_received(const struct lineage *l, int run)
{
    struct cert_info ci = {0};
    struct cb_err ignore = {0};
    char date[32] = "?";

    if (cert_info_load(l->path[LK_CERT], &ci, &ignore) == CB_OK)
        format_date(ci.not_after, date, sizeof(date));
    cert_info_free(&ci);
    display_notifyf(0,
                    "\nSuccessfully received certificate.\n"
                    "Certificate is saved at: %s\n"
                    "Key is saved at:         %s\n"
                    "This certificate expires on %s.\n"
                    "These files will be updated when the certificate "
                    "renews.%s",
                    l->path[LK_FULLCHAIN], l->path[LK_PRIVKEY], date,
                    run ? "\n" : "");
}

void certonly_report_donation(struct cb_config *cfg)
{
    if (strstr(config_str(cfg, "server"), "staging"))
        return;
    display_notifyf(0,
                    "\n%s\nIf you like Certbot, please consider supporting "
                    "our work by:\n"
                    " * Donating to ISRG / Let's Encrypt:   "
                    "https://letsencrypt.org/donate\n"
                    " * Donating to EFF:                    "
                    "https://eff.org/donate-le\n%s",
                    display_frame, display_frame);
}

void certonly_report_steps(struct cb_config *cfg, int new_cert)
{
    if (!new_cert) {
        /* nothing to advise; only the donation box */
    } else if (interactive_only_auth(cfg)) {
        display_notify("\nNEXT STEPS:\n- This certificate will not be "
                       "renewed automatically. Autorenewal of --manual "
                       "certificates requires the use of an authentication "
                       "hook script (--manual-auth-hook) but one was not "
                       "provided. To renew this certificate, repeat this "
                       "same certbot command before the certificate's "
                       "expiry date.", 0);
    } else if (config_bool(cfg, "preconfigured_renewal")) {
        display_notify("Certbot has set up a scheduled task to automatically "
                       "renew this certificate in the background.", 0);
    } else {
        display_notify("\nNEXT STEPS:\n- The certificate will need to be "
                       "renewed before it expires. Certbot can automatically "
                       "renew the certificate in the background, but you may "
                       "need to take steps to enable that functionality. See "
                       "https://certbot.org/renewal-setup for instructions.",
                       0);
    }
    certonly_report_donation(cfg);
}

static void report_success(struct cb_config *cfg, const struct lineage *l)
{
    report_received(l, 0);
    certonly_report_steps(cfg, 1);
}

/* A new lineage is published complete: its [renewalparams] are built
 * first and go into the conf before it appears. */
static int save_new(struct cb_config *cfg, const struct names *n,
                    const struct obtain_result *res, EVP_PKEY *key,
                    struct lineage **out, struct cb_err *err)
{
    struct renewal_conf *params = renewal_conf_new("(new lineage)");
    char *name = NULL, *pem = NULL;
    size_t pem_len = 0;
    int r;

    if (!params)
        return cb_err_set(err, CB_ERR_NOMEM, "out of memory");
    r = renewal_params_store(params, cfg, err);
    if (r == CB_OK)
        r = new_lineage_name(cfg, n, &name, err);
    if (r == CB_OK)
        r = key_to_pem(key, &pem, &pem_len, err);
    if (r == CB_OK)
        r = lineage_create_params(config_str(cfg, "config_dir"), name,
                                  res->cert, res->chain, res->fullchain, pem,
                                  pem_len, PACKAGE_VERSION,
                                  renewal_conf_params(params, 0), out, err);
    renewal_conf_free(params);
    if (pem)
        key_pem_free(pem, pem_len);
    free(name);
    return r;
}

int certonly_flow(struct cmd_ctx *ctx, struct plugin_inst *auth, int run,
                  struct certonly_out *out, struct cb_err *err)
{
    struct cb_config *cfg = ctx->cfg;
    struct session s = {0};
    struct names n;
    struct lineage_choice choice = {0};
    struct obtain_result res = {0};
    struct obtain_req req = {0};
    EVP_PKEY *key = NULL;
    char *summary = NULL;
    struct hook_run hr = {{0}, {0}};
    struct strvec renewed = {0};
    int dry = config_bool(cfg, "dry_run"), reused = 0, hooks_ran = 0, r;

    memset(&n, 0, sizeof(n));

    r = session_open(cfg, &s, err);
    if (r == CB_OK)
        r = session_account(cfg, &s, 1, err);
    if (r != CB_OK)
        goto out;
    config_set(cfg, "account", s.account->id, CONFIG_RUNTIME);

    r = gather_names(cfg, &n);
    if (r != CB_OK)
        goto out;
    if (n.all.n == 0 && !config_str(cfg, "certname")) {
        r = ask_names(run, &n, err);
        if (r != CB_OK)
            goto out;
    }
    if (n.all.n == 0 && !config_str(cfg, "certname")) {
        r = cb_err_set(err, CB_ERR_CONFIG,
                       "Please specify --domains, --ip-address, or "
                       "--installer that will help in domain names "
                       "autodiscovery, or --cert-name for an existing "
                       "certificate name.");
        goto out;
    }
    if (run && n.ips.n > 0) {
        r = cb_err_set(err, CB_ERR_CONFIG,
                       "installation of IP address certificate not "
                       "supported");
        goto out;
    }
    r = lineage_choose(cfg, &n.all, &choice, err);
    if (r != CB_OK)
        goto out;
    if (n.all.n == 0) {
        if (!choice.lineage) {
            r = cb_err_set(err, CB_ERR_CONFIG,
                           "No certificate with name %s found. Use -d to "
                           "specify domains, or run certbot certificates to "
                           "see possible certificate names.",
                           config_str(cfg, "certname"));
            goto out;
        }
        r = names_from_lineage(choice.lineage, &n, err);
        if (r != CB_OK)
            goto out;
    }
    if (choice.action == LA_KEEP && run)
        goto out;
    if (choice.action == LA_KEEP) {
        display_notify("Certificate not yet due for renewal; no action "
                       "taken.", 0);
        goto out;
    }

    hooks_pre(cfg, &hr);
    hooks_ran = 1;
    summary = names_summary((const char *const *)n.all.v, n.all.n);
    if (choice.action == LA_NEW)
        display_notifyf(0, "%s %s",
                        dry ? "Simulating a certificate request for"
                            : "Requesting a certificate for",
                        summary ? summary : "");
    else
        display_notifyf(0, "%s %s",
                        dry ? "Simulating renewal of an existing certificate "
                              "for"
                            : "Renewing an existing certificate for",
                        summary ? summary : "");

    if (choice.lineage && config_bool(cfg, "reuse_key") &&
        !config_bool(cfg, "new_key")) {
        r = key_load_file(choice.lineage->path[LK_PRIVKEY], &key, err);
        reused = 1;
    } else {
        r = make_key(cfg, choice.lineage, &key, err);
    }
    if (r != CB_OK)
        goto out;
    req.dns = (const char *const *)n.dns.v;
    req.ips = (const char *const *)n.ips.v;
    req.key = key;
    r = obtain_certificate(cfg, s.acme, auth, &req, &res, err);
    if (r == CB_OK && !dry && choice.action == LA_NEW)
        r = save_new(cfg, &n, &res, key, &choice.lineage, err);
    else if (r == CB_OK && !dry)
        r = renew_lineage_save(cfg, choice.lineage, &res, key, reused, err);
    /* Deploy hooks follow a save (a dry run of a renewal only logs them
     * unless --run-deploy-hooks); post hooks follow every attempt. */
    if (r == CB_OK && choice.lineage)
        hooks_deploy(cfg, (const char *const *)n.all.v, n.all.n,
                     choice.lineage->live_dir);
    for (size_t i = 0; r == CB_OK && !dry && i < n.all.n; i++)
        strvec_push(&renewed, n.all.v[i]);
    hooks_post(cfg, &hr, &renewed);
    hooks_ran = 0;
    if (r != CB_OK)
        goto out;
    out->obtained = 1;
    out->renewed = choice.action == LA_RENEW;
    if (dry) {
        display_notify("The dry run was successful.", 0);
        goto out;
    }
    if (run)
        report_received(choice.lineage, 1);
    else
        report_success(cfg, choice.lineage);
    eff_handle_subscription(cfg, s.account);
out:
    for (size_t i = 0; r == CB_OK && i < n.all.n; i++)
        r = strvec_push(&out->names, n.all.v[i]);
    if (r == CB_OK) {
        out->choice = choice;
        memset(&choice, 0, sizeof(choice));
    }
    if (hooks_ran)
        hooks_post(cfg, &hr, &renewed);
    hook_run_clear(&hr);
    strvec_clear(&renewed);
    free(summary);
    EVP_PKEY_free(key);
    obtain_result_free(&res);
    lineage_choice_free(&choice);
    names_clear(&n);
    session_close(&s);
    return r;
}

void certonly_out_free(struct certonly_out *o)
{
    strvec_clear(&o->names);
    lineage_choice_free(&o->choice);
}

int cmd_certonly(struct cmd_ctx *ctx, struct cb_err *err)
{
    struct plugin_inst *auth = NULL;
    struct certonly_out o = {{0}, {0}, 0, 0};
    int r;

    if (config_str(ctx->cfg, "csr"))
        return certonly_csr(ctx, err);
    r = select_authenticator(ctx, &auth, err);
    if (r != CB_OK)
        goto out;
    log_info("Plugins selected: Authenticator %s, Installer None",
             plugin_inst_plugin(auth)->name);
    r = certonly_flow(ctx, auth, 0, &o, err);
out:
    certonly_out_free(&o);
    plugin_inst_free(auth);
    return r;
}
