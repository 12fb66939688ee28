# shellcheck shell=bash disable=SC2034
# Shared by the interop scripts (sourced): the integration harness plus
# `py`, Debian's Python Certbot (2.1) run with exactly the flags `cb` gives
# ours, against the same pebble and the same config/work/logs dirs.
#
#   . "$(dirname "$0")/common.sh"
#   interop_start            # skip_all without /usr/bin/certbot; pebble up
#   run py certonly ...      # Python Certbot
#   run cbn certonly ...     # ours
#
# SPEC.md marks where 2.1 differs from the 5.6 we target; the checks
# here only assert what both must agree on (or what ours must write).

# shellcheck source-path=SCRIPTDIR
. "$(dirname "${BASH_SOURCE[0]}")/../integration/lib.sh"

PY_CERTBOT=${PY_CERTBOT:-/usr/bin/certbot}

interop_start() {
    [ -x "$PY_CERTBOT" ] || skip_all "Python Certbot ($PY_CERTBOT) not installed"
    have_certbot || skip_all "certbot under test not found: $CERTBOT"
    # the other side of the comparison must be ours, not Python's again
    [ "$(certbot_flavour)" = c ] ||
        skip_all "CERTBOT=$CERTBOT is not the C certbot"
    require_pebble_env
}

# py ARGS...: Python Certbot with the flags of `cb`
py() {
    timeout -k 5 "$CB_TIMEOUT" "$PY_CERTBOT" \
        --server "$PEBBLE_DIR_URL" --no-verify-ssl \
        --config-dir "$C" --work-dir "$W" --logs-dir "$L" \
        --http-01-port "$HTTP_PORT" --no-random-sleep-on-renew "$@"
}

pyn() {
    py -n --agree-tos --register-unsafely-without-email "$@"
}

# must_run NAME CMD...: run, and record a failing test (with the output)
# when CMD does not exit 0; returns CMD's success.
must_run() {
    local name=$1
    shift
    run "$@"
    if [ "$RC" = 0 ]; then
        pass "$name"
        return 0
    fi
    fail "$name"
    show_run
    return 1
}

# link_of NAME KIND: live/NAME/KIND.pem's target
link_of() { readlink "$C/live/$1/$2.pem"; }

# renewalparams FILE: the [renewalparams] section (with subsections), as
# "key = value" lines sorted, for before/after comparison
renewalparams() {
    awk '
        /^\[renewalparams\]/ { on = 1; sub_ = ""; next }
        /^\[\[/ && on { s = $0; gsub(/[][[:space:]]/, "", s); sub_ = s "."; next }
        /^\[/ { on = 0; next }
        on && index($0, "=") > 0 {
            k = substr($0, 1, index($0, "=") - 1); v = substr($0, index($0, "=") + 1)
            gsub(/^[[:space:]]+|[[:space:]]+$/, "", k)
            gsub(/^[[:space:]]+|[[:space:]]+$/, "", v)
            print sub_ k " = " v
        }' "$1" | LC_ALL=C sort
}

# top_keys FILE: the keys before the first section, in order, spaces
top_keys() { conf_top_keys "$1"; }

# section_order FILE: the section headers in order
section_order() { grep -E '^[[:space:]]*\[' "$1" | tr -d ' ' | tr '\n' ' ' | sed 's/ $//'; }

# lineage_form NAME: checks that live/NAME and archive/NAME have the form
# Python Certbot writes (SPEC 3): modes, relative links to the latest
# common version, README text, fullchain = cert + chain, key matches.
lineage_form() {
    local n=$1 k tgt v="" bad=""
    [ "$(mode_of "$C/live")" = 700 ] || bad="$bad live=$(mode_of "$C/live")"
    [ "$(mode_of "$C/archive")" = 700 ] || bad="$bad archive=$(mode_of "$C/archive")"
    [ "$(mode_of "$C/live/$n")" = 755 ] || bad="$bad live/$n=$(mode_of "$C/live/$n")"
    [ "$(mode_of "$C/archive/$n")" = 755 ] || bad="$bad archive/$n=$(mode_of "$C/archive/$n")"
    [ "$(mode_of "$C/renewal/$n.conf")" = 644 ] || bad="$bad conf=$(mode_of "$C/renewal/$n.conf")"
    for k in cert chain fullchain privkey; do
        tgt=$(readlink "$C/live/$n/$k.pem")
        case $tgt in
            "../../archive/$n/$k"[0-9]*.pem)
                [ -z "$v" ] && v=${tgt#../../archive/"$n"/"$k"} && v=${v%.pem}
                [ "$tgt" = "../../archive/$n/$k$v.pem" ] || bad="$bad $k->$tgt(version!=$v)"
                ;;
            *) bad="$bad $k->'$tgt'" ;;
        esac
        [ -f "$C/live/$n/$k.pem" ] || bad="$bad $k-dangling"
    done
    [ "$(mode_of "$C/archive/$n/privkey$v.pem")" = 600 ] ||
        bad="$bad privkey$v=$(mode_of "$C/archive/$n/privkey$v.pem")"
    for k in cert chain fullchain; do
        [ "$(mode_of "$C/archive/$n/$k$v.pem")" = 644 ] ||
            bad="$bad $k$v=$(mode_of "$C/archive/$n/$k$v.pem")"
    done
    [ "$(cat "$C/live/$n/README" 2>/dev/null)" = "$(readme_text "")" ] ||
        bad="$bad README"
    [ "$(mode_of "$C/live/$n/README")" = 644 ] || bad="$bad README-mode"
    [ "$(cat "$C/live/README" 2>/dev/null)" = "$(readme_text "[cert name]/")" ] ||
        bad="$bad top-README"
    cmp -s "$C/live/$n/fullchain.pem" <(cat "$C/live/$n/cert.pem" "$C/live/$n/chain.pem") ||
        bad="$bad fullchain!=cert+chain"
    [ "$(pubkey_of_cert "$C/live/$n/cert.pem")" = "$(pubkey_of_key "$C/live/$n/privkey.pem")" ] ||
        bad="$bad key-mismatch"
    head -n 1 "$C/live/$n/privkey.pem" | grep -qx -- '-----BEGIN PRIVATE KEY-----' ||
        bad="$bad key-not-pkcs8"
    # the conf names the lineage's paths
    [ "$(conf_get "$C/renewal/$n.conf" archive_dir)" = "$C/archive/$n" ] || bad="$bad conf-archive_dir"
    for k in cert privkey chain fullchain; do
        [ "$(conf_get "$C/renewal/$n.conf" "$k")" = "$C/live/$n/$k.pem" ] || bad="$bad conf-$k"
    done
    if [ -n "$bad" ]; then
        diag "lineage $n:$bad"
        return 1
    fi
    return 0
}

# account_form DIR: an account dir as Python Certbot writes it
account_form() {
    local d=$1 bad=
    [ "$(mode_of "$d")" = 700 ] || bad="$bad dir=$(mode_of "$d")"
    [ "$(mode_of "$d/private_key.json")" = 400 ] || bad="$bad key=$(mode_of "$d/private_key.json")"
    [ "$(mode_of "$d/regr.json")" = 644 ] || bad="$bad regr=$(mode_of "$d/regr.json")"
    [ "$(mode_of "$d/meta.json")" = 644 ] || bad="$bad meta=$(mode_of "$d/meta.json")"
    jq -e '.uri | startswith("https://")' "$d/regr.json" >/dev/null 2>&1 || bad="$bad regr.uri"
    jq -e '.kty == "RSA" and (.d | length > 0)' "$d/private_key.json" >/dev/null 2>&1 ||
        bad="$bad key-jwk"
    jq -e '.creation_dt and .creation_host' "$d/meta.json" >/dev/null 2>&1 || bad="$bad meta"
    if [ -n "$bad" ]; then
        diag "account $d:$bad"
        return 1
    fi
    return 0
}

# ------------------------------------------------------ shared fixtures
# webroot_server NAME...: serve $WWW on 127.0.0.2, the http-01 port
# (python3 -m http.server), and point NAMEs there in challtestsrv's DNS,
# so standalone runs bound to 127.0.0.1 (--http-01-address, STANDALONE)
# can use the same port at the same time.  $WWW2 is a second webroot path
# (a symlink to $WWW) for webroot maps.
WWW="" WWW2=""
STANDALONE=(--standalone --http-01-address 127.0.0.1)
webroot_server() {
    local n
    WWW=$T/www WWW2=$T/www2
    mkdir -p "$WWW"
    chmod 0755 "$WWW"
    ln -sfn "$WWW" "$WWW2"
    python3 -m http.server "$HTTP_PORT" --bind 127.0.0.2 --directory "$WWW" \
        >"$T/http.log" 2>&1 &
    cleanup_pid "$!"
    wait_http "http://127.0.0.2:$HTTP_PORT/" 100 ||
        bail_out "http.server did not start: $(cat "$T/http.log")"
    for n in "$@"; do
        curl -sf --max-time 5 -X POST -d "{\"host\":\"$n\",\"addresses\":[\"127.0.0.2\"]}" \
            "$CHALLTESTSRV_MGMT/add-a" >/dev/null || bail_out "add-a $n failed"
    done
}

# make_hooks: $H/{dns-auth,dns-cleanup} set/clear the TXT record through
# pebble-challtestsrv; $H/{pre,post,deploy} append their name to $H/log;
# every hook appends "<name> <CERTBOT_DOMAIN or RENEWED_LINEAGE>" to $H/log.
H=""
make_hooks() {
    H=$T/hooks
    mkdir -p "$H"
    : >"$H/log"
    cat >"$H/dns-auth" <<EOS
#!/bin/sh
echo "dns-auth \$CERTBOT_DOMAIN" >>"$H/log"
curl -sf --max-time 10 -X POST -d \\
  "{\"host\":\"_acme-challenge.\$CERTBOT_DOMAIN.\",\"value\":\"\$CERTBOT_VALIDATION\"}" \\
  "$CHALLTESTSRV_MGMT/set-txt" >/dev/null
EOS
    cat >"$H/dns-cleanup" <<EOS
#!/bin/sh
echo "dns-cleanup \$CERTBOT_DOMAIN" >>"$H/log"
curl -sf --max-time 10 -X POST -d \\
  "{\"host\":\"_acme-challenge.\$CERTBOT_DOMAIN.\"}" \\
  "$CHALLTESTSRV_MGMT/clear-txt" >/dev/null
exit 0
EOS
    local k
    for k in pre post deploy; do
        cat >"$H/$k" <<EOS
#!/bin/sh
echo "$k \${RENEWED_LINEAGE:-}" >>"$H/log"
EOS
    done
    chmod 0755 "$H"/*
}

# hook_count PATTERN: lines of $H/log matching the ERE
hook_count() { grep -cE -- "$1" "$H/log"; }

# section_text FILE SECTION: the raw lines of [SECTION] (with its
# subsections), in file order
section_text() {
    awk -v want="[$2]" '
        /^[[:space:]]*\[[^[]/ { s = $0; gsub(/[[:space:]]/, "", s); on = (s == want); if (on) next }
        on' "$1"
}

# clone_lineage SRC DST: a copy of lineage SRC named DST (archive copied,
# live links re-made relative, conf paths renamed), i.e. what Certbot
# would have written for DST; cheaper than another issuance.
clone_lineage() {
    local s=$1 d=$2 k v
    cp -a "$C/archive/$s" "$C/archive/$d"
    mkdir -p "$C/live/$d"
    chmod 0755 "$C/live/$d"
    cp -p "$C/live/$s/README" "$C/live/$d/README"
    for k in cert chain fullchain privkey; do
        v=$(readlink "$C/live/$s/$k.pem")
        ln -s "../../archive/$d/${v##*/}" "$C/live/$d/$k.pem"
    done
    sed -e "s#/archive/$s\$#/archive/$d#" -e "s#/live/$s/#/live/$d/#" \
        "$C/renewal/$s.conf" >"$C/renewal/$d.conf"
    chmod 0644 "$C/renewal/$d.conf"
}

# make_lineage_set BIN WHO: the account and the lineages both directions
# share (RSA 3072 with hooks, ECDSA P-384, a webroot map over two paths,
# manual dns-01 wildcard with hooks, reuse_key, options from a cli.ini),
# made by BIN (py or cb); WHO names it in the test names.
make_lineage_set() {
    local bin=$1 who=$2
    must_run "$who: register with an email" \
        "$bin" -n --agree-tos -m admin@example.org --no-eff-email register
    must_run "$who: RSA 3072 standalone with pre/post/deploy hooks" \
        "$bin" -n certonly "${STANDALONE[@]}" -d rsa.test --key-type rsa --rsa-key-size 3072 \
        --pre-hook "$H/pre" --post-hook "$H/post" --deploy-hook "$H/deploy"
    must_run "$who: ECDSA secp384r1 standalone" \
        "$bin" -n certonly "${STANDALONE[@]}" -d ec.test --key-type ecdsa --elliptic-curve secp384r1
    must_run "$who: webroot with a webroot map (two paths)" \
        "$bin" -n certonly --webroot -w "$WWW" -d wr.test -d www.wr.test -w "$WWW2" -d wr2.test
    must_run "$who: manual dns-01 with auth and cleanup hooks (wildcard)" \
        "$bin" -n certonly --manual --preferred-challenges dns \
        --manual-auth-hook "$H/dns-auth" --manual-cleanup-hook "$H/dns-cleanup" \
        -d man.test -d '*.man.test'
    must_run "$who: standalone lineage with --reuse-key" \
        "$bin" -n certonly "${STANDALONE[@]}" -d reuse.test --reuse-key
    cat >"$T/cli.ini" <<EOI
# options from a cli.ini given with -c
authenticator = standalone
http-01-address = 127.0.0.1
key-type = rsa
rsa-key-size = 4096
must-staple = true
EOI
    must_run "$who: lineage with options from a cli.ini (-c)" \
        "$bin" -n -c "$T/cli.ini" certonly -d ini.test
}
