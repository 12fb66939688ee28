/* renewal/<name>.conf: read, update, atomic save keeping mode, comments
 * and other sections (A-131..A-134, A-137). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "storage/fsutil.h"
#include "storage/renewal_conf.h"
#include "tap.h"

static char dir[64];

static char *data_text(const char *name)
{
    const char *top = getenv("top_srcdir");
    char *p = NULL, *data = NULL;
    size_t len;

    if (asprintf(&p, "%s/tests/data/storage/%s", top ? top : "..", name) < 0)
        return NULL;
    if (fs_read_all(p, &data, &len, NULL) < 0)
        data = NULL;
    free(p);
    return data;
}

/* Copy a data file into the scratch dir as <as> with mode. */
static char *stage(const char *name, const char *as, mode_t mode)
{
    char *text = data_text(name), *dst = NULL;

    if (!text || asprintf(&dst, "%s/%s", dir, as) < 0) {
        free(text);
        return NULL;
    }
    unlink(dst);
    if (fs_write_new(dst, text, strlen(text), mode, NULL) < 0) {
        free(dst);
        dst = NULL;
    }
    free(text);
    return dst;
}

static void test_read(void)
{
    struct renewal_conf *rc = NULL;
    struct cb_err err = { 0 };
    char *p = stage("py21-standalone-renewed.conf", "a.test.conf", 0644);
    struct co_section *rp;

    ok(p && renewal_conf_load(p, &rc, &err) == 0,
       "A-131: a conf written by Python Certbot 2.1 loads");
    if (!rc) {
        free(p);
        return;
    }
    is_str(rc->name, "a.test", "name is the file name without .conf");
    is_str(rc->path, p, "path is absolute");
    is_str(renewal_conf_get(rc, "version"), "2.1.0", "version");
    is_str(renewal_conf_get(rc, "archive_dir"), "/tmp/x/c/archive/a.test",
           "archive_dir");
    is_str(renewal_conf_get(rc, "fullchain"),
           "/tmp/x/c/live/a.test/fullchain.pem", "fullchain");
    is_str(renewal_conf_get(rc, "renew_before_expiry"), "10 days",
           "user-added renew_before_expiry");
    rp = renewal_conf_params(rc, 0);
    is_str(co_get(rp, "pre_hook"), "echo a#b,c", "A-130: quoted pre_hook");
    is_str(co_get(rp, "post_hook"), "echo 'q' \"d\"",
           "A-130: triple-quoted post_hook");
    ok(renewal_conf_get(rc, "nope") == NULL, "missing key is NULL");
    renewal_conf_free(rc);
    free(p);
}

static void test_save(void)
{
    struct renewal_conf *rc = NULL, *back = NULL;
    struct cb_err err = { 0 };
    char *p = stage("py21-standalone-renewed.conf", "a.test.conf", 0600);
    char *text = NULL, *newp = NULL;
    struct co_section *rp;
    struct strvec keep = { 0 };
    struct stat st;
    size_t len;

    if (!p || renewal_conf_load(p, &rc, &err) < 0) {
        ok(0, "load for save");
        free(p);
        return;
    }
    /* a leftover from a crash must not get in the way */
    if (asprintf(&newp, "%s.new", p) > 0)
        fs_write_new(newp, "junk", 4, 0644, NULL);
    renewal_conf_set(rc, "version", "5.6.0");
    rp = renewal_conf_params(rc, 0);
    co_set(rp, "foo", "bar");           /* a key the caller did not keep */
    co_set(rp, "key_type", "rsa");
    strvec_push(&keep, "account");
    strvec_push(&keep, "server");
    strvec_push(&keep, "authenticator");
    strvec_push(&keep, "key_type");
    co_section_keep_only(rp, &keep);
    strvec_clear(&keep);
    co_section_add(configobj_root(rc->doc), "acme_renewal_info");
    co_set(co_section_get(configobj_root(rc->doc), "acme_renewal_info"),
           "ari_retry_after", "2026-01-01T06:00:00");
    ok(renewal_conf_save(rc, &err) == 0, "save succeeds");
    ok(stat(p, &st) == 0 && (st.st_mode & 07777) == 0600,
       "A-134: the rewrite keeps the conf's mode (0600)");
    ok(newp && access(newp, F_OK) < 0 && errno == ENOENT,
       "A-134: no <name>.conf.new remains");
    ok(fs_read_all(p, &text, &len, NULL) == 0 && text &&
       strcmp(text,
              "# renew_before_expiry = 30 days\n"
              "renew_before_expiry = 10 days\n"
              "version = 5.6.0\n"
              "archive_dir = /tmp/x/c/archive/a.test\n"
              "cert = /tmp/x/c/live/a.test/cert.pem\n"
              "privkey = /tmp/x/c/live/a.test/privkey.pem\n"
              "chain = /tmp/x/c/live/a.test/chain.pem\n"
              "fullchain = /tmp/x/c/live/a.test/fullchain.pem\n"
              "\n"
              "# Options used in the renewal process\n"
              "[renewalparams]\n"
              "account = 058f65740c233aac41b247383d7bfe9e\n"
              "server = https://127.0.0.1:14555/dir\n"
              "authenticator = standalone\n"
              "key_type = rsa\n"
              "[acme_renewal_info]\n"
              "ari_retry_after = 2026-01-01T06:00:00\n") == 0,
       "A-132/A-133: comments and user keys survive, unkept keys dropped");
    ok(renewal_conf_load(p, &back, &err) == 0 &&
       renewal_conf_params(back, 0) &&
       co_get(renewal_conf_params(back, 0), "foo") == NULL,
       "A-133: 'foo = bar' is gone after reload");
    free(text);
    free(newp);
    renewal_conf_free(back);
    renewal_conf_free(rc);
    free(p);
}

static void test_new_and_errors(void)
{
    struct renewal_conf *rc = NULL;
    struct cb_err err = { 0 };
    char *p = NULL, *text = NULL;
    struct stat st;
    size_t len;

    if (asprintf(&p, "%s/new.test.conf", dir) < 0)
        return;
    rc = renewal_conf_new(p);
    renewal_conf_set(rc, "version", "5.6.0");
    co_set(renewal_conf_params(rc, 1), "authenticator", "standalone");
    ok(rc && renewal_conf_save(rc, &err) == 0, "save a new conf");
    ok(stat(p, &st) == 0 && (st.st_mode & 07777) == 0644,
       "a new conf is 0644");
    ok(fs_read_all(p, &text, &len, NULL) == 0 &&
       strcmp(text, "version = 5.6.0\n[renewalparams]\n"
              "authenticator = standalone\n") == 0,
       "5.6 layout: no comments, [renewalparams] follows the keys");
    free(text);
    renewal_conf_free(rc);
    rc = NULL;
    free(p);

    p = stage("edge.conf", "broken.conf", 0644);
    if (p) {
        FILE *f = fopen(p, "a");
        if (f) {
            fputs("this line is broken\n", f);
            fclose(f);
        }
    }
    memset(&err, 0, sizeof(err));
    ok(p && renewal_conf_load(p, &rc, &err) == CB_ERR_CONFIG && !rc &&
       strstr(err.msg, p) && strstr(err.msg, "Invalid line"),
       "a syntax error is CB_ERR_CONFIG naming the file");
    free(p);
    memset(&err, 0, sizeof(err));
    ok(renewal_conf_load("/nonexistent/x.conf", &rc, &err) ==
       CB_ERR_NOT_FOUND, "a missing conf is CB_ERR_NOT_FOUND");

    p = stage("v56.conf", "v56.conf", 0644);
    memset(&err, 0, sizeof(err));
    ok(p && renewal_conf_load(p, &rc, &err) == 0 &&
       strcmp(co_get(renewal_conf_params(rc, 0),
                     "manual_public_ip_logging_ok"), "True") == 0,
       "A-137: deprecated keys in [renewalparams] parse fine");
    renewal_conf_free(rc);
    free(p);
}

int main(void)
{
    struct cb_err err = { 0 };

    umask(022);
    snprintf(dir, sizeof(dir), "/tmp/cb-test-rconf-XXXXXX");
    if (!mkdtemp(dir))
        return 1;
    test_read();
    test_save();
    test_new_and_errors();
    fs_rmtree(dir, &err);
    return done_testing();
}
