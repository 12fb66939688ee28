/* The DNS-01 journal (core/dns/journal.c): entries are on disk before
 * add_txt, survive a killed process, are removed one by one, and the
 * files have private modes (issue 5, SPEC 5.5 beyond Certbot). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "dns/journal.h"
#include "storage/fsutil.h"
#include "tap.h"

static char top[64];
static char jpath[512], jdir[256];

static int mode_of(const char *p)
{
    struct stat st;

    return lstat(p, &st) == 0 ? (int)(st.st_mode & 07777) : -1;
}

static int exists(const char *p)
{
    struct stat st;

    return lstat(p, &st) == 0;
}

static struct dns_journal *reopen(void)
{
    struct dns_journal *j = NULL;
    struct cb_err err = {0};

    if (dns_journal_open(top, "dns-x", &j, &err) != CB_OK)
        printf("# open: %s\n", err.msg);
    return j;
}

static void test_empty(void)
{
    struct dns_journal *j = reopen();

    ok(j != NULL, "open in a fresh work dir");
    is_int(dns_journal_count(j), 0, "a fresh journal is empty");
    is_int(mode_of(jdir), 0700, "dns-01 directory is 0700");
    ok(!exists(jpath), "an empty journal has no file");
    is_str(dns_journal_path(j), jpath, "journal path is "
           "<work>/dns-01/<plugin>.json");
    dns_journal_free(j);
}

static void test_add_reopen_remove(void)
{
    struct dns_journal *j = reopen(), *k;
    struct cb_err err = {0};
    const struct dns_journal_entry *e;
    time_t now = time(NULL);
    char *text = NULL;
    size_t len = 0;

    ok(dns_journal_add(j, "a.test", "_acme-challenge.a.test", "v1", &err) ==
           CB_OK, "add first entry");
    ok(dns_journal_add(j, "b.test", "_acme-challenge.b.test", "v2", &err) ==
           CB_OK, "add second entry");
    is_int(mode_of(jpath), 0600, "journal file is 0600");
    ok(fs_read_all(jpath, &text, &len, &err) == CB_OK && text &&
           strstr(text, "\"_acme-challenge.a.test\"") &&
           strstr(text, "\"v2\""), "the file holds names and values");
    free(text);

    /* a second process (the next run) sees both */
    k = reopen();
    is_int(dns_journal_count(k), 2, "reopened journal has both entries");
    e = dns_journal_get(k, 0);
    ok(e && strcmp(e->domain, "a.test") == 0 &&
           strcmp(e->name, "_acme-challenge.a.test") == 0 &&
           strcmp(e->value, "v1") == 0, "first entry read back");
    ok(e && e->time >= (int64_t)now - 5 && e->time <= (int64_t)now + 5,
       "entry time is when it was recorded");
    ok(dns_journal_get(k, 2) == NULL, "get beyond count is NULL");
    dns_journal_free(k);

    ok(dns_journal_remove(j, "_acme-challenge.a.test", "other", &err) ==
           CB_OK && dns_journal_count(j) == 2,
       "removing an unknown value changes nothing");
    ok(dns_journal_remove(j, "_acme-challenge.a.test", "v1", &err) == CB_OK,
       "remove first entry");
    k = reopen();
    is_int(dns_journal_count(k), 1, "removal is on disk");
    e = dns_journal_get(k, 0);
    ok(e && strcmp(e->value, "v2") == 0, "the other entry stays");
    dns_journal_free(k);
    ok(dns_journal_remove(j, "_acme-challenge.b.test", "v2", &err) == CB_OK,
       "remove last entry");
    ok(!exists(jpath), "journal file is gone when empty");
    dns_journal_free(j);
}

/* kill -9 right after add returns: the entry must already be durable
 * (a temp file or a half-written journal would not do). */
static void test_killed(void)
{
    pid_t pid = fork();
    int status = 0;
    struct dns_journal *j;

    if (pid == 0) {
        struct dns_journal *c = reopen();
        struct cb_err err = {0};

        if (c && dns_journal_add(c, "k.test", "_acme-challenge.k.test",
                                 "kv", &err) == CB_OK)
            raise(SIGKILL);
        _exit(3);
    }
    waitpid(pid, &status, 0);
    ok(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
       "child was killed after add");
    j = reopen();
    is_int(dns_journal_count(j), 1, "entry of a killed process is there");
    ok(dns_journal_count(j) == 1 &&
           strcmp(dns_journal_get(j, 0)->value, "kv") == 0,
       "with its value");
    dns_journal_remove(j, "_acme-challenge.k.test", "kv", NULL);
    dns_journal_free(j);
}

static void test_corrupt(void)
{
    struct dns_journal *j;
    char aside[600];
    static const char junk[] = "{\"records\": [ {\"name\": 3";

    fs_write_atomic(jpath, junk, sizeof(junk) - 1, 0600, NULL);
    j = reopen();
    ok(j != NULL, "a corrupt journal does not stop the run");
    is_int(dns_journal_count(j), 0, "and starts empty");
    snprintf(aside, sizeof(aside), "%s.corrupt", jpath);
    ok(exists(aside) && !exists(jpath), "the corrupt file is set aside");
    dns_journal_free(j);
    unlink(aside);
}

static void test_modes_and_failure(void)
{
    struct dns_journal *j;
    struct cb_err err = {0};

    chmod(jdir, 0755);
    j = reopen();
    is_int(mode_of(jdir), 0700, "an existing dns-01 dir is made 0700");
    /* the rename target is a directory: the write fails */
    mkdir(jpath, 0700);
    ok(dns_journal_add(j, "f.test", "_acme-challenge.f.test", "fv", &err) !=
           CB_OK, "add fails when the journal cannot be written");
    ok(err.msg[0] != '\0', "with a message");
    is_int(dns_journal_count(j), 0, "a failed add leaves no entry");
    rmdir(jpath);
    dns_journal_free(j);
}

int main(void)
{
    struct cb_err err = {0};

    umask(022);
    snprintf(top, sizeof(top), "/tmp/test_dns_journal.XXXXXX");
    if (!mkdtemp(top))
        return 99;
    snprintf(jdir, sizeof(jdir), "%s/dns-01", top);
    snprintf(jpath, sizeof(jpath), "%s/dns-x.json", jdir);
    test_empty();
    test_add_reopen_remove();
    test_killed();
    test_corrupt();
    test_modes_and_failure();
    fs_rmtree(top, &err);
    return done_testing();
}
