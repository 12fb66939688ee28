"""Shared plumbing for the DNS provider API mocks of the integration tests.

Each mock (cloudflare.py, digitalocean.py, ...) is a small HTTPS server,
Python 3 stdlib only, that answers the few provider API calls a plugin
makes.  This module gives them the parts that do not depend on the
provider:

  MockServer        ThreadingHTTPServer on 127.0.0.1:<port> wrapped in TLS
                    with a given cert/key (a self-signed cert the test made
                    with openssl and trusts through REQUESTS_CA_BUNDLE).
  State             the mock's data (zones, records, counters) kept in
                    memory and mirrored to a JSON state file after every
                    change, so the test can assert on it with jq/python.
  RequestLog        one JSON line per request (method, path, query, parsed
                    body, which auth scheme was used -- never the secret).
  Challtestsrv      pushes TXT records to pebble-challtestsrv's management
                    API (/set-txt, /clear-txt) so pebble's resolver really
                    sees what the plugin created and dns-01 validates.
  BaseHandler       BaseHTTPRequestHandler with send_json/read_json, the
                    request log and a switchable failure mode.
  paginate          page/per_page slicing with a small maximum page size,
                    so tests make the plugin walk several pages.
  common_args/run   argv parsing and the main loop shared by every mock.

Failure modes: the test writes a word to the file given by --mode-file and
every following request sees it (BaseHandler.mode()); "" or a missing file
means normal operation.  The mocks understand at least "429" and "500"
(every API call answers that status with the provider's error body).

Lifecycle: a mock writes "listening <port>" to --ready-file once it
accepts connections, and exits cleanly on SIGTERM (the test stops it by
PID with lib.sh's cleanup_pid).

Typical use in a test (bash):
    python3 "$top_srcdir/tests/mocks/cloudflare.py" --port "$P" \\
        --cert "$T/mock.crt" --key "$T/mock.key" --state "$T/cf.json" \\
        --log "$T/cf.log" --mode-file "$T/cf.mode" \\
        --challtestsrv "$CHALLTESTSRV_MGMT" --ready-file "$T/cf.ready" &
    cleanup_pid $!
"""

import argparse
import json
import os
import signal
import ssl
import sys
import threading
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class State:
    """In-memory dict mirrored to a JSON file (written atomically)."""

    def __init__(self, path, initial):
        self.path = path
        self.lock = threading.RLock()
        self.data = initial
        self.save()

    def save(self):
        with self.lock:
            if not self.path:
                return
            tmp = self.path + ".tmp"
            with open(tmp, "w", encoding="utf-8") as f:
                json.dump(self.data, f, indent=1, sort_keys=True)
                f.write("\n")
            os.replace(tmp, self.path)


class RequestLog:
    """Append-only JSON-lines log of the requests a mock served."""

    def __init__(self, path):
        self.path = path
        self.lock = threading.Lock()

    def add(self, entry):
        if not self.path:
            return
        with self.lock, open(self.path, "a", encoding="utf-8") as f:
            f.write(json.dumps(entry, sort_keys=True) + "\n")


class Challtestsrv:
    """pebble-challtestsrv management API client (no-op without a URL)."""

    def __init__(self, url):
        self.url = (url or "").rstrip("/")

    def _post(self, path, obj):
        if not self.url:
            return
        req = urllib.request.Request(
            self.url + path, data=json.dumps(obj).encode(),
            headers={"Content-Type": "application/json"}, method="POST")
        with urllib.request.urlopen(req, timeout=5) as r:
            r.read()

    @staticmethod
    def _fqdn(name):
        return name if name.endswith(".") else name + "."

    def set_txt(self, name, values):
        """Make name's TXT set exactly `values` (challtestsrv keeps a list
        per host; clear first, then add each)."""
        host = self._fqdn(name)
        self._post("/clear-txt", {"host": host})
        for v in values:
            self._post("/set-txt", {"host": host, "value": v})


def paginate(items, page, per_page, per_page_max, default=20):
    """Slice items the way paged REST APIs do.  page/per_page are the
    query strings (or None); per_page is capped at per_page_max.  Returns
    (slice, page, per_page, total_pages)."""
    try:
        page = max(1, int(page))
    except (TypeError, ValueError):
        page = 1
    try:
        per_page = int(per_page)
    except (TypeError, ValueError):
        per_page = default
    per_page = max(1, min(per_page, per_page_max))
    total_pages = max(1, (len(items) + per_page - 1) // per_page)
    start = (page - 1) * per_page
    return items[start:start + per_page], page, per_page, total_pages


class MockServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port, cert, key, handler, ctx):
        super().__init__(("127.0.0.1", port), handler)
        self.ctx = ctx
        sslctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        sslctx.load_cert_chain(cert, key)
        self.socket = sslctx.wrap_socket(self.socket, server_side=True)


class BaseHandler(BaseHTTPRequestHandler):
    """Helpers for provider handlers; self.server.ctx is the mock's
    context object (has .state, .log, .cts, .args)."""

    protocol_version = "HTTP/1.1"

    @property
    def ctx(self):
        return self.server.ctx

    def log_message(self, fmt, *a):  # keep stderr quiet; RequestLog has it
        pass

    def mode(self):
        path = self.ctx.args.mode_file
        try:
            with open(path, encoding="utf-8") as f:
                return f.read().strip()
        except (OSError, TypeError):
            return ""

    def split(self):
        u = urllib.parse.urlsplit(self.path)
        q = {k: v[-1] for k, v in urllib.parse.parse_qs(
            u.query, keep_blank_values=True).items()}
        return u.path, q

    def read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n > 0 else b""

    def read_json(self, raw):
        try:
            return json.loads(raw.decode() or "null")
        except (ValueError, UnicodeDecodeError):
            return None

    def send_json(self, status, obj, extra_headers=None):
        body = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra_headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def log_request_entry(self, path, query, body, auth, status):
        self.ctx.log.add({"method": self.command, "path": path,
                          "query": query, "body": body, "auth": auth,
                          "status": status})


class Context:
    def __init__(self, args, initial_state):
        self.args = args
        self.state = State(args.state, initial_state)
        self.log = RequestLog(args.log)
        self.cts = Challtestsrv(args.challtestsrv)


def common_args(description):
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--cert", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--state", help="JSON state file (rewritten on change)")
    p.add_argument("--log", help="JSON-lines request log")
    p.add_argument("--mode-file", help="file holding the failure mode")
    p.add_argument("--ready-file", help="written once listening")
    p.add_argument("--challtestsrv",
                   default=os.environ.get("CHALLTESTSRV_MGMT", ""),
                   help="pebble-challtestsrv management URL")
    p.add_argument("--per-page-max", type=int, default=100,
                   help="largest page the API hands out (small in tests)")
    return p


def run(args, handler, initial_state):
    ctx = Context(args, initial_state)
    srv = MockServer(args.port, args.cert, args.key, handler, ctx)

    def stop(*_):
        # shutdown() waits for serve_forever, so it runs on another thread
        threading.Thread(target=srv.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if args.ready_file:
        with open(args.ready_file, "w", encoding="utf-8") as f:
            f.write("listening %d\n" % args.port)
    try:
        srv.serve_forever(poll_interval=0.2)
    finally:
        srv.server_close()
    return 0


if __name__ == "__main__":
    sys.exit("mockutil.py is a library for the provider mocks")
