/* Lineages on disk: layout, modes, link texts, README and conf bytes,
 * naming, successors, crash recovery, truncation, failure cleanup and
 * delete (A-057..A-063, A-121..A-125, A-142, A-158..A-161, A-312). */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "storage/fsutil.h"
#include "storage/lineage.h"
#include "tap.h"

#define CERT                                                           \
    "-----BEGIN CERTIFICATE-----\nMIIBleaf\n-----END CERTIFICATE-----\n"
#define CHAIN                                                          \
    "-----BEGIN CERTIFICATE-----\nMIIBissuer\n-----END CERTIFICATE-----\n"
#define KEY "-----BEGIN PRIVATE KEY-----\nMIGkey\n-----END PRIVATE KEY-----\n"

static char top[64];
static char cfg[128];

static char *pathf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *pathf(const char *fmt, ...)
{
    static char buf[8][512];
    static int i;
    char rel[256];
    va_list ap;

    i = (i + 1) % 8;
    va_start(ap, fmt);
    vsnprintf(rel, sizeof(rel), fmt, ap);
    va_end(ap);
    snprintf(buf[i], sizeof(buf[i]), "%s/%s", cfg, rel);
    return buf[i];
}

static int mode_of(const char *p)
{
    struct stat st;

    return lstat(p, &st) == 0 ? (int)(st.st_mode & 07777) : -1;
}

static int lexists(const char *p)
{
    struct stat st;

    return lstat(p, &st) == 0;
}

static char *link_text(const char *p)
{
    static char buf[PATH_MAX];
    ssize_t n = readlink(p, buf, sizeof(buf) - 1);

    if (n < 0)
        return NULL;
    buf[n] = '\0';
    return buf;
}

static char *slurp(const char *p)
{
    char *d = NULL;
    size_t n;

    if (fs_read_all(p, &d, &n, NULL) < 0)
        return NULL;
    return d;
}

static char *data_file(const char *name)
{
    const char *t = getenv("top_srcdir");
    char p[512];

    snprintf(p, sizeof(p), "%s/tests/data/storage/%s", t ? t : "..", name);
    return slurp(p);
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

static struct lineage *create(const char *name)
{
    struct lineage *l = NULL;
    struct cb_err err = { 0 };

    if (lineage_create(cfg, name, CERT, CHAIN, CERT CHAIN, KEY, strlen(KEY),
                       "5.6.0", &l, &err) < 0)
        printf("# create %s: %s\n", name, err.msg);
    return l;
}

static int successor(struct lineage *l, const char *key)
{
    struct cb_err err = { 0 };
    int v = -1;

    if (lineage_save_successor(l, CERT, CHAIN, CERT CHAIN, key,
                               key ? strlen(key) : 0, "5.6.0", &v, &err) < 0)
        printf("# successor: %s\n", err.msg);
    return v;
}

static int links_at(const char *name, int v)
{
    static const char *const kinds[] = { "cert", "privkey", "chain",
                                         "fullchain" };
    for (int k = 0; k < 4; k++) {
        char want[256], live[256];
        const char *t;
        snprintf(want, sizeof(want), "../../archive/%s/%s%d.pem", name,
                 kinds[k], v);
        snprintf(live, sizeof(live), "live/%s/%s.pem", name, kinds[k]);
        t = link_text(pathf("%s", live));
        if (!t || strcmp(t, want) != 0) {
            printf("# %s -> %s, want %s\n", live, t ? t : "(none)", want);
            return 0;
        }
    }
    return 1;
}

static void test_create_layout(void)
{
    struct lineage *l = create("a.test");
    char *text, *want, conf[2048];

    ok(l != NULL, "create a.test in a fresh config dir");
    if (!l)
        return;
    is_str(l->name, "a.test", "name");
    is_str(l->archive_dir, pathf("archive/%s", "a.test"), "archive_dir");
    is_str(l->live_dir, pathf("live/%s", "a.test"), "live_dir");
    is_str(l->path[LK_FULLCHAIN], pathf("live/%s/fullchain.pem", "a.test"),
           "fullchain path");
    ok(links_at("a.test", 1),
       "A-057: live links are ../../archive/a.test/<kind>1.pem");
    is_int(count_entries(pathf("archive/%s", "a.test")), 4,
           "A-058: archive/a.test holds exactly four files");
    ok(lexists(pathf("archive/a.test/%s", "cert1.pem")) &&
       lexists(pathf("archive/a.test/%s", "chain1.pem")) &&
       lexists(pathf("archive/a.test/%s", "fullchain1.pem")) &&
       lexists(pathf("archive/a.test/%s", "privkey1.pem")),
       "A-058: cert1 chain1 fullchain1 privkey1");
    is_int(mode_of(pathf("%s", "live")), 0700, "A-059: live/ 0700");
    is_int(mode_of(pathf("%s", "archive")), 0700, "A-059: archive/ 0700");
    is_int(mode_of(pathf("%s", "renewal")), 0755, "A-059: renewal/ 0755");
    is_int(mode_of(pathf("live/%s", "a.test")), 0755,
           "A-059: live/a.test 0755");
    is_int(mode_of(pathf("archive/%s", "a.test")), 0755,
           "A-059: archive/a.test 0755");
    is_int(mode_of(pathf("renewal/%s", "a.test.conf")), 0644,
           "A-059: renewal/a.test.conf 0644");
    is_int(mode_of(pathf("archive/a.test/%s", "privkey1.pem")), 0600,
           "A-059: privkey1.pem 0600");
    ok(mode_of(pathf("archive/a.test/%s", "cert1.pem")) == 0644 &&
       mode_of(pathf("archive/a.test/%s", "chain1.pem")) == 0644 &&
       mode_of(pathf("archive/a.test/%s", "fullchain1.pem")) == 0644,
       "A-059: cert1/chain1/fullchain1 0644");
    is_int(mode_of(pathf("live/%s", "README")), 0644,
           "A-059: live/README 0644");
    text = slurp(pathf("archive/a.test/%s", "fullchain1.pem"));
    is_str(text, CERT CHAIN, "A-060: fullchain1 = cert1 + chain1");
    free(text);

    text = slurp(pathf("live/%s", "README"));
    want = data_file("py21-live-README");
    ok(text && want && strcmp(text, want) == 0,
       "A-063: live/README is Python Certbot's top-level README");
    free(text);
    free(want);
    text = slurp(pathf("live/a.test/%s", "README"));
    want = data_file("py21-lineage-README");
    ok(text && want && strcmp(text, want) == 0,
       "A-063: live/a.test/README is Python Certbot's README");
    free(text);
    free(want);

    snprintf(conf, sizeof(conf),
             "version = 5.6.0\n"
             "archive_dir = %s/archive/a.test\n"
             "cert = %s/live/a.test/cert.pem\n"
             "privkey = %s/live/a.test/privkey.pem\n"
             "chain = %s/live/a.test/chain.pem\n"
             "fullchain = %s/live/a.test/fullchain.pem\n"
             "[renewalparams]\n", cfg, cfg, cfg, cfg, cfg);
    text = slurp(pathf("renewal/%s", "a.test.conf"));
    is_str(text, conf,
           "A-125: conf keys version, archive_dir, cert, privkey, chain, "
           "fullchain (absolute) then [renewalparams]");
    free(text);
    ok(renewal_conf_params(l->conf, 0) != NULL,
       "in-memory conf has [renewalparams] for the caller");
    lineage_free(l);
}

static void test_naming(void)
{
    struct lineage *l1 = create("a.test"), *l2 = create("a.test"), *l3;
    struct strvec confs = { 0 };
    struct cb_err err = { 0 };

    ok(l1 && strcmp(l1->name, "a.test-0001") == 0 &&
       links_at("a.test-0001", 1), "second a.test becomes a.test-0001");
    ok(l2 && strcmp(l2->name, "a.test-0002") == 0,
       "third a.test becomes a.test-0002");
    lineage_free(l1);
    lineage_free(l2);

    mkdir(pathf("archive/%s", "b.test"), 0755);
    l3 = create("b.test");
    ok(l3 && strcmp(l3->name, "b.test-0001") == 0,
       "an existing archive/b.test makes the name taken");
    lineage_free(l3);
    fs_write_new(pathf("renewal/%s", "c.test.conf"), "x = 1\n", 6, 0644,
                 NULL);
    l3 = create("c.test");
    ok(l3 && strcmp(l3->name, "c.test-0001") == 0 &&
       lexists(pathf("archive/%s", "c.test")) == 0,
       "an existing renewal/c.test.conf makes the name taken");
    lineage_free(l3);

    ok(lineage_list_confs(cfg, &confs, &err) == 0 && confs.n == 6 &&
       strcmp(confs.v[0], pathf("renewal/%s", "a.test-0001.conf")) == 0 &&
       strcmp(confs.v[2], pathf("renewal/%s", "a.test.conf")) == 0,
       "lineage_list_confs: absolute, sorted by strcmp");
    strvec_clear(&confs);

    memset(&err, 0, sizeof(err));
    l3 = NULL;
    ok(lineage_create(cfg, "x/y", CERT, CHAIN, CERT CHAIN, KEY, strlen(KEY),
                      "5.6.0", &l3, &err) == CB_ERR_INVAL && !l3 &&
       strstr(err.msg, "filepath separator") &&
       !lexists(pathf("archive/%s", "x")),
       "a name with '/' is refused and creates nothing");
}

static void test_relative_config(void)
{
    char old[PATH_MAX], *text, want[512];
    struct lineage *l = NULL;
    struct cb_err err = { 0 };

    if (!getcwd(old, sizeof(old)) || chdir(top) < 0) {
        ok(0, "chdir");
        return;
    }
    ok(lineage_create("relcfg", "r.test", CERT, CHAIN, CERT CHAIN, KEY,
                      strlen(KEY), "5.6.0", &l, &err) == 0,
       "create with a relative config dir");
    text = slurp("relcfg/renewal/r.test.conf");
    snprintf(want, sizeof(want), "archive_dir = %s/relcfg/archive/r.test\n",
             top);
    ok(text && strstr(text, want),
       "A-312: saved paths are absolute for a relative --config-dir");
    is_str(link_text("relcfg/live/r.test/cert.pem"),
           "../../archive/r.test/cert1.pem", "A-312: links stay relative");
    free(text);
    lineage_free(l);
    if (chdir(old) < 0)
        ok(0, "chdir back");
}

static struct lineage *load(const char *name, unsigned flags,
                            struct cb_err *err)
{
    struct lineage *l = NULL;

    lineage_load_ex(pathf("renewal/%s.conf", name), cfg, flags, &l, err);
    return l;
}

static void test_load_errors(void)
{
    struct cb_err err = { 0 };
    struct lineage *l = create("e.test");
    char *text;
    FILE *f;

    lineage_free(l);
    l = load("e.test", 0, &err);
    ok(l && strcmp(l->path[LK_CERT], pathf("live/e.test/%s", "cert.pem")) ==
       0, "lineage_load reads the paths from the conf");
    lineage_free(l);

    /* drop fullchain from the conf */
    text = slurp(pathf("renewal/%s", "e.test.conf"));
    if (text) {
        char *fc = strstr(text, "fullchain = ");
        char *eol = fc ? strchr(fc, '\n') : NULL;
        if (fc && eol)
            memmove(fc, eol + 1, strlen(eol + 1) + 1);
        f = fopen(pathf("renewal/%s", "e2.test.conf"), "w");
        if (f) {
            fputs(text, f);
            fclose(f);
        }
    }
    free(text);
    memset(&err, 0, sizeof(err));
    l = load("e2.test", 0, &err);
    ok(!l && err.code == CB_ERR_CONFIG &&
       strstr(err.msg, "is missing a required file reference") &&
       strstr(err.msg, "e2.test.conf"),
       "A-142: missing fullchain -> 'renewal config file ... is missing a "
       "required file reference'");

    unlink(pathf("archive/e.test/%s", "chain1.pem"));
    memset(&err, 0, sizeof(err));
    l = load("e.test", 0, &err);
    ok(!l && err.code == CB_ERR_CONFIG && strstr(err.msg, "chain1.pem") &&
       strstr(err.msg, "does not exist"),
       "a live link to a missing file is CB_ERR_CONFIG naming it");
    unlink(pathf("live/e.test/%s", "chain.pem"));
    fs_write_new(pathf("live/e.test/%s", "chain.pem"), "x", 1, 0644, NULL);
    memset(&err, 0, sizeof(err));
    l = load("e.test", 0, &err);
    ok(!l && err.code == CB_ERR_CONFIG &&
       strstr(err.msg, "to be a symlink"),
       "a regular file instead of a link is CB_ERR_CONFIG");
    memset(&err, 0, sizeof(err));
    ok(lineage_load(pathf("renewal/%s", "nope.conf"), cfg, &l, &err) ==
       CB_ERR_CONFIG, "a missing conf is CB_ERR_CONFIG");
}

static void test_successor(void)
{
    struct lineage *l = create("s.test");
    char *k1, *k3;
    struct stat st;

    if (!l) {
        ok(0, "create s.test");
        return;
    }
    is_int(successor(l, "NEWKEY\n"), 2, "successor is version 2");
    ok(links_at("s.test", 2), "live links switched to version 2");
    ok(!lexists(pathf("live/s.test/%s", "previous_cert.pem")) &&
       !lexists(pathf("live/s.test/%s", "previous_privkey.pem")),
       "no previous_*.pem left after the switch");
    is_str(renewal_conf_get(l->conf, "version"), "5.6.0",
           "conf version updated in memory");
    is_int(lineage_current_version(l, LK_CHAIN), 2, "current version 2");
    is_int(lineage_latest_common_version(l), 2, "latest common 2");
    is_int(lineage_next_free_version(l), 3, "next free 3");

    /* key NULL: a regular-file copy of the current key (5.6 reuse) */
    is_int(successor(l, NULL), 3, "successor with the same key");
    k1 = slurp(pathf("archive/s.test/%s", "privkey2.pem"));
    k3 = slurp(pathf("archive/s.test/%s", "privkey3.pem"));
    ok(k1 && k3 && strcmp(k1, k3) == 0 &&
       lstat(pathf("archive/s.test/%s", "privkey3.pem"), &st) == 0 &&
       S_ISREG(st.st_mode),
       "reused key written as a copy, not a symlink");
    free(k1);
    free(k3);

    /* readers follow privkeyN.pem -> privkeyM.pem from older Certbots */
    unlink(pathf("archive/s.test/%s", "privkey3.pem"));
    if (symlink("privkey1.pem", pathf("archive/s.test/%s", "privkey3.pem")))
        ok(0, "symlink");
    is_int(successor(l, NULL), 4, "successor over a symlinked old key");
    k1 = slurp(pathf("archive/s.test/%s", "privkey1.pem"));
    k3 = slurp(pathf("archive/s.test/%s", "privkey4.pem"));
    ok(k1 && k3 && strcmp(k1, k3) == 0,
       "the copy follows the old relative key symlink");
    free(k1);
    free(k3);
    lineage_free(l);
}

static void test_key_modes(void)
{
    struct lineage *l = create("m.test");
    struct stat st;
    gid_t spare = 4242;

    if (!l) {
        ok(0, "create m.test");
        return;
    }
    chmod(pathf("archive/m.test/%s", "privkey1.pem"), 0640);
    if (geteuid() == 0 &&
        chown(pathf("archive/m.test/%s", "privkey1.pem"), (uid_t)-1, spare))
        ok(0, "chown");
    successor(l, "K2\n");
    ok(stat(pathf("archive/m.test/%s", "privkey2.pem"), &st) == 0 &&
       (st.st_mode & 07777) == 0640, "A-121: 0640 carried to privkey2");
    if (geteuid() == 0)
        ok(st.st_gid == spare && st.st_uid == 0,
           "A-121: group carried, owner unchanged");
    else
        printf("ok %d # SKIP group carry-over needs root\n", ++tap_n);

    chmod(pathf("archive/m.test/%s", "privkey2.pem"), 0444);
    successor(l, "K3\n");
    is_int(mode_of(pathf("archive/m.test/%s", "privkey3.pem")), 0644,
           "A-122: 0444 -> 0644");
    chmod(pathf("archive/m.test/%s", "privkey3.pem"), 0606);
    successor(l, "K4\n");
    is_int(mode_of(pathf("archive/m.test/%s", "privkey4.pem")), 0604,
           "A-123: 0606 -> 0604 (o+w not carried)");
    lineage_free(l);
}

static void test_next_free(void)
{
    struct lineage *l = create("v.test");

    fs_write_new(pathf("archive/v.test/%s", "cert5.pem"), CERT,
                 strlen(CERT), 0644, NULL);
    is_int(lineage_next_free_version(l), 6,
           "A-161: a stray cert5.pem makes next_free_version 6");
    is_int(lineage_latest_common_version(l), 1,
           "a partial version is not common");
    is_int(successor(l, "K\n"), 6, "A-161: the renewal writes version 6");
    ok(lexists(pathf("archive/v.test/%s", "privkey6.pem")) &&
       lexists(pathf("archive/v.test/%s", "chain6.pem")) &&
       lexists(pathf("archive/v.test/%s", "fullchain6.pem")) &&
       links_at("v.test", 6), "A-161: all four kinds at 6, live -> 6");
    lineage_free(l);
}

static void make_previous(const char *name, int v, int nkinds)
{
    static const char *const kinds[] = { "cert", "privkey", "chain",
                                         "fullchain" };
    for (int k = 0; k < nkinds; k++) {
        char text[256], link[256];
        snprintf(text, sizeof(text), "../../archive/%s/%s%d.pem", name,
                 kinds[k], v);
        snprintf(link, sizeof(link), "%s/live/%s/previous_%s.pem", cfg,
                 name, kinds[k]);
        if (symlink(text, link) < 0)
            printf("# symlink %s failed\n", link);
    }
}

static void test_recovery(void)
{
    struct lineage *l = create("p.test");
    struct cb_err err = { 0 };

    successor(l, "K2\n");
    lineage_free(l);
    /* crash mid-switch: previous_* -> 1, live already -> 2 */
    make_previous("p.test", 1, 4);
    l = load("p.test", LINEAGE_LOAD_NO_DEPLOY, &err);
    ok(l && links_at("p.test", 1),
       "A-159: previous_* present -> live links restored to version 1");
    ok(!lexists(pathf("live/p.test/%s", "previous_cert.pem")) &&
       !lexists(pathf("live/p.test/%s", "previous_fullchain.pem")),
       "A-159: previous_* links removed");
    lineage_free(l);

    /* now version 2 is complete but not linked */
    l = load("p.test", 0, &err);
    ok(l && links_at("p.test", 2),
       "A-158: load re-points live to the newer complete version 2");
    lineage_free(l);

    /* an incomplete set of previous_* is just removed */
    make_previous("p.test", 1, 2);
    l = load("p.test", LINEAGE_LOAD_NO_DEPLOY, &err);
    ok(l && links_at("p.test", 2) &&
       !lexists(pathf("live/p.test/%s", "previous_cert.pem")),
       "partial previous_* set: links kept, leftovers removed");
    lineage_free(l);

    /* A-158 as the SPEC phrases it: copy *1.pem to *2.pem */
    l = create("u.test");
    lineage_free(l);
    {
        static const char *const kinds[] = { "cert", "privkey", "chain",
                                             "fullchain" };
        for (int k = 0; k < 4; k++) {
            char src[64], dst[64], *d;
            snprintf(src, sizeof(src), "archive/u.test/%s1.pem", kinds[k]);
            snprintf(dst, sizeof(dst), "archive/u.test/%s2.pem", kinds[k]);
            d = slurp(pathf("%s", src));
            if (d)
                fs_write_new(pathf("%s", dst), d, strlen(d), 0644, NULL);
            free(d);
        }
    }
    l = load("u.test", LINEAGE_LOAD_NO_DEPLOY, &err);
    ok(l && links_at("u.test", 1), "NO_DEPLOY leaves an undeployed version");
    ok(l && lineage_ensure_deployed(l, &err) == 1 && links_at("u.test", 2),
       "A-158: lineage_ensure_deployed links version 2 and reports it");
    ok(l && lineage_ensure_deployed(l, &err) == 0,
       "ensure_deployed again: nothing to do");
    lineage_free(l);
}

static void test_truncate(void)
{
    struct lineage *l = create("t.test");
    struct cb_err err = { 0 };
    int v = 1, all = 1;

    for (int i = 0; i < 7; i++)
        v = successor(l, "K\n");
    is_int(v, 8, "seven renewals -> version 8");
    ok(lineage_truncate(l, 5, &err) == 0, "truncate(5)");
    is_int(count_entries(pathf("archive/%s", "t.test")), 24,
           "A-160: 6 versions x 4 files remain");
    for (int i = 3; i <= 8; i++) {
        char n[32];
        snprintf(n, sizeof(n), "cert%d.pem", i);
        all = all && lexists(pathf("archive/t.test/%s", n));
    }
    ok(all && !lexists(pathf("archive/t.test/%s", "cert2.pem")) &&
       !lexists(pathf("archive/t.test/%s", "privkey1.pem")),
       "A-160: versions 3..8 kept, 1..2 gone");
    ok(links_at("t.test", 8), "A-160: live -> 8");

    /* a kept key that is a symlink into a deleted version survives */
    unlink(pathf("archive/t.test/%s", "privkey8.pem"));
    if (symlink("privkey3.pem", pathf("archive/t.test/%s", "privkey8.pem")))
        ok(0, "symlink");
    successor(l, "K9\n");               /* 9; keep 4..9 deletes 3 */
    ok(lineage_truncate(l, 5, &err) == 0 &&
       !lexists(pathf("archive/t.test/%s", "privkey3.pem")) &&
       mode_of(pathf("archive/t.test/%s", "privkey8.pem")) == 0600 &&
       link_text(pathf("archive/t.test/%s", "privkey8.pem")) == NULL,
       "truncation turns a kept key symlink into a copy (0600) first");
    lineage_free(l);
}

static void test_failure_cleanup(void)
{
    struct lineage *l = NULL;
    struct cb_err err = { 0 };
    struct rlimit old, small;
    char fresh[256], big[8192], path[512];
    int r;

    memset(big, 'A', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    /* writes past 4 KiB fail with EFBIG: the fullchain fails mid-way */
    signal(SIGXFSZ, SIG_IGN);
    getrlimit(RLIMIT_FSIZE, &old);
    small = old;
    small.rlim_cur = 4096;
    setrlimit(RLIMIT_FSIZE, &small);
    r = lineage_create(cfg, "f.test", CERT, CHAIN, big, KEY, strlen(KEY),
                       "5.6.0", &l, &err);
    ok(r < 0 && !l, "create fails when a file cannot be written");
    ok(!lexists(pathf("archive/%s", "f.test")) &&
       !lexists(pathf("live/%s", "f.test")) &&
       !lexists(pathf("renewal/%s", "f.test.conf")),
       "failed create leaves no archive, live or conf");

    snprintf(fresh, sizeof(fresh), "%s/fresh", top);
    memset(&err, 0, sizeof(err));
    r = lineage_create(fresh, "f.test", CERT, CHAIN, big, KEY, strlen(KEY),
                       "5.6.0", &l, &err);
    snprintf(path, sizeof(path), "%s/fresh", top);
    ok(r < 0 && count_entries(path) == 0,
       "in a fresh config dir nothing at all is left (archive/, live/, "
       "renewal/, live/README)");

    /* a failed successor leaves the lineage as it was */
    setrlimit(RLIMIT_FSIZE, &old);
    l = create("g.test");
    setrlimit(RLIMIT_FSIZE, &small);
    memset(&err, 0, sizeof(err));
    r = l ? lineage_save_successor(l, CERT, CHAIN, big, NULL, 0, "5.6.0",
                                   NULL, &err) : -1;
    setrlimit(RLIMIT_FSIZE, &old);
    ok(r < 0 && count_entries(pathf("archive/%s", "g.test")) == 4 &&
       links_at("g.test", 1),
       "failed successor removes its files and keeps the links");
    lineage_free(l);
    l = NULL;

    fs_write_new(pathf("%s", "notadir"), "x", 1, 0644, NULL);
    memset(&err, 0, sizeof(err));
    r = lineage_create(pathf("%s", "notadir"), "h.test", CERT, CHAIN,
                       CERT CHAIN, KEY, strlen(KEY), "5.6.0", &l, &err);
    ok(r == CB_ERR_IO && !l && strstr(err.msg, "notadir"),
       "a config dir that is a file is an I/O error naming it");
}

static void test_delete(void)
{
    struct cb_err err = { 0 };
    struct lineage *l = create("d.test");

    lineage_free(l);
    ok(lineage_delete(cfg, "d.test", &err) == 0, "delete d.test");
    ok(!lexists(pathf("renewal/%s", "d.test.conf")) &&
       !lexists(pathf("live/%s", "d.test")) &&
       !lexists(pathf("archive/%s", "d.test")),
       "conf, live dir (links + README) and archive dir are gone");
    ok(lexists(pathf("live/%s", "README")) &&
       lexists(pathf("renewal/%s", "a.test.conf")),
       "other lineages and live/README untouched");
    memset(&err, 0, sizeof(err));
    ok(lineage_delete(cfg, "d.test", &err) == CB_ERR_NOT_FOUND &&
       strstr(err.msg, "No certificate found with name d.test"),
       "deleting a missing lineage is CB_ERR_NOT_FOUND");

    /* missing files are ignored */
    l = create("d2.test");
    lineage_free(l);
    unlink(pathf("live/d2.test/%s", "chain.pem"));
    fs_rmtree(pathf("archive/%s", "d2.test"), NULL);
    memset(&err, 0, sizeof(err));
    ok(lineage_delete(cfg, "d2.test", &err) == 0 &&
       !lexists(pathf("live/%s", "d2.test")),
       "delete ignores files that are already gone");
}

/* What load reads once (link targets, the archive listing) follows every
 * change this process makes, and what another process wrote meanwhile is
 * seen by the next successor. */
static void test_cache(void)
{
    struct cb_err err = { 0 };
    struct lineage *l = create("q.test");
    int v;

    lineage_free(l);
    l = load("q.test", 0, &err);
    if (!l) {
        printf("# %s\n", err.msg);
        ok(0, "load q.test");
        return;
    }
    ok(lineage_current_version(l, LK_CERT) == 1 &&
       lineage_latest_common_version(l) == 1 &&
       lineage_next_free_version(l) == 2,
       "loaded: current 1, latest common 1, next free 2");
    ok(lineage_live_is_version(l, LK_CERT, 1) &&
       !lineage_live_is_version(l, LK_CERT, 2),
       "live cert is archive cert1.pem, not cert2.pem");
    is_int(successor(l, "Q2\n"), 2, "successor of a loaded lineage is 2");
    ok(lineage_current_version(l, LK_FULLCHAIN) == 2 &&
       lineage_current_version(l, LK_PRIVKEY) == 2 &&
       lineage_latest_common_version(l) == 2 &&
       lineage_next_free_version(l) == 3,
       "after save_successor: current 2, latest common 2, next free 3");
    ok(lineage_live_is_version(l, LK_CERT, 2),
       "after save_successor: live cert is cert2.pem");
    ok(lineage_truncate(l, 0, &err) == 0 &&
       !lexists(pathf("archive/q.test/%s", "cert1.pem")) &&
       lineage_latest_common_version(l) == 2 &&
       lineage_next_free_version(l) == 3,
       "after truncate(0): version 1 gone, latest 2, next free 3");

    /* another process leaves a stray cert7.pem after our load */
    fs_write_new(pathf("archive/q.test/%s", "cert7.pem"), CERT, strlen(CERT),
                 0644, NULL);
    v = successor(l, "Q8\n");
    ok(v == 8 && links_at("q.test", 8),
       "a file written after load is seen: the successor is version 8");
    ok(lineage_current_version(l, LK_CHAIN) == 8 &&
       lineage_latest_common_version(l) == 8,
       "current and latest common follow to 8");
    lineage_free(l);

    /* a live target that is a link in the archive (older --reuse-key):
     * the listing shows no regular file, stat() decides */
    unlink(pathf("archive/q.test/%s", "privkey8.pem"));
    if (symlink("privkey2.pem", pathf("archive/q.test/%s", "privkey8.pem")))
        ok(0, "symlink");
    memset(&err, 0, sizeof(err));
    l = load("q.test", 0, &err);
    ok(l && lineage_current_version(l, LK_PRIVKEY) == 8,
       "a target that is a symlink to an existing key loads");
    lineage_free(l);
    unlink(pathf("archive/q.test/%s", "privkey8.pem"));
    if (symlink("privkey99.pem", pathf("archive/q.test/%s", "privkey8.pem")))
        ok(0, "symlink");
    memset(&err, 0, sizeof(err));
    l = load("q.test", 0, &err);
    ok(!l && err.code == CB_ERR_CONFIG && strstr(err.msg, "privkey8.pem") &&
       strstr(err.msg, "does not exist"),
       "a target that is a dangling symlink does not exist");
    lineage_free(l);
    unlink(pathf("archive/q.test/%s", "privkey8.pem"));
    if (symlink("privkey2.pem", pathf("archive/q.test/%s", "privkey8.pem")))
        ok(0, "symlink");

    /* previous_* that all lexist but point nowhere: Certbot's
     * all(exists) is false, the links stay, the leftovers go */
    for (int k = 0; k < 4; k++) {
        static const char *const kinds[] = { "cert", "privkey", "chain",
                                             "fullchain" };
        char n[64];
        snprintf(n, sizeof(n), "live/q.test/previous_%s.pem", kinds[k]);
        if (symlink("../../archive/q.test/nothing.pem", pathf("%s", n)))
            ok(0, "symlink");
    }
    memset(&err, 0, sizeof(err));
    l = load("q.test", LINEAGE_LOAD_NO_DEPLOY, &err);
    ok(l && links_at("q.test", 8) &&
       !lexists(pathf("live/q.test/%s", "previous_cert.pem")) &&
       !lexists(pathf("live/q.test/%s", "previous_fullchain.pem")),
       "dangling previous_* links: live kept at 8, previous_* removed");
    lineage_free(l);

    /* a missing live link is "not a symlink", as lstat would say */
    unlink(pathf("live/q.test/%s", "chain.pem"));
    memset(&err, 0, sizeof(err));
    l = load("q.test", 0, &err);
    ok(!l && err.code == CB_ERR_CONFIG && strstr(err.msg, "chain.pem") &&
       strstr(err.msg, "to be a symlink"),
       "a missing live link: 'expected ... to be a symlink'");
    lineage_free(l);
}

int main(void)
{
    struct cb_err err = { 0 };

    umask(022);
    snprintf(top, sizeof(top), "/tmp/cb-test-lineage-XXXXXX");
    if (!mkdtemp(top))
        return 1;
    snprintf(cfg, sizeof(cfg), "%s/conf", top);
    test_create_layout();
    test_naming();
    test_relative_config();
    test_load_errors();
    test_successor();
    test_key_modes();
    test_next_free();
    test_recovery();
    test_truncate();
    test_cache();
    test_failure_cleanup();
    test_delete();
    fs_rmtree(top, &err);
    return done_testing();
}
