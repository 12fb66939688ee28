/* Shared by the cli/ files only: the option registry built from flags.def
 * plus registered plugin options, the dest registry behind struct
 * cb_config, and the cli.ini reader.
 *
 * Ownership: the registries are process-wide and live until exit (like
 * the plugin tables they point into); lookups return borrowed pointers. */
#ifndef CB_CLI_INTERNAL_H
#define CB_CLI_INTERNAL_H

#include <stddef.h>

#include "cli/config.h"
#include "util/err.h"
#include "util/strvec.h"

enum cli_action {
    CLI_ACT_STORE = 1,    /* one value */
    CLI_ACT_STORE_TRUE,
    CLI_ACT_STORE_FALSE,
    CLI_ACT_COUNT,        /* -v */
    CLI_ACT_APPEND,       /* one value added to a list (plugin LIST) */
    CLI_ACT_APPEND_CONST, /* --authenticators: adds the row's const */
    CLI_ACT_DOMAINS,      /* comma list through domains_add */
    CLI_ACT_IP,           /* comma list through ip_address_add */
    CLI_ACT_PREF_CHALLS,  /* comma list, http -> http-01, dns -> dns-01 */
    CLI_ACT_DEPLOY_HOOK,  /* sets deploy_hook and renew_hook */
    CLI_ACT_RENEW_HOOK,
    CLI_ACT_REASON,       /* case-insensitive choice stored as its code */
    CLI_ACT_DEPRECATED,   /* warns "Use of --x is deprecated." */
    CLI_ACT_VERSION,
    CLI_ACT_HELP,
    CLI_ACT_CONFIG,       /* -c FILE: read before argv (ini.c) */
};

enum cli_check {
    CLI_CHK_NONE = 0,
    CLI_CHK_INT,          /* argparse type=int */
    CLI_CHK_NONNEG,       /* Certbot's nonnegative_int */
    CLI_CHK_PATH,         /* made absolute */
    CLI_CHK_CSR,          /* absolute, and must be readable */
    CLI_CHK_UA_COMMENT,   /* no parentheses */
};

#define CLI_F_HIDDEN 0x01u
#define CLI_F_RENEWAL 0x02u
#define CLI_F_SECRET 0x04u
#define CLI_F_PER_DOMAIN 0x08u /* list option remembers the -d count */

#define CLI_MAX_STRS 4

struct cli_opt {
    /* option strings with dashes, in help/error order: "-d",
     * "--domains", "--domain" for core flags; plugin flags put their
     * short name last, as Certbot's plugins do ("--webroot-path", "-w") */
    char *strs[CLI_MAX_STRS];
    size_t nstrs;
    const char *dest;
    enum cli_action action;
    enum cli_check check;
    const char *dflt;
    const char *metavar;   /* never NULL once registered */
    const char *choices;   /* '|' separated, or NULL */
    const char *topics;    /* '|' separated group ids */
    unsigned flags;
    const char *help;
    const char *plugin;    /* owning plugin name, NULL for core flags */
    int dest_id;
};

struct cli_dest {
    const char *name;
    enum config_type type;
    const char *dflt;
    unsigned flags;        /* CLI_F_RENEWAL, CLI_F_SECRET, CLI_F_PER_DOMAIN */
    const char *plugin;    /* plugin whose option it is, or NULL */
    int known;             /* 0 for dests invented by config_set */
    const char *dflt_list[2]; /* dflt as a one-element list (LIST dests) */
};

struct cli_plugin_group {
    const char *name;
    const char *description;
};

/* Option registry (optreg.c).  Built from flags.def on first use. */
size_t cli_opt_count(void);
const struct cli_opt *cli_opt_at(size_t i);
/* Plugin groups in registration order. */
size_t cli_plugin_group_count(void);
const struct cli_plugin_group *cli_plugin_group_at(size_t i);
int cli_plugin_group_known(const char *name);

/* Dest registry (optreg.c). */
size_t cli_dest_count(void);
const struct cli_dest *cli_dest_at(size_t i);
int cli_dest_find(const char *name);       /* index or -1 */
int cli_dest_intern(const char *name);     /* find or add an unknown STR */

/* Editing helpers for parse.c (config.c).  config_list_edit marks the
 * list as set with origin and returns it for appending (borrowed). */
struct strvec *config_list_edit(struct cb_config *cfg, const char *dest,
                                enum config_origin origin);
/* Record, for the last element of dest, a mark (the -d count). */
int config_list_mark_last(struct cb_config *cfg, const char *dest,
                          size_t mark);

/* Verbs (optreg.c, from flags.def CB_VERB rows). */
struct cli_verb {
    const char *name;
    const char *short_help;
    const char *usage;     /* NULL: the general usage */
};
size_t cli_verb_count(void);
const struct cli_verb *cli_verb_at(size_t i);
const struct cli_verb *cli_verb_find(const char *name);

/* Help sections (optreg.c, from flags.def CB_GROUP rows). */
struct cli_group {
    const char *id;
    const char *topic;
    const char *title;
    const char *description;
};
size_t cli_group_count(void);
const struct cli_group *cli_group_at(size_t i);
const struct cli_group *cli_group_find(const char *id);

/* The usage block argparse prints above errors and help. */
extern const char cli_short_usage[];

/* Paths: Python's os.path.abspath (cwd join + normpath, no symlink
 * resolution).  Caller frees; NULL on ENOMEM. */
char *cli_abspath(const char *path);

/* cli.ini (ini.c).  One file's items in file order; a key given twice
 * keeps its first position and its last value, as ConfigArgParse does. */
struct ini_item {
    char *key;
    char *value;           /* the text, or NULL when is_list */
    struct strvec list;    /* [a, b] syntax */
    int is_list;
};
struct ini_file {
    char *path;
    struct ini_item *items;
    size_t n;
};
/* missing_ok: default files may be absent; -c files may not.  Errors are
 * CB_ERR_USAGE with argparse's wording (without the usage block). */
int ini_read(const char *path, int missing_ok, struct ini_file *out,
             struct cb_err *err);
void ini_file_clear(struct ini_file *f);
/* The default files, lowest priority first: the system file
 * (CERTBOT_SYSTEM_CLI_INI overrides /etc/letsencrypt/cli.ini) and
 * $XDG_CONFIG_HOME/letsencrypt/cli.ini. */
int ini_default_paths(struct strvec *out);

#endif
