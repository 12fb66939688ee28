#!/bin/bash
# Interop with bad or unusual input, Python Certbot (2.1) as the referee:
# each case is applied to two identical lineages Python Certbot wrote, one
# handled by Python, one by ours, and the outcomes (exit status, listing,
# files, conf) must agree.  Cases: a conf with keys neither knows, a
# lineage and account from a server URL we have never seen, live links
# moved or replaced by hand.  Issue 6 "bad input"; SPEC 3.2, 3.3, 3.4,
# 4.4, 4.10.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/common.sh"

interop_start

# the renewal conf keys, paths of lineage A renamed to B: for comparing
# what Python did to A with what ours did to B
as_other() { sed -e "s#/archive/$2\$#/archive/$3#" -e "s#/live/$2/#/live/$3/#" "$1"; }

# nover FILE: the conf without the version line and comment lines
# (2.1 re-adds its "# renew_before_expiry" comment; 5.6 writes none)
nover() { grep -v -e '^version = ' -e '^#' "$1"; }

must_run "python: first lineage" pyn certonly --standalone -d base.test ||
    bail_out "Python Certbot could not issue"

# ------------------------------------------------- unknown keys
# A conf Python wrote, then edited by an admin or a newer Certbot: an
# unknown top-level key, a third-party plugin's option and a future option
# in [renewalparams], a section of its own and comments.
for n in unk-py unk-c; do
    clone_lineage base.test "$n"
    f=$C/renewal/$n.conf
    sed -i -e '/^fullchain = /a my_note = written by the admin' \
           -e '/^\[renewalparams\]/i # admin: keep this comment' \
           -e '/^authenticator = /a dns_foo_propagation_seconds = 30\nfuture_option = some value' "$f"
    printf '[custom_section]\nkey = value\n' >>"$f"
done
cp "$C/renewal/unk-c.conf" "$T/unk-c.before"
run py renew --force-renewal --cert-name unk-py
PYRC=$RC
run cb renew --force-renewal --cert-name unk-c
is "$RC" "$PYRC" "unknown keys: ours renews with Python's exit status ($PYRC)" || show_run
is "$(link_of unk-c cert)" "../../archive/unk-c/cert2.pem" "unknown keys: ours renewed the lineage"
is "$(nover "$C/renewal/unk-c.conf")" "$(as_other "$C/renewal/unk-py.conf" unk-py unk-c | grep -v -e '^version = ' -e '^#')" \
    "unknown keys: ours leaves the conf as Python does (version, 2.1 comment aside)"
has_line "$(cat "$C/renewal/unk-c.conf")" "my_note = written by the admin" \
    "unknown keys: an unknown top-level key survives our renew"
has_line "$(cat "$C/renewal/unk-c.conf")" "# admin: keep this comment" \
    "unknown keys: the admin's comment survives our renew"
is "$(section_text "$C/renewal/unk-c.conf" custom_section)" "key = value" \
    "unknown keys: an unknown section survives our renew"
renewalparams "$C/renewal/unk-c.conf" >"$T/unk-c.rp"
renewalparams "$T/unk-c.before" >"$T/unk-c.rp0"
is "$(comm -13 "$T/unk-c.rp0" "$T/unk-c.rp" | tr '\n' ';')" "" \
    "unknown keys: our renew adds nothing to [renewalparams]"
diag "[renewalparams] keys our renew dropped (Python drops the same):" \
    "$(comm -23 "$T/unk-c.rp0" "$T/unk-c.rp" | tr '\n' ';')"

# ------------------------------------- a server URL we have not seen
# Python registers and issues against https://localhost:<port>/dir, the
# same pebble under a name ours never used.  Ours must find the lineage's
# stored server and account without --server.
LH_URL=https://localhost:$PEBBLE_PORT/dir
run timeout -k 5 "$CB_TIMEOUT" "$PY_CERTBOT" --server "$LH_URL" --no-verify-ssl \
    --config-dir "$C" --work-dir "$W" --logs-dir "$L" --http-01-port "$HTTP_PORT" \
    -n --agree-tos --register-unsafely-without-email certonly --standalone -d lh.test
is "$RC" 0 "other server: Python issues lh.test via $LH_URL" || show_run
LH_ACC=$(find "$C/accounts/localhost:$PEBBLE_PORT/dir" -mindepth 1 -maxdepth 1 -type d)
ok "other server: Python's account is under accounts/localhost:<port>/dir" test -n "$LH_ACC"
# no --server: everything comes from the lineage's conf
nosrv() {
    timeout -k 5 "$CB_TIMEOUT" "$1" --no-verify-ssl --config-dir "$C" \
        --work-dir "$W" --logs-dir "$L" --no-random-sleep-on-renew "${@:2}"
}
run nosrv "$CERTBOT" renew --force-renewal --cert-name lh.test
is "$RC" 0 "other server: ours renews lh.test with its stored server and account" || show_run
is "$(link_of lh.test cert)" "../../archive/lh.test/cert2.pem" "other server: ... to version 2"
is "$(conf_get "$C/renewal/lh.test.conf" server renewalparams)" "$LH_URL" \
    "other server: the stored server URL is kept"
is "$(conf_get "$C/renewal/lh.test.conf" account renewalparams)" "${LH_ACC##*/}" \
    "other server: the stored account is kept"
run py show_account
py_rc=$RC py_err=$(grep -v '^Saving debug log' <<<"$ERR" | head -n 1)
run cb show_account
is "$RC" "$py_rc" "other server: show_account on the pebble URL agrees with Python (exit $py_rc)"
is "$(grep -v '^Saving debug log' <<<"$ERR" | head -n 1)" "$py_err" \
    "other server: ... with Python's message"
run nosrv "$CERTBOT" -n revoke --cert-name lh.test
is "$RC" 0 "other server: ours revokes lh.test at its stored server" || show_run
ok "other server: ... and deletes it" test ! -e "$C/renewal/lh.test.conf"
ok "other server: Python's account for it is left alone" test -s "$LH_ACC/private_key.json"

# ------------------------------------ live links moved by hand
# damage KIND NAME: what an admin might have done to live/NAME
damage() {
    local d=$C/live/$2 k
    case $1 in
        copied)     # links replaced by copies of their files
            for k in cert chain fullchain privkey; do
                cp --remove-destination "$(readlink -f "$d/$k.pem")" "$d/$k.pem"
            done ;;
        moved)      # cert.pem moved away
            mv "$d/cert.pem" "$T/$2.cert.pem" ;;
        dirmoved)   # the whole live dir moved
            mv "$d" "$C/live/$2.bak" ;;
        absolute)   # links re-made with absolute targets
            for k in cert chain fullchain privkey; do
                ln -sfn "$(readlink -f "$d/$k.pem")" "$d/$k.pem"
            done ;;
        dangling)   # archive files of the live version removed
            rm -f "$C/archive/$2/cert1.pem" ;;
    esac
}

for kind in copied moved dirmoved absolute dangling; do
    clone_lineage base.test "$kind-py"
    clone_lineage base.test "$kind-c"
    damage "$kind" "$kind-py"
    damage "$kind" "$kind-c"
done
run py certificates
py_cert=$OUT
run cb certificates
is "$RC" 0 "moved links: ours' certificates exits 0 (as Python's)"
c_cert=$OUT
for kind in copied moved dirmoved absolute dangling; do
    # invalid or listed: the same verdict as Python's
    py_bad=no c_bad=no
    sed -n '/renewal configurations were invalid/,$p' <<<"$py_cert" | grep -q "$kind-py" && py_bad=yes
    sed -n '/renewal configurations were invalid/,$p' <<<"$c_cert" | grep -q "$kind-c" && c_bad=yes
    is "$c_bad" "$py_bad" "moved links ($kind): ours lists it as invalid=$c_bad, Python invalid=$py_bad"
    run py renew --force-renewal --cert-name "$kind-py"
    py_rc=$RC
    py_text=$(printf '%s\n--\n%s' "$OUT" "$(err_lines)" | sed "s/$kind-py/X/g")
    run cb renew --force-renewal --cert-name "$kind-c"
    is "$RC" "$py_rc" "moved links ($kind): ours renew exits $RC, Python's $py_rc" || show_run
    is "$(printf '%s\n--\n%s' "$OUT" "$(err_lines)" | sed "s/$kind-c/X/g")" "$py_text" \
        "moved links ($kind): ours renew prints what Python prints (stdout, stderr)"
    for k in cert chain fullchain privkey; do
        py_t=$(readlink "$C/live/$kind-py/$k.pem" 2>/dev/null | sed "s#/$kind-py/#/X/#")
        c_t=$(readlink "$C/live/$kind-c/$k.pem" 2>/dev/null | sed "s#/$kind-c/#/X/#")
        is "$c_t" "$py_t" "moved links ($kind): live $k.pem afterwards as Python leaves it"
    done
    is "$(nover "$C/renewal/$kind-c.conf" 2>/dev/null)" \
        "$(as_other "$C/renewal/$kind-py.conf" "$kind-py" "$kind-c" 2>/dev/null | grep -v -e '^version = ' -e '^#')" \
        "moved links ($kind): conf afterwards as Python leaves it"
done

# ------------------------- certificates with filters, next to broken ones
# Certbot prints the header whenever some lineage parsed (even if the
# filter matches none of them) and every invalid conf whatever the filter.
for args in "--cert-name base.test" "--cert-name nope" "-d nope.test" "-d base.test" ""; do
    # shellcheck disable=SC2086
    run py certificates $args
    py_out=$(sed 's/^    Domains: /    Identifiers: /' <<<"$OUT")
    # shellcheck disable=SC2086
    run cb certificates $args
    is "$OUT" "$py_out" "certificates $args: ours prints Python's report (5.2's Identifiers: aside)"
done


done_testing
