#!/bin/bash
# certonly --csr: a user-supplied CSR signed, files written beside the
# user, no lineage (SPEC 3.8, 4.15, 6.11: A-230..A-237).
. "$(dirname "$0")/lib.sh"

require_pebble_env

# mkcsr OUT SUBJ SAN [KEYOPTS...]: a CSR (PEM) with its key in OUT.key
mkcsr() {
    local out=$1 subj=$2 san=$3
    shift 3
    local ext=()
    [ -n "$san" ] && ext=(-addext "subjectAltName=$san")
    openssl req -new -nodes "$@" -keyout "$out.key" -subj "$subj" \
        "${ext[@]}" -out "$out" >"$T/openssl.log" 2>&1 ||
        bail_out "openssl req failed: $(cat "$T/openssl.log")"
}

# incwd DIR CMD...: CMD run from DIR (relative and default paths)
incwd() {
    local d=$1
    shift
    (cd "$d" && "$@")
}

K=$T/keys
mkdir -p "$K"
mkcsr "$K/c.pem" /CN=d5.test DNS:d5.test -newkey ec \
    -pkeyopt ec_paramgen_curve:P-256
openssl req -in "$K/c.pem" -outform DER -out "$K/c.der" ||
    bail_out "openssl req -outform DER failed"
mkcsr "$K/nosan.pem" /O=Example ""  -newkey ec -pkeyopt ec_paramgen_curve:P-256
mkcsr "$K/p384.pem" /CN=d7.test DNS:d7.test,DNS:www.d7.test -newkey ec \
    -pkeyopt ec_paramgen_curve:P-384

# Register first so that the account key is the only key in $C.
run cbn register
is "$RC" 0 "setup: account registered" || show_run

# ---------------------------------------------------------------- A-230
CWD=$T/cwd1
mkdir -p "$CWD"
run incwd "$CWD" cbn certonly --standalone \
    --csr "$K/c.pem"
is "$RC" 0 "A-230 certonly --csr (PEM) exits 0" || show_run
is "$(only_entries "$CWD")" "0000_cert.pem 0000_chain.pem 0001_chain.pem" \
    "A-230 defaulted paths are uniquified as NNNN_ (cert, chain, fullchain)"
for f in 0000_cert.pem 0000_chain.pem 0001_chain.pem; do
    is_mode "$CWD/$f" 644 "A-230 $f has mode 0644"
done
has_line "$OUT" "Requesting a certificate for d5.test" \
    "A-230 announces the request with the CSR's names"
has_line "$OUT" "Certificate is saved at:            $CWD/0000_cert.pem" \
    "A-230 reports the certificate path"
has_line "$OUT" "Intermediate CA chain is saved at:  $CWD/0000_chain.pem" \
    "A-230 reports the chain path"
has_line "$OUT" "Full certificate chain is saved at: $CWD/0001_chain.pem" \
    "A-230 reports the full chain path"
like "$OUT" '^This certificate expires on [0-9]{4}-[0-9]{2}-[0-9]{2}\.$' \
    "A-230 reports the expiry date"
has "$OUT" "- Certificates created using --csr will not be renewed automatically by Certbot. You will need to renew the certificate before it expires, by running the same Certbot command again." \
    "A-230 NEXT STEPS says --csr certificates are not renewed"
is "$(count_certs "$CWD/0000_cert.pem")" 1 "A-230 cert file holds the leaf only"
is "$(san_list "$CWD/0000_cert.pem")" "d5.test" "A-230 the leaf is for d5.test"
is "$(pubkey_of_cert "$CWD/0000_cert.pem")" "$(pubkey_of_key "$K/c.pem.key")" \
    "A-230 the leaf carries the CSR's key"
ok "A-230 fullchain = cert + chain" \
    cmp -s "$CWD/0001_chain.pem" <(cat "$CWD/0000_cert.pem" "$CWD/0000_chain.pem")
is "$(count_certs "$CWD/0000_chain.pem")" 1 "A-230 chain file holds the intermediate"

# ---------------------------------------------------------------- A-231
ok "A-231 no lineage, renewal conf or link left in \$C" no_lineage_left
is "$(find "$C" -name '*.pem' | wc -l)" 0 \
    "A-231 no key, certificate or CSR written under \$C"
is "$(find "$C" -name 'private_key.json' | wc -l)" 1 \
    "A-231 the account key is the only private key in \$C"

# A second run in the same place takes the next free names.
run incwd "$CWD" cbn certonly --standalone \
    --csr "$K/c.pem"
is "$RC" 0 "A-230 a second --csr run exits 0" || show_run
is "$(only_entries "$CWD")" \
    "0000_cert.pem 0000_chain.pem 0001_cert.pem 0001_chain.pem 0002_chain.pem 0003_chain.pem" \
    "A-230 the next free NNNN_ names are used, nothing overwritten"

# ---------------------------------------------------------------- A-232
CWD=$T/cwd2
mkdir -p "$CWD"
run incwd "$CWD" cbn certonly --standalone \
    --csr "$K/c.der"
is "$RC" 0 "A-232 certonly --csr (DER) exits 0" || show_run
is "$(only_entries "$CWD")" "0000_cert.pem 0000_chain.pem 0001_chain.pem" \
    "A-232 DER CSR writes the same files"
is "$(pubkey_of_cert "$CWD/0000_cert.pem")" "$(pubkey_of_key "$K/c.pem.key")" \
    "A-232 the leaf carries the DER CSR's key"

# ---------------------------------------------------------------- A-233
CWD=$T/cwd3
mkdir -p "$CWD"
run incwd "$CWD" cbn certonly --standalone \
    --csr "$K/c.pem" --cert-path out/cert.pem --chain-path out/chain.pem \
    --fullchain-path out/full.pem
is "$RC" 0 "A-233 explicit output paths: exit 0" || show_run
is "$(only_entries "$CWD/out")" "cert.pem chain.pem full.pem" \
    "A-233 exactly the given files are written"
is_mode "$CWD/out" 755 "A-233 the output dir is created 0755"
is_mode "$CWD/out/cert.pem" 644 "A-233 cert.pem 0644"
has_line "$OUT" "Full certificate chain is saved at: $CWD/out/full.pem" \
    "A-233 the given full chain path is reported"
cp -p "$CWD/out/cert.pem" "$T/cert.before"
run incwd "$CWD" cbn certonly --standalone \
    --csr "$K/c.pem" --cert-path out/cert.pem --chain-path out/chain.pem \
    --fullchain-path out/full.pem
is "$RC" 1 "A-233 re-run with existing explicit paths exits 1" || show_run
has "$ERR" "File exists: '$CWD/out/cert.pem'" \
    "A-233 the error names the existing file"
ok "A-233 the existing file is untouched" cmp -s "$CWD/out/cert.pem" "$T/cert.before"
is "$(only_entries "$CWD/out")" "cert.pem chain.pem full.pem" \
    "A-233 no temp or extra file left beside them"

# Only the full chain given: cert/chain defaulted and uniquified, the
# given one exact; if it exists, nothing new is left behind.
CWD=$T/cwd4
mkdir -p "$CWD"
echo keep >"$CWD/full.pem"
run incwd "$CWD" cbn certonly --standalone \
    --csr "$K/c.pem" --fullchain-path full.pem
is "$RC" 1 "A-233 existing explicit --fullchain-path fails" || show_run
# (Python Certbot leaves the cert and chain it wrote before failing; we
# do not leave a partial set behind.)
if [ "$(certbot_flavour)" = c ]; then
    is "$(only_entries "$CWD")" "full.pem" \
        "A-233 a failed save removes the files it had written"
else
    skip "Python certbot keeps the files written before the failure"
fi
is "$(cat "$CWD/full.pem")" "keep" "A-233 the user's file is not overwritten"

# ---------------------------------------------------------------- A-234
run cbn run --standalone --csr "$K/c.pem"
is "$RC" 1 "A-234 --csr with run exits 1"
has "$ERR" "Currently, a CSR file may only be specified when obtaining a new or replacement via the certonly command. Please try the certonly command instead." \
    "A-234 run --csr message"
run cbn renew --csr "$K/c.pem"
is "$RC" 1 "A-234 --csr with renew exits 1"
has "$ERR" "Currently, a CSR file may only be specified" "A-234 renew --csr message"

# ---------------------------------------------------------------- A-235
run cbn certonly --standalone --csr "$K/c.pem" --allow-subset-of-names
is "$RC" 1 "A-235 --csr + --allow-subset-of-names exits 1"
has "$ERR" "--allow-subset-of-names cannot be used with --csr" "A-235 message"

# ---------------------------------------------------------------- A-236
CWD=$T/cwd5
mkdir -p "$CWD"
run incwd "$CWD" cbn certonly --standalone \
    --csr "$K/nosan.pem"
is "$RC" 1 "A-236 CSR without any name exits 1"
has "$ERR" "Unfortunately, your CSR $K/nosan.pem needs to have a SubjectAltName for every domain" \
    "A-236 missing-SAN message names the CSR's absolute path"
run incwd "$CWD" cbn certonly --standalone \
    -d other.test --csr "$K/c.pem"
is "$RC" 1 "A-236 -d not in the CSR exits 1"
v56 has "$ERR" "Inconsistent requests:" "A-236 inconsistent-requests error [5.6]"
has "$ERR" "From the CSR: d5.test" "A-236 the error lists the CSR's names"
v56 has "$ERR" "From command line/config: other.test, d5.test" \
    "A-236 the error lists the requested names, the user's first [5.6]"
is "$(only_entries "$CWD")" "" "A-236 nothing written on a CSR error"
run incwd "$CWD" cbn certonly --standalone \
    -d D5.test --csr "$K/c.pem"
is "$RC" 0 "A-236 -d naming the CSR's own domain is consistent" || show_run
printf 'not a csr\n' >"$K/junk.pem"
run cbn certonly --standalone --csr "$K/junk.pem"
is "$RC" 1 "A-236 an unparsable CSR exits 1"
has "$ERR" "Failed to parse CSR file: $K/junk.pem" "A-236 unparsable CSR message"

# ---------------------------------------------------------------- A-237
CWD=$T/cwd6
mkdir -p "$CWD"
run incwd "$CWD" cbn certonly --standalone \
    --csr "$K/p384.pem"
is "$RC" 0 "A-237 P-384 CSR exits 0" || show_run
is "$(pubkey_of_cert "$CWD/0000_cert.pem")" "$(pubkey_of_key "$K/p384.pem.key")" \
    "A-237 the leaf carries the CSR's P-384 key"
like "$(openssl x509 -in "$CWD/0000_cert.pem" -noout -text 2>/dev/null)" \
    'Public-Key: \(384 bit\)' "A-237 the leaf key is 384-bit EC"
is "$(san_list "$CWD/0000_cert.pem" | tr '\n' ' ')" "d7.test www.d7.test " \
    "A-237 the leaf has the CSR's two names"
has_line "$OUT" "Requesting a certificate for d7.test and www.d7.test" \
    "A-237 both names announced"

# --dry-run: nothing saved
CWD=$T/cwd7
mkdir -p "$CWD"
run incwd "$CWD" cbn certonly --standalone \
    --csr "$K/c.pem" --dry-run
is "$RC" 0 "A-230 --csr --dry-run exits 0" || show_run
has_line "$OUT" "Simulating a certificate request for d5.test" \
    "A-230 dry run announces a simulated request"
has_line "$OUT" "The dry run was successful." "A-230 dry run succeeds"
is "$(only_entries "$CWD")" "" "A-230 dry run writes no file"

done_testing
