# core/storage
libcbcore_la_SOURCES += \
	core/storage/fsutil.c core/storage/fsutil.h \
	core/storage/configobj.c core/storage/configobj.h \
	core/storage/lock.c core/storage/lock.h \
	core/storage/renewal_conf.c core/storage/renewal_conf.h \
	core/storage/lineage.c core/storage/lineage.h \
	core/storage/account_store.c core/storage/account_store.h

EXTRA_DIST += \
	tests/data/storage/py21-standalone-renewed.conf \
	tests/data/storage/py21-webroot.conf \
	tests/data/storage/py21-manual.conf \
	tests/data/storage/v56.conf \
	tests/data/storage/edge.conf \
	tests/data/storage/edge.expected \
	tests/data/storage/py21-live-README \
	tests/data/storage/py21-lineage-README \
	tests/data/storage/py21-account/private_key.json \
	tests/data/storage/py21-account/regr.json \
	tests/data/storage/py21-account/meta.json \
	tests/data/storage/py21-account/id

check_PROGRAMS += tests/unit/test_configobj
tests_unit_test_configobj_SOURCES = tests/unit/test_configobj.c
tests_unit_test_configobj_CFLAGS = $(UNIT_COMPILE_FLAGS)
tests_unit_test_configobj_LDADD = $(UNIT_LINK)
TESTS += tests/unit/test_configobj

check_PROGRAMS += tests/unit/test_lock
tests_unit_test_lock_SOURCES = tests/unit/test_lock.c
tests_unit_test_lock_CFLAGS = $(UNIT_COMPILE_FLAGS)
tests_unit_test_lock_LDADD = $(UNIT_LINK)
TESTS += tests/unit/test_lock

check_PROGRAMS += tests/unit/test_renewal_conf
tests_unit_test_renewal_conf_SOURCES = tests/unit/test_renewal_conf.c
tests_unit_test_renewal_conf_CFLAGS = $(UNIT_COMPILE_FLAGS)
tests_unit_test_renewal_conf_LDADD = $(UNIT_LINK)
TESTS += tests/unit/test_renewal_conf

check_PROGRAMS += tests/unit/test_lineage
tests_unit_test_lineage_SOURCES = tests/unit/test_lineage.c
tests_unit_test_lineage_CFLAGS = $(UNIT_COMPILE_FLAGS)
tests_unit_test_lineage_LDADD = $(UNIT_LINK)
TESTS += tests/unit/test_lineage

check_PROGRAMS += tests/unit/test_account_store
tests_unit_test_account_store_SOURCES = tests/unit/test_account_store.c
tests_unit_test_account_store_CFLAGS = $(UNIT_COMPILE_FLAGS)
tests_unit_test_account_store_LDADD = $(UNIT_LINK)
TESTS += tests/unit/test_account_store

check_PROGRAMS += tests/unit/test_fsutil
tests_unit_test_fsutil_SOURCES = tests/unit/test_fsutil.c
tests_unit_test_fsutil_CFLAGS = $(UNIT_COMPILE_FLAGS)
tests_unit_test_fsutil_LDADD = $(UNIT_LINK)
TESTS += tests/unit/test_fsutil
