# tests: the integration harness (TAP shell scripts run against pebble on
# loopback) and its helper tools.  Unit tests live in their rooms' local.mk.

# freeport: prints free loopback ports / holds a port busy (A-240).
check_PROGRAMS += tests/tools/freeport
tests_tools_freeport_SOURCES = tests/tools/freeport.c

INTEGRATION_TESTS = \
	tests/integration/cli_surface.sh \
	tests/integration/register.sh \
	tests/integration/bad_input.sh \
	tests/integration/certonly_standalone.sh \
	tests/integration/interrupt.sh \
	tests/integration/broken_plugins.sh \
	tests/integration/webroot.sh \
	tests/integration/accounts.sh \
	tests/integration/csr.sh \
	tests/integration/revoke_delete.sh \
	tests/integration/manual.sh \
	tests/integration/renew.sh \
	tests/integration/hooks.sh \
	tests/integration/ip_address.sh \
	tests/integration/lineage_decisions.sh \
	tests/integration/eab_chains.sh \
	tests/integration/run_null.sh \
	tests/integration/domain_prompt.sh \
	tests/integration/dry_run.sh \
	tests/integration/profiles.sh \
	tests/integration/debug_challenges.sh \
	tests/integration/prompts_register.sh \
	tests/integration/reconfigure.sh \
	tests/integration/renew_kill.sh \
	tests/integration/renew_concurrent.sh \
	tests/integration/renew_forkmap.sh \
	tests/integration/startup.sh \
	tests/integration/ocsp.sh \
	tests/integration/webroot_owner.sh \
	tests/integration/dry_run_accounts.sh \
	tests/integration/eff.sh \
	tests/integration/dns_core.sh \
	tests/integration/dns_rfc2136.sh \
	tests/integration/dns_cloudflare.sh \
	tests/integration/dns_digitalocean.sh \
	tests/integration/dns_route53.sh \
	tests/integration/dns_example.sh

TESTS += $(INTEGRATION_TESTS)

# Interop with Debian's Python Certbot (skipped when /usr/bin/certbot is
# absent; scripts/deps.sh installs it).
INTEROP_TESTS = \
	tests/interop/their_state.sh \
	tests/interop/our_state.sh \
	tests/interop/locks.sh \
	tests/interop/bad_input.sh \
	tests/interop/cli_flags.sh \
	tests/interop/compat_doc.sh

TESTS += $(INTEROP_TESTS)
EXTRA_DIST += $(INTEROP_TESTS) tests/interop/common.sh tests/interop/pyparse.py \
	docs/compatibility.md

# The integration scripts exit 1 when an assertion failed, for use by hand.
# Under the TAP driver the "not ok" lines already count, so they exit 0
# there (a script that dies early is still caught: its plan comes last).
AM_TESTS_ENVIRONMENT += CB_TAP_DRIVER=1; export CB_TAP_DRIVER;

EXTRA_DIST += $(INTEGRATION_TESTS) \
	tests/integration/lib.sh \
	bench/clone-lineages \
	bench/webroot-server \
	tests/integration/README.md \
	scripts/deps.sh

# HTTPS mocks of DNS provider APIs used by the dns_* integration tests.
EXTRA_DIST += tests/mocks/mockutil.py tests/mocks/mocklib.sh \
	tests/mocks/cloudflare.py tests/mocks/digitalocean.py
