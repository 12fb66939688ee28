/* The core side of struct cb_host (DESIGN 3.4): one static services table
 * shared by every plugin, and one struct cb_handle per plugin instance
 * that carries the plugin's identity, the config it reads options from,
 * the message of the current call and two arenas for borrowed strings.
 *
 * Ownership: a handle borrows the plugin and the config (both outlive it)
 * and owns its arenas and its lazily created HTTP client.  Strings handed
 * to the plugin live in the call arena (freed when the next call begins)
 * or, for option/config/credential values, in the life arena (freed with
 * the handle, i.e. after destroy). */
#ifndef CB_PLUGIN_HOST_H
#define CB_PLUGIN_HOST_H

#include <certbot/plugin.h>

#include "cli/config.h"
#include "plugin/loader.h"
#include "util/err.h"
#include "util/strvec.h"

/* The opaque list plugins fill (get_all_names, supported_enhancements,
 * dns_base_domains); it wraps a vector the core owns. */
struct cb_strlist {
    struct strvec *v;
};

const struct cb_host *plugin_host_table(void);

int plugin_handle_new(const struct plugin *p, struct cb_config *cfg,
                      struct cb_handle **out, struct cb_err *err);
void plugin_handle_free(struct cb_handle *h);   /* NULL-safe */

/* Bracket every call into the plugin: begin frees the previous call's
 * borrowed strings and clears the recorded message; end turns the
 * plugin's return value into the core convention (a positive value is a
 * plugin bug and becomes CB_ERR_PLUGIN) and moves the message recorded by
 * fail() or by a failing service into err. */
void plugin_handle_begin(struct cb_handle *h);
int plugin_handle_end(struct cb_handle *h, int r, struct cb_err *err);

/* Copy s into the call arena (valid until the next begin); NULL on
 * ENOMEM or when s is NULL. */
const char *plugin_handle_borrow(struct cb_handle *h, const char *s);

/* The dest an option of this plugin is stored under:
 * "<plugin with - as _>_<opt with - as _>".  Caller frees. */
char *plugin_option_dest(const char *plugin, const char *opt);

#endif
