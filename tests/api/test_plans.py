"""Every search's work is bounded by its page, not by the data, at scale.

A separate database of the throwaway stack gets PLANS_SIZE demo meetings
(default 200,000) and PLANS_SERVICES demo services (100,000): on a few
thousand rows any plan reads little, so only a large table tells. Each
statement in sql/queries is prepared as the handler prepares it, with the
handler's session settings, and run under EXPLAIN ANALYZE.

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

import json
import os
import subprocess
import unittest

from harness import ROOT, main, query_text

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

    def explain(self, name, types, args, analyze=False):
        """The plan of sql/queries/NAME.sql prepared with parameter types and
        run with args (SQL literals), under EXPLAIN ANALYZE when analyze."""
        text = query_text(name)
        what = "ANALYZE, FORMAT JSON, VERBOSE" if analyze else "FORMAT JSON, VERBOSE"
        out = psql(SESSION + f"PREPARE q({types}) AS {text};\n"
                   f"EXPLAIN ({what}) EXECUTE q({', '.join(args)})")
        return json.loads(out[out.index("["):])[0]["Plan"]

    def explain_sql(self, text):
        out = psql(f"EXPLAIN (ANALYZE, FORMAT JSON, VERBOSE) {text}")
        return json.loads(out[out.index("["):])[0]["Plan"]

    def assert_no_seq_scan(self, name, types, args, tables=("meetings", "locations")):
        plan = self.explain(name, types, args)
        scans = [n["Relation Name"] for n in plan_nodes(plan)
                 if n["Node Type"] == "Seq Scan" and n.get("Relation Name") in tables]
        self.assertEqual(scans, [], f"{name}({', '.join(args)}) reads a table sequentially")

    def assert_reads_at_most(self, bound, name, types, args):
        n = rows_read(self.explain(name, types, args, analyze=True))
        self.assertLessEqual(n, bound, f"{name}({', '.join(args)}) read {n} rows")
        return n


TIME_TYPES = "text, text, time, time, integer, boolean"
FILTER_TYPES = ("smallint[], text[], text[], text[], boolean, boolean, text[], text, "
                + TIME_TYPES + ", text[]")
NEAR_TYPES = FILTER_TYPES + ", float8, float8, float8"
NEAR_TAIL_TYPES = ", bigint, bigint, bigint, boolean"
ALL_TAIL_TYPES = ", bigint, bigint, bigint, boolean"
NO_TIME = (N,) * 6
ANY_REGION = (N,)


def near_tail(soonest=False):
    return ("25", "0", str(CANDIDATES), "true" if soonest else "false")


CHICAGO = ("41.88", "-87.63")
NOW = "'2026-11-23T18:00-06:00'"


def located(args):
    """Arguments written location first (lat, lng, metres, then the
    filters) in the near statements' order: the fifteen filters, then the
    location ($16 to $18)."""
    return tuple(args[3:]) + tuple(args[:3])


# Searches near Chicago (lat, lng, metres), then the filters of meetings_near:
# days, fellowships, types, attendance, family, moud, languages, keywords,
# tz, now, the window of start times, starting within, in progress, regions.
NEAR_SEARCHES = {
    "location": CHICAGO + ("50000", N, N, N, N, N, N, N, N) + NO_TIME + ANY_REGION,
    "location, day and type": CHICAGO + ("25000", "'{2}'", N, "'{O}'", N, N, N, N, N) + NO_TIME
    + ANY_REGION,
    "location and keyword": CHICAGO + ("50000", N, N, N, N, N, N, N, "'grupo'") + NO_TIME
    + ANY_REGION,
    "location, language, moud": CHICAGO + ("100000", N, N, N, N, N, "true", "'{es}'", N)
    + NO_TIME + ANY_REGION,
    "location, tonight in Chicago": CHICAGO + ("25000", "'{7}'", N, N, N, N, N, N, N,
                                               "'America/Chicago'", NOW, "'16:00'", "'20:59'",
                                               N, N) + ANY_REGION,
    "location, online or hybrid, within the hour": CHICAGO + (
        "25000", N, N, N, "'{online,hybrid}'", N, N, N, N, N, NOW, N, N, "60", N) + ANY_REGION,
}
NEAR_SEARCHES = {k: located(v) for k, v in NEAR_SEARCHES.items()}
# Searches near Chicago narrowed to neighbourhoods (the demo's regions) or
# to a city: the candidates' places are read too, each looked up once or,
# where the planner finds it cheaper, the region's places at once (2,300
# for two neighbourhoods of every US city at 200,000 meetings), so they
# read at most NEAR_REGION_BOUND rows (facets: FACETS_NEAR_BOUND + 2 x
# CANDIDATES).
NEAR_REGION_SEARCHES = {
    "location and neighbourhoods": CHICAGO + ("25000",) + (N,) * 8 + NO_TIME
    + ("'{Lincoln Park,HILLCREST}'",),
    "location, a city and a day": CHICAGO + ("50000", "'{2}'") + (N,) * 7 + NO_TIME
    + ("'{Chicago}'",),
}
NEAR_REGION_SEARCHES = {k: located(v) for k, v in NEAR_REGION_SEARCHES.items()}
NEAR_REGION_BOUND = NEAR_BOUND + 2 * CANDIDATES
# Searches anywhere: the filters of meetings_all. Common ones: the bound
# holds for them.
ALL_SEARCHES = {
    "every meeting": (N,) * 9 + (NOW, N, N, N, N) + ANY_REGION,
    "online and hybrid (the landing page)": (N, N, N, "'{online,hybrid}'", N, N, N, N,
                                             "'America/Chicago'", NOW, N, N, N, N) + ANY_REGION,
    "a common keyword": (N,) * 7 + ("'group'", N, NOW, N, N, N, N) + ANY_REGION,
    "a fellowship": (N, "'{aa}'") + (N,) * 7 + (NOW, N, N, N, N) + ANY_REGION,
    "online, starting within the hour": (N, N, N, "'{online}'", N, N, N, N,
                                         "'America/Chicago'", NOW, N, N, "60", N) + ANY_REGION,
    "on now": (N,) * 9 + (NOW, N, N, N, "true") + ANY_REGION,
    # A neighbourhood of every US city (a fortieth of their meetings), found
    # through its places.
    "a neighbourhood": (N,) * 9 + (NOW, N, N, N, N, "'{Lincoln Park}'"),
}
# The searches anywhere that meetings_all_next.sql serves soonest first
# (no day, time of day or in progress), and at most how many rows its first
# step reads: its two walks of four pages' worth of matches each (100 for
# a page of 25), the rows their filters reject on the way, and at most the
# page's worth of meetings by appointment.
NEXT_SEARCHES = ("every meeting", "online and hybrid (the landing page)", "a common keyword",
                 "a fellowship", "online, starting within the hour")
NEXT_BOUND = 8000
NEXT_TYPES = FILTER_TYPES + ", bigint, bigint, integer"
# Pages of those searches: what, the filters, limit, offset.
LANDING = ALL_SEARCHES["online and hybrid (the landing page)"]
NEXT_PAGES = [
    ("landing", LANDING, "25", "0"),
    ("landing, the busiest minute, seconds past it",
     LANDING[:9] + ("'2026-12-07T01:00:30Z'",) + LANDING[10:], "25", "0"),
    ("landing, deep", LANDING, "100", "900"),
    ("landing, one at a time", LANDING[:9] + ("'2026-12-08T00:59Z'",) + LANDING[10:], "1", "7"),
    ("every meeting, as the US springs forward",
     (N,) * 9 + ("'2026-03-08T07:30Z'", N, N, N, N) + ANY_REGION, "50", "0"),
    ("every meeting, as Europe falls back",
     (N,) * 9 + ("'2026-10-25T00:45Z'", N, N, N, N) + ANY_REGION, "25", "40"),
    ("every meeting, as the US falls back",
     (N,) * 9 + ("'2026-11-01T05:40Z'", N, N, N, N) + ANY_REGION, "25", "0"),
    ("every meeting, in July", (N,) * 9 + ("'2026-07-12T01:59:59Z'", N, N, N, N) + ANY_REGION,
     "30", "0"),
    ("a common keyword", ALL_SEARCHES["a common keyword"], "25", "10"),
    ("a fellowship and a language", (N, "'{aa}'") + (N,) * 4 + ("'{es}'", N, N,
                                                                "'2026-12-09T13:30Z'",
                                                                N, N, N, N) + ANY_REGION,
     "25", "0"),
    ("online, starting within the hour", ALL_SEARCHES["online, starting within the hour"],
     "25", "0"),
    ("in person within half an hour, the busiest minute",
     (N, N, N, "'{in_person}'", N, N, N, N, N, "'2026-12-07T00:45Z'", N, N, "30", N)
     + ANY_REGION, "25", "0"),
    ("a city's meetings", (N,) * 9 + ("'2026-12-09T13:30Z'", N, N, N, N, "'{New York}'"),
     "25", "0"),
]
# Rare filters, found through their own indexes: these use them.
RARE_SEARCHES = {
    "a phrase": (N,) * 7 + ("'\"un dia a la vez\"'", N, NOW, N, N, N, N) + ANY_REGION,
    "a language": (N,) * 6 + ("'{de}'", N, N, NOW, N, N, N, N) + ANY_REGION,
    "types": (N, N, "'{LGBTQ,W}'", N, N, N, N, N, N, NOW, N, N, N, N) + ANY_REGION,
    "today in the evening, in New York": ("'{7}'",) + (N,) * 7
    + ("'America/New_York'", NOW, "'16:00'", "'20:59'", N, N) + ANY_REGION,
    "Wednesday mornings in each zone": ("'{3}'",) + (N,) * 7 + (N, NOW, "'04:00'", "'11:59'",
                                                                 N, N) + ANY_REGION,
    "a small city": (N,) * 9 + (NOW, N, N, N, N, "'{boise}'"),
    "a small city, on Mondays": ("'{1}'",) + (N,) * 8 + (NOW, N, N, N, N, "'{BOISE}'"),
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
                                              NEAR_TYPES + NEAR_TAIL_TYPES,
                                              args + near_tail(soonest))
            with self.subTest(what, facets=True):
                self.assert_reads_at_most(FACETS_NEAR_BOUND, "meetings_facets_near",
                                          NEAR_TYPES + ", bigint", args + (str(CANDIDATES),))

    def test_a_region_near_a_point_reads_a_bounded_number_of_rows(self):
        for what, args in NEAR_REGION_SEARCHES.items():
            for soonest in (False, True):
                with self.subTest(what, soonest=soonest):
                    self.assert_reads_at_most(NEAR_REGION_BOUND, "meetings_near",
                                              NEAR_TYPES + NEAR_TAIL_TYPES,
                                              args + near_tail(soonest))
            with self.subTest(what, facets=True):
                self.assert_reads_at_most(FACETS_NEAR_BOUND + 2 * CANDIDATES,
                                          "meetings_facets_near", NEAR_TYPES + ", bigint",
                                          args + (str(CANDIDATES),))

    def test_anywhere_reads_a_bounded_number_of_rows(self):
        for what, args in ALL_SEARCHES.items():
            for soonest in (False, True):
                with self.subTest(what, soonest=soonest):
                    self.assert_reads_at_most(
                        ALL_BOUND, "meetings_all", FILTER_TYPES + ALL_TAIL_TYPES,
                        args + ("25", "0", str(CANDIDATES), "true" if soonest else "false"))
            with self.subTest(what, facets=True):
                self.assert_reads_at_most(FACETS_ALL_BOUND, "meetings_facets_all",
                                          FILTER_TYPES + ", bigint", args + (str(CANDIDATES),))
            if what in NEXT_SEARCHES:
                with self.subTest(what, walk=True):
                    self.assert_reads_at_most(NEXT_BOUND, "meetings_all_next", NEXT_TYPES,
                                              args + ("25", "0", "0"))

    def test_the_bounds_can_fail(self):
        # The exact counts the searches made before read every match.
        lat, lng = CHICAGO
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
                    self.assert_no_seq_scan("meetings_near", NEAR_TYPES + NEAR_TAIL_TYPES,
                                            args + near_tail(soonest))
                self.assert_no_seq_scan("meetings_near_page", NEAR_TYPES + ", bigint, bigint",
                                        args + ("25", "0"))
                self.assert_no_seq_scan("meetings_near_soonest",
                                        NEAR_TYPES + ", bigint, bigint", args + ("25", "0"))
                self.assert_no_seq_scan("meetings_facets_near", NEAR_TYPES + ", bigint",
                                        args + (str(CANDIDATES),))
        for what, args in {**ALL_SEARCHES, **RARE_SEARCHES}.items():
            with self.subTest(what):
                self.assert_no_seq_scan("meetings_all", FILTER_TYPES + ALL_TAIL_TYPES,
                                        args + ("25", "0", str(CANDIDATES), "true"))
                self.assert_no_seq_scan("meetings_facets_all", FILTER_TYPES + ", bigint",
                                        args + (str(CANDIDATES),))
                for step in ("0", "1", "2"):
                    self.assert_no_seq_scan("meetings_all_soonest", NEXT_TYPES,
                                            args + ("25", "0", step))
                    self.assert_no_seq_scan("meetings_all_next", NEXT_TYPES,
                                            args + ("25", "0", step))

    def page(self, name, types, args):
        """The ids of the page of sql/queries/NAME.sql run with args, and
        whether its rows say in_window (all of them)."""
        text = query_text(name)
        out = psql(SESSION + f"PREPARE q({types}) AS {text};\n"
                   f"CREATE TEMP TABLE r AS EXECUTE q({', '.join(args)});\n"
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
                want, _ = self.page("meetings_all", FILTER_TYPES + ALL_TAIL_TYPES,
                                    args + (limit, offset, "1000000", "true"))
                self.assertEqual(len(want), int(limit))
                for step in ("0", "1", "2"):
                    ids, proven = self.page("meetings_all_next", NEXT_TYPES,
                                            args + (limit, offset, step))
                    if proven:
                        self.assertEqual(ids, want, f"step {step}")
                        proven_first += step == "0"
                        break
                ids, proven = self.page("meetings_all_next", NEXT_TYPES,
                                        args + (limit, offset, N))
                self.assertEqual((ids, proven), (want, True), "every match")
        # The first step proves nearly every page: it is the one that reads little.
        self.assertGreaterEqual(proven_first, len(NEXT_PAGES) - 2)

    def nested_plans(self, name, types, args):
        """The plans of the statements a function inside sql/queries/NAME.sql
        runs (auto_explain logs nested statements: EXPLAIN shows a
        function's scan, not its plan), each with its query text."""
        text = query_text(name)
        out = subprocess.run(
            [os.path.join(ROOT, "scripts", "stack.sh"), "psql", "-tA"],
            input=SESSION + "LOAD 'auto_explain';\n"
            "SET auto_explain.log_min_duration = 0; SET auto_explain.log_analyze = on;\n"
            "SET auto_explain.log_nested_statements = on; SET auto_explain.log_format = json;\n"
            "SET auto_explain.log_level = warning;\n"
            f"PREPARE q({types}) AS {text};\nEXECUTE q({', '.join(args)});\n",
            env=stack_env(), check=True, capture_output=True, text=True).stderr
        for block in out.split("WARNING:")[1:]:
            doc = json.loads(block[block.index("{"):])
            yield doc["Query Text"], doc["Plan"]

    def test_a_near_page_walks_outwards(self):
        # meetings_near_page.sql's walk (meetings_near_walk() in migration
        # 022) follows the spatial index outwards, ordered by distance,
        # rather than reading the radius's box and sorting it; where
        # matches are common it reads about the page.
        for what, args in {**NEAR_SEARCHES, **NEAR_REGION_SEARCHES}.items():
            with self.subTest(what):
                walks = [plan for query, plan in self.nested_plans(
                    "meetings_near_page", NEAR_TYPES + ", bigint, bigint", args + ("25", "0"))
                         if "FROM meetings m" in query]
                self.assertEqual(len(walks), 1)
                scans = [(n["Node Type"].replace("Index Only Scan", "Index Scan"),
                          n.get("Index Name")) for n in plan_nodes(walks[0])
                         if n.get("Relation Name") == "meetings"]
                self.assertEqual(scans, [("Index Scan", "meetings_earth_idx")])
                if what in ("location", "location, day and type"):
                    self.assertLessEqual(rows_read(walks[0]), NEAR_BOUND)

    def test_one_meeting(self):
        self.assert_no_seq_scan("meeting_by_id", "bigint", ("12345",))
        self.assert_no_seq_scan("meetings_at_location", "bigint", ("12345",))

    def count_near(self, lat, lng, metres, extra=""):
        """SQL over the base tables: active meetings within metres of the
        point (by PostGIS's own distance on the sphere), with extra."""
        return int(psql(f"""
            SELECT count(*) FROM meetings m JOIN locations l ON l.id = m.location_id
            WHERE m.active AND l.geog IS NOT NULL
              AND ST_Distance(l.geog, ST_SetSRID(ST_MakePoint({lng}, {lat}), 4326)::geography,
                              false) <= {metres} {extra}""").strip())

    def near_count(self, args):
        """count, count_exact and reach_km of meetings_near for args."""
        text = query_text("meetings_near")
        out = psql(SESSION + f"PREPARE q({NEAR_TYPES}{NEAR_TAIL_TYPES}) AS {text};\n"
                   f"CREATE TEMP TABLE r AS EXECUTE q({', '.join(args + near_tail())});\n"
                   "SELECT count, count_exact, reach_km FROM r LIMIT 1").strip().splitlines()
        count, exact, reach = out[-1].split("|")
        return int(count), exact == "t", float(reach)

    def test_counts_are_exact_within_their_scope(self):
        # Chicago, 50 km: far more meetings than candidates; the count is
        # every match within reach_km (1 m either way: it is rounded).
        count, exact, reach = self.near_count(NEAR_SEARCHES["location"])
        self.assertFalse(exact)
        self.assertLess(reach, 50)
        self.assertLessEqual(self.count_near(*CHICAGO, reach * 1000 - 1), count)
        self.assertLessEqual(count, self.count_near(*CHICAGO, reach * 1000 + 1))
        self.assertGreaterEqual(count, CANDIDATES - 50)  # nearly all candidates match
        args = NEAR_SEARCHES["location, day and type"]
        count, exact, reach = self.near_count(args)
        where = "AND m.day = 2 AND 'O' = ANY (m.types)"
        self.assertLessEqual(self.count_near(*CHICAGO, reach * 1000 - 1, where), count)
        self.assertLessEqual(count, self.count_near(*CHICAGO, reach * 1000 + 1, where))
        # Away from the demo's cities, the radius holds fewer meetings than
        # the candidates: exact.
        for lat, lng in (("44.0", "-90.0"), ("0", "-30")):
            args = located((lat, lng, "100000") + (N,) * 8 + NO_TIME + ANY_REGION)
            count, exact, _ = self.near_count(args)
            self.assertTrue(exact)
            self.assertEqual(count, self.count_near(lat, lng, 100000))


# The services search (sql/queries/services_*.sql).
SERVICE_TABLES = ("service", "location", "service_at_location", "service_area")
SERVICE_FILTERS = ("text[], text[], text[], text[], boolean, boolean, text, text, text, "
                   "boolean, smallint[], text[], boolean, boolean")
SERVICES_NEAR_TYPES = "float8, float8, float8, " + SERVICE_FILTERS
# The filters after now: scope=national, then the recovery residences'
# narr_level, gender, beds_available, housing_moud.
NO_REACH = (N,) * 5
NATIONAL = ("true",) + (N,) * 4
HOUSING = (N, "'{2,3}'", "'{women,all}'", "true", "true")
# lat, lng, metres near Chicago; then category, population, lang, cost,
# moud, open_now, q, tz, now and the five above.
SERVICES_NEAR_SEARCHES = {
    "location": CHICAGO + ("25000",) + (N,) * 9 + NO_REACH,
    "location and category": CHICAGO + ("25000", "'{peer-support,outreach}'") + (N,) * 8
    + NO_REACH,
    "location, language, moud, open now": CHICAGO + ("50000", N, N, "'{es}'", N, "true",
                                                     "true", N, "'America/Chicago'", NOW)
    + NO_REACH,
    "location and keyword": CHICAGO + ("100000",) + (N,) * 6 + ("'recovery coaching'", N, N)
    + NO_REACH,
    "location, national": CHICAGO + ("25000",) + (N,) * 9 + NATIONAL,
    "location, recovery housing": CHICAGO + ("25000",) + (N,) * 9 + HOUSING,
}
SERVICES_ALL_SEARCHES = {
    "every service": (N,) * 9 + NO_REACH,
    "category": ("'{recovery-housing}'",) + (N,) * 8 + NO_REACH,
    "keyword": (N,) * 6 + ("'\"recovery housing\"'", N, N) + NO_REACH,
    "keyword and category": ("'{peer-support}'",) + (N,) * 5 + ("'coaching'", N, N) + NO_REACH,
    "national": (N,) * 9 + NATIONAL,
}
# Rarer ones: those use their indexes.
SERVICES_RARE_SEARCHES = {
    "categories and population": ("'{family-support,employment}'", "'{veterans}'") + (N,) * 7
    + NO_REACH,
    "a language and a cost": (N, N, "'{vi}'", "'{medicaid}'") + (N,) * 5 + NO_REACH,
    "recovery housing": (N,) * 9 + HOUSING,
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

    def assert_no_service_seq_scan(self, name, types, args):
        plan = self.explain(name, types, args)
        scans = [n["Relation Name"] for n in plan_nodes(plan)
                 if n["Node Type"] == "Seq Scan" and n.get("Schema") == "hsds"
                 and n.get("Relation Name") in SERVICE_TABLES]
        self.assertEqual(scans, [], f"{name}({', '.join(args)}) reads a table sequentially")

    def test_there_are_services(self):
        self.assertGreaterEqual(int(psql("SELECT count(*) FROM hsds.service").strip()),
                                SERVICES_SIZE)

    def test_near_reads_a_bounded_number_of_rows(self):
        for what, args in SERVICES_NEAR_SEARCHES.items():
            with self.subTest(what):
                self.assert_reads_at_most(SERVICES_NEAR_BOUND, "services_near",
                                          SERVICES_NEAR_TYPES + ", bigint, bigint, bigint",
                                          args + ("25", "0", SERVICES_NEAR_CANDIDATES))
                self.assert_reads_at_most(SERVICES_NEAR_BOUND, "services_facets_near",
                                          SERVICES_NEAR_TYPES + ", bigint",
                                          args + (SERVICES_NEAR_CANDIDATES,))
                self.assert_no_service_seq_scan("services_near_page",
                                                SERVICES_NEAR_TYPES + ", bigint, bigint",
                                                args + ("25", "0"))

    def test_anywhere_reads_a_bounded_number_of_rows(self):
        for what, args in SERVICES_ALL_SEARCHES.items():
            with self.subTest(what):
                self.assert_reads_at_most(SERVICES_ALL_BOUND, "services_all",
                                          SERVICE_FILTERS + ", bigint, bigint, bigint",
                                          args + ("25", "0", str(CANDIDATES)))
                self.assert_reads_at_most(SERVICES_ALL_BOUND, "services_facets_all",
                                          SERVICE_FILTERS + ", bigint",
                                          args + (str(CANDIDATES),))
        for what, args in SERVICES_RARE_SEARCHES.items():
            with self.subTest(what):
                self.assert_no_service_seq_scan("services_all",
                                                SERVICE_FILTERS + ", bigint, bigint, bigint",
                                                args + ("25", "0", str(CANDIDATES)))

    def test_the_bounds_can_fail(self):
        # The facets of every service, as they were counted before, read them all.
        anywhere = rows_read(self.explain_sql(
            "SELECT count(*), count(*) FILTER (WHERE category_codes && '{peer-support}') "
            "FROM hsds.service WHERE listed"))
        self.assertGreater(anywhere, 3 * SERVICES_ALL_BOUND)

    def test_one_service_and_the_categories(self):
        some = psql("SELECT id FROM hsds.service ORDER BY id LIMIT 1").strip()
        self.assert_no_service_seq_scan("service_by_id", "uuid, text, text",
                                        (f"'{some}'", N, N))
        self.assert_no_service_seq_scan("categories", "integer", ("1",))


class QueryFragments(unittest.TestCase):
    """The meetings searches' filter block lives once
    (sql/queries/include/meetings_filter.sql) and scripts/sqlinc.sh splices
    it in and numbers the parameters by name; no database needed."""

    QUERIES = os.path.join(ROOT, "sql", "queries")
    SEARCHES = ("meetings_near", "meetings_near_page", "meetings_near_soonest",
                "meetings_facets_near", "meetings_all", "meetings_all_soonest",
                "meetings_all_next", "meetings_facets_all")

    def sqlinc(self, path):
        return subprocess.run([os.path.join(ROOT, "scripts", "sqlinc.sh"), path],
                              capture_output=True, text=True)

    def test_no_statement_repeats_the_filter_block(self):
        for name in sorted(os.listdir(self.QUERIES)):
            if name.endswith(".sql"):
                with open(os.path.join(self.QUERIES, name)) as f:
                    self.assertNotIn("meeting_filter(", f.read(), name)

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
        self.assertIn("earth_point($16, $17)", query_text("meetings_near"))
        self.assertIn("LIMIT $16::bigint", query_text("meetings_all"))

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


if __name__ == "__main__":
    main()
