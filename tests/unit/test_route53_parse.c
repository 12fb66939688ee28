/* dns-route53's response parsing (plugins-dns/route53/xml.c) and its AWS
 * credential chain (aws_creds.c): environment, shared credentials file,
 * config file, profiles, partial and missing credentials. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tap.h"
#include "aws_creds.h"
#include "xml.h"

static struct xml_span span(const char *s)
{
    struct xml_span x = {s, s + strlen(s)};
    return x;
}

static void test_xml(void)
{
    static const char page[] =
        "<?xml version=\"1.0\"?>\n<ListHostedZonesResponse xmlns=\"x\">"
        "<HostedZones><HostedZone><Id>/hostedzone/Z1</Id><Name>a.test."
        "</Name><Config><PrivateZone>true</PrivateZone></Config>"
        "</HostedZone><HostedZone><Id>/hostedzone/Z2</Id><Name>b&amp;c."
        "</Name><Config><Comment/><PrivateZone>false</PrivateZone>"
        "</Config></HostedZone></HostedZones><Marker/>"
        "<IsTruncated>true</IsTruncated><NextMarker>Z3</NextMarker>"
        "</ListHostedZonesResponse>";
    struct xml_span zones, z, rest;
    char root[64], *s;
    int n = 0;

    xml_root_name(span(page), root, sizeof(root));
    is_str(root, "ListHostedZonesResponse", "root element after <?xml?>");
    ok(xml_find(span(page), "HostedZones", &zones, NULL), "HostedZones found");
    rest = zones;
    while (n < 5 && xml_find(rest, "HostedZone", &z, &rest))
        n++;
    is_int(n, 2, "two HostedZone elements iterated");
    s = xml_text(zones, "Name");
    is_str(s, "a.test.", "first Name");
    free(s);
    s = xml_text(z, "Name");
    is_str(s, "b&c.", "entities decoded");
    free(s);
    s = xml_text(span(page), "Marker");
    is_str(s, "", "<Marker/> is empty, not NextMarker's text");
    free(s);
    s = xml_text(span(page), "NextMarker");
    is_str(s, "Z3", "NextMarker");
    free(s);
    ok(xml_text(span(page), "Nope") == NULL, "absent element: NULL");
    ok(xml_text(span("<a><b>unterminated</a>"), "b") == NULL,
       "unterminated element: NULL");
    s = xml_text(span("<Message>&#34;x&#x41;&lt;</Message>"), "Message");
    is_str(s, "\"xA<", "numeric entities");
    free(s);
    xml_root_name(span("<html><body>500</body></html>"), root, sizeof(root));
    is_str(root, "html", "root of an HTML page");
}

static char dir[256];

static void put(const char *name, const char *text)
{
    char path[512];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static int load(struct aws_creds *c, char *err)
{
    err[0] = '\0';
    return aws_creds_load(c, err, 256);
}

static void test_creds(void)
{
    struct aws_creds c;
    char err[256], path[512];
    int r;

    snprintf(dir, sizeof(dir), "%s/r53credsXXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(dir)) {
        ok(0, "mkdtemp");
        return;
    }
    setenv("HOME", dir, 1);
    unsetenv("AWS_ACCESS_KEY_ID");
    unsetenv("AWS_SECRET_ACCESS_KEY");
    unsetenv("AWS_SESSION_TOKEN");
    unsetenv("AWS_SECURITY_TOKEN");
    unsetenv("AWS_PROFILE");
    unsetenv("AWS_DEFAULT_PROFILE");
    unsetenv("AWS_SHARED_CREDENTIALS_FILE");
    unsetenv("AWS_CONFIG_FILE");

    is_int(load(&c, err), AWS_CREDS_NONE, "nothing anywhere: NONE");

    setenv("AWS_ACCESS_KEY_ID", "AKENV", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "skenv", 1);
    setenv("AWS_SESSION_TOKEN", "tokenv", 1);
    r = load(&c, err);
    is_int(r, AWS_CREDS_FOUND, "environment");
    if (r == AWS_CREDS_FOUND) {
        is_str(c.access_key, "AKENV", "env access key");
        is_str(c.session_token, "tokenv", "env session token");
        is_str(c.source, "environment variables", "env source");
        aws_creds_free(&c);
    }
    unsetenv("AWS_SECRET_ACCESS_KEY");
    is_int(load(&c, err), AWS_CREDS_ERROR, "half the env pair: error");
    is_str(err, "Partial credentials found in env, missing: "
                "AWS_SECRET_ACCESS_KEY", "botocore's partial message");
    unsetenv("AWS_ACCESS_KEY_ID");
    unsetenv("AWS_SESSION_TOKEN");

    snprintf(path, sizeof(path), "%s/.aws", dir);
    mkdir(path, 0700);
    put(".aws/credentials", "# comment\n[default]\n"
                            "aws_access_key_id = AKFILE \n"
                            "AWS_SECRET_ACCESS_KEY=skfile\n"
                            "[work]\naws_access_key_id=AKWORK\n"
                            "aws_secret_access_key=skwork\n"
                            "aws_security_token=oldtok\n");
    r = load(&c, err);
    is_int(r, AWS_CREDS_FOUND, "~/.aws/credentials [default]");
    if (r == AWS_CREDS_FOUND) {
        is_str(c.access_key, "AKFILE", "value trimmed");
        is_str(c.secret_key, "skfile", "key names case-insensitive");
        ok(c.session_token == NULL, "no token");
        aws_creds_free(&c);
    }
    setenv("AWS_PROFILE", "work", 1);
    r = load(&c, err);
    is_int(r, AWS_CREDS_FOUND, "AWS_PROFILE picks the section");
    if (r == AWS_CREDS_FOUND) {
        is_str(c.access_key, "AKWORK", "profile's key");
        is_str(c.session_token, "oldtok", "aws_security_token accepted");
        aws_creds_free(&c);
    }
    setenv("AWS_PROFILE", "cfg", 1);
    put(".aws/config", "[default]\nregion=us-east-1\n"
                       "[profile cfg]\naws_access_key_id=AKCFG\n"
                       "aws_secret_access_key=skcfg\n"
                       "[half]\naws_access_key_id=AKHALF\n");
    r = load(&c, err);
    is_int(r, AWS_CREDS_FOUND, "config file [profile cfg]");
    if (r == AWS_CREDS_FOUND) {
        is_str(c.access_key, "AKCFG", "config profile key");
        aws_creds_free(&c);
    }
    setenv("AWS_PROFILE", "missing", 1);
    is_int(load(&c, err), AWS_CREDS_ERROR, "unknown profile: error");
    is_str(err, "The config profile (missing) could not be found",
           "botocore's profile message");
    unsetenv("AWS_PROFILE");

    snprintf(path, sizeof(path), "%s/other", dir);
    put("other", "[default]\naws_access_key_id=AKOTHER\n");
    setenv("AWS_SHARED_CREDENTIALS_FILE", path, 1);
    is_int(load(&c, err), AWS_CREDS_ERROR,
           "AWS_SHARED_CREDENTIALS_FILE used; half a pair: error");
    is_str(err, "Partial credentials found in shared-credentials-file, "
                "missing: aws_secret_access_key", "names the missing key");
    unsetenv("AWS_SHARED_CREDENTIALS_FILE");

    snprintf(path, sizeof(path), "rm -rf '%s'", dir);
    ok(system(path) == 0, "temp dir removed");
}

int main(void)
{
    test_xml();
    test_creds();
    return done_testing();
}
