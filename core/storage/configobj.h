/* configobj-compatible documents (Certbot's renewal confs).
 *
 * Keeps order and comments of everything it does not change, so a file
 * written by Python Certbot round-trips.  Values are stored unquoted;
 * writing quotes them the way configobj does (',', '#', quotes, leading or
 * trailing space).  Lists are "a, b" / "a," (one element) / "," (empty).
 * Sections are "[name]", subsections "[[name]]".
 *
 * Ownership: the document owns all sections and strings; section pointers
 * and returned strings are borrowed until the entry changes or the
 * document is freed. */
#ifndef CB_STORAGE_CONFIGOBJ_H
#define CB_STORAGE_CONFIGOBJ_H

#include <stddef.h>

#include "util/err.h"
#include "util/strvec.h"

struct configobj;
struct co_section;

struct configobj *configobj_new(void);
int configobj_parse(const char *text, size_t len, const char *filename,
                    struct configobj **out, struct cb_err *err);
int configobj_load(const char *path, struct configobj **out,
                   struct cb_err *err);
/* Serialised text; caller frees; NULL on ENOMEM. */
char *configobj_write(const struct configobj *doc);
void configobj_free(struct configobj *doc);

struct co_section *configobj_root(struct configobj *doc);
/* Child section or NULL. */
struct co_section *co_section_get(struct co_section *parent, const char *name);
/* Child section, appended if absent. */
struct co_section *co_section_add(struct co_section *parent, const char *name);
/* Remove every key and subsection of s (comments before s are kept). */
void co_section_clear(struct co_section *s);
int co_section_remove(struct co_section *parent, const char *name);

/* Scalar value or NULL (a list is returned joined with ", "). */
const char *co_get(const struct co_section *s, const char *key);
/* 1 if the value was written as a list. */
int co_is_list(const struct co_section *s, const char *key);
/* Appends the elements (a scalar gives one element). CB_ERR_NOT_FOUND. */
int co_get_list(const struct co_section *s, const char *key,
                struct strvec *out);
int co_set(struct co_section *s, const char *key, const char *value);
int co_set_list(struct co_section *s, const char *key,
                const char *const *values, size_t n);
int co_remove(struct co_section *s, const char *key);
/* Names of keys / subsections in order (appended to out). */
int co_keys(const struct co_section *s, struct strvec *out);
int co_sections(const struct co_section *s, struct strvec *out);

/* Additions (storage room). */
/* Section name (NULL for the root); borrowed. */
const char *co_section_name(const struct co_section *s);
/* Remove every key and subsection of s whose name is not in names (how
 * Certbot prunes [renewalparams] after updating it). */
int co_section_keep_only(struct co_section *s, const struct strvec *names);
/* Set every key of src in dst (updating in place, appending new ones)
 * and replace dst's subsections of the same names with copies. */
int co_section_copy(struct co_section *dst, const struct co_section *src);
/* 1 when a and b hold the same keys, values and subsections whatever
 * their order (Python dict equality; what reconfigure reports on). */
int co_section_equal(const struct co_section *a, const struct co_section *b);
/* Like configobj_write but with a status: CB_ERR_INVAL when a value read
 * from a file cannot be quoted back (configobj fails there too). */
int configobj_render(const struct configobj *doc, char **out);

#endif
