# core/acme: base64url, JWS, the ACME client (client.h is the public header;
# session.h is shared by the client's files only)
libcbcore_la_SOURCES += \
	core/acme/b64.c core/acme/b64.h \
	core/acme/jws.c core/acme/jws.h \
	core/acme/client.h core/acme/session.h \
	core/acme/session.c core/acme/account.c \
	core/acme/order.c core/acme/authz.c \
	core/acme/ari.c

# Against a live pebble; skips unless PEBBLE_DIR_URL is set.
check_PROGRAMS += tests/unit/test_acme_pebble
tests_unit_test_acme_pebble_SOURCES = tests/unit/test_acme_pebble.c
tests_unit_test_acme_pebble_CFLAGS = $(UNIT_COMPILE_FLAGS)
tests_unit_test_acme_pebble_LDADD = $(UNIT_LINK)
TESTS += tests/unit/test_acme_pebble

check_PROGRAMS += tests/unit/test_b64
tests_unit_test_b64_SOURCES = tests/unit/test_b64.c
tests_unit_test_b64_CFLAGS = $(UNIT_COMPILE_FLAGS)
tests_unit_test_b64_LDADD = $(UNIT_LINK)
TESTS += tests/unit/test_b64

check_PROGRAMS += tests/unit/test_jws
tests_unit_test_jws_SOURCES = tests/unit/test_jws.c
tests_unit_test_jws_CFLAGS = $(UNIT_COMPILE_FLAGS)
tests_unit_test_jws_LDADD = $(UNIT_LINK)
TESTS += tests/unit/test_jws

check_PROGRAMS += tests/unit/test_acme_session
tests_unit_test_acme_session_SOURCES = tests/unit/test_acme_session.c \
	tests/unit/test_acme_certgen.h
tests_unit_test_acme_session_CFLAGS = $(UNIT_COMPILE_FLAGS)
tests_unit_test_acme_session_LDADD = $(UNIT_LINK)
TESTS += tests/unit/test_acme_session
