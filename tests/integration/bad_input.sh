#!/bin/bash
# Failing runs: invalid domain names, unreachable CA, http-01 port in use,
# unwritable config dir.  Each must exit 1 with exactly one error (plus the
# A-029 advice line) and leave no half-written lineage behind.
# SPEC 1, 3.7, 4.8, 5.2; acceptance A-029, A-071..A-074, A-240, A-310, A-316.
# automake runs us with $(SHELL), which may be a POSIX sh
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

require_pebble_env

# error_body: stderr minus "Saving debug log", blank lines, the advice line
# and Python's generic "An unexpected error occurred:" header.
error_body() {
    err_lines | grep -v -E -e "$ADVICE_RE" -e '^An unexpected error occurred:$'
}

# check_failure TAG MESSAGE-DESCRIPTION LOGFILE
#   RC 1, the advice line is the last stderr line (naming LOGFILE when
#   given), exactly one error line, nothing on disk.
check_failure() {
    local tag=$1 what=$2 log=${3:-}
    is "$RC" 1 "$tag $what exits 1" || show_run
    like "$(tail -n 1 "$T/last.err")" "$ADVICE_RE" "A-029 $tag $what: stderr ends with the advice line"
    if [ -n "$log" ]; then
        has "$(tail -n 1 "$T/last.err")" "See the logfile $log or re-run" \
            "A-029 $tag $what: advice names $log"
    fi
    is "$(error_body | wc -l)" 1 "$tag $what: exactly one error line" ||
        diag "$(error_body)"
    ok "$tag $what: no lineage, renewal conf or archive left" no_lineage_left
}

# ------------------------------------------------------ invalid domains
long=$(printf 'a%.0s' $(seq 1 64))
cases=(
    "A-071|http://bad.test|^Requested name http://bad\\.test appears to be a URL, not a FQDN\\. Try again without the leading \"http://\"\\.\$"
    "A-072|127.0.0.1|^Requested name 127\\.0\\.0\\.1 is an IP address"
    "A-073|bücher.test|^Non-ASCII domain names not supported\\. To issue for an Internationalized Domain Name, use Punycode\\.\$"
    "A-074|a..test|^Requested domain a\\.\\.test is not a FQDN because it contains an empty label\\.\$"
    "A-074|$long.test|^Requested domain $long\\.test is not a FQDN because label $long is too long\\.\$"
)
for c in "${cases[@]}"; do
    IFS='|' read -r tag dom re <<<"$c"
    new_dirs
    run cbn certonly --standalone -d "$dom"
    check_failure "$tag" "-d ${dom:0:20}"
    like "$(error_body)" "$re" "$tag -d ${dom:0:20}: error text"
    ok "$tag -d ${dom:0:20}: no account registered (checked before any CA traffic)" \
        test -z "$(find "$C" -name private_key.json 2>/dev/null)"
done

# ------------------------------------------------ A-316 CA unreachable
new_dirs
free_ports 1 || bail_out "no free port"
closed=${FREE_PORTS[0]}
run timeout -k 5 "$CB_TIMEOUT" "${CERTBOT_CMD[@]}" \
    --server "https://127.0.0.1:$closed/dir" --no-verify-ssl \
    --config-dir "$C" --work-dir "$W" --logs-dir "$L" \
    --http-01-port "$HTTP_PORT" -n --agree-tos --register-unsafely-without-email \
    certonly --standalone -d unreachable.test
check_failure A-316 "unreachable --server" "$L/letsencrypt.log"
like "$(error_body)" "127\\.0\\.0\\.1(:$closed)?/dir" "A-316 the error names the server URL"
ok "A-316 no account created" test -z "$(find "$C" -name private_key.json 2>/dev/null)"

# ------------------------------------------------ A-240 port in use
new_dirs
if hold_port "$HTTP_PORT"; then
    run cbn certonly --standalone -d busy.test
    check_failure A-240 "http-01 port in use" "$L/letsencrypt.log"
    has_line "$(error_body)" "Could not bind TCP port $HTTP_PORT because it is already in use by another process on this system (such as a web server). Please stop the program in question and then try again." \
        "A-240 error says the port is in use"
    v56 ok "A-240 no private key written anywhere (no keys/ dir) [5.6]" \
        test -z "$(find "$C" -name '*.pem' 2>/dev/null)"
    stop_pid "$HOLD_PID"
else
    skip "A-240 could not occupy port $HTTP_PORT" 6
fi

# -------------------------------------- A-310 unwritable config dir
if [ "$(id -u)" != 0 ] || ! command -v setpriv >/dev/null 2>&1; then
    skip "A-310 needs root and setpriv to drop privileges" 6
elif ! setpriv --reuid=65534 --regid=65534 --clear-groups test -x "${CERTBOT_CMD[0]}"; then
    skip "A-310 $CERTBOT is not executable by uid 65534" 6
else
    base=$(mktemp -d "$T/nonroot.XXXXXX")
    chmod 0755 "$base"
    mkdir -p "$base/ro" "$base/work" "$base/logs" "$base/home"
    chown 65534:65534 "$base/work" "$base/logs" "$base/home"
    C=$base/ro/conf W=$base/work L=$base/logs
    run setpriv --reuid=65534 --regid=65534 --clear-groups \
        env HOME="$base/home" TMPDIR="$base/home" \
        timeout -k 5 "$CB_TIMEOUT" "${CERTBOT_CMD[@]}" \
        --server "$PEBBLE_DIR_URL" --no-verify-ssl \
        --config-dir "$C" --work-dir "$W" --logs-dir "$L" \
        --http-01-port "$HTTP_PORT" -n --agree-tos --register-unsafely-without-email \
        certonly --standalone -d nonroot.test
    is "$RC" 1 "A-310 unwritable --config-dir as non-root exits 1" || show_run
    body=$(error_body)
    is "$(sed -n 1p <<<"$body")" "The following error was encountered:" \
        "A-310 'The following error was encountered:'"
    like "$(sed -n 2p <<<"$body")" "Permission denied.*$C" \
        "A-310 then the OS error naming the config dir"
    is "$(sed -n 3p <<<"$body")" "Either run as root, or set --config-dir, --work-dir, and --logs-dir to writeable paths." \
        "A-310 then the 'Either run as root...' advice"
    is "$(wc -l <<<"$body")" 3 "A-310 nothing else is reported"
    like "$(tail -n 1 "$T/last.err")" "$ADVICE_RE" "A-029 A-310: stderr ends with the advice line"
    is "$(only_entries "$base/ro")" "" "A-310 nothing was created in the unwritable parent"
fi

done_testing
