"""The data licences of the sources (sql/migrations/029_source_licences.sql)
against the running stack: `finder source add` and `finder import` set them
(--license, --license-url, --attribution) and refuse bad values with a
message naming the option, changing nothing; a later import keeps them; an
HSDS package's datapackage.json gives its own when no option does;
`finder source list` and GET /api/v1/sources show them (null when not
stated); the table itself refuses what the commands refuse; the demo
sources are CC0-1.0, synthetic; the Meeting Guide feed links to the list."""

import json
import os
import shutil
import subprocess
import tempfile
import unittest

from harness import ROOT, api, get, forget_sources, main, request, sql, sql_value

STACK = os.path.join(ROOT, "scripts", "stack.sh")
SPEC_CSV = os.path.normpath(os.path.join(ROOT, "..", "shared", "data", "hsds",
                                         "openreferral-spec-3.0-examples", "csv"))
PREFIX = "lic-"
CC_BY = "https://creativecommons.org/licenses/by/4.0/"
FEED = json.dumps([{
    "name": "Licence Test Group", "slug": "licence-test", "day": 2, "time": "19:00",
    "types": ["O"], "location": "Grace Church", "address": "100 Main St",
    "city": "Lawrence", "state": "KS", "postal_code": "66044", "country": "US",
    "latitude": 38.97, "longitude": -95.24}])


def run(*args, data=None):
    """`scripts/stack.sh ARGS` (arguments may be bytes): (status, stdout,
    stderr)."""
    proc = subprocess.run([STACK, *args], input=data, capture_output=True, timeout=300)
    return (proc.returncode, proc.stdout.decode("utf-8", "replace"),
            proc.stderr.decode("utf-8", "replace"))


def forget():
    forget_sources(PREFIX + "%")


def listed(slug):
    """The source as GET /api/v1/sources gives it now (past nginx's cache)."""
    body = request("GET", "/api/v1/sources", headers={"Cache-Control": "no-cache"}).json()
    return next((s for s in body["sources"] if s["slug"] == slug), None)


def terms(slug):
    s = listed(slug)
    return (s["license"], s["license_url"], s["attribution"])


def add(slug, *extra):
    return run("source", "add", slug, "--url", "https://licences.example.org/feed.json",
               "--format", "meeting-guide", "--timezone", "America/Chicago",
               "--fellowship", "aa", *extra)


def import_feed(slug, *extra):
    return run("import", "--json", "--format", "meeting-guide", "--source", slug,
               "--timezone", "America/Chicago", "--fellowship", "aa", *extra, "-",
               data=FEED.encode())


# Values both commands must refuse, the option the message must name.
BAD = [
    (["--license", "CC-BY-4.0\nDROP"], "--license"),
    (["--license", "tab\there"], "--license"),
    (["--license", " CC-BY-4.0"], "--license"),
    (["--license", "CC-BY-4.0 "], "--license"),
    (["--license", "x" * 201], "--license"),
    ([b"--license", b"caf\xe9"], "--license"),            # Latin-1, not UTF-8
    (["--license", "a\u0085b"], "--license"),              # C1 control (NEL)
    (["--license", "CC-BY-4.0", "--license-url", "ftp://example.org/l"], "--license-url"),
    (["--license", "CC-BY-4.0", "--license-url", "javascript:alert(1)"], "--license-url"),
    (["--license", "CC-BY-4.0", "--license-url", "https://example.org/a b"], "--license-url"),
    (["--license", "CC-BY-4.0", "--license-url", "https://e.org/" + "x" * 2000], "--license-url"),
    (["--license-url", CC_BY], "--license-url goes with --license"),
    (["--license", "", "--license-url", CC_BY], "--license-url goes with --license"),
    (["--attribution", "Data:\x07 bell"], "--attribution"),
    (["--attribution", "y" * 301], "--attribution"),
    (["--attribution", "Data: X\n"], "--attribution"),
]


class SourceAdd(unittest.TestCase):
    """`finder source add` sets, changes and removes them."""

    def setUp(self):
        forget()

    def tearDown(self):
        forget()

    def test_set_shown_changed_removed(self):
        rc, out, err = add("lic-a", "--license", "CC-BY-4.0", "--license-url", CC_BY,
                           "--attribution", "Data: Central Texas Intergroup")
        self.assertEqual(rc, 0, err)
        self.assertEqual(terms("lic-a"), ("CC-BY-4.0", CC_BY, "Data: Central Texas Intergroup"))
        rc, out, err = run("source", "list", "--json")
        self.assertEqual(rc, 0, err)
        mine = next(s for s in json.loads(out) if s["slug"] == "lic-a")
        self.assertEqual((mine["license"], mine["license_url"], mine["attribution"]),
                         ("CC-BY-4.0", CC_BY, "Data: Central Texas Intergroup"))
        rc, out, err = run("source", "list")
        block = out[out.index("lic-a"):]
        self.assertIn(f"licence: CC-BY-4.0 <{CC_BY}>; credit: Data: Central Texas Intergroup",
                      block.splitlines()[1])
        # Added again without them: kept.
        self.assertEqual(add("lic-a", "--every", "1d")[0], 0)
        self.assertEqual(terms("lic-a"), ("CC-BY-4.0", CC_BY, "Data: Central Texas Intergroup"))
        # A new licence without a link: the old link was the old licence's.
        self.assertEqual(add("lic-a", "--license", "Used with permission")[0], 0)
        self.assertEqual(terms("lic-a"),
                         ("Used with permission", None, "Data: Central Texas Intergroup"))
        # Free text in any script, at the limits.
        long_text = "Données: " + "é" * 191
        self.assertEqual(len(long_text), 200)
        self.assertEqual(add("lic-a", "--license", long_text, "--attribution", "ß" * 300)[0], 0)
        self.assertEqual(terms("lic-a"), (long_text, None, "ß" * 300))
        # "" removes.
        self.assertEqual(add("lic-a", "--license", "", "--attribution", "")[0], 0)
        self.assertEqual(terms("lic-a"), (None, None, None))
        rc, out, err = run("source", "list")
        self.assertIn("licence: not stated; credit: not stated",
                      out[out.index("lic-a"):].splitlines()[1])

    def test_bad_values_refused_naming_the_option(self):
        self.assertEqual(add("lic-b", "--license", "CC0-1.0")[0], 0)
        for args, named in BAD:
            with self.subTest(args=args):
                rc, out, err = add("lic-b", *args)
                self.assertEqual(rc, 2, (args, out, err))
                self.assertIn(named, err)
                rc, out, err = add("lic-new", *args)
                self.assertEqual(rc, 2, args)
        self.assertEqual(terms("lic-b"), ("CC0-1.0", None, None), "nothing changed")
        self.assertIsNone(listed("lic-new"), "nothing made")

    def test_the_table_refuses_them_too(self):
        self.assertEqual(add("lic-c", "--license", "CC0-1.0")[0], 0)
        for assignment in ("license = E'a\\nb'", "license = ' x'", "license = repeat('x', 201)",
                           "license_url = 'javascript:x'", "attribution = ''",
                           "attribution = repeat('y', 301)",
                           "license = NULL, license_url = 'https://example.org/l'"):
            with self.subTest(assignment=assignment):
                with self.assertRaises(subprocess.CalledProcessError):
                    sql(f"UPDATE sources SET {assignment} WHERE slug = 'lic-c'")
        self.assertEqual(terms("lic-c"), ("CC0-1.0", None, None))


class Import(unittest.TestCase):
    """`finder import` sets them, a later import keeps them, and an HSDS
    package states its own."""

    def setUp(self):
        forget()
        self.tmp = tempfile.mkdtemp(prefix="finder-licences.")

    def tearDown(self):
        forget()
        shutil.rmtree(self.tmp)

    def package(self, descriptor):
        """An HSDS 3.0 CSV package (the specification's example tables) with
        `descriptor` as its datapackage.json (None: none)."""
        path = os.path.join(self.tmp, "pkg")
        shutil.rmtree(path, ignore_errors=True)
        os.mkdir(path)
        for name in os.listdir(SPEC_CSV):
            if name.endswith(".csv"):
                shutil.copy(os.path.join(SPEC_CSV, name), path)
        if descriptor is not None:
            with open(os.path.join(path, "datapackage.json"), "w", encoding="utf-8") as f:
                f.write(descriptor if isinstance(descriptor, str) else json.dumps(descriptor))
        return path

    def import_package(self, slug, path, *extra):
        rc, out, err = run("import", "--json", "--format", "hsds", "--source", slug,
                           "--timezone", "Europe/London", *extra, path)
        self.assertEqual(rc, 0, err)
        return json.loads(out)

    def test_set_kept_and_removed(self):
        rc, out, err = import_feed("lic-mg", "--license", "CC-BY-4.0", "--license-url", CC_BY,
                                   "--attribution", "Data: Lawrence Intergroup")
        self.assertEqual(rc, 0, err)
        self.assertEqual(terms("lic-mg"), ("CC-BY-4.0", CC_BY, "Data: Lawrence Intergroup"))
        self.assertEqual(listed("lic-mg")["meetings"], 1)
        # A later import without them (what `finder sync` runs) keeps them.
        self.assertEqual(import_feed("lic-mg")[0], 0)
        self.assertEqual(terms("lic-mg"), ("CC-BY-4.0", CC_BY, "Data: Lawrence Intergroup"))
        # --dry-run changes nothing.
        self.assertEqual(import_feed("lic-mg", "--license", "ODbL-1.0", "--dry-run")[0], 0)
        self.assertEqual(terms("lic-mg"), ("CC-BY-4.0", CC_BY, "Data: Lawrence Intergroup"))
        self.assertEqual(import_feed("lic-mg", "--attribution", "")[0], 0)
        self.assertEqual(terms("lic-mg"), ("CC-BY-4.0", CC_BY, None))
        self.assertEqual(import_feed("lic-mg", "--license", "")[0], 0)
        self.assertEqual(terms("lic-mg"), (None, None, None))

    def test_bad_values_refused_naming_the_option(self):
        self.assertEqual(import_feed("lic-mg2", "--license", "CC0-1.0")[0], 0)
        for args, named in BAD:
            with self.subTest(args=args):
                rc, out, err = import_feed("lic-mg2", *args)
                self.assertEqual(rc, 2, (args, out, err))
                self.assertIn(named, err)
                self.assertEqual(import_feed("lic-new", *args)[0], 2)
        self.assertEqual(terms("lic-mg2"), ("CC0-1.0", None, None))
        self.assertIsNone(listed("lic-new"))

    @unittest.skipUnless(os.path.isdir(SPEC_CSV), f"{SPEC_CSV} is absent")
    def test_hsds_package_states_its_licence(self):
        # Frictionless Data's `licenses`: the first, its name and path.
        path = self.package({"name": "directory", "licenses": [
            {"name": "ODbL-1.0", "path": "https://opendatacommons.org/licenses/odbl/1-0/",
             "title": "Open Data Commons Open Database License 1.0"},
            {"name": "CC-BY-4.0"}], "resources": []})
        report = self.import_package("lic-hsds", path)
        self.assertEqual(terms("lic-hsds"),
                         ("ODbL-1.0", "https://opendatacommons.org/licenses/odbl/1-0/", None))
        said = [w for w in report["warnings"] if w["key"] == "datapackage.json"]
        self.assertEqual(len(said), 1, report["warnings"])
        self.assertIn("ODbL-1.0", said[0]["reason"])
        # An option overrides it, and names its own link or none.
        self.import_package("lic-hsds", path, "--license", "Used with permission",
                            "--attribution", "Data: the county")
        self.assertEqual(terms("lic-hsds"), ("Used with permission", None, "Data: the county"))
        # The next import without options: the package's word again; the
        # attribution, which it does not give, is kept.
        self.import_package("lic-hsds", path)
        self.assertEqual(terms("lic-hsds"), ("ODbL-1.0",
                                             "https://opendatacommons.org/licenses/odbl/1-0/",
                                             "Data: the county"))

    @unittest.skipUnless(os.path.isdir(SPEC_CSV), f"{SPEC_CSV} is absent")
    def test_hsds_descriptor_forms(self):
        cases = [
            # The HSDS 3.0 descriptor's own form: an object, type and url.
            ({"license": {"type": "CC-BY-SA-4.0", "name": "Creative Commons BY-SA 4.0",
                          "url": "https://creativecommons.org/licenses/by-sa/4.0/"}},
             ("CC-BY-SA-4.0", "https://creativecommons.org/licenses/by-sa/4.0/")),
            ({"license": "CC0-1.0"}, ("CC0-1.0", None)),
            ({"licenses": [{"title": "Open Government Licence"}]},
             ("Open Government Licence", None)),
            # None stated, or nothing readable: not stated, the import goes on.
            ({"name": "x"}, (None, None)),
            ({"licenses": []}, (None, None)),
            ("../../datapackage.json", (None, None)),
            (None, (None, None)),
        ]
        for descriptor, expected in cases:
            with self.subTest(descriptor=descriptor):
                forget()
                report = self.import_package("lic-form", self.package(descriptor))
                self.assertEqual(terms("lic-form")[:2], expected)
                self.assertEqual(listed("lic-form")["services"], 1)
                self.assertEqual(bool([w for w in report["warnings"]
                                       if w["key"] == "datapackage.json"]),
                                 expected[0] is not None)

    @unittest.skipUnless(os.path.isdir(SPEC_CSV), f"{SPEC_CSV} is absent")
    def test_hsds_descriptor_licence_the_table_would_refuse(self):
        path = self.package({"licenses": [{"name": "Line one\nline two",
                                           "path": "https://example.org/l"}]})
        report = self.import_package("lic-odd", path)
        self.assertEqual(terms("lic-odd"), (None, None, None))
        said = [w["reason"] for w in report["warnings"] if w["key"] == "datapackage.json"]
        self.assertTrue(said and "not taken" in said[0], report["warnings"])
        path = self.package({"licenses": [{"name": "CC-BY-4.0", "path": "javascript:alert(1)"}]})
        self.import_package("lic-odd", path)
        self.assertEqual(terms("lic-odd"), (None, None, None))


class Published(unittest.TestCase):
    """What partners see: the demo's terms, and the feed's link to them."""

    def test_demo_sources_are_synthetic_cc0(self):
        demo = [s for s in api("sources").json()["sources"] if s["demo"]]
        self.assertTrue(demo)
        for s in demo:
            self.assertEqual(s["license"], "CC0-1.0", s["slug"])
            self.assertEqual(s["license_url"], "https://creativecommons.org/publicdomain/zero/1.0/")
            self.assertIn("Synthetic", s["attribution"])

    def test_every_source_has_the_three_keys(self):
        for s in api("sources").json()["sources"]:
            self.assertLessEqual({"license", "license_url", "attribution"}, set(s), s["slug"])

    def test_meeting_guide_feed_links_to_the_terms(self):
        link = '</api/v1/sources>; rel="license"'
        # From a file (all sources, one source) and from the handler (a filter).
        for target in ("/api/v1/feeds/meeting-guide.json",
                       "/api/v1/feeds/meeting-guide.json?source=demo",
                       "/api/v1/feeds/meeting-guide.json?fellowship=aa"):
            with self.subTest(target=target):
                r = get(target, headers={"Accept-Encoding": "gzip"})
                self.assertEqual(r.status, 200)
                self.assertEqual(r.headers.get("link"), link)
                self.assertIsInstance(json.loads(r.body), list, "the feed is still an array")
                again = get(target, headers={"Accept-Encoding": "gzip",
                                             "If-None-Match": r.headers["etag"]})
                self.assertEqual(again.status, 304)
                self.assertEqual(again.headers.get("link"), link)
        # Not on an error, nor on other answers.
        bad = get("/api/v1/feeds/meeting-guide.json?source=Bad_Slug")
        self.assertEqual(bad.status, 400)
        self.assertNotIn("link", bad.headers)
        self.assertNotIn("link", api("sources").headers)
        self.assertEqual(sql_value("SELECT count(*) FROM sources WHERE demo AND license IS NULL"),
                         "0")


if __name__ == "__main__":
    main()
