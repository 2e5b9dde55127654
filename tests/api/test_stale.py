"""Stale listings (issue 14): every meeting and service in a search and in
its detail carries confirmed_at (when its source last confirmed it, ISO 8601
UTC; null for a source without a url) and stale (longer ago than the
source's stale_after, at the search's now= or the clock).

Tiny feeds are imported into sources of their own (st-*), which are then
given a url and a fixed last success, as `finder sync` would leave them;
searches with now= just before and after last success + stale_after see
the flag flip."""

import json
import unittest
import urllib.parse

from harness import api, get, forget_sources, main, sql, sql_value
from test_hsds_import import import_hsds, service
from test_import import import_text

WORD = "Qwertystale"  # in every listing these tests make, and nowhere else
SYNCED = "st-synced"  # a url, last success 2026-03-01 12:00 UTC, 30 days
WEEKLY = "st-weekly"  # the same, stale after 7 days
NEVER = "st-never"  # a url, never a success: confirmed when it was made
FRESH = "st-fresh"  # a url, last success 29 days before the clock
FILE = "st-file"  # no url: never stale
CONFIRMED = "2026-03-01T12:00:00Z"
# (where, [(now, stale)]): now= either side of confirmed + stale_after.
FLIPS = {
    SYNCED: [("2026-03-31T11:59:00Z", False), ("2026-03-31T12:00:00Z", False),
             ("2026-03-31T12:01:00Z", True), ("2026-03-31T07:01-05:00", True)],
    WEEKLY: [("2026-03-08T11:59:00Z", False), ("2026-03-08T12:01:00Z", True)],
}
KC = {"lat": 39.0997, "lng": -94.5786}
# Searches are answered by the handler, not nginx's cache: a run within a
# minute (five, with now=) of the last would see the last run's listings.
FRESH_ANSWER = {"Cache-Control": "no-cache"}


def forget():
    forget_sources("st-%")


def feed(slug):
    """Two meetings in Kansas City and one online, all named with WORD."""
    return json.dumps([
        {"name": f"{WORD} {slug} Noon", "slug": "noon", "day": 1, "time": "12:00",
         "address": "6101 Ward Pkwy", "city": "Kansas City", "state": "MO",
         "postal_code": "64113", "country": "USA", "latitude": 39.0169507,
         "longitude": -94.6012228},
        {"name": f"{WORD} {slug} Evening", "slug": "evening", "day": 3, "time": "19:00",
         "address": "4500 Main St", "city": "Kansas City", "state": "MO",
         "postal_code": "64111", "country": "USA", "latitude": 39.0431,
         "longitude": -94.5860},
        {"name": f"{WORD} {slug} Online", "slug": "online", "day": 5, "time": "08:00",
         "conference_url": "https://meet.example.org/st", "types": ["ONL"]},
    ])


def services(slug):
    return json.dumps([service(
        "line", f"{WORD} {slug} Support Line",
        attributes=[{"taxonomy_term": {"code": "peer-support",
                                       "taxonomy_detail": {"name": "recovery-support"}}}],
        service_at_locations=[{"location": {"id": "kc", "name": "Kansas City office",
                                            "latitude": 39.0997, "longitude": -94.5786}}])])


def synced(slug, last_success, stale_after="30 days"):
    sql(f"""UPDATE sources SET url = 'https://example.org/{slug}.json',
                   last_success_at = {last_success}, stale_after = '{stale_after}'
            WHERE slug = '{slug}'""")


def by_source(items):
    """{source slug: [items]} of a search's meetings or services, by the
    slug their names carry."""
    out = {}
    for item in items:
        out.setdefault(item["name"].split()[1], []).append(item)
    return out


class Stale(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        forget()
        for slug in (SYNCED, WEEKLY, NEVER, FRESH, FILE):
            rc, _, err = import_text(slug, feed(slug))
            assert rc == 0, err
            rc, _, err = import_hsds(slug + "-svc", "-", data=services(slug))
            assert rc == 0, err
            cls.name_sources(slug)
        for slug in (SYNCED, SYNCED + "-svc"):
            synced(slug, f"'{CONFIRMED}'")
        for slug in (WEEKLY, WEEKLY + "-svc"):
            synced(slug, f"'{CONFIRMED}'", "7 days")
        for slug in (NEVER, NEVER + "-svc"):
            synced(slug, "NULL")
            sql(f"UPDATE sources SET created_at = '2026-02-01T00:00:00Z' WHERE slug = '{slug}'")
        # One instant for both: two statements' now() may fall in two
        # different seconds.
        fresh_at = sql_value("SELECT now() - interval '29 days'")
        for slug in (FRESH, FRESH + "-svc"):
            synced(slug, f"'{fresh_at}'")

    @staticmethod
    def name_sources(slug):
        sql(f"""UPDATE sources SET name = 'Test feed ' || slug
                WHERE slug IN ('{slug}', '{slug}-svc')""")

    @classmethod
    def tearDownClass(cls):
        forget()

    def search(self, kind, **params):
        query = urllib.parse.urlencode({"q": WORD, "limit": 100, **params})
        r = get(f"/api/v1/{kind}?{query}", headers=FRESH_ANSWER)
        self.assertEqual(r.status, 200, r.body)
        return by_source(r.json()[kind])

    def check_flips(self, kind, **params):
        for slug, cases in FLIPS.items():
            for now, stale in cases:
                found = self.search(kind, now=now, **params)
                self.assertTrue(found.get(slug), (kind, slug, params))
                for item in found[slug]:
                    self.assertEqual((item["confirmed_at"], item["stale"]), (CONFIRMED, stale),
                                     (kind, item["name"], now, params))
                for item in found[FILE]:
                    self.assertEqual((item["confirmed_at"], item["stale"]), (None, False))

    def test_meetings_anywhere_flip_at_stale_after(self):
        self.check_flips("meetings")
        self.check_flips("meetings", sort="next", tz="America/Chicago")

    def test_meetings_near_flip_at_stale_after(self):
        self.check_flips("meetings", **KC, radius_km=50)
        self.check_flips("meetings", **KC, radius_km=50, sort="next")

    def test_services_flip_at_stale_after(self):
        self.check_flips("services")
        self.check_flips("services", **KC, radius_km=50)

    def test_never_synced_is_confirmed_when_made(self):
        for kind in ("meetings", "services"):
            for now, stale in (("2026-03-03T00:00:00Z", False), ("2026-03-03T00:01:00Z", True)):
                for item in self.search(kind, now=now)[NEVER]:
                    self.assertEqual((item["confirmed_at"], item["stale"]),
                                     ("2026-02-01T00:00:00Z", stale), (kind, now))

    def test_without_now_the_clock(self):
        fresh = sql_value(f"""SELECT to_char(last_success_at AT TIME ZONE 'UTC',
                                             'YYYY-MM-DD"T"HH24:MI:SS"Z"')
                              FROM sources WHERE slug = '{FRESH}'""")
        for kind in ("meetings", "services"):
            found = self.search(kind)
            for item in found[FRESH]:
                self.assertEqual((item["confirmed_at"], item["stale"]), (fresh, False))
            for item in found[SYNCED]:  # confirmed in March 2026, by now long ago
                self.assertEqual((item["confirmed_at"], item["stale"]), (CONFIRMED, True))

    def test_meeting_detail_carries_the_same(self):
        found = self.search("meetings")
        for slug in (SYNCED, FRESH, FILE):
            for item in found[slug]:
                r = api(f"meetings/{item['id']}")
                self.assertEqual(r.status, 200)
                detail = r.json()
                self.assertEqual((detail["confirmed_at"], detail["stale"]),
                                 (item["confirmed_at"], item["stale"]), item["name"])
                self.assertEqual(detail["source_name"], "Test feed " + slug)
        self.assertTrue(found[SYNCED][0]["stale"])

    def test_service_detail_carries_the_same(self):
        for now, stale in FLIPS[SYNCED]:
            for item in self.search("services", now=now)[SYNCED]:
                r = api(f"services/{item['id']}", {"now": now})
                self.assertEqual(r.status, 200)
                detail = r.json()
                self.assertEqual((detail["confirmed_at"], detail["stale"], detail["source_name"]),
                                 (CONFIRMED, stale, f"Test feed {SYNCED}-svc"))
        item = self.search("services")[FILE][0]
        detail = api(f"services/{item['id']}").json()
        self.assertEqual((detail["confirmed_at"], detail["stale"]), (None, False))

    def test_every_search_path_carries_the_fields(self):
        # The demo's sources have no url: never stale, whichever statement
        # made the page (the walks and windows of a soonest-first search
        # anywhere, the candidates near a point).
        now = "2026-03-04T19:00:00-06:00"
        for params in ({"sort": "next"}, {"sort": "next", "day": "today"},
                       {"sort": "next", "time": "evening"}, {**KC, "sort": "next"}, KC,
                       {"attendance": "online"}):
            query = urllib.parse.urlencode({"now": now, "limit": 25, **params})
            r = get(f"/api/v1/meetings?{query}", headers=FRESH_ANSWER)
            self.assertEqual(r.status, 200, r.body)
            for m in r.json()["meetings"]:
                if not m["name"].startswith(WORD):
                    self.assertEqual((m["confirmed_at"], m["stale"]), (None, False), params)


if __name__ == "__main__":
    main()
