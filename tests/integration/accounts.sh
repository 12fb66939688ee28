#!/bin/bash
# Account verbs against pebble: show_account, update_account, unregister.
# SPEC 1, 3.4, 4.12, 4.14; acceptance A-040..A-047, A-050.
# automake runs us with $(SHELL), which may be a POSIX sh
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

command -v jq >/dev/null 2>&1 || skip_all "jq not installed"
require_pebble_env

srv_dir=$C/accounts/127.0.0.1:$PEBBLE_PORT/dir

# thumbprint JWKFILE: RFC 7638 SHA-256 thumbprint of an RSA JWK, base64url
thumbprint() {
    jq -j -S -c '{e: .e, kty: .kty, n: .n}' "$1" | openssl dgst -sha256 -binary |
        base64 -w0 | tr '+/' '-_' | tr -d '='
}

# the error alone: no "Ask for help" advice (Certbot returns these strings)
only_error() {
    is "$(err_lines)" "$1" "$2"
}

# ------------------------------------------------ no account at all
run cb show_account
is "$RC" 1 "A-042 show_account without an account exits 1"
only_error "Could not find an existing account for server $PEBBLE_DIR_URL." \
    "A-042 show_account names the server it has no account for"
run cb update_account -m x@x.test
is "$RC" 1 "A-045 update_account without an account exits 1"
only_error "Could not find an existing account for server $PEBBLE_DIR_URL." \
    "A-045 update_account names the server it has no account for"
run cb unregister -n
is "$RC" 1 "A-047 unregister without an account exits 1"
only_error "Could not find existing account for server $PEBBLE_DIR_URL." \
    "A-047 unregister names the server it has no account for"
ok "A-042 none of them created an account" test -z "$(account_dirs)"

# ------------------------------------------------ two contacts
run cbn register -m a@x.test,b@x.test --no-eff-email
is "$RC" 0 "A-040 register with two emails" || show_run
acct=$(account_dirs | head -n 1)
uri=$(jq -r .uri "$acct/regr.json" 2>/dev/null)

run cb show_account
is "$RC" 0 "A-041 show_account exits 0" || show_run
expected="Account details for server $PEBBLE_DIR_URL:
  Account URL: $uri
  Account Thumbprint: $(thumbprint "$acct/private_key.json")
  Email contacts: a@x.test, b@x.test"
has_line "$OUT" "  Email contacts: a@x.test, b@x.test" \
    "A-040 show_account lists both contacts from the CA"
v56 is "$OUT" "$expected" \
    "A-041 show_account prints server, URL, RFC 7638 thumbprint and contacts"
like "$uri" "^https://127\\.0\\.0\\.1:$PEBBLE_PORT/my-account/" \
    "A-041 the account URL is pebble's (from regr.json)"

run cb show_account --account deadbeef
is "$RC" 1 "A-050 show_account --account deadbeef exits 1"
has "$ERR" "deadbeef" "A-050 the error names the missing account id"
hasnt "$OUT" "Account details" "A-050 nothing is shown for an unknown account"

# ------------------------------------------------ update_account
cp "$acct/regr.json" "$T/regr.before"
run cb update_account -m new@x.test
is "$RC" 0 "A-043 update_account -m exits 0" || show_run
has_line "$OUT" "Your e-mail address was updated to new@x.test." \
    "A-043 update_account reports the new address"
ok "A-043 regr.json keeps the same uri (file unchanged)" cmp "$T/regr.before" "$acct/regr.json"
run cb show_account
has_line "$OUT" "  Email contact: new@x.test" \
    "A-043 the CA now has only the new address (show_account)"
hasnt "$OUT" "a@x.test" "A-043 the old addresses are gone on the CA"

# without -m it asks (A-043 interactively): an invalid address is asked
# again, then the EFF question (answered No)
printf 'not-an-email\nthird@x.test\nn\n' |
    cb --force-interactive update_account >"$T/ua.out" 2>"$T/ua.err"
rc=$?
is "$rc" 0 "A-043 interactive update_account exits 0"
v56 has "$(cat "$T/ua.out")" "Enter email address or hit Enter to skip." \
    "A-043 update_account without -m asks for the address"
v56 has "$(cat "$T/ua.out")" "There is a problem with your email address." \
    "A-043 an invalid address is asked again"
has "$(cat "$T/ua.out")" "Your e-mail address was updated to third@x.test." \
    "A-043 the second answer is used"
run cb show_account
has_line "$OUT" "  Email contact: third@x.test" "A-043 the CA has the answered address"

run cb update_account --register-unsafely-without-email -n
is "$RC" 0 "A-044 update_account --register-unsafely-without-email exits 0" || show_run
has_line "$OUT" "Any contact information associated with this account has been removed." \
    "A-044 update_account reports the contacts removed"
run cb show_account
has_line "$OUT" "  Email contact: none" "A-044 the CA has no contact left (show_account)"
is "$(account_dirs | wc -l)" 1 "A-043/A-044 update_account keeps one account dir"

# ------------------------------------------------ unregister
# answering Abort keeps everything
printf 'a\n' | cb --force-interactive unregister >"$T/abort.out" 2>"$T/abort.err"
rc=$?
is "$rc" 1 "A-046 unregister answered Abort exits 1"
has "$(cat "$T/abort.out")" "Are you sure you would like to irrevocably deactivate your account?" \
    "A-046 unregister asks before deactivating"
has "$(cat "$T/abort.out")" "(D)eactivate/(A)bort: " "A-046 the prompt offers (D)eactivate/(A)bort"
has_line "$(cat "$T/abort.err")" "Deactivation aborted." "A-046 Abort reports 'Deactivation aborted.'"
ok "A-046 the account dir survives Abort" test -d "$acct"

# an unknown --account fails before anything is deactivated
run cb unregister -n --account deadbeef
is "$RC" 1 "A-050 unregister --account deadbeef exits 1"
ok "A-050 the real account is kept" test -d "$acct"
run cb show_account
is "$RC" 0 "A-050 the real account is still active on the CA" || show_run

cp -a "$acct" "$T/acct.copy"
run cb unregister -n
is "$RC" 0 "A-046 unregister -n exits 0 (prompt default yes)" || show_run
has_line "$OUT" "Account deactivated." "A-046 unregister prints 'Account deactivated.'"
ok "A-046 the account id dir is removed" test ! -e "$acct"
ok "A-046 the then-empty dir/ path level is removed" test ! -e "$srv_dir"
ok "A-046 accounts/127.0.0.1:<port>/ stays" test -d "$C/accounts/127.0.0.1:$PEBBLE_PORT"

# put the key back: the CA must refuse it as deactivated
mkdir -p "$srv_dir" && cp -a "$T/acct.copy" "$acct"
run cb show_account
is "$RC" 1 "A-046 the CA refuses the deactivated account afterwards"
v56 has "$ERR" "deactivated" "A-046 the CA reports the account deactivated"
rm -rf "$acct"

run cb unregister -n
is "$RC" 1 "A-047 a second unregister exits 1"
only_error "Could not find existing account for server $PEBBLE_DIR_URL." \
    "A-047 a second unregister finds no account"

# ------------------------------------------------ no email at all
run cbn register --no-eff-email
is "$RC" 0 "A-041 register without email" || show_run
run cb show_account
is "$RC" 0 "A-041 show_account exits 0 without email" || show_run
has_line "$OUT" "  Email contact: none" "A-041 'Email contact: none' when registered without email"

done_testing
