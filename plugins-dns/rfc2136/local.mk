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
dns_rfc2136_la_LIBADD = $(LDNS_LIBS) $(OPENSSL_LIBS)
EXTRA_DIST += plugins-dns/rfc2136/README.md
