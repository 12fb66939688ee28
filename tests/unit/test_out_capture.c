/* The output layer (issue 7): per-thread capture and replay of log
 * records and notifications, the log file buffer's flush rules, and log
 * rotation from one directory listing giving what probing every name
 * (RotatingFileHandler.doRollover) gives. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"

#include "util/display.h"
#include "util/log.h"
#include "util/out_capture.h"

static char dir[64] = "/tmp/test_out_capture.XXXXXX";
static char logfile[256], outfile[256], errfile[256];

static char *slurp(const char *path)
{
    static char buf[1 << 20];
    FILE *fp = fopen(path, "r");
    size_t n = fp ? fread(buf, 1, sizeof(buf) - 1, fp) : 0;

    buf[n] = '\0';
    if (fp)
        fclose(fp);
    return buf;
}

/* position of needle in the file (-1: absent) */
static long pos(const char *path, const char *needle)
{
    const char *text = slurp(path), *hit = strstr(text, needle);

    return hit ? (long)(hit - text) : -1;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

/* ---- capture ---- */

/* The worker captures, tells main, waits for main's go, captures more. */
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int stage;

static void wait_stage(int s)
{
    pthread_mutex_lock(&mu);
    while (stage < s)
        pthread_cond_wait(&cv, &mu);
    pthread_mutex_unlock(&mu);
}

static void set_stage(int s)
{
    pthread_mutex_lock(&mu);
    stage = s;
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mu);
}

static void *worker(void *arg)
{
    struct out_capture *c = arg;

    out_capture_begin(c);
    log_msg(CB_LOG_INFO, "certbot.worker", "thread record 1");
    log_msg(CB_LOG_WARNING, "certbot.worker", "thread warning");
    display_notify("thread line", 0);
    set_stage(1);
    wait_stage(2);
    log_msg(CB_LOG_DEBUG, "certbot.worker", "thread record 2");
    out_capture_end();
    log_msg(CB_LOG_DEBUG, "certbot.worker", "thread after end");
    return NULL;
}

static void *serial_worker(void *arg)
{
    out_capture_begin(arg);
    log_msg(CB_LOG_INFO, "certbot.worker", "serialized record");
    display_notify("serialized line", 1);
    out_capture_end();
    return NULL;
}

static void *dropper(void *arg)
{
    struct out_capture *c = out_capture_new();

    (void)arg;
    out_capture_begin(c);
    log_msg(CB_LOG_ERROR, "certbot.worker", "dropped record");
    display_notify("dropped line", 1);
    out_capture_end();
    out_capture_free(c);
    return NULL;
}

/* "YYYY-mm-dd HH:MM:SS,mmm" of the line holding needle */
static void stamp_of(const char *needle, char *out, size_t size)
{
    const char *text = slurp(logfile), *hit = strstr(text, needle);
    const char *line = hit;

    out[0] = '\0';
    if (!hit)
        return;
    while (line > text && line[-1] != '\n')
        line--;
    snprintf(out, size, "%.23s", line);
}

static void test_capture(void)
{
    struct cb_err err = {0};
    struct out_capture *c = out_capture_new();
    FILE *out = fopen(outfile, "w");
    int saved = dup(2), efd = open(errfile, O_WRONLY | O_CREAT | O_TRUNC,
                                   0600);
    char t_rec[32], t_main[32];
    pthread_t th;

    ok(c && out && saved >= 0 && efd >= 0, "capture: set up");
    fflush(stderr);
    dup2(efd, 2);
    close(efd);
    display_set_io(0, out);
    log_set_console_level(CB_LOG_WARNING);
    is_int(log_open(dir, 0, &err), 0, "capture: log_open");
    log_msg(CB_LOG_INFO, "certbot.main", "main record before");
    display_notify("main line before", 0);

    pthread_create(&th, NULL, worker, c);
    wait_stage(1);
    sleep_ms(20); /* the captured records' stamps are earlier */
    log_msg(CB_LOG_INFO, "certbot.main", "main record during");
    display_notify("main line during", 0);
    out_flush_all();
    ok(pos(logfile, "main record during") > pos(logfile, "main record before")
       && pos(logfile, "main record before") >= 0,
       "the main thread's records are not captured");
    ok(pos(outfile, "main line during") > pos(outfile, "main line before") &&
       pos(outfile, "main line before") >= 0,
       "the main thread's notifications are not captured");
    ok(pos(logfile, "thread record 1") < 0 &&
       pos(logfile, "thread warning") < 0 &&
       pos(logfile, "Notifying user: thread line") < 0,
       "captured records do not reach the log file");
    ok(pos(outfile, "thread line") < 0,
       "captured notifications do not reach stdout");
    ok(pos(errfile, "thread warning") < 0,
       "a captured warning does not reach stderr");
    set_stage(2);
    pthread_join(th, NULL);
    out_flush_all();
    ok(pos(logfile, "thread after end") >= 0,
       "after out_capture_end the thread writes directly again");
    ok(pos(logfile, "thread record 2") < 0, "... the capture still waits");

    log_msg(CB_LOG_INFO, "certbot.main", "main record after");
    display_notify("main line after", 0);
    out_capture_replay(c);
    out_flush_all();
    ok(pos(logfile, "main record after") >= 0 &&
       pos(logfile, "main record after") <
           pos(logfile, ":INFO:certbot.worker:thread record 1\n") &&
       pos(logfile, "thread record 1") <
           pos(logfile, ":WARNING:certbot.worker:thread warning\n") &&
       pos(logfile, "thread warning") <
           pos(logfile, "Notifying user: thread line\n") &&
       pos(logfile, "Notifying user: thread line") <
           pos(logfile, ":DEBUG:certbot.worker:thread record 2\n"),
       "replayed records follow what was written before, in order");
    ok(pos(outfile, "main line after") >= 0 &&
       pos(outfile, "main line after") < pos(outfile, "thread line\n"),
       "replayed notification follows the earlier stdout text");
    ok(strcmp(slurp(errfile), "thread warning\n") == 0,
       "replay shows the warning on stderr (terminal level at replay)");
    stamp_of("thread record 1", t_rec, sizeof(t_rec));
    stamp_of("main record during", t_main, sizeof(t_main));
    ok(t_rec[0] && t_main[0] && strcmp(t_rec, t_main) < 0,
       "replayed records keep their original timestamps");

    pthread_create(&th, NULL, dropper, NULL);
    pthread_join(th, NULL);
    out_flush_all();
    ok(pos(logfile, "dropped record") < 0 && pos(outfile, "dropped") < 0 &&
       pos(errfile, "dropped") < 0,
       "out_capture_free drops what was captured");

    {
        struct out_capture *s = out_capture_new(), *back;
        char *bytes = NULL;
        size_t len = 0;

        pthread_create(&th, NULL, serial_worker, s);
        pthread_join(th, NULL);
        ok(out_capture_serialize(s, &bytes, &len) == 0 && len > 0,
           "out_capture_serialize");
        out_capture_free(s);
        ok(out_capture_deserialize(bytes, len - 1) == NULL,
           "truncated bytes are refused");
        back = out_capture_deserialize(bytes, len);
        ok(back != NULL, "out_capture_deserialize");
        log_msg(CB_LOG_INFO, "certbot.main", "before serialized replay");
        out_capture_replay(back);
        out_flush_all();
        ok(pos(logfile, "before serialized replay") >= 0 &&
           pos(logfile, "before serialized replay") <
               pos(logfile, ":INFO:certbot.worker:serialized record\n"),
           "a deserialized capture replays its records");
        ok(pos(outfile, display_frame) >= 0 &&
           strstr(slurp(outfile), "serialized line\n") != NULL,
           "... and its notifications");
        free(bytes);
    }

    log_close();
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    display_set_io(0, NULL);
    fclose(out);
    unlink(outfile);
    unlink(errfile);
    unlink(logfile);
}

/* ---- the file buffer ---- */

static void test_buffer(void)
{
    struct cb_err err = {0};

    log_set_console_level(CB_LOG_ERROR + 20);
    is_int(log_open(dir, 0, &err), 0, "buffer: log_open");
    sleep_ms(150);
    log_msg(CB_LOG_DEBUG, "certbot", "first");
    ok(pos(logfile, "first") >= 0,
       "a record long after the last flush is written at once");
    log_msg(CB_LOG_DEBUG, "certbot", "second");
    log_msg(CB_LOG_WARNING, "certbot", "warned");
    ok(pos(logfile, ":DEBUG:certbot:second\n") >= 0 &&
       pos(logfile, "second") < pos(logfile, ":WARNING:certbot:warned\n"),
       "a warning flushes itself and what came before");
    log_msg(CB_LOG_DEBUG, "certbot", "third");
    sleep_ms(150);
    log_msg(CB_LOG_DEBUG, "certbot", "fourth");
    ok(pos(logfile, ":DEBUG:certbot:third\n") >= 0 &&
       pos(logfile, ":DEBUG:certbot:fourth\n") >= 0,
       "a record 100 ms after the last flush flushes");
    for (int i = 0; i < 2000; i++)
        log_msg(CB_LOG_DEBUG, "certbot", "bulk %04d %0200d", i, 0);
    log_flush();
    ok(pos(logfile, "bulk 1999") > pos(logfile, "bulk 0000") &&
       pos(logfile, "bulk 0000") >= 0, "log_flush writes the rest");
    log_close();
    unlink(logfile);
}

/* stdout into a file: a burst stays buffered, a lone line goes out */
static void test_stdout(void)
{
    FILE *out = fopen(outfile, "w");
    struct timespec t0, t1;
    char big[3000];

    memset(big, 'b', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    display_set_io(0, out);
    sleep_ms(150);
    display_notify("lone line", 0);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    ok(pos(outfile, "lone line\n") == 0,
       "stdout: a notification 100 ms after the last flush is written");
    display_notify(big, 0);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    /* (a machine that stalled 100 ms between the two proves nothing) */
    ok(pos(outfile, "bbbb") < 0 ||
       (t1.tv_sec - t0.tv_sec) * 1000000000L + (t1.tv_nsec - t0.tv_nsec) >=
           90000000L,
       "stdout: one right after it waits in the buffer");
    out_flush_all();
    ok(pos(outfile, "bbbb") > 0, "stdout: out_flush_all writes it");
    display_set_io(0, NULL);
    fclose(out);
    unlink(outfile);
}

/* ---- two threads at once ---- */

static void *spammer(void *arg)
{
    const char *who = arg;

    for (int i = 0; i < 3000; i++) {
        log_msg(CB_LOG_DEBUG, "certbot.t", "%s record %04d %s", who, i,
                "padding padding padding padding padding padding");
        if (i % 100 == 0)
            display_notify(who, 0);
    }
    return NULL;
}

static void test_threads(void)
{
    struct cb_err err = {0};
    FILE *out = fopen(outfile, "w");
    pthread_t a, b;
    int whole = 1, na = 0, nb = 0, nn = 0;

    unlink(logfile);
    log_set_console_level(CB_LOG_ERROR + 20);
    display_set_io(0, out);
    is_int(log_open(dir, 0, &err), 0, "threads: log_open");
    pthread_create(&a, NULL, spammer, "alpha");
    pthread_create(&b, NULL, spammer, "beta");
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    log_close();
    out_flush_all();
    for (const char *p = slurp(logfile); *p;) {
        size_t len = strcspn(p, "\n");
        char line[256];
        int i;

        snprintf(line, sizeof(line), "%.*s", (int)len, p);
        if (strstr(line, ":Notifying user: ")) {
            /* (records of earlier tests, kept while no log was open) */
            nn += strstr(line, "user: alpha") || strstr(line, "user: beta");
        } else {
            if (sscanf(line + 23, ":DEBUG:certbot.t:alpha record %d", &i) ==
                1)
                na++;
            else if (sscanf(line + 23, ":DEBUG:certbot.t:beta record %d",
                            &i) == 1)
                nb++;
            else
                whole = 0;
            if (!strstr(line, " padding padding padding padding padding "
                              "padding"))
                whole = 0;
        }
        p += len + (p[len] == '\n');
    }
    ok(whole && na == 3000 && nb == 3000 && nn == 60,
       "two threads logging at once: every record whole, none lost");
    display_set_io(0, NULL);
    fclose(out);
    {
        const char *t = slurp(outfile);
        int lines = 0;

        for (; *t; t++)
            lines += *t == '\n';
        is_int(lines, 60, "two threads notifying at once: every line");
    }
    unlink(outfile);
    unlink(logfile);
}

/* ---- formatting: the same bytes whatever path a record takes ---- */

static void test_format(void)
{
    struct cb_err err = {0};
    static char big[100000], want[100100], longname[400];
    const char *text;

    memset(big, 'x', sizeof(big) - 1);
    memset(longname, 'n', sizeof(longname) - 1);
    log_set_console_level(CB_LOG_ERROR + 20);
    unlink(logfile);
    is_int(log_open(dir, 0, &err), 0, "format: log_open");
    log_msg(CB_LOG_DEBUG, "certbot.a", "text %s and %s, 100%% %s", "one",
            "two", "done");
    log_msg(CB_LOG_INFO, "certbot.b", "%d %5s|%-3s|%.2s %ld %c %x", -7, "ab",
            "c", "xyz", 123456789L, 'q', 255U);
    log_msg(CB_LOG_DEBUG, "certbot.c", "%s", big);
    log_msg(15, "certbot.d", "custom level");
    log_msg(CB_LOG_DEBUG, longname, "long logger");
    log_msg(CB_LOG_DEBUG, NULL, "no logger %s", "");
    log_close();
    text = slurp(logfile);
    ok(strstr(text, ":DEBUG:certbot.a:text one and two, 100% done\n") != NULL,
       "%s and %% without printf");
    ok(strstr(text, ":INFO:certbot.b:-7    ab|c  |xy 123456789 q ff\n") !=
           NULL, "other conversions through vsnprintf");
    snprintf(want, sizeof(want), ":DEBUG:certbot.c:%s\n", big);
    ok(strstr(text, want) != NULL, "a record larger than the buffer");
    ok(strstr(text, ":Level 15:certbot.d:custom level\n") != NULL,
       "a level without a name");
    snprintf(want, sizeof(want), ":DEBUG:%s:long logger\n", longname);
    ok(strstr(text, want) != NULL, "a logger name longer than 256 bytes");
    ok(strstr(text, ":DEBUG:certbot:no logger \n") != NULL,
       "no logger name: certbot");
    unlink(logfile);
}

/* ---- textwrap: the rewritten filler against the previous one ---- */

/* The previous implementation (chunk array over a copy), kept as the
 * reference the streaming one must match byte for byte. */
struct ref_buf {
    char *s;
    size_t n, alloc;
};

static int ref_buf_add(struct ref_buf *b, const char *s, size_t len)
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

static int ref_buf_str(struct ref_buf *b, const char *s)
{
    return ref_buf_add(b, s, strlen(s));
}

struct ref_chunk {
    const char *p;
    size_t len;
    int space;
};

/* textwrap.TextWrapper._wrap_chunks with break_long_words=False,
 * break_on_hyphens=False, drop_whitespace=True. */
static int ref_fill_into(struct ref_buf *b, const char *text, size_t width,
                     const char *indent, const char *sub)
{
    struct ref_chunk *ch;
    size_t nch = 0, i = 0, len = strlen(text);
    int first = 1, r = 0;
    char *t = strdup(text);

    if (!t)
        return -1;
    /* replace_whitespace: tabs and the like become spaces */
    for (char *p = t; *p; p++)
        if (isspace((unsigned char)*p))
            *p = ' ';
    ch = calloc(len + 1, sizeof(*ch));
    if (!ch) {
        free(t);
        return -1;
    }
    for (const char *p = t; *p;) {
        size_t l = 0;
        int sp = *p == ' ';

        while (p[l] && (p[l] == ' ') == sp)
            l++;
        ch[nch].p = p;
        ch[nch].len = l;
        ch[nch].space = sp;
        nch++;
        p += l;
    }
    while (i < nch && r == 0) {
        const char *ind = first ? indent : sub;
        size_t w = width > strlen(ind) ? width - strlen(ind) : 1;
        size_t cur = 0, start, end;

        if (!first && ch[i].space)
            i++;
        start = i;
        while (i < nch && cur + ch[i].len <= w)
            cur += ch[i++].len;
        if (i < nch && ch[i].len > w && i == start)
            i++; /* a word longer than the line gets a line of its own */
        end = i;
        if (end > start && ch[end - 1].space)
            end--;
        if (end > start) {
            if (!first)
                r |= ref_buf_str(b, "\n");
            r |= ref_buf_str(b, ind);
            for (size_t k = start; k < end; k++)
                r |= ref_buf_add(b, ch[k].p, ch[k].len);
            first = 0;
        } else if (i == start) {
            break;
        }
    }
    free(ch);
    free(t);
    return r;
}

static char *ref_display_fill(const char *text, size_t width,
                              const char *indent,
                              const char *subsequent_indent)
{
    struct ref_buf b = {0};

    if (ref_buf_str(&b, "") != 0 ||
        ref_fill_into(&b, text, width, indent ? indent : "",
                  subsequent_indent ? subsequent_indent : "") != 0) {
        free(b.s);
        return NULL;
    }
    return b.s;
}

static char *ref_display_wrap_lines(const char *msg)
{
    struct ref_buf b = {0};
    const char *p = msg;
    int r = ref_buf_str(&b, "");

    while (r == 0 && *p) {
        size_t len = strcspn(p, "\n");
        char *line = strndup(p, len);

        if (!line) {
            r = -1;
            break;
        }
        if (len && line[len - 1] == '\r')
            line[len - 1] = '\0';
        if (p != msg)
            r |= ref_buf_str(&b, "\n");
        r |= ref_fill_into(&b, line, 80, "", "");
        free(line);
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



static unsigned rnd_state = 12345;

static unsigned rnd(unsigned n)
{
    rnd_state = rnd_state * 1103515245u + 12345u;
    return (rnd_state >> 16) % n;
}

static void test_wrap(void)
{
    static const char *const pieces[] = {
        "a", "bb", "word", "longerword", " ", "  ", "\t", "\n", "\r",
        "\r\n", "\v", "\f", "x\xc2\xa0y", "-", "https://example.com/a/b",
        "supercalifragilisticexpialidocious", "\n\n"};
    static const char *const indents[] = {"", " ", "  * ", "0123456789"};
    int fill_same = 1, wrap_same = 1;
    char text[400];

    for (int k = 0; k < 20000; k++) {
        size_t n = 0, count = rnd(24);
        size_t width = 1 + rnd(40);
        const char *ind = indents[rnd(4)], *sub = indents[rnd(4)];
        char *a, *b;

        text[0] = '\0';
        for (size_t j = 0; j < count; j++) {
            const char *pc = pieces[rnd(sizeof(pieces) / sizeof(pieces[0]))];

            if (n + strlen(pc) + 1 >= sizeof(text))
                break;
            memcpy(text + n, pc, strlen(pc) + 1);
            n += strlen(pc);
        }
        a = display_fill(text, width, ind, sub);
        b = ref_display_fill(text, width, ind, sub);
        if (!a || !b || strcmp(a, b) != 0) {
            if (fill_same)
                printf("# fill differs for '%s' width %zu\n", text, width);
            fill_same = 0;
        }
        free(a);
        free(b);
        if (k % 2)  /* long lines for the 80 columns of wrap_lines */
            for (size_t j = 0; j + 1 < n; j += 1 + rnd(3))
                if (text[j] == ' ' && rnd(2))
                    text[j] = 'z';
        a = display_wrap_lines(text);
        b = ref_display_wrap_lines(text);
        if (!a || !b || strcmp(a, b) != 0) {
            if (wrap_same)
                printf("# wrap_lines differs for '%s'\n", text);
            wrap_same = 0;
        }
        free(a);
        free(b);
    }
    /* lines around 80 columns, a space anywhere or trailing */
    for (size_t len = 76; len <= 84; len++)
        for (size_t sp = 0; sp <= len; sp++) {
            char *a, *b;

            memset(text, 'w', len);
            text[len] = '\0';
            if (sp < len)
                text[sp] = ' ';
            a = display_wrap_lines(text);
            b = ref_display_wrap_lines(text);
            if (!a || !b || strcmp(a, b) != 0) {
                if (wrap_same)
                    printf("# wrap_lines differs for '%s'\n", text);
                wrap_same = 0;
            }
            free(a);
            free(b);
        }
    ok(fill_same, "display_fill gives the previous filler's bytes (20,000 "
       "random texts, widths, indents)");
    ok(wrap_same, "display_wrap_lines gives the previous bytes, its "
       "wraps-to-itself shortcut included");
}

/* ---- rotation ---- */

/* Certbot's doRollover(), name by name, with lstat as log.c uses. */
static int ref_rotate(const char *d, long max)
{
    char base[256], src[300], dst[300];
    struct stat st;
    int fd;

    snprintf(base, sizeof(base), "%s/letsencrypt.log", d);
    fd = open(base, O_WRONLY | O_CREAT | O_APPEND, 0666);
    if (fd < 0)
        return -1;
    close(fd);
    if (max > 0) {
        for (long i = max - 1; i > 0; i--) {
            snprintf(src, sizeof(src), "%s.%ld", base, i);
            snprintf(dst, sizeof(dst), "%s.%ld", base, i + 1);
            if (lstat(src, &st) == 0) {
                if (lstat(dst, &st) == 0)
                    unlink(dst);
                if (rename(src, dst) != 0)
                    return -1;
            }
        }
        snprintf(dst, sizeof(dst), "%s.1", base);
        if (lstat(dst, &st) == 0)
            unlink(dst);
        if (lstat(base, &st) == 0 && rename(base, dst) != 0)
            return -1;
    }
    fd = open(base, O_WRONLY | O_CREAT | O_APPEND, 0666);
    if (fd < 0)
        return -1;
    close(fd);
    return 0;
}

/* Layout spec: "name" regular file holding its name, "name/" a directory,
 * "name/x" a directory holding a file, "name@target" a symlink. */
static void make_layout(const char *d, const char *const *spec)
{
    char p[400];

    mkdir(d, 0700);
    for (size_t i = 0; spec[i]; i++) {
        const char *s = spec[i], *at = strchr(s, '@'), *sl = strchr(s, '/');

        if (at) {
            char name[64], target[64];

            snprintf(name, sizeof(name), "%.*s", (int)(at - s), s);
            snprintf(target, sizeof(target), "%s", at + 1);
            snprintf(p, sizeof(p), "%s/%s", d, name);
            if (symlink(target, p) != 0)
                perror("symlink");
        } else if (sl) {
            snprintf(p, sizeof(p), "%s/%.*s", d, (int)(sl - s), s);
            mkdir(p, 0700);
            if (sl[1]) {
                FILE *fp;

                snprintf(p, sizeof(p), "%s/%s", d, s);
                fp = fopen(p, "w");
                if (fp)
                    fclose(fp);
            }
        } else {
            FILE *fp;

            snprintf(p, sizeof(p), "%s/%s", d, s);
            fp = fopen(p, "w");
            if (fp) {
                fputs(s, fp);
                fclose(fp);
            }
        }
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "name=content|dir|->target" lines, sorted, into out */
static void describe(const char *d, char *out, size_t size)
{
    DIR *dh = opendir(d);
    struct dirent *de;
    char *names[200];
    size_t n = 0, used = 0;

    out[0] = '\0';
    while (dh && n < 200) {
        de = readdir(dh);
        if (!de)
            break;
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
            names[n++] = strdup(de->d_name);
    }
    if (dh)
        closedir(dh);
    qsort(names, n, sizeof(names[0]), cmp_str);
    for (size_t i = 0; i < n; i++) {
        char p[400], what[200] = "";
        struct stat st;

        snprintf(p, sizeof(p), "%s/%s", d, names[i]);
        if (lstat(p, &st) == 0 && S_ISLNK(st.st_mode)) {
            ssize_t l = readlink(p, what + 2, sizeof(what) - 3);

            what[0] = '-';
            what[1] = '>';
            what[l > 0 ? l + 2 : 2] = '\0';
        } else if (S_ISDIR(st.st_mode)) {
            snprintf(what, sizeof(what), "dir");
        } else {
            snprintf(what, sizeof(what), "%.100s", slurp(p));
        }
        used += (size_t)snprintf(out + used, used < size ? size - used : 0,
                                 "%s=%s\n", names[i], what);
        free(names[i]);
    }
}

static void rm_rf(const char *d)
{
    char cmd[300];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", d);
    if (system(cmd) != 0)
        fprintf(stderr, "rm -rf failed\n");
}

struct layout {
    const char *what;
    long max;
    const char *spec[12];
};

static const struct layout layouts[] = {
    {"first run, default 1000 backups", 1000, {NULL}},
    {"a log, no backups yet", 1000, {"letsencrypt.log", NULL}},
    {"full set: the oldest goes", 3,
     {"letsencrypt.log", "letsencrypt.log.1", "letsencrypt.log.2",
      "letsencrypt.log.3", NULL}},
    {"gaps, and a backup beyond max left alone", 5,
     {"letsencrypt.log", "letsencrypt.log.1", "letsencrypt.log.3",
      "letsencrypt.log.7", NULL}},
    {"names not spelt as %ld are not backups", 5,
     {"letsencrypt.log", "letsencrypt.log.01", "letsencrypt.log.1x",
      "letsencrypt.log.-1", "letsencrypt.log.2", "letsencrypt.log.",
      "other.1", NULL}},
    {"a directory among the backups moves too", 5,
     {"letsencrypt.log", "letsencrypt.log.1", "letsencrypt.log.2/",
      "letsencrypt.log.3", NULL}},
    {"a non-empty directory at the top stops the rotation", 3,
     {"letsencrypt.log", "letsencrypt.log.2", "letsencrypt.log.3/x", NULL}},
    {"a dangling symlink is a backup", 4,
     {"letsencrypt.log", "letsencrypt.log.1@nowhere", "letsencrypt.log.3",
      NULL}},
    {"one backup: .1 replaced", 1,
     {"letsencrypt.log", "letsencrypt.log.1", "letsencrypt.log.2", NULL}},
    {"no rotation with 0", 0,
     {"letsencrypt.log", "letsencrypt.log.1", NULL}},
    {"the top of 1000 present", 1000,
     {"letsencrypt.log", "letsencrypt.log.999", "letsencrypt.log.1000",
      "letsencrypt.log.1001", NULL}},
    {"a directory moves onto the top file (removed first)", 3,
     {"letsencrypt.log", "letsencrypt.log.2/", "letsencrypt.log.3", NULL}},
    {"an empty directory as .1 moves to .2", 2,
     {"letsencrypt.log", "letsencrypt.log.1/", NULL}},
};

static void test_rotation(void)
{
    static char got[8192], want[8192];

    log_set_console_level(CB_LOG_ERROR + 20);
    for (size_t k = 0; k < sizeof(layouts) / sizeof(layouts[0]); k++) {
        const struct layout *l = &layouts[k];
        struct cb_err err = {0};
        char a[128], b[128], name[200];
        int ra, rb;

        snprintf(a, sizeof(a), "%s/a%zu", dir, k);
        snprintf(b, sizeof(b), "%s/b%zu", dir, k);
        make_layout(a, l->spec);
        make_layout(b, l->spec);
        ra = log_open(a, l->max, &err) == 0 ? 0 : -1;
        log_close();
        rb = ref_rotate(b, l->max);
        describe(a, got, sizeof(got));
        describe(b, want, sizeof(want));
        snprintf(name, sizeof(name), "rotation: %s", l->what);
        if (!ok(ra == rb && strcmp(got, want) == 0, name))
            printf("# rc %d/%d\n# got:\n%s# want:\n%s", ra, rb, got, want);
        rm_rf(a);
        rm_rf(b);
    }
}

int main(void)
{
    umask(022);
    if (!mkdtemp(dir))
        return 1;
    snprintf(logfile, sizeof(logfile), "%s/letsencrypt.log", dir);
    snprintf(outfile, sizeof(outfile), "%s/stdout", dir);
    snprintf(errfile, sizeof(errfile), "%s/stderr", dir);
    test_rotation();
    test_buffer();
    test_stdout();
    test_threads();
    test_format();
    test_wrap();
    test_capture();
    rm_rf(dir);
    return done_testing();
}
