# core/plugin: discovery (loader), the host services table, instances,
# the generic DNS-01 authenticator and option registration.
libcbcore_la_SOURCES += \
	core/plugin/loader.c core/plugin/loader.h \
	core/plugin/host.c core/plugin/host.h \
	core/plugin/instance.c core/plugin/instance.h \
	core/plugin/dns.c core/plugin/dns.h \
	core/plugin/options.c

# Unit tests (fixtures: the plugins built in tests/abi/.libs by
# plugins-builtin/local.mk).
PLUGIN_TEST_CPPFLAGS = $(AM_CPPFLAGS) \
	-DABI_FIXTURES='"$(abs_top_builddir)/tests/abi/.libs"'
check_PROGRAMS += tests/unit/test_loader tests/unit/test_host \
	tests/unit/test_plugins_cmd
tests_unit_test_loader_SOURCES = tests/unit/test_loader.c
tests_unit_test_loader_CPPFLAGS = $(PLUGIN_TEST_CPPFLAGS)
tests_unit_test_loader_CFLAGS = $(UNIT_COMPILE_FLAGS)
tests_unit_test_loader_LDADD = $(UNIT_LINK)
tests_unit_test_host_SOURCES = tests/unit/test_host.c
tests_unit_test_host_CPPFLAGS = $(PLUGIN_TEST_CPPFLAGS)
tests_unit_test_host_CFLAGS = $(UNIT_COMPILE_FLAGS)
tests_unit_test_host_LDADD = $(UNIT_LINK)
tests_unit_test_plugins_cmd_SOURCES = tests/unit/test_plugins_cmd.c
tests_unit_test_plugins_cmd_CPPFLAGS = $(PLUGIN_TEST_CPPFLAGS)
tests_unit_test_plugins_cmd_CFLAGS = $(UNIT_COMPILE_FLAGS)
tests_unit_test_plugins_cmd_LDADD = $(UNIT_LINK)
TESTS += tests/unit/test_loader tests/unit/test_host \
	tests/unit/test_plugins_cmd
