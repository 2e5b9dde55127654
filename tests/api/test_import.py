"""Imports (`finder import`) against the running stack: every real feed in
../shared/data (skipped, and said so, when it is absent) with its counts and
hand-picked meetings checked in their stored form; idempotency; atomicity
(a file cut off in the middle, or unusable, changes nothing); per-row
errors; deactivation; the Meeting Guide export read back by the import; and
imported meetings found by the search API."""

import json
import os
import subprocess
import tempfile
import time
import unittest

from harness import ROOT, api, get, forget_sources, main, sql, sql_value

SHARED = os.path.normpath(os.path.join(ROOT, "..", "shared", "data"))
HAVE_SHARED = os.path.isdir(os.path.join(SHARED, "feeds")) and \
    os.path.isdir(os.path.join(SHARED, "bmlt"))
NO_SHARED = f"{SHARED} is absent: the real feeds are not imported"


def run_import(*args, data=None):
    """Runs `finder import --json ARGS` through the stack; returns
    (exit status, report or None, stderr)."""
    proc = subprocess.run(
        [os.path.join(ROOT, "scripts", "stack.sh"), "import", "--json", *args],
        input=data, capture_output=True, text=True, timeout=300)
    report = None
    if proc.returncode == 0 and proc.stdout.strip():
        report = json.loads(proc.stdout)
    return proc.returncode, report, proc.stderr


def import_text(source, text, fmt="meeting-guide", extra=()):
    return run_import("--format", fmt, "--source", source, "--timezone", "America/Chicago",
                      "--fellowship", "aa", *extra, "-", data=text)


def fingerprint(source):
    """A digest of everything stored for a source's meetings and places."""
    return sql_value(f"""
        SELECT md5(coalesce(string_agg(x, '|' ORDER BY x), ''))
        FROM (SELECT (m.*)::text || coalesce((l.*)::text, '') AS x
              FROM meetings m
              JOIN sources s ON s.id = m.source_id
              LEFT JOIN locations l ON l.id = m.location_id
              WHERE s.slug = '{source}') r""") + sql_value(
        f"SELECT coalesce((SELECT last_import::text FROM sources WHERE slug = '{source}'), '-')")


def stored(source, key):
    """One imported meeting in its stored, normal form (None if absent)."""
    rows = sql(f"""
        SELECT json_build_object(
            'id', m.id, 'name', m.name, 'day', m.day,
            'time', to_char(m.start_time, 'HH24:MI'), 'end_time', to_char(m.end_time, 'HH24:MI'),
            'timezone', m.timezone, 'types', m.types, 'attendance', m.attendance,
            'lat', round(ST_Y(m.geog::geometry)::numeric, 5),
            'lng', round(ST_X(m.geog::geometry)::numeric, 5),
            'geocoded', l.geocoded, 'approximate', coalesce(l.approximate, false),
            'active', m.active, 'notes', coalesce(m.notes, ''),
            'conference_url', m.conference_url, 'conference_phone', m.conference_phone,
            'languages', m.languages, 'contacts', m.contacts, 'fellowship', f.slug)
        FROM meetings m
        JOIN sources s ON s.id = m.source_id
        JOIN fellowships f ON f.id = m.fellowship_id
        LEFT JOIN locations l ON l.id = m.location_id
        WHERE s.slug = '{source}' AND m.source_key = '{key}'""")
    if not rows:
        return None
    m = json.loads(rows[0][0])
    for k in ("lat", "lng"):
        m[k] = float(m[k]) if m[k] is not None else None
    return m


def forget(pattern):
    forget_sources(pattern)


# The real feeds: file, source, format, options.
FEEDS = [
    ("feeds/tsml-ui_oc.json", "t-oc", "meeting-guide",
     ["--timezone", "America/Los_Angeles", "--fellowship", "aa"]),
    ("feeds/tsml-ui_edmonton.json", "t-edmonton", "meeting-guide",
     ["--timezone", "America/Edmonton", "--fellowship", "aa"]),
    ("feeds/tsml-ui_al-anon.json", "t-alanon", "meeting-guide",
     ["--timezone", "America/New_York", "--fellowship", "al-anon"]),
    ("feeds/tsml-ui_kc.test.json", "t-kc", "meeting-guide",
     ["--timezone", "America/Chicago", "--fellowship", "aa"]),
    ("bmlt/berlin-de_GetSearchResults_full.json", "t-berlin", "bmlt",
     ["--timezone", "Europe/Berlin", "--fellowship", "na", "--language", "de",
      "--formats", "bmlt/germany_GetFormats_en.json"]),
    ("bmlt/gnyr-test_GetSearchResults_nearest50_mon.json", "t-gnyr-mon", "bmlt",
     ["--timezone", "America/New_York", "--fellowship", "na",
      "--formats", "bmlt/gnyr-test_GetFormats_en.json"]),
    ("bmlt/gnyr-test_GetSearchResults_nearest50_tue.json", "t-gnyr-tue", "bmlt",
     ["--timezone", "America/New_York", "--fellowship", "na"]),
]

# What each import must report: meetings stored, of them those whose place
# is temporarily closed (TC, no online way in: kept, in no search), rows
# rejected, meetings to go to that have no point (unmapped) and meetings
# placed through the gazetteer; and why rows were rejected (a phrase of the
# reason: count).
EXPECTED = {
    "t-oc": {"rows": 1965, "closed": 0, "rejected": 2, "unmapped": 0, "geocoded": 0},
    # No coordinates at all: placed at their town's centre, but for small
    # towns the gazetteer does not know (Onoway, Strome, Hay Lakes, Thorsby,
    # Maskwacis).
    "t-edmonton": {"rows": 315, "closed": 21, "rejected": 0, "unmapped": 9, "geocoded": 306},
    "t-alanon": {"rows": 360, "closed": 33, "rejected": 0, "unmapped": 0, "geocoded": 0},
    "t-kc": {"rows": 206, "closed": 9, "rejected": 0, "unmapped": 0, "geocoded": 0},
    "t-berlin": {"rows": 108, "closed": 0, "rejected": 0, "unmapped": 0, "geocoded": 0},
    "t-gnyr-mon": {"rows": 53, "closed": 0, "rejected": 0, "unmapped": 0, "geocoded": 0},
    "t-gnyr-tue": {"rows": 54, "closed": 0, "rejected": 0, "unmapped": 0, "geocoded": 0},
}
# The plugin's "inactive" without TC: an in-person meeting at no real place.
REASONS = {
    "t-oc": {"the feed marks it inactive": 2},
}


def feed_args(path, source, fmt, options):
    args = ["--format", fmt, "--source", source]
    it = iter(options)
    for opt in it:
        value = next(it) if opt != "--contacts-public" else None
        if opt == "--formats":
            value = os.path.join(SHARED, value)
        args += [opt] + ([value] if value is not None else [])
    return args + [os.path.join(SHARED, path)]


@unittest.skipUnless(HAVE_SHARED, NO_SHARED)
class RealFeeds(unittest.TestCase):
    reports = {}

    @classmethod
    def setUpClass(cls):
        forget("t-%")
        for path, source, fmt, options in FEEDS:
            rc, report, err = run_import(*feed_args(path, source, fmt, options))
            if rc != 0:
                raise AssertionError(f"importing {path} failed ({rc}): {err}")
            cls.reports[source] = report

    def test_counts(self):
        for source, want in EXPECTED.items():
            counts = self.reports[source]["counts"]
            with self.subTest(source=source):
                got = {k: counts[k] for k in want}
                self.assertEqual(got, want)
                self.assertEqual(counts["inserted"], counts["rows"])
                self.assertEqual(counts["active"] + counts["closed"], counts["rows"])
                active = int(sql_value(f"""SELECT count(*) FROM meetings m JOIN sources s
                    ON s.id = m.source_id WHERE s.slug = '{source}' AND m.active"""))
                self.assertEqual(active, counts["active"])

    def test_every_rejection_explained(self):
        for source, report in self.reports.items():
            with self.subTest(source=source):
                self.assertEqual(len(report["rejected"]), report["counts"]["rejected"])
                reasons = {}
                for r in report["rejected"]:
                    self.assertGreater(r["row"], 0)
                    phrase = next((p for p in REASONS.get(source, {}) if p in r["reason"]),
                                  r["reason"])
                    reasons[phrase] = reasons.get(phrase, 0) + 1
                self.assertEqual(reasons, REASONS.get(source, {}))
                for w in report["warnings"]:
                    self.assertGreater(len(w["reason"]), 10, w)

    def test_sources_recorded(self):
        for source, report in self.reports.items():
            last = json.loads(sql_value(
                f"SELECT last_import FROM sources WHERE slug = '{source}'"))
            self.assertEqual(last["rows"], report["counts"]["rows"])
            self.assertEqual(last["rejected"], report["counts"]["rejected"])

    def test_oc_hand_picked(self):
        m = stored("t-oc", "40-minutes-to-freedom")
        self.assertEqual((m["day"], m["time"], m["end_time"], m["timezone"]),
                         (1, "19:30", "20:15", "America/Los_Angeles"))
        self.assertEqual(m["types"], ["C", "D", "DR", "EN", "M"])
        self.assertEqual(m["attendance"], "in_person")
        self.assertEqual((m["lat"], m["lng"], m["geocoded"]), (33.68502, -117.87208, "feed"))
        # By appointment: no day, no time, still listed.
        m = stored("t-oc", "women")
        self.assertEqual((m["day"], m["time"], m["active"], m["attendance"]),
                         (None, None, True, "in_person"))
        # Past midnight: 23:00 to 00:00 lasts an hour.
        m = stored("t-oc", "late-night-aa-meeting")
        self.assertEqual((m["day"], m["time"], m["end_time"]), (4, "23:00", "00:00"))
        self.assertEqual(int(sql_value(f"SELECT duration_min FROM meetings WHERE id = {m['id']}")), 60)
        # Online with an approximate address; ONL kept.
        m = stored("t-oc", "step-study-grange-2")
        self.assertEqual(m["attendance"], "online")
        self.assertTrue(m["approximate"])
        self.assertIn("ONL", m["types"])
        self.assertEqual(m["conference_url"], "https://zoom.us/j/3056986566")
        m = stored("t-oc", "here-and-now-laguna-beach")
        self.assertEqual(m["attendance"], "hybrid")
        # Marked inactive by the feed: not imported, said why.
        reasons = {r["key"]: r["reason"] for r in self.reports["t-oc"]["rejected"]}
        self.assertIn("inactive", reasons.get("badge-2-badge-meeting", ""))
        self.assertIsNone(stored("t-oc", "badge-2-badge-meeting"))

    def test_edmonton_hand_picked(self):
        # 12-hour time, a one-day array, no coordinates: placed at the city,
        # but its street address is no less exact for that.
        m = stored("t-edmonton", "6")
        self.assertEqual(m["name"], "Chapter House - Shifters")
        self.assertEqual((m["day"], m["time"], m["timezone"]), (6, "11:00", "America/Edmonton"))
        self.assertEqual(m["types"], ["C"])
        self.assertEqual(m["geocoded"], "city")
        self.assertFalse(m["approximate"])
        self.assertAlmostEqual(m["lat"], 53.55, delta=0.1)
        self.assertAlmostEqual(m["lng"], -113.47, delta=0.1)
        m = stored("t-edmonton", "8")
        self.assertEqual((m["day"], m["time"], m["attendance"]), (2, "19:30", "hybrid"))

    def test_alanon_codes_mean_what_alanon_means(self):
        m = stored("t-alanon", "25037-par-ents-afg")
        self.assertEqual(m["fellowship"], "al-anon")
        self.assertEqual((m["day"], m["time"]), (0, "21:00"))
        # Al-Anon's POA is Parents of Alcoholics, not Proof of Attendance.
        self.assertEqual(m["types"], ["O", "ONL", "PARENTS"])
        self.assertEqual(m["attendance"], "online")
        self.assertTrue(m["approximate"])
        self.assertEqual(m["conference_phone"], "+19292056099,,1234567890#,,,,,##")
        self.assertIn("passcode", m["notes"])
        codes = sql("""SELECT DISTINCT unnest(types) FROM meetings m JOIN sources s
                       ON s.id = m.source_id WHERE s.slug = 't-alanon'""")
        codes = {c[0] for c in codes}
        self.assertNotIn("POA", codes)
        self.assertNotIn("Y", codes)

    def test_kc_hand_picked(self):
        # An integer slug and an integer postal code.
        m = stored("t-kc", "254")
        self.assertEqual(m["name"], "Ward Parkway Group")
        self.assertEqual((m["day"], m["time"], m["timezone"]), (0, "18:30", "America/Chicago"))
        self.assertEqual(m["types"], ["O"])
        self.assertEqual((m["lat"], m["lng"]), (39.01695, -94.60122))
        # onl in lower case is ONL; <br> in notes is a line break, not markup.
        codes = {c[0] for c in sql("""SELECT DISTINCT unnest(types) FROM meetings m JOIN sources s
                                     ON s.id = m.source_id WHERE s.slug = 't-kc'""")}
        self.assertIn("ONL", codes)
        self.assertNotIn("onl", codes)
        self.assertEqual(sql_value("""SELECT count(*) FROM meetings m JOIN sources s
            ON s.id = m.source_id WHERE s.slug = 't-kc' AND (notes LIKE '%<br%'
            OR group_notes LIKE '%<br%' OR notes ~ '^\\s|\\s$')"""), "0")

    def test_bmlt_berlin(self):
        rows = sql("""SELECT attendance, count(*), count(geog) FROM meetings m JOIN sources s
                      ON s.id = m.source_id WHERE s.slug = 't-berlin' GROUP BY 1 ORDER BY 1""")
        by = {r[0]: (int(r[1]), int(r[2])) for r in rows}
        # Virtual meetings (venue_type 2) keep none of their placeholder points.
        self.assertEqual(by["online"][1], 0)
        self.assertEqual(by["online"][0], 23)
        self.assertEqual(by.get("in_person", (0, 0))[0] + by.get("hybrid", (0, 0))[0], 85)
        # No point in California.
        self.assertEqual(sql_value("""SELECT count(*) FROM meetings m JOIN sources s
            ON s.id = m.source_id WHERE s.slug = 't-berlin'
            AND ST_X(geog::geometry) < 0"""), "0")
        # Empty time_zone: the source's; weekdays 1-7 are Sunday-Saturday.
        self.assertEqual(sql_value("""SELECT string_agg(DISTINCT timezone, ',') FROM meetings m
            JOIN sources s ON s.id = m.source_id WHERE s.slug = 't-berlin'"""), "Europe/Berlin")
        self.assertEqual(sql_value("""SELECT min(day) || '-' || max(day) FROM meetings m
            JOIN sources s ON s.id = m.source_id WHERE s.slug = 't-berlin'"""), "0-6")
        # A German meeting (the source's language) outdoors (a custom format
        # kept as its key), and an English one (its LANG format).
        m = stored("t-berlin", "10746")
        self.assertEqual(m["languages"], ["de"])
        self.assertEqual(m["attendance"], "in_person")
        self.assertIn("O", m["types"])
        self.assertIn("Aussen", m["types"])
        self.assertIn("en", sql_value("""SELECT string_agg(DISTINCT l, ',') FROM meetings m
            JOIN sources s ON s.id = m.source_id, unnest(m.languages) l
            WHERE s.slug = 't-berlin'""").split(","))

    def test_bmlt_gnyr(self):
        # The Monday file asked for weekday 2 (Monday): every meeting is day 1.
        self.assertEqual(sql_value("""SELECT string_agg(DISTINCT day::text, ',') FROM meetings m
            JOIN sources s ON s.id = m.source_id WHERE s.slug = 't-gnyr-mon'"""), "1")
        self.assertEqual(sql_value("""SELECT string_agg(DISTINCT day::text, ',') FROM meetings m
            JOIN sources s ON s.id = m.source_id WHERE s.slug = 't-gnyr-tue'"""), "2")
        # Formats became Meeting Guide codes through world_id (OPEN, DISC,
        # LIT, STEP, WCHR).
        codes = {c[0] for c in sql("""SELECT DISTINCT unnest(types) FROM meetings m
            JOIN sources s ON s.id = m.source_id WHERE s.slug = 't-gnyr-mon'""")}
        self.assertTrue({"O", "D", "LIT", "ST", "X"} <= codes, codes)

    def test_idempotent(self):
        for path, source, fmt, options in FEEDS[:2] + FEEDS[4:5]:
            with self.subTest(source=source):
                before = fingerprint(source)
                rc, report, err = run_import(*feed_args(path, source, fmt, options))
                self.assertEqual(rc, 0, err)
                c = report["counts"]
                self.assertEqual((c["inserted"], c["updated"], c["deactivated"]), (0, 0, 0))
                self.assertEqual(c["unchanged"], c["rows"])
                # Only the report's time and seconds may differ.
                self.assertEqual(fingerprint(source)[:32], before[:32])

    def test_imported_meetings_are_found(self):
        m = stored("t-oc", "40-minutes-to-freedom")
        found = api("meetings", {"lat": m["lat"], "lng": m["lng"], "radius_km": 1,
                                 "day": 1, "fellowship": "aa", "type": "C",
                                 "limit": 100}).json()
        self.assertIn(m["id"], [r["id"] for r in found["meetings"]])
        # Not on another day.
        found = api("meetings", {"lat": m["lat"], "lng": m["lng"], "radius_km": 1,
                                 "day": 2, "limit": 100}).json()
        self.assertNotIn(m["id"], [r["id"] for r in found["meetings"]])
        # Al-Anon is for families.
        a = stored("t-alanon", "25037-par-ents-afg")
        found = api("meetings", {"lat": a["lat"], "lng": a["lng"], "radius_km": 2,
                                 "for": "family", "attendance": "online",
                                 "limit": 100}).json()
        self.assertIn(a["id"], [r["id"] for r in found["meetings"]])
        detail = api(f"meetings/{a['id']}").json()
        self.assertEqual(detail["name"], "25037 Par ents AFG")
        # By appointment: found without a time filter, never with one.
        w = stored("t-oc", "women")
        lat, lng = sql("SELECT ST_Y(geog::geometry), ST_X(geog::geometry) FROM meetings "
                       f"WHERE id = {w['id']}")[0]
        plain = api("meetings", {"lat": lat, "lng": lng, "radius_km": 0.2, "limit": 100}).json()
        self.assertIn(w["id"], [r["id"] for r in plain["meetings"]])
        for params in ({"day": "today"}, {"time": "morning"}, {"starts_within": 600},
                       {"sort": "next"}):
            timed = api("meetings", {"lat": lat, "lng": lng, "radius_km": 0.2, "limit": 100,
                                     **params}).json()
            if params.get("sort") == "next":
                # By appointment sorts after every meeting with a time.
                starts = [r["next_start"] for r in timed["meetings"]]
                self.assertIn(w["id"], [r["id"] for r in timed["meetings"]])
                first = starts.index(None)
                self.assertEqual(starts[first:], [None] * (len(starts) - first))
            else:
                self.assertNotIn(w["id"], [r["id"] for r in timed["meetings"]], params)

    def test_contacts_stay_private(self):
        # The OC feed carries group emails; none reach the public API.
        mid = sql_value("""SELECT m.id FROM meetings m JOIN sources s ON s.id = m.source_id
                           WHERE s.slug = 't-oc' AND m.contacts IS NOT NULL LIMIT 1""")
        body = get(f"/api/v1/meetings/{mid}").body.decode()
        contacts = json.loads(sql_value(f"SELECT contacts FROM meetings WHERE id = {mid}"))
        for value in contacts.values():
            self.assertNotIn(str(value), body)


FEED = [
    {"name": "First", "slug": "first", "day": 1, "time": "19:00", "types": ["O", "D"],
     "address": "6101 Ward Pkwy", "city": "Kansas City", "state": "MO",
     "postal_code": "64113", "country": "USA", "latitude": 39.0169507,
     "longitude": -94.6012228},
    {"name": "Second", "slug": "second", "day": [2, 4], "time": "7:00 PM", "types": "C, X",
     "formatted_address": "4500 Main St, Kansas City, MO 64111, USA"},
    {"name": "Third online", "slug": "third", "day": "Saturday", "time": "08:00",
     "conference_url": "https://meet.example.org/third", "types": ["ONL"]},
]


class Atomic(unittest.TestCase):
    """Inline feeds: no shared data needed."""

    @classmethod
    def setUpClass(cls):
        forget("a-%")

    def test_unusable_files_change_nothing(self):
        rc, report, err = import_text("a-atomic", json.dumps(FEED))
        self.assertEqual(rc, 0, err)
        self.assertEqual(report["counts"]["rows"], 4)
        before = fingerprint("a-atomic")
        whole = json.dumps(FEED)
        for text, says in ((whole[: len(whole) // 2], "not JSON"),
                           ("hello", "not JSON"),
                           (json.dumps({"meetings": FEED}), "array"),
                           ("", "empty")):
            with self.subTest(says=says, text=text[:20]):
                rc, report, err = import_text("a-atomic", text)
                self.assertEqual(rc, 1)
                self.assertIn(says, err)
                self.assertIn("nothing was imported", err)
                self.assertEqual(fingerprint("a-atomic"), before)

    def test_killed_halfway_changes_nothing(self):
        # The importer dies while its rows stream into the database: the
        # transaction goes with it.
        rows = [dict(FEED[0], slug=f"k{i}", name=f"Killed Halfway {i}") for i in range(60000)]
        before = sql("SELECT (SELECT count(*) FROM meetings), (SELECT count(*) FROM locations), "
                     "(SELECT count(*) FROM sources)")
        proc = subprocess.Popen(
            [os.path.join(ROOT, "scripts", "stack.sh"), "import", "--format", "meeting-guide",
             "--source", "a-killed", "--timezone", "UTC", "--fellowship", "aa", "-"],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            text=True)
        try:
            proc.stdin.write(json.dumps(rows))
            proc.stdin.close()
            for _ in range(1200):
                if sql("SELECT 1 FROM pg_stat_activity WHERE application_name = 'finder-import' "
                       "AND state = 'active' AND query LIKE 'COPY%'"):
                    break
                time.sleep(0.05)
            else:
                self.fail("the import never reached its COPY")
            subprocess.run(["pkill", "-KILL", "-P", str(proc.pid)], check=True)
            self.assertNotEqual(proc.wait(timeout=60), 0)
        finally:
            if proc.poll() is None:
                proc.kill()
        for _ in range(600):
            if not sql("SELECT 1 FROM pg_stat_activity WHERE application_name = 'finder-import'"):
                break
            time.sleep(0.05)
        self.assertEqual(sql("SELECT (SELECT count(*) FROM meetings), (SELECT count(*) FROM locations), "
                             "(SELECT count(*) FROM sources)"), before)
        self.assertEqual(sql("SELECT 1 FROM sources WHERE slug = 'a-killed'"), [])

    def test_huge_file_refused(self):
        with tempfile.NamedTemporaryFile(suffix=".json") as f:
            f.truncate(200 * 1024 * 1024)
            rc, report, err = run_import("--format", "meeting-guide", "--source", "a-atomic",
                                         "--timezone", "UTC", "--fellowship", "aa", f.name)
        self.assertEqual(rc, 1)
        self.assertIn("larger than", err)

    def test_bad_rows_rejected_with_reasons(self):
        rows = FEED + [
            {"name": "x" * 10000, "slug": "long", "day": 1, "time": "19:00",
             "address": "1 Main St", "city": "Kansas City", "state": "MO"},
            {"name": "Late", "slug": "late", "day": 1, "time": "25:99",
             "address": "1 Main St", "city": "Kansas City", "state": "MO"},
            {"name": "Far", "slug": "far", "day": 1, "time": "19:00", "latitude": 200,
             "longitude": 10, "address": "6101 Ward Pkwy", "city": "Kansas City",
             "state": "MO", "postal_code": "64113"},
            {"name": "Nowhere", "slug": "nowhere", "day": 1, "time": "19:00"},
            "not a meeting",
        ]
        rc, report, err = import_text("a-rows", json.dumps(rows))
        self.assertEqual(rc, 0, err)
        reasons = {r["key"]: r["reason"] for r in report["rejected"]}
        self.assertIn("10000", reasons["long"])
        self.assertIn("25:99", reasons["late"])
        self.assertIn("nowhere to go", reasons["nowhere"])
        self.assertEqual(report["counts"]["rejected"], 4)
        warned = {w["key"]: w["reason"] for w in report["warnings"]}
        self.assertIn("200", warned["far"])
        far = stored("a-rows", "far")
        self.assertEqual(far["geocoded"], "zip")

    def test_deactivate_and_return(self):
        rc, report, err = import_text("a-gone", json.dumps(FEED))
        self.assertEqual(rc, 0, err)
        first = stored("a-gone", "first")
        rc, report, err = import_text("a-gone", json.dumps(FEED[1:]))
        self.assertEqual(rc, 0, err)
        self.assertEqual(report["counts"]["deactivated"], 1)
        gone = stored("a-gone", "first")
        self.assertFalse(gone["active"])
        self.assertEqual(sql_value(f"SELECT inactive_since IS NOT NULL FROM meetings WHERE id = {first['id']}"), "t")
        # A link to it still opens it, marked as no longer listed; it is
        # in no search.
        detail = get(f"/api/v1/meetings/{first['id']}").json()
        self.assertIs(detail["active"], False)
        self.assertIsNotNone(detail["inactive_since"])
        self.assertEqual(get(f"/api/v1/meetings/{first['id']}.ics").status, 404)
        rc, report, err = import_text("a-gone", json.dumps(FEED))
        self.assertEqual(rc, 0, err)
        self.assertEqual((report["counts"]["updated"], report["counts"]["unchanged"]), (1, 3))
        back = stored("a-gone", "first")
        self.assertTrue(back["active"])
        self.assertEqual(back["id"], first["id"])

    def test_types_as_feeds_write_them(self):
        # A string of codes or names, with brackets, quotes, commas or
        # semicolons around or between them, is the same list of codes.
        forms = ["[open]", "O, D", "Open; Discussion", "['closed', \"X\"]", ["[O]", "'D'"], "[ ]"]
        rows = [dict(FEED[0], slug=f"t{i}", name=f"Types {i}", types=t) for i, t in enumerate(forms)]
        rc, report, err = import_text("a-types", json.dumps(rows))
        self.assertEqual(rc, 0, err)
        self.assertEqual(report["counts"]["rejected"], 0, report)
        want = [["O"], ["D", "O"], ["D", "O"], ["C", "X"], ["D", "O"], []]
        for i, codes in enumerate(want):
            self.assertEqual(sorted(stored("a-types", f"t{i}")["types"]), codes, forms[i])

    def test_derived_columns_as_the_triggers_make_them(self):
        # import_apply() writes with the row triggers off and computes what
        # they would (the point, languages, keyword document, duration, week
        # minutes) itself: an UPDATE naming the triggers' columns makes each
        # again, and nothing may change. Inserted rows, then updated ones.
        rows = FEED + [
            {"name": "Grupo Nueva Vida", "slug": "es", "day": 0, "time": "23:30",
             "end_time": "00:45", "timezone": "Europe/Berlin", "types": ["S", "O"],
             "group": "Nueva Vida", "notes": "<p>Puerta lateral &amp; escaleras</p>",
             "location": "Iglesia", "address": "1 Main St", "city": "Kansas City",
             "state": "MO", "latitude": 39.1, "longitude": -94.58},
            {"name": "Kolkata Morning", "slug": "in", "day": 3, "time": "06:00",
             "timezone": "Asia/Kolkata", "types": ["ONL", "EN"],
             "conference_url": "https://meet.example.org/in"},
            {"name": "By Appointment", "slug": "appt", "conference_phone": "+15550100123"},
        ]
        rc, report, err = import_text("a-derived", json.dumps(rows))
        self.assertEqual(rc, 0, err)
        self.assertEqual(report["counts"]["inserted"], 7)
        changed = [dict(r, name=r["name"] + " Again", day=5) if r["slug"] in ("first", "es")
                   else r for r in rows]
        rc, report, err = import_text("a-derived", json.dumps(changed))
        self.assertEqual(rc, 0, err)
        self.assertEqual(report["counts"]["updated"], 2)
        columns = ("m.geog::text, m.languages, m.search_doc, m.duration_min, m.utc_week_minute, "
                   "m.earth, m.utc_week_minute_dst")
        rows, differ = sql(f"""
            WITH w AS (SELECT m.id, ({columns}) AS v FROM meetings m
                       JOIN sources s ON s.id = m.source_id WHERE s.slug = 'a-derived'),
                 u AS (UPDATE meetings m SET location_id = m.location_id, types = m.types,
                                             day = m.day, name = m.name
                       FROM w WHERE m.id = w.id RETURNING m.id, ({columns}) AS v)
            SELECT count(*), count(*) FILTER (WHERE w.v IS DISTINCT FROM u.v)
            FROM w JOIN u ON u.id = w.id""")[0]
        self.assertEqual((rows, differ), ("7", "0"))

    def test_dry_run_changes_nothing(self):
        before = fingerprint("a-dry")
        rc, report, err = import_text("a-dry", json.dumps(FEED), extra=["--dry-run"])
        self.assertEqual(rc, 0, err)
        self.assertEqual(report["counts"]["inserted"], 4)
        self.assertEqual(fingerprint("a-dry"), before)
        self.assertEqual(sql_value("SELECT count(*) FROM sources WHERE slug = 'a-dry'"), "0")

    def test_unmapped_never_in_distance_search(self):
        rows = [{"name": "Zyxwvut Hall Group", "slug": "somewhere", "day": 3, "time": "12:00",
                 "location": "The Hall", "city": "Xqzvillе", "state": "ZZ"}]
        rc, report, err = import_text("a-unmapped", json.dumps(rows))
        self.assertEqual(rc, 0, err)
        self.assertEqual(report["counts"]["unmapped"], 1)
        m = stored("a-unmapped", "somewhere")
        self.assertIsNone(m["lat"])
        self.assertEqual(api(f"meetings/{m['id']}").status, 200)
        # Not by distance: neither near the source's other meetings nor at
        # the 0,0 a careless importer would have put it at.
        for lat, lng in ((39.1, -94.6), (0, 0)):
            found = api("meetings", {"lat": lat, "lng": lng, "radius_km": 500,
                                     "q": "Zyxwvut"}).json()
            self.assertNotIn(m["id"], [r["id"] for r in found["meetings"]])
        found = api("meetings", {"q": "Zyxwvut", "tz": "America/Chicago"}).json()
        self.assertIn(m["id"], [r["id"] for r in found["meetings"]])

    def test_spreadsheet_template(self):
        # The template the site offers imports as it says: two sample rows,
        # the second for three days.
        rc, report, err = run_import("--format", "csv", "--source", "a-csv",
                                     "--timezone", "America/Chicago", "--fellowship", "aa",
                                     os.path.join(ROOT, "web", "meeting-template.csv"))
        self.assertEqual(rc, 0, err)
        self.assertEqual((report["counts"]["rows"], report["counts"]["rejected"]), (4, 0))
        m = stored("a-csv", "example-tuesday-night")
        self.assertEqual((m["day"], m["time"], m["end_time"], m["attendance"]),
                         (2, "19:30", "20:30", "in_person"))
        self.assertEqual(m["types"], ["D", "O", "X"])
        self.assertEqual(m["geocoded"], "zip")
        self.assertIn("side door", m["notes"])
        self.assertEqual(m["contacts"], {"email": "group@example.org",
                                         "website": "https://example.org"})
        self.assertNotIn("group@example.org", get(f"/api/v1/meetings/{m['id']}").body.decode())
        for day, key in ((1, "mon"), (3, "wed"), (5, "fri")):
            o = stored("a-csv", "example-online-morning-" + key)
            self.assertEqual((o["day"], o["time"], o["timezone"], o["attendance"]),
                             (day, "07:00", "America/New_York", "online"))
            self.assertEqual(o["conference_phone"], "+15550100000,,000000000#")

    def test_csv_quoting_and_errors(self):
        text = ('\ufeffName,Day,Time,Address,City,State,Types,Notes\r\n'
                '"Comma, Inc. Group",sunday,8 pm,1 Main St,Kansas City,MO,"O,D","Line one\r\n'
                'line ""two"""\r\n'
                'Bad Time,monday,25:99,1 Main St,Kansas City,MO,,\r\n')
        rc, report, err = import_text("a-csv2", text, fmt="csv")
        self.assertEqual(rc, 0, err)
        self.assertEqual((report["counts"]["rows"], report["counts"]["rejected"]), (1, 1))
        self.assertIn("25:99", report["rejected"][0]["reason"])
        key = sql_value("""SELECT source_key FROM meetings m JOIN sources s ON s.id = m.source_id
                           WHERE s.slug = 'a-csv2'""")
        m = stored("a-csv2", key)
        self.assertEqual(m["name"], "Comma, Inc. Group")
        self.assertEqual((m["day"], m["time"]), (0, "20:00"))
        self.assertEqual(m["notes"], 'Line one\nline "two"')

    def test_usage_errors(self):
        for args, says in ((["--format", "xml", "--source", "a", "-"], "meeting-guide, bmlt or csv"),
                           (["--format", "csv", "--source", "Bad Slug", "-"], "--source"),
                           (["--format", "csv", "--source", "a-new", "-"], "--timezone"),
                           (["--format", "csv", "--source", "a-new", "--timezone", "Mars/Base",
                             "--fellowship", "aa", "-"], "Mars/Base"),
                           (["--format", "csv", "--source", "demo", "-"], "demo")):
            with self.subTest(args=args):
                rc, report, err = run_import(*args, data="name\n")
                self.assertNotEqual(rc, 0)
                self.assertIn(says, err)


def export(params):
    # As a public site would be asked (a feed's links to a private address
    # such as 127.0.0.1 are dropped on import, as no use to the public).
    # The feed's files link to PUBLIC_URL, 127.0.0.1 on a test stack; a
    # filter that keeps every meeting (every fellowship) sends the request
    # to the handler, which makes the links from the Host.
    every = sql_value("SELECT string_agg(slug, ',' ORDER BY id) FROM fellowships")
    params = {**params, "fellowship": every}
    target = "/api/v1/feeds/meeting-guide.json?" + "&".join(f"{k}={v}" for k, v in params.items())
    r = get(target, headers={"Host": "finder.example.org"})
    for _ in range(5):
        # nginx's limit on the feeds the handler writes can count, for a
        # moment, the request just answered (see test_feed.ask).
        if r.status != 503:
            break
        time.sleep(0.2)
        r = get(target, headers={"Host": "finder.example.org"})
    if r.status != 200:
        raise AssertionError(f"export {params}: {r.status} {r.body[:200]!r}")
    return json.loads(r.body)


class RoundTrip(unittest.TestCase):
    """Export -> import -> export gives the same feed, field for field."""

    @classmethod
    def setUpClass(cls):
        forget("r-%")

    def round_trip(self, source, copy):
        first = export({"source": source})
        self.assertGreater(len(first), 0)
        rc, report, err = run_import("--format", "meeting-guide", "--source", copy,
                                     "--timezone", "UTC", "--fellowship", "aa", "-",
                                     data=json.dumps(first))
        self.assertEqual(rc, 0, err)
        self.assertEqual(report["rejected"], [])
        self.assertEqual(report["counts"]["inserted"], len(first))
        second = export({"source": copy})
        self.assertEqual(len(second), len(first))
        by_slug = {m["slug"]: m for m in second}
        for m in first:
            self.assertEqual(by_slug.get(m["slug"]), m)
        # And once more changes nothing at all.
        rc, report, err = run_import("--format", "meeting-guide", "--source", copy, "-",
                                     data=json.dumps(second))
        self.assertEqual(rc, 0, err)
        self.assertEqual(report["counts"]["unchanged"], len(first))

    def test_demo(self):
        self.round_trip("demo", "r-demo")

    @unittest.skipUnless(HAVE_SHARED, NO_SHARED)
    def test_real_feeds(self):
        for path, source, fmt, options in FEEDS:
            with self.subTest(source=source):
                if not sql(f"SELECT 1 FROM sources WHERE slug = '{source}'"):
                    rc, report, err = run_import(*feed_args(path, source, fmt, options))
                    self.assertEqual(rc, 0, err)
                self.round_trip(source, "r-" + source[2:])


if __name__ == "__main__":
    main()
