#!/bin/bash
# EFF mailing-list subscription (Certbot's eff.py): the address the user
# agreed to share waits in meta.json until a command succeeded, is POSTed
# once as Certbot's form, then cleared; a dry run neither stores nor sends
# it; failures only notify.  A local HTTP server stands in for EFF's
# (CERTBOT_EFF_SUBSCRIBE_URL).  SPEC 4.12; acceptance A-178.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

command -v python3 >/dev/null 2>&1 || skip_all "python3 not installed"
require_pebble_env

free_ports 1 || bail_out "no free port"
EFF_PORT=${FREE_PORTS[0]}
cat >"$T/eff.py" <<'PY'
import http.server, sys, urllib.parse
port, log, mode = int(sys.argv[1]), sys.argv[2], sys.argv[3]
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        n = int(self.headers.get("Content-Length", 0))
        body = self.rfile.read(n).decode()
        with open(log, "a") as f:
            f.write("%s %s %s\n" % (self.path, self.headers.get("Content-Type"), body))
        ok = open(mode).read().strip()
        out = b'{"status": true}' if ok == "ok" else b'{"status": false}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)
    def do_GET(self):
        self.send_response(200); self.end_headers()
    def log_message(self, *a):
        pass
http.server.HTTPServer(("127.0.0.1", port), H).serve_forever()
PY
echo ok >"$T/mode"
python3 "$T/eff.py" "$EFF_PORT" "$T/posts" "$T/mode" >"$T/eff.log" 2>&1 &
cleanup_pid $!
wait_http "http://127.0.0.1:$EFF_PORT/" 100 || bail_out "EFF stand-in did not start"
export CERTBOT_EFF_SUBSCRIBE_URL=http://127.0.0.1:$EFF_PORT/subscribe/certbot

meta() { cat "$(find "$C/accounts" -name meta.json | head -n 1)" 2>/dev/null; }
posts() { cat "$T/posts" 2>/dev/null; }

# ------------------------------------------------ A-178: dry run
run cb -n --agree-tos -m "dry+run@example.org" --eff-email certonly \
    --standalone --dry-run -d d0.test
is "$RC" 0 "A-178 dry run with --eff-email succeeds" || show_run
hasnt "$(meta)" "register_to_eff" "A-178 the dry run stored no register_to_eff"
is "$(posts)" "" "A-178 ... and contacted no EFF URL"
hasnt "$OUT" "Subscribing to the EFF mailing list" "A-178 ... nor said so"

# ------------------------------------------------ a real issuance sends it
new_dirs
run cb -n --agree-tos -m "first+list@example.org" --eff-email certonly \
    --standalone -d d1.test
is "$RC" 0 "certonly with --eff-email succeeds" || show_run
has_line "$OUT" "Subscribing to the EFF mailing list (email: first+list@example.org)." \
    "the subscription is announced"
is "$(posts | wc -l)" 1 "one POST was sent"
is "$(posts)" "/subscribe/certbot application/x-www-form-urlencoded data_type=json&email=first%2Blist%40example.org&form_id=eff_supporters_library_subscribe_form" \
    "... Certbot's form, URL-encoded"
hasnt "$(meta)" "register_to_eff" "the pending address is cleared from meta.json"
run cbn certonly --standalone -d d2.test
is "$(posts | wc -l)" 1 "the next issuance sends nothing again"

# ------------------------------------------------ a refused address
new_dirs
: >"$T/posts"
echo bad >"$T/mode"
run cb -n --agree-tos -m "second@example.org" --eff-email certonly \
    --standalone -d d3.test
is "$RC" 0 "a refused subscription does not fail the command" || show_run
has_line "$OUT" "We were unable to subscribe you the EFF mailing list because your e-mail address appears to be invalid. You can try again later by visiting https://act.eff.org." \
    "... and says why"

# ------------------------------------------------ --no-eff-email
new_dirs
: >"$T/posts"
echo ok >"$T/mode"
run cb -n --agree-tos -m "third@example.org" --no-eff-email register
is "$RC" 0 "register --no-eff-email succeeds" || show_run
is "$(posts)" "" "--no-eff-email sends nothing"

# ------------------------------------------------ register only stores it
new_dirs
run cb -n --agree-tos -m "fourth@example.org" --eff-email register
is "$RC" 0 "register --eff-email succeeds" || show_run
is "$(posts)" "" "A-321 register never contacts EFF"
has "$(meta)" '"register_to_eff": "fourth@example.org"' "A-321 ... it keeps the address pending"
run cbn certonly --standalone -d d4.test
has "$(posts)" "email=fourth%40example.org" "the first certificate sends it"
hasnt "$(meta)" "register_to_eff" "... and clears it"

done_testing
