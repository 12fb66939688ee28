# dns-rfc2136: RFC 2136 dynamic updates with TSIG (BIND), over ldns;
# OpenSSL's HMAC signs the TSIG algorithms ldns lacks (tsig.c).
plugin_LTLIBRARIES += dns-rfc2136.la
dns_rfc2136_la_SOURCES = plugins-dns/rfc2136/rfc2136.c \
	plugins-dns/rfc2136/credentials.c plugins-dns/rfc2136/credentials.h \
	plugins-dns/rfc2136/client.c plugins-dns/rfc2136/client.h \
	plugins-dns/rfc2136/tsig.c plugins-dns/rfc2136/tsig.h
dns_rfc2136_la_CFLAGS = $(PLUGIN_COMPILE_FLAGS) $(LDNS_CFLAGS) \
	$(OPENSSL_CFLAGS)
dns_rfc2136_la_LDFLAGS = $(PLUGIN_LINK_FLAGS)
dns_rfc2136_la_LIBADD = libdnsplug.la $(LDNS_LIBS) $(OPENSSL_LIBS)
EXTRA_DIST += plugins-dns/rfc2136/README.md

# tsig.c checked against ldns's own TSIG code (TAP).
check_PROGRAMS += plugins-dns/rfc2136/test_tsig
plugins_dns_rfc2136_test_tsig_SOURCES = plugins-dns/rfc2136/test_tsig.c \
	plugins-dns/rfc2136/tsig.c plugins-dns/rfc2136/tsig.h
plugins_dns_rfc2136_test_tsig_CPPFLAGS = $(AM_CPPFLAGS) \
	-I$(top_srcdir)/tests/unit
plugins_dns_rfc2136_test_tsig_CFLAGS = $(AM_CFLAGS) $(LDNS_CFLAGS) \
	$(OPENSSL_CFLAGS)
plugins_dns_rfc2136_test_tsig_LDADD = $(LDNS_LIBS) $(OPENSSL_LIBS)
TESTS += plugins-dns/rfc2136/test_tsig
