# tests: the integration harness (TAP shell scripts run against pebble on
# loopback) and its helper tools.  Unit tests live in their rooms' local.mk.

# freeport: prints free loopback ports / holds a port busy (A-240).
check_PROGRAMS += tests/tools/freeport
tests_tools_freeport_SOURCES = tests/tools/freeport.c

INTEGRATION_TESTS = \
	tests/integration/cli_surface.sh \
	tests/integration/register.sh \
	tests/integration/bad_input.sh \
	tests/integration/certonly_standalone.sh

TESTS += $(INTEGRATION_TESTS)

# The scripts exit 1 when an assertion failed, for use by hand; under the
# TAP driver the "not ok" lines already count, so ignore the exit status
# (a script that dies early is still caught: its plan is printed last).
AM_SH_LOG_DRIVER_FLAGS = --ignore-exit

EXTRA_DIST += $(INTEGRATION_TESTS) \
	tests/integration/lib.sh \
	tests/integration/README.md \
	scripts/deps.sh
