/* Plugin discovery (DESIGN 3.3, 3.7): scan $CERTBOT_PLUGIN_PATH (colon
 * separated) then PLUGINDIR for <name>.so files, dlopen each with
 * RTLD_NOW | RTLD_LOCAL, check the frozen prefix of certbot_plugin_desc
 * (major ==, minor <=), validate the descriptor.  A file that fails is
 * recorded with its reason (PAM-style) instead of failing every command.
 * Modules stay resident (no dlclose).
 *
 * Ownership: the registry owns its entries; descriptors are the plugins'
 * static data. */
#ifndef CB_PLUGIN_LOADER_H
#define CB_PLUGIN_LOADER_H

#include <stddef.h>
#include <certbot/plugin.h>

#include "util/err.h"

struct plugin {
    char *name;                        /* from the file name */
    char *path;                        /* absolute .so path */
    const struct cb_plugin_desc *desc; /* NULL when broken */
    char *broken;                      /* "plugin <path>: <reason>", or NULL */
};

struct plugin_registry {
    struct plugin *items;              /* sorted by name */
    size_t n;
};

/* Never fails for a bad plugin file (it is recorded and warned about);
 * fails for two files with the same name in one directory... and for
 * "Duplicate plugin name X from A and B." only when both are in the same
 * search directory (an earlier directory shadows a later one). */
int plugin_registry_load(struct plugin_registry **out, struct cb_err *err);
/* The same over an explicit directory list (tests, and callers that want
 * no environment lookup).  Earlier directories shadow later ones. */
int plugin_registry_load_dirs(const char *const *dirs, size_t ndirs,
                              struct plugin_registry **out,
                              struct cb_err *err);
/* Append the search path ($CERTBOT_PLUGIN_PATH entries, then PLUGINDIR)
 * to dirs (copied). */
struct strvec;
int plugin_search_path(struct strvec *dirs);
void plugin_registry_free(struct plugin_registry *reg);
/* Register every loaded plugin's options with the CLI
 * (cli_add_plugin_options), plus the core-provided
 * --<name>-propagation-seconds of plugins that only have a dns table.
 * Call once, after loading and before cli_parse.  A plugin whose options
 * clash with a core or earlier plugin flag is marked broken (with a
 * WARNING) rather than failing every command (DESIGN 3.3 rule 5); only
 * ENOMEM fails.  Lives in plugin/options.c so the loader alone does not
 * need cli/. */
int plugin_registry_add_options(struct plugin_registry *reg,
                                struct cb_err *err);
/* Entry by name (broken ones included) or NULL. */
struct plugin *plugin_find(const struct plugin_registry *reg,
                           const char *name);

int plugin_is_authenticator(const struct plugin *p); /* auth or dns table */
int plugin_is_installer(const struct plugin *p);
int plugin_is_hidden(const struct plugin *p);

#endif
