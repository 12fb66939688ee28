# core/lifecycle: the flows that tie rooms together (startup, account,
# challenge solving, lineage decisions, renewal params)
libcbcore_la_SOURCES += \
	core/lifecycle/startup.c core/lifecycle/startup.h \
	core/lifecycle/session.c core/lifecycle/session.h \
	core/lifecycle/plugin_select.c core/lifecycle/plugin_select.h \
	core/lifecycle/obtain.c core/lifecycle/obtain.h \
	core/lifecycle/names.c core/lifecycle/names.h \
	core/lifecycle/lineage_choice.c core/lifecycle/lineage_choice.h \
	core/lifecycle/renew_decision.c core/lifecycle/renew_decision.h \
	core/lifecycle/renewal_params.c core/lifecycle/renewal_params.h \
	core/lifecycle/eff.c core/lifecycle/eff.h
libcbcore_la_SOURCES += \
	core/lifecycle/hooks.c core/lifecycle/hooks.h \
	core/lifecycle/renewal_restore.c core/lifecycle/renewal_restore.h \
	core/lifecycle/renew_lineage.c core/lifecycle/renew_lineage.h

check_PROGRAMS += tests/unit/test_lifecycle
tests_unit_test_lifecycle_SOURCES = tests/unit/test_lifecycle.c
tests_unit_test_lifecycle_CFLAGS = $(UNIT_COMPILE_FLAGS)
tests_unit_test_lifecycle_LDADD = $(UNIT_LINK)
TESTS += tests/unit/test_lifecycle

check_PROGRAMS += tests/unit/test_renew
tests_unit_test_renew_SOURCES = tests/unit/test_renew.c
tests_unit_test_renew_CFLAGS = $(UNIT_COMPILE_FLAGS)
tests_unit_test_renew_LDADD = $(UNIT_LINK)
TESTS += tests/unit/test_renew
