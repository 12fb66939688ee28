# shellcheck shell=bash disable=SC2034
# Shared helpers for the integration tests (sourced, never run directly).
#
#   . "$(dirname "$0")/lib.sh"
#   pebble_start                 # or skip_all "reason"
#   run cbn certonly --standalone -d a.test
#   is "$RC" 0 "A-056 certonly exits 0"
#   done_testing
#
# TAP: plan-less; done_testing prints "1..N".  Diagnostics are "# ..." lines.
# Everything started here (pebble, challtestsrv, helpers registered with
# cleanup_pid) is killed by PID on exit and the temp dir is removed.
#
# Environment (from AM_TESTS_ENVIRONMENT, or set by hand):
#   CERTBOT        binary under test (may carry a wrapper, e.g. "valgrind x")
#   top_srcdir, top_builddir, CERTBOT_PLUGIN_PATH
#   TEST_KEEP=1    keep the temp dir for inspection
#   CB_TIMEOUT     seconds one certbot invocation may take (default 120)
#   CB_SCRIPT_TIMEOUT  seconds a whole test script may take (default 300)
#   pebble_start also reads PEBBLE_EAB_REQUIRED (true/false),
#   PEBBLE_EAB_KEYS (JSON object: EAB kid -> base64url HMAC key) and
#   passes PEBBLE_* environment (PEBBLE_ALTERNATE_ROOTS, ...) to pebble.
#   PEBBLE_DNS_SERVER=host:port makes pebble resolve there (e.g. a test's
#   own named) instead of at challtestsrv, which still runs.
#   PEBBLE_OCSP_URL: the OCSP responder URL pebble writes into the
#   certificates it issues (a test's own `openssl ocsp`).

if [ -z "${BASH_VERSION:-}" ]; then
    echo "lib.sh needs bash" >&2
    exit 99
fi

set -u
umask 022

LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${top_srcdir:=$(cd "$LIB_DIR/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${CERTBOT:=$top_builddir/certbot}"
: "${CB_TIMEOUT:=120}"
# Never the real EFF list: a refused loopback port unless a test serves one.
export CERTBOT_EFF_SUBSCRIBE_URL=${CERTBOT_EFF_SUBSCRIBE_URL:-http://127.0.0.1:1/}
export CERTBOT

# ---------------------------------------------------------------- temp dir
T=$(mktemp -d "${TMPDIR:-/tmp}/cbtest.XXXXXX") || exit 99
chmod 0755 "$T"
export T
# Temp files of the programs under test (e.g. Python certbot's early
# certbot-log-* dirs) land here and are removed with $T.
mkdir -p "$T/tmp"
export TMPDIR="$T/tmp"
# Python certbot (harness validation only) warns on stderr for every
# --no-verify-ssl request; keep stderr comparable.
export PYTHONWARNINGS=ignore
# Keep Python certbot (when used as $CERTBOT) and ours away from the
# user's own cli.ini.
export XDG_CONFIG_HOME="$T/xdg"
mkdir -p "$XDG_CONFIG_HOME"
# ...and from the machine's /etc/letsencrypt/cli.ini, which Debian's
# certbot package installs on some machines (with preconfigured-renewal)
# and not on others: our certbot reads this path instead of it.
export CERTBOT_SYSTEM_CLI_INI=/dev/null
# The DNS-01 authenticator's CNAME and propagation lookups would ask the
# machine's resolver (/etc/resolv.conf, not loopback): off unless a test
# points them at its own server (docs/dns.md).
export CERTBOT_DNS_RESOLVER="${CERTBOT_DNS_RESOLVER:-none}"

_CLEANUP_PIDS=()

cleanup_pid() { _CLEANUP_PIDS+=("$1"); }

_kill_pid() {
    local pid=$1 i
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null
    for i in $(seq 1 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
    return 0
}

_lib_cleanup() {
    local i rc=$?
    # a sourcing script may run with errexit; cleanup must not stop halfway
    set +e
    for ((i = ${#_CLEANUP_PIDS[@]} - 1; i >= 0; i--)); do
        _kill_pid "${_CLEANUP_PIDS[$i]}"
    done
    _CLEANUP_PIDS=()
    _release_ports
    if [ "${TEST_KEEP:-0}" = 1 ]; then
        echo "# kept temp dir $T"
    else
        rm -rf "$T"
    fi
    return $rc
}
trap _lib_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Watchdog: a test script as a whole may run CB_SCRIPT_TIMEOUT seconds
# (default 300); then it bails out (after the current command, itself
# bounded by CB_TIMEOUT).  Scripts that source lib.sh for its helpers
# (scripts/test, scripts/demo) set CB_NO_WATCHDOG=1 first.
trap 'printf "Bail out! %s exceeded %s s\n" "$0" "${CB_SCRIPT_TIMEOUT:-300}"; exit 1' USR1
if [ "${CB_NO_WATCHDOG:-0}" != 1 ]; then
    (
        trap 'kill "$sp" 2>/dev/null; exit 0' TERM
        sleep "${CB_SCRIPT_TIMEOUT:-300}" &
        sp=$!
        wait "$sp" && kill -USR1 $$ 2>/dev/null
    ) &
    _CLEANUP_PIDS+=("$!")
fi

# --------------------------------------------------------------------- TAP
_TAP_N=0
_TAP_FAILED=0

diag() {
    local line
    while IFS= read -r line; do
        printf '# %s\n' "$line"
    done <<<"$*"
}

# _tap_result PASSED(0/1) NAME
_TAP_TODO=
_tap_result() {
    local todo=
    _TAP_N=$((_TAP_N + 1))
    [ -n "$_TAP_TODO" ] && todo=" # TODO $_TAP_TODO"
    if [ "$1" = 1 ]; then
        printf 'ok %d - %s%s\n' "$_TAP_N" "$2" "$todo"
        return 0
    fi
    printf 'not ok %d - %s%s\n' "$_TAP_N" "$2" "$todo"
    [ -z "$todo" ] && _TAP_FAILED=$((_TAP_FAILED + 1))
    return 1
}

# ok NAME CMD [ARGS...]: passes when CMD exits 0 (its output is shown
# only on failure).
ok() {
    local name=$1
    shift
    if [ $# -eq 0 ]; then
        _tap_result 0 "$name"
        diag "  (ok called without a command)"
        return 1
    fi
    if "$@" >"$T/ok.out" 2>&1; then
        _tap_result 1 "$name"
    else
        _tap_result 0 "$name"
        diag "  command failed: $*"
        diag "$(head -n 20 "$T/ok.out" | sed 's/^/    /')"
        return 1
    fi
}

# is GOT EXPECTED NAME: string equality.
is() {
    if [ "$1" == "$2" ]; then
        _tap_result 1 "$3"
    else
        _tap_result 0 "$3"
        diag "         got: '$1'"
        diag "    expected: '$2'"
        return 1
    fi
}

# isnt GOT UNEXPECTED NAME
isnt() {
    if [ "$1" != "$2" ]; then
        _tap_result 1 "$3"
    else
        _tap_result 0 "$3"
        diag "    got: '$1' (should differ)"
        return 1
    fi
}

# like TEXT ERE NAME: some line of TEXT matches the extended regex.
like() {
    if grep -qE -- "$2" <<<"$1"; then
        _tap_result 1 "$3"
    else
        _tap_result 0 "$3"
        diag "    no line matches /$2/ in:"
        diag "$(printf '%s' "$1" | head -n 40 | sed 's/^/      /')"
        return 1
    fi
}

# unlike TEXT ERE NAME: no line of TEXT matches.
unlike() {
    if ! grep -qE -- "$2" <<<"$1"; then
        _tap_result 1 "$3"
    else
        _tap_result 0 "$3"
        diag "    unexpected match for /$2/:"
        diag "$(grep -E -- "$2" <<<"$1" | head -n 10 | sed 's/^/      /')"
        return 1
    fi
}

# has TEXT FIXED NAME: TEXT contains the fixed string (may span lines).
has() {
    if [[ "$1" == *"$2"* ]]; then
        _tap_result 1 "$3"
    else
        _tap_result 0 "$3"
        diag "    missing: '$2' in:"
        diag "$(printf '%s' "$1" | head -n 40 | sed 's/^/      /')"
        return 1
    fi
}

# hasnt TEXT FIXED NAME
hasnt() {
    if [[ "$1" != *"$2"* ]]; then
        _tap_result 1 "$3"
    else
        _tap_result 0 "$3"
        diag "    should not contain: '$2'"
        return 1
    fi
}

# has_line TEXT LINE NAME: TEXT has a line exactly equal to LINE.
has_line() {
    if grep -qxF -- "$2" <<<"$1"; then
        _tap_result 1 "$3"
    else
        _tap_result 0 "$3"
        diag "    no line equal to: '$2' in:"
        diag "$(printf '%s' "$1" | head -n 40 | sed 's/^/      /')"
        return 1
    fi
}

pass() { _tap_result 1 "$1"; }
fail() { _tap_result 0 "$1"; [ $# -gt 1 ] && diag "$2"; return 1; }

# skip REASON [COUNT]: records COUNT (default 1) skipped tests.
skip() {
    local i
    for ((i = 0; i < ${2:-1}; i++)); do
        _TAP_N=$((_TAP_N + 1))
        printf 'ok %d # SKIP %s\n' "$_TAP_N" "$1"
    done
}

skip_all() {
    printf '1..0 # SKIP %s\n' "$1"
    exit 0
}

bail_out() {
    printf 'Bail out! %s\n' "$1"
    exit 1
}

done_testing() {
    printf '1..%d\n' "$_TAP_N"
    if [ "$_TAP_FAILED" -gt 0 ]; then
        diag "$_TAP_FAILED of $_TAP_N tests failed (CERTBOT=$CERTBOT)"
        # under automake's TAP driver the failures are already counted
        [ "${CB_TAP_DRIVER:-0}" = 1 ] || exit 1
    fi
    exit 0
}

# ------------------------------------------------------------- run helper
# run CMD [ARGS...]: runs CMD with stdin from /dev/null; sets RC, OUT (stdout),
# ERR (stderr).  The files stay at $T/last.out / $T/last.err.
RC=0 OUT="" ERR=""
run() {
    "$@" </dev/null >"$T/last.out" 2>"$T/last.err"
    RC=$?
    OUT=$(cat "$T/last.out")
    ERR=$(cat "$T/last.err")
    return 0
}

# show_run: diagnostics of the last run (call after a failed assertion).
show_run() {
    diag "exit status: $RC"
    diag "--- stdout"
    diag "$(head -n 60 "$T/last.out")"
    diag "--- stderr"
    diag "$(head -n 60 "$T/last.err")"
}

# stderr without the "Saving debug log" line and blank lines: what is left
# of a failing run should be the error and the A-029 advice line.
err_lines() {
    grep -v -e '^Saving debug log to ' -e '^[[:space:]]*$' <<<"$ERR"
}

# ---------------------------------------------------------------- tools
# freeport: tests/tools/freeport from the build tree, or compiled here.
FREEPORT=
_find_freeport() {
    local c
    for c in "${top_builddir}/tests/tools/freeport" \
             "${top_srcdir}/tests/tools/freeport"; do
        if [ -x "$c" ]; then
            FREEPORT=$c
            return 0
        fi
    done
    if command -v "${CC:-cc}" >/dev/null 2>&1 &&
       "${CC:-cc}" -O1 -o "$T/freeport" "$top_srcdir/tests/tools/freeport.c" \
           2>"$T/freeport.cc.log"; then
        FREEPORT=$T/freeport
        return 0
    fi
    return 1
}

# Ports handed out are also reserved in a directory shared by every run of
# this harness on the machine (mkdir is atomic), so tests running in
# parallel, even from different build trees, never pick the same port.
# A reservation is released at exit, or taken over once its owner is dead.
PORT_RESV_DIR=${CBTEST_PORT_DIR:-/tmp/cbtest-ports-$(id -u)}
_RESERVED_PORTS=()

_reserve_port() {
    local d=$PORT_RESV_DIR/$1 owner
    if ! mkdir -p "$PORT_RESV_DIR" 2>/dev/null; then
        return 0        # cannot coordinate; the bind test must do
    fi
    if ! mkdir "$d" 2>/dev/null; then
        owner=$(cat "$d/pid" 2>/dev/null)
        if [ -z "$owner" ] || kill -0 "$owner" 2>/dev/null; then
            return 1
        fi
        rm -rf "$d"
        mkdir "$d" 2>/dev/null || return 1
    fi
    echo $$ >"$d/pid"
    _RESERVED_PORTS+=("$1")
    return 0
}

_release_ports() {
    local p
    for p in "${_RESERVED_PORTS[@]+"${_RESERVED_PORTS[@]}"}"; do
        if [ "$(cat "$PORT_RESV_DIR/$p/pid" 2>/dev/null)" = "$$" ]; then
            rm -rf "${PORT_RESV_DIR:?}/$p"
        fi
    done
    _RESERVED_PORTS=()
}

# free_ports N: sets FREE_PORTS to N distinct free, reserved ports (not in
# a subshell: the reservations belong to this shell).
FREE_PORTS=()
free_ports() {
    local want=$1 tries p cand
    FREE_PORTS=()
    if [ -z "$FREEPORT" ]; then
        _find_freeport || return 1
    fi
    for ((tries = 0; tries < 20 && ${#FREE_PORTS[@]} < want; tries++)); do
        cand=$("$FREEPORT" "$want") || return 1
        for p in $cand; do
            [ ${#FREE_PORTS[@]} -lt "$want" ] || break
            _reserve_port "$p" && FREE_PORTS+=("$p")
        done
    done
    [ ${#FREE_PORTS[@]} -eq "$want" ]
}

# hold_port PORT: occupy PORT with a listener (killed at exit).  Sets
# HOLD_PID.
HOLD_PID=
hold_port() {
    local i
    if [ -z "$FREEPORT" ]; then
        _find_freeport || return 1
    fi
    "$FREEPORT" --hold "$1" 300 >"$T/hold.$1" 2>&1 &
    HOLD_PID=$!
    cleanup_pid "$HOLD_PID"
    for i in $(seq 1 50); do
        grep -q listening "$T/hold.$1" 2>/dev/null && return 0
        kill -0 "$HOLD_PID" 2>/dev/null || break
        sleep 0.1
    done
    diag "could not hold port $1: $(cat "$T/hold.$1")"
    return 1
}

stop_pid() {
    _kill_pid "$1"
}

# wait_http URL [TRIES]: until curl gets any HTTP answer (0.1 s apart).
wait_http() {
    local i
    for ((i = 0; i < ${2:-100}; i++)); do
        if curl -ks -o /dev/null --max-time 2 "$1"; then
            return 0
        fi
        sleep 0.1
    done
    return 1
}

# ----------------------------------------------------------- C/W/L + cb
new_dirs() {
    local base
    base=$(mktemp -d "$T/run.XXXXXX")
    chmod 0755 "$base"
    C=$base/conf W=$base/work L=$base/logs
    export C W L
}

read -r -a CERTBOT_CMD <<<"$CERTBOT"

cb() {
    timeout -k 5 "$CB_TIMEOUT" "${CERTBOT_CMD[@]}" \
        --server "$PEBBLE_DIR_URL" --no-verify-ssl \
        --config-dir "$C" --work-dir "$W" --logs-dir "$L" \
        --http-01-port "$HTTP_PORT" --no-random-sleep-on-renew "$@"
}

cbn() {
    cb -n --agree-tos --register-unsafely-without-email "$@"
}

# certbot itself, with no CB flags (bounded too)
certbot_bare() {
    timeout -k 5 "$CB_TIMEOUT" "${CERTBOT_CMD[@]}" "$@"
}

# ----------------------------------------------------------- [TTY] runs
# tty_run INPUT ARGS...: certbot ARGS (with the test's --server, dirs and
# the extra flags in the TTY_ARGS array) on a pseudo-terminal from
# util-linux script(1), INPUT (printf %b) typed ahead from a file; sets RC
# and OUT (the terminal's output, CRs removed).  script reads that file to
# its end and waits for certbot, so the answers are all read.
#
# timeout stays outside script: inside it, a $SHELL that forks (dash, or
# bash without SHELL set) leaves timeout in a process group of its own,
# in the background of the terminal, where certbot's read stops on
# SIGTTIN.  SHELL=/bin/sh makes this machine behave like CI's.
TTY_ARGS=()
have_script() { command -v script >/dev/null 2>&1; }
tty_run() {
    local input=$1
    shift
    printf '%b' "$input" >"$T/tty.in"
    SHELL=/bin/sh timeout -k 5 "$CB_TIMEOUT" script -qec "$(printf '%q ' \
        "${CERTBOT_CMD[@]}" --server "$PEBBLE_DIR_URL" --no-verify-ssl \
        --config-dir "$C" --work-dir "$W" --logs-dir "$L" \
        "${TTY_ARGS[@]}" "$@")" /dev/null <"$T/tty.in" >"$T/tty.out" 2>&1
    RC=$?
    OUT=$(tr -d '\r' <"$T/tty.out")
}

have_certbot() {
    [ -x "${CERTBOT_CMD[0]}" ] || command -v "${CERTBOT_CMD[0]}" >/dev/null 2>&1
}

# Which implementation is under test: "python" for EFF's certbot (used to
# validate the harness), "c" otherwise.  Lets a test report, not hide,
# known 2.1-vs-5.6 differences.
certbot_flavour() {
    local v
    v=$(certbot_bare --version 2>&1 | head -n 1)
    case $v in
        "certbot 5."*) echo c ;;
        *) echo python ;;
    esac
}

# ------------------------------------------------------------------ pebble
PEBBLE_PID="" CTS_PID=""
PEBBLE_DIR_URL="" HTTP_PORT="" PEBBLE_MGMT="" CHALLTESTSRV_MGMT=""

_pebble_try_start() {
    local p_acme p_mgmt p_http p_tls p_dns p_cts d=$T/pebble
    free_ports 6 || return 1
    read -r p_acme p_mgmt p_http p_tls p_dns p_cts <<<"${FREE_PORTS[*]}"
    mkdir -p "$d"
    # PEBBLE_EAB_KEYS: a JSON object of EAB key ids to base64url HMAC keys
    # ({"kid-1": "..."}), pebble's externalAccountMACKeys.
    local eab_keys=
    if [ -n "${PEBBLE_EAB_KEYS:-}" ]; then
        eab_keys=",
    \"externalAccountMACKeys\": $PEBBLE_EAB_KEYS"
    fi

    if [ ! -s "$d/cert.pem" ]; then
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
            -nodes -days 2 -subj /CN=localhost \
            -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
            -keyout "$d/key.pem" -out "$d/cert.pem" >"$d/openssl.log" 2>&1 ||
            { diag "openssl failed: $(cat "$d/openssl.log")"; return 1; }
    fi
    cat >"$d/config.json" <<EOF
{
  "pebble": {
    "listenAddress": "127.0.0.1:$p_acme",
    "managementListenAddress": "127.0.0.1:$p_mgmt",
    "certificate": "$d/cert.pem",
    "privateKey": "$d/key.pem",
    "httpPort": $p_http,
    "tlsPort": $p_tls,
    "ocspResponderURL": "${PEBBLE_OCSP_URL:-}",
    "externalAccountBindingRequired": ${PEBBLE_EAB_REQUIRED:-false}$eab_keys
  }
}
EOF

    pebble-challtestsrv -defaultIPv4 127.0.0.1 -defaultIPv6 "" \
        -dns01 "127.0.0.1:$p_dns" -http01 "" -https01 "" -tlsalpn01 "" \
        -management "127.0.0.1:$p_cts" >"$d/challtestsrv.log" 2>&1 &
    CTS_PID=$!
    cleanup_pid "$CTS_PID"

    env PEBBLE_VA_NOSLEEP="${PEBBLE_VA_NOSLEEP:-1}" \
        PEBBLE_WFE_NONCEREJECT="${PEBBLE_WFE_NONCEREJECT:-0}" \
        pebble -config "$d/config.json" \
        -dnsserver "${PEBBLE_DNS_SERVER:-127.0.0.1:$p_dns}" \
        >"$d/pebble.log" 2>&1 &
    PEBBLE_PID=$!
    cleanup_pid "$PEBBLE_PID"

    if wait_http "http://127.0.0.1:$p_cts/" 100 &&
       wait_http "https://127.0.0.1:$p_acme/dir" 100 &&
       curl -ksf --max-time 2 -o /dev/null "https://127.0.0.1:$p_acme/dir"; then
        PEBBLE_DIR_URL=https://127.0.0.1:$p_acme/dir
        PEBBLE_MGMT=https://127.0.0.1:$p_mgmt
        CHALLTESTSRV_MGMT=http://127.0.0.1:$p_cts
        HTTP_PORT=$p_http
        PEBBLE_PORT=$p_acme
        export PEBBLE_DIR_URL PEBBLE_MGMT CHALLTESTSRV_MGMT HTTP_PORT PEBBLE_PORT
        return 0
    fi
    diag "pebble did not come up; pebble.log:"
    diag "$(tail -n 20 "$d/pebble.log")"
    diag "challtestsrv.log:"
    diag "$(tail -n 20 "$d/challtestsrv.log")"
    _kill_pid "$PEBBLE_PID"
    _kill_pid "$CTS_PID"
    return 1
}

# pebble_start: start pebble + challtestsrv on free loopback ports (three
# attempts in case a port is grabbed between choosing and binding), then
# create fresh C/W/L.  Returns non-zero if that failed.
pebble_start() {
    for _ in 1 2 3; do
        if _pebble_try_start; then
            new_dirs
            return 0
        fi
    done
    return 1
}

pebble_stop() {
    [ -n "$PEBBLE_PID" ] && _kill_pid "$PEBBLE_PID"
    [ -n "$CTS_PID" ] && _kill_pid "$CTS_PID"
    PEBBLE_PID="" CTS_PID=""
}

# pebble_root FILE: save pebble's (per-launch) root CA certificate.
pebble_root() {
    curl -ksf --max-time 5 "$PEBBLE_MGMT/roots/0" >"$1"
}

# require_tools: skip_all when the environment lacks what pebble tests need.
require_pebble_env() {
    local t
    for t in pebble pebble-challtestsrv openssl curl timeout; do
        command -v "$t" >/dev/null 2>&1 || skip_all "$t not installed"
    done
    have_certbot || skip_all "certbot under test not found: $CERTBOT"
    pebble_start || bail_out "could not start pebble"
}

# ------------------------------------------------------------ file checks
# mode_of PATH: octal permission bits (e.g. 755), symlinks not followed.
mode_of() { stat -c '%a' -- "$1" 2>/dev/null; }

# is_mode PATH MODE NAME
is_mode() {
    local m
    m=$(mode_of "$1")
    is "${m:-missing}" "$2" "$3"
}

# san_list CERTFILE: the DNS/IP SANs, sorted, one per line.
san_list() {
    openssl x509 -in "$1" -noout -ext subjectAltName 2>/dev/null |
        tail -n +2 | tr ',' '\n' | sed -e 's/^[[:space:]]*//' -e '/^$/d' |
        sed -e 's/^DNS://' -e 's/^IP Address://' | LC_ALL=C sort
}

# pubkey_of_cert / pubkey_of_key: SubjectPublicKeyInfo PEM
pubkey_of_cert() { openssl x509 -in "$1" -noout -pubkey 2>/dev/null; }
pubkey_of_key() { openssl pkey -in "$1" -pubout 2>/dev/null; }

# count_certs FILE: number of PEM certificates in FILE.
count_certs() { grep -c -- '-----BEGIN CERTIFICATE-----' "$1" 2>/dev/null; }

# only_entries DIR: sorted entry names (including dotfiles), space separated
only_entries() {
    (cd "$1" 2>/dev/null && LC_ALL=C ls -A | tr '\n' ' ' | sed 's/ $//')
}

# ------------------------------------------------- 2.1 vs 5.6 differences
# The suite targets Certbot 5.6 behaviour.  To validate the harness it can
# also run against Debian's Python certbot 2.1 (CERTBOT=/usr/bin/certbot);
# assertions wrapped in `v56` are then reported as TAP TODO (expected to
# fail there), so a 2.1 run shows which checks are 5.6-only.
FLAVOUR=
v56() {
    [ -n "$FLAVOUR" ] || FLAVOUR=$(certbot_flavour)
    if [ "$FLAVOUR" = python ]; then
        _TAP_TODO="certbot 2.1 differs from 5.6 here"
    fi
    "$@"
    local rc=$?
    _TAP_TODO=
    return $rc
}

# ------------------------------------------------------- shared checks
FRAME='- - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - -'
ADVICE_RE='^Ask for help or search for solutions at https://community\.letsencrypt\.org\. See the logfile .+ or re-run Certbot with -v for more details\.$'

# readme_text PREFIX: the live/ README of SPEC 3.1 ("" for a lineage's,
# "[cert name]/" for the top-level one).
readme_text() {
    local p=$1
    cat <<EOT
This directory contains your keys and certificates.

\`${p}privkey.pem\`  : the private key for your certificate.
\`${p}fullchain.pem\`: the certificate file used in most server software.
\`${p}chain.pem\`    : used for OCSP stapling in Nginx >=1.3.7.
\`${p}cert.pem\`     : will break many server configurations, and should not be used
                 without reading further documentation (see link below).

WARNING: DO NOT MOVE OR RENAME THESE FILES!
         Certbot expects these files to remain in this location in order
         to function properly!

We recommend not moving these files. For more information, see the Certbot
User Guide at https://certbot.eff.org/docs/using.html#where-are-my-certificates.
EOT
}

# conf_top_keys FILE: keys before the first [section], in order.
conf_top_keys() {
    sed -n '/^\[/q; /^[[:space:]]*#/d; /^[[:space:]]*$/d; s/[[:space:]]*=.*//p' "$1" |
        tr '\n' ' ' | sed 's/ $//'
}

# conf_get FILE KEY [SECTION]: value of KEY (top level, or in [SECTION]).
conf_get() {
    awk -v key="$2" -v want="${3:-}" '
        /^[[:space:]]*\[/ { s = $0; gsub(/[][[:space:]]/, "", s); sect = s; next }
        /^[[:space:]]*#/ { next }
        {
            line = $0
            i = index(line, "=")
            if (i == 0) next
            k = substr(line, 1, i - 1); v = substr(line, i + 1)
            gsub(/^[[:space:]]+|[[:space:]]+$/, "", k)
            gsub(/^[[:space:]]+|[[:space:]]+$/, "", v)
            if (sect == want && k == key) { print v; exit }
        }' "$1"
}

# conf_section_keys FILE SECTION: sorted keys of [SECTION], space separated
conf_section_keys() {
    awk -v want="$2" '
        /^[[:space:]]*\[/ { s = $0; gsub(/[][[:space:]]/, "", s); sect = s; next }
        /^[[:space:]]*#/ { next }
        sect == want && index($0, "=") > 0 {
            k = substr($0, 1, index($0, "=") - 1)
            gsub(/^[[:space:]]+|[[:space:]]+$/, "", k); print k
        }' "$1" | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//'
}

# no_lineage_left: nothing under live/, archive/, renewal/ (the dirs may
# exist but must be empty) and no temp files (*.new, lock files) in $C.
no_lineage_left() {
    local d left=
    for d in live archive renewal; do
        if [ -d "$C/$d" ] && [ -n "$(only_entries "$C/$d")" ]; then
            left="$left $d/{$(only_entries "$C/$d")}"
        fi
    done
    if [ -d "$C" ]; then
        left="$left$(find "$C" \( -name '*.new' -o -name '.certbot.lock' \) \
            -printf ' %P' 2>/dev/null)"
    fi
    if [ -n "$left" ]; then
        diag "left behind:$left"
        return 1
    fi
    return 0
}

# account_dirs: the account id dirs for the pebble server, one per line
account_dirs() {
    find "$C/accounts/127.0.0.1:$PEBBLE_PORT/dir" -mindepth 1 -maxdepth 1 \
        -type d 2>/dev/null | LC_ALL=C sort
}

# serve_webroot DIR: an HTTP server for DIR on pebble's HTTP-01 port
# (stopped at exit; WEB_PID holds its PID).  0 once it answers.
# bench/webroot-server, not `python3 -m http.server`: that one's listen
# backlog of 5 overflows when pebble validates several renewals at once
# (three connections each), and each dropped SYN costs a 1 s retry.
WEB_PID=
serve_webroot() {
    python3 "$top_srcdir/bench/webroot-server" "$HTTP_PORT" "$1" \
        >"$T/http.log" 2>&1 &
    WEB_PID=$!
    cleanup_pid "$WEB_PID"
    wait_http "http://127.0.0.1:$HTTP_PORT/" 100
}

# ari_stub PORT: an ACME directory on loopback that offers ARI
# (renewalInfo), since pebble 2.4 has none; lineages whose stored server
# is http://127.0.0.1:PORT/dir are asked through it (renewals still go to
# pebble, given by --server).  Every ARI request path is appended to
# $T/ari.log; $T/ari.mode says the answer: past (a window in the past,
# Retry-After: 3600), future (a window in 2099) or 500.  Run it in the
# background and cleanup_pid its PID.
ari_stub() {
    # exec: the background job is python itself, so cleanup_pid stops it
    exec python3 - "$1" "$T/ari.mode" "$T/ari.log" >"$T/ari.out" 2>&1 <<'PY'
import http.server, sys
port, mode_file, log_file = int(sys.argv[1]), sys.argv[2], sys.argv[3]
base = "http://127.0.0.1:%d" % port
class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass
    def send(self, code, body, extra=()):
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Replay-Nonce", "stubnonce")
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body.encode())
    def do_HEAD(self):
        self.send(200, "")
    def do_GET(self):
        if self.path == "/dir":
            self.send(200, '{"newNonce": "%s/nonce", "newAccount": "%s/acct", '
                      '"newOrder": "%s/order", "renewalInfo": "%s/ari"}'
                      % (base, base, base, base))
            return
        if self.path.startswith("/ari/"):
            with open(log_file, "a") as f:
                f.write(self.path + "\n")
            mode = open(mode_file).read().strip()
            if mode == "500":
                self.send(500, '{"type": "urn:ietf:params:acme:error:serverInternal"}')
            else:
                year = "2099" if mode == "future" else "2020"
                self.send(200, '{"suggestedWindow": {"start": "%s-01-01T00:00:00Z", '
                          '"end": "%s-01-02T00:00:00Z"}}' % (year, year),
                          [("Retry-After", "3600")])
            return
        self.send(404, "{}")
http.server.HTTPServer(("127.0.0.1", port), H).serve_forever()
PY
}
# ari_requests: how many ARI requests ari_stub answered so far
ari_requests() { wc -l <"$T/ari.log" 2>/dev/null | tr -d ' '; }

# nginx_serve ROOT [EXTRA]: a real nginx on 127.0.0.1:$HTTP_PORT whose
# default server serves ROOT, plus EXTRA (more server blocks) inside
# http {}.  Run as root it serves as nobody, so a challenge file or
# directory that is not world-readable is refused (403) and validation
# fails: that is what checks the 0644/0755 modes while the CA looks.
# Logs "$host $uri $status $body_bytes_sent" to $NG/logs/access.log.
# Sets NG and NGINX_PID; stopped by PID at exit.
NGINX_PID=
nginx_serve() {
    local root=$1 extra=${2:-} user_line=
    NG=$T/nginx
    mkdir -p "$NG/logs" "$NG/tmp"
    chmod 0755 "$NG" "$NG/tmp"
    [ "$(id -u)" = 0 ] && user_line="user nobody nogroup;"
    cat >"$NG/nginx.conf" <<EOF
daemon off;
$user_line
worker_processes 1;
pid $NG/nginx.pid;
error_log $NG/logs/error.log;
events { worker_connections 64; }
http {
    log_format chall '\$host \$uri \$status \$body_bytes_sent';
    access_log $NG/logs/access.log chall;
    client_body_temp_path $NG/tmp/body;
    proxy_temp_path $NG/tmp/proxy;
    fastcgi_temp_path $NG/tmp/fastcgi;
    uwsgi_temp_path $NG/tmp/uwsgi;
    scgi_temp_path $NG/tmp/scgi;
    server {
        listen 127.0.0.1:$HTTP_PORT default_server;
        root $root;
    }
$extra
}
EOF
    nginx -c "$NG/nginx.conf" -p "$NG" >"$NG/logs/stdout.log" 2>&1 &
    NGINX_PID=$!
    cleanup_pid "$NGINX_PID"
    wait_http "http://127.0.0.1:$HTTP_PORT/" 100 || {
        diag "nginx did not start: $(cat "$NG/logs/error.log" 2>/dev/null)"
        return 1
    }
}

# fresh_account: register one more account at pebble for $C (ours refuses
# a second `register`, so it is made in a scratch config dir and copied
# in) and print its id.  An order made with `--account <id>` cannot reuse
# an authorization validated by another account: pebble reuses a valid
# one about 1 time in 100 even with PEBBLE_AUTHZREUSE=0, and a check that
# needs the challenge to run again (a renewal calling its plugin or hook)
# then flakes.  Empty output and status 1 on failure.
fresh_account() {
    local scratch dir
    scratch=$(mktemp -d "$T/acct.XXXXXX")
    timeout -k 5 "$CB_TIMEOUT" "${CERTBOT_CMD[@]}" \
        --server "$PEBBLE_DIR_URL" --no-verify-ssl --config-dir "$scratch/c" \
        --work-dir "$scratch/w" --logs-dir "$scratch/l" -n --agree-tos \
        --register-unsafely-without-email register >"$scratch/out" 2>&1 ||
        return 1
    dir=$(find "$scratch/c/accounts" -name regr.json -printf '%h\n' | head -n 1)
    [ -n "$dir" ] || return 1
    mkdir -p "$C/accounts/${dir#"$scratch/c/accounts/"}" &&
        rmdir "$C/accounts/${dir#"$scratch/c/accounts/"}" &&
        cp -a "$dir" "$C/accounts/${dir#"$scratch/c/accounts/"}" || return 1
    echo "${dir##*/}"
}

# drop_account ID: remove an account fresh_account copied into $C, so
# later commands without --account find the one account again (with
# several, -n fails: "Please choose an account").
drop_account() {
    [ -n "$1" ] && rm -rf "$C/accounts/127.0.0.1:$PEBBLE_PORT/dir/$1"
}

# cert_enddate_epoch CERT
cert_enddate_epoch() {
    date -u -d "$(openssl x509 -in "$1" -noout -enddate | sed 's/^notAfter=//')" +%s
}
