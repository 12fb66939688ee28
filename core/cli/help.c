/* --help output in the shape Certbot's HelpfulArgumentParser and argparse
 * give it: the framed overview, the framed subcommand list, and argparse
 * pages ("usage:" then sections) for all, a group, a verb or a plugin. */
#include "cli/help.h"
#include "cli/cli_internal.h"
#include "util/display.h"

#include <stdlib.h>
#include <string.h>

#define HELP_POSITION 24 /* argparse's max_help_position */

static const char overview_fmt[] =
    "The SUBCOMMANDS and flags used most often are:\n"
    "\n"
    "obtain, install, and renew certificates:\n"
    "    (default) run   Obtain a certificate and install it in your web "
    "server\n"
    "    certonly        Obtain or renew a certificate without installing "
    "it\n"
    "    renew           Renew every certificate that is close to expiry\n"
    "    enhance         Add security features to an existing "
    "configuration\n"
    "   -d DOMAINS       Comma-separated list of domains for the "
    "certificate\n"
    "\n"
    "  %s\n"
    "  --standalone      Prove control with a temporary web server of "
    "Certbot's own\n"
    "  %s\n"
    "  --webroot         Prove control by writing files into a web "
    "server's root\n"
    "  --manual          Prove control by hand or with your own hook "
    "scripts\n"
    "\n"
    "   -n               Run without asking questions\n"
    "  --test-cert       Get a test certificate from a staging server\n"
    "  --dry-run         Rehearse \"renew\" or \"certonly\" without saving "
    "anything\n"
    "\n"
    "manage certificates:\n"
    "    certificates    Show the certificates Certbot manages\n"
    "    revoke          Revoke a certificate (give --cert-name or "
    "--cert-path)\n"
    "    delete          Delete a certificate (give --cert-name)\n"
    "    reconfigure     Change how a certificate renews (give "
    "--cert-name)\n"
    "\n"
    "manage your account:\n"
    "    register        Create an ACME account\n"
    "    unregister      Deactivate an ACME account\n"
    "    update_account  Change an ACME account\n"
    "    show_account    Show the details of an ACME account\n"
    "  --agree-tos       Accept the ACME server's Subscriber Agreement\n"
    "   -m EMAIL         Address for important account notices\n";

static const char more_help[] =
    "\n"
    "More detailed help:\n"
    "\n"
    "  -h, --help [TOPIC]    print this text, or detailed help on one "
    "topic;\n"
    "                        the TOPICS are:\n"
    "\n"
    "   all, automation, commands, paths, security, testing, or any of the\n"
    "   subcommands or plugins (certonly, renew, install, register, nginx,\n"
    "   apache, standalone, webroot, etc.)\n"
    "  -h all                print every topic at once\n"
    "  --version             print the version number\n";

/* the manage section lists these subcommands as if they were arguments */
static const char *const manage_verbs[] = {
    "certificates", "delete", "renew", "revoke", "reconfigure", NULL,
};

struct out {
    char *s;
    size_t n, alloc;
    int failed;
};

static void put(struct out *o, const char *s)
{
    size_t len = strlen(s);

    if (o->failed)
        return;
    if (o->n + len + 1 > o->alloc) {
        size_t na = o->alloc ? o->alloc * 2 : 4096;
        char *ns;

        while (na < o->n + len + 1)
            na *= 2;
        ns = realloc(o->s, na);
        if (!ns) {
            o->failed = 1;
            return;
        }
        o->s = ns;
        o->alloc = na;
    }
    memcpy(o->s + o->n, s, len + 1);
    o->n += len;
}

static void put_take(struct out *o, char *s)
{
    if (!s)
        o->failed = 1;
    else
        put(o, s);
    free(s);
}

static int help_width(void)
{
    const char *cols = getenv("COLUMNS");
    long w = cols ? strtol(cols, NULL, 10) : 0;

    return (w > 20 ? (int)w : 80) - 2;
}

static char *overview(void)
{
    const char *apache = cli_plugin_group_known("apache")
        ? "--apache          Use the Apache plugin for authentication & "
          "installation"
        : "(the certbot apache plugin is not installed)";
    const char *nginx = cli_plugin_group_known("nginx")
        ? "--nginx           Use the Nginx plugin for authentication & "
          "installation"
        : "(the certbot nginx plugin is not installed)";
    char *text = NULL;

    if (asprintf(&text, overview_fmt, apache, nginx) < 0)
        return NULL;
    return text;
}

/* HelpfulArgumentParser's notify(): framed and wrapped at 80. */
static void put_framed(struct out *o, const char *body)
{
    char *wrapped = display_wrap_lines(body);

    put(o, "\n");
    put(o, display_frame);
    put(o, "\n");
    put_take(o, wrapped);
    put(o, "\n");
    put(o, display_frame);
    put(o, "\n");
}

static void put_commands(struct out *o)
{
    struct out body = {0};
    size_t longest = 0;
    const struct cli_verb *sorted[32];
    size_t n = cli_verb_count();

    put(&body, cli_short_usage);
    put(&body, "These are all the SUBCOMMANDS:\n\n");
    for (size_t i = 0; i < n && i < 32; i++) {
        size_t len = strlen(cli_verb_at(i)->name);

        sorted[i] = cli_verb_at(i);
        if (strcmp(sorted[i]->name, "run") == 0)
            len = strlen("run (default)");
        if (len > longest)
            longest = len;
    }
    for (size_t i = 0; i < n && i < 32; i++) {
        const char *name = strcmp(sorted[i]->name, "run") == 0
                               ? "run (default)" : sorted[i]->name;
        char *line = NULL;

        if (asprintf(&line, "%-*s     %s\n", (int)longest, name,
                     sorted[i]->short_help) < 0)
            line = NULL;
        put_take(&body, line);
    }
    put(&body, "\nFor the flags of one subcommand, run --help SUBCOMMAND\n");
    if (body.failed)
        o->failed = 1;
    else
        put_framed(o, body.s);
    free(body.s);
}

/* ---- argparse pages ---- */

/* The word --help takes for a group id: its topic, or the id itself
 * (plugin names). */
static const char *topic_of(const char *id)
{
    const struct cli_group *g = cli_group_find(id);

    return g ? g->topic : id;
}

/* HelpfulArgumentParser._add: which id a flag is listed under for this
 * help topic, or NULL when the page does not show it. */
static const char *chosen_id(const struct cli_opt *o, const char *topic,
                             char *buf, size_t size)
{
    const char *p = o->topics;
    size_t len;

    for (;;) {
        len = strcspn(p, "|");
        snprintf(buf, size, "%.*s", (int)len, p);
        if (strcmp(topic_of(buf), topic) == 0 ||
            (*buf == '\0' && strcmp(topic, "options") == 0))
            return buf;
        if (p[len] == '\0')
            break;
        p += len + 1;
    }
    len = strcspn(o->topics, "|");
    snprintf(buf, size, "%.*s", (int)len, o->topics);
    if (strcmp(topic, "all") == 0)
        return buf;
    return NULL;
}

/* Where the flag appears: a core section, else the top "options" one
 * (Certbot adds flags for plugin topics before plugin sections exist),
 * except plugin options, which have their own section. */
static const char *section_of(const struct cli_opt *o, const char *id)
{
    if (o->plugin)
        return o->plugin;
    return cli_group_find(id) ? id : "";
}

static char *invocation(const struct cli_opt *o, int takes_value)
{
    struct out s = {0};

    for (size_t i = 0; i < o->nstrs; i++) {
        if (i)
            put(&s, ", ");
        put(&s, o->strs[i]);
        if (takes_value) {
            put(&s, " ");
            put(&s, o->metavar);
        }
    }
    if (s.failed) {
        free(s.s);
        return NULL;
    }
    return s.s;
}

static int takes_value(const struct cli_opt *o)
{
    switch (o->action) {
    case CLI_ACT_STORE_TRUE:
    case CLI_ACT_STORE_FALSE:
    case CLI_ACT_COUNT:
    case CLI_ACT_APPEND_CONST:
    case CLI_ACT_DEPRECATED:
    case CLI_ACT_VERSION:
    case CLI_ACT_HELP:
        return 0;
    default:
        return 1;
    }
}

/* argparse's _format_action with our fixed 24-column help position. */
static void put_action(struct out *o, const char *inv, const char *help,
                       int width)
{
    int help_w = width - HELP_POSITION > 11 ? width - HELP_POSITION : 11;
    char *filled, pad[HELP_POSITION + 1];
    const char *line;
    int first = 1;

    memset(pad, ' ', HELP_POSITION);
    pad[HELP_POSITION] = '\0';
    put(o, "  ");
    put(o, inv);
    if (!help || !*help) {
        put(o, "\n");
        return;
    }
    if ((int)strlen(inv) <= HELP_POSITION - 4) {
        put(o, pad + 2 + strlen(inv));
    } else {
        put(o, "\n");
        put(o, pad);
    }
    filled = display_fill(help, (size_t)help_w, "", "");
    if (!filled) {
        o->failed = 1;
        return;
    }
    line = filled;
    while (*line) {
        size_t len = strcspn(line, "\n");
        char *one = strndup(line, len);

        if (!first)
            put(o, pad);
        put_take(o, one);
        put(o, "\n");
        first = 0;
        line += len;
        if (*line == '\n')
            line++;
    }
    free(filled);
}

static char *help_text(const struct cli_opt *o)
{
    const struct cli_dest *d = cli_dest_at((size_t)o->dest_id);
    const char *dflt = o->dflt;
    char *text = NULL;

    if (!o->help)
        return NULL;
    if (strstr(o->help, "(default:") || o->action == CLI_ACT_HELP ||
        o->action == CLI_ACT_VERSION)
        return strdup(o->help);
    /* Python prints None for unset values, [] for empty list defaults;
     * --authenticators/--installers default to None. */
    if (!dflt)
        dflt = d && d->type == CONFIG_T_LIST &&
                       o->action != CLI_ACT_APPEND_CONST
                   ? "[]" : "None";
    if (asprintf(&text, "%s (default: %s)", o->help, dflt) < 0)
        return NULL;
    return text;
}

static void put_description(struct out *o, const char *desc, int width)
{
    char *filled;

    if (!desc || !*desc)
        return;
    /* argparse fills descriptions to the width minus its indent */
    filled = display_fill(desc, (size_t)(width - 2), "  ", "  ");
    put_take(o, filled);
    put(o, "\n\n");
}

/* One section: its heading, description and the flags placed in it. */
static void put_section(struct out *o, const char *section_id,
                        const char *title, const char *desc,
                        const char *topic, int width)
{
    struct out body = {0};
    size_t n = cli_opt_count();
    char buf[64];

    if (strcmp(section_id, "manage") == 0) {
        for (size_t i = 0; manage_verbs[i]; i++) {
            const struct cli_verb *v = cli_verb_find(manage_verbs[i]);

            if (v)
                put_action(&body, v->name, v->short_help, width);
        }
    }
    for (size_t i = 0; i < n; i++) {
        const struct cli_opt *opt = cli_opt_at(i);
        const char *id;
        char *inv, *help;

        if (opt->flags & CLI_F_HIDDEN)
            continue;
        if (opt->action == CLI_ACT_HELP || opt->action == CLI_ACT_CONFIG) {
            /* argparse's own -h and ConfigArgParse's -c: always shown */
            if (*section_id)
                continue;
        } else {
            id = chosen_id(opt, topic, buf, sizeof(buf));
            if (!id || strcmp(section_of(opt, id), section_id) != 0)
                continue;
        }
        inv = invocation(opt, takes_value(opt));
        help = help_text(opt);
        if (!inv)
            body.failed = 1;
        else
            put_action(&body, inv, help, width);
        free(inv);
        free(help);
    }
    if (body.failed)
        o->failed = 1;
    if (body.n || (desc && *desc)) {
        put(o, "\n");
        put(o, title);
        put(o, ":\n");
        put_description(o, desc, width);
        if (body.s)
            put(o, body.s);
        put(o, "\n");
    }
    free(body.s);
}

static const char *normal_topic(const char *topic)
{
    if (strcmp(topic, "auth") == 0)
        return "certonly";
    if (strcmp(topic, "everything") == 0)
        return "run";
    return topic;
}

static int by_name(const void *a, const void *b)
{
    const struct cli_plugin_group *const *x = a, *const *y = b;

    return strcmp((*x)->name, (*y)->name);
}

static void put_page(struct out *o, const char *topic)
{
    const struct cli_verb *verb = cli_verb_find(topic);
    const char *t = normal_topic(topic);
    int width = help_width(), all = strcmp(t, "all") == 0;
    size_t np = cli_plugin_group_count();
    const struct cli_plugin_group **plugins;

    put(o, "usage: ");
    if (all) {
        char *ov = overview();

        put(o, cli_short_usage);
        put_take(o, ov);
    } else if (verb && verb->usage) {
        put(o, verb->usage);
    } else {
        put(o, cli_short_usage);
    }
    put(o, "\n\n");
    for (size_t i = 0; i < cli_group_count(); i++) {
        const struct cli_group *g = cli_group_at(i);

        /* the top section exists on every page, the others only when
         * their topic is asked for */
        if (*g->id && !all && strcmp(g->topic, t) != 0)
            continue;
        put_section(o, g->id, g->title, g->description, t, width);
    }
    plugins = calloc(np ? np : 1, sizeof(*plugins));
    if (!plugins) {
        o->failed = 1;
        return;
    }
    for (size_t i = 0; i < np; i++)
        plugins[i] = cli_plugin_group_at(i);
    qsort(plugins, np, sizeof(*plugins), by_name);
    for (size_t i = 0; i < np; i++)
        if (all || strcmp(plugins[i]->name, t) == 0)
            put_section(o, plugins[i]->name, plugins[i]->name,
                        plugins[i]->description, t, width);
    free(plugins);
}

/* argparse collapses blank-line runs and trims the ends. */
static void tidy(char *s)
{
    char *w = s;
    const char *r = s;
    int nl = 0;

    while (*r == '\n')
        r++;
    for (; *r; r++) {
        nl = *r == '\n' ? nl + 1 : 0;
        if (nl <= 2)
            *w++ = *r;
    }
    while (w > s && w[-1] == '\n')
        w--;
    *w++ = '\n';
    *w = '\0';
}

static int is_commands_topic(const char *t)
{
    return strcmp(t, "command") == 0 || strcmp(t, "commands") == 0 ||
           strcmp(t, "subcommand") == 0 || strcmp(t, "subcommands") == 0 ||
           strcmp(t, "verbs") == 0;
}

int cli_help(const struct cb_config *cfg, const char *topic, FILE *out)
{
    struct out o = {0};

    (void)cfg;
    if (!topic || !*topic) {
        char *ov = overview();
        struct out body = {0};

        put(&body, cli_short_usage);
        put_take(&body, ov);
        put(&body, more_help);
        if (!body.failed)
            put_framed(&o, body.s);
        free(body.s);
    } else if (is_commands_topic(topic)) {
        put_commands(&o);
    } else {
        put_page(&o, topic);
        if (!o.failed)
            tidy(o.s);
    }
    if (o.s && !o.failed)
        fputs(o.s, out);
    free(o.s);
    fflush(out);
    return 0;
}
