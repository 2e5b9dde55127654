"""POST /api/v1/feedback ("Report a problem") and CORS, against the running
stack: reports stored as the feedback role, every refusal naming its field,
the body and rate limits in nginx, the role's privileges, the access log,
and the CORS headers of the read API.

nginx limits reports per client address. Each test sends from its own
loopback address (127.0.0.N: the whole of 127/8 reaches a server listening
on 127.0.0.1), so only the rate-limit test, which runs last, meets the
limit."""

import http.client
import itertools
import json
import os
import random
import subprocess
import time
import unittest

from harness import VAR_DIR, _base, main, request, sql, sql_value

PATH = "/api/v1/feedback"
# A random start, so that a second run within the minute meets no address
# the first one used up.
_addresses = itertools.count(random.randrange(1, 60000) * 256)


def fresh_address():
    n = next(_addresses)
    return f"127.{n >> 16 & 255}.{n >> 8 & 255}.{n % 250 + 2}"


def post(body, content_type="application/json", source=None, method="POST", path=PATH):
    """Sends body (bytes, str, or an object to encode as JSON) from source,
    a loopback address (a fresh one when None)."""
    if not isinstance(body, (bytes, str)):
        body = json.dumps(body, ensure_ascii=False)
    if isinstance(body, str):
        body = body.encode("utf-8")
    conn = http.client.HTTPConnection(_base.hostname, _base.port, timeout=20,
                                      source_address=(source or fresh_address(), 0))
    try:
        headers = {"Content-Length": str(len(body))}
        if content_type is not None:
            headers["Content-Type"] = content_type
        conn.request(method, path, body=body, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        hdrs = {k.lower(): v for k, v in resp.getheaders()}
        return resp.status, hdrs, data
    finally:
        conn.close()


def demo_meeting():
    return int(sql_value("SELECT id FROM meetings WHERE active ORDER BY id LIMIT 1"))


def demo_service():
    return sql_value("SELECT id FROM hsds.service WHERE listed ORDER BY id LIMIT 1")


def psql_as(role, query):
    """Runs query as role through the stack's socket; returns the completed
    process (check returncode and stderr)."""
    run_dir = os.path.join(VAR_DIR, "run")
    port = os.environ.get("DB_PORT", "5432")
    return subprocess.run(
        ["psql", "-X", "-h", run_dir, "-p", port, "-U", role, "-d", os.environ.get("DB_NAME", "finder"),
         "-v", "ON_ERROR_STOP=1", "-tAc", query],
        capture_output=True, text=True)


class Store(unittest.TestCase):
    def test_meeting_report_is_stored(self):
        mid = demo_meeting()
        message = "The meeting moved to room 4.\n\tThanks, café"
        status, hdrs, body = post({"kind": "meeting", "id": mid, "message": message})
        self.assertEqual(status, 201, body)
        self.assertEqual(json.loads(body), {"status": "received"})
        self.assertTrue(hdrs["content-type"].startswith("application/json"))
        literal = "E'" + message.replace("\n", "\\n").replace("\t", "\\t") + "'"
        row = sql(f"SELECT kind, meeting_id, service_id IS NULL, contact IS NULL, "
                  f"message = {literal}, created_at > now() - interval '1 minute' "
                  f"FROM feedback WHERE meeting_id = {mid} ORDER BY id DESC LIMIT 1")[0]
        self.assertEqual(row, ["meeting", str(mid), "t", "t", "t", "t"])

    def test_service_report_is_stored(self):
        sid = demo_service()
        contact = "Ana, ana@example.org"
        status, _, body = post({"kind": "service", "id": sid, "message": "Closed on Mondays now",
                                "contact": contact})
        self.assertEqual(status, 201, body)
        row = sql(f"SELECT kind, meeting_id IS NULL, service_id, message, contact FROM feedback "
                  f"WHERE service_id = '{sid}' ORDER BY id DESC LIMIT 1")[0]
        self.assertEqual(row, ["service", "t", sid, "Closed on Mondays now", contact])

    def test_nothing_about_the_sender_is_stored(self):
        cols = {r[0] for r in sql("SELECT column_name FROM information_schema.columns "
                                  "WHERE table_name = 'feedback'")}
        # What it is about, what they typed, and what became of it: its
        # source, whether it was resolved and delivered to the source's
        # webhook (sql/migrations/024_source_sync.sql).
        self.assertEqual(cols, {"id", "kind", "meeting_id", "service_id", "message",
                                "contact", "created_at", "source_id", "resolved_at",
                                "delivered_at", "delivery_attempts", "next_delivery_at",
                                "delivery_error"})


class Refusals(unittest.TestCase):
    def assert_refused(self, body, param, status=400):
        st, hdrs, data = post(body)
        self.assertEqual(st, status, data)
        self.assertTrue(hdrs["content-type"].startswith("application/json"))
        err = json.loads(data)["error"]
        self.assertEqual(err.get("param"), param, err)
        return err

    def test_each_field_is_named(self):
        mid, sid = demo_meeting(), demo_service()
        ok = {"kind": "meeting", "id": mid, "message": "x"}
        cases = [
            ({**ok, "ip": "1.2.3.4"}, "ip"),
            ({k: v for k, v in ok.items() if k != "kind"}, "kind"),
            ({**ok, "kind": "group"}, "kind"),
            ({**ok, "kind": 1}, "kind"),
            ({k: v for k, v in ok.items() if k != "id"}, "id"),
            ({**ok, "id": 0}, "id"),
            ({**ok, "id": -1}, "id"),
            ({**ok, "id": 1.5}, "id"),
            ({**ok, "id": str(mid)}, "id"),
            ({**ok, "id": 999999999}, "id"),          # no such meeting
            ({**ok, "kind": "service", "id": mid}, "id"),
            ({**ok, "kind": "service", "id": sid.upper()}, "id"),
            ({**ok, "kind": "service", "id": "00000000-0000-4000-8000-000000000000"}, "id"),
            ({k: v for k, v in ok.items() if k != "message"}, "message"),
            ({**ok, "message": ""}, "message"),
            ({**ok, "message": None}, "message"),
            ({**ok, "message": "x" * 2001}, "message"),
            ({**ok, "message": "a\rb"}, "message"),
            ({**ok, "message": "a\u0000b"}, "message"),
            ({**ok, "message": "a\u001bb"}, "message"),
            ({**ok, "contact": "c" * 201}, "contact"),
            ({**ok, "contact": "a\nb"}, "contact"),
            ({**ok, "contact": 5}, "contact"),
        ]
        for body, param in cases:
            with self.subTest(body=str(body)[:80]):
                self.assert_refused(body, param)

    def test_strict_json(self):
        """What json-c would let pass is refused, named, and not stored: a key
        given twice, a raw control character in a string, a lone surrogate."""
        mid = demo_meeting()
        head = '{"kind":"meeting","id":%d,' % mid
        marker = "strict-%d" % random.randrange(1 << 30)
        cases = [
            (head + '"message":"%s","message":"y"}' % marker, "message", "duplicate_parameter"),
            (head + '"message":"%s","\\u006bind":"meeting"}' % marker, "kind",
             "duplicate_parameter"),
            (head + '"message":"%s","id":%d}' % (marker, mid), "id", "duplicate_parameter"),
            (head + '"message":"%s\nraw"}' % marker, "message", "invalid_parameter"),
            (head + '"message":"%s\u0001"}' % marker, "message", "invalid_parameter"),
            (head + '"message":"%s","contact":"a\tb"}' % marker, "contact", "invalid_parameter"),
            (head + '"message":"%s \\ud800"}' % marker, "message", "invalid_parameter"),
            (head + '"message":"%s \\udc00\\ud83d"}' % marker, "message", "invalid_parameter"),
            (head + '"message":"%s","contact":"\\ud83d!"}' % marker, "contact",
             "invalid_parameter"),
        ]
        for body, param, code in cases:
            with self.subTest(body=body):
                err = self.assert_refused(body, param)
                self.assertEqual(err["code"], code)
                self.assertTrue(err["message"])
        self.assertEqual(sql_value(f"SELECT count(*) FROM feedback WHERE message LIKE '{marker}%'"),
                         "0")
        # Escapes, a pair (an emoji) and raw UTF-8 pass, decoded.
        body = head + '"message":"%s \\ud83d\\ude00 \\"q\\"\\n caf\u00e9"}' % marker
        st, _, data = post(body)
        self.assertEqual(st, 201, data)
        stored = sql_value(f"SELECT replace(message, E'\\n', '<NL>') FROM feedback "
                           f"WHERE message LIKE '{marker}%'")
        self.assertEqual(stored, f"{marker} \U0001F600 \"q\"<NL> café")

    def test_inactive_meeting_is_unknown(self):
        # Not a closed one (TC): its source still lists it, and it may be reported.
        rows = sql("SELECT id FROM meetings WHERE NOT active AND NOT closed LIMIT 1")
        if rows:
            self.assert_refused({"kind": "meeting", "id": int(rows[0][0]), "message": "x"}, "id")
            return
        # The demo data has none: one meeting is made inactive for the test.
        mid = int(sql_value("SELECT id FROM meetings WHERE active ORDER BY id DESC LIMIT 1"))
        sql(f"UPDATE meetings SET active = false WHERE id = {mid}")
        try:
            self.assert_refused({"kind": "meeting", "id": mid, "message": "x"}, "id")
        finally:
            sql(f"UPDATE meetings SET active = true WHERE id = {mid}")

    def test_not_json(self):
        for body in (b"", b"[]", b"kind=meeting", b'{"kind":"meeting"', b"\xff\xfe"):
            with self.subTest(body=body):
                st, _, data = post(body)
                self.assertEqual(st, 400, data)
                self.assertIn("error", json.loads(data))

    def test_limits_hold_at_the_edge(self):
        mid = demo_meeting()
        # 2,000 characters of two bytes each still fit in the 4 KB body.
        st, _, data = post({"kind": "meeting", "id": mid, "message": "é" * 2000})
        self.assertEqual(st, 201, data)
        st, _, data = post({"kind": "meeting", "id": mid, "message": "x", "contact": "c" * 200})
        self.assertEqual(st, 201, data)

    def test_body_over_4k_is_413(self):
        body = json.dumps({"kind": "meeting", "id": demo_meeting(), "message": "x" * 5000})
        st, hdrs, data = post(body)
        self.assertEqual(st, 413, data)
        self.assertTrue(hdrs["content-type"].startswith("application/json"))
        self.assertEqual(json.loads(data)["error"]["code"], "too_large")

    def test_content_type_must_be_json(self):
        body = {"kind": "meeting", "id": demo_meeting(), "message": "x"}
        for ctype in (None, "text/plain", "application/x-www-form-urlencoded",
                      "application/jsonp"):
            with self.subTest(ctype=ctype):
                st, _, data = post(body, content_type=ctype)
                self.assertEqual(st, 415, data)
                self.assertEqual(json.loads(data)["error"]["code"], "unsupported_media_type")
        st, _, data = post(body, content_type="application/json; charset=utf-8")
        self.assertEqual(st, 201, data)
        for ctype in ('application/json; charset="UTF-8"', "Application/JSON;charset=Utf-8"):
            with self.subTest(ctype=ctype):
                st, _, data = post(body, content_type=ctype)
                self.assertEqual(st, 201, data)

    def test_charset_must_be_utf8(self):
        marker = "charset-%d" % random.randrange(1 << 30)
        body = {"kind": "meeting", "id": demo_meeting(), "message": marker}
        for ctype, named in (("application/json; charset=latin1", "latin1"),
                             ('application/json; charset="ISO-8859-1"', "ISO-8859-1"),
                             ("application/json;charset=UTF-16", "UTF-16")):
            with self.subTest(ctype=ctype):
                st, hdrs, data = post(body, content_type=ctype)
                self.assertEqual(st, 415, data)
                self.assertTrue(hdrs["content-type"].startswith("application/json"))
                err = json.loads(data)["error"]
                self.assertEqual(err["code"], "unsupported_media_type")
                self.assertIn(named, err["message"])
        self.assertEqual(sql_value(f"SELECT count(*) FROM feedback WHERE message = '{marker}'"),
                         "0")

    def test_methods(self):
        r = request("GET", PATH)
        self.assertEqual(r.status, 405)
        self.assertEqual(r.header("allow"), "POST")
        r = request("HEAD", PATH)
        self.assertEqual(r.status, 405)
        self.assertEqual(r.header("allow"), "POST")
        for path in ("/api/v1/meetings", "/api/v1/health"):
            st, hdrs, data = post({"x": 1}, path=path)
            self.assertEqual(st, 405, path)
            self.assertEqual(hdrs.get("allow"), "GET, HEAD", path)
            self.assertEqual(json.loads(data)["error"]["code"], "method_not_allowed")

    def test_query_string_is_refused(self):
        st, _, data = post({"kind": "meeting", "id": demo_meeting(), "message": "x"},
                           path=PATH + "?debug=1")
        self.assertEqual(st, 400, data)
        self.assertEqual(json.loads(data)["error"]["param"], "debug")


class Role(unittest.TestCase):
    """finder_feedback can insert into feedback and do nothing else."""

    def assert_denied(self, query):
        p = psql_as("finder_feedback", query)
        self.assertNotEqual(p.returncode, 0, query)
        self.assertIn("permission denied", p.stderr, query)

    def test_can_insert(self):
        mid = demo_meeting()
        p = psql_as("finder_feedback", "INSERT INTO feedback (kind, meeting_id, message) "
                    f"VALUES ('meeting', {mid}, 'from the role test')")
        self.assertEqual(p.returncode, 0, p.stderr)

    def test_cannot_read_or_write_anything_else(self):
        self.assert_denied("SELECT count(*) FROM feedback")
        self.assert_denied("SELECT count(*) FROM meetings")
        self.assert_denied("SELECT count(*) FROM hsds.service")
        self.assert_denied("UPDATE feedback SET message = 'x'")
        self.assert_denied("DELETE FROM feedback")
        self.assert_denied("INSERT INTO sources (slug, name) VALUES ('x', 'x')")

    def test_reader_cannot_read_feedback(self):
        p = psql_as("finder_reader", "SELECT count(*) FROM feedback")
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("permission denied", p.stderr)

    def test_checks_hold_in_the_database(self):
        mid = demo_meeting()
        for values in (f"('meeting', {mid}, NULL, '')",
                       f"('meeting', NULL, NULL, 'x')",
                       f"('service', {mid}, NULL, 'x')",
                       f"('meeting', {mid}, NULL, E'a\\x1bb')"):
            with self.subTest(values=values):
                p = psql_as("finder_feedback", "INSERT INTO feedback (kind, meeting_id, "
                            f"service_id, message) VALUES {values}")
                self.assertNotEqual(p.returncode, 0)
                self.assertIn("violates check constraint", p.stderr)


class AccessLog(unittest.TestCase):
    def test_no_address_after_a_post(self):
        source = fresh_address()
        st, _, _ = post({"kind": "meeting", "id": demo_meeting(), "message": "log test"},
                        source=source)
        self.assertEqual(st, 201)
        # nginx writes the line once the answer has gone: it may come a
        # moment after the client has read it.
        deadline = time.monotonic() + 5
        while True:
            log = open(os.path.join(VAR_DIR, "log", "access.log")).read()
            if '"POST /api/v1/feedback" 201' in log or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        self.assertIn('"POST /api/v1/feedback" 201', log)
        self.assertNotIn(source, log)
        self.assertNotIn("127.0.0.1", log)
        self.assertNotIn("log test", log)


class Cors(unittest.TestCase):
    ORIGIN = {"Origin": "https://example.org"}

    def test_read_api_allows_any_origin(self):
        sid = demo_service()
        for target, status in (("/api/v1/meetings?limit=1", 200),
                               (f"/api/v1/services/{sid}", 200),
                               ("/api/v1/meetings?lat=x", 400),
                               ("/api/v1/meetings/999999999", 404),
                               ("/api/v1/nothing", 404)):
            for method in ("GET", "HEAD"):
                with self.subTest(target=target, method=method):
                    r = request(method, target, headers=self.ORIGIN)
                    self.assertEqual(r.status, status)
                    self.assertEqual(r.header("access-control-allow-origin"), "*")
                    self.assertIsNone(r.header("access-control-allow-credentials"))
                    self.assertIsNone(r.header("set-cookie"))

    def test_nginx_own_errors_allow_any_origin(self):
        # A read with a body over nginx's limit: nginx answers, in JSON.
        conn = http.client.HTTPConnection(_base.hostname, _base.port, timeout=20)
        try:
            conn.request("GET", "/api/v1/meetings", body=b"x" * 3000,
                         headers={**self.ORIGIN, "Content-Type": "text/plain"})
            resp = conn.getresponse()
            data = resp.read()
            self.assertEqual(resp.status, 413)
            self.assertEqual(resp.getheader("access-control-allow-origin"), "*")
            self.assertEqual(json.loads(data)["error"]["code"], "too_large")
        finally:
            conn.close()

    def test_pages_get_no_cors(self):
        r = request("GET", "/", headers=self.ORIGIN)
        self.assertEqual(r.status, 200)
        self.assertIsNone(r.header("access-control-allow-origin"))

    def test_preflight_of_reports_fails(self):
        # Browsers send a POST once its preflight passes, whatever
        # Access-Control-Allow-Methods says: the preflight of the reports'
        # path must fail (no CORS header), so that another origin's page
        # cannot send one.
        for query in ("", "?x=1"):
            with self.subTest(query=query):
                r = request("OPTIONS", "/api/v1/feedback" + query, headers={
                    **self.ORIGIN, "Access-Control-Request-Method": "POST",
                    "Access-Control-Request-Headers": "content-type"})
                self.assertNotEqual(r.status // 100, 2)
                for h in ("access-control-allow-origin", "access-control-allow-methods",
                          "access-control-allow-headers", "access-control-allow-credentials"):
                    self.assertIsNone(r.header(h), h)

    def test_preflight(self):
        for path, wanted in (("/api/v1/meetings", "GET"), ("/api/v1/feedbacks", "GET"),
                             ("/api/v1/anything", "GET")):
            with self.subTest(path=path):
                r = request("OPTIONS", path, headers={
                    **self.ORIGIN, "Access-Control-Request-Method": wanted,
                    "Access-Control-Request-Headers": "content-type"})
                self.assertEqual(r.status, 204)
                self.assertEqual(r.body, b"")
                self.assertEqual(r.header("access-control-allow-origin"), "*")
                methods = [m.strip() for m in r.header("access-control-allow-methods").split(",")]
                self.assertEqual(methods, ["GET", "HEAD", "OPTIONS"])
                self.assertNotIn("POST", methods)
                self.assertEqual(r.header("access-control-allow-headers"), "Content-Type")
                self.assertGreater(int(r.header("access-control-max-age")), 0)
                self.assertIsNone(r.header("access-control-allow-credentials"))

    def test_preflight_does_not_reach_the_handler(self):
        log_path = os.path.join(VAR_DIR, "log", "finder.log")
        before = os.path.getsize(log_path) if os.path.exists(log_path) else 0
        r = request("OPTIONS", "/api/v1/meetings", headers=self.ORIGIN)
        self.assertEqual(r.status, 204)
        # The handler would have answered 405 with an Allow header.
        self.assertIsNone(r.header("allow"))
        self.assertIsNone(r.header("cache-control"))
        if os.path.exists(log_path):
            self.assertEqual(os.path.getsize(log_path), before)

    def test_post_gets_no_cors(self):
        st, hdrs, _ = post({"kind": "meeting", "id": demo_meeting(), "message": "cors"})
        self.assertEqual(st, 201)
        self.assertNotIn("access-control-allow-origin", hdrs)


class ZRateLimit(unittest.TestCase):
    """Last (unittest runs classes in name order): it uses up one address's
    allowance."""

    def test_429_after_the_limit(self):
        source = fresh_address()
        body = {"kind": "meeting", "id": demo_meeting(), "message": "rate"}
        statuses = []
        for _ in range(12):
            st, hdrs, data = post(body, source=source)
            statuses.append(st)
            if st == 429:
                break
        self.assertEqual(statuses[-1], 429, statuses)
        # 5 a minute and a burst of 5: the first six pass.
        self.assertEqual(statuses[:6], [201] * 6, statuses)
        self.assertTrue(hdrs["content-type"].startswith("application/json"))
        self.assertEqual(json.loads(data)["error"]["code"], "too_many_requests")
        # A long report from there is refused the same way (not with nginx's
        # HTML 413: the 429's error page once had the 1 KB body limit).
        long = dict(body, message="é" * 2000)
        self.assertGreater(len(json.dumps(long, ensure_ascii=False).encode()), 4000)
        st, hdrs, data = post(long, source=source)
        self.assertEqual(st, 429, data)
        self.assertTrue(hdrs["content-type"].startswith("application/json"))
        self.assertEqual(json.loads(data)["error"]["code"], "too_many_requests")
        # Another address is not held back, and reads are never limited.
        st, _, _ = post(body)
        self.assertEqual(st, 201)
        self.assertEqual(request("GET", "/api/v1/health").status, 200)


if __name__ == "__main__":
    main()
