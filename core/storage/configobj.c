/* configobj-compatible reader/writer (see configobj.h).
 *
 * The model follows Python configobj 5 as Certbot uses it (list_values on,
 * no interpolation, no unrepr): each section keeps its scalars in order,
 * then its subsections; every entry remembers the whole comment/blank
 * lines before it and its inline comment.  Writing regenerates the text
 * the way configobj's write() does (canonical quoting, "key = value",
 * inline comments glued on with the indent string), so a file written by
 * Python reads and writes back byte for byte, and a file we write is what
 * Python would have written for the same edit. */
#include "storage/configobj.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "storage/fsutil.h"

struct co_entry {
    char *value;             /* scalar, or the list joined with ", " */
    struct strvec list;      /* elements when is_list */
    int is_list;
    struct strvec comments;  /* full lines before the entry, as read */
    char *inline_comment;    /* "#..." or NULL */
    char key[];              /* allocated with the entry (entry_new) */
};

struct co_section {
    char *name;              /* NULL for the root */
    int depth;               /* root 0, [a] 1, [[b]] 2 */
    struct co_section *parent;
    struct co_entry **entries;
    size_t n_entries, cap_entries;
    struct co_section **subs;
    size_t n_subs, cap_subs;
    struct strvec comments;  /* lines before the "[name]" marker */
    char *inline_comment;
};

struct configobj {
    struct co_section root;
    struct strvec initial_comment;
    struct strvec final_comment;
    char *indent;            /* configobj's indent_type */
    const char *newline;
    int bom;
};

/* ---- small helpers ------------------------------------------------------- */

/* Python's str.isspace() for the ASCII range (what configobj's strip()
 * and \s see in practice). */
static int is_pyspace(char c)
{
    unsigned char u = (unsigned char)c;

    return u == ' ' || (u >= '\t' && u <= '\r') || (u >= 0x1c && u <= 0x1f);
}

static const char *skip_ws(const char *p)
{
    while (*p && is_pyspace(*p))
        p++;
    return p;
}

static char *strndup_trim_right(const char *s, size_t n)
{
    while (n > 0 && is_pyspace(s[n - 1]))
        n--;
    return strndup(s, n);
}

static int is_blank_or_comment(const char *line)
{
    const char *p = skip_ws(line);

    return *p == '\0' || *p == '#';
}

/* An empty entry named by the n characters at key (one allocation: every
 * renew reads some twenty keys per lineage). */
static struct co_entry *entry_new(const char *key, size_t n)
{
    struct co_entry *e = malloc(sizeof(*e) + n + 1);

    if (!e)
        return NULL;
    memset(e, 0, sizeof(*e));
    memcpy(e->key, key, n);
    e->key[n] = '\0';
    return e;
}

static void entry_free(struct co_entry *e)
{
    if (!e)
        return;
    free(e->value);
    strvec_clear(&e->list);
    strvec_clear(&e->comments);
    free(e->inline_comment);
    free(e);
}

static void section_free_contents(struct co_section *s)
{
    for (size_t i = 0; i < s->n_entries; i++)
        entry_free(s->entries[i]);
    free(s->entries);
    s->entries = NULL;
    s->n_entries = s->cap_entries = 0;
    for (size_t i = 0; i < s->n_subs; i++) {
        section_free_contents(s->subs[i]);
        free(s->subs[i]->name);
        strvec_clear(&s->subs[i]->comments);
        free(s->subs[i]->inline_comment);
        free(s->subs[i]);
    }
    free(s->subs);
    s->subs = NULL;
    s->n_subs = s->cap_subs = 0;
}

static void section_free(struct co_section *s)
{
    if (!s)
        return;
    section_free_contents(s);
    free(s->name);
    strvec_clear(&s->comments);
    free(s->inline_comment);
    free(s);
}

static long find_entry(const struct co_section *s, const char *key)
{
    /* the first character rules out most keys without a call */
    for (size_t i = 0; i < s->n_entries; i++)
        if (s->entries[i]->key[0] == key[0] &&
            strcmp(s->entries[i]->key, key) == 0)
            return (long)i;
    return -1;
}

static long find_sub(const struct co_section *s, const char *name)
{
    for (size_t i = 0; i < s->n_subs; i++)
        if (strcmp(s->subs[i]->name, name) == 0)
            return (long)i;
    return -1;
}

static int append_entry(struct co_section *s, struct co_entry *e)
{
    if (s->n_entries == s->cap_entries) {
        size_t nc = s->cap_entries ? s->cap_entries * 2 : 8;
        struct co_entry **ne = realloc(s->entries, nc * sizeof(*ne));
        if (!ne)
            return CB_ERR_NOMEM;
        s->entries = ne;
        s->cap_entries = nc;
    }
    s->entries[s->n_entries++] = e;
    return CB_OK;
}

static struct co_section *append_sub(struct co_section *parent,
                                     const char *name)
{
    struct co_section *s = NULL;

    if (parent->n_subs == parent->cap_subs) {
        size_t nc = parent->cap_subs ? parent->cap_subs * 2 : 4;
        struct co_section **ns = realloc(parent->subs, nc * sizeof(*ns));
        if (!ns)
            return NULL;
        parent->subs = ns;
        parent->cap_subs = nc;
    }
    s = calloc(1, sizeof(*s));
    if (!s)
        return NULL;
    s->name = strdup(name);
    if (!s->name) {
        free(s);
        return NULL;
    }
    s->depth = parent->depth + 1;
    s->parent = parent;
    parent->subs[parent->n_subs++] = s;
    return s;
}

/* (Re)build the cached ", "-joined text of a list entry. */
static int entry_join(struct co_entry *e)
{
    char *j = strvec_join(&e->list, ", ");

    if (!j)
        return CB_ERR_NOMEM;
    free(e->value);
    e->value = j;
    return CB_OK;
}

/* ---- quoting (configobj's _quote) ---------------------------------------- */

/* The characters configobj refuses at either end of an unquoted value. */
static int is_wspace_plus(char c)
{
    return c != '\0' && strchr(" \r\n\v\t'\"", c) != NULL;
}

static int single_quote(const char *v, char **out)
{
    int has_sq = strchr(v, '\'') != NULL, has_dq = strchr(v, '"') != NULL;

    if (has_sq && has_dq)
        return CB_ERR_INVAL;
    if (asprintf(out, has_dq ? "'%s'" : "\"%s\"", v) < 0) {
        *out = NULL;
        return CB_ERR_NOMEM;
    }
    return CB_OK;
}

/* Quote one value; multiline allows triple quotes (scalars, not keys or
 * list members).  CB_ERR_INVAL when configobj could not quote it either. */
static int quote(const char *v, int multiline, char **out)
{
    size_t n = strlen(v);
    int has_sq = strchr(v, '\'') != NULL, has_dq = strchr(v, '"') != NULL;
    int has_nl = strchr(v, '\n') != NULL;
    int need_triple;

    *out = NULL;
    if (n == 0) {
        *out = strdup("\"\"");
        return *out ? CB_OK : CB_ERR_NOMEM;
    }
    need_triple = multiline && ((has_sq && has_dq) || has_nl);
    if (need_triple) {
        int has_tdq = strstr(v, "\"\"\"") != NULL;
        if (has_tdq && strstr(v, "'''"))
            return CB_ERR_INVAL;
        if (asprintf(out, has_tdq ? "\"\"\"%s\"\"\"" : "'''%s'''", v) < 0) {
            *out = NULL;
            return CB_ERR_NOMEM;
        }
        return CB_OK;
    }
    if (has_nl)
        return CB_ERR_INVAL;
    if (is_wspace_plus(v[0]) || is_wspace_plus(v[n - 1]) || strchr(v, ',') ||
        strchr(v, '#'))
        return single_quote(v, out);
    *out = strdup(v);
    return *out ? CB_OK : CB_ERR_NOMEM;
}

/* Keys are quoted like list members; '=' is added because configobj
 * would otherwise write a key it cannot read back. */
static int quote_key(const char *k, char **out)
{
    if (strchr(k, '=') && !strchr(k, ',') && !strchr(k, '#') &&
        !is_wspace_plus(k[0]) && !is_wspace_plus(k[strlen(k) - 1]))
        return single_quote(k, out);
    return quote(k, 0, out);
}

static int quote_entry_value(const struct co_entry *e, char **out)
{
    struct strvec parts = { 0 };
    int r = CB_OK;

    *out = NULL;
    if (!e->is_list)
        return quote(e->value, 1, out);
    if (e->list.n == 0) {
        *out = strdup(",");
        return *out ? CB_OK : CB_ERR_NOMEM;
    }
    for (size_t i = 0; i < e->list.n; i++) {
        char *q = NULL;
        r = quote(e->list.v[i], 0, &q);
        if (r < 0)
            goto out;
        r = strvec_push_take(&parts, q);
        if (r < 0)
            goto out;
    }
    if (parts.n == 1) {
        if (asprintf(out, "%s,", parts.v[0]) < 0) {
            *out = NULL;
            r = CB_ERR_NOMEM;
        }
    } else {
        *out = strvec_join(&parts, ", ");
        if (!*out)
            r = CB_ERR_NOMEM;
    }
out:
    strvec_clear(&parts);
    return r;
}

/* ---- parsing ------------------------------------------------------------- */

struct parser {
    struct configobj *doc;
    const char *filename;
    char **lines;
    size_t n_lines;
    struct cb_err *err;
};

static int parse_error(struct parser *ps, const char *what, size_t idx)
{
    return cb_err_set(ps->err, CB_ERR_CONFIG, "%s: %s at line %zu.",
                      ps->filename ? ps->filename : "<string>", what, idx + 1);
}

/* The remainder "\s*(#.*)?$": 1 if it matches; *comment gets the '#'. */
static int tail_is_comment(const char *p, const char **comment)
{
    p = skip_ws(p);
    if (*p != '\0' && *p != '#')
        return 0;
    if (comment)
        *comment = *p ? p : NULL;
    return 1;
}

/* "((?:\s*\])+)\s*(\#.*)?$" after a section name. */
static int marker_tail(const char *p, int *closes, const char **comment)
{
    int n = 0;

    for (;;) {
        const char *q = skip_ws(p);
        if (*q != ']')
            break;
        n++;
        p = q + 1;
    }
    if (n == 0 || !tail_is_comment(p, comment))
        return 0;
    *closes = n;
    return 1;
}

/* A section name starting at p followed by the closing brackets. */
static int marker_name_at(const char *p, char **name, const char **comment,
                          int *closes)
{
    if (*p == '"' || *p == '\'') {
        /* quoted: at least one non-space inside, lazy close */
        for (const char *c = strchr(p + 1, *p); c; c = strchr(c + 1, *p)) {
            if (skip_ws(p + 1) >= c || !marker_tail(c + 1, closes, comment))
                continue;
            *name = strndup(p, (size_t)(c - p + 1));
            return *name ? 1 : CB_ERR_NOMEM;
        }
        return 0;
    }
    if (*p == '\0' || is_pyspace(*p))
        return 0;
    for (const char *e = p + 1;; e++) {
        if (marker_tail(e, closes, comment)) {
            *name = strndup(p, (size_t)(e - p));
            return *name ? 1 : CB_ERR_NOMEM;
        }
        if (*e == '\0')
            return 0;
    }
}

/* Section marker; 0 = not a marker line, 1 = parsed, <0 = error.  *name
 * is still quoted (configobj unquotes it afterwards). */
static int parse_marker(const char *line, size_t *indent, int *depth,
                        char **name, const char **comment, int *closes)
{
    const char *p = skip_ws(line);
    const char *after[64];
    int opens = 0, m = 0;

    if (*p != '[')
        return 0;
    while (*p == '[' && opens < 64) {
        p = skip_ws(p + 1);
        after[opens++] = p;
    }
    /* The regex gives brackets back one by one when no name fits: "[[']"
     * is section "['" at depth 1. */
    for (int k = opens; k >= 1 && m == 0; k--) {
        m = marker_name_at(after[k - 1], name, comment, closes);
        if (m == 1)
            *depth = k;
    }
    if (m != 1)
        return m;
    *indent = (size_t)(skip_ws(line) - line);
    return 1;
}

/* configobj's _unquote for names: strip matching outer quotes. */
static void unquote_inplace(char *s)
{
    size_t n = strlen(s);

    if (n >= 2 && s[0] == s[n - 1] && (s[0] == '"' || s[0] == '\'')) {
        memmove(s, s + 1, n - 2);
        s[n - 2] = '\0';
    }
}

/* Where a parsed "key = value" line has its parts: the indent is
 * line[0, indent), the key the key_len characters at key. */
struct pkeyword {
    size_t indent;
    const char *key;
    size_t key_len;
    const char *value;
};

/* "key = value" at key start k (configobj's _keyword regex): 1 parsed,
 * 0 no match. */
static int keyword_at(const char *line, const char *k, struct pkeyword *kw)
{
    if (*k == '"' || *k == '\'') {
        for (const char *c = strchr(k + 1, *k); c; c = strchr(c + 1, *k)) {
            const char *eq = skip_ws(c + 1);
            if (*eq != '=')
                continue;
            kw->key = k + 1;
            kw->key_len = (size_t)(c - k - 1);
            kw->value = skip_ws(eq + 1);
            goto found;
        }
        return 0;
    }
    if (*k == '=' || *k == '\0')
        return 0;
    {
        /* the first character always belongs to the key; the rest is
         * lazy up to the first '=' (trailing blanks excluded) */
        const char *eq = strchr(k + 1, '=');
        if (!eq)
            return 0;
        size_t n = (size_t)(eq - k);
        while (n > 1 && is_pyspace(k[n - 1]))
            n--;
        kw->key = k;
        kw->key_len = n;
        kw->value = skip_ws(eq + 1);
    }
found:
    kw->indent = (size_t)(k - line);
    return 1;
}

static int parse_keyword(const char *line, struct pkeyword *kw)
{
    const char *k = skip_ws(line);
    int m = keyword_at(line, k, kw);

    /* The regex backtracks into the indentation: the key may then start
     * with the last blank (configobj reads "  = x" as key " "). */
    if (m == 0 && k > line)
        m = keyword_at(line, k - 1, kw);
    return m;
}

/* configobj's _unquote: drop matching outer quotes (a lone quote
 * character becomes the empty string, as in Python). */
static void py_unquote(char *v)
{
    size_t n = strlen(v);

    if (n >= 1 && v[0] == v[n - 1] && (v[0] == '"' || v[0] == '\'')) {
        if (n == 1) {
            v[0] = '\0';
            return;
        }
        memmove(v, v + 1, n - 2);
        v[n - 2] = '\0';
    }
}

struct pvalue {
    int is_list;
    char *scalar;
    struct strvec list;
    const char *comment;
};

/* A quoted token at p: the first closing quote after which the text goes
 * on with the wanted delimiter (list item: ','; last item: '#' or end). */
static const char *quoted_close(const char *p, int want_comma)
{
    for (const char *c = strchr(p + 1, *p); c; c = strchr(c + 1, *p)) {
        const char *after = skip_ws(c + 1);
        if (want_comma ? *after == ',' : (*after == '\0' || *after == '#'))
            return c;
    }
    return NULL;
}

/* configobj's _handle_value with list_values on.  0 ok, CB_ERR_INVAL on
 * a syntax error, CB_ERR_NOMEM. */
static int parse_value(const char *p, struct pvalue *pv)
{
    int have_items = 0;
    int r;

    memset(pv, 0, sizeof(*pv));
    if (*p == ',') {
        if (!tail_is_comment(p + 1, &pv->comment))
            return CB_ERR_INVAL;
        pv->is_list = 1;
        return CB_OK;
    }
    for (;;) {
        const char *c, *end;
        if (*p == '"' || *p == '\'') {
            c = quoted_close(p, 1);
            if (c) {
                r = strvec_push_take(&pv->list,
                                     strndup(p + 1, (size_t)(c - p - 1)));
                if (r < 0)
                    return r;
                have_items = 1;
                p = skip_ws(skip_ws(c + 1) + 1);
                continue;
            }
            c = quoted_close(p, 0);
            if (!c && have_items && is_pyspace(p[-1])) {
                /* configobj's regex backtracks into the blank after the
                 * comma and takes "<blank>\"x, " as an unquoted item */
                end = p + strcspn(p, ",#");
                if (*end != ',')
                    return CB_ERR_INVAL;
                r = strvec_push_take(&pv->list,
                                     strndup_trim_right(p, (size_t)(end - p)));
                if (r < 0)
                    return r;
                py_unquote(pv->list.v[pv->list.n - 1]);
                p = skip_ws(end + 1);
                continue;
            }
            if (!c)
                return CB_ERR_INVAL;
            pv->scalar = strndup(p + 1, (size_t)(c - p - 1));
            if (!pv->scalar)
                return CB_ERR_NOMEM;
            tail_is_comment(c + 1, &pv->comment);
            break;
        }
        if (*p == '\0' || *p == '#') {
            /* nothing left: "" for a bare "key =", no element after "a," */
            if (!have_items) {
                pv->scalar = strdup("");
                if (!pv->scalar)
                    return CB_ERR_NOMEM;
            }
            pv->comment = *p ? p : NULL;
            break;
        }
        if (*p == ',')
            return CB_ERR_INVAL;
        end = p + strcspn(p, ",#");
        if (*end == ',') {
            r = strvec_push_take(&pv->list,
                                 strndup_trim_right(p, (size_t)(end - p)));
            if (r < 0)
                return r;
            have_items = 1;
            p = skip_ws(end + 1);
            continue;
        }
        pv->scalar = strndup_trim_right(p, (size_t)(end - p));
        if (!pv->scalar)
            return CB_ERR_NOMEM;
        pv->comment = *end ? end : NULL;
        break;
    }
    if (have_items) {
        pv->is_list = 1;
        if (pv->scalar) {
            r = strvec_push_take(&pv->list, pv->scalar);
            pv->scalar = NULL;
            if (r < 0)
                return r;
        }
    }
    return CB_OK;
}

/* Triple-quoted value starting on line *idx; may consume more lines. */
static int parse_multiline(struct parser *ps, const char *v, size_t *idx,
                           char **value, const char **comment)
{
    char quot[4];
    const char *body = v + 3, *c;
    char *acc = NULL;
    size_t len;

    memcpy(quot, v, 3);
    quot[3] = '\0';
    for (c = strstr(body, quot); c; c = strstr(c + 1, quot)) {
        if (tail_is_comment(c + 3, comment)) {
            *value = strndup(body, (size_t)(c - body));
            return *value ? CB_OK : CB_ERR_NOMEM;
        }
    }
    if (strstr(body, quot))
        return CB_ERR_INVAL;
    acc = strdup(body);
    if (!acc)
        return CB_ERR_NOMEM;
    for (;;) {
        const char *line;
        char *grown;
        if (*idx + 1 >= ps->n_lines) {
            free(acc);
            return CB_ERR_INVAL;
        }
        (*idx)++;
        line = ps->lines[*idx];
        c = strstr(line, quot);
        len = c ? (size_t)(c - line) : strlen(line);
        if (c) {
            /* the first quote after which only a comment may follow */
            while (c && !tail_is_comment(c + 3, comment))
                c = strstr(c + 1, quot);
            if (!c) {
                free(acc);
                return CB_ERR_INVAL;
            }
            len = (size_t)(c - line);
        }
        if (asprintf(&grown, "%s\n%.*s", acc, (int)len, line) < 0) {
            free(acc);
            return CB_ERR_NOMEM;
        }
        free(acc);
        acc = grown;
        if (c)
            break;
    }
    *value = acc;
    return CB_OK;
}

/* The document's indent string becomes the first n characters of line
 * (configobj takes the first indentation it meets). */
static int set_indent(struct configobj *doc, const char *line, size_t n)
{
    char *indent = strndup(line, n);

    if (!indent)
        return CB_ERR_NOMEM;
    free(doc->indent);
    doc->indent = indent;
    return CB_OK;
}

static int parse_lines(struct parser *ps)
{
    struct configobj *doc = ps->doc;
    struct co_section *cur = &doc->root;
    struct strvec comments = { 0 };
    int done_start = 0, reset_comment = 0, indent_set = 0;
    int r = CB_OK;

    for (size_t i = 0; i < ps->n_lines; i++) {
        const char *line = ps->lines[i];
        char *name = NULL;
        size_t indent = 0;
        const char *comment = NULL;
        int depth = 0, closes = 0, m;

        if (reset_comment) {
            strvec_clear(&comments);
            reset_comment = 0;
        }
        if (is_blank_or_comment(line)) {
            r = strvec_push(&comments, line);
            if (r < 0)
                goto out;
            continue;
        }
        if (!done_start) {
            doc->initial_comment = comments;
            memset(&comments, 0, sizeof(comments));
            done_start = 1;
        }
        reset_comment = 1;

        m = parse_marker(line, &indent, &depth, &name, &comment, &closes);
        if (m < 0) {
            r = m;
            goto out;
        }
        if (m == 1) {
            struct co_section *parent, *s;
            if (indent && !indent_set) {
                r = set_indent(doc, line, indent);
                indent_set = 1;
                if (r < 0) {
                    free(name);
                    goto out;
                }
            }
            if (depth != closes) {
                free(name);
                r = parse_error(ps, "Cannot compute the section depth", i);
                goto out;
            }
            if (depth < cur->depth) {
                parent = cur;
                while (parent->depth > depth)
                    parent = parent->parent;
                parent = parent->parent;
            } else if (depth == cur->depth) {
                parent = cur->parent;
            } else if (depth == cur->depth + 1) {
                parent = cur;
            } else {
                free(name);
                r = parse_error(ps, "Section too nested", i);
                goto out;
            }
            unquote_inplace(name);
            if (find_sub(parent, name) >= 0 || find_entry(parent, name) >= 0) {
                free(name);
                r = parse_error(ps, "Duplicate section name", i);
                goto out;
            }
            s = append_sub(parent, name);
            free(name);
            if (!s) {
                r = CB_ERR_NOMEM;
                goto out;
            }
            s->comments = comments;
            memset(&comments, 0, sizeof(comments));
            if (comment) {
                s->inline_comment = strdup(comment);
                if (!s->inline_comment) {
                    r = CB_ERR_NOMEM;
                    goto out;
                }
            }
            cur = s;
            continue;
        }

        {
            char *value = NULL;
            const char *raw;
            struct pkeyword kw;
            struct pvalue pv;
            struct co_entry *e;

            m = parse_keyword(line, &kw);
            if (m == 0) {
                char what[160];
                snprintf(what, sizeof(what), "Invalid line ('%.100s') "
                         "(matched as neither section nor keyword)", line);
                r = parse_error(ps, what, i);
                goto out;
            }
            if (kw.indent && !indent_set) {
                r = set_indent(doc, line, kw.indent);
                indent_set = 1;
                if (r < 0)
                    goto out;
            }
            raw = kw.value;
            memset(&pv, 0, sizeof(pv));
            if (strncmp(raw, "'''", 3) == 0 || strncmp(raw, "\"\"\"", 3) == 0) {
                size_t at = i;
                r = parse_multiline(ps, raw, &i, &value, &comment);
                if (r == CB_ERR_INVAL) {
                    r = parse_error(ps, "Parse error in multiline value", at);
                    goto out;
                }
                pv.scalar = value;
                pv.comment = comment;
            } else {
                r = parse_value(raw, &pv);
                if (r == CB_ERR_INVAL) {
                    free(pv.scalar);
                    strvec_clear(&pv.list);
                    r = parse_error(ps, "Parse error in value", i);
                    goto out;
                }
            }
            e = r < 0 ? NULL : entry_new(kw.key, kw.key_len);
            if (r == CB_OK && !e)
                r = CB_ERR_NOMEM;
            if (r < 0 || find_entry(cur, e->key) >= 0 ||
                find_sub(cur, e->key) >= 0) {
                int dup = r == CB_OK;
                free(e);
                free(pv.scalar);
                strvec_clear(&pv.list);
                if (dup)
                    r = parse_error(ps, "Duplicate keyword name", i);
                goto out;
            }
            e->is_list = pv.is_list;
            e->list = pv.list;
            e->value = pv.scalar;
            e->comments = comments;
            memset(&comments, 0, sizeof(comments));
            if (pv.comment)
                e->inline_comment = strdup(pv.comment);
            if ((e->is_list && entry_join(e) < 0) ||
                (pv.comment && !e->inline_comment) ||
                append_entry(cur, e) < 0) {
                entry_free(e);
                r = CB_ERR_NOMEM;
                goto out;
            }
        }
    }
    /* configobj: trailing comments become final_comment, or the initial
     * comment of a document with no entries at all. */
    if (doc->root.n_entries == 0 && doc->root.n_subs == 0 &&
        doc->initial_comment.n == 0) {
        doc->initial_comment = comments;
        memset(&comments, 0, sizeof(comments));
    } else if (!reset_comment) {
        doc->final_comment = comments;
        memset(&comments, 0, sizeof(comments));
    }
out:
    strvec_clear(&comments);
    return r;
}

struct configobj *configobj_new(void)
{
    struct configobj *doc = calloc(1, sizeof(*doc));

    if (!doc)
        return NULL;
    /* Certbot always writes through a parsed (possibly empty) file, so
     * its indent string is "" rather than configobj's default. */
    doc->indent = strdup("");
    if (!doc->indent) {
        free(doc);
        return NULL;
    }
    doc->newline = "\n";
    return doc;
}

int configobj_parse(const char *text, size_t len, const char *filename,
                    struct configobj **out, struct cb_err *err)
{
    struct configobj *doc = NULL;
    struct parser ps = { .filename = filename, .err = err };
    char *copy = NULL;
    size_t cap = 0;
    int r = CB_OK;

    *out = NULL;
    doc = configobj_new();
    if (!doc) {
        r = cb_err_set(err, CB_ERR_NOMEM, "out of memory");
        goto out;
    }
    ps.doc = doc;
    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
        doc->bom = 1;
        text += 3;
        len -= 3;
    }
    if (memchr(text, '\0', len)) {
        r = cb_err_set(err, CB_ERR_CONFIG, "%s: contains a NUL byte",
                       filename ? filename : "<string>");
        goto out;
    }
    copy = malloc(len + 1);
    if (!copy) {
        r = cb_err_set(err, CB_ERR_NOMEM, "out of memory");
        goto out;
    }
    memcpy(copy, text, len);
    copy[len] = '\0';

    /* Lines split on '\n' like readlines(); trailing '\r'/'\n' stripped;
     * the first line ending found is the one used for writing. */
    for (size_t i = 0; i < len;) {
        const char *eol = memchr(copy + i, '\n', len - i);
        size_t j = eol ? (size_t)(eol - copy) : len;

        if (ps.n_lines == cap) {
            size_t nc = cap ? cap * 2 : 64;
            char **nl = realloc(ps.lines, nc * sizeof(*nl));
            if (!nl) {
                r = cb_err_set(err, CB_ERR_NOMEM, "out of memory");
                goto out;
            }
            ps.lines = nl;
            cap = nc;
        }
        ps.lines[ps.n_lines++] = copy + i;
        {
            size_t k = j;
            int has_nl = j < len;
            if (ps.n_lines == 1) {
                if (has_nl)
                    doc->newline = (k > i && copy[k - 1] == '\r') ? "\r\n"
                                                                  : "\n";
                else if (k > i && copy[k - 1] == '\r')
                    doc->newline = "\r";
            }
            while (k > i && (copy[k - 1] == '\r' || copy[k - 1] == '\n'))
                k--;
            copy[k] = '\0';
        }
        i = j + 1;
    }
    r = parse_lines(&ps);
    if (r == CB_ERR_NOMEM)
        cb_err_set(err, r, "out of memory");
    if (r < 0)
        goto out;
    *out = doc;
    doc = NULL;
out:
    free(ps.lines);
    free(copy);
    configobj_free(doc);
    return r;
}

int configobj_load(const char *path, struct configobj **out,
                   struct cb_err *err)
{
    char *data = NULL;
    size_t len = 0;
    int r;

    *out = NULL;
    if (access(path, F_OK) < 0 && errno == ENOENT) {
        r = cb_err_set(err, CB_ERR_NOT_FOUND, "%s: %s", path,
                       strerror(ENOENT));
        goto out;
    }
    r = fs_read_all(path, &data, &len, err);
    if (r < 0)
        goto out;
    r = configobj_parse(data, len, path, out, err);
out:
    free(data);
    return r;
}

void configobj_free(struct configobj *doc)
{
    if (!doc)
        return;
    section_free_contents(&doc->root);
    strvec_clear(&doc->initial_comment);
    strvec_clear(&doc->final_comment);
    free(doc->indent);
    free(doc);
}

/* ---- writing ------------------------------------------------------------- */

struct writer {
    const struct configobj *doc;
    struct strvec out;
};

static int push_line(struct writer *w, const char *a, const char *b,
                     const char *c, const char *d, const char *e)
{
    return strvec_pushf(&w->out, "%s%s%s%s%s", a, b ? b : "", c ? c : "",
                        d ? d : "", e ? e : "");
}

/* Comment lines before an entry: stripped on the left and given "# " if
 * they are not blank and not already comments (configobj's write()). */
static int write_comments(struct writer *w, const struct strvec *c,
                          const char *indent, int keep_left)
{
    for (size_t i = 0; i < c->n; i++) {
        const char *line = keep_left ? c->v[i] : skip_ws(c->v[i]);
        const char *stripped = skip_ws(line);
        const char *pfx = (*stripped && *stripped != '#') ? "# " : "";
        int r = push_line(w, keep_left ? "" : indent, pfx, line, NULL, NULL);
        if (r < 0)
            return r;
    }
    return CB_OK;
}

static int inline_comment(const struct configobj *doc, const char *c,
                          char **out)
{
    *out = NULL;
    if (!c || !*c) {
        *out = strdup("");
    } else if (asprintf(out, "%s%s%s", doc->indent, c[0] == '#' ? "" : " # ",
                        c) < 0) {
        *out = NULL;
    }
    return *out ? CB_OK : CB_ERR_NOMEM;
}

static int write_section(struct writer *w, const struct co_section *s)
{
    char *indent = NULL;
    size_t il = strlen(w->doc->indent);
    int r = CB_OK;

    indent = malloc(il * (size_t)s->depth + 1);
    if (!indent)
        return CB_ERR_NOMEM;
    for (int d = 0; d < s->depth; d++)
        memcpy(indent + il * (size_t)d, w->doc->indent, il);
    indent[il * (size_t)s->depth] = '\0';

    for (size_t i = 0; i < s->n_entries; i++) {
        const struct co_entry *e = s->entries[i];
        char *k = NULL, *v = NULL, *c = NULL;
        r = write_comments(w, &e->comments, indent, 0);
        if (r == CB_OK)
            r = quote_key(e->key, &k);
        if (r == CB_OK)
            r = quote_entry_value(e, &v);
        if (r == CB_OK)
            r = inline_comment(w->doc, e->inline_comment, &c);
        if (r == CB_OK)
            r = push_line(w, indent, k, " = ", v, c);
        free(k);
        free(v);
        free(c);
        if (r < 0)
            goto out;
    }
    for (size_t i = 0; i < s->n_subs; i++) {
        const struct co_section *sub = s->subs[i];
        char *open = NULL, *close = NULL, *n = NULL, *c = NULL;
        r = write_comments(w, &sub->comments, indent, 0);
        if (r == CB_OK)
            r = quote(sub->name, 0, &n);
        if (r == CB_OK)
            r = inline_comment(w->doc, sub->inline_comment, &c);
        if (r == CB_OK) {
            open = malloc((size_t)sub->depth + 1);
            close = malloc((size_t)sub->depth + 1);
            if (!open || !close) {
                r = CB_ERR_NOMEM;
            } else {
                memset(open, '[', (size_t)sub->depth);
                memset(close, ']', (size_t)sub->depth);
                open[sub->depth] = close[sub->depth] = '\0';
                r = push_line(w, indent, open, n, close, c);
            }
        }
        free(open);
        free(close);
        free(n);
        free(c);
        if (r == CB_OK)
            r = write_section(w, sub);
        if (r < 0)
            goto out;
    }
out:
    free(indent);
    return r;
}

static char *render(const struct configobj *doc, int *status)
{
    struct writer w = { .doc = doc };
    char *body = NULL, *text = NULL;
    const char *nl = doc->newline ? doc->newline : "\n";
    size_t bl, nll = strlen(nl);
    int r;

    r = write_comments(&w, &doc->initial_comment, "", 1);
    if (r == CB_OK)
        r = write_section(&w, &doc->root);
    if (r == CB_OK)
        r = write_comments(&w, &doc->final_comment, "", 1);
    if (r < 0)
        goto out;
    body = strvec_join(&w.out, nl);
    if (!body) {
        r = CB_ERR_NOMEM;
        goto out;
    }
    bl = strlen(body);
    text = malloc(3 + bl + nll + 1);
    if (!text) {
        r = CB_ERR_NOMEM;
        goto out;
    }
    {
        size_t o = 0;
        if (doc->bom) {
            memcpy(text, "\xef\xbb\xbf", 3);
            o = 3;
        }
        memcpy(text + o, body, bl);
        o += bl;
        if (bl < nll || memcmp(body + bl - nll, nl, nll) != 0) {
            memcpy(text + o, nl, nll);
            o += nll;
        }
        text[o] = '\0';
    }
out:
    strvec_clear(&w.out);
    free(body);
    if (status)
        *status = r;
    return text;
}

char *configobj_write(const struct configobj *doc)
{
    return render(doc, NULL);
}

/* ---- navigation and edits ------------------------------------------------ */

struct co_section *configobj_root(struct configobj *doc)
{
    return doc ? &doc->root : NULL;
}

struct co_section *co_section_get(struct co_section *parent, const char *name)
{
    long i;

    if (!parent || !name)
        return NULL;
    i = find_sub(parent, name);
    return i < 0 ? NULL : parent->subs[i];
}

struct co_section *co_section_add(struct co_section *parent, const char *name)
{
    char *q = NULL;
    struct co_section *s;

    if (!parent || !name || !*name)
        return NULL;
    s = co_section_get(parent, name);
    if (s)
        return s;
    /* a key of that name, or a name configobj cannot write: refuse */
    if (find_entry(parent, name) >= 0 || quote(name, 0, &q) < 0)
        return NULL;
    free(q);
    return append_sub(parent, name);
}

void co_section_clear(struct co_section *s)
{
    if (s)
        section_free_contents(s);
}

int co_section_remove(struct co_section *parent, const char *name)
{
    long i;

    if (!parent || !name)
        return CB_ERR_INVAL;
    i = find_sub(parent, name);
    if (i < 0)
        return CB_ERR_NOT_FOUND;
    section_free(parent->subs[i]);
    memmove(&parent->subs[i], &parent->subs[i + 1],
            (parent->n_subs - (size_t)i - 1) * sizeof(*parent->subs));
    parent->n_subs--;
    return CB_OK;
}

const char *co_get(const struct co_section *s, const char *key)
{
    long i;

    if (!s || !key)
        return NULL;
    i = find_entry(s, key);
    return i < 0 ? NULL : s->entries[i]->value;
}

int co_is_list(const struct co_section *s, const char *key)
{
    long i;

    if (!s || !key)
        return 0;
    i = find_entry(s, key);
    return i >= 0 && s->entries[i]->is_list;
}

int co_get_list(const struct co_section *s, const char *key,
                struct strvec *out)
{
    const struct co_entry *e;
    long i;
    int r;

    if (!s || !key)
        return CB_ERR_INVAL;
    i = find_entry(s, key);
    if (i < 0)
        return CB_ERR_NOT_FOUND;
    e = s->entries[i];
    if (!e->is_list)
        return strvec_push(out, e->value);
    for (size_t j = 0; j < e->list.n; j++) {
        r = strvec_push(out, e->list.v[j]);
        if (r < 0)
            return r;
    }
    return CB_OK;
}

/* The entry for key, created at the end when absent. */
static int entry_for_set(struct co_section *s, const char *key,
                         struct co_entry **out)
{
    struct co_entry *e;
    char *q = NULL;
    long i;
    int r;

    if (!s || !key || !*key)
        return CB_ERR_INVAL;
    if (find_sub(s, key) >= 0)
        return CB_ERR_EXISTS;
    r = quote_key(key, &q);
    free(q);
    if (r < 0)
        return r;
    i = find_entry(s, key);
    if (i >= 0) {
        *out = s->entries[i];
        return CB_OK;
    }
    e = entry_new(key, strlen(key));
    if (!e)
        return CB_ERR_NOMEM;
    e->value = strdup("");
    if (!e->value || append_entry(s, e) < 0) {
        entry_free(e);
        return CB_ERR_NOMEM;
    }
    *out = e;
    return CB_OK;
}

int co_set(struct co_section *s, const char *key, const char *value)
{
    struct co_entry *e = NULL;
    char *q = NULL, *v;
    int r;

    if (!value)
        return CB_ERR_INVAL;
    r = quote(value, 1, &q);
    free(q);
    if (r < 0)
        return r;
    v = strdup(value);
    if (!v)
        return CB_ERR_NOMEM;
    r = entry_for_set(s, key, &e);
    if (r < 0) {
        free(v);
        return r;
    }
    free(e->value);
    e->value = v;
    strvec_clear(&e->list);
    e->is_list = 0;
    return CB_OK;
}

int co_set_list(struct co_section *s, const char *key,
                const char *const *values, size_t n)
{
    struct strvec list = { 0 };
    struct co_entry *e = NULL;
    int r = CB_OK;

    for (size_t i = 0; i < n; i++) {
        char *q = NULL;
        if (!values[i]) {
            r = CB_ERR_INVAL;
            goto out;
        }
        r = quote(values[i], 0, &q);
        free(q);
        if (r == CB_OK)
            r = strvec_push(&list, values[i]);
        if (r < 0)
            goto out;
    }
    r = entry_for_set(s, key, &e);
    if (r < 0)
        goto out;
    strvec_clear(&e->list);
    e->list = list;
    memset(&list, 0, sizeof(list));
    e->is_list = 1;
    r = entry_join(e);
out:
    strvec_clear(&list);
    return r;
}

int co_remove(struct co_section *s, const char *key)
{
    long i;

    if (!s || !key)
        return CB_ERR_INVAL;
    i = find_entry(s, key);
    if (i < 0)
        return CB_ERR_NOT_FOUND;
    entry_free(s->entries[i]);
    memmove(&s->entries[i], &s->entries[i + 1],
            (s->n_entries - (size_t)i - 1) * sizeof(*s->entries));
    s->n_entries--;
    return CB_OK;
}

int co_keys(const struct co_section *s, struct strvec *out)
{
    if (!s)
        return CB_ERR_INVAL;
    for (size_t i = 0; i < s->n_entries; i++) {
        int r = strvec_push(out, s->entries[i]->key);
        if (r < 0)
            return r;
    }
    return CB_OK;
}

int co_sections(const struct co_section *s, struct strvec *out)
{
    if (!s)
        return CB_ERR_INVAL;
    for (size_t i = 0; i < s->n_subs; i++) {
        int r = strvec_push(out, s->subs[i]->name);
        if (r < 0)
            return r;
    }
    return CB_OK;
}

const char *co_section_name(const struct co_section *s)
{
    return s ? s->name : NULL;
}

int co_section_keep_only(struct co_section *s, const struct strvec *names)
{
    if (!s || !names)
        return CB_ERR_INVAL;
    for (size_t i = s->n_entries; i-- > 0;)
        if (!strvec_contains(names, s->entries[i]->key))
            co_remove(s, s->entries[i]->key);
    for (size_t i = s->n_subs; i-- > 0;)
        if (!strvec_contains(names, s->subs[i]->name))
            co_section_remove(s, s->subs[i]->name);
    return CB_OK;
}

int co_section_copy(struct co_section *dst, const struct co_section *src)
{
    int r = CB_OK;

    if (!dst || !src)
        return CB_ERR_INVAL;
    for (size_t i = 0; i < src->n_entries && r == CB_OK; i++) {
        const struct co_entry *e = src->entries[i];
        if (e->is_list)
            r = co_set_list(dst, e->key, (const char *const *)e->list.v,
                            e->list.n);
        else
            r = co_set(dst, e->key, e->value);
    }
    for (size_t i = 0; i < src->n_subs && r == CB_OK; i++) {
        struct co_section *d = co_section_add(dst, src->subs[i]->name);
        if (!d)
            return CB_ERR_NOMEM;
        co_section_clear(d);
        r = co_section_copy(d, src->subs[i]);
    }
    return r;
}

int configobj_render(const struct configobj *doc, char **out)
{
    int r = CB_OK;

    *out = render(doc, &r);
    if (!*out && r == CB_OK)
        r = CB_ERR_NOMEM;
    return r;
}

/* Python dict equality of two parsed sections: same keys with the same
 * values (a list equals only a list with the same elements), same
 * subsections, recursively; order and comments do not matter. */
int co_section_equal(const struct co_section *a, const struct co_section *b)
{
    if (!a || !b)
        return a == b;
    if (a->n_entries != b->n_entries || a->n_subs != b->n_subs)
        return 0;
    for (size_t i = 0; i < a->n_entries; i++) {
        const struct co_entry *x = a->entries[i], *y;
        long j = find_entry(b, x->key);

        if (j < 0)
            return 0;
        y = b->entries[j];
        if (x->is_list != y->is_list || strcmp(x->value, y->value) != 0)
            return 0;
        if (x->is_list) {
            if (x->list.n != y->list.n)
                return 0;
            for (size_t k = 0; k < x->list.n; k++)
                if (strcmp(x->list.v[k], y->list.v[k]) != 0)
                    return 0;
        }
    }
    for (size_t i = 0; i < a->n_subs; i++) {
        long j = find_sub(b, a->subs[i]->name);

        if (j < 0 || !co_section_equal(a->subs[i], b->subs[j]))
            return 0;
    }
    return 1;
}
