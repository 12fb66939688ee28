/* An ACME session for one command: the HTTP client (trust, user agent),
 * the ACME client for the configured server, and the account in use.
 *
 * Ownership: struct session owns all three; session_close frees them. */
#ifndef CB_LIFECYCLE_SESSION_H
#define CB_LIFECYCLE_SESSION_H

#include "acme/client.h"
#include "crypto/rsa_keygen.h"
#include "cli/config.h"
#include "storage/account_store.h"
#include "util/err.h"
#include "util/http.h"
#include "util/strvec.h"

struct session {
    struct http_client *http;
    struct acme_client *acme;
    struct account *account;  /* NULL until session_account() */
    char *server;
    /* the account key being generated in the background while the
     * session connects, when no account exists yet (crypto/rsa_keygen.h) */
    struct rsa_keygen_job *keygen;
};

/* Connect to the configured server (dest "server"). */
int session_open(struct cb_config *cfg, struct session *s,
                 struct cb_err *err);
void session_close(struct session *s);

/* Choose the account for this server, or register one (SPEC 4.12).
 * allow_register = 0 fails when none exists.  Sets the client's key+kid. */
int session_account(struct cb_config *cfg, struct session *s,
                    int allow_register, struct cb_err *err);
/* Register a new account unconditionally (the register verb checks for
 * an existing one first). */
int session_register(struct cb_config *cfg, struct session *s,
                     struct cb_err *err);

/* -m's comma-separated list, blanks around items stripped, empty items
 * dropped; appended to out (copied). */
void session_split_emails(const char *raw, struct strvec *out);
/* Certbot's EFF question for these emails: --eff-email/--no-eff-email,
 * else asked (default No) when interactive; never for no emails. */
int session_eff_choice(struct cb_config *cfg, const struct strvec *emails,
                       int *subscribe, struct cb_err *err);

/* How many accounts are stored for the configured server (no request to
 * the CA).  The verbs that need one word their own "not found" text. */
int session_account_count(const struct cb_config *cfg, size_t *n,
                          struct cb_err *err);

/* Certbot's get_email(): ask (when interactive) until the answer is
 * empty (no email) or a valid address; 'c' cancels with "Error getting
 * email address.".  Non-interactive: "".  *email is caller-freed. */
int session_ask_email(char **email, struct cb_err *err);

/* The User-Agent for this invocation (SPEC 4.16); caller frees. */
char *session_user_agent(const struct cb_config *cfg);

#endif
