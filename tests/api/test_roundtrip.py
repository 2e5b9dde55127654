"""Fidelity of imports (issue 14): a feed read as its source means it and
published again as consumers read it.

- Every real feed in ../shared/data (skipped, and said so, when it is
  absent) keeps at least 99% of its rows, and the rows it keeps show in the
  export what they showed in the feed: slugs as written, TC, the passcodes
  of conference phones, what `approximate` said, and how a consumer (the 12
  Step Meeting List plugin) reads each meeting's attendance.
- A feed that uses every field a consumer shows goes feed -> import ->
  export -> import into a second source -> export, and every such field
  survives: name, day, time, end, types with TC, the place and whether it
  is approximate, the conference link and phone with its passcode, notes,
  slugs verbatim, the contribution handles and the steward's feedback_url.
"""

import json
import os
import re
import sys
import unittest

from harness import get, main, sql, sql_value
from test_import import FEEDS, HAVE_SHARED, NO_SHARED, SHARED, export, feed_args, forget, \
    import_text, run_import

# Fields a consumer shows, compared between two exports.
SHOWN = ("name", "slug", "day", "time", "end_time", "timezone", "types", "location",
         "location_notes", "formatted_address", "address", "city", "state", "postal_code",
         "country", "regions", "approximate", "latitude", "longitude", "conference_url",
         "conference_url_notes", "conference_phone", "conference_phone_notes", "notes",
         "group", "group_notes", "url", "feedback_url", "venmo", "paypal", "square",
         "attendance_option", "fellowship")


def consumer_attendance(m):
    """How the 12 Step Meeting List plugin reads a meeting of a feed it
    imports (tsml_calculate_attendance_option): a link or a phone makes it
    online-capable (the plugin types it ONL), TC closes its place, and a
    place that is approximate (said so, or without a street: the plugin's
    geocoder finds no street in "Edmonton, AB") is no place to go."""
    types = m.get("types") or []
    if isinstance(types, str):
        types = re.split(r"[,;]\s*", types)
    types = {str(t).strip().upper() for t in types}
    conf = bool(m.get("conference_url") or m.get("conference_phone")) or "ONL" in types
    said = str(m.get("approximate") or "").lower()
    # A street has a number in the address's first part ("9540 83 Ave NW,
    # Edmonton"); "Edmonton, Alberta, Canada" has none.
    first = (m.get("address") or m.get("formatted_address") or "").split(",")[0]
    street = re.search(r"\d", first)
    approximate = said == "yes" or (said not in ("yes", "no") and not street)
    if "TC" in types:
        return "online" if conf else "inactive"
    if conf:
        return "online" if approximate else "hybrid"
    return "inactive" if approximate else "in_person"


def dial(phone):
    """A phone as a dialer sees it: digits and + , * # only."""
    return re.sub(r"[^0-9+,*#]", "", phone or "")


def records(path):
    """The rows of a real feed's file: a Meeting Guide array, or BMLT's
    results (alone, or with their formats)."""
    with open(os.path.join(SHARED, path), encoding="utf-8") as f:
        data = json.load(f)
    return data["meetings"] if isinstance(data, dict) else data


@unittest.skipUnless(HAVE_SHARED, NO_SHARED)
class RealFeedsKept(unittest.TestCase):
    """Each real feed: at least 99% of its rows kept, each of those as the
    feed meant it."""

    kept = {}

    @classmethod
    def setUpClass(cls):
        forget("k-%")
        cls.reports = {}
        for path, source, fmt, options in FEEDS:
            copy = "k-" + source[2:]
            rc, report, err = run_import(*feed_args(path, copy, fmt, options))
            if rc != 0:
                raise AssertionError(f"importing {path} failed ({rc}): {err}")
            cls.reports[copy] = (path, fmt, report)

    @classmethod
    def tearDownClass(cls):
        # The numbers the README's table gives.
        for source, (rows, kept) in sorted(cls.kept.items()):
            print(f"  {source}: {kept} of {rows} rows kept ({100 * kept / rows:.1f}%)",
                  file=sys.stderr)
        # Copies of the feeds other suites import: not left to crowd their
        # searches near the same places.
        forget("k-%")

    def test_at_least_99_percent_kept(self):
        for source, (path, fmt, report) in self.reports.items():
            with self.subTest(source=source):
                rows = len(records(path))
                rejected = {r["row"] for r in report["rejected"]}
                kept = rows - len(rejected)
                self.kept[source] = (rows, kept)
                self.assertGreaterEqual(kept / rows, 0.99, report["rejected"][:5])
                # Every row that is not kept says why.
                for r in report["rejected"]:
                    self.assertTrue(r["reason"], r)
                self.assertEqual(report["counts"]["active"] + report["counts"]["closed"],
                                 report["counts"]["rows"])

    def test_export_shows_what_the_feed_said(self):
        for source, (path, fmt, report) in self.reports.items():
            if fmt != "meeting-guide":
                continue
            with self.subTest(source=source):
                self.check_feed(path, report, export({"source": source}))

    def check_feed(self, path, report, exported):
        by_slug = {m["slug"]: m for m in exported}
        rejected = {r["row"] for r in report["rejected"]}
        seen = 0
        for row, given in enumerate(records(path), start=1):
            if row in rejected:
                continue
            days = given.get("day")
            slug = str(given["slug"])
            if isinstance(days, list) and len(days) > 1:
                continue  # one meeting a day, each slug with its day after it
            m = by_slug.get(slug)
            self.assertIsNotNone(m, f"row {row}: slug {slug!r} is in the export as written")
            seen += 1
            want_tc = "TC" in {str(t).upper() for t in (given.get("types") or [])}
            if want_tc:
                self.assertIn("TC", m.get("types", []), slug)
            if given.get("approximate") in ("yes", "no"):
                self.assertEqual(m.get("approximate"), given["approximate"], slug)
            if dial(given.get("conference_phone")) and m.get("conference_phone"):
                self.assertTrue(dial(given["conference_phone"]).startswith(m["conference_phone"]),
                                (slug, given["conference_phone"], m["conference_phone"]))
            for key in ("venmo", "paypal", "square", "feedback_url"):
                if m.get(key):
                    self.assertEqual(m[key], given[key].strip(), (slug, key))
            self.assertEqual(consumer_attendance(m), consumer_attendance(given),
                             (slug, {k: given.get(k) for k in ("types", "approximate", "address",
                                                               "formatted_address")},
                              {k: m.get(k) for k in ("types", "approximate", "address")}))
        self.assertGreater(seen, 0)


def meeting(slug, **fields):
    return {"name": f"Meeting {slug}", "slug": slug, "day": 2, "time": "19:00", **fields}


STREET = {"location": "St. Mark's Hall", "address": "6101 Ward Pkwy", "city": "Kansas City",
          "state": "MO", "postal_code": "64113", "country": "US", "latitude": 39.01695,
          "longitude": -94.60122}
CITY_ONLY = {"location": "Virtual Only", "city": "Kansas City", "state": "MO", "country": "US"}
LONG_SLUG = "Big_Book-Study_" + "x" * 85

# Every field a consumer shows, in the forms that used to be lost.
FEED = [
    meeting("In_Person", end_time="20:30", types=["O", "D", "X"], notes="Side door.\nUpstairs.",
            group="Ward Parkway Group", group_notes="Since 1982.", regions=["Kansas City", "South"],
            location_notes="Park in back.", **STREET),
    meeting("Hybrid", types=["C", "ONL"], conference_url="https://zoom.us/j/85012345678",
            conference_url_notes="Passcode: serenity", approximate="no",
            conference_phone="+1 646 876 9923,,85012345678#,,,,*123456#",
            conference_phone_notes="Press # twice.", **STREET),
    meeting("Temporarily_Closed", types=["O", "TC"], venmo="@WardParkway",
            paypal="paypal.me/WardParkway", square="$WardParkway",
            feedback_url="https://intergroup.example.org/feedback?m=7", **STREET),
    meeting("TC-online", types=["D", "TC", "ONL"], conference_url="https://zoom.us/j/123",
            conference_phone="+16468769923,,+85012345678#", **STREET),
    meeting("CityOnly_Virtual", types=["ONL", "O"], conference_url="https://meet.google.com/abc",
            **CITY_ONLY),
    meeting("Said_Online", attendance_option="online", types=["ONL"],
            conference_url="https://zoom.us/j/456", approximate="no", **STREET),
    meeting("approximate-yes", types=["ONL"], conference_phone="+16468769923,,123456#",
            approximate="yes", **STREET),
    meeting(LONG_SLUG, end_time="00:00", time="23:00", **STREET),
    meeting("254", types=["C"], **STREET),
    {"name": "By Appointment", "slug": "By_Appointment", "conference_phone": "+15550100123"},
]


class RoundTrip(unittest.TestCase):
    """feed -> import -> export -> import into a second source -> export."""

    @classmethod
    def setUpClass(cls):
        forget("rt-%")
        rc, report, err = import_text("rt-a", json.dumps(FEED))
        if rc != 0:
            raise AssertionError(err)
        cls.report = report
        cls.first = export({"source": "rt-a"})
        rc, report, err = run_import("--format", "meeting-guide", "--source", "rt-b",
                                     "--timezone", "UTC", "--fellowship", "aa", "-",
                                     data=json.dumps(cls.first))
        if rc != 0:
            raise AssertionError(err)
        cls.copy_report = report
        cls.second = export({"source": "rt-b"})
        cls.by_slug = {m["slug"]: m for m in cls.first}

    @classmethod
    def tearDownClass(cls):
        forget("rt-%")

    def test_nothing_rejected_or_warned(self):
        for report in (self.report, self.copy_report):
            self.assertEqual(report["rejected"], [])
            self.assertEqual(report["warnings"], [])
        self.assertEqual((self.report["counts"]["rows"], self.report["counts"]["closed"]),
                         (len(FEED), 1))

    def test_second_export_is_the_first(self):
        self.assertEqual(len(self.second), len(self.first))
        second = {m["slug"]: m for m in self.second}
        for m in self.first:
            with self.subTest(slug=m["slug"]):
                self.assertEqual({k: second[m["slug"]].get(k) for k in SHOWN},
                                 {k: m.get(k) for k in SHOWN})

    def test_every_field_as_the_feed_gave_it(self):
        given = FEED[0]
        m = self.by_slug["In_Person"]
        for key in ("name", "day", "time", "end_time", "notes", "group", "group_notes",
                    "location", "location_notes", "address", "city", "state", "postal_code",
                    "country", "regions", "latitude", "longitude"):
            self.assertEqual(m.get(key), given[key], key)
        self.assertEqual(m["types"], ["D", "O", "X"])
        self.assertNotIn("approximate", m, "not said: left out, not \"no\"")
        self.assertEqual(m["attendance_option"], "in_person")

    def test_slugs_verbatim(self):
        for given in FEED:
            self.assertIn(str(given["slug"]), self.by_slug)
        self.assertEqual(len(LONG_SLUG), 100)

    def test_conference_phones_keep_their_passcodes(self):
        self.assertEqual(self.by_slug["Hybrid"]["conference_phone"],
                         "+16468769923,,85012345678#,,,,*123456#")
        self.assertEqual(self.by_slug["TC-online"]["conference_phone"],
                         "+16468769923,,+85012345678#")
        hybrid = self.by_slug["Hybrid"]
        self.assertEqual((hybrid["conference_url_notes"], hybrid["conference_phone_notes"]),
                         ("Passcode: serenity", "Press # twice."))

    def test_temporarily_closed(self):
        m = self.by_slug["Temporarily_Closed"]
        self.assertIn("TC", m["types"])
        self.assertEqual(m["attendance_option"], "inactive")
        self.assertEqual((m["venmo"], m["paypal"], m["square"]),
                         ("@WardParkway", "paypal.me/WardParkway", "$WardParkway"))
        self.assertEqual(m["feedback_url"], "https://intergroup.example.org/feedback?m=7")
        # In no search, shown by its id, in both sources.
        for source in ("rt-a", "rt-b"):
            mid = sql_value(f"""SELECT m.id FROM meetings m JOIN sources s ON s.id = m.source_id
                                WHERE s.slug = '{source}' AND m.source_key = 'Temporarily_Closed'""")
            detail = get(f"/api/v1/meetings/{mid}").json()
            self.assertIs(detail["closed"], True)
            self.assertNotIn("active", detail)
            found = get("/api/v1/meetings?lat=39.01695&lng=-94.60122&radius_km=1&limit=100").json()
            self.assertNotIn(int(mid), [r["id"] for r in found["meetings"]])
        online = self.by_slug["TC-online"]
        self.assertEqual(online["attendance_option"], "online")

    def test_approximate(self):
        self.assertEqual(self.by_slug["CityOnly_Virtual"]["approximate"], "yes")
        self.assertEqual(self.by_slug["CityOnly_Virtual"]["attendance_option"], "online")
        self.assertEqual(self.by_slug["Hybrid"]["approximate"], "no")
        self.assertEqual(self.by_slug["approximate-yes"]["approximate"], "yes")
        self.assertEqual(self.by_slug["approximate-yes"]["attendance_option"], "online")

    def test_consumers_read_each_as_meant(self):
        # The plugin's reading of each exported meeting is the finder's.
        for m in self.first + self.second:
            with self.subTest(slug=m["slug"]):
                self.assertEqual(consumer_attendance(m), m["attendance_option"])
        # An online meeting at a real street: TC says the place is not
        # where it meets.
        self.assertIn("TC", self.by_slug["Said_Online"]["types"])

    def test_demo_export_read_as_meant(self):
        # Demo online meetings at their group's venue are TC, not hybrid.
        for m in export({"source": "demo"}):
            with self.subTest(slug=m["slug"]):
                self.assertEqual(consumer_attendance(m), m["attendance_option"])

    def test_steward_in_the_detail(self):
        rc, _, err = run_import("--format", "meeting-guide", "--source", "rt-a",
                                "--name", "Round Trip Intergroup",
                                "--feedback-email", "help@intergroup.example.org", "-",
                                data=json.dumps(FEED))
        self.assertEqual(rc, 0, err)
        ids = dict(sql("""SELECT m.source_key, m.id FROM meetings m JOIN sources s
                          ON s.id = m.source_id WHERE s.slug = 'rt-a'"""))
        own = get(f"/api/v1/meetings/{ids['Temporarily_Closed']}").json()["steward"]
        self.assertEqual(own, {"name": "Round Trip Intergroup",
                               "url": "https://intergroup.example.org/feedback?m=7",
                               "email": "help@intergroup.example.org"})
        other = get(f"/api/v1/meetings/{ids['Hybrid']}").json()["steward"]
        self.assertEqual(other, {"name": "Round Trip Intergroup", "url": None,
                                 "email": "help@intergroup.example.org"})
        rc, _, err = run_import("--format", "meeting-guide", "--source", "rt-a",
                                "--feedback-email", "", "-", data=json.dumps(FEED))
        self.assertEqual(rc, 0, err)
        self.assertIsNone(get(f"/api/v1/meetings/{ids['Hybrid']}").json()["steward"])
        for args, says in ((["--feedback-url", "ftp://x.org"], "--feedback-url"),
                           (["--feedback-email", "Pat <pat@x.org>"], "--feedback-email")):
            rc, _, err = run_import("--format", "meeting-guide", "--source", "rt-a", *args, "-",
                                    data="[]")
            self.assertEqual(rc, 2)
            self.assertIn(says, err)

    def test_keys_stored_before_in_slug_form_are_found_again(self):
        # An earlier import stored "Old_Key" as "old-key": the next finds it
        # under the slug as written, with its id.
        rc, _, err = import_text("rt-old", json.dumps([meeting("Old_Key", **STREET)]))
        self.assertEqual(rc, 0, err)
        mid = sql_value("""SELECT m.id FROM meetings m JOIN sources s ON s.id = m.source_id
                           WHERE s.slug = 'rt-old'""")
        sql(f"UPDATE meetings SET source_key = 'old-key' WHERE id = {mid}")
        rc, report, err = import_text("rt-old", json.dumps([meeting("Old_Key", **STREET)]))
        self.assertEqual(rc, 0, err)
        self.assertEqual((report["counts"]["inserted"], report["counts"]["deactivated"]), (0, 0))
        self.assertEqual(sql_value(f"SELECT source_key FROM meetings WHERE id = {mid}"), "Old_Key")


if __name__ == "__main__":
    main()
