/* The standard AWS credential chain, as far as a certbot plugin needs it
 * (what boto3 does for certbot-dns-route53):
 *   1. AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (/ AWS_SESSION_TOKEN)
 *   2. the shared credentials file: AWS_SHARED_CREDENTIALS_FILE or
 *      ~/.aws/credentials, section [<profile>]
 *   3. the config file: AWS_CONFIG_FILE or ~/.aws/config, section
 *      [default] or [profile <profile>]
 * with <profile> from AWS_PROFILE (or AWS_DEFAULT_PROFILE), else
 * "default".  Not supported: SSO, assume-role, credential_process,
 * container and instance-metadata credentials.
 *
 * Self-contained (libc only) so unit tests can exercise it. */
#ifndef R53_AWS_CREDS_H
#define R53_AWS_CREDS_H

#include <stddef.h>

struct aws_creds {
    char *access_key;     /* owned */
    char *secret_key;     /* owned; never logged */
    char *session_token;  /* owned; NULL when none; never logged */
    char source[512];     /* "environment variables", "shared credentials
                             file: <path>", ... for the log */
};

enum {
    AWS_CREDS_FOUND = 0,
    AWS_CREDS_NONE = 1,   /* nothing anywhere: botocore's NoCredentialsError */
    AWS_CREDS_ERROR = -1, /* partial credentials, unknown profile, no memory */
};

/* Fills c (free with aws_creds_free) and returns AWS_CREDS_FOUND, or
 * returns AWS_CREDS_NONE, or AWS_CREDS_ERROR with a one-line message in
 * err.  getenv is used for the environment. */
int aws_creds_load(struct aws_creds *c, char *err, size_t errlen);

void aws_creds_free(struct aws_creds *c);

#endif
