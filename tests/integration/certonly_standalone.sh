#!/bin/bash
# certonly --standalone against pebble: one name (ECDSA default) and three
# names (RSA), then `certificates` and a second run with --keep.
# SPEC 3, 3.1-3.3, 4.10; acceptance A-056..A-065, A-087, A-109, A-110,
# A-125..A-127, A-205, A-206.
# automake runs us with $(SHELL), which may be a POSIX sh
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

require_pebble_env
pebble_root "$T/root.pem" || bail_out "cannot fetch pebble's root CA"

# no_cr FILE...: all files exist and none contains a CR
no_cr() {
    local f
    for f in "$@"; do
        [ -s "$f" ] || { echo "missing or empty: $f"; return 1; }
        if grep -q $'\r' "$f"; then
            echo "CR in $f"
            return 1
        fi
    done
}

# same_pubkey CERT KEY: both readable and holding the same public key
same_pubkey() {
    local a b
    a=$(pubkey_of_cert "$1")
    b=$(pubkey_of_key "$2")
    [ -n "$a" ] && [ "$a" = "$b" ]
}

# check_lineage NAME KEYTYPE DOMAIN...: the on-disk result of a first
# issuance (run right after it).
check_lineage() {
    local name=$1 ktype=$2
    shift 2
    local live=$C/live/$name arc=$C/archive/$name conf=$C/renewal/$name.conf
    local kind f want

    # A-057: relative symlinks into archive, version 1
    for kind in cert chain fullchain privkey; do
        f=$live/$kind.pem
        if [ -L "$f" ]; then
            is "$(readlink "$f")" "../../archive/$name/${kind}1.pem" \
                "A-057 $name live/$kind.pem -> ../../archive/$name/${kind}1.pem"
        else
            fail "A-057 $name live/$kind.pem is a symlink" "$(ls -l "$f" 2>&1)"
        fi
    done
    is "$(only_entries "$live")" "README cert.pem chain.pem fullchain.pem privkey.pem" \
        "A-057 $name live dir holds the 4 links and README only"

    # A-058
    is "$(only_entries "$arc")" "cert1.pem chain1.pem fullchain1.pem privkey1.pem" \
        "A-058 $name archive holds exactly version 1 of the four files"

    # A-059 modes
    is_mode "$C" 755 "A-059 $name config dir is 0755"
    is_mode "$C/live" 700 "A-059 $name live/ is 0700"
    is_mode "$C/archive" 700 "A-059 $name archive/ is 0700"
    is_mode "$live" 755 "A-059 $name live/$name is 0755"
    is_mode "$arc" 755 "A-059 $name archive/$name is 0755"
    is_mode "$C/renewal" 755 "A-059 $name renewal/ is 0755"
    is_mode "$conf" 644 "A-059 $name renewal/$name.conf is 0644"
    is_mode "$arc/privkey1.pem" 600 "A-059 $name privkey1.pem is 0600"
    for kind in cert chain fullchain; do
        is_mode "$arc/${kind}1.pem" 644 "A-059 $name ${kind}1.pem is 0644"
    done
    is_mode "$C/live/README" 644 "A-059 $name live/README is 0644"
    is_mode "$live/README" 644 "A-059 $name live/$name/README is 0644"

    # A-060
    cat "$arc/cert1.pem" "$arc/chain1.pem" >"$T/cat.pem"
    ok "A-060 $name fullchain1.pem == cert1.pem + chain1.pem byte for byte" \
        cmp -s "$T/cat.pem" "$arc/fullchain1.pem"
    is "$(count_certs "$arc/cert1.pem")" 1 "A-060 $name cert1.pem holds one certificate"
    ok "A-060 $name chain1.pem holds at least one certificate" \
        test "$(count_certs "$arc/chain1.pem")" -ge 1
    ok "A-060 $name PEM files use LF line endings only" \
        no_cr "$arc/cert1.pem" "$arc/chain1.pem" "$arc/fullchain1.pem" "$arc/privkey1.pem"
    ok "A-060 $name chain verifies up to pebble's root" \
        openssl verify -CAfile "$T/root.pem" -untrusted "$arc/chain1.pem" "$arc/cert1.pem"

    # A-061
    want=$(printf '%s\n' "$@" | LC_ALL=C sort)
    is "$(san_list "$arc/cert1.pem")" "$want" "A-061 $name SANs are exactly: $*"
    ok "A-061 $name certificate public key matches privkey1.pem" \
        same_pubkey "$arc/cert1.pem" "$arc/privkey1.pem"

    # A-062 / A-109 / A-110
    is "$(head -n 1 "$arc/privkey1.pem")" "-----BEGIN PRIVATE KEY-----" \
        "A-062 $name private key is PKCS#8 PEM"
    openssl pkey -in "$arc/privkey1.pem" -noout -text >"$T/key.txt" 2>&1
    if [ "$ktype" = ecdsa ]; then
        like "$(cat "$T/key.txt")" 'ASN1 OID: prime256v1' \
            "A-062 $name key is EC on P-256 (prime256v1)"
    else
        like "$(head -n 1 "$T/key.txt")" '^Private-Key: \(2048 bit' \
            "A-110 $name key is RSA 2048"
        like "$(openssl x509 -in "$arc/cert1.pem" -noout -text)" 'Public Key Algorithm: rsaEncryption' \
            "A-110 $name certificate carries an RSA key"
    fi

    # A-063
    readme_text "" >"$T/readme.want"
    ok "A-063 $name live/$name/README matches SPEC 3.1 byte for byte" \
        cmp "$T/readme.want" "$live/README"
    readme_text "[cert name]/" >"$T/readme.want"
    ok "A-063 $name live/README (top-level, [cert name]/ prefix) matches byte for byte" \
        cmp "$T/readme.want" "$C/live/README"

    # A-064 / A-065
    for kind in pre deploy post; do
        is_mode "$C/renewal-hooks/$kind" 755 "A-064 $name renewal-hooks/$kind exists, 0755"
    done
    v56 ok "A-065 $name no keys/ directory [5.6]" test ! -e "$C/keys"
    v56 ok "A-065 $name no csr/ directory [5.6]" test ! -e "$C/csr"

    # A-125
    is "$(conf_top_keys "$conf")" "version archive_dir cert privkey chain fullchain" \
        "A-125 $name conf top-level keys in order"
    v56 hasnt "$(cat "$conf")" "#" "A-125 $name conf has no comment lines [5.6]"
    is "$(conf_get "$conf" version)" "$VERSION" "A-125 $name conf version = running version"
    is "$(conf_get "$conf" archive_dir)" "$arc" "A-125 $name archive_dir is absolute"
    for kind in cert privkey chain fullchain; do
        is "$(conf_get "$conf" "$kind")" "$live/$kind.pem" "A-125 $name conf $kind = $live/$kind.pem"
    done

    # A-126 / A-127: only user-set options, plus server and key_type
    is "$(conf_section_keys "$conf" renewalparams)" \
        "account authenticator config_dir http01_port key_type logs_dir server work_dir" \
        "A-126/A-127 $name [renewalparams] holds exactly the user-set keys"
    want=$(account_dirs | head -n 1)
    is "$(conf_get "$conf" account renewalparams)" "$(basename "${want:-/<no account dir>}")" \
        "A-126 $name account = the account id"
    is "$(conf_get "$conf" authenticator renewalparams)" standalone "A-126 $name authenticator = standalone"
    is "$(conf_get "$conf" server renewalparams)" "$PEBBLE_DIR_URL" "A-126 $name server = pebble"
    is "$(conf_get "$conf" key_type renewalparams)" "$ktype" "A-126 $name key_type = $ktype"
    is "$(conf_get "$conf" http01_port renewalparams)" "$HTTP_PORT" "A-126 $name http01_port saved"
    is "$(conf_get "$conf" config_dir renewalparams)" "$C" "A-126 $name config_dir saved"
    is "$(conf_get "$conf" work_dir renewalparams)" "$W" "A-126 $name work_dir saved"
    is "$(conf_get "$conf" logs_dir renewalparams)" "$L" "A-126 $name logs_dir saved"
}

# check_success_output NAME DOMAIN...: A-056 stdout lines
check_success_output() {
    local name=$1 end
    shift
    is "$RC" 0 "A-056 certonly $* exits 0" || show_run
    end=$(date -u -d "@$(cert_enddate_epoch "$C/archive/$name/cert1.pem")" +%Y-%m-%d)
    has_line "$OUT" "Successfully received certificate." "A-056 'Successfully received certificate.'"
    has_line "$OUT" "Certificate is saved at: $C/live/$name/fullchain.pem" \
        "A-056 'Certificate is saved at:' names live fullchain.pem"
    has_line "$OUT" "Key is saved at:         $C/live/$name/privkey.pem" \
        "A-056 'Key is saved at:' names live privkey.pem (aligned)"
    has_line "$OUT" "This certificate expires on $end." \
        "A-056 'This certificate expires on' gives the cert's notAfter date"
    has_line "$OUT" "These files will be updated when the certificate renews." \
        "A-056 'These files will be updated when the certificate renews.'"
    has_line "$ERR" "Saving debug log to $L/letsencrypt.log" \
        "A-028 'Saving debug log to' on stderr"
    hasnt "$OUT" "Saving debug log" "A-028 'Saving debug log' is not on stdout"
}

VERSION=$(certbot_bare --version 2>/dev/null | sed -n 's/^certbot //p')

# ---------------------------------------------------------------- ECDSA
run cbn certonly --standalone -d one.test
check_success_output one.test one.test
has_line "$OUT" "Requesting a certificate for one.test" "A-056 'Requesting a certificate for one.test'"
like "$(grep -n -e '^Account registered\.$' -e '^Requesting a certificate' "$T/last.out" | cut -d: -f1 | tr '\n' ' ')" \
    '^[0-9]+ [0-9]+ $' "A-048 'Account registered.' precedes 'Requesting a certificate'"
is "$(account_dirs | wc -l)" 1 "A-048 certonly registered exactly one account"
acct=$(account_dirs | head -n 1)
is_mode "$C/accounts" 700 "A-059 accounts/ is 0700"
is_mode "${acct:-/nonexistent}" 700 "A-059 the account dir is 0700"
is_mode "${acct:-/nonexistent}/private_key.json" 400 "A-059 private_key.json is 0400"
check_lineage one.test ecdsa one.test
is "$(find "$C" -name .certbot.lock | wc -l)" 0 "A-309 no .certbot.lock left in the config dir"

# ------------------------------------------------- RSA, three names
# Same config dir: the account is reused, a second lineage is added.
run cbn certonly --standalone --key-type rsa -d multi.test -d www.multi.test -d api.multi.test
check_success_output multi.test multi.test www.multi.test api.multi.test
has_line "$OUT" "Requesting a certificate for multi.test and 2 more domains" \
    "A-056 'Requesting a certificate for multi.test and 2 more domains'"
hasnt "$OUT" "Account registered." "A-048 existing account reused (no second registration)"
is "$(account_dirs | wc -l)" 1 "A-048 still exactly one account"
check_lineage multi.test rsa multi.test www.multi.test api.multi.test

# ------------------------------------------------------- certificates
# expected_block NAME KEYTYPE IDENTIFIERS: the SPEC 4.10 lines for a lineage
expected_block() {
    local name=$1 cert=$C/archive/$1/cert1.pem serial end
    serial=$(openssl x509 -in "$cert" -noout -serial | sed 's/^serial=//' |
        tr 'A-F' 'a-f' | sed 's/^0*//')
    end=$(date -u -d "@$(cert_enddate_epoch "$cert")" '+%Y-%m-%d %H:%M:%S+00:00')
    printf '  Certificate Name: %s\n' "$name"
    printf '    Serial Number: %s\n' "$serial"
    printf '    Key Type: %s\n' "$2"
    printf '    Identifiers: %s\n' "$3"
    printf '    Expiry Date: %s (VALID: DAYS)\n' "$end"
    printf '    Certificate Path: %s\n' "$C/live/$name/fullchain.pem"
    printf '    Private Key Path: %s\n' "$C/live/$name/privkey.pem"
}

# valid_days NAME: whole days left (floor), as Certbot computes them
valid_days() {
    echo $(( ($(cert_enddate_epoch "$C/archive/$1/cert1.pem") - $(date -u +%s)) / 86400 ))
}

run cb certificates
is "$RC" 0 "A-205 certificates exits 0" || show_run
days=$(valid_days multi.test)
# VALID count may tick over between our clock reading and certbot's
out_norm=$(sed -E "s/\\(VALID: ($days|$((days - 1))) days\\)/(VALID: DAYS)/" "$T/last.out")
{
    echo "Found the following certs:"
    expected_block multi.test RSA "multi.test www.multi.test api.multi.test"
    expected_block one.test ECDSA "one.test"
} >"$T/cert.want"
body=$(sed -n "/^Found the following/,/^$(sed 's/ /[ ]/g' <<<"$FRAME")\$/p" <<<"$out_norm" | sed '$d')
v56 is "$body" "$(cat "$T/cert.want")" \
    "A-205 certificates lists both lineages in name order in the 5.6 format (Identifiers:) [5.6]"
has_line "$OUT" "  Certificate Name: one.test" "A-205 'Certificate Name: one.test' line"
has_line "$OUT" "    Key Type: RSA" "A-209 RSA lineage shows 'Key Type: RSA'"
like "$OUT" '^    Expiry Date: [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\+00:00 \(VALID: [0-9]+ days\)$' \
    "A-205 'Expiry Date:' format with (VALID: N days)"
is "$(grep -cxF -- "$FRAME" "$T/last.out")" 2 "A-205 output framed by two 79-char '- - -' lines"

run cb certificates --cert-name one.test
is "$RC" 0 "A-206 certificates --cert-name exits 0"
has_line "$OUT" "Found the following matching certs:" "A-206 filtered header 'Found the following matching certs:'"
has_line "$OUT" "  Certificate Name: one.test" "A-206 the named lineage is listed"
hasnt "$OUT" "multi.test" "A-206 other lineages are not listed"

run cb certificates -d www.multi.test
has_line "$OUT" "  Certificate Name: multi.test" "A-206 -d www.multi.test lists the lineage holding that name"
hasnt "$OUT" "Certificate Name: one.test" "A-206 -d filter drops lineages without that name"

# ---------------------------------------------- second run, not due: keep
run cbn certonly --standalone -d one.test --keep
is "$RC" 0 "A-087 same names again with --keep exits 0" || show_run
has_line "$OUT" "Certificate not yet due for renewal; no action taken." \
    "A-087 'Certificate not yet due for renewal; no action taken.'"
is "$(only_entries "$C/archive/one.test")" "cert1.pem chain1.pem fullchain1.pem privkey1.pem" \
    "A-087 archive still holds only version 1"
is "$(readlink "$C/live/one.test/fullchain.pem")" "../../archive/one.test/fullchain1.pem" \
    "A-087 live link unchanged"
is "$(ls "$C/renewal" | tr '\n' ' ')" "multi.test.conf one.test.conf " \
    "A-087 no new lineage (no one.test-0001)"

done_testing
