/* Plugin options declared as data (nginx's ngx_command_t idea).
 *
 * An option named "credentials" of plugin "dns-example" becomes the flag
 * --dns-example-credentials with dest dns_example_credentials; the same key
 * works in cli.ini and is saved to [renewalparams] when the user set it. */
#ifndef CERTBOT_OPTIONS_H
#define CERTBOT_OPTIONS_H

#include "abi.h"

enum cb_opt_type {
    CB_OPT_STRING = 1,
    CB_OPT_PATH = 2,   /* made absolute by the core */
    CB_OPT_INT = 3,
    CB_OPT_BOOL = 4,   /* a flag without argument: store true */
    CB_OPT_LIST = 5,   /* repeatable; values accumulate */
};

enum cb_opt_flags {
    CB_OPT_SECRET = 1u << 0,     /* never logged */
    CB_OPT_NOSAVE = 1u << 1,     /* not saved to the renewal conf */
    CB_OPT_PER_DOMAIN = 1u << 2, /* core records which -d flags follow it */
};

struct cb_option {
    const char *name;          /* without the plugin prefix; NULL ends a table */
    uint32_t type;             /* enum cb_opt_type */
    uint32_t flags;            /* enum cb_opt_flags */
    const char *metavar;
    const char *default_value; /* as text, parsed like argv; may be NULL */
    const char *help;
    char short_name;           /* builtins only (webroot's -w); 0 otherwise */
};

#define CB_OPTION_END { NULL, 0, 0, NULL, NULL, NULL, 0 }

#endif
