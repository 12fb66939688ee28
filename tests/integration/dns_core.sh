#!/usr/bin/env bash
# The core side of DNS-01 (SPEC 5.5, issue 5) against pebble, through the
# test-only plugin tests/plugins-src/dns_challtest.c whose records live in
# pebble-challtestsrv (the DNS server pebble validates against):
#   - generic DNSAuthenticator behaviour: wildcard + base name issued,
#     "Waiting N seconds" (A-270), credentials errors (A-271, A-273),
#     renewal conf (A-275), renew without the file (A-276), -n without
#     the flag (A-277), --help (A-278);
#   - beyond Certbot: the propagation check finishes early when the
#     authoritative servers answer, waits for a record that appears late,
#     falls back to a plain sleep when there is no SOA/NS; CNAME alias
#     mode; the journal and its leftover deletion after kill -9.
# Knobs used (docs/dns.md): CERTBOT_DNS_RESOLVER, CERTBOT_DNS_AUTH_SERVERS.
. "$(dirname "$0")/lib.sh"

# Every order must need its challenges: pebble reuses valid authorizations
# half of the time by default, and a reused one calls no plugin (A-276;
# even at 0 it reuses one 1 time in 100: that renewal uses fresh_account).
export PEBBLE_AUTHZREUSE=0
require_pebble_env
[ "$(certbot_flavour)" = c ] || skip_all "dns-challtest is a plugin of this certbot"
for t in dig python3; do
    command -v "$t" >/dev/null 2>&1 || skip_all "$t not installed"
done
PLUGDIR=$top_builddir/tests/plugins-src/.libs
[ -e "$PLUGDIR/dns-challtest.so" ] ||
    bail_out "$PLUGDIR/dns-challtest.so not built (make check builds it)"
chmod go-w "$PLUGDIR" "$PLUGDIR/dns-challtest.so"
export CERTBOT_PLUGIN_PATH="$PLUGDIR${CERTBOT_PLUGIN_PATH:+:$CERTBOT_PLUGIN_PATH}"

# challtestsrv's DNS port, from its log
DNSPORT=$(sed -n 's/.*DNS-01 challenge server on 127\.0\.0\.1:\([0-9]*\).*/\1/p' \
    "$T/pebble/challtestsrv.log" | head -n 1)
[ -n "$DNSPORT" ] || bail_out "challtestsrv DNS port not found"
CTS_DNS=127.0.0.1@$DNSPORT
LOG=$L/letsencrypt.log
JOURNAL=$W/dns-01/dns-challtest.json

CREDS=$T/creds.ini
printf 'dns_challtest_token = not-a-secret\n' >"$CREDS"
chmod 0600 "$CREDS"
DNS=(-a dns-challtest --dns-challtest-credentials "$CREDS"
     --dns-challtest-url "$CHALLTESTSRV_MGMT")

txt_of() { dig +short +time=2 +tries=1 @127.0.0.1 -p "$DNSPORT" "$1" TXT; }
cts_post() { curl -sf --max-time 5 -X POST -d "$2" "$CHALLTESTSRV_MGMT/$1"; }
now() { date +%s.%N; }
secs_since() { python3 -c "import sys; print(int(float(sys.argv[2]) - float(sys.argv[1])))" "$1" "$(now)"; }
# the log of the last certbot run (each run rotates letsencrypt.log)
log_tail() { cat "$LOG" 2>/dev/null; }

# ------------------------------------------------ issuance, early finish
export CERTBOT_DNS_RESOLVER=$CTS_DNS CERTBOT_DNS_AUTH_SERVERS=$CTS_DNS
t0=$(now)
run cbn certonly "${DNS[@]}" --dns-challtest-propagation-seconds 30 \
    -d wc.test -d '*.wc.test'
el=$(secs_since "$t0")
is "$RC" 0 "wildcard + base name certificate issued over dns-challtest" || show_run
is "$(san_list "$C/live/wc.test/cert.pem" | tr '\n' ' ')" '*.wc.test wc.test ' \
    "certificate names both"
has_line "$OUT" "Waiting 30 seconds for DNS changes to propagate" \
    "A-270 Certbot's waiting line with the given seconds"
ok "propagation check finished early (${el}s < 20s of 30)" test "$el" -lt 20
like "$(log_tail)" "Every authoritative nameserver answers the TXT records" \
    "log: all authoritative servers answered"
like "$(log_tail)" "Checking 1 TXT record name\(s\) of zone \(CERTBOT_DNS_AUTH_SERVERS\) at its authoritative nameservers: 127\.0\.0\.1@$DNSPORT" \
    "log: what was checked (one check for both records of the name)"
is "$(txt_of _acme-challenge.wc.test)" "" "TXT records deleted after validation"
ok "journal empty after cleanup" test ! -e "$JOURNAL"
is "$(mode_of "$W/dns-01")" 700 "journal directory is 0700"
RCONF=$C/renewal/wc.test.conf
is "$(conf_get "$RCONF" authenticator renewalparams)" dns-challtest \
    "A-275 renewal conf: authenticator"
is "$(conf_get "$RCONF" dns_challtest_credentials renewalparams)" "$CREDS" \
    "A-275 renewal conf: credentials path"
is "$(conf_get "$RCONF" dns_challtest_propagation_seconds renewalparams)" 30 \
    "A-275 renewal conf: propagation seconds given are stored"
ok "A-275 credentials content not copied" bash -c "! grep -q not-a-secret '$RCONF'"
unlike "$ERR" "Unsafe permissions" "no permission warning for a 0600 file"

# ------------------------------------------------ a record that is late
t0=$(now)
"${CERTBOT_CMD[@]}" --server "$PEBBLE_DIR_URL" --no-verify-ssl \
    --config-dir "$C" --work-dir "$W" --logs-dir "$L" -n --agree-tos \
    --register-unsafely-without-email certonly "${DNS[@]}" \
    --dns-challtest-skip-add --dns-challtest-propagation-seconds 40 \
    -d late.test </dev/null >"$T/late.out" 2>"$T/late.err" &
late_pid=$!
cleanup_pid "$late_pid"
value=
for _ in $(seq 1 150); do
    value=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["records"][0]["value"])' \
        "$JOURNAL" 2>/dev/null) && [ -n "$value" ] && break
    sleep 0.1
done
isnt "$value" "" "journal records the value before add_txt"
sleep 3
t_add=$(secs_since "$t0")
cts_post set-txt "{\"host\":\"_acme-challenge.late.test.\",\"value\":\"$value\"}" >/dev/null
wait "$late_pid"
RC=$?
el=$(secs_since "$t0")
is "$RC" 0 "late record: certificate issued" ||
    diag "$(cat "$T/late.out" "$T/late.err")"
ok "late record: waited for it (added at ${t_add}s, done at ${el}s)" \
    test "$el" -ge 3
ok "late record: continued well before the 40 s bound (${el}s < 25s)" \
    test "$el" -lt 25
like "$(log_tail)" "does not answer every TXT value of _acme-challenge\.late\.test yet" \
    "log: the missing record was seen missing first"
like "$(log_tail)" "Every authoritative nameserver answers the TXT records \(after [0-9.]+ seconds, ([2-9]|[1-9][0-9]+) round" \
    "log: and then answered, after more than one round"

# ------------------------------------------------ fallback: no SOA/NS
# challtestsrv does not serve SOA: discovery fails, Certbot's plain sleep.
unset CERTBOT_DNS_AUTH_SERVERS
t0=$(now)
run cbn certonly "${DNS[@]}" --dns-challtest-propagation-seconds 3 -d fb.test
el=$(secs_since "$t0")
is "$RC" 0 "fallback: certificate issued" || show_run
ok "fallback: slept the full 3 seconds (${el}s)" test "$el" -ge 3
like "$(log_tail)" "Not checking DNS propagation \(.*\); sleeping 3 seconds" \
    "log: why the check was not made"

# ------------------------------------------------ zone discovery with named
# A real authoritative server: SOA found by walking up from
# _acme-challenge.sub.zone.test to zone.test, NS ns.zone.test -> 127.0.0.1,
# asked on CERTBOT_DNS_AUTH_PORT.  The record appears there late (nsupdate
# by this script); pebble validates against challtestsrv as before.
start_named() {
    local d=$T/named i
    mkdir -p "$d"
    free_ports 1 || return 1
    NAMED_PORT=${FREE_PORTS[0]}
    cat >"$d/named.conf" <<EOC
options {
    directory "$d";
    pid-file "$d/named.pid";
    session-keyfile "$d/session.key";
    listen-on port $NAMED_PORT { 127.0.0.1; };
    listen-on-v6 { none; };
    recursion no;
    dnssec-validation no;
    notify no;
};
controls { };
zone "zone.test" { type primary; file "$d/zone.test.db"; allow-update { 127.0.0.1; }; };
EOC
    cat >"$d/zone.test.db" <<'EOZ'
$TTL 60
@   IN SOA ns.zone.test. admin.zone.test. 1 60 60 600 60
@   IN NS  ns.zone.test.
ns  IN A   127.0.0.1
EOZ
    named -g -c "$d/named.conf" >"$d/named.log" 2>&1 &
    NAMED_PID=$!
    cleanup_pid "$NAMED_PID"
    for i in $(seq 1 100); do
        dig +short +time=1 +tries=1 @127.0.0.1 -p "$NAMED_PORT" zone.test SOA 2>/dev/null |
            grep -q ns.zone.test && return 0
        kill -0 "$NAMED_PID" 2>/dev/null || break
        sleep 0.1
    done
    diag "named did not start: $(tail -n 20 "$d/named.log")"
    return 1
}
if command -v named >/dev/null 2>&1 && command -v nsupdate >/dev/null 2>&1 &&
   start_named; then
    export CERTBOT_DNS_RESOLVER=127.0.0.1@$NAMED_PORT CERTBOT_DNS_AUTH_PORT=$NAMED_PORT
    unset CERTBOT_DNS_AUTH_SERVERS
    rm -f "$JOURNAL"
    t0=$(now)
    "${CERTBOT_CMD[@]}" --server "$PEBBLE_DIR_URL" --no-verify-ssl \
        --config-dir "$C" --work-dir "$W" --logs-dir "$L" -n --agree-tos \
        --register-unsafely-without-email certonly "${DNS[@]}" \
        --dns-challtest-propagation-seconds 40 -d sub.zone.test \
        </dev/null >"$T/named.out" 2>"$T/named.err" &
    named_run=$!
    cleanup_pid "$named_run"
    value=
    for _ in $(seq 1 150); do
        value=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["records"][0]["value"])' \
            "$JOURNAL" 2>/dev/null) && [ -n "$value" ] && break
        sleep 0.1
    done
    sleep 3
    printf 'server 127.0.0.1 %s\nupdate add _acme-challenge.sub.zone.test. 60 TXT "%s"\nsend\n' \
        "$NAMED_PORT" "$value" | nsupdate >"$T/nsupdate.log" 2>&1 ||
        diag "nsupdate: $(cat "$T/nsupdate.log")"
    wait "$named_run"
    RC=$?
    el=$(secs_since "$t0")
    is "$RC" 0 "named: certificate issued" || diag "$(cat "$T/named.out" "$T/named.err")"
    like "$(log_tail)" "Checking 1 TXT record name\(s\) of zone zone\.test at its authoritative nameservers: 127\.0\.0\.1@$NAMED_PORT" \
        "named: zone found by the SOA walk, its NS address on CERTBOT_DNS_AUTH_PORT"
    like "$(log_tail)" "127\.0\.0\.1@$NAMED_PORT does not answer every TXT value of _acme-challenge\.sub\.zone\.test yet" \
        "named: the record was missing at first"
    like "$(log_tail)" "Every authoritative nameserver answers the TXT records" \
        "named: then every authoritative server answered"
    ok "named: waited for the late record and continued early (${el}s in [3, 25))" \
        test "$el" -ge 3 -a "$el" -lt 25
    unset CERTBOT_DNS_AUTH_PORT
    stop_pid "$NAMED_PID"
else
    skip "named/nsupdate not available or named did not start" 5
fi

# ------------------------------------------------ CNAME alias mode
export CERTBOT_DNS_RESOLVER=$CTS_DNS CERTBOT_DNS_AUTH_SERVERS=$CTS_DNS
cts_post set-cname '{"host":"_acme-challenge.cn.test.","target":"_acme-challenge.delegated.test."}' >/dev/null
run cbn certonly "${DNS[@]}" -d cn.test
is "$RC" 0 "CNAME: certificate issued through the alias" || show_run
has_line "$OUT" "Waiting 5 seconds for DNS changes to propagate" \
    "A-270 default propagation seconds of the plugin"
like "$(log_tail)" "_acme-challenge\.cn\.test is an alias \(CNAME\) of _acme-challenge\.delegated\.test; the TXT record is added there" \
    "CNAME: logged"
like "$(log_tail)" "add_txt domain=_acme-challenge\.delegated\.test name=_acme-challenge\.delegated\.test" \
    "CNAME: add_txt got the target as name and domain"
like "$(log_tail)" "del_txt domain=_acme-challenge\.delegated\.test name=_acme-challenge\.delegated\.test" \
    "CNAME: del_txt too"
ok "CNAME: challtestsrv got the record at the target" \
    grep -q 'TXT challenge for Host "_acme-challenge.delegated.test."' \
    "$T/pebble/challtestsrv.log"
ok "CNAME: not at the alias" bash -c "! grep -q 'TXT challenge for Host \"_acme-challenge.cn.test.\"' '$T/pebble/challtestsrv.log'"
is "$(conf_get "$C/renewal/cn.test.conf" dns_challtest_propagation_seconds renewalparams)" "" \
    "A-275 propagation seconds not stored when not given"

# a loop is not followed forever: the name itself is used
cts_post set-cname '{"host":"_acme-challenge.loop.test.","target":"x.loop.test."}' >/dev/null
cts_post set-cname '{"host":"x.loop.test.","target":"_acme-challenge.loop.test."}' >/dev/null
run cbn certonly "${DNS[@]}" --dns-challtest-propagation-seconds 1 -d loop.test
like "$(log_tail)" "Not following a CNAME at _acme-challenge\.loop\.test: CNAME loop" \
    "CNAME loop detected and logged"
like "$(log_tail)" "add_txt domain=loop\.test name=_acme-challenge\.loop\.test" \
    "CNAME loop: the record goes to the name itself"

# ------------------------------------------------ kill -9 and the journal
export CERTBOT_DNS_RESOLVER=none
unset CERTBOT_DNS_AUTH_SERVERS
"${CERTBOT_CMD[@]}" --server "$PEBBLE_DIR_URL" --no-verify-ssl \
    --config-dir "$C" --work-dir "$W" --logs-dir "$L" -n --agree-tos \
    --register-unsafely-without-email certonly "${DNS[@]}" \
    --dns-challtest-propagation-seconds 60 -d kill.test \
    </dev/null >"$T/kill.out" 2>"$T/kill.err" &
kill_pid=$!
cleanup_pid "$kill_pid"
for _ in $(seq 1 150); do
    grep -q "Waiting 60 seconds" "$T/kill.out" 2>/dev/null && break
    sleep 0.1
done
has "$(cat "$T/kill.out")" "Waiting 60 seconds" "kill -9: run reached the propagation wait"
kill_value=$(txt_of _acme-challenge.kill.test | tr -d '"')
kill -9 "$kill_pid"
wait "$kill_pid" 2>/dev/null
isnt "$kill_value" "" "kill -9: the TXT record was there"
ok "kill -9: the journal keeps the entry" grep -q "\"$kill_value\"" "$JOURNAL"
is "$(mode_of "$JOURNAL")" 600 "journal file is 0600"
is "$(txt_of _acme-challenge.kill.test | tr -d '"')" "$kill_value" \
    "kill -9: the record was left behind"

run cbn certonly "${DNS[@]}" --dns-challtest-propagation-seconds 1 -d next.test
is "$RC" 0 "next run of the plugin succeeds" || show_run
like "$(log_tail)" "Deleting TXT record _acme-challenge\.kill\.test left behind by an earlier run" \
    "next run: leftover deletion logged"
is "$(txt_of _acme-challenge.kill.test)" "" "next run: the leftover record is gone"
ok "next run: journal empty again" test ! -e "$JOURNAL"

# --dry-run journals too (the work dir is real)
run cbn certonly --dry-run "${DNS[@]}" --dns-challtest-propagation-seconds 1 -d dry.test
is "$RC" 0 "dry run over dns-challtest" || show_run
ok "dry run: journal written and emptied" test ! -e "$JOURNAL"
like "$(log_tail)" "del_txt domain=dry\.test" "dry run: record deleted"

# ------------------------------------------------ credentials (A-271/273/277)
unset CERTBOT_DNS_RESOLVER
export CERTBOT_DNS_RESOLVER=none
run cbn certonly -a dns-challtest --dns-challtest-credentials "$T/nope.ini" -d c1.test
is "$RC" 1 "A-273 missing credentials file: exit 1"
has "$ERR" "File not found: $T/nope.ini" "A-273 File not found: <path>"
mkdir -p "$T/credsdir"
run cbn certonly -a dns-challtest --dns-challtest-credentials "$T/credsdir" -d c1.test
is "$RC" 1 "A-273 credentials path is a directory: exit 1"
has "$ERR" "Path is a directory: $T/credsdir" "A-273 Path is a directory: <path>"
printf 'dns_challtest_other = x\n' >"$T/missing.ini"
chmod 0600 "$T/missing.ini"
run cbn certonly -a dns-challtest --dns-challtest-credentials "$T/missing.ini" -d c1.test
is "$RC" 1 "A-271 missing property: exit 1"
has "$ERR" "Missing property in credentials configuration file $T/missing.ini:" \
    "A-271 Missing property message names the absolute file"
has "$ERR" ' * Property "dns_challtest_token" not found' "A-271 and the property"
printf 'dns_challtest_token =\n' >"$T/empty.ini"
chmod 0600 "$T/empty.ini"
run cbn certonly -a dns-challtest --dns-challtest-credentials "$T/empty.ini" -d c1.test
has "$ERR" ' * Property "dns_challtest_token" not set' "A-271 empty property: not set"
no_lineage_left_c1() { [ ! -e "$C/live/c1.test" ]; }
ok "no lineage after credential errors" no_lineage_left_c1

run cbn certonly -a dns-challtest -d c1.test
is "$RC" 1 "A-277 -n without the credentials flag: exit 1"
like "$ERR" "credentials INI file" "A-277 error mentions the credentials file prompt"
like "$ERR" "--dns-challtest-credentials" "A-277 and names the flag"

# 0644, given relative: warns, proceeds, stored absolute
cp "$CREDS" "$T/rel.ini"
chmod 0644 "$T/rel.ini"
run bash -c "cd '$T' && $(printf '%q ' timeout -k 5 "$CB_TIMEOUT" "${CERTBOT_CMD[@]}" \
    --server "$PEBBLE_DIR_URL" --no-verify-ssl --config-dir "$C" \
    --work-dir "$W" --logs-dir "$L" -n --agree-tos \
    --register-unsafely-without-email certonly -a dns-challtest \
    --dns-challtest-credentials rel.ini --dns-challtest-url "$CHALLTESTSRV_MGMT" \
    --dns-challtest-propagation-seconds 1 -d rel.test)"
is "$RC" 0 "A-273 world-readable credentials: proceeds" || show_run
has "$ERR" "Unsafe permissions on credentials configuration file: $T/rel.ini" \
    "A-273 Unsafe permissions warning"
is "$(conf_get "$C/renewal/rel.test.conf" dns_challtest_credentials renewalparams)" \
    "$T/rel.ini" "A-275 relative credentials path stored absolute"

# A-276: renew with the credentials file gone.  The plugin reads its
# credentials only when a challenge runs, so the renewal orders with an
# account that never validated rel.test (pebble reuses an account's valid
# authorization about 1 time in 100 even with PEBBLE_AUTHZREUSE=0).
rm -f "$T/rel.ini"
acct=$(fresh_account) || bail_out "could not register a fresh account"
run cbn renew --cert-name rel.test --force-renewal --account "$acct"
is "$RC" 1 "A-276 renew without the credentials file: exit 1"
has "$OUT$ERR" "File not found: $T/rel.ini" "A-276 File not found"

# ------------------------------------------------ --help (A-278)
run certbot_bare --help dns-challtest
has "$OUT" "--dns-challtest-propagation-seconds" "A-278 help shows the propagation flag"
has "$(tr -s ' \n' '  ' <<<"$OUT")" "--dns-challtest-propagation-seconds DNS_CHALLTEST_PROPAGATION_SECONDS The number of seconds to wait for DNS to propagate before asking the ACME server to verify the DNS record. (default: 5)" \
    "A-278 with the plugin's default"
has "$OUT" "--dns-challtest-credentials" "A-278 and the credentials flag"

done_testing
