/* Logging: letsencrypt.log (always DEBUG) and the terminal (stderr).
 *
 * File format is Certbot's "%(asctime)s:%(levelname)s:%(name)s:%(message)s",
 * e.g. "2026-11-23 18:41:45,123:DEBUG:certbot._internal.main:text".  Until
 * log_open() succeeds, records are kept in memory and written to the file
 * when it opens.  The terminal shows WARNING and above by default; each -v
 * lowers the threshold by 10; --quiet shows ERROR only.
 *
 * The file is written through a buffer (issue 7: one write(2) per record
 * was most of renew's system calls), flushed when full, by log_flush()
 * and out_flush_all() (util/out_capture.h: fork, exec, exit and prompt
 * sites), by log_close() and at exit, on every record of level WARNING
 * and above, and by the first record written 100 ms or more after the
 * previous flush (no timer thread: the clock is read when a record is
 * written).  Records are whole lines in every write.  A process killed
 * with SIGKILL, a second Ctrl-C or a crash loses what is buffered: at
 * most the records of the last 100 ms of logging before it went quiet
 * or died (a record after a quiet spell of 100 ms is written at once).
 * All functions are safe to call from several threads. */
#ifndef CB_UTIL_LOG_H
#define CB_UTIL_LOG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <certbot/host.h> /* CB_LOG_* levels */

#include "util/err.h"

/* Terminal threshold, e.g. CB_LOG_WARNING - 10 * verbose. */
void log_set_console_level(int level);
int log_console_level(void);

/* Rotate <logs_dir>/letsencrypt.log keeping max_backups (0: append, no
 * rotation), open it (0644 under umask 022) and flush buffered records.
 * Prints nothing; the caller prints "Saving debug log to ...". */
int log_open(const char *logs_dir, long max_backups, struct cb_err *err);
const char *log_path(void); /* NULL until opened; borrowed */
void log_close(void);

/* ---- additions (cli room) ---- */

/* Never write s to the log file or the terminal: every occurrence is
 * replaced by "********" from now on (EAB HMAC keys, CB_OPT_SECRET option
 * values).  Strings shorter than 4 bytes are ignored.  Copied. */
void log_add_secret(const char *s);

/* Before log_open succeeded, records are only in memory.  Write them to a
 * fresh $TMPDIR/certbot-log-XXXXXX/log (0600), as Certbot does when it
 * fails early, and return that path (borrowed; NULL on failure).  The
 * buffer is kept, so a later log_open still gets the records. */
const char *log_spill_to_temp(void);

/* Write the buffered records to the file now. */
void log_flush(void);
/* The output layer's flush point (util/out_capture.c): log_flush() and
 * fflush(NULL).  Call it before fork(), exec, _exit() and before writing
 * to stderr outside this module. */
void out_flush_all(void);

/* For util/out_capture.c: write a record formatted earlier (header,
 * message, "\n"; the message starts at msg_off) as log_msg would now. */
void log_emit_record(int level, const char *rec, size_t len, size_t msg_off);

/* vsnprintf(dst, size, fmt, ap), the same bytes and value; formats made
 * of text, "%s" and "%%" only skip printf's machinery. */
int log_vformat(char *dst, size_t size, const char *fmt, va_list ap);

/* logger is the dotted component shown in the file ("certbot.acme"). */
void log_msg(int level, const char *logger, const char *fmt, ...)
    CB_PRINTF(3, 4);

/* log_msg(level, logger, "%s%s", prefix, <the contents of f>), written
 * from f in pieces instead of through one string in memory: the
 * `certificates` listing of 10,000 lineages is megabytes (issue 7: peak
 * RSS).  f is read from its start.  When the record is to be captured,
 * shown on the terminal or searched for secrets it goes through log_msg
 * after all. */
void log_msg_file(int level, const char *logger, const char *prefix,
                  FILE *f);

#define log_debug(...) log_msg(CB_LOG_DEBUG, LOG_COMPONENT, __VA_ARGS__)
#define log_info(...) log_msg(CB_LOG_INFO, LOG_COMPONENT, __VA_ARGS__)
#define log_warning(...) log_msg(CB_LOG_WARNING, LOG_COMPONENT, __VA_ARGS__)
#define log_error(...) log_msg(CB_LOG_ERROR, LOG_COMPONENT, __VA_ARGS__)

#ifndef LOG_COMPONENT
#define LOG_COMPONENT "certbot"
#endif

#endif
