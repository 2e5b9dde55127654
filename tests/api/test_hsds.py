"""The HSDS 3.0 export (GET /api/v1/hsds/, /api/v1/hsds/services and
/api/v1/hsds/services/{id}) against the running stack.

setUpClass writes its own services, as the superuser, under a dedicated
source ('test-hsds-export'): one with every table filled (two locations,
addresses, phones with languages, weekly and monthly schedules, costs,
service areas of all three kinds, attributes of the finder's vocabularies
and of a test taxonomy, recovery housing, peer support) and a dozen plainer
ones, two of them not listed. The full service is compared field by field
with the rows inserted, types included; the Page wrapper and every filter
with counts and id lists computed independently in SQL (over whatever else
the database holds, demo services too); the field names with the HSDS 3.0
datapackage descriptor in ../shared/data (skipped, and said so, when it is
absent). tearDownClass removes everything it wrote."""

import json
import math
from datetime import datetime
import os
import re
import subprocess
import unittest
import uuid

from harness import ROOT, api, get, main, request, sql, sql_value

SOURCE = "test-hsds-export"
NS = uuid.UUID("0d7c3a52-8f0e-4e0b-a1f4-5b7c9d2e6a10")
SHARED = os.path.normpath(os.path.join(ROOT, "..", "shared", "data"))
EXAMPLES = os.path.join(SHARED, "hsds", "openreferral-spec-3.0-examples")
DESCRIPTOR = os.path.join(EXAMPLES, "hsds-3.0-datapackage-descriptor.json")
NO_DESCRIPTOR = f"{DESCRIPTOR} is absent: the field names are not checked against HSDS 3.0"

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TIME_RE = re.compile(r"^\d{2}:\d{2}:\d{2}$")
DATETIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")

# The finder's vocabularies (sql/migrations/013_services.sql): fixed ids.
TAXONOMY_ID = {"recovery-support": "6f0e8a52-5b7e-4c36-9d0a-000000000001",
               "recovery-population": "6f0e8a52-5b7e-4c36-9d0a-000000000002",
               "recovery-cost": "6f0e8a52-5b7e-4c36-9d0a-000000000003",
               "recovery-accessibility": "6f0e8a52-5b7e-4c36-9d0a-000000000004"}


def uid(kind, key):
    return str(uuid.uuid5(NS, f"{kind}:{key}"))


TEST_TAXONOMY = uid("taxonomy", "test")
TEST_TERM = uid("taxonomy_term", "test")
# A word no demo service has: the keyword filter's expected matches are
# exactly the fixture services that hold it.
WORD = "zorblax"


class Raw(str):
    """SQL text written as it is (a subquery, an expression)."""


SOURCE_ID = Raw(f"(SELECT id FROM sources WHERE slug = '{SOURCE}')")


def lit(v):
    if v is None:
        return "NULL"
    if isinstance(v, Raw):
        return str(v)
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    return "'" + str(v).replace("'", "''") + "'"


def insert(table, rows, extra=None):
    """INSERT statements for rows (dicts) into hsds.table; extra: columns
    that are not exported (source_id, geog...)."""
    out = []
    for r in rows:
        cols = dict(r, **(extra or {}).get(r["id"], {}))
        out.append(f"INSERT INTO hsds.{table} ({', '.join(cols)}) "
                   f"VALUES ({', '.join(lit(v) for v in cols.values())});")
    return "\n".join(out)


# The fixture, as the rows inserted -------------------------------------------

ORGS = [
    {"id": uid("org", 1), "name": "Test HSDS Gateway Recovery Alliance",
     "alternate_name": "Gateway Alliance", "description": "A fictional recovery organization.",
     "email": "info@gateway.example.org", "website": "https://gateway.example.org",
     "tax_status": "501(c)(3)", "tax_id": "12-3456789", "year_incorporated": 1999,
     "legal_status": "Nonprofit corporation", "logo": "https://gateway.example.org/logo.png",
     "uri": "https://opencorporates.example/gateway", "parent_organization_id": uid("org", 99)},
    {"id": uid("org", 2), "name": "Test HSDS Riverside Peers",
     "description": "Another fictional organization."},
]

S1 = uid("service", 1)
SERVICES = [
    {"id": S1, "organization_id": ORGS[0]["id"], "name": f"Test HSDS {WORD.title()} House",
     "alternate_name": "Zorblax Women's Residence",
     "description": "A fictional recovery residence for women, with peer coaching.",
     "url": "https://gateway.example.org/house", "email": "house@gateway.example.org",
     "status": "active", "interpretation_services": "Spanish-speaking staff; phone interpreters.",
     "application_process": "Call for an intake appointment.",
     "fees_description": "Weekly rent on a sliding scale.", "wait_time": "About two weeks",
     "fees": "Sliding scale", "accreditations": "NARR level II",
     "eligibility_description": "Women 18 and over in early recovery.",
     "minimum_age": 18, "maximum_age": 64.5, "assured_date": "2026-05-04",
     "assurer_email": "verify@gateway.example.org", "licenses": "City occupancy permit 42",
     "alert": "Closed for repairs on 2026-12-24.",
     "last_modified": "2026-04-03 12:34:56.789+00", "moud": True},
]
# Plainer services: (n, organization, moud, in the test term, updated day).
UPDATED_DAY = {}
IN_TERM = {S1, uid("service", 11), uid("service", 12)}
for n, org, moud, in_term, day in [
        (2, 0, None, True, 2), (3, 1, False, True, 3), (4, 0, True, True, 4),
        (5, 1, None, True, 5), (6, 0, None, True, 6), (7, 1, None, False, 7),
        (8, 0, None, False, 8), (9, 1, None, False, 9), (10, 0, None, False, 10)]:
    SERVICES.append({
        "id": uid("service", n), "organization_id": ORGS[org]["id"],
        "name": f"Test HSDS service {n}",
        "description": f"Fictional support number {n}" + (f", with {WORD}." if n in (3, 5) else "."),
        "status": "active", "moud": moud})
    UPDATED_DAY[uid("service", n)] = day
    if in_term:
        IN_TERM.add(uid("service", n))
# Not listed: inactive, and deactivated by an import.
SERVICES.append({"id": uid("service", 11), "organization_id": ORGS[0]["id"],
                 "name": f"Test HSDS inactive {WORD}", "status": "inactive"})
SERVICES.append({"id": uid("service", 12), "organization_id": ORGS[0]["id"],
                 "name": f"Test HSDS deactivated {WORD}", "status": "active"})
UNLISTED = {uid("service", 11), uid("service", 12)}
LISTED = [s for s in SERVICES if s["id"] not in UNLISTED]


def updated_at(s):
    """The fixture's updated_at: fixed, so that modified_after can be
    tested across them (demo services are written today). Service n was
    written on 2001-01-n, the others on 2001-01-01."""
    return f"2001-01-{UPDATED_DAY.get(s['id'], 1):02d} 00:00:00+00"


L1, L2 = uid("location", 1), uid("location", 2)
LOCATIONS = [
    {"id": L1, "location_type": "physical", "url": "https://gateway.example.org/house/where",
     "organization_id": ORGS[0]["id"], "name": "Zorblax House", "alternate_name": "The House",
     "description": "A brick house near the park.", "transportation": "Bus 70 stops at the door.",
     "latitude": 38.627003, "longitude": -90.199404, "external_identifier": "STL-0042",
     "external_identifier_type": "city parcel", "timezone": "America/Chicago"},
    {"id": L2, "location_type": "virtual", "url": "https://meet.example.org/zorblax",
     "name": "Online check-ins"},
]
SALS = [
    {"id": uid("sal", 1), "service_id": S1, "location_id": L1,
     "description": "The residence itself."},
    {"id": uid("sal", 2), "service_id": S1, "location_id": L2},
]
ADDRESSES = [
    {"id": uid("address", 1), "location_id": L1, "attention": "House manager",
     "address_1": "4200 Fictional Ave", "address_2": "Rear entrance", "city": "St. Louis",
     "region": "St. Louis City", "state_province": "MO", "postal_code": "63108",
     "country": "US", "address_type": "physical"},
    {"id": uid("address", 2), "location_id": L1, "address_1": "PO Box 77",
     "city": "St. Louis", "state_province": "MO", "postal_code": "63101", "country": "US",
     "address_type": "postal"},
]
ACCESSIBILITY = [
    {"id": uid("accessibility", 1), "location_id": L1, "description": "Ramp at the side door.",
     "details": "One ground-floor bedroom is accessible.",
     "url": "https://gateway.example.org/access"},
]
PHONES = [
    {"id": uid("phone", 1), "service_id": S1, "number": "+1 314 555 0100",
     "extension": "100", "type": "voice", "description": "Intake line, weekdays."},
    {"id": uid("phone", 2), "service_id": S1, "number": "+1 314 555 0101",
     "extension": "x12", "type": "text"},
    {"id": uid("phone", 3), "location_id": L1, "number": "+1 314 555 0102", "type": "voice"},
    {"id": uid("phone", 4), "service_at_location_id": uid("sal", 1),
     "number": "+1 314 555 0103", "type": "fax"},
    {"id": uid("phone", 5), "organization_id": ORGS[0]["id"], "number": "+1 314 555 0199",
     "type": "voice", "description": "Main office."},
]
SCHEDULES = [
    {"id": uid("schedule", 1), "service_id": S1, "valid_from": "2026-01-01",
     "valid_to": "2026-12-31", "dtstart": "2026-01-05", "timezone": -6, "until": "2027-01-01",
     "count": 10, "wkst": "MO", "freq": "WEEKLY", "interval": 1, "byday": "MO,TU,WE,TH,FR",
     "byweekno": "1,2", "bymonthday": "5,6", "byyearday": "5,6",
     "description": "Intake hours.", "opens_at": "09:00:00", "closes_at": "17:00:00",
     "schedule_link": "https://gateway.example.org/hours", "attending_type": "in person",
     "notes": "Closed on holidays.", "tz": "America/Chicago"},
    {"id": uid("schedule", 2), "location_id": L1, "freq": "MONTHLY", "byday": "2MO",
     "opens_at": "18:30:00", "closes_at": "20:00:00", "description": "House meeting."},
    {"id": uid("schedule", 3), "service_at_location_id": uid("sal", 1), "freq": "WEEKLY",
     "byday": "SA", "opens_at": "10:00:00", "closes_at": "12:00:00", "tz": "+03:00"},
]
LANGUAGES = [
    {"id": uid("language", 1), "service_id": S1, "name": "English", "code": "en"},
    {"id": uid("language", 2), "service_id": S1, "name": "Spanish", "code": "es",
     "note": "Two staff members."},
    {"id": uid("language", 3), "location_id": L1, "name": "Spanish", "code": "es"},
    {"id": uid("language", 4), "phone_id": uid("phone", 1), "name": "English", "code": "en"},
    {"id": uid("language", 5), "phone_id": uid("phone", 1), "name": "Spanish", "code": "es",
     "note": "Ask for Rosa."},
]
COSTS = [
    {"id": uid("cost", 1), "service_id": S1, "valid_from": "2026-01-01",
     "valid_to": "2026-12-31", "option": "Weekly rent", "currency": "USD", "amount": 135.5,
     "amount_description": "per week"},
    {"id": uid("cost", 2), "service_id": S1, "option": "Intake", "currency": "USD", "amount": 0},
]
POLYGON = [[[-90.3, 38.5], [-90.1, 38.5], [-90.1, 38.7], [-90.3, 38.7], [-90.3, 38.5]]]
AREAS = [
    {"id": uid("area", 1), "service_id": S1, "name": "Missouri", "extent": "Missouri",
     "extent_type": "text", "country": "US", "region": "MO"},
    {"id": uid("area", 2), "service_id": S1, "name": "United States", "country": "US",
     "description": "Online check-ins anywhere in the country.", "uri": "https://example.org/us"},
    {"id": uid("area", 3), "service_id": S1, "name": "Outreach zone",
     "geom": Raw("ST_Multi(ST_GeomFromGeoJSON('" + json.dumps(
         {"type": "Polygon", "coordinates": POLYGON}) + "'))::geography")},
    {"id": uid("area", 4), "service_id": S1, "name": "North side", "extent": "North St. Louis",
     "extent_type": "text"},
]
# The exported extent and extent_type of each area.
AREA_EXTENTS = {uid("area", 1): ("US-MO", "iso3166-2"), uid("area", 2): ("US", "iso3166-1"),
                uid("area", 3): (None, "geojson"), uid("area", 4): ("North St. Louis", "text")}


def term_id(taxonomy, code):
    return sql_value(f"SELECT t.id FROM hsds.taxonomy_term t WHERE t.code = '{code}' "
                     f"AND t.taxonomy_id = '{TAXONOMY_ID[taxonomy]}'")


def attributes():
    rows = []
    for n, (taxonomy, code) in enumerate([
            ("recovery-support", "recovery-housing"), ("recovery-support", "peer-support"),
            ("recovery-population", "women"), ("recovery-cost", "sliding-scale"),
            ("recovery-accessibility", "wheelchair")]):
        rows.append({"id": uid("attribute", n), "link_id": S1, "link_entity": "service",
                     "taxonomy_term_id": term_id(taxonomy, code)})
    rows[0].update({"link_type": "primary", "value": "NARR II"})
    rows.append({"id": uid("attribute", "loc"), "link_id": L1, "link_entity": "location",
                 "taxonomy_term_id": term_id("recovery-accessibility", "wheelchair")})
    for sid in sorted(IN_TERM):
        rows.append({"id": uid("attribute", "term-" + sid), "link_id": sid,
                     "link_entity": "service", "taxonomy_term_id": TEST_TERM})
    rows.append({"id": uid("attribute", "peer-4"), "link_id": uid("service", 4),
                 "link_entity": "service",
                 "taxonomy_term_id": term_id("recovery-support", "peer-support")})
    return rows


HOUSING = {"narr_level": 2, "certifying_body": "Missouri Coalition of Recovery Support Providers",
           "certification_status": "certified", "moud_allowed": True, "gender_served": "women",
           "population_served": "Women 18 and over", "beds": 12, "beds_available": 3}
PEER = {"credential": "Missouri Certified Peer Specialist",
        "credentialing_body": "Missouri Credentialing Board"}


def run_sql(script):
    """Runs a script as the superuser in one transaction, stopping at the
    first error, which it raises with psql's message."""
    proc = subprocess.run(
        [os.path.join(ROOT, "scripts", "stack.sh"), "psql", "-q", "-v", "ON_ERROR_STOP=1",
         "-1", "-f", "-"], input=script, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"psql failed: {proc.stderr.strip()}")


def cleanup():
    run_sql(f"""
        DELETE FROM hsds.attribute
        WHERE link_id IN (SELECT id FROM hsds.service WHERE source_id IN
                              (SELECT id FROM sources WHERE slug = '{SOURCE}'))
           OR link_id IN (SELECT id FROM hsds.location WHERE source_id IN
                              (SELECT id FROM sources WHERE slug = '{SOURCE}'))
           OR taxonomy_term_id = '{TEST_TERM}';
        DELETE FROM hsds.service WHERE source_id IN (SELECT id FROM sources WHERE slug = '{SOURCE}');
        DELETE FROM hsds.location WHERE source_id IN (SELECT id FROM sources WHERE slug = '{SOURCE}');
        DELETE FROM hsds.organization
        WHERE source_id IN (SELECT id FROM sources WHERE slug = '{SOURCE}');
        DELETE FROM hsds.taxonomy_term WHERE taxonomy_id = '{TEST_TAXONOMY}';
        DELETE FROM hsds.taxonomy WHERE id = '{TEST_TAXONOMY}';
        DELETE FROM sources WHERE slug = '{SOURCE}';""")


def load_fixture():
    keyed = lambda rows: {r["id"]: {"source_id": SOURCE_ID, "source_key": r["id"]} for r in rows}
    svc_extra = keyed(SERVICES)
    for s in SERVICES:
        svc_extra[s["id"]]["updated_at"] = updated_at(s)
    svc_extra[uid("service", 12)]["inactive_since"] = "2026-01-01 00:00:00+00"
    loc_extra = keyed(LOCATIONS)
    loc_extra[L1]["geog"] = Raw("ST_SetSRID(ST_MakePoint(-90.199404, 38.627003), 4326)::geography")
    statements = [
        f"INSERT INTO sources (slug, name, format, default_timezone) "
        f"VALUES ('{SOURCE}', 'HSDS export tests (fictional)', 'hsds', 'America/Chicago');",
        f"INSERT INTO hsds.taxonomy (id, name, description, uri, version) VALUES "
        f"('{TEST_TAXONOMY}', 'test-hsds-taxonomy', 'A test taxonomy', "
        f"'https://example.org/taxonomy', '0.1');",
        f"INSERT INTO hsds.taxonomy_term (id, code, name, description, taxonomy, taxonomy_id, "
        f"language, term_uri) VALUES ('{TEST_TERM}', 'T-1', 'Test term', 'A test term', "
        f"'test-hsds-taxonomy', '{TEST_TAXONOMY}', 'en', 'https://example.org/taxonomy/T-1');",
        insert("organization", ORGS, keyed(ORGS)),
        insert("service", SERVICES, svc_extra),
        insert("location", LOCATIONS, loc_extra),
        insert("service_at_location", SALS),
        insert("address", ADDRESSES), insert("accessibility", ACCESSIBILITY),
        insert("phone", PHONES), insert("schedule", SCHEDULES), insert("language", LANGUAGES),
        insert("cost_option", COSTS), insert("service_area", AREAS),
        insert("attribute", attributes()),
        "INSERT INTO hsds.recovery_housing (service_id, " + ", ".join(HOUSING) + ") VALUES ("
        + ", ".join([lit(S1)] + [lit(v) for v in HOUSING.values()]) + ");",
        "INSERT INTO hsds.peer_support (service_id, " + ", ".join(PEER) + ") VALUES ("
        + ", ".join([lit(S1)] + [lit(v) for v in PEER.values()]) + ");",
        "SELECT hsds.service_refresh(ARRAY[" + ", ".join(f"'{s['id']}'::uuid" for s in SERVICES)
        + "]);",
    ]
    run_sql("\n".join(statements))


# The expected export, made from the rows ----------------------------------------

def present(row, fields):
    """row's fields in order, without the NULL ones (the export leaves them out)."""
    return {f: row[f] for f in fields if row.get(f) is not None}


def by_id(rows):
    return sorted(rows, key=lambda r: r["id"])


def iso_utc(ts):
    """'2026-04-03 12:34:56.789+00' as the export writes it."""
    date, time = ts.split(" ")
    time = time.split("+")[0]
    if "." not in time:
        time += ".000"
    return f"{date}T{time}Z"


def exp_languages(key, value):
    return [present(r, ["id", "name", "code", "note"])
            for r in by_id(r for r in LANGUAGES if r.get(key) == value)]


def exp_phones(key, value):
    out = []
    for r in by_id(r for r in PHONES if r.get(key) == value):
        p = present(r, ["id", "number", "extension", "type", "description"])
        if "extension" in p and re.fullmatch(r"0|[1-9][0-9]{0,14}", p["extension"]):
            p["extension"] = int(p["extension"])
        p["languages"] = exp_languages("phone_id", r["id"])
        out.append(p)
    return out


SCHEDULE_FIELDS = ["id", "valid_from", "valid_to", "dtstart", "timezone", "until", "count",
                   "wkst", "freq", "interval", "byday", "byweekno", "bymonthday", "byyearday",
                   "description", "opens_at", "closes_at", "schedule_link", "attending_type",
                   "notes", "tz"]


def exp_schedules(key, value):
    return [present(r, SCHEDULE_FIELDS) for r in by_id(r for r in SCHEDULES if r.get(key) == value)]


def exp_attributes(link):
    out = []
    for r in by_id(r for r in attributes() if r["link_id"] == link):
        a = present(r, ["id", "link_type", "link_entity", "value"])
        t = json.loads(sql_value(f"""
            SELECT json_build_object('id', t.id, 'code', t.code, 'name', t.name,
                'description', t.description, 'parent_id', t.parent_id, 'taxonomy', t.taxonomy,
                'language', t.language, 'taxonomy_id', t.taxonomy_id, 'term_uri', t.term_uri,
                'x_id', x.id, 'x_name', x.name, 'x_description', x.description, 'x_uri', x.uri,
                'x_version', x.version)
            FROM hsds.taxonomy_term t JOIN hsds.taxonomy x ON x.id = t.taxonomy_id
            WHERE t.id = '{r['taxonomy_term_id']}'"""))
        term = present(t, ["id", "code", "name", "description", "parent_id", "taxonomy"])
        term["taxonomy_detail"] = {k[2:]: v for k, v in t.items()
                                   if k.startswith("x_") and v is not None}
        term.update(present(t, ["language", "taxonomy_id", "term_uri"]))
        a["taxonomy_term"] = term
        out.append(a)
    return out


LOCATION_FIELDS = ["id", "location_type", "url", "organization_id", "name", "alternate_name",
                   "description", "transportation", "latitude", "longitude",
                   "external_identifier", "external_identifier_type", "timezone"]


def exp_location(loc):
    out = present(loc, LOCATION_FIELDS)
    out["languages"] = exp_languages("location_id", loc["id"])
    out["addresses"] = [present(r, ["id", "attention", "address_1", "address_2", "city",
                                    "region", "state_province", "postal_code", "country",
                                    "address_type"])
                        for r in by_id(r for r in ADDRESSES if r["location_id"] == loc["id"])]
    out["accessibility"] = [present(r, ["id", "description", "details", "url"])
                            for r in by_id(r for r in ACCESSIBILITY
                                           if r["location_id"] == loc["id"])]
    out["phones"] = exp_phones("location_id", loc["id"])
    out["schedules"] = exp_schedules("location_id", loc["id"])
    out["attributes"] = exp_attributes(loc["id"])
    return out


SERVICE_FIELDS = ["id", "name", "alternate_name", "description", "url", "email", "status",
                  "interpretation_services", "application_process", "fees_description",
                  "wait_time", "fees", "accreditations", "eligibility_description",
                  "minimum_age", "maximum_age", "assured_date", "assurer_email", "licenses",
                  "alert"]
ORG_FIELDS = ["id", "name", "alternate_name", "description", "email", "website", "tax_status",
              "tax_id", "year_incorporated", "legal_status", "logo", "uri",
              "parent_organization_id"]


def exp_summary(s):
    out = present(s, SERVICE_FIELDS)
    out["last_modified"] = iso_utc(s.get("last_modified") or updated_at(s))
    out["organization"] = present(next(o for o in ORGS if o["id"] == s["organization_id"]),
                                  ORG_FIELDS)
    if s.get("moud") is not None:
        out["moud"] = s["moud"]
    return out


def exp_full(s):
    summary = exp_summary(s)
    out = {k: v for k, v in summary.items() if k not in ("organization", "moud")}
    out["phones"] = exp_phones("service_id", s["id"])
    out["schedules"] = exp_schedules("service_id", s["id"])
    out["service_areas"] = []
    for r in by_id(r for r in AREAS if r["service_id"] == s["id"]):
        a = present(r, ["id", "name", "description"])
        extent, extent_type = AREA_EXTENTS[r["id"]]
        a["extent"] = extent
        a["extent_type"] = extent_type
        a.update(present(r, ["uri"]))
        out["service_areas"].append(a)
    out["service_at_locations"] = []
    for r in by_id(r for r in SALS if r["service_id"] == s["id"]):
        sal = present(r, ["id", "description"])
        sal["phones"] = exp_phones("service_at_location_id", r["id"])
        sal["schedules"] = exp_schedules("service_at_location_id", r["id"])
        sal["location"] = exp_location(next(l for l in LOCATIONS if l["id"] == r["location_id"]))
        out["service_at_locations"].append(sal)
    out["languages"] = exp_languages("service_id", s["id"])
    out["organization"] = dict(summary["organization"])
    out["organization"]["phones"] = exp_phones("organization_id", s["organization_id"])
    out["cost_options"] = [present(r, ["id", "valid_from", "valid_to", "option", "currency",
                                       "amount", "amount_description"])
                           for r in by_id(r for r in COSTS if r["service_id"] == s["id"])]
    out["attributes"] = exp_attributes(s["id"])
    if "moud" in summary:
        out["moud"] = summary["moud"]
    if s["id"] == S1:
        out["recovery_housing"] = dict(HOUSING)
        out["peer_support"] = dict(PEER)
    return out


def is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


class Same:
    """Deep comparison that also holds types: a number must be a JSON
    number, a boolean a boolean, a string a string; keys in the same order
    as expected (the export keeps HSDS's order)."""

    def __init__(self, test):
        self.test = test

    def check(self, got, want, path="$"):
        t = self.test
        if isinstance(want, dict):
            t.assertIsInstance(got, dict, path)
            t.assertEqual(list(got), list(want), f"{path}: keys")
            for k in want:
                self.check(got[k], want[k], f"{path}.{k}")
        elif isinstance(want, list):
            t.assertIsInstance(got, list, path)
            t.assertEqual(len(got), len(want), f"{path}: length")
            for i, (g, w) in enumerate(zip(got, want)):
                self.check(g, w, f"{path}[{i}]")
        elif isinstance(want, bool):
            t.assertIs(got, want, path)
        elif is_number(want):
            t.assertTrue(is_number(got), f"{path}: {got!r} is not a JSON number")
            t.assertTrue(math.isclose(got, want, rel_tol=0, abs_tol=1e-9), f"{path}: {got} != {want}")
        else:
            t.assertIsInstance(got, str, path)
            t.assertEqual(got, want, path)


# Independent SQL: what is listed, and what the filters select ---------------------

LISTED_SQL = "s.status = 'active' AND s.inactive_since IS NULL"


def listed_ids(where="true"):
    return [r[0] for r in sql(f"SELECT s.id FROM hsds.service s WHERE {LISTED_SQL} AND ({where}) "
                              "ORDER BY s.id::text")]


# Past this many pages of 500, check_ids reads a sample of the pages
# (the first two, one in the middle, the last two), not all of them.
WALK_PAGES = 10


class HsdsExport(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cleanup()
        load_fixture()

    @classmethod
    def tearDownClass(cls):
        cleanup()

    def error(self, path, params, status, param):
        r = api(path, params)
        self.assertEqual(r.status, status, f"{path} {params}: {r.body[:200]}")
        err = r.json()["error"]
        if param is not None:
            self.assertEqual(err.get("param"), param, err)
        return err

    # The version document

    def test_version_document(self):
        for path in ("/api/v1/hsds/", "/api/v1/hsds"):
            r = get(path)
            self.assertEqual(r.status, 200, path)
            self.assertTrue(r.header("content-type").startswith("application/json"))
            self.assertRegex(r.header("cache-control"), r"^public, max-age=\d+$")
            doc = r.json()
            self.assertEqual(doc["version"], "3.0")
            self.assertEqual(doc["openapi_url"], "https://raw.githubusercontent.com/openreferral/"
                                                 "specification/3.0/schema/openapi.json")
            # No URL describes the finder's profile: left out, not null.
            self.assertNotIn("profile", doc)
            self.assertIsInstance(doc["description"], str)
        if os.path.exists(os.path.join(EXAMPLES, "base.json")):
            with open(os.path.join(EXAMPLES, "base.json")) as f:
                base = json.load(f)
            self.assertLessEqual(set(doc) - {"description"}, set(base))
        else:
            print(f"SKIP base.json comparison: {EXAMPLES} is absent")
        self.error("hsds/", {"page": "1"}, 400, "page")

    # The Page wrapper

    def check_page(self, params, per_page, page, total):
        r = api("hsds/services", dict(params, per_page=per_page, page=page))
        self.assertEqual(r.status, 200, r.body[:200])
        self.assertEqual(r.header("cache-control"), "public, max-age=300")
        body = r.json()
        pages = math.ceil(total / per_page)
        size = max(0, min(per_page, total - (page - 1) * per_page))
        self.assertEqual(list(body), ["total_items", "total_pages", "page_number", "size",
                                      "first_page", "last_page", "empty", "contents"])
        self.assertEqual(body["total_items"], total)
        self.assertEqual(body["total_pages"], pages)
        self.assertEqual(body["page_number"], page)
        self.assertEqual(body["size"], size)
        self.assertEqual(len(body["contents"]), size)
        self.assertIs(body["first_page"], page == 1)
        self.assertIs(body["last_page"], page >= pages)
        self.assertIs(body["empty"], size == 0)
        return body

    def test_page_arithmetic(self):
        ids = listed_ids()
        total = len(ids)
        self.assertGreaterEqual(total, len(LISTED))
        for per_page in (1, 3, 7, 50, 500):
            pages = math.ceil(total / per_page)
            for page in sorted({1, 2, pages, pages + 1, pages + 5}):
                body = self.check_page({}, per_page, page, total)
                start = (page - 1) * per_page
                self.assertEqual([c["id"] for c in body["contents"]], ids[start:start + per_page])

    def test_defaults(self):
        total = len(listed_ids())
        body = api("hsds/services").json()
        self.assertEqual(body["page_number"], 1)
        self.assertEqual(body["size"], min(50, total))
        self.assertEqual(body["total_pages"], math.ceil(total / 50))

    def test_empty_result(self):
        body = self.check_page({"search": "qqxjzvwk nonexistentword"}, 10, 1, 0)
        self.assertEqual(body["total_pages"], 0)
        self.assertEqual(body["contents"], [])

    def check_ids(self, params, want, per_page=500):
        """The pages of params hold the ids want, in order: all pages, or
        a sample of them when there are many."""
        pages = math.ceil(len(want) / per_page)
        sample = range(1, pages + 1) if pages <= WALK_PAGES else \
            sorted({1, 2, (pages + 1) // 2, pages - 1, pages})
        for page in sample:
            body = self.check_page(params, per_page, page, len(want))
            start = (page - 1) * per_page
            self.assertEqual([c["id"] for c in body["contents"]], want[start:start + per_page],
                             f"{params} page {page}")

    def test_every_listed_service_in_order(self):
        want = listed_ids()
        self.assertFalse(UNLISTED & set(want))
        self.check_ids({}, want)

    # Filters, each against an independent count

    def check_filter(self, params, where):
        want = listed_ids(where)
        self.assertFalse(UNLISTED & set(want))
        self.check_ids(params, want)
        small = self.check_page(params, 2, 1, len(want))
        self.assertEqual([c["id"] for c in small["contents"]], want[:2])
        return want

    def test_filter_search(self):
        text = ("coalesce(s.name, '') || ' ' || coalesce(s.alternate_name, '') || ' ' || "
                "coalesce(s.description, '') || ' ' || coalesce(s.eligibility_description, '') "
                "|| ' ' || coalesce(s.fees_description, '') || ' ' || "
                "(SELECT o.name FROM hsds.organization o WHERE o.id = s.organization_id)")
        want = self.check_filter({"search": WORD}, f"({text}) ILIKE '%{WORD}%'")
        # The word is in no service but the fixture's: S1 (its name), 3 and 5.
        self.assertEqual(set(want), {S1, uid("service", 3), uid("service", 5)})
        # Every word must match.
        want = self.check_filter({"search": f"{WORD.upper()} women"},
                                 f"({text}) ILIKE '%{WORD}%' AND ({text}) ~* '\\mwomen'")
        self.assertEqual(want, [S1])
        self.check_filter({"search": f"{WORD} qqxjzvwk"}, "false")

    def test_filter_taxonomy_term_id(self):
        want = self.check_filter(
            {"taxonomy_term_id": TEST_TERM},
            f"EXISTS (SELECT 1 FROM hsds.attribute a WHERE a.link_id = s.id "
            f"AND a.link_entity = 'service' AND a.taxonomy_term_id = '{TEST_TERM}')")
        self.assertEqual(set(want), IN_TERM - UNLISTED)
        peer = term_id("recovery-support", "peer-support")
        self.check_filter({"taxonomy_term_id": peer},
                          f"EXISTS (SELECT 1 FROM hsds.attribute a WHERE a.link_id = s.id "
                          f"AND a.link_entity = 'service' AND a.taxonomy_term_id = '{peer}')")
        # A term no service has.
        self.check_filter({"taxonomy_term_id": uid("taxonomy_term", "none")}, "false")

    def test_filter_taxonomy_id(self):
        for tax in (TEST_TAXONOMY, TAXONOMY_ID["recovery-support"],
                    TAXONOMY_ID["recovery-cost"]):
            want = self.check_filter(
                {"taxonomy_id": tax},
                f"s.id IN (SELECT a.link_id FROM hsds.attribute a, hsds.taxonomy_term t "
                f"WHERE t.id = a.taxonomy_term_id AND a.link_entity = 'service' "
                f"AND t.taxonomy_id = '{tax}')")
            if tax == TEST_TAXONOMY:
                self.assertEqual(set(want), IN_TERM - UNLISTED)

    def test_filter_organization_id(self):
        for org in ORGS:
            want = self.check_filter({"organization_id": org["id"]},
                                     f"s.organization_id = '{org['id']}'")
            self.assertEqual(set(want), {s["id"] for s in LISTED
                                         if s["organization_id"] == org["id"]})

    def test_filter_modified_after(self):
        cases = [
            ("2001-01-05", "2001-01-05 00:00:00+00"),
            ("2001-01-05T00:00", "2001-01-05 00:00:00+00"),
            ("2001-01-05T00:00:00Z", "2001-01-05 00:00:00+00"),
            ("2001-01-05T00:00:00.001Z", "2001-01-05 00:00:00.001+00"),
            ("2001-01-05T01:00:00+02:00", "2001-01-04 23:00:00+00"),
            ("2001-01-04T18:00-06:00", "2001-01-05 00:00:00+00"),
            ("2001-01-04T23:59:59.999999", "2001-01-04 23:59:59.999999+00"),
        ]
        for given, instant in cases:
            want = self.check_filter({"modified_after": given},
                                     f"s.updated_at >= '{instant}'::timestamptz")
            at = datetime.fromisoformat(instant.replace("+00", "+00:00"))
            fixture = {s["id"] for s in LISTED
                       if datetime.fromisoformat(updated_at(s).replace("+00", "+00:00")) >= at}
            self.assertEqual(set(want) & {s["id"] for s in SERVICES}, fixture, given)

    def test_filters_combine_with_and(self):
        org = ORGS[1]["id"]
        self.check_filter(
            {"taxonomy_term_id": TEST_TERM, "organization_id": org,
             "modified_after": "2001-01-04"},
            f"s.organization_id = '{org}' AND s.updated_at >= '2001-01-04 00:00+00' "
            f"AND EXISTS (SELECT 1 FROM hsds.attribute a WHERE a.link_id = s.id "
            f"AND a.link_entity = 'service' AND a.taxonomy_term_id = '{TEST_TERM}')")

    # The contents of a list, and of one service

    def test_list_contents_are_summaries(self):
        body = api("hsds/services", {"taxonomy_term_id": TEST_TERM, "per_page": 500}).json()
        got = {c["id"]: c for c in body["contents"]}
        for s in LISTED:
            if s["id"] in got:
                Same(self).check(got[s["id"]], exp_summary(s), f"summary {s['name']}")

    def test_list_full(self):
        body = api("hsds/services", {"search": WORD, "full": "true"}).json()
        got = {c["id"]: c for c in body["contents"]}
        self.assertIn(S1, got)
        self.check_full(got[S1])
        body = api("hsds/services", {"search": WORD, "full": "false"}).json()
        Same(self).check(next(c for c in body["contents"] if c["id"] == S1),
                         exp_summary(SERVICES[0]))

    def test_full_service(self):
        r = api(f"hsds/services/{S1}")
        self.assertEqual(r.status, 200)
        self.assertTrue(r.header("content-type").startswith("application/json"))
        self.assertEqual(r.header("cache-control"), "public, max-age=300")
        self.check_full(r.json())

    def check_full(self, got):
        """got is S1 in full, as the rows inserted."""
        want = exp_full(SERVICES[0])
        # The polygon: GeoJSON text of the same ring.
        area = next(a for a in got["service_areas"] if a["extent_type"] == "geojson")
        geo = json.loads(area["extent"])
        self.assertEqual(geo["type"], "MultiPolygon")
        self.assertEqual(geo["coordinates"], [POLYGON])
        next(a for a in want["service_areas"] if a["extent_type"] == "geojson")["extent"] = \
            area["extent"]
        Same(self).check(got, want)

    def test_plain_service(self):
        s = SERVICES[2]
        got = api(f"hsds/services/{s['id']}").json()
        Same(self).check(got, exp_full(s))
        # Empty lists are there, and empty.
        for key in ("phones", "schedules", "service_areas", "service_at_locations",
                    "languages", "cost_options"):
            self.assertEqual(got[key], [], key)

    def test_recovery_vocabularies_as_attributes(self):
        got = api(f"hsds/services/{S1}").json()
        pairs = {(a["taxonomy_term"]["taxonomy_detail"]["name"], a["taxonomy_term"]["code"])
                 for a in got["attributes"]}
        self.assertLessEqual({("recovery-support", "recovery-housing"),
                              ("recovery-support", "peer-support"),
                              ("recovery-population", "women"),
                              ("recovery-cost", "sliding-scale"),
                              ("recovery-accessibility", "wheelchair")}, pairs)
        codes = sql(f"SELECT array_to_string(category_codes, ','), "
                    f"array_to_string(population_codes, ',') FROM hsds.service WHERE id = '{S1}'")
        self.assertEqual(codes, [["peer-support,recovery-housing", "women"]])

    def test_not_found(self):
        for sid in (uid("service", "never"), uid("service", 11), uid("service", 12)):
            r = api(f"hsds/services/{sid}")
            self.assertEqual(r.status, 404, sid)
            self.assertEqual(r.json()["error"]["code"], "not_found")
        for bad in ("abc", S1.upper(), S1 + "0", S1[:-1]):
            self.assertEqual(api(f"hsds/services/{bad}").status, 404, bad)
        self.assertEqual(api("hsds/service").status, 404)

    def test_head(self):
        r = request("HEAD", f"/api/v1/hsds/services/{S1}")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.body, b"")

    # Field names and types: HSDS 3.0's, or the profile's extensions

    @unittest.skipUnless(os.path.exists(DESCRIPTOR), NO_DESCRIPTOR)
    def test_field_names_and_types_are_hsds(self):
        with open(DESCRIPTOR) as f:
            tables = {r["name"]: {fl["name"]: fl for fl in r["schema"]["fields"]}
                      for r in json.load(f)["resources"]}
        # Nested objects, as HSDS 3.0's compiled service schema nests them.
        nested = {
            "service": {"phones": "phone", "schedules": "schedule", "service_areas": "service_area",
                        "service_at_locations": "service_at_location", "languages": "language",
                        "organization": "organization", "cost_options": "cost_option",
                        "attributes": "attribute"},
            "service_at_location": {"phones": "phone", "schedules": "schedule",
                                    "location": "location"},
            "location": {"languages": "language", "addresses": "address",
                         "accessibility": "accessibility", "phones": "phone",
                         "schedules": "schedule", "attributes": "attribute"},
            "phone": {"languages": "language"},
            "organization": {"phones": "phone"},
            "attribute": {"taxonomy_term": "taxonomy_term"},
            "taxonomy_term": {"taxonomy_detail": "taxonomy"},
        }
        # The profile's extensions (web/openapi.json, GET /api/v1/hsds/services/{id}), with their types.
        extensions = {
            "service": {"moud": bool, "recovery_housing": dict, "peer_support": dict},
            "location": {"timezone": str},
            "schedule": {"tz": str},
        }
        seen = set()

        def walk(obj, table, path):
            for key, value in obj.items():
                where = f"{path}.{key}"
                seen.add((table, key))
                if key in nested.get(table, {}):
                    child = nested[table][key]
                    for i, item in enumerate(value if isinstance(value, list) else [value]):
                        walk(item, child, f"{where}[{i}]")
                elif key in extensions.get(table, {}):
                    self.assertIsInstance(value, extensions[table][key], where)
                else:
                    self.assertIn(key, tables[table], f"{where}: not an HSDS 3.0 {table} field")
                    self.check_type(value, tables[table][key], table, where)

        walk(api(f"hsds/services/{S1}").json(), "service", "$")
        for item in api("hsds/services", {"per_page": 500}).json()["contents"]:
            walk(item, "service", "$list")
        # The fixture fills every field the finder keeps: all were seen.
        for table, fields in [("service", SERVICE_FIELDS + ["last_modified"]),
                              ("organization", ORG_FIELDS), ("location", LOCATION_FIELDS),
                              ("schedule", SCHEDULE_FIELDS)]:
            for f in fields:
                self.assertIn((table, f), seen, f"{table}.{f} never exported")

    def check_type(self, value, field, table, where):
        ftype, fmt = field["type"], field.get("format")
        if ftype == "number":
            if table == "phone" and field["name"] == "extension" and isinstance(value, str):
                return  # documented: an extension that is not a whole number stays text
            self.assertTrue(is_number(value), f"{where}: {value!r} is not a number")
        elif ftype == "date":
            self.assertRegex(value, DATE_RE, where)
        elif ftype == "time":
            self.assertRegex(value, TIME_RE, where)
        elif ftype == "datetime":
            self.assertRegex(value, DATETIME_RE, where)
        elif ftype == "boolean":
            self.assertIsInstance(value, bool, where)
        else:
            self.assertIsInstance(value, str, where)
            if fmt == "uuid":
                self.assertRegex(value, UUID_RE, where)
        enum = field.get("constraints", {}).get("enum")
        if enum:
            self.assertIn(value, enum, where)

    # Parameters

    def test_bad_parameters(self):
        cases = [
            ({"foo": "1"}, "foo", "unknown_parameter"),
            ({"minimal": "true"}, "minimal", "unknown_parameter"),
            ({"page": "0"}, "page", "invalid_parameter"),
            ({"page": "-1"}, "page", "invalid_parameter"),
            ({"page": "1.5"}, "page", "invalid_parameter"),
            ({"page": "1000001"}, "page", "invalid_parameter"),
            ({"page": ""}, "page", "invalid_parameter"),
            ({"per_page": "0"}, "per_page", "invalid_parameter"),
            ({"per_page": "501"}, "per_page", "invalid_parameter"),
            ({"per_page": "ten"}, "per_page", "invalid_parameter"),
            ({"search": "x" * 201}, "search", "invalid_parameter"),
            ({"search": "a\x01b"}, "search", "invalid_parameter"),
            ({"taxonomy_term_id": "12"}, "taxonomy_term_id", "invalid_parameter"),
            ({"taxonomy_term_id": TEST_TERM.upper()}, "taxonomy_term_id", "invalid_parameter"),
            ({"taxonomy_term_id": f"{TEST_TERM},{TEST_TERM}"}, "taxonomy_term_id",
             "invalid_parameter"),
            ({"taxonomy_id": "recovery-support"}, "taxonomy_id", "invalid_parameter"),
            ({"organization_id": "x"}, "organization_id", "invalid_parameter"),
            ({"modified_after": "yesterday"}, "modified_after", "invalid_parameter"),
            ({"modified_after": "2026-02-30"}, "modified_after", "invalid_parameter"),
            ({"modified_after": "2026-13-01"}, "modified_after", "invalid_parameter"),
            ({"modified_after": "1899-12-31"}, "modified_after", "invalid_parameter"),
            ({"modified_after": "2026-01-01T24:00"}, "modified_after", "invalid_parameter"),
            ({"modified_after": "2026-01-01T10:00:00.1234567Z"}, "modified_after",
             "invalid_parameter"),
            ({"modified_after": "2026-01-01T10:00.5"}, "modified_after", "invalid_parameter"),
            ({"modified_after": "2026-01-01T10:00:00."}, "modified_after", "invalid_parameter"),
            ({"modified_after": "2026-01-01 10:00"}, "modified_after", "invalid_parameter"),
            ({"modified_after": "2026-01-01T10:00+15:00"}, "modified_after",
             "invalid_parameter"),
            ({"full": "yes"}, "full", "invalid_parameter"),
            ({"format": "ndjson"}, "format", "invalid_parameter"),
        ]
        for params, param, code in cases:
            err = self.error("hsds/services", params, 400, param)
            self.assertEqual(err["code"], code, params)
        r = get("/api/v1/hsds/services?page=1&page=2")
        self.assertEqual(r.status, 400)
        self.assertEqual(r.json()["error"], {**r.json()["error"], "code": "repeated_parameter",
                                             "param": "page"})
        # One service takes no parameters.
        self.error(f"hsds/services/{S1}", {"full": "true"}, 400, "full")
        # Accepted: format=json, full=false, the largest page.
        for params in ({"format": "json"}, {"full": "false"}, {"page": "1000000"}):
            self.assertEqual(api("hsds/services", params).status, 200, params)


if __name__ == "__main__":
    main()
