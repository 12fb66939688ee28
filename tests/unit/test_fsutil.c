/* File-system helpers: exact modes whatever the umask, O_EXCL creation,
 * atomic replacement, path normalisation, rm -rf. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "storage/fsutil.h"
#include "tap.h"

static char top[64];

static char *at(const char *rel)
{
    static char buf[4][512];
    static int i;

    i = (i + 1) % 4;
    snprintf(buf[i], sizeof(buf[i]), "%s/%s", top, rel);
    return buf[i];
}

static int mode_of(const char *p)
{
    struct stat st;

    return lstat(p, &st) == 0 ? (int)(st.st_mode & 07777) : -1;
}

static void test_mkdirs(void)
{
    struct cb_err err = { 0 };

    umask(077);
    ok(fs_mkdirs(at("w/a/b"), 0755, &err) == 0,
       "fs_mkdirs creates missing levels");
    ok(mode_of(at("w")) == 0755 && mode_of(at("w/a")) == 0755 &&
       mode_of(at("w/a/b")) == 0755,
       "A-066: every level exactly 0755 under umask 077");
    chmod(at("w/a"), 0711);
    ok(fs_mkdirs(at("w/a/c/"), 0700, &err) == 0 && mode_of(at("w/a")) == 0711
       && mode_of(at("w/a/c")) == 0700,
       "existing levels keep their mode; trailing slash accepted");
    umask(022);
    fs_write_new(at("file"), "x", 1, 0644, NULL);
    memset(&err, 0, sizeof(err));
    ok(fs_mkdirs(at("file/sub"), 0755, &err) == CB_ERR_IO &&
       strstr(err.msg, "Not a directory"),
       "a file in the way is an error with the OS reason");
}

static void test_make_or_verify(void)
{
    struct cb_err err = { 0 };
    char want[600];

    ok(fs_make_or_verify_dir(at("v"), 0755, 1, &err) == 0 &&
       mode_of(at("v")) == 0755, "make_or_verify creates with the mode");
    ok(fs_make_or_verify_dir(at("v"), 0755, 1, &err) == 0,
       "strict: an existing dir with the right mode passes");
    chmod(at("v"), 0775);
    ok(fs_make_or_verify_dir(at("v"), 0755, 0, &err) == 0,
       "A-311: without strict a 0775 dir is fine");
    memset(&err, 0, sizeof(err));
    snprintf(want, sizeof(want), "%s exists, but it should be owned by "
             "current user with permissions 0o755", at("v"));
    ok(fs_make_or_verify_dir(at("v"), 0755, 1, &err) < 0 &&
       strcmp(err.msg, want) == 0,
       "A-311: strict with 0775 -> Certbot's message");
    memset(&err, 0, sizeof(err));
    ok(fs_make_or_verify_dir(at("file"), 0755, 0, &err) == CB_ERR_IO &&
       strstr(err.msg, "[Errno 17]"), "a file where a dir should be");
    /* run the unwritable case as an unprivileged user */
    {
        pid_t pid;
        int st = -1;

        chmod(at("v"), 0555);
        pid = fork();
        if (pid == 0) {
            struct cb_err e = { 0 };
            if (geteuid() == 0 && (setgid(65534) < 0 || setuid(65534) < 0))
                _exit(3);
            _exit(fs_make_or_verify_dir(at("v/deny/x"), 0755, 0, &e) ==
                  CB_ERR_IO && strstr(e.msg, "[Errno 13] Permission denied")
                  ? 0 : 1);
        }
        chmod(at("v"), 0755);
        if (pid > 0)
            waitpid(pid, &st, 0);
        ok(pid > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0,
           "A-310: an unwritable config dir gives '[Errno 13] Permission "
           "denied: ...'");
    }
}

static void test_write(void)
{
    struct cb_err err = { 0 };
    char *d = NULL;
    size_t n = 0;

    umask(0);
    ok(fs_write_new(at("k0"), "secret", 6, 0600, &err) == 0 &&
       mode_of(at("k0")) == 0600, "fs_write_new: 0600 under umask 0");
    umask(077);
    ok(fs_write_new(at("c0"), "cert", 4, 0644, &err) == 0 &&
       mode_of(at("c0")) == 0644, "fs_write_new: 0644 under umask 077");
    ok(fs_write_new(at("a0"), "{}", 2, 0400, &err) == 0 &&
       mode_of(at("a0")) == 0400, "a 0400 file is still written");
    umask(022);
    memset(&err, 0, sizeof(err));
    ok(fs_write_new(at("k0"), "other", 5, 0600, &err) == CB_ERR_IO &&
       strstr(err.msg, "File exists"), "O_EXCL: an existing file is refused");
    ok(fs_read_all(at("k0"), &d, &n, &err) == 0 && n == 6 &&
       strcmp(d, "secret") == 0, "...and left untouched; fs_read_all");
    free(d);

    chmod(at("c0"), 0640);
    ok(fs_write_atomic(at("c0"), "new", 3, 0604, &err) == 0 &&
       mode_of(at("c0")) == 0604, "fs_write_atomic replaces with the mode");
    ok(fs_read_all(at("c0"), &d, &n, &err) == 0 && strcmp(d, "new") == 0,
       "new content in place");
    free(d);
    ok(fs_write_atomic(at("fresh"), "", 0, 0644, &err) == 0 &&
       fs_read_all(at("fresh"), &d, &n, &err) == 0 && n == 0 && d &&
       d[0] == '\0', "empty file: NUL-terminated empty buffer");
    free(d);
    memset(&err, 0, sizeof(err));
    d = NULL;
    ok(fs_read_all(at("missing"), &d, &n, &err) == CB_ERR_IO && !d &&
       strstr(err.msg, "[Errno 2] No such file or directory"),
       "reading a missing file names the OS error");
    memset(&err, 0, sizeof(err));
    ok(fs_write_atomic(at("nodir/x"), "x", 1, 0644, &err) == CB_ERR_IO,
       "atomic write into a missing dir fails");
}

static void test_abspath(void)
{
    char cwd[PATH_MAX], want[PATH_MAX + 8];
    char *p;

    if (!getcwd(cwd, sizeof(cwd)))
        cwd[0] = '\0';
    p = fs_abspath("conf");
    snprintf(want, sizeof(want), "%s/conf", strcmp(cwd, "/") ? cwd : "");
    is_str(p, want, "relative path joined with the cwd (A-312)");
    free(p);
    p = fs_abspath("/a/./b//c/../d/");
    is_str(p, "/a/b/d", "'.', '//', '..' and trailing '/' normalised");
    free(p);
    p = fs_abspath("/../..");
    is_str(p, "/", "'..' stops at the root");
    free(p);
}

static void test_rmtree(void)
{
    struct cb_err err = { 0 };

    fs_mkdirs(at("t/x/y"), 0700, NULL);
    fs_mkdirs(at("keep"), 0755, NULL);
    fs_write_new(at("keep/f"), "k", 1, 0644, NULL);
    fs_write_new(at("t/x/y/f"), "f", 1, 0400, NULL);
    if (symlink(at("keep"), at("t/link")) < 0)
        ok(0, "symlink");
    ok(fs_rmtree(at("t"), &err) == 0 && access(at("t"), F_OK) < 0,
       "fs_rmtree removes a tree");
    ok(access(at("keep/f"), F_OK) == 0,
       "symlinks are removed, not followed");
    ok(fs_rmtree(at("t"), &err) == 0, "a missing tree is fine");
}

/* fs_read_regular: one read when the file fits the stack buffer, the
 * heap beyond it (exactly full, one byte over, much bigger), the same
 * messages as fs_read_all. */
static void test_read_regular(void)
{
    static const size_t sizes[] = { 0, 1, 16383, 16384, 16385, 100000 };
    struct cb_err err = { 0 };
    char *d = NULL, *want;
    size_t n = 0;
    int e = 0;

    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        char name[32], label[64];
        size_t len = sizes[i];

        want = malloc(len + 1);
        if (!want)
            return;
        for (size_t j = 0; j < len; j++)
            want[j] = (char)('a' + (j * 7 + i) % 26);
        snprintf(name, sizeof(name), "rr%zu", len);
        fs_write_atomic(at(name), want, len, 0644, NULL);
        snprintf(label, sizeof(label), "fs_read_regular: %zu bytes", len);
        ok(fs_read_regular(at(name), &d, &n, &e, &err) == 0 && d &&
           n == len && memcmp(d, want, len) == 0 && d[len] == '\0',
           label);
        free(d);
        d = NULL;
        free(want);
    }
    memset(&err, 0, sizeof(err));
    ok(fs_read_regular(at("missing"), &d, &n, &e, &err) == CB_ERR_IO && !d &&
       e == ENOENT &&
       strstr(err.msg, "[Errno 2] No such file or directory"),
       "fs_read_regular: a missing file, errno ENOENT, fs_read_all's text");
    memset(&err, 0, sizeof(err));
    ok(fs_read_regular(top, &d, &n, &e, &err) == CB_ERR_IO && !d &&
       e == EISDIR && strstr(err.msg, "[Errno 21]"),
       "fs_read_regular: a directory is EISDIR");
}

struct seen {
    int f, dots, other;
    unsigned char type;
};

static int note_entry(void *arg, const char *name, unsigned char type)
{
    struct seen *s = arg;

    if (strcmp(name, "f") == 0) {
        s->f++;
        s->type = type;
    } else if (name[0] == '.') {
        s->dots++;
    } else {
        s->other++;
    }
    return 0;
}

static int stop_at_once(void *arg, const char *name, unsigned char type)
{
    (void)arg;
    (void)name;
    (void)type;
    return -1;      /* any nonzero value stops, even CB_ERR_NOMEM's -1 */
}

/* fs_at_root: lookups under the root go through its descriptor, so they
 * still work after the root is renamed away; others (a sibling sharing
 * the root's name as a prefix) go as they are. */
static void test_at_root(void)
{
    char root[512], moved[512], buf[64];
    struct seen seen = {0};
    struct stat st;
    char *d = NULL;
    size_t n = 0;
    ssize_t len;

    snprintf(root, sizeof(root), "%s", at("root"));
    snprintf(moved, sizeof(moved), "%s", at("moved"));
    fs_mkdirs(at("root/sub"), 0755, NULL);
    fs_mkdirs(at("rootx"), 0755, NULL);
    fs_write_atomic(at("root/sub/f"), "x", 1, 0644, NULL);
    fs_write_atomic(at("rootx/f"), "y", 1, 0644, NULL);
    if (symlink("sub/f", at("root/l")) < 0)
        return;
    fs_at_root(root);
    ok(rename(root, moved) == 0, "fs_at_root: the root moved away");
    ok(fs_read_regular(at("root/sub/f"), &d, &n, NULL, NULL) == 0 && d &&
       n == 1 && d[0] == 'x',
       "fs_at_root: a file under the root read through its descriptor");
    free(d);
    d = NULL;
    ok(fs_lstat(at("root/l"), &st) == 0 && S_ISLNK(st.st_mode) &&
       fs_stat(at("root/l"), &st) == 0 && S_ISREG(st.st_mode),
       "fs_at_root: fs_lstat and fs_stat under the root");
    len = fs_readlink(at("root/l"), buf, sizeof(buf) - 1);
    ok(len == 5 && memcmp(buf, "sub/f", 5) == 0,
       "fs_at_root: fs_readlink under the root");
    ok(fs_access(at("root/sub/f"), R_OK) == 0,
       "fs_at_root: fs_access under the root");
    ok(fs_list_dir(at("root/sub"), note_entry, &seen) == 0 && seen.f == 1 &&
       seen.dots == 0 && seen.other == 0 && seen.type == DT_REG,
       "fs_list_dir: the one file with its type, no . or ..");
    errno = 0;
    ok(fs_list_dir(at("root/none"), note_entry, &seen) == -1 &&
       errno == ENOENT, "fs_list_dir: a missing dir is -1, ENOENT");
    ok(fs_list_dir(at("root/sub"), stop_at_once, &seen) == 1,
       "fs_list_dir: 1 when fn stops (never -1, a missing dir's answer)");
    ok(fs_stat(at("rootx/f"), &st) == 0 && S_ISREG(st.st_mode),
       "fs_at_root: a sibling with the root as name prefix is not under it");
    fs_at_root(NULL);
    ok(fs_stat(at("root/sub/f"), &st) < 0 && errno == ENOENT,
       "fs_at_root(NULL): absolute paths again");
    rename(moved, root);
}

int main(void)
{
    struct cb_err err = { 0 };

    umask(022);
    snprintf(top, sizeof(top), "/tmp/cb-test-fs-XXXXXX");
    if (!mkdtemp(top))
        return 1;
    test_mkdirs();
    test_make_or_verify();
    test_write();
    test_read_regular();
    test_at_root();
    test_abspath();
    test_rmtree();
    umask(022);
    fs_rmtree(top, &err);
    return done_testing();
}
