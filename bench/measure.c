/* measure: run one command, print "<wall ns> <peak RSS KiB> <exit code>
 * <CPU ns>" (CPU: user + system time of the command and its children).
 *
 * bench/run times every case with this instead of wrapping the command in
 * /usr/bin/time: GNU time's own start-up (another fork and exec) would
 * be a visible share of a 5 ms figure.  The peak RSS is the child's
 * ru_maxrss from wait4(), the same number `/usr/bin/time -v` prints as
 * "Maximum resident set size".  stdout/stderr of the command go to
 * /dev/null unless MEASURE_LOG names a file (appended to).
 *
 * Not part of the product: compiled by bench/run with the system cc. */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    struct timespec t0, t1;
    struct rusage ru;
    const char *logpath = getenv("MEASURE_LOG");
    int status = 0, fd;
    pid_t pid;

    if (argc < 2) {
        fprintf(stderr, "usage: measure CMD [ARGS...]\n");
        return 2;
    }
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid = fork();
    if (pid < 0) {
        perror("fork");
        return 2;
    }
    if (pid == 0) {
        fd = open(logpath && *logpath ? logpath : "/dev/null",
                  O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
            close(fd);
        }
        fd = open("/dev/null", O_RDONLY);
        if (fd >= 0) {
            dup2(fd, 0);
            close(fd);
        }
        execvp(argv[1], argv + 1);
        _exit(127);
    }
    if (wait4(pid, &status, 0, &ru) < 0) {
        perror("wait4");
        return 2;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("%lld %ld %d %lld\n",
           (long long)(t1.tv_sec - t0.tv_sec) * 1000000000LL +
               (t1.tv_nsec - t0.tv_nsec),
           ru.ru_maxrss,
           WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status),
           ((long long)ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000LL +
               ((long long)ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000LL);
    return 0;
}
