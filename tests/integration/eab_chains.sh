#!/bin/bash
# External Account Binding against a pebble that requires it (A-051..A-053)
# and alternate / longer chains (A-081, A-082).
. "$(dirname "$0")/lib.sh"

for t in pebble pebble-challtestsrv openssl curl timeout python3; do
    command -v "$t" >/dev/null 2>&1 || skip_all "$t not installed"
done
have_certbot || skip_all "certbot under test not found: $CERTBOT"

b64url() { base64 -w0 | tr '+/' '-_' | tr -d '='; }

# Keys are random, so one in 64 begins with '-': as a separate argument
# that reads as an option (argparse, and so ours, exits 2), so every key is
# passed as --eab-hmac-key=KEY. OTHER_KEY always begins with '-' so that
# form is exercised on every run, not on one in 64.
EAB_KEY=$(openssl rand 48 | b64url)
OTHER_KEY=-$(openssl rand 48 | b64url | cut -c2-)
export PEBBLE_EAB_REQUIRED=true
export PEBBLE_EAB_KEYS="{\"kid-1\": \"$EAB_KEY\"}"
pebble_start || bail_out "could not start pebble (EAB)"

# eab_alg LOGFILE...: the alg in the protected header of the
# externalAccountBinding JWS sent in newAccount (from the debug log's
# "JWS payload"), or nothing.
eab_alg() {
    python3 - "$@" <<'PY'
import base64, json, re, sys
text = ""
for p in sys.argv[1:]:
    try:
        with open(p, encoding="utf-8", errors="replace") as f:
            text += f.read()
    except OSError:
        pass
m = re.search(r'"externalAccountBinding"\s*:\s*\{.*?"protected"\s*:\s*"([^"]+)"',
              text, re.S)
if m:
    s = m.group(1)
    hdr = json.loads(base64.urlsafe_b64decode(s + "=" * (-len(s) % 4)))
    print(hdr.get("alg", ""))
PY
}

# ---------------------------------------------------------------- A-051
run cbn register
is "$RC" 1 "A-051 EAB required, none given: exit 1"
has "$ERR" "Server requires external account binding. Please use --eab-kid and --eab-hmac-key." \
    "A-051 message"
is "$(account_dirs)" "" "A-051 no account saved"

# ---------------------------------------------------------------- A-052
run cbn register --eab-kid kid-1 --eab-hmac-key="$EAB_KEY"
is "$RC" 0 "A-052 register with the right EAB key: exit 0" || show_run
has_line "$OUT" "Account registered." "A-052 account registered"
is "$(account_dirs | wc -l)" 1 "A-052 one account saved"
is "$(eab_alg "$L"/letsencrypt.log*)" "HS256" \
    "A-053 the EAB JWS is HS256 by default"
# (house rule; Python certbot 2.1 logs its whole config, key included)
if [ "$(certbot_flavour)" = c ]; then
    hasnt "$(cat "$L"/letsencrypt.log*)" "$EAB_KEY" \
        "A-052 the EAB HMAC key is not in the log"
else
    skip "Python certbot logs the EAB key with its configuration"
fi
run cbn certonly --standalone -d eab.test
is "$RC" 0 "A-052 the EAB account obtains a certificate" || show_run

new_dirs
run cbn register --eab-kid kid-1 --eab-hmac-key="$OTHER_KEY"
is "$RC" 1 "A-052 wrong EAB key: exit 1"
has "$ERR" "Unable to register an account with ACME server. Error returned by the ACME server: " \
    "A-052 the CA's error is relayed"
is "$(account_dirs)" "" "A-052 no account saved with a wrong key"

new_dirs
run cbn register --eab-kid kid-2 --eab-hmac-key="$EAB_KEY"
is "$RC" 1 "A-052 unknown EAB kid: exit 1"
has "$ERR" "Unable to register an account with ACME server." \
    "A-052 unknown kid relayed as a registration error"

# ---------------------------------------------------------------- A-053
# pebble verifies the binding with the alg the header names (it accepts
# HS256, HS384 and HS512), and the debug log shows the header sent.
for alg in HS512 HS384; do
    new_dirs
    run cbn register --eab-kid kid-1 --eab-hmac-key="$EAB_KEY" \
        --eab-hmac-alg "$alg"
    v56 is "$RC" 0 "A-053 --eab-hmac-alg $alg accepted by the CA [5.6]" ||
        show_run
    v56 is "$(eab_alg "$L"/letsencrypt.log*)" "$alg" \
        "A-053 the EAB JWS carries alg $alg [5.6]"
done

pebble_stop
unset PEBBLE_EAB_REQUIRED PEBBLE_EAB_KEYS

# ------------------------------------------------------- A-081 / A-082
# pebble 2.4's PEBBLE_CHAIN_LENGTH is the number of intermediates (its
# default is 1), so the SPEC's "3" (root counted) is 2 here.
export PEBBLE_ALTERNATE_ROOTS=1 PEBBLE_CHAIN_LENGTH=2
pebble_start || bail_out "could not start pebble (alternate roots)"

subject_cn() { openssl x509 -noout -subject -nameopt multiline 2>/dev/null |
    sed -n 's/^ *commonName *= *//p'; }
issuer_cn() { openssl x509 -noout -issuer -nameopt multiline 2>/dev/null |
    sed -n 's/^ *commonName *= *//p'; }
# nth_cert FILE N: the Nth (0-based) PEM certificate of FILE
nth_cert() {
    awk -v want="$2" '/-----BEGIN CERTIFICATE-----/ { n++ }
        n - 1 == want { print }
        /-----END CERTIFICATE-----/ && n - 1 == want { exit }' "$1"
}
top_issuer() {
    local n
    n=$(count_certs "$1")
    nth_cert "$1" $((n - 1)) | issuer_cn
}

ROOT0=$(curl -ksf --max-time 5 "$PEBBLE_MGMT/roots/0" | subject_cn)
ROOT1=$(curl -ksf --max-time 5 "$PEBBLE_MGMT/roots/1" | subject_cn)
ok "A-081 pebble has two distinct roots" test -n "$ROOT0" -a -n "$ROOT1" \
    -a "$ROOT0" != "$ROOT1"

run cbn certonly --standalone -d chain1.test
is "$RC" 0 "A-082 issuance with a 3-long chain: exit 0" || show_run
A=$C/archive/chain1.test
is "$(count_certs "$A/chain1.pem")" 2 "A-082 chain1.pem holds 2 intermediates"
is "$(count_certs "$A/fullchain1.pem")" 3 "A-082 fullchain1.pem holds 3 certs"
is "$(nth_cert "$A/chain1.pem" 0 | subject_cn)" "$(issuer_cn <"$A/cert1.pem")" \
    "A-082 the first intermediate issued the leaf"
is "$(nth_cert "$A/chain1.pem" 1 | subject_cn)" \
    "$(nth_cert "$A/chain1.pem" 0 | issuer_cn)" \
    "A-082 the second intermediate issued the first"
is "$(top_issuer "$A/chain1.pem")" "$ROOT0" \
    "A-081 without --preferred-chain the default chain (root 0) is used"

run cbn certonly --standalone -d chain2.test --preferred-chain "$ROOT1"
is "$RC" 0 "A-081 --preferred-chain <alternate root>: exit 0" || show_run
is "$(top_issuer "$C/live/chain2.test/chain.pem")" "$ROOT1" \
    "A-081 chain.pem's topmost issuer is the preferred root"
is "$(conf_get "$C/renewal/chain2.test.conf" preferred_chain renewalparams)" \
    "$ROOT1" "A-081 preferred_chain saved in the renewal conf"
hasnt "$ERR" "no chain from the CA matched" "A-081 no warning when one matched"

run cbn certonly --standalone -d chain3.test --preferred-chain "$ROOT0"
is "$RC" 0 "A-081 --preferred-chain <default root>: exit 0" || show_run
is "$(top_issuer "$C/live/chain3.test/chain.pem")" "$ROOT0" \
    "A-081 the default chain when it is the preferred one"

run cbn certonly --standalone -d chain4.test --preferred-chain nonexistent
is "$RC" 0 "A-081 --preferred-chain nonexistent: exit 0" || show_run
is "$(top_issuer "$C/live/chain4.test/chain.pem")" "$ROOT0" \
    "A-081 no match: the default chain"
has "$ERR" "Certbot has been configured to prefer certificate chains with issuer 'nonexistent', but no chain from the CA matched this issuer. Using the default certificate chain instead." \
    "A-081 no match: the warning"

done_testing
