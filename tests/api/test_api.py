"""API tests against the running stack (nginx -> handler -> PostgreSQL).

Counts and distances are checked against SQL written here against the base
tables, not the view the handler reads, so a wrong join or filter in the
handler's queries shows up as a mismatch."""

import os
import re
import unittest
import urllib.parse
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from harness import ROOT, VAR_DIR, api, get, main, prepared, request, sql, sql_value

CHICAGO = (41.88, -87.63)
MEETING_KEYS = {"id", "slug", "name", "fellowship", "day", "time", "end_time", "timezone",
                "attendance", "types", "languages", "location", "conference_url", "conference_phone",
                "notes", "group", "updated", "next_start", "local_time", "confirmed_at", "stale"}
LOCATION_KEYS = {"name", "address", "city", "region", "postal_code", "country", "lat", "lng"}


def sql_count_near(lat, lng, radius_km, where="true"):
    return int(sql_value(f"""
        SELECT count(*) FROM meetings m
        JOIN fellowships f ON f.id = m.fellowship_id
        JOIN locations l ON l.id = m.location_id
        WHERE m.active AND l.geog IS NOT NULL
          AND ST_Distance(l.geog, ST_MakePoint({lng}, {lat})::geography, false)
              <= {radius_km * 1000}
          AND {where}"""))


def sql_count_all(where="true"):
    return int(sql_value(f"""
        SELECT count(*) FROM meetings m JOIN fellowships f ON f.id = m.fellowship_id
        WHERE m.active AND {where}"""))


# A search's candidates (fcgi/src/api_meetings.h: SEARCH_CANDIDATES): a count
# is exact up to this many matches, and no page reaches past it.
CAP = 1000


def assert_count(test, body, n):
    """body's count is n matches, exact up to CAP, past it CAP and not exact."""
    test.assertEqual(body["count"], min(n, CAP), body.get("count_exact"))
    test.assertEqual(body["count_exact"], n <= CAP)


def sql_first_matches(where, now):
    """SQL true when meeting m is one of the first CAP matches of a search
    anywhere (where) at instant now (ISO 8601): in order of its start in the
    UTC week from now's minute, by id, then the meetings by appointment."""
    m0 = ("(extract(dow FROM t)::integer * 1440 + extract(hour FROM t)::integer * 60"
          " + extract(minute FROM t)::integer)")
    return f"""m.id IN (
        SELECT m.id FROM meetings m JOIN fellowships f ON f.id = m.fellowship_id,
               (SELECT timestamptz '{now}' AT TIME ZONE 'UTC' AS t) n
        WHERE m.active AND {where}
        ORDER BY (m.utc_week_minute - {m0} + 10080) % 10080 NULLS LAST, m.id
        LIMIT {CAP})"""


class Health(unittest.TestCase):
    def test_health_ok_and_demo(self):
        r = api("health")
        self.assertEqual(r.status, 200)
        # The test stack has no standby: reads come from the primary, which
        # also takes reports.
        self.assertEqual(r.json(), {"status": "ok", "database": "ok", "reads": "primary",
                                    "reports": "ok", "demo": True})

    def test_head_has_no_body(self):
        r = request("HEAD", "/api/v1/health")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.body, b"")


class NearSearch(unittest.TestCase):
    def search(self, **params):
        params.setdefault("lat", CHICAGO[0])
        params.setdefault("lng", CHICAGO[1])
        r = api("meetings", params)
        self.assertEqual(r.status, 200, r.body)
        return r.json()

    def test_within_radius_and_sorted_by_distance(self):
        body = self.search(radius_km=10, limit=100)
        meetings = body["meetings"]
        self.assertGreater(len(meetings), 0, "the demo data has meetings near Chicago")
        distances = [m["distance_km"] for m in meetings]
        self.assertEqual(distances, sorted(distances))
        self.assertTrue(all(0 <= d <= 10 for d in distances))
        # Each distance agrees with PostGIS computed independently.
        ids = ",".join(str(m["id"]) for m in meetings)
        truth = dict((int(i), float(d)) for i, d in sql(f"""
            SELECT m.id, ST_Distance(l.geog, ST_MakePoint({CHICAGO[1]}, {CHICAGO[0]})::geography,
                                     false) / 1000
            FROM meetings m JOIN locations l ON l.id = m.location_id WHERE m.id IN ({ids})"""))
        for m in meetings:
            self.assertAlmostEqual(m["distance_km"], truth[m["id"]], delta=0.001)
            self.assertEqual(set(m), MEETING_KEYS | {"distance_km"})
            self.assertEqual(set(m["location"]), LOCATION_KEYS)

    def test_count_matches_sql(self):
        body = self.search(radius_km=10)
        self.assertEqual(body["count"], sql_count_near(*CHICAGO, 10))
        self.assertIs(body["count_exact"], True)
        self.assertNotIn("count_within_km", body)
        self.assertEqual(body["limit"], 25)
        self.assertEqual(body["offset"], 0)
        self.assertEqual(len(body["meetings"]), min(25, body["count"]))

    def test_default_radius_is_25_km(self):
        body = self.search()
        self.assertEqual(body["count"], sql_count_near(*CHICAGO, 25))
        self.assertTrue(all(m["distance_km"] <= 25 for m in body["meetings"]))

    def test_nothing_in_the_ocean(self):
        body = self.search(lat=0, lng=-30, radius_km=50)
        self.assertEqual(body, {"meetings": [], "count": 0, "count_exact": True, "limit": 25,
                                "offset": 0})

    def test_day_filter(self):
        body = self.search(radius_km=25, day="1,3", limit=100)
        self.assertTrue(all(m["day"] in (1, 3) for m in body["meetings"]))
        self.assertEqual(body["count"], sql_count_near(*CHICAGO, 25, "m.day IN (1, 3)"))

    def test_fellowship_filter(self):
        body = self.search(radius_km=50, fellowship="na,al-anon", limit=100)
        self.assertGreater(body["count"], 0)
        self.assertTrue(all(m["fellowship"]["slug"] in ("na", "al-anon") for m in body["meetings"]))
        self.assertEqual(body["count"],
                         sql_count_near(*CHICAGO, 50, "f.slug IN ('na', 'al-anon')"))

    def test_type_filter_requires_every_code(self):
        body = self.search(radius_km=100, type="O,D", limit=100)
        self.assertGreater(body["count"], 0)
        self.assertTrue(all({"O", "D"} <= set(m["types"]) for m in body["meetings"]))
        self.assertEqual(body["count"],
                         sql_count_near(*CHICAGO, 100, "m.types @> ARRAY['O', 'D']"))

    def test_attendance_filter(self):
        body = self.search(radius_km=100, attendance="hybrid", limit=100)
        self.assertGreater(body["count"], 0)
        for m in body["meetings"]:
            self.assertEqual(m["attendance"], "hybrid")
            self.assertIsNotNone(m["location"])
            self.assertTrue(m["conference_url"] or m["conference_phone"])
        self.assertEqual(body["count"],
                         sql_count_near(*CHICAGO, 100, "m.attendance = 'hybrid'"))

    def test_longest_allowed_lists_still_filter(self):
        # Regression: the most repeated items once overflowed the SQL array
        # buffer and the filter was dropped without a word.
        body = self.search(radius_km=100, day=",".join(["1"] * 20),
                           attendance=",".join(["in_person"] * 20), limit=100)
        self.assertTrue(all(m["day"] == 1 and m["attendance"] == "in_person"
                            for m in body["meetings"]))
        self.assertEqual(body["count"], sql_count_near(
            *CHICAGO, 100, "m.day = 1 AND m.attendance = 'in_person'"))

    def test_filters_combine_with_and(self):
        body = self.search(radius_km=200, day="0,1,2,3", fellowship="aa", type="O",
                           attendance="in_person,hybrid", limit=100)
        for m in body["meetings"]:
            self.assertIn(m["day"], (0, 1, 2, 3))
            self.assertEqual(m["fellowship"]["slug"], "aa")
            self.assertIn("O", m["types"])
            self.assertIn(m["attendance"], ("in_person", "hybrid"))
        self.assertEqual(body["count"], sql_count_near(
            *CHICAGO, 200, "m.day IN (0,1,2,3) AND f.slug = 'aa' AND 'O' = ANY (m.types)"
            " AND m.attendance IN ('in_person', 'hybrid')"))

    def test_paging_is_stable(self):
        whole = self.search(radius_km=100, limit=60)["meetings"]
        pages = self.search(radius_km=100, limit=30)["meetings"] + \
            self.search(radius_km=100, limit=30, offset=30)["meetings"]
        self.assertEqual([m["id"] for m in whole], [m["id"] for m in pages])

    def test_offset_past_the_end(self):
        body = self.search(radius_km=10, offset=975)
        self.assertEqual(body["meetings"], [])
        self.assertEqual(body["count"], sql_count_near(*CHICAGO, 10))

    def test_no_page_past_the_bound(self):
        # Past CAP matches a page is a question to narrow the search: 400
        # naming offset, near a point and anywhere alike.
        for params in ({"offset": 976}, {"offset": 901, "limit": 100},
                       {"offset": 100000}, {"lat": None, "lng": None, "offset": 990}):
            with self.subTest(params=params):
                q = {"lat": CHICAGO[0], "lng": CHICAGO[1]}
                q.update(params)
                r = api("meetings", {k: v for k, v in q.items() if v is not None})
                self.assertEqual(r.status, 400, r.body)
                self.assertEqual(r.json()["error"]["param"], "offset")
        body = self.search(offset=900, limit=100)
        self.assertEqual(body["offset"], 900)


def run_prepared(name, values):
    """Runs sql/queries/NAME.sql, prepared exactly as the handler prepares
    it, with values (its parameters' names to SQL literals; the rest NULL);
    returns the ids of its page, in order, and its count's columns when it
    has them (count, count_exact, held)."""
    rows = sql(prepared(name, values))
    # id is the first column; count, count_exact, reach_km, held the last four.
    return [r[0] for r in rows if r[0] != ""], [(r[-4], r[-3], r[-1]) for r in rows][:1]


def near_case(lat, lng, radius, limit, offset, **filters):
    return {"lat": lat, "lng": lng, "radius": radius, "limit": limit, "offset": offset,
            **filters}


class NearestPlans(unittest.TestCase):
    """The three ways to a page near a point give the same rows in the same
    order: meetings_near from its candidates (however many it reads),
    meetings_near_page (the page alone, when the candidates do not hold it),
    and meetings_near_soonest for soonest first."""

    CASES = [
        near_case("41.88", "-87.63", "500000", "25", "0"),
        near_case("40.73", "-73.99", "100000", "100", "0"),
        near_case("40.73", "-73.99", "500000", "30", "20", day="'{1,3}'", type="'{O}'"),
        near_case("34.05", "-118.24", "500000", "50", "5", fellowship="'{aa,na}'",
                  attendance="'{in_person}'"),
        near_case("41.88", "-87.63", "500000", "40", "0", family="true"),
        near_case("41.88", "-87.63", "500000", "40", "3", moud="true", language="'{en}'"),
        near_case("19.43", "-99.13", "500000", "40", "0", family="false", language="'{es}'",
                  keywords="'grupo'"),
        near_case("41.88", "-87.63", "3000", "25", "0"),
        near_case("0", "0", "500000", "25", "0"),
        near_case("41.88", "-87.63", "500000", "100", "900"),
    ]
    # meetings_near's candidates: enough for the whole radius (the
    # reference), a few, and one.
    BUDGETS = ("1000000", "40", "1")

    def near(self, values, budget, soonest):
        return run_prepared("meetings_near", {**values, "candidates": budget,
                                              "sort": "true" if soonest else "false"})

    def test_same_rows_in_the_same_order(self):
        for soonest in (False, True):
            for values in self.CASES:
                with self.subTest(values=values, soonest=soonest):
                    whole, ((count, exact, held),) = self.near(values, self.BUDGETS[0], soonest)
                    self.assertEqual((exact, held), ("t", "t"))
                    alone, _ = run_prepared("meetings_near_soonest" if soonest
                                            else "meetings_near_page", values)
                    self.assertEqual(alone, whole)
                    for budget in self.BUDGETS[1:]:
                        ids, ((_, exact, held),) = self.near(values, budget, soonest)
                        if held == "t":
                            self.assertEqual(ids, whole, budget)
                        else:
                            self.assertEqual((ids, exact), ([], "f"), budget)

    def test_ties_at_the_page_edge(self):
        # Meetings sharing a venue are at the same distance: a page that
        # ends inside such a group must still follow the id order, and a
        # count that ends inside one counts all of it.
        venue = sql_value("""SELECT location_id FROM meetings WHERE location_id IS NOT NULL
                             GROUP BY location_id HAVING count(*) >= 3 LIMIT 1""")
        lat, lng = sql("SELECT ST_Y(geog::geometry), ST_X(geog::geometry) FROM locations "
                       f"WHERE id = {venue}")[0]
        for limit in range(1, 5):
            values = near_case(lat, lng, "50000", str(limit), "1")
            whole, _ = self.near(values, "1000000", False)
            self.assertEqual(run_prepared("meetings_near_page", values)[0], whole)
            ids, ((count, exact, held),) = self.near(values, "2", False)
            self.assertEqual(exact, "f")
            self.assertGreaterEqual(int(count), 3)
            if held == "t":
                self.assertEqual(ids, whole)


# Written here again, apart from the migration: the ISO 639-1 language each
# language type code stands for.
LANGUAGE_CODES = {
    "AF": "af", "AM": "am", "AR": "ar", "BG": "bg", "DA": "da", "DE": "de", "EL": "el",
    "EN": "en", "FA": "fa", "FI": "fi", "FR": "fr", "HE": "he", "HI": "hi", "HR": "hr",
    "HU": "hu", "IS": "is", "ITA": "it", "JA": "ja", "KA": "ka", "KOR": "ko", "LT": "lt",
    "ML": "ml", "MT": "mt", "NE": "ne", "NL": "nl", "NO": "no", "POL": "pl", "POR": "pt",
    "PUN": "pa", "RUS": "ru", "S": "es", "SK": "sk", "SL": "sl", "SV": "sv", "TH": "th",
    "TL": "tl", "TUR": "tr", "UK": "uk"}
LANGUAGE_SQL = "(VALUES " + ", ".join(f"('{c}', '{l}')" for c, l in LANGUAGE_CODES.items()) + ")"


def sql_languages_match(langs):
    """SQL true when meeting m speaks one of langs: its language codes, or
    its source's default language when it has none."""
    wanted = ", ".join(f"'{l}'" for l in langs)
    return f"""(EXISTS (SELECT 1 FROM {LANGUAGE_SQL} AS v (code, lang)
                        WHERE v.code = ANY (m.types) AND v.lang IN ({wanted}))
               OR (NOT EXISTS (SELECT 1 FROM {LANGUAGE_SQL} AS v (code, lang)
                               WHERE v.code = ANY (m.types))
                   AND (SELECT default_language FROM sources s WHERE s.id = m.source_id)
                       IN ({wanted})))"""


FAMILY_SQL = "(f.audience = 'family' OR m.types && ARRAY['AL', 'AL-AN'])"
MOUD_SQL = "('MOUD' = ANY (m.types) OR f.slug = 'mara')"


class WhoAndLanguage(unittest.TestCase):
    def search(self, **params):
        params.setdefault("limit", 100)
        r = api("meetings", params)
        self.assertEqual(r.status, 200, r.body)
        return r.json()

    def test_for_family(self):
        body = self.search(**{"for": "family"})
        self.assertGreater(body["count"], 0)
        assert_count(self, body, sql_count_all(FAMILY_SQL))
        family = {r[0] for r in sql("SELECT slug FROM fellowships WHERE audience = 'family'")}
        for m in body["meetings"]:
            self.assertTrue(m["fellowship"]["slug"] in family or
                            {"AL", "AL-AN"} & set(m["types"]), m)

    def test_for_recovery_is_the_rest(self):
        near = {"lat": CHICAGO[0], "lng": CHICAGO[1], "radius_km": 300}
        family = self.search(**near, **{"for": "family"})["count"]
        recovery = self.search(**near, **{"for": "recovery"})
        self.assertEqual(recovery["count"], sql_count_near(*CHICAGO, 300, f"NOT {FAMILY_SQL}"))
        self.assertEqual(family + recovery["count"], sql_count_near(*CHICAGO, 300))
        assert_count(self, self.search(**{"for": "recovery"}),
                     sql_count_all(f"NOT {FAMILY_SQL}"))

    def test_moud(self):
        body = self.search(moud="true")
        self.assertGreater(body["count"], 0)
        assert_count(self, body, sql_count_all(MOUD_SQL))
        for m in body["meetings"]:
            self.assertTrue("MOUD" in m["types"] or m["fellowship"]["slug"] == "mara", m)

    def test_moud_near_with_other_filters(self):
        body = self.search(lat=CHICAGO[0], lng=CHICAGO[1], radius_km=300, moud="true",
                           **{"for": "recovery"})
        self.assertEqual(body["count"], sql_count_near(*CHICAGO, 300,
                                                       f"{MOUD_SQL} AND NOT {FAMILY_SQL}"))

    def test_language(self):
        for langs in (["es"], ["en"], ["es", "fr"], ["de"]):
            with self.subTest(langs=langs):
                body = self.search(lang=",".join(langs))
                assert_count(self, body, sql_count_all(sql_languages_match(langs)))
                for m in body["meetings"]:
                    self.assertTrue(set(langs) & set(m["languages"]), m)
        self.assertGreater(self.search(lang="es")["count"], 0)

    def test_spanish_meetings_near_chicago(self):
        body = self.search(lat=CHICAGO[0], lng=CHICAGO[1], radius_km=100, lang="es")
        self.assertEqual(body["count"],
                         sql_count_near(*CHICAGO, 100, sql_languages_match(["es"])))


def sql_keywords_match(words, phrases=()):
    """SQL true when meeting m (with its location l) has every word and
    phrase, by regular expressions over its unaccented, lower-case text:
    another way than the handler's full-text index."""
    text = ("lower(unaccent(concat_ws(' ', m.name, m.group_name, l.name, l.city, l.address,"
            " m.notes)))")
    parts = []
    for w in list(words) + ["[^[:alnum:]]+".join(p.split()) for p in phrases]:
        parts.append(f"{text} ~ '(^|[^[:alnum:]]){w}([^[:alnum:]]|$)'")
    return "(" + " AND ".join(parts) + ")"


def sql_count_keywords(words, phrases=()):
    return int(sql_value(f"""
        SELECT count(*) FROM meetings m LEFT JOIN locations l ON l.id = m.location_id
        WHERE m.active AND {sql_keywords_match(words, phrases)}"""))


class Keywords(unittest.TestCase):
    CASES = [
        # (q as typed, words, phrases) - words and phrases unaccented, lower-case
        ("grupo", ["grupo"], []),
        ("Día", ["dia"], []),
        ("dia", ["dia"], []),
        ("DÍA vez", ["dia", "vez"], []),
        ('"un dia a la vez"', [], ["un dia a la vez"]),
        ("discussion wednesday", ["discussion", "wednesday"], []),
        ('"wednesday discussion"', [], ["wednesday discussion"]),
        ('"east entrance" group', ["group"], ["east entrance"]),
        ("atrás", ["atras"], []),
        ("zzzzzz", ["zzzzzz"], []),
    ]

    def test_every_word_and_phrase_must_match(self):
        for q, words, phrases in self.CASES:
            with self.subTest(q=q):
                r = api("meetings", {"q": q, "limit": 100})
                self.assertEqual(r.status, 200, r.body)
                body = r.json()
                self.assertEqual(body["count"], sql_count_keywords(words, phrases))
        self.assertGreater(api("meetings", {"q": "grupo"}).json()["count"], 0)
        self.assertGreater(api("meetings", {"q": '"un dia a la vez"'}).json()["count"], 0)

    def test_ranking_puts_names_first(self):
        # A word in the name outranks the same word only in the group name,
        # place or notes: over every page, names first.
        names, offset = [], 0
        while True:
            body = api("meetings", {"q": "group", "limit": 100, "offset": offset}).json()
            names += [m["name"] for m in body["meetings"]]
            offset += 100
            if offset >= body["count"]:
                break
        in_name = [bool(re.search(r"\bgroup\b", n.lower())) for n in names]
        self.assertIn(True, in_name)
        self.assertIn(False, in_name, "the data has matches outside names too")
        self.assertEqual(in_name, sorted(in_name, reverse=True))

    def test_keywords_near_a_place(self):
        body = api("meetings", {"q": "grupo", "lat": 19.43, "lng": -99.13,
                                "radius_km": 100, "limit": 100}).json()
        self.assertEqual(body["count"], sql_count_near(
            19.43, -99.13, 100, sql_keywords_match(["grupo"])))
        distances = [m["distance_km"] for m in body["meetings"]]
        self.assertEqual(distances, sorted(distances))

    def test_at_most_200_characters(self):
        self.assertEqual(api("meetings", {"q": "é" * 200}).status, 200)
        r = api("meetings", {"q": "é" * 201})
        self.assertEqual(r.status, 400)
        self.assertEqual(r.json()["error"]["param"], "q")


def sql_count(near, where):
    """sql_count_near when near is ((lat, lng), km), else sql_count_all."""
    return sql_count_near(*near[0], near[1], where) if near else sql_count_all(where)


def sql_language_counts(near, where):
    """{code: meetings} over the active meetings (near: ((lat, lng), km) or
    None) where the SQL condition holds, each meeting counted once for each
    of its languages: the codes its language types stand for, or its
    source's default language when it has none."""
    frm = "meetings m JOIN fellowships f ON f.id = m.fellowship_id"
    cond = f"m.active AND {where}"
    if near:
        (lat, lng), km = near
        frm += " JOIN locations l ON l.id = m.location_id"
        cond += (f" AND l.geog IS NOT NULL AND ST_Distance(l.geog, ST_MakePoint({lng}, {lat})"
                 f"::geography, false) <= {km * 1000}")
    return {code: int(n) for code, n in sql(f"""
        SELECT v.lang, count(*) FROM {frm}
        CROSS JOIN LATERAL (
            SELECT t.lang FROM {LANGUAGE_SQL} AS t (code, lang) WHERE t.code = ANY (m.types)
            UNION
            SELECT s.default_language FROM sources s
            WHERE s.id = m.source_id
              AND NOT EXISTS (SELECT 1 FROM {LANGUAGE_SQL} AS t (code, lang)
                              WHERE t.code = ANY (m.types))) AS v (lang)
        WHERE {cond}
        GROUP BY v.lang""")}


# A fixed instant for the searches whose candidates depend on the clock.
NOW = "2026-11-23T18:50:00-06:00"


class Facets(unittest.TestCase):
    SEARCHES = [
        {},
        {"lat": CHICAGO[0], "lng": CHICAGO[1], "radius_km": 100},
        {"lat": CHICAGO[0], "lng": CHICAGO[1], "radius_km": 300, "day": "1,2", "type": "O"},
        {"for": "family"},
        {"q": "grupo", "lang": "es"},
        {"lat": 0, "lng": -30, "radius_km": 10},
    ]

    def test_counts_agree_with_the_search(self):
        for params in self.SEARCHES:
            with self.subTest(params=params):
                r = api("meetings/facets", params)
                self.assertEqual(r.status, 200, r.body)
                body = r.json()
                self.assertEqual(body["count"], api("meetings", params).json()["count"])
                facets = body["facets"]
                self.assertEqual(set(facets), {"fellowship", "attendance", "day", "type",
                                               "language", "for", "moud", "time", "region"})
                for single in ("fellowship", "attendance", "day", "for", "moud"):
                    self.assertEqual(sum(facets[single].values()), body["count"], single)
                self.assertLessEqual(set(facets["for"]), {"family", "recovery"})
                self.assertLessEqual(set(facets["moud"]), {"true", "false"})

    def test_each_value_counts_what_filtering_by_it_finds(self):
        base = {"lat": CHICAGO[0], "lng": CHICAGO[1], "radius_km": 200}
        facets = api("meetings/facets", base).json()["facets"]
        for slug, n in facets["fellowship"].items():
            self.assertEqual(api("meetings", dict(base, fellowship=slug)).json()["count"], n)
        for code, n in list(facets["type"].items())[:8]:
            self.assertEqual(api("meetings", dict(base, type=code)).json()["count"], n)
        for day, n in facets["day"].items():
            if day != "none":
                self.assertEqual(api("meetings", dict(base, day=day)).json()["count"], n)
        for code, n in facets["language"].items():
            self.assertEqual(api("meetings", dict(base, lang=code)).json()["count"], n)
        for audience, n in facets["for"].items():
            self.assertEqual(api("meetings", dict(base, **{"for": audience})).json()["count"], n)
        self.assertEqual(api("meetings", dict(base, moud="true")).json()["count"],
                         facets["moud"].get("true", 0))

    # (the search, where it is (a point and km) or None, the same search in
    # SQL over the base tables).
    AUDIENCE_SEARCHES = [
        ({}, None, "true"),
        ({"lat": CHICAGO[0], "lng": CHICAGO[1], "radius_km": 300}, (CHICAGO, 300), "true"),
        ({"for": "family"}, None, FAMILY_SQL),
        ({"lat": CHICAGO[0], "lng": CHICAGO[1], "radius_km": 300, "moud": "true"},
         (CHICAGO, 300), MOUD_SQL),
        ({"lang": "es", "attendance": "online,hybrid"}, None,
         f"{sql_languages_match(['es'])} AND m.attendance IN ('online', 'hybrid')"),
        ({"lat": 0, "lng": -30, "radius_km": 10}, ((0, -30), 10), "true"),
    ]

    @staticmethod
    def scoped(near, where):
        """where, narrowed to the first CAP matches anywhere when there are
        more (the facets count those)."""
        if near is None and sql_count_all(where) > CAP:
            return f"{where} AND {sql_first_matches(where, NOW)}"
        return where

    def test_audience_and_moud_agree_with_sql(self):
        for params, near, where in self.AUDIENCE_SEARCHES:
            with self.subTest(params=params):
                body = api("meetings/facets", dict(params, now=NOW)).json()
                assert_count(self, body, sql_count(near, where))
                where = self.scoped(near, where)
                facets = body["facets"]
                for name, value, cond in (("for", "family", FAMILY_SQL),
                                          ("for", "recovery", f"NOT {FAMILY_SQL}"),
                                          ("moud", "true", MOUD_SQL),
                                          ("moud", "false", f"NOT {MOUD_SQL}")):
                    self.assertEqual(facets[name].get(value, 0),
                                     sql_count(near, f"{where} AND {cond}"), (name, value))

    def test_languages_agree_with_sql(self):
        for params, near, where in self.AUDIENCE_SEARCHES:
            with self.subTest(params=params):
                facets = api("meetings/facets", dict(params, now=NOW)).json()["facets"]
                self.assertEqual(facets["language"],
                                 sql_language_counts(near, self.scoped(near, where)))

    def test_a_meeting_counts_once_for_each_language(self):
        # The demo meetings each have one language: a probe with two.
        sql("""
            INSERT INTO meetings (source_id, source_key, fellowship_id, name, slug, day,
                                  start_time, end_time, timezone, attendance, conference_url,
                                  types)
            SELECT s.id, 'probe-bilingual', f.id, 'Bilingual probe', 'bilingual-probe', 3,
                   '19:00', '20:00', 'America/Chicago', 'online', 'https://example.org/p',
                   ARRAY['S', 'FR', 'MOUD']
            FROM sources s, fellowships f WHERE s.slug = 'demo' AND f.slug = 'aa'""")
        try:
            body = api("meetings/facets", {"q": "bilingual probe"}).json()
            self.assertEqual(body["count"], 1)
            self.assertEqual(body["facets"]["language"], {"es": 1, "fr": 1})
            self.assertEqual(body["facets"]["for"], {"recovery": 1})
            self.assertEqual(body["facets"]["moud"], {"true": 1})
        finally:
            sql("DELETE FROM meetings WHERE source_key = 'probe-bilingual'")

    def test_time_windows(self):
        # Anywhere, more meetings than the candidates: the first CAP count.
        body = api("meetings/facets", {"now": NOW}).json()
        self.assertEqual((body["count"], body["count_exact"]), (CAP, False))
        facets = body["facets"]["time"]
        windows = {"morning": "m.start_time BETWEEN '04:00' AND '11:59'",
                   "midday": "m.start_time BETWEEN '11:00' AND '16:59'",
                   "evening": "m.start_time BETWEEN '16:00' AND '20:59'",
                   "night": "(m.start_time >= '20:00' OR m.start_time <= '04:59')"}
        first = sql_first_matches("true", NOW)
        for name, where in windows.items():
            self.assertEqual(facets.get(name, 0), sql_count_all(f"{where} AND {first}"), name)

    def test_no_paging_parameters(self):
        for qs in ("limit=10", "offset=0"):
            r = get("/api/v1/meetings/facets?" + qs)
            self.assertEqual(r.status, 400)
            self.assertEqual(r.json()["error"]["code"], "unknown_parameter")
        self.assertEqual(get("/api/v1/meetings/facets?lat=1").status, 400)


# A place's names as SQL over the base tables: its Meeting Guide regions and
# its city, spelled as stored.
def sql_place_named(*names):
    quoted = ", ".join("'" + n.replace("'", "''") + "'" for n in names)
    return f"(l.city IN ({quoted}) OR l.regions && ARRAY[{quoted}]::text[])"


def sql_count_region(near, names, where="true"):
    """Active meetings whose place has one of names (as stored) for a region or
    city, near ((lat, lng), km) or anywhere (None), where the SQL holds."""
    cond = f"{sql_place_named(*names)} AND {where}"
    if near:
        return sql_count_near(*near[0], near[1], cond)
    return int(sql_value(f"""
        SELECT count(*) FROM meetings m
        JOIN fellowships f ON f.id = m.fellowship_id
        JOIN locations l ON l.id = m.location_id
        WHERE m.active AND {cond}"""))


def fold(name):
    """name in capitals and without its accents, as a searcher may type it."""
    return name.upper().translate(str.maketrans("ÁÉÍÓÚÑÜÈÀÇÖÄÂÊÎÔÛ", "AEIOUNUEACOAAEIOU"))


class Regions(unittest.TestCase):
    """region=: meetings whose place has one of the names for a region or a
    city, without regard to case or accents; and facets.region."""

    @classmethod
    def setUpClass(cls):
        # The demo's places each have a neighbourhood (their one region);
        # the most common ones near Chicago, and a city spelled with accents.
        cls.hoods = [r[0] for r in sql(f"""
            SELECT r FROM meetings m JOIN locations l ON l.id = m.location_id,
                 unnest(l.regions) AS r
            WHERE m.active AND ST_DWithin(l.geog, ST_MakePoint({CHICAGO[1]}, {CHICAGO[0]})
                                                  ::geography, 50000, false)
            GROUP BY r ORDER BY count(*) DESC, r LIMIT 3""")]
        cls.accented = sql_value("""
            SELECT l.city FROM meetings m JOIN locations l ON l.id = m.location_id
            WHERE m.active AND l.city ~ '[^ -~]' GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1""")

    def search(self, path="meetings", **params):
        r = api(path, params)
        self.assertEqual(r.status, 200, r.body)
        return r.json()

    def test_demo_places_have_neighbourhoods(self):
        self.assertEqual(len(self.hoods), 3)
        self.assertEqual(int(sql_value("""SELECT count(*) FROM locations l JOIN sources s
                                          ON s.id = l.source_id
                                          WHERE s.slug = 'demo' AND l.regions = '{}'""")), 0)

    def test_counts_agree_with_sql(self):
        near = (CHICAGO, 50)
        at = {"lat": CHICAGO[0], "lng": CHICAGO[1], "radius_km": 50}
        cases = [
            ({"region": self.hoods[0]}, None, [self.hoods[0]]),
            (dict(at, region=self.hoods[0]), near, [self.hoods[0]]),
            (dict(at, region=",".join(self.hoods)), near, self.hoods),
            (dict(at, region="Chicago"), near, ["Chicago"]),
            (dict(at, region="Chicago", day="1,2", fellowship="aa"), near, ["Chicago"]),
            ({"region": self.accented}, None, [self.accented]),
            ({"region": f"{self.accented},{self.hoods[1]}", "attendance": "in_person,hybrid"},
             None, [self.accented, self.hoods[1]]),
            ({"region": "Atlantis"}, None, ["Atlantis"]),
        ]
        extra = {"day": "m.day IN (1, 2) AND f.slug = 'aa'",
                 "attendance": "m.attendance IN ('in_person', 'hybrid')"}
        for params, where_near, names in cases:
            with self.subTest(params=params):
                where = " AND ".join(v for k, v in extra.items() if k in params) or "true"
                want = sql_count_region(where_near, names, where)
                for path in ("meetings", "meetings/facets"):
                    assert_count(self, self.search(path, **params), want)
                if "Atlantis" not in names:
                    self.assertGreater(want, 0)

    def test_the_page_holds_only_the_region(self):
        for params in ({"region": self.hoods[0], "limit": 100},
                       {"region": self.hoods[1], "lat": CHICAGO[0], "lng": CHICAGO[1],
                        "radius_km": 100, "limit": 100},
                       {"region": self.hoods[2], "lat": CHICAGO[0], "lng": CHICAGO[1],
                        "radius_km": 100, "sort": "next", "limit": 100}):
            with self.subTest(params=params):
                meetings = self.search(**params)["meetings"]
                self.assertGreater(len(meetings), 0)
                ids = ",".join(str(m["id"]) for m in meetings)
                stray = sql_value(f"""
                    SELECT count(*) FROM meetings m JOIN locations l ON l.id = m.location_id
                    WHERE m.id IN ({ids}) AND NOT {sql_place_named(params["region"])}""")
                self.assertEqual(int(stray), 0)
                # Without the region the same search finds them all, and more.
                without = dict(params)
                del without["region"]
                self.assertGreater(self.search(**without)["count"], len(meetings))

    def test_without_regard_to_case_or_accents(self):
        want = self.search(region=self.accented)["count"]
        self.assertGreater(want, 0)
        for typed in (fold(self.accented), self.accented.lower(), " " + self.accented + " ",
                      fold(self.hoods[0]) + "," + fold(self.accented)):
            with self.subTest(typed=typed):
                body = self.search(region=typed)
                self.assertGreater(body["count"], 0)
                if "," not in typed:
                    self.assertEqual(body["count"], want)

    def test_any_of_the_regions_general_to_specific(self):
        loc = sql_value("""SELECT location_id FROM meetings WHERE active AND location_id
                           IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1""")
        old = sql_value(f"SELECT regions::text FROM locations WHERE id = {loc}")
        n = int(sql_value(f"SELECT count(*) FROM meetings WHERE active AND location_id = {loc}"))
        sql(f"""UPDATE locations SET regions = '{{"Zona Norte","Señora Heights"}}'
                WHERE id = {loc}""")
        try:
            for region in ("senora heights", "ZONA NORTE", "Señora Heights,Atlantis"):
                with self.subTest(region=region):
                    self.assertEqual(self.search(region=region)["count"], n)
            lat, lng = sql(f"SELECT ST_Y(geog::geometry), ST_X(geog::geometry) FROM locations"
                           f" WHERE id = {loc}")[0]
            body = self.search("meetings/facets", lat=lat, lng=lng, radius_km=0.1)
            # The most specific region names the meetings.
            self.assertEqual(body["facets"]["region"].get("Señora Heights"), n)
            self.assertNotIn("Zona Norte", body["facets"]["region"])
        finally:
            sql(f"UPDATE locations SET regions = '{old}' WHERE id = {loc}")

    def test_a_name_too_long_too_many_or_with_controls_is_400(self):
        for qs in ("region=" + "x" * 101, "region=" + ",".join(["Loop"] * 21), "region=a%0Ab",
                   "region=a%C2%85b", "region=", "region=a,,b"):
            for path in ("meetings", "meetings/facets"):
                with self.subTest(qs=qs[:40], path=path):
                    r = get(f"/api/v1/{path}?{qs}")
                    self.assertEqual(r.status, 400)
                    err = r.json()["error"]
                    self.assertEqual((err["code"], err["param"]), ("invalid_parameter", "region"))
        # At the bounds: 20 names, a name of 100 characters (200 bytes).
        self.assertEqual(get("/api/v1/meetings?region=" + ",".join(["Loop"] * 20)).status, 200)
        self.assertEqual(get("/api/v1/meetings?region=" + "%C3%A9" * 100).status, 200)

    def test_private_to_the_cache(self):
        r = api("meetings", {"region": self.hoods[0]})
        self.assertEqual(r.header("cache-control"), "no-store")

    def test_facet_shape(self):
        for params in ({}, {"lat": CHICAGO[0], "lng": CHICAGO[1], "radius_km": 300},
                       {"lat": 0, "lng": -30, "radius_km": 10}):
            with self.subTest(params=params):
                body = self.search("meetings/facets", now=NOW, **params)
                region = body["facets"]["region"]
                self.assertIsInstance(region, dict)
                self.assertLessEqual(len(region), 30)
                counts = list(region.values())
                self.assertTrue(all(isinstance(n, int) and n > 0 for n in counts))
                self.assertEqual(counts, sorted(counts, reverse=True), "most meetings first")
                self.assertTrue(all(name.strip() for name in region))
                # Meetings without a place (online ones) name no region.
                self.assertLessEqual(sum(counts), body["count"])

    def test_facet_counts_agree_with_sql(self):
        # Near Chicago the search is exact: each meeting is counted under its
        # place's last region (the demo's neighbourhood), else its city.
        near = (CHICAGO, 25)
        body = self.search("meetings/facets", lat=CHICAGO[0], lng=CHICAGO[1], radius_km=25)
        self.assertTrue(body["count_exact"])
        lat, lng = CHICAGO
        want = [(name, int(n)) for name, n in sql(f"""
            SELECT coalesce(l.regions[cardinality(l.regions)], l.city) AS name, count(*)
            FROM meetings m JOIN locations l ON l.id = m.location_id
            WHERE m.active AND ST_Distance(l.geog, ST_MakePoint({lng}, {lat})::geography,
                                           false) <= 25000
            GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 30""")]
        got = body["facets"]["region"]
        self.assertEqual(list(got.values()), [n for _, n in want])
        # Names tied at the cut may differ; those above it may not.
        for name, n in want:
            if n > want[-1][1] or len(want) < 30:
                self.assertEqual(got.get(name), n, name)
        if len(want) < 30:
            self.assertEqual(sum(got.values()), sql_count_near(*near[0], near[1]))

    def test_picking_a_facet_value_finds_its_count(self):
        base = {"lat": CHICAGO[0], "lng": CHICAGO[1], "radius_km": 100, "now": NOW}
        body = self.search("meetings/facets", **base)
        self.assertTrue(body["count_exact"])
        self.assertGreater(len(body["facets"]["region"]), 0)
        for name, n in body["facets"]["region"].items():
            with self.subTest(name=name):
                self.assertEqual(self.search(**dict(base, region=name))["count"], n)
                # The facets of the narrowed search name that place alone.
                self.assertEqual(self.search("meetings/facets", **dict(base, region=fold(name)))
                                 ["facets"]["region"], {name: n})

    def test_one_place_under_its_first_spelling(self):
        # Two places near each other, one neighbourhood spelled two ways: one
        # facet value, spelled as the place of the first stored meeting has it.
        a, b = [r[0] for r in sql(f"""
            SELECT l.id FROM locations l
            WHERE EXISTS (SELECT 1 FROM meetings m WHERE m.active AND m.location_id = l.id)
            ORDER BY l.geog <-> ST_MakePoint({CHICAGO[1]}, {CHICAGO[0]})::geography, l.id
            LIMIT 2""")]
        old = {x: sql_value(f"SELECT regions::text FROM locations WHERE id = {x}") for x in (a, b)}
        first = sql_value(f"""SELECT location_id FROM meetings WHERE active
                              AND location_id IN ({a}, {b}) ORDER BY id LIMIT 1""")
        n = int(sql_value(f"SELECT count(*) FROM meetings WHERE active"
                          f" AND location_id IN ({a}, {b})"))
        sql(f"UPDATE locations SET regions = '{{\"Zona Norte\"}}' WHERE id = {a}")
        sql(f"UPDATE locations SET regions = '{{\"ZONA NÓRTE\"}}' WHERE id = {b}")
        try:
            km = round(float(sql_value(f"""
                SELECT max(ST_Distance(l.geog, ST_MakePoint({CHICAGO[1]}, {CHICAGO[0]})
                                                ::geography, false)) / 1000 + 0.1
                FROM locations l WHERE l.id IN ({a}, {b})""")), 3)
            body = self.search("meetings/facets", lat=CHICAGO[0], lng=CHICAGO[1], radius_km=km)
            spelling = "Zona Norte" if first == a else "ZONA NÓRTE"
            region = body["facets"]["region"]
            self.assertEqual(region.get(spelling), n, region)
            self.assertNotIn("ZONA NÓRTE" if first == a else "Zona Norte", region)
            self.assertEqual(self.search(lat=CHICAGO[0], lng=CHICAGO[1], radius_km=km,
                                         region="zona norte")["count"], n)
        finally:
            for x, regions in old.items():
                sql(f"UPDATE locations SET regions = '{regions}' WHERE id = {x}")



# An independent model of the schedule, in Python with the system's zone
# data: a meeting repeats weekly at (day, start) in its own zone.
def py_next_start(day, start, zone, now):
    z = ZoneInfo(zone)
    local_now = now.astimezone(z)
    sunday = local_now.date() - timedelta(days=(local_now.weekday() + 1) % 7)
    for k in (0, 1):
        at = datetime.combine(sunday + timedelta(days=day + 7 * k), start, tzinfo=z)
        if at >= now:
            return at
    raise AssertionError("no occurrence")


def py_in_progress(day, start, minutes, zone, now):
    z = ZoneInfo(zone)
    local_now = now.astimezone(z)
    sunday = local_now.date() - timedelta(days=(local_now.weekday() + 1) % 7)
    for k in (-1, 0):
        local = datetime.combine(sunday + timedelta(days=day + 7 * k), start)
        begins = local.replace(tzinfo=z)
        ends = (local + timedelta(minutes=minutes)).replace(tzinfo=z)
        if begins <= now < ends:
            return True
    return False


def iso(at):
    return at.isoformat(timespec="seconds")


def schedule_rows():
    rows = []
    for mid, day, start, end, zone in sql(
            "SELECT id, day, start_time, end_time, timezone FROM meetings WHERE active"
            " AND day IS NOT NULL"):
        start_t = time.fromisoformat(start)
        minutes = 60
        if end and end != start:
            minutes = (datetime.combine(date.today(), time.fromisoformat(end))
                       - datetime.combine(date.today(), start_t)).seconds // 60
        rows.append((int(mid), int(day), start_t, minutes, zone))
    return rows


def all_ids(params):
    """Every meeting a search finds, page by page: fewer than CAP, so that
    the count is exact and the pages reach them all."""
    ids, offset = [], 0
    while True:
        body = api("meetings", dict(params, limit=100, offset=offset)).json()
        assert body["count_exact"], (params, body["count"])
        ids += [m["id"] for m in body["meetings"]]
        offset += 100
        if offset >= body["count"]:
            return ids, body


class TimeSearch(unittest.TestCase):
    NOW = "2026-11-23T18:50:00-06:00"

    @classmethod
    def setUpClass(cls):
        cls.rows = schedule_rows()

    def test_starts_within(self):
        now = datetime.fromisoformat(self.NOW)
        want = {mid for mid, day, start, _, zone in self.rows
                if py_next_start(day, start, zone, now) <= now + timedelta(minutes=90)}
        ids, body = all_ids({"starts_within": 90, "now": self.NOW})
        self.assertEqual(set(ids), want)
        self.assertGreater(len(want), 0)
        starts = [datetime.fromisoformat(m["next_start"]) for m in body["meetings"]]
        self.assertEqual(starts, sorted(starts), "soonest first without a location")

    def test_in_progress(self):
        now = datetime.fromisoformat(self.NOW)
        want = {mid for mid, day, start, minutes, zone in self.rows
                if py_in_progress(day, start, minutes, zone, now)}
        ids, _ = all_ids({"in_progress": "true", "now": self.NOW})
        self.assertEqual(set(ids), want)
        self.assertGreater(len(want), 0)

    def test_day_and_window_in_the_searchers_zone(self):
        now = datetime.fromisoformat(self.NOW)
        ny = ZoneInfo("America/New_York")
        today = (now.astimezone(ny).weekday() + 1) % 7
        for params, days, lo, hi in (
                ({"day": "today", "time": "evening"}, {today}, time(16), time(20, 59)),
                ({"day": "tomorrow,sat"}, {(today + 1) % 7, 6}, None, None),
                ({"day": "mon,tue,wed", "time": "night"}, {1, 2, 3}, time(20), time(4, 59)),
                ({"day": "1", "time": "07:00-09:30"}, {1}, time(7), time(9, 30))):
            with self.subTest(params=params):
                want = set()
                for mid, day, start, _, zone in self.rows:
                    seen = py_next_start(day, start, zone, now).astimezone(ny)
                    t = seen.time().replace(second=0)
                    in_window = lo is None or (lo <= t <= hi if lo <= hi else t >= lo or t <= hi)
                    if (seen.weekday() + 1) % 7 in days and in_window:
                        want.add(mid)
                ids, _ = all_ids(dict(params, tz="America/New_York", now=self.NOW))
                self.assertEqual(set(ids), want)

    def test_day_in_each_meetings_own_zone(self):
        ids, _ = all_ids({"day": "wed", "time": "morning", "now": self.NOW})
        want = {mid for mid, day, start, _, _ in self.rows
                if day == 3 and time(4) <= start <= time(11, 59)}
        self.assertEqual(set(ids), want)

    def test_next_start_and_local_time(self):
        now = datetime.fromisoformat(self.NOW)
        body = api("meetings", {"tz": "Asia/Tokyo", "now": self.NOW, "limit": 50}).json()
        zones = {mid: (day, start, zone) for mid, day, start, _, zone in self.rows}
        for m in body["meetings"]:
            day, start, zone = zones[m["id"]]
            at = py_next_start(day, start, zone, now)
            self.assertEqual(m["next_start"], iso(at.astimezone(ZoneInfo("Asia/Tokyo"))))
            self.assertEqual(m["local_time"], iso(at.astimezone(ZoneInfo(zone))))


class ScheduleEdges(unittest.TestCase):
    """Probe meetings with schedules the demo data may not have."""

    @classmethod
    def setUpClass(cls):
        cls.ids = {}
        for key, day, start, end, zone in (("london", 0, "10:00", "11:00", "Europe/London"),
                                           ("midnight", 1, "23:30", "00:30", "America/Chicago")):
            cls.ids[key] = int(sql_value(f"""
                INSERT INTO meetings (source_id, source_key, fellowship_id, name, slug, day,
                                      start_time, end_time, timezone, attendance,
                                      conference_url)
                SELECT s.id, 'probe-{key}', f.id, 'Schedule probe {key}', 'schedule-probe-{key}',
                       {day}, '{start}', '{end}', '{zone}', 'online', 'https://example.org/p'
                FROM sources s, fellowships f WHERE s.slug = 'demo' AND f.slug = 'aa'
                RETURNING id"""))

    @classmethod
    def tearDownClass(cls):
        sql("DELETE FROM meetings WHERE source_key LIKE 'probe-%'")

    def probe(self, key, **params):
        r = api("meetings", dict(params, q=f"probe {key}", limit=5))
        self.assertEqual(r.status, 200, r.body)
        return r.json()["meetings"]

    def test_london_meeting_seen_from_new_york_across_clock_changes(self):
        # New York moves its clocks on 8 March 2026, London on 29 March.
        for now, seen in (("2026-02-28T12:00", "2026-03-01T05:00:00-05:00"),
                          ("2026-03-07T12:00", "2026-03-08T06:00:00-04:00"),
                          ("2026-03-08T03:30", "2026-03-08T06:00:00-04:00"),
                          ("2026-03-28T12:00", "2026-03-29T05:00:00-04:00")):
            with self.subTest(now=now):
                [m] = self.probe("london", tz="America/New_York", now=now)
                self.assertEqual(m["next_start"], seen)
        [m] = self.probe("london", tz="America/New_York", now="2026-03-07T12:00")
        self.assertEqual(m["local_time"], "2026-03-08T10:00:00+00:00")
        # Sunday in London, still Sunday in New York early in the morning.
        self.assertEqual(len(self.probe("london", tz="America/New_York", now="2026-03-07T12:00",
                                        day="sun", time="05:00-06:30")), 1)
        self.assertEqual(self.probe("london", tz="America/New_York", now="2026-03-07T12:00",
                                    day="sun", time="09:00-11:00"), [])

    def test_meeting_past_midnight(self):
        on = {"in_progress": "true", "tz": "America/Chicago"}
        self.assertEqual(len(self.probe("midnight", now="2026-11-23T23:45", **on)), 1)
        self.assertEqual(len(self.probe("midnight", now="2026-11-24T00:10", **on)), 1)
        self.assertEqual(self.probe("midnight", now="2026-11-24T00:31", **on), [])
        self.assertEqual(self.probe("midnight", now="2026-11-23T23:10", **on), [])
        soon = self.probe("midnight", now="2026-11-23T23:10", tz="America/Chicago",
                          starts_within=30)
        self.assertEqual(soon[0]["next_start"], "2026-11-23T23:30:00-06:00")
        self.assertEqual(self.probe("midnight", now="2026-11-23T22:50", tz="America/Chicago",
                                    starts_within=30), [])
        # Seen from London it starts on Tuesday at 05:30.
        self.assertEqual(len(self.probe("midnight", now="2026-11-23T12:00Z",
                                        tz="Europe/London", day="tue", time="05:00-06:00")), 1)


class Places(unittest.TestCase):
    def test_completion(self):
        r = api("places", {"q": "chicago"})
        self.assertEqual(r.status, 200)
        places = r.json()["places"]
        self.assertTrue(1 <= len(places) <= 10)
        self.assertEqual(places[0]["label"], "Chicago, IL, US")
        self.assertAlmostEqual(places[0]["lat"], 41.88, delta=0.1)
        spring = api("places", {"q": "spring"}).json()["places"]
        self.assertEqual(len(spring), 10)
        self.assertTrue(all(p["name"].lower().startswith("spring") for p in spring))
        zips = api("places", {"q": "606"}).json()["places"]
        self.assertTrue(zips and all(p["kind"] == "zip" and p["postal_code"].startswith("606")
                                     for p in zips))

    def test_completion_input(self):
        for qs in ("", "q=", "x=1", "q=" + "a" * 101, "q=a%00"):
            with self.subTest(qs=qs):
                r = get("/api/v1/places?" + qs)
                self.assertEqual(r.status, 400)
        self.assertEqual(api("places", {"q": "%_%"}).status, 200)

    def test_near_a_zip_code(self):
        body = api("meetings", {"near": "60601", "radius_km": 20}).json()
        place = body["near"]
        self.assertIn("Chicago", place["label"])
        self.assertEqual(body["count"], sql_count_near(place["lat"], place["lng"], 20))
        self.assertTrue(all(m["distance_km"] <= 20 for m in body["meetings"]))

    def test_near_a_city_name(self):
        for near, lat, lng in (("Springfield, IL", 39.80, -89.64), ("Springfield, MO", 37.21, -93.29),
                               ("Toronto", 43.70, -79.42), ("Ciudad de México", 19.43, -99.13)):
            with self.subTest(near=near):
                r = api("meetings", {"near": near})
                self.assertEqual(r.status, 200, r.body)
                place = r.json()["near"]
                self.assertAlmostEqual(place["lat"], lat, delta=0.2)
                self.assertAlmostEqual(place["lng"], lng, delta=0.2)

    def test_unknown_place_lists_close_matches(self):
        r = api("meetings", {"near": "Chicgo"})
        self.assertEqual(r.status, 400)
        err = r.json()["error"]
        self.assertEqual((err["code"], err["param"]), ("unknown_place", "near"))
        self.assertIn("Chicago, IL, US", err["suggestions"])
        nothing = api("meetings", {"near": "Xqzzvb Wpp"}).json()["error"]
        self.assertEqual(nothing["suggestions"], [])

    def test_near_with_facets_and_conflicts(self):
        self.assertEqual(api("meetings/facets", {"near": "60601"}).json()["count"],
                         api("meetings", {"near": "60601"}).json()["count"])
        r = api("meetings", {"near": "60601", "lat": 1, "lng": 1})
        self.assertEqual(r.status, 400)
        self.assertEqual(r.json()["error"]["param"], "near")


class Lists(unittest.TestCase):
    def test_fellowships(self):
        r = api("fellowships")
        self.assertEqual(r.status, 200)
        self.assertIn("max-age", r.header("cache-control"))
        listed = {f["slug"]: f for f in r.json()["fellowships"]}
        self.assertEqual(set(listed), {row[0] for row in sql("SELECT slug FROM fellowships")})
        for slug in ("aa", "na", "smart", "al-anon", "alateen", "nar-anon", "ca", "cma",
                     "recovery-dharma", "lifering", "mara"):
            self.assertIn(slug, listed)
        self.assertEqual(listed["al-anon"]["audience"], "family")
        self.assertTrue(listed["mara"]["moud"])
        self.assertEqual(listed["aa"]["name"], {"en": "Alcoholics Anonymous",
                                                "es": "Alcohólicos Anónimos"})
        self.assertTrue(all(f["name"]["en"] and f["name"]["es"] for f in listed.values()))

    def test_types(self):
        r = api("types")
        self.assertEqual(r.status, 200)
        types = {t["code"]: t for t in r.json()["types"]}
        self.assertEqual(len(types), int(sql_value("SELECT count(*) FROM meeting_types")))
        self.assertEqual(types["O"]["label"], {"en": "Open", "es": "Abierta"})
        self.assertEqual(types["S"]["language"], "es")
        self.assertIsNone(types["O"]["language"])
        self.assertTrue(types["AL-AN"]["family"])
        self.assertIn("MOUD", types)
        self.assertTrue(all(t["label"]["en"] and t["label"]["es"] for t in types.values()))


class ListSearch(unittest.TestCase):
    def test_without_location_soonest_first(self):
        r = api("meetings", {"limit": 100, "day": "2"})
        self.assertEqual(r.status, 200)
        body = r.json()
        self.assertEqual(body["count"], sql_count_all("m.day = 2"))
        starts = [datetime.fromisoformat(m["next_start"]) for m in body["meetings"]]
        self.assertEqual(starts, sorted(starts))
        self.assertTrue(all("distance_km" not in m for m in body["meetings"]))

    def test_online_search_is_not_limited_by_distance(self):
        anywhere = api("meetings", {"attendance": "online", "limit": 100}).json()
        near = api("meetings", {"attendance": "online", "lat": 0, "lng": -30,
                                "limit": 100}).json()
        self.assertEqual(near["count"], anywhere["count"])
        self.assertEqual([m["id"] for m in near["meetings"]],
                         [m["id"] for m in anywhere["meetings"]])
        # ... unless a radius is given.
        bounded = api("meetings", {"attendance": "online", "lat": CHICAGO[0],
                                   "lng": CHICAGO[1], "radius_km": 50}).json()
        self.assertEqual(bounded["count"],
                         sql_count_near(*CHICAGO, 50, "m.attendance = 'online'"))

    def test_online_meetings_have_a_link_or_phone(self):
        r = api("meetings", {"attendance": "online", "limit": 100})
        body = r.json()
        self.assertEqual(body["count"], sql_count_all("m.attendance = 'online'"))
        self.assertGreater(body["count"], 0)
        for m in body["meetings"]:
            self.assertTrue(m["conference_url"] or m["conference_phone"])
        self.assertTrue(any(m["location"] is None for m in body["meetings"]),
                        "some online-only meetings have no place")

    def test_total_count(self):
        assert_count(self, api("meetings").json(), sql_count_all())


class OneMeeting(unittest.TestCase):
    def test_get_by_id_matches_list(self):
        listed = api("meetings", {"lat": CHICAGO[0], "lng": CHICAGO[1]}).json()["meetings"][0]
        r = api(f"meetings/{listed['id']}")
        self.assertEqual(r.status, 200)
        one = r.json()
        listed.pop("distance_km")
        one.pop("at_location")
        # The detail's own fields (the feed's tests check them).
        for key in ("url", "location_notes", "conference_url_notes", "conference_phone_notes",
                    "group_notes", "approximate", "source", "source_name", "venmo", "paypal",
                    "square", "closed", "steward"):
            one.pop(key)
        one.pop("contacts", None)
        self.assertEqual(one, listed)

    def test_other_meetings_at_the_same_place(self):
        mid, loc = sql("""SELECT min(id), location_id FROM meetings WHERE active AND attendance <> 'online'
                          AND location_id IN (SELECT location_id FROM meetings WHERE active
                                              GROUP BY 1 HAVING count(*) >= 3)
                          GROUP BY location_id LIMIT 1""")[0]
        others = api(f"meetings/{mid}").json()["at_location"]
        want = [int(r[0]) for r in sql(f"""SELECT id FROM meetings WHERE active
                AND location_id = {loc} AND id <> {mid} ORDER BY day, start_time, id""")]
        self.assertEqual([o["id"] for o in others], want)
        self.assertTrue(all(set(o) == {"id", "slug", "name", "fellowship", "day", "time",
                                       "end_time"} for o in others))
        online = sql_value("SELECT min(id) FROM meetings WHERE active AND location_id IS NULL")
        self.assertEqual(api(f"meetings/{online}").json()["at_location"], [])
        # An online meeting a feed gave an address has no place to share.
        online = sql_value("SELECT min(id) FROM meetings WHERE active AND attendance = 'online' "
                           "AND location_id IS NOT NULL")
        if online:
            self.assertEqual(api(f"meetings/{online}").json()["at_location"], [])

    def test_unknown_ids(self):
        missing = int(sql_value("SELECT coalesce(max(id), 0) + 1000 FROM meetings"))
        for target in (f"meetings/{missing}", "meetings/0", "meetings/abc", "meetings/-1",
                       "meetings/1.5", "meetings/99999999999999999999", "meetings/1/x",
                       ):
            r = get("/api/v1/" + target)
            self.assertEqual(r.status, 404, target)
            self.assertEqual(r.json()["error"]["code"], "not_found", target)

    def test_inactive_meeting_is_found_and_marked(self):
        # A link to a meeting its source dropped finds it, marked as no
        # longer listed; listed meetings carry neither key. Its calendar
        # file is gone.
        mid = sql_value("SELECT min(id) FROM meetings WHERE active")
        self.assertNotIn("active", api(f"meetings/{mid}").json())
        sql(f"UPDATE meetings SET active = false, inactive_since = '2026-11-01T12:00:00Z' WHERE id = {mid}")
        try:
            body = api(f"meetings/{mid}").json()
            self.assertIs(body["active"], False)
            self.assertTrue(body["inactive_since"].startswith("2026-11-01"), body["inactive_since"])
            self.assertEqual(body["id"], int(mid))
            self.assertEqual(get(f"/api/v1/meetings/{mid}.ics").status, 404)
        finally:
            sql(f"UPDATE meetings SET active = true, inactive_since = NULL WHERE id = {mid}")


class TimesOfDay(unittest.TestCase):
    """time= takes a list: windows and ranges that touch or overlap are one
    span of start times; a gap between them is a 400 naming time."""

    def count(self, **params):
        return api("meetings", {"lat": 41.88, "lng": -87.63, "radius_km": 200, "tz": "America/Chicago",
                                "limit": 1, **params}).json()["count"]

    def test_a_list_is_its_span(self):
        for listed, span in (("evening,night", "16:00-04:59"), ("morning,midday", "04:00-16:59"),
                             ("night,morning", "20:00-11:59"), ("22:00-23:00,23:00-01:30", "22:00-01:30"),
                             ("evening,evening", "16:00-20:59"),
                             ("morning,midday,evening,night", "00:00-23:59")):
            self.assertEqual(self.count(time=listed), self.count(time=span), listed)
        self.assertGreater(self.count(time="evening,night"), self.count(time="evening"))

    def test_a_gap_is_refused(self):
        for value in ("morning,evening", "midday,night", "08:00-09:00,10:00-11:00"):
            r = get("/api/v1/meetings?" + urllib.parse.urlencode({"time": value}))
            self.assertEqual(r.status, 400, value)
            self.assertEqual(r.json()["error"]["param"], "time", value)
        r = get("/api/v1/meetings/facets?time=morning,evening")
        self.assertEqual((r.status, r.json()["error"]["param"]), (400, "time"))


BAD_REQUESTS = [
    # (query string, parameter named in the error)
    ("lat=abc&lng=1", "lat"),
    ("lat=100&lng=1", "lat"),
    ("lat=90.0000001&lng=1", "lat"),
    ("lat=1&lng=-181", "lng"),
    ("lat=41", "lng"),
    ("lng=-87", "lat"),
    ("radius_km=5", "lat"),
    ("lat=1&lng=1&radius_km=0", "radius_km"),
    ("lat=1&lng=1&radius_km=501", "radius_km"),
    ("lat=1e999&lng=1", "lat"),
    ("lat=NaN&lng=1", "lat"),
    ("lat=0x10&lng=1", "lat"),
    ("lat=%2B1&lng=1", "lat"),
    ("lat=+1&lng=1", "lat"),
    ("lat=&lng=1", "lat"),
    ("lat&lng=1", "lat"),
    ("lat=1&lat=2&lng=1", "lat"),
    ("lat=1%00&lng=1", "lat"),
    ("lat=%FF&lng=1", "lat"),
    ("day=7", "day"),
    ("day=1,,2", "day"),
    ("day=", "day"),
    ("fellowship=AA", "fellowship"),
    ("fellowship=a%27a", "fellowship"),
    ("type=O;DROP", "type"),
    ("attendance=nope", "attendance"),
    ("limit=0", "limit"),
    ("limit=101", "limit"),
    ("limit=01", "limit"),
    ("offset=-1", "offset"),
    ("offset=99999999999999999999", "offset"),
    ("unknown=1", "unknown"),
    ("la=1", "la"),
    ("latt=1", "latt"),
    ("LAT=1", "LAT"),
    ("fellowships=aa", "fellowships"),
    ("name=" + "x" * 600, "name"),
    ("for=both", "for"),
    ("for=family,recovery", "for"),
    ("for=", "for"),
    ("moud=false", "moud"),
    ("moud=yes", "moud"),
    ("moud=true&moud=true", "moud"),
    ("lang=spa", "lang"),
    ("lang=ES", "lang"),
    ("lang=e1", "lang"),
    ("lang=es,", "lang"),
    ("q=", "q"),
    ("q=a%01b", "q"),
    ("q=a%0Ab", "q"),
    ("q=a%C2%85b", "q"),
    ("q=" + "a" * 201, "q"),
    ("tz=Mars/Olympus", "tz"),
    ("tz=America/../etc", "tz"),
    ("tz=", "tz"),
    ("day=mon,7", "day"),
    ("day=monday", "day"),
    ("time=25:00-26:00", "time"),
    ("time=18:00-", "time"),
    ("time=18:00", "time"),
    ("time=dawn", "time"),
    ("now=yesterday", "now"),
    ("now=2026-02-30T10:00", "now"),
    ("now=2026-11-23", "now"),
    ("now=2026-11-23T25:00", "now"),
    ("starts_within=10081", "starts_within"),
    ("starts_within=0", "starts_within"),
    ("in_progress=false", "in_progress"),
    ("sort=distance", "sort"),
    ("sort=closest", "sort"),
    ("type=" + ",".join(["O"] * 21), "type"),
    ("region=", "region"),
    ("region=" + "x" * 101, "region"),
    ("region=" + "%C3%A9" * 101, "region"),
    ("region=" + ",".join(["Loop"] * 21), "region"),
    ("region=Loop,,Uptown", "region"),
    ("region=Loop,", "region"),
    ("region=a%0Ab", "region"),
    ("region=a%09b", "region"),
    ("region=a%C2%85b", "region"),
    ("region=a%7Fb", "region"),
    ("region=a%22b", "region"),
    ("region=a%5Cb", "region"),
    ("region=Loop&region=Uptown", "region"),
]


class BadInput(unittest.TestCase):
    def test_bad_parameters_are_400_naming_the_parameter(self):
        for qs, param in BAD_REQUESTS:
            with self.subTest(qs=qs[:60]):
                r = get("/api/v1/meetings?" + qs)
                self.assertEqual(r.status, 400, r.body)
                self.assertTrue(r.header("content-type").startswith("application/json"))
                err = r.json()["error"]
                self.assertEqual(err["param"], param)
                self.assertIn(err["code"], ("invalid_parameter", "unknown_parameter",
                                            "repeated_parameter", "missing_parameter"))
                self.assertTrue(err["message"])

    def test_example_message(self):
        err = api("meetings", {"lat": 100, "lng": 1}).json()["error"]
        self.assertEqual(err, {"code": "invalid_parameter", "param": "lat",
                               "message": "lat must be a number from -90 to 90"})

    def test_parameters_on_routes_without_any(self):
        for target in ("/api/v1/health?x=1", "/api/v1/meetings/1?lat=1"):
            r = get(target)
            self.assertEqual(r.status, 400, target)
            self.assertEqual(r.json()["error"]["code"], "unknown_parameter")

    def test_too_long_query_string(self):
        r = get("/api/v1/meetings?" + "&".join(["day=1"] * 500))
        self.assertEqual(r.status, 400)
        self.assertIn("error", r.json())

    def test_too_long_url_is_json(self):
        r = get("/api/v1/meetings?x=" + "a" * 9000)
        self.assertIn(r.status, (400, 414))
        self.assertIn("error", r.json())

    def test_edge_values_accepted(self):
        for params in ({"lat": "-0", "lng": "0"}, {"lat": 90, "lng": 180, "radius_km": 500},
                       {"lat": -90, "lng": -180, "radius_km": "0.1"},
                       {"limit": 100, "offset": 0}, {"day": "0,1,2,3,4,5,6"},
                       {"attendance": "in_person,online,hybrid"}, {"type": "O,12x12,BV-I"}):
            with self.subTest(params=params):
                self.assertEqual(api("meetings", params).status, 200)

    def test_unknown_paths(self):
        for target in ("/api/", "/api/v1", "/api/v1/", "/api/v2/meetings", "/api/v1/meeting",
                       "/api/v1/meetingsX", "/api/v1/health/", "/api/v1/HEALTH"):
            r = get(target)
            self.assertEqual(r.status, 404, target)
            self.assertEqual(r.json()["error"]["code"], "not_found")

    def test_wrong_methods(self):
        # OPTIONS is a CORS preflight, answered by nginx (tests/api/test_feedback.py).
        for method in ("POST", "PUT", "DELETE", "PATCH"):
            r = request(method, "/api/v1/meetings")
            self.assertEqual(r.status, 405, method)
            self.assertEqual(r.header("allow"), "GET, HEAD")
            self.assertEqual(r.json()["error"]["code"], "method_not_allowed")


class WebServer(unittest.TestCase):
    def test_security_headers(self):
        for target in ("/", "/api/v1/health", "/api/v1/meetings?lat=x"):
            r = get(target)
            self.assertEqual(r.header("x-content-type-options"), "nosniff", target)
            self.assertEqual(r.header("referrer-policy"), "no-referrer", target)
            csp = r.header("content-security-policy")
            self.assertIsNotNone(csp, target)
            self.assertNotIn("unsafe-inline", csp)
            self.assertNotIn("unsafe-eval", csp)
            self.assertIsNone(r.header("set-cookie"), target)
            # CORS (tests/api/test_feedback.py): any origin, never credentials.
            self.assertEqual(r.header("access-control-allow-origin"),
                             "*" if target.startswith("/api/") else None, target)
            self.assertIsNone(r.header("access-control-allow-credentials"), target)

    def test_page_is_served(self):
        r = get("/")
        self.assertEqual(r.status, 200)
        self.assertIn(b"Recovery Finder", r.body)
        # Everything the page loads comes from this origin.
        self.assertNotRegex(r.body.decode(), r"(src|href)=\"(https?:)?//")

    def test_json_is_gzipped(self):
        r = request("GET", "/api/v1/meetings?limit=50", headers={"Accept-Encoding": "gzip"})
        self.assertEqual(r.status, 200)
        self.assertEqual(r.header("content-encoding"), "gzip")
        self.assertEqual(len(r.json()["meetings"]), 50)

    def test_error_log_has_no_query_string(self):
        get("/api/v1/meetings?lat=41.99999&x=" + "a" * 9000)
        log = open(os.path.join(VAR_DIR, "log", "nginx-error.log")).read()
        self.assertNotIn("41.99999", log)

    def test_access_log_has_no_query_string_or_address(self):
        api("meetings", {"lat": "41.87654", "lng": "-87.61234"})
        log = open(os.path.join(VAR_DIR, "log", "access.log")).read()
        self.assertIn("/api/v1/meetings", log)
        self.assertNotIn("41.87654", log)
        self.assertNotIn("lat=", log)
        self.assertNotIn("127.0.0.1", log)
        self.assertFalse(re.search(r"\?", log))


if __name__ == "__main__":
    main()
