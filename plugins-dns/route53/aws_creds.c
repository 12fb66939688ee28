/* The AWS credential chain: see aws_creds.h. */
#include "aws_creds.h"

#include <ctype.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "buf.h"

/* Keys AWS's tools accept in either file (the session token also under
 * its older name). */
struct found {
    char *ak, *sk, *token;
};

static void found_free(struct found *f)
{
    free(f->ak);
    if (f->sk) /* secret: do not leave it in freed memory */
        memset(f->sk, 0, strlen(f->sk));
    free(f->sk);
    free(f->token);
    memset(f, 0, sizeof(*f));
}

static const char *env(const char *name)
{
    const char *v = getenv(name);

    return v && *v ? v : NULL;
}

static char *home_path(const char *override, const char *rel)
{
    const char *home = env("HOME");
    struct buf b = {0};

    if (!home) {
        struct passwd *pw = getpwuid(getuid());
        home = pw ? pw->pw_dir : "/";
    }
    if (override && override[0] == '~' && override[1] == '/')
        buf_addf(&b, "%s%s", home, override + 1);
    else if (override)
        buf_adds(&b, override);
    else
        buf_addf(&b, "%s/%s", home, rel);
    return buf_steal(&b);
}

static char *trim(char *s)
{
    char *e;

    while (isspace((unsigned char)*s))
        s++;
    e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = '\0';
    return s;
}

static int set(char **dst, const char *v)
{
    free(*dst);
    *dst = strdup(v);
    return *dst ? 0 : -1;
}

/* Reads section `want` of INI file path into f.  Returns 1 when the section
 * exists, 0 when it (or the file) does not, -1 when out of memory. */
static int read_section(const char *path, const char *want, struct found *f)
{
    FILE *fp = fopen(path, "r");
    char line[4096];
    int in = 0, seen = 0;

    if (!fp)
        return 0;
    while (fgets(line, sizeof(line), fp)) {
        char *s = trim(line), *eq;

        if (*s == '#' || *s == ';' || *s == '\0')
            continue;
        if (*s == '[') {
            char *close = strchr(s, ']');

            if (close)
                *close = '\0';
            in = strcmp(trim(s + 1), want) == 0;
            seen |= in;
            continue;
        }
        if (!in)
            continue;
        eq = strchr(s, '=');
        if (!eq)
            continue;
        *eq = '\0';
        s = trim(s);
        eq = trim(eq + 1);
        if ((strcasecmp(s, "aws_access_key_id") == 0 && set(&f->ak, eq)) ||
            (strcasecmp(s, "aws_secret_access_key") == 0 &&
             set(&f->sk, eq)) ||
            ((strcasecmp(s, "aws_session_token") == 0 ||
              (strcasecmp(s, "aws_security_token") == 0 && !f->token)) &&
             set(&f->token, eq))) {
            fclose(fp);
            return -1;
        }
    }
    memset(line, 0, sizeof(line));
    fclose(fp);
    return seen;
}

static int take(struct aws_creds *c, struct found *f, const char *source,
                const char *ak_name, const char *sk_name, char *err,
                size_t errlen)
{
    if (!f->ak || !f->sk || !*f->ak || !*f->sk) {
        snprintf(err, errlen, "Partial credentials found in %s, missing: %s",
                 source, (!f->ak || !*f->ak) ? ak_name : sk_name);
        found_free(f);
        return AWS_CREDS_ERROR;
    }
    c->access_key = f->ak;
    c->secret_key = f->sk;
    c->session_token = f->token && *f->token ? f->token : NULL;
    if (!c->session_token)
        free(f->token);
    memset(f, 0, sizeof(*f));
    return AWS_CREDS_FOUND;
}

int aws_creds_load(struct aws_creds *c, char *err, size_t errlen)
{
    const char *profile = env("AWS_PROFILE");
    char *cred_path = NULL, *conf_path = NULL, *section = NULL;
    struct found f = {0};
    int r = AWS_CREDS_NONE, in_creds, in_conf;

    memset(c, 0, sizeof(*c));
    if (!profile)
        profile = env("AWS_DEFAULT_PROFILE");
    if (!profile)
        profile = "default";

    if (env("AWS_ACCESS_KEY_ID") || env("AWS_SECRET_ACCESS_KEY")) {
        const char *t = env("AWS_SESSION_TOKEN");

        if (!t)
            t = env("AWS_SECURITY_TOKEN");
        if ((env("AWS_ACCESS_KEY_ID") &&
             set(&f.ak, env("AWS_ACCESS_KEY_ID"))) ||
            (env("AWS_SECRET_ACCESS_KEY") &&
             set(&f.sk, env("AWS_SECRET_ACCESS_KEY"))) ||
            (t && set(&f.token, t)))
            goto oom;
        snprintf(c->source, sizeof(c->source), "environment variables");
        r = take(c, &f, "env", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
                 err, errlen);
        goto out;
    }

    cred_path = home_path(env("AWS_SHARED_CREDENTIALS_FILE"),
                          ".aws/credentials");
    conf_path = home_path(env("AWS_CONFIG_FILE"), ".aws/config");
    if (!cred_path || !conf_path)
        goto oom;
    in_creds = read_section(cred_path, profile, &f);
    if (in_creds < 0)
        goto oom;
    if (f.ak || f.sk) {
        snprintf(c->source, sizeof(c->source),
                 "shared credentials file: %s", cred_path);
        r = take(c, &f, "shared-credentials-file", "aws_access_key_id",
                 "aws_secret_access_key", err, errlen);
        goto out;
    }
    found_free(&f);

    /* In the config file only the default profile may omit "profile ". */
    {
        struct buf b = {0};

        buf_addf(&b, "profile %s", profile);
        section = buf_steal(&b);
        if (!section)
            goto oom;
    }
    in_conf = read_section(conf_path, section, &f);
    if (in_conf == 0 && strcmp(profile, "default") == 0)
        in_conf = read_section(conf_path, "default", &f);
    if (in_conf < 0)
        goto oom;
    if (f.ak || f.sk) {
        snprintf(c->source, sizeof(c->source), "config file: %s", conf_path);
        r = take(c, &f, "config-file", "aws_access_key_id",
                 "aws_secret_access_key", err, errlen);
        goto out;
    }
    if (!in_creds && !in_conf && strcmp(profile, "default") != 0) {
        snprintf(err, errlen, "The config profile (%s) could not be found",
                 profile);
        r = AWS_CREDS_ERROR;
    }
    goto out;
oom:
    snprintf(err, errlen, "out of memory");
    r = AWS_CREDS_ERROR;
out:
    found_free(&f);
    free(section);
    free(cred_path);
    free(conf_path);
    return r;
}

void aws_creds_free(struct aws_creds *c)
{
    struct found f = {c->access_key, c->secret_key, c->session_token};

    found_free(&f);
    memset(c, 0, sizeof(*c));
}
