#!/usr/bin/env bash
# dns-rfc2136 against a real named: TSIG-signed RFC 2136 UPDATEs, the zone
# found by walking up to an authoritative SOA, pebble validating through
# the same named.  SPEC 5.5; acceptance A-268..A-278.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

# named and tsig-keygen live in sbin, which a user's PATH may lack.
PATH=$PATH:/usr/sbin:/sbin
for t in named tsig-keygen dig nsupdate; do
    command -v "$t" >/dev/null 2>&1 || skip_all "$t not installed (bind9)"
done

# ------------------------------------------------------------ named
# Authoritative for example.test and its own sub-zone sub.example.test;
# every key may update both.  Files, pid, session key and journals live
# in $NS, so named runs as any user (as root it simply stays root).
NS=$T/named
mkdir -p "$NS"
free_ports 1 || bail_out "no free port for named"
NAMED_PORT=${FREE_PORTS[0]}
ALGS="md5 sha1 sha224 sha256 sha384 sha512"
: >"$NS/keys.conf"
allow=
for a in $ALGS; do
    tsig-keygen -a "hmac-$a" "key-$a" >>"$NS/keys.conf" ||
        bail_out "tsig-keygen -a hmac-$a failed"
    allow="$allow key \"key-$a\";"
done
# key_secret ALG: the base64 secret tsig-keygen made for key-ALG
key_secret() {
    awk -v k="\"key-$1\"" '$1 == "key" && $2 == k { on = 1 }
        on && $1 == "secret" { gsub(/[";]/, "", $2); print $2; exit }' \
        "$NS/keys.conf"
}
cat >"$NS/named.conf" <<EOF
options {
    directory "$NS";
    pid-file "$NS/named.pid";
    session-keyfile "$NS/session.key";
    listen-on port $NAMED_PORT { 127.0.0.1; };
    listen-on-v6 port $NAMED_PORT { ::1; };
    recursion no;
    dnssec-validation no;
    notify no;
    querylog yes;
};
include "$NS/keys.conf";
zone "example.test" { type primary; file "$NS/example.test.db";
    allow-update {$allow }; };
zone "sub.example.test" { type primary; file "$NS/sub.example.test.db";
    allow-update {$allow }; };
EOF
zone_head() {
    cat <<EOF
\$TTL 300
@ IN SOA ns.example.test. hostmaster.example.test. 1 3600 600 86400 60
@ IN NS ns.example.test.
EOF
}
{ zone_head
  echo "ns IN A 127.0.0.1"
  echo "sub IN NS ns.example.test."; } >"$NS/example.test.db"
zone_head >"$NS/sub.example.test.db"
named -g -c "$NS/named.conf" >"$NS/named.log" 2>&1 &
NAMED_PID=$!
cleanup_pid "$NAMED_PID"

ddig() { dig +norecurse +time=2 +tries=1 -p "$NAMED_PORT" @127.0.0.1 "$@"; }
up=0
for _ in $(seq 1 100); do
    if ddig +short SOA sub.example.test 2>/dev/null | grep -q hostmaster; then
        up=1
        break
    fi
    kill -0 "$NAMED_PID" 2>/dev/null || break
    sleep 0.1
done
[ "$up" = 1 ] || bail_out "named did not start: $(tail -n 20 "$NS/named.log")"

# txt NAME: the TXT answers at NAME as "TTL VALUE" lines, sorted.
txt() {
    ddig +noall +answer TXT "$1" | awk '$4 == "TXT" { gsub(/"/, "", $5);
        print $2, $5 }' | LC_ALL=C sort
}

# pebble resolves at named; the core's propagation check (when present)
# asks named too.
export PEBBLE_DNS_SERVER=127.0.0.1:$NAMED_PORT
export CERTBOT_DNS_RESOLVER=127.0.0.1@$NAMED_PORT
export CERTBOT_DNS_AUTH_PORT=$NAMED_PORT
# Every order needs its challenges (pebble reuses half the valid
# authorizations by default, and a renewal would then skip the plugin;
# even at 0 it reuses one 1 time in 100: renewals use fresh_account).
export PEBBLE_AUTHZREUSE=0
require_pebble_env

# creds FILE ALG [EXTRA LINES]: a credentials INI for key-ALG (0600).
CR=$T/creds
mkdir -p "$CR"
creds() {
    local f=$1 a=$2
    shift 2
    {
        echo "dns_rfc2136_server = 127.0.0.1"
        echo "dns_rfc2136_port = $NAMED_PORT"
        echo "dns_rfc2136_name = key-$a"
        echo "dns_rfc2136_secret = $(key_secret "$a")"
        [ "$a" = md5 ] || echo "dns_rfc2136_algorithm = HMAC-${a^^}"
        for l in "$@"; do echo "$l"; done
    } >"$f"
    chmod 0600 "$f"
}

rfc() { cbn certonly --dns-rfc2136 "$@"; }
named_log_mark() { wc -l <"$NS/named.log"; }
named_log_since() { tail -n +"$(($1 + 1))" "$NS/named.log"; }

# --------------------------------------------------------- A-278, A-270
run certbot_bare --help dns-rfc2136
like "$OUT" '--dns-rfc2136-propagation-seconds' \
    "A-278 --help dns-rfc2136 shows --dns-rfc2136-propagation-seconds"
like "$(tr -s ' \n' ' ' <<<"$OUT")" \
    'propagation-seconds DNS_RFC2136_PROPAGATION_SECONDS .*\(default: 60\)' \
    "A-278 the propagation default is 60"
like "$OUT" '--dns-rfc2136-credentials' \
    "A-278 --help dns-rfc2136 shows --dns-rfc2136-credentials"
has "$(tr -s ' \n' ' ' <<<"$OUT")" "RFC 2136 credentials INI file." \
    "A-278 the credentials help text"
run certbot_bare plugins
has "$(tr -s ' \n' ' ' <<<"$OUT")" \
    "Obtain certificates using a DNS TXT record (if you are using BIND for DNS)." \
    "plugins lists dns-rfc2136 with Certbot's description"

# ------------------------------------------------ A-268: wildcard + base
creds "$CR/sha256.ini" sha256
mark=$(named_log_mark)
# Watch the records while certbot waits for propagation (4 s).  The
# core's propagation check would see them at named at once and go on, so
# this run does without it (CERTBOT_DNS_RESOLVER=none: a plain sleep).
CERTBOT_DNS_RESOLVER=none rfc --dns-rfc2136-credentials "$CR/sha256.ini" \
    --dns-rfc2136-propagation-seconds 4 \
    -d example.test -d '*.example.test' </dev/null \
    >"$T/a268.out" 2>"$T/a268.err" &
cb_pid=$!
seen=
for _ in $(seq 1 150); do
    seen=$(txt _acme-challenge.example.test)
    [ "$(wc -l <<<"$seen")" -ge 2 ] && [ -n "$seen" ] && break
    kill -0 "$cb_pid" 2>/dev/null || break
    sleep 0.1
done
wait "$cb_pid"
RC=$? OUT=$(cat "$T/a268.out") ERR=$(cat "$T/a268.err")
is "$RC" 0 "A-268 certonly --dns-rfc2136 -d example.test -d '*.example.test' exits 0" ||
    show_run
is "$(san_list "$C/live/example.test/cert.pem" | tr '\n' ' ')" \
    "*.example.test example.test " "A-268 the certificate has both names"
is "$(wc -l <<<"$seen") $(cut -d' ' -f1 <<<"$seen" | sort -u)" "2 120" \
    "A-268 during validation named serves both TXT records with TTL 120"
is "$(txt _acme-challenge.example.test)" "" \
    "A-268 the TXT records are gone afterwards"
# named's journal of example.test holds exactly this run's changes.
if command -v named-journalprint >/dev/null 2>&1; then
    jnl=$(named-journalprint "$NS/example.test.db.jnl" 2>&1)
    is "$(grep -cE '^add _acme-challenge\.example\.test\.[[:space:]]+120[[:space:]]+IN[[:space:]]+TXT' <<<"$jnl") $(grep -cE '^del _acme-challenge\.example\.test\.[[:space:]]+120[[:space:]]+IN[[:space:]]+TXT' <<<"$jnl")" \
        "2 2" "A-268 named's journal: two TXT records added with TTL 120, both deleted" ||
        diag "$jnl"
else
    skip "named-journalprint not installed"
fi
has "$OUT" "Waiting 4 seconds for DNS changes to propagate" \
    "A-270 the wait is announced with the configured seconds"
log=$(named_log_since "$mark")
like "$log" "updating zone 'example.test/IN': adding an RR at '_acme-challenge.example.test' TXT" \
    "A-268 named logs the signed UPDATE adding the record"
like "$log" "updating zone 'example.test/IN': deleting an RR at '?_acme-challenge.example.test'? TXT" \
    "A-268 named logs the UPDATE deleting the record"
# querylog flags: "-" RD off, "T" TCP, "S" would be a TSIG signature.
like "$log" "query: _acme-challenge.example.test IN SOA -T \(" \
    "A-268 zone walk: SOA for the record name over TCP, RD off, unsigned"
like "$log" "query: example.test IN SOA -T \(" \
    "A-268 zone walk: then SOA for example.test, found authoritative"
unlike "$log" "query: test IN SOA" "A-268 the walk stops at the zone"

# ------------------------------------------- A-275: renewal configuration
rc_file=$C/renewal/example.test.conf
is "$(conf_get "$rc_file" authenticator renewalparams)" dns-rfc2136 \
    "A-275 renewal conf: authenticator = dns-rfc2136"
is "$(conf_get "$rc_file" dns_rfc2136_credentials renewalparams)" \
    "$CR/sha256.ini" "A-275 renewal conf: dns_rfc2136_credentials"
is "$(conf_get "$rc_file" dns_rfc2136_propagation_seconds renewalparams)" 4 \
    "A-275 renewal conf: dns_rfc2136_propagation_seconds when given"
secret=$(key_secret sha256)
if grep -rqF -- "$secret" "$C" "$L"; then
    fail "A-275 the TSIG secret is neither copied nor logged" \
        "$(grep -rlF -- "$secret" "$C" "$L")"
else
    pass "A-275 the TSIG secret is neither copied nor logged"
fi

# ---------------------------------- A-269: sub-zone, exact rdata deleted
# A record of someone else's at the same name must survive the cleanup.
printf 'server 127.0.0.1 %s\nzone sub.example.test\nupdate add _acme-challenge.sub.example.test. 300 TXT "keep-me"\nsend\n' \
    "$NAMED_PORT" >"$T/seed.nsupdate"
nsupdate -y "hmac-sha256:key-sha256:$secret" "$T/seed.nsupdate" \
    >"$T/nsupdate.log" 2>&1 || diag "nsupdate: $(cat "$T/nsupdate.log")"
# relative path on the command line: stored absolute (A-275)
mark=$(named_log_mark)
(cd "$CR" && run rfc --dns-rfc2136-credentials sha256.ini \
    --dns-rfc2136-propagation-seconds 1 -d sub.example.test
 echo "$RC" >"$T/sub.rc")
RC=$(cat "$T/sub.rc") OUT=$(cat "$T/last.out") ERR=$(cat "$T/last.err")
is "$RC" 0 "A-269 certonly -d sub.example.test exits 0" || show_run
log=$(named_log_since "$mark")
like "$log" "updating zone 'sub.example.test/IN': adding an RR at '_acme-challenge.sub.example.test' TXT" \
    "A-269 the UPDATE targets zone sub.example.test"
unlike "$log" "updating zone 'example.test/IN'" \
    "A-269 nothing is sent to the parent zone"
# (named gives the RRset the TTL of the last addition: compare values.)
is "$(txt _acme-challenge.sub.example.test | cut -d' ' -f2)" keep-me \
    "cleanup deletes only its own TXT rdata"
has "$OUT" "Waiting 1 seconds for DNS changes to propagate" \
    "A-270 --dns-rfc2136-propagation-seconds 1 -> Waiting 1 seconds"
is "$(conf_get "$C/renewal/sub.example.test.conf" dns_rfc2136_credentials renewalparams)" \
    "$CR/sha256.ini" "A-275 a relative credentials path is saved absolute"

# -------------------------------------------------- TSIG algorithms
# HMAC-MD5 is the default (no dns_rfc2136_algorithm line); sha512 also
# signs its SOA queries.
for a in md5 sha1 sha512; do
    if [ "$a" = sha512 ]; then
        creds "$CR/$a.ini" "$a" "dns_rfc2136_sign_query = True"
    else
        creds "$CR/$a.ini" "$a"
    fi
    mark=$(named_log_mark)
    run rfc --dns-rfc2136-credentials "$CR/$a.ini" \
        --dns-rfc2136-propagation-seconds 1 -d "$a.example.test"
    is "$RC" 0 "hmac-$a: certificate for $a.example.test issued" || show_run
    like "$(named_log_since "$mark")" \
        "key-$a: updating zone 'example.test/IN': adding an RR" \
        "hmac-$a: named accepted the UPDATE signed with key-$a"
    if [ "$a" = sha512 ]; then
        like "$(named_log_since "$mark")" \
            "query: _acme-challenge.sha512.example.test IN SOA -ST \(" \
            "dns_rfc2136_sign_query = True: the SOA queries are signed"
    fi
done
# ldns (1.8.3) has no HMAC-SHA224 and misspells HMAC-SHA384: the plugin
# signs and verifies those itself (tsig.c, OpenSSL); sha384 also signs its
# SOA queries that way.
for a in sha224 sha384; do
    if [ "$a" = sha384 ]; then
        creds "$CR/$a.ini" "$a" "dns_rfc2136_sign_query = true"
    else
        creds "$CR/$a.ini" "$a"
    fi
    mark=$(named_log_mark)
    run rfc --dns-rfc2136-credentials "$CR/$a.ini" \
        --dns-rfc2136-propagation-seconds 1 -d "$a.example.test"
    is "$RC" 0 "hmac-$a: certificate for $a.example.test issued" || show_run
    log=$(named_log_since "$mark")
    like "$log" "key-$a: updating zone 'example.test/IN': adding an RR" \
        "hmac-$a: named accepted the UPDATE signed with key-$a"
    like "$log" "key-$a: updating zone 'example.test/IN': deleting an RR" \
        "hmac-$a: ...and the deleting one (its signed answer verified)"
done
like "$log" "query: _acme-challenge.sha384.example.test IN SOA -ST \(" \
    "hmac-sha384 with sign_query: named verified the signed SOA queries"
creds "$CR/wrong384.ini" sha384
sed -i 's|^dns_rfc2136_secret = .*|dns_rfc2136_secret = AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=|' \
    "$CR/wrong384.ini"
run rfc --dns-rfc2136-credentials "$CR/wrong384.ini" \
    --dns-rfc2136-propagation-seconds 1 -d wrong384.example.test
is "$RC" 1 "hmac-sha384 with a wrong secret exits 1"
has "$ERR" "Received response from server: NOTAUTH" \
    "hmac-sha384 with a wrong secret: Received response from server: NOTAUTH"

# An IPv6 literal is a valid server too (when ::1 is up).
if dig +norecurse +time=2 +tries=1 -p "$NAMED_PORT" @::1 +short SOA example.test \
        2>/dev/null | grep -q hostmaster; then
    creds "$CR/v6.ini" sha256
    sed -i 's/^dns_rfc2136_server = .*/dns_rfc2136_server = ::1/' "$CR/v6.ini"
    run rfc --dns-rfc2136-credentials "$CR/v6.ini" \
        --dns-rfc2136-propagation-seconds 1 -d v6.example.test
    is "$RC" 0 "dns_rfc2136_server = ::1: issued over IPv6" || show_run
else
    skip "named is not reachable on ::1"
fi

# --------------------------------------- A-271: missing credentials keys
new_dirs
grep -v secret "$CR/sha256.ini" >"$CR/nosecret.ini"
chmod 0600 "$CR/nosecret.ini"
run rfc --dns-rfc2136-credentials "$CR/nosecret.ini" -d x.example.test
is "$RC" 1 "A-271 missing dns_rfc2136_secret exits 1"
has_line "$ERR" "Missing property in credentials configuration file $CR/nosecret.ini:" \
    "A-271 message names the file"
has_line "$ERR" ' * Property "dns_rfc2136_secret" not found (should be TSIG key secret).' \
    "A-271 message names the key and its label"
printf 'dns_rfc2136_server = 127.0.0.1\ndns_rfc2136_name =\n' >"$CR/two.ini"
chmod 0600 "$CR/two.ini"
run rfc --dns-rfc2136-credentials "$CR/two.ini" -d x.example.test
has "$ERR" "Missing properties in credentials configuration file $CR/two.ini:
 * Property \"dns_rfc2136_name\" not set (should be TSIG key name).
 * Property \"dns_rfc2136_secret\" not found (should be TSIG key secret)." \
    "A-271 every missing key is listed (not set / not found)"
ok "A-271 no lineage" no_lineage_left

# ------------------------------- A-272: hostname server, unknown algorithm
creds "$CR/host.ini" sha256
sed -i 's/^dns_rfc2136_server = .*/dns_rfc2136_server = ns.example.com/' "$CR/host.ini"
run rfc --dns-rfc2136-credentials "$CR/host.ini" -d x.example.test
is "$RC" 1 "A-272 a hostname server exits 1"
has "$ERR" "The configured target DNS server (ns.example.com) is not a valid IPv4 or IPv6 address. A hostname is not allowed." \
    "A-272 a hostname is not allowed"
creds "$CR/foo.ini" sha256
sed -i 's/^dns_rfc2136_algorithm = .*/dns_rfc2136_algorithm = HMAC-FOO/' "$CR/foo.ini"
run rfc --dns-rfc2136-credentials "$CR/foo.ini" -d x.example.test
is "$RC" 1 "A-272 an unknown algorithm exits 1"
has "$ERR" "Unknown algorithm: HMAC-FOO." "A-272 Unknown algorithm: HMAC-FOO."

# ------------------------------------- A-273: permissions, missing, a dir
creds "$CR/open.ini" sha256
chmod 0644 "$CR/open.ini"
run rfc --dns-rfc2136-credentials "$CR/open.ini" \
    --dns-rfc2136-propagation-seconds 1 -d open.example.test
is "$RC" 0 "A-273 a 0644 credentials file still works" || show_run
has "$ERR$(cat "$L/letsencrypt.log" 2>/dev/null)" \
    "Unsafe permissions on credentials configuration file: $CR/open.ini" \
    "A-273 ...with the unsafe-permissions warning"
run rfc --dns-rfc2136-credentials "$CR/none.ini" -d x.example.test
is "$RC" 1 "A-273 a missing credentials file exits 1"
has "$ERR" "File not found: $CR/none.ini" "A-273 File not found: <path>"
run rfc --dns-rfc2136-credentials "$CR" -d x.example.test
is "$RC" 1 "A-273 a directory exits 1"
has "$ERR" "Path is a directory: $CR" "A-273 Path is a directory: <path>"

# --------------------------------------------- A-274: wrong TSIG secret
new_dirs
creds "$CR/wrong.ini" sha256
sed -i 's|^dns_rfc2136_secret = .*|dns_rfc2136_secret = AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=|' \
    "$CR/wrong.ini"
mark=$(named_log_mark)
run rfc --dns-rfc2136-credentials "$CR/wrong.ini" \
    --dns-rfc2136-propagation-seconds 1 -d wrong.example.test
is "$RC" 1 "A-274 a wrong TSIG secret exits 1"
has "$ERR" "Received response from server: NOTAUTH" \
    "A-274 Received response from server: NOTAUTH"
ok "A-274 no lineage" no_lineage_left
# One refused UPDATE for the add, one for the cleanup's delete.
is "$(named_log_since "$mark" | grep -c 'request has invalid signature')" 2 \
    "A-274 the cleanup still tried to delete the record"

# With dns_rfc2136_sign_query a wrong secret already fails the zone walk.
for a in sha256 sha384; do
    creds "$CR/wrongq-$a.ini" "$a" "dns_rfc2136_sign_query = true"
    sed -i 's|^dns_rfc2136_secret = .*|dns_rfc2136_secret = AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=|' \
        "$CR/wrongq-$a.ini"
    run rfc --dns-rfc2136-credentials "$CR/wrongq-$a.ini" \
        --dns-rfc2136-propagation-seconds 1 -d "wrongq-$a.example.test"
    is "$RC" 1 "sign_query, hmac-$a, wrong secret: exit 1"
    like "$ERR" "^Encountered error when making query: .*NOTAUTH" \
        "sign_query, hmac-$a, wrong secret: the SOA query is refused"
done

# ----------------------------------------------- A-277: no credentials
run rfc -d x.example.test
is "$RC" 1 "A-277 no --dns-rfc2136-credentials under -n exits 1"
has "$ERR" "Missing command line flag or config entry for this setting:" \
    "A-277 MissingCommandlineFlag"
has "$ERR" "Input the path to your RFC 2136 credentials INI file" \
    "A-277 ...naming the credentials prompt"
has "$ERR" "--dns-rfc2136-credentials" "A-277 ...and the flag"

# ------------------------------------- A-276: renew without credentials
new_dirs
creds "$CR/renew.ini" sha256
run rfc --dns-rfc2136-credentials "$CR/renew.ini" \
    --dns-rfc2136-propagation-seconds 1 -d renew.example.test
is "$RC" 0 "A-276 setup: lineage renew.example.test issued" || show_run
# Each renewal orders with an account that never validated
# renew.example.test: pebble creates a new authorization only when
# rand.Intn(100) > PEBBLE_AUTHZREUSE, so even at 0 it reuses the
# account's valid one 1 time in 100, and then the plugin is not called.
# With its credentials the stored lineage renews through named.
acct=$(fresh_account) || bail_out "could not register a fresh account"
mark=$(named_log_mark)
run cbn renew --force-renewal --account "$acct"
is "$RC" 0 "renew of an rfc2136 lineage with its stored credentials" ||
    show_run
like "$(named_log_since "$mark")" \
    "updating zone 'example.test/IN': adding an RR at '_acme-challenge.renew.example.test' TXT" \
    "renew: the stored plugin and credentials updated named again"
rm -f "$CR/renew.ini"
acct=$(fresh_account) || bail_out "could not register a fresh account"
run cbn renew --force-renewal --account "$acct"
is "$RC" 1 "A-276 renew with the credentials file deleted exits 1"
has "$OUT$ERR" "File not found: $CR/renew.ini" \
    "A-276 the lineage fails with File not found"
has "$OUT$ERR" "$C/live/renew.example.test/fullchain.pem (failure)" \
    "A-276 the lineage is reported as failed"

# ----------------------------------- A-270: the default wait is 60 seconds
# No need to wait a minute: stop certbot once it announced the wait.
new_dirs
rfc --dns-rfc2136-credentials "$CR/sha256.ini" -d wait.example.test \
    </dev/null >"$T/wait.out" 2>"$T/wait.err" &
cb_pid=$!
for _ in $(seq 1 300); do
    grep -q "Waiting" "$T/wait.out" && break
    kill -0 "$cb_pid" 2>/dev/null || break
    sleep 0.1
done
has "$(cat "$T/wait.out")" "Waiting 60 seconds for DNS changes to propagate" \
    "A-270 by default: Waiting 60 seconds for DNS changes to propagate"
kill -INT "$cb_pid" 2>/dev/null
for _ in $(seq 1 100); do
    kill -0 "$cb_pid" 2>/dev/null || break
    sleep 0.1
done
stop_pid "$cb_pid"

# ------------------------- [TTY] the credentials prompt (A-277's question)
# Answered with a relative path: the file is found from the working
# directory and saved absolute.
if have_script; then
    new_dirs
    TTY_ARGS=(--agree-tos --register-unsafely-without-email)
    pushd "$CR" >/dev/null || bail_out "cd $CR"
    tty_run 'sha256.ini\n' certonly --dns-rfc2136 \
        --dns-rfc2136-propagation-seconds 1 -d tty.example.test
    popd >/dev/null || bail_out "cd -"
    is "$RC" 0 "[TTY] answering the credentials prompt: exit 0" || diag "$OUT"
    has "$OUT" "Input the path to your RFC 2136 credentials INI file" \
        "[TTY] Certbot's question for the credentials file"
    is "$(conf_get "$C/renewal/tty.example.test.conf" dns_rfc2136_credentials renewalparams)" \
        "$CR/sha256.ini" "[TTY] the answered path is saved absolute"
else
    skip "[TTY] prompts need script(1)" 3
fi

done_testing
