# DNS provider plugins: each builds dns-<provider>.so, a libtool module
# that fills only cb_dns_provider (sdk/include/certbot/dns.h) and links
# nothing of the core; the core's generic DNS authenticator does the rest.
# Helpers the providers share, linked into each .so (nothing exported).
noinst_LTLIBRARIES += libdnsplug.la
libdnsplug_la_SOURCES = plugins-dns/common/dnsplug.c \
	plugins-dns/common/dnsplug.h
libdnsplug_la_CFLAGS = $(PLUGIN_COMPILE_FLAGS)

include plugins-dns/rfc2136/local.mk
include plugins-dns/cloudflare/local.mk
include plugins-dns/digitalocean/local.mk
include plugins-dns/route53/local.mk
