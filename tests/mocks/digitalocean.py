#!/usr/bin/env python3
"""Mock of the DigitalOcean v2 API calls the dns-digitalocean plugin makes.

Served under /v2 (point CERTBOT_DNS_DIGITALOCEAN_API_URL at
https://127.0.0.1:<port>/v2):

  GET    /domains?page=&per_page=                     (paged)
  GET    /domains/:name/records?page=&per_page=[&type=&name=]   (paged)
  POST   /domains/:name/records  {"type","name","data","ttl"}  -> 201
  DELETE /domains/:name/records/:id                            -> 204

Lists carry DigitalOcean's "links": {"pages": {"first", "prev", "next",
"last"}} (next only when there is a next page) and "meta": {"total"}.
Errors are {"id": ..., "message": ...}; a wrong or missing Bearer token
gets 401 {"id": "Unauthorized", "message": "Unable to authenticate you"}.

Failure modes (mode file): "429" (too_many_requests), "500"
(server_error), optionally limited to one method: "500:DELETE".

State file: {"domains": [...], "records": {domain: [...]}, "created": [...
every POST body accepted ...], "deleted": [... records removed ...]}.
TXT records created or deleted are pushed to pebble-challtestsrv so
pebble's resolver answers with exactly the values the mock holds.
"""

import itertools
import sys
import urllib.parse

import mockutil

_ids = itertools.count(1000)


def error(ident, message):
    return {"id": ident, "message": message}


class Handler(mockutil.BaseHandler):
    PREFIX = "/v2"

    def handle_any(self):
        path, query = self.split()
        raw = self.read_body()
        body = self.read_json(raw) if raw else None
        authz = self.headers.get("Authorization")
        scheme = "bearer" if authz and authz.startswith("Bearer ") else \
            ("other" if authz else "none")
        status, obj = self.route(path, query, body, authz)
        self.log_request_entry(path, query, body, scheme, status)
        if obj is None:
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self.send_json(status, obj)

    do_GET = do_POST = do_DELETE = do_PUT = do_PATCH = handle_any

    def failure_mode(self):
        what, _, method = self.mode().partition(":")
        if method and method != self.command:
            return None
        if what == "429":
            return 429, error("too_many_requests", "API Rate limit exceeded.")
        if what == "500":
            return 500, error("server_error",
                              "Server was unable to give you a response.")
        return None

    def route(self, path, query, body, authz):
        if not path.startswith(self.PREFIX + "/"):
            return 404, error("not_found", "The resource you were accessing "
                                           "could not be found.")
        fm = self.failure_mode()
        if fm:
            return fm
        if authz != "Bearer " + self.ctx.args.token:
            return 401, error("Unauthorized", "Unable to authenticate you")
        parts = path[len(self.PREFIX) + 1:].split("/")
        state = self.ctx.state
        with state.lock:
            if parts == ["domains"] and self.command == "GET":
                return self.paged("domains", state.data["domains"], path,
                                  query)
            if len(parts) >= 3 and parts[0] == "domains" and \
                    parts[2] == "records":
                dom = parts[1]
                if dom not in state.data["records"]:
                    return 404, error("not_found", "The resource you were "
                                      "accessing could not be found.")
                if len(parts) == 3 and self.command == "GET":
                    recs = state.data["records"][dom]
                    if "type" in query:
                        recs = [r for r in recs if r["type"] == query["type"]]
                    if "name" in query:  # the filter takes the full name
                        recs = [r for r in recs
                                if self.fqdn(dom, r["name"]) == query["name"]]
                    return self.paged("domain_records", recs, path, query)
                if len(parts) == 3 and self.command == "POST":
                    return self.create(dom, body)
                if len(parts) == 4 and self.command == "DELETE":
                    return self.delete(dom, parts[3])
        return 404, error("not_found", "The resource you were accessing "
                                       "could not be found.")

    @staticmethod
    def fqdn(dom, name):
        return dom if name == "@" else name + "." + dom

    def paged(self, key, items, path, query):
        a = self.ctx.args
        sl, page, per_page, total_pages = mockutil.paginate(
            items, query.get("page"), query.get("per_page"),
            a.per_page_max, default=20)
        base = "https://127.0.0.1:%d%s" % (a.port, path)

        def link(p):
            q = dict(query, page=str(p), per_page=str(per_page))
            return base + "?" + urllib.parse.urlencode(q)

        pages = {}
        if page > 1:
            pages["first"] = link(1)
            pages["prev"] = link(page - 1)
        if page < total_pages:
            pages["next"] = link(page + 1)
            pages["last"] = link(total_pages)
        return 200, {key: sl, "links": {"pages": pages},
                     "meta": {"total": len(items)}}

    def push(self, dom, name):
        recs = self.ctx.state.data["records"][dom]
        self.ctx.cts.set_txt(self.fqdn(dom, name),
                             [r["data"] for r in recs
                              if r["type"] == "TXT" and r["name"] == name])

    def create(self, dom, body):
        if not isinstance(body, dict) or not body.get("type"):
            return 422, error("unprocessable_entity",
                              "Type is not a valid record type.")
        if body.get("data") is None or body.get("name") is None:
            return 422, error("unprocessable_entity",
                              "Name and data are required.")
        name = body["name"]
        if name.endswith("." + dom) or name.endswith("."):
            # a full name would become name.dom.dom at DigitalOcean
            return 422, error("unprocessable_entity", "Name should be "
                              "relative to the domain in this mock.")
        ttl = body.get("ttl", 1800)
        if not isinstance(ttl, int) or ttl < 30:
            return 422, error("unprocessable_entity",
                              "TTL must be at least 30.")
        rec = {"id": next(_ids), "type": body["type"], "name": name,
               "data": body["data"], "priority": None, "port": None,
               "ttl": ttl, "weight": None, "flags": None, "tag": None}
        self.ctx.state.data["records"][dom].append(rec)
        self.ctx.state.data["created"].append(dict(body))
        self.ctx.state.save()
        if rec["type"] == "TXT":
            self.push(dom, name)
        return 201, {"domain_record": rec}

    def delete(self, dom, rid):
        recs = self.ctx.state.data["records"][dom]
        rec = next((r for r in recs if str(r["id"]) == rid), None)
        if rec is None:
            return 404, error("not_found", "The resource you were accessing "
                                           "could not be found.")
        recs.remove(rec)
        self.ctx.state.data["deleted"].append(rec)
        self.ctx.state.save()
        if rec["type"] == "TXT":
            self.push(dom, rec["name"])
        return 204, None


def main():
    p = mockutil.common_args(__doc__.splitlines()[0])
    p.add_argument("--token", required=True, help="the valid API token")
    p.add_argument("--zone", action="append", default=[],
                   help="a domain of the account (repeatable)")
    p.add_argument("--decoy-zones", type=int, default=0,
                   help="extra domains named decoyN.example")
    p.add_argument("--filler-records", type=int, default=0,
                   help="extra A records in each --zone (to page through)")
    args = p.parse_args()
    names = ["decoy%d.example" % i for i in range(args.decoy_zones)]
    names += args.zone
    domains = [{"name": n, "ttl": 1800, "zone_file": ""} for n in names]
    records = {}
    for n in names:
        recs = [{"id": next(_ids), "type": "NS", "name": "@",
                 "data": "ns%d.digitalocean.com" % i, "priority": None,
                 "port": None, "ttl": 1800, "weight": None, "flags": None,
                 "tag": None} for i in (1, 2, 3)]
        if n in args.zone:
            recs += [{"id": next(_ids), "type": "A", "name": "host%d" % i,
                      "data": "192.0.2.%d" % (i % 250 + 1), "priority": None,
                      "port": None, "ttl": 1800, "weight": None,
                      "flags": None, "tag": None}
                     for i in range(args.filler_records)]
        records[n] = recs
    state = {"domains": domains, "records": records, "created": [],
             "deleted": []}
    return mockutil.run(args, Handler, state)


if __name__ == "__main__":
    sys.exit(main())
