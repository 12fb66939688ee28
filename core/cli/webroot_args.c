/* Webroot arguments after parsing: see webroot_args.h. */
#include "cli/webroot_args.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "cli/domains.h"
#include "storage/fsutil.h"
#include "util/strvec.h"

#define PATH_DEST "webroot_path"
#define MAP_DEST "webroot_map"

static int check_dir(const char *path, struct cb_err *err)
{
    struct stat st;

    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
        return cb_err_set(err, CB_ERR_CONFIG,
                          "%s does not exist or is not a directory", path);
    return CB_OK;
}

/* map.setdefault(ident, path) */
static int map_default(json_t *map, const char *ident, const char *path)
{
    if (json_object_get(map, ident))
        return CB_OK;
    return json_object_set_new(map, ident, json_string(path)) == 0
               ? CB_OK
               : CB_ERR_NOMEM;
}

static int is_ip_literal(const char *s)
{
    unsigned char buf[16];

    return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
}

/* The trimmed piece [p, p+len). Caller frees. */
static char *trim_dup(const char *p, size_t len)
{
    char *s;

    while (len && isspace((unsigned char)*p)) {
        p++;
        len--;
    }
    while (len && isspace((unsigned char)p[len - 1]))
        len--;
    s = malloc(len + 1);
    if (!s)
        return NULL;
    memcpy(s, p, len);
    s[len] = '\0';
    return s;
}

/* Add one --webroot-map key's identifiers to domains/ips, mapping each
 * (normalised) to root; later keys override earlier mappings. */
static int add_key(json_t *map, const char *key, const char *root,
                   struct strvec *domains, struct strvec *ips,
                   struct cb_err *err)
{
    const char *p = key;
    int r = CB_OK;

    for (;;) {
        size_t len = strcspn(p, ",");
        char *piece = trim_dup(p, len);
        struct strvec one = {0};

        if (!piece)
            return cb_err_set(err, CB_ERR_NOMEM, "out of memory");
        if (piece[0]) {
            if (is_ip_literal(piece))
                r = ip_address_add(&one, piece, err);
            else
                r = domains_add(&one, piece, err);
        }
        if (r == CB_OK && one.n == 1) {
            struct strvec *dst = is_ip_literal(piece) ? ips : domains;

            if (!strvec_contains(dst, one.v[0]))
                r = strvec_push(dst, one.v[0]);
            if (r == CB_OK &&
                json_object_set_new(map, one.v[0], json_string(root)) != 0)
                r = CB_ERR_NOMEM;
            if (r == CB_ERR_NOMEM)
                r = cb_err_set(err, r, "out of memory");
        }
        strvec_clear(&one);
        free(piece);
        if (r != CB_OK || p[len] == '\0')
            return r;
        p += len + 1;
    }
}

static int apply_json(struct cb_config *cfg, json_t *map, const char *text,
                      struct cb_err *err)
{
    struct strvec domains = {0}, ips = {0};
    enum config_origin dorig = config_origin(cfg, "domains");
    enum config_origin iorig = config_origin(cfg, "ip_addresses");
    size_t nd = 0, ni = 0;
    const char *const *d = config_list(cfg, "domains", &nd);
    const char *const *ip = config_list(cfg, "ip_addresses", &ni);
    json_error_t jerr;
    json_t *in = json_loads(text, 0, &jerr);
    const char *key;
    json_t *val;
    int r = CB_OK;

    if (!in || !json_is_object(in)) {
        r = cb_err_set(err, CB_ERR_CONFIG,
                       "--webroot-map must be a JSON object, not %s", text);
        goto out;
    }
    for (size_t i = 0; r == CB_OK && i < nd; i++)
        r = strvec_push(&domains, d[i]);
    for (size_t i = 0; r == CB_OK && i < ni; i++)
        r = strvec_push(&ips, ip[i]);
    if (r != CB_OK) {
        r = cb_err_set(err, r, "out of memory");
        goto out;
    }
    json_object_foreach(in, key, val) {
        char *abs;

        if (!json_is_string(val)) {
            r = cb_err_set(err, CB_ERR_CONFIG,
                           "--webroot-map: the webroot for %s must be a "
                           "string", key);
            goto out;
        }
        r = check_dir(json_string_value(val), err);
        if (r != CB_OK)
            goto out;
        abs = fs_abspath(json_string_value(val));
        if (!abs) {
            r = cb_err_set(err, CB_ERR_NOMEM, "out of memory");
            goto out;
        }
        r = add_key(map, key, abs, &domains, &ips, err);
        free(abs);
        if (r != CB_OK)
            goto out;
    }
    /* The map's names count as given like -d/--ip-address. */
    if (domains.n != nd)
        r = config_list_set(cfg, "domains", (const char *const *)domains.v,
                            domains.n,
                            dorig >= CONFIG_FILE ? dorig : CONFIG_ARGV);
    if (r == CB_OK && ips.n != ni)
        r = config_list_set(cfg, "ip_addresses", (const char *const *)ips.v,
                            ips.n,
                            iorig >= CONFIG_FILE ? iorig : CONFIG_ARGV);
    if (r != CB_OK)
        r = cb_err_set(err, r, "out of memory");
out:
    json_decref(in);
    strvec_clear(&domains);
    strvec_clear(&ips);
    return r;
}

int webroot_args_resolve(struct cb_config *cfg, struct cb_err *err)
{
    enum config_type type;
    int renewal;
    size_t np = 0, nm = 0, nd = 0;
    const char *const *paths;
    const size_t *marks;
    const char *const *domains;
    enum config_origin porig, morig;
    json_t *map = NULL;
    char *dump = NULL;
    int r = CB_OK;

    if (config_dest_info(PATH_DEST, &type, &renewal) != CB_OK ||
        config_dest_info(MAP_DEST, &type, &renewal) != CB_OK)
        return CB_OK;
    porig = config_origin(cfg, PATH_DEST);
    morig = config_origin(cfg, MAP_DEST);
    if (porig < CONFIG_FILE && morig < CONFIG_FILE)
        return CB_OK;
    paths = config_list(cfg, PATH_DEST, &np);
    marks = config_list_domain_marks(cfg, PATH_DEST, &nm);
    domains = config_list(cfg, "domains", &nd);
    map = json_object();
    if (!map)
        return cb_err_set(err, CB_ERR_NOMEM, "out of memory");

    for (size_t i = 0; porig >= CONFIG_FILE && i < np; i++) {
        r = check_dir(paths[i], err);
        if (r != CB_OK)
            goto out;
        /* A -d before the first of several -w leaves it ambiguous. */
        if (i == 1 && nm > 0 && marks[0] > 0) {
            r = cb_err_set(err, CB_ERR_CONFIG,
                           "If you specify multiple webroot paths, one of "
                           "them must precede all --domain and --ip-address "
                           "flags");
            goto out;
        }
        /* The -d flags seen so far belong to the previous -w. */
        for (size_t j = 0; i > 0 && i < nm && j < marks[i] && j < nd; j++) {
            r = map_default(map, domains[j], paths[i - 1]);
            if (r != CB_OK) {
                r = cb_err_set(err, r, "out of memory");
                goto out;
            }
        }
    }
    if (morig >= CONFIG_FILE) {
        r = apply_json(cfg, map, config_str(cfg, MAP_DEST), err);
        if (r != CB_OK)
            goto out;
    }
    dump = json_dumps(map, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (!dump) {
        r = cb_err_set(err, CB_ERR_NOMEM, "out of memory");
        goto out;
    }
    r = config_set(cfg, MAP_DEST, dump, morig >= CONFIG_FILE ? morig : porig);
    if (r != CB_OK)
        r = cb_err_set(err, r, "out of memory");
out:
    free(dump);
    json_decref(map);
    return r;
}
