#!/bin/bash
# IP-address certificates (--ip-address) with standalone, webroot and
# manual against pebble, which validates an IP identifier by connecting to
# that address.  SPEC 4.8 (IPs), 5.2, 5.3, 5.4; acceptance A-242.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

require_pebble_env

# sans CERT: the SAN entries as openssl prints them, one per line
sans() {
    openssl x509 -in "$1" -noout -ext subjectAltName 2>/dev/null |
        tail -n +2 | tr ',' '\n' | sed -e 's/^[[:space:]]*//' -e '/^$/d'
}

# ------------------------------------------------------------ standalone
run cbn certonly --standalone --ip-address 127.0.0.2
is "$RC" 0 "A-242 certonly --standalone --ip-address 127.0.0.2 exits 0" || show_run
ok "A-242 lineage live/127.0.0.2/ exists" test -s "$C/live/127.0.0.2/cert.pem"
has_line "$(sans "$C/live/127.0.0.2/cert.pem")" "IP Address:127.0.0.2" \
    "A-242 the certificate's SAN is IP Address:127.0.0.2"
has_line "$(cat "$C/renewal/127.0.0.2.conf" 2>/dev/null)" "authenticator = standalone" \
    "A-242 renewal/127.0.0.2.conf written"

# IPv6 loopback, served on ::1 only
if python3 -c 'import socket; socket.socket(socket.AF_INET6).bind(("::1", 0))' \
    2>/dev/null; then
    run cbn certonly --standalone --ip-address ::1 --http-01-address ::1
    is "$RC" 0 "A-242 --ip-address ::1 --http-01-address ::1 exits 0" || show_run
    ok "A-242 lineage live/::1/ exists" test -s "$C/live/::1/cert.pem"
    has_line "$(sans "$C/live/::1/cert.pem")" "IP Address:0:0:0:0:0:0:0:1" \
        "A-242 the certificate's SAN is the IPv6 loopback"
else
    skip "no IPv6 loopback here" 3
fi

# names and an address together: DNS names first, lineage after the name
run cbn certonly --standalone -d ipmix.test --ip-address 127.0.0.1
is "$RC" 0 "A-242 -d ipmix.test --ip-address 127.0.0.1 exits 0" || show_run
is "$(sans "$C/live/ipmix.test/cert.pem" | tr '\n' ' ')" \
    "DNS:ipmix.test IP Address:127.0.0.1 " \
    "A-242 mixed certificate: DNS name then IP address, lineage ipmix.test"

# ------------------------------------------------------------ webroot
if command -v nginx >/dev/null 2>&1; then
    WWW=$T/www
    mkdir -p "$WWW"
    chmod 0755 "$WWW"
    nginx_serve "$WWW" || bail_out "nginx did not start"

    new_dirs
    run cbn certonly --webroot -w "$WWW" --ip-address 127.0.0.1
    is "$RC" 0 "A-242 certonly --webroot -w <root> --ip-address 127.0.0.1 exits 0" || show_run
    has_line "$(sans "$C/live/127.0.0.1/cert.pem")" "IP Address:127.0.0.1" \
        "A-242 webroot: IP certificate in live/127.0.0.1/"
    like "$(cat "$NG/logs/access.log")" '^127\.0\.0\.1 /\.well-known/acme-challenge/[A-Za-z0-9_-]+ 200 [0-9]+$' \
        "A-242 webroot: the CA fetched the file from the webroot by address"
    ok "A-242 webroot: challenge directories removed" test ! -e "$WWW/.well-known"
    map=$(sed -n '/^\[\[webroot_map\]\]$/,/^\[/p' "$C/renewal/127.0.0.1.conf" 2>/dev/null)
    has_line "$map" "127.0.0.1 = $WWW" "A-242 webroot: [[webroot_map]] maps the address"

    # --webroot-map with an address key implies --ip-address
    new_dirs
    run cbn certonly --webroot --webroot-map "{\"127.0.0.1\": \"$WWW\"}"
    is "$RC" 0 "--webroot-map with an IP key exits 0" || show_run
    has_line "$(sans "$C/live/127.0.0.1/cert.pem" 2>/dev/null)" "IP Address:127.0.0.1" \
        "--webroot-map IP key becomes an IP identifier"

    # ------------------------------------------------------------ manual
    cat >"$T/auth" <<'EOF'
#!/bin/sh
env | grep '^CERTBOT_' | LC_ALL=C sort >"$T/manual.env"
d=$WWW/.well-known/acme-challenge
mkdir -p "$d"
printf '%s' "$CERTBOT_VALIDATION" >"$d/$CERTBOT_TOKEN"
EOF
    cat >"$T/cleanup" <<'EOF'
#!/bin/sh
rm -rf "$WWW/.well-known"
EOF
    chmod 0755 "$T/auth" "$T/cleanup"
    export T WWW
    new_dirs
    run cbn certonly --manual --manual-auth-hook "$T/auth" \
        --manual-cleanup-hook "$T/cleanup" --ip-address 127.0.0.1
    is "$RC" 0 "A-242 certonly --manual --ip-address 127.0.0.1 exits 0" || show_run
    has_line "$(sans "$C/live/127.0.0.1/cert.pem" 2>/dev/null)" "IP Address:127.0.0.1" \
        "A-242 manual: IP certificate in live/127.0.0.1/"
    has_line "$(cat "$T/manual.env" 2>/dev/null)" "CERTBOT_DOMAIN=127.0.0.1" \
        "A-242 manual: CERTBOT_DOMAIN is the address"
    has_line "$(cat "$T/manual.env" 2>/dev/null)" "CERTBOT_IDENTIFIER=127.0.0.1" \
        "A-242 manual: CERTBOT_IDENTIFIER is the address"
    ok "A-242 manual: the cleanup hook ran" test ! -e "$WWW/.well-known"
else
    skip "nginx not installed" 12
fi

done_testing
