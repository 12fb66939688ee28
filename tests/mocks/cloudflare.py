#!/usr/bin/env python3
"""Mock of the Cloudflare v4 API calls the dns-cloudflare plugin makes.

Served under /client/v4 (point CERTBOT_DNS_CLOUDFLARE_API_URL at
https://127.0.0.1:<port>/client/v4):

  GET    /zones?name=&page=&per_page=             zone lookup (paged)
  GET    /zones/:id/dns_records?type=&name=&content=&page=&per_page=
  POST   /zones/:id/dns_records  {"type","name","content","ttl"}
  DELETE /zones/:id/dns_records/:rid

Every answer is Cloudflare's envelope {"success", "errors", "messages",
"result"[, "result_info"]}.  Authentication follows the API: either
"Authorization: Bearer <token>" (--token) or "X-Auth-Email" plus
"X-Auth-Key" (--email/--api-key).  A wrong token gets 401 with code 10000,
a wrong email/key 403 with code 9103, no credentials 400 with code 6003.

Failure modes (mode file): "429" (code 971, rate limited), "500" (a
non-JSON error page, as Cloudflare's edge sends), optionally limited to
one method: "500:DELETE".

State file: {"zones": [...], "records": {zone_id: [...]}, "created": [...
every POST body accepted ...], "deleted": [... records removed ...]}.
Records created or deleted are pushed to pebble-challtestsrv so pebble's
resolver answers with exactly the TXT values the mock holds.
"""

import sys
import uuid

import mockutil


def envelope(result, result_info=None):
    out = {"success": True, "errors": [], "messages": [], "result": result}
    if result_info is not None:
        out["result_info"] = result_info
    return out


def failure(code, message):
    return {"success": False, "errors": [{"code": code, "message": message}],
            "messages": [], "result": None}


class Handler(mockutil.BaseHandler):
    PREFIX = "/client/v4"

    def auth(self):
        """(scheme, ok, status, body) for the request's credentials."""
        a = self.ctx.args
        authz = self.headers.get("Authorization")
        email = self.headers.get("X-Auth-Email")
        key = self.headers.get("X-Auth-Key")
        if authz is not None:
            ok = a.token is not None and authz == "Bearer " + a.token
            return ("bearer", ok, 401,
                    failure(10000, "Authentication error"))
        if email is not None or key is not None:
            ok = (a.email is not None and email == a.email and
                  key == a.api_key)
            return ("global", ok, 403,
                    failure(9103, "Unknown X-Auth-Key or X-Auth-Email"))
        return ("none", False, 400, failure(6003, "Invalid request headers"))

    def handle_any(self):
        path, query = self.split()
        raw = self.read_body()
        body = self.read_json(raw) if raw else None
        scheme, ok, st, err = self.auth()
        status, obj, text = self.route(path, query, body, scheme, ok, st, err)
        self.log_request_entry(path, query, body, scheme, status)
        if text is not None:
            data = text.encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        else:
            self.send_json(status, obj)

    do_GET = do_POST = do_DELETE = do_PUT = do_PATCH = handle_any

    def failure_mode(self):
        mode = self.mode()
        if not mode:
            return None
        what, _, method = mode.partition(":")
        if method and method != self.command:
            return None
        if what == "429":
            return (429, failure(971, "Please wait and consider throttling "
                                      "your request speed"), None)
        if what == "500":
            return (500, None, "<html><body><h1>500 Internal Server Error"
                               "</h1></body></html>")
        return None

    def route(self, path, query, body, scheme, ok, st, err):
        if not path.startswith(self.PREFIX + "/"):
            return 404, failure(7000, "No route for that URI"), None
        fm = self.failure_mode()
        if fm:
            return fm
        if not ok:
            return st, err, None
        parts = path[len(self.PREFIX) + 1:].split("/")
        state = self.ctx.state
        with state.lock:
            if parts == ["zones"] and self.command == "GET":
                return self.list_zones(query)
            if len(parts) >= 3 and parts[0] == "zones" and \
                    parts[2] == "dns_records":
                zone = next((z for z in state.data["zones"]
                             if z["id"] == parts[1]), None)
                if zone is None:
                    return 404, failure(
                        7003, "Could not route to %s, perhaps your object "
                        "identifier is invalid?" % path), None
                if len(parts) == 3 and self.command == "GET":
                    return self.list_records(zone, query)
                if len(parts) == 3 and self.command == "POST":
                    return self.create_record(zone, body)
                if len(parts) == 4 and self.command == "DELETE":
                    return self.delete_record(zone, parts[3])
        return 405, failure(10405, "Method not allowed for this route"), None

    def paged(self, items, query):
        a = self.ctx.args
        sl, page, per_page, total_pages = mockutil.paginate(
            items, query.get("page"), query.get("per_page"),
            a.per_page_max, default=20)
        info = {"page": page, "per_page": per_page, "count": len(sl),
                "total_count": len(items), "total_pages": total_pages}
        return 200, envelope(sl, info), None

    def list_zones(self, query):
        zones = self.ctx.state.data["zones"]
        if "name" in query:
            zones = [z for z in zones if z["name"] == query["name"]]
        return self.paged(zones, query)

    def list_records(self, zone, query):
        recs = self.ctx.state.data["records"].get(zone["id"], [])
        for k in ("type", "name", "content"):
            if k in query:
                recs = [r for r in recs if r[k] == query[k]]
        return self.paged(recs, query)

    def push(self, zone, name):
        recs = self.ctx.state.data["records"].get(zone["id"], [])
        self.ctx.cts.set_txt(name, [r["content"] for r in recs
                                    if r["type"] == "TXT" and
                                    r["name"] == name])

    def create_record(self, zone, body):
        if not isinstance(body, dict):
            return 400, failure(9207, "Request body is invalid."), None
        missing = [k for k in ("type", "name", "content") if k not in body]
        if missing:
            return 400, failure(9005, "Missing %s" % missing[0]), None
        name = body["name"].rstrip(".")
        if name != zone["name"] and not name.endswith("." + zone["name"]):
            return 400, failure(9007, "DNS record name is not in the zone"), \
                None
        ttl = body.get("ttl", 1)
        if not isinstance(ttl, int) or (ttl != 1 and not 30 <= ttl <= 86400):
            return 400, failure(9021, "Invalid TTL. Must be between 30 and "
                                      "86400 seconds, or 1 for Automatic"), \
                None
        recs = self.ctx.state.data["records"].setdefault(zone["id"], [])
        if any(r["type"] == body["type"] and r["name"] == name and
               r["content"] == body["content"] for r in recs):
            return 400, failure(81058, "An identical record already "
                                       "exists."), None
        rec = {"id": uuid.uuid4().hex, "type": body["type"], "name": name,
               "content": body["content"], "ttl": ttl,
               "zone_id": zone["id"], "zone_name": zone["name"]}
        recs.append(rec)
        self.ctx.state.data["created"].append(dict(body))
        self.ctx.state.save()
        if rec["type"] == "TXT":
            self.push(zone, name)
        return 200, envelope(rec), None

    def delete_record(self, zone, rid):
        recs = self.ctx.state.data["records"].get(zone["id"], [])
        rec = next((r for r in recs if r["id"] == rid), None)
        if rec is None:
            return 404, failure(81044, "Record does not exist."), None
        recs.remove(rec)
        self.ctx.state.data["deleted"].append(rec)
        self.ctx.state.save()
        if rec["type"] == "TXT":
            self.push(zone, rec["name"])
        return 200, envelope({"id": rid}), None


def main():
    p = mockutil.common_args(__doc__.splitlines()[0])
    p.add_argument("--token", help="the valid API token")
    p.add_argument("--email", help="the valid account email")
    p.add_argument("--api-key", help="the valid Global API Key")
    p.add_argument("--zone", action="append", default=[],
                   help="a zone of the account (repeatable)")
    p.add_argument("--decoy-zones", type=int, default=0,
                   help="extra zones named decoyN.example")
    p.add_argument("--seed-txt", action="append", default=[],
                   metavar="NAME=VALUE",
                   help="a TXT record that exists before the test")
    args = p.parse_args()
    zones = [{"id": uuid.uuid4().hex, "name": "decoy%d.example" % i,
              "status": "active"} for i in range(args.decoy_zones)]
    zones += [{"id": uuid.uuid4().hex, "name": z, "status": "active"}
              for z in args.zone]
    records = {}
    for seed in args.seed_txt:
        name, _, value = seed.partition("=")
        zone = next(z for z in zones
                    if name == z["name"] or name.endswith("." + z["name"]))
        records.setdefault(zone["id"], []).append(
            {"id": uuid.uuid4().hex, "type": "TXT", "name": name,
             "content": value, "ttl": 120, "zone_id": zone["id"],
             "zone_name": zone["name"]})
    state = {"zones": zones, "records": records, "created": [],
             "deleted": []}
    return mockutil.run(args, Handler, state)


if __name__ == "__main__":
    sys.exit(main())
