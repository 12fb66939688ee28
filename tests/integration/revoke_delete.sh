#!/bin/bash
# revoke and delete against pebble, with pebble's own view of revocation
# (its management API) and the lineage files left or removed as flagged.
# SPEC 1, 4.11, 4.14; acceptance A-113, A-211..A-223, A-329.
# automake runs us with $(SHELL), which may be a POSIX sh
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

command -v jq >/dev/null 2>&1 || skip_all "jq not installed"
require_pebble_env

# serial_of CERT: lowercase hex serial as pebble's management API takes it
serial_of() {
    openssl x509 -in "$1" -noout -serial 2>/dev/null | sed 's/^serial=//' |
        tr 'A-F' 'a-f'
}

# ca_status SERIAL / ca_reason SERIAL: what pebble says about the cert
ca_status() {
    curl -ksf --max-time 5 "$PEBBLE_MGMT/cert-status-by-serial/$1" |
        jq -r '.Status' 2>/dev/null
}
ca_reason() {
    curl -ksf --max-time 5 "$PEBBLE_MGMT/cert-status-by-serial/$1" |
        jq -r '.Reason // 0' 2>/dev/null
}

# issue NAME [ARGS...]: a lineage for NAME (standalone); 0 on success
issue() {
    local name=$1
    shift
    run cbn certonly --standalone -d "$name" "$@"
    if [ "$RC" != 0 ] || [ ! -e "$C/live/$name/cert.pem" ]; then
        show_run
        return 1
    fi
}

# lineage_present NAME / lineage_gone NAME
lineage_present() {
    test -f "$C/renewal/$1.conf" -a -d "$C/live/$1" -a -d "$C/archive/$1"
}
lineage_gone() {
    test ! -e "$C/renewal/$1.conf" -a ! -e "$C/live/$1" -a ! -e "$C/archive/$1"
}


# ------------------------------------------------ A-214: argument check
ERR214="Error! Exactly one of --cert-path or --cert-name must be specified!"
run cbn revoke
is "$RC" 1 "A-214 revoke with neither --cert-path nor --cert-name exits 1"
has_line "$ERR" "$ERR214" "A-214 revoke with neither names the rule"
issue r0.test || bail_out "cannot obtain a certificate from pebble"
s0=$(serial_of "$C/live/r0.test/cert.pem")
run cbn revoke --cert-name r0.test --cert-path "$C/live/r0.test/cert.pem"
is "$RC" 1 "A-214 revoke with both --cert-path and --cert-name exits 1"
has_line "$ERR" "$ERR214" "A-214 revoke with both names the rule"
is "$(ca_status "$s0")" Valid "A-214 nothing was revoked"

# ------------------------------------------------ A-211: --cert-name, -n
run cbn revoke --cert-name r0.test
is "$RC" 0 "A-211 revoke --cert-name exits 0" || show_run
is "$(ca_status "$s0")" Revoked "A-211 pebble marks the certificate revoked"
is "$(ca_reason "$s0")" 0 "A-216 default reason is unspecified (0)"
is "$OUT" "Deleted all files relating to certificate r0.test.
Congratulations! You have successfully revoked the certificate that was located at $C/live/r0.test/cert.pem." \
    "A-211 stdout: deletion, then the revocation message naming live/cert.pem"
ok "A-211 non-interactive revoke deletes the lineage (default yes)" lineage_gone r0.test
ok "A-211 live/README is kept" test -f "$C/live/README"

run cbn revoke --cert-name r0.test
is "$RC" 1 "A-211 revoking a deleted lineage by name exits 1"
has "$ERR" "No certificate found with name r0.test" "A-211 ... naming the missing lineage"

# ------------------------------------------------ A-212 / A-216: keep files
issue r1.test || bail_out "cannot obtain a certificate from pebble"
s1=$(serial_of "$C/live/r1.test/cert.pem")
before=$(cd "$C" && find live/r1.test archive/r1.test renewal/r1.test.conf | LC_ALL=C sort)
run cbn revoke --cert-path "$C/live/r1.test/cert.pem" --no-delete-after-revoke \
    --reason cessationofoperation
is "$RC" 0 "A-212 revoke --cert-path --no-delete-after-revoke exits 0" || show_run
is "$(ca_status "$s1")" Revoked "A-212 pebble marks it revoked"
is "$(ca_reason "$s1")" 5 "A-216 --reason cessationofoperation sends code 5"
has_line "$OUT" "Congratulations! You have successfully revoked the certificate that was located at $C/live/r1.test/cert.pem." \
    "A-212 revocation message names the --cert-path"
hasnt "$OUT" "Deleted all files" "A-212 nothing deleted"
is "$(cd "$C" && find live/r1.test archive/r1.test renewal/r1.test.conf | LC_ALL=C sort)" \
    "$before" "A-212 every lineage file is kept"

run cbn revoke --cert-path "$C/live/r1.test/cert.pem" --no-delete-after-revoke
is "$RC" 1 "A-212 revoking it again exits 1 (the CA refuses)"
v56 like "$ERR" "[Rr]evoked" "A-212 ... with the CA's already-revoked error"
ok "A-212 the failed revoke deletes nothing" lineage_present r1.test

# ------------------------------------------------ A-213 / A-216
issue r2.test || bail_out "cannot obtain a certificate from pebble"
s2=$(serial_of "$C/live/r2.test/cert.pem")
run cbn revoke --cert-path "$C/live/r2.test/cert.pem" --delete-after-revoke \
    --reason keyCompromise
is "$RC" 0 "A-213 revoke --cert-path --delete-after-revoke exits 0" || show_run
is "$(ca_status "$s2")" Revoked "A-213 pebble marks it revoked"
is "$(ca_reason "$s2")" 1 "A-216 --reason keyCompromise sends code 1"
ok "A-213 live/, archive/ and renewal/ entries are gone" lineage_gone r2.test
ok "A-213 the other lineage is untouched" lineage_present r1.test

# the lineage is also found from one of its archive certificates...
issue r3.test || bail_out "cannot obtain a certificate from pebble"
s3=$(serial_of "$C/live/r3.test/cert.pem")
run cbn revoke --cert-path "$C/archive/r3.test/cert1.pem"
is "$RC" 0 "A-213 revoke --cert-path <archive>/cert1.pem exits 0" || show_run
is "$(ca_status "$s3")" Revoked "A-213 ... pebble revoked it"
ok "A-213 ... and its lineage is deleted" lineage_gone r3.test
# ...but a copy outside every lineage matches none: revoked, then an error
issue r4.test || bail_out "cannot obtain a certificate from pebble"
s4=$(serial_of "$C/live/r4.test/cert.pem")
cp "$C/live/r4.test/cert.pem" "$T/r4-copy.pem"
run cbn revoke --cert-path "$T/r4-copy.pem"
is "$RC" 1 "A-213 deleting after revoking a cert of no lineage exits 1"
has_line "$ERR" "No match found for cert-path $T/r4-copy.pem!" \
    "A-213 ... 'No match found for cert-path <path>!'"
is "$(ca_status "$s4")" Revoked "A-213 ... after pebble revoked it"
ok "A-213 ... and no lineage is deleted" lineage_present r4.test

# ------------------------------------------------ A-215 / A-113: cert key
# From a config dir with no account at all, then with another account;
# every key type Certbot makes.
main_C=$C main_W=$W main_L=$L
issue k-rsa.test --key-type rsa
issue k-p256.test --key-type ecdsa --elliptic-curve secp256r1
issue k-p384.test --key-type ecdsa --elliptic-curve secp384r1
issue k-p521.test --key-type ecdsa --elliptic-curve secp521r1
issue k-other.test --key-type rsa
new_dirs
for k in rsa p256 p384 p521; do
    lin=$main_C/live/k-$k.test
    s=$(serial_of "$lin/cert.pem")
    run cbn revoke --cert-path "$lin/cert.pem" --key-path "$lin/privkey.pem" \
        --no-delete-after-revoke
    is "$RC" 0 "A-215/A-113 revoke with the $k certificate key exits 0" || show_run
    is "$(ca_status "$s")" Revoked "A-215/A-113 pebble revoked the $k certificate"
done
is "$(account_dirs | wc -l)" 0 "A-215 revoking with --key-path needs no account"
lin=$main_C/live/k-other.test
so=$(serial_of "$lin/cert.pem")
run cbn register --no-eff-email
run cbn revoke --cert-path "$lin/cert.pem" --no-delete-after-revoke
is "$RC" 1 "A-215 another account (no --key-path) may not revoke it"
is "$(ca_status "$so")" Valid "A-215 ... pebble keeps it valid"
run cbn revoke --cert-path "$lin/cert.pem" --key-path "$lin/privkey.pem" \
    --no-delete-after-revoke
is "$RC" 0 "A-215 with --key-path it may (signed by the cert key)" || show_run
is "$(ca_status "$so")" Revoked "A-215 ... pebble revoked it"
C=$main_C W=$main_W L=$main_L

issue k-bad.test || bail_out "cannot obtain a certificate from pebble"
sb=$(serial_of "$C/live/k-bad.test/cert.pem")
run cbn revoke --cert-path "$C/live/k-bad.test/cert.pem" \
    --key-path "$C/live/k-rsa.test/privkey.pem"
is "$RC" 1 "A-215 a --key-path that does not match the cert exits 1"
has "$ERR" "verifying the certificate located at $C/live/k-bad.test/cert.pem matches the" \
    "A-215 ... saying the key does not match"
is "$(ca_status "$sb")" Valid "A-215 ... and nothing is revoked"
ok "A-215 ... and nothing is deleted" lineage_present k-bad.test

# ------------------------------------------------ A-217: stored server
# Without --server, the default (Let's Encrypt) must not be used: every
# non-loopback request goes to a dead proxy, so a wrong choice fails fast.
free_ports 1 || bail_out "no free port"
dead=${FREE_PORTS[0]}
issue srv.test || bail_out "cannot obtain a certificate from pebble"
ss=$(serial_of "$C/live/srv.test/cert.pem")
run cb --server "https://127.0.0.1:$dead/dir" revoke --cert-name srv.test \
    -n --no-delete-after-revoke
is "$RC" 1 "A-217 --server given: it wins over the lineage's server (dead one fails)"
is "$(ca_status "$ss")" Valid "A-217 ... and pebble did not revoke"
run env https_proxy="http://127.0.0.1:$dead" HTTPS_PROXY="http://127.0.0.1:$dead" \
    no_proxy=127.0.0.1,localhost NO_PROXY=127.0.0.1,localhost \
    timeout -k 5 "$CB_TIMEOUT" "${CERTBOT_CMD[@]}" --no-verify-ssl \
    --config-dir "$C" --work-dir "$W" --logs-dir "$L" -n \
    revoke --cert-name srv.test --no-delete-after-revoke
is "$RC" 0 "A-217 without --server, revoke --cert-name uses the stored server" || show_run
is "$(ca_status "$ss")" Revoked "A-217 ... pebble revoked it"

# ------------------------------------------------ A-218: shared archive
issue ov.test || bail_out "cannot obtain a certificate from pebble"
so=$(serial_of "$C/live/ov.test/cert.pem")
cp "$C/renewal/ov.test.conf" "$C/renewal/ov-copy.test.conf"
run cbn revoke --cert-name ov.test
is "$RC" 0 "A-218 revoke with an overlapping archive dir exits 0" || show_run
is "$(ca_status "$so")" Revoked "A-218 pebble revoked it"
has "$ERR" "Not deleting revoked certificates due to overlapping archive dirs. More than one certificate is using $C/archive/ov.test" \
    "A-218 warns about the overlapping archive dir"
ok "A-218 nothing is deleted" lineage_present ov.test
ok "A-218 the other conf is kept" test -f "$C/renewal/ov-copy.test.conf"
rm -f "$C/renewal/ov-copy.test.conf"

# ------------------------------------------------ A-329: the prompt
issue ask.test || bail_out "cannot obtain a certificate from pebble"
sa=$(serial_of "$C/live/ask.test/cert.pem")
printf 'n\n' | cb --force-interactive revoke --cert-name ask.test \
    >"$T/ask.out" 2>"$T/ask.err"
rc=$?
is "$rc" 0 "A-329 revoke answered No exits 0"
has "$(tr '\n' ' ' <"$T/ask.out")" "Would you like to delete the certificate(s) you just revoked, along with all earlier and later versions of the certificate?" \
    "A-329 revoke asks whether to delete (the question wrapped at 80 columns)"
has "$(cat "$T/ask.out")" "(Y)es (recommended)/(N)o: " "A-329 ... with (Y)es (recommended)/(N)o"
is "$(ca_status "$sa")" Revoked "A-329 the certificate is revoked"
ok "A-329 'n' keeps the files" lineage_present ask.test
issue ask2.test || bail_out "cannot obtain a certificate from pebble"
if have_script; then
    tty_run 'n\n' revoke --cert-name ask2.test
    is "$RC" 0 "A-329 [TTY] revoke answered No on a terminal exits 0"
    has "$OUT" "(Y)es (recommended)/(N)o: " "A-329 [TTY] the delete question is asked"
    ok "A-329 [TTY] 'n' keeps the files" lineage_present ask2.test
else
    skip "script (util-linux) not installed" 3
fi

# ------------------------------------------------ delete
issue e1.test || bail_out "cannot obtain a certificate from pebble"
issue e2.test || bail_out "cannot obtain a certificate from pebble"
se1=$(serial_of "$C/live/e1.test/cert.pem")

run cbn delete
is "$RC" 1 "A-220 delete -n without --cert-name exits 1"
has "$ERR" "Which certificate(s) would you like to delete?" "A-220 ... quoting the checklist question"
has "$ERR" "--cert-name" "A-220 ... naming --cert-name"
ok "A-220 ... and deletes nothing" lineage_present e1.test

run cbn delete --cert-name e1.test
is "$RC" 0 "A-219 delete --cert-name exits 0" || show_run
has_line "$OUT" "Deleted all files relating to certificate e1.test." "A-219 delete reports it"
ok "A-219 renewal conf, live dir and archive dir are gone" lineage_gone e1.test
ok "A-219 live/README is kept" test -f "$C/live/README"
ok "A-219 the other lineage is kept" lineage_present e2.test
is "$(ca_status "$se1")" Valid "A-219 delete does not revoke"

# A-223: the prompt (answered through --force-interactive)
printf 'n\n' | cb --force-interactive delete --cert-name e2.test \
    >"$T/del.out" 2>"$T/del.err"
rc=$?
is "$rc" 0 "A-223 delete answered No exits 0"
has_line "$(cat "$T/del.out")" "  * e2.test" "A-223 the prompt lists '  * e2.test'"
has "$(cat "$T/del.out")" "WARNING: Before continuing, ensure that the listed" \
    "A-223 the prompt has the WARNING paragraph"
has "$(cat "$T/del.out")" "https://certbot.org/deleting-certs" "A-223 ... with its link"
ok "A-223 No deletes nothing" lineage_present e2.test
if have_script; then
    tty_run 'n\n' delete --cert-name e2.test
    is "$RC" 0 "A-223 [TTY] delete answered No on a terminal exits 0"
    has_line "$OUT" "  * e2.test" "A-223 [TTY] the prompt lists '  * e2.test'"
    has "$OUT" "(Y)es/(N)o: " "A-223 [TTY] ... as a (Y)es/(N)o question"
    ok "A-223 [TTY] No deletes nothing" lineage_present e2.test
else
    skip "script (util-linux) not installed" 4
fi
# the checklist: pick the first lineage, then confirm
first=$(cd "$C/renewal" && LC_ALL=C ls | head -n 1)
first=${first%.conf}
printf '1\ny\n' | cb --force-interactive delete >"$T/del2.out" 2>"$T/del2.err"
rc=$?
is "$rc" 0 "A-220 interactive delete: checklist then confirmation, exit 0"
has "$(cat "$T/del2.out")" "Which certificate(s) would you like to delete?" \
    "A-220 the checklist asks which certificate(s)"
has "$(cat "$T/del2.out")" "Deleted all files relating to certificate $first." \
    "A-220 the chosen lineage ($first) is deleted"
ok "A-220 ... its files are gone" lineage_gone "$first"
ok "A-220 ... and only it" lineage_present e2.test

# A-221: a user file in the live dir keeps the dir
issue u.test || bail_out "cannot obtain a certificate from pebble"
echo mine >"$C/live/u.test/extra.txt"
run cbn delete --cert-name u.test
is "$RC" 0 "A-221 delete with an extra file in live/ exits 0" || show_run
is "$(only_entries "$C/live/u.test")" "extra.txt" \
    "A-221 links and README removed, the user's file and the dir kept"
ok "A-221 archive dir and conf removed" test ! -e "$C/archive/u.test" -a ! -e "$C/renewal/u.test.conf"

# A-222: a corrupt conf is removed and the error names what to clean up
issue bad.test || bail_out "cannot obtain a certificate from pebble"
{ echo "version = 0.0.0"; cat "$C/renewal/bad.test.conf"; } >"$T/bad.conf"
cp "$T/bad.conf" "$C/renewal/bad.test.conf"
run cbn delete --cert-name bad.test
is "$RC" 1 "A-222 delete of a corrupt conf exits 1"
ok "A-222 the corrupt conf is removed" test ! -e "$C/renewal/bad.test.conf"
has "$ERR" "$C/live/bad.test" "A-222 the error names the live dir to delete by hand"
has "$ERR" "$C/archive/bad.test" "A-222 ... and the archive dir"

# A-220: nothing left to choose from
new_dirs
run cbn delete
is "$RC" 1 "A-220 delete with no lineages exits 1"
has_line "$ERR" "No existing certificates found." "A-220 ... 'No existing certificates found.'"

done_testing
