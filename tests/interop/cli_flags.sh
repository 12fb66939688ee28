#!/bin/bash
# Interop: the command line parses as Python Certbot's parser parses it.
# Every option of Debian's certbot 2.1 parser (read from the parser
# itself, tests/interop/pyparse.py) is given to ours and to that parser,
# with a value when it takes one, through every spelling (aliases,
# --flag=value, unique abbreviations); then the syntax corner cases of
# argparse (clusters, attached values, ambiguous prefixes, bad choices,
# repeated flags, comma lists, -d/-w ordering).  Ours must reject (exit 2)
# exactly what Python rejects, except where 5.6 differs from 2.1 (listed
# below, SPEC 2 and 8).  Issue 6 scope 4; SPEC 1, 2; A-001..A-031.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/common.sh"

[ -x "$PY_CERTBOT" ] || skip_all "Python Certbot ($PY_CERTBOT) not installed"
have_certbot || skip_all "certbot under test not found: $CERTBOT"
[ "$(certbot_flavour)" = c ] || skip_all "CERTBOT=$CERTBOT is not the C certbot"
PYPARSE=$(cd "$(dirname "$0")" && pwd)/pyparse.py
command -v /usr/bin/python3 >/dev/null 2>&1 || skip_all "no /usr/bin/python3"

mkdir -p "$T/cwd" "$T/wr"
: >"$T/empty.ini"
cd "$T/cwd" || bail_out "no cwd"

# Options of Debian's 2.1 that 5.6 removed (exit 2 there): SPEC 2.9, 8.
REMOVED_IN_56=" --manual-public-ip-logging-ok "
# Options 5.6 has that 2.1 lacks: ours must accept them.
NEW_IN_56=(--eab-hmac-alg=HS384 --ip-address=127.0.0.2 --preferred-profile=x
           --required-profile=x --run-deploy-hooks)

# Command lines beyond "every option": unique abbreviations of long
# options (argparse's allow_abbrev), ambiguous prefixes, clusters,
# attached values, bad choices and numbers, repeats, comma lists, stray
# positionals, verb aliases and removed verbs.
cat >"$T/extra" <<'EOC'
certificates --cert-n x
certificates --dry
certificates --non-inter
certificates --rsa-key 4096
certificates --key-t rsa
certificates --elliptic secp384r1
certificates --preferred-cha dns
certificates --no-verify
certificates --max-log 3
certificates --max 3
certificates --http-01-addr 127.0.0.1
certificates --deploy /bin/true
certificates --disable-hook
certificates --agree
certificates --register-unsafely
certificates --manual-auth /bin/true
certificates --user-agent-c x
certificates --strict
certificates --re
certificates --force
certificates --no
certificates --pre x
certificates -nvv
certificates -vvvv -q
certificates -nq
certificates -dexample.test
certificates -d a.test,B.test. -d c.test
certificates --domains=a.test,b.test --domain c.test
certificates --key-type dsa
certificates --key-type=RSA
certificates --rsa-key-size abc
certificates --rsa-key-size=-1
certificates --elliptic-curve secp224r1
certificates --reason keyCompromise
revoke --reason KEYCOMPROMISE --cert-name x
revoke --reason bogus --cert-name x
certificates --preferred-challenges http,dns
certificates --preferred-challenges http-01,dns-01
certificates --preferred-challenges tls-alpn-01
certificates --preferred-challenges tls-sni-01
certificates --preferred-challenges=http --preferred-challenges=dns
certificates --user-agent-comment 'has(paren)'
certificates --max-log-backups -1
certificates --max-log-backups x
certificates --http-01-port 0x50
certificates --issuance-timeout 1.5
certificates --key-type rsa --key-type ecdsa
certificates --cert-name a --cert-name b
certificates --webroot-map '{bad'
certificates --webroot-map '[]'
certificates -w
certificates --eab-kid
certificates --bogus
certificates bogus
certificates -- -d
certonly --csr
certificates renew
update_symlinks
config_changes
auth --dry
everything --version
certificates --eab-hmac-alg=HS384
certificates --ip-address=127.0.0.2
certificates --preferred-profile=x
certificates --required-profile=x
certificates --run-deploy-hooks
EOC
# cli.ini files (-c): syntax, booleans, unknown keys, list values
printf 'rsa-key-size = 4096\nkey-type: rsa\n# comment\n; comment\nagree-tos\nemail = a@example.org  # inline\n' >"$T/ok.ini"
printf 'agree-tos = maybe\n' >"$T/badbool.ini"
printf 'agree-tos = false\nnon-interactive = yes\n' >"$T/bools.ini"
printf 'no-such-option = 1\n' >"$T/unknown.ini"
printf 'domains = [a.test, b.test]\n' >"$T/list.ini"
printf '[section]\nrsa-key-size = 4096\n---\n' >"$T/section.ini"
printf 'key-type = dsa\n' >"$T/badchoice.ini"
for f in ok badbool bools unknown list section badchoice; do
    printf 'certificates -c %q\n' "$T/$f.ini" >>"$T/extra"
done
/usr/bin/python3 "$PYPARSE" cases "$T" <"$T/extra" >"$T/cases" 2>"$T/py.err" ||
    skip_all "cannot run Python Certbot's parser: $(head -n 3 "$T/py.err")"
ok "Python's parser gave more than 200 command lines ($(wc -l <"$T/cases"))" \
    test "$(wc -l <"$T/cases")" -gt 200

# class RC: "rejected" for argparse errors (2), "accepted" otherwise
class() { if [ "$1" = 2 ]; then echo rejected; else echo accepted; fi; }

n=0 same=0
: >"$T/unsupported"
while IFS=$'\t' read -r pyrc quoted; do
    n=$((n + 1))
    argv=()
    eval "argv=($quoted)"
    timeout -k 5 "$CB_TIMEOUT" "${CERTBOT_CMD[@]}" --config-dir "$T/c" \
        --work-dir "$T/w" --logs-dir "$T/l" "${argv[@]}" \
        </dev/null >"$T/o.out" 2>"$T/o.err"
    rc=$?
    want=$(class "$pyrc") why="as Python 2.1"
    a1=${argv[1]:-}
    for o in "${NEW_IN_56[@]}"; do
        [ "$a1" = "$o" ] && want=accepted why="5.6 option, absent from 2.1"
    done
    case $REMOVED_IN_56 in *" ${a1%%=*} "*)
        want=rejected why="removed in 5.6" ;;
    esac
    case $quoted in
        update_symlinks) want=rejected why="verb removed in 3.0" ;;
        # 5.6's acme knows http-01 and dns-01 only (TLSALPN01 is gone)
        *"--preferred-challenges tls-alpn-01") want=rejected why="no tls-alpn-01 in 5.6" ;;
        # beyond Certbot: --max-concurrent-renewals makes the prefix
        # ambiguous (docs/compatibility.md)
        "certificates --max 3") want=rejected why="--max-concurrent-renewals (ours only)" ;;
    esac
    got=$(class "$rc")
    if [ "$got" = "$want" ]; then
        same=$((same + 1))
    else
        fail "parse: certbot $quoted: ours $got (exit $rc), expected $want ($why)" \
            "$(head -n 3 "$T/o.err")"
    fi
    # a rejection says why, argparse-style, on stderr
    if [ "$rc" = 2 ] && ! grep -q '^certbot: error: ' "$T/o.err"; then
        fail "parse: certbot $quoted: exit 2 without 'certbot: error:'" "$(head -n 5 "$T/o.err")"
    fi
    # an option we accept but have not implemented must say so
    grep -i 'not supported yet' "$T/o.err" >>"$T/unsupported"
done <"$T/cases"
is "$same" "$n" "parse: ours accepts and rejects what Python Certbot does ($same of $n)"
is "$(sort -u "$T/unsupported")" "" "parse: no accepted option answers 'not supported yet'"

# ------------------------------------------ values, not only verdicts
# -d/-w ordering, comma lists, case and trailing dots: the same command
# line issued by both against pebble must give the same names (in the
# same order) and the same saved webroot map.  Names after the last -w
# enter the map only when their challenge is performed (in both), so no
# authorization may be reused from the other's run.
export PEBBLE_AUTHZREUSE=0
require_pebble_env
webroot_server a.test b.test c.test d.test
bad=(-d a.test -w "$WWW" -d b.test -w "$WWW2" -d c.test)
run pyn certonly --webroot --cert-name pybad "${bad[@]}"
py_rc=$RC
run cbn certonly --webroot --cert-name cbad "${bad[@]}"
is "$RC:$py_rc" "1:1" "values: both refuse a -d before the first of several -w"
# (5.3 added --ip-address to the message)
has "$ERR" "If you specify multiple webroot paths, one of them must precede all --domain and --ip-address flags" \
    "values: ... ours with 5.6's message"
# shellcheck disable=SC2054 # (commas are the point here)
order=(-w "$WWW" -d a.test,B.test. -d c.test -w "$WWW2" --domains=d.test --domain a.test)
run pyn certonly --webroot --cert-name pyorder "${order[@]}"
is "$RC" 0 "values: Python issues with -d/-w interleaved" || show_run
# ours in dirs of its own, with an account of its own: pebble reuses a
# valid authorization of the same account about 1 time in 100 even with
# PEBBLE_AUTHZREUSE=0
PC=$C PW=$W PL=$L
new_dirs
run cbn certonly --webroot --cert-name corder "${order[@]}"
is "$RC" 0 "values: ours issues with the same command line" || show_run
is "$(openssl x509 -in "$C/live/corder/cert.pem" -noout -ext subjectAltName 2>/dev/null | tail -n 1)" \
   "$(openssl x509 -in "$PC/live/pyorder/cert.pem" -noout -ext subjectAltName 2>/dev/null | tail -n 1)" \
   "values: the same names requested"
is "$(section_text "$C/renewal/corder.conf" renewalparams | sed -n '/^\[\[webroot_map\]\]/,$p')" \
   "$(section_text "$PC/renewal/pyorder.conf" renewalparams | sed -n '/^\[\[webroot_map\]\]/,$p')" \
   "values: the same [[webroot_map]], in the same order"
is "$(conf_get "$C/renewal/corder.conf" webroot_path renewalparams)" \
   "$(conf_get "$PC/renewal/pyorder.conf" webroot_path renewalparams)" \
   "values: the same webroot_path list"
C=$PC W=$PW L=$PL run py certificates --cert-name pyorder
py_ids=$(sed -n 's/^    Domains: //p' <<<"$OUT")
run cb certificates --cert-name corder
is "$(sed -n 's/^    Identifiers: //p' <<<"$OUT")" "$py_ids" "values: certificates lists the names in Python's order"

done_testing
