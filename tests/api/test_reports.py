"""Reports reach their stewards (`finder reports`), against the running stack:
reports posted through the API are stored with their source; the listing per
source and --since, in text, JSON and CSV; resolving; bad input refused with
the option named; and delivery to webhooks served here (Python's http.server
on 127.0.0.1): the payload without the reporter's contact, a 500 retried
with back-off, a port where nothing listens, a private address refused
without a wait, a failing webhook holding no other back, giving up after 12
attempts, and two passes at once delivering each report once.

The binary is FINDER_BIN (make test: the ASan build), run with
FINDER_IMPORT_DATABASE on the stack, and FINDER_FETCH_ALLOW=127.0.0.1 so
that the fetcher may reach the receivers. The meetings reported on are a
tiny feed imported into sources of their own (rp-*), in the middle of the
Pacific, out of other tests' way; the service is a demo one, whose source
has a webhook only while its test runs."""

import csv
import http.server
import io
import json
import os
import socket
import subprocess
import threading
import time
import unittest
import uuid

from harness import ROOT, VAR_DIR, main, sql, sql_value
from test_feedback import post

FINDER_BIN = os.environ.get("FINDER_BIN", os.path.join(ROOT, "build", "finder"))
CONNINFO = (f"host={os.path.join(VAR_DIR, 'run')} port={os.environ.get('DB_PORT', '5432')} "
            f"dbname={os.environ.get('DB_NAME', 'finder')} user=finder_importer "
            "application_name=test-reports")
PUBLIC = "https://finder.example.org"
SOURCES = ("rp-ok", "rp-flaky", "rp-down", "rp-private", "rp-slow", "rp-quiet")
PAYLOAD_KEYS = {"id", "created_at", "kind", "message", "meeting", "source"}
TARGET_KEYS = {"id", "name", "source_key", "url"}


def finder(*args, env=None, timeout=120, text=True):
    """Runs `finder reports ARGS`; returns the completed process (its
    output as bytes unless text)."""
    full = dict(os.environ, FINDER_IMPORT_DATABASE=CONNINFO, FINDER_FETCH_ALLOW="127.0.0.1")
    full.pop("FINDER_PUBLIC_URL", None)
    full.update(env or {})
    return subprocess.run([FINDER_BIN, "reports", *args], env=full, capture_output=True,
                          text=text, timeout=timeout)


def deliver(**kw):
    p = finder("deliver", "--public-url", PUBLIC, **kw)
    assert p.returncode == 0, p.stderr
    return p


def listing(*args):
    p = finder("--format", "json", *args)
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)


def by_id(rows):
    return {r["id"]: r for r in rows}


def literal(s):
    return "'" + s.replace("'", "''") + "'"


def import_source(slug):
    """A one-meeting feed into source slug (the same each run, so the
    meeting keeps its id); returns the meeting's id."""
    feed = [{"slug": "m1", "name": f"Reports test {slug}", "day": 1, "time": "19:00",
             "address": "1 Ocean Rd", "city": "Nowhere", "latitude": 10.0,
             "longitude": -140.0, "types": ["O"]}]
    p = subprocess.run([os.path.join(ROOT, "scripts", "stack.sh"), "import", "--quiet",
                        "--format", "meeting-guide", "--source", slug, "--timezone",
                        "America/Chicago", "--fellowship", "aa", "-"],
                       input=json.dumps(feed), capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    return int(sql_value(f"SELECT m.id FROM meetings m JOIN sources s ON s.id = m.source_id "
                         f"WHERE s.slug = '{slug}' AND m.source_key = 'm1'"))


def set_webhook(slug, url):
    sql(f"INSERT INTO source_webhooks (source_id, url) "
        f"SELECT id, {literal(url)} FROM sources WHERE slug = '{slug}' "
        f"ON CONFLICT (source_id) DO UPDATE SET url = EXCLUDED.url")


def drop_webhook(slug):
    sql(f"DELETE FROM source_webhooks WHERE source_id = (SELECT id FROM sources "
        f"WHERE slug = '{slug}')")


def report(kind, target, message=None, contact=None):
    """Posts a report through the API; returns (its id, its message)."""
    token = uuid.uuid4().hex
    message = f"{message or 'Report'} [{token}]"
    body = {"kind": kind, "id": target, "message": message}
    if contact is not None:
        body["contact"] = contact
    status, _, data = post(body)
    assert status == 201, data
    rid = int(sql_value(f"SELECT id FROM feedback WHERE position('{token}' in message) > 0"))
    return rid, message


def row(rid):
    """(delivery_attempts, seconds to next_delivery_at or None, delivered,
    delivery_error) of a report."""
    r = sql(f"SELECT delivery_attempts, extract(epoch FROM next_delivery_at - now()), "
            f"delivered_at IS NOT NULL, coalesce(delivery_error, '') FROM feedback "
            f"WHERE id = {rid}")[0]
    return int(r[0]), (float(r[1]) if r[1] != "" else None), r[2] == "t", r[3]


def make_due(*rids):
    sql(f"UPDATE feedback SET next_delivery_at = now() - interval '1 second' "
        f"WHERE id IN ({','.join(map(str, rids))})")


def hold_back(*slugs):
    """Puts off the undelivered reports of these sources that earlier tests
    left, so that a pass tries the new ones first (a failed webhook's
    other reports wait for the next pass)."""
    sql(f"UPDATE feedback SET next_delivery_at = now() + interval '1 day' "
        f"WHERE delivered_at IS NULL AND next_delivery_at IS NOT NULL AND source_id IN "
        f"(SELECT id FROM sources WHERE slug IN ({','.join(map(literal, slugs))}))")


class Receiver:
    """Webhooks on 127.0.0.1: each path answers the statuses planned for it
    in turn (a redirect to /ok), then 200, after its delay; every request is
    kept."""

    def __init__(self):
        self.lock = threading.Lock()
        self.requests = []
        self.plans = {}
        self.delays = {}
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with receiver.lock:
                    receiver.requests.append((self.path, dict(self.headers), body))
                    plan = receiver.plans.get(self.path, [])
                    status = plan.pop(0) if plan else 200
                time.sleep(receiver.delays.get(self.path, 0))
                self.send_response(status)
                if 300 <= status < 400:
                    self.send_header("Location", receiver.url("/ok"))
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path):
        return f"http://127.0.0.1:{self.server.server_port}{path}"

    def received(self, path=None):
        """The JSON bodies received (at path), as (raw bytes, object)."""
        with self.lock:
            return [(b, json.loads(b)) for p, _, b in self.requests if path in (None, p)]

    def ids(self, path=None):
        return [obj["id"] for _, obj in self.received(path)]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


RECEIVER = None
MEETINGS = {}


def setUpModule():
    global RECEIVER
    RECEIVER = Receiver()
    for slug in SOURCES:
        MEETINGS[slug] = import_source(slug)
    # What earlier runs left undelivered is no business of this one.
    sql("UPDATE feedback SET resolved_at = now() WHERE resolved_at IS NULL AND source_id IN "
        f"(SELECT id FROM sources WHERE slug IN ({','.join(map(literal, SOURCES))}))")
    set_webhook("rp-ok", RECEIVER.url("/ok"))
    set_webhook("rp-flaky", RECEIVER.url("/flaky"))
    set_webhook("rp-slow", RECEIVER.url("/slow"))
    set_webhook("rp-down", f"http://127.0.0.1:{free_port()}/nothing-listens")
    set_webhook("rp-private", "http://10.255.255.1/hook")
    drop_webhook("rp-quiet")


def tearDownModule():
    for slug in SOURCES:
        drop_webhook(slug)
    if RECEIVER:
        RECEIVER.close()


def demo_service():
    return sql_value("SELECT id FROM hsds.service WHERE listed ORDER BY id LIMIT 1")


def demo_meeting():
    return int(sql_value("SELECT m.id FROM meetings m JOIN sources s ON s.id = m.source_id "
                         "WHERE s.slug = 'demo' AND m.active ORDER BY m.id LIMIT 1"))


class AStored(unittest.TestCase):
    def test_reports_carry_their_source(self):
        cases = [("meeting", MEETINGS["rp-quiet"], "rp-quiet"),
                 ("meeting", demo_meeting(), "demo"),
                 ("service", demo_service(), "demo-services")]
        for kind, target, slug in cases:
            with self.subTest(kind=kind, slug=slug):
                rid, _ = report(kind, target)
                self.assertEqual(
                    sql_value(f"SELECT s.slug FROM feedback f JOIN sources s "
                              f"ON s.id = f.source_id WHERE f.id = {rid}"), slug)
                self.assertEqual(row(rid)[:1], (0,))


class BListing(unittest.TestCase):
    def test_per_source_newest_first_with_contact(self):
        first, _ = report("meeting", MEETINGS["rp-quiet"], "Door locked", "ana@example.org")
        second, _ = report("meeting", MEETINGS["rp-quiet"], "Wrong time")
        rows = listing("--source", "rp-quiet")
        ids = [r["id"] for r in rows]
        self.assertLess(ids.index(second), ids.index(first))
        self.assertEqual({r["source"] for r in rows}, {"rp-quiet"})
        self.assertEqual([r["created_at"] for r in rows],
                         sorted((r["created_at"] for r in rows), reverse=True))
        r = by_id(rows)[first]
        self.assertEqual(r["contact"], "ana@example.org")
        self.assertEqual(r["kind"], "meeting")
        self.assertEqual(r["meeting"], {"id": MEETINGS["rp-quiet"],
                                        "name": "Reports test rp-quiet"})
        self.assertIsNone(r["resolved_at"])
        self.assertEqual(r["delivery"]["state"], "no_webhook")
        self.assertIsNone(r["delivery"]["next_attempt_at"])
        self.assertIsNone(by_id(rows)[second]["contact"])
        self.assertNotIn(first, by_id(listing("--source", "rp-ok")))

    def test_service_in_the_listing(self):
        rid, _ = report("service", demo_service(), "Closed on Mondays")
        r = by_id(listing("--source", "demo-services"))[rid]
        self.assertEqual(r["service"]["id"], demo_service())
        self.assertNotIn("meeting", r)
        self.assertEqual(r["source"], "demo-services")

    def test_since(self):
        old, _ = report("meeting", MEETINGS["rp-quiet"], "An old one")
        new, _ = report("meeting", MEETINGS["rp-quiet"], "A new one")
        sql(f"UPDATE feedback SET created_at = '2020-01-01T00:00:00Z' WHERE id = {old}")
        cases = [("2021-01-01", False), ("2019-12-31", True),
                 ("2020-01-01T00:00Z", True), ("2020-01-01T00:00:01Z", False),
                 ("2020-01-01T01:00+02:00", True), ("2020-01-01T00:00:01", False)]
        for since, has_old in cases:
            with self.subTest(since=since):
                ids = by_id(listing("--source", "rp-quiet", "--since", since))
                self.assertIn(new, ids)
                self.assertEqual(old in ids, has_old)
        self.assertEqual(by_id(listing("--source", "rp-quiet"))[old]["created_at"],
                         "2020-01-01T00:00:00Z")

    def test_text(self):
        rid, message = report("meeting", MEETINGS["rp-quiet"], "Two\nlines\tand a tab",
                              "Ana, 555-0100")
        p = finder("--source", "rp-quiet")
        self.assertEqual(p.returncode, 0, p.stderr)
        block = p.stdout.split(f"#{rid}  ", 1)[1].split("\n\n", 1)[0]
        self.assertIn(f"meeting {MEETINGS['rp-quiet']}  Reports test rp-quiet", block)
        self.assertIn("  source:   rp-quiet\n", block)
        self.assertIn("  message:  Two\n            lines\tand a tab [", block)
        self.assertIn("  contact:  Ana, 555-0100\n", block)
        self.assertIn("  status:   open\n", block)
        self.assertIn("  delivery: not sent: the source has no webhook", block)
        self.assertRegex(p.stdout, r"\n\d+ open reports?\.\n$")

    def test_csv(self):
        nasty = 'Says "hi", then\nleaves'
        rid, message = report("meeting", MEETINGS["rp-quiet"], nasty, "=HYPERLINK(\"x\")")
        formula, fmsg = report("meeting", MEETINGS["rp-quiet"], "=1+1")
        p = finder("--source", "rp-quiet", "--format", "csv", text=False)
        self.assertEqual(p.returncode, 0, p.stderr)
        out = p.stdout.decode("utf-8")
        self.assertTrue(out.startswith(
            "id,created_at,kind,target_id,target_name,source,message,contact,resolved_at,"
            "delivery,delivered_at,delivery_attempts,next_delivery_at,delivery_error\r\n"))
        self.assertTrue(out.endswith("\r\n"))
        # RFC 4180: the message's own line break is inside its quotes.
        self.assertIn('"Says ""hi"", then\nleaves [', out)
        rows = list(csv.DictReader(io.StringIO(out, newline="")))
        got = {int(r["id"]): r for r in rows}
        self.assertEqual(got[rid]["message"], message)
        self.assertEqual(got[rid]["contact"], "'=HYPERLINK(\"x\")")
        self.assertEqual(got[formula]["message"], "'" + fmsg)
        self.assertEqual(got[rid]["target_name"], "Reports test rp-quiet")
        self.assertEqual(got[rid]["delivery"], "no_webhook")
        self.assertEqual(got[rid]["resolved_at"], "")

    def test_resolve(self):
        a, _ = report("meeting", MEETINGS["rp-quiet"], "Resolve me")
        b, _ = report("meeting", MEETINGS["rp-quiet"], "Me too")
        p = finder("resolve", str(a), str(b), str(a))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout, f"resolved {min(a, b)}\nresolved {max(a, b)}\n")
        self.assertNotIn(a, by_id(listing("--source", "rp-quiet")))
        resolved = by_id(listing("--source", "rp-quiet", "--all"))[a]["resolved_at"]
        self.assertRegex(resolved, r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        # Again: nothing changes, and it says so.
        time.sleep(1.1)
        p = finder("resolve", str(a))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout, f"{a} was resolved already ({resolved})\n")
        self.assertEqual(by_id(listing("--all", "--source", "rp-quiet"))[a]["resolved_at"],
                         resolved)

    def test_unknown_id_resolves_nothing(self):
        a, _ = report("meeting", MEETINGS["rp-quiet"], "Stays open")
        missing = int(sql_value("SELECT coalesce(max(id), 0) + 1000000 FROM feedback"))
        p = finder("resolve", str(a), str(missing))
        self.assertEqual(p.returncode, 1)
        self.assertIn(f"there is no report {missing}", p.stderr)
        self.assertIn("nothing was resolved", p.stderr)
        self.assertEqual(p.stdout, "")
        self.assertIsNone(by_id(listing("--source", "rp-quiet"))[a]["resolved_at"])

    def test_bad_input_names_the_option(self):
        cases = [
            (("--format", "xml"), 2, "--format"),
            (("--since", "2026-02-30"), 2, "--since"),
            (("--since", "yesterday"), 2, "--since"),
            (("--since", ""), 2, "--since"),
            (("--source", "Not A Slug"), 2, "--source"),
            (("--source", "x" * 100), 2, "--source"),
            (("--source", "rp-no-such-source"), 1, "--source"),
            (("--bogus",), 2, "bogus"),
            (("lists",), 2, "lists"),
            (("resolve",), 2, "resolve"),
            (("resolve", "abc"), 2, "abc"),
            (("resolve", "0"), 2, "\"0\""),
            (("resolve", "-3"), 2, "\"-3\""),
            (("resolve", "1" * 30), 2, "1" * 30),
            (("deliver",), 2, "--public-url"),
            (("deliver", "--public-url", "ftp://x"), 2, "--public-url"),
            (("deliver", "--public-url", PUBLIC, "extra"), 2, "extra"),
        ]
        for args, status, named in cases:
            with self.subTest(args=args):
                p = finder(*args)
                self.assertEqual(p.returncode, status, p.stderr)
                self.assertIn(named, p.stderr)
                self.assertNotIn("Sanitizer", p.stderr)
                self.assertEqual(p.stdout, "")

    def test_help(self):
        for args in (("--help",), ("resolve", "--help"), ("deliver", "--help")):
            with self.subTest(args=args):
                p = finder(*args)
                self.assertEqual(p.returncode, 0, p.stderr)
                self.assertIn("usage: finder reports", p.stdout)

    def test_bad_database_is_status_1(self):
        p = finder(env={"FINDER_IMPORT_DATABASE": CONNINFO.replace("finder_importer",
                                                                    "no_such_role")})
        self.assertEqual(p.returncode, 1)
        self.assertIn("cannot connect to the database", p.stderr)


class CDelivery(unittest.TestCase):
    def test_payload_has_no_contact(self):
        contact = "secret-contact-" + uuid.uuid4().hex + "@example.org"
        rid, message = report("meeting", MEETINGS["rp-ok"], "Moved to room 4", contact)
        p = deliver()
        self.assertIn(f"report {rid} delivered to the webhook of rp-ok (HTTP 200)", p.stderr)
        got = [(raw, obj) for raw, obj in RECEIVER.received("/ok") if obj["id"] == rid]
        self.assertEqual(len(got), 1)
        raw, obj = got[0]
        self.assertNotIn(contact.encode(), raw)
        self.assertNotIn(b"contact", raw)
        self.assertEqual(set(obj), PAYLOAD_KEYS)
        self.assertEqual(obj["kind"], "meeting")
        self.assertEqual(obj["message"], message)
        self.assertEqual(obj["source"], "rp-ok")
        self.assertRegex(obj["created_at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        mid = MEETINGS["rp-ok"]
        self.assertEqual(obj["meeting"], {"id": mid, "name": "Reports test rp-ok",
                                          "source_key": "m1",
                                          "url": f"{PUBLIC}/api/v1/meetings/{mid}"})
        with RECEIVER.lock:
            headers = [h for _, h, b in RECEIVER.requests if b == raw][0]
        self.assertEqual(headers.get("Content-Type"), "application/json")
        attempts, nxt, delivered, error = row(rid)
        self.assertEqual((attempts, nxt, delivered, error), (1, None, True, ""))
        r = by_id(listing("--source", "rp-ok"))[rid]
        self.assertEqual(r["delivery"]["state"], "delivered")
        self.assertIsNotNone(r["delivery"]["delivered_at"])
        # Delivered once: the next pass sends nothing more.
        deliver()
        self.assertEqual(RECEIVER.ids("/ok").count(rid), 1)

    def test_service_payload(self):
        sid = demo_service()
        rid, _ = report("service", sid, "Closed on Mondays", "bo@example.org")
        set_webhook("demo-services", RECEIVER.url("/services"))
        try:
            deliver()
        finally:
            drop_webhook("demo-services")
        got = [(raw, obj) for raw, obj in RECEIVER.received("/services") if obj["id"] == rid]
        self.assertEqual(len(got), 1)
        raw, obj = got[0]
        self.assertNotIn(b"bo@example.org", raw)
        self.assertEqual(set(obj), PAYLOAD_KEYS - {"meeting"} | {"service"})
        self.assertEqual(set(obj["service"]), TARGET_KEYS)
        self.assertEqual(obj["service"]["id"], sid)
        self.assertEqual(obj["service"]["url"], f"{PUBLIC}/api/v1/services/{sid}")
        self.assertEqual(obj["service"]["source_key"],
                         sql_value(f"SELECT source_key FROM hsds.service WHERE id = '{sid}'"))
        self.assertEqual(obj["source"], "demo-services")

    def test_retry_with_back_off(self):
        rid, _ = report("meeting", MEETINGS["rp-flaky"], "Flaky")
        RECEIVER.plans["/flaky"] = [500, 503]
        deliver()
        attempts, nxt, delivered, error = row(rid)
        self.assertEqual((attempts, delivered, error), (1, False, "HTTP 500"))
        self.assertTrue(50 < nxt <= 60, nxt)
        r = by_id(listing("--source", "rp-flaky"))[rid]["delivery"]
        self.assertEqual((r["state"], r["attempts"], r["error"]), ("retrying", 1, "HTTP 500"))
        self.assertIsNotNone(r["next_attempt_at"])
        text = finder("--source", "rp-flaky").stdout
        self.assertIn("delivery: 1 failed attempt, next at ", text)
        # Not due yet: the next pass leaves it.
        deliver()
        self.assertEqual(RECEIVER.ids("/flaky").count(rid), 1)
        make_due(rid)
        deliver()
        attempts, nxt, delivered, error = row(rid)
        self.assertEqual((attempts, delivered, error), (2, False, "HTTP 503"))
        self.assertTrue(110 < nxt <= 120, nxt)
        make_due(rid)
        deliver()
        self.assertEqual(row(rid), (3, None, True, ""))
        self.assertEqual(RECEIVER.ids("/flaky").count(rid), 3)

    def test_a_redirect_is_not_followed(self):
        rid, _ = report("meeting", MEETINGS["rp-flaky"], "Redirected")
        hold_back("rp-flaky")
        make_due(rid)
        RECEIVER.plans["/flaky"] = [307]
        deliver()
        attempts, _, delivered, error = row(rid)
        self.assertEqual((attempts, delivered, error), (1, False, "HTTP 307"))
        self.assertNotIn(rid, RECEIVER.ids("/ok"))

    def test_back_off_is_capped_at_6_hours(self):
        hold_back("rp-down")
        rid, _ = report("meeting", MEETINGS["rp-down"], "Capped")
        sql(f"UPDATE feedback SET delivery_attempts = 9 WHERE id = {rid}")
        deliver()
        attempts, nxt, _, _ = row(rid)
        self.assertEqual(attempts, 10)
        self.assertTrue(6 * 3600 - 30 < nxt <= 6 * 3600, nxt)

    def test_nothing_listens_and_private_address(self):
        hold_back("rp-down", "rp-private")
        down, _ = report("meeting", MEETINGS["rp-down"], "Down")
        private, _ = report("meeting", MEETINGS["rp-private"], "Private")
        started = time.monotonic()
        p = deliver()
        self.assertLess(time.monotonic() - started, 8, p.stderr)
        for rid in (down, private):
            attempts, nxt, delivered, error = row(rid)
            self.assertEqual((attempts, delivered), (1, False), error)
            self.assertNotEqual(error, "")
            self.assertNotRegex(error, r"^HTTP ")
            self.assertTrue(50 < nxt <= 60, nxt)
        # The fetcher's words for an address it will not connect to.
        self.assertIn("refused to connect to 10.255.255.1", row(private)[3])
        # The log names the source, not the webhook's URL.
        self.assertIn(f"report {private}: the webhook of rp-private failed", p.stderr)
        self.assertNotIn("/hook", p.stderr)
        self.assertNotIn("/nothing-listens", p.stderr)

    def test_a_failing_webhook_holds_no_other_back(self):
        hold_back("rp-down")
        d1, _ = report("meeting", MEETINGS["rp-down"], "Down 1")
        d2, _ = report("meeting", MEETINGS["rp-down"], "Down 2")
        ok, _ = report("meeting", MEETINGS["rp-ok"], "Fine")
        deliver()
        self.assertTrue(row(ok)[2])
        # The second of the dead webhook's reports waits for the next pass.
        self.assertEqual(sorted([row(d1)[0], row(d2)[0]]), [0, 1])

    def test_gives_up_after_12_attempts(self):
        hold_back("rp-down")
        rid, _ = report("meeting", MEETINGS["rp-down"], "Hopeless")
        sql(f"UPDATE feedback SET delivery_attempts = 11 WHERE id = {rid}")
        p = deliver()
        self.assertIn(f"report {rid}: the webhook of rp-down failed", p.stderr)
        self.assertIn("given up after 12 attempts", p.stderr)
        attempts, nxt, delivered, error = row(rid)
        self.assertEqual((attempts, nxt, delivered), (12, None, False))
        r = by_id(listing("--source", "rp-down"))[rid]["delivery"]
        self.assertEqual((r["state"], r["attempts"], r["next_attempt_at"]),
                         ("gave_up", 12, None))
        self.assertIn("delivery: given up after 12 failed attempts (",
                      finder("--source", "rp-down").stdout)
        deliver()
        self.assertEqual(row(rid)[0], 12)

    def test_resolved_first_is_not_sent(self):
        rid, _ = report("meeting", MEETINGS["rp-ok"], "Spam")
        self.assertEqual(finder("resolve", str(rid)).returncode, 0)
        deliver()
        self.assertNotIn(rid, RECEIVER.ids("/ok"))
        r = by_id(listing("--all", "--source", "rp-ok"))[rid]
        self.assertEqual(r["delivery"]["state"], "not_sent")

    def test_two_passes_at_once_deliver_each_report_once(self):
        rids = [report("meeting", MEETINGS["rp-slow"], f"Slow {i}")[0] for i in range(8)]
        RECEIVER.delays["/slow"] = 0.3
        env = dict(os.environ, FINDER_IMPORT_DATABASE=CONNINFO, FINDER_FETCH_ALLOW="127.0.0.1")
        try:
            procs = [subprocess.Popen([FINDER_BIN, "reports", "deliver", "--public-url", PUBLIC,
                                       "--quiet"], env=env, stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, text=True) for _ in range(2)]
            outs = [p.communicate(timeout=120) for p in procs]
        finally:
            RECEIVER.delays.pop("/slow", None)
        for p, (out, err) in zip(procs, outs):
            self.assertEqual(p.returncode, 0, err)
            self.assertEqual(err, "")
        got = RECEIVER.ids("/slow")
        for rid in rids:
            self.assertEqual(got.count(rid), 1, got)
            self.assertTrue(row(rid)[2])


if __name__ == "__main__":
    main()
