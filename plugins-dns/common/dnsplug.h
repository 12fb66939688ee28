/* Small helpers shared by the DNS provider plugins.  Linked statically
 * into each plugin .so (libdnsplug.la), so a plugin still reaches the
 * core only through struct cb_host and exports only its descriptor.
 *
 * Ownership: returned strings are the caller's (free). */
#ifndef CB_DNSPLUG_H
#define CB_DNSPLUG_H

#include <stddef.h>

#include <certbot/abi.h>

/* vasprintf into a fresh string; NULL on error. */
char *dp_printf(const char *fmt, ...) CB_PRINTF(1, 2);

/* Percent-encode all but RFC 3986 unreserved characters (for URL query
 * values); NULL on ENOMEM. */
char *dp_url_escape(const char *s);

/* Certbot's base_domain_name_guesses as the Python list its messages
 * show: "a.b.c" -> "['a.b.c', 'b.c', 'c']".  Truncated to fit size. */
void dp_guesses_text(const char *domain, char *buf, size_t size);

#endif
