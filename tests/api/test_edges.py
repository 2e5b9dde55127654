"""The edges: every status nginx answers itself is JSON in the API's error
shape, with the security headers, over raw sockets (http.client cannot send
a malformed request line); no CORS header on the reports' errors; the API's
rate limit per address."""

import json
import os
import random
import re
import socket
import subprocess
import time
import unittest
import urllib.parse

from harness import BASE_URL, ROOT, VAR_DIR, main

_base = urllib.parse.urlsplit(BASE_URL)
HOST, PORT = _base.hostname, _base.port

# scripts/stack.sh's default limit, which the rate limit's tests restart the
# stack with (tests/run.sh gives the suites one they cannot cross).
API_RATE = "20r/s"
API_BURST = 40


def per_second(rate):
    n, unit = re.fullmatch(r"(\d+)r/([sm])", rate).groups()
    return int(n) / (60 if unit == "m" else 1)


def any_source():
    """A loopback address of its own for one connection: the rate limits
    are per address, and other suites' requests (and the reports' limit that
    test_feedback crosses) come from 127.0.0.1."""
    return f"127.{random.randint(100, 199)}.{random.randint(0, 255)}.{random.randint(1, 254)}"


def raw(data, source=None, timeout=10):
    """Sends data as it is on a new connection from the loopback address
    source (by default one of its own) and returns all that comes back until
    nginx closes it or timeout seconds pass."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(timeout)
    deadline = time.time() + timeout
    try:
        s.bind((source or any_source(), 0))
        s.connect((HOST, PORT))
        s.sendall(data)
        out = b""
        while time.time() < deadline:
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                break
            if not chunk:
                break
            out += chunk
        return out
    finally:
        s.close()


class Reply:
    def __init__(self, data):
        head, _, self.body = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        self.status_line = lines[0]
        self.status = int(lines[0].split(" ")[1])
        self.headers = {}
        for line in lines[1:]:
            k, _, v = line.partition(":")
            self.headers.setdefault(k.strip().lower(), []).append(v.strip())

    def header(self, name):
        values = self.headers.get(name)
        return values[0] if values else None

    def json(self):
        return json.loads(self.body.decode("utf-8"))


def send(data, **kw):
    return Reply(raw(data, **kw))


def req(line, headers=(), body=b""):
    head = line + "\r\n" + "".join(h + "\r\n" for h in headers) + "\r\n"
    return head.encode("latin-1") + body


FEEDBACK = ("Host: x", "Content-Type: application/json")


class Edges(unittest.TestCase):
    def assertJsonError(self, r, status, code):
        self.assertEqual(r.status, status, r.status_line)
        self.assertEqual(r.header("content-type"), "application/json")
        err = r.json()["error"]
        self.assertEqual(err["code"], code)
        self.assertIsInstance(err["message"], str)
        self.assertTrue(err["message"])
        self.assertEqual(r.header("x-content-type-options"), "nosniff")
        self.assertEqual(r.header("referrer-policy"), "no-referrer")
        self.assertIn("default-src 'self'", r.header("content-security-policy") or "")
        # Never kept by a cache on the way.
        self.assertEqual(r.header("cache-control"), "no-store")
        self.assertIsNone(r.header("server") and re.search(r"\d", r.header("server")))

    def test_malformed_request_line_400(self):
        for data in (b"GARBAGE\r\n\r\n",
                     b"GET /api/v1/meetings HTTP/1.1 extra\r\nHost: x\r\n\r\n",
                     b"CONNECT example.org:443 HTTP/1.1\r\nHost: x\r\n\r\n"):
            with self.subTest(data=data):
                self.assertJsonError(send(data), 400, "bad_request")

    def test_bad_header_400(self):
        r = send(req("GET /api/v1/meetings HTTP/1.1", ("Host: x", "Content-Length: -1")))
        self.assertJsonError(r, 400, "bad_request")

    def test_http_version_505(self):
        for version in ("HTTP/2.0", "HTTP/9.9"):
            with self.subTest(version=version):
                r = send(req(f"GET /api/v1/meetings {version}", ("Host: x",)))
                self.assertJsonError(r, 505, "http_version_not_supported")

    def test_trace_and_connect_405_with_allow(self):
        for method in ("TRACE", "CONNECT"):
            with self.subTest(method=method):
                r = send(req(f"{method} /api/v1/meetings HTTP/1.1", ("Host: x",)))
                self.assertJsonError(r, 405, "method_not_allowed")
                self.assertEqual(r.header("allow"), "GET, HEAD")
                r = send(req(f"{method} /api/v1/feedback HTTP/1.1", ("Host: x",)))
                self.assertJsonError(r, 405, "method_not_allowed")
                self.assertEqual(r.header("allow"), "POST")
                self.assertIsNone(r.header("access-control-allow-origin"))

    def test_other_methods_405_with_allow(self):
        # The handler's own 405 (nginx passes these methods on): JSON, one
        # Allow header.
        for method in ("PUT", "DELETE", "PATCH"):
            with self.subTest(method=method):
                r = send(req(f"{method} /api/v1/meetings HTTP/1.1",
                             ("Host: x", "Content-Length: 0", "Connection: close")))
                self.assertEqual(r.status, 405)
                self.assertTrue(r.header("content-type").startswith("application/json"))
                self.assertEqual(r.json()["error"]["code"], "method_not_allowed")
                self.assertEqual(r.headers.get("allow"), ["GET, HEAD"])
                self.assertEqual(r.header("x-content-type-options"), "nosniff")

    def test_unknown_transfer_encoding_501(self):
        r = send(req("POST /api/v1/feedback HTTP/1.1", FEEDBACK + ("Transfer-Encoding: gzip",)))
        self.assertJsonError(r, 501, "not_implemented")
        self.assertIsNone(r.header("access-control-allow-origin"))

    def test_bad_chunk_size_400(self):
        r = send(req("POST /api/v1/feedback HTTP/1.1", FEEDBACK + ("Transfer-Encoding: chunked",),
                     b"zz\r\n"))
        self.assertJsonError(r, 400, "bad_request")
        self.assertIsNone(r.header("access-control-allow-origin"))

    def test_chunked_on_http10_400(self):
        r = send(req("POST /api/v1/feedback HTTP/1.0", FEEDBACK + ("Transfer-Encoding: chunked",)))
        self.assertJsonError(r, 400, "bad_request")
        self.assertIsNone(r.header("access-control-allow-origin"))

    def test_body_too_large_413(self):
        big = b"x" * 8192
        cases = (
            ("chunked", req("POST /api/v1/feedback HTTP/1.1", FEEDBACK + ("Transfer-Encoding: chunked",),
                            b"2000\r\n" + big + b"\r\n0\r\n\r\n")),
            ("length", req("POST /api/v1/feedback HTTP/1.1", FEEDBACK + (f"Content-Length: {len(big)}",),
                           big)),
        )
        for name, data in cases:
            with self.subTest(name=name):
                r = send(data)
                self.assertJsonError(r, 413, "too_large")
                self.assertIsNone(r.header("access-control-allow-origin"))
        # A read's body: the read API's CORS header stays.
        r = send(req("GET /api/v1/meetings HTTP/1.1", ("Host: x", "Content-Length: 3000"), b"x" * 3000))
        self.assertJsonError(r, 413, "too_large")
        self.assertEqual(r.header("access-control-allow-origin"), "*")

    def test_uri_too_long_414(self):
        r = send(req("GET /api/v1/meetings?q=" + "a" * 5000 + " HTTP/1.1", ("Host: x",)))
        self.assertJsonError(r, 414, "uri_too_long")

    def test_headers_too_large_431(self):
        # nginx's own 494, answered as 431 (Request Header Fields Too Large).
        r = send(req("GET /api/v1/meetings HTTP/1.1", ("Host: x", "X-Big: " + "a" * 5000)))
        self.assertJsonError(r, 431, "headers_too_large")
        r = send(req("POST /api/v1/feedback HTTP/1.1", FEEDBACK + ("X-Big: " + "a" * 5000,)))
        self.assertJsonError(r, 431, "headers_too_large")
        self.assertIsNone(r.header("access-control-allow-origin"))

    def test_411_is_never_answered(self):
        # nginx 1.22 takes a POST without Content-Length as having no body:
        # the handler answers (400, the body is not JSON), never nginx's 411.
        r = send(req("POST /api/v1/feedback HTTP/1.1", FEEDBACK + ("Connection: close",)))
        self.assertNotEqual(r.status, 411)
        self.assertTrue(r.header("content-type").startswith("application/json"))
        self.assertIsNone(r.header("access-control-allow-origin"))


def app_start(**env):
    """The handler and nginx started again (scripts/stack.sh app-start),
    with env over this process's environment; True once the API answers."""
    subprocess.run([os.path.join(ROOT, "scripts", "stack.sh"), "app-start"], check=True,
                   capture_output=True, text=True, env={**os.environ, **env}, timeout=60)
    deadline = time.time() + 15
    while time.time() < deadline:
        try:
            if send(req("GET /api/v1/health HTTP/1.1", ("Host: x", "Connection: close"))).status == 200:
                return True
        except (OSError, IndexError, ValueError):
            pass
        time.sleep(0.2)
    return False


class RateLimit(unittest.TestCase):
    # Loopback addresses of this test's own: the limit is per address.
    SOURCE = "127.0.0.9"
    OTHER = "127.0.0.10"

    @classmethod
    def setUpClass(cls):
        # The default limit, whatever the stack was started with.
        assert app_start(API_RATE=API_RATE, API_BURST=str(API_BURST))

    @classmethod
    def tearDownClass(cls):
        # The stack as it was.
        assert app_start()

    def burst(self, source, n, then):
        """n pipelined HEADs of the feed's file (served by nginx, no
        handler needed), at most 500 on a connection (nginx closes one
        after keepalive_requests, 1000), and on the last connection the
        requests then, at once after them: the replies, in order."""
        one = "HEAD /api/v1/feeds/meeting-guide.json HTTP/1.1\r\nHost: x\r\n\r\n"
        close = "Connection: close\r\n\r\n"
        replies = []
        while n > 0:
            k = min(n, 500)
            n -= k
            data = (one * k).encode()
            data = data[:-2] + close.encode() if n else data + then
            out = raw(data, source=source, timeout=30)
            heads = k
            while out:
                head, sep, rest = out.partition(b"\r\n\r\n")
                r = Reply(head + sep)
                # A HEAD's reply has no body, whatever its Content-Length.
                length = 0 if heads > 0 else int(r.header("content-length") or 0)
                r.body, out = rest[:length], rest[length:]
                heads -= 1
                replies.append(r)
        return replies

    def test_api_rate_limit_429_json_per_address(self):
        n = API_BURST + int(per_second(API_RATE)) + 40
        # (The report last: nginx closes a connection after refusing a
        # request whose body it has not read.)
        then = req("GET /api/v1/fellowships HTTP/1.1", ("Host: x",))
        then += req("POST /api/v1/feedback HTTP/1.1",
                    FEEDBACK + ("Content-Length: 2", "Connection: close"), b"{}")
        start = time.time()
        replies = self.burst(self.SOURCE, n, then)
        self.assertLess(time.time() - start, 30)
        statuses = [r.status for r in replies[:n]]
        self.assertEqual(len(replies), n + 2)
        self.assertEqual(statuses[0], 200)
        self.assertIn(429, statuses)
        self.assertEqual(set(statuses), {200, 429})
        # Past the burst, a search: refused in JSON with Retry-After, the
        # read API's CORS header and the security headers.
        r = replies[-2]
        self.assertEqual(r.status, 429)
        self.assertEqual(r.header("content-type"), "application/json")
        self.assertEqual(r.json()["error"]["code"], "too_many_requests")
        self.assertEqual(r.header("retry-after"), "1")
        self.assertEqual(r.header("x-content-type-options"), "nosniff")
        self.assertEqual(r.header("cache-control"), "no-store")
        self.assertEqual(r.header("referrer-policy"), "no-referrer")
        self.assertEqual(r.header("access-control-allow-origin"), "*")
        # The reports' path is limited too, without CORS.
        r = replies[-1]
        self.assertEqual(r.status, 429)
        self.assertEqual(r.header("content-type"), "application/json")
        self.assertEqual(r.json()["error"]["code"], "too_many_requests")
        self.assertIsNotNone(r.header("retry-after"))
        self.assertIsNone(r.header("access-control-allow-origin"))
        # Another address is not limited, nor the page.
        r = send(req("GET /api/v1/fellowships HTTP/1.1", ("Host: x", "Connection: close")),
                 source=self.OTHER)
        self.assertEqual(r.status, 200)
        r = send(req("GET / HTTP/1.1", ("Host: x", "Connection: close")), source=self.SOURCE)
        self.assertEqual(r.status, 200)

    def test_access_log_keeps_no_address(self):
        send(req("GET /api/v1/fellowships HTTP/1.1", ("Host: x", "Connection: close")),
             source="127.0.0.11")
        with open(os.path.join(VAR_DIR, "log", "access.log")) as f:
            log = f.read()
        self.assertNotIn("127.0.0.11", log)
        self.assertNotIn("127.0.0.9", log)


if __name__ == "__main__":
    main()
