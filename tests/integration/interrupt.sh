#!/bin/bash
# SIGINT while the CA is validating: certbot exits 1, its challenge
# cleanup runs (the standalone port is closed), and nothing half-written
# is left: no lineage, no renewal conf, no .conf.new, no lock files.
# SPEC 6.15; acceptance A-317.
#
# To make "during validation" deterministic, the name resolves (through
# pebble-challtestsrv) to 127.0.0.2, where a listener accepts connections
# and never answers, so the CA's validation hangs; standalone itself
# listens on 127.0.0.1 so the test can see it serving.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

require_pebble_env
[ -n "$FREEPORT" ] || _find_freeport || bail_out "freeport tool not built"

name=slow-$$.test
curl -s -o /dev/null --max-time 5 -X POST "$CHALLTESTSRV_MGMT/add-a" \
    -d "{\"host\":\"$name\",\"addresses\":[\"127.0.0.2\"]}" ||
    bail_out "challtestsrv did not take the A record"

"$FREEPORT" --tarpit 127.0.0.2 "$HTTP_PORT" 120 >"$T/tarpit" 2>&1 &
cleanup_pid $!
for _ in $(seq 1 50); do
    grep -q listening "$T/tarpit" && break
    sleep 0.1
done
grep -q listening "$T/tarpit" || bail_out "tarpit did not start: $(cat "$T/tarpit")"

"${CERTBOT_CMD[@]}" certonly -n --agree-tos --register-unsafely-without-email \
    --standalone --server "$PEBBLE_DIR_URL" --no-verify-ssl \
    --config-dir "$C" --work-dir "$W" --logs-dir "$L" \
    --http-01-port "$HTTP_PORT" --http-01-address 127.0.0.1 \
    -d "$name" </dev/null >"$T/int.out" 2>"$T/int.err" &
pid=$!
cleanup_pid "$pid"

# Wait (bounded) until standalone serves: perform has run and the
# challenge was answered moments later.
served=0
for _ in $(seq 1 100); do
    if curl -s --max-time 1 "http://127.0.0.1:$HTTP_PORT/" 2>/dev/null |
        grep -q 'ACME client standalone challenge solver'; then
        served=1
        break
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
done
is "$served" 1 "A-317 standalone is serving while the CA validates"
sleep 1.5
kill -INT "$pid" 2>/dev/null
rc=
for _ in $(seq 1 200); do
    if ! kill -0 "$pid" 2>/dev/null; then
        wait "$pid"
        rc=$?
        break
    fi
    sleep 0.1
done
is "$rc" 1 "A-317 SIGINT during validation exits 1" ||
    diag "stderr: $(cat "$T/int.err")"
has_line "$(cat "$T/int.err")" "Exiting due to user request." \
    "A-317 the interruption is reported in one line"
if curl -s --max-time 1 "http://127.0.0.1:$HTTP_PORT/" >/dev/null 2>&1; then
    fail "A-317 standalone port is closed afterwards (cleanup ran)"
else
    pass "A-317 standalone port is closed afterwards (cleanup ran)"
fi
ok "A-317 no lineage left" test ! -e "$C/live/$name" -a ! -e "$C/archive/$name"
ok "A-317 no renewal conf left" test ! -e "$C/renewal/$name.conf"
is "$(find "$C" -name '*.new' | wc -l)" 0 "A-317 no .conf.new left"
is "$(find "$C" "$W" "$L" -name .certbot.lock | wc -l)" 0 \
    "A-317 no lock file left"
curl -s -o /dev/null --max-time 5 -X POST "$CHALLTESTSRV_MGMT/clear-a" \
    -d "{\"host\":\"$name\"}" || true
done_testing
