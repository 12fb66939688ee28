#!/bin/bash
# certonly --manual with hook scripts against pebble: http-01 (files
# served by a real nginx), dns-01 (TXT records set through
# pebble-challtestsrv), wildcards.  SPEC 4.13, 5.4, 4.2, 4.8; acceptance
# A-077, A-078, A-251..A-254, A-258.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

command -v nginx >/dev/null 2>&1 || skip_all "nginx not installed"
require_pebble_env

# ------------------------------------------------------------ nginx
WWW=$T/www
mkdir -p "$WWW"
chmod 0755 "$WWW"
nginx_serve "$WWW" || bail_out "nginx did not start"

# ------------------------------------------------------------ hooks
# Each hook records its CERTBOT_* environment in $T/env/<hook>.<n>
# (n counts calls) and prints one line, which becomes CERTBOT_AUTH_OUTPUT.
H=$T/hooks
mkdir -p "$H" "$T/env"
cat >"$H/record" <<'EOF'
#!/bin/sh
# record NAME: save the CERTBOT_* variables of this call
n=$(ls "$ENVDIR" | grep -c "^$1\.")
env | grep '^CERTBOT_' | LC_ALL=C sort >"$ENVDIR/$1.$n"
EOF
cat >"$H/http-auth" <<'EOF'
#!/bin/sh
"$HOOKS/record" http-auth
d=$WWW/.well-known/acme-challenge
mkdir -p "$d"
chmod 0755 "$WWW/.well-known" "$d"
printf '%s' "$CERTBOT_VALIDATION" >"$d/$CERTBOT_TOKEN"
chmod 0644 "$d/$CERTBOT_TOKEN"
echo "  wrote $CERTBOT_TOKEN for $CERTBOT_DOMAIN  "
EOF
cat >"$H/http-cleanup" <<'EOF'
#!/bin/sh
"$HOOKS/record" http-cleanup
rm -f "$WWW/.well-known/acme-challenge/$CERTBOT_TOKEN"
EOF
cat >"$H/dns-auth" <<'EOF'
#!/bin/sh
"$HOOKS/record" dns-auth
case $CERTBOT_DOMAIN in fail-*) exit 0 ;; esac
curl -sf --max-time 10 -X POST -d \
  "{\"host\":\"_acme-challenge.$CERTBOT_DOMAIN.\",\"value\":\"$CERTBOT_VALIDATION\"}" \
  "$CHALLTESTSRV_MGMT/set-txt" >/dev/null
echo "txt set for $CERTBOT_DOMAIN"
EOF
cat >"$H/dns-cleanup" <<'EOF'
#!/bin/sh
"$HOOKS/record" dns-cleanup
curl -sf --max-time 10 -X POST -d \
  "{\"host\":\"_acme-challenge.$CERTBOT_DOMAIN.\"}" \
  "$CHALLTESTSRV_MGMT/clear-txt" >/dev/null
EOF
chmod 0755 "$H"/*
export HOOKS=$H WWW ENVDIR=$T/env CHALLTESTSRV_MGMT

envof() { cat "$T/env/$1" 2>/dev/null; }
reset_env() { rm -f "$T"/env/*; }

# ------------------------------------------------------------ A-253
run cbn certonly --manual -d d1.test
is "$RC" 1 "A-253 --manual -n without --manual-auth-hook exits 1"
has "$ERR" "An authentication script must be provided with --manual-auth-hook when using the manual plugin non-interactively." \
    "A-253 the error explains the missing auth hook" || show_run
has "$ERR" "The manual plugin is not working; there may be problems with your existing configuration.
The error was: PluginError('An authentication script must be provided" \
    "A-253 ... wrapped as Certbot does, with the Python repr of the error"

# ------------------------------------------------------------ A-254
run cbn certonly --manual --manual-auth-hook nosuch -d d1.test
is "$RC" 1 "A-254 --manual-auth-hook nosuch exits 1"
has "$ERR" "Unable to find manual-auth-hook command nosuch in the PATH." \
    "A-254 the hook is validated against PATH" || show_run
is "$(err_lines | head -n 1)" "Unable to find manual-auth-hook command nosuch in the PATH." \
    "A-254 the validation error is shown as is (not as a broken plugin)"
run cbn certonly --manual --manual-auth-hook true \
    --manual-cleanup-hook "nosuch2 arg" -d d1.test
has "$ERR" "Unable to find manual-cleanup-hook command nosuch2 in the PATH." \
    "A-254 the cleanup hook is validated too" || show_run
: >"$T/noexec"
run cbn certonly --manual --manual-auth-hook "$T/noexec" -d d1.test
has "$ERR" "$T/noexec-hook command manual-auth exists, but is not executable." \
    "A-254 an existing non-executable hook is named as such" || show_run
run cbn certonly --manual --manual-auth-hook nosuch --disable-hook-validation \
    -d d1.test
hasnt "$ERR" "Unable to find manual-auth-hook" \
    "A-254 --disable-hook-validation skips the check"
is "$RC" 1 "A-254 ...and the run then fails at validation (exit 1)"

# ------------------------------------------------------------ A-251
reset_env
run cbn certonly --manual --manual-auth-hook "$H/http-auth" \
    --manual-cleanup-hook "$H/http-cleanup" -d m1.test -d m2.test
is "$RC" 0 "A-251 manual http-01 with hooks writing into an nginx webroot exits 0" || show_run
ok "A-251 lineage m1.test issued" test -s "$C/live/m1.test/cert.pem"
like "$(cat "$NG/logs/access.log")" '^m1\.test /\.well-known/acme-challenge/[A-Za-z0-9_-]+ 200 [0-9]+$' \
    "A-251 the CA fetched the hook's file through nginx"
is "$(only_entries "$WWW/.well-known/acme-challenge")" "" \
    "A-251 the cleanup hook ran (challenge files gone)"
# the CA lists the authorizations in any order: d0 is whichever came first
e0=$(envof http-auth.0) e1=$(envof http-auth.1)
d0=$(sed -n 's/^CERTBOT_DOMAIN=//p' <<<"$e0")
d1=$(sed -n 's/^CERTBOT_DOMAIN=//p' <<<"$e1")
is "$(printf '%s\n' "$d0" "$d1" | LC_ALL=C sort | tr '\n' ' ')" "m1.test m2.test " \
    "A-251 env: CERTBOT_DOMAIN names each challenged domain once"
v56 has_line "$e0" "CERTBOT_IDENTIFIER=$d0" "A-251 env: CERTBOT_IDENTIFIER [5.6]"
has_line "$e0" "CERTBOT_ALL_DOMAINS=$d0,$d1" "A-251 env: CERTBOT_ALL_DOMAINS comma-separated"
has_line "$e1" "CERTBOT_ALL_DOMAINS=$d0,$d1" "A-251 env: CERTBOT_ALL_DOMAINS the same for every call"
v56 has_line "$e0" "CERTBOT_ALL_IDENTIFIERS=$d0,$d1" "A-251 env: CERTBOT_ALL_IDENTIFIERS comma-separated [5.6]"
has_line "$e0" "CERTBOT_REMAINING_CHALLENGES=1" "A-251 env: one challenge remains after the first"
has_line "$e1" "CERTBOT_REMAINING_CHALLENGES=0" "A-251 env: none after the second"
tok=$(sed -n 's/^CERTBOT_TOKEN=//p' <<<"$e0")
like "$tok" '^[A-Za-z0-9_-]{20,}$' "A-251 env: CERTBOT_TOKEN set for http-01"
like "$e0" "^CERTBOT_VALIDATION=$tok\\.[A-Za-z0-9_-]{43}\$" \
    "A-251 env: CERTBOT_VALIDATION is the key authorization"
c0=$(envof http-cleanup.0)
has_line "$c0" "CERTBOT_AUTH_OUTPUT=wrote $tok for $d0" \
    "A-251 cleanup env: CERTBOT_AUTH_OUTPUT is the auth hook's stripped stdout"
has_line "$c0" "CERTBOT_TOKEN=$tok" "A-251 cleanup env: same token as its auth call"
ok "A-251 cleanup ran once per challenge" test -e "$T/env/http-cleanup.1"
has_line "$OUT" "Hook '--manual-auth-hook' for $d0 ran with output:" \
    "A-251 the auth hook's output is reported on stdout"
has_line "$OUT" " wrote $tok for $d0" "A-251 ...indented by one space"
conf=$C/renewal/m1.test.conf
has_line "$(cat "$conf")" "authenticator = manual" "A-251 authenticator = manual saved"
has_line "$(cat "$conf")" "manual_auth_hook = $H/http-auth" "A-251 manual_auth_hook saved"
has_line "$(cat "$conf")" "manual_cleanup_hook = $H/http-cleanup" "A-251 manual_cleanup_hook saved"

# ------------------------------------------------------------ A-252
reset_env
run cbn certonly --manual --preferred-challenges dns \
    --manual-auth-hook "$H/dns-auth" --manual-cleanup-hook "$H/dns-cleanup" \
    -d dns1.test
is "$RC" 0 "A-252 manual dns-01 with challtestsrv hooks exits 0" || show_run
ok "A-252 lineage dns1.test issued" test -s "$C/live/dns1.test/cert.pem"
e0=$(envof dns-auth.0)
has_line "$e0" "CERTBOT_DOMAIN=dns1.test" "A-252 --preferred-challenges dns selected dns-01 (dns hook ran)"
hasnt "$e0" "CERTBOT_TOKEN=" "A-252 env: no CERTBOT_TOKEN for dns-01"
like "$e0" '^CERTBOT_VALIDATION=[A-Za-z0-9_-]{43}$' "A-252 env: CERTBOT_VALIDATION is the TXT value"
has_line "$(envof dns-cleanup.0)" "CERTBOT_AUTH_OUTPUT=txt set for dns1.test" \
    "A-252 the cleanup hook ran with the auth output"
is "$(grep -c 'dns1.test' "$NG/logs/access.log")" 0 "A-252 no http-01 request was made"

# ------------------------------------------------------------ A-077
reset_env
run cbn certonly --manual --preferred-challenges dns \
    --manual-auth-hook "$H/dns-auth" --manual-cleanup-hook "$H/dns-cleanup" \
    -d '*.w.test' -d w.test
is "$RC" 0 "A-077 wildcard + base via manual dns-01 exits 0" || show_run
ok "A-077 lineage is named w.test" test -d "$C/live/w.test"
ok "A-077 no lineage named *.w.test" test ! -e "$C/live/*.w.test"
is "$(san_list "$C/live/w.test/cert.pem" | tr '\n' ' ')" "*.w.test w.test " \
    "A-077 the certificate holds *.w.test and w.test"
has_line "$(envof dns-auth.0)" "CERTBOT_DOMAIN=w.test" \
    "A-077 a wildcard's CERTBOT_DOMAIN is its base domain"

# ------------------------------------------------------------ A-255
# Without hooks, on a terminal: the instructions, then a wait for Enter.
# script(1) gives certbot a pty; stdin answers the prompts.
if command -v script >/dev/null 2>&1; then
    printf '\n\n\n\n' >"$T/enter"
    tty_cb() {
        SHELL=/bin/sh timeout -k 5 "$CB_TIMEOUT" script -qec "$(printf '%q ' \
            "${CERTBOT_CMD[@]}" --server "$PEBBLE_DIR_URL" --no-verify-ssl \
            --config-dir "$C" --work-dir "$W" --logs-dir "$L" \
            --http-01-port "$HTTP_PORT" --agree-tos \
            --register-unsafely-without-email "$@")" /dev/null 2>&1
    }
    out=$(tty_cb certonly --manual --preferred-challenges dns -d t1.test \
        <"$T/enter" | tr -d '\r')
    has_line "$out" "Please deploy a DNS TXT record under the name:" \
        "A-255 [TTY] dns-01 instructions" || diag "$out"
    has_line "$out" "_acme-challenge.t1.test." "A-255 [TTY] the record name has a trailing dot"
    has_line "$out" "with the following value:" "A-255 [TTY] ...then the value"
    has_line "$out" "Press Enter to Continue" "A-255 [TTY] it waits for Enter"
    has "$out" "Before continuing, verify the TXT record has been deployed." \
        "A-255 [TTY] the verify paragraph follows the last DNS challenge"
    out=$(tty_cb certonly --manual -d t2.test <"$T/enter" | tr -d '\r')
    has_line "$out" "Create a file containing just this data:" \
        "A-255 [TTY] http-01 instructions" || diag "$out"
    like "$out" '^http://t2\.test/\.well-known/acme-challenge/[A-Za-z0-9_-]+$' \
        "A-255 [TTY] the URL to serve it at"

    # A-256: the user deploys the record while certbot waits: read the
    # value from the terminal, set it through challtestsrv, press Enter.
    mkfifo "$T/tty.in"
    : >"$T/tty.out"
    (tty_cb certonly --manual --preferred-challenges dns -d t3.test \
        <"$T/tty.in" >"$T/tty.out") &
    tty_pid=$!
    cleanup_pid "$tty_pid"
    trap '' PIPE
    exec 7>"$T/tty.in"
    for ((i = 0; i < 600; i++)); do
        grep -q 'Press Enter to Continue' "$T/tty.out" && break
        sleep 0.1
    done
    val=$(tr -d '\r' <"$T/tty.out" |
        sed -n '/^with the following value:$/{n;n;p;}' | head -n 1)
    curl -sf --max-time 10 -X POST -d \
        "{\"host\":\"_acme-challenge.t3.test.\",\"value\":\"$val\"}" \
        "$CHALLTESTSRV_MGMT/set-txt" >/dev/null
    printf '\n' >&7 2>/dev/null || true
    exec 7>&-
    wait "$tty_pid"
    trap - PIPE
    out=$(tr -d '\r' <"$T/tty.out")
    has_line "$out" "Successfully received certificate." \
        "A-256 [TTY] manual without hooks issues once the record is deployed" ||
        diag "$out"
    # (on a terminal Certbot prints NEXT STEPS in bold: compare the text)
    has "$out" "- This certificate will not be renewed automatically. Autorenewal of --manual certificates requires the use of an authentication hook script (--manual-auth-hook) but one was not provided. To renew this certificate, repeat this same certbot command before the certificate's expiry date." \
        "A-256 [TTY] NEXT STEPS says it will not renew automatically"
    hasnt "$out" "https://certbot.org/renewal-setup" \
        "A-256 [TTY] ...instead of the renewal set-up advice"
else
    skip "script(1) not installed" 10
fi

# ------------------------------------------------------------ A-078
run cbn certonly --standalone -d '*.w2.test'
is "$RC" 1 "A-078 a wildcard with --standalone exits 1"
has "$ERR$OUT" "Client with the currently selected authenticator does not support any combination of challenges that will satisfy the CA." \
    "A-078 the no-combination error" || show_run
has "$ERR$OUT" "You may need to use an authenticator plugin that can do challenges over DNS." \
    "A-078 ...with the DNS hint"

# ------------------------------------------------------------ A-257
run cbn certonly --manual --preferred-challenges dns \
    --manual-auth-hook "$H/dns-auth" --manual-cleanup-hook "$H/dns-cleanup" \
    --allow-subset-of-names -d sub1.test -d fail-x.test
is "$RC" 0 "A-257 --allow-subset-of-names with one failing name exits 0" || show_run
has_line "$OUT" "Unable to obtain a certificate with every requested domain. Retrying without: fail-x.test" \
    "A-257 it says which name is dropped"
v56 has "$OUT" "  Identifier: fail-x.test" "A-257 the failure is reported first [5.6]"
is "$(san_list "$C/live/sub1.test/cert.pem" | tr '\n' ' ')" "sub1.test " \
    "A-257 the lineage holds the rest only"
run cb certificates
is "$RC" 0 "A-257 certificates exits 0"
hasnt "$OUT" "fail-x.test" "A-257 certificates does not list fail-x.test"

run cbn certonly --manual --preferred-challenges dns \
    --manual-auth-hook "$H/dns-auth" --allow-subset-of-names -d fail-y.test
is "$RC" 1 "A-257 --allow-subset-of-names when every name fails exits 1"
has "$ERR" "All challenges have failed." "A-257 ...with 'All challenges have failed.'"

# ------------------------------------------------------------ A-258
run cbn certonly --manual --manual-auth-hook "$H/dns-auth" \
    --allow-subset-of-names -d '*.w.test'
is "$RC" 1 "A-258 --allow-subset-of-names with a wildcard exits 1"
has "$ERR" "Using --allow-subset-of-names with a wildcard domain is not supported." \
    "A-258 the error says so"

done_testing
