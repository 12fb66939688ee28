# dns-digitalocean: TXT records through the DigitalOcean v2 API (jansson
# for the JSON, HTTP through the core's host->http).
plugin_LTLIBRARIES += dns-digitalocean.la
dns_digitalocean_la_SOURCES = plugins-dns/digitalocean/digitalocean.c
dns_digitalocean_la_CFLAGS = $(PLUGIN_COMPILE_FLAGS) $(JANSSON_CFLAGS)
dns_digitalocean_la_LDFLAGS = $(PLUGIN_LINK_FLAGS)
dns_digitalocean_la_LIBADD = libdnsplug.la $(JANSSON_LIBS)
