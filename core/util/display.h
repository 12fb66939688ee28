/* User interaction (Certbot's display util): notifications on stdout and
 * prompts that know when they may ask.
 *
 * Interactive means stdin and stdout are TTYs, or --force-interactive.
 * Under -n (or renew) a prompt with a default returns the default; one
 * without a default fails with CB_ERR_NONINTERACTIVE and the message
 *   "Missing command line flag or config entry for this setting:\n<prompt>
 *    \n\n(You can set this with the <flag> flag)".
 * Without -n and without a TTY a prompt with a default uses it after a
 * one-time warning (SPEC 4.14).  --quiet silences notifications.
 *
 * stdout is written through stdio: flushed after every notification on a
 * terminal; into a file or pipe when stdio's buffer is full, at
 * out_flush_all() (util/log.h), before a prompt, before anything goes to
 * stderr through util/log.h, at exit, and by the first notification
 * 100 ms or more after the previous flush.  Notifications of a
 * thread inside out_capture_begin() go to its capture. */
#ifndef CB_UTIL_DISPLAY_H
#define CB_UTIL_DISPLAY_H

#include <stddef.h>
#include <stdio.h>

#include "util/err.h"

struct display_opts {
    int noninteractive;    /* -n, -q, or the renew verb */
    int force_interactive;
    int quiet;
};

void display_init(const struct display_opts *opts);
/* The options in force (to switch to non-interactive for a while and
 * back, as reconfigure's dry run does). */
void display_get_opts(struct display_opts *opts);

/* Print msg to stdout followed by a newline (nothing under --quiet).
 * framed=1 puts the 79-char "- - - ... -" line before and after. */
void display_notify(const char *msg, int framed);
/* The general form: wrap=1 fills each line to 80 columns (textwrap);
 * display_notify(msg, framed) is display_notification(msg, framed,
 * framed), as Certbot's notify()/notification() pair behaves. */
void display_notification(const char *msg, int framed, int wrap);
/* display_notification(<the contents of f>, framed, 0) without the text
 * in memory (the certificates listing: megabytes at 10,000 lineages). */
void display_notification_file(FILE *f, int framed);
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

/* ---- additions (cli room) ---- */

/* The 79-character frame line "- - - ... -" (no newline). */
extern const char display_frame[];

/* Certbot's checklist: numbered tags, answer "1 3" or "1,3" (blank: all).
 * Under -n it fails naming cli_flag ("a? b?" lists the tags).  The chosen
 * tags are appended to chosen (copied). 'c' gives CB_ERR_CANCELLED. */
struct strvec;
int display_checklist(const char *q, const char *const *tags, size_t n,
                      const char *cli_flag, struct strvec *chosen,
                      struct cb_err *err);

/* display_notification(msg, framed, wrap=0), then (only when it can
 * interact) wait for Enter: Certbot's notification(pause=True,
 * wrap=False), which plugins get through host->notify. */
int display_notify_pause(const char *msg, int framed, struct cb_err *err);

/* textwrap.fill of one paragraph: width columns, the indents included,
 * words never broken.  Caller frees; NULL on ENOMEM. */
char *display_fill(const char *text, size_t width, const char *indent,
                   const char *subsequent_indent);
/* Certbot's wrap_lines: each line of msg filled to 80 columns. */
char *display_wrap_lines(const char *msg);

/* For util/out_capture.c: write captured stdout text now. */
void display_emit_text(const char *text, size_t len);

/* Test hooks: where prompts read from and everything is written to
 * (default fd 0 and stdout).  TTY detection looks at these. */
void display_set_io(int in_fd, FILE *out);

#endif
