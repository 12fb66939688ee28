#!/usr/bin/env bash
# dns-cloudflare against pebble and a local HTTPS mock of the Cloudflare
# v4 API (tests/mocks/cloudflare.py) that also publishes the records in
# pebble-challtestsrv, so pebble validates dns-01 for real.  A-278, A-279
# (+ A-271/A-273 wording of the plugin's own credential checks).
. "$(dirname "$0")/lib.sh"
. "$top_srcdir/tests/mocks/mocklib.sh"

require_python3
command -v jq >/dev/null 2>&1 || skip_all "jq not installed"
[ -e "${CERTBOT_PLUGIN_PATH:-}/dns-cloudflare.so" ] ||
    skip_all "dns-cloudflare.so not built (CERTBOT_PLUGIN_PATH)"

# ------------------------------------------------------------ A-278 help
run certbot_bare --help dns-cloudflare
is "$RC" 0 "A-278 --help dns-cloudflare exits 0"
has "$OUT" "--dns-cloudflare-credentials DNS_CLOUDFLARE_CREDENTIALS" \
    "A-278 help lists --dns-cloudflare-credentials"
like "$(tr -s ' \n' ' ' <<<"$OUT")" \
    "--dns-cloudflare-propagation-seconds DNS_CLOUDFLARE_PROPAGATION_SECONDS The number of seconds to wait for DNS to propagate before asking the ACME server to verify the DNS record\. \(default: 10\)" \
    "A-278 dns-cloudflare propagation default is 10"

# Fresh authorizations every time, so renew really creates records again.
export PEBBLE_AUTHZREUSE=0
require_pebble_env

TOKEN=cf-token-0123456789abcdef
EMAIL=admin@cf.test
GKEY=cf-global-key-fedcba9876543210
mock_start cf cloudflare.py --token "$TOKEN" --email "$EMAIL" \
    --api-key "$GKEY" --zone cf.test --decoy-zones 3 --per-page-max 1 \
    --seed-txt "_acme-challenge.cf.test=another-client-value" ||
    bail_out "Cloudflare mock did not start"
export CERTBOT_DNS_CLOUDFLARE_API_URL=https://127.0.0.1:$MOCK_PORT/client/v4
ST=$MOCK_DIR/cf.state.json
LOG=$MOCK_DIR/cf.log

mkdir -p "$T/creds"
creds() { # creds FILE LINES...: a 0600 credentials file
    local f=$T/creds/$1
    shift
    printf '%s\n' "$@" >"$f"
    chmod 0600 "$f"
}
creds token.ini "dns_cloudflare_api_token = $TOKEN"
creds global.ini "dns_cloudflare_email = $EMAIL" \
    "dns_cloudflare_api_key = $GKEY"
creds wrong.ini "dns_cloudflare_api_token = not-the-token"
creds both.ini "dns_cloudflare_api_token = $TOKEN" \
    "dns_cloudflare_email = $EMAIL"
creds none.ini "# nothing here"
creds nokey.ini "dns_cloudflare_email = $EMAIL"

jqs() { jq -r "$@" "$ST"; }
zone_id=$(jqs '.zones[] | select(.name == "cf.test") | .id')

# --------------------------------------------- token: wildcard + base name
mock_reset_log cf
# A relative credentials path: the renewal conf must store it absolute.
in_T() { (cd "$T" && "$@"); }
run in_T cbn certonly --dns-cloudflare \
    --dns-cloudflare-credentials creds/token.ini \
    --dns-cloudflare-propagation-seconds 0 \
    -d cf.test -d "*.cf.test" --cert-name cftok
is "$RC" 0 "A-279 certonly --dns-cloudflare (API token) exits 0" || show_run
has "$OUT" "Waiting 0 seconds for DNS changes to propagate" \
    "A-279 propagation wait from --dns-cloudflare-propagation-seconds"
is "$(san_list "$C/live/cftok/cert.pem" | tr '\n' ' ')" "*.cf.test cf.test " \
    "A-279 certificate covers the wildcard and the base name"
is "$(jqs '.created | length')" 2 "A-279 two TXT records created"
is "$(jqs '[.created[] | "\(.type) \(.name) \(.ttl)"] | unique | join(",")')" \
    "TXT _acme-challenge.cf.test 120" \
    "A-279 record body: type TXT, name _acme-challenge.cf.test, ttl 120"
is "$(jqs '[.created[].content | test("^[A-Za-z0-9_-]{43}$")] | all')" true \
    "A-279 record content is the 43-char dns-01 validation"
is "$(jqs '[.created[].content] | unique | length')" 2 \
    "A-279 wildcard and base name got different values"
is "$(jqs '[.created[] | keys | join(",")] | unique | join(" ")')" \
    "content,name,ttl,type" "A-279 create body has exactly type/name/content/ttl"
is "$(jqs '[.deleted[].content] | sort | join(",")')" \
    "$(jqs '[.created[].content] | sort | join(",")')" \
    "A-279 cleanup deleted exactly the records it created"
is "$(jqs --arg z "$zone_id" '[.records[$z][] | .content] | join(",")')" \
    "another-client-value" \
    "A-279 the unrelated TXT record at the same name was left alone"
is "$(jq -r 'select(.method == "DELETE") | .path' "$LOG" | sort -u | wc -l)" 2 \
    "A-279 two DELETE /zones/:id/dns_records/:rid calls"
like "$(jq -r 'select(.method == "DELETE") | .path' "$LOG")" \
    "^/client/v4/zones/$zone_id/dns_records/[0-9a-f]{32}$" \
    "A-279 DELETE goes to /zones/:id/dns_records/:rid"
is "$(jq -r '.auth' "$LOG" | sort -u | tr '\n' ' ')" "bearer " \
    "A-279 every call used Authorization: Bearer"
has "$(jq -r 'select(.path | endswith("/dns_records")) | select(.method == "GET") | .query.page' "$LOG" | sort -u | tr '\n' ' ')" \
    "2" "A-279 record lookup walks result_info pages (per_page 1 -> page 2)"
has "$(jq -c 'select(.path == "/client/v4/zones") | .query' "$LOG" | head -n 1)" \
    '"name":"cf.test"' "A-279 zone lookup GET /zones?name=cf.test"
RCONF=$C/renewal/cftok.conf
is "$(conf_get "$RCONF" authenticator renewalparams)" dns-cloudflare \
    "A-279 renewal conf: authenticator = dns-cloudflare"
is "$(conf_get "$RCONF" dns_cloudflare_credentials renewalparams)" \
    "$T/creds/token.ini" "A-279 renewal conf: credentials path made absolute"
is "$(conf_get "$RCONF" dns_cloudflare_propagation_seconds renewalparams)" 0 \
    "A-279 renewal conf: propagation seconds as given"
ok "A-279 the token is not in the renewal conf or the log" \
    bash -c "! grep -rqF -- '$TOKEN' '$C/renewal' '$L'"

# --------------------------------------------- renew with the stored conf
# With an account that never validated these names: pebble reuses an
# account's valid authorization about 1 time in 100 even with
# PEBBLE_AUTHZREUSE=0, and then no record would be created.
mock_reset_log cf
acct=$(fresh_account) || bail_out "could not register a fresh account"
run cb renew --force-renewal --cert-name cftok --account "$acct"
is "$RC" 0 "A-279 renew uses the stored authenticator and credentials" ||
    show_run
is "$(jqs '.created | length')" 4 "A-279 renew created two more records"
is "$(jq -r 'select(.method == "POST") | .auth' "$LOG" | sort -u)" bearer \
    "A-279 renew authenticated with the stored credentials file's token"
is "$(jqs --arg z "$zone_id" '.records[$z] | length')" 1 \
    "A-279 renew cleaned up too"
drop_account "$acct"

# ------------------------------------------- email + Global API Key
mock_reset_log cf
run cbn certonly --dns-cloudflare --dns-cloudflare-credentials \
    "$T/creds/global.ini" --dns-cloudflare-propagation-seconds 0 \
    -d www.cf.test --cert-name cfglobal
is "$RC" 0 "A-279 certonly with dns_cloudflare_email + api_key exits 0" ||
    show_run
is "$(jq -r '.auth' "$LOG" | sort -u | tr '\n' ' ')" "global " \
    "A-279 global key sent as X-Auth-Email/X-Auth-Key (no Bearer)"
is "$(jq -r 'select(.path == "/client/v4/zones") | .query.name' "$LOG" | head -n 2 | tr '\n' ' ')" \
    "www.cf.test cf.test " "A-279 zone guesses: www.cf.test, then cf.test"
is "$(jqs '.created[-1] | "\(.name) \(.ttl)"')" "_acme-challenge.www.cf.test 120" \
    "A-279 record name for www.cf.test"
is "$(jqs --arg z "$zone_id" '.records[$z] | length')" 1 \
    "A-279 global-key run cleaned up"

ok "A-279 the Global API Key is not in the renewal conf or the log" \
    bash -c "! grep -rqF -- '$GKEY' '$C/renewal' '$L'"

# ------------------------------------------ TLS to the API is verified
# Without --no-verify-ssl: pebble's and the mock's certificates are
# trusted only through REQUESTS_CA_BUNDLE, like Certbot's requests.
cbv() {
    timeout -k 5 "$CB_TIMEOUT" "${CERTBOT_CMD[@]}" --server "$PEBBLE_DIR_URL" \
        --config-dir "$C" --work-dir "$W" --logs-dir "$L" -n --agree-tos \
        --register-unsafely-without-email "$@"
}
with_ca() { (REQUESTS_CA_BUNDLE=$1 && shift && "$@"); }
cat "$MOCK_DIR/cert.pem" "$T/pebble/cert.pem" >"$T/both-ca.pem"
new_dirs
run with_ca "$T/both-ca.pem" cbv certonly --dns-cloudflare \
    --dns-cloudflare-credentials "$T/creds/token.ini" \
    --dns-cloudflare-propagation-seconds 0 -d tls.cf.test
is "$RC" 0 "A-279 mock trusted through REQUESTS_CA_BUNDLE: exit 0" || show_run
new_dirs
run with_ca "$T/pebble/cert.pem" cbv certonly \
    --dns-cloudflare --dns-cloudflare-credentials "$T/creds/token.ini" \
    --dns-cloudflare-propagation-seconds 0 -d notls.cf.test
is "$RC" 1 "A-279 an untrusted API certificate -> exit 1"
like "$ERR" "SSL certificate problem" \
    "A-279 untrusted API certificate: the TLS error is reported"
ok "A-279 untrusted API certificate: no lineage" no_lineage_left
is "$(jqs '[.records[][] | select(.name == "_acme-challenge.notls.cf.test")] | length')" 0 \
    "A-279 untrusted API certificate: nothing was created"

# ------------------------------------------------ failures: no lineage
fail_run() { # fail_run CREDS DOMAIN: a fresh config dir, expect failure
    new_dirs
    run cbn certonly --dns-cloudflare --dns-cloudflare-credentials \
        "$T/creds/$1" --dns-cloudflare-propagation-seconds 0 -d "$2"
}

fail_run wrong.ini bad.cf.test
is "$RC" 1 "A-279 wrong token (401) -> exit 1"
has "$ERR" "Unable to determine zone_id for bad.cf.test using zone names: ['bad.cf.test', 'cf.test', 'test']. The error from Cloudflare was: 10000 Authentication error." \
    "A-279 wrong token: one clear line with Cloudflare's code and message"
ok "A-279 wrong token: no lineage" no_lineage_left
is "$(jq -r 'select(.auth == "bearer") | .status' "$LOG" | tail -n 1)" 401 \
    "A-279 the mock answered 401"

mock_mode cf 429
fail_run token.ini rl.cf.test
mock_mode cf ""
is "$RC" 1 "A-279 HTTP 429 -> exit 1"
has "$ERR" "The error from Cloudflare was: 971 Please wait and consider throttling your request speed." \
    "A-279 429: Cloudflare's rate-limit code and message"
ok "A-279 429: no lineage" no_lineage_left

mock_mode cf 500
fail_run token.ini se.cf.test
mock_mode cf ""
is "$RC" 1 "A-279 HTTP 500 (non-JSON page) -> exit 1"
has "$ERR" "The error from Cloudflare was: 500 HTTP error without a Cloudflare error body." \
    "A-279 500: the HTTP status when the body is not an API envelope"
ok "A-279 500: no lineage" no_lineage_left

# A create that fails after the zone was found: Certbot's wording.
mock_mode cf 500:POST
fail_run token.ini post.cf.test
mock_mode cf ""
is "$RC" 1 "A-279 failing POST -> exit 1"
has "$ERR" "Error communicating with the Cloudflare API: 500 HTTP error without a Cloudflare error body" \
    "A-279 failing POST: 'Error communicating with the Cloudflare API'"

# A failing DELETE is only a warning (Certbot's del_txt_record).
mock_mode cf 500:DELETE
fail_run token.ini keep.cf.test
mock_mode cf ""
is "$RC" 0 "A-279 a failing DELETE does not fail the run" || show_run
like "$(cat "$L/letsencrypt.log")" \
    "Encountered Cloudflare API error deleting TXT record: 500" \
    "A-279 failing DELETE is logged as a warning"
is "$(jqs '[.records[][] | select(.name == "_acme-challenge.keep.cf.test")] | length')" 1 \
    "A-279 the record stays when DELETE fails"

# --------------------------------------- credentials file checks (A-273)
fail_run both.ini c1.cf.test
is "$RC" 1 "A-279 token and email both set -> exit 1"
has "$ERR" "$T/creds/both.ini: dns_cloudflare_email and dns_cloudflare_api_key are not needed when using an API Token" \
    "A-279 token + email: Certbot's message"
fail_run none.ini c2.cf.test
is "$RC" 1 "A-279 no credentials in the file -> exit 1"
has "$ERR" "$T/creds/none.ini: Either dns_cloudflare_api_token (recommended), or dns_cloudflare_email and dns_cloudflare_api_key are required. (see https://dash.cloudflare.com/?to=/:account/profile/api-tokens)" \
    "A-279 neither token nor key: Certbot's message"
fail_run nokey.ini c3.cf.test
is "$RC" 1 "A-279 email without api_key -> exit 1"
has "$ERR" "$T/creds/nokey.ini: dns_cloudflare_api_key is required when using a Global API Key." \
    "A-279 email without key: Certbot's message"
fail_run missing.ini c4.cf.test
is "$RC" 1 "A-273 nonexistent credentials file -> exit 1"
has "$ERR" "File not found: $T/creds/missing.ini" \
    "A-273 nonexistent credentials file: File not found"

done_testing
