#!/usr/bin/env bash
# dns-route53 against pebble and a local HTTPS mock of the Route 53 API
# (tests/mocks/route53.py) that checks every request's SigV4 signature,
# pages ListHostedZones, answers PENDING then INSYNC, and publishes the
# record sets in pebble-challtestsrv so pebble validates dns-01 for real.
# A-026 and A-278 (route53 has no flags), A-279 (provider mock, wrong
# secret -> plugin error, exit 1).
. "$(dirname "$0")/lib.sh"
. "$top_srcdir/tests/mocks/mocklib.sh"

require_python3
command -v jq >/dev/null 2>&1 || skip_all "jq not installed"
[ -e "${CERTBOT_PLUGIN_PATH:-}/dns-route53.so" ] ||
    skip_all "dns-route53.so not built (CERTBOT_PLUGIN_PATH)"

INSTRUCTIONS='To use certbot-dns-route53, configure credentials as described at https://boto3.readthedocs.io/en/latest/guide/configuration.html#best-practices-for-configuring-credentials and add the necessary permissions for Route53 access.'

# ------------------------------------------------- A-026 / A-278: no flags
run certbot_bare --help dns-route53
is "$RC" 0 "A-278 --help dns-route53 exits 0"
hasnt "$OUT" "--dns-route53-propagation-seconds" \
    "A-278 route53 has no propagation flag"
hasnt "$OUT" "--dns-route53-credentials" "A-278 route53 has no credentials flag"
run certbot_bare certonly --dns-route53 --dns-route53-propagation-seconds 10 \
    -d x.test
is "$RC" 2 "A-026 --dns-route53-propagation-seconds is rejected (exit 2) with the plugin installed"
has "$ERR" "unrecognized arguments: --dns-route53-propagation-seconds 10" \
    "A-026 argparse's message"

# renewals below must solve their challenges again
export PEBBLE_AUTHZREUSE=0
require_pebble_env

AK=AKIDR53MOCKTEST
SK='r53/mock+secret-0123456789abcdef'
mock_start r53 route53.py --access-key "$AK" --secret-key "$SK" \
    --zone r53.test --zone deep.r53.test --zone private.r53.test:private \
    --zone other.test --decoy-zones 4 --per-page-max 2 ||
    bail_out "Route 53 mock did not start"
ST=$MOCK_DIR/r53.state.json
LOG=$MOCK_DIR/r53.log
jqs() { jq -r "$@" "$ST"; }
zid() { jqs --arg n "$1." '.zones[] | select(.name == $n) | .id'; }

export AWS_ENDPOINT_URL_ROUTE_53=https://127.0.0.1:$MOCK_PORT
export CERTBOT_ROUTE53_POLL_MS=20
# Keep the user's own AWS setup out of the test.
export HOME=$T/home AWS_CONFIG_FILE=$T/aws/config
export AWS_SHARED_CREDENTIALS_FILE=$T/aws/credentials
unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_SESSION_TOKEN AWS_ENDPOINT_URL
mkdir -p "$HOME" "$T/aws"

# Verified TLS both ways: no --no-verify-ssl, a bundle of pebble's and the
# mock's certificates (certbot reads REQUESTS_CA_BUNDLE, like requests).
cat "$T/pebble/cert.pem" "$MOCK_DIR/cert.pem" >"$T/bundle.pem"
r53() {
    REQUESTS_CA_BUNDLE=$T/bundle.pem timeout -k 5 "$CB_TIMEOUT" \
        "${CERTBOT_CMD[@]}" --server "$PEBBLE_DIR_URL" \
        --config-dir "$C" --work-dir "$W" --logs-dir "$L" \
        --no-random-sleep-on-renew -n --agree-tos \
        --register-unsafely-without-email "$@"
}
dig_txt() { # dig_txt NAME: TXT values challtestsrv (pebble's DNS) serves
    local port
    port=$(ps -o args= -p "$CTS_PID" | sed -n 's/.*-dns01 127\.0\.0\.1:\([0-9]*\).*/\1/p')
    dig +short +time=2 +tries=1 -p "$port" @127.0.0.1 TXT "$1" | sort
}

# --------------------------------------- env credentials: wildcard + base
export AWS_ACCESS_KEY_ID=$AK AWS_SECRET_ACCESS_KEY=$SK
run r53 certonly --dns-route53 -d r53.test -d '*.r53.test' \
    -d a.deep.r53.test -d x.private.r53.test
is "$RC" 0 "A-279 certonly --dns-route53 (wildcard + base) exits 0" || show_run
ok "certificate saved" test -s "$C/live/r53.test/fullchain.pem"
is "$(san_list "$C/live/r53.test/cert.pem" | tr '\n' ' ')" \
    "*.r53.test a.deep.r53.test r53.test x.private.r53.test " \
    "certificate covers the wildcard, the base and both other names"
is "$(conf_get "$C/renewal/r53.test.conf" authenticator renewalparams)" \
    "dns-route53" "renewal conf: authenticator = dns-route53"
is "$(conf_section_keys "$C/renewal/r53.test.conf" renewalparams | tr ' ' '\n' | grep -c route53)" \
    "0" "renewal conf: no dns_route53_* options (the plugin has none)"

base=_acme-challenge.r53.test.
Z=$(zid r53.test) ZD=$(zid deep.r53.test)
# The batch: one TXT set per name; the second value joins the first.
is "$(jqs --arg n "$base" '[.changes[] | select(.name == $n) |
        "\(.action):\(.values | length):\(.ttl)"] | join(" ")')" \
    "UPSERT:1:10 UPSERT:2:10 UPSERT:1:10 DELETE:1:10" \
    "base + wildcard share one set: UPSERT 1, UPSERT 2, cleanup UPSERT 1, DELETE last (TTL 10)"
is "$(jqs --arg n "$base" '[.changes[] | select(.name == $n)][1].values |
        map(test("^\"[A-Za-z0-9_-]{43}\"$")) | all')" "true" \
    "values are the quoted dns-01 digests"
is "$(jqs --arg n "$base" '[.changes[] | select(.name == $n)][0].comment')" \
    "certbot-dns-route53 certificate validation UPSERT" "change comment"
is "$(jqs '.changes[] | select(.name == "_acme-challenge.a.deep.r53.test.") | .zone' | sort -u)" \
    "$ZD" "a.deep.r53.test goes to the longest matching zone (deep.r53.test)"
is "$(jqs '.changes[] | select(.name == "_acme-challenge.x.private.r53.test.") | .zone' | sort -u)" \
    "$Z" "the private zone private.r53.test is skipped (parent r53.test used)"
is "$(jqs '[.records[] | to_entries[]] | length')" "0" \
    "every TXT set was removed at Route 53"
is "$(dig_txt "$base")" "" "challtestsrv no longer serves _acme-challenge.r53.test"
n_changes=$(jqs '[.changes[] | select(.action == "UPSERT")] | length')
ok "GetChange polled until INSYNC (PENDING first)" \
    test "$(jqs .polls)" -ge 4
lists=$(grep -c '"path": "/2013-04-01/hostedzone"' "$LOG")
ok "ListHostedZones walked several pages (Marker/NextMarker): $lists pages" \
    test "$lists" -gt "$n_changes"
like "$(jq -r 'select(.path == "/2013-04-01/hostedzone") | .query.marker // empty' "$LOG" | head -n 1)" \
    '^Z' "later pages asked with marker=<NextMarker>"
unlike "$(cat "$L"/letsencrypt.log* 2>/dev/null)" "$(printf '%s' "$SK" | sed 's/[+/]/./g')" \
    "the secret key is not logged"

# With an account that never validated these names: pebble reuses an
# account's valid authorization about 1 time in 100 even with
# PEBBLE_AUTHZREUSE=0, and then that name's changes would be missing.
before=$(jqs '.changes | length')
acct=$(fresh_account) || bail_out "could not register a fresh account"
run r53 renew --force-renewal --cert-name r53.test --account "$acct"
is "$RC" 0 "renew uses the stored dns-route53 authenticator" || show_run
is "$(jqs '.changes | length')" "$((before * 2))" \
    "renew made the same changes again"
is "$(jqs '[.records[] | to_entries[]] | length')" "0" \
    "and removed every TXT set again"
drop_account "$acct"

# ------------------------------------------- shared credentials file
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
printf '[default]\naws_access_key_id = nope\naws_secret_access_key = nope\n\n[certbot]\naws_access_key_id = %s\naws_secret_access_key = %s\n' \
    "$AK" "$SK" >"$AWS_SHARED_CREDENTIALS_FILE"
AWS_PROFILE=certbot run r53 certonly --dns-route53 -d other.test
is "$RC" 0 "credentials from the shared credentials file, profile AWS_PROFILE" || show_run
rm -f "$AWS_SHARED_CREDENTIALS_FILE"
printf '[default]\nregion = us-east-1\naws_access_key_id = %s\naws_secret_access_key = %s\n' \
    "$AK" "$SK" >"$AWS_CONFIG_FILE"
ep=$AWS_ENDPOINT_URL_ROUTE_53
unset AWS_ENDPOINT_URL_ROUTE_53
AWS_ENDPOINT_URL="$ep/" run r53 certonly --dns-route53 -d b.other.test
export AWS_ENDPOINT_URL_ROUTE_53=$ep
is "$RC" 0 "credentials from the config file's [default]; endpoint from AWS_ENDPOINT_URL" || show_run
rm -f "$AWS_CONFIG_FILE"

# ---------------------------------------------------- missing credentials
run r53 certonly --dns-route53 -d c.other.test
is "$RC" 1 "no credentials anywhere: exit 1"
has "$ERR" "Unable to locate credentials
$INSTRUCTIONS" "no credentials: Certbot's message and hint"
AWS_ACCESS_KEY_ID=$AK run r53 certonly --dns-route53 -d c.other.test
is "$RC" 1 "half the env pair: exit 1"
has "$ERR" "Partial credentials found in env, missing: AWS_SECRET_ACCESS_KEY" \
    "half the env pair: botocore's partial-credentials message"
AWS_PROFILE=nosuch run r53 certonly --dns-route53 -d c.other.test
has "$ERR" "The config profile (nosuch) could not be found" \
    "unknown AWS_PROFILE: named"

# ------------------------------------------------------------ wrong secret
export AWS_ACCESS_KEY_ID=$AK AWS_SECRET_ACCESS_KEY=not-the-secret
run r53 certonly --dns-route53 -d c.other.test
is "$RC" 1 "A-279 wrong secret: exit 1"
has "$ERR" "An error occurred (SignatureDoesNotMatch) when calling the ListHostedZones operation: The request signature we calculated does not match the signature you provided." \
    "A-279 wrong secret: the API's error in one line"
has "$ERR" "$INSTRUCTIONS" "wrong secret: Certbot's hint follows"
hasnt "$(cat "$L"/letsencrypt.log* "$T/last.out" "$T/last.err")" \
    "not-the-secret" "the wrong secret is not printed or logged"
ok "wrong secret: no lineage for c.other.test" test ! -e "$C/live/c.other.test"
AWS_ACCESS_KEY_ID=AKIDUNKNOWN run r53 certonly --dns-route53 -d c.other.test
has "$ERR" "An error occurred (InvalidClientTokenId) when calling the ListHostedZones operation: The security token included in the request is invalid." \
    "unknown access key: InvalidClientTokenId"
export AWS_SECRET_ACCESS_KEY=$SK

# ------------------------------------------------------ API failures
mock_mode r53 500
run r53 certonly --dns-route53 -d c.other.test
is "$RC" 1 "HTTP 500 from the API: exit 1"
has "$ERR" "An error occurred (InternalFailure) when calling the ListHostedZones operation: The request processing has failed because of an unknown error." \
    "HTTP 500 with Route 53's error XML: code and message"
mock_mode r53 500text
run r53 certonly --dns-route53 -d c.other.test
has "$ERR" "An error occurred (500) when calling the ListHostedZones operation: Internal Server Error" \
    "HTTP 500 without XML: the status stands in for the code"
mock_mode r53 pending
CERTBOT_ROUTE53_POLL_MS=5 run r53 certonly --dns-route53 -d c.other.test
is "$RC" 1 "a change that never gets INSYNC: exit 1"
has "$ERR" "Timed out waiting for Route53 change. Current status: PENDING" \
    "GetChange polling is bounded"
is "$(jqs '.records["'"$(zid other.test)"'"] // {} | length')" "0" \
    "after the timeout the record is still cleaned up"
mock_mode r53 ""
run r53 certonly --dns-route53 -d nozone.example
is "$RC" 1 "no hosted zone: exit 1"
has "$ERR" "Unable to find a Route53 hosted zone for _acme-challenge.nozone.example" \
    "no hosted zone: Certbot's message"

# TLS to the API is verified: with only pebble's certificate trusted the
# mock's self-signed certificate is refused before anything is sent.
mock_reset_log r53
cp "$T/pebble/cert.pem" "$T/pebble-only.pem"
REQUESTS_CA_BUNDLE=$T/pebble-only.pem run timeout -k 5 "$CB_TIMEOUT" \
    "${CERTBOT_CMD[@]}" --server "$PEBBLE_DIR_URL" --config-dir "$C" \
    --work-dir "$W" --logs-dir "$L" -n --agree-tos \
    --register-unsafely-without-email certonly --dns-route53 -d c.other.test
is "$RC" 1 "untrusted API certificate: exit 1"
is "$(wc -l <"$LOG" | tr -d ' ')" "0" "untrusted API certificate: no request reached the mock"

done_testing
