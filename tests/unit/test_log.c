/* letsencrypt.log: record format, buffering, rotation, modes, terminal
 * levels and secret redaction (SPEC 3.5; ). */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tap.h"

#include "util/log.h"

static char dir[64] = "/tmp/test_log.XXXXXX";

static char *slurp(const char *path)
{
    static char buf[65536];
    FILE *fp = fopen(path, "r");
    size_t n = fp ? fread(buf, 1, sizeof(buf) - 1, fp) : 0;

    buf[n] = '\0';
    if (fp)
        fclose(fp);
    return buf;
}

static int exists(const char *name)
{
    char p[256];
    struct stat st;

    snprintf(p, sizeof(p), "%s/%s", dir, name);
    return stat(p, &st) == 0;
}

static int saved_fd = -1;
static char cap_path[64];

static void capture_start(void)
{
    int fd;

    snprintf(cap_path, sizeof(cap_path), "/tmp/test_log_err.XXXXXX");
    fd = mkstemp(cap_path);
    fflush(stderr);
    saved_fd = dup(2);
    dup2(fd, 2);
    close(fd);
}

static char *capture_end(void)
{
    char *s;

    fflush(stderr);
    dup2(saved_fd, 2);
    close(saved_fd);
    s = slurp(cap_path);
    unlink(cap_path);
    return s;
}

static void clean_dir(void)
{
    const char *names[] = {"letsencrypt.log", "letsencrypt.log.1",
                           "letsencrypt.log.2", "letsencrypt.log.3",
                           "letsencrypt.log.4", "letsencrypt.log.5", NULL};
    char p[256];

    for (size_t i = 0; names[i]; i++) {
        snprintf(p, sizeof(p), "%s/%s", dir, names[i]);
        unlink(p);
    }
}

static void test_format_and_buffer(void)
{
    struct cb_err err = {0};
    char path[256];
    regex_t re;
    const char *text;
    struct stat st;
    int lines_ok = 1, nlines = 0;

    ok(log_path() == NULL, "no log path before log_open");
    log_set_console_level(CB_LOG_ERROR + 10); /* keep stderr clean */
    log_msg(CB_LOG_DEBUG, "certbot._internal.main", "early record %d", 1);
    is_int(log_open(dir, 1000, &err), 0, "log_open");
    snprintf(path, sizeof(path), "%s/letsencrypt.log", dir);
    is_str(log_path(), path, "log_path after open");
    log_info("second record");
    log_msg(CB_LOG_ERROR, "certbot.x", "third");
    text = slurp(path);
    ok(strstr(text, ":DEBUG:certbot._internal.main:early record 1\n") != NULL,
       "records logged before log_open are written (buffered)");
    ok(strstr(text, ":INFO:certbot:second record\n") != NULL,
       "LOG_COMPONENT default logger name");
    regcomp(&re, "^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2},"
            "[0-9]{3}:(DEBUG|INFO|WARNING|ERROR|CRITICAL):[^:]+:",
            REG_EXTENDED | REG_NOSUB);
    for (const char *p = text; *p;) {
        size_t len = strcspn(p, "\n");
        char line[512];

        snprintf(line, sizeof(line), "%.*s", (int)len, p);
        if (regexec(&re, line, 0, NULL, 0) != 0)
            lines_ok = 0;
        nlines++;
        p += len;
        if (*p)
            p++;
    }
    regfree(&re);
    ok(lines_ok && nlines == 3, "A-304 every line matches the record format");
    stat(path, &st);
    is_int(st.st_mode & 0777, 0644, "log file is 0644 under umask 022");
    log_close();
    log_set_console_level(CB_LOG_WARNING);
    ok(log_path() == NULL, "log_close forgets the path");
}

static void test_rotation(void)
{
    struct cb_err err = {0};
    char path[256];
    const char *text;
    int lines = 0;

    clean_dir();
    for (int run = 0; run < 5; run++) {
        log_open(dir, 3, &err);
        log_msg(CB_LOG_DEBUG, "certbot", "run %d", run);
        log_close();
    }
    ok(exists("letsencrypt.log") && exists("letsencrypt.log.1") &&
       exists("letsencrypt.log.2") && exists("letsencrypt.log.3"),
       "A-303 five runs with 3 backups keep log, .1, .2, .3");
    ok(!exists("letsencrypt.log.4"), "A-303 no fourth backup");
    snprintf(path, sizeof(path), "%s/letsencrypt.log.1", dir);
    ok(strstr(slurp(path), "run 3") != NULL, "A-303 .1 is the previous run");

    clean_dir();
    for (int run = 0; run < 3; run++) {
        log_open(dir, 0, &err);
        log_msg(CB_LOG_DEBUG, "certbot", "append %d", run);
        log_close();
    }
    ok(exists("letsencrypt.log") && !exists("letsencrypt.log.1"),
       "A-303 --max-log-backups 0: a single file");
    snprintf(path, sizeof(path), "%s/letsencrypt.log", dir);
    text = slurp(path);
    for (const char *p = strstr(text, "append "); p;
         p = strstr(p + 1, "append "))
        lines++;
    is_int(lines, 3, "A-303 --max-log-backups 0 appends");

    clean_dir();
    log_open(dir, 2, &err);
    log_close();
    ok(exists("letsencrypt.log.1"),
       "the first run leaves an empty .1, as RotatingFileHandler does");
    clean_dir();

    cb_err_reset(&err);
    is_int(log_open("/nonexistent/logs", 1, &err), CB_ERR_IO,
           "an unusable logs dir fails");
    ok(strstr(cb_err_msg(&err), "The following error was encountered:\n") &&
       strstr(cb_err_msg(&err), "Either run as root, or set --config-dir, "
              "--work-dir, and --logs-dir to writeable paths."),
       "unusable logs dir message");
}

static void test_console(void)
{
    const char *out;

    log_set_console_level(CB_LOG_WARNING);
    capture_start();
    log_info("not shown");
    log_warning("shown warning");
    log_error("shown error");
    out = capture_end();
    is_str(out, "shown warning\nshown error\n",
           "default terminal level: WARNING and up, bare messages");
    log_set_console_level(CB_LOG_WARNING - 10);
    capture_start();
    log_info("Plugins selected: Authenticator standalone, Installer None");
    log_debug("still hidden");
    out = capture_end();
    is_str(out, "Plugins selected: Authenticator standalone, Installer None\n",
           "A-305 -v shows INFO");
    log_set_console_level(CB_LOG_ERROR);
    is_int(log_console_level(), CB_LOG_ERROR, "log_console_level");
    capture_start();
    log_warning("quiet warning");
    out = capture_end();
    is_str(out, "", "--quiet hides warnings");
    log_set_console_level(CB_LOG_WARNING);
}

static void test_secrets_and_spill(void)
{
    struct cb_err err = {0};
    char path[256];
    const char *text, *spill;
    struct stat st;

    clean_dir();
    log_add_secret("hmac-secret-value");
    log_add_secret("abc"); /* too short to redact safely */
    capture_start();
    log_warning("EAB key hmac-secret-value twice hmac-secret-value");
    text = capture_end();
    is_str(text, "EAB key ******** twice ********\n",
           "secrets are redacted on the terminal");
    log_open(dir, 0, &err);
    log_debug("Arguments: ['--eab-hmac-key', 'hmac-secret-value']");
    log_close();
    snprintf(path, sizeof(path), "%s/letsencrypt.log", dir);
    text = slurp(path);
    ok(strstr(text, "hmac-secret-value") == NULL &&
       strstr(text, "['--eab-hmac-key', '********']") != NULL,
       "A-304 secrets never reach the log file");
    clean_dir();

    log_debug("before any log file");
    setenv("TMPDIR", dir, 1);
    spill = log_spill_to_temp();
    ok(spill != NULL && strncmp(spill, dir, strlen(dir)) == 0,
       "early records spill to $TMPDIR/certbot-log-*/log");
    if (spill) {
        char d[256];

        stat(spill, &st);
        is_int(st.st_mode & 0777, 0600, "spilled log is 0600");
        ok(strstr(slurp(spill), "before any log file") != NULL,
           "spilled log holds the buffered records");
        snprintf(d, sizeof(d), "%s", spill);
        unlink(spill);
        *strrchr(d, '/') = '\0';
        rmdir(d);
    }
}

int main(void)
{
    umask(022);
    if (!mkdtemp(dir))
        return 1;
    test_format_and_buffer();
    test_rotation();
    test_console();
    test_secrets_and_spill();
    clean_dir();
    rmdir(dir);
    return done_testing();
}
