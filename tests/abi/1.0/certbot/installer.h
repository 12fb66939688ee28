/* Installer plugins: deploy certificates into server configuration. */
#ifndef CERTBOT_INSTALLER_H
#define CERTBOT_INSTALLER_H

#include "abi.h"

struct cb_strlist;

/* Enhancement names, as Certbot spells them. */
#define CB_ENH_REDIRECT "redirect"
#define CB_ENH_HTTP_HEADER "ensure-http-header"
#define CB_ENH_STAPLE_OCSP "staple-ocsp"

/* A lineage as seen by plugins; all strings borrowed for the call. */
struct cb_lineage {
    uint32_t struct_size;
    const char *name;
    const char *cert_path, *key_path, *chain_path, *fullchain_path;
    const char *const *names; /* NULL-terminated identifiers */
};

struct cb_installer {
    uint32_t struct_size;
    int (*prepare)(void *ctx);
    int (*get_all_names)(void *ctx, struct cb_strlist *out);
    int (*deploy_cert)(void *ctx, const char *domain, const char *cert_path,
                       const char *key_path, const char *chain_path,
                       const char *fullchain_path);
    int (*enhance)(void *ctx, const char *domain, const char *enhancement,
                   const char *arg);
    /* Add supported enhancement names to out. */
    int (*supported_enhancements)(void *ctx, struct cb_strlist *out);
    int (*save)(void *ctx, const char *title, int temporary);
    int (*rollback_checkpoints)(void *ctx, int n);
    int (*recovery_routine)(void *ctx);
    int (*config_test)(void *ctx);
    int (*restart)(void *ctx);
    int (*renew_deploy)(void *ctx, const struct cb_lineage *lineage); /* optional */
};

#endif
