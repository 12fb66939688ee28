#!/bin/bash
# Interop, direction 1: Python Certbot (Debian's 2.1) creates the account
# and lineages (RSA, ECDSA, webroot with a webroot map, standalone, manual
# dns-01 with hooks, reuse_key, options from a cli.ini); our binary lists
# them, renews them keeping every stored option, revokes and deletes, and
# leaves every file in the form Python Certbot writes, which Python
# Certbot then proves by reading it back.  Issue 6 scope 1; SPEC 3, 4.4,
# 4.10, 4.11; A-131.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/common.sh"

# every renewal really validates, so stored hooks and plugins really run
export PEBBLE_AUTHZREUSE=0
interop_start
webroot_server wr.test www.wr.test wr2.test
make_hooks

# --------------------------------------------- Python Certbot's state
make_lineage_set py python

NAMES="ec.test ini.test man.test reuse.test rsa.test wr.test"
for n in $NAMES; do
    cp "$C/renewal/$n.conf" "$T/$n.conf.py"
done
ACC=$(account_dirs)
is "$(wc -l <<<"$ACC")" 1 "python wrote one account"

# --------------------------------------------- ours: certificates
run cb certificates
is "$RC" 0 "ours: certificates over Python's state exits 0"
for n in $NAMES; do
    has_line "$OUT" "  Certificate Name: $n" "ours: certificates lists $n"
done
hasnt "$OUT" "invalid" "ours: no Python lineage is reported invalid"
has "$OUT" "    Key Type: RSA" "ours: certificates reports an RSA key"
has "$OUT" "    Key Type: ECDSA" "ours: certificates reports an ECDSA key"
has_line "$OUT" "    Identifiers: wr.test www.wr.test wr2.test" \
    "ours: identifiers of the webroot lineage, in the certificate's order"
has_line "$OUT" "    Identifiers: man.test *.man.test" \
    "ours: identifiers of the wildcard lineage"

run py show_account
py_show=$OUT
run cb show_account
is "$RC" 0 "ours: show_account finds Python's account"
# 2.1 has no thumbprint line (added in 2.3)
is "$(grep -v '^  Account Thumbprint: ' <<<"$OUT")" "$py_show" \
    "ours: show_account prints what Python's prints"
like "$OUT" '^  Account Thumbprint: [A-Za-z0-9_-]{43}$' "ours: ... plus the 5.6 thumbprint line"

# --------------------------------------------- ours: renew everything
: >"$H/log"
keyfp_reuse=$(pubkey_of_key "$C/live/reuse.test/privkey.pem")
keyfp_rsa=$(pubkey_of_key "$C/live/rsa.test/privkey.pem")
run cb renew --force-renewal
is "$RC" 0 "ours: renew --force-renewal of Python's lineages exits 0" || show_run
has_line "$OUT" "Congratulations, all renewals succeeded: " \
    "ours: the renew summary says all succeeded"
for n in $NAMES; do
    is "$(link_of "$n" cert)" "../../archive/$n/cert2.pem" "ours: $n renewed to version 2"
    ok "ours: $n keeps the on-disk form Python Certbot writes" lineage_form "$n"
    is "$(renewalparams "$C/renewal/$n.conf")" "$(renewalparams "$T/$n.conf.py")" \
        "ours: $n [renewalparams] unchanged by renew"
    is "$(section_order "$C/renewal/$n.conf")" "$(section_order "$T/$n.conf.py")" \
        "ours: $n conf sections in Python's order"
    is "$(top_keys "$C/renewal/$n.conf")" "version archive_dir cert privkey chain fullchain" \
        "ours: $n conf top-level key order"
    is "$(grep '^#' "$C/renewal/$n.conf")" "$(grep '^#' "$T/$n.conf.py")" \
        "ours: $n conf keeps Python's comment lines"
    is "$(mode_of "$C/renewal/$n.conf")" 644 "ours: $n conf mode 0644"
    is "$(grep -v '^version = ' "$C/renewal/$n.conf")" "$(grep -v '^version = ' "$T/$n.conf.py")" \
        "ours: $n conf byte-identical to Python's but for the version line"
done
is "$(hook_count '^pre ')" 1 "ours: Python's stored pre-hook ran once"
is "$(hook_count '^post ')" 1 "ours: Python's stored post-hook ran once"
is "$(hook_count "^deploy $C/live/rsa.test\$")" 1 \
    "ours: Python's stored deploy hook (renew_hook) ran for rsa.test"
# once per identifier whose challenge ran: pebble reuses a valid
# authorization about 1 time in 100 even with PEBBLE_AUTHZREUSE=0
n_auth=$(hook_count '^dns-auth man.test$')
ok "ours: Python's stored manual auth hook ran for the man.test identifiers ($n_auth)" \
    test "$n_auth" -ge 1 -a "$n_auth" -le 2
is "$(hook_count '^dns-cleanup man.test$')" "$n_auth" \
    "ours: Python's stored manual cleanup hook ran as often"
is "$(pubkey_of_key "$C/live/reuse.test/privkey.pem")" "$keyfp_reuse" \
    "ours: reuse_key lineage keeps its key"
isnt "$(pubkey_of_key "$C/live/rsa.test/privkey.pem")" "$keyfp_rsa" \
    "ours: a lineage without reuse_key gets a new key"
like "$(openssl pkey -in "$C/live/rsa.test/privkey.pem" -noout -text 2>/dev/null | head -n 1)" \
    "3072 bit" "ours: rsa.test keeps rsa_key_size 3072"
like "$(openssl pkey -in "$C/live/ini.test/privkey.pem" -noout -text 2>/dev/null | head -n 1)" \
    "4096 bit" "ours: ini.test keeps the cli.ini's rsa_key_size 4096"
like "$(openssl pkey -in "$C/live/ec.test/privkey.pem" -noout -text 2>/dev/null)" \
    "secp384r1|P-384" "ours: ec.test keeps elliptic_curve secp384r1"
is "$(conf_get "$C/renewal/ini.test.conf" must_staple renewalparams)" True \
    "ours: ini.test keeps the cli.ini's must_staple"
is "$(san_list "$C/live/wr.test/cert.pem" | tr '\n' ' ')" "wr.test wr2.test www.wr.test " \
    "ours: webroot-map lineage renewed with all its names"
is "$(account_dirs)" "$ACC" "ours: no new account (Python's is used)"
ok "ours: Python's account is left in Python's form" account_form "$ACC"

# --------------------------------------------- Python reads ours back
run py certificates
is "$RC" 0 "python: certificates after our renew exits 0"
hasnt "$OUT$ERR" "invalid" "python: none of our renewed lineages is invalid"
for n in $NAMES; do
    has_line "$OUT" "  Certificate Name: $n" "python: lists $n after our renew"
done
: >"$H/log"
run py renew --force-renewal --cert-name man.test
is "$RC" 0 "python: renews the manual lineage we renewed" || show_run
is "$(link_of man.test cert)" "../../archive/man.test/cert3.pem" \
    "python: man.test at version 3"
ok "python: still finds the stored hooks we rewrote" \
    test "$(hook_count '^dns-auth man.test$')" -ge 1
run py renew --force-renewal --cert-name wr.test
is "$RC" 0 "python: renews the webroot-map lineage we renewed" || show_run

# --------------------------------------------- ours: revoke and delete
run cb -n revoke --cert-name rsa.test --reason superseded
is "$RC" 0 "ours: revoke --cert-name of a Python lineage exits 0" || show_run
has "$OUT" "Congratulations! You have successfully revoked the certificate that was located at $C/live/rsa.test/cert.pem." \
    "ours: revoke says so"
ok "ours: revoke deleted the lineage (noninteractive default)" \
    test ! -e "$C/renewal/rsa.test.conf" -a ! -e "$C/live/rsa.test" -a ! -e "$C/archive/rsa.test"
run cb -n delete --cert-name ec.test
is "$RC" 0 "ours: delete of a Python lineage exits 0"
has "$OUT" "Deleted all files relating to certificate ec.test." "ours: delete says so"
ok "ours: delete removed conf, live and archive" \
    test ! -e "$C/renewal/ec.test.conf" -a ! -e "$C/live/ec.test" -a ! -e "$C/archive/ec.test"
run py certificates
is "$RC" 0 "python: certificates after our revoke/delete exits 0"
hasnt "$OUT" "rsa.test" "python: no longer sees the revoked lineage"
hasnt "$OUT" "ec.test" "python: no longer sees the deleted lineage"
has_line "$OUT" "  Certificate Name: reuse.test" "python: still sees the others"

done_testing
