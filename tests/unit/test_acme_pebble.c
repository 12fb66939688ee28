/* Development check of the ACME client against a live pebble.
 *
 *   PEBBLE_DIR_URL=https://127.0.0.1:14555/dir PEBBLE_HTTP_PORT=5777 \
 *       tests/unit/test_acme_pebble
 *
 * Runs a whole issuance: account, order for two names, http-01 served by
 * a forked responder, answer, poll, finalize, download, revoke.  Without
 * PEBBLE_DIR_URL it skips, so make check passes offline. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "acme/client.h"
#include "crypto/cert.h"
#include "crypto/csr.h"
#include "crypto/key.h"
#include "tap.h"
#include "util/http.h"

#define MAX_CHALL 8

struct http01 {
    char path[256];
    char body[512];
};

static struct http01 served[MAX_CHALL];
static size_t n_served;

/* A minimal blocking HTTP/1.0 responder for /.well-known/acme-challenge/. */
static void responder_loop(int lfd)
{
    for (;;) {
        char req[2048], resp[1024];
        const char *status = "404 Not Found", *body = "";
        ssize_t n;
        size_t got = 0;
        int fd = accept(lfd, NULL, NULL);

        if (fd < 0)
            continue;
        while (got < sizeof(req) - 1) {
            n = read(fd, req + got, sizeof(req) - 1 - got);
            if (n <= 0)
                break;
            got += (size_t)n;
            req[got] = '\0';
            if (strstr(req, "\r\n\r\n"))
                break;
        }
        req[got] = '\0';
        for (size_t i = 0; i < n_served; i++) {
            size_t plen = strlen(served[i].path);

            if (strncmp(req, "GET ", 4) == 0 &&
                strncmp(req + 4, served[i].path, plen) == 0 &&
                req[4 + plen] == ' ') {
                status = "200 OK";
                body = served[i].body;
            }
        }
        n = snprintf(resp, sizeof(resp),
                     "HTTP/1.0 %s\r\nContent-Type: text/plain\r\n"
                     "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
                     status, strlen(body), body);
        if (n > 0 && write(fd, resp, (size_t)n) < 0)
            perror("write");
        close(fd);
    }
}

static pid_t responder_start(int port)
{
    struct sockaddr_in sa;
    int one = 1, lfd;
    pid_t pid;

    lfd = socket(AF_INET, SOCK_STREAM, 0);
    if (lfd < 0)
        return -1;
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_port = htons((unsigned short)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
        listen(lfd, 16) < 0) {
        perror("responder bind");
        close(lfd);
        return -1;
    }
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        responder_loop(lfd);
        _exit(0);
    }
    close(lfd);
    return pid;
}

static void responder_stop(pid_t pid)
{
    if (pid > 0) {
        kill(pid, SIGTERM);
        waitpid(pid, NULL, 0);
    }
}

static void test_connect_error(void)
{
    struct http_opts ho = { .verify_ssl = 0, .timeout_ms = 5000 };
    struct http_client *http = NULL;
    struct acme_client *c = NULL;
    struct cb_err err = { 0 };
    int rc;

    http_client_new(&ho, &http, &err);
    rc = acme_client_new(http, "https://127.0.0.1:1/dir", &c, &err);
    is_int(rc, CB_ERR_NET, "unreachable directory gives CB_ERR_NET");
    is_str(cb_err_msg(&err),
           "Failed to connect to https://127.0.0.1:1/dir: Couldn't connect to server",
           "connect error names the URL and curl's reason");
    acme_client_free(c);
    http_client_free(http);
}

/* Order dns with cert key ckey, prove control over http-01 (serving from
 * a forked responder on port), finalize and download.  *pem is the chain
 * (caller frees); the order stays in *order for the caller to inspect. */
static int issue(struct acme_client *c, int port, const char *const *dns,
                 EVP_PKEY *ckey, struct acme_order *order, char **pem,
                 const char *label)
{
    const char *pending[MAX_CHALL];
    struct acme_authz polled[MAX_CHALL];
    size_t n_pending = 0;
    struct cb_err err = { 0 };
    unsigned char *csr = NULL;
    size_t csr_len = 0;
    pid_t responder = -1;
    char name[128];
    int rc;

    *pem = NULL;
    n_served = 0;
    rc = acme_order_new(c, dns, NULL, NULL, NULL, order, &err);
    snprintf(name, sizeof(name), "%s: newOrder", label);
    if (!ok(rc == 0, name)) {
        printf("# %s\n", cb_err_msg(&err));
        return rc;
    }
    for (size_t i = 0; i < order->authorizations.n && i < MAX_CHALL; i++) {
        struct acme_authz az = { 0 };

        rc = acme_authz_get(c, order->authorizations.v[i], &az, &err);
        if (rc < 0)
            goto out;
        /* Pebble may reuse a valid authorization: nothing to prove. */
        for (size_t j = 0; strcmp(az.status, "pending") == 0 &&
                           j < az.n_challenges; j++) {
            struct acme_challenge *ch = &az.challenges[j];
            char *ka;

            if (strcmp(ch->type, "http-01") != 0)
                continue;
            ka = acme_key_authorization(c, ch->token);
            snprintf(served[n_served].path, sizeof(served[0].path),
                     "/.well-known/acme-challenge/%s", ch->token);
            snprintf(served[n_served].body, sizeof(served[0].body), "%s", ka);
            n_served++;
            free(ka);
            pending[n_pending++] = order->authorizations.v[i];
        }
        acme_authz_free(&az);
    }
    if (n_pending > 0) {
        responder = responder_start(port);
        snprintf(name, sizeof(name), "%s: http-01 responder serving", label);
        ok(responder > 0, name);
        for (size_t i = 0; i < n_pending; i++) {
            struct acme_authz az = { 0 };

            acme_authz_get(c, pending[i], &az, &err);
            for (size_t j = 0; j < az.n_challenges; j++)
                if (strcmp(az.challenges[j].type, "http-01") == 0)
                    rc = acme_challenge_answer(c, az.challenges[j].url, &err);
            acme_authz_free(&az);
            if (rc < 0)
                goto out;
        }
        rc = acme_authz_poll_many(c, pending, n_pending, 30, polled, &err);
        snprintf(name, sizeof(name), "%s: authorizations settled", label);
        ok(rc == 0, name);
        for (size_t i = 0; i < n_pending; i++) {
            snprintf(name, sizeof(name), "%s: authz %s valid", label,
                     polled[i].ident_value ? polled[i].ident_value : "?");
            is_str(polled[i].status, "valid", name);
            acme_authz_free(&polled[i]);
        }
        if (rc < 0)
            goto out;
    }
    rc = csr_make(ckey, dns, NULL, 0, &csr, &csr_len, &err);
    if (rc < 0)
        goto out;
    rc = acme_order_finalize(c, order, csr, csr_len, 90, &err);
    snprintf(name, sizeof(name), "%s: order finalized and valid", label);
    if (!ok(rc == 0 && strcmp(order->status, "valid") == 0, name))
        goto out;
    rc = acme_certificate_get(c, order, NULL, pem, NULL, &err);
out:
    if (rc < 0)
        printf("# %s: %s\n", label, cb_err_msg(&err));
    responder_stop(responder);
    OPENSSL_free(csr);
    return rc;
}

/* Revoke the leaf of pem signed with the certificate's own key (jwk), as
 * certbot revoke --key-path does. */
static void revoke_with_cert_key(struct acme_client *c, EVP_PKEY *acct_key,
                                 EVP_PKEY *ckey, const char *pem,
                                 const char *label)
{
    struct cb_err err = { 0 };
    unsigned char *der = NULL;
    size_t der_len = 0;
    char *kid = acme_client_kid(c) ? strdup(acme_client_kid(c)) : NULL;
    int rc;

    cert_pem_to_der(pem, strlen(pem), &der, &der_len, &err);
    acme_client_set_key(c, ckey, NULL);
    rc = acme_revoke(c, der, der_len, 1, 1, &err);
    if (!ok(rc == 0, label))
        printf("# %s\n", cb_err_msg(&err));
    acme_client_set_key(c, acct_key, kid);
    free(kid);
    OPENSSL_free(der);
}

int main(void)
{
    const char *dir_url = getenv("PEBBLE_DIR_URL");
    const char *port_s = getenv("PEBBLE_HTTP_PORT");
    struct http_opts ho = { .verify_ssl = 0, .user_agent = "certbot-c-test" };
    struct http_client *http = NULL;
    struct acme_client *c = NULL;
    struct acme_order order = { 0 };
    struct acme_account_req areq = { .tos_agreed = 1 };
    struct cb_err err = { 0 };
    EVP_PKEY *akey = NULL, *ckey = NULL;
    char *acct_url = NULL, *pem = NULL, names[2][80];
    const char *dns[3];
    const char *contacts[] = { "certbot-c@example.org", NULL };
    unsigned char *der = NULL;
    size_t der_len = 0;
    struct strvec chain = { 0 };
    struct cert_info ci = { 0 };
    json_t *acct = NULL;
    int rc, port, matched = -1;

    if (!dir_url || !*dir_url) {
        printf("1..0 # SKIP PEBBLE_DIR_URL not set\n");
        return 0;
    }
    if (!port_s) {
        printf("1..0 # SKIP PEBBLE_HTTP_PORT not set\n");
        return 0;
    }
    port = atoi(port_s);
    test_connect_error();

    srand((unsigned)time(NULL) ^ (unsigned)getpid());
    snprintf(names[0], sizeof(names[0]), "c%d.acme-test.test", rand() % 1000000);
    snprintf(names[1], sizeof(names[1]), "www.%.60s", names[0]);
    dns[0] = names[0];
    dns[1] = names[1];
    dns[2] = NULL;

    rc = http_client_new(&ho, &http, &err);
    is_int(rc, 0, "http client");
    rc = acme_client_new(http, dir_url, &c, &err);
    if (!ok(rc == 0, "directory fetched")) {
        printf("# %s\n", cb_err_msg(&err));
        goto out;
    }
    ok(acme_directory_get(c, "newOrder") != NULL, "directory has newOrder");
    ok(acme_terms_of_service(c) != NULL, "pebble advertises termsOfService");

    rc = key_generate("rsa", 2048, NULL, &akey, &err);
    is_int(rc, 0, "account key generated");
    acme_client_set_key(c, akey, NULL);

    /* an account is registered with termsOfServiceAgreed. */
    rc = acme_account_new(c, &areq, &acct_url, &acct, &err);
    if (!ok(rc == 0, "newAccount")) {
        printf("# %s\n", cb_err_msg(&err));
        goto out;
    }
    ok(acct_url && strncmp(acct_url, "https://", 8) == 0, "account URL from Location");
    is_str(acme_client_kid(c), acct_url, "kid set to the account URL");
    is_str(json_string_value(json_object_get(acct, "status")), "valid",
           "account status valid");
    json_decref(acct);
    acct = NULL;

    /* onlyReturnExisting with the same key finds the same account. */
    {
        struct acme_account_req ex = { .only_return_existing = 1 };
        char *url2 = NULL;

        acme_client_set_key(c, akey, NULL);
        rc = acme_account_new(c, &ex, &url2, NULL, &err);
        is_int(rc, 0, "onlyReturnExisting finds the account");
        is_str(url2, acct_url, "same account URL");
        free(url2);
    }

    /* contact update. */
    rc = acme_account_update(c, contacts, &acct, &err);
    if (!ok(rc == 0, "account update"))
        printf("# %s\n", cb_err_msg(&err));
    is_str(json_string_value(json_array_get(json_object_get(acct, "contact"), 0)),
           "mailto:certbot-c@example.org", "contact sent as mailto: URI");
    json_decref(acct);
    acct = NULL;

    rc = key_generate("ecdsa", 0, "secp256r1", &ckey, &err);
    is_int(rc, 0, "certificate key generated");
    rc = issue(c, port, dns, ckey, &order, &pem, "P-256");
    if (rc < 0)
        goto out;
    is_int(order.authorizations.n, 2, "two authorizations");
    ok(order.certificate != NULL, "certificate URL");

    free(pem);
    pem = NULL;
    rc = acme_certificate_get(c, &order, "No Such Issuer CN", &pem, &matched,
                              &err);
    if (!ok(rc == 0, "certificate downloaded"))
        printf("# %s\n", cb_err_msg(&err));
    is_int(matched, 0, "A-081 unknown preferred chain does not match");
    rc = pem ? pem_split_certs(pem, strlen(pem), &chain, &err) : -1;
    is_int(rc, 0, "chain splits");
    ok(chain.n >= 2, "A-060 chain has the leaf and at least one issuer");
    if (chain.n >= 2) {
        struct cert_info top = { 0 };

        /* Asking for the default chain's own top issuer must match. */
        cert_info_from_pem(chain.v[chain.n - 1], strlen(chain.v[chain.n - 1]),
                           &top, &err);
        if (top.issuer_cn) {
            char *pem2 = NULL;

            rc = acme_certificate_get(c, &order, top.issuer_cn, &pem2,
                                      &matched, &err);
            is_int(rc, 0, "download with the default chain's issuer");
            is_int(matched, 1, "A-081 preferred chain matches the topmost issuer");
            free(pem2);
        }
        cert_info_free(&top);
    }
    rc = chain.n ? cert_info_from_pem(chain.v[0], strlen(chain.v[0]), &ci, &err)
                 : -1;
    is_int(rc, 0, "leaf parsed");
    is_int(ci.dns.n, 2, "A-061 leaf has two SANs");
    ok(ci.dns.n == 2 && strvec_contains(&ci.dns, names[0]) &&
           strvec_contains(&ci.dns, names[1]),
       "A-061 leaf SANs are the requested names");
    is_str(ci.key_type, "ECDSA", "leaf key type");
    ok(chain.n && cert_matches_key(chain.v[0], strlen(chain.v[0]), ckey),
       "A-061 leaf matches the certificate key");

    /* Revoke with the account key, then again: alreadyRevoked. */
    rc = chain.n ? cert_pem_to_der(chain.v[0], strlen(chain.v[0]), &der,
                                   &der_len, &err)
                 : -1;
    is_int(rc, 0, "leaf to DER");
    rc = acme_revoke(c, der, der_len, 4, 0, &err);
    if (!ok(rc == 0, "revokeCert with the account key"))
        printf("# %s\n", cb_err_msg(&err));
    cb_err_reset(&err);
    rc = acme_revoke(c, der, der_len, 0, 0, &err);
    is_int(rc, CB_ERR_ACME, "second revocation fails");
    is_str(acme_last_problem_type(c), "urn:ietf:params:acme:error:alreadyRevoked",
           "problem type kept");
    ok(strncmp(cb_err_msg(&err), "Unable to revoke the certificate: alreadyRevoked :: ",
               52) == 0,
       "problem becomes one line with context");
    printf("# %s\n", cb_err_msg(&err));
    ok(strchr(cb_err_msg(&err), '\n') == NULL, "message is one line");

    /* P-384 and P-521 certificate keys, each revoked with its own
     * key (ES384 / ES512 JWS accepted by the CA). */
    {
        static const char *curves[] = { "secp384r1", "secp521r1" };

        for (int i = 0; i < 2; i++) {
            struct acme_order o2 = { 0 };
            EVP_PKEY *k2 = NULL;
            char *pem2 = NULL, label[96];

            key_generate("ecdsa", 0, curves[i], &k2, &err);
            if (issue(c, port, dns, k2, &o2, &pem2, curves[i]) == 0) {
                ok(cert_matches_key(pem2, strlen(pem2), k2),
                   "leaf matches the new key");
                snprintf(label, sizeof(label),
                         "A-113 revoke signed with the %s certificate key",
                         curves[i]);
                revoke_with_cert_key(c, akey, k2, pem2, label);
            }
            free(pem2);
            acme_order_free(&o2);
            EVP_PKEY_free(k2);
        }
    }

    /* A problem with an identifier: a name pebble refuses. */
    {
        struct acme_order bad = { 0 };
        const char *bad_dns[] = { "bad_name!.test", NULL };

        cb_err_reset(&err);
        rc = acme_order_new(c, bad_dns, NULL, NULL, NULL, &bad, &err);
        is_int(rc, CB_ERR_ACME, "invalid identifier refused");
        ok(strncmp(cb_err_msg(&err), "Unable to create order: ", 24) == 0,
           "order error has context");
        printf("# %s\n", cb_err_msg(&err));
        acme_order_free(&bad);
    }

    cb_err_reset(&err);
    rc = acme_account_deactivate(c, &err);
    if (!ok(rc == 0, "A-046 account deactivated"))
        printf("# %s\n", cb_err_msg(&err));

out:
    cert_info_free(&ci);
    strvec_clear(&chain);
    OPENSSL_free(der);
    free(pem);
    free(acct_url);
    json_decref(acct);
    acme_order_free(&order);
    EVP_PKEY_free(ckey);
    EVP_PKEY_free(akey);
    acme_client_free(c);
    http_client_free(http);
    return done_testing();
}
