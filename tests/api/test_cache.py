"""nginx's API cache (nginx/finder.conf.template, nginx/api_cache.js) and
the handler's Cache-Control (fcgi/src/cache_policy.c), against the running
stack: a search without a place is made once and then served from the cache
for the rest of its minute, under one entry however its query is ordered or
encoded; a search with a place (lat, lng, near) is never stored nor looked
up, says no-store, and nothing in the cache's directory or nginx's
temporary files ever holds it; errors are never cached; HEAD, CORS and the
security headers are the same from the cache as from the handler.

The cache's status of each request is read where nginx puts it, in the
access log's last field (no answer carries it: it would tell a visitor that
someone else had just asked the same)."""

import http.client
import os
import random
import re
import socket
import threading
import time
import unittest
import urllib.parse

from harness import VAR_DIR, _base, main, request

ACCESS_LOG = os.path.join(VAR_DIR, "log", "access.log")
NGINX_CONF = os.path.join(VAR_DIR, "nginx", "nginx.conf")
LANDING = "attendance=online,hybrid&tz=America/Chicago"
# A latitude no other test sends, to look for everywhere nginx writes.
SECRET_LAT = "41.86421"
SECRET_LNG = "-87.61357"
# Offsets stay within the searches' bound (offset + limit at most 1,000).
_numbers = random.sample(range(1, 976), 900)
_pages = random.sample([(limit, offset) for limit in range(10, 101) for offset in range(200)], 100)


def fresh():
    """A number for a word or an offset that no other request has used (in this run, and most likely in any other within the
    minute), so that each test's search starts with nothing cached."""
    return _numbers.pop()


def landing():
    """The landing page's search for a page of results no other request
    has asked for (as fresh())."""
    limit, offset = _pages.pop()
    return f"{LANDING}&limit={limit}&offset={offset}"


def cache_dir():
    with open(NGINX_CONF) as f:
        return re.search(r"fastcgi_cache_path\s+(\S+)", f.read()).group(1)


def minute_left():
    return 60 - int(time.time()) % 60


def same_minute(seconds=5):
    """Waits for the next minute when fewer than seconds are left in this
    one: the cache's keys change with the minute."""
    if minute_left() < seconds:
        time.sleep(minute_left() + 0.2)


def raw_get(target, method="GET", headers=None):
    """The status, the header lines as a list of (name, value) with
    repeats, and the body."""
    conn = http.client.HTTPConnection(_base.hostname, _base.port, timeout=20)
    try:
        conn.request(method, target, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, [(k.lower(), v) for k, v in resp.getheaders()], resp.read()
    finally:
        conn.close()


class Log:
    """The access log's lines written after this object was made."""

    def __init__(self):
        # Once the lines of earlier requests have come (a connection closed
        # late is logged late).
        self.start = os.path.getsize(ACCESS_LOG)
        while True:
            time.sleep(0.2)
            size = os.path.getsize(ACCESS_LOG)
            if size == self.start:
                break
            self.start = size

    def lines(self, want):
        """Waits until want lines have come (nginx writes a line once the
        answer has gone) and returns them as (method, path, status, cache)."""
        deadline = time.monotonic() + 5
        while True:
            with open(ACCESS_LOG, "rb") as f:
                f.seek(self.start)
                text = f.read().decode()
            rows = [line.split() for line in text.splitlines()]
            if len(rows) >= want or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        return [(r[1].lstrip('"'), r[2].rstrip('"'), int(r[3]), r[6]) for r in rows]

    def cache(self, want):
        return [row[3] for row in self.lines(want)]


def cached_files():
    """Every file under the cache's directory, as bytes."""
    found = []
    for root, _, files in os.walk(cache_dir()):
        for name in files:
            try:
                with open(os.path.join(root, name), "rb") as f:
                    found.append(f.read())
            except FileNotFoundError:
                pass  # removed by nginx's cache manager meanwhile
    return found


def max_age(response):
    m = re.fullmatch(r"public, max-age=(\d+)", response.header("cache-control") or "")
    return int(m.group(1)) if m else None


class SharedAnswers(unittest.TestCase):
    def test_the_same_search_twice_is_made_once(self):
        same_minute()
        target = f"/api/v1/meetings?{landing()}"
        log = Log()
        first, second = request("GET", target), request("GET", target)
        self.assertEqual((first.status, second.status), (200, 200))
        self.assertEqual(second.body, first.body)
        self.assertEqual(log.cache(2), ["MISS", "HIT"])
        self.assertIsNotNone(max_age(first))

    def test_reordered_and_reencoded_queries_share_the_entry(self):
        same_minute()
        n = fresh()
        variants = [
            f"offset={n}&attendance=online,hybrid&tz=America/Chicago",
            f"attendance=hybrid,online&offset={n}&tz=America/Chicago",
            f"tz=America%2FChicago&attendance=hybrid%2Conline&offset={n}",
            f"%6Fffset={n}&attendance=online%2chybrid&tz=America%2fChicago&",
            f"tz=America/Chicago&offset=%{ord(str(n)[0]):X}{str(n)[1:]}&attendance=online,hybrid",
        ]
        log = Log()
        bodies = {request("GET", "/api/v1/meetings?" + v).body for v in variants}
        self.assertEqual(len(bodies), 1)
        self.assertEqual(log.cache(len(variants)), ["MISS"] + ["HIT"] * (len(variants) - 1))

    def test_different_queries_do_not(self):
        same_minute()
        n = fresh()
        log = Log()
        targets = [
            f"/api/v1/meetings?{LANDING}&offset={n}",
            f"/api/v1/meetings?{LANDING}&offset={n}&limit=24",
            # Case matters in a zone (the handler refuses this one).
            f"/api/v1/meetings?attendance=online,hybrid&tz=america/chicago&offset={n}",
            f"/api/v1/meetings?attendance=online&tz=America/Chicago&offset={n}",
            f"/api/v1/meetings/facets?{LANDING}&q=n{n}",
            # Commas in text are not list separators: no sorting there.
            f"/api/v1/meetings?q=step,group&offset={n}",
            f"/api/v1/meetings?q=group,step&offset={n}",
            f"/api/v1/meetings?q=Group,step&offset={n}",
        ]
        for target in targets:
            request("GET", target)
        self.assertNotIn("HIT", log.cache(len(targets)))

    def test_every_location_free_kind_is_cached(self):
        same_minute()
        n = fresh()
        targets = [f"/api/v1/meetings/facets?{LANDING}&fellowship=na,aa&q=n{n}",
                   f"/api/v1/services?offset={n}",
                   f"/api/v1/services/facets?category=peer-support&lang=es,en&q=n{n}",
                   # The landing page's services without a place; residences.
                   f"/api/v1/services?scope=national&offset={n % 900}",
                   f"/api/v1/services/facets?narr_level=3,2&gender=women,all"
                   f"&beds_available=true&housing_moud=true&q=n{n}",
                   f"/api/v1/places?q=spr{n}",
                   "/api/v1/fellowships", "/api/v1/types", "/api/v1/categories",
                   "/api/v1/sources"]
        for target in targets:
            log = Log()
            first, second = request("GET", target), request("GET", target)
            self.assertEqual((first.status, second.status), (200, 200), target)
            self.assertRegex(first.header("cache-control"), r"^public, max-age=\d+$", target)
            self.assertEqual(log.cache(2)[1], "HIT", target)


    def test_a_burst_reaches_the_handler_once(self):
        same_minute()
        target = f"/api/v1/meetings?q=group&tz=America/Chicago&offset={fresh() % 100}"
        log = Log()
        threads = [threading.Thread(target=request, args=("GET", target)) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(sorted(log.cache(6)), ["HIT"] * 5 + ["MISS"])


class Minute(unittest.TestCase):
    def test_a_search_holds_until_the_end_of_its_minute(self):
        same_minute(8)
        target = f"/api/v1/services?category=peer-support&offset={fresh()}"
        log = Log()
        first = request("GET", target)
        left = minute_left()
        self.assertLessEqual(max_age(first), left + 1)
        self.assertGreaterEqual(max_age(first), 1)
        time.sleep(2.1)
        second = request("GET", target)
        self.assertEqual(log.cache(2), ["MISS", "HIT"])
        # From the cache, the seconds left now, not those when it was made.
        self.assertLessEqual(max_age(second), minute_left() + 1)
        self.assertLess(max_age(second), max_age(first))
        self.assertEqual(second.body, first.body)

    def test_the_entry_is_keyed_and_expires_within_its_minute(self):
        same_minute()
        n = fresh()
        request("GET", f"/api/v1/meetings?{LANDING}&offset={n}")
        minute = time.strftime("%Y-%m-%dT%H:%M", time.gmtime())
        want = f"KEY: GET {minute} /api/v1/meetings?attendance=hybrid,online&offset={n}&tz=America/Chicago\n"
        entries = [f for f in cached_files() if want.encode() in f]
        self.assertEqual(len(entries), 1, want)
        # The handler's last second for nginx: the end of this minute.
        last = int(re.search(rb"X-Accel-Expires: @(\d+)", entries[0]).group(1))
        self.assertEqual(last % 60, 59)
        self.assertLess(last - time.time(), 60)

    def test_with_now_the_answer_holds_longer(self):
        same_minute()
        for path in ("meetings", "meetings/facets", "services", "services/facets"):
            target = (f"/api/v1/{path}?now=2026-11-27T19:00&tz=America/Chicago"
                      f"&q=n{fresh()}")
            first, second = request("GET", target), request("GET", target)
            self.assertEqual(first.status, 200, target)
            self.assertEqual(first.header("cache-control"), "public, max-age=300", target)
            self.assertEqual(second.header("cache-control"), "public, max-age=300", target)

    def test_places_and_lists_hold_their_own_time(self):
        self.assertEqual(request("GET", "/api/v1/places?q=chicago").header("cache-control"),
                         "public, max-age=3600")
        self.assertEqual(request("GET", "/api/v1/types").header("cache-control"),
                         "public, max-age=3600")
        self.assertEqual(request("GET", "/api/v1/sources").header("cache-control"),
                         "public, max-age=300")


class Private(unittest.TestCase):
    LOCATED = [
        f"/api/v1/meetings?lat={SECRET_LAT}&lng={SECRET_LNG}",
        f"/api/v1/meetings?{LANDING}&lat={SECRET_LAT}&lng={SECRET_LNG}&radius_km=50",
        f"/api/v1/meetings/facets?lat={SECRET_LAT}&lng={SECRET_LNG}",
        f"/api/v1/services?lat={SECRET_LAT}&lng={SECRET_LNG}&limit=100&radius_km=500",
        f"/api/v1/services/facets?lat={SECRET_LAT}&lng={SECRET_LNG}",
        # Encoded keys are the same keys.
        f"/api/v1/meetings?%6Cat={SECRET_LAT}&%6C%6Eg={SECRET_LNG}",
        "/api/v1/meetings?near=Chicago",
        "/api/v1/meetings?attendance=online&near=60601",
        "/api/v1/services?near=Kansas+City,+MO",
        "/api/v1/meetings/facets?ne%61r=Chicago",
    ]

    def test_searches_with_a_place_are_never_stored(self):
        same_minute()
        log = Log()
        for target in self.LOCATED:
            for _ in range(2):
                r = request("GET", target)
                self.assertEqual(r.status, 200, target)
                self.assertEqual(r.header("cache-control"), "no-store", target)
        self.assertEqual(set(log.cache(2 * len(self.LOCATED))), {"BYPASS"})
        for entry in cached_files():
            self.assertNotIn(SECRET_LAT.encode(), entry)
            self.assertNotIn(SECRET_LNG.encode(), entry)
            # Only an answer near a point has distances or a resolved place.
            self.assertNotIn(b'"distance_km"', entry)
            self.assertNotIn(b'"near":', entry)
            key = re.search(rb"KEY: ([^\n]*)", entry).group(1)
            self.assertNotRegex(key, rb"[?&](lat|lng|near|radius_km)=")

    def test_a_place_added_to_a_cached_search_is_not_served_from_it(self):
        same_minute()
        query = landing()
        log = Log()
        cached = request("GET", f"/api/v1/meetings?{query}")
        again = request("GET", f"/api/v1/meetings?{query}")
        near = request("GET", f"/api/v1/meetings?{query}&lat={SECRET_LAT}&lng={SECRET_LNG}"
                       "&radius_km=500")
        self.assertEqual(log.cache(3), ["MISS", "HIT", "BYPASS"])
        self.assertEqual(again.body, cached.body)
        self.assertEqual(near.status, 200)
        self.assertEqual(near.header("cache-control"), "no-store")

    def test_other_answers_are_not_cached(self):
        # Details by id, calendars and the health check keep no-store (or
        # their own headers) and never come from this cache.
        mid = request("GET", "/api/v1/meetings?limit=1").json()["meetings"][0]["id"]
        sid = request("GET", "/api/v1/services?limit=1").json()["services"][0]["id"]
        targets = [f"/api/v1/meetings/{mid}", f"/api/v1/meetings/{mid}.ics",
                   f"/api/v1/services/{sid}", "/api/v1/health"]
        log = Log()
        for target in targets:
            for _ in range(2):
                r = request("GET", target)
                self.assertEqual(r.status, 200, target)
                self.assertEqual(r.header("cache-control"), "no-store", target)
        self.assertEqual(set(log.cache(2 * len(targets))), {"-"})

    def test_the_cache_is_in_memory(self):
        path = os.path.realpath(cache_dir())
        mounts = []
        with open("/proc/mounts") as f:
            for line in f:
                _, point, fstype = line.split()[:3]
                point = point.replace("\\040", " ")
                if path == point or path.startswith(point.rstrip("/") + "/"):
                    mounts.append((len(point), fstype))
        self.assertIn(max(mounts)[1], ("tmpfs", "ramfs"), path)
        self.assertFalse(path.startswith(os.path.realpath(VAR_DIR)))

    def test_no_header_tells_a_cached_answer(self):
        same_minute()
        target = f"/api/v1/places?q=zz{fresh()}"
        log = Log()
        first, second = raw_get(target), raw_get(target)
        self.assertEqual(log.cache(2), ["MISS", "HIT"])
        names = lambda headers: sorted(k for k, _ in headers if k != "date")
        self.assertEqual(names(first[1]), names(second[1]))
        self.assertEqual([h for h in first[1] if h[0] != "date"],
                         [h for h in second[1] if h[0] != "date"])
        for name, _ in second[1]:
            self.assertNotIn("cache-status", name)
            self.assertNotIn("age", name.split("-"))


class Errors(unittest.TestCase):
    def test_errors_are_never_cached(self):
        same_minute()
        n = fresh()
        targets = [f"/api/v1/meetings?limit=0&q=n{n}", f"/api/v1/meetings?day=8&q=n{n}",
                   f"/api/v1/meetings?tz=Nowhere/Town&q=n{n}", "/api/v1/places",
                   f"/api/v1/places?q=n{n}&x=1", "/api/v1/fellowships?x=1",
                   f"/api/v1/services?category=peer-support&category=x&q=n{n}",
                   f"/api/v1/meetings?offset={n}&&q=n{n}"]
        log = Log()
        for target in targets:
            for _ in range(2):
                r = request("GET", target)
                self.assertEqual(r.status, 400, target)
                self.assertEqual(r.header("cache-control"), "no-store", target)
        self.assertNotIn("HIT", log.cache(2 * len(targets)))
        for entry in cached_files():
            self.assertIsNone(re.search(rb"\nStatus: [45]\d\d", entry))

    def test_an_unknown_place_is_not_cached(self):
        log = Log()
        for _ in range(2):
            r = request("GET", "/api/v1/meetings?near=Nowhereville+Qq")
            self.assertEqual(r.status, 400)
            self.assertEqual(r.header("cache-control"), "no-store")
        self.assertEqual(log.cache(2), ["BYPASS", "BYPASS"])


class Http(unittest.TestCase):
    def test_head(self):
        same_minute()
        target = f"/api/v1/meetings?{landing()}"
        log = Log()
        head = raw_get(target, method="HEAD")
        head_again = raw_get(target, method="HEAD")
        get = raw_get(target)
        get_again = raw_get(target)
        self.assertEqual(log.cache(4), ["MISS", "HIT", "MISS", "HIT"])
        for status, headers, body in (head, head_again):
            self.assertEqual(status, 200)
            self.assertEqual(body, b"")
        # A HEAD's stored answer, which has no body, is never a GET's.
        self.assertEqual(get[2], get_again[2])
        self.assertEqual(len(get[2]), int(dict(get[1])["content-length"]))
        self.assertEqual(dict(head[1])["content-length"], dict(get[1])["content-length"])

    def test_cors_and_security_headers_once_from_the_cache(self):
        same_minute()
        target = f"/api/v1/meetings?{landing()}"
        origin = {"Origin": "https://partner.example.org"}
        log = Log()
        answers = [raw_get(target, headers=origin) for _ in range(2)]
        self.assertEqual(log.cache(2), ["MISS", "HIT"])
        for status, headers, _ in answers:
            self.assertEqual(status, 200)
            names = [k for k, _ in headers]
            for name in ("access-control-allow-origin", "cache-control", "content-type",
                         "x-content-type-options", "referrer-policy",
                         "content-security-policy", "permissions-policy"):
                self.assertEqual(names.count(name), 1, name)
            self.assertEqual(dict(headers)["access-control-allow-origin"], "*")
            self.assertNotIn("access-control-allow-credentials", names)
            self.assertNotIn("x-accel-expires", names)

    def test_gzip_from_the_cache(self):
        same_minute()
        target = f"/api/v1/meetings?{landing()}"
        log = Log()
        plain = request("GET", target)
        packed = request("GET", target, headers={"Accept-Encoding": "gzip"})
        self.assertEqual(log.cache(2), ["MISS", "HIT"])
        self.assertEqual(packed.header("content-encoding"), "gzip")
        self.assertEqual(packed.body, plain.body)  # the harness decompresses

    def test_a_no_cache_request_is_answered_afresh(self):
        same_minute()
        target = f"/api/v1/meetings?{landing()}"
        log = Log()
        request("GET", target)
        request("GET", target, headers={"Cache-Control": "no-cache"})
        request("GET", target, headers={"Pragma": "no-cache"})
        request("GET", target)
        self.assertEqual(log.cache(4), ["MISS", "BYPASS", "BYPASS", "HIT"])


class NothingOnDisk(unittest.TestCase):
    """nginx writes an answer it cannot hold in its buffers to a temporary
    file (fastcgi_temp_path, on disk) while a slow client reads it. No answer
    near a point may ever be written there."""

    def nginx_temp_files(self):
        """The files nginx's processes have open under VAR_DIR/nginx (its
        temporary files: they are unlinked at once but stay open)."""
        with open(os.path.join(VAR_DIR, "run", "nginx.pid")) as f:
            master = f.read().strip()
        pids = [master] + [p for p in os.listdir("/proc") if p.isdigit() and
                           self.parent(p) == master]
        found = []
        for pid in pids:
            fd_dir = f"/proc/{pid}/fd"
            try:
                fds = os.listdir(fd_dir)
            except OSError:
                continue
            for fd in fds:
                try:
                    target = os.readlink(os.path.join(fd_dir, fd))
                except OSError:
                    continue
                if target.startswith(os.path.join(VAR_DIR, "nginx") + "/"):
                    found.append(target)
        return found

    @staticmethod
    def parent(pid):
        try:
            with open(f"/proc/{pid}/stat") as f:
                return f.read().rsplit(")", 1)[1].split()[1]
        except OSError:
            return None

    def slow_read(self, target):
        """Sends a GET and reads nothing for a while, as a slow phone would."""
        s = socket.socket()
        # A small window and the segments of a real network (loopback's are
        # 64 KB, and nginx's socket buffer would grow to hold any answer).
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 2048)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG, 600)
        s.connect((_base.hostname, _base.port))
        s.sendall(f"GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        return s

    def test_large_answers_near_a_point_stay_in_memory(self):
        targets = [f"/api/v1/services?lat={SECRET_LAT}&lng={SECRET_LNG}&limit=100&radius_km=500",
                   f"/api/v1/meetings?lat={SECRET_LAT}&lng={SECRET_LNG}&limit=100&radius_km=500",
                   "/api/v1/services?near=Kansas+City,+MO&limit=100&radius_km=500"]
        sockets = [self.slow_read(t) for t in targets]
        try:
            time.sleep(1.5)
            self.assertEqual(self.nginx_temp_files(), [])
        finally:
            for s in sockets:
                s.close()

    def test_a_report_body_stays_in_memory(self):
        # The largest report nginx takes (4 KiB), sent in two parts.
        mid = request("GET", "/api/v1/meetings?limit=1").json()["meetings"][0]["id"]
        body = ('{"kind":"meeting","id":%d,"message":"' % mid + "é" * 2000 + '"}').encode()
        self.assertLessEqual(len(body), 4096)
        s = socket.socket()
        # From an address of its own: nginx limits reports per address.
        n = random.randrange(1 << 16)
        s.bind((f"127.{200 + n % 50}.{n >> 8}.{n % 250 + 2}", 0))
        s.connect((_base.hostname, _base.port))
        try:
            s.sendall(b"POST /api/v1/feedback HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                      b"Content-Type: application/json\r\n"
                      + f"Content-Length: {len(body)}\r\n\r\n".encode() + body[:2000])
            time.sleep(0.5)
            self.assertEqual(self.nginx_temp_files(), [])
            s.sendall(body[2000:])
            self.assertRegex(s.recv(100), rb"^HTTP/1.1 201 ")
        finally:
            s.close()
        bodies = os.path.join(VAR_DIR, "nginx", "client_body")
        self.assertEqual(os.listdir(bodies) if os.path.isdir(bodies) else [], [])


if __name__ == "__main__":
    main()
