/* plugin_probe DIR...: run the core's loader over DIRs (in order, as the
 * search path) and print one line per plugin:
 *     <name>\tok\t<path>            loaded and valid
 *     <name>\tbroken\t<reason>      recorded as broken
 * A fatal loader error prints "fatal\t<message>" and exits 1.
 * The shell tests use it to show that a plugin built out of tree loads into
 * an already built core (no relinking). */
#include <stdio.h>

#include "plugin/loader.h"

int main(int argc, char **argv)
{
    struct plugin_registry *reg = NULL;
    struct cb_err err = {0};
    int r;

    if (argc < 2) {
        fprintf(stderr, "usage: plugin_probe DIR...\n");
        return 2;
    }
    r = plugin_registry_load_dirs((const char *const *)argv + 1,
                                  (size_t)argc - 1, &reg, &err);
    if (r != CB_OK) {
        printf("fatal\t%s\n", cb_err_msg(&err));
        return 1;
    }
    for (size_t i = 0; i < reg->n; i++) {
        const struct plugin *p = &reg->items[i];

        if (p->broken)
            printf("%s\tbroken\t%s\n", p->name, p->broken);
        else
            printf("%s\tok\t%s\n", p->name, p->path);
    }
    plugin_registry_free(reg);
    return 0;
}
