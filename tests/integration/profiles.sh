#!/bin/bash
# ACME profiles (SPEC 2.1 --required-profile / --preferred-profile, 4.1
# step 5 "new order (with profile if any)"; issue 3 item 8).
# pebble 2.4 has no profiles: a stub CA on loopback offers meta.profiles
# {"classic", "shortlived"}, accepts any account and records each
# newOrder payload, then refuses the order (the payload is what matters).
# automake runs us with $(SHELL), which may be a POSIX sh
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

command -v python3 >/dev/null 2>&1 || skip_all "python3 not installed"
have_certbot || skip_all "certbot under test not found: $CERTBOT"
free_ports 1 || bail_out "no free port for the stub CA"
STUB_PORT=${FREE_PORTS[0]}

profile_stub() {
    # exec: the background job is python itself, so cleanup_pid stops it
    exec python3 - "$1" "$T/orders.log" >"$T/stub.out" 2>&1 <<'PY'
import base64, http.server, json, sys
port, log_file = int(sys.argv[1]), sys.argv[2]
base = "http://127.0.0.1:%d" % port
class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass
    def send(self, code, body, extra=(), ctype="application/json"):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Replay-Nonce", "stubnonce")
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body.encode())
    def do_HEAD(self):
        self.send(200, "")
    def do_GET(self):
        if self.path == "/dir":
            self.send(200, json.dumps({
                "newNonce": base + "/nonce", "newAccount": base + "/acct",
                "newOrder": base + "/order",
                "meta": {"profiles": {"classic": "the default",
                                      "shortlived": "six days"}}}))
            return
        self.send(200, "")
    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if self.path == "/acct":
            self.send(201, '{"status": "valid"}', [("Location", base + "/acct/1")])
            return
        if self.path == "/order":
            p = body.get("payload", "")
            p += "=" * (-len(p) % 4)
            payload = base64.urlsafe_b64decode(p).decode()
            with open(log_file, "a") as f:
                f.write(payload + "\n")
            prof = json.loads(payload).get("profile")
            if prof is not None and prof not in ("classic", "shortlived"):
                self.send(400, json.dumps({
                    "type": "urn:ietf:params:acme:error:invalidProfile",
                    "detail": "profile %s is not offered" % prof}),
                    ctype="application/problem+json")
                return
            self.send(403, '{"type": "urn:ietf:params:acme:error:unauthorized", '
                      '"detail": "stub CA stops here"}', ctype="application/problem+json")
            return
        self.send(404, "{}")
http.server.HTTPServer(("127.0.0.1", port), H).serve_forever()
PY
}
profile_stub "$STUB_PORT" &
cleanup_pid $!
wait_http "http://127.0.0.1:$STUB_PORT/dir" 100 || bail_out "stub CA did not start"

new_dirs
# order_with ARGS...: certonly against the stub; ORDER = the newOrder
# payload it recorded (empty when none)
order_with() {
    : >"$T/orders.log"
    run certbot_bare certonly -n --agree-tos --register-unsafely-without-email \
        --server "http://127.0.0.1:$STUB_PORT/dir" \
        --config-dir "$C" --work-dir "$W" --logs-dir "$L" \
        --standalone -d p1.test "$@"
    ORDER=$(cat "$T/orders.log")
}

order_with
has "$ORDER" '"identifiers"' "SPEC 2.1 profiles: the stub recorded a newOrder" || show_run
hasnt "$ORDER" '"profile"' "SPEC 2.1 profiles: no flag, no profile in the order"

order_with --required-profile shortlived
like "$ORDER" '"profile": ?"shortlived"' "SPEC 2.1 --required-profile is sent in the order"

order_with --preferred-profile shortlived
like "$ORDER" '"profile": ?"shortlived"' "SPEC 2.1 --preferred-profile offered by the CA is sent"

order_with --preferred-profile nosuch
has "$ORDER" '"identifiers"' "SPEC 2.1 --preferred-profile not offered: the order is still made"
hasnt "$ORDER" '"profile"' "SPEC 2.1 --preferred-profile not offered: the CA's default (no profile)"
like "$(cat "$L/letsencrypt.log")" "Preferred profile nosuch is not offered" \
    "SPEC 2.1 --preferred-profile not offered: logged"

# Bad input: a required profile the CA does not offer is sent anyway
# (Certbot leaves the decision to the CA) and the CA's refusal becomes one
# clear error line; nothing is written.
order_with --required-profile nosuch
like "$ORDER" '"profile": ?"nosuch"' "SPEC 2.1 --required-profile not offered: still sent"
is "$RC" 1 "SPEC 2.1 --required-profile not offered: exit 1"
like "$ERR" 'invalidProfile :: profile nosuch is not offered' \
    "SPEC 2.1 --required-profile not offered: the CA's type and detail in one line"
ok "SPEC 2.1 --required-profile not offered: no lineage or renewal conf" \
    test ! -e "$C/live/p1.test" -a ! -e "$C/renewal/p1.test.conf"

done_testing
