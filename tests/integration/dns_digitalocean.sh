#!/usr/bin/env bash
# dns-digitalocean against pebble and a local HTTPS mock of the
# DigitalOcean v2 API (tests/mocks/digitalocean.py) that also publishes the
# records in pebble-challtestsrv, so pebble validates dns-01 for real.
# A-278, A-279 (+ A-271/A-273 credential messages from the host).
. "$(dirname "$0")/lib.sh"
. "$top_srcdir/tests/mocks/mocklib.sh"

require_python3
command -v jq >/dev/null 2>&1 || skip_all "jq not installed"
[ -e "${CERTBOT_PLUGIN_PATH:-}/dns-digitalocean.so" ] ||
    skip_all "dns-digitalocean.so not built (CERTBOT_PLUGIN_PATH)"

# ------------------------------------------------------------ A-278 help
run certbot_bare --help dns-digitalocean
is "$RC" 0 "A-278 --help dns-digitalocean exits 0"
has "$OUT" "--dns-digitalocean-credentials DNS_DIGITALOCEAN_CREDENTIALS" \
    "A-278 help lists --dns-digitalocean-credentials"
like "$(tr -s ' \n' ' ' <<<"$OUT")" \
    "--dns-digitalocean-propagation-seconds DNS_DIGITALOCEAN_PROPAGATION_SECONDS The number of seconds to wait for DNS to propagate before asking the ACME server to verify the DNS record\. \(default: 10\)" \
    "A-278 dns-digitalocean propagation default is 10"

# Fresh authorizations every time, so renew really creates records again.
export PEBBLE_AUTHZREUSE=0
require_pebble_env

TOKEN=do-token-00112233445566778899aabbccddeeff
# 5 decoy domains + ours with at most 2 per page: the domain is on page 3;
# 4 filler records + 3 NS: the record listing spans several pages.
mock_start do digitalocean.py --token "$TOKEN" --zone do.test \
    --decoy-zones 5 --filler-records 4 --per-page-max 2 ||
    bail_out "DigitalOcean mock did not start"
export CERTBOT_DNS_DIGITALOCEAN_API_URL=https://127.0.0.1:$MOCK_PORT/v2
ST=$MOCK_DIR/do.state.json
LOG=$MOCK_DIR/do.log

mkdir -p "$T/creds"
creds() { # creds FILE LINES...: a 0600 credentials file
    local f=$T/creds/$1
    shift
    printf '%s\n' "$@" >"$f"
    chmod 0600 "$f"
}
creds do.ini "dns_digitalocean_token = $TOKEN"
creds wrong.ini "dns_digitalocean_token = not-the-token"
creds empty.ini "# no token"

jqs() { jq -r "$@" "$ST"; }
nrecs() { jqs '.records["do.test"] | length'; }
BASE_RECS=$(nrecs)

# --------------------------------------------------- wildcard + base name
mock_reset_log do
in_T() { (cd "$T" && "$@"); }
run in_T cbn certonly --dns-digitalocean \
    --dns-digitalocean-credentials creds/do.ini \
    --dns-digitalocean-propagation-seconds 0 \
    -d do.test -d "*.do.test" --cert-name dotest
is "$RC" 0 "A-279 certonly --dns-digitalocean exits 0" || show_run
has "$OUT" "Waiting 0 seconds for DNS changes to propagate" \
    "A-279 propagation wait from --dns-digitalocean-propagation-seconds"
is "$(san_list "$C/live/dotest/cert.pem" | tr '\n' ' ')" "*.do.test do.test " \
    "A-279 certificate covers the wildcard and the base name"
is "$(jqs '.created | length')" 2 "A-279 two TXT records created"
is "$(jqs '[.created[] | "\(.type) \(.name) \(.ttl)"] | unique | join(",")')" \
    "TXT _acme-challenge 30" \
    "A-279 record body: type TXT, name relative to the domain, ttl 30"
is "$(jqs '[.created[].data | test("^[A-Za-z0-9_-]{43}$")] | all')" true \
    "A-279 record data is the 43-char dns-01 validation"
is "$(jqs '[.created[].data] | unique | length')" 2 \
    "A-279 wildcard and base name got different values"
is "$(jqs '[.created[] | keys | join(",")] | unique | join(" ")')" \
    "data,name,ttl,type" "A-279 create body has exactly type/name/data/ttl"
is "$(jqs '[.deleted[].data] | sort | join(",")')" \
    "$(jqs '[.created[].data] | sort | join(",")')" \
    "A-279 cleanup deleted exactly the records it created"
is "$(nrecs)" "$BASE_RECS" "A-279 the domain's other records are untouched"
is "$(jq -r '.auth' "$LOG" | sort -u | tr '\n' ' ')" "bearer " \
    "A-279 every call used Authorization: Bearer"
is "$(jq -r 'select(.path == "/v2/domains") | .query.page' "$LOG" | sort -u | tr '\n' ' ')" \
    "1 2 3 " "A-279 GET /domains follows links.pages.next to the last page"
has "$(jq -r 'select(.path == "/v2/domains/do.test/records" and .method == "GET") | .query.page' "$LOG" | sort -u | tr '\n' ' ')" \
    "3" "A-279 the record listing is paged too"
like "$(jq -r 'select(.method == "DELETE") | .path' "$LOG")" \
    "^/v2/domains/do\.test/records/[0-9]+$" \
    "A-279 DELETE /domains/:zone/records/:id"
RCONF=$C/renewal/dotest.conf
is "$(conf_get "$RCONF" authenticator renewalparams)" dns-digitalocean \
    "A-279 renewal conf: authenticator = dns-digitalocean"
is "$(conf_get "$RCONF" dns_digitalocean_credentials renewalparams)" \
    "$T/creds/do.ini" "A-279 renewal conf: credentials path made absolute"
ok "A-279 the token is not in the renewal conf or the log" \
    bash -c "! grep -rqF -- '$TOKEN' '$C/renewal' '$L'"

# --------------------------------------------- renew with the stored conf
# With an account that never validated these names: pebble reuses an
# account's valid authorization about 1 time in 100 even with
# PEBBLE_AUTHZREUSE=0, and then no record would be created.
mock_reset_log do
acct=$(fresh_account) || bail_out "could not register a fresh account"
run cb renew --force-renewal --cert-name dotest --account "$acct"
is "$RC" 0 "A-279 renew uses the stored authenticator and credentials" ||
    show_run
is "$(jqs '.created | length')" 4 "A-279 renew created two more records"
is "$(jq -r 'select(.method == "POST") | .auth' "$LOG" | sort -u)" bearer \
    "A-279 renew authenticated with the stored credentials file's token"
is "$(nrecs)" "$BASE_RECS" "A-279 renew cleaned up too"
drop_account "$acct"

# ----------------------------------------------- a subdomain of the zone
run cbn certonly --dns-digitalocean --dns-digitalocean-credentials \
    "$T/creds/do.ini" --dns-digitalocean-propagation-seconds 0 \
    -d www.do.test --cert-name dowww
is "$RC" 0 "A-279 certonly for www.do.test exits 0" || show_run
is "$(jqs '.created[-1].name')" "_acme-challenge.www" \
    "A-279 record name relative to do.test"

# ------------------------------------------------ failures: no lineage
fail_run() { # fail_run CREDS DOMAIN: a fresh config dir, expect failure
    new_dirs
    run cbn certonly --dns-digitalocean --dns-digitalocean-credentials \
        "$T/creds/$1" --dns-digitalocean-propagation-seconds 0 -d "$2"
}

fail_run wrong.ini bad.do.test
is "$RC" 1 "A-279 wrong token (401) -> exit 1"
has "$ERR" "Error finding domain using the DigitalOcean API: Unable to authenticate you (Did you provide a valid API token?)" \
    "A-279 wrong token: Certbot's message with the API's"
ok "A-279 wrong token: no lineage" no_lineage_left
is "$(jq -r '.status' "$LOG" | tail -n 1)" 401 "A-279 the mock answered 401"

mock_mode do 429
fail_run do.ini rl.do.test
mock_mode do ""
is "$RC" 1 "A-279 HTTP 429 -> exit 1"
has "$ERR" "Error finding domain using the DigitalOcean API: API Rate limit exceeded." \
    "A-279 429: the API's message"
ok "A-279 429: no lineage" no_lineage_left

mock_mode do 500
fail_run do.ini se.do.test
mock_mode do ""
is "$RC" 1 "A-279 HTTP 500 -> exit 1"
has "$ERR" "Error finding domain using the DigitalOcean API: Server was unable to give you a response." \
    "A-279 500: the API's message"
ok "A-279 500: no lineage" no_lineage_left

mock_mode do 500:POST
fail_run do.ini post.do.test
mock_mode do ""
is "$RC" 1 "A-279 failing POST -> exit 1"
has "$ERR" "Error adding TXT record using the DigitalOcean API: Server was unable to give you a response." \
    "A-279 failing POST: Certbot's wording"

fail_run do.ini elsewhere.example
is "$RC" 1 "A-279 a domain not in the account -> exit 1"
has "$ERR" "Unable to determine base domain for elsewhere.example using names: ['elsewhere.example', 'example']." \
    "A-279 unknown domain: Certbot's message with the guesses"

# A failing DELETE is only a warning (Certbot's del_txt_record).
mock_mode do 500:DELETE
fail_run do.ini keep.do.test
mock_mode do ""
is "$RC" 0 "A-279 a failing DELETE does not fail the run" || show_run
like "$(cat "$L/letsencrypt.log")" \
    "Error deleting TXT record [0-9]+ using the DigitalOcean API: Server was unable" \
    "A-279 failing DELETE is logged as a warning"
is "$(jqs '[.records["do.test"][] | select(.name == "_acme-challenge.keep")] | length')" 1 \
    "A-279 the record stays when DELETE fails"

# --------------------------------------- credentials file checks
fail_run empty.ini c1.do.test
is "$RC" 1 "A-271 no dns_digitalocean_token -> exit 1"
has "$ERR" "Missing property in credentials configuration file $T/creds/empty.ini:" \
    "A-271 missing token: Missing property ..."
has "$ERR" '* Property "dns_digitalocean_token" not found (should be API token for DigitalOcean account).' \
    "A-271 missing token: names dns_digitalocean_token and its label"
fail_run missing.ini c2.do.test
is "$RC" 1 "A-273 nonexistent credentials file -> exit 1"
has "$ERR" "File not found: $T/creds/missing.ini" \
    "A-273 nonexistent credentials file: File not found"

done_testing
