#!/usr/bin/env python3
"""Mock of the AWS Route 53 API calls the dns-route53 plugin makes.

REST/XML, API version 2013-04-01 (point AWS_ENDPOINT_URL_ROUTE_53 at
https://127.0.0.1:<port>):

  GET  /2013-04-01/hostedzone?marker=&maxitems=   ListHostedZones (paged)
  POST /2013-04-01/hostedzone/<id>/rrset/         ChangeResourceRecordSets
  GET  /2013-04-01/change/<id>                    GetChange

Every request must carry a valid AWS Signature Version 4 for service
route53, region us-east-1, made with --access-key/--secret-key (and
--session-token when given): the mock recomputes the signature from the
request it received.  A wrong secret gets 403 SignatureDoesNotMatch, an
unknown access key or session token 403 InvalidClientTokenId, in Route
53's <ErrorResponse><Error><Code>..</Code><Message>..</Message> form.

ListHostedZones hands out at most --per-page-max zones per page
(Marker/NextMarker/IsTruncated).  --zone NAME adds a public zone, --zone
NAME:private a private one; --decoy-zones N adds unrelated zones in front.

A change is PENDING for --pending-polls GetChange calls, then INSYNC.
Changes follow Route 53's rules: UPSERT replaces the whole TXT set; DELETE
must name the set exactly as it is (else 400 InvalidChangeBatch).  Every
accepted change batch is appended to the state's "changes"; the current
sets are in "records" ({zone_id: {name: {"ttl", "values"}}}) and are
pushed to pebble-challtestsrv, so pebble's resolver sees them.

Failure modes (mode file): "500" (an InternalFailure ErrorResponse),
"500text" (a non-XML error page), "pending" (changes never get INSYNC).
"""

import datetime
import hashlib
import hmac
import sys
import threading
import urllib.parse
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape

import mockutil

NS = "https://route53.amazonaws.com/doc/2013-04-01/"
PREFIX = "/2013-04-01"


def aws_quote(s):
    return urllib.parse.quote(s, safe="-_.~")


def error_xml(code, message, kind="Sender"):
    return ('<?xml version="1.0"?>\n<ErrorResponse xmlns="%s"><Error>'
            "<Type>%s</Type><Code>%s</Code><Message>%s</Message></Error>"
            "<RequestId>mock-request</RequestId></ErrorResponse>"
            % (NS, kind, escape(code), escape(message)))


def invalid_batch(message):
    return ('<?xml version="1.0"?>\n<InvalidChangeBatch xmlns="%s">'
            "<Messages><Message>%s</Message></Messages>"
            "<RequestId>mock-request</RequestId></InvalidChangeBatch>"
            % (NS, escape(message)))


class Handler(mockutil.BaseHandler):
    lock = threading.Lock()

    # ------------------------------------------------------------ SigV4
    def check_signature(self, raw_path, raw_query, body):
        """None when the request is signed right, else (status, xml)."""
        a = self.ctx.args
        authz = self.headers.get("Authorization", "")
        if not authz.startswith("AWS4-HMAC-SHA256 "):
            return 403, error_xml("MissingAuthenticationToken",
                                  "Missing Authentication Token")
        fields = {}
        for part in authz[len("AWS4-HMAC-SHA256 "):].split(","):
            k, _, v = part.strip().partition("=")
            fields[k] = v
        cred = fields.get("Credential", "").split("/")
        signed = fields.get("SignedHeaders", "")
        if len(cred) != 5 or cred[4] != "aws4_request" or not signed:
            return 400, error_xml("IncompleteSignature",
                                  "Authorization header is malformed")
        ak, date, region, service = cred[:4]
        if ak != a.access_key:
            return 403, error_xml(
                "InvalidClientTokenId",
                "The security token included in the request is invalid.")
        if (a.session_token is not None and
                self.headers.get("X-Amz-Security-Token") != a.session_token):
            return 403, error_xml(
                "InvalidClientTokenId",
                "The security token included in the request is invalid.")
        if region != "us-east-1" or service != "route53":
            return 403, error_xml(
                "SignatureDoesNotMatch",
                "Credential should be scoped to a valid region and service "
                "(got %s/%s)" % (region, service))
        amz_date = self.headers.get("X-Amz-Date", "")
        names = signed.split(";")
        if "host" not in names or "x-amz-date" not in names or \
                not amz_date.startswith(date):
            return 403, error_xml("SignatureDoesNotMatch",
                                  "host and x-amz-date must be signed")
        if (a.session_token is not None and
                "x-amz-security-token" not in names):
            return 403, error_xml("SignatureDoesNotMatch",
                                  "x-amz-security-token must be signed")
        # The canonical request, rebuilt from what arrived.
        params = urllib.parse.parse_qsl(raw_query, keep_blank_values=True)
        query = "&".join("%s=%s" % (aws_quote(k), aws_quote(v))
                         for k, v in sorted(params))
        headers = "".join(
            "%s:%s\n" % (n, " ".join((self.headers.get(n) or "").split()))
            for n in names)
        creq = "\n".join([
            self.command,
            urllib.parse.quote(raw_path, safe="/-_.~"),
            query, headers, signed, hashlib.sha256(body).hexdigest()])
        scope = "%s/%s/%s/aws4_request" % (date, region, service)
        sts = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope,
                         hashlib.sha256(creq.encode()).hexdigest()])

        def h(key, msg):
            return hmac.new(key, msg.encode(), hashlib.sha256).digest()

        k = h(("AWS4" + a.secret_key).encode(), date)
        for part in (region, service, "aws4_request"):
            k = h(k, part)
        want = hmac.new(k, sts.encode(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(want, fields.get("Signature", "")):
            return 403, error_xml(
                "SignatureDoesNotMatch",
                "The request signature we calculated does not match the "
                "signature you provided. Check your AWS Secret Access Key "
                "and signing method. Consult the service documentation for "
                "details.")
        return None

    # ------------------------------------------------------------ dispatch
    def handle_any(self):
        u = urllib.parse.urlsplit(self.path)
        path, query = u.path, dict(urllib.parse.parse_qsl(u.query))
        body = self.read_body()
        status, text = self.route(u.path, u.query, query, body)
        self.log_request_entry(path, query, body.decode(errors="replace"),
                               "sigv4", status)
        data = text.encode()
        self.send_response(status)
        ctype = "text/html" if text.startswith("<html") else "text/xml"
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_DELETE = handle_any

    def route(self, path, raw_query, query, body):
        mode = self.mode()
        if mode == "500":
            return 500, error_xml("InternalFailure",
                                  "The request processing has failed "
                                  "because of an unknown error.", "Receiver")
        if mode == "500text":
            return 500, "<html><body>Internal Server Error</body></html>"
        bad = self.check_signature(path, raw_query, body)
        if bad:
            return bad
        parts = path.split("/")
        with self.lock:
            if self.command == "GET" and path == PREFIX + "/hostedzone":
                return self.list_zones(query)
            if (self.command == "POST" and len(parts) == 6 and
                    path.startswith(PREFIX + "/hostedzone/") and
                    parts[4] == "rrset"):
                return self.change(parts[3], body)
            if (self.command == "GET" and len(parts) == 4 and
                    path.startswith(PREFIX + "/change/")):
                return self.get_change(parts[3], mode)
        return 404, error_xml("UnknownOperationException",
                              "no such operation: %s %s"
                              % (self.command, path))

    # ------------------------------------------------------------ calls
    def list_zones(self, query):
        zones = self.ctx.state.data["zones"]
        per = min(int(query.get("maxitems") or 100),
                  self.ctx.args.per_page_max)
        start = 0
        if query.get("marker"):
            ids = [z["id"] for z in zones]
            if query["marker"] not in ids:
                return 400, error_xml("InvalidInput", "bad marker")
            start = ids.index(query["marker"])
        page = zones[start:start + per]
        rest = zones[start + per:]
        self.ctx.state.data["list_pages"] += 1
        self.ctx.state.save()
        out = ['<?xml version="1.0"?>\n<ListHostedZonesResponse xmlns="%s">'
               "<HostedZones>" % NS]
        for z in page:
            out.append(
                "<HostedZone><Id>/hostedzone/%s</Id><Name>%s</Name>"
                "<CallerReference>mock</CallerReference><Config>"
                "<Comment>mock zone</Comment><PrivateZone>%s</PrivateZone>"
                "</Config><ResourceRecordSetCount>2</ResourceRecordSetCount>"
                "</HostedZone>" % (z["id"], escape(z["name"]),
                                   "true" if z["private"] else "false"))
        out.append("</HostedZones><Marker>%s</Marker><IsTruncated>%s"
                   "</IsTruncated>" % (escape(query.get("marker", "")),
                                       "true" if rest else "false"))
        if rest:
            out.append("<NextMarker>%s</NextMarker>" % rest[0]["id"])
        out.append("<MaxItems>%d</MaxItems></ListHostedZonesResponse>" % per)
        return 200, "".join(out)

    def change(self, zone_id, body):
        st = self.ctx.state.data
        if not any(z["id"] == zone_id for z in st["zones"]):
            return 404, error_xml("NoSuchHostedZone",
                                  "No hosted zone found with ID: " + zone_id)
        try:
            root = ET.fromstring(body)
        except ET.ParseError as e:
            return 400, error_xml("InvalidInput", "bad XML: %s" % e)
        q = "{%s}" % NS
        comment = root.findtext("%sChangeBatch/%sComment" % (q, q)) or ""
        changes = root.findall("%sChangeBatch/%sChanges/%sChange" % (q, q, q))
        if not changes:
            return 400, error_xml("InvalidInput", "no changes")
        zone_sets = st["records"].setdefault(zone_id, {})
        batch = []
        for ch in changes:
            action = ch.findtext(q + "Action")
            rrs = ch.find(q + "ResourceRecordSet")
            name = rrs.findtext(q + "Name").rstrip(".") + "."
            rtype = rrs.findtext(q + "Type")
            ttl = int(rrs.findtext(q + "TTL") or -1)
            values = [v.text for v in rrs.findall(
                "%sResourceRecords/%sResourceRecord/%sValue" % (q, q, q))]
            if rtype != "TXT" or action not in ("UPSERT", "DELETE"):
                return 400, invalid_batch("unsupported change %s %s"
                                          % (action, rtype))
            if len(set(values)) != len(values):
                return 400, invalid_batch(
                    "Duplicate Resource Record: '%s'" % values[0])
            cur = zone_sets.get(name)
            if action == "DELETE":
                if cur is None:
                    return 400, invalid_batch(
                        "Tried to delete resource record set [name='%s', "
                        "type='TXT'] but it was not found" % name)
                if sorted(cur["values"]) != sorted(values) or \
                        cur["ttl"] != ttl:
                    return 400, invalid_batch(
                        "Tried to delete resource record set [name='%s', "
                        "type='TXT'] but the values provided do not match "
                        "the current values" % name)
            batch.append((action, name, ttl, values))
        st["seq"] += 1
        cid = "C%04dMOCK" % st["seq"]
        for action, name, ttl, values in batch:
            if action == "DELETE":
                del zone_sets[name]
            else:
                zone_sets[name] = {"ttl": ttl, "values": values}
            st["changes"].append({"id": cid, "zone": zone_id,
                                  "action": action, "name": name,
                                  "ttl": ttl, "values": values,
                                  "comment": comment})
            # challtestsrv serves the values without Route 53's quotes
            self.ctx.cts.set_txt(name, [v.strip('"') for v in values]
                                 if action == "UPSERT" else [])
        st["pending"][cid] = self.ctx.args.pending_polls
        self.ctx.state.save()
        return 200, self.change_info(cid, "PENDING",
                                     "ChangeResourceRecordSetsResponse")

    def get_change(self, cid, mode):
        st = self.ctx.state.data
        if cid not in st["pending"]:
            return 404, error_xml("NoSuchChange",
                                  "A change with the specified change ID "
                                  "does not exist.")
        st["polls"] += 1
        left = st["pending"][cid]
        status = "PENDING" if left > 0 or mode == "pending" else "INSYNC"
        st["pending"][cid] = max(0, left - 1)
        self.ctx.state.save()
        return 200, self.change_info(cid, status, "GetChangeResponse")

    @staticmethod
    def change_info(cid, status, root):
        now = datetime.datetime.now(datetime.timezone.utc)
        return ('<?xml version="1.0"?>\n<%s xmlns="%s"><ChangeInfo>'
                "<Id>/change/%s</Id><Status>%s</Status><SubmittedAt>%s"
                "</SubmittedAt></ChangeInfo></%s>"
                % (root, NS, cid, status,
                   now.strftime("%Y-%m-%dT%H:%M:%S.000Z"), root))


def main():
    p = mockutil.common_args(__doc__.splitlines()[0])
    p.add_argument("--access-key", required=True)
    p.add_argument("--secret-key", required=True)
    p.add_argument("--session-token")
    p.add_argument("--zone", action="append", default=[],
                   help="NAME or NAME:private (repeatable)")
    p.add_argument("--decoy-zones", type=int, default=0)
    p.add_argument("--pending-polls", type=int, default=1,
                   help="GetChange answers PENDING this many times")
    args = p.parse_args()
    zones = [{"id": "ZDECOY%04d" % i, "name": "decoy%d.example." % i,
              "private": False} for i in range(args.decoy_zones)]
    for i, z in enumerate(args.zone):
        name, _, kind = z.partition(":")
        zones.append({"id": "Z%04dMOCK" % i, "name": name.rstrip(".") + ".",
                      "private": kind == "private"})
    state = {"zones": zones, "records": {}, "changes": [], "pending": {},
             "seq": 0, "polls": 0, "list_pages": 0}
    return mockutil.run(args, Handler, state)


if __name__ == "__main__":
    sys.exit(main())
