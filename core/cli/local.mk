# core/cli: flags as data (flags.def), argv + cli.ini parsing, the merged
# config, --help, identifier checks
libcbcore_la_SOURCES += \
	core/cli/flags.def core/cli/cli_internal.h \
	core/cli/optreg.c \
	core/cli/config.c core/cli/config.h \
	core/cli/parse.c core/cli/parse.h \
	core/cli/ini.c \
	core/cli/help.c core/cli/help.h \
	core/cli/domains.c core/cli/domains.h \
	core/cli/webroot_args.c core/cli/webroot_args.h

check_PROGRAMS += tests/unit/test_cli_parse
tests_unit_test_cli_parse_SOURCES = tests/unit/test_cli_parse.c
tests_unit_test_cli_parse_CFLAGS = $(UNIT_COMPILE_FLAGS)
tests_unit_test_cli_parse_LDADD = $(UNIT_LINK)
TESTS += tests/unit/test_cli_parse

check_PROGRAMS += tests/unit/test_cli_ini tests/unit/test_config \
	tests/unit/test_domains
tests_unit_test_cli_ini_SOURCES = tests/unit/test_cli_ini.c
tests_unit_test_cli_ini_CFLAGS = $(UNIT_COMPILE_FLAGS)
tests_unit_test_cli_ini_LDADD = $(UNIT_LINK)
tests_unit_test_config_SOURCES = tests/unit/test_config.c
tests_unit_test_config_CFLAGS = $(UNIT_COMPILE_FLAGS)
tests_unit_test_config_LDADD = $(UNIT_LINK)
tests_unit_test_domains_SOURCES = tests/unit/test_domains.c
tests_unit_test_domains_CFLAGS = $(UNIT_COMPILE_FLAGS)
tests_unit_test_domains_LDADD = $(UNIT_LINK)
TESTS += tests/unit/test_cli_ini tests/unit/test_config \
	tests/unit/test_domains

# util/log.c and util/display.c are the cli room's too
check_PROGRAMS += tests/unit/test_log tests/unit/test_display
tests_unit_test_log_SOURCES = tests/unit/test_log.c
tests_unit_test_log_CFLAGS = $(UNIT_COMPILE_FLAGS)
tests_unit_test_log_LDADD = $(UNIT_LINK)
tests_unit_test_display_SOURCES = tests/unit/test_display.c
tests_unit_test_display_CFLAGS = $(UNIT_COMPILE_FLAGS)
tests_unit_test_display_LDADD = $(UNIT_LINK)
TESTS += tests/unit/test_log tests/unit/test_display
