"""The Meeting Guide feed (/api/v1/feeds/meeting-guide.json), the sources
list (/api/v1/sources) and the meeting detail's import fields, against the
running stack with the demo data.

The feed is checked against the Meeting Guide field rules, its counts
against SQL on the base tables, the handler's validators (ETag,
Last-Modified) by changing the database through psql and putting it back.

The feed of all sources and each source's are files (`finder feeds`, in
VAR_DIR/feeds) that nginx serves: they are checked byte for byte against
what the handler writes when the file is moved away, plain and gzipped,
with nginx's validators; an import rewrites them (and a dry run or a failed
import does not); the filtered feeds, and every request the handler must
refuse, still reach the handler, at most a few at once."""

import functools
import gzip
import json
import os
import re
import subprocess
import threading
import time
import unittest
import zoneinfo
from decimal import Decimal
from email.utils import formatdate

from harness import ROOT, VAR_DIR, api, forget_sources, main, request, sql, sql_value, stack

FEED = "/api/v1/feeds/meeting-guide.json"

# The keys of a feed meeting, in the order the handler writes them; contact
# keys follow, and only for sources whose contacts are public.
FEED_KEYS = ["name", "slug", "day", "time", "end_time", "timezone", "types", "location",
             "location_notes", "formatted_address", "address", "city", "state", "postal_code",
             "country", "regions", "approximate", "latitude", "longitude", "conference_url",
             "conference_url_notes", "conference_phone", "conference_phone_notes", "notes",
             "group", "group_notes", "updated", "url", "feedback_url", "venmo", "paypal", "square",
             "attendance_option", "fellowship"]
HH_MM = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
UPDATED = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$")
URL_SAFE = re.compile(r"^[A-Za-z0-9._~-]+$")
PHONE = re.compile(r"^[0-9+,*#]+$")
ZONES = zoneinfo.available_timezones()


@functools.lru_cache(maxsize=None)
def slug_of(mid):
    """A meeting's slug in a feed of every source (unique across them; its
    url may be shared with a copy imported from this feed)."""
    return sql_value(f"SELECT slug FROM meetings WHERE id = {mid}")


@functools.lru_cache(maxsize=None)
def every_fellowship():
    """A filter that keeps every meeting: the feed of all sources' meetings,
    in its order, but written by the handler (no file answers a filter)."""
    return {"fellowship": sql_value("SELECT string_agg(slug, ',' ORDER BY id) FROM fellowships")}


def busy(r):
    """Whether nginx refused a feed for the handler's limit (FeedHandlerLimit)."""
    return r.status == 503 and b"Too many filtered feeds" in r.body


def ask(method, target, headers=None, wait_if_busy=True):
    """One request for the feed, asked again while nginx refuses it for the
    handler's limit.

    nginx frees a request's place under that limit just after sending its
    last byte; the next request, taken by its other worker process in that
    moment, can find the place still counted. With the test stack's limit
    of one (WORKERS=3), one request after another then meets the limit's
    503 now and again: it is asked again, as Retry-After says, but sooner."""
    r = request(method, target, headers=headers)
    for _ in range(5 if wait_if_busy else 0):
        if not busy(r):
            break
        time.sleep(0.2)
        r = request(method, target, headers=headers)
    return r


def feed(params=None, headers=None, method="GET", wait_if_busy=True):
    """The feed's response; its body parsed with exact decimals when 200."""
    target = FEED
    if params:
        target += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    r = ask(method, target, headers, wait_if_busy)
    r.meetings = None
    if r.status == 200 and method == "GET":
        r.meetings = json.loads(r.body.decode("utf-8"), parse_float=Decimal)
    return r


def count_published(where="true"):
    """The meetings the feed publishes, on the base tables (not the view the
    handler reads): the active ones and those temporarily closed."""
    return int(sql_value(f"""
        SELECT count(*) FROM meetings m
        JOIN fellowships f ON f.id = m.fellowship_id
        JOIN sources s ON s.id = m.source_id
        LEFT JOIN locations l ON l.id = m.location_id
        WHERE (m.active OR m.closed) AND {where}"""))


def saved(table, row_id, columns):
    """Saves columns of one row; returns the function that puts them back."""
    row = sql_value(f"SELECT row_to_json(t) FROM {table} t WHERE id = {row_id}").replace("'", "''")
    cols = ", ".join(columns)

    def restore():
        sql(f"""UPDATE {table} SET ({cols}) = (SELECT {cols} FROM
                json_populate_record(NULL::{table}, '{row}')) WHERE id = {row_id}""")
    return restore


def decimals(number):
    exponent = Decimal(number).as_tuple().exponent
    return -exponent if exponent < 0 else 0


class FeedRules(unittest.TestCase):
    """The whole demo feed, meeting by meeting, against the Meeting Guide
    field rules."""

    @classmethod
    def setUpClass(cls):
        cls.all = feed()
        cls.by_source = feed({"source": "demo"})

    def check_meeting(self, m):
        keys = list(m)
        known = [k for k in keys if k in FEED_KEYS]
        self.assertEqual(known, [k for k in FEED_KEYS if k in m], "keys in the feed's order")
        self.assertEqual(keys[:len(known)], known, "contact keys come last")
        self.assertTrue(all(k.startswith("contact_") for k in keys[len(known):]), m)
        for k, v in m.items():
            self.assertNotIn(v, (None, "", []), f"{k} is left out when empty")
        self.assertIsInstance(m["name"], str)
        self.assertLessEqual(len(m["name"]), 255)
        self.assertIsInstance(m["slug"], str)
        if "day" in m:
            self.assertIsInstance(m["day"], int)
            self.assertIn(m["day"], range(7))
            self.assertRegex(m["time"], HH_MM)
        else:
            self.assertNotIn("time", m, "no day and time is by appointment")
        if "end_time" in m:
            self.assertRegex(m["end_time"], HH_MM)
        self.assertIn(m["timezone"], ZONES)
        if "types" in m:
            self.assertTrue(all(isinstance(t, str) and t for t in m["types"]), m["types"])
        for key, limit in (("latitude", 90), ("longitude", 180)):
            if key in m:
                self.assertIsInstance(m[key], (Decimal, int))
                self.assertLessEqual(abs(m[key]), limit)
                self.assertLessEqual(decimals(m[key]), 5, m[key])
        self.assertEqual("latitude" in m, "longitude" in m)
        if "conference_phone" in m:
            self.assertRegex(m["conference_phone"], PHONE)
        self.assertRegex(m["updated"], UPDATED)
        self.assertIn(m["attendance_option"], ("in_person", "online", "hybrid", "inactive"))
        if m["attendance_option"] in ("online", "hybrid"):
            self.assertTrue("conference_url" in m or "conference_phone" in m, m)
        else:
            self.assertIn("formatted_address", m)
        # Closed (TC, no online way in): published, as the plugin writes it.
        if m["attendance_option"] == "inactive":
            self.assertIn("TC", m["types"])
        # An online meeting says its place is no place to go: approximate,
        # or TC (consumers read a link at a real address as hybrid).
        if m["attendance_option"] == "online" and "formatted_address" in m:
            self.assertTrue(m.get("approximate") == "yes" or "TC" in m.get("types", []), m)
        if "address" in m or "city" in m:
            self.assertIn("formatted_address", m)
        if "approximate" in m:
            self.assertIn(m["approximate"], ("yes", "no"))
        if "regions" in m:
            self.assertTrue(all(isinstance(r, str) for r in m["regions"]))
        self.assertRegex(m["url"], r"^https?://")

    def test_feed_is_an_array_of_valid_meetings(self):
        self.assertEqual(self.all.status, 200, self.all.body[:300])
        self.assertEqual(self.all.header("content-type"), "application/json; charset=utf-8")
        self.assertIsInstance(self.all.meetings, list)
        self.assertGreater(len(self.all.meetings), 0)
        for m in self.all.meetings:
            self.check_meeting(m)

    def test_count_is_the_published_meetings(self):
        self.assertEqual(len(self.all.meetings), count_published())
        self.assertEqual(len(self.by_source.meetings), count_published("s.slug = 'demo'"))

    def test_slugs_unique_and_url_safe(self):
        # Unfiltered: the finder's own slugs (unique overall, at most 100
        # characters by the schema; the demo's are shorter than 64).
        slugs = [m["slug"] for m in self.all.meetings]
        self.assertEqual(len(slugs), len(set(slugs)))
        self.assertTrue(all(URL_SAFE.match(s) and len(s) <= 100 for s in slugs))
        # One source: its own keys, which the Meeting Guide limit fits.
        keys = [m["slug"] for m in self.by_source.meetings]
        self.assertEqual(len(keys), len(set(keys)))
        self.assertTrue(all(URL_SAFE.match(s) and len(s) <= 64 for s in keys), keys[:5])
        for m in self.by_source.meetings[:50]:
            mid = m["url"].rsplit("/", 1)[1]
            self.assertEqual(m["slug"],
                             sql_value(f"SELECT source_key FROM meetings WHERE id = {mid}"))

    def test_values_agree_with_the_detail(self):
        # Meetings whose url is their record here (imported ones may link to
        # their source's page instead).
        slugs = dict(sql("SELECT id, slug FROM meetings WHERE active"))
        own = [m for m in self.all.meetings if "/api/v1/meetings/" in m["url"]
               and slugs.get(m["url"].rsplit("/", 1)[1]) == m["slug"]]
        self.assertGreater(len(own), 25)
        for m in own[::max(1, len(own) // 25)]:
            path = m["url"].split("/api/v1/", 1)[1]
            one = api(path).json()
            self.assertEqual(m["name"], one["name"])
            self.assertEqual(m["slug"], one["slug"])
            self.assertEqual(m.get("day"), one["day"])
            self.assertEqual(m.get("time"), one["time"])
            self.assertEqual(m.get("end_time"), one["end_time"])
            self.assertEqual(m["timezone"], one["timezone"])
            self.assertEqual(m["attendance_option"], one["attendance"])
            self.assertEqual(m.get("conference_url"), one["conference_url"])
            self.assertEqual(m.get("conference_phone"), one["conference_phone"])
            self.assertEqual(m["updated"], one["updated"].replace("T", " ").rstrip("Z"))
            loc = one["location"]
            if loc is None:
                self.assertNotIn("latitude", m)
                continue
            self.assertEqual(m.get("city"), loc["city"])
            self.assertEqual(m.get("state"), loc["region"])
            self.assertEqual(m.get("location"), loc["name"])
            if loc["lat"] is not None:
                self.assertAlmostEqual(float(m["latitude"]), loc["lat"], delta=0.0000051)
                self.assertAlmostEqual(float(m["longitude"]), loc["lng"], delta=0.0000051)

    def test_formatted_address_is_composed_from_the_parts(self):
        for m in self.all.meetings[:200]:
            if "address" in m:
                parts = [m.get("address"), m.get("city"),
                         " ".join(p for p in (m.get("state"), m.get("postal_code")) if p),
                         m.get("country")]
                self.assertEqual(m["formatted_address"], ", ".join(p for p in parts if p))


class FeedFilters(unittest.TestCase):
    def test_fellowship_list(self):
        r = feed({"fellowship": "al-anon,alateen"})
        self.assertEqual(r.status, 200)
        self.assertEqual(len(r.meetings),
                         count_published("f.slug IN ('al-anon', 'alateen')"))
        self.assertGreater(len(r.meetings), 0)

    def test_region_matches_the_city_without_regard_to_accents_or_case(self):
        city = sql_value("""SELECT l.city FROM meetings m JOIN locations l ON l.id = m.location_id
                            WHERE m.active AND l.city ~ '[^ -~]' GROUP BY 1
                            ORDER BY count(*) DESC LIMIT 1""")
        plain = city.upper().translate(str.maketrans("ÁÉÍÓÚÑÜ", "AEIOUNU"))
        r = feed({"region": plain.replace(" ", "+")})
        self.assertEqual(r.status, 200)
        self.assertEqual(len(r.meetings), count_published(f"l.city = '{city}'"))
        self.assertGreater(len(r.meetings), 0)
        self.assertTrue(all(m["city"] == city for m in r.meetings))

    def test_region_matches_any_of_the_regions(self):
        loc = sql_value("""SELECT location_id FROM meetings WHERE active AND location_id
                           IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1""")
        old = sql_value(f"SELECT regions::text FROM locations WHERE id = {loc}")
        sql(f"""UPDATE locations SET regions = '{{"Zona Norte","Señora Heights"}}'
                WHERE id = {loc}""")
        try:
            for region in ("senora+heights", "ZONA%20NORTE"):
                r = feed({"region": region})
                self.assertEqual(r.status, 200)
                self.assertEqual(len(r.meetings), count_published(f"l.id = {loc}"), region)
                self.assertEqual(r.meetings[0]["regions"], ["Zona Norte", "Señora Heights"])
        finally:
            sql(f"UPDATE locations SET regions = '{old}' WHERE id = {loc}")

    def test_filters_combine(self):
        r = feed({"source": "demo", "fellowship": "aa", "region": "chicago"})
        self.assertEqual(r.status, 200)
        self.assertEqual(len(r.meetings), count_published(
            "s.slug = 'demo' AND f.slug = 'aa' AND lower(l.city) = 'chicago'"))

    def test_nothing_matches(self):
        r = feed({"region": "atlantis"})
        self.assertEqual(r.status, 200)
        self.assertEqual(r.meetings, [])
        self.assertIsNone(r.header("last-modified"))
        self.assertEqual(feed({"region": "atlantis"}, {"If-None-Match": r.header("etag")}).status,
                         304)

    def test_inactive_meetings_are_left_out(self):
        mid = sql_value("SELECT min(id) FROM meetings WHERE active AND fellowship_id = "
                        "(SELECT id FROM fellowships WHERE slug = 'aa')")
        before = len(feed({"fellowship": "aa"}).meetings)
        sql(f"UPDATE meetings SET active = false WHERE id = {mid}")
        try:
            after = feed({"fellowship": "aa"}).meetings
            self.assertEqual(len(after), before - 1)
            self.assertFalse(any(m["slug"] == slug_of(mid) for m in after))
        finally:
            sql(f"UPDATE meetings SET active = true WHERE id = {mid}")

    def test_types_are_written_in_the_fellowships_own_codes(self):
        # Al-Anon's Y is Alateen and its POA Parents of Alcoholics: stored as
        # ALATEEN and PARENTS, published as the fellowship writes them.
        mid, types, updated = sql("""SELECT id, types::text, updated_at FROM meetings
            WHERE active AND fellowship_id = (SELECT id FROM fellowships WHERE slug = 'al-anon')
            ORDER BY id LIMIT 1""")[0]
        sql(f"UPDATE meetings SET types = '{{ALATEEN,O,PARENTS}}' WHERE id = {mid}")
        try:
            [m] = [m for m in feed({"fellowship": "al-anon"}).meetings
                   if m["slug"] == slug_of(mid)]
            self.assertEqual(m["types"], ["O", "POA", "Y"])
        finally:
            sql(f"UPDATE meetings SET types = '{types}', updated_at = '{updated}' WHERE id = {mid}")


BAD_FEED_REQUESTS = [
    # (query string, error code, parameter named)
    ("source=no-such-source", "invalid_parameter", "source"),
    ("source=Demo", "invalid_parameter", "source"),
    ("source=demo,demo", "invalid_parameter", "source"),
    ("fellowship=aa,no-such-fellowship", "invalid_parameter", "fellowship"),
    ("fellowship=AA", "invalid_parameter", "fellowship"),
    ("fellowship=", "invalid_parameter", "fellowship"),
    ("region=", "invalid_parameter", "region"),
    ("region=" + "x" * 101, "invalid_parameter", "region"),
    ("region=a%0Ab", "invalid_parameter", "region"),
    ("source=demo&source=demo", "repeated_parameter", "source"),
    ("limit=10", "unknown_parameter", "limit"),
    ("Source=demo", "unknown_parameter", "Source"),
]


class FeedErrors(unittest.TestCase):
    def test_bad_requests_name_the_parameter(self):
        for qs, code, param in BAD_FEED_REQUESTS:
            with self.subTest(qs=qs):
                r = ask("GET", FEED + "?" + qs)
                self.assertEqual(r.status, 400, r.body)
                err = r.json()["error"]
                self.assertEqual(err["code"], code)
                self.assertEqual(err["param"], param)
                self.assertEqual(r.header("cache-control"), "no-store")
                self.assertIsNone(r.header("etag"))

    def test_other_methods(self):
        r = ask("POST", FEED)
        self.assertEqual(r.status, 405)
        self.assertEqual(r.header("allow"), "GET, HEAD")


class FeedCaching(unittest.TestCase):
    """The handler's validators: on a feed that no file answers (a filter),
    here one that keeps every meeting."""

    def first(self, params=None, headers=None):
        r = feed(params or every_fellowship(), headers)
        self.assertEqual(r.status, 200, r.body[:300])
        return r

    def test_validators_and_cache_control(self):
        r = self.first()
        self.assertRegex(r.header("etag"), r'^W/"[0-9a-f]{32}"$')
        self.assertRegex(r.header("last-modified"),
                         r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-9]{2} [A-Z][a-z]{2} [0-9]{4} "
                         r"[0-9]{2}:[0-9]{2}:[0-9]{2} GMT$")
        self.assertEqual(r.header("cache-control"), "public, max-age=300")
        # When the finder last changed any of the meetings (a meeting's
        # `updated` is its source's date when the source gave one).
        self.assertEqual(sql_value("""SELECT to_char(max(updated_at) AT TIME ZONE 'UTC',
                                      'Dy, DD Mon YYYY HH24:MI:SS "GMT"') FROM meetings"""),
                         r.header("last-modified"))

    def test_if_none_match(self):
        etag = self.first().header("etag")
        opaque = etag[2:]
        for value in (etag, opaque, f'"nope", {etag}', f'W/"x" ,{opaque} ', "*"):
            with self.subTest(value=value):
                r = feed(every_fellowship(), headers={"If-None-Match": value})
                self.assertEqual(r.status, 304)
                self.assertEqual(r.body, b"")
                self.assertEqual(r.header("etag"), etag)
                self.assertEqual(r.header("cache-control"), "public, max-age=300")
        for value in ('"nope"', 'W/"nope"', etag[:-2] + '"', "garbage", etag + " x"):
            with self.subTest(value=value):
                self.assertEqual(
                    feed(every_fellowship(), headers={"If-None-Match": value}).status, 200)

    def test_if_none_match_with_gzip(self):
        r = self.first(headers={"Accept-Encoding": "gzip"})
        self.assertEqual(r.header("content-encoding"), "gzip")
        again = feed(every_fellowship(),
                     headers={"Accept-Encoding": "gzip", "If-None-Match": r.header("etag")})
        self.assertEqual(again.status, 304)

    def test_if_modified_since(self):
        r = self.first()
        last = r.header("last-modified")
        self.assertEqual(feed(every_fellowship(), headers={"If-Modified-Since": last}).status, 304)
        self.assertEqual(feed(every_fellowship(),
                              headers={"If-Modified-Since": "Fri, 31 Dec 2100 23:59:59 GMT"})
                         .status, 304)
        earlier = sql_value(f"""SELECT to_char(to_timestamp('{last}', 'Dy, DD Mon YYYY HH24:MI:SS')
                                - interval '1 second', 'Dy, DD Mon YYYY HH24:MI:SS \"GMT\"')""")
        for value in (earlier, "yesterday", last.replace("GMT", "UTC"),
                      "Sun, 31 Feb 2026 10:00:00 GMT"):
            with self.subTest(value=value):
                self.assertEqual(
                    feed(every_fellowship(), headers={"If-Modified-Since": value}).status, 200)
        # If-None-Match wins over If-Modified-Since.
        self.assertEqual(feed(every_fellowship(), headers={"If-Modified-Since": last,
                                       "If-None-Match": '"other"'}).status, 200)

    def test_head(self):
        r = ask("HEAD", FEED + "?fellowship=" + every_fellowship()["fellowship"])
        self.assertEqual(r.status, 200)
        self.assertEqual(r.body, b"")
        self.assertEqual(r.header("etag"), self.first().header("etag"))

    def test_a_change_gives_a_new_etag(self):
        etag = self.first().header("etag")
        mid, updated = sql("""SELECT id, updated_at FROM meetings WHERE active
                              ORDER BY id LIMIT 1""")[0]
        sql(f"UPDATE meetings SET updated_at = now() WHERE id = {mid}")
        try:
            changed = self.first(headers={"If-None-Match": etag})
            self.assertNotEqual(changed.header("etag"), etag)
            [m] = [m for m in changed.meetings if m["slug"] == slug_of(mid)]
            self.assertNotEqual(m["updated"], updated[:19])
        finally:
            sql(f"UPDATE meetings SET updated_at = '{updated}' WHERE id = {mid}")
        # The same data, the same tag.
        self.assertEqual(self.first().header("etag"), etag)

    def test_deactivation_gives_a_new_etag(self):
        etag = self.first().header("etag")
        mid = sql_value("SELECT max(id) FROM meetings WHERE active")
        sql(f"UPDATE meetings SET active = false WHERE id = {mid}")
        try:
            self.assertNotEqual(self.first().header("etag"), etag)
        finally:
            sql(f"UPDATE meetings SET active = true WHERE id = {mid}")

    def test_filters_have_their_own_etags(self):
        tags = {self.first(p).header("etag") for p in
                (None, {"source": "demo"}, {"fellowship": "aa"}, {"region": "chicago"})}
        self.assertEqual(len(tags), 4)
        self.assertEqual(self.first({"fellowship": "aa,na"}).header("etag"),
                         self.first({"fellowship": "na,aa"}).header("etag"))
        self.assertEqual(self.first({"region": "Montreal"}).header("etag"),
                         self.first({"region": "montr%C3%A9al"}).header("etag"))


# The feed's files (`finder feeds`), which nginx serves.
FEEDS_DIR = os.path.join(VAR_DIR, "feeds")
PUBLIC_URL = os.environ.get("PUBLIC_URL", os.environ.get("BASE_URL", "http://127.0.0.1:8080"))
# What the handler makes the files' origin from (the configured PUBLIC_URL
# is what a request to this Host gives).
PUBLIC_HOST = PUBLIC_URL.split("://", 1)[1].rstrip("/")


def feed_path(params=None):
    """The file nginx answers a feed request with."""
    if params:
        return os.path.join(FEEDS_DIR, "source", params["source"] + ".json")
    return os.path.join(FEEDS_DIR, "meeting-guide.json")


def read(path):
    with open(path, "rb") as f:
        return f.read()


def from_file(r):
    """Whether nginx answered from a file: its ETag is "mtime-size" in hex;
    the handler's is W/"md5"."""
    return re.fullmatch(r'"[0-9a-f]+-[0-9a-f]+"', r.header("etag") or "") is not None


def from_handler(r):
    return (r.header("etag") or "").startswith('W/"')


class FilesAside:
    """Moves a feed's files (plain and gzipped) away for a while, so that
    nginx hands its requests to the handler; puts them back."""

    def __init__(self, path):
        self.paths = [path, path + ".gz"]

    def __enter__(self):
        self.moved = []
        for p in self.paths:
            os.rename(p, p + ".aside")
            self.moved.append(p)

    def __exit__(self, *exc):
        for p in self.moved:
            os.rename(p + ".aside", p)


def assert_same_bytes(test, got, want, what):
    """got == want, said briefly (the feeds are megabytes)."""
    if got != want:
        at = next((i for i, (a, b) in enumerate(zip(got, want)) if a != b),
                  min(len(got), len(want)))
        test.fail(f"{what}: {len(got)} and {len(want)} bytes, first difference at byte {at}: "
                  f"{got[max(0, at - 60):at + 60]!r} / {want[max(0, at - 60):at + 60]!r}")


def assert_same_as_the_handler(test, params):
    """The feed's file, plain and gzipped, as nginx serves it, then (the
    file moved away) as the handler writes it: the same bytes."""
    path = feed_path(params)
    plain = feed(params)
    zipped = feed(params, {"Accept-Encoding": "gzip"})
    test.assertEqual(plain.status, 200, plain.body[:200])
    test.assertTrue(from_file(plain) and from_file(zipped), (plain.headers, zipped.headers))
    test.assertIsNone(plain.header("content-encoding"))
    test.assertEqual(zipped.header("content-encoding"), "gzip")
    test.assertEqual(int(zipped.header("content-length")), os.path.getsize(path + ".gz"))
    # harness.request inflates a gzip answer.
    assert_same_bytes(test, zipped.body, plain.body, "gzipped and plain")
    assert_same_bytes(test, read(path), plain.body, "the file and nginx's answer")
    assert_same_bytes(test, gzip.decompress(read(path + ".gz")), plain.body, "the .gz file")
    with FilesAside(path):
        handler = feed(params, {"Host": PUBLIC_HOST})
        handler_zipped = feed(params, {"Host": PUBLIC_HOST, "Accept-Encoding": "gzip"})
    test.assertEqual(handler.status, 200, handler.body[:200])
    test.assertTrue(from_handler(handler), handler.headers)
    test.assertEqual(handler_zipped.header("content-encoding"), "gzip")
    assert_same_bytes(test, handler.body, plain.body, "the handler's feed and the file")
    assert_same_bytes(test, handler_zipped.body, plain.body, "the handler's gzipped feed")


class FeedFiles(unittest.TestCase):
    """The feed of all sources and each source's, as nginx serves them from
    the files: what the handler writes, byte for byte, plain or gzipped,
    with nginx's own validators."""

    @classmethod
    def setUpClass(cls):
        # Tests before these may have changed the database through psql,
        # which no import saw.
        stack("feeds", "--quiet")

    def targets(self):
        """The feed of all sources, the demo's, a source with no meetings
        and up to two imported ones."""
        empty = [row[0] for row in sql("""
            SELECT s.slug FROM sources s
            WHERE NOT EXISTS (SELECT 1 FROM meetings m WHERE m.source_id = s.id AND m.active)
            ORDER BY s.id LIMIT 1""")]
        others = [row[0] for row in sql("""
            SELECT s.slug FROM sources s WHERE s.slug <> 'demo'
              AND EXISTS (SELECT 1 FROM meetings m WHERE m.source_id = s.id AND m.active)
            ORDER BY s.id LIMIT 2""")]
        return [None] + [{"source": s} for s in ["demo"] + empty + others]

    def test_the_files_are_what_the_handler_writes(self):
        for params in self.targets():
            with self.subTest(params=params):
                assert_same_as_the_handler(self, params)

    def test_nginx_validators_and_headers(self):
        for params in (None, {"source": "demo"}):
            path = feed_path(params)
            for headers, served in (({}, path), ({"Accept-Encoding": "gzip"}, path + ".gz")):
                with self.subTest(params=params, headers=headers):
                    r = feed(params, {**headers, "Origin": "https://example.org"})
                    st = os.stat(served)
                    etag = f'"{int(st.st_mtime):x}-{st.st_size:x}"'
                    self.assertEqual(r.header("etag"), etag)
                    self.assertEqual(r.header("last-modified"),
                                     formatdate(int(st.st_mtime), usegmt=True))
                    self.assertEqual(r.header("cache-control"), "public, max-age=300")
                    self.assertEqual(r.header("content-type"), "application/json; charset=utf-8")
                    self.assertEqual(r.header("vary"), "Accept-Encoding")
                    self.assertEqual(r.header("access-control-allow-origin"), "*")
                    self.assertIsNone(r.header("access-control-allow-credentials"))
                    self.assertEqual(r.header("x-content-type-options"), "nosniff")
                    for condition in ({"If-None-Match": etag}, {"If-None-Match": "W/" + etag},
                                      {"If-None-Match": f'"nope", {etag}'},
                                      {"If-Modified-Since": r.header("last-modified")}):
                        again = feed(params, {**headers, **condition})
                        self.assertEqual(again.status, 304, condition)
                        self.assertEqual(again.body, b"")
                        self.assertEqual(again.header("etag"), etag)
                        self.assertEqual(again.header("cache-control"), "public, max-age=300")
                        self.assertEqual(again.header("access-control-allow-origin"), "*")
                    self.assertEqual(feed(params, {**headers, "If-None-Match": '"nope"'}).status,
                                     200)
                    head = feed(params, headers, method="HEAD")
                    self.assertEqual(head.status, 200)
                    self.assertEqual(head.body, b"")
                    self.assertEqual(head.header("etag"), etag)
                    self.assertEqual(int(head.header("content-length")), st.st_size)

    def test_filters_and_bad_requests_reach_the_handler(self):
        for qs in ("fellowship=aa", "region=chicago", "source=demo&fellowship=aa",
                   "fellowship=aa&source=demo"):
            with self.subTest(qs=qs):
                r = ask("GET", FEED + "?" + qs)
                self.assertEqual(r.status, 200)
                self.assertTrue(from_handler(r), r.headers)
        for qs in ("", "source=demo"):
            with self.subTest(qs=qs):
                self.assertTrue(from_file(ask("GET", FEED + "?" + qs)))
                self.assertTrue(from_file(ask("HEAD", FEED + "?" + qs)))
        # A source without a file is the handler's to refuse; no path
        # outside the feed's directory is ever tried.
        for qs, param in (("source=no-such-source", "source"), ("source=..", "source"),
                          ("source=demo/../../log/access.log", "source"),
                          ("source=demo%2F..", "source"), ("source=demo&x=1", "x")):
            with self.subTest(qs=qs):
                r = ask("GET", FEED + "?" + qs)
                self.assertEqual(r.status, 400, r.body)
                self.assertEqual(r.json()["error"]["param"], param)
        r = ask("POST", FEED + "?source=demo")
        self.assertEqual(r.status, 405)
        self.assertEqual(r.header("allow"), "GET, HEAD")


def configured_feed_exports():
    """How many feeds nginx lets the handler write at once (its rendered
    config)."""
    conf = read(os.path.join(VAR_DIR, "nginx", "nginx.conf")).decode()
    return int(re.search(r"limit_conn feed_exports ([0-9]+);", conf).group(1))


class FeedHandlerLimit(unittest.TestCase):
    """The feeds the handler writes never hold more than half its workers:
    past the limit nginx answers a JSON 503, and a search still answers.
    The handler's feeds are held inside the database by a lock on a table
    only the feed reads."""

    def locked(self):
        return int(sql_value("""
            SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
            WHERE c.relname = 'fellowship_type_codes' AND l.mode = 'AccessExclusiveLock'
              AND l.granted"""))

    def waiting_feeds(self):
        return int(sql_value("""SELECT count(*) FROM pg_stat_activity
                                WHERE application_name = 'finder' AND wait_event_type = 'Lock'"""))

    def test_a_full_limit_is_a_503_and_searches_still_answer(self):
        limit = configured_feed_exports()
        locker = subprocess.Popen(
            [os.path.join(ROOT, "scripts", "stack.sh"), "psql", "-q"],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            text=True)
        results, threads = [], []
        try:
            locker.stdin.write("BEGIN;\n"
                               "LOCK TABLE fellowship_type_codes IN ACCESS EXCLUSIVE MODE;\n")
            locker.stdin.flush()
            deadline = time.time() + 10
            while time.time() < deadline and self.locked() == 0:
                time.sleep(0.05)
            self.assertEqual(self.locked(), 1)
            for _ in range(limit):
                t = threading.Thread(target=lambda: results.append(
                    feed({"fellowship": "aa"}, method="HEAD")))
                t.start()
                threads.append(t)
            while time.time() < deadline and self.waiting_feeds() < limit:
                time.sleep(0.05)
            self.assertEqual(self.waiting_feeds(), limit, "the handler's feeds are held")

            refused = feed({"region": "chicago"}, {"Origin": "https://example.org"},
                           wait_if_busy=False)
            self.assertTrue(busy(refused), refused.body)
            self.assertEqual(refused.json()["error"]["code"], "unavailable")
            self.assertEqual(refused.header("retry-after"), "5")
            self.assertEqual(refused.header("access-control-allow-origin"), "*")
            self.assertEqual(refused.header("cache-control"), "no-store")
            # The files and the searches are served meanwhile.
            t0 = time.time()
            search = api("meetings", {"lat": "41.88", "lng": "-87.63", "limit": "5"})
            self.assertEqual(search.status, 200)
            self.assertLess(time.time() - t0, 2.0)
            self.assertEqual(feed({"source": "demo"}, method="HEAD").status, 200)
        finally:
            locker.stdin.write("ROLLBACK;\n")
            locker.stdin.close()
            locker.wait(timeout=30)
            for t in threads:
                t.join(timeout=30)
        self.assertEqual([r.status for r in results], [200] * limit)
        self.assertEqual(feed({"fellowship": "aa"}, method="HEAD").status, 200)


FILES_SOURCE = "f-files"
FILES_MEETINGS = [
    {"name": "Files Test Morning", "slug": "ft-1", "day": 2, "time": "07:00",
     "address": "100 Main St", "city": "Springfield", "state": "IL", "postal_code": "62701",
     "country": "US", "latitude": 39.80172, "longitude": -89.64371, "types": ["O", "D"]},
    {"name": "Files Test Online", "slug": "ft-2", "day": 3, "time": "19:30",
     "conference_url": "https://meet.example.org/files-test", "types": ["ONL"]},
]


def import_feed(meetings, *extra):
    """`stack.sh import` of a Meeting Guide feed (text, or a list of
    meetings) into FILES_SOURCE, as `make import` runs it; returns (exit
    status, report or None, stderr)."""
    text = meetings if isinstance(meetings, str) else json.dumps(meetings)
    proc = subprocess.run(
        [os.path.join(ROOT, "scripts", "stack.sh"), "import", "--json", "--format",
         "meeting-guide", "--source", FILES_SOURCE, "--timezone", "America/Chicago",
         "--fellowship", "aa", *extra, "-"],
        input=text, capture_output=True, text=True, timeout=300)
    report = json.loads(proc.stdout) if proc.returncode == 0 and proc.stdout.strip() else None
    return proc.returncode, report, proc.stderr


def files_state():
    """Each feed file of the test source and of all sources: its time,
    size and bytes (None when missing)."""
    state = {}
    for path in (feed_path(), feed_path({"source": FILES_SOURCE})):
        for p in (path, path + ".gz"):
            try:
                st = os.stat(p)
                state[p] = (st.st_mtime_ns, st.st_size, read(p))
            except FileNotFoundError:
                state[p] = None
    return state


class FeedFilesAfterImport(unittest.TestCase):
    """`finder import` rewrites its source's file and the file of all
    sources after it commits, and only then."""

    @classmethod
    def setUpClass(cls):
        # What an earlier run imported goes, and finder feeds removes its
        # files.
        forget_sources("f-%")
        stack("feeds", "--quiet")
        cls.before = files_state()
        cls.all_before = feed().header("etag")
        rc, cls.report, err = import_feed(FILES_MEETINGS)
        assert rc == 0, err
        cls.after = files_state()

    def test_the_files_hold_the_new_meetings(self):
        self.assertEqual(self.report["counts"]["inserted"], 2)
        self.assertIsNone(self.before[feed_path({"source": FILES_SOURCE})])
        own = feed({"source": FILES_SOURCE})
        self.assertTrue(from_file(own), own.headers)
        self.assertEqual([m["slug"] for m in own.meetings], ["ft-1", "ft-2"])
        self.assertEqual([m["name"] for m in own.meetings],
                         [m["name"] for m in FILES_MEETINGS])
        every = feed()
        self.assertTrue(from_file(every))
        self.assertNotEqual(every.header("etag"), self.all_before)
        names = [m["name"] for m in every.meetings]
        self.assertEqual(names[-2:], [m["name"] for m in FILES_MEETINGS],
                         "the newest source's meetings come last")
        self.assertEqual(len(every.meetings), count_published())
        for p, value in self.after.items():
            self.assertIsNotNone(value, p)
        assert_same_as_the_handler(self, {"source": FILES_SOURCE})
        assert_same_as_the_handler(self, None)

    def test_written_for_nginx_and_the_next_writer(self):
        # The import ran as the caller (root under make test); its files
        # belong to the directory's owner, the stack's user, and anyone can
        # read them.
        owner = os.stat(FEEDS_DIR).st_uid
        for path in self.after:
            st = os.stat(path)
            self.assertEqual(st.st_uid, owner, path)
            self.assertEqual(st.st_mode & 0o777, 0o644, path)
        for sub in ("source", "parts"):
            self.assertEqual(os.stat(os.path.join(FEEDS_DIR, sub)).st_uid, owner)
        leftovers = [n for d, _, names in os.walk(FEEDS_DIR) for n in names
                     if n.startswith(".tmp-")]
        self.assertEqual(leftovers, [])

    def test_the_same_file_again_rewrites_nothing(self):
        state = files_state()
        rc, report, err = import_feed(FILES_MEETINGS)
        self.assertEqual(rc, 0, err)
        self.assertEqual(report["counts"]["unchanged"], 2)
        self.assertEqual(files_state(), state, "the ETags stay")

    def test_a_dry_run_changes_nothing(self):
        state = files_state()
        changed = [dict(FILES_MEETINGS[0], name="Files Test Dry Run"), FILES_MEETINGS[1]]
        rc, report, err = import_feed(changed, "--dry-run")
        self.assertEqual(rc, 0, err)
        self.assertEqual(report["counts"]["updated"], 1)
        self.assertEqual(files_state(), state)
        self.assertNotIn("Dry Run", feed({"source": FILES_SOURCE}).body.decode())

    def test_a_failed_import_changes_nothing(self):
        state = files_state()
        for text in ("not json", json.dumps(FILES_MEETINGS)[:-20], "{}"):
            with self.subTest(text=text[:20]):
                rc, _, err = import_feed(text)
                self.assertEqual(rc, 1, err)
                self.assertEqual(files_state(), state)

    def test_a_failure_to_write_keeps_the_import(self):
        # The parts' directory replaced by a file: the import cannot write
        # the files. It stands all the same, and the files that are stale
        # go, so that the handler answers with what the import brought.
        parts = os.path.join(FEEDS_DIR, "parts")
        unwritten = [dict(FILES_MEETINGS[0], name="Files Test Unwritten"), FILES_MEETINGS[1]]
        os.rename(parts, parts + ".away")
        try:
            open(parts, "w").close()
            rc, report, err = import_feed(unwritten)
            self.assertEqual(rc, 0, err)
            self.assertEqual(report["counts"]["updated"], 1)
            self.assertIn("warning", err)
            for path in files_state():
                self.assertFalse(os.path.exists(path), path)
            own = feed({"source": FILES_SOURCE})
            self.assertTrue(from_handler(own), own.headers)
            self.assertEqual(own.meetings[0]["name"], "Files Test Unwritten")
            self.assertIn("Files Test Unwritten",
                          [m["name"] for m in feed(headers={"Host": PUBLIC_HOST}).meetings])
        finally:
            os.remove(parts)
            os.rename(parts + ".away", parts)
            rc, _, err = import_feed(FILES_MEETINGS)
            self.assertEqual(rc, 0, err)
        for path, value in files_state().items():
            self.assertIsNotNone(value, path)
        self.assertTrue(from_file(feed({"source": FILES_SOURCE})))

    def test_a_source_gone_loses_its_files(self):
        # Sources are deleted by hand only (the importer deletes nothing);
        # the next run of finder feeds removes their files and their part.
        gone = [dict(m, name=m["name"] + " (gone)") for m in FILES_MEETINGS]
        proc = subprocess.run(
            [os.path.join(ROOT, "scripts", "stack.sh"), "import", "--quiet", "--format",
             "meeting-guide", "--source", "f-gone", "--timezone", "UTC", "--fellowship", "aa",
             "-"], input=json.dumps(gone), capture_output=True, text=True, timeout=300)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        path = feed_path({"source": "f-gone"})
        part = os.path.join(FEEDS_DIR, "parts",
                            sql_value("SELECT id FROM sources WHERE slug = 'f-gone'") + ".part")
        self.assertTrue(os.path.exists(path) and os.path.exists(part))
        self.assertIn("Files Test Morning (gone)", [m["name"] for m in feed().meetings])
        source = "(SELECT id FROM sources WHERE slug = 'f-gone')"
        sql(f"""DELETE FROM meetings WHERE source_id = {source};
                DELETE FROM locations WHERE source_id = {source};
                DELETE FROM sources WHERE slug = 'f-gone'""")
        stack("feeds", "--quiet")
        for p in (path, path + ".gz", part):
            self.assertFalse(os.path.exists(p), p)
        self.assertNotIn("Files Test Morning (gone)", [m["name"] for m in feed().meetings])
        self.assertEqual(feed({"source": "f-gone"}).status, 400)

    def test_a_change_rewrites_both_files(self):
        state = files_state()
        renamed = [dict(FILES_MEETINGS[0], name="Files Test Renamed"), FILES_MEETINGS[1]]
        try:
            rc, report, err = import_feed(renamed)
            self.assertEqual(rc, 0, err)
            self.assertEqual(report["counts"]["updated"], 1)
            now = files_state()
            for path in state:
                self.assertNotEqual(now[path], state[path], path)
            self.assertIn("Files Test Renamed", [m["name"] for m in feed().meetings])
            own = feed({"source": FILES_SOURCE})
            self.assertEqual(own.meetings[0]["name"], "Files Test Renamed")
        finally:
            rc, _, err = import_feed(FILES_MEETINGS)
            self.assertEqual(rc, 0, err)


class Contacts(unittest.TestCase):
    """Contacts of people are published only when their source says so."""

    CONTACTS = {"contact_1_name": "Test Person", "contact_1_email": "test@example.org",
                "contact_1_phone": "5555550100"}

    @classmethod
    def setUpClass(cls):
        cls.mid, cls.updated, cls.city = sql("""
            SELECT m.id, m.updated_at, l.city
            FROM meetings m JOIN locations l ON l.id = m.location_id
            WHERE m.active ORDER BY m.id LIMIT 1""")[0]
        cls.public = sql_value("SELECT contacts_public FROM sources WHERE slug = 'demo'")
        sql(f"UPDATE meetings SET contacts = '{json.dumps(cls.CONTACTS)}' WHERE id = {cls.mid}")

    @classmethod
    def tearDownClass(cls):
        sql(f"""UPDATE meetings SET contacts = NULL, updated_at = '{cls.updated}'
                WHERE id = {cls.mid}""")
        sql(f"UPDATE sources SET contacts_public = {cls.public == 't'} WHERE slug = 'demo'")

    def the_meeting(self):
        r = feed({"region": self.city.replace(" ", "+")})
        self.assertEqual(r.status, 200)
        [m] = [m for m in r.meetings if m["slug"] == slug_of(self.mid)]
        return r, m

    def test_contacts_only_when_the_source_publishes_them(self):
        sql("UPDATE sources SET contacts_public = false WHERE slug = 'demo'")
        private, m = self.the_meeting()
        self.assertFalse(any(k.startswith("contact_") for k in m))
        self.assertNotIn("contacts", api(f"meetings/{self.mid}").json())

        sql("UPDATE sources SET contacts_public = true WHERE slug = 'demo'")
        public, m = self.the_meeting()
        self.assertNotEqual(public.header("etag"), private.header("etag"))
        self.assertEqual({k: v for k, v in m.items() if k.startswith("contact_")}, self.CONTACTS)
        self.assertEqual(list(m)[-3:], sorted(self.CONTACTS))
        self.assertEqual(api(f"meetings/{self.mid}").json()["contacts"], self.CONTACTS)
        # Never invented: no other meeting has any.
        for other in public.meetings:
            if other is not m:
                self.assertFalse(any(k.startswith("contact_") for k in other))
        self.assertEqual(feed(headers={"If-None-Match": private.header("etag")}).status, 200)

    def test_contacts_cannot_replace_the_meetings_fields(self):
        sql("UPDATE sources SET contacts_public = true WHERE slug = 'demo'")
        sql(f"""UPDATE meetings SET contacts = '{{"name": "Not this", "contact_2_name": "B"}}'
                WHERE id = {self.mid}""")
        try:
            _, m = self.the_meeting()
            self.assertNotEqual(m["name"], "Not this")
            self.assertEqual(m["contact_2_name"], "B")
            self.assertEqual(list(m).count("name"), 1)
        finally:
            sql(f"""UPDATE meetings SET contacts = '{json.dumps(self.CONTACTS)}'
                    WHERE id = {self.mid}""")


class ImportedFields(unittest.TestCase):
    """The Meeting Guide fields an import brings, in the feed and the detail."""

    MEETING = ("url", "conference_url_notes", "conference_phone_notes", "group_notes", "notes",
               "updated_at")
    LOCATION = ("notes", "approximate", "formatted_address")

    @classmethod
    def setUpClass(cls):
        cls.mid, cls.loc = sql("""
            SELECT m.id, m.location_id FROM meetings m
            WHERE m.active AND m.attendance = 'hybrid' ORDER BY m.id LIMIT 1""")[0]
        cls.city = sql_value(f"SELECT city FROM locations WHERE id = {cls.loc}")
        cls.restore = [saved("meetings", cls.mid, cls.MEETING),
                       saved("locations", cls.loc, cls.LOCATION)]
        sql(f"""UPDATE meetings SET url = 'https://example.org/meetings/x',
                       conference_url_notes = 'Password: serenity', conference_phone_notes = '',
                       group_notes = 'Business meeting monthly', notes = ''
                WHERE id = {cls.mid}""")
        sql(f"""UPDATE locations SET notes = 'Basement', approximate = true,
                       formatted_address = '1 Main St, Springfield, IL 62701, USA'
                WHERE id = {cls.loc}""")

    @classmethod
    def tearDownClass(cls):
        for restore in cls.restore:
            restore()

    def test_feed(self):
        r = feed({"region": self.city.replace(" ", "+")})
        [m] = [m for m in r.meetings if m["url"] == "https://example.org/meetings/x"]
        self.assertEqual(m["conference_url_notes"], "Password: serenity")
        self.assertEqual(m["group_notes"], "Business meeting monthly")
        self.assertEqual(m["location_notes"], "Basement")
        self.assertEqual(m["approximate"], "yes")
        self.assertEqual(m["formatted_address"], "1 Main St, Springfield, IL 62701, USA")
        self.assertNotIn("notes", m)
        self.assertNotIn("conference_phone_notes", m)

    def test_detail(self):
        one = api(f"meetings/{self.mid}").json()
        self.assertEqual(one["url"], "https://example.org/meetings/x")
        self.assertEqual(one["conference_url_notes"], "Password: serenity")
        self.assertEqual(one["group_notes"], "Business meeting monthly")
        self.assertEqual(one["location_notes"], "Basement")
        self.assertIs(one["approximate"], True)
        self.assertEqual(one["source"], "demo")
        self.assertNotIn("contacts", one)

    def test_detail_of_an_online_meeting(self):
        mid = sql_value("SELECT min(id) FROM meetings WHERE active AND location_id IS NULL")
        one = api(f"meetings/{mid}").json()
        for key in ("url", "location_notes", "conference_url_notes", "conference_phone_notes",
                    "group_notes", "approximate"):
            self.assertIsNone(one[key], key)
        self.assertEqual(one["source"], "demo")


class Sources(unittest.TestCase):
    KEYS = {"slug", "name", "format", "fellowship", "default_timezone", "demo",
            "contacts_public", "meetings", "services", "last_import_at", "last_import",
            # the sync's state (tests/api/test_sync.py)
            "url", "status", "error", "last_check_at", "last_change_at", "last_success_at",
            "next_sync_at", "expired_at", "stale",
            # the data's terms (tests/api/test_licences.py)
            "license", "license_url", "attribution"}
    REPORT = {"inserted", "updated", "unchanged", "deactivated", "rejected", "unmapped",
              "geocoded", "warnings", "rows", "seconds"}

    def sources(self):
        # The handler's answer, not one nginx's cache keeps for the minute:
        # these tests change sources and read them back at once.
        r = request("GET", "/api/v1/sources", headers={"Cache-Control": "no-cache"})
        self.assertEqual(r.status, 200)
        return r.json()["sources"]

    def test_lists_every_source_with_its_meetings(self):
        listed = self.sources()
        slugs = [s["slug"] for s in listed]
        self.assertEqual(slugs, [r[0] for r in sql(
            "SELECT slug FROM sources WHERE removed_at IS NULL ORDER BY slug")])
        self.assertEqual(slugs, sorted(slugs))
        terms = {r[0]: r[1:] for r in sql(
            """SELECT slug, coalesce(license, '-'), coalesce(license_url, '-'),
                      coalesce(attribution, '-') FROM sources""")}
        for s in listed:
            self.assertEqual(set(s), self.KEYS)
            self.assertEqual([s[k] or "-" for k in ("license", "license_url", "attribution")],
                             terms[s["slug"]], s["slug"])
            # The meetings in search: not those temporarily closed.
            self.assertEqual(s["meetings"], count_published(f"s.slug = '{s['slug']}' AND m.active"))
            self.assertEqual(s["services"], int(sql_value(
                f"""SELECT count(*) FROM hsds.service v JOIN sources x ON x.id = v.source_id
                    WHERE x.slug = '{s['slug']}' AND v.listed""")))
        [demo] = [s for s in listed if s["slug"] == "demo"]
        self.assertIs(demo["demo"], True)
        self.assertIsInstance(demo["contacts_public"], bool)
        self.assertGreater(demo["meetings"], 0)
        [services] = [s for s in listed if s["slug"] == "demo-services"]
        self.assertGreater(services["services"], 0)
        self.assertEqual(services["meetings"], 0)
        self.assertEqual(demo["default_timezone"],
                         sql_value("SELECT default_timezone FROM sources WHERE slug = 'demo'"))

    def test_last_import(self):
        old = sql("""SELECT coalesce(last_import::text, 'NULL'),
                            coalesce(last_import_at::text, 'NULL')
                     FROM sources WHERE slug = 'demo'""")[0]
        report = {"rows": 120, "inserted": 100, "updated": 10, "unchanged": 5, "deactivated": 2,
                  "rejected": 3, "warnings": 7, "unmapped": 1, "geocoded": 4, "active": 115,
                  "seconds": 1.25}
        sql(f"""UPDATE sources SET last_import = '{json.dumps(report)}',
                       last_import_at = '2026-03-01 12:34:56.789+00' WHERE slug = 'demo'""")
        try:
            [demo] = [s for s in self.sources() if s["slug"] == "demo"]
            self.assertEqual(demo["last_import_at"], "2026-03-01T12:34:56Z")
            self.assertEqual(set(demo["last_import"]), self.REPORT)
            self.assertEqual(demo["last_import"], {k: report[k] for k in self.REPORT})
        finally:
            restore = [v if v == "NULL" else "'" + v + "'" for v in old]
            sql(f"""UPDATE sources SET last_import = {restore[0]}, last_import_at = {restore[1]}
                    WHERE slug = 'demo'""")
        [demo] = [s for s in self.sources() if s["slug"] == "demo"]
        if old[0] == "NULL":
            self.assertIsNone(demo["last_import"])
            self.assertIsNone(demo["last_import_at"])

    def test_no_parameters(self):
        r = api("sources", {"slug": "demo"})
        self.assertEqual(r.status, 400)
        self.assertEqual(r.json()["error"]["param"], "slug")


if __name__ == "__main__":
    main()
