/* configobj reader/writer against files written by Python Certbot 2.1
 * (configobj 5.0.8) and hand-made edge cases. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage/configobj.h"
#include "storage/fsutil.h"
#include "tap.h"

static char *data_path(const char *name)
{
    const char *top = getenv("top_srcdir");
    char *p = NULL;

    if (asprintf(&p, "%s/tests/data/storage/%s", top ? top : "..", name) < 0)
        return NULL;
    return p;
}

static char *slurp(const char *name)
{
    char *path = data_path(name), *data = NULL;
    size_t len;

    if (fs_read_all(path, &data, &len, NULL) < 0)
        data = NULL;
    free(path);
    return data;
}

static struct configobj *parse_str(const char *text)
{
    struct configobj *doc = NULL;
    struct cb_err err = { 0 };

    if (configobj_parse(text, strlen(text), "t.conf", &doc, &err) < 0)
        printf("# parse error: %s\n", cb_err_msg(&err));
    return doc;
}

/* Parse then write must give back the same bytes. */
static void roundtrip(const char *name, const char *label)
{
    char *text = slurp(name), *out = NULL;
    struct configobj *doc = text ? parse_str(text) : NULL;

    out = doc ? configobj_write(doc) : NULL;
    ok(out && strcmp(out, text) == 0, label);
    if (out && text && strcmp(out, text) != 0)
        printf("# got:\n%s", out);
    free(out);
    free(text);
    configobj_free(doc);
}

static void test_roundtrips(void)
{
    roundtrip("py21-standalone-renewed.conf",
              "A-131/A-132: Python 2.1 renewed conf (leading comments, user "
              "renew_before_expiry) round-trips byte for byte");
    roundtrip("py21-webroot.conf",
              "A-129: Python 2.1 webroot conf with [[webroot_map]] "
              "round-trips");
    roundtrip("py21-manual.conf",
              "A-130: Python 2.1 manual conf with quoted hooks round-trips");
    roundtrip("v56.conf", "5.6-style conf without comments round-trips");
    roundtrip("edge.expected",
              "configobj's own rewrite of edge.conf is a fixed point");
}

static void test_edge_matches_python(void)
{
    char *in = slurp("edge.conf"), *want = slurp("edge.expected");
    struct configobj *doc = in ? parse_str(in) : NULL;
    char *out = doc ? configobj_write(doc) : NULL;
    struct co_section *root = doc ? configobj_root(doc) : NULL;
    struct strvec l = { 0 };

    ok(out && want && strcmp(out, want) == 0,
       "edge.conf is rewritten exactly as Python configobj 5.0.8 does");
    is_str(co_get(root, "top"), "1", "value before an inline comment");
    is_str(co_get(root, "empty"), "", "bare 'key =' is the empty string");
    is_str(co_get(root, "quoted"), "a, b", "double-quoted value with comma");
    is_str(co_get(root, "single"), "say \"hi\"", "single-quoted value");
    is_str(co_get(root, "quoted key"), "v", "quoted key");
    ok(co_is_list(root, "list") && co_get_list(root, "list", &l) == 0 &&
       l.n == 3 && strcmp(l.v[1], "b,c") == 0 && strcmp(l.v[2], "d#e") == 0,
       "list with quoted members");
    strvec_clear(&l);
    ok(co_is_list(root, "one") && co_get_list(root, "one", &l) == 0 &&
       l.n == 1 && strcmp(l.v[0], "x") == 0, "'x,' is a one-element list");
    strvec_clear(&l);
    ok(co_is_list(root, "none") && co_get_list(root, "none", &l) == 0 &&
       l.n == 0, "',' is the empty list");
    strvec_clear(&l);
    is_str(co_get(root, "multi"), "first\nsecond", "triple-quoted multiline");
    is_str(co_get(co_section_get(co_section_get(root, "outer"), "inner"),
                  "deep"), "1", "[[inner]] nested in [outer]");
    free(in);
    free(want);
    free(out);
    configobj_free(doc);
}

static void test_certbot_values(void)
{
    char *text = slurp("py21-webroot.conf");
    struct configobj *doc = text ? parse_str(text) : NULL;
    struct co_section *root = configobj_root(doc);
    struct co_section *rp = co_section_get(root, "renewalparams");
    struct co_section *wm = co_section_get(rp, "webroot_map");
    struct strvec l = { 0 };

    is_str(co_get(root, "version"), "2.1.0", "top-level version");
    ok(co_get_list(rp, "pref_challs", &l) == 0 && l.n == 2 &&
       strcmp(l.v[0], "http-01") == 0 && strcmp(l.v[1], "dns-01") == 0,
       "A-128: pref_challs 'http-01, dns-01' is a 2-element list");
    strvec_clear(&l);
    ok(co_is_list(rp, "webroot_path") &&
       co_get_list(rp, "webroot_path", &l) == 0 && l.n == 1,
       "A-129: webroot_path '/tmp/x/www,' is a one-element list");
    strvec_clear(&l);
    is_str(co_get(wm, "www.b.test"), "/tmp/x/www", "webroot_map entry");
    is_str(co_get(rp, "pref_challs"), "http-01, dns-01",
           "co_get joins a list with ', '");
    ok(co_get_list(rp, "nope", &l) == CB_ERR_NOT_FOUND,
       "co_get_list of a missing key is CB_ERR_NOT_FOUND");
    free(text);
    configobj_free(doc);

    text = slurp("v56.conf");
    doc = text ? parse_str(text) : NULL;
    rp = co_section_get(configobj_root(doc), "renewalparams");
    is_str(co_get(rp, "certbot_route53:auth_propagation_seconds"), "30",
           "keys may contain ':' and '.'");
    is_str(co_get(co_section_get(configobj_root(doc), "acme_renewal_info"),
                  "ari_retry_after"), "2026-01-01T06:00:00",
           "[acme_renewal_info] read");
    free(text);
    configobj_free(doc);
}

static void test_quoting(void)
{
    struct configobj *doc = configobj_new();
    struct co_section *root = configobj_root(doc);
    struct co_section *rp = co_section_add(root, "renewalparams");
    const char *one[] = { "http-01" };
    const char *two[] = { "dns-01", "http-01" };
    const char *want =
        "[renewalparams]\n"
        "pre_hook = \"echo a#b,c\"\n"
        "post_hook = '''echo 'q' \"d\"'''\n"
        "renew_hook = echo x\n"
        "lead = \" echo\"\n"
        "dq = 'say \"hi\"'\n"
        "pref_challs = http-01,\n"
        "two = dns-01, http-01\n"
        "none = ,\n"
        "e = \"\"\n";
    char *out;
    struct configobj *back;

    co_set(rp, "pre_hook", "echo a#b,c");
    co_set(rp, "post_hook", "echo 'q' \"d\"");
    co_set(rp, "renew_hook", "echo x");
    co_set(rp, "lead", " echo");
    co_set(rp, "dq", "say \"hi\"");
    co_set_list(rp, "pref_challs", one, 1);
    co_set_list(rp, "two", two, 2);
    co_set_list(rp, "none", NULL, 0);
    co_set(rp, "e", "");
    out = configobj_write(doc);
    is_str(out, want, "A-130/A-128: values quoted the way configobj does");
    back = out ? parse_str(out) : NULL;
    rp = co_section_get(configobj_root(back), "renewalparams");
    is_str(co_get(rp, "pre_hook"), "echo a#b,c",
           "A-130: hook with '#' and ',' reads back unchanged");
    is_str(co_get(rp, "post_hook"), "echo 'q' \"d\"",
           "A-130: hook with both quote kinds reads back unchanged");
    is_str(co_get(rp, "lead"), " echo", "leading blank survives");
    ok(co_set(rp, "bad", "a'''b\"\"\"c") == CB_ERR_INVAL,
       "a value configobj cannot quote is refused");
    {
        const char *both[] = { "a'b\"c," };
        ok(co_set_list(rp, "bad", both, 1) == CB_ERR_INVAL,
           "a list member with both quotes and a comma is refused");
    }
    ok(co_set(configobj_root(back), "renewalparams", "x") == CB_ERR_EXISTS,
       "a key cannot shadow a section");
    free(out);
    configobj_free(back);
    configobj_free(doc);
}

static void test_edits(void)
{
    char *text = slurp("py21-standalone-renewed.conf"), *out = NULL;
    struct configobj *doc = text ? parse_str(text) : NULL;
    struct co_section *root = configobj_root(doc);
    struct co_section *rp = co_section_get(root, "renewalparams");
    struct strvec keep = { 0 };

    co_set(root, "version", "5.6.0");
    co_set(rp, "foo", "bar");
    co_set(rp, "server", "https://example.test/dir");
    out = configobj_write(doc);
    ok(out && strncmp(out, "# renew_before_expiry = 30 days\n"
                      "renew_before_expiry = 10 days\nversion = 5.6.0\n"
                      "archive_dir = /tmp/x/c/archive/a.test\n", 116) == 0,
       "A-132/A-133: leading comment and user key kept, version updated "
       "in place");
    ok(out && strstr(out, "\n\n# Options used in the renewal process\n"
                     "[renewalparams]\n"),
       "A-132: comment before [renewalparams] kept");
    ok(out && strstr(out, "server = https://example.test/dir\n"
                     "authenticator = standalone\nkey_type = ecdsa\n"
                     "foo = bar\n"),
       "existing key updated in place, new key appended");
    free(out);

    /* Certbot's save: update with the relevant values, prune the rest. */
    strvec_push(&keep, "server");
    strvec_push(&keep, "authenticator");
    co_section_keep_only(rp, &keep);
    out = configobj_write(doc);
    ok(out && strstr(out, "[renewalparams]\nserver = https://example.test/"
                     "dir\nauthenticator = standalone\n") &&
       !strstr(out, "foo"),
       "A-133: keys not kept are dropped from [renewalparams]");
    free(out);

    co_section_clear(rp);
    co_set(rp, "authenticator", "webroot");
    co_section_add(configobj_root(doc), "acme_renewal_info");
    co_set(co_section_get(root, "acme_renewal_info"), "ari_retry_after",
           "2026-01-01T06:00:00");
    out = configobj_write(doc);
    ok(out && strstr(out, "# Options used in the renewal process\n"
                     "[renewalparams]\nauthenticator = webroot\n"
                     "[acme_renewal_info]\nari_retry_after = "
                     "2026-01-01T06:00:00\n") != NULL,
       "clearing [renewalparams] keeps its comment; new section appended");
    ok(co_remove(root, "renew_before_expiry") == 0 &&
       co_remove(root, "renew_before_expiry") == CB_ERR_NOT_FOUND,
       "co_remove, then CB_ERR_NOT_FOUND");
    ok(co_section_remove(root, "acme_renewal_info") == 0 &&
       co_section_get(root, "acme_renewal_info") == NULL,
       "co_section_remove");
    strvec_clear(&keep);
    co_keys(root, &keep);
    is_int(keep.n, 6, "co_keys lists the top-level keys");
    strvec_clear(&keep);
    co_sections(root, &keep);
    ok(keep.n == 1 && strcmp(keep.v[0], "renewalparams") == 0,
       "co_sections lists subsections");
    strvec_clear(&keep);
    free(out);
    free(text);
    configobj_free(doc);
}

static void expect_error(const char *text, const char *needle,
                         const char *label)
{
    struct configobj *doc = NULL;
    struct cb_err err = { 0 };
    int r = configobj_parse(text, strlen(text), "/x/bad.conf", &doc, &err);

    ok(r == CB_ERR_CONFIG && doc == NULL && strstr(err.msg, needle) &&
       strstr(err.msg, "/x/bad.conf"), label);
    if (r != CB_ERR_CONFIG || !strstr(err.msg, needle))
        printf("# r=%d msg=%s\n", r, err.msg);
}

static void test_errors(void)
{
    struct configobj *doc = NULL;
    struct cb_err err = { 0 };

    expect_error("a = 1\na = 2\n", "Duplicate keyword name at line 2",
                 "duplicate key is an error naming the line");
    expect_error("[s]\n[[[t]]]\n", "Section too nested at line 2",
                 "skipping a nesting level is an error");
    expect_error("[s]\n[s]\n", "Duplicate section name at line 2",
                 "duplicate section");
    expect_error("[s]]\n", "Cannot compute the section depth",
                 "unbalanced brackets");
    expect_error("just words\n", "Invalid line",
                 "a line that is neither key nor section");
    expect_error("a = \"x\" y\n", "Parse error in value at line 1",
                 "garbage after a quoted value");
    expect_error("a = '''x\n", "Parse error in multiline value",
                 "unterminated triple quote");
    ok(configobj_load("/nonexistent/x.conf", &doc, &err) == CB_ERR_NOT_FOUND,
       "loading a missing file is CB_ERR_NOT_FOUND");
}

static void test_newlines(void)
{
    const char *crlf = "# c\r\na = 1\r\n[s]\r\nb = x,\r\n";
    struct configobj *doc = parse_str(crlf);
    char *out = doc ? configobj_write(doc) : NULL;
    struct configobj *empty = configobj_new();
    char *e = configobj_write(empty);

    is_str(out, crlf, "CRLF files keep CRLF");
    free(out);
    configobj_free(doc);
    doc = parse_str("a = 1");
    out = doc ? configobj_write(doc) : NULL;
    is_str(out, "a = 1\n", "a missing final newline is added (configobj)");
    is_str(e, "\n", "an empty document writes one newline (configobj)");
    free(out);
    free(e);
    configobj_free(doc);
    configobj_free(empty);
}

int main(void)
{
    test_roundtrips();
    test_edge_matches_python();
    test_certbot_values();
    test_quoting();
    test_edits();
    test_errors();
    test_newlines();
    return done_testing();
}
