/* Prompts and notifications: -n defaults and MissingCommandlineFlag text,
 * the no-terminal fallback, and the interactive renderings (SPEC 4.14,
 * 4.17; A-318..A-329 where no terminal is needed). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"

#include "util/display.h"
#include "util/log.h"
#include "util/strvec.h"

static struct cb_err err;
static FILE *out;
static int in_pipe[2] = {-1, -1};

static void setup(int noninteractive, int force, int quiet, const char *input)
{
    struct display_opts o = {noninteractive, force, quiet};

    if (out)
        fclose(out);
    out = tmpfile();
    if (in_pipe[0] >= 0)
        close(in_pipe[0]);
    if (pipe(in_pipe) == 0) {
        if (input)
            (void)!write(in_pipe[1], input, strlen(input));
        close(in_pipe[1]);
    }
    display_init(&o);
    display_set_io(in_pipe[0], out);
    cb_err_reset(&err);
}

static char *output(void)
{
    static char buf[8192];
    size_t n;

    fflush(out);
    rewind(out);
    n = fread(buf, 1, sizeof(buf) - 1, out);
    buf[n] = '\0';
    return buf;
}

static int saved_fd = -1;
static char cap_path[64];

static void capture_start(void)
{
    int fd;

    snprintf(cap_path, sizeof(cap_path), "/tmp/test_display.XXXXXX");
    fd = mkstemp(cap_path);
    fflush(stderr);
    saved_fd = dup(2);
    dup2(fd, 2);
    close(fd);
}

static char *capture_end(void)
{
    static char buf[4096];
    FILE *fp;
    size_t n;

    fflush(stderr);
    dup2(saved_fd, 2);
    close(saved_fd);
    fp = fopen(cap_path, "r");
    n = fp ? fread(buf, 1, sizeof(buf) - 1, fp) : 0;
    buf[n] = '\0';
    if (fp)
        fclose(fp);
    unlink(cap_path);
    return buf;
}

static int count(const char *hay, const char *needle)
{
    int n = 0;

    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

static void test_noninteractive(void)
{
    const char *items[] = {"Keep", "Renew"};
    struct strvec chosen = {0};
    size_t choice = 9;
    int answer = -1;
    char *text = NULL;

    setup(1, 0, 0, NULL);
    is_int(display_yesno("Delete?", NULL, NULL, 1, "--x", &answer, &err), 0,
           "-n yes/no with a default");
    is_int(answer, 1, "-n returns the default");
    is_int(display_yesno("Expand?", "Expand", "Cancel", -1, "--expand",
                         &answer, &err), CB_ERR_NONINTERACTIVE,
           "-n yes/no without a default fails");
    is_str(cb_err_msg(&err),
           "Missing command line flag or config entry for this setting:\n"
           "Expand?\n\n(You can set this with the --expand flag)",
           "A-328 MissingCommandlineFlag framing");
    cb_err_reset(&err);
    is_int(display_input("Enter email address or hit Enter to skip.",
                         "--email", &text, &err), CB_ERR_NONINTERACTIVE,
           "-n input fails");
    ok(text == NULL, "no answer on failure");
    cb_err_reset(&err);
    is_int(display_menu("What would you like to do?", items, 2, -1,
                        "--keep", &choice, &err), CB_ERR_NONINTERACTIVE,
           "-n menu without default fails");
    is_str(cb_err_msg(&err),
           "Missing command line flag or config entry for this setting:\n"
           "What would you like to do?\nChoices: ['Keep', 'Renew']\n\n"
           "(You can set this with the --keep flag)",
           "A-328 menu error lists the choices");
    is_int(display_menu("Pick", items, 2, 0, NULL, &choice, &err), 0,
           "-n menu with a default");
    is_int(choice, 0, "menu default index");
    cb_err_reset(&err);
    is_int(display_checklist("Which certificate(s)?", items, 2,
                             "--cert-name", &chosen, &err),
           CB_ERR_NONINTERACTIVE, "-n checklist fails");
    ok(strstr(cb_err_msg(&err), "Which certificate(s)?\nKeep? Renew?\n\n") !=
       NULL, "checklist error lists the tags");
    cb_err_reset(&err);
    display_yesno("No flag here?", NULL, NULL, -1, NULL, &answer, &err);
    is_str(cb_err_msg(&err),
           "Missing command line flag or config entry for this setting:\n"
           "No flag here?", "no flag: no '(You can set this...)' line");
    ok(!display_is_interactive(), "-n is not interactive");
    is_str(output(), "", "-n prompts print nothing");
    strvec_clear(&chosen);
}

static void test_no_terminal(void)
{
    const char *warn;
    int answer = -1;

    setup(0, 0, 0, "y\n");
    capture_start();
    display_yesno("First?", NULL, NULL, 0, NULL, &answer, &err);
    display_yesno("Second?", NULL, NULL, 1, NULL, &answer, &err);
    warn = capture_end();
    is_int(answer, 1, "A-327 no terminal: the default is used");
    is_int(count(warn, "Skipped user interaction because Certbot doesn't "
                       "appear to be running in a terminal. You should "
                       "probably include --non-interactive or "
                       "--force-interactive on the command line."), 1,
           "A-327 the warning is printed once");
    is_int(display_yesno("Agree?", NULL, NULL, -1, "--agree-tos", &answer,
                         &err), CB_ERR_NONINTERACTIVE,
           "no terminal and no default fails");
    is_str(cb_err_msg(&err), "Unable to get an answer for the question:\n"
           "Agree?\nYou can provide an answer on the command line with the "
           "--agree-tos flag.", "no terminal message");
    ok(!display_is_interactive(), "pipes are not a terminal");
}

static void test_interactive(void)
{
    const char *items[] = {"first", "second", "third"};
    struct strvec chosen = {0};
    size_t choice = 9;
    int answer = -1;
    char *text = NULL;
    char frame_line[100];

    snprintf(frame_line, sizeof(frame_line), "\n%s\n", display_frame);
    is_int(strlen(display_frame), 79, "frame is 79 characters");

    setup(0, 1, 0, "maybe\nY\n");
    ok(display_is_interactive(), "--force-interactive is interactive");
    is_int(display_yesno("Do you agree?", NULL, NULL, -1, NULL, &answer,
                         &err), 0, "yes/no answered");
    is_int(answer, 1, "Y means yes (after an unclear answer)");
    ok(strstr(output(), frame_line) != NULL, "yes/no question is framed");
    is_int(count(output(), "(Y)es/(N)o: "), 2,
           "yes/no prompt rendered, asked again after 'maybe'");

    setup(0, 1, 0, "c\n");
    display_yesno("Expand?", "Expand", "Cancel", -1, NULL, &answer, &err);
    is_int(answer, 0, "custom labels: c is Cancel");
    ok(strstr(output(), "(E)xpand/(C)ancel: ") != NULL, "custom label prompt");

    setup(0, 1, 0, "x\n7\n2\n");
    is_int(display_menu("How would you like to authenticate?", items, 3, -1,
                        NULL, &choice, &err), 0, "menu answered");
    is_int(choice, 1, "menu returns the 0-based index");
    ok(strstr(output(), "\nHow would you like to authenticate?\n") &&
       strstr(output(), "\n1: first\n2: second\n3: third\n"),
       "menu lists numbered items");
    ok(strstr(output(), "Select the appropriate number [1-3] then [enter] "
              "(press 'c' to cancel): ") != NULL, "menu prompt text");
    is_int(count(output(), "** Invalid input **"), 2, "bad answers re-ask");

    setup(0, 1, 0, "1\n");
    display_menu("Only one", items, 1, -1, NULL, &choice, &err);
    ok(strstr(output(), "Press 1 [enter] to confirm the selection (press 'c' "
              "to cancel): ") != NULL, "one-item menu prompt");

    setup(0, 1, 0, "C\n");
    is_int(display_menu("Menu", items, 3, -1, NULL, &choice, &err),
           CB_ERR_CANCELLED, "c cancels a menu");

    setup(0, 1, 0, "a.test b.test\n");
    is_int(display_input("Please enter the domain name(s)", NULL, &text,
                         &err), 0, "input answered");
    is_str(text, "a.test b.test", "input text returned");
    free(text);
    text = NULL;
    ok(strstr(output(), "Please enter the domain name(s) (Enter 'c' to "
              "cancel): ") != NULL, "input prompt suffix");
    setup(0, 1, 0, "c\n");
    is_int(display_input("Email?", NULL, &text, &err), CB_ERR_CANCELLED,
           "A-318 'c' cancels input");
    setup(0, 1, 0, "");
    ok(display_input("Email?", NULL, &text, &err) < 0,
       "closed stdin is an error, not a hang");

    setup(0, 1, 0, "\n");
    is_int(display_checklist("Which?", items, 3, NULL, &chosen, &err), 0,
           "checklist answered");
    is_int(chosen.n, 3, "blank checklist answer selects all");
    strvec_clear(&chosen);
    setup(0, 1, 0, "9\n3,1\n");
    display_checklist("Which?", items, 3, NULL, &chosen, &err);
    ok(chosen.n == 2 && strcmp(chosen.v[0], "third") == 0,
       "checklist picks in answer order after an invalid try");
    ok(strstr(output(), "** Error - Invalid selection **") != NULL,
       "invalid checklist answer reported");
    strvec_clear(&chosen);
}

static void test_notify(void)
{
    char want[300];
    char *wrapped;
    const char *longmsg =
        "Certbot failed to authenticate some domains (authenticator: "
        "standalone). The Certificate Authority reported these problems:";

    setup(0, 0, 0, NULL);
    display_notify("Hello", 1);
    snprintf(want, sizeof(want), "\n%s\nHello\n%s\n", display_frame,
             display_frame);
    is_str(output(), want, "framed notification");
    setup(0, 0, 0, NULL);
    display_notifyf(0, "Successfully received %s.", "certificate");
    is_str(output(), "Successfully received certificate.\n",
           "plain notification");
    setup(1, 0, 1, NULL);
    display_notify("quiet", 1);
    is_str(output(), "", "--quiet silences notifications");

    wrapped = display_wrap_lines(longmsg);
    is_str(wrapped, "Certbot failed to authenticate some domains "
           "(authenticator: standalone). The\nCertificate Authority "
           "reported these problems:", "wrap_lines fills to 80 columns");
    free(wrapped);
    wrapped = display_wrap_lines("a\n\n    indented line\nhttps://a-very-"
                                 "long-url-that-does-not-fit-on-one-line-"
                                 "at-all.example/path/and/more/path/segments");
    is_str(wrapped, "a\n\n    indented line\nhttps://a-very-long-url-that-"
           "does-not-fit-on-one-line-at-all.example/path/and/more/path/"
           "segments", "newlines, indentation and long words survive");
    free(wrapped);
    wrapped = display_fill("one two three four", 9, "  ", "  ");
    is_str(wrapped, "  one two\n  three\n  four", "display_fill with indent");
    free(wrapped);
}

int main(void)
{
    /* keep the skipped-interaction warning visible to the capture */
    log_set_console_level(CB_LOG_WARNING);
    test_noninteractive();
    test_no_terminal();
    test_interactive();
    test_notify();
    if (out)
        fclose(out);
    if (in_pipe[0] >= 0)
        close(in_pipe[0]);
    return done_testing();
}
