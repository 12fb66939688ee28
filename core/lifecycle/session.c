#define LOG_COMPONENT "certbot._internal.client"

#include "config.h"

#include "lifecycle/session.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/opensslv.h>

#include "crypto/key.h"
#include "util/display.h"
#include "util/log.h"
#include "util/strvec.h"


/* PRETTY_NAME from os-release, as Certbot's user agent reports it. */
static void os_pretty_name(char *buf, size_t len)
{
    FILE *f = fopen("/etc/os-release", "r");
    char line[256];

    snprintf(buf, len, "Linux");
    if (!f)
        return;
    while (fgets(line, sizeof(line), f)) {
        char *v, *end;
        if (strncmp(line, "PRETTY_NAME=", 12) != 0)
            continue;
        v = line + 12;
        if (*v == '"')
            v++;
        end = v + strcspn(v, "\"\n");
        *end = '\0';
        snprintf(buf, len, "%s", v);
        break;
    }
    fclose(f);
}

char *session_user_agent(const struct cb_config *cfg)
{
    const char *ua = config_str(cfg, "user_agent");
    const char *comment = config_str(cfg, "user_agent_comment");
    const char *auth = config_str(cfg, "authenticator");
    const char *inst = config_str(cfg, "installer");
    struct strvec flags = {0};
    char os[512], *flagstr, *out = NULL;

    if (ua && config_is_set(cfg, "user_agent"))
        return strdup(ua);
    os_pretty_name(os, sizeof(os));
    if (config_bool(cfg, "duplicate"))
        strvec_push(&flags, "dup");
    if (config_bool(cfg, "renew_by_default"))
        strvec_push(&flags, "frn");
    if (config_bool(cfg, "allow_subset_of_names"))
        strvec_push(&flags, "asn");
    if (config_bool(cfg, "noninteractive_mode"))
        strvec_push(&flags, "n");
    if (config_str(cfg, "pre_hook") || config_str(cfg, "post_hook") ||
        config_str(cfg, "renew_hook"))
        strvec_push(&flags, "hook");
    flagstr = strvec_join(&flags, " ");
    if (asprintf(&out,
                 "CertbotACMEClient/%s (certbot; %s%s%s) Authenticator/%s "
                 "Installer/%s (%s; flags: %s) C/%s",
                 PACKAGE_VERSION, os, comment ? "; " : "",
                 comment ? comment : "", auth ? auth : "None",
                 inst ? inst : "None", config_verb(cfg),
                 flagstr ? flagstr : "", OPENSSL_VERSION_STR) < 0)
        out = NULL;
    free(flagstr);
    strvec_clear(&flags);
    return out;
}

static int account_key_bits(const struct cb_config *cfg)
{
    return config_int(cfg, "rsa_key_size") ? (int)config_int(cfg, "rsa_key_size")
                                           : 2048;
}

/* No account for this server yet and none named: registering will need
 * an RSA key, the slowest step of a first issuance.  Start it now so it
 * overlaps connecting to the CA; unused (say the user declines the terms)
 * it is joined and dropped by session_close. */
static void start_account_key(const struct cb_config *cfg, struct session *s)
{
    size_t n = 1;
    struct cb_err ignore = {0};

    if (config_str(cfg, "account") || account_key_bits(cfg) < 2048 ||
        session_account_count(cfg, &n, &ignore) != CB_OK || n > 0)
        return;
    s->keygen = rsa_keygen_start(account_key_bits(cfg));
}

int session_open(struct cb_config *cfg, struct session *s,
                 struct cb_err *err)
{
    struct http_opts opts = {0};
    char *ua = session_user_agent(cfg);
    int r;

    memset(s, 0, sizeof(*s));
    start_account_key(cfg, s);
    opts.verify_ssl = !config_bool(cfg, "no_verify_ssl");
    opts.user_agent = ua;
    r = http_client_new(&opts, &s->http, err);
    free(ua);
    if (r != CB_OK)
        return r;
    s->server = strdup(config_str(cfg, "server"));
    if (!s->server)
        return cb_err_set(err, CB_ERR_NOMEM, "out of memory");
    log_debug("Using ACME server %s", s->server);
    return acme_client_new(s->http, s->server, &s->acme, err);
}

void session_close(struct session *s)
{
    rsa_keygen_drop(s->keygen);
    acme_client_free(s->acme);
    http_client_free(s->http);
    account_free(s->account);
    free(s->server);
    memset(s, 0, sizeof(*s));
}

/* ---- account choice ---- */

int session_account_count(const struct cb_config *cfg, size_t *n,
                          struct cb_err *err)
{
    struct account **list = NULL;
    int r;

    *n = 0;
    r = account_list(config_str(cfg, "config_dir"), config_str(cfg, "server"),
                     &list, n, err);
    account_list_free(list, *n);
    return r;
}

static void use_account(struct session *s, struct account *a)
{
    s->account = a;
    acme_client_set_key(s->acme, a->key, a->uri);
}

/* --account names an id that is not stored for this server. */
static int account_not_found(struct cb_config *cfg, const struct session *s,
                             const char *id, struct cb_err *err)
{
    char *dir = account_server_dir(config_str(cfg, "config_dir"), s->server);
    int r = cb_err_set(err, CB_ERR_NOT_FOUND, "Account at %s/%s does not exist",
                       dir ? dir : "accounts", id);

    free(dir);
    return r;
}

static int choose_existing(struct cb_config *cfg, struct session *s,
                           struct account **list, size_t n,
                           struct cb_err *err)
{
    const char *wanted = config_str(cfg, "account");
    struct strvec labels = {0};
    size_t choice = 0;
    int r;

    if (wanted) {
        for (size_t i = 0; i < n; i++) {
            if (strcmp(list[i]->id, wanted) == 0) {
                use_account(s, list[i]);
                list[i] = NULL;
                return CB_OK;
            }
        }
        return account_not_found(cfg, s, wanted, err);
    }
    if (n == 1) {
        use_account(s, list[0]);
        list[0] = NULL;
        return CB_OK;
    }
    for (size_t i = 0; i < n; i++)
        strvec_pushf(&labels, "%s@%s (%.4s)",
                     list[i]->creation_host ? list[i]->creation_host : "?",
                     list[i]->creation_dt ? list[i]->creation_dt : "?",
                     list[i]->id);
    r = display_menu("Please choose an account", (const char *const *)labels.v,
                     n, -1, "--account", &choice, err);
    strvec_clear(&labels);
    if (r != CB_OK)
        return r;
    use_account(s, list[choice]);
    list[choice] = NULL;
    return CB_OK;
}

int session_account(struct cb_config *cfg, struct session *s,
                    int allow_register, struct cb_err *err)
{
    struct account **list = NULL;
    size_t n = 0;
    int r;

    r = account_list(config_str(cfg, "config_dir"), s->server, &list, &n, err);
    if (r != CB_OK)
        return r;
    if (n > 0)
        r = choose_existing(cfg, s, list, n, err);
    else if (config_str(cfg, "account"))
        r = account_not_found(cfg, s, config_str(cfg, "account"), err);
    else if (allow_register)
        r = session_register(cfg, s, err);
    else
        r = cb_err_set(err, CB_ERR_NOT_FOUND,
                       "Could not find an existing account for server %s.",
                       s->server);
    account_list_free(list, n);
    if (r == CB_OK)
        log_debug("Using account %s", s->account->id);
    return r;
}

/* -m takes a comma-separated list; Certbot strips blanks around items. */
static void split_emails(const char *raw, struct strvec *out)
{
    char *copy = strdup(raw ? raw : ""), *save = NULL, *tok;

    if (!copy)
        return;
    for (tok = strtok_r(copy, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        char *end;
        while (isspace((unsigned char)*tok))
            tok++;
        end = tok + strlen(tok);
        while (end > tok && isspace((unsigned char)end[-1]))
            *--end = '\0';
        if (*tok)
            strvec_push(out, tok);
    }
    free(copy);
}

/* Certbot's safe_email: [a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+, not starting
 * with a dot and without "..". */
static int email_ok(const char *e)
{
    const char *at = strchr(e, '@');

    if (!at || at == e || !at[1] || e[0] == '.' || strstr(e, ".."))
        return 0;
    for (const char *p = e; *p; p++) {
        int c = (unsigned char)*p;
        int word = isalnum(c) || c == '.' || c == '-';
        if (p < at && !(word || c == '_' || c == '%' || c == '+'))
            return 0;
        if (p > at && !word)
            return 0;
    }
    return 1;
}

/* Certbot's get_email(): an empty answer (and the non-interactive
 * default) means no email; an invalid one is asked again.  *email is
 * caller-freed. */
int session_ask_email(char **email, struct cb_err *err)
{
    static const char q[] = "Enter email address or hit Enter to skip.\n";
    const char *prefix = "";
    char *prompt = NULL;
    int r;

    *email = NULL;
    if (!display_is_interactive()) {
        *email = strdup("");
        return *email ? CB_OK : cb_err_set(err, CB_ERR_NOMEM, "out of memory");
    }
    for (;;) {
        if (asprintf(&prompt, "%s%s", prefix, q) < 0)
            return cb_err_set(err, CB_ERR_NOMEM, "out of memory");
        r = display_input(prompt, NULL, email, err);
        free(prompt);
        if (r == CB_ERR_CANCELLED)
            return cb_err_replace(err, r, "Error getting email address.");
        if (r != CB_OK || **email == '\0' || email_ok(*email))
            return r;
        log_error("Invalid email address: %s.", *email);
        free(*email);
        *email = NULL;
        prefix = "There is a problem with your email address. ";
    }
}

static int ask_email(struct strvec *emails, struct cb_err *err)
{
    char *answer = NULL;
    int r = session_ask_email(&answer, err);

    if (r == CB_OK)
        split_emails(answer, emails);
    free(answer);
    return r;
}

static int agree_tos(struct cb_config *cfg, const char *tos,
                     struct cb_err *err)
{
    char q[1024];
    int yes = 0, r;

    if (!tos || config_bool(cfg, "tos"))
        return CB_OK;
    snprintf(q, sizeof(q),
             "Please read the Terms of Service at: %s\nYou must agree in "
             "order to register with the ACME server. Do you agree?",
             tos);
    r = display_yesno(q, "Yes", "No", -1, "--agree-tos", &yes, err);
    if (r != CB_OK)
        return r;
    if (!yes)
        return cb_err_set(err, CB_ERR_CANCELLED,
                          "Registration cannot proceed without accepting "
                          "Terms of Service.");
    return CB_OK;
}

static int eff_choice(struct cb_config *cfg, const struct strvec *emails,
                      int *subscribe, struct cb_err *err)
{
    *subscribe = 0;
    if (emails->n == 0)
        return CB_OK;
    if (config_is_set(cfg, "eff_email")) {
        *subscribe = config_bool(cfg, "eff_email");
        return CB_OK;
    }
    if (!display_is_interactive())
        return CB_OK;
    return display_yesno(
        "Would you be willing, once your first certificate is successfully "
        "issued, to share your email address with the Electronic Frontier "
        "Foundation, a founding partner of the Let's Encrypt project and the "
        "non-profit organization that develops Certbot? We'd like to send "
        "you email about our work encrypting the web, EFF news, campaigns, "
        "and ways to support digital freedom.",
        "Yes", "No", 0, "--eff-email", subscribe, err);
}

void session_split_emails(const char *raw, struct strvec *out)
{
    split_emails(raw, out);
}

int session_eff_choice(struct cb_config *cfg, const struct strvec *emails,
                       int *subscribe, struct cb_err *err)
{
    return eff_choice(cfg, emails, subscribe, err);
}

int session_register(struct cb_config *cfg, struct session *s,
                     struct cb_err *err)
{
    struct strvec emails = {0};
    struct acme_account_req req = {0};
    struct cb_err inner = {0};
    EVP_PKEY *key = NULL;
    char *url = NULL;
    struct account *acct = NULL;
    int subscribe = 0, r;

    if (config_str(cfg, "email"))
        split_emails(config_str(cfg, "email"), &emails);
    else if (!config_bool(cfg, "register_unsafely_without_email")) {
        r = ask_email(&emails, err);
        if (r != CB_OK)
            goto out;
    }
    if (acme_eab_required(s->acme) &&
        (!config_str(cfg, "eab_kid") || !config_str(cfg, "eab_hmac_key"))) {
        r = cb_err_set(err, CB_ERR_CONFIG,
                       "Server requires external account binding. Please "
                       "use --eab-kid and --eab-hmac-key.");
        goto out;
    }
    r = agree_tos(cfg, acme_terms_of_service(s->acme), err);
    if (r != CB_OK)
        goto out;
    r = eff_choice(cfg, &emails, &subscribe, err);
    if (r != CB_OK)
        goto out;

    if (s->keygen && account_key_bits(cfg) >= 2048)
        r = rsa_keygen_join(s->keygen, account_key_bits(cfg), &key, err);
    else
        r = key_generate("rsa", account_key_bits(cfg), NULL, &key, err);
    s->keygen = NULL;
    if (r != CB_OK)
        goto out;
    acme_client_set_key(s->acme, key, NULL);
    req.contacts = (const char *const *)emails.v;
    req.tos_agreed = 1;
    if (config_str(cfg, "eab_kid") && config_str(cfg, "eab_hmac_key")) {
        req.eab_kid = config_str(cfg, "eab_kid");
        req.eab_hmac_key = config_str(cfg, "eab_hmac_key");
        req.eab_alg = config_str(cfg, "eab_hmac_alg");
        if (!req.eab_alg)
            req.eab_alg = "HS256";
    }
    r = acme_account_new(s->acme, &req, &url, NULL, &inner);
    if (r != CB_OK) {
        const json_t *p = acme_last_problem(s->acme);
        const char *type = p ? json_string_value(json_object_get(p, "type"))
                             : NULL;
        if (type && (strstr(type, ":invalidContact") ||
                     strstr(type, ":invalidEmail")) && emails.n > 0) {
            r = cb_err_set(err, r,
                           "The ACME server believes %s is an invalid email "
                           "address. Please ensure it is a valid email and "
                           "attempt registration again.",
                           emails.v[0]);
        } else if (r == CB_ERR_ACME) {
            r = cb_err_set(err, r,
                           "Unable to register an account with ACME server. "
                           "Error returned by the ACME server: %s",
                           cb_err_msg(&inner));
        } else {
            r = cb_err_set(err, r, "%s", cb_err_msg(&inner));
        }
        goto out;
    }
    r = account_save(config_str(cfg, "config_dir"), s->server, key, url,
                     subscribe && !config_bool(cfg, "dry_run")
                         ? emails.v[0] : NULL, &acct, err);
    if (r != CB_OK)
        goto out;
    /* acct holds its own copy of the key; point the client at it. */
    use_account(s, acct);
    acct = NULL;
    display_notify("Account registered.", 0);
out:
    account_free(acct);
    EVP_PKEY_free(key);
    free(url);
    strvec_clear(&emails);
    return r;
}
