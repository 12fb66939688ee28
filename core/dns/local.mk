# core/dns: DNS lookups for the generic DNS-01 authenticator (plugin/dns.c)
# over ldns: CNAME following, the propagation check at the authoritative
# servers, and the journal of added TXT records.
libcbcore_la_SOURCES += \
	core/dns/resolver.c core/dns/resolver.h \
	core/dns/cname.c core/dns/cname.h \
	core/dns/propagation.c core/dns/propagation.h \
	core/dns/journal.c core/dns/journal.h
libcbcore_la_CFLAGS += $(LDNS_CFLAGS)
libcbcore_la_LIBADD += $(LDNS_LIBS)

check_PROGRAMS += tests/unit/test_dns_journal tests/unit/test_dns_resolver
tests_unit_test_dns_journal_SOURCES = tests/unit/test_dns_journal.c
tests_unit_test_dns_journal_CFLAGS = $(UNIT_COMPILE_FLAGS)
tests_unit_test_dns_journal_LDADD = $(UNIT_LINK)
tests_unit_test_dns_resolver_SOURCES = tests/unit/test_dns_resolver.c
tests_unit_test_dns_resolver_CFLAGS = $(UNIT_COMPILE_FLAGS) $(LDNS_CFLAGS)
tests_unit_test_dns_resolver_LDADD = $(UNIT_LINK)
TESTS += tests/unit/test_dns_journal tests/unit/test_dns_resolver

# A test-only dns plugin over pebble-challtestsrv's management API, for
# tests/integration/dns_core.sh.  Never installed; built into
# tests/plugins-src/.libs, which that script adds to CERTBOT_PLUGIN_PATH
# (not into tests/plugins: other tests list every plugin there).
check_LTLIBRARIES += tests/plugins-src/dns-challtest.la
tests_plugins_src_dns_challtest_la_SOURCES = tests/plugins-src/dns_challtest.c
tests_plugins_src_dns_challtest_la_CFLAGS = $(PLUGIN_COMPILE_FLAGS) \
	$(JANSSON_CFLAGS)
tests_plugins_src_dns_challtest_la_LDFLAGS = $(ABI_FIXTURE_LDFLAGS)
tests_plugins_src_dns_challtest_la_LIBADD = $(JANSSON_LIBS)

EXTRA_DIST += docs/dns.md
