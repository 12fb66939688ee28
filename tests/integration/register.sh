#!/bin/bash
# `register` against pebble: account files, ids, modes, duplicate refusal.
# SPEC 3.4, 3.7, 4.12; acceptance A-032..A-037, A-064, A-065, A-309.
# automake runs us with $(SHELL), which may be a POSIX sh
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

command -v jq >/dev/null 2>&1 || skip_all "jq not installed"
require_pebble_env

# b64url_hex VALUE: base64url -> lowercase hex
b64url_hex() {
    local s=$1
    s=${s//-/+}
    s=${s//_//}
    case $((${#s} % 4)) in
        2) s="$s==" ;;
        3) s="$s=" ;;
    esac
    printf '%s' "$s" | base64 -d | od -An -v -tx1 | tr -d ' \n'
}

# jwk_spki_pem JWKFILE: the RSA public key of a JWK as SubjectPublicKeyInfo
# PEM (what Certbot hashes for the account id).
jwk_spki_pem() {
    local n e
    n=$(b64url_hex "$(jq -r .n "$1")")
    e=$(b64url_hex "$(jq -r .e "$1")")
    printf 'asn1=SEQUENCE:pk\n[pk]\nn=INTEGER:0x%s\ne=INTEGER:0x%s\n' "$n" "$e" >"$T/pk.cnf"
    openssl asn1parse -genconf "$T/pk.cnf" -noout -out "$T/pk.der" >/dev/null &&
        openssl rsa -RSAPublicKey_in -inform DER -in "$T/pk.der" -pubout 2>/dev/null
}

# host_names: acceptable creation_host values.  Python Certbot stores
# socket.getfqdn(): the hostname, or the canonical name of its address.
host_names() {
    local h ip
    h=$(uname -n)
    echo "$h"
    hostname -f 2>/dev/null
    ip=$(getent hosts "$h" 2>/dev/null | awk '{print $1; exit}')
    [ -n "$ip" ] && getent hosts "$ip" 2>/dev/null | awk '{print $2; exit}'
}

# check_account DIR BITS: A-033..A-036 for one account dir
check_account() {
    local d=$1 bits=$2 id pk nhex
    id=$(basename "$d")
    pk=$d/private_key.json

    is "$(only_entries "$d")" "meta.json private_key.json regr.json" \
        "A-032 account dir holds meta.json, private_key.json, regr.json"
    like "$id" '^[0-9a-f]{32}$' "A-033 account id is 32 lowercase hex digits"
    is "$(jwk_spki_pem "$pk" | md5sum | cut -d' ' -f1)" "$id" \
        "A-033 account id = md5(SPKI PEM of the account public key)"

    is_mode "$pk" 400 "A-034 private_key.json is 0400"
    is "$(jq -r .kty "$pk" 2>/dev/null)" RSA "A-034 private_key.json is an RSA JWK"
    is "$(jq -r '[.n,.e,.d,.p,.q,.dp,.dq,.qi] | map(type) | unique | join(",")' "$pk" 2>/dev/null)" \
        string "A-034 JWK has n, e, d, p, q, dp, dq, qi"
    nhex=$(b64url_hex "$(jq -r .n "$pk")")
    nhex=${nhex#00}
    is "$(( ${#nhex} * 4 ))" "$bits" "A-034 modulus is $bits bits"
    like "${nhex:0:1}" '^[89a-f]$' "A-034 modulus has its top bit set ($bits-bit key)"

    uri=$(jq -r .uri "$d/regr.json" 2>/dev/null)
    like "$uri" "^https://127\\.0\\.0\\.1:$PEBBLE_PORT/my-account/[0-9a-zA-Z]+\$" \
        "A-035 regr.json uri is pebble's account URL"
    is "$(tr -d '\n' <"$d/regr.json")" "{\"body\": {}, \"uri\": \"$uri\"}" \
        "A-035 regr.json is exactly {\"body\": {}, \"uri\": \"<url>\"}"
    is_mode "$d/regr.json" 644 "A-035 regr.json is 0644"

    like "$(jq -r .creation_dt "$d/meta.json" 2>/dev/null)" \
        '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$' \
        "A-036 meta.json creation_dt is RFC 3339 UTC without fractions"
    host=$(jq -r .creation_host "$d/meta.json" 2>/dev/null)
    if grep -qxF -- "$host" <<<"$(host_names)"; then
        pass "A-036 meta.json creation_host is this host's name ($host)"
    else
        fail "A-036 meta.json creation_host is this host's name" \
            "got '$host', want one of: $(host_names | tr '\n' ' ')"
    fi
    is "$(jq -r 'has("register_to_eff")' "$d/meta.json" 2>/dev/null)" false \
        "A-036 meta.json has no register_to_eff"
    is_mode "$d/meta.json" 644 "A-036 meta.json is 0644"
}

srv=$C/accounts/127.0.0.1:$PEBBLE_PORT/dir

run cbn register --no-eff-email
is "$RC" 0 "A-032 register exits 0" || show_run
has_line "$OUT" "Account registered." "A-032 stdout 'Account registered.'"
is "$(account_dirs | wc -l)" 1 "A-032 exactly one account dir under accounts/127.0.0.1:<port>/dir/"
for d in "$C/accounts" "$C/accounts/127.0.0.1:$PEBBLE_PORT" "$srv" "$(account_dirs | head -n 1)"; do
    is_mode "$d" 700 "A-032 ${d#"$C"/} is 0700"
done
acct=$(account_dirs | head -n 1)
[ -n "$acct" ] && check_account "$acct" 2048

for k in pre deploy post; do
    is_mode "$C/renewal-hooks/$k" 755 "A-064 register creates renewal-hooks/$k (0755)"
done
ok "A-065 register creates no keys/ or csr/" test ! -e "$C/keys" -a ! -e "$C/csr"
ok "A-059 register creates no live/ or archive/" test ! -e "$C/live" -a ! -e "$C/archive"
is "$(find "$C" "$W" "$L" -name .certbot.lock | wc -l)" 0 "A-309 no .certbot.lock left after register"
is_mode "$L/letsencrypt.log" 644 "A-066 letsencrypt.log is 0644"
is_mode "$L" 700 "A-066 logs dir is 0700"
is_mode "$W" 755 "A-066 work dir is 0755"

# A-037: a second registration is refused and changes nothing
cp -a "$srv" "$T/accounts.before"
run cbn register --no-eff-email
is "$RC" 1 "A-037 second register exits 1"
has_line "$ERR" "There is an existing account; registration of a duplicate account with this command is currently unsupported." \
    "A-037 stderr names the duplicate-account refusal"
hasnt "$OUT" "Account registered." "A-037 no 'Account registered.'"
is "$(account_dirs | wc -l)" 1 "A-037 still exactly one account dir"
ok "A-037 the existing account files are unchanged" diff -r "$T/accounts.before" "$srv"

# A-034 with --rsa-key-size 4096, in fresh dirs
new_dirs
run cbn register --no-eff-email --rsa-key-size 4096
is "$RC" 0 "A-034 register --rsa-key-size 4096 exits 0" || show_run
acct=$(account_dirs | head -n 1)
if [ -n "$acct" ]; then
    nhex=$(b64url_hex "$(jq -r .n "$acct/private_key.json")")
    nhex=${nhex#00}
    is "$(( ${#nhex} * 4 ))" 4096 "A-034 --rsa-key-size 4096 gives a 4096-bit account key"
else
    fail "A-034 --rsa-key-size 4096 gives a 4096-bit account key" "no account dir"
fi

done_testing
