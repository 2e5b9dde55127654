"""The services search API (GET /api/v1/services, /services/facets,
/services/{id}, /categories) against the running stack.

The tests write their own services (source 'test-services') in setUpModule
and remove them at the end. Other services (the demo's) may be there too,
so every expected answer is computed again here, independently: the
candidate rows come from psql, and filtering, distances (haversine), area
matching, ordering and whether a schedule is open at an instant (zoneinfo)
are written again in Python. PostgreSQL is asked only for what is its own:
whether a text matches a web-search query and its ts_rank, whether a
polygon covers a point, and which state the gazetteer puts a point in."""

import datetime
import json
import math
import re
import unittest
import urllib.parse
from zoneinfo import ZoneInfo

from harness import api, get, main, sql, sql_value

SOURCE = "test-services"
KC = (39.0997, -94.5786)       # Kansas City, MO
STL = (38.6270, -90.1994)      # St. Louis, MO
WORD = "quokkafix"             # a word only the fixture's texts have


def uid(kind, n):
    """The fixture's ids: fe5f0000-0000-4000-8000-0000000KKNNN."""
    return f"fe5f0000-0000-4000-8000-0000000{kind:02d}{n:03d}"


S = {k: uid(1, n) for n, k in enumerate(
    ["peer_kc", "house_kc", "night_stl", "warmline_mo", "app_us", "outreach_kc", "inactive",
     "both_stl", "two_cities", "weekday_kc", "house_men_kc"], start=1)}
L = {k: uid(2, n) for n, k in enumerate(
    ["kc1", "kc2", "stl1", "stl2", "kc3", "stl3", "kc_inactive", "kc4"], start=1)}
ORG = {k: uid(3, n) for n, k in enumerate(["a", "b"], start=1)}

FIXTURE = f"""
INSERT INTO sources (slug, name, format, default_timezone)
VALUES ('{SOURCE}', 'Services API tests', 'hsds', 'America/Chicago');
CREATE TEMP TABLE src AS SELECT id FROM sources WHERE slug = '{SOURCE}';

INSERT INTO hsds.organization (id, source_id, source_key, name, description, email, website)
SELECT v.id::uuid, src.id, v.key, v.name, v.description, v.email, v.website
FROM src, (VALUES
    ('{ORG['a']}', 'org-a', 'Heartland {WORD} Recovery Alliance', 'A fictional alliance.',
     'hello@example.org', 'https://example.org/alliance'),
    ('{ORG['b']}', 'org-b', 'Gateway Peer Network', NULL, NULL, NULL)
) AS v (id, key, name, description, email, website);

INSERT INTO hsds.service (id, source_id, source_key, organization_id, name, description, url,
                          email, status, moud, assured_date, eligibility_description,
                          fees_description, application_process, wait_time, alert)
SELECT v.id::uuid, src.id, v.key, v.org::uuid, v.name, v.description, v.url, v.email,
       v.status, v.moud, v.assured::date, v.eligibility, v.fees, v.application, v.wait,
       v.alert
FROM src, (VALUES
    ('{S['peer_kc']}', 's1', '{ORG['a']}', 'Fixture Peer Coaching KC',
     'Peer recovery coaching downtown, {WORD}.', 'https://example.org/peer', 'peer@example.org',
     'active', true, '2026-10-01', 'Adults in recovery.', 'No fees.', 'Walk in or call.',
     'Same day', 'Closed on Thanksgiving.'),
    ('{S['house_kc']}', 's2', '{ORG['a']}', 'Fixture Recovery House KC',
     'A women''s recovery residence.', NULL, NULL, 'active', false, '2026-09-15', NULL,
     'Weekly rent on a sliding scale.', NULL, NULL, NULL),
    ('{S['night_stl']}', 's3', '{ORG['b']}', 'Fixture Night Line',
     'A peer line open late, {WORD} at night.', NULL, NULL, 'active', NULL, NULL, NULL, NULL,
     NULL, NULL, NULL),
    ('{S['warmline_mo']}', 's4', '{ORG['b']}', 'Fixture Missouri Warmline',
     'A statewide warmline for Missouri.', NULL, NULL, 'active', true, '2026-08-01', NULL,
     NULL, NULL, NULL, NULL),
    ('{S['app_us']}', 's5', '{ORG['b']}', 'Fixture National App',
     'A recovery app for the whole country.', 'https://example.org/app', NULL, 'active', NULL,
     NULL, NULL, NULL, NULL, NULL, NULL),
    ('{S['outreach_kc']}', 's6', '{ORG['a']}', 'Fixture KC Outreach Team',
     'Street outreach across the metro.', NULL, NULL, 'active', true, NULL, NULL, NULL, NULL,
     NULL, NULL),
    ('{S['inactive']}', 's7', '{ORG['a']}', 'Fixture Closed Center',
     'Closed for good, {WORD}.', NULL, NULL, 'defunct', true, NULL, NULL, NULL, NULL, NULL,
     NULL),
    ('{S['both_stl']}', 's8', '{ORG['b']}', 'Fixture Family Support STL',
     'Family groups in St. Louis and by phone statewide.', NULL, NULL, 'active', NULL, NULL,
     NULL, NULL, NULL, NULL, NULL),
    ('{S['two_cities']}', 's9', '{ORG['a']}', 'Fixture Employment Two Cities',
     'Supported employment in two cities.', NULL, NULL, 'active', false, NULL, NULL, NULL,
     NULL, NULL, NULL),
    ('{S['weekday_kc']}', 's10', '{ORG['a']}', 'Fixture Community Center KC',
     'A recovery community center with a monthly family night.', NULL, NULL, 'active', NULL,
     NULL, NULL, NULL, NULL, NULL, NULL),
    ('{S['house_men_kc']}', 's11', '{ORG['a']}', 'Fixture Recovery House for Men KC',
     'A men''s recovery residence, full for now.', NULL, NULL, 'active', NULL, NULL, NULL,
     NULL, NULL, NULL, NULL)
) AS v (id, key, org, name, description, url, email, status, moud, assured, eligibility,
        fees, application, wait, alert);

INSERT INTO hsds.location (id, source_id, source_key, organization_id, name, latitude,
                           longitude, geog, timezone)
SELECT v.id::uuid, src.id, v.key, '{ORG['a']}', v.name, v.lat, v.lng,
       ST_SetSRID(ST_MakePoint(v.lng, v.lat), 4326)::geography, v.tz
FROM src, (VALUES
    ('{L['kc1']}', 'l1', 'Fixture Downtown Office', 39.0997, -94.5786, 'America/Chicago'),
    ('{L['kc2']}', 'l2', 'Fixture House', 39.0500, -94.5900, NULL),
    ('{L['stl1']}', 'l3', 'Fixture Line Office', 38.6270, -90.1994, 'America/Chicago'),
    ('{L['stl2']}', 'l4', 'Fixture Family Room', 38.6400, -90.2500, 'America/Chicago'),
    ('{L['kc3']}', 'l5', 'Fixture Jobs KC', 39.1100, -94.6000, 'America/Chicago'),
    ('{L['stl3']}', 'l6', 'Fixture Jobs STL', 38.6300, -90.2000, 'America/Chicago'),
    ('{L['kc_inactive']}', 'l7', 'Fixture Closed Office', 39.1000, -94.5800, NULL),
    ('{L['kc4']}', 'l8', 'Fixture Center', 39.0800, -94.5600, 'America/Chicago')
) AS v (id, key, name, lat, lng, tz);

INSERT INTO hsds.service_at_location (id, service_id, location_id)
SELECT gen_random_uuid(), v.s::uuid, v.l::uuid
FROM (VALUES ('{S['peer_kc']}', '{L['kc1']}'), ('{S['house_kc']}', '{L['kc2']}'),
             ('{S['night_stl']}', '{L['stl1']}'), ('{S['inactive']}', '{L['kc_inactive']}'),
             ('{S['both_stl']}', '{L['stl2']}'), ('{S['two_cities']}', '{L['kc3']}'),
             ('{S['two_cities']}', '{L['stl3']}'), ('{S['weekday_kc']}', '{L['kc4']}'),
             ('{S['weekday_kc']}', '{L['kc1']}'), ('{S['house_men_kc']}', '{L['kc2']}')) AS v (s, l);

INSERT INTO hsds.address (id, location_id, address_1, city, state_province, postal_code,
                          country, address_type)
SELECT gen_random_uuid(), v.l::uuid, v.a, v.city, 'MO', v.zip, 'US', v.t
FROM (VALUES ('{L['kc1']}', '100 Main St', 'Kansas City', '64105', 'physical'),
             ('{L['kc1']}', 'PO Box 12', 'Kansas City', '64141', 'postal'),
             ('{L['kc2']}', '200 Oak St', 'Kansas City', '64111', 'physical'),
             ('{L['stl1']}', '300 Market St', 'St. Louis', '63101', 'physical'),
             ('{L['stl2']}', '400 Olive St', 'St. Louis', '63102', 'physical'),
             ('{L['kc3']}', '500 Grand Blvd', 'Kansas City', '64106', 'physical'),
             ('{L['stl3']}', '600 Pine St', 'St. Louis', '63103', 'physical'),
             ('{L['kc4']}', '700 Troost Ave', 'Kansas City', '64109', 'physical')
) AS v (l, a, city, zip, t);

INSERT INTO hsds.accessibility (id, location_id, description)
VALUES (gen_random_uuid(), '{L['kc1']}', 'Ramp at the side door');

INSERT INTO hsds.phone (id, service_id, location_id, number, type)
VALUES (gen_random_uuid(), '{S['peer_kc']}', NULL, '816-555-0101', 'voice'),
       (gen_random_uuid(), '{S['peer_kc']}', NULL, '816-555-0199', 'fax'),
       (gen_random_uuid(), NULL, '{L['kc2']}', '816-555-0102', NULL),
       (gen_random_uuid(), '{S['warmline_mo']}', NULL, '800-555-0104', 'voice'),
       (gen_random_uuid(), NULL, '{L['kc1']}', '816-555-0100', 'voice');

-- Schedules: weekdays 9-17 at the KC office (its zone); every night
-- 22:00-02:00 in Los Angeles (the schedule's own zone) for the night line;
-- all day every day for the warmline (no location: the source's zone);
-- the second Tuesday 18:00-20:00 for the community center (monthly), and
-- 08:00-12:00 on Saturdays at +03:00 (an offset zone) for the app.
INSERT INTO hsds.schedule (id, service_id, location_id, freq, byday, opens_at, closes_at, tz)
VALUES (gen_random_uuid(), NULL, '{L['kc1']}', 'WEEKLY', 'MO,TU,WE,TH,FR', '09:00', '17:00', NULL),
       (gen_random_uuid(), '{S['night_stl']}', NULL, 'WEEKLY', 'SU,MO,TU,WE,TH,FR,SA',
        '22:00', '02:00', 'America/Los_Angeles'),
       (gen_random_uuid(), '{S['warmline_mo']}', NULL, 'WEEKLY', 'SU,MO,TU,WE,TH,FR,SA',
        '00:00', '00:00', NULL),
       (gen_random_uuid(), '{S['weekday_kc']}', NULL, 'MONTHLY', '2TU', '18:00', '20:00', NULL),
       (gen_random_uuid(), '{S['app_us']}', NULL, 'WEEKLY', 'SA', '08:00', '12:00', '+03:00');

INSERT INTO hsds.language (id, service_id, location_id, code, name)
VALUES (gen_random_uuid(), '{S['peer_kc']}', NULL, 'en', 'English'),
       (gen_random_uuid(), '{S['peer_kc']}', NULL, 'es', 'Spanish'),
       (gen_random_uuid(), '{S['house_kc']}', NULL, 'en', 'English'),
       (gen_random_uuid(), '{S['night_stl']}', NULL, 'fr', 'French'),
       (gen_random_uuid(), '{S['warmline_mo']}', NULL, 'es', 'Español'),
       (gen_random_uuid(), NULL, '{L['stl2']}', 'vi', 'Vietnamese'),
       (gen_random_uuid(), '{S['outreach_kc']}', NULL, 'es', 'Spanish');

INSERT INTO hsds.cost_option (id, service_id, option, amount, currency)
VALUES (gen_random_uuid(), '{S['house_kc']}', 'Weekly rent', 150, 'USD');

-- Areas: Missouri (a state), the United States (a country), a box around
-- Kansas City (a polygon).
INSERT INTO hsds.service_area (id, service_id, name, extent, extent_type, country, region, geom)
VALUES (gen_random_uuid(), '{S['warmline_mo']}', 'Missouri', 'US-MO', 'iso3166-2', 'US', 'MO',
        NULL),
       (gen_random_uuid(), '{S['warmline_mo']}', 'United States', 'US', 'iso3166-1', 'US', NULL,
        NULL),
       (gen_random_uuid(), '{S['app_us']}', 'United States', 'US', 'iso3166-1', 'US', NULL,
        NULL),
       (gen_random_uuid(), '{S['outreach_kc']}', 'Kansas City metro', NULL, 'geojson', NULL,
        NULL, ST_Multi(ST_MakeEnvelope(-94.9, 38.85, -94.3, 39.35, 4326))::geography),
       (gen_random_uuid(), '{S['both_stl']}', NULL, 'US-MO', 'iso3166-2', 'US', 'MO', NULL);

INSERT INTO hsds.recovery_housing (service_id, narr_level, certifying_body,
                                   certification_status, moud_allowed, gender_served,
                                   population_served, beds, beds_available)
VALUES ('{S['house_kc']}', 2, 'Missouri Coalition of Recovery Support Providers', 'certified',
        true, 'women', 'Women 18 and over', 12, 3),
       ('{S['house_men_kc']}', 4, NULL, NULL, NULL, 'men', NULL, 10, 0);
-- Ages (HSDS eligibility): the residences take adults, the outreach team
-- people of 12 to 24; the others say nothing (any age).
UPDATE hsds.service SET minimum_age = 18 WHERE id IN ('{S['house_kc']}', '{S['house_men_kc']}');
UPDATE hsds.service SET minimum_age = 12, maximum_age = 24 WHERE id = '{S['outreach_kc']}';
INSERT INTO hsds.peer_support (service_id, credential, credentialing_body)
VALUES ('{S['peer_kc']}', 'Certified Peer Specialist', 'Missouri Credentialing Board');

INSERT INTO hsds.attribute (id, link_id, taxonomy_term_id, link_entity)
SELECT gen_random_uuid(), v.s::uuid, t.id, 'service'
FROM (VALUES
    ('{S['peer_kc']}', 'recovery-support', 'peer-support'),
    ('{S['peer_kc']}', 'recovery-population', 'veterans'),
    ('{S['peer_kc']}', 'recovery-population', 'men'),
    ('{S['peer_kc']}', 'recovery-cost', 'free'),
    ('{S['peer_kc']}', 'recovery-accessibility', 'wheelchair'),
    ('{S['house_kc']}', 'recovery-support', 'recovery-housing'),
    ('{S['house_kc']}', 'recovery-population', 'women'),
    ('{S['house_kc']}', 'recovery-cost', 'sliding-scale'),
    ('{S['house_kc']}', 'recovery-cost', 'self-pay'),
    ('{S['night_stl']}', 'recovery-support', 'telephone-support'),
    ('{S['night_stl']}', 'recovery-support', 'family-support'),
    ('{S['night_stl']}', 'recovery-population', 'families'),
    ('{S['night_stl']}', 'recovery-cost', 'medicaid'),
    ('{S['warmline_mo']}', 'recovery-support', 'telephone-support'),
    ('{S['warmline_mo']}', 'recovery-cost', 'free'),
    ('{S['app_us']}', 'recovery-support', 'digital-recovery'),
    ('{S['app_us']}', 'recovery-population', 'youth'),
    ('{S['outreach_kc']}', 'recovery-support', 'outreach'),
    ('{S['outreach_kc']}', 'recovery-population', 'justice-involved'),
    ('{S['inactive']}', 'recovery-support', 'peer-support'),
    ('{S['both_stl']}', 'recovery-support', 'family-support'),
    ('{S['both_stl']}', 'recovery-population', 'families'),
    ('{S['two_cities']}', 'recovery-support', 'employment'),
    ('{S['two_cities']}', 'recovery-cost', 'private-insurance'),
    ('{S['weekday_kc']}', 'recovery-support', 'recovery-community-center'),
    ('{S['weekday_kc']}', 'recovery-population', 'lgbtq'),
    ('{S['house_men_kc']}', 'recovery-support', 'recovery-housing'),
    ('{S['house_men_kc']}', 'recovery-population', 'men')
) AS v (s, taxonomy, code)
JOIN hsds.taxonomy x ON x.name = v.taxonomy
JOIN hsds.taxonomy_term t ON t.taxonomy_id = x.id AND t.code = v.code;

SELECT hsds.service_refresh(ARRAY(SELECT s.id FROM hsds.service s JOIN src ON s.source_id = src.id));
"""

CLEANUP = f"""
DELETE FROM hsds.attribute WHERE link_id IN
    (SELECT s.id FROM hsds.service s JOIN sources x ON x.id = s.source_id WHERE x.slug = '{SOURCE}');
DELETE FROM hsds.service WHERE source_id IN (SELECT id FROM sources WHERE slug = '{SOURCE}');
DELETE FROM hsds.location WHERE source_id IN (SELECT id FROM sources WHERE slug = '{SOURCE}');
DELETE FROM hsds.organization WHERE source_id IN (SELECT id FROM sources WHERE slug = '{SOURCE}');
DELETE FROM sources WHERE slug = '{SOURCE}';
"""


def setUpModule():
    sql(CLEANUP)
    sql(FIXTURE)


def tearDownModule():
    sql(CLEANUP)


# The independent model ---------------------------------------------------------

R_EARTH = 6371008.7714  # metres: the sphere PostGIS measures geography on


def haversine_m(lat1, lng1, lat2, lng2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * R_EARTH * math.asin(min(1, math.sqrt(a)))


def sql_json(query):
    """The rows of query as a list of dicts (one json_agg value)."""
    return json.loads(sql_value(f"SELECT coalesce(jsonb_agg(x), '[]')::text FROM ({query}) x"))


class World:
    """Every listed service with what the search reads of it, from psql."""

    def __init__(self):
        self.services = {s["id"]: s for s in sql_json("""
            SELECT s.id, s.name, s.category_codes AS categories,
                   s.population_codes AS populations, s.language_codes AS languages,
                   s.cost_codes AS costs, s.accessibility_codes AS accessibility, s.moud,
                   s.minimum_age::float8 AS minimum_age, s.maximum_age::float8 AS maximum_age,
                   src.default_timezone AS source_zone
            FROM hsds.service s JOIN sources src ON src.id = s.source_id
            WHERE s.listed""")}
        self.locations = {}  # service id -> [(location id, lat, lng, zone)]
        for r in sql_json("""
                SELECT sal.id AS sal, sal.service_id, l.id, ST_Y(l.geog::geometry) AS lat,
                       ST_X(l.geog::geometry) AS lng, l.timezone
                FROM hsds.service_at_location sal
                JOIN hsds.location l ON l.id = sal.location_id
                JOIN hsds.service s ON s.id = sal.service_id
                WHERE s.listed"""):
            self.locations.setdefault(r["service_id"], []).append(r)
        self.areas = {}
        for r in sql_json("""
                SELECT a.service_id, a.id, a.name, a.country, a.region,
                       a.geom IS NOT NULL AS polygon
                FROM hsds.service_area a JOIN hsds.service s ON s.id = a.service_id
                WHERE s.listed"""):
            self.areas.setdefault(r["service_id"], []).append(r)
        self.housing = {r["service_id"]: r for r in sql_json("""
            SELECT r.service_id, r.narr_level, r.gender_served, r.beds_available,
                   r.moud_allowed
            FROM hsds.recovery_housing r JOIN hsds.service s ON s.id = r.service_id
            WHERE s.listed""")}
        self.schedules = sql_json("""
            SELECT id, service_id, location_id, service_at_location_id, freq, byday,
                   to_char(opens_at, 'HH24:MI:SS') AS opens_at,
                   to_char(closes_at, 'HH24:MI:SS') AS closes_at, valid_from, valid_to,
                   until, tz
            FROM hsds.schedule""")

    # Whether a service is open at an instant, written again from the
    # definition: a schedule is open when its local day (or the day before,
    # for hours past midnight) is one of its days and the local time falls
    # in its hours; a service says nothing (None) without a schedule that
    # has both times.

    def schedules_of(self, sid):
        locs = self.locations.get(sid, [])
        loc_ids = {l["id"]: l for l in locs}
        sal_ids = {l["sal"]: l for l in locs}
        first_zone = next((l["timezone"] for l in sorted(locs, key=lambda l: l["id"])
                           if l["timezone"] is not None), None)
        all_locations = self.location_zones()
        if not hasattr(self, "_by_link"):
            self._by_link = {}
            for sc in self.schedules:
                for link in ("service_id", "location_id", "service_at_location_id"):
                    if sc[link] is not None:
                        self._by_link.setdefault(sc[link], []).append(sc)
        found = {}
        for link in [sid, *loc_ids, *sal_ids]:
            for sc in self._by_link.get(link, []):
                found[sc["id"]] = sc
        for sc in found.values():
            own = None
            if sc["location_id"] is not None:
                own = all_locations.get(sc["location_id"])
            elif sc["service_at_location_id"] in sal_ids:
                own = sal_ids[sc["service_at_location_id"]]["timezone"]
            zone = sc["tz"] or own or first_zone or self.services[sid]["source_zone"]
            yield sc, zone

    def location_zones(self):
        if not hasattr(self, "_zones"):
            self._zones = {r["id"]: r["timezone"]
                           for r in sql_json("SELECT id, timezone FROM hsds.location")}
        return self._zones

    def service_open(self, sid, at):
        found = [(sc, zone) for sc, zone in self.schedules_of(sid)
                 if sc["opens_at"] is not None and sc["closes_at"] is not None]
        if not found:
            return None
        return any(schedule_open(sc, zone, at) for sc, zone in found)


DAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]  # Python's weekday() order


def local_time(at, zone):
    if zone[0] in "+-":
        sign = 1 if zone[0] == "+" else -1
        offset = datetime.timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6])) * sign
        return (at.astimezone(datetime.timezone.utc) + offset).replace(tzinfo=None)
    return at.astimezone(ZoneInfo(zone)).replace(tzinfo=None)


BYDAY_ITEM = re.compile(r"(-?[1-5])?(SU|MO|TU|WE|TH|FR|SA)")


def byday_matches(freq, byday, d):
    """Whether an RRULE byday list ('MO,TU', '2TU', '-1FR') names date d."""
    last = (d.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - \
        datetime.timedelta(days=1)
    for item in (byday or "").replace(" ", "").upper().split(","):
        m = BYDAY_ITEM.fullmatch(item)
        if m is None or DAY_CODES[d.weekday()] != m.group(2):
            continue
        k = int(m.group(1)) if m.group(1) else None
        if k is None or freq != "MONTHLY":
            return True
        if (k > 0 and (d.day - 1) // 7 + 1 == k) or (k < 0 and (last.day - d.day) // 7 + 1 == -k):
            return True
    return False


def schedule_open(sc, zone, at):
    t = local_time(at, zone)
    d, now = t.date(), t.time()
    opens = datetime.time.fromisoformat(sc["opens_at"])
    closes = datetime.time.fromisoformat(sc["closes_at"])
    for key, ok in (("valid_from", lambda v: d >= v), ("valid_to", lambda v: d <= v),
                    ("until", lambda v: d <= v)):
        if sc[key] is not None and not ok(datetime.date.fromisoformat(sc[key])):
            return False
    if opens < closes:
        return byday_matches(sc["freq"], sc["byday"], d) and opens <= now < closes
    return (byday_matches(sc["freq"], sc["byday"], d) and now >= opens) or \
        (byday_matches(sc["freq"], sc["byday"], d - datetime.timedelta(days=1)) and now < closes)


def instant(now=None, tz=None):
    """The instant a search's now= and tz= name (the clock without now=)."""
    if now is None:
        return datetime.datetime.now(datetime.timezone.utc)
    t = datetime.datetime.fromisoformat(now.replace("Z", "+00:00"))
    if t.tzinfo is None:
        t = t.replace(tzinfo=ZoneInfo(tz or "UTC"))
    return t


def keyword_ranks(q):
    """{id: ts_rank} of the listed services whose search document matches q
    (the text search itself is PostgreSQL's)."""
    quoted = q.replace("'", "''")
    return {r["id"]: r["rank"] for r in sql_json(f"""
        SELECT id, ts_rank(search_doc, websearch_to_tsquery('finder', '{quoted}')) AS rank
        FROM hsds.service
        WHERE listed AND search_doc @@ websearch_to_tsquery('finder', '{quoted}')""")}


def polygons_covering(lat, lng):
    return {r["service_id"] for r in sql_json(f"""
        SELECT service_id FROM hsds.service_area
        WHERE ST_Intersects(geom, ST_SetSRID(ST_MakePoint({lng}, {lat}), 4326)::geography)""")}


def gazetteer_area(lat, lng):
    rows = sql_json(f"SELECT country, region FROM hsds.point_area({lat}, {lng})")
    return (rows[0]["country"], rows[0]["region"]) if rows else (None, None)


def area_label(a):
    if a["name"] is not None:
        return a["name"]
    return a["country"] + ("-" + a["region"] if a["region"] else "")


def expected(world, params):
    """The answer of /api/v1/services to params, as a list of
    (id, distance_m or None, area name or None, location id or None), in
    order; and the set of matches (for facets)."""
    p = dict(params)
    at = instant(p.get("now"), p.get("tz"))
    ranks = keyword_ranks(p["q"]) if "q" in p else None
    lists = {k: set(p[k].split(",")) for k in ("category", "population", "lang", "cost")
             if k in p}
    columns = {"category": "categories", "population": "populations", "lang": "languages",
               "cost": "costs"}
    housing = {k: set(p[k].split(",")) for k in ("narr_level", "gender") if k in p}
    housing_flags = [k for k in ("beds_available", "housing_moud") if p.get(k) == "true"]
    point_country = gazetteer_area(float(p["lat"]), float(p["lng"]))[0] if "lat" in p else None

    def national(s):
        """Whether an area of s is a whole country: the point's, near one."""
        countries = {a["country"] for a in world.areas.get(s["id"], [])
                     if a["country"] is not None and a["region"] is None and not a["polygon"]}
        if "lat" in p:
            return point_country in countries
        return p["country"] in countries if "country" in p else bool(countries)

    def housing_matches(s):
        if not housing and not housing_flags:
            return True
        h = world.housing.get(s["id"])
        if h is None:
            return False
        if "narr_level" in housing and str(h["narr_level"]) not in housing["narr_level"]:
            return False
        if "gender" in housing and h["gender_served"] not in housing["gender"]:
            return False
        if "beds_available" in housing_flags and not (h["beds_available"] or 0) > 0:
            return False
        return "housing_moud" not in housing_flags or h["moud_allowed"] is True

    def ages(s):
        """Whether s takes someone of age= (either end of its ages open)."""
        if "age" not in p:
            return True
        age = int(p["age"])
        return ((s["minimum_age"] is None or s["minimum_age"] <= age)
                and (s["maximum_age"] is None or s["maximum_age"] >= age))

    def matches(s):
        if any(not lists[k] & set(s[columns[k]]) for k in lists):
            return False
        if not ages(s):
            return False
        if p.get("moud") == "true" and s["moud"] is not True:
            return False
        if ranks is not None and s["id"] not in ranks:
            return False
        if p.get("open_now") == "true" and world.service_open(s["id"], at) is not True:
            return False
        if p.get("scope") == "national" and not national(s):
            return False
        return housing_matches(s)

    found = [s for s in world.services.values() if matches(s)]
    if "lat" not in p:
        if ranks is not None:
            found.sort(key=lambda s: (-ranks[s["id"]], s["name"].encode(), s["id"]))
        else:
            found.sort(key=lambda s: (s["name"].encode(), s["id"]))
        return [(s["id"], None, None, None) for s in found], found
    lat, lng = float(p["lat"]), float(p["lng"])
    radius = float(p.get("radius_km", 25)) * 1000
    near, rest = [], []
    for s in found:
        dists = [(haversine_m(lat, lng, l["lat"], l["lng"]), l["id"])
                 for l in world.locations.get(s["id"], []) if l["lat"] is not None]
        inside = [d for d in dists if d[0] <= radius]
        if inside:
            d, lid = min(inside)
            near.append((s["id"], d, None, lid))
        else:
            rest.append(s)
    covering = polygons_covering(lat, lng)
    country, region = gazetteer_area(lat, lng)
    reached = []
    for s in rest:
        best = None
        for a in world.areas.get(s["id"], []):
            if a["polygon"]:
                rank = 0 if s["id"] in covering else None
            elif a["country"] is not None and a["country"] == country:
                rank = 0 if a["region"] is not None and a["region"] == region else \
                    (1 if a["region"] is None else None)
            else:
                rank = None
            if rank is not None:
                key = (rank, area_label(a).encode(), a["id"])
                best = key if best is None or key < best else best
        if best is not None:
            reached.append((best[0], s["name"].encode(), s["id"], best[1].decode()))
    near.sort(key=lambda r: (r[1], r[0]))
    reached.sort()
    ids = {r[0] for r in near} | {r[2] for r in reached}
    return near + [(r[2], None, r[3], None) for r in reached], \
        [s for s in found if s["id"] in ids]


def resolved(params):
    """params with near= replaced by the point the API resolves it to."""
    if "near" not in params:
        return params
    r = api("services", {"near": params["near"], "limit": 1})
    assert r.status == 200, r.body
    p = {k: v for k, v in params.items() if k != "near"}
    p["lat"], p["lng"] = r.json()["near"]["lat"], r.json()["near"]["lng"]
    return p


def fetch_all(params, page=100):
    """Every result of a search, page by page; with the count."""
    results, offset = [], 0
    while True:
        r = api("services", dict(params, limit=page, offset=offset))
        assert r.status == 200, r.body
        body = r.json()
        results += body["services"]
        offset += page
        if offset >= body["count"]:
            return results, body["count"]


WORLD = None


def world():
    global WORLD
    if WORLD is None:
        WORLD = World()
    return WORLD


# The tests -----------------------------------------------------------------------

SERVICE_KEYS = {"id", "name", "organization", "description", "url", "email", "phone",
                "categories", "populations", "costs", "languages", "accessibility", "moud",
                "last_verified", "open_now", "location", "confirmed_at", "stale"}
LOCATION_KEYS = {"id", "name", "address", "city", "region", "postal_code", "country", "lat",
                 "lng"}
NOW = "2026-11-24T12:00:00-06:00"  # a Tuesday noon in Kansas City
# A search anywhere counts up to this many matches (fcgi/src/api_meetings.h:
# SEARCH_CANDIDATES); the page never reaches past it.
CAP = 1000


class Search(unittest.TestCase):
    """Results compared with the model, in full and in order."""

    def check(self, params, at_least=1):
        """Asserts that the search answers what the model expects; returns
        the results."""
        params = dict(params)
        params.setdefault("now", NOW)
        want, _ = expected(world(), resolved(params))
        got, count = fetch_all(params)
        self.assertEqual(count, len(want), params)
        self.assertGreaterEqual(count, at_least, f"the fixture has matches for {params}")
        self.assertEqual(len(got), count)
        with_location = "lat" in params or "near" in params
        if with_location:
            near = [g for g in got if g["distance_km"] is not None]
            areas = [g for g in got if g["distance_km"] is None]
            # The services with a point come first, nearest first; the
            # area services follow in exactly the model's order.
            self.assertEqual(got, near + areas)
            dists = [g["distance_km"] for g in near]
            self.assertEqual(dists, sorted(dists))
            want_near = {w[0]: w for w in want if w[1] is not None}
            self.assertEqual({g["id"] for g in near}, set(want_near))
            for g in near:
                w = want_near[g["id"]]
                self.assertAlmostEqual(g["distance_km"], w[1] / 1000, delta=0.002)
                self.assertEqual(g["location"]["id"], w[3], g["name"])
                self.assertNotIn("service_area", g)
            self.assertEqual([(g["id"], g["service_area"]) for g in areas],
                             [(w[0], w[2]) for w in want if w[1] is None])
        else:
            self.assertEqual([g["id"] for g in got], [w[0] for w in want])
            self.assertTrue(all("distance_km" not in g for g in got))
        at = instant(params.get("now"), params.get("tz"))
        for g in got:
            self.assertEqual(set(g) - {"distance_km", "service_area", "recovery_housing"},
                             SERVICE_KEYS)
            s = world().services[g["id"]]
            for key in ("categories", "populations", "costs", "languages", "accessibility"):
                self.assertEqual(g[key], s[key])
            self.assertEqual(g["moud"], s["moud"])
            self.assertEqual(g["open_now"], world().service_open(g["id"], at), g["name"])
        return got

    def test_near_kansas_city(self):
        got = self.check({"lat": KC[0], "lng": KC[1]})
        by_id = {g["id"]: g for g in got}
        self.assertAlmostEqual(by_id[S["peer_kc"]]["distance_km"], 0, delta=0.001)
        self.assertEqual(by_id[S["two_cities"]]["location"]["id"], L["kc3"])
        # Services that reach the point through an area: no distance, the
        # area's name; a state before the country, a polygon too.
        self.assertIsNone(by_id[S["warmline_mo"]]["distance_km"])
        self.assertEqual(by_id[S["warmline_mo"]]["service_area"], "Missouri")
        self.assertEqual(by_id[S["app_us"]]["service_area"], "United States")
        self.assertEqual(by_id[S["outreach_kc"]]["service_area"], "Kansas City metro")
        self.assertIsNone(by_id[S["outreach_kc"]]["location"])
        # A service in St. Louis that also serves the state: found through
        # its area, shown at its own location, named by its code.
        self.assertEqual(by_id[S["both_stl"]]["service_area"], "US-MO")
        self.assertEqual(by_id[S["both_stl"]]["location"]["id"], L["stl2"])
        self.assertNotIn(S["inactive"], by_id)
        self.assertNotIn(S["night_stl"], by_id)
        ids = [g["id"] for g in got]
        self.assertLess(ids.index(S["warmline_mo"]), ids.index(S["app_us"]))
        self.assertLess(ids.index(S["outreach_kc"]), ids.index(S["app_us"]))

    def test_near_st_louis(self):
        got = self.check({"lat": STL[0], "lng": STL[1], "radius_km": 10})
        by_id = {g["id"]: g for g in got}
        self.assertEqual(by_id[S["two_cities"]]["location"]["id"], L["stl3"])
        self.assertIsNotNone(by_id[S["both_stl"]]["distance_km"])
        self.assertNotIn("service_area", by_id[S["both_stl"]])
        self.assertNotIn(S["outreach_kc"], by_id)

    def test_location_and_fields(self):
        r = api("services", {"lat": KC[0], "lng": KC[1], "radius_km": 1, "category": "peer-support"})
        peer = next(g for g in r.json()["services"] if g["id"] == S["peer_kc"])
        self.assertEqual(peer["organization"], {"id": ORG["a"],
                                                "name": f"Heartland {WORD} Recovery Alliance"})
        self.assertEqual(peer["phone"], "816-555-0101")
        self.assertEqual(peer["last_verified"], "2026-10-01")
        self.assertEqual(set(peer["location"]), LOCATION_KEYS)
        self.assertEqual((peer["location"]["address"], peer["location"]["postal_code"],
                          peer["location"]["region"]), ("100 Main St", "64105", "MO"))
        self.assertAlmostEqual(peer["location"]["lat"], KC[0], places=6)
        house = api("services", {"lat": KC[0], "lng": KC[1], "category": "recovery-housing",
                                 "limit": 100}).json()["services"]
        house = next(g for g in house if g["id"] == S["house_kc"])
        # No phone of its own: its location's.
        self.assertEqual(house["phone"], "816-555-0102")
        self.assertEqual(house["recovery_housing"], {
            "narr_level": 2, "certification_status": "certified", "moud_allowed": True,
            "gender_served": "women", "beds": 12, "beds_available": 3})

    def test_near_a_place(self):
        r = api("services", {"near": "Kansas City, MO", "limit": 5})
        self.assertEqual(r.status, 200, r.body)
        body = r.json()
        self.assertEqual(body["near"]["label"], "Kansas City, MO, US")
        self.check({"lat": body["near"]["lat"], "lng": body["near"]["lng"]})
        self.check({"near": "Kansas City, MO", "category": "telephone-support"})

    def test_radius(self):
        self.check({"lat": KC[0], "lng": KC[1], "radius_km": 3})
        self.check({"lat": KC[0], "lng": KC[1], "radius_km": 500})
        self.check({"lat": KC[0], "lng": KC[1], "radius_km": 0.1})

    def test_category(self):
        self.check({"lat": KC[0], "lng": KC[1], "category": "peer-support"})
        self.check({"lat": KC[0], "lng": KC[1], "category": "telephone-support,outreach"})
        self.check({"category": "recovery-housing,employment", "lat": STL[0], "lng": STL[1]})
        self.check({"category": "family-support,digital-recovery"})

    def test_population(self):
        self.check({"lat": KC[0], "lng": KC[1], "population": "women,veterans"})
        self.check({"population": "families"})

    def test_language(self):
        self.check({"lat": KC[0], "lng": KC[1], "lang": "es"})
        # A location's language is the service's: vi is only the family room's.
        got = self.check({"lang": "vi,fr"})
        self.assertIn(S["both_stl"], [g["id"] for g in got])

    def test_cost(self):
        self.check({"lat": KC[0], "lng": KC[1], "cost": "free,sliding-scale"})
        self.check({"cost": "private-insurance"})

    def test_moud(self):
        self.check({"lat": KC[0], "lng": KC[1], "moud": "true"})
        got = self.check({"moud": "true", "category": "telephone-support"})
        self.assertTrue(all(g["moud"] is True for g in got))

    def test_keywords(self):
        got = self.check({"q": WORD})
        # The organization's name counts: every service of org a matches.
        self.assertIn(S["peer_kc"], [g["id"] for g in got])
        self.assertIn(S["night_stl"], [g["id"] for g in got])
        self.assertNotIn(S["inactive"], [g["id"] for g in got])
        self.check({"q": f'{WORD} "at night"'})
        self.check({"q": "recovery housing"})
        self.check({"q": f"{WORD} coaching", "lat": KC[0], "lng": KC[1]})

    def test_filters_combine(self):
        self.check({"lat": KC[0], "lng": KC[1], "category": "telephone-support",
                    "cost": "free", "lang": "es", "moud": "true"})

    def test_without_location_by_name(self):
        r = api("services", {"limit": 100})
        body = r.json()
        want, _ = expected(world(), {"now": NOW})
        # More services than a count reads: it says CAP, not exact.
        self.assertGreater(len(want), CAP)
        self.assertEqual((body["count"], body["count_exact"]), (CAP, False))
        self.assertEqual([g["id"] for g in body["services"]], [w[0] for w in want[:100]])
        self.assertNotIn("near", body)

    def test_paging(self):
        params = {"lat": KC[0], "lng": KC[1], "now": NOW}
        whole, count = fetch_all(params)
        pieces, _ = fetch_all(params, page=7)
        self.assertEqual([g["id"] for g in pieces], [g["id"] for g in whole])
        body = api("services", dict(params, offset=count)).json()
        self.assertEqual((body["services"], body["count"], body["offset"]), ([], count, count))
        body = api("services", dict(params, limit=3, offset=2)).json()
        self.assertEqual([g["id"] for g in body["services"]], [g["id"] for g in whole[2:5]])
        self.assertEqual((body["limit"], body["offset"]), (3, 2))
        body = api("services", {"category": "outreach"}).json()
        self.assertEqual((body["limit"], body["offset"]), (25, 0))

    def test_national(self):
        """scope=national: services whose area is a whole country, by name;
        near a point, the country the gazetteer puts it in."""
        got = self.check({"scope": "national"})
        ids = [g["id"] for g in got]
        # The app and the warmline (Missouri and the United States); not the
        # outreach team's polygon, nor the St. Louis line's Missouri.
        self.assertIn(S["app_us"], ids)
        self.assertIn(S["warmline_mo"], ids)
        for s in ("outreach_kc", "both_stl", "peer_kc"):
            self.assertNotIn(S[s], ids)
        n = int(sql_value("""
            SELECT count(DISTINCT a.service_id) FROM hsds.service_area a
            JOIN hsds.service s ON s.id = a.service_id
            WHERE s.listed AND a.country IS NOT NULL AND a.region IS NULL
              AND a.geom IS NULL"""))
        self.assertEqual(len(got), min(n, CAP))
        near = self.check({"lat": KC[0], "lng": KC[1], "scope": "national"})
        self.assertIn(S["app_us"], [g["id"] for g in near])
        self.check({"scope": "national", "category": "digital-recovery"})
        self.assertEqual(api("services", {"lat": 0, "lng": -30, "scope": "national"})
                         .json()["count"], 0)

    def test_national_in_one_country(self):
        """country= narrows scope=national to one country's; alone, or not a
        code, it is a 400 naming country."""
        got = self.check({"scope": "national", "country": "US"})
        want = {r[0] for r in sql("""
            SELECT DISTINCT a.service_id FROM hsds.service_area a
            JOIN hsds.service s ON s.id = a.service_id
            WHERE s.listed AND a.country = 'US' AND a.region IS NULL AND a.geom IS NULL""")}
        self.assertEqual({g["id"] for g in got}, want)
        self.assertIn(S["app_us"], [g["id"] for g in got])
        self.assertEqual(api("services", {"scope": "national", "country": "ZZ"}).json()["count"], 0)
        facets = api("services/facets", {"scope": "national", "country": "US"})
        self.assertEqual(facets.status, 200)
        for bad in ({"country": "US"}, {"scope": "national", "country": "us"},
                    {"scope": "national", "country": "USA"}):
            r = get("/api/v1/services?" + urllib.parse.urlencode(bad))
            self.assertEqual((r.status, r.json()["error"]["param"]), (400, "country"), bad)

    def test_age(self):
        # The fixture's residences take adults (18), its outreach team people
        # of 12 to 24; a service without ages takes any.
        ids = [g["id"] for g in self.check({"lat": KC[0], "lng": KC[1], "age": "16"})]
        self.assertIn(S["outreach_kc"], ids)
        self.assertIn(S["peer_kc"], ids)
        self.assertNotIn(S["house_kc"], ids)
        ids = [g["id"] for g in self.check({"lat": KC[0], "lng": KC[1], "age": "30"})]
        self.assertIn(S["house_kc"], ids)
        self.assertNotIn(S["outreach_kc"], ids)
        ids = [g["id"] for g in self.check({"lat": KC[0], "lng": KC[1], "age": "18",
                                            "category": "recovery-housing"})]
        self.assertIn(S["house_kc"], ids)
        for age in ("12", "24"):  # both ends are in
            self.assertIn(S["outreach_kc"], [g["id"] for g in self.check(
                {"lat": KC[0], "lng": KC[1], "age": age})])
        # Anywhere, and with the other filters.
        self.check({"q": WORD, "age": "16"})
        self.check({"age": "0", "moud": "true"})
        self.check({"age": "120", "lang": "es", "cost": "free"}, at_least=0)

    def test_recovery_housing(self):
        got = self.check({"lat": KC[0], "lng": KC[1], "narr_level": "2"})
        self.assertIn(S["house_kc"], [g["id"] for g in got])
        self.assertTrue(all(g["recovery_housing"]["narr_level"] == 2 for g in got))
        got = self.check({"lat": KC[0], "lng": KC[1], "narr_level": "4,1", "gender": "men"})
        self.assertIn(S["house_men_kc"], [g["id"] for g in got])
        got = self.check({"lat": KC[0], "lng": KC[1], "beds_available": "true"})
        self.assertIn(S["house_kc"], [g["id"] for g in got])
        self.assertNotIn(S["house_men_kc"], [g["id"] for g in got])
        self.assertTrue(all(g["recovery_housing"]["beds_available"] > 0 for g in got))
        got = self.check({"lat": KC[0], "lng": KC[1], "housing_moud": "true"})
        self.assertNotIn(S["house_men_kc"], [g["id"] for g in got])
        self.check({"gender": "women,all", "beds_available": "true"})
        self.check({"narr_level": "3", "housing_moud": "true", "lang": "en"}, at_least=0)
        self.check({"near": "St. Louis, MO", "gender": "all", "radius_km": 50}, at_least=0)
        # Against SQL over the table itself: every residence of a level.
        self.assertEqual(api("services", {"narr_level": "4"}).json()["count"], min(CAP, int(
            sql_value("""SELECT count(*) FROM hsds.recovery_housing r
                         JOIN hsds.service s ON s.id = r.service_id
                         WHERE s.listed AND r.narr_level = 4"""))))

    def test_nothing_in_the_ocean(self):
        body = api("services", {"lat": 0, "lng": -30, "radius_km": 50}).json()
        self.assertEqual(body, {"services": [], "count": 0, "count_exact": True, "limit": 25,
                                "offset": 0})


class OpenNow(unittest.TestCase):
    """open_now across midnight, in other zones, monthly, at an offset."""

    def open_ids(self, **params):
        got, _ = fetch_all(dict(params, open_now="true"))
        return {g["id"] for g in got}

    def night_line_open(self, **params):
        r = api(f"services/{S['night_stl']}", params)
        self.assertEqual(r.status, 200, r.body)
        in_detail = r.json()["open_now"]
        in_search = S["night_stl"] in self.open_ids(lat=STL[0], lng=STL[1], **params)
        self.assertEqual(in_detail, in_search, params)
        return in_detail

    def test_across_midnight_in_los_angeles(self):
        # Every night 22:00-02:00 in Los Angeles.
        self.assertTrue(self.night_line_open(now="2026-11-24T23:30-08:00"))
        self.assertTrue(self.night_line_open(now="2026-11-25T01:30-08:00"))
        self.assertFalse(self.night_line_open(now="2026-11-25T02:30-08:00"))
        self.assertFalse(self.night_line_open(now="2026-11-24T21:59-08:00"))
        self.assertTrue(self.night_line_open(now="2026-11-24T22:00-08:00"))

    def test_seen_from_another_zone(self):
        # 01:30 in Chicago is 23:30 in Los Angeles; 04:30 is 02:30.
        self.assertTrue(self.night_line_open(now="2026-11-25T01:30", tz="America/Chicago"))
        self.assertFalse(self.night_line_open(now="2026-11-25T04:30", tz="America/Chicago"))
        self.assertTrue(self.night_line_open(now="2026-11-25T07:30:00Z"))
        self.assertTrue(self.night_line_open(now="2026-11-25T08:30:00+01:00"))
        # Without tz, a now without an offset is UTC: 07:30Z is 23:30 in LA.
        self.assertTrue(self.night_line_open(now="2026-11-25T07:30"))
        self.assertFalse(self.night_line_open(now="2026-11-25T07:30", tz="Asia/Tokyo"))

    def test_the_model_everywhere(self):
        for now, tz in (("2026-11-25T01:30", "America/Chicago"), ("2026-11-10T19:00-06:00", None),
                        ("2026-11-28T06:30Z", None), ("2026-11-29T03:00", "Europe/Berlin")):
            params = {"now": now, "open_now": "true"}
            if tz:
                params["tz"] = tz
            with self.subTest(now=now, tz=tz):
                Search.check(self, dict(params, lat=KC[0], lng=KC[1]), at_least=0)
                Search.check(self, params, at_least=0)

    def test_weekday_hours_of_a_shared_location(self):
        # The KC office's hours (9-17 weekdays, its zone) count for both
        # services there.
        ids = self.open_ids(lat=KC[0], lng=KC[1], now="2026-11-24T10:00-06:00")
        self.assertLessEqual({S["peer_kc"], S["weekday_kc"]}, ids)
        ids = self.open_ids(lat=KC[0], lng=KC[1], now="2026-11-22T10:00-06:00")  # Sunday
        self.assertFalse({S["peer_kc"], S["weekday_kc"]} & ids)

    def test_monthly_second_tuesday(self):
        # 2026-11-10 is the second Tuesday of November, 2026-11-17 the third.
        at = self.open_ids(lat=KC[0], lng=KC[1], now="2026-11-10T19:00", tz="America/Chicago")
        self.assertIn(S["weekday_kc"], at)
        at = self.open_ids(lat=KC[0], lng=KC[1], now="2026-11-17T19:00", tz="America/Chicago")
        self.assertNotIn(S["weekday_kc"], at)

    def test_offset_zone_and_source_zone(self):
        # The app: Saturdays 08:00-12:00 at +03:00. The warmline: all day,
        # in its source's zone (it has no location).
        self.assertIn(S["app_us"], self.open_ids(lat=KC[0], lng=KC[1], now="2026-11-28T06:00Z"))
        self.assertNotIn(S["app_us"], self.open_ids(lat=KC[0], lng=KC[1],
                                                    now="2026-11-28T09:00Z"))
        self.assertIn(S["warmline_mo"], self.open_ids(lat=KC[0], lng=KC[1], now=NOW))

    def test_unknown_without_schedule(self):
        body = api(f"services/{S['house_kc']}").json()
        self.assertIsNone(body["open_now"])
        self.assertNotIn(S["house_kc"], self.open_ids(lat=KC[0], lng=KC[1], now=NOW))


class Facets(unittest.TestCase):
    def model(self, params):
        params = dict(params)
        params.setdefault("now", NOW)
        order, found = expected(world(), resolved(params))
        exact = True
        if "lat" not in resolved(params) and len(found) > CAP:
            # Anywhere, the facets count the first CAP matches in the list's
            # order (by name without keywords; the models here have none).
            assert "q" not in params
            first = {row[0] for row in order[:CAP]}
            found = [s for s in found if s["id"] in first]
            exact = False
        at = instant(params.get("now"), params.get("tz"))
        counts = {k: {} for k in ("category", "population", "cost", "language", "moud",
                                  "open_now", "narr_level", "gender", "beds_available",
                                  "housing_moud")}
        for s in found:
            for facet, key in (("category", "categories"), ("population", "populations"),
                               ("cost", "costs"), ("language", "languages")):
                for code in s[key]:
                    counts[facet][code] = counts[facet].get(code, 0) + 1
            for facet, value in (("moud", s["moud"]),
                                 ("open_now", world().service_open(s["id"], at))):
                name = "unknown" if value is None else str(value).lower()
                counts[facet][name] = counts[facet].get(name, 0) + 1
            h = world().housing.get(s["id"])
            if h is None:
                continue
            beds = None if h["beds_available"] is None else h["beds_available"] > 0
            for facet, value, unknown in (("narr_level", h["narr_level"], None),
                                          ("gender", h["gender_served"], None),
                                          ("beds_available", beds, "unknown"),
                                          ("housing_moud", h["moud_allowed"], "unknown")):
                name = unknown if value is None else str(value).lower()
                if name is not None:
                    counts[facet][name] = counts[facet].get(name, 0) + 1
        return {"count": len(found), "count_exact": exact, "facets": counts}, params

    def test_against_the_model(self):
        for params in ({"lat": KC[0], "lng": KC[1]},
                       {"lat": KC[0], "lng": KC[1], "category": "telephone-support,outreach"},
                       {"near": "St. Louis, MO", "radius_km": 10, "lang": "es,vi"},
                       {},
                       {"q": WORD},
                       {"population": "families", "moud": "true"},
                       {"open_now": "true", "now": "2026-11-25T01:30", "tz": "America/Chicago",
                        "lat": STL[0], "lng": STL[1]},
                       {"scope": "national"},
                       {"lat": KC[0], "lng": KC[1], "scope": "national"},
                       {"category": "recovery-housing"},
                       {"lat": KC[0], "lng": KC[1], "category": "recovery-housing"},
                       {"lat": KC[0], "lng": KC[1], "narr_level": "2,4", "gender": "men,women"},
                       {"beds_available": "true", "housing_moud": "true"},
                       {"lat": KC[0], "lng": KC[1], "age": "16"}):
            with self.subTest(params=params):
                want, params = self.model(params)
                r = api("services/facets", params)
                self.assertEqual(r.status, 200, r.body)
                self.assertEqual(r.json(), want)

    def test_counts_agree_with_the_search(self):
        params = {"lat": KC[0], "lng": KC[1], "now": NOW}
        facets = api("services/facets", params).json()
        self.assertEqual(facets["count"], api("services", params).json()["count"])
        for value, n in facets["facets"]["category"].items():
            self.assertEqual(api("services", dict(params, category=value)).json()["count"], n)
        self.assertEqual(sum(facets["facets"]["moud"].values()), facets["count"])
        self.assertEqual(sum(facets["facets"]["open_now"].values()), facets["count"])
        # The recovery residences' facets count the residences among them.
        houses = api("services", dict(params, category="recovery-housing")).json()["count"]
        self.assertEqual(sum(facets["facets"]["beds_available"].values()), houses)
        self.assertEqual(sum(facets["facets"]["housing_moud"].values()), houses)
        for facet in ("narr_level", "gender"):
            for value, n in facets["facets"][facet].items():
                self.assertEqual(api("services", dict(params, **{facet: value})).json()["count"],
                                 n, (facet, value))
        self.assertEqual(api("services", dict(params, beds_available="true")).json()["count"],
                         facets["facets"]["beds_available"].get("true", 0))

    def test_no_paging_parameters(self):
        for p in ("limit=5", "offset=1"):
            r = get(f"/api/v1/services/facets?{p}")
            self.assertEqual(r.status, 400)
            self.assertEqual(r.json()["error"]["param"], p.split("=")[0])


class Categories(unittest.TestCase):
    def test_vocabularies(self):
        # Past nginx's cache: another suite may have asked for the
        # vocabularies before this one's probes changed the counts.
        r = get("/api/v1/categories", headers={"Cache-Control": "no-cache"})
        self.assertEqual(r.status, 200, r.body)
        body = r.json()
        self.assertEqual(set(body), {"categories", "populations", "costs", "accessibility"})
        for key, taxonomy in (("categories", "recovery-support"),
                              ("populations", "recovery-population"),
                              ("costs", "recovery-cost"),
                              ("accessibility", "recovery-accessibility")):
            terms = sql_json(f"""
                SELECT t.code, t.name, t.name_es, t.description, t.description_es
                FROM hsds.taxonomy_term t JOIN hsds.taxonomy x ON x.id = t.taxonomy_id
                WHERE x.name = '{taxonomy}' ORDER BY t.position""")
            self.assertGreater(len(terms), 0)
            got = body[key]
            self.assertEqual([t["code"] for t in got], [t["code"] for t in terms])
            for g, t in zip(got, terms):
                want = {k: v for k, v in t.items() if v is not None or k in ("name_es",)}
                if key == "categories":
                    want["services"] = sum(1 for s in world().services.values()
                                           if t["code"] in s["categories"])
                self.assertEqual(g, want)
        peer = body["categories"][0]
        self.assertEqual((peer["code"], peer["name"], peer["name_es"]),
                         ("peer-support", "Peer recovery coaching",
                          "Acompañamiento de pares en recuperación"))
        self.assertNotIn("description", body["populations"][0])

    def test_no_parameters(self):
        r = get("/api/v1/categories?lang=es")
        self.assertEqual((r.status, r.json()["error"]["param"]), (400, "lang"))


class Detail(unittest.TestCase):
    def test_everything_about_a_service(self):
        r = api(f"services/{S['peer_kc']}", {"now": NOW})
        self.assertEqual(r.status, 200, r.body)
        s = r.json()
        self.assertEqual((s["id"], s["name"]), (S["peer_kc"], "Fixture Peer Coaching KC"))
        self.assertEqual(s["organization"], {
            "id": ORG["a"], "name": f"Heartland {WORD} Recovery Alliance",
            "description": "A fictional alliance.", "url": "https://example.org/alliance",
            "email": "hello@example.org"})
        self.assertEqual((s["url"], s["email"]), ("https://example.org/peer", "peer@example.org"))
        self.assertEqual(s["categories"], [{"code": "peer-support",
                                            "name": "Peer recovery coaching",
                                            "name_es": "Acompañamiento de pares en recuperación"}])
        self.assertEqual(s["populations"], ["men", "veterans"])
        self.assertEqual(s["costs"], ["free"])
        self.assertEqual(s["accessibility"], ["wheelchair"])
        self.assertEqual(s["languages"], [{"code": "en", "name": "English"},
                                          {"code": "es", "name": "Spanish"}])
        self.assertEqual((s["moud"], s["last_verified"]), (True, "2026-10-01"))
        self.assertEqual((s["eligibility_description"], s["fees_description"],
                          s["application_process"], s["wait_time"], s["alert"]),
                         ("Adults in recovery.", "No fees.", "Walk in or call.", "Same day",
                          "Closed on Thanksgiving."))
        self.assertEqual(sorted(p["number"] for p in s["phones"]),
                         ["816-555-0101", "816-555-0199"])
        self.assertEqual(s["schedules"], [])
        self.assertEqual(s["peer_support"], {"credential": "Certified Peer Specialist",
                                             "credentialing_body": "Missouri Credentialing Board"})
        self.assertIsNone(s["recovery_housing"])
        self.assertEqual(len(s["locations"]), 1)
        loc = s["locations"][0]
        self.assertEqual((loc["id"], loc["name"], loc["timezone"]),
                         (L["kc1"], "Fixture Downtown Office", "America/Chicago"))
        self.assertAlmostEqual(loc["lat"], KC[0], places=6)
        self.assertAlmostEqual(loc["lng"], KC[1], places=6)
        self.assertEqual([a["address_1"] for a in loc["addresses"]], ["100 Main St", "PO Box 12"])
        self.assertEqual(loc["accessibility"][0]["description"], "Ramp at the side door")
        self.assertEqual([p["number"] for p in loc["phones"]], ["816-555-0100"])
        self.assertEqual(len(loc["schedules"]), 1)
        sc = loc["schedules"][0]
        self.assertEqual((sc["byday"], sc["opens_at"], sc["closes_at"], sc["timezone"],
                          sc["open_now"]),
                         ("MO,TU,WE,TH,FR", "09:00", "17:00", "America/Chicago", True))
        self.assertTrue(s["open_now"])
        self.assertFalse(api(f"services/{S['peer_kc']}",
                             {"now": "2026-11-24T20:00", "tz": "America/Chicago"}
                             ).json()["open_now"])

    def test_housing_areas_costs(self):
        s = api(f"services/{S['house_kc']}").json()
        self.assertEqual(s["recovery_housing"], {
            "narr_level": 2, "certifying_body": "Missouri Coalition of Recovery Support Providers",
            "certification_status": "certified", "moud_allowed": True, "gender_served": "women",
            "population_served": "Women 18 and over", "beds": 12, "beds_available": 3})
        self.assertEqual(s["costs"], ["self-pay", "sliding-scale"])
        self.assertEqual([(c["option"], c["amount"], c["currency"]) for c in s["cost_options"]],
                         [("Weekly rent", 150, "USD")])
        self.assertIsNone(s["peer_support"])
        w = api(f"services/{S['warmline_mo']}").json()
        self.assertEqual(sorted((a["name"], a["country"], a["region"], a["polygon"])
                                for a in w["service_areas"]),
                         [("Missouri", "US", "MO", False), ("United States", "US", None, False)])
        self.assertEqual(w["locations"], [])
        # No location: the schedule is in the source's zone.
        self.assertEqual([(x["timezone"], x["open_now"]) for x in w["schedules"]],
                         [("America/Chicago", True)])
        o = api(f"services/{S['outreach_kc']}").json()
        self.assertEqual([(a["name"], a["polygon"]) for a in o["service_areas"]],
                         [("Kansas City metro", True)])

    def test_schedule_zones(self):
        n = api(f"services/{S['night_stl']}", {"now": "2026-11-25T01:30",
                                               "tz": "America/Chicago"}).json()
        self.assertEqual([(x["opens_at"], x["closes_at"], x["timezone"], x["open_now"])
                          for x in n["schedules"]],
                         [("22:00", "02:00", "America/Los_Angeles", True)])
        a = api(f"services/{S['app_us']}", {"now": "2026-11-28T06:00Z"}).json()
        self.assertEqual([(x["timezone"], x["open_now"]) for x in a["schedules"]],
                         [("+03:00", True)])

    def test_not_found(self):
        for path in ("services/fe5f0000-0000-4000-8000-000000099999",
                     f"services/{S['inactive']}",
                     f"services/{S['peer_kc'].upper()}",
                     "services/not-a-uuid",
                     f"services/{S['peer_kc']}x",
                     "services/123"):
            with self.subTest(path=path):
                r = get("/api/v1/" + path)
                self.assertEqual(r.status, 404, r.body)
                self.assertEqual(r.json()["error"]["code"], "not_found")

    def test_bad_parameters(self):
        for query, param in (("tz=Mars/Base", "tz"), ("now=yesterday", "now"),
                             ("now=2026-02-30T10:00", "now"), ("q=x", "q"), ("tz=", "tz")):
            with self.subTest(query=query):
                r = get(f"/api/v1/services/{S['peer_kc']}?{query}")
                self.assertEqual(r.status, 400, r.body)
                self.assertEqual(r.json()["error"]["param"], param)


class BadParameters(unittest.TestCase):
    CASES = [
        ("color=red", "color", "unknown_parameter"),
        ("category=outreach&category=peer-support", "category", "repeated_parameter"),
        ("lat=39&lat=39&lng=-94", "lat", "repeated_parameter"),
        ("category=", "category", "invalid_parameter"),
        ("q=", "q", "invalid_parameter"),
        ("category=Peer%20Support", "category", "invalid_parameter"),
        ("category=outreach,,peer-support", "category", "invalid_parameter"),
        ("population=" + "x" * 41, "population", "invalid_parameter"),
        ("lang=spa", "lang", "invalid_parameter"),
        ("cost=free;drop", "cost", "invalid_parameter"),
        ("moud=false", "moud", "invalid_parameter"),
        ("open_now=yes", "open_now", "invalid_parameter"),
        ("lat=91&lng=0", "lat", "invalid_parameter"),
        ("lat=39&lng=-181", "lng", "invalid_parameter"),
        ("lat=39&lng=nan", "lng", "invalid_parameter"),
        ("lat=39&lng=-94&radius_km=0", "radius_km", "invalid_parameter"),
        ("lat=39&lng=-94&radius_km=501", "radius_km", "invalid_parameter"),
        ("radius_km=10", "lat", "missing_parameter"),
        ("lat=39", "lng", "missing_parameter"),
        ("lng=-94", "lat", "missing_parameter"),
        ("near=Kansas%20City&lat=39&lng=-94", "near", "invalid_parameter"),
        ("near=Xyzzyplugh%20Qwv", "near", "unknown_place"),
        ("tz=America/Nowhere", "tz", "invalid_parameter"),
        ("tz=not%20a%20zone", "tz", "invalid_parameter"),
        ("now=2026-13-01T10:00", "now", "invalid_parameter"),
        ("now=2026-02-29T10:00", "now", "invalid_parameter"),
        ("now=tomorrow", "now", "invalid_parameter"),
        ("limit=0", "limit", "invalid_parameter"),
        ("limit=101", "limit", "invalid_parameter"),
        ("offset=-1", "offset", "invalid_parameter"),
        ("offset=100001", "offset", "invalid_parameter"),
        ("q=" + "a" * 201, "q", "invalid_parameter"),
        ("q=%01", "q", "invalid_parameter"),
        ("scope=local", "scope", "invalid_parameter"),
        ("scope=", "scope", "invalid_parameter"),
        ("scope=national,local", "scope", "invalid_parameter"),
        ("narr_level=5", "narr_level", "invalid_parameter"),
        ("narr_level=0", "narr_level", "invalid_parameter"),
        ("narr_level=II", "narr_level", "invalid_parameter"),
        ("narr_level=1,,2", "narr_level", "invalid_parameter"),
        ("gender=female", "gender", "invalid_parameter"),
        ("gender=Women", "gender", "invalid_parameter"),
        ("beds_available=false", "beds_available", "invalid_parameter"),
        ("beds_available=1", "beds_available", "invalid_parameter"),
        ("housing_moud=false", "housing_moud", "invalid_parameter"),
        ("narr_level=2&narr_level=3", "narr_level", "repeated_parameter"),
        ("age=-1", "age", "invalid_parameter"),
        ("age=121", "age", "invalid_parameter"),
        ("age=16.5", "age", "invalid_parameter"),
        ("age=teen", "age", "invalid_parameter"),
        ("age=", "age", "invalid_parameter"),
    ]

    def test_each_is_a_400_naming_the_parameter(self):
        for path in ("services", "services/facets"):
            for query, param, code in self.CASES:
                if path.endswith("facets") and param in ("limit", "offset"):
                    continue
                with self.subTest(path=path, query=query):
                    r = get(f"/api/v1/{path}?{query}")
                    self.assertEqual(r.status, 400, r.body)
                    err = r.json()["error"]
                    self.assertEqual((err["param"], err["code"]), (param, code))

    def test_unknown_place_suggests(self):
        r = api("services", {"near": "Kansas Citty, MO"})
        self.assertEqual(r.status, 400)
        err = r.json()["error"]
        self.assertEqual(err["code"], "unknown_place")
        self.assertIn("Kansas City, MO, US", err["suggestions"])

    def test_other_methods(self):
        from harness import request
        r = request("POST", "/api/v1/services")
        self.assertEqual(r.status, 405)


class StatesAndCountries(unittest.TestCase):
    """Issue 13: an area named like a state reaches that state only. Near
    Kansas City, MO, the "peer recovery coaching, open now" search listed
    phone lines for Georgia, Texas and New York, whose areas were named
    like states but stored as the whole country."""

    def state_names(self):
        return {r[0]: r[1] for r in sql("""SELECT DISTINCT region_name, region FROM places
                                          WHERE country = 'US' AND region IS NOT NULL
                                            AND region_name IS NOT NULL""")}

    def reaching(self, country, region):
        """The listed services with an area of that state, from SQL."""
        return {r[0] for r in sql(f"""
            SELECT DISTINCT a.service_id FROM hsds.service_area a
            JOIN hsds.service s ON s.id = a.service_id
            WHERE s.listed AND a.country = '{country}' AND a.region = '{region}'""")}

    def test_kansas_city(self):
        states = self.state_names()
        if "Missouri" not in states:
            self.skipTest("the gazetteer is not loaded")
        for place, region in (("Kansas City, MO", "MO"), ("Kansas City, KS", "KS")):
            for params in ({"near": place, "category": "peer-support", "open_now": "true"},
                           {"near": place}):
                with self.subTest(params=params):
                    got, _ = fetch_all(dict(params, now=NOW))
                    by_area = [g for g in got if g.get("service_area")]
                    # No line of another state: an area named like a state
                    # is that state's.
                    others = [(g["name"], g["service_area"]) for g in by_area
                              if states.get(g["service_area"], region) != region]
                    self.assertEqual(others, [])
                    if "category" not in params:
                        # Every service of the state's own areas is there.
                        self.assertEqual(self.reaching("US", region) - {g["id"] for g in got},
                                         set())
                        self.assertGreater(len(self.reaching("US", region)), 0,
                                           f"a line for {region} (the fixture's or the demo's)")

    def test_no_whole_country_named_like_a_state(self):
        states = self.state_names()
        rows = sql("""SELECT a.name FROM hsds.service_area a
                      JOIN hsds.service s ON s.id = a.service_id
                      WHERE s.listed AND a.country = 'US' AND a.region IS NULL
                        AND a.geom IS NULL AND a.name IS NOT NULL""")
        self.assertEqual(sorted({r[0] for r in rows} & set(states)), [])


class DoneWhen(unittest.TestCase):
    """Issue 5: a search near a city returns meetings and services through
    their endpoints in one page load's worth of requests."""

    def test_meetings_and_services_near_a_city(self):
        city = "Kansas City, MO"
        meetings = api("meetings", {"near": city})
        services = api("services", {"near": city})
        self.assertEqual((meetings.status, services.status), (200, 200))
        self.assertGreater(meetings.json()["count"], 0, "the demo has meetings there")
        self.assertGreater(services.json()["count"], 0)
        self.assertIn(S["peer_kc"], [s["id"] for s in services.json()["services"]] +
                      [s["id"] for s in fetch_all({"near": city})[0]])
        self.assertEqual(meetings.json()["near"], services.json()["near"])


if __name__ == "__main__":
    main()
