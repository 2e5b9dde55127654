"""Sources synced from their URLs (`finder source`, `finder sync`) against
the running stack and a real HTTP server of the test's own on loopback
(FINDER_FETCH_ALLOW=127.0.0.1 lets the fetcher reach it; nothing else on
loopback or in private ranges). The feeds change between syncs; each way a
source can fail is tried beside a good source, which must come through
untouched: 200, 304, the same body, 404, 500, a slow server, an oversized
body, a truncated body, an HTML page, a redirect to a private address, a
sudden 90% drop (held until confirmed), a self-signed certificate. Then the
back-off, the expiry with a fixed clock (--now), the scheduler loop, and
GET /api/v1/sources."""

import glob
import gzip
import http.client
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import threading
import time
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from harness import ROOT, api, get, main, request, sql, sql_value

STACK = os.path.join(ROOT, "scripts", "stack.sh")
SHARED = os.path.normpath(os.path.join(ROOT, "..", "shared", "data"))
T0 = "2026-03-01T12:00:00Z"


def meeting(i, prefix="m"):
    return {"name": f"Sync Test {prefix} {i}", "slug": f"{prefix}-{i}", "day": i % 7,
            "time": "19:30", "types": ["O", "D"], "location": "Grace Church",
            "address": f"{100 + i} Main St", "city": "Lawrence", "state": "KS",
            "postal_code": "66044", "country": "US",
            "latitude": 38.97 + i / 1000, "longitude": -95.24}


def feed(n, prefix="m"):
    return json.dumps([meeting(i, prefix) for i in range(n)]).encode()


class Server:
    """A loopback HTTP server whose answers the tests set per path."""

    def __init__(self, context=None):
        self.routes = {}
        self.requests = []
        self.bodies = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                outer.requests.append((self.path, dict(self.headers)))
                route = outer.routes.get(self.path) or \
                    outer.routes.get(self.path.split("?")[0], {"status": 404})
                outer.answer(self, route)

            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                outer.bodies.append(self.rfile.read(length).decode("utf-8", "replace"))
                self.do_GET()

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        if context:
            self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def url(self, path, scheme="http"):
        return f"{scheme}://127.0.0.1:{self.port}{path}"

    def answer(self, h, route):
        body = route.get("body", b"")
        status = route.get("status", 200)
        if route.get("sleep"):
            time.sleep(route["sleep"])
        etag = route.get("etag")
        if etag and h.headers.get("If-None-Match") == etag:
            h.send_response(304)
            h.send_header("ETag", etag)
            h.send_header("Content-Length", "0")
            h.end_headers()
            return
        if route.get("gzip") and "gzip" in h.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body)
        h.send_response(status)
        h.send_header("Content-Type", route.get("type", "application/json"))
        for k, v in route.get("headers", {}).items():
            h.send_header(k, v)
        if etag:
            h.send_header("ETag", etag)
        if route.get("gzip") and "gzip" in h.headers.get("Accept-Encoding", ""):
            h.send_header("Content-Encoding", "gzip")
        declared = route.get("declare", len(body))
        h.send_header("Content-Length", str(declared))
        h.end_headers()
        try:
            h.wfile.write(body)
            h.wfile.flush()
        except OSError:
            pass
        if declared != len(body):
            h.close_connection = True

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def run(*args, allow="127.0.0.1", timeout=120):
    env = dict(os.environ, FINDER_FETCH_ALLOW=allow)
    proc = subprocess.run([STACK, *args], capture_output=True, text=True, timeout=timeout,
                          env=env)
    return proc.returncode, proc.stdout, proc.stderr


def add(slug, url, *extra, fmt="meeting-guide"):
    rc, out, err = run("source", "add", slug, "--url", url, "--format", fmt,
                       "--timezone", "America/Chicago", "--fellowship", "aa", *extra)
    if rc != 0:
        raise AssertionError(f"source add {slug}: {err}")


def sync(*args, allow="127.0.0.1"):
    return run("sync", *args, allow=allow)


def active(slug):
    return int(sql_value(f"""SELECT count(*) FROM meetings m JOIN sources s ON s.id = m.source_id
                             WHERE s.slug = '{slug}' AND m.active"""))


def state(slug):
    row = sql(f"""SELECT sync_status, coalesce(sync_error, ''), failures,
                         coalesce(etag, ''), (SELECT count(*) FROM source_attempts a
                                              WHERE a.source_id = s.id)
                  FROM sources s WHERE slug = '{slug}'""")[0]
    return {"status": row[0], "error": row[1], "failures": int(row[2]), "etag": row[3],
            "attempts": int(row[4])}


def last_attempt(slug):
    row = sql(f"""SELECT outcome, coalesce(http_status::text, ''), coalesce(error, '')
                  FROM source_attempts a JOIN sources s ON s.id = a.source_id
                  WHERE s.slug = '{slug}' ORDER BY a.id DESC LIMIT 1""")[0]
    return {"outcome": row[0], "status": row[1], "error": row[2]}


class SyncTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.temp_before = set(glob.glob("/tmp/finder-sync.*"))
        cls.srv = Server()
        cls.srv.routes["/good.json"] = {"body": feed(20, "good"), "etag": '"g1"'}
        add("sync-good", cls.srv.url("/good.json"), "--every", "1h")
        rc, out, err = sync("sync-good")
        assert rc == 0, err

    @classmethod
    def tearDownClass(cls):
        cls.srv.close()
        # The suites after this one search the demo data: the test's
        # sources leave search.
        for (slug,) in sql("SELECT slug FROM sources WHERE slug LIKE 'sync-%' "
                           "AND removed_at IS NULL"):
            run("source", "remove", slug)

    def setUp(self):
        self.good_before = sql_value("""SELECT md5(string_agg(m::text, '|' ORDER BY m.id))
            FROM meetings m JOIN sources s ON s.id = m.source_id WHERE s.slug = 'sync-good'""")

    def assert_good_intact(self):
        self.assertEqual(active("sync-good"), 20)
        self.assertEqual(self.good_before, sql_value("""
            SELECT md5(string_agg(m::text, '|' ORDER BY m.id))
            FROM meetings m JOIN sources s ON s.id = m.source_id WHERE s.slug = 'sync-good'"""))

    # -- Adding sources ---------------------------------------------------

    def test_add_refuses_bad_options(self):
        cases = [
            (["--url", "ftp://x.example/feed", "--format", "meeting-guide"], "--url"),
            (["--url", "https://x.example/f", "--format", "xml"], "--format"),
            (["--url", "https://x.example/f", "--format", "meeting-guide", "--every", "5"],
             "--every"),
            (["--url", "https://x.example/f", "--format", "meeting-guide", "--every", "0m"],
             "--every"),
            (["--url", "https://x.example/f", "--format", "meeting-guide", "--max-drop", "0"],
             "--max-drop"),
            (["--url", "https://x.example/f", "--format", "bmlt"], "--service-body"),
            (["--url", "https://x.example/f", "--format", "meeting-guide",
              "--webhook", "javascript:x"], "--webhook"),
            (["--url", "https://x.example/f", "--format", "meeting-guide",
              "--feedback-email", "nobody"], "--feedback-email"),
        ]
        for args, named in cases:
            rc, out, err = run("source", "add", "sync-bad", *args)
            self.assertEqual(rc, 2, args)
            self.assertIn(named, err, args)
        rc, out, err = run("source", "add", "Bad_Slug", "--url", "https://x.example/f",
                           "--format", "meeting-guide")
        self.assertEqual(rc, 2)
        self.assertIn("SLUG", err)
        rc, out, err = run("source", "add", "sync-new", "--url", "https://x.example/f",
                           "--format", "meeting-guide")
        self.assertEqual(rc, 1)
        self.assertIn("--timezone and --fellowship", err)
        self.assertEqual(sql("SELECT 1 FROM sources WHERE slug IN ('sync-bad', 'sync-new')"), [])

    def test_source_list(self):
        rc, out, err = run("source", "list", "--json")
        self.assertEqual(rc, 0, err)
        good = [s for s in json.loads(out) if s["slug"] == "sync-good"][0]
        self.assertEqual(good["url"], self.srv.url("/good.json"))
        self.assertEqual(good["status"], "ok")
        self.assertEqual(good["meetings"], 20)
        rc, out, err = run("source", "list")
        self.assertIn("sync-good", out)

    # -- Fetching -----------------------------------------------------------

    def test_first_sync_imported_with_user_agent_and_gzip(self):
        self.assertEqual(active("sync-good"), 20)
        agents = [h.get("User-Agent", "") for p, h in self.srv.requests if p == "/good.json"]
        self.assertTrue(agents and all("RecoveryFinder" in a for a in agents), agents)
        self.srv.routes["/gz.json"] = {"body": feed(5, "gz"), "gzip": True}
        add("sync-gzip", self.srv.url("/gz.json"))
        rc, out, err = sync("sync-gzip")
        self.assertEqual(rc, 0, err)
        self.assertEqual(active("sync-gzip"), 5)
        encodings = [h.get("Accept-Encoding", "") for p, h in self.srv.requests
                     if p == "/gz.json"]
        self.assertIn("gzip", encodings[-1])

    def test_304_and_same_body_change_nothing(self):
        rc, out, err = sync("sync-good")
        self.assertEqual(rc, 0, err)
        self.assertEqual(last_attempt("sync-good"), {"outcome": "unchanged", "status": "304",
                                                     "error": ""})
        sent = [h.get("If-None-Match") for p, h in self.srv.requests if p == "/good.json"]
        self.assertEqual(sent[-1], '"g1"')
        # The same body without validators: the digest says it is the same.
        self.srv.routes["/same.json"] = {"body": feed(3, "same")}
        add("sync-same", self.srv.url("/same.json"))
        self.assertEqual(sync("sync-same")[0], 0)
        changed = sql_value("SELECT last_change_at FROM sources WHERE slug = 'sync-same'")
        self.assertEqual(sync("sync-same")[0], 0)
        self.assertEqual(last_attempt("sync-same")["outcome"], "unchanged")
        self.assertEqual(changed,
                         sql_value("SELECT last_change_at FROM sources WHERE slug = 'sync-same'"))
        self.assert_good_intact()

    def test_changed_feed_is_imported(self):
        self.srv.routes["/change.json"] = {"body": feed(4, "ch")}
        add("sync-change", self.srv.url("/change.json"))
        self.assertEqual(sync("sync-change")[0], 0)
        self.assertEqual(active("sync-change"), 4)
        self.srv.routes["/change.json"] = {"body": feed(6, "ch")}
        rc, out, err = sync("sync-change")
        self.assertEqual(rc, 0, err)
        self.assertIn("changed", out)
        self.assertEqual(active("sync-change"), 6)
        self.assertEqual(last_attempt("sync-change")["outcome"], "changed")

    def failing(self, slug, route, expect, *sync_args, allow="127.0.0.1"):
        """A source that answers `route` fails with `expect` in its error, in
        one pass with the good source, which stays as it was."""
        self.srv.routes[f"/{slug}.json"] = {"body": feed(3, slug)}
        add(slug, self.srv.url(f"/{slug}.json"))
        self.assertEqual(sync(slug)[0], 0)
        self.assertEqual(active(slug), 3)
        self.srv.routes[f"/{slug}.json"] = route
        self.srv.routes["/good.json"]["body"] = feed(20, "good")
        start = time.monotonic()
        rc, out, err = sync(slug, "sync-good", *sync_args, allow=allow)
        elapsed = time.monotonic() - start
        self.assertEqual(rc, 1, err)
        st = state(slug)
        self.assertEqual(st["status"], "failed")
        self.assertIn(expect, st["error"])
        self.assertEqual(last_attempt(slug)["outcome"], "failed")
        self.assertEqual(active(slug), 3, "a failed sync changed the source's meetings")
        self.assert_good_intact()
        self.assertEqual(last_attempt("sync-good")["outcome"], "unchanged")
        return elapsed

    def test_404(self):
        self.failing("sync-404", {"status": 404, "body": b"not here"}, "HTTP 404")

    def test_500(self):
        self.failing("sync-500", {"status": 500, "body": b"oops"}, "HTTP 500")

    def test_html_error_page(self):
        self.failing("sync-html", {"body": b"<!DOCTYPE html><html><body>Maintenance</body></html>",
                                   "type": "text/html"}, "HTML page")

    def test_html_page_sent_as_json(self):
        self.failing("sync-html2", {"body": b"  <html><body>Sign in</body></html>"}, "HTML page")

    def test_not_json(self):
        self.failing("sync-notjson", {"body": b'[{"name": "cut'}, "")

    def test_truncated_body(self):
        self.failing("sync-cut", {"body": feed(3, "cut")[:50], "declare": 5000}, "cut short")

    def test_slow_server_times_out(self):
        elapsed = self.failing("sync-slow", {"body": feed(3, "slow"), "sleep": 6}, "timed out",
                               "--timeout", "2")
        self.assertLess(elapsed, 30)

    def test_a_slow_server_holds_up_only_its_own_source(self):
        self.srv.routes["/crawl.json"] = {"body": feed(3, "crawl")}
        self.srv.routes["/brisk.json"] = {"body": feed(3, "brisk")}
        add("sync-crawl", self.srv.url("/crawl.json"))
        add("sync-brisk", self.srv.url("/brisk.json"))
        self.srv.routes["/crawl.json"] = {"body": feed(4, "crawl"), "sleep": 6}
        self.srv.routes["/brisk.json"] = {"body": feed(4, "brisk")}
        # Named first, the slow one starts first; the other does not wait.
        rc, out, err = sync("sync-crawl", "sync-brisk", "--jobs", "2")
        self.assertEqual(rc, 0, err)
        self.assertEqual((active("sync-crawl"), active("sync-brisk")), (4, 4))
        brisk_done, crawl_done = (sql_value(f"""SELECT max(a.finished_at)::text FROM source_attempts a
            JOIN sources s ON s.id = a.source_id WHERE s.slug = '{slug}'""")
                                  for slug in ("sync-brisk", "sync-crawl"))
        self.assertLess(brisk_done, crawl_done)
        self.assertLess(out.index("sync-brisk: changed"), out.index("sync-crawl: changed"))

    def test_oversized_body(self):
        self.failing("sync-big", {"body": feed(40, "big")}, "larger than 2000 bytes",
                     "--max-bytes", "2000")

    def test_oversized_body_compressed(self):
        # Counted after decoding: a small gzip of a large body is still large.
        self.failing("sync-bomb", {"body": b"[" + b" " * 200000 + b"]", "gzip": True},
                     "larger than 2000 bytes", "--max-bytes", "2000")

    def test_redirect_to_private_address_refused(self):
        for slug, target in (("sync-redir", "http://10.255.255.1/feed.json"),
                             ("sync-meta", "http://169.254.169.254/latest/meta-data/")):
            elapsed = self.failing(slug, {"status": 302, "headers": {"Location": target}},
                                   "refused to connect to " + target.split("/")[2])
            self.assertLess(elapsed, 30)

    def test_too_many_redirects(self):
        for i in range(7):
            self.srv.routes[f"/loop{i}"] = {"status": 302,
                                            "headers": {"Location": self.srv.url(f"/loop{i + 1}")}}
        self.failing("sync-loop", {"status": 302, "headers": {"Location": self.srv.url("/loop0")}},
                     "more than 5 redirects")

    def test_loopback_refused_unless_allowed(self):
        self.srv.routes["/local.json"] = {"body": feed(3, "local")}
        add("sync-local", self.srv.url("/local.json"))
        asked = len(self.srv.requests)
        rc, out, err = sync("sync-local", allow="")
        self.assertEqual(rc, 1)
        self.assertIn("refused to connect to 127.0.0.1", state("sync-local")["error"])
        self.assertEqual(len(self.srv.requests), asked, "the server was reached")
        self.assertEqual(active("sync-local"), 0)

    def test_dns_failure(self):
        add("sync-dns", "http://no-such-host.invalid/feed.json")
        rc, out, err = sync("sync-dns", "sync-good")
        self.assertEqual(rc, 1)
        self.assertEqual(state("sync-dns")["status"], "failed")
        self.assertNotEqual(state("sync-dns")["error"], "")
        self.assert_good_intact()

    def test_self_signed_certificate_refused(self):
        if not shutil.which("openssl"):
            self.skipTest("openssl is missing: no certificate to serve")
        d = tempfile.mkdtemp()
        try:
            subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                            "-keyout", f"{d}/key.pem", "-out", f"{d}/cert.pem", "-days", "2",
                            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                           check=True, capture_output=True)
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(f"{d}/cert.pem", f"{d}/key.pem")
            tls = Server(ctx)
            tls.routes["/feed.json"] = {"body": feed(3, "tls")}
            try:
                add("sync-tls", tls.url("/feed.json", "https"))
                rc, out, err = sync("sync-tls", "sync-good")
                self.assertEqual(rc, 1)
                self.assertIn("certificate", state("sync-tls")["error"])
                self.assertEqual(active("sync-tls"), 0)
                self.assert_good_intact()
            finally:
                tls.close()
        finally:
            shutil.rmtree(d)

    # -- The lock, and an error kept short ---------------------------------------

    def test_a_source_another_sync_holds_is_skipped(self):
        # Another sync: a session holding the source's advisory lock
        # (LOCK_CLASS 7141 in sync.c, and the source's id).
        holder = subprocess.Popen([STACK, "psql", "-q"], stdin=subprocess.PIPE,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True)
        held = lambda: sql("""SELECT count(*) FROM pg_locks l JOIN sources s ON l.objid = s.id
            WHERE l.locktype = 'advisory' AND l.classid = 7141 AND l.granted
            AND s.slug = 'sync-good'""")[0][0] == "1"
        before = state("sync-good")["attempts"]
        try:
            holder.stdin.write("SELECT pg_advisory_lock(7141, id) FROM sources "
                               "WHERE slug = 'sync-good';\n")
            holder.stdin.flush()
            deadline = time.monotonic() + 10
            while not held() and time.monotonic() < deadline:
                time.sleep(0.1)
            self.assertTrue(held(), "the lock was not taken")
            rc, out, err = sync("sync-good")
        finally:
            holder.stdin.close()
            holder.wait(timeout=30)
        self.assertEqual(rc, 0, err)
        self.assertIn("sync-good: another sync has it; skipped", err)
        self.assertEqual(state("sync-good")["attempts"], before)

    def test_a_database_error_taking_the_lock_is_an_error(self):
        # Not "another sync has it": the database's own message, and the
        # pass fails.
        before = state("sync-good")["attempts"]
        sql("REVOKE EXECUTE ON FUNCTION pg_try_advisory_lock(integer, integer) FROM PUBLIC")
        try:
            rc, out, err = sync("sync-good")
        finally:
            sql("GRANT EXECUTE ON FUNCTION pg_try_advisory_lock(integer, integer) TO PUBLIC")
        self.assertEqual(rc, 1, err)
        self.assertIn("permission denied for function pg_try_advisory_lock", err)
        self.assertIn("sync-good: not synced: its lock could not be taken", err)
        self.assertNotIn("another sync", err)
        self.assertEqual(state("sync-good")["attempts"], before)
        self.assertEqual(sync("sync-good")[0], 0)

    def test_a_long_error_is_kept_cut_between_characters(self):
        # A URL of two-byte characters, longer than the error kept (511
        # bytes), which ends in the URL: cut at a byte count it would end
        # inside a character, and the database would refuse to record it.
        base = self.srv.url("/")
        pad = "x" * (len(base) % 2)  # so that byte 511 is inside an "é"
        url = base + pad + "é" * 300
        add("sync-long", url)
        self.assertEqual((len(base) + len(pad)) % 2, 0)
        rc, out, err = sync("sync-long")
        self.assertEqual(rc, 1, err)
        st = state("sync-long")
        self.assertEqual(st["status"], "failed")
        self.assertEqual(len(st["error"].encode()), 510)
        self.assertTrue(url.startswith(st["error"]), st["error"][:80])
        self.assertEqual(last_attempt("sync-long")["error"], st["error"])
        # The import's error, which names the file as the URL it came from,
        # is cut the same way.
        path = url[len(base) - 1:]
        # As curl asks for it: the bytes past ASCII escaped, in lower case.
        sent = "".join(f"%{b:02x}" if b > 0x7f else chr(b) for b in path.encode())
        self.srv.routes[sent] = {"body": b"this is not JSON"}
        rc, out, err = sync("sync-long")
        self.assertEqual(rc, 1, err)
        st = state("sync-long")
        self.assertEqual(len(st["error"].encode()), 510)
        self.assertTrue(url.startswith(st["error"]), st["error"][:80])
        self.assertEqual(last_attempt("sync-long")["status"], "200", "the import was not run")

    # -- Drops, back-off, expiry -----------------------------------------------

    def test_sudden_drop_held_until_confirmed(self):
        self.srv.routes["/drop.json"] = {"body": feed(20, "drop")}
        add("sync-drop", self.srv.url("/drop.json"))
        self.assertEqual(sync("sync-drop")[0], 0)
        self.srv.routes["/drop.json"] = {"body": feed(2, "drop")}
        rc, out, err = sync("sync-drop", "sync-good")
        self.assertEqual(rc, 0, err)
        st = state("sync-drop")
        self.assertEqual(st["status"], "held")
        self.assertIn("18 of the source's 20", st["error"])
        self.assertIn("finder source confirm sync-drop", st["error"])
        self.assertEqual(active("sync-drop"), 20, "a held drop was applied")
        self.assert_good_intact()
        # Held again while not confirmed; applied once confirmed.
        self.assertEqual(sync("sync-drop")[0], 0)
        self.assertEqual(active("sync-drop"), 20)
        rc, out, err = run("source", "confirm", "sync-drop")
        self.assertEqual(rc, 0, err)
        self.assertEqual(sync("sync-drop")[0], 0)
        self.assertEqual(active("sync-drop"), 2)
        self.assertEqual(state("sync-drop")["status"], "ok")
        # Confirmed once, not for ever.
        self.assertEqual(sql_value("SELECT drop_confirmed FROM sources WHERE slug = 'sync-drop'"),
                         "f")
        rc, out, err = run("source", "confirm", "sync-drop")
        self.assertEqual(rc, 1)

    def test_back_off_and_every_attempt_recorded(self):
        self.srv.routes["/flaky.json"] = {"status": 503}
        add("sync-flaky", self.srv.url("/flaky.json"), "--every", "6h")
        before = state("sync-flaky")["attempts"]
        waits = []
        for i in range(4):
            t = f"2026-05-01T00:{i:02d}:00Z"
            sync("sync-flaky", "--now", t)
            waits.append(int(float(sql_value(f"""SELECT extract(epoch FROM next_sync_at -
                '{t}'::timestamptz) / 60 FROM sources WHERE slug = 'sync-flaky'"""))))
        self.assertEqual(waits, [1, 2, 4, 8])
        st = state("sync-flaky")
        self.assertEqual((st["failures"], st["attempts"] - before), (4, 4))
        # A due pass at a time before the next attempt leaves it alone.
        sync("--now", "2026-05-01T00:04:00Z")
        self.assertEqual(state("sync-flaky")["attempts"] - before, 4)
        self.srv.routes["/flaky.json"] = {"body": feed(2, "flaky")}
        self.assertEqual(sync("sync-flaky")[0], 0)
        self.assertEqual(state("sync-flaky")["failures"], 0)

    def test_expiry_with_a_fixed_clock(self):
        self.srv.routes["/quiet.json"] = {"body": feed(5, "quiet")}
        add("sync-quiet", self.srv.url("/quiet.json"), "--stale-after", "30d",
            "--expire-after", "90d")
        self.assertEqual(sync("sync-quiet", "--now", T0)[0], 0)
        self.assertEqual(active("sync-quiet"), 5)
        self.srv.routes["/quiet.json"] = {"status": 500}
        # Day 60: failing, stale, still listed.
        sync("--now", "2026-04-30T12:00:00Z")
        self.assertEqual(active("sync-quiet"), 5)
        # Day 91: out of search, and said why.
        rc, out, err = sync("--now", "2026-05-31T12:00:00Z")
        self.assertEqual(active("sync-quiet"), 0)
        self.assertIn("sync-quiet: not confirmed since 2026-03-01T12:00:00Z", err)
        self.assertEqual(sql_value("SELECT sync_status FROM sources WHERE slug = 'sync-quiet'"),
                         "expired")
        mid = sql_value("""SELECT min(m.id) FROM meetings m JOIN sources s
                           ON s.id = m.source_id WHERE s.slug = 'sync-quiet'""")
        body = api(f"meetings/{mid}").json()
        self.assertFalse(body["active"])
        # Back: the next good answer is imported whatever its validators.
        self.srv.routes["/quiet.json"] = {"body": feed(5, "quiet")}
        self.assertEqual(sync("sync-quiet")[0], 0)
        self.assertEqual(active("sync-quiet"), 5)
        self.assertEqual(sql_value("SELECT sync_status FROM sources WHERE slug = 'sync-quiet'"),
                         "ok")

    def test_remove_disable_enable(self):
        self.srv.routes["/gone.json"] = {"body": feed(3, "gone")}
        add("sync-gone", self.srv.url("/gone.json"))
        self.assertEqual(sync("sync-gone")[0], 0)
        self.assertEqual(run("source", "disable", "sync-gone")[0], 0)
        rc, out, err = sync("sync-gone")
        self.assertEqual(rc, 1)
        self.assertIn("disabled", err)
        self.assertEqual(active("sync-gone"), 3)
        self.assertEqual(run("source", "enable", "sync-gone")[0], 0)
        self.assertEqual(run("source", "remove", "sync-gone")[0], 0)
        self.assertEqual(active("sync-gone"), 0)
        slugs = [s["slug"] for s in request("GET", "/api/v1/sources",
                                            headers={"Cache-Control": "no-cache"}).json()["sources"]]
        self.assertNotIn("sync-gone", slugs)
        self.assertEqual(run("source", "remove", "sync-gone")[0], 1)
        self.assertEqual(run("source", "remove", "demo")[0], 1)
        # Added again: back, with its meetings.
        add("sync-gone", self.srv.url("/gone.json"))
        self.assertEqual(sync("sync-gone", "--force")[0], 0)
        self.assertEqual(active("sync-gone"), 3)

    # -- BMLT -----------------------------------------------------------------

    def test_bmlt_source(self):
        results = os.path.join(SHARED, "bmlt", "gnyr-test_GetSearchResults_nearest50_mon.json")
        formats = os.path.join(SHARED, "bmlt", "gnyr-test_GetFormats_en.json")
        if not (os.path.exists(results) and os.path.exists(formats)):
            self.skipTest(f"{SHARED}/bmlt is absent: no BMLT responses to serve")
        with open(results, "rb") as f:
            rbody = f.read()
        with open(formats, "rb") as f:
            fbody = f.read()
        self.srv.routes["/main_server/client_interface/json/"] = {"status": 400}
        q = "?switcher=GetSearchResults&services%5B%5D=3&services%5B%5D=7&recursive=1"
        self.srv.routes["/main_server/client_interface/json/" + q] = {"body": rbody}
        self.srv.routes["/main_server/client_interface/json/?switcher=GetFormats"] = \
            {"body": fbody}
        add("sync-bmlt", self.srv.url("/main_server/"), "--service-body", "3,7", fmt="bmlt")
        rc, out, err = sync("sync-bmlt")
        self.assertEqual(rc, 0, err)
        self.assertGreater(active("sync-bmlt"), 40)
        asked = [p for p, h in self.srv.requests if p.startswith("/main_server/")]
        self.assertIn("/main_server/client_interface/json/" + q, asked)
        self.assertIn("/main_server/client_interface/json/?switcher=GetFormats", asked)

    # -- HSDS -----------------------------------------------------------------

    def test_hsds_api_pages(self):
        def page(k, keys):
            return json.dumps({"total_items": 5, "total_pages": 2, "page_number": k,
                               "size": 3, "contents": [
                                   {"id": f"svc-{i}", "name": f"Sync Service {i}",
                                    "organization": {"id": "org-1", "name": "Sync Org"}}
                                   for i in keys]}).encode()
        self.srv.routes["/hsds/services"] = {"body": page(1, range(3))}
        self.srv.routes["/hsds/services?page=2"] = {"body": page(2, range(3, 5))}
        rc, out, err = run("source", "add", "sync-hsds", "--url", self.srv.url("/hsds/services"),
                           "--format", "hsds", "--timezone", "America/Chicago")
        self.assertEqual(rc, 0, err)
        rc, out, err = sync("sync-hsds")
        self.assertEqual(rc, 0, err)
        listed = lambda: int(sql_value("""SELECT count(*) FROM hsds.service sv
            JOIN sources s ON s.id = sv.source_id WHERE s.slug = 'sync-hsds' AND sv.listed"""))
        self.assertEqual(listed(), 5)
        # The second page changes while the first does not: still seen.
        self.srv.routes["/hsds/services?page=2"] = {"body": page(2, range(3, 6))}
        self.assertEqual(sync("sync-hsds")[0], 0)
        self.assertEqual(listed(), 6)
        # A page that fails fails the sync, and nothing changes.
        self.srv.routes["/hsds/services?page=2"] = {"status": 502}
        rc, out, err = sync("sync-hsds")
        self.assertEqual(rc, 1)
        self.assertIn("page=2 answered HTTP 502", state("sync-hsds")["error"])
        self.assertEqual(listed(), 6)

    # -- The scheduler and the API ---------------------------------------------

    def test_scheduler_loop(self):
        self.srv.routes["/loop.json"] = {"body": feed(2, "loop")}
        add("sync-sched", self.srv.url("/loop.json"))
        self.assertEqual(sync("sync-sched")[0], 0)
        self.srv.routes["/loop.json"] = {"body": feed(3, "loop")}
        add("sync-sched", self.srv.url("/loop.json"))
        var = os.environ.get("VAR_DIR", os.path.join(ROOT, "var"))
        pidfile = os.path.join(var, "run", "sync-test.pid")
        env = dict(os.environ, FINDER_FETCH_ALLOW="127.0.0.1")
        proc = subprocess.Popen([STACK, "sync", "--loop", "--interval", "1", "--quiet",
                                 "--pidfile", pidfile], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and active("sync-sched") < 3:
                time.sleep(0.5)
            self.assertEqual(active("sync-sched"), 3)
            while time.monotonic() < deadline and not os.path.exists(pidfile):
                time.sleep(0.2)
            with open(pidfile) as f:
                os.kill(int(f.read()), signal.SIGTERM)
            out, err = proc.communicate(timeout=30)
            self.assertEqual(proc.returncode, 0, err)
            self.assertIn("sync-sched: changed", out)
            self.assertFalse(os.path.exists(pidfile))
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()

    def test_a_pass_delivers_reports_to_the_webhook(self):
        self.srv.routes["/hooked.json"] = {"body": feed(2, "hooked")}
        self.srv.routes["/hook"] = {"status": 204}
        add("sync-hooked", self.srv.url("/hooked.json"), "--webhook", self.srv.url("/hook"))
        self.assertEqual(sync("sync-hooked")[0], 0)
        mid = int(sql_value("""SELECT min(m.id) FROM meetings m JOIN sources s
                               ON s.id = m.source_id WHERE s.slug = 'sync-hooked'"""))
        body = json.dumps({"kind": "meeting", "id": mid, "message": "The door code changed",
                           "contact": "reporter@example.org"}).encode()
        conn = http.client.HTTPConnection("127.0.0.1", int(os.environ["BASE_URL"].rsplit(":", 1)[1]),
                                          timeout=20, source_address=("127.0.0.77", 0))
        conn.request("POST", "/api/v1/feedback", body=body,
                     headers={"Content-Type": "application/json"})
        self.assertEqual(conn.getresponse().status, 201)
        conn.close()
        posts = len([p for p, h in self.srv.requests if p == "/hook"])
        rc, out, err = sync()  # a due pass: nothing to fetch, one report to deliver
        hooks = [p for p, h in self.srv.requests if p == "/hook"]
        self.assertEqual(len(hooks), posts + 1, err)
        payload = json.loads(self.srv.bodies[-1])
        self.assertEqual(payload["message"], "The door code changed")
        self.assertEqual(payload["meeting"]["id"], mid)
        self.assertEqual(payload["source"], "sync-hooked")
        self.assertNotIn("reporter@example.org", self.srv.bodies[-1])
        self.assertIsNotNone(sql_value(f"""SELECT delivered_at FROM feedback
                                            WHERE meeting_id = {mid}"""))

    def test_zz_no_temporary_directory_is_left(self):
        # Every sync fetches into a directory of its own and removes it,
        # whatever became of the fetch (run last: after every other sync).
        left = set(glob.glob("/tmp/finder-sync.*")) - self.temp_before
        self.assertEqual(left, set())

    def test_sources_api(self):
        self.srv.routes["/api404.json"] = {"status": 404}
        add("sync-api", self.srv.url("/api404.json"))
        sync("sync-api")
        body = request("GET", "/api/v1/sources", headers={"Cache-Control": "no-cache"}).json()
        by = {s["slug"]: s for s in body["sources"]}
        good, bad, demo = by["sync-good"], by["sync-api"], by["demo"]
        self.assertEqual(good["url"], self.srv.url("/good.json"))
        self.assertEqual(good["status"], "ok")
        self.assertIsNone(good["error"])
        for k in ("last_check_at", "last_change_at", "last_success_at", "next_sync_at"):
            self.assertRegex(good[k], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", k)
        self.assertEqual(good["meetings"], 20)
        self.assertFalse(good["stale"])
        self.assertEqual(bad["status"], "failed")
        self.assertIn("HTTP 404", bad["error"])
        self.assertIsNone(bad["last_success_at"])
        self.assertEqual(demo["status"], "file")
        self.assertIsNone(demo["url"])


if __name__ == "__main__":
    main()
