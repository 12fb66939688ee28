# shellcheck shell=bash
# Bash side of the provider API mocks (sourced after tests/integration/lib.sh).
#
#   . "$top_srcdir/tests/mocks/mocklib.sh"
#   mock_cert                          # $T/mock/{cert,key}.pem, CA bundle
#   mock_start cf cloudflare.py --zone x.test     # sets MOCK_PORT, MOCK_PID
#   mock_mode cf 500                   # every later API call answers 500
#   mock_mode cf ""                    # back to normal
#   jq ... "$T/mock/cf.state.json"     # what the mock holds now
#   jq ... "$T/mock/cf.log"            # one JSON line per request
#
# The certificate is self-signed for 127.0.0.1/localhost and exported as
# REQUESTS_CA_BUNDLE, which certbot (like Python's requests) trusts.

MOCK_DIR=$T/mock
MOCK_PORT="" MOCK_PID=""

require_python3() {
    command -v python3 >/dev/null 2>&1 || skip_all "python3 not installed"
}

mock_cert() {
    mkdir -p "$MOCK_DIR"
    [ -s "$MOCK_DIR/cert.pem" ] && return 0
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
        -nodes -days 2 -subj /CN=localhost \
        -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
        -keyout "$MOCK_DIR/key.pem" -out "$MOCK_DIR/cert.pem" \
        >"$MOCK_DIR/openssl.log" 2>&1 || return 1
    REQUESTS_CA_BUNDLE=$MOCK_DIR/cert.pem
    export REQUESTS_CA_BUNDLE
}

# mock_start NAME SCRIPT [ARGS...]: start tests/mocks/SCRIPT on a free
# port with state $MOCK_DIR/NAME.state.json, log $MOCK_DIR/NAME.log and
# mode file $MOCK_DIR/NAME.mode; waits until it listens (5 s at most).
mock_start() {
    local name=$1 script=$2 i
    shift 2
    mock_cert || return 1
    free_ports 1 || return 1
    MOCK_PORT=${FREE_PORTS[0]}
    : >"$MOCK_DIR/$name.mode"
    rm -f "$MOCK_DIR/$name.ready" "$MOCK_DIR/$name.log"
    python3 "$top_srcdir/tests/mocks/$script" --port "$MOCK_PORT" \
        --cert "$MOCK_DIR/cert.pem" --key "$MOCK_DIR/key.pem" \
        --state "$MOCK_DIR/$name.state.json" --log "$MOCK_DIR/$name.log" \
        --mode-file "$MOCK_DIR/$name.mode" \
        --ready-file "$MOCK_DIR/$name.ready" \
        --challtestsrv "${CHALLTESTSRV_MGMT:-}" "$@" \
        >"$MOCK_DIR/$name.out" 2>&1 &
    MOCK_PID=$!
    cleanup_pid "$MOCK_PID"
    for ((i = 0; i < 50; i++)); do
        [ -s "$MOCK_DIR/$name.ready" ] && return 0
        kill -0 "$MOCK_PID" 2>/dev/null || break
        sleep 0.1
    done
    diag "mock $script did not start: $(cat "$MOCK_DIR/$name.out")"
    return 1
}

# mock_mode NAME MODE: switch the failure mode ("" = normal).
mock_mode() {
    printf '%s\n' "$2" >"$MOCK_DIR/$1.mode"
}

# mock_reset_log NAME: forget the requests seen so far.
mock_reset_log() {
    : >"$MOCK_DIR/$1.log"
}
