#!/bin/bash
# Interop: the lock files work both ways.  While Python Certbot holds its
# locks (stopped in a manual auth hook that waits for a file), ours exits
# 1 with "Another instance of Certbot is already running." for a shared
# config dir, work dir or logs dir alone; and the other way round.  Both
# use fcntl record locks on <dir>/.certbot.lock (SPEC 3.6; A-2xx lock
# checks), so the waiting one really sees the other's lock.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/common.sh"

export PEBBLE_AUTHZREUSE=0
interop_start
make_hooks

LOCKED_MSG="Another instance of Certbot is already running."

# $H/wait-auth: says it is in the hook, waits (at most 60 s) for the
# release file, then sets the TXT record.
cat >"$H/wait-auth" <<EOS
#!/bin/sh
touch "$T/inhook"
i=0
while [ ! -e "$T/release" ] && [ \$i -lt 600 ]; do sleep 0.1; i=\$((i + 1)); done
exec "$H/dns-auth"
EOS
chmod 0755 "$H/wait-auth"

# with_dirs BIN CONF WORK LOGS ARGS...: BIN with only these dirs
with_dirs() {
    local bin=$1 c=$2 w=$3 l=$4
    shift 4
    timeout -k 5 "$CB_TIMEOUT" "$bin" --server "$PEBBLE_DIR_URL" --no-verify-ssl \
        --config-dir "$c" --work-dir "$w" --logs-dir "$l" "$@"
}

# wait_inhook PID: until the holder is inside its auth hook (60 s max)
wait_inhook() {
    local i
    for ((i = 0; i < 600; i++)); do
        [ -e "$T/inhook" ] && return 0
        kill -0 "$1" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}

# holder NAME BIN...: start BIN certonly --manual with the waiting hook in
# the background; sets HOLDER_PID
HOLDER_PID=
holder() {
    local name=$1
    shift
    rm -f "$T/inhook" "$T/release"
    "$@" certonly --manual --preferred-challenges dns \
        --manual-auth-hook "$H/wait-auth" -d "$name" \
        </dev/null >"$T/holder.out" 2>"$T/holder.err" &
    HOLDER_PID=$!
    cleanup_pid "$HOLDER_PID"
}

# release: let the holder finish; sets HOLDER_RC
HOLDER_RC=
release() {
    touch "$T/release"
    wait "$HOLDER_PID"
    HOLDER_RC=$?
}

# locked_out WHO NAME CMD...: CMD exits 1 naming the running instance
locked_out() {
    local who=$1 name=$2
    shift 2
    run "$@"
    is "$RC" 1 "$who: $name exits 1 while the other holds the lock" || show_run
    has "$ERR" "$LOCKED_MSG" "$who: $name says another instance is running"
}

mkdir -p "$T/other/c" "$T/other/w" "$T/other/l"
O=$T/other

# ------------------------------------------ Python holds, ours waits
holder py1.test pyn
if wait_inhook "$HOLDER_PID"; then
    pass "python is inside its auth hook, holding its locks"
    locked_out ours "certificates (all three dirs shared)" cb certificates
    locked_out ours "renew (all three dirs shared)" cb renew
    locked_out ours "certificates (config dir shared)" \
        with_dirs "$CERTBOT" "$C" "$O/w" "$O/l" certificates
    locked_out ours "certificates (work dir shared)" \
        with_dirs "$CERTBOT" "$O/c" "$W" "$O/l" certificates
    locked_out ours "certificates (logs dir shared)" \
        with_dirs "$CERTBOT" "$O/c" "$O/w" "$L" certificates
    run with_dirs "$CERTBOT" "$O/c" "$O/w" "$O/l" certificates
    is "$RC" 0 "ours: with none of its dirs shared, certificates runs" || show_run
else
    fail "python did not reach its auth hook" "$(cat "$T/holder.err")"
fi
release
is "$HOLDER_RC" 0 "python: the lock holder then completes" ||
    diag "$(cat "$T/holder.out" "$T/holder.err")"
ok "python: left no lock file behind" \
    test ! -e "$C/.certbot.lock" -a ! -e "$W/.certbot.lock" -a ! -e "$L/.certbot.lock"
run cb certificates
is "$RC" 0 "ours: runs once Python has finished"

# ------------------------------------------ ours holds, Python waits
holder c1.test cbn
if wait_inhook "$HOLDER_PID"; then
    pass "ours is inside its auth hook, holding its locks"
    locked_out python "certificates (all three dirs shared)" py certificates
    locked_out python "renew (all three dirs shared)" py renew
    locked_out python "certificates (config dir shared)" \
        with_dirs "$PY_CERTBOT" "$C" "$O/w" "$O/l" certificates
    locked_out python "certificates (work dir shared)" \
        with_dirs "$PY_CERTBOT" "$O/c" "$W" "$O/l" certificates
    locked_out python "certificates (logs dir shared)" \
        with_dirs "$PY_CERTBOT" "$O/c" "$O/w" "$L" certificates
else
    fail "ours did not reach its auth hook" "$(cat "$T/holder.err")"
fi
release
is "$HOLDER_RC" 0 "ours: the lock holder then completes" ||
    diag "$(cat "$T/holder.out" "$T/holder.err")"
ok "ours: left no lock file behind" \
    test ! -e "$C/.certbot.lock" -a ! -e "$W/.certbot.lock" -a ! -e "$L/.certbot.lock"
run py certificates
is "$RC" 0 "python: runs once ours has finished"
has_line "$OUT" "  Certificate Name: c1.test" "python: sees the lineage ours made meanwhile"
has_line "$OUT" "  Certificate Name: py1.test" "python: ... and its own"

done_testing
