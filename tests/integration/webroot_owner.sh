#!/bin/bash
# webroot: the directories certbot creates under the webroot get the
# webroot's owner and group, so the web server's user can read them
# (SPEC 5.3; acceptance A-245).  Needs root (chown).  A small HTTP server
# records the owner of the challenge directories at the moment the CA
# fetches the file (certbot removes them afterwards).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" = 0 ] || skip_all "not root: cannot chown the webroot"
command -v python3 >/dev/null 2>&1 || skip_all "python3 not installed"
require_pebble_env

R=$T/www
mkdir -p "$R"
chown 1234:5678 "$R"
cat >"$T/serve.py" <<'PY'
import http.server, os, sys
root, port, log = sys.argv[1], int(sys.argv[2]), sys.argv[3]
class H(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *a, **k):
        super().__init__(*a, directory=root, **k)
    def do_GET(self):
        if self.path.startswith("/.well-known/acme-challenge/"):
            with open(log, "a") as f:
                for d in (".well-known", ".well-known/acme-challenge"):
                    st = os.stat(os.path.join(root, d))
                    f.write("%s %d:%d %o\n" % (d, st.st_uid, st.st_gid, st.st_mode & 0o7777))
        super().do_GET()
http.server.ThreadingHTTPServer(("127.0.0.1", port), H).serve_forever()
PY
python3 "$T/serve.py" "$R" "$HTTP_PORT" "$T/seen" >"$T/serve.log" 2>&1 &
cleanup_pid $!
wait_http "http://127.0.0.1:$HTTP_PORT/" 100 || bail_out "test HTTP server did not start"

run cbn certonly --webroot -w "$R" -d o1.test
is "$RC" 0 "A-245 webroot issuance with a webroot owned by 1234:5678" || show_run
seen=$(sort -u "$T/seen" 2>/dev/null)
has_line "$seen" ".well-known 1234:5678 755" \
    "A-245 .well-known got the webroot's owner and group (mode 0755)" || diag "$seen"
has_line "$seen" ".well-known/acme-challenge 1234:5678 755" \
    "A-245 acme-challenge too"
ok "A-245 the created directories are removed afterwards" test ! -e "$R/.well-known"

done_testing
