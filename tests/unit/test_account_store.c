/* accounts/: paths, Python-compatible JSON, modes, list/load/update/delete
 * and Let's Encrypt v01 reuse (SPEC 3.4, A-013-style checks). */
#include <dirent.h>
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "storage/account_store.h"
#include "storage/fsutil.h"
#include "tap.h"

#define PEBBLE "https://127.0.0.1:14555/dir"

static char top[64];
static char cfg[128];

static char *data_file(const char *name)
{
    const char *t = getenv("top_srcdir");
    char p[512], *d = NULL;
    size_t n;

    snprintf(p, sizeof(p), "%s/tests/data/storage/py21-account/%s",
             t ? t : "..", name);
    if (fs_read_all(p, &d, &n, NULL) < 0)
        return NULL;
    return d;
}

static char *slurp(const char *p)
{
    char *d = NULL;
    size_t n;

    if (fs_read_all(p, &d, &n, NULL) < 0)
        return NULL;
    return d;
}

static int mode_of(const char *p)
{
    struct stat st;

    return lstat(p, &st) == 0 ? (int)(st.st_mode & 07777) : -1;
}

static int matches(const char *s, const char *re)
{
    regex_t rx;
    int m;

    if (!s || regcomp(&rx, re, REG_EXTENDED | REG_NOSUB) != 0)
        return 0;
    m = regexec(&rx, s, 0, NULL, 0) == 0;
    regfree(&rx);
    return m;
}

static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    int n = 0;

    if (!d)
        return -1;
    while ((de = readdir(d)) != NULL)
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
            n++;
    closedir(d);
    return n;
}

/* Put the Python-written fixture account under server. */
static char *install_fixture(const char *server, char **id_out)
{
    static const char *const files[] = { "private_key.json", "regr.json",
                                         "meta.json" };
    char *sdir = account_server_dir(cfg, server), *id = data_file("id");
    char *adir = NULL;

    if (!sdir || !id)
        return NULL;
    id[strcspn(id, "\n")] = '\0';
    if (asprintf(&adir, "%s/%s", sdir, id) < 0)
        return NULL;
    fs_mkdirs(adir, 0700, NULL);
    for (int i = 0; i < 3; i++) {
        char *p = NULL, *d = data_file(files[i]);
        if (d && asprintf(&p, "%s/%s", adir, files[i]) >= 0)
            fs_write_new(p, d, strlen(d), i == 0 ? 0400 : 0644, NULL);
        free(p);
        free(d);
    }
    free(sdir);
    *id_out = id;
    return adir;
}

static void test_paths(void)
{
    char want[256], *d;

    d = account_server_dir(cfg, "https://127.0.0.1:14000/dir");
    snprintf(want, sizeof(want), "%s/accounts/127.0.0.1:14000/dir", cfg);
    is_str(d, want, "server dir keeps the port colon");
    free(d);
    d = account_server_dir(cfg,
                           "https://acme-v02.api.letsencrypt.org/directory");
    snprintf(want, sizeof(want),
             "%s/accounts/acme-v02.api.letsencrypt.org/directory", cfg);
    is_str(d, want, "Let's Encrypt v02 server dir");
    free(d);
    d = account_server_dir(cfg, "https://h.test/a/b/?x=1#f");
    snprintf(want, sizeof(want), "%s/accounts/h.test/a/b", cfg);
    is_str(d, want, "query, fragment and trailing slash are not part of it");
    free(d);
    d = account_server_dir(cfg, "https://h.test/../../etc");
    snprintf(want, sizeof(want), "%s/accounts/h.test/etc", cfg);
    is_str(d, want, "'..' segments cannot leave accounts/");
    free(d);
}

static void test_python_account(void)
{
    struct account *a = NULL;
    struct cb_err err = { 0 };
    char *id = NULL, *adir = install_fixture(PEBBLE, &id);
    char *jwk = NULL, *file = data_file("private_key.json"), *aid = NULL;

    ok(adir && account_load(cfg, PEBBLE, id, &a, &err) == 0 && a,
       "an account written by Python Certbot 2.1 loads");
    if (!a) {
        printf("# %s\n", err.msg);
        goto out;
    }
    is_str(a->id, id, "id = md5 of the SPKI PEM (as Python computed it)");
    is_str(a->dir, adir, "dir");
    is_str(a->uri, "https://127.0.0.1:14555/my-account/6896f1a5729f75c",
           "uri from regr.json");
    is_str(a->creation_dt, "2026-11-23T19:31:59Z", "creation_dt");
    is_str(a->creation_host, "localhost", "creation_host");
    is_str(a->register_to_eff, "a@example.test", "register_to_eff");
    aid = account_id_for_key(a->key);
    is_str(aid, id, "account_id_for_key agrees with Python");
    jwk = account_key_to_jwk_json(a->key);
    is_str(jwk, file,
           "JWK written back is byte-identical to josepy's private_key.json");
out:
    free(aid);
    free(jwk);
    free(file);
    free(id);
    free(adir);
    account_free(a);
}

static EVP_PKEY *fixture_key(void)
{
    char *j = data_file("private_key.json");
    EVP_PKEY *k = NULL;

    if (j)
        account_key_from_jwk_json(j, &k, NULL);
    free(j);
    return k;
}

static void test_save(void)
{
    const char *server = "https://other.test:8443/acme/dir";
    struct account *a = NULL, *b = NULL;
    struct cb_err err = { 0 };
    EVP_PKEY *key = fixture_key();
    char *sdir = account_server_dir(cfg, server), *p = NULL, *t, *want;
    char path[512];

    ok(key && account_save(cfg, server, key, "https://other.test/acct/1",
                           "me@example.test", &a, &err) == 0 && a,
       "account_save");
    if (!a) {
        printf("# %s\n", err.msg);
        goto out;
    }
    snprintf(path, sizeof(path), "%s/accounts", cfg);
    is_int(mode_of(path), 0700, "accounts/ 0700");
    snprintf(path, sizeof(path), "%s/accounts/other.test:8443", cfg);
    is_int(mode_of(path), 0700, "accounts/<netloc> 0700");
    snprintf(path, sizeof(path), "%s/accounts/other.test:8443/acme", cfg);
    ok(mode_of(path) == 0700 && mode_of(sdir) == 0700,
       "every server path level 0700");
    is_int(mode_of(a->dir), 0700, "accounts/.../<id> 0700");
    if (asprintf(&p, "%s/private_key.json", a->dir) < 0)
        p = NULL;
    is_int(mode_of(p), 0400, "private_key.json 0400");
    t = slurp(p);
    want = data_file("private_key.json");
    is_str(t, want, "private_key.json: josepy's member order and layout");
    free(t);
    free(want);
    free(p);
    if (asprintf(&p, "%s/regr.json", a->dir) < 0)
        p = NULL;
    t = slurp(p);
    is_str(t, "{\"body\": {}, \"uri\": \"https://other.test/acct/1\"}",
           "regr.json is exactly {\"body\": {}, \"uri\": ...}");
    is_int(mode_of(p), 0644, "regr.json 0644");
    free(t);
    free(p);
    if (asprintf(&p, "%s/meta.json", a->dir) < 0)
        p = NULL;
    t = slurp(p);
    ok(matches(t, "^\\{\"creation_dt\": \"[0-9]{4}-[0-9]{2}-[0-9]{2}T"
                  "[0-9]{2}:[0-9]{2}:[0-9]{2}Z\", \"creation_host\": "
                  "\"[^\"]+\", \"register_to_eff\": \"me@example.test\"\\}$"),
       "meta.json: creation_dt (RFC 3339, Z), creation_host, "
       "register_to_eff");
    is_int(mode_of(p), 0644, "meta.json 0644");
    free(t);
    is_int(count_entries(sdir), 1, "no temp dir left beside the account");

    memset(&err, 0, sizeof(err));
    ok(account_save(cfg, server, key, "https://other.test/acct/1", NULL, &b,
                    &err) == CB_ERR_EXISTS && !b &&
       count_entries(sdir) == 1,
       "saving the same key again fails and leaves nothing");

    free(a->register_to_eff);
    a->register_to_eff = NULL;
    free(a->uri);
    a->uri = strdup("https://other.test/acct/2");
    ok(account_update(a, &err) == 0, "account_update");
    t = slurp(p);
    ok(t && !strstr(t, "register_to_eff") && mode_of(p) == 0644,
       "meta.json rewritten without register_to_eff, still 0644");
    free(t);
    free(p);
    memset(&err, 0, sizeof(err));
    ok(account_load(cfg, server, a->id, &b, &err) == 0 && b &&
       strcmp(b->uri, "https://other.test/acct/2") == 0 &&
       b->register_to_eff == NULL, "updated account reloads");
out:
    account_free(b);
    account_free(a);
    EVP_PKEY_free(key);
    free(sdir);
}

static void test_list_delete(void)
{
    const char *server = "https://127.0.0.1:14000/dir";
    struct account **list = NULL, *a = NULL, *b = NULL;
    struct cb_err err = { 0 };
    EVP_PKEY *k1 = fixture_key(), *k2 = EVP_RSA_gen(2048);
    char *sdir = account_server_dir(cfg, server), netloc[256], junk[512];
    size_t n = 99;

    ok(account_list(cfg, server, &list, &n, &err) == 0 && n == 0,
       "no server dir: zero accounts");
    account_list_free(list, n);
    account_save(cfg, server, k1, "https://x/1", NULL, &a, &err);
    account_save(cfg, server, k2, "https://x/2", NULL, &b, &err);
    snprintf(junk, sizeof(junk), "%s/broken", sdir);
    fs_mkdirs(junk, 0700, NULL);
    ok(account_list(cfg, server, &list, &n, &err) == 0 && n == 2 &&
       strcmp(list[0]->id, list[1]->id) < 0,
       "two accounts listed sorted by id, a broken dir skipped");
    account_list_free(list, n);
    rmdir(junk);

    ok(a && account_delete(cfg, server, a->id, &err) == 0 &&
       access(a->dir, F_OK) < 0 && access(sdir, F_OK) == 0,
       "delete one account: its dir goes, the server dir stays");
    ok(b && account_delete(cfg, server, b->id, &err) == 0 &&
       access(sdir, F_OK) < 0 && errno == ENOENT,
       "delete the last: the empty server dir goes too");
    snprintf(netloc, sizeof(netloc), "%s/accounts/127.0.0.1:14000", cfg);
    ok(access(netloc, F_OK) == 0, "accounts/<netloc> stays (SPEC 3.4)");
    memset(&err, 0, sizeof(err));
    ok(account_delete(cfg, server, "0123", &err) == CB_ERR_NOT_FOUND &&
       strstr(err.msg, "does not exist"),
       "deleting an unknown account is CB_ERR_NOT_FOUND");
    memset(&err, 0, sizeof(err));
    {
        struct account *none = NULL;
        ok(account_load(cfg, server, "0123", &none, &err) ==
           CB_ERR_NOT_FOUND && !none,
           "loading an unknown account is CB_ERR_NOT_FOUND");
    }
    account_free(a);
    account_free(b);
    EVP_PKEY_free(k1);
    EVP_PKEY_free(k2);
    free(sdir);
}

static void test_le_reuse(void)
{
    const char *v01 = "https://acme-v01.api.letsencrypt.org/directory";
    const char *v02 = "https://acme-v02.api.letsencrypt.org/directory";
    struct account **list = NULL;
    struct cb_err err = { 0 };
    char *id = NULL, *adir = install_fixture(v01, &id);
    char *s01 = account_server_dir(cfg, v01), *s02 = account_server_dir(cfg,
                                                                         v02);
    char target[512] = "";
    ssize_t tl;
    size_t n = 0;

    ok(adir && account_list(cfg, v02, &list, &n, &err) == 0 && n == 1 &&
       strcmp(list[0]->id, id) == 0,
       "v02 with no accounts lists the v01 accounts");
    tl = readlink(s02, target, sizeof(target) - 1);
    if (tl > 0)
        target[tl] = '\0';
    is_str(target, s01, "and accounts/<v02> becomes a link to <v01>");
    account_list_free(list, n);
    free(id);
    free(adir);
    free(s01);
    free(s02);
}

static void test_jwk_errors(void)
{
    EVP_PKEY *k = NULL;
    struct cb_err err = { 0 };

    ok(account_key_from_jwk_json("{\"kty\": \"EC\"}", &k, &err) ==
       CB_ERR_CRYPTO && !k, "a non-RSA JWK is refused");
    memset(&err, 0, sizeof(err));
    ok(account_key_from_jwk_json("{\"kty\": \"RSA\", \"n\": \"AQAB\"}", &k,
                                 &err) == CB_ERR_CRYPTO &&
       strstr(err.msg, "\"e\""), "a JWK without e is refused");
    memset(&err, 0, sizeof(err));
    ok(account_key_from_jwk_json("not json", &k, &err) == CB_ERR_CONFIG,
       "garbage is CB_ERR_CONFIG");
}

int main(void)
{
    struct cb_err err = { 0 };

    umask(022);
    snprintf(top, sizeof(top), "/tmp/cb-test-acct-XXXXXX");
    if (!mkdtemp(top))
        return 1;
    snprintf(cfg, sizeof(cfg), "%s/conf", top);
    test_paths();
    test_python_account();
    test_save();
    test_list_delete();
    test_le_reuse();
    test_jwk_errors();
    fs_rmtree(top, &err);
    return done_testing();
}
