"""Services imports (`finder import --format hsds`) against the running stack:
every sample in ../shared/data/hsds (skipped, and said so, when it is absent)
imported into a source of its own, with counts and hand-picked records
checked field by field in the database against values read independently
from the sample files, and at least 99% of each sample's records kept (or,
for the files that hold none, the file refused with its reason);
organizations with their services nested; HSDS 1.x weekdays; areas named
like a state or a country; idempotency; deactivation and return; dry run; usage
errors; atomicity (a file cut off, a package with a broken table, an
importer killed mid-way change nothing); normalising (languages,
coordinates that are no place, gazetteer placing, areas, attributes,
extensions); and the HSDS export read back by the import."""

import copy
import csv
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

from harness import ROOT, get, forget_sources, main, sql, sql_value

SHARED = os.path.normpath(os.path.join(ROOT, "..", "shared", "data", "hsds"))
HAVE_SHARED = os.path.isdir(SHARED)
NO_SHARED = f"SKIP: {SHARED} is absent: the HSDS samples are not imported"
SPEC = os.path.join(SHARED, "openreferral-spec-3.0-examples")
OHANA = os.path.join(SHARED, "ohana-san-mateo-sample")
PREFIX = "hi-"  # every source these tests make


def run_import(*args, data=None, timeout=300):
    """Runs `finder import --json ARGS` through the stack; returns
    (exit status, report or None, stderr)."""
    proc = subprocess.run(
        [os.path.join(ROOT, "scripts", "stack.sh"), "import", "--json", *args],
        input=data, capture_output=True, text=True, timeout=timeout)
    report = None
    if proc.returncode == 0 and proc.stdout.strip():
        report = json.loads(proc.stdout)
    return proc.returncode, report, proc.stderr


def import_hsds(source, path, *extra, data=None, zone="America/Chicago"):
    return run_import("--format", "hsds", "--source", source, "--timezone", zone, *extra,
                      path, data=data)


def forget(pattern=PREFIX + "%"):
    forget_sources(pattern)


def fingerprint(source):
    """A digest of everything stored for a source: its organizations,
    services, locations and all their children, and its last report."""
    src = f"(SELECT id FROM sources WHERE slug = '{source}')"
    svc = f"(SELECT id FROM hsds.service WHERE source_id = {src})"
    loc = f"(SELECT id FROM hsds.location WHERE source_id = {src})"
    parts = [
        f"SELECT o::text FROM hsds.organization o WHERE source_id = {src}",
        f"SELECT s::text FROM hsds.service s WHERE source_id = {src}",
        f"SELECT l::text FROM hsds.location l WHERE source_id = {src}",
        f"SELECT x::text FROM hsds.phone x WHERE service_id IN {svc} OR location_id IN {loc}",
        f"SELECT x::text FROM hsds.schedule x WHERE service_id IN {svc} OR location_id IN {loc}",
        f"SELECT x::text FROM hsds.language x WHERE service_id IN {svc} OR location_id IN {loc}",
        f"SELECT x::text FROM hsds.address x WHERE location_id IN {loc}",
        f"SELECT x::text FROM hsds.cost_option x WHERE service_id IN {svc}",
        f"SELECT x::text FROM hsds.service_area x WHERE service_id IN {svc}",
        f"SELECT x::text FROM hsds.service_at_location x WHERE service_id IN {svc}",
        f"SELECT x::text FROM hsds.attribute x WHERE link_id IN {svc}",
        f"SELECT coalesce((SELECT last_import::text FROM sources WHERE slug = '{source}'), '-')",
    ]
    return sql_value("SELECT md5(coalesce(string_agg(t, '|' ORDER BY t), '')) FROM ("
                     + " UNION ALL ".join(parts) + ") r(t)")


def service_id(source, key):
    rows = sql(f"""SELECT s.id FROM hsds.service s JOIN sources src ON src.id = s.source_id
                   WHERE src.slug = '{source}' AND s.source_key = '{key}'""")
    return rows[0][0] if rows else None


def rows_of(query):
    return [tuple(r) for r in sql(query)]


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def clock(text):
    """A time as the Ohana sample writes it ("08:00", "4:00 PM", "3pm") as
    "HH:MM:SS", read here without the importer's code."""
    m = re.fullmatch(r"\s*(\d{1,2})(?::(\d{2}))?(?::\d{2})?\s*([ap])?\.?m?\.?\s*", text, re.I)
    h, mi, ap = int(m.group(1)), int(m.group(2) or 0), (m.group(3) or "").lower()
    if ap:
        h = h % 12 + (12 if ap == "p" else 0)
    return f"{h:02d}:{mi:02d}:00"


DAYS = {"sunday": "SU", "monday": "MO", "tuesday": "TU", "wednesday": "WE",
        "thursday": "TH", "friday": "FR", "saturday": "SA"}


def service(key, name, **fields):
    """A small HSDS 3.0 service for the synthetic inputs."""
    s = {"id": key, "name": name,
         "organization": {"id": "org-1", "name": "Test Recovery Organization"}}
    s.update(fields)
    return s


def strip_ids(value):
    """An export with every id and *_id field removed, lists in a stable
    order: what must survive an import into another source."""
    if isinstance(value, dict):
        return {k: strip_ids(v) for k, v in value.items()
                if k != "id" and not k.endswith("_id")}
    if isinstance(value, list):
        return sorted((strip_ids(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    return value


class Samples(unittest.TestCase):
    """Every sample, each into its own source."""

    @classmethod
    def setUpClass(cls):
        if not HAVE_SHARED:
            print(NO_SHARED)
            return
        forget()
        cls.reports = {}
        for source, path, zone in [
                (PREFIX + "full", os.path.join(SPEC, "service_full.json"), "Europe/London"),
                (PREFIX + "list", os.path.join(SPEC, "service_list.json"), "Europe/London"),
                (PREFIX + "csv", os.path.join(SPEC, "csv"), "Europe/London"),
                (PREFIX + "csv-dp", os.path.join(SPEC, "csv", "datapackage.json"),
                 "Europe/London"),
                (PREFIX + "ohana", OHANA, "America/Los_Angeles")]:
            rc, report, err = import_hsds(source, path, zone=zone)
            assert rc == 0, (source, err)
            cls.reports[source] = report

    def setUp(self):
        if not HAVE_SHARED:
            self.skipTest(NO_SHARED)

    def test_counts(self):
        with open(os.path.join(SPEC, "service_list.json")) as f:
            listed = len(json.load(f)["contents"])
        expected = {
            PREFIX + "full": 1, PREFIX + "list": listed,
            PREFIX + "csv": len(read_csv(os.path.join(SPEC, "csv", "services.csv"))),
            PREFIX + "csv-dp": len(read_csv(os.path.join(SPEC, "csv", "services.csv"))),
            PREFIX + "ohana": len(read_csv(os.path.join(OHANA, "services.csv"))),
        }
        for source, n in expected.items():
            counts = self.reports[source]["counts"]
            with self.subTest(source=source):
                self.assertEqual(counts["rows"], n)
                self.assertEqual(counts["inserted"], n)
                self.assertEqual(counts["rejected"], 0)
                self.assertEqual(counts["updated"] + counts["unchanged"] + counts["deactivated"], 0)
                stored = int(sql_value(f"""SELECT count(*) FROM hsds.service s JOIN sources x
                    ON x.id = s.source_id WHERE x.slug = '{source}'"""))
                self.assertEqual(stored, n)
        # Ohana: services whose status is not active are stored, not listed.
        active = sum(1 for r in read_csv(os.path.join(OHANA, "services.csv"))
                     if r["status"] == "active")
        self.assertEqual(self.reports[PREFIX + "ohana"]["counts"]["active"], active)
        # The 3.0 example's only location has latitude 100: no point, and
        # its address (MyCity) is no place the gazetteer knows.
        self.assertEqual(self.reports[PREFIX + "full"]["counts"]["unmapped"], 1)
        self.assertTrue(any("not a place on Earth" in w["reason"]
                            for w in self.reports[PREFIX + "full"]["warnings"]))

    def test_report_in_sources(self):
        # Not an answer nginx's cache kept from before the imports.
        body = get("/api/v1/sources", headers={"Cache-Control": "no-cache"}).json()
        by_slug = {s["slug"]: s for s in body["sources"]}
        for source, report in self.reports.items():
            with self.subTest(source=source):
                self.assertEqual(by_slug[source]["format"], "hsds")
                listed = int(sql_value(f"""SELECT count(*) FROM hsds.service s JOIN sources x
                    ON x.id = s.source_id WHERE x.slug = '{source}' AND s.listed"""))
                self.assertEqual(by_slug[source]["services"], listed)
                self.assertEqual(by_slug[source]["meetings"], 0)
                shown = by_slug[source]["last_import"]
                for key in ("rows", "inserted", "updated", "unchanged", "deactivated",
                            "rejected", "unmapped", "geocoded", "warnings", "seconds"):
                    self.assertEqual(shown[key], report["counts"][key], key)

    def test_community_counselling(self):
        """The 3.0 example's service, field by field, from the JSON and the
        CSV package alike."""
        with open(os.path.join(SPEC, "service_full.json")) as f:
            full = json.load(f)
        phone = full["phones"][0]
        sched = full["schedules"][0]
        lang = full["languages"][0]
        cost = full["cost_options"][0]
        for source in (PREFIX + "full", PREFIX + "csv"):
            with self.subTest(source=source):
                sid = service_id(source, full["id"])
                self.assertIsNotNone(sid)
                row = rows_of(f"""SELECT s.name, s.status, s.minimum_age::text, s.assured_date::text,
                                         o.name, s.listed::text
                                  FROM hsds.service s JOIN hsds.organization o
                                    ON o.id = s.organization_id WHERE s.id = '{sid}'""")[0]
                self.assertEqual(row, (full["name"], full["status"], str(full["minimum_age"]),
                                       full["assured_date"], full["organization"]["name"], "true"))
                self.assertEqual(rows_of(f"""SELECT number, extension, type FROM hsds.phone
                                             WHERE service_id = '{sid}'"""),
                                 [(phone["number"].strip('"'), str(phone["extension"]),
                                   phone["type"])])
                self.assertEqual(
                    rows_of(f"""SELECT freq, byday, to_char(opens_at, 'HH24:MI:SS'),
                                       to_char(closes_at, 'HH24:MI:SS'), wkst, timezone::text
                                FROM hsds.schedule WHERE service_id = '{sid}'"""),
                    [(sched["freq"], sched["byday"], sched["opens_at"], sched["closes_at"],
                      sched["wkst"], str(sched["timezone"]))])
                self.assertEqual(rows_of(f"""SELECT name, code FROM hsds.language
                                             WHERE service_id = '{sid}'"""),
                                 [(lang["name"], lang["code"])])
                # The languages spoken on the phone line.
                self.assertEqual(rows_of(f"""SELECT l.name, l.code FROM hsds.language l
                                             JOIN hsds.phone p ON p.id = l.phone_id
                                             WHERE p.service_id = '{sid}'"""),
                                 [(x["name"], x["code"]) for x in phone["languages"]])
                self.assertEqual(
                    rows_of(f"""SELECT option, currency, amount::text, valid_from::text,
                                       valid_to::text, amount_description
                                FROM hsds.cost_option WHERE service_id = '{sid}'"""),
                    [(cost["option"], cost["currency"], str(cost["amount"]), cost["valid_from"],
                      cost["valid_to"], cost["amount_description"])])
                self.assertEqual(sql_value(f"SELECT language_codes::text FROM hsds.service "
                                           f"WHERE id = '{sid}'"), "{ur}")
                loc = rows_of(f"""SELECT l.name, l.latitude::text, l.longitude::text,
                                         l.geog IS NULL, a.city, a.address_type
                                  FROM hsds.service_at_location sal
                                  JOIN hsds.location l ON l.id = sal.location_id
                                  JOIN hsds.address a ON a.location_id = l.id
                                  WHERE sal.service_id = '{sid}'""")
                self.assertEqual(loc, [("MyCity Civic Center", "100", "101", "t", "MyCity",
                                        "postal")])

    def test_ids(self):
        """The first source keeps the example's uuid; another source with the
        same uuid gets a derived id."""
        with open(os.path.join(SPEC, "service_full.json")) as f:
            uuid = json.load(f)["id"]
        ids = {s: service_id(s, uuid) for s in (PREFIX + "full", PREFIX + "csv")}
        self.assertEqual(len(set(ids.values())), 2)
        holder = sql(f"SELECT x.slug FROM hsds.service s JOIN sources x ON x.id = s.source_id "
                     f"WHERE s.id = '{uuid}'")
        self.assertEqual(len(holder), 1)
        for source, sid in ids.items():
            if source != holder[0][0]:
                self.assertEqual(sid, sql_value(
                    f"SELECT hsds.derived_id('{source}', 'service', '{uuid}')::text"))

    def test_ohana_schedules(self):
        """Location 22's week and service 22's messy times ("4:00 PM", "3pm"),
        and location 1's 9am-03:00 read as past midnight."""
        regular = read_csv(os.path.join(OHANA, "regular_schedules.csv"))
        for column, kind in (("location_id", "location"), ("service_id", "service")):
            for key in ("22", "1"):
                want = sorted((DAYS[r["weekday"].lower()], clock(r["opens_at"]),
                               clock(r["closes_at"]))
                              for r in regular if r[column] == key)
                got = sorted(rows_of(f"""
                    SELECT sc.byday, sc.opens_at::text, sc.closes_at::text
                    FROM hsds.schedule sc JOIN hsds.{kind} x ON x.id = sc.{kind}_id
                    JOIN sources src ON src.id = x.source_id
                    WHERE src.slug = '{PREFIX}ohana' AND x.source_key = '{key}'
                      AND sc.byday IS NOT NULL"""))
                with self.subTest(kind=kind, key=key):
                    self.assertEqual(got, want)
        self.assertIn(("MO", "14:00:00", "16:00:00"), rows_of(f"""
            SELECT sc.byday, sc.opens_at::text, sc.closes_at::text FROM hsds.schedule sc
            JOIN hsds.service s ON s.id = sc.service_id JOIN sources x ON x.id = s.source_id
            WHERE x.slug = '{PREFIX}ohana' AND s.source_key = '22'"""))
        self.assertTrue(any("past midnight" in w["reason"]
                            for w in self.reports[PREFIX + "ohana"]["warnings"]))

    def test_ohana_areas_by_name(self):
        """San Mateo's areas are cities and counties: no region, so each
        stays a name, with a warning (one per area of the input)."""
        given = sum(len([a for a in row.get("service_areas", "").split(",") if a.strip()])
                    for row in read_csv(os.path.join(OHANA, "services.csv")))
        warned = [w for w in self.reports[PREFIX + "ohana"]["warnings"]
                  if w["reason"].startswith("service area")]
        self.assertEqual(len(warned), given)
        self.assertGreater(given, 0)
        self.assertEqual(sql_value(f"""
            SELECT count(*) FROM hsds.service_area a JOIN hsds.service s ON s.id = a.service_id
            JOIN sources x ON x.id = s.source_id
            WHERE x.slug = '{PREFIX}ohana' AND (a.country IS NOT NULL OR a.geom IS NOT NULL)"""),
                         "0")

    def test_ohana_locations(self):
        """Every San Mateo location's point is its latitude/longitude; the
        virtual one has none and is not counted unmapped; languages and
        accessibility lists are split."""
        for loc in read_csv(os.path.join(OHANA, "locations.csv")):
            row = rows_of(f"""SELECT coalesce(ST_Y(l.geog::geometry)::text, ''),
                                     coalesce(ST_X(l.geog::geometry)::text, ''),
                                     l.location_type, l.timezone
                              FROM hsds.location l JOIN sources x ON x.id = l.source_id
                              WHERE x.slug = '{PREFIX}ohana' AND l.source_key = '{loc["id"]}'""")
            with self.subTest(location=loc["id"]):
                if loc["latitude"]:
                    self.assertAlmostEqual(float(row[0][0]), float(loc["latitude"]), places=7)
                    self.assertAlmostEqual(float(row[0][1]), float(loc["longitude"]), places=7)
                    self.assertEqual(row[0][2:], ("physical", "America/Los_Angeles"))
                else:
                    self.assertEqual(row[0][:3], ("", "", "virtual"))
                langs = [x.strip() for x in loc["languages"].split(",") if x.strip()]
                self.assertEqual(int(sql_value(f"""SELECT count(*) FROM hsds.language g
                    JOIN hsds.location l ON l.id = g.location_id JOIN sources x ON x.id = l.source_id
                    WHERE x.slug = '{PREFIX}ohana' AND l.source_key = '{loc["id"]}'
                      AND g.code IS NOT NULL""")), len(langs))
                access = [x.strip() for x in loc["accessibility"].split(",") if x.strip()]
                self.assertEqual(sorted(r[0] for r in sql(f"""SELECT a.description
                    FROM hsds.accessibility a JOIN hsds.location l ON l.id = a.location_id
                    JOIN sources x ON x.id = l.source_id
                    WHERE x.slug = '{PREFIX}ohana' AND l.source_key = '{loc["id"]}'""")),
                    sorted(access))
        self.assertEqual(self.reports[PREFIX + "ohana"]["counts"]["unmapped"], 0)
        # "Chinese (Mandarin)" and "Tagalog" as codes.
        codes = sql_value(f"""SELECT language_codes::text FROM hsds.service s JOIN sources x
            ON x.id = s.source_id WHERE x.slug = '{PREFIX}ohana' AND s.source_key = '2'""")
        self.assertEqual(codes, "{es,it,tl,zh}")

    def test_second_import_changes_nothing(self):
        for source, path in ((PREFIX + "full", os.path.join(SPEC, "service_full.json")),
                             (PREFIX + "csv", os.path.join(SPEC, "csv")),
                             (PREFIX + "ohana", OHANA)):
            with self.subTest(source=source):
                before = sql_value(f"""SELECT md5(string_agg(s::text, '|' ORDER BY s.id))
                    FROM hsds.service s JOIN sources x ON x.id = s.source_id
                    WHERE x.slug = '{source}'""")
                rc, report, err = import_hsds(source, path)
                self.assertEqual(rc, 0, err)
                c = report["counts"]
                self.assertEqual((c["inserted"], c["updated"], c["deactivated"]), (0, 0, 0))
                self.assertEqual(c["unchanged"], c["rows"])
                after = sql_value(f"""SELECT md5(string_agg(s::text, '|' ORDER BY s.id))
                    FROM hsds.service s JOIN sources x ON x.id = s.source_id
                    WHERE x.slug = '{source}'""")
                self.assertEqual(before, after)

    def test_open_eligibility_is_no_services(self):
        """The Open Eligibility XML is a taxonomy, not a list of services:
        the import refuses it and changes nothing."""
        path = os.path.join(SHARED, "open-eligibility", "openeligibility-taxonomy.xml")
        rc, report, err = import_hsds(PREFIX + "oe", path)
        self.assertEqual(rc, 1)
        self.assertIn("not JSON", err)
        self.assertEqual(sql(f"SELECT 1 FROM sources WHERE slug = '{PREFIX}oe'"), [])


# Every sample of records in ../shared/data/hsds, with the shape its
# README gives it: what the import must keep of each.
KEPT_SAMPLES = [
    ("service_full.json", "service"), ("service_list.json", "service"),
    ("organization_full.json", "organization"), ("organization_list.json", "organization"),
    ("service_at_location_full.json", "service_at_location"),
    ("service_at_location_list.json", "service_at_location"),
    ("location.json", "location"), ("tabular.json", "tabular"), ("csv", "package"),
]
# The files of the samples that hold no records: refused whole, and why.
REFUSED_SAMPLES = [
    ("base.json", "root document"),
    ("hsds-3.0-datapackage-descriptor.json", "Data Package descriptor"),
    ("taxonomy.json", "taxonomies or taxonomy terms"),
    ("taxonomy_list.json", "taxonomies or taxonomy terms"),
    ("taxonomy_term.json", "taxonomies or taxonomy terms"),
    ("taxonomy_term_list.json", "taxonomies or taxonomy terms"),
]


def sample_records(path, shape):
    """The ids of the services, organizations and locations a sample holds,
    read here from the files by the shape the sample is in."""
    found = {"service": set(), "organization": set(), "location": set()}

    def add_service(svc):
        found["service"].add(svc["id"])
        if "organization" in svc:
            found["organization"].add(svc["organization"]["id"])
        for sal in svc.get("service_at_locations", []):
            found["location"].add(sal["location"]["id"])

    if shape in ("package", "ohana"):
        for kind, table in (("service", "services"), ("organization", "organizations"),
                            ("location", "locations")):
            found[kind] = {r["id"] for r in read_csv(os.path.join(path, table + ".csv"))}
        return found
    with open(path) as f:
        data = json.load(f)
    if shape == "tabular":
        for kind, table in (("service", "services"), ("organization", "organizations"),
                            ("location", "locations")):
            found[kind] = {r["id"] for r in data[table + ".csv"]}
        return found
    items = data["contents"] if "contents" in data else [data]
    for item in items:
        if shape == "service":
            add_service(item)
        elif shape == "organization":
            found["organization"].add(item["id"])
            found["location"].update(x["id"] for x in item.get("locations", []))
            for svc in item.get("services", []):
                add_service(svc)
        elif shape == "service_at_location":
            add_service(item["service"])
            found["location"].add(item["location"]["id"])
        else:
            found["location"].add(item["id"])
    return found


class EverySample(unittest.TestCase):
    """Each sample of ../shared/data/hsds in every shape it comes in (a
    service, an organization with its services, a service_at_location, a
    location, Pages of them, the tabular package as JSON and as CSV, the
    Ohana form) imported into a source of its own: at least 99% of its
    services, organizations and locations are stored (and said, per
    sample); the files that hold no records are refused whole, each with
    its reason."""

    @classmethod
    def setUpClass(cls):
        if not HAVE_SHARED:
            print(NO_SHARED)
            return
        forget(PREFIX + "k-%")
        cls.samples = [(name, os.path.join(SPEC, name), shape) for name, shape in KEPT_SAMPLES]
        cls.samples.append(("ohana-san-mateo-sample", OHANA, "ohana"))
        cls.reports = {}
        for i, (name, path, shape) in enumerate(cls.samples):
            rc, report, err = import_hsds(f"{PREFIX}k-{i}", path, zone="Europe/London")
            assert rc == 0, (name, err)
            cls.reports[name] = report

    def setUp(self):
        if not HAVE_SHARED:
            self.skipTest(NO_SHARED)

    def stored(self, source, kind):
        return {r[0] for r in sql(f"""SELECT t.source_key FROM hsds.{kind} t
                                       JOIN sources x ON x.id = t.source_id
                                       WHERE x.slug = '{source}'""")}

    def test_kept(self):
        lines = []
        for i, (name, path, shape) in enumerate(self.samples):
            given = sample_records(path, shape)
            counts = []
            for kind in ("service", "organization", "location"):
                kept = self.stored(f"{PREFIX}k-{i}", kind)
                with self.subTest(sample=name, kind=kind):
                    self.assertLessEqual(kept, given[kind])
                    self.assertGreaterEqual(len(kept), 0.99 * len(given[kind]))
                counts.append(f"{kind}s {len(kept)}/{len(given[kind])}")
            rejected = self.reports[name]["counts"]["rejected"]
            lines.append(f"  {name}: {', '.join(counts)}, {rejected} rejected")
            with self.subTest(sample=name):
                self.assertEqual(len(self.reports[name]["rejected"]), rejected)
                self.assertTrue(all(r["reason"] for r in self.reports[name]["rejected"]))
        print("\nHSDS samples kept (stored/given):\n" + "\n".join(lines))

    def test_organization_full(self):
        """The organization's own location is its, and its nested service
        belongs to it, at the service's location."""
        with open(os.path.join(SPEC, "organization_full.json")) as f:
            org = json.load(f)
        i = [n for n, _, _ in self.samples].index("organization_full.json")
        src = f"{PREFIX}k-{i}"
        svc = org["services"][0]
        self.assertEqual(rows_of(f"""
            SELECT s.name, o.name, l.name, (l.organization_id = o.id)::text
            FROM hsds.service s JOIN hsds.organization o ON o.id = s.organization_id
            JOIN hsds.service_at_location sal ON sal.service_id = s.id
            JOIN hsds.location l ON l.id = sal.location_id
            JOIN sources x ON x.id = s.source_id
            WHERE x.slug = '{src}' AND s.source_key = '{svc['id']}'"""),
                         [(svc["name"], org["name"],
                           svc["service_at_locations"][0]["location"]["name"], "true")])
        self.assertEqual(self.reports["organization_full.json"]["counts"]["inserted"], 1)

    def test_records_without_services_said(self):
        for name in ("organization_list.json", "location.json"):
            with self.subTest(sample=name):
                report = self.reports[name]
                self.assertEqual(report["counts"]["rows"], 0)
                self.assertTrue(any(w["row"] == 0 and "no services" in w["reason"]
                                    for w in report["warnings"]), report["warnings"])

    def test_refused(self):
        for i, (name, phrase) in enumerate(REFUSED_SAMPLES):
            with self.subTest(sample=name):
                rc, report, err = import_hsds(f"{PREFIX}k-no-{i}", os.path.join(SPEC, name))
                self.assertEqual(rc, 1)
                self.assertIn(phrase, err)
                self.assertIn("nothing was imported", err)
                self.assertEqual(sql(f"SELECT 1 FROM sources WHERE slug = '{PREFIX}k-no-{i}'"),
                                 [])


class Synthetic(unittest.TestCase):
    """Inputs made here: normalising, deactivation, atomicity."""

    @classmethod
    def setUpClass(cls):
        forget(PREFIX + "s-%")

    def test_normalising(self):
        polygon = {"type": "Polygon", "coordinates": [[[-94.6, 39.0], [-94.5, 39.0],
                                                        [-94.5, 39.1], [-94.6, 39.0]]]}
        svc = service(
            "n-1", "Peer Coaching", moud=True,
            languages=[{"name": "Spanish"}, {"code": "eng"}, {"name": "Klingon"},
                       {"name": "Chinese (Cantonese)"}],
            recovery_housing={"narr_level": "II", "certifying_body": "MARR",
                              "certification_status": "certified", "moud_allowed": True,
                              "gender_served": "women", "beds": 12, "beds_available": 3},
            peer_support={"credential": "CPRS", "credentialing_body": "MCB"},
            service_areas=[{"name": "Missouri", "extent_type": "iso3166-2", "extent": "US-MO"},
                           {"name": "USA", "extent_type": "iso3166-1", "extent": "US"},
                           {"name": "KC", "extent_type": "geojson", "extent": json.dumps(polygon)},
                           {"name": "Somewhere", "extent_type": "postcode", "extent": "AB1"}],
            schedules=[{"byday": "monday, tu", "opens_at": "9am", "closes_at": "4:00 PM",
                        "tz": "America/Chicago"},
                       {"byday": "FR", "opens_at": "22:00", "closes_at": "02:00"}],
            attributes=[
                {"taxonomy_term": {"code": "peer-support", "name": "Peer recovery coaching",
                                   "taxonomy_detail": {"name": "recovery-support"}}},
                {"taxonomy_term": {"code": "women",
                                   "taxonomy_detail": {"name": "recovery-population"}}},
                {"taxonomy_term": {"name": "Sober Living", "code": "xx-1"}},
                {"taxonomy_term": {"name": "Knitting", "code": "K-9",
                                   "taxonomy_detail": {"name": "Hobby Taxonomy Test"}}}],
            service_at_locations=[
                {"location": {"id": "loc-zip", "name": "Latitude 100", "latitude": 100,
                              "longitude": 5, "addresses": [{"address_1": "1 Market St",
                                                             "city": "St. Louis",
                                                             "state_province": "MO",
                                                             "postal_code": "63101",
                                                             "country": "US"}]}},
                {"location": {"id": "loc-city", "name": "No coordinates",
                              "timezone": "America/Denver",
                              "addresses": [{"city": "Springfield", "state_province": "IL",
                                             "country": "US"}]}},
                {"location": {"id": "loc-zero", "name": "Null Island", "latitude": 0,
                              "longitude": 0}}])
        rc, report, err = import_hsds(PREFIX + "s-norm", "-", data=json.dumps([svc]))
        self.assertEqual(rc, 0, err)
        c = report["counts"]
        self.assertEqual((c["rows"], c["inserted"], c["geocoded"], c["unmapped"]), (1, 1, 2, 1))
        reasons = " | ".join(w["reason"] for w in report["warnings"])
        for phrase in ("Klingon", "not a place on Earth", "past midnight",
                       "kept as text"):
            self.assertIn(phrase, reasons)
        sid = service_id(PREFIX + "s-norm", "n-1")
        self.assertEqual(sorted(rows_of(f"SELECT coalesce(name, '-'), coalesce(code, '-') "
                                        f"FROM hsds.language WHERE service_id = '{sid}'")),
                         sorted([("Spanish", "es"), ("-", "en"), ("Klingon", "-"),
                                 ("Chinese (Cantonese)", "zh")]))
        row = rows_of(f"""SELECT moud::text, category_codes::text, population_codes::text,
                                 language_codes::text FROM hsds.service WHERE id = '{sid}'""")
        self.assertEqual(row, [("true", "{peer-support,recovery-housing}", "{women}",
                                "{en,es,zh}")])
        self.assertEqual(rows_of(f"""SELECT narr_level::text, certifying_body, certification_status,
                                            moud_allowed::text, gender_served, beds::text,
                                            beds_available::text
                                     FROM hsds.recovery_housing WHERE service_id = '{sid}'"""),
                         [("2", "MARR", "certified", "true", "women", "12", "3")])
        self.assertEqual(rows_of(f"SELECT credential, credentialing_body FROM hsds.peer_support "
                                 f"WHERE service_id = '{sid}'"), [("CPRS", "MCB")])
        areas = dict((r[0], r[1:]) for r in sql(f"""
            SELECT name, coalesce(country, '-'), coalesce(region, '-'), (geom IS NOT NULL)::text,
                   coalesce(extent, '-')
            FROM hsds.service_area WHERE service_id = '{sid}'"""))
        self.assertEqual(areas["Missouri"][:3], ["US", "MO", "false"])
        self.assertEqual(areas["USA"][:3], ["US", "-", "false"])
        self.assertEqual(areas["KC"][:3], ["-", "-", "true"])
        self.assertEqual(areas["Somewhere"], ["-", "-", "false", "AB1"])
        self.assertEqual(sorted(rows_of(f"""SELECT byday, opens_at::text, closes_at::text,
                                                   coalesce(tz, '-')
                                            FROM hsds.schedule WHERE service_id = '{sid}'""")),
                         [("FR", "22:00:00", "02:00:00", "-"),
                          ("MO,TU", "09:00:00", "16:00:00", "America/Chicago")])
        # The outside term is kept in its own taxonomy and linked.
        self.assertEqual(rows_of(f"""SELECT t.name, t.code, x.name FROM hsds.attribute a
            JOIN hsds.taxonomy_term t ON t.id = a.taxonomy_term_id
            JOIN hsds.taxonomy x ON x.id = t.taxonomy_id
            WHERE a.link_id = '{sid}' AND x.name NOT LIKE 'recovery-%'"""),
                         [("Knitting", "K-9", "Hobby Taxonomy Test")])
        # Placed by the gazetteer: the ZIP code's centre, and the city's.
        zip_point = rows_of("""SELECT round(lat::numeric, 4)::text, round(lng::numeric, 4)::text
                               FROM places WHERE kind = 'zip' AND postal_code = '63101'""")
        locs = {r[0]: r[1:] for r in sql(f"""
            SELECT l.source_key, coalesce(l.geocoded, '-'),
                   coalesce(round(ST_Y(l.geog::geometry)::numeric, 4)::text, '-'),
                   coalesce(round(ST_X(l.geog::geometry)::numeric, 4)::text, '-'),
                   l.latitude::text, l.timezone
            FROM hsds.location l JOIN sources x ON x.id = l.source_id
            WHERE x.slug = '{PREFIX}s-norm'""")}
        if zip_point:
            self.assertEqual(locs["loc-zip"][:3], ["zip", *zip_point[0]])
        self.assertEqual(locs["loc-zip"][3:], ["100", "America/Chicago"])
        self.assertEqual(locs["loc-city"][0], "city")
        self.assertEqual(locs["loc-city"][4], "America/Denver")
        self.assertEqual(locs["loc-zero"][:3], ["-", "-", "-"])

    def test_areas_by_name(self):
        """An area given only by its name is the gazetteer's region of that
        name; a country's code under a state's name is the state; a name
        the gazetteer does not know stays a name, with a warning."""
        if sql_value("SELECT count(*) FROM places WHERE region = 'MO'") == "0":
            self.skipTest("the gazetteer is not loaded")
        src = PREFIX + "s-areas"

        def line(key, name, area):
            return service(key, name, service_areas=[area],
                           attributes=[{"taxonomy_term": {
                               "code": "telephone-support",
                               "taxonomy_detail": {"name": "recovery-support"}}}])

        data = json.dumps([
            line("ar-ga", "Areatest Georgia Line", {"name": "Georgia"}),
            line("ar-mo", "Areatest Missouri Line", {"name": "State of Missouri"}),
            line("ar-ks", "Areatest Kansas Line", {"name": "Kansas State"}),
            line("ar-tx", "Areatest Texas Line",
                 {"name": "Texas", "extent_type": "iso3166-1", "extent": "US"}),
            line("ar-us", "Areatest National Line",
                 {"name": "United States", "extent_type": "iso3166-1", "extent": "US"}),
            line("ar-on", "Areatest Ontario Line", {"name": "Ontario"}),
            line("ar-kc", "Areatest Metro Line", {"name": "Kansas City metro"})])
        rc, report, err = import_hsds(src, "-", data=data)
        self.assertEqual(rc, 0, err)
        self.assertEqual(report["counts"]["inserted"], 7)
        warnings = {w["key"]: w["reason"] for w in report["warnings"]}
        self.assertEqual(sorted(warnings), ["ar-ga", "ar-kc", "ar-tx"], warnings)
        self.assertIn("Kansas City metro", warnings["ar-kc"])
        self.assertIn("US-TX", warnings["ar-tx"])
        # Nothing says whether this Georgia is the state or the country.
        self.assertIn("taken as US-GA, though a country has that name too", warnings["ar-ga"])
        areas = {r[0]: (r[1], r[2]) for r in sql(f"""
            SELECT s.source_key, coalesce(a.country, '-'), coalesce(a.region, '-')
            FROM hsds.service_area a JOIN hsds.service s ON s.id = a.service_id
            JOIN sources x ON x.id = s.source_id WHERE x.slug = '{src}'""")}
        self.assertEqual(areas, {"ar-ga": ("US", "GA"), "ar-mo": ("US", "MO"),
                                 "ar-ks": ("US", "KS"), "ar-tx": ("US", "TX"),
                                 "ar-us": ("US", "-"), "ar-on": ("CA", "ON"),
                                 "ar-kc": ("-", "-")})
        # Kansas City, MO: the Missouri line and the national one reach it,
        # not Georgia's, Texas's or Kansas's; Kansas City, KS gets Kansas's.
        for place, want in (("Kansas+City,+MO", ["Missouri", "National"]),
                            ("Kansas+City,+KS", ["Kansas", "National"])):
            r = get(f"/api/v1/services?near={place}&q=areatest&limit=100")
            self.assertEqual(r.status, 200)
            got = sorted(s["name"].split()[1] for s in r.json()["services"])
            self.assertEqual(got, want, place)
        # The same input again changes nothing; the export says the state.
        rc, report, err = import_hsds(src, "-", data=data)
        self.assertEqual(rc, 0, err)
        self.assertEqual(report["counts"]["unchanged"], 7)
        out = get(f"/api/v1/hsds/services/{service_id(src, 'ar-ga')}").json()
        self.assertEqual([(a["extent_type"], a["extent"]) for a in out["service_areas"]],
                         [("iso3166-2", "US-GA")])

    def test_organizations_weekdays_and_georgias(self):
        """A Page of organizations with their services nested (HSDS 3.0's
        /organizations); HSDS 1.x schedules with numbered weekdays (1
        Monday ... 7 Sunday) and times with offsets or dates; "Georgia"
        read by where each service is: the country for the Tbilisi line
        (its organization's office), the state for the Atlanta office."""
        if sql_value("SELECT count(*) FROM places WHERE region = 'GA'") == "0":
            self.skipTest("the gazetteer is not loaded")
        src = PREFIX + "s-orgs"
        tbilisi = {
            "id": "og-1", "name": "Tbilisi Recovery Union", "website": "https://example.org",
            "locations": [{"id": "og-l1", "name": "Union Office", "latitude": 41.7151,
                           "longitude": 44.8271,
                           "addresses": [{"address_1": "1 Rustaveli Ave", "city": "Tbilisi",
                                          "country": "GE"}]}],
            "services": [{
                "id": "og-s1", "name": "Orgtest Tbilisi Helpline",
                "service_areas": [{"name": "Georgia"}],
                "regular_schedule": [{"weekday": d, "opens_at": "10:00+04:00",
                                      "closes_at": "18:00+04:00"} for d in (1, 2, 3, 4, 5)]}]}
        atlanta = {
            "id": "og-2", "name": "Atlanta Peer Network", "tax_status": "501(c)(3)",
            "services": [{
                "id": "og-s2", "name": "Orgtest Atlanta Coaching",
                "service_areas": [{"name": "Georgia"}],
                "service_at_locations": [{"location": {
                    "id": "og-l2", "name": "Midtown Office", "latitude": 33.7817,
                    "longitude": -84.3835, "timezone": "America/New_York",
                    "addresses": [{"address_1": "10 Peachtree St", "city": "Atlanta",
                                   "state_province": "GA", "postal_code": "30308",
                                   "country": "US"}],
                    "regular_schedules": [
                        {"weekday": "6", "opens_at": "9am", "closes_at": "1pm"},
                        {"weekday": 7, "opens_at": "2000-01-01T12:00:00.000Z",
                         "closes_at": "2000-01-01T16:00:00.000Z"}]}}]}]}
        data = json.dumps({"total_items": 2, "contents": [tbilisi, atlanta]})
        rc, report, err = import_hsds(src, "-", data=data)
        self.assertEqual(rc, 0, err)
        c = report["counts"]
        self.assertEqual((c["rows"], c["inserted"], c["rejected"]), (2, 2, 0), report)
        self.assertFalse([w for w in report["warnings"] if "service area" in w["reason"]],
                         report["warnings"])
        areas = {r[0]: (r[1], r[2]) for r in sql(f"""
            SELECT s.source_key, coalesce(a.country, '-'), coalesce(a.region, '-')
            FROM hsds.service_area a JOIN hsds.service s ON s.id = a.service_id
            JOIN sources x ON x.id = s.source_id WHERE x.slug = '{src}'""")}
        self.assertEqual(areas, {"og-s1": ("GE", "-"), "og-s2": ("US", "GA")})
        # Each service is its organization's, as is the organization's office.
        self.assertEqual(rows_of(f"""
            SELECT s.source_key, o.source_key FROM hsds.service s
            JOIN hsds.organization o ON o.id = s.organization_id
            JOIN sources x ON x.id = s.source_id WHERE x.slug = '{src}' ORDER BY 1"""),
                         [("og-s1", "og-1"), ("og-s2", "og-2")])
        self.assertEqual(rows_of(f"""
            SELECT o.source_key FROM hsds.location l JOIN hsds.organization o
              ON o.id = l.organization_id
            JOIN sources x ON x.id = l.source_id WHERE x.slug = '{src}'
              AND l.source_key = 'og-l1'"""), [("og-1",)])
        # The weekdays and hours, as 3.0's byday.
        self.assertEqual(rows_of(f"""
            SELECT string_agg(sc.byday, ',' ORDER BY sc.byday), min(sc.opens_at)::text,
                   min(sc.closes_at)::text, min(sc.tz), count(*)::text
            FROM hsds.schedule sc JOIN hsds.service s ON s.id = sc.service_id
            WHERE s.id = '{service_id(src, 'og-s1')}'"""),
                         [("FR,MO,TH,TU,WE", "10:00:00", "18:00:00", "+04:00", "5")])
        self.assertEqual(sorted(rows_of(f"""
            SELECT sc.byday, sc.opens_at::text, sc.closes_at::text
            FROM hsds.schedule sc JOIN hsds.location l ON l.id = sc.location_id
            JOIN sources x ON x.id = l.source_id
            WHERE x.slug = '{src}' AND l.source_key = 'og-l2'""")),
                         [("SA", "09:00:00", "13:00:00"), ("SU", "12:00:00", "16:00:00")])
        # Open on a Monday in Tbilisi, not on its Sunday; the Atlanta office
        # on Saturday morning and Sunday noon.
        for key, now, want in (("og-s1", "2026-11-23T12:00+04:00", True),
                               ("og-s1", "2026-11-22T12:00+04:00", False),
                               ("og-s2", "2026-11-28T10:00-05:00", True),
                               ("og-s2", "2026-11-28T14:00-05:00", False),
                               ("og-s2", "2026-11-29T13:00-05:00", True)):
            r = get(f"/api/v1/services/{service_id(src, key)}?now={now.replace('+', '%2B')}")
            self.assertEqual(r.status, 200, r.body)
            self.assertEqual(r.json()["open_now"], want, (key, now))
        # Near Atlanta: the Atlanta office, not the line for the country.
        r = get("/api/v1/services?near=Atlanta,+GA&q=orgtest&limit=100")
        self.assertEqual(r.status, 200)
        self.assertEqual([x["name"] for x in r.json()["services"]], ["Orgtest Atlanta Coaching"])

    def test_rejects(self):
        data = json.dumps([service("r-1", ""), {"id": "r-2", "name": "No organization"},
                           service("r-3", "Fine"), service("r-3", "Again"), "not an object"])
        rc, report, err = import_hsds(PREFIX + "s-rej", "-", data=data)
        self.assertEqual(rc, 0, err)
        self.assertEqual(report["counts"]["rows"], 1)
        self.assertEqual(report["counts"]["rejected"], 4)
        why = {r["row"]: r["reason"] for r in report["rejected"]}
        self.assertIn("no name", why[1])
        self.assertIn("no organization name", why[2])
        self.assertIn("earlier service", why[4])
        self.assertIn("not a service", why[5])

    def test_deactivation_and_return(self):
        src = PREFIX + "s-gone"
        two = json.dumps({"contents": [service("g-1", "One"), service("g-2", "Two")]})
        one = json.dumps({"contents": [service("g-1", "One")]})
        self.assertEqual(import_hsds(src, "-", data=two)[0], 0)
        rc, report, err = import_hsds(src, "-", data=one)
        self.assertEqual(rc, 0, err)
        self.assertEqual((report["counts"]["deactivated"], report["counts"]["unchanged"]), (1, 1))
        self.assertEqual(rows_of(f"""SELECT s.source_key, s.listed::text,
                                            (s.inactive_since IS NOT NULL)::text
                                     FROM hsds.service s JOIN sources x ON x.id = s.source_id
                                     WHERE x.slug = '{src}' ORDER BY 1"""),
                         [("g-1", "true", "false"), ("g-2", "false", "true")])
        rc, report, err = import_hsds(src, "-", data=two)
        self.assertEqual(rc, 0, err)
        self.assertEqual((report["counts"]["updated"], report["counts"]["unchanged"]), (1, 1))
        self.assertEqual(sql_value(f"""SELECT count(*) FROM hsds.service s JOIN sources x
            ON x.id = s.source_id WHERE x.slug = '{src}' AND s.listed"""), "2")
        # A changed service gets its children replaced, not added to.
        changed = json.dumps([service("g-1", "One", phones=[{"number": "555-0100"}]),
                              service("g-2", "Two")])
        for number in ("555-0100", "555-0199"):
            data = changed.replace("555-0100", number)
            self.assertEqual(import_hsds(src, "-", data=data)[0], 0)
            self.assertEqual(rows_of(f"SELECT number FROM hsds.phone WHERE service_id = "
                                     f"'{service_id(src, 'g-1')}'"), [(number,)])

    def test_dry_run(self):
        src = PREFIX + "s-dry"
        data = json.dumps([service("d-1", "Dry")])
        rc, report, err = import_hsds(src, "-", "--dry-run", data=data)
        self.assertEqual(rc, 0, err)
        self.assertTrue(report["dry_run"])
        self.assertEqual(report["counts"]["inserted"], 1)
        self.assertEqual(sql(f"SELECT 1 FROM sources WHERE slug = '{src}'"), [])
        self.assertEqual(sql("SELECT 1 FROM hsds.service WHERE source_key = 'd-1'"), [])

    def test_usage_errors(self):
        data = json.dumps([service("u-1", "Usage")])
        cases = [
            (["--format", "hsds", "--source", PREFIX + "s-use", "-"], 1, "--timezone"),
            (["--format", "hsds", "--source", PREFIX + "s-use", "--timezone", "UTC",
              "--fellowship", "aa", "-"], 2, "for meetings"),
            (["--format", "hsdsx", "--source", PREFIX + "s-use", "-"], 2, "hsds"),
            (["--format", "hsds", "--source", PREFIX + "s-use", "--timezone", "Mars/Base",
              "-"], 1, "not an IANA"),
            (["--format", "hsds", "--source", PREFIX + "s-use", "--timezone", "UTC",
              "/nonexistent/file.json"], 1, "cannot open"),
            (["--format", "hsds", "--source", PREFIX + "s-use", "--timezone", "UTC",
              tempfile.gettempdir()], 1, "none of the HSDS tables"),
        ]
        for args, status, phrase in cases:
            with self.subTest(args=args):
                rc, report, err = run_import(*args, data=data)
                self.assertEqual(rc, status, err)
                self.assertIn(phrase, err)
        self.assertEqual(sql(f"SELECT 1 FROM sources WHERE slug = '{PREFIX}s-use'"), [])

    def test_broken_input_changes_nothing(self):
        src = PREFIX + "s-cut"
        good = json.dumps({"contents": [service(f"c-{i}", f"Service {i}",
                                                phones=[{"number": f"555-01{i:02d}"}])
                                        for i in range(20)]})
        self.assertEqual(import_hsds(src, "-", data=good)[0], 0)
        before = fingerprint(src)
        changed = good.replace("Service 1", "Renamed 1")
        for bad in (changed[: len(changed) // 2], changed[:-1], "", "{\"contents\": 5}"):
            with self.subTest(bad=bad[-20:]):
                rc, report, err = import_hsds(src, "-", data=bad)
                self.assertEqual(rc, 1)
                self.assertIn("nothing was imported", err)
                self.assertEqual(fingerprint(src), before)
        # A package whose services.csv has a quoted field that never ends.
        with tempfile.TemporaryDirectory() as d:
            with open(os.path.join(d, "services.csv"), "w") as f:
                f.write('id,name,organization_id\nx-1,"Cut off,o-1\n')
            with open(os.path.join(d, "organizations.csv"), "w") as f:
                f.write("id,name\no-1,Org\n")
            rc, report, err = import_hsds(src, d)
            self.assertEqual(rc, 1)
            self.assertIn("never ends", err)
            self.assertEqual(fingerprint(src), before)

    def test_killed_import_changes_nothing(self):
        """An importer killed while it works leaves the database as it was:
        nothing of the big input is there (or, if it finished first, all)."""
        src = PREFIX + "s-kill"
        self.assertEqual(import_hsds(src, "-", data=json.dumps([service("k-0", "Zero")]))[0], 0)
        before = fingerprint(src)
        n = 40000
        big = json.dumps([service(f"k-{i}", f"Service {i}",
                                  service_at_locations=[{"location": {
                                      "id": f"l-{i}", "name": f"Place {i}",
                                      "latitude": 39 + i / 1e5, "longitude": -94}}],
                                  phones=[{"number": "555-0100"}],
                                  schedules=[{"byday": "MO", "opens_at": "9am",
                                              "closes_at": "5pm"}])
                          for i in range(n)])
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            f.write(big)
            path = f.name
        try:
            proc = subprocess.Popen(
                [os.path.join(ROOT, "scripts", "stack.sh"), "import", "--format", "hsds",
                 "--source", src, path], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                start_new_session=True)
            # Kill once the server has the rows (the apply is running), or
            # after a while.
            deadline = time.time() + 20
            while time.time() < deadline and proc.poll() is None:
                busy = sql("SELECT 1 FROM pg_stat_activity WHERE application_name = "
                           "'finder-import' AND query LIKE '%hsds_import_apply%'")
                if busy:
                    break
                time.sleep(0.05)
            finished = proc.poll() is not None
            if not finished:
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            # The server notices the lost client and rolls back.
            for _ in range(100):
                if not sql("SELECT 1 FROM pg_stat_activity "
                           "WHERE application_name = 'finder-import'"):
                    break
                time.sleep(0.1)
            count = int(sql_value(f"""SELECT count(*) FROM hsds.service s JOIN sources x
                ON x.id = s.source_id WHERE x.slug = '{src}'"""))
            print(f"\n  importer {'finished before the kill' if finished else 'killed'}: "
                  f"{count} services stored", end=" ")
            if finished and proc.returncode == 0:
                self.assertEqual(count, n)
            else:
                self.assertEqual(count, 1)
                self.assertEqual(fingerprint(src), before)
        finally:
            os.unlink(path)


class RoundTrip(unittest.TestCase):
    """The export of an imported record holds the fields that went in, and
    export -> import into another source -> export is the same apart from
    ids."""

    def export(self, sid):
        r = get(f"/api/v1/hsds/services/{sid}")
        self.assertEqual(r.status, 200, f"GET /api/v1/hsds/services/{sid}")
        return r.json()

    def round_trip(self, source, key):
        sid = service_id(source, key)
        self.assertIsNotNone(sid)
        first = self.export(sid)
        copy_src = source + "-rt"
        rc, report, err = import_hsds(copy_src, "-", data=json.dumps(first))
        self.assertEqual(rc, 0, err)
        self.assertEqual(report["counts"]["rejected"], 0)
        second = self.export(service_id(copy_src, first["id"]))
        a, b = strip_ids(first), strip_ids(second)
        for field in sorted(set(a) | set(b)):
            with self.subTest(field=field):
                self.assertEqual(a.get(field), b.get(field))
        return first

    def test_community_counselling(self):
        if not HAVE_SHARED:
            self.skipTest(NO_SHARED)
        forget(PREFIX + "rt%")
        src = PREFIX + "rt-full"
        rc, report, err = import_hsds(src, os.path.join(SPEC, "service_full.json"),
                                      zone="Europe/London")
        self.assertEqual(rc, 0, err)
        with open(os.path.join(SPEC, "service_full.json")) as f:
            full = json.load(f)
        out = self.round_trip(src, full["id"])
        for field in ("name", "alternate_name", "url", "email", "status", "wait_time",
                      "assured_date", "licenses"):
            self.assertEqual(out.get(field), full[field], field)
        self.assertEqual(float(out["minimum_age"]), full["minimum_age"])
        self.assertEqual(out["organization"]["name"], full["organization"]["name"])
        self.assertEqual([(p["number"], str(p.get("extension"))) for p in out["phones"]],
                         [(full["phones"][0]["number"].strip('"'), "100")])
        self.assertEqual([[(x["name"], x["code"]) for x in p["languages"]] for p in out["phones"]],
                         [[(x["name"], x["code"]) for x in full["phones"][0]["languages"]]])
        s = out["schedules"][0]
        self.assertEqual((s["byday"], s["opens_at"][:5], s["closes_at"][:5]),
                         ("TH,FR", "10:00", "18:00"))
        self.assertEqual([(x["name"], x["code"]) for x in out["languages"]], [("Urdu", "ur")])
        c = out["cost_options"][0]
        self.assertEqual((c["option"], c["currency"], float(c["amount"])),
                         ("Under 18s and Over 60s", "gbp", 35.0))
        loc = out["service_at_locations"][0]["location"]
        self.assertEqual(loc["name"], "MyCity Civic Center")
        self.assertEqual(loc["addresses"][0]["city"], "MyCity")

    def test_every_sample(self):
        """Each shared sample imported, then every service it gave (listed
        or not) exported, the exports imported together into a second
        source and exported again: the same apart from ids. The first
        export holds what went in: each Ohana service's name and
        description, and its location's point."""
        if not HAVE_SHARED:
            self.skipTest(NO_SHARED)
        forget(PREFIX + "rs-%")
        ohana = {r["id"]: r for r in read_csv(os.path.join(OHANA, "services.csv"))}
        points = {r["id"]: r for r in read_csv(os.path.join(OHANA, "locations.csv"))}
        for name, path, zone in [("full", os.path.join(SPEC, "service_full.json"), "Europe/London"),
                                 ("list", os.path.join(SPEC, "service_list.json"), "Europe/London"),
                                 ("csv", os.path.join(SPEC, "csv"), "Europe/London"),
                                 ("ohana", OHANA, "America/Los_Angeles")]:
            with self.subTest(sample=name):
                src = PREFIX + "rs-" + name
                rc, report, err = import_hsds(src, path, zone=zone)
                self.assertEqual(rc, 0, err)
                keys = [r[0] for r in sql(f"""SELECT s.source_key FROM hsds.service s
                    JOIN sources x ON x.id = s.source_id WHERE x.slug = '{src}'
                    ORDER BY s.source_key""")]
                self.assertGreater(len(keys), 0)
                # The export answers for listed services only: list the
                # others for the moment, as an import that brings them
                # back would.
                sql(f"""UPDATE hsds.service SET status = 'active' WHERE source_id =
                        (SELECT id FROM sources WHERE slug = '{src}')""")
                first = {k: self.export(service_id(src, k)) for k in keys}
                rc, report, err = import_hsds(src + "-rt", "-", zone=zone,
                                              data=json.dumps(list(first.values())))
                self.assertEqual(rc, 0, err)
                self.assertEqual(report["counts"]["rejected"], 0)
                self.assertEqual(report["counts"]["inserted"], len(keys))
                for k, out in first.items():
                    again = self.export(service_id(src + "-rt", out["id"]))
                    self.assertEqual(strip_ids(again), strip_ids(out), f"{name} service {k}")
                    if name != "ohana":
                        continue
                    row = ohana[k]
                    self.assertEqual(out["name"], row["name"].strip())
                    self.assertEqual(out.get("description"), row["description"].strip() or None)
                    loc = points[row["location_id"]]
                    where = out["service_at_locations"][0]["location"]
                    if loc["latitude"]:
                        self.assertAlmostEqual(float(where["latitude"]), float(loc["latitude"]), 6)
                        self.assertAlmostEqual(float(where["longitude"]), float(loc["longitude"]), 6)

    def test_extensions(self):
        forget(PREFIX + "rt-ext%")
        src = PREFIX + "rt-ext"
        svc = service("e-1", "Recovery House", moud=False,
                      recovery_housing={"narr_level": 3, "certification_status": "pending",
                                        "gender_served": "men", "beds": 8},
                      peer_support={"credential": "CPRS"},
                      service_areas=[{"name": "Missouri", "extent_type": "iso3166-2",
                                      "extent": "US-MO"}],
                      attributes=[{"taxonomy_term": {
                          "code": "recovery-housing",
                          "taxonomy_detail": {"name": "recovery-support"}}}],
                      service_at_locations=[{"location": {
                          "id": "e-loc", "name": "House", "latitude": 38.63,
                          "longitude": -90.2, "timezone": "America/Chicago"}}])
        rc, report, err = import_hsds(src, "-", data=json.dumps([svc]))
        self.assertEqual(rc, 0, err)
        out = self.round_trip(src, "e-1")
        self.assertIs(out.get("moud"), False)
        self.assertEqual(out["recovery_housing"]["narr_level"], 3)
        self.assertEqual(out["peer_support"]["credential"], "CPRS")
        self.assertEqual([(a["extent_type"], a["extent"]) for a in out["service_areas"]],
                         [("iso3166-2", "US-MO")])
        self.assertEqual(out["service_at_locations"][0]["location"]["timezone"],
                         "America/Chicago")


if __name__ == "__main__":
    main()
