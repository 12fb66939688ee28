/* base64url without padding (RFC 7515 appendix C).  Results are
 * caller-freed; NULL on ENOMEM. */
#ifndef CB_ACME_B64_H
#define CB_ACME_B64_H

#include <stddef.h>

char *b64url_encode(const void *data, size_t len);
/* Accepts with or without padding; rejects other alphabets. */
int b64url_decode(const char *s, unsigned char **out, size_t *out_len);

#endif
