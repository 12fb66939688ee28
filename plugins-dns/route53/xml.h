/* Just enough XML for Route 53's responses: flat lookups of elements by
 * name, no namespaces, no attributes read, no DTDs.  Route 53 never nests
 * an element inside one of the same name, so the first closing tag ends
 * the element. */
#ifndef R53_XML_H
#define R53_XML_H

#include <stddef.h>

/* A range of the document; nothing is copied. */
struct xml_span {
    const char *p, *end;
};

/* The content of the first <tag> element within in (empty for <tag/>) in
 * *content, and the rest of in after it in *rest (may be NULL).  Returns
 * 1 when found, 0 otherwise. */
int xml_find(struct xml_span in, const char *tag, struct xml_span *content,
             struct xml_span *rest);

/* The text of the first <tag> within in, entities decoded.  Caller frees;
 * NULL when absent or out of memory. */
char *xml_text(struct xml_span in, const char *tag);

/* The name of the document's root element (after any <?xml ?>) in out;
 * "" when there is none. */
void xml_root_name(struct xml_span in, char *out, size_t outlen);

#endif
