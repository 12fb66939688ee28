# core/cli: flags as data (flags.def), argv + cli.ini parsing, the merged
# config, --help, identifier checks
libcbcore_la_SOURCES += \
	core/cli/flags.def core/cli/cli_internal.h \
	core/cli/optreg.c \
	core/cli/config.c core/cli/config.h \
	core/cli/parse.c core/cli/parse.h \
	core/cli/ini.c \
	core/cli/help.c core/cli/help.h \
	core/cli/domains.c core/cli/domains.h
