/* A created plugin: ctx from desc->create plus the host table and handle
 * it was given.  Every call records the plugin's fail() message in err.
 * A plugin with only a dns table is driven through the generic DNS-01
 * authenticator (plugin/dns.c).
 *
 * Ownership: the instance borrows the plugin and the config (both must
 * outlive it); plugin_inst_free calls destroy exactly once. */
#ifndef CB_PLUGIN_INSTANCE_H
#define CB_PLUGIN_INSTANCE_H

#include <stddef.h>
#include <stdint.h>
#include <certbot/plugin.h>

#include "cli/config.h"
#include "plugin/loader.h"
#include "util/err.h"
#include "util/strvec.h"

struct plugin_inst;

int plugin_inst_new(struct plugin *p, struct cb_config *cfg,
                    struct plugin_inst **out, struct cb_err *err);
void plugin_inst_free(struct plugin_inst *pi);
const struct plugin *plugin_inst_plugin(const struct plugin_inst *pi);

int plugin_inst_prepare(struct plugin_inst *pi, struct cb_err *err);

/* authenticator */
int plugin_inst_chall_pref(struct plugin_inst *pi, const char *ident,
                           uint32_t *types, size_t *n, struct cb_err *err);
int plugin_inst_perform(struct plugin_inst *pi,
                        const struct cb_challenge *const *c, size_t n,
                        struct cb_err *err);
int plugin_inst_cleanup(struct plugin_inst *pi,
                        const struct cb_challenge *const *c, size_t n,
                        struct cb_err *err);
/* Hint text or NULL; borrowed until the next call. */
const char *plugin_inst_auth_hint(struct plugin_inst *pi,
                                  const struct cb_challenge *const *c,
                                  size_t n);

/* installer */
int plugin_inst_get_all_names(struct plugin_inst *pi, struct strvec *out,
                              struct cb_err *err);
int plugin_inst_deploy_cert(struct plugin_inst *pi, const char *domain,
                            const char *cert, const char *key,
                            const char *chain, const char *fullchain,
                            struct cb_err *err);
int plugin_inst_enhance(struct plugin_inst *pi, const char *domain,
                        const char *enhancement, const char *arg,
                        struct cb_err *err);
int plugin_inst_supported_enhancements(struct plugin_inst *pi,
                                       struct strvec *out,
                                       struct cb_err *err);
int plugin_inst_save(struct plugin_inst *pi, const char *title,
                     int temporary, struct cb_err *err);
int plugin_inst_restart(struct plugin_inst *pi, struct cb_err *err);
int plugin_inst_config_test(struct plugin_inst *pi, struct cb_err *err);
int plugin_inst_rollback(struct plugin_inst *pi, int n, struct cb_err *err);
int plugin_inst_recovery_routine(struct plugin_inst *pi, struct cb_err *err);
/* Optional op: CB_OK when the installer has none. */
int plugin_inst_renew_deploy(struct plugin_inst *pi,
                             const struct cb_lineage *lineage,
                             struct cb_err *err);

#endif
