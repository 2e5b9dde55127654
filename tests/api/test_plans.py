"""Every kind of meeting search is served by an index, at scale.

A separate database of the throwaway stack gets PLANS_SIZE demo meetings
(default 200,000: on a few thousand rows a sequential scan is the right plan,
so only a large table tells). Each statement in sql/queries is prepared as
the handler prepares it, with the handler's session settings, and EXPLAIN of
a typical search must not read the meetings table sequentially."""

import json
import os
import subprocess
import unittest

from harness import ROOT, main

PLANS_DB = "finder_plans"
PLANS_SIZE = int(os.environ.get("PLANS_SIZE", "200000"))
N = "NULL"


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


class Plans(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        subprocess.run([os.path.join(ROOT, "scripts", "stack.sh"), "db-start"],
                       env=stack_env(), check=True, capture_output=True)
        subprocess.run([os.path.join(ROOT, "scripts", "stack.sh"), "db-demo", str(PLANS_SIZE)],
                       env=stack_env(), check=True, capture_output=True)

    def explain(self, name, types, args):
        text = open(os.path.join(ROOT, "sql", "queries", name + ".sql")).read()
        out = psql("SET plan_cache_mode = force_custom_plan;\n"
                   f"PREPARE q({types}) AS {text};\n"
                   f"EXPLAIN (FORMAT JSON) EXECUTE q({', '.join(args)})")
        return json.loads(out[out.index("["):])[0]["Plan"]

    def assert_no_seq_scan(self, name, types, args):
        plan = self.explain(name, types, args)
        scans = [n for n in plan_nodes(plan)
                 if n["Node Type"] == "Seq Scan" and n.get("Relation Name") in
                 ("meetings", "locations")]
        self.assertEqual(scans, [], f"{name}({', '.join(args)}) reads a table sequentially")


TIME_TYPES = "text, text, time, time, integer, boolean"
NEAR_TYPES = ("float8, float8, float8, smallint[], text[], text[], text[], boolean, boolean, "
              "text[], text, " + TIME_TYPES)
ALL_TYPES = "smallint[], text[], text[], text[], boolean, boolean, text[], text, " + TIME_TYPES
PAGE_TYPES = ", boolean, bigint, bigint, integer"
NO_TIME = (N,) * 6
PAGE = ("false", "25", "0", N)
# Soonest first, among the meetings that may start in the next 3 hours.
SOONEST = ("true", "25", "0", "180")

# Searches near Chicago (lat, lng, metres), then the filters of meetings_near:
# days, fellowships, types, attendance, family, moud, languages, keywords.
NOW = "'2026-11-23T18:00-06:00'"
NEAR_SEARCHES = {
    "location": ("41.88", "-87.63", "25000", N, N, N, N, N, N, N, N) + NO_TIME,
    "location, day and type": ("41.88", "-87.63", "25000", "'{2}'", N, "'{O}'", N, N, N, N, N)
    + NO_TIME,
    "location and keyword": ("41.88", "-87.63", "50000", N, N, N, N, N, N, N, "'grupo'")
    + NO_TIME,
    "location, language, moud": ("41.88", "-87.63", "100000", N, N, N, N, N, "true", "'{es}'",
                                 N) + NO_TIME,
}
# Searches anywhere: the filters of meetings_all.
ALL_SEARCHES = {
    "keyword": (N, N, N, N, N, N, N, "'\"un dia a la vez\"'") + NO_TIME,
    "language": (N, N, N, N, N, N, "'{de}'", N) + NO_TIME,
    "type": (N, N, "'{LGBTQ,W}'", N, N, N, N, N) + NO_TIME,
    "starting within the hour": (N,) * 8 + (N, NOW, N, N, "60", N),
    "on now": (N,) * 8 + (N, NOW, N, N, N, "true"),
    "today in the evening, in New York": ("'{7}'",) + (N,) * 7
    + ("'America/New_York'", NOW, "'16:00'", "'20:59'", N, N),
    "Wednesday mornings in each zone": ("'{3}'",) + (N,) * 7 + (N, NOW, "'04:00'", "'11:59'",
                                                                 N, N),
}


class NearSearchPlans(Plans):
    def test_near_searches_use_indexes(self):
        for what, args in NEAR_SEARCHES.items():
            with self.subTest(what):
                self.assert_no_seq_scan("meetings_near_count", NEAR_TYPES, args)
                self.assert_no_seq_scan("meetings_near", NEAR_TYPES + PAGE_TYPES, args + PAGE)
                self.assert_no_seq_scan("meetings_near_knn", NEAR_TYPES + PAGE_TYPES,
                                        args + PAGE)
                self.assert_no_seq_scan("meetings_facets_near", NEAR_TYPES, args)

    def test_searches_anywhere_use_indexes(self):
        for what, args in ALL_SEARCHES.items():
            with self.subTest(what):
                self.assert_no_seq_scan("meetings_all_count", ALL_TYPES, args)
                self.assert_no_seq_scan("meetings_all", ALL_TYPES + PAGE_TYPES, args + PAGE)
                self.assert_no_seq_scan("meetings_facets_all", ALL_TYPES, args)

    def test_soonest_first_uses_the_window(self):
        args = (N,) * 8 + (N, NOW, N, N, N, N)
        self.assert_no_seq_scan("meetings_all", ALL_TYPES + PAGE_TYPES, args + SOONEST)
        near = ("40.73", "-73.99", "50000", N, N, N, N, N, N, N, N) + NO_TIME
        self.assert_no_seq_scan("meetings_near", NEAR_TYPES + PAGE_TYPES, near + SOONEST)

    def test_the_test_can_fail(self):
        # Listing every meeting has to read them all: the check must see it.
        plan = self.explain("meetings_all_count", ALL_TYPES, (N,) * 14)
        self.assertTrue(any(n["Node Type"] == "Seq Scan" for n in plan_nodes(plan)))

    def test_one_meeting(self):
        self.assert_no_seq_scan("meeting_by_id", "bigint", ("12345",))
        self.assert_no_seq_scan("meetings_at_location", "bigint", ("12345",))


# The services search (sql/queries/services_*.sql) at SERVICES_SIZE demo
# services (sql/demo/services.sql, after the demo meetings' sql/demo/demo.sql).
SERVICES_SIZE = int(os.environ.get("PLANS_SERVICES", "100000"))
SERVICES_DEMO = os.path.join(ROOT, "sql", "demo", "services.sql")
SERVICE_TABLES = ("service", "location", "service_at_location", "service_area")
SERVICE_FILTERS = "text[], text[], text[], text[], boolean, boolean, text, text, text"
SERVICES_NEAR_TYPES = "float8, float8, float8, " + SERVICE_FILTERS
SERVICES_PAGE = ("25", "0")
SERVICES_PAGE_TYPES = ", bigint, bigint"
# lat, lng, metres near Chicago; then category, population, lang, cost,
# moud, open_now, q, tz, now.
SERVICES_NEAR_SEARCHES = {
    "location": ("41.88", "-87.63", "25000") + (N,) * 9,
    "location and category": ("41.88", "-87.63", "25000", "'{peer-support,outreach}'")
    + (N,) * 8,
    "location, language, moud, open now": ("41.88", "-87.63", "50000", N, N, "'{es}'", N,
                                           "true", "true", N, "'America/Chicago'", NOW),
    "location and keyword": ("41.88", "-87.63", "100000") + (N,) * 6 + ("'recovery coaching'",
                                                                       N, N),
}
SERVICES_ALL_SEARCHES = {
    "category": ("'{recovery-housing}'",) + (N,) * 8,
    "categories and population": ("'{family-support,employment}'", "'{veterans}'") + (N,) * 7,
    "keyword": (N,) * 6 + ("'\"recovery housing\"'", N, N),
    "keyword and category": ("'{peer-support}'",) + (N,) * 5 + ("'coaching'", N, N),
}


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

    def explain(self, name, types, args):
        # VERBOSE: the plan names each table's schema.
        with open(os.path.join(ROOT, "sql", "queries", name + ".sql")) as f:
            text = f.read()
        out = psql("SET plan_cache_mode = force_custom_plan;\n"
                   f"PREPARE q({types}) AS {text};\n"
                   f"EXPLAIN (FORMAT JSON, VERBOSE) EXECUTE q({', '.join(args)})")
        return json.loads(out[out.index("["):])[0]["Plan"]

    def test_there_are_services(self):
        self.assertGreaterEqual(int(psql("SELECT count(*) FROM hsds.service").strip()),
                                SERVICES_SIZE)

    def test_searches_near_use_indexes(self):
        for what, args in SERVICES_NEAR_SEARCHES.items():
            with self.subTest(what):
                self.assert_no_service_seq_scan("services_near_count", SERVICES_NEAR_TYPES, args)
                self.assert_no_service_seq_scan("services_near",
                                                SERVICES_NEAR_TYPES + SERVICES_PAGE_TYPES,
                                                args + SERVICES_PAGE)
                self.assert_no_service_seq_scan("services_facets_near", SERVICES_NEAR_TYPES,
                                                args)

    def test_searches_anywhere_use_indexes(self):
        for what, args in SERVICES_ALL_SEARCHES.items():
            with self.subTest(what):
                self.assert_no_service_seq_scan("services_all_count", SERVICE_FILTERS, args)
                self.assert_no_service_seq_scan("services_all",
                                                SERVICE_FILTERS + SERVICES_PAGE_TYPES,
                                                args + SERVICES_PAGE)
                # Facets of a search anywhere read every match; for a common
                # category (a sixth of all services) a sequential scan is
                # the right plan, so only the selective ones are checked.
                if "keyword" in what:
                    self.assert_no_service_seq_scan("services_facets_all", SERVICE_FILTERS,
                                                    args)

    def test_one_service_and_the_categories(self):
        some = psql("SELECT id FROM hsds.service ORDER BY id LIMIT 1").strip()
        self.assert_no_service_seq_scan("service_by_id", "uuid, text, text",
                                        (f"'{some}'", N, N))
        self.assert_no_service_seq_scan("categories", "integer", ("1",))

    def test_the_test_can_fail(self):
        # Facets of every service have to read them all: the check must see it.
        plan = self.explain("services_facets_all", SERVICE_FILTERS, (N,) * 9)
        self.assertTrue(any(n["Node Type"] == "Seq Scan" and n.get("Schema") == "hsds"
                            for n in plan_nodes(plan)))


if __name__ == "__main__":
    main()
