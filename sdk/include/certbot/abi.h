/* certbot plugin ABI: version numbers and compatibility helpers.
 *
 * Rule (GStreamer's): a plugin loads if its abi_major equals the core's and
 * its abi_minor is <= the core's.  Minor releases only append struct fields,
 * status codes, option types and flags; anything else is a new major. */
#ifndef CERTBOT_ABI_H
#define CERTBOT_ABI_H

#include <stddef.h>
#include <stdint.h>

#define CB_ABI_MAJOR 1
#define CB_ABI_MINOR 1

/* A plugin may target an older core by defining this lower before including
 * any certbot header; it must then guard newer host calls with CB_HAS. */
#ifndef CB_TARGET_ABI_MINOR
#define CB_TARGET_ABI_MINOR CB_ABI_MINOR
#endif

/* True when the struct at p (whose first member is uint32_t struct_size, or
 * which has a struct_size member the caller names) is large enough to hold
 * member.  Fields beyond struct_size must be treated as NULL/0. */
#define CB_HAS(p, type, member)                                               \
    ((p) != NULL && (size_t)(p)->struct_size >=                               \
                        offsetof(type, member) + sizeof(((type *)0)->member))

#if defined(__GNUC__) || defined(__clang__)
#define CB_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#define CB_EXPORT __attribute__((visibility("default")))
#else
#define CB_PRINTF(fmt, args)
#define CB_EXPORT
#endif

#endif
