# dns-route53: Route 53 REST API (2013-04-01) signed with AWS SigV4; the
# credentials come from the standard AWS chain (env, shared files).
plugin_LTLIBRARIES += dns-route53.la
dns_route53_la_SOURCES = plugins-dns/route53/route53.c \
	plugins-dns/route53/r53_api.c plugins-dns/route53/r53_api.h \
	plugins-dns/route53/aws_creds.c plugins-dns/route53/aws_creds.h \
	plugins-dns/route53/xml.c plugins-dns/route53/xml.h \
	plugins-dns/route53/sigv4.c plugins-dns/route53/sigv4.h \
	plugins-dns/route53/buf.c plugins-dns/route53/buf.h
dns_route53_la_CFLAGS = $(PLUGIN_COMPILE_FLAGS) $(OPENSSL_CFLAGS)
dns_route53_la_LDFLAGS = $(PLUGIN_LINK_FLAGS)
dns_route53_la_LIBADD = $(OPENSSL_LIBS)

# The signing and parsing code has no core dependencies: the unit tests
# compile it directly.
check_PROGRAMS += tests/unit/test_route53_sigv4
tests_unit_test_route53_sigv4_SOURCES = tests/unit/test_route53_sigv4.c \
	plugins-dns/route53/sigv4.c plugins-dns/route53/buf.c
tests_unit_test_route53_sigv4_CFLAGS = $(AM_CFLAGS) $(OPENSSL_CFLAGS) \
	-I$(top_srcdir)/tests/unit -I$(top_srcdir)/plugins-dns/route53
tests_unit_test_route53_sigv4_LDADD = $(OPENSSL_LIBS)
TESTS += tests/unit/test_route53_sigv4

check_PROGRAMS += tests/unit/test_route53_parse
tests_unit_test_route53_parse_SOURCES = tests/unit/test_route53_parse.c \
	plugins-dns/route53/xml.c plugins-dns/route53/aws_creds.c \
	plugins-dns/route53/buf.c
tests_unit_test_route53_parse_CFLAGS = $(AM_CFLAGS) \
	-I$(top_srcdir)/tests/unit -I$(top_srcdir)/plugins-dns/route53
TESTS += tests/unit/test_route53_parse

# The route53 and dns-example integration tests' mocks, and the guide.
EXTRA_DIST += tests/mocks/route53.py tests/mocks/example_dns.py \
	docs/plugin-guide.md
