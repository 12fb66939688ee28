/* The certbot plugin ABI, version 1.
 *
 * A plugin is a shared object named <name>.so that exports exactly one data
 * symbol, certbot_plugin_desc, defined with CB_PLUGIN_DEFINE.  Because the
 * entry is data, listing plugins and parsing options run no plugin code.
 *
 * Ownership: the descriptor, option table and ops tables are static data
 * of the plugin and live for the process.  ctx is created by create() and
 * freed by destroy(), which the core calls exactly once per successful
 * create.  Everything the core passes is borrowed; everything the plugin
 * hands to the core is static or copied by the core. */
#ifndef CERTBOT_PLUGIN_H
#define CERTBOT_PLUGIN_H

#include "abi.h"
#include "status.h"
#include "options.h"
#include "host.h"
#include "authenticator.h"
#include "installer.h"
#include "dns.h"

enum cb_plugin_flags {
    CB_PLUGIN_HIDDEN = 1u << 0, /* not listed by `certbot plugins` or menus */
};

struct cb_plugin_desc {
    /* Frozen across all majors: the loader reads only these three before
     * deciding whether it understands the rest. */
    uint32_t abi_major, abi_minor, struct_size;

    uint32_t flags;        /* enum cb_plugin_flags */
    uint32_t option_size;  /* sizeof(struct cb_option): the stride of options */
    const char *name;      /* "dns-example"; the file must be dns-example.so */
    const char *version;
    const char *description;
    const char *more_info;
    const struct cb_option *options; /* NULL or ends with CB_OPTION_END */
    int (*create)(const struct cb_host *host, struct cb_handle *h, void **ctx);
    void (*destroy)(void *ctx);
    const struct cb_authenticator *authenticator; /* any may be NULL, not all */
    const struct cb_installer *installer;
    const struct cb_dns_provider *dns;
};

#define CB_PLUGIN_SYMBOL "certbot_plugin_desc"

#define CB_PLUGIN_DEFINE(...)                                                 \
    CB_EXPORT const struct cb_plugin_desc certbot_plugin_desc = {             \
        .abi_major = CB_ABI_MAJOR,                                            \
        .abi_minor = CB_TARGET_ABI_MINOR,                                     \
        .struct_size = sizeof(struct cb_plugin_desc),                         \
        .option_size = sizeof(struct cb_option),                              \
        __VA_ARGS__}

#endif
