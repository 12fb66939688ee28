#!/bin/bash
# The renew verb against pebble: which lineages are due, the summary,
# stored parameters (authenticator, keys, reuse_key), parse failures,
# renew failures, archive versions and dry runs.
# SPEC 3.2, 3.3, 4.4-4.7; acceptance A-115..A-117, A-124, A-131, A-138,
# A-118, A-141..A-146, A-149..A-151, A-153..A-158, A-160, A-161,
# A-162 (no-delay case), A-165..A-168, A-171, A-177.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
: "${CB_SCRIPT_TIMEOUT:=600}"
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

# Every renewal really validates (no reused authorizations), so a lineage
# whose challenge cannot succeed really fails (A-156).
export PEBBLE_AUTHZREUSE=0
require_pebble_env

# issue NAME [ARGS...]: a first certificate for NAME (fails the test if not)
issue() {
    local name=$1
    shift
    run cbn certonly --standalone -d "$name" "$@"
    [ "$RC" = 0 ] || { show_run; return 1; }
}

# make_due CONFNAME: renew_before_expiry = 100 years (pebble issues
# 5-year certificates), as a top-level key before the first section.
make_due() {
    local f=$C/renewal/$1.conf
    { echo "renew_before_expiry = 100 years"; cat "$f"; } >"$f.tmp" &&
        mv "$f.tmp" "$f"
}

# set_param CONFNAME KEY VALUE: replace or add KEY in [renewalparams]
set_param() {
    local f=$C/renewal/$1.conf
    sed -i "/^$2 = /d" "$f"
    sed -i "/^\[renewalparams\]/a $2 = $3" "$f"
}

del_param() { sed -i "/^$2 = /d" "$C/renewal/$1.conf"; }

archive_of() { only_entries "$C/archive/$1"; }

frame_ok() {
    # the summary is framed: a frame line is the last line of stdout
    [ "$(tail -n 1 "$T/last.out")" = "$FRAME" ]
}

# ------------------------------------------------------------ not due
issue r1.test || bail_out "first issuance failed"
# "Processing <conf>" is a framed notification, which Certbot wraps at 80
# columns: with a long config dir the path goes on its own line.  Compare
# with those two lines joined again.
unwrap_processing() {
    sed -e ':a' -e '/^Processing$/{N;s/\n/ /;ba' -e '}' "$T/last.out"
}

run cbn renew
is "$RC" 0 "A-144 renew with nothing due exits 0"
has_line "$(unwrap_processing)" "Processing $C/renewal/r1.test.conf" \
    "A-144 renew says which conf it processes"
has_line "$OUT" "Certificate not yet due for renewal" \
    "A-144 not-due lineage is reported"
has_line "$OUT" "The following certificates are not due for renewal yet:" \
    "A-144 summary lists skipped certificates"
like "$OUT" "^  $C/live/r1\.test/fullchain\.pem expires on [0-9]{4}-[0-9]{2}-[0-9]{2} \(skipped\)$" \
    "A-144 skipped line names fullchain and expiry date"
has_line "$OUT" "No renewals were attempted." "A-144 no renewals attempted"
ok "A-144 summary is framed" frame_ok
is "$(archive_of r1.test)" "cert1.pem chain1.pem fullchain1.pem privkey1.pem" \
    "A-144 archive unchanged"

# A-162 (partly): stdin is not a TTY and the random sleep is allowed,
# but nothing is due, so there is no delay
run timeout -k 5 60 "${CERTBOT_CMD[@]}" --server "$PEBBLE_DIR_URL" \
    --no-verify-ssl --config-dir "$C" --work-dir "$W" --logs-dir "$L" -n renew
is "$RC" 0 "A-162 renew with random sleep allowed and nothing due exits 0"
unlike "$(cat "$L/letsencrypt.log")" "random delay" \
    "A-162 no random delay when nothing is due"

# -------------------------------------------------------------- due
make_due r1.test
run cbn renew
is "$RC" 0 "A-146 renew of a due lineage exits 0"
has_line "$OUT" "Renewing an existing certificate for r1.test" \
    "A-146 renewal announced"
has_line "$OUT" "Congratulations, all renewals succeeded: " \
    "A-146 success summary"
has_line "$OUT" "  $C/live/r1.test/fullchain.pem (success)" \
    "A-146 success line names the fullchain"
is "$(readlink "$C/live/r1.test/cert.pem")" "../../archive/r1.test/cert2.pem" \
    "A-146 live points to version 2"
is "$(conf_get "$C/renewal/r1.test.conf" authenticator renewalparams)" \
    standalone "A-153 stored authenticator kept (renewed with no plugin flags)"
is "$(conf_get "$C/renewal/r1.test.conf" renew_before_expiry)" "100 years" \
    "A-133 user top-level key survives the rewrite"

# --------------------------------------------------------- dry run
cp "$C/renewal/r1.test.conf" "$T/r1.before"
run cbn renew --dry-run
is "$RC" 0 "A-171 renew --dry-run exits 0"
has_line "$OUT" "Simulating renewal of an existing certificate for r1.test" \
    "A-171 dry run announces a simulated renewal"
has_line "$OUT" "Congratulations, all simulated renewals succeeded: " \
    "A-171 summary says simulated renewals"
is "$(archive_of r1.test)" \
    "cert1.pem cert2.pem chain1.pem chain2.pem fullchain1.pem fullchain2.pem privkey1.pem privkey2.pem" \
    "A-171 dry run writes no archive version"
ok "A-171 dry run leaves the conf unchanged" cmp -s "$T/r1.before" "$C/renewal/r1.test.conf"

# --------------------------------------------- order, cert-name, -d
issue r2.test || bail_out "issuance failed"
issue r2.test --duplicate || bail_out "duplicate issuance failed"
run cbn renew
p1=$(unwrap_processing | grep -n "^Processing $C/renewal/r2.test-0001.conf$" | cut -d: -f1)
p2=$(unwrap_processing | grep -n "^Processing $C/renewal/r2.test.conf$" | cut -d: -f1)
if [ -n "$p1" ] && [ -n "$p2" ] && [ "$p1" -lt "$p2" ]; then
    pass "A-145 r2.test-0001.conf is processed before r2.test.conf"
else
    fail "A-145 r2.test-0001.conf is processed before r2.test.conf" "$OUT"
fi

run cbn renew --force-renewal --cert-name r2.test
is "$RC" 0 "A-150 renew --cert-name exits 0"
hasnt "$(unwrap_processing)" "Processing $C/renewal/r1.test.conf" "A-150 other lineages untouched"
ok "A-150 named lineage renewed" test -e "$C/archive/r2.test/cert2.pem"
ok "A-150 the -0001 lineage is not renewed" test ! -e "$C/archive/r2.test-0001/cert2.pem"

run cbn renew --cert-name nosuch
is "$RC" 1 "A-150 unknown --cert-name exits 1"
has_line "$ERR" "No certificate found with name nosuch (expected $C/renewal/nosuch.conf)." \
    "A-150 unknown --cert-name message"

run cbn renew -d r1.test
is "$RC" 1 "A-151 renew -d exits 1"
like "$ERR" "^Currently, the renew verb is capable of either renewing all installed certificates that are due to be renewed or renewing a single certificate specified by its name" \
    "A-151 renew -d explains --cert-name"

run cbn renew --force-renewal
is "$RC" 0 "A-149 --force-renewal exits 0"
ok "A-149 r1 renewed (version 3)" test -e "$C/archive/r1.test/cert3.pem"
ok "A-149 r2 renewed (version 3)" test -e "$C/archive/r2.test/cert3.pem"
ok "A-149 r2-0001 renewed (version 2)" test -e "$C/archive/r2.test-0001/cert2.pem"

# --------------------------------------------------- CLI overrides
run cbn renew --force-renewal --cert-name r1.test --preferred-challenges http
is "$RC" 0 "A-154 renew with --preferred-challenges exits 0"
is "$(conf_get "$C/renewal/r1.test.conf" pref_challs renewalparams)" "http-01," \
    "A-154 CLI override saved (pref_challs = http-01,)"

# ------------------------------------------------- parse failures
new_dirs
issue p1.test || bail_out "issuance failed"
issue p2.test || bail_out "issuance failed"
set_param p1.test reuse_key maybe
run cbn renew
is "$RC" 1 "A-138 reuse_key = maybe makes renew exit 1"
like "$ERR" "Expected True or False for reuse_key but found maybe" \
    "A-138 bad boolean is named"
has_line "$ERR" "0 renew failure(s), 1 parse failure(s)" "A-138 failure count"
has_line "$OUT" "  $C/renewal/p1.test.conf (parsefail)" "A-138 listed as parsefail"
has_line "$OUT" "  $C/live/p2.test/fullchain.pem expires on $(date -u -d "@$(cert_enddate_epoch "$C/live/p2.test/cert.pem")" +%F) (skipped)" \
    "A-138 the other lineage is still processed"

set_param p1.test reuse_key False
del_param p1.test authenticator
run cbn renew
is "$RC" 1 "A-143 missing authenticator makes renew exit 1"
has "$ERR" "$C/renewal/p1.test.conf does not specify an authenticator. Skipping." \
    "A-143 missing authenticator message"
has_line "$ERR" "0 renew failure(s), 1 parse failure(s)" "A-143 counted as parse failure"
set_param p1.test authenticator standalone

# A-155: a broken lineage next to a good due one
make_due p2.test
rm -f "$C/live/p1.test/cert.pem"
run cbn renew
is "$RC" 1 "A-155 broken lineage makes renew exit 1"
ok "A-155 good lineage renewed" test -e "$C/archive/p2.test/cert2.pem"
has_line "$OUT" "Additionally, the following renewal configurations were invalid: " \
    "A-155 invalid configurations listed"
has_line "$OUT" "  $C/renewal/p1.test.conf (parsefail)" "A-155 broken conf is a parsefail"
has_line "$ERR" "0 renew failure(s), 1 parse failure(s)" "A-155 failure count"

# ------------------------------------------------- renew failures
# Renewed without --http-01-port, so each lineage uses its stored port;
# f1's points where pebble does not look.
new_dirs
issue f1.test || bail_out "issuance failed"
issue f2.test || bail_out "issuance failed"
free_ports 1 || bail_out "no free port"
set_param f1.test http01_port "${FREE_PORTS[0]}"
# f1 renews with an account of its own that never validated f1.test:
# pebble may reuse an account's valid authorization (about 1 time in 100
# even with PEBBLE_AUTHZREUSE=0), and then no challenge would fail.
keep_C=$C
C=$T/acct-b
run cbn register
C=$keep_C
acct_b=$(find "$T/acct-b/accounts" -name regr.json -printf '%h\n' | head -n 1)
[ -n "$acct_b" ] || bail_out "could not register a second account"
acct_dir_a=$(find "$C/accounts" -name regr.json -printf '%h\n' | head -n 1)
cp -a "$acct_b" "${acct_dir_a%/*}/"
set_param f1.test account "${acct_b##*/}"
# and no --server: with it the stored account would count as user-set
# (Certbot's VAR_MODIFIERS) and two accounts would need --account
run timeout -k 5 "$CB_TIMEOUT" "${CERTBOT_CMD[@]}" --no-verify-ssl \
    --config-dir "$C" --work-dir "$W" --logs-dir "$L" \
    --no-random-sleep-on-renew -n renew --force-renewal
is "$RC" 1 "A-156 one failed renewal makes renew exit 1"
ok "A-156 the good lineage renewed" test -e "$C/archive/f2.test/cert2.pem"
ok "A-156 the failing lineage has no new version" test ! -e "$C/archive/f1.test/cert2.pem"
has_line "$OUT" "The following renewals succeeded:" "A-156 successes on stdout"
has_line "$OUT" "  $C/live/f2.test/fullchain.pem (success)" "A-156 success line"
has_line "$ERR" "The following renewals failed:" "A-156 failures on stderr"
has_line "$ERR" "  $C/live/f1.test/fullchain.pem (failure)" "A-156 failure line"
has_line "$(err_lines | grep -v '^Ask for help')" "1 renew failure(s), 0 parse failure(s)" \
    "A-156 failure count"
is "$(err_lines | grep -v '^Ask for help' | tail -n 1)" "1 renew failure(s), 0 parse failure(s)" \
    "A-156 stderr ends with the count (before the advice line)"

# ------------------------------------------------------ autorenew
new_dirs
issue a1.test --no-autorenew || bail_out "issuance failed"
is "$(conf_get "$C/renewal/a1.test.conf" autorenew renewalparams)" False \
    "A-157 --no-autorenew saved as autorenew = False"
make_due a1.test
run cbn renew
is "$RC" 0 "A-157 renew exits 0"
ok "A-157 autorenew = False lineage not renewed" test ! -e "$C/archive/a1.test/cert2.pem"
run cbn renew --force-renewal
ok "A-157 --force-renewal still renews it" test -e "$C/archive/a1.test/cert2.pem"

# ---------------------------------------------- archive mechanics
new_dirs
issue v1.test || bail_out "issuance failed"
for k in cert chain fullchain privkey; do
    cp -p "$C/archive/v1.test/${k}1.pem" "$C/archive/v1.test/${k}2.pem"
done
run cbn renew
has "$ERR$OUT" "Found a new certificate /archive/ that was not linked to in /live/; fixing..." \
    "A-158 undeployed version is noticed"
is "$(readlink "$C/live/v1.test/cert.pem")" "../../archive/v1.test/cert2.pem" \
    "A-158 live re-pointed to version 2"

cp -p "$C/archive/v1.test/cert1.pem" "$C/archive/v1.test/cert5.pem"
run cbn renew --force-renewal
is "$(readlink "$C/live/v1.test/privkey.pem")" "../../archive/v1.test/privkey6.pem" \
    "A-161 next version skips a stray cert5.pem (version 6)"
ok "A-161 all four kinds at version 6" test -e "$C/archive/v1.test/chain6.pem" -a \
    -e "$C/archive/v1.test/fullchain6.pem" -a -e "$C/archive/v1.test/cert6.pem"

new_dirs
issue t1.test || bail_out "issuance failed"
for i in 1 2 3 4 5 6 7; do
    cb -n renew --force-renewal >/dev/null 2>&1
done
is "$(archive_of t1.test | tr ' ' '\n' | grep '^cert' | sed 's/cert\([0-9]*\)\.pem/\1/' | sort -n | tr '\n' ' ' | sed 's/ $//')" \
    "3 4 5 6 7 8" "A-160 archive truncated to the current + 5 previous versions"
is "$(readlink "$C/live/t1.test/fullchain.pem")" "../../archive/t1.test/fullchain8.pem" \
    "A-160 live points to version 8"

# ------------------------------------------------------------ keys
new_dirs
issue k1.test --reuse-key || bail_out "issuance failed"
is "$(conf_get "$C/renewal/k1.test.conf" reuse_key renewalparams)" True \
    "A-115 --reuse-key saved"
run cbn renew --force-renewal
is "$RC" 0 "A-115 renew with stored reuse_key exits 0"
ok "A-115 privkey2.pem has the bytes of privkey1.pem" \
    cmp -s "$C/archive/k1.test/privkey1.pem" "$C/archive/k1.test/privkey2.pem"
is "$(pubkey_of_cert "$C/archive/k1.test/cert2.pem")" \
    "$(pubkey_of_cert "$C/archive/k1.test/cert1.pem")" \
    "A-115 new certificate has the old public key"
is_mode "$C/archive/k1.test/privkey2.pem" 600 "A-115 reused key copy is 0600"

run cbn renew --force-renewal --new-key
is "$RC" 0 "A-117 --new-key exits 0"
ok "A-117 --new-key makes a new key" \
    bash -c "! cmp -s '$C/archive/k1.test/privkey2.pem' '$C/archive/k1.test/privkey3.pem'"
is "$(conf_get "$C/renewal/k1.test.conf" reuse_key renewalparams)" True \
    "A-117 reuse_key stays True"
run cbn renew --force-renewal
ok "A-117 next renewal reuses the new key" \
    cmp -s "$C/archive/k1.test/privkey3.pem" "$C/archive/k1.test/privkey4.pem"

run cbn renew --force-renewal --no-reuse-key
ok "A-116 --no-reuse-key makes a new key" \
    bash -c "! cmp -s '$C/archive/k1.test/privkey4.pem' '$C/archive/k1.test/privkey5.pem'"
is "$(conf_get "$C/renewal/k1.test.conf" reuse_key renewalparams)" False \
    "A-116 --no-reuse-key saved as reuse_key = False"
run cbn renew --force-renewal
ok "A-116 the following renewal makes another new key" \
    bash -c "! cmp -s '$C/archive/k1.test/privkey5.pem' '$C/archive/k1.test/privkey6.pem'"

issue k2.test --key-type rsa || bail_out "issuance failed"
del_param k2.test key_type
run cbn renew --force-renewal --cert-name k2.test
is "$RC" 0 "A-124 renew without stored key_type exits 0"
like "$(openssl pkey -in "$C/archive/k2.test/privkey2.pem" -noout -text 2>/dev/null | head -n 1)" \
    "Private-Key: \(2048 bit" "A-124 missing key_type means RSA 2048"
is "$(conf_get "$C/renewal/k2.test.conf" key_type renewalparams)" rsa \
    "A-124 key_type = rsa written back"

issue k3.test --key-type rsa --rsa-key-size 4096 --reuse-key ||
    bail_out "issuance failed"
run cbn renew --force-renewal --cert-name k3.test --rsa-key-size 2048
is "$RC" 1 "A-118 reuse_key with a different --rsa-key-size exits 1"
has "$ERR" "Unable to change the --rsa-key-size of this certificate because --reuse-key is set." \
    "A-118 --rsa-key-size conflict named"
run cbn renew --force-renewal --cert-name k3.test --key-type ecdsa
has "$ERR" "Unable to change the --key-type of this certificate because --reuse-key is set." \
    "A-118 --key-type conflict named"
ok "A-118 no new version after the conflicts" test ! -e "$C/archive/k3.test/cert2.pem"

# ------------------------------------------------ conf details
sed -i 's/^version = .*/version = 99.0.0/' "$C/renewal/k3.test.conf"
run cbn renew --cert-name k3.test
is "$RC" 0 "A-141 a conf written by a newer version still loads"
has_line "$OUT" "Certificate not yet due for renewal" "A-141 and is processed"
sed -i '/^fullchain = /d' "$C/renewal/k3.test.conf"
run cbn renew --cert-name k3.test
is "$RC" 1 "A-142 conf without fullchain is a parse failure"
has "$ERR" "is missing a required file reference" "A-142 message"
has_line "$ERR" "0 renew failure(s), 1 parse failure(s)" "A-142 counted as parse failure"

# ------------------------------------------------------- installer
issue in1.test -i null || bail_out "issuance failed"
run cbn renew --force-renewal --cert-name in1.test
is "$RC" 0 "SPEC 4.4 renew of a lineage with a stored installer exits 0"
has_line "$OUT" "Reloading null server after certificate renewal" \
    "SPEC 4.4 the stored installer is reloaded after the renewal"
run cbn renew --dry-run --cert-name in1.test
hasnt "$OUT" "Reloading" "A-177 a dry run does not reload the installer"

# ------------------------------------------------------------ ARI
# pebble 2.4 has no renewalInfo: lib.sh's ari_stub answers ARI for
# lineages whose stored server points at it (renewals still go to
# pebble, given by --server).
# within SLACK seconds of now + OFFSET?
near() {
    local got want
    got=$(date -u -d "$1" +%s 2>/dev/null) || return 1
    want=$(( $(date -u +%s) + $2 ))
    [ $((got - want)) -le 120 ] && [ $((want - got)) -le 120 ]
}

if command -v python3 >/dev/null 2>&1 && free_ports 1; then
    ARI_PORT=${FREE_PORTS[0]}
    echo past >"$T/ari.mode"
    : >"$T/ari.log"
    ari_stub "$ARI_PORT" &
    cleanup_pid $!
    wait_http "http://127.0.0.1:$ARI_PORT/dir" 100 || diag "ARI stub did not start"
    new_dirs
    issue ari1.test || bail_out "issuance failed"
    set_param ari1.test server "http://127.0.0.1:$ARI_PORT/dir"
    run cbn renew
    is "$RC" 0 "A-165 renew with an ARI window in the past exits 0"
    ok "A-165 ARI window in the past renews a fresh certificate" \
        test -e "$C/archive/ari1.test/cert2.pem"
    like "$(cat "$T/ari.log")" '^/ari/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$' \
        "A-165 request path is <renewalInfo>/<b64url(AKI)>.<b64url(serial)>"
    is "$(ari_requests)" 1 "A-165 the lineage's stored server was asked (not --server)"
    retry=$(conf_get "$C/renewal/ari1.test.conf" ari_retry_after acme_renewal_info)
    ok "A-166 Retry-After: 3600 stored as ari_retry_after = now + 1 h ($retry)" \
        near "$retry" 3600
    set_param ari1.test server "http://127.0.0.1:$ARI_PORT/dir"
    run cbn renew
    is "$(ari_requests)" 1 "A-166 no ARI request before ari_retry_after"
    run cbn renew --dry-run
    is "$(ari_requests)" 1 "A-168 --dry-run makes no ARI request"

    echo 500 >"$T/ari.mode"
    issue ari2.test || bail_out "issuance failed"
    set_param ari2.test server "http://127.0.0.1:$ARI_PORT/dir"
    set_param ari2.test autorenew False
    run cbn renew --cert-name ari2.test
    is "$(ari_requests)" 1 "A-168 autorenew = False makes no ARI request"
    set_param ari2.test autorenew True
    run cbn renew --cert-name ari2.test
    is "$RC" 0 "A-167 ARI error: renew still exits 0"
    is "$(ari_requests)" 2 "A-167 ARI was asked"
    has "$ERR" "An error occurred requesting ACME Renewal Information (ARI)." \
        "A-167 ARI error warned"
    has_line "$OUT" "Certificate not yet due for renewal" \
        "A-167 decision falls back to the default rule"
    retry=$(conf_get "$C/renewal/ari2.test.conf" ari_retry_after acme_renewal_info)
    ok "A-167 ari_retry_after = now + 6 h ($retry)" near "$retry" 21600
else
    skip "ARI checks need python3 and a free port" 12
fi

# ------------------------------------- a lineage from Python Certbot
if [ -x /usr/bin/certbot ] && [ "$(certbot_flavour)" = c ]; then
    new_dirs
    run env CERTBOT=/usr/bin/certbot bash -c '
        timeout -k 5 "$0" /usr/bin/certbot --server "$1" --no-verify-ssl \
            --config-dir "$2" --work-dir "$3" --logs-dir "$4" \
            --http-01-port "$5" -n --agree-tos \
            --register-unsafely-without-email certonly --standalone \
            -d py.test' "$CB_TIMEOUT" "$PEBBLE_DIR_URL" "$C" "$W" "$L" "$HTTP_PORT"
    if [ "$RC" = 0 ]; then
        run cbn renew --force-renewal
        is "$RC" 0 "A-131 renew of a Python Certbot lineage exits 0"
        is "$(readlink "$C/live/py.test/cert.pem")" "../../archive/py.test/cert2.pem" \
            "A-131 Python Certbot lineage renewed to version 2"
        is "$(conf_get "$C/renewal/py.test.conf" version)" "5.6.0" \
            "A-131 conf rewritten by us"
    else
        show_run
        fail "A-131 Python certbot could not create a lineage"
    fi
else
    skip "A-131 needs /usr/bin/certbot and the C certbot under test" 3
fi

# ------------------------------------------------------------ A-163
# --break-my-certs: replacing a certificate from a real CA with one from a
# staging CA needs the flag.  "staging" in the URL is what marks a test
# CA; pebble ignores the query string, so it stands in for one.
new_dirs
issue bm.test || bail_out "issuance failed"
run cbn renew --cert-name bm.test --force-renewal --server "$PEBBLE_DIR_URL?staging=1"
is "$RC" 1 "A-163 renewing onto a staging CA without --break-my-certs exits 1"
has "$ERR" "You've asked to renew/replace a seemingly valid certificate with a test certificate (domains: bm.test). We will not do that unless you use the --break-my-certs flag!" \
    "A-163 ... with Certbot's warning"
is "$(readlink "$C/live/bm.test/cert.pem")" "../../archive/bm.test/cert1.pem" \
    "A-163 ... and the lineage keeps version 1"
run cbn renew --cert-name bm.test --force-renewal --server "$PEBBLE_DIR_URL?staging=1" --break-my-certs
is "$RC" 0 "A-163 with --break-my-certs it proceeds" || show_run
is "$(readlink "$C/live/bm.test/cert.pem")" "../../archive/bm.test/cert2.pem" \
    "A-163 ... to version 2"

done_testing
