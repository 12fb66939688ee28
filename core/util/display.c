/* Prompts and notifications after Certbot's display/obj.py (SPEC 4.14):
 * FileDisplay when it may ask, NoninteractiveDisplay under -n, the
 * one-time "Skipped user interaction" warning when there is no terminal,
 * and textwrap-compatible line filling. */
#define LOG_COMPONENT "certbot._internal.display.obj"

#include "util/display.h"
#include "util/tempfile.h"

#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/log.h"
#include "util/out_capture.h"
#include "util/strvec.h"

/* ("- " * 39) + "-": alternating so pasted output is no markdown rule */
const char display_frame[] =
    "- - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - "
    "- - - - -";

#define INPUT_TIMEOUT_S 36000 /* just under the twice-daily renew timer */

static struct display_opts D;
static int skipped_warned;
static int in_fd = 0;
static FILE *out_fp;
static int out_tty = -1; /* isatty(out()), asked once */
static struct timespec out_flushed; /* CLOCK_MONOTONIC of out_done's flush */
#define OUT_FLUSH_NS 100000000L    /* 100 ms, as util/log.c */
/* skipped_warned, out_tty, out_flushed; D is set before threads start */
static pthread_mutex_t display_lock = PTHREAD_MUTEX_INITIALIZER;

static FILE *out(void)
{
    return out_fp ? out_fp : stdout;
}

void display_set_io(int fd, FILE *fp)
{
    pthread_mutex_lock(&display_lock);
    in_fd = fd;
    out_fp = fp;
    out_tty = -1;
    pthread_mutex_unlock(&display_lock);
}

void display_init(const struct display_opts *opts)
{
    memset(&D, 0, sizeof(D));
    if (opts)
        D = *opts;
    skipped_warned = 0;
}

void display_get_opts(struct display_opts *opts)
{
    *opts = D;
}

/* ---- textwrap ---- */

struct buf {
    char *s;
    size_t n, alloc;
};

static int buf_add(struct buf *b, const char *s, size_t len)
{
    if (b->n + len + 1 > b->alloc) {
        size_t na = b->alloc ? b->alloc * 2 : 128;
        char *ns;

        while (na < b->n + len + 1)
            na *= 2;
        ns = realloc(b->s, na);
        if (!ns)
            return -1;
        b->s = ns;
        b->alloc = na;
    }
    memcpy(b->s + b->n, s, len);
    b->n += len;
    b->s[b->n] = '\0';
    return 0;
}

static int buf_str(struct buf *b, const char *s)
{
    return buf_add(b, s, strlen(s));
}

static int is_ws(char c)
{
    return isspace((unsigned char)c);
}

/* Length of the chunk at p: a run of whitespace or of anything else. */
static size_t chunk_len(const char *p, const char *end)
{
    int sp = is_ws(*p);
    const char *q = p;

    while (q < end && is_ws(*q) == sp)
        q++;
    return (size_t)(q - p);
}

/* Append [p, p+len) with every whitespace character as a space
 * (replace_whitespace). */
static int buf_add_spaced(struct buf *b, const char *p, size_t len)
{
    size_t at = b->n;

    if (buf_add(b, p, len) != 0)
        return -1;
    for (size_t k = at; k < b->n; k++)
        if (is_ws(b->s[k]))
            b->s[k] = ' ';
    return 0;
}

/* textwrap.TextWrapper._wrap_chunks with break_long_words=False,
 * break_on_hyphens=False, drop_whitespace=True, over text[0..len):
 * chunks are runs of whitespace or of other characters, taken while they
 * fit; a word longer than the line gets a line of its own; whitespace
 * ending a line, or starting one after the first, is dropped. */
static int fill_into(struct buf *b, const char *text, size_t len,
                     size_t width, const char *indent, const char *sub)
{
    const char *p = text, *end = text + len;
    size_t ilen = strlen(indent), slen = strlen(sub);
    int first = 1, r = 0;

    while (p < end && r == 0) {
        size_t il = first ? ilen : slen;
        size_t w = width > il ? width - il : 1;
        size_t cur = 0, n = 0;
        const char *start, *q, *stop, *last = NULL;

        if (!first && is_ws(*p))
            p += chunk_len(p, end);
        start = q = p;
        while (q < end) {
            n = chunk_len(q, end);
            if (cur + n > w)
                break;
            cur += n;
            last = q;
            q += n;
        }
        if (q < end && q == start) {
            last = q; /* too long for any line: alone on its own */
            q += n;
        }
        stop = q;
        if (stop > start && is_ws(*last))
            stop = last;
        if (stop > start) {
            if (!first)
                r |= buf_str(b, "\n");
            r |= buf_str(b, first ? indent : sub);
            r |= buf_add_spaced(b, start, (size_t)(stop - start));
            first = 0;
        } else if (q == start) {
            break;
        }
        p = q;
    }
    return r;
}

char *display_fill(const char *text, size_t width, const char *indent,
                   const char *subsequent_indent)
{
    struct buf b = {0};

    if (buf_str(&b, "") != 0 ||
        fill_into(&b, text, strlen(text), width, indent ? indent : "",
                  subsequent_indent ? subsequent_indent : "") != 0) {
        free(b.s);
        return NULL;
    }
    return b.s;
}

/* display_wrap_lines(msg) is msg itself when every line has at most 80
 * bytes, no whitespace but spaces and no trailing space, and msg does not
 * end in "\n": each line then fills to itself.  Most messages are such. */
static int wraps_to_itself(const char *msg)
{
    size_t col = 0;
    char prev = '\0';

    for (const char *p = msg; *p; p++) {
        unsigned char c = (unsigned char)*p;

        if (c == '\n') {
            if (prev == ' ')
                return 0;
            col = 0;
        } else if (++col > 80) {
            return 0;
        } else if ((c < ' ' || c > '~') && is_ws(*p)) {
            return 0; /* printable ASCII is never whitespace */
        }
        prev = *p;
    }
    return prev != ' ' && prev != '\n';
}

char *display_wrap_lines(const char *msg)
{
    struct buf b = {0};
    const char *p = msg;
    int r;

    if (wraps_to_itself(msg))
        return strdup(msg);
    r = buf_str(&b, "");
    while (r == 0 && *p) {
        size_t len = strcspn(p, "\n"), l = len;

        if (l && p[l - 1] == '\r')
            l--;
        if (p != msg)
            r |= buf_str(&b, "\n");
        r |= fill_into(&b, p, l, 80, "", "");
        p += len;
        if (*p == '\n')
            p++;
    }
    if (r != 0) {
        free(b.s);
        return NULL;
    }
    return b.s;
}

/* ---- notifications ---- */

/* After a notification: on a terminal (what the user watches) stdout is
 * flushed at once, as before.  Into a file or pipe it stays in stdio's
 * buffer (issue 7: one write(2) per notification was a third of renew's
 * writes) until the buffer is full, out_flush_all() (fork, exec, exit,
 * sleeps, network waits), a write to stderr (util/log.c flushes stdout
 * first), a prompt, or the first notification 100 ms or more after the
 * previous flush here: so a burst is written in one go and a lone line
 * at once, as the log file is. */
static void out_done(void)
{
    struct timespec now;
    int flush;

    clock_gettime(CLOCK_MONOTONIC, &now);
    pthread_mutex_lock(&display_lock);
    if (out_tty < 0)
        out_tty = isatty(fileno(out())) ? 1 : 0;
    flush = out_tty ||
            (now.tv_sec - out_flushed.tv_sec) * 1000000000L +
                    (now.tv_nsec - out_flushed.tv_nsec) >= OUT_FLUSH_NS;
    if (flush)
        out_flushed = now;
    pthread_mutex_unlock(&display_lock);
    if (flush)
        fflush(out());
}

void display_emit_text(const char *text, size_t len)
{
    fwrite(text, 1, len, out());
    out_done();
}

/* The notification's text, into the calling thread's capture. */
static int capture_text(struct out_capture *cap, const char *m, int framed)
{
    char *t = NULL;
    int n, r;

    if (framed)
        n = asprintf(&t, "\n%s\n%s\n%s\n", display_frame, m, display_frame);
    else
        n = asprintf(&t, "%s\n", m);
    if (n < 0)
        return -1;
    r = out_capture_add_text(cap, t, (size_t)n);
    free(t);
    return r;
}

/* Certbot's notify() (unframed) prints the text as given; only framed
 * notification() output is wrapped to 80 columns. */
/* A notification on stdout: text, or what is left of from (read in
 * pieces), between frame lines when framed.  One stdio lock for the
 * lines, as one fprintf had. */
static void put_notification(const char *text, FILE *from, int framed)
{
    FILE *fp = out();
    char chunk[16384];
    size_t n;

    flockfile(fp);
    if (framed) {
        fputs("\n", fp);
        fputs(display_frame, fp);
        fputs("\n", fp);
    }
    if (text)
        fputs(text, fp);
    else
        while ((n = fread(chunk, 1, sizeof(chunk), from)) > 0)
            fwrite(chunk, 1, n, fp);
    fputs("\n", fp);
    if (framed) {
        fputs(display_frame, fp);
        fputs("\n", fp);
    }
    funlockfile(fp);
    out_done();
}

static void write_notification(const char *msg, int framed, int wrap)
{
    char *wrapped = wrap && !wraps_to_itself(msg) ? display_wrap_lines(msg)
                                                  : NULL;
    const char *m = wrapped ? wrapped : msg;
    struct out_capture *cap;

    log_debug("Notifying user: %s", m);
    if (!D.quiet) {
        cap = out_capture_current();
        if (cap && capture_text(cap, m, framed) == 0) {
            /* replayed later */
        } else {
            put_notification(m, NULL, framed);
        }
    }
    free(wrapped);
}

void display_notify(const char *msg, int framed)
{
    write_notification(msg ? msg : "", framed, framed);
}

void display_notification_file(FILE *f, int framed)
{
    size_t n;

    if (D.quiet || out_capture_current()) {
        /* the rare paths take the text whole */
        char *all = tempfile_slurp(f, &n);

        if (all)
            write_notification(all, framed, 0);
        free(all);
        return;
    }
    log_msg_file(CB_LOG_DEBUG, LOG_COMPONENT, "Notifying user: ", f);
    if (fseek(f, 0, SEEK_SET) == 0)
        put_notification(NULL, f, framed);
}

void display_notification(const char *msg, int framed, int wrap)
{
    write_notification(msg ? msg : "", framed, wrap);
}

void display_notifyf(int framed, const char *fmt, ...)
{
    char local[512], *msg = local;
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = log_vformat(local, sizeof(local), fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n >= sizeof(local)) {
        msg = malloc((size_t)n + 1);
        if (!msg)
            return;
        va_start(ap, fmt);
        vsnprintf(msg, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    display_notify(msg, framed);
    if (msg != local)
        free(msg);
}

/* ---- when may we ask? ---- */

static int tty_present(void)
{
    return isatty(in_fd) && isatty(fileno(out()));
}

int display_is_interactive(void)
{
    if (D.noninteractive || D.quiet)
        return 0;
    return D.force_interactive || tty_present();
}

/* FileDisplay._can_interact: warns once when the answer is guessed. */
static int can_interact(void)
{
    int warn;

    if (D.force_interactive || tty_present())
        return 1;
    pthread_mutex_lock(&display_lock);
    warn = !skipped_warned;
    skipped_warned = 1;
    pthread_mutex_unlock(&display_lock);
    if (warn) {
        log_warning("Skipped user interaction because Certbot doesn't appear "
                    "to be running in a terminal. You should probably include "
                    "--non-interactive or --force-interactive on the command "
                    "line.");
    }
    return 0;
}

static int noninteractive(void)
{
    return D.noninteractive || D.quiet;
}

/* NoninteractiveDisplay._interaction_fail */
static int missing_flag(struct cb_err *err, const char *q, const char *extra,
                        const char *cli_flag)
{
    return cb_err_set(err, CB_ERR_NONINTERACTIVE,
                      "Missing command line flag or config entry for this "
                      "setting:\n%s%s%s%s%s%s",
                      q, extra ? "\n" : "", extra ? extra : "",
                      cli_flag ? "\n\n(You can set this with the " : "",
                      cli_flag ? cli_flag : "", cli_flag ? " flag)" : "");
}

/* FileDisplay._return_default without a default */
static int no_answer(struct cb_err *err, const char *q, const char *cli_flag)
{
    return cb_err_set(err, CB_ERR_NONINTERACTIVE,
                      "Unable to get an answer for the question:\n%s%s%s%s",
                      q,
                      cli_flag ? "\nYou can provide an answer on the command "
                                 "line with the " : "",
                      cli_flag ? cli_flag : "", cli_flag ? " flag." : "");
}

/* 1: use the default, 0: ask, <0: error already set */
static int decide(const char *q, int has_default, const char *extra,
                  const char *cli_flag, struct cb_err *err)
{
    if (noninteractive()) {
        if (!has_default)
            return missing_flag(err, q, extra, cli_flag);
        return 1;
    }
    if (can_interact())
        return 0;
    if (!has_default)
        return no_answer(err, q, cli_flag);
    log_debug("Falling back to default for the prompt:\n%s", q);
    return 1;
}

/* misc.readline_with_timeout: the prompt, then one line from in_fd. */
static int read_answer(const char *prompt, char **answer, struct cb_err *err)
{
    struct buf b = {0};
    time_t deadline = time(NULL) + INPUT_TIMEOUT_S;
    int r = CB_OK;

    *answer = NULL;
    out_flush_all(); /* the log and anything shown before the question */
    if (prompt) {
        fputs(prompt, out());
        fflush(out());
    }
    if (buf_str(&b, "") != 0)
        return cb_err_set(err, CB_ERR_NOMEM, "out of memory");
    for (;;) {
        struct pollfd pfd = {.fd = in_fd, .events = POLLIN};
        long left = (long)(deadline - time(NULL));
        char c;
        ssize_t got;
        int pr;

        if (left <= 0) {
            r = cb_err_set(err, CB_ERR_TIMEOUT,
                           "Timed out waiting for answer to prompt '%s'",
                           prompt ? prompt : "");
            break;
        }
        pr = poll(&pfd, 1, (int)(left > 3600 ? 3600000 : left * 1000));
        if (pr < 0 && errno == EINTR)
            continue;
        if (pr == 0)
            continue;
        got = read(in_fd, &c, 1);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0) {
            if (b.n == 0)
                r = cb_err_set(err, CB_ERR_CANCELLED,
                               "No answer: standard input was closed.");
            break;
        }
        if (c == '\n')
            break;
        if (buf_add(&b, &c, 1) != 0) {
            r = cb_err_set(err, CB_ERR_NOMEM, "out of memory");
            break;
        }
    }
    if (r != CB_OK) {
        free(b.s);
        return r;
    }
    *answer = b.s;
    return CB_OK;
}

/* ---- prompts ---- */

int display_yesno(const char *q, const char *yes_label, const char *no_label,
                  int dflt, const char *cli_flag, int *answer,
                  struct cb_err *err)
{
    const char *yes = yes_label && *yes_label ? yes_label : "Yes";
    const char *no = no_label && *no_label ? no_label : "No";
    char *wrapped, *prompt = NULL, *ans = NULL;
    int r = decide(q, dflt >= 0, NULL, cli_flag, err);

    if (r < 0)
        return r;
    if (r == 1) {
        *answer = dflt ? 1 : 0;
        return CB_OK;
    }
    wrapped = display_wrap_lines(q);
    fprintf(out(), "\n%s\n%s\n%s\n", display_frame, wrapped ? wrapped : q,
            display_frame);
    free(wrapped);
    if (asprintf(&prompt, "(%c)%s/(%c)%s: ", yes[0], yes + 1, no[0],
                 no + 1) < 0)
        return cb_err_set(err, CB_ERR_NOMEM, "out of memory");
    for (;;) {
        r = read_answer(prompt, &ans, err);
        if (r != CB_OK)
            break;
        if (tolower((unsigned char)ans[0]) == tolower((unsigned char)yes[0])) {
            *answer = 1;
            break;
        }
        if (tolower((unsigned char)ans[0]) == tolower((unsigned char)no[0])) {
            *answer = 0;
            break;
        }
        free(ans);
        ans = NULL;
    }
    free(ans);
    free(prompt);
    return r;
}

/* FileDisplay.input once we may ask: the wrapped question plus " (Enter
 * 'c' to cancel): ", with the trailing space kept outside the wrapping. */
static int ask_text(const char *q, char **answer, struct cb_err *err)
{
    char *full = NULL, *wrapped = NULL, *prompt = NULL;
    int r;

    *answer = NULL;
    if (asprintf(&full, "%s (Enter 'c' to cancel):", q) < 0)
        return cb_err_set(err, CB_ERR_NOMEM, "out of memory");
    wrapped = display_wrap_lines(full);
    if (!wrapped || asprintf(&prompt, "%s ", wrapped) < 0) {
        prompt = NULL;
        r = cb_err_set(err, CB_ERR_NOMEM, "out of memory");
        goto out;
    }
    r = read_answer(prompt, answer, err);
    if (r == CB_OK && (strcmp(*answer, "c") == 0 ||
                       strcmp(*answer, "C") == 0)) {
        free(*answer);
        *answer = NULL;
        r = CB_ERR_CANCELLED;
    }
out:
    free(full);
    free(wrapped);
    free(prompt);
    return r;
}

int display_input(const char *q, const char *cli_flag, char **answer,
                  struct cb_err *err)
{
    int r = decide(q, 0, NULL, cli_flag, err);

    *answer = NULL;
    if (r < 0)
        return r;
    return ask_text(q, answer, err);
}

static void print_menu(const char *q, const char *const *items, size_t n)
{
    fprintf(out(), "\n%s\n%s\n", q, display_frame);
    for (size_t i = 0; i < n; i++) {
        char *line = NULL, *wrapped = NULL;

        if (asprintf(&line, "%zu: %s", i + 1, items[i]) >= 0)
            wrapped = display_wrap_lines(line);
        fprintf(out(), "%s\n", wrapped ? wrapped : items[i]);
        free(wrapped);
        free(line);
    }
    fprintf(out(), "%s\n", display_frame);
    fflush(out());
}

/* Python's repr() of a list of str, for "Choices: [...]". */
static char *py_list_repr(const char *const *items, size_t n)
{
    struct buf b = {0};
    int r = buf_str(&b, "[");

    for (size_t i = 0; i < n && r == 0; i++) {
        char q = (strchr(items[i], '\'') && !strchr(items[i], '"')) ? '"'
                                                                     : '\'';
        if (i)
            r |= buf_str(&b, ", ");
        r |= buf_add(&b, &q, 1);
        for (const char *p = items[i]; *p && r == 0; p++) {
            if (*p == q || *p == '\\')
                r |= buf_str(&b, "\\");
            r |= buf_add(&b, p, 1);
        }
        r |= buf_add(&b, &q, 1);
    }
    r |= buf_str(&b, "]");
    if (r != 0) {
        free(b.s);
        return NULL;
    }
    return b.s;
}

int display_menu(const char *q, const char *const *items, size_t n,
                 long dflt, const char *cli_flag, size_t *choice,
                 struct cb_err *err)
{
    char *reprs = NULL, *extra = NULL, *ans = NULL, prompt[128];
    int r;

    if (noninteractive() && dflt < 0) {
        reprs = py_list_repr(items, n);
        if (!reprs || asprintf(&extra, "Choices: %s", reprs) < 0)
            extra = NULL;
    }
    r = decide(q, dflt >= 0, extra, cli_flag, err);
    free(reprs);
    free(extra);
    if (r < 0)
        return r;
    if (r == 1) {
        *choice = (size_t)dflt;
        return CB_OK;
    }
    if (n == 0)
        return cb_err_set(err, CB_ERR_INVAL, "empty menu");
    print_menu(q, items, n);
    if (n > 1)
        snprintf(prompt, sizeof(prompt),
                 "Select the appropriate number [1-%zu] then [enter] (press "
                 "'c' to cancel): ", n);
    else
        snprintf(prompt, sizeof(prompt),
                 "Press 1 [enter] to confirm the selection (press 'c' to "
                 "cancel): ");
    for (;;) {
        char *end = NULL;
        long sel;

        r = read_answer(prompt, &ans, err);
        if (r != CB_OK)
            return r;
        if (ans[0] == 'c' || ans[0] == 'C') {
            free(ans);
            return CB_ERR_CANCELLED;
        }
        sel = strtol(ans, &end, 10);
        while (end && isspace((unsigned char)*end))
            end++;
        if (end != ans && end && *end == '\0' && sel >= 1 &&
            (size_t)sel <= n) {
            free(ans);
            *choice = (size_t)sel - 1;
            return CB_OK;
        }
        free(ans);
        ans = NULL;
        fprintf(out(), "\n** Invalid input **\n");
        fflush(out());
    }
}

int display_checklist(const char *q, const char *const *tags, size_t n,
                      const char *cli_flag, struct strvec *chosen,
                      struct cb_err *err)
{
    struct buf extra = {0};
    int r = buf_str(&extra, "");

    for (size_t i = 0; i < n && r == 0; i++) {
        r |= buf_str(&extra, i ? " " : "");
        r |= buf_str(&extra, tags[i]);
        r |= buf_str(&extra, "?");
    }
    r = r ? cb_err_set(err, CB_ERR_NOMEM, "out of memory")
          : decide(q, 0, extra.s, cli_flag, err);
    free(extra.s);
    if (r < 0)
        return r;
    for (;;) {
        char *ans = NULL;
        int ok = 1;
        size_t picked[256], np = 0;

        print_menu(q, tags, n);
        r = ask_text("Select the appropriate numbers separated by commas "
                     "and/or spaces, or leave input blank to select all "
                     "options shown", &ans, err);
        if (r != CB_OK)
            return r;
        for (char *tok = strtok(ans, ", \t"); tok && ok;
             tok = strtok(NULL, ", \t")) {
            char *end = NULL;
            long v = strtol(tok, &end, 10);
            int dup = 0;

            if (!end || *end || v < 1 || (size_t)v > n) {
                ok = 0;
                break;
            }
            for (size_t k = 0; k < np; k++)
                dup |= picked[k] == (size_t)v - 1;
            if (!dup && np < sizeof(picked) / sizeof(picked[0]))
                picked[np++] = (size_t)v - 1;
        }
        if (ok && np == 0) /* blank: everything */
            for (size_t k = 0; k < n && k < 256; k++)
                picked[np++] = k;
        free(ans);
        if (ok && np) {
            for (size_t k = 0; k < np; k++)
                if (strvec_push(chosen, tags[picked[k]]) != CB_OK)
                    return cb_err_set(err, CB_ERR_NOMEM, "out of memory");
            return CB_OK;
        }
        fprintf(out(), "** Error - Invalid selection **\n");
        fflush(out());
    }
}

int display_notify_pause(const char *msg, int framed, struct cb_err *err)
{
    char *ans = NULL;
    int r;

    /* Unwrapped: the manual plugin's instructions are laid out already
     * (Certbot passes wrap=False). */
    display_notification(msg, framed, 0);
    if (noninteractive() || !can_interact())
        return CB_OK;
    r = read_answer("Press Enter to Continue", &ans, err);
    free(ans);
    return r;
}
