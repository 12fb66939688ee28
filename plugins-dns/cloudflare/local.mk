# dns-cloudflare: TXT records through the Cloudflare v4 API (jansson for
# the JSON, HTTP through the core's host->http).
plugin_LTLIBRARIES += dns-cloudflare.la
dns_cloudflare_la_SOURCES = plugins-dns/cloudflare/cloudflare.c
dns_cloudflare_la_CFLAGS = $(PLUGIN_COMPILE_FLAGS) $(JANSSON_CFLAGS)
dns_cloudflare_la_LDFLAGS = $(PLUGIN_LINK_FLAGS)
dns_cloudflare_la_LIBADD = libdnsplug.la $(JANSSON_LIBS)
