/* .certbot.lock: conflicts across processes, with Python's fcntl.lockf,
 * and cleanup on release. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "storage/fsutil.h"
#include "storage/lock.h"
#include "tap.h"

static char dir[64];
static char lockpath[128];

/* In a child: try to lock and report the outcome as the exit status
 * (0 = refused with Certbot's message, 1 = got it, 2 = other error). */
static int child_try(void)
{
    pid_t pid = fork();
    int st = 0;

    if (pid == 0) {
        struct dir_lock *l = NULL;
        struct cb_err err = { 0 };
        int r = lock_dir(dir, &l, &err);
        if (r == CB_ERR_LOCKED &&
            strcmp(err.msg,
                   "Another instance of Certbot is already running.") == 0)
            _exit(0);
        _exit(r == 0 ? 1 : 2);
    }
    if (pid < 0 || waitpid(pid, &st, 0) < 0 || !WIFEXITED(st))
        return -1;
    return WEXITSTATUS(st);
}

static void test_between_processes(void)
{
    struct dir_lock *l = NULL;
    struct cb_err err = { 0 };
    struct stat st;
    int fds[2];
    pid_t pid;
    char c;

    ok(lock_dir(dir, &l, &err) == 0 && l, "lock_dir succeeds on a free dir");
    ok(stat(lockpath, &st) == 0 && (st.st_mode & 07777) == 0600,
       "A-309: .certbot.lock exists with mode 0600 while held");
    is_int(child_try(), 0,
           "A-307: another process is refused with 'Another instance of "
           "Certbot is already running.'");
    lock_release(l);
    ok(lstat(lockpath, &st) < 0 && errno == ENOENT,
       "A-309: release removes .certbot.lock");
    is_int(child_try(), 1, "after release another process gets the lock");

    /* the other way round: a child holds it, we are refused */
    if (pipe(fds) < 0)
        return;
    pid = fork();
    if (pid == 0) {
        struct dir_lock *cl = NULL;
        close(fds[0]);
        if (lock_dir(dir, &cl, NULL) == 0 && write(fds[1], "L", 1) == 1)
            pause();
        _exit(1);
    }
    close(fds[1]);
    ok(read(fds[0], &c, 1) == 1, "child took the lock");
    memset(&err, 0, sizeof(err));
    l = NULL;
    ok(lock_dir(dir, &l, &err) == CB_ERR_LOCKED && l == NULL,
       "A-307: held by a child -> CB_ERR_LOCKED");
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    close(fds[0]);
    /* the killed child left the file behind (no release); a stale file
     * is not a lock */
    ok(lock_dir(dir, &l, &err) == 0,
       "a stale .certbot.lock left by a dead process does not block");
    lock_release(l);
}

static int have_python(void)
{
    return system("python3 -c 'import fcntl' >/dev/null 2>&1") == 0;
}

/* 1 when some process holds an fcntl lock on path (probing only). */
static int held_by_other(const char *path)
{
    struct flock fl;
    int fd = open(path, O_RDWR);
    int held;

    if (fd < 0)
        return 0;
    memset(&fl, 0, sizeof(fl));
    fl.l_type = F_WRLCK;
    fl.l_whence = SEEK_SET;
    held = fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK;
    close(fd);
    return held;
}

static void test_python_interop(void)
{
    struct dir_lock *l = NULL;
    struct cb_err err = { 0 };
    char cmd[512];
    FILE *p;
    int rc = 0, st;

    if (!have_python()) {
        printf("ok %d # SKIP python3 not available\n", ++tap_n);
        printf("ok %d # SKIP python3 not available\n", ++tap_n);
        return;
    }
    /* Python takes lockf (what Certbot's lock.py uses) and holds it until
     * its stdin closes. */
    snprintf(cmd, sizeof(cmd),
             "python3 -c 'import fcntl,os,sys\n"
             "fd=os.open(\"%s\",os.O_CREAT|os.O_WRONLY,0o600)\n"
             "fcntl.lockf(fd,fcntl.LOCK_EX|fcntl.LOCK_NB)\n"
             "sys.stdin.read()'", lockpath);
    p = popen(cmd, "w");
    for (int i = 0; p && i < 200 && !held_by_other(lockpath); i++)
        usleep(25000);
    if (p)
        rc = lock_dir(dir, &l, &err);
    ok(p && rc == CB_ERR_LOCKED && l == NULL,
       "A-308: a Python fcntl.lockf holder blocks lock_dir");
    if (p)
        pclose(p);
    unlink(lockpath);

    /* and ours blocks Python's lockf */
    memset(&err, 0, sizeof(err));
    rc = lock_dir(dir, &l, &err);
    snprintf(cmd, sizeof(cmd),
             "python3 -c 'import fcntl,os,sys\n"
             "fd=os.open(\"%s\",os.O_CREAT|os.O_WRONLY,0o600)\n"
             "try:\n fcntl.lockf(fd,fcntl.LOCK_EX|fcntl.LOCK_NB)\n"
             "except OSError:\n sys.exit(3)\n"
             "sys.exit(0)'", lockpath);
    st = system(cmd);
    ok(rc == 0 && WIFEXITED(st) && WEXITSTATUS(st) == 3,
       "A-308: our lock blocks Python's fcntl.lockf");
    lock_release(l);
}

static void test_errors(void)
{
    struct dir_lock *l = NULL;
    struct cb_err err = { 0 };
    int r = lock_dir("/nonexistent-dir-for-lock", &l, &err);

    ok(r == CB_ERR_IO && l == NULL && strstr(err.msg, "No such file"),
       "a missing directory is an I/O error naming the OS error");
    lock_release(NULL);
    ok(1, "lock_release(NULL) is a no-op");
}

int main(void)
{
    struct cb_err err = { 0 };

    umask(022);
    snprintf(dir, sizeof(dir), "/tmp/cb-test-lock-XXXXXX");
    if (!mkdtemp(dir))
        return 1;
    snprintf(lockpath, sizeof(lockpath), "%s/.certbot.lock", dir);
    test_between_processes();
    test_python_interop();
    test_errors();
    fs_rmtree(dir, &err);
    return done_testing();
}
