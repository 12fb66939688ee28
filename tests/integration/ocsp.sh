#!/bin/bash
# OCSP: `certificates` marks a revoked certificate "INVALID: REVOKED" and a
# plain `renew` renews it while a valid one is skipped; a responder that
# cannot be reached changes nothing.  The responder is a real one,
# `openssl ocsp`, signing with pebble's intermediate (fetched from pebble's
# management API), whose URL pebble writes into every certificate.
# SPEC 4.10, 4.4; acceptance A-164, A-210.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

free_ports 1 || bail_out "no free port for the OCSP responder"
OCSP_PORT=${FREE_PORTS[0]}
export PEBBLE_OCSP_URL=http://127.0.0.1:$OCSP_PORT/
require_pebble_env

serial_of() { openssl x509 -in "$1" -noout -serial | sed 's/^serial=//'; }
enddate_of() { openssl x509 -in "$1" -noout -enddate | sed 's/^notAfter=//'; }
versions() { (cd "$C/archive/$1" 2>/dev/null && ls cert*.pem | tr -dc '0-9\n' | sort -n | tr '\n' ' ' | sed 's/ $//'); }
# status_of NAME: the "Expiry Date" line's status of `certificates`
status_of() {
    sed -n "/Certificate Name: $1\$/,/Private Key Path/p" <<<"$OUT" |
        sed -n 's/.*Expiry Date: .*(\(.*\))$/\1/p'
}

run cbn certonly --standalone -d r1.test
is "$RC" 0 "setup: lineage r1.test" || show_run
run cbn certonly --standalone -d v1.test
is "$RC" 0 "setup: lineage v1.test" || show_run
ok "pebble wrote the OCSP URL into the certificate" \
    grep -q "OCSP - URI:$PEBBLE_OCSP_URL" <(openssl x509 -in "$C/live/r1.test/cert.pem" -noout -text)

# with nobody answering at the URL nothing changes
run cbn certificates
is "$(status_of r1.test)" "$(status_of v1.test)" \
    "an unreachable responder: both lineages show the same status"
like "$(status_of r1.test)" '^VALID: [0-9]+ days$' "... VALID"

run cbn revoke --cert-name r1.test --no-delete-after-revoke
is "$RC" 0 "setup: r1.test revoked, files kept" || show_run

# the responder: pebble's intermediate signs; r1 revoked, v1 good
O=$T/ocsp
mkdir -p "$O"
curl -ksf "$PEBBLE_MGMT/intermediates/0" >"$O/ca.pem" &&
    curl -ksf "$PEBBLE_MGMT/intermediate-keys/0" >"$O/ca.key" ||
    bail_out "cannot fetch pebble's intermediate"
ok "the lineage's chain starts with pebble's intermediate" \
    cmp -s <(openssl x509 -in "$C/live/r1.test/chain.pem") <(openssl x509 -in "$O/ca.pem")
# wait_ocsp: until the responder answers a query about v1 (bounded)
wait_ocsp() {
    local i
    for ((i = 0; i < 100; i++)); do
        openssl ocsp -issuer "$O/ca.pem" -cert "$C/live/v1.test/cert.pem" \
            -url "$PEBBLE_OCSP_URL" -noverify >"$O/probe.out" 2>&1
        grep -Eq ': (good|revoked)' "$O/probe.out" && return 0
        sleep 0.1
    done
    return 1
}
idx_date() { date -u -d "$1" +%y%m%d%H%M%SZ; }
printf 'R\t%s\t%s\t%s\tunknown\t/CN=r1.test\n' \
    "$(idx_date "$(enddate_of "$C/live/r1.test/cert.pem")")" "$(idx_date now)" \
    "$(serial_of "$C/live/r1.test/cert.pem")" >"$O/index.txt"
printf 'V\t%s\t\t%s\tunknown\t/CN=v1.test\n' \
    "$(idx_date "$(enddate_of "$C/live/v1.test/cert.pem")")" \
    "$(serial_of "$C/live/v1.test/cert.pem")" >>"$O/index.txt"
openssl ocsp -index "$O/index.txt" -port "$OCSP_PORT" \
    -rsigner "$O/ca.pem" -rkey "$O/ca.key" -CA "$O/ca.pem" -nmin 10 \
    >"$O/ocsp.log" 2>&1 &
OCSP_PID=$!
cleanup_pid "$OCSP_PID"
wait_ocsp
has "$(cat "$O/probe.out")" ": good" "the responder answers (openssl ocsp says v1 is good)" ||
    diag "$(cat "$O/probe.out" "$O/ocsp.log")"

# ------------------------------------------------ A-210
run cbn certificates
is "$RC" 0 "A-210 certificates exits 0" || show_run
is "$(status_of r1.test)" "INVALID: REVOKED" "A-210 the revoked lineage shows INVALID: REVOKED"
like "$(status_of v1.test)" '^VALID: [0-9]+ days$' "A-210 the good one stays VALID"

# ------------------------------------------------ A-164
run cbn renew
is "$RC" 0 "A-164 a plain renew exits 0" || show_run
is "$(versions r1.test)" "1 2" "A-164 the revoked lineage is renewed"
is "$(versions v1.test)" "1" "A-164 the valid one is skipped"
has "$OUT" "$C/live/v1.test/fullchain.pem expires on" "A-164 ... and reported as not due"
run cbn certificates
like "$(status_of r1.test)" '^VALID: [0-9]+ days$' \
    "A-164 the renewed certificate is not revoked (unknown to the responder)"

# a response signed by someone else is not believed
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
    -subj /CN=impostor -keyout "$O/bad.key" -out "$O/bad.pem" >/dev/null 2>&1
kill "$OCSP_PID" 2>/dev/null
wait "$OCSP_PID" 2>/dev/null
printf 'R\t%s\t%s\t%s\tunknown\t/CN=v1.test\n' \
    "$(idx_date "$(enddate_of "$C/live/v1.test/cert.pem")")" "$(idx_date now)" \
    "$(serial_of "$C/live/v1.test/cert.pem")" >"$O/index.txt"
openssl ocsp -index "$O/index.txt" -port "$OCSP_PORT" \
    -rsigner "$O/bad.pem" -rkey "$O/bad.key" -CA "$O/ca.pem" -nmin 10 \
    >"$O/ocsp2.log" 2>&1 &
OCSP_PID=$!
cleanup_pid "$OCSP_PID"
wait_ocsp || diag "the impostor responder did not answer"
run cbn -v certificates
like "$(status_of v1.test)" '^VALID: [0-9]+ days$' \
    "a 'revoked' answer not signed by the issuer is ignored"
has "$ERR" "Invalid OCSP response for $C/live/v1.test/cert.pem" "... with a warning" ||
    diag "$ERR"

done_testing
