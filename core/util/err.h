/* The one error convention (OpenSSH's ssherr, git's error()).
 *
 * Functions return int: 0 (CB_OK) or a negative CB_ERR_* code, and put a
 * one-line message for the user in a caller-supplied struct cb_err.
 * cb_err_set() returns the code so a failure is a single statement:
 *
 *     if (fd < 0)
 *         return cb_err_set(err, CB_ERR_IO, "cannot open %s: %s", p, strerror(errno));
 *
 * A NULL err is allowed and discards the message.  The first message set
 * wins unless cb_err_reset() is called; callers add context with
 * cb_err_prefix(). */
#ifndef CB_UTIL_ERR_H
#define CB_UTIL_ERR_H

#include <certbot/status.h>
#include <certbot/abi.h>

#define CB_ERR_MSG_MAX 2048

struct cb_err {
    int code;
    int plain;  /* printed without the "Ask for help" advice line */
    char msg[CB_ERR_MSG_MAX];
};

/* Record fmt (if no message is recorded yet) and return code. */
int cb_err_set(struct cb_err *err, int code, const char *fmt, ...)
    CB_PRINTF(3, 4);
/* Replace any recorded message. */
int cb_err_replace(struct cb_err *err, int code, const char *fmt, ...)
    CB_PRINTF(3, 4);
/* Prepend "prefix: " style context to the recorded message; returns code. */
int cb_err_prefix(struct cb_err *err, const char *fmt, ...) CB_PRINTF(2, 3);
/* Like cb_err_set, for a message that is the complete answer to the user:
 * Certbot verbs that *return* an error string print it alone, without the
 * "Ask for help ..." advice. */
int cb_err_plain(struct cb_err *err, int code, const char *fmt, ...)
    CB_PRINTF(3, 4);
void cb_err_reset(struct cb_err *err);
/* The message, or cb_status_str(code) when none was recorded. Borrowed. */
const char *cb_err_msg(const struct cb_err *err);

#endif
