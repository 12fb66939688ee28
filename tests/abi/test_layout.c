/* Pins the plugin ABI 1.0 layout (DESIGN 3.3 "Proof").  Compiled twice:
 * against the frozen tests/abi/1.0 headers (CB_LAYOUT_FROZEN: exact
 * sizes) and against sdk/include (a later minor may only append, so
 * offsets stay and sizes may only grow).  All checks are compile-time;
 * the program just reports them in TAP. */
#include <stddef.h>
#include <stdint.h>

#include <certbot/plugin.h>

#include "tap.h"

#if defined(__LP64__) && (defined(__x86_64__) || defined(__aarch64__))
#define LAYOUT_PINNED 1

#define AT(type, member, off)                                                 \
    _Static_assert(offsetof(struct type, member) == (off),                    \
                   #type "." #member " moved")
#ifdef CB_LAYOUT_FROZEN
#define SIZE(type, size)                                                      \
    _Static_assert(sizeof(struct type) == (size), #type " size changed")
#else
#define SIZE(type, size)                                                      \
    _Static_assert(sizeof(struct type) >= (size), #type " shrank")
#endif

AT(cb_plugin_desc, abi_major, 0);
AT(cb_plugin_desc, abi_minor, 4);
AT(cb_plugin_desc, struct_size, 8);
AT(cb_plugin_desc, flags, 12);
AT(cb_plugin_desc, option_size, 16);
AT(cb_plugin_desc, name, 24);
AT(cb_plugin_desc, version, 32);
AT(cb_plugin_desc, description, 40);
AT(cb_plugin_desc, more_info, 48);
AT(cb_plugin_desc, options, 56);
AT(cb_plugin_desc, create, 64);
AT(cb_plugin_desc, destroy, 72);
AT(cb_plugin_desc, authenticator, 80);
AT(cb_plugin_desc, installer, 88);
AT(cb_plugin_desc, dns, 96);
SIZE(cb_plugin_desc, 104);

/* No struct_size: option_size carries the stride instead. */
AT(cb_option, name, 0);
AT(cb_option, type, 8);
AT(cb_option, flags, 12);
AT(cb_option, metavar, 16);
AT(cb_option, default_value, 24);
AT(cb_option, help, 32);
AT(cb_option, short_name, 40);
SIZE(cb_option, 48);

AT(cb_challenge, struct_size, 0);
AT(cb_challenge, type, 4);
AT(cb_challenge, ident_type, 8);
AT(cb_challenge, identifier, 16);
AT(cb_challenge, token, 24);
AT(cb_challenge, key_authorization, 32);
AT(cb_challenge, validation, 40);
AT(cb_challenge, validation_name, 48);
SIZE(cb_challenge, 56);

AT(cb_authenticator, struct_size, 0);
AT(cb_authenticator, prepare, 8);
AT(cb_authenticator, get_chall_pref, 16);
AT(cb_authenticator, perform, 24);
AT(cb_authenticator, cleanup, 32);
AT(cb_authenticator, auth_hint, 40);
SIZE(cb_authenticator, 48);

AT(cb_installer, struct_size, 0);
AT(cb_installer, prepare, 8);
AT(cb_installer, get_all_names, 16);
AT(cb_installer, deploy_cert, 24);
AT(cb_installer, enhance, 32);
AT(cb_installer, supported_enhancements, 40);
AT(cb_installer, save, 48);
AT(cb_installer, rollback_checkpoints, 56);
AT(cb_installer, recovery_routine, 64);
AT(cb_installer, config_test, 72);
AT(cb_installer, restart, 80);
AT(cb_installer, renew_deploy, 88);
SIZE(cb_installer, 96);

AT(cb_lineage, struct_size, 0);
AT(cb_lineage, name, 8);
AT(cb_lineage, cert_path, 16);
AT(cb_lineage, key_path, 24);
AT(cb_lineage, chain_path, 32);
AT(cb_lineage, fullchain_path, 40);
AT(cb_lineage, names, 48);
SIZE(cb_lineage, 56);

AT(cb_dns_provider, struct_size, 0);
AT(cb_dns_provider, default_propagation_seconds, 4);
AT(cb_dns_provider, setup_credentials, 8);
AT(cb_dns_provider, add_txt, 16);
AT(cb_dns_provider, del_txt, 24);
SIZE(cb_dns_provider, 32);

AT(cb_http_req, struct_size, 0);
AT(cb_http_req, method, 8);
AT(cb_http_req, url, 16);
AT(cb_http_req, headers, 24);
AT(cb_http_req, body, 32);
AT(cb_http_req, body_len, 40);
AT(cb_http_req, timeout_ms, 48);
SIZE(cb_http_req, 56);

AT(cb_http_resp, struct_size, 0);
AT(cb_http_resp, status, 8);
AT(cb_http_resp, body, 16);
AT(cb_http_resp, body_len, 24);
AT(cb_http_resp, content_type, 32);
SIZE(cb_http_resp, 40);

AT(cb_host, abi_major, 0);
AT(cb_host, abi_minor, 4);
AT(cb_host, struct_size, 8);
AT(cb_host, certbot_version, 16);
AT(cb_host, log, 24);
AT(cb_host, fail, 32);
AT(cb_host, notify, 40);
AT(cb_host, yesno, 48);
AT(cb_host, input, 56);
AT(cb_host, menu, 64);
AT(cb_host, opt_str, 72);
AT(cb_host, opt_int, 80);
AT(cb_host, opt_bool, 88);
AT(cb_host, opt_list, 96);
AT(cb_host, opt_set, 104);
AT(cb_host, config, 112);
AT(cb_host, credentials_get, 120);
AT(cb_host, http, 128);
AT(cb_host, run_hook, 136);
AT(cb_host, run_argv, 144);
AT(cb_host, dns_base_domains, 152);
AT(cb_host, write_file, 160);
AT(cb_host, mkdirs, 168);
AT(cb_host, checkpoint_add, 176);
AT(cb_host, checkpoint_new_file, 184);
AT(cb_host, checkpoint_finalize, 192);
AT(cb_host, checkpoint_rollback, 200);
AT(cb_host, strlist_add, 208);
AT(cb_host, strlist_len, 216);
AT(cb_host, strlist_get, 224);
#ifdef CB_LAYOUT_FROZEN
SIZE(cb_host, 232);
#else
/* ABI 1.1 appended these */
AT(cb_host, credentials_require, 232);
AT(cb_host, dns_domain_guesses, 240);
SIZE(cb_host, 248);
#endif
#endif

/* Values are ABI too: enums are stored as uint32_t / int. */
_Static_assert(CB_ABI_MAJOR == 1, "this file pins ABI 1");
_Static_assert(CB_PLUGIN_HIDDEN == 1, "CB_PLUGIN_HIDDEN");
_Static_assert(CB_CHALL_HTTP01 == 1 && CB_CHALL_DNS01 == 2 &&
                   CB_CHALL_TLSALPN01 == 3, "challenge types");
_Static_assert(CB_IDENT_DNS == 1 && CB_IDENT_IP == 2, "identifier types");
_Static_assert(CB_OPT_STRING == 1 && CB_OPT_PATH == 2 && CB_OPT_INT == 3 &&
                   CB_OPT_BOOL == 4 && CB_OPT_LIST == 5, "option types");
_Static_assert(CB_OPT_SECRET == 1 && CB_OPT_NOSAVE == 2 &&
                   CB_OPT_PER_DOMAIN == 4, "option flags");
_Static_assert(CB_LOG_DEBUG == 10 && CB_LOG_INFO == 20 &&
                   CB_LOG_WARNING == 30 && CB_LOG_ERROR == 40, "log levels");
_Static_assert(CB_OK == 0 && CB_ERR_NOMEM == -1 && CB_ERR_INVAL == -2 &&
                   CB_ERR_IO == -3 && CB_ERR_NET == -4 && CB_ERR_ACME == -5 &&
                   CB_ERR_CRYPTO == -6 && CB_ERR_PLUGIN == -7 &&
                   CB_ERR_MISCONFIGURED == -8 &&
                   CB_ERR_NO_INSTALLATION == -9 &&
                   CB_ERR_NONINTERACTIVE == -10 && CB_ERR_NOT_FOUND == -11 &&
                   CB_ERR_EXISTS == -12 && CB_ERR_TIMEOUT == -13 &&
                   CB_ERR_USAGE == -14 && CB_ERR_LOCKED == -15 &&
                   CB_ERR_NOT_SUPPORTED == -16 && CB_ERR_CANCELLED == -17 &&
                   CB_ERR_CONFIG == -18, "status codes");

int main(void)
{
#ifdef LAYOUT_PINNED
    ok(1, "ABI 1.0 struct layout pinned (compile-time, LP64)");
#else
    printf("ok 1 # SKIP layout pinned only on LP64 x86_64/aarch64\n");
    tap_n++;
#endif
    ok(1, "ABI 1.0 enum and status values pinned (compile-time)");
    return done_testing();
}
