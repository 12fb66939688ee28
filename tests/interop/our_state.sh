#!/bin/bash
# Interop, direction 2: our binary creates and renews the account and
# lineages (RSA, ECDSA, webroot map, manual dns-01 with hooks, reuse_key,
# a cli.ini); Debian's Python Certbot (2.1) then lists them, shows and
# updates the account, renews every lineage with the options we stored
# (its rewrite of [renewalparams] must equal ours) and revokes one, all
# without complaint.  Issue 6 scope 2; SPEC 3, 3.3, 3.4, 4.4, 4.10, 4.11.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/common.sh"

export PEBBLE_AUTHZREUSE=0
interop_start
webroot_server wr.test www.wr.test wr2.test
make_hooks

# ------------------------------------------------------- our state
make_lineage_set cb ours
must_run "ours: renew --force-renewal of all of them" cb renew --force-renewal

NAMES="ec.test ini.test man.test reuse.test rsa.test wr.test"
for n in $NAMES; do
    is "$(link_of "$n" cert)" "../../archive/$n/cert2.pem" "ours: $n at version 2"
    cp "$C/renewal/$n.conf" "$T/$n.conf.ours"
done
ACC=$(account_dirs)
is "$(wc -l <<<"$ACC")" 1 "ours: one account"
ok "ours: the account has Python Certbot's form" account_form "$ACC"

# ------------------------------------------- Python lists and shows
run py certificates
is "$RC" 0 "python: certificates over our state exits 0"
for n in $NAMES; do
    has_line "$OUT" "  Certificate Name: $n" "python: certificates lists $n"
done
hasnt "$OUT$ERR" "invalid" "python: none of our lineages is invalid"
has_line "$OUT" "    Domains: man.test *.man.test" "python: reads the wildcard lineage's names"
run cb certificates
ours_list=$OUT
run py certificates
py_list=$OUT
is "$(sed 's/^    Identifiers: /    Domains: /' <<<"$ours_list")" "$py_list" \
    "ours and python print the same certificates report (5.2's Identifiers: aside)"

run py show_account
is "$RC" 0 "python: show_account finds our account" || show_run
has_line "$OUT" "  Email contact: admin@example.org" "python: sees the email we registered"
run py -n update_account -m new@example.org
is "$RC" 0 "python: update_account of our account exits 0" || show_run
run cb show_account
has_line "$OUT" "  Email contact: new@example.org" "ours: sees the email Python set"

# a second account of ours, on another server URL (the same pebble as
# https://localhost:<port>/dir): Python finds it there
LH_URL=https://localhost:$PEBBLE_PORT/dir
run cb -n --agree-tos -m second@example.org --no-eff-email --server "$LH_URL" register
is "$RC" 0 "ours: a second account at $LH_URL" || show_run
LH_ACC=$(find "$C/accounts/localhost:$PEBBLE_PORT/dir" -mindepth 1 -maxdepth 1 -type d 2>/dev/null)
ok "ours: ... in Python Certbot's form" account_form "$LH_ACC"
run cb show_account --server "$LH_URL"
ours_acc=$(grep -v '^  Account Thumbprint: ' <<<"$OUT")
run py show_account --server "$LH_URL"
is "$RC" 0 "python: show_account finds our second account" || show_run
is "$OUT" "$ours_acc" "python: shows what ours shows for it (2.3's thumbprint aside)"

# ------------------------------------------- Python renews ours
: >"$H/log"
keyfp_reuse=$(pubkey_of_key "$C/live/reuse.test/privkey.pem")
run py renew --force-renewal
is "$RC" 0 "python: renew --force-renewal of our lineages exits 0" || show_run
has_line "$OUT" "Congratulations, all renewals succeeded: " "python: all renewals succeeded"
for n in $NAMES; do
    is "$(link_of "$n" cert)" "../../archive/$n/cert3.pem" "python: renewed $n to version 3"
    ok "python: $n still in the form both write" lineage_form "$n"
    is "$(renewalparams "$C/renewal/$n.conf")" "$(renewalparams "$T/$n.conf.ours")" \
        "python: rewrites $n [renewalparams] exactly as we stored it"
    # 2.1 also writes a "# renew_before_expiry" comment line (5.0 stopped)
    is "$(grep -v -e '^version = ' -e '^#' "$C/renewal/$n.conf")" \
        "$(grep -v -e '^version = ' -e '^#' "$T/$n.conf.ours")" \
        "python: $n conf byte-identical to ours but for version and 2.1's comment"
done
is "$(hook_count '^pre ')" 1 "python: our stored pre-hook ran once"
is "$(hook_count '^post ')" 1 "python: our stored post-hook ran once"
is "$(hook_count "^deploy $C/live/rsa.test\$")" 1 "python: our stored deploy hook ran"
# (>= 1: pebble may hand Python a still-valid authorization)
ok "python: our stored manual auth hook ran" test "$(hook_count '^dns-auth man.test$')" -ge 1
is "$(pubkey_of_key "$C/live/reuse.test/privkey.pem")" "$keyfp_reuse" \
    "python: our reuse_key lineage keeps its key"
like "$(openssl pkey -in "$C/live/rsa.test/privkey.pem" -noout -text 2>/dev/null | head -n 1)" \
    "3072 bit" "python: keeps our rsa_key_size 3072"
like "$(openssl pkey -in "$C/live/ec.test/privkey.pem" -noout -text 2>/dev/null)" \
    "secp384r1|P-384" "python: keeps our elliptic_curve secp384r1"
is "$(account_dirs)" "$ACC" "python: no new account (ours is used)"

# ------------------------------------------- Python revokes ours
run py -n revoke --cert-name rsa.test
is "$RC" 0 "python: revoke --cert-name of our lineage exits 0" || show_run
ok "python: revoke deleted our lineage" \
    test ! -e "$C/renewal/rsa.test.conf" -a ! -e "$C/live/rsa.test" -a ! -e "$C/archive/rsa.test"
run py -n delete --cert-name ec.test
is "$RC" 0 "python: delete of our lineage exits 0"
ok "python: delete removed it" \
    test ! -e "$C/renewal/ec.test.conf" -a ! -e "$C/live/ec.test" -a ! -e "$C/archive/ec.test"

# and back: ours still reads what Python left
run cb renew --force-renewal --cert-name wr.test
is "$RC" 0 "ours: renews the lineage Python renewed" || show_run
is "$(link_of wr.test cert)" "../../archive/wr.test/cert4.pem" "ours: ... to version 4"
run cb certificates
is "$RC" 0 "ours: certificates after Python's changes exits 0"
hasnt "$OUT" "invalid" "ours: nothing invalid after Python's changes"
hasnt "$OUT" "rsa.test" "ours: the lineage Python revoked is gone"

done_testing
