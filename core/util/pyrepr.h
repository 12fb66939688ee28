/* Python's repr() of a str, for the messages where Certbot shows one
 * (argparse errors, the "Arguments: [...]" debug line, a plugin error's
 * PluginError('...')). */
#ifndef CB_UTIL_PYREPR_H
#define CB_UTIL_PYREPR_H

#include <stddef.h>

/* Single quotes unless s has one and no double quote; backslash, the
 * quote, \n, \r and \t escaped.  Truncated to fit size (always closed and
 * NUL-terminated when size >= 3). */
void py_repr(char *buf, size_t size, const char *s);

#endif
