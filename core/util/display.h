/* User interaction (Certbot's display util): notifications on stdout and
 * prompts that know when they may ask.
 *
 * Interactive means stdin and stdout are TTYs, or --force-interactive.
 * Under -n (or renew) a prompt with a default returns the default; one
 * without a default fails with CB_ERR_NONINTERACTIVE and the message
 *   "Missing command line flag or config entry for this setting:\n<prompt>
 *    \n\n(You can set this with the <flag> flag)".
 * Without -n and without a TTY a prompt with a default uses it after a
 * one-time warning (SPEC 4.14).  --quiet silences notifications. */
#ifndef CB_UTIL_DISPLAY_H
#define CB_UTIL_DISPLAY_H

#include <stddef.h>

#include "util/err.h"

struct display_opts {
    int noninteractive;    /* -n, -q, or the renew verb */
    int force_interactive;
    int quiet;
};

void display_init(const struct display_opts *opts);

/* Print msg to stdout followed by a newline (nothing under --quiet).
 * framed=1 puts the 79-char "- - - ... -" line before and after. */
void display_notify(const char *msg, int framed);
void display_notifyf(int framed, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Yes/no: "(Y)es/(N)o: " (or custom labels).  dflt is -1 for none. */
int display_yesno(const char *q, const char *yes_label, const char *no_label,
                  int dflt, const char *cli_flag, int *answer,
                  struct cb_err *err);
/* Free text; " (Enter 'c' to cancel): " is appended.  *answer is caller
 * freed.  'c' gives CB_ERR_CANCELLED. */
int display_input(const char *q, const char *cli_flag, char **answer,
                  struct cb_err *err);
/* Numbered menu; dflt is -1 for none; *choice is the 0-based index. */
int display_menu(const char *q, const char *const *items, size_t n,
                 long dflt, const char *cli_flag, size_t *choice,
                 struct cb_err *err);

int display_is_interactive(void);

#endif
