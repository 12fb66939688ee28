/* Plugin options into the CLI: see plugin_registry_add_options in
 * loader.h. */
#define LOG_COMPONENT "certbot._internal.plugins"

#include "plugin/loader.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/parse.h"
#include "plugin/dns.h"
#include "util/log.h"

#define MAX_OPTIONS 256

/* The tables built here must outlive parsing and every later lookup, like
 * the plugins' own static tables: they are kept for the process. */
struct kept {
    struct kept *next;
    char *dflt;
    struct cb_option opts[];
};
static struct kept *kept_tables;

static int has_option(const struct cb_plugin_desc *d, const char *name)
{
    const char *base = (const char *)d->options;

    for (size_t i = 0; base && i < MAX_OPTIONS; i++) {
        const struct cb_option *o =
            (const struct cb_option *)(const void *)(base + i * d->option_size);

        if (!o->name)
            break;
        if (strcmp(o->name, name) == 0)
            return 1;
    }
    return 0;
}

/* The plugin's options plus propagation-seconds, at our own stride. */
static int dns_table(const struct cb_plugin_desc *d, struct kept **out)
{
    const char *base = (const char *)d->options;
    size_t n = 0, copy = d->option_size < sizeof(struct cb_option)
                             ? d->option_size
                             : sizeof(struct cb_option);
    struct kept *k;

    while (base && n < MAX_OPTIONS &&
           ((const struct cb_option *)(const void *)(base + n * d->option_size))
               ->name)
        n++;
    k = calloc(1, sizeof(*k) + (n + 2) * sizeof(struct cb_option));
    if (!k)
        return CB_ERR_NOMEM;
    for (size_t i = 0; i < n; i++)
        memcpy(&k->opts[i], base + i * d->option_size, copy);
    if (asprintf(&k->dflt, "%u", d->dns->default_propagation_seconds) < 0) {
        free(k);
        return CB_ERR_NOMEM;
    }
    k->opts[n].name = PLUGIN_DNS_PROPAGATION_OPT;
    k->opts[n].type = CB_OPT_INT;
    k->opts[n].default_value = k->dflt;
    k->opts[n].help = "The number of seconds to wait for DNS to propagate "
                      "before asking the ACME server to verify the DNS "
                      "record.";
    /* opts[n + 1] stays zero: CB_OPTION_END. */
    *out = k;
    return CB_OK;
}

/* A clash makes the plugin broken, like any other descriptor error. */
static int mark_broken(struct plugin *p, const struct cb_err *why)
{
    char *reason = NULL;

    if (asprintf(&reason, "plugin %s: %s", p->path, cb_err_msg(why)) < 0)
        return CB_ERR_NOMEM;
    log_warning("%s", reason);
    free(p->broken);
    p->broken = reason;
    p->desc = NULL;
    return CB_OK;
}

int plugin_registry_add_options(struct plugin_registry *reg,
                                struct cb_err *err)
{
    static const struct cb_option none[] = {CB_OPTION_END};
    int r;

    for (size_t i = 0; reg && i < reg->n; i++) {
        struct plugin *p = &reg->items[i];
        const struct cb_plugin_desc *d = p->desc;
        struct cb_err why = {0};
        struct kept *k = NULL;

        if (!d)
            continue;
        if (!d->authenticator && d->dns &&
            !has_option(d, PLUGIN_DNS_PROPAGATION_OPT)) {
            r = dns_table(d, &k);
            if (r != CB_OK)
                return cb_err_set(err, r, "out of memory");
            k->next = kept_tables;
            kept_tables = k;
            r = cli_add_plugin_options(p->name, d->description, k->opts,
                                       sizeof(struct cb_option), &why);
        } else if (d->options) {
            r = cli_add_plugin_options(p->name, d->description, d->options,
                                       d->option_size, &why);
        } else {
            /* Still registered: --help <name> needs the description. */
            r = cli_add_plugin_options(p->name, d->description, none,
                                       sizeof(struct cb_option), &why);
        }
        if (r == CB_ERR_NOMEM)
            return cb_err_set(err, r, "out of memory");
        if (r != CB_OK && mark_broken(p, &why) != CB_OK)
            return cb_err_set(err, CB_ERR_NOMEM, "out of memory");
    }
    return CB_OK;
}
