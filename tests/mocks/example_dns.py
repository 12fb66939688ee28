#!/usr/bin/env python3
"""Mock of the imaginary "Example DNS" API that examples/dns-example uses.

  POST   <prefix>/records  {"type":"TXT","name":...,"content":...}  -> 201
  DELETE <prefix>/records  (same body)                              -> 204

Authenticated with "Authorization: Bearer <--token>": anything else gets
401 {"error": "bad token"}.  A DELETE of a record that does not exist gets
404.  The TXT values of each name are pushed to pebble-challtestsrv, so
pebble's resolver sees exactly what the mock holds.

State file: {"records": {name: [values]}, "created": [...bodies...],
"deleted": [...bodies...]}.  Failure mode (mode file) "500": every call
answers 500.
"""

import sys

import mockutil


class Handler(mockutil.BaseHandler):
    def handle_any(self):
        path, query = self.split()
        body = self.read_json(self.read_body())
        auth = self.headers.get("Authorization", "")
        scheme = "bearer" if auth.startswith("Bearer ") else "none"
        status, obj = self.route(path, body, auth)
        self.log_request_entry(path, query, body, scheme, status)
        if status == 204:
            self.send_response(204)
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self.send_json(status, obj)

    do_GET = do_POST = do_DELETE = do_PUT = handle_any

    def route(self, path, body, auth):
        if self.mode() == "500":
            return 500, {"error": "internal error"}
        if auth != "Bearer " + self.ctx.args.token:
            return 401, {"error": "bad token"}
        if path != self.ctx.args.prefix + "/records" or \
                self.command not in ("POST", "DELETE"):
            return 404, {"error": "no such endpoint"}
        if not isinstance(body, dict) or body.get("type") != "TXT" or \
                not body.get("name") or not body.get("content"):
            return 400, {"error": "need type TXT, name and content"}
        st = self.ctx.state.data
        with self.ctx.state.lock:
            values = st["records"].setdefault(body["name"], [])
            if self.command == "POST":
                values.append(body["content"])
                st["created"].append(body)
                status = 201
            elif body["content"] in values:
                values.remove(body["content"])
                st["deleted"].append(body)
                status = 204
            else:
                return 404, {"error": "no such record"}
            if not values:
                del st["records"][body["name"]]
            self.ctx.state.save()
            self.ctx.cts.set_txt(body["name"], values)
        return status, {"ok": True}


def main():
    p = mockutil.common_args(__doc__.splitlines()[0])
    p.add_argument("--token", required=True, help="the valid API token")
    p.add_argument("--prefix", default="/v1", help="path of the API root")
    args = p.parse_args()
    state = {"records": {}, "created": [], "deleted": []}
    return mockutil.run(args, Handler, state)


if __name__ == "__main__":
    sys.exit(main())
