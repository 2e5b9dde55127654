"""Every search's work is bounded by its page, not by the data, at scale.

A separate database of the throwaway stack gets PLANS_SIZE demo meetings
(default 200,000) and PLANS_SERVICES demo services (100,000): on a few
thousand rows any plan reads little, so only a large table tells. Each
statement in sql/queries is prepared as the handler prepares it, with the
handler's session settings, and run under EXPLAIN ANALYZE; its parameters
are given by name (harness.query_args: the names of its -- @params line,
NULL unless given).

Rows read: what every scan of a table returned plus what its filter removed,
times its loops (an index-only scan's entries count as rows; a bitmap index
scan's entries, which are not rows, do not, but its heap scan's do). The
bounds (fcgi/src/api_meetings.h, SEARCH_CANDIDATES = 1,000):

  - a meetings search near a point (sql/queries/meetings_near.sql: the count
    and the page) reads at most NEAR_BOUND rows: its 1,000 candidates, the
    meetings tied at the last one's distance, and the reference lists;
  - its facets (meetings_facets_near.sql) at most FACETS_NEAR_BOUND: the
    candidates, and the matches among them again for their columns and
    their places (the region facet);
  - narrowed to a region (NEAR_REGION_SEARCHES), the candidates' places
    too: NEAR_REGION_BOUND, and the facets 2 x CANDIDATES more;
  - a search anywhere (meetings_all.sql, meetings_facets_all.sql) at most
    ALL_BOUND for the common searches below: 1,001 matches, and what the
    filters reject on the way to them, which depends on how many of the
    meetings they keep, not on how many there are (a rare filter is found
    through its own index, which reads that filter's matches; a region
    through its places); their facets (FACETS_ALL_BOUND) the matches'
    places too;
  - a soonest-first page anywhere found by walking the indexes of start
    times (meetings_all_next.sql, its first step) at most NEXT_BOUND;
  - services near a point (services_near.sql and its facets) at most
    SERVICES_NEAR_BOUND: the services at 300 locations and 3 x 301 areas,
    each read with its rows; anywhere, for the common searches, at most
    SERVICES_ALL_BOUND.

The control cases (the exact counts the searches made before) read far more
than these bounds, so the check can fail. A page the candidates do not hold
(meetings_near_page.sql and the *_soonest.sql statements) is bounded by the
radius or the window of start times rather than the page; for those the
test checks that they use their indexes (inside meetings_near_walk(), seen
through auto_explain: the walk outwards, not the box read whole). The
soonest walk's pages are checked against the page made from every match. Counts are checked against SQL
written here over the base tables: exact within the scope they report."""

import glob
import json
import os
import subprocess
import unittest

from harness import ROOT, main, prepared, query_args, query_params, query_text

PLANS_DB = "finder_plans"
PLANS_SIZE = int(os.environ.get("PLANS_SIZE", "200000"))
SERVICES_SIZE = int(os.environ.get("PLANS_SERVICES", "100000"))
SERVICES_DEMO = os.path.join(ROOT, "sql", "demo", "services.sql")
N = "NULL"
CANDIDATES = 1000
NEAR_BOUND = 1500
FACETS_NEAR_BOUND = 3500
ALL_BOUND = 20000
FACETS_ALL_BOUND = ALL_BOUND + CANDIDATES
SERVICES_NEAR_BOUND = 6000
SERVICES_ALL_BOUND = 10000
# Tables scanned, for the rows read: the meetings and services, and what a
# statement reads beside them (locations, areas, places).
SCANS = {"Seq Scan", "Index Scan", "Index Only Scan", "Bitmap Heap Scan", "Tid Scan"}


# The handler's session settings (fcgi/src/db.c: db_connect).
SESSION = ("SET plan_cache_mode = force_custom_plan; SET jit = off;\n"
           "SET max_parallel_workers_per_gather = 0;\n")


def stack_env():
    # The services' size too, so that db-demo loads them once, at that size.
    return dict(os.environ, DB_NAME=PLANS_DB, DEMO_SIZE=str(PLANS_SIZE),
                DEMO_SERVICES=str(SERVICES_SIZE))


def psql(sql_text):
    return subprocess.run(
        [os.path.join(ROOT, "scripts", "stack.sh"), "psql", "-tA", "-c", sql_text],
        env=stack_env(), check=True, capture_output=True, text=True).stdout


def plan_nodes(node):
    yield node
    for child in node.get("Plans", []):
        yield from plan_nodes(child)


def rows_read(plan):
    """The rows a plan's scans of tables read: returned and filtered out."""
    return int(sum((n.get("Actual Rows", 0) + n.get("Rows Removed by Filter", 0)
                    + n.get("Rows Removed by Index Recheck", 0)) * n.get("Actual Loops", 1)
                   for n in plan_nodes(plan) if n["Node Type"] in SCANS))


# The indexes of meetings and locations, one line each: name, definition,
# and whether the table is clustered on it.
INDEXES = ("SELECT c.relname || ': ' || pg_get_indexdef(i.indexrelid)"
           " || CASE WHEN i.indisclustered THEN ' (clustered)' ELSE '' END"
           " FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
           " WHERE i.indrelid IN ('meetings'::regclass, 'locations'::regclass) ORDER BY 1")


class Plans(unittest.TestCase):
    # The indexes as the migrations made them and as the demo's load left
    # them (None when the demo was there before this run).
    indexes_migrated = None
    indexes_loaded = None

    @classmethod
    def setUpClass(cls):
        subprocess.run([os.path.join(ROOT, "scripts", "stack.sh"), "db-start"],
                       env=stack_env(), check=True, capture_output=True)
        loading = psql("SELECT 1 FROM sources WHERE slug = 'demo'").strip() == ""
        if loading:
            Plans.indexes_migrated = psql(INDEXES).splitlines()
        subprocess.run([os.path.join(ROOT, "scripts", "stack.sh"), "db-demo", str(PLANS_SIZE)],
                       env=stack_env(), check=True, capture_output=True)
        if loading:
            Plans.indexes_loaded = psql(INDEXES).splitlines()

    def explain(self, name, values, analyze=False):
        """The plan of sql/queries/NAME.sql prepared as the handler prepares
        it and run with values (its parameters' names to SQL literals; the
        rest NULL), under EXPLAIN ANALYZE when analyze."""
        what = "ANALYZE, FORMAT JSON, VERBOSE" if analyze else "FORMAT JSON, VERBOSE"
        out = psql(SESSION + prepared(name, values).replace("\nEXECUTE ",
                                                            f"\nEXPLAIN ({what}) EXECUTE "))
        return json.loads(out[out.index("["):])[0]["Plan"]

    def explain_sql(self, text):
        out = psql(f"EXPLAIN (ANALYZE, FORMAT JSON, VERBOSE) {text}")
        return json.loads(out[out.index("["):])[0]["Plan"]

    def assert_no_seq_scan(self, name, values, tables=("meetings", "locations")):
        plan = self.explain(name, values)
        scans = [n["Relation Name"] for n in plan_nodes(plan)
                 if n["Node Type"] == "Seq Scan" and n.get("Relation Name") in tables]
        self.assertEqual(scans, [], f"{name}({values}) reads a table sequentially")

    def assert_reads_at_most(self, bound, name, values):
        n = rows_read(self.explain(name, values, analyze=True))
        self.assertLessEqual(n, bound, f"{name}({values}) read {n} rows")
        return n




def near_tail(soonest=False):
    """meetings_near.sql's own parameters after the point: a page of 25."""
    return {"limit": "25", "offset": "0", "candidates": str(CANDIDATES),
            "sort": "true" if soonest else "false"}


def page_tail(limit="25", offset="0"):
    return {"limit": limit, "offset": offset}


CHICAGO = {"lat": "41.88", "lng": "-87.63"}
NOW = "'2026-11-23T18:00-06:00'"

# Searches near Chicago (radius in metres) with the filters of every
# meetings search (sql/queries/include/meetings_filter.sql names them).
NEAR_SEARCHES = {
    "location": {**CHICAGO, "radius": "50000"},
    "location, day and type": {**CHICAGO, "radius": "25000", "day": "'{2}'", "type": "'{O}'"},
    "location and keyword": {**CHICAGO, "radius": "50000", "keywords": "'grupo'"},
    "location, language, moud": {**CHICAGO, "radius": "100000", "moud": "true",
                                 "language": "'{es}'"},
    "location, tonight in Chicago": {**CHICAGO, "radius": "25000", "day": "'{7}'",
                                     "tz": "'America/Chicago'", "now": NOW,
                                     "time_from": "'16:00'", "time_to": "'20:59'"},
    "location, online or hybrid, within the hour": {
        **CHICAGO, "radius": "25000", "attendance": "'{online,hybrid}'", "now": NOW,
        "within": "60"},
}
# Searches near Chicago narrowed to neighbourhoods (the demo's regions) or
# to a city: the candidates' places are read too, each looked up once or,
# where the planner finds it cheaper, the region's places at once (2,300
# for two neighbourhoods of every US city at 200,000 meetings), so they
# read at most NEAR_REGION_BOUND rows (facets: FACETS_NEAR_BOUND + 2 x
# CANDIDATES).
NEAR_REGION_SEARCHES = {
    "location and neighbourhoods": {**CHICAGO, "radius": "25000",
                                    "region": "'{Lincoln Park,HILLCREST}'"},
    "location, a city and a day": {**CHICAGO, "radius": "50000", "day": "'{2}'",
                                   "region": "'{Chicago}'"},
}
NEAR_REGION_BOUND = NEAR_BOUND + 2 * CANDIDATES
# Searches anywhere: the filters of meetings_all. Common ones: the bound
# holds for them.
LANDING = {"attendance": "'{online,hybrid}'", "tz": "'America/Chicago'", "now": NOW}
ALL_SEARCHES = {
    "every meeting": {"now": NOW},
    "online and hybrid (the landing page)": LANDING,
    "a common keyword": {"keywords": "'group'", "now": NOW},
    "a fellowship": {"fellowship": "'{aa}'", "now": NOW},
    "online, starting within the hour": {"attendance": "'{online}'", "tz": "'America/Chicago'",
                                         "now": NOW, "within": "60"},
    "on now": {"now": NOW, "in_progress": "true"},
    # A neighbourhood of every US city (a fortieth of their meetings), found
    # through its places.
    "a neighbourhood": {"now": NOW, "region": "'{Lincoln Park}'"},
}
# The searches anywhere that meetings_all_next.sql serves soonest first
# (no day, time of day or in progress), and at most how many rows its first
# step reads: its two walks of four pages' worth of matches each (100 for
# a page of 25), the rows their filters reject on the way, and at most the
# page's worth of meetings by appointment.
NEXT_SEARCHES = ("every meeting", "online and hybrid (the landing page)", "a common keyword",
                 "a fellowship", "online, starting within the hour")
NEXT_BOUND = 8000
# Pages of those searches: what, the filters, limit, offset.
NEXT_PAGES = [
    ("landing", LANDING, "25", "0"),
    ("landing, the busiest minute, seconds past it",
     {**LANDING, "now": "'2026-12-07T01:00:30Z'"}, "25", "0"),
    ("landing, deep", LANDING, "100", "900"),
    ("landing, one at a time", {**LANDING, "now": "'2026-12-08T00:59Z'"}, "1", "7"),
    ("every meeting, as the US springs forward", {"now": "'2026-03-08T07:30Z'"}, "50", "0"),
    ("every meeting, as Europe falls back", {"now": "'2026-10-25T00:45Z'"}, "25", "40"),
    ("every meeting, as the US falls back", {"now": "'2026-11-01T05:40Z'"}, "25", "0"),
    ("every meeting, in July", {"now": "'2026-07-12T01:59:59Z'"}, "30", "0"),
    ("a common keyword", ALL_SEARCHES["a common keyword"], "25", "10"),
    ("a fellowship and a language", {"fellowship": "'{aa}'", "language": "'{es}'",
                                     "now": "'2026-12-09T13:30Z'"}, "25", "0"),
    ("online, starting within the hour", ALL_SEARCHES["online, starting within the hour"],
     "25", "0"),
    ("in person within half an hour, the busiest minute",
     {"attendance": "'{in_person}'", "now": "'2026-12-07T00:45Z'", "within": "30"}, "25", "0"),
    ("a city's meetings", {"now": "'2026-12-09T13:30Z'", "region": "'{New York}'"},
     "25", "0"),
]
# Rare filters, found through their own indexes: these use them.
RARE_SEARCHES = {
    "a phrase": {"keywords": "'\"un dia a la vez\"'", "now": NOW},
    "a language": {"language": "'{de}'", "now": NOW},
    "types": {"type": "'{LGBTQ,W}'", "now": NOW},
    "today in the evening, in New York": {"day": "'{7}'", "tz": "'America/New_York'",
                                          "now": NOW, "time_from": "'16:00'",
                                          "time_to": "'20:59'"},
    "Wednesday mornings in each zone": {"day": "'{3}'", "now": NOW, "time_from": "'04:00'",
                                        "time_to": "'11:59'"},
    "a small city": {"now": NOW, "region": "'{boise}'"},
    "a small city, on Mondays": {"day": "'{1}'", "now": NOW, "region": "'{BOISE}'"},
}


class MeetingPlans(Plans):
    def test_the_demo_load_leaves_the_migrations_indexes(self):
        # demo.load builds the secondary indexes of the empty tables after
        # their rows, from their definitions in the catalog; db_demo marks
        # the spatial index, as CLUSTER on it did.
        if Plans.indexes_migrated is None:
            self.skipTest(f"the demo was in {PLANS_DB} before this run")
        want = [line + " (clustered)" if line.startswith("meetings_geog_idx:") else line
                for line in Plans.indexes_migrated]
        self.assertIn("meetings_geog_idx: CREATE INDEX", " ".join(want))
        self.assertEqual(Plans.indexes_loaded, want)

    def test_near_reads_a_bounded_number_of_rows(self):
        for what, args in NEAR_SEARCHES.items():
            for soonest in (False, True):
                with self.subTest(what, soonest=soonest):
                    self.assert_reads_at_most(NEAR_BOUND, "meetings_near",
                                              {**args, **near_tail(soonest)})
            with self.subTest(what, facets=True):
                self.assert_reads_at_most(FACETS_NEAR_BOUND, "meetings_facets_near",
                                          {**args, "candidates": str(CANDIDATES)})

    def test_a_region_near_a_point_reads_a_bounded_number_of_rows(self):
        for what, args in NEAR_REGION_SEARCHES.items():
            for soonest in (False, True):
                with self.subTest(what, soonest=soonest):
                    self.assert_reads_at_most(NEAR_REGION_BOUND, "meetings_near",
                                              {**args, **near_tail(soonest)})
            with self.subTest(what, facets=True):
                self.assert_reads_at_most(FACETS_NEAR_BOUND + 2 * CANDIDATES,
                                          "meetings_facets_near",
                                          {**args, "candidates": str(CANDIDATES)})

    def test_anywhere_reads_a_bounded_number_of_rows(self):
        for what, args in ALL_SEARCHES.items():
            for soonest in (False, True):
                with self.subTest(what, soonest=soonest):
                    self.assert_reads_at_most(ALL_BOUND, "meetings_all",
                                              {**args, **near_tail(soonest)})
            with self.subTest(what, facets=True):
                self.assert_reads_at_most(FACETS_ALL_BOUND, "meetings_facets_all",
                                          {**args, "candidates": str(CANDIDATES)})
            if what in NEXT_SEARCHES:
                with self.subTest(what, walk=True):
                    self.assert_reads_at_most(NEXT_BOUND, "meetings_all_next",
                                              {**args, **page_tail(), "step": "0"})

    def test_the_bounds_can_fail(self):
        # The exact counts the searches made before read every match.
        lat, lng = CHICAGO["lat"], CHICAGO["lng"]
        near = rows_read(self.explain_sql(f"""
            SELECT count(*) FROM meetings
            WHERE active AND ST_DWithin(geog, ST_SetSRID(ST_MakePoint({lng}, {lat}), 4326)
                                              ::geography, 100000, false)"""))
        self.assertGreater(near, 3 * NEAR_BOUND)
        anywhere = rows_read(self.explain_sql(
            "SELECT count(*) FROM meetings WHERE active AND attendance IN ('online', 'hybrid')"))
        self.assertGreater(anywhere, 3 * ALL_BOUND)

    def test_every_statement_uses_its_indexes(self):
        for what, args in {**NEAR_SEARCHES, **NEAR_REGION_SEARCHES}.items():
            with self.subTest(what):
                for soonest in (False, True):
                    self.assert_no_seq_scan("meetings_near", {**args, **near_tail(soonest)})
                self.assert_no_seq_scan("meetings_near_page", {**args, **page_tail()})
                self.assert_no_seq_scan("meetings_near_soonest", {**args, **page_tail()})
                self.assert_no_seq_scan("meetings_facets_near",
                                        {**args, "candidates": str(CANDIDATES)})
        for what, args in {**ALL_SEARCHES, **RARE_SEARCHES}.items():
            with self.subTest(what):
                self.assert_no_seq_scan("meetings_all", {**args, **near_tail(soonest=True)})
                self.assert_no_seq_scan("meetings_facets_all",
                                        {**args, "candidates": str(CANDIDATES)})
                for step in ("0", "1", "2"):
                    self.assert_no_seq_scan("meetings_all_soonest",
                                            {**args, **page_tail(), "step": step})
                    self.assert_no_seq_scan("meetings_all_next",
                                            {**args, **page_tail(), "step": step})

    def page(self, name, values):
        """The ids of the page of sql/queries/NAME.sql run with values, and
        whether its rows say in_window (all of them)."""
        out = psql(SESSION + prepared(name, values).replace("\nEXECUTE ",
                                                            "\nCREATE TEMP TABLE r AS EXECUTE ")
                   + ";\n"
                   "SELECT coalesce(string_agg(id::text, ' '), ''), coalesce(bool_and(in_window), false)"
                   " FROM r WHERE id IS NOT NULL").strip().splitlines()[-1]
        ids, proven = out.split("|")
        return ids.split(), proven == "t"

    def test_the_soonest_walk_finds_the_true_page(self):
        # meetings_all_next.sql's page, at each step that says it is the
        # true one (in_window) and at the last (every match), is the page
        # meetings_all.sql makes from every match (a cap past them all):
        # at the busiest minutes (ten thousand meetings at 19:00 in the
        # Central zone at a million), at a now with seconds, around the
        # changes of daylight time, deep pages, ties by id.
        proven_first = 0
        for what, args, limit, offset in NEXT_PAGES:
            with self.subTest(what, limit=limit, offset=offset):
                want, _ = self.page("meetings_all", {**args, **page_tail(limit, offset),
                                                     "candidates": "1000000", "sort": "true"})
                self.assertEqual(len(want), int(limit))
                for step in ("0", "1", "2"):
                    ids, proven = self.page("meetings_all_next",
                                            {**args, **page_tail(limit, offset), "step": step})
                    if proven:
                        self.assertEqual(ids, want, f"step {step}")
                        proven_first += step == "0"
                        break
                ids, proven = self.page("meetings_all_next", {**args, **page_tail(limit, offset)})
                self.assertEqual((ids, proven), (want, True), "every match")
        # The first step proves nearly every page: it is the one that reads little.
        self.assertGreaterEqual(proven_first, len(NEXT_PAGES) - 2)

    def nested_plans(self, name, values):
        """The plans of the statements a function inside sql/queries/NAME.sql
        runs (auto_explain logs nested statements: EXPLAIN shows a
        function's scan, not its plan), each with its query text."""
        out = subprocess.run(
            [os.path.join(ROOT, "scripts", "stack.sh"), "psql", "-tA"],
            input=SESSION + "LOAD 'auto_explain';\n"
            "SET auto_explain.log_min_duration = 0; SET auto_explain.log_analyze = on;\n"
            "SET auto_explain.log_nested_statements = on; SET auto_explain.log_format = json;\n"
            "SET auto_explain.log_level = warning;\n"
            + prepared(name, values) + ";\n",
            env=stack_env(), check=True, capture_output=True, text=True).stderr
        for block in out.split("WARNING:")[1:]:
            doc = json.loads(block[block.index("{"):])
            yield doc["Query Text"], doc["Plan"]

    def test_a_near_page_walks_outwards(self):
        # meetings_near_page.sql's walk (meetings_near_walk() in
        # sql/views/41_meetings_walk.sql) follows the spatial index
        # outwards, ordered by distance, rather than reading the radius's
        # box and sorting it; where matches are common it reads about the
        # page.
        for what, args in {**NEAR_SEARCHES, **NEAR_REGION_SEARCHES}.items():
            with self.subTest(what):
                walks = [plan for query, plan in self.nested_plans(
                    "meetings_near_page", {**args, **page_tail()})
                         if "FROM meetings m" in query]
                self.assertEqual(len(walks), 1)
                scans = [(n["Node Type"].replace("Index Only Scan", "Index Scan"),
                          n.get("Index Name")) for n in plan_nodes(walks[0])
                         if n.get("Relation Name") == "meetings"]
                self.assertEqual(scans, [("Index Scan", "meetings_earth_idx")])
                if what in ("location", "location, day and type"):
                    self.assertLessEqual(rows_read(walks[0]), NEAR_BOUND)

    def test_one_meeting(self):
        self.assert_no_seq_scan("meeting_by_id", ("12345",))
        self.assert_no_seq_scan("meetings_at_location", ("12345",))

    def count_near(self, lat, lng, metres, extra=""):
        """SQL over the base tables: active meetings within metres of the
        point (by PostGIS's own distance on the sphere), with extra."""
        return int(psql(f"""
            SELECT count(*) FROM meetings m JOIN locations l ON l.id = m.location_id
            WHERE m.active AND l.geog IS NOT NULL
              AND ST_Distance(l.geog, ST_SetSRID(ST_MakePoint({lng}, {lat}), 4326)::geography,
                              false) <= {metres} {extra}""").strip())

    def near_count(self, values):
        """count, count_exact and reach_km of meetings_near for values."""
        out = psql(SESSION + prepared("meetings_near", {**values, **near_tail()})
                   .replace("\nEXECUTE ", "\nCREATE TEMP TABLE r AS EXECUTE ") + ";\n"
                   "SELECT count, count_exact, reach_km FROM r LIMIT 1").strip().splitlines()
        count, exact, reach = out[-1].split("|")
        return int(count), exact == "t", float(reach)

    def test_counts_are_exact_within_their_scope(self):
        # Chicago, 50 km: far more meetings than candidates; the count is
        # every match within reach_km (1 m either way: it is rounded).
        count, exact, reach = self.near_count(NEAR_SEARCHES["location"])
        self.assertFalse(exact)
        self.assertLess(reach, 50)
        lat, lng = CHICAGO["lat"], CHICAGO["lng"]
        self.assertLessEqual(self.count_near(lat, lng, reach * 1000 - 1), count)
        self.assertLessEqual(count, self.count_near(lat, lng, reach * 1000 + 1))
        self.assertGreaterEqual(count, CANDIDATES - 50)  # nearly all candidates match
        args = NEAR_SEARCHES["location, day and type"]
        count, exact, reach = self.near_count(args)
        where = "AND m.day = 2 AND 'O' = ANY (m.types)"
        self.assertLessEqual(self.count_near(lat, lng, reach * 1000 - 1, where), count)
        self.assertLessEqual(count, self.count_near(lat, lng, reach * 1000 + 1, where))
        # Away from the demo's cities, the radius holds fewer meetings than
        # the candidates: exact.
        for lat, lng in (("44.0", "-90.0"), ("0", "-30")):
            count, exact, _ = self.near_count({"lat": lat, "lng": lng, "radius": "100000"})
            self.assertTrue(exact)
            self.assertEqual(count, self.count_near(lat, lng, 100000))


# The services search (sql/queries/services_*.sql), with the filters of every
# services search (sql/queries/include/services_filter.sql names them).
SERVICE_TABLES = ("service", "location", "service_at_location", "service_area")
# scope=national as the handler sends it ('*': the point's country near a
# point, any country anywhere), and the recovery residences' filters.
NATIONAL = {"national": "'*'"}
HOUSING = {"narr_level": "'{2,3}'", "gender": "'{women,all}'", "beds_available": "true",
           "housing_moud": "true"}
SERVICES_NEAR_SEARCHES = {
    "location": {**CHICAGO, "radius": "25000"},
    "location and category": {**CHICAGO, "radius": "25000",
                              "category": "'{peer-support,outreach}'"},
    "location, language, moud, open now": {**CHICAGO, "radius": "50000", "language": "'{es}'",
                                           "moud": "true", "open_now": "true",
                                           "tz": "'America/Chicago'", "now": NOW},
    "location and keyword": {**CHICAGO, "radius": "100000", "keywords": "'recovery coaching'"},
    "location, national": {**CHICAGO, "radius": "25000", **NATIONAL},
    "location, recovery housing": {**CHICAGO, "radius": "25000", **HOUSING},
    "location, a teenager": {**CHICAGO, "radius": "25000", "age": "16"},
}
SERVICES_ALL_SEARCHES = {
    "every service": {},
    "category": {"category": "'{recovery-housing}'"},
    "keyword": {"keywords": "'\"recovery housing\"'"},
    "keyword and category": {"category": "'{peer-support}'", "keywords": "'coaching'"},
    "national": NATIONAL,
    "a teenager": {"age": "16"},
}
# Rarer ones: those use their indexes.
SERVICES_RARE_SEARCHES = {
    "categories and population": {"category": "'{family-support,employment}'",
                                  "population": "'{veterans}'"},
    "a language and a cost": {"language": "'{vi}'", "cost": "'{medicaid}'"},
    "recovery housing": HOUSING,
}
SERVICES_NEAR_CANDIDATES = "300"  # fcgi/src/api_services.c: SERVICE_CANDIDATES_NEAR


class ServicePlans(Plans):
    @classmethod
    def setUpClass(cls):
        if not os.path.exists(SERVICES_DEMO):
            raise unittest.SkipTest(f"{SERVICES_DEMO} is absent: no demo services to plan on")
        super().setUpClass()
        have = int(psql("SELECT count(*) FROM hsds.service s JOIN sources x "
                        "ON x.id = s.source_id WHERE x.slug = 'demo-services'").strip())
        if have < SERVICES_SIZE:
            subprocess.run(
                [os.path.join(ROOT, "scripts", "stack.sh"), "psql", "-f",
                 os.path.join(ROOT, "sql", "demo", "demo.sql"), "-f", SERVICES_DEMO,
                 "-c", f"SELECT demo.load_services({SERVICES_SIZE})", "-c", "VACUUM ANALYZE"],
                env=stack_env(), check=True, capture_output=True)

    def assert_no_service_seq_scan(self, name, values):
        plan = self.explain(name, values)
        scans = [n["Relation Name"] for n in plan_nodes(plan)
                 if n["Node Type"] == "Seq Scan" and n.get("Schema") == "hsds"
                 and n.get("Relation Name") in SERVICE_TABLES]
        self.assertEqual(scans, [], f"{name}({values}) reads a table sequentially")

    def test_there_are_services(self):
        self.assertGreaterEqual(int(psql("SELECT count(*) FROM hsds.service").strip()),
                                SERVICES_SIZE)

    def test_near_reads_a_bounded_number_of_rows(self):
        for what, args in SERVICES_NEAR_SEARCHES.items():
            with self.subTest(what):
                candidates = {"candidates": SERVICES_NEAR_CANDIDATES}
                self.assert_reads_at_most(SERVICES_NEAR_BOUND, "services_near",
                                          {**args, **page_tail(), **candidates})
                self.assert_reads_at_most(SERVICES_NEAR_BOUND, "services_facets_near",
                                          {**args, **candidates})
                self.assert_no_service_seq_scan("services_near_page", {**args, **page_tail()})

    def test_anywhere_reads_a_bounded_number_of_rows(self):
        for what, args in SERVICES_ALL_SEARCHES.items():
            with self.subTest(what):
                candidates = {"candidates": str(CANDIDATES)}
                self.assert_reads_at_most(SERVICES_ALL_BOUND, "services_all",
                                          {**args, **page_tail(), **candidates})
                self.assert_reads_at_most(SERVICES_ALL_BOUND, "services_facets_all",
                                          {**args, **candidates})
        for what, args in SERVICES_RARE_SEARCHES.items():
            with self.subTest(what):
                self.assert_no_service_seq_scan("services_all", {**args, **page_tail(),
                                                                 "candidates": str(CANDIDATES)})

    def test_the_bounds_can_fail(self):
        # The facets of every service, as they were counted before, read them all.
        anywhere = rows_read(self.explain_sql(
            "SELECT count(*), count(*) FILTER (WHERE category_codes && '{peer-support}') "
            "FROM hsds.service WHERE listed"))
        self.assertGreater(anywhere, 3 * SERVICES_ALL_BOUND)

    def test_one_service_and_the_categories(self):
        some = psql("SELECT id FROM hsds.service ORDER BY id LIMIT 1").strip()
        self.assert_no_service_seq_scan("service_by_id", (f"'{some}'", N, N))
        self.assert_no_service_seq_scan("categories", ())


class QueryFragments(unittest.TestCase):
    """The meetings and the services searches' filter blocks live once
    (sql/queries/include/meetings_filter.sql, services_filter.sql) and
    scripts/sqlinc.sh splices them in and numbers the parameters by name;
    no database needed."""

    QUERIES = os.path.join(ROOT, "sql", "queries")
    SEARCHES = ("meetings_near", "meetings_near_page", "meetings_near_soonest",
                "meetings_facets_near", "meetings_all", "meetings_all_soonest",
                "meetings_all_next", "meetings_facets_all")
    SERVICE_SEARCHES = ("services_near", "services_near_page", "services_facets_near",
                        "services_all", "services_facets_all")

    def sqlinc(self, path, *options):
        return subprocess.run([os.path.join(ROOT, "scripts", "sqlinc.sh"), *options, path],
                              capture_output=True, text=True)

    def test_no_statement_repeats_the_filter_block(self):
        # A condition of each block, which only its fragment may hold: not
        # a statement, nor the walk of sql/views/ (its own definition of
        # meeting_filter aside).
        views = glob.glob(os.path.join(ROOT, "sql", "views", "*.sql"))
        for path in sorted(glob.glob(os.path.join(self.QUERIES, "*.sql")) + views):
            with open(path) as f:
                text = f.read()
            for condition in ("AND meeting_filter(", "(SELECT day_prefilter(",
                              "WHERE l.id = m.location_id", "s.category_codes &&",
                              "r.moud_allowed =", "@> hsds.week_minute(search_now("):
                self.assertNotIn(condition, text, path)

    def test_the_walk_filters_as_the_statements(self):
        # Its body gets the block spliced in, the names numbered as its
        # arguments: $4 the days to $18 the regions.
        text = subprocess.run(
            [os.path.join(ROOT, "scripts", "sqlinc.sh"),
             os.path.join(ROOT, "sql", "views", "41_meetings_walk.sql")],
            check=True, capture_output=True, text=True).stdout
        self.assertNotRegex(text, r"\$[a-z_]", "a name left")
        self.assertIn("AND meeting_filter(m.fellowship_id", text)
        self.assertIn("(SELECT day_prefilter($4::smallint[], $12::text, "
                      "search_now($13::text, $12::text)))", text)
        self.assertIn("place_keys($18::text[])", text)
        self.assertIn("FETCH FIRST (n) ROWS WITH TIES", text)

    def test_near_and_anywhere_number_the_service_filters_alike(self):
        # $1 to $14 in each, in the fragment's order; the point after them.
        for name in self.SERVICE_SEARCHES:
            text = query_text(name)
            self.assertNotRegex(text, r"\$[a-z_]", name)
            self.assertIn("($1::text[] IS NULL OR s.category_codes && $1)", text, name)
            self.assertIn("search_now($9::text, $8::text)", text, name)
            self.assertIn("($10::text IS NULL", text, name)
            self.assertIn("($14::boolean IS NULL OR r.moud_allowed = $14)", text, name)
            if "near" in name:  # the point after the filters, whatever their number
                lat = query_params(name).index("lat") + 1
                self.assertGreater(lat, 14)
                self.assertIn(f"hsds.point_area(${lat}, ${lat + 1})", text, name)

    def test_near_and_anywhere_number_the_filters_alike(self):
        # The filters are $1 to $15 in each search, in the fragment's order:
        # the day first, the region last; the statements' own after them.
        for name in self.SEARCHES:
            text = query_text(name)
            self.assertNotRegex(text, r"\$[a-z_]", name)
            for sql_line in text.splitlines():
                if "day_prefilter(" in sql_line:
                    self.assertIn("day_prefilter($1::smallint[], $9::text", sql_line, name)
            if name != "meetings_near_page":  # the walk's function filters
                self.assertIn("($15::text[] IS NULL", text, name)
        # The statements' own after them (a new filter moves them on).
        lat = query_params("meetings_near").index("lat") + 1
        self.assertGreater(lat, 15)
        self.assertIn(f"earth_point(${lat}, ${lat + 1})", query_text("meetings_near"))
        limit = query_params("meetings_all").index("limit") + 1
        self.assertIn(f"LIMIT ${limit}::bigint", query_text("meetings_all"))

    def test_a_mistake_fails_the_build(self):
        import tempfile
        with tempfile.TemporaryDirectory() as d:
            os.mkdir(os.path.join(d, "include"))
            with open(os.path.join(d, "include", "f.sql"), "w") as f:
                f.write("-- @params a b\nAND x = $b\n")
            cases = {
                "-- @params @f c\nSELECT $c\n  -- @include f\n": (0, "SELECT $3\n  AND x = $2\n"),
                "-- @params @f c\nSELECT $d\n": (1, "no parameter d"),
                "-- @params @f a\nSELECT 1\n": (1, "parameter a twice"),
                "SELECT 1\n-- @include g\n": (1, "no fragment"),
                "-- @params @g\nSELECT 1\n": (1, "no -- @params line"),
            }
            for text, (rc, want) in cases.items():
                path = os.path.join(d, "q.sql")
                with open(path, "w") as f:
                    f.write(text)
                r = self.sqlinc(path)
                self.assertEqual(r.returncode != 0, rc == 1, text + r.stderr)
                self.assertIn(want, r.stdout if rc == 0 else r.stderr, text)
            # -p: the names in order, the fragment's in place, as the tests
            # and make bench bind values.
            with open(path, "w") as f:
                f.write("-- @params x @f c\nSELECT $c, $x\n  -- @include f\n")
            self.assertEqual(self.sqlinc(path, "-p").stdout, "x a b c\n")

    def test_values_are_bound_by_name(self):
        names = query_params("services_near")
        self.assertEqual(names[:2], ("category", "population"))
        args = query_args("services_near", {"lat": "1", "limit": "25", "category": "'{a}'"})
        self.assertEqual(len(args), len(names))
        self.assertEqual([args[names.index(n)] for n in ("category", "lat", "limit", "radius")],
                         ["'{a}'", "1", "25", "NULL"])
        with self.assertRaisesRegex(ValueError, "takes no parameter lat"):
            query_args("services_all", {"lat": "1"})
        with self.assertRaisesRegex(ValueError, "give them by name"):
            query_args("services_all", ("1",))
        self.assertEqual(query_args("meeting_by_id", ("7",)), ["7"])


if __name__ == "__main__":
    main()
