"""Fixed vocabularies are strict (issue 16) against the running stack.

Closed lists (the values the finder defines: categories, populations,
costs, attendance, days, audiences and the other fixed choices of the
searches) answer an unknown value with 400 invalid_parameter naming the
parameter and listing the values. The category, population and cost codes
are the database's (what GET /api/v1/categories lists), so the expected
lists are read from there, and a term added to the database is allowed at
once. Open lists (fellowships, meeting type codes: the feeds' vocabularies,
which grow) answer 200 and name the values that no vocabulary entry has in
an "unknown" member, present only when there are some."""

import unittest

from harness import api, main, sql, sql_value

MEETINGS = ("meetings", "meetings/facets")
SERVICES = ("services", "services/facets")


def error_of(test, resp, param):
    test.assertEqual(resp.status, 400, resp.body[:300])
    err = resp.json()["error"]
    test.assertEqual(err["code"], "invalid_parameter")
    test.assertEqual(err["param"], param)
    return err["message"]


def unknown_message(param, value, values):
    return f"{param}: unknown value '{value}'; the values are {', '.join(values)}"


# The lists whose values the handler fixes itself: (paths, param, a good
# value, the values in the order the message lists them).
DAYS = ["0", "1", "2", "3", "4", "5", "6", "sun", "mon", "tue", "wed", "thu", "fri", "sat",
        "today", "tomorrow"]
STATIC = [
    (MEETINGS, "day", "sat", DAYS),
    (MEETINGS, "attendance", "online", ["in_person", "online", "hybrid"]),
    (MEETINGS, "for", "family", ["family", "recovery"]),
    (MEETINGS, "moud", "true", ["true"]),
    (MEETINGS, "in_progress", "true", ["true"]),
    (MEETINGS, "sort", "next", ["next", "distance"]),
    (SERVICES, "moud", "true", ["true"]),
    (SERVICES, "open_now", "true", ["true"]),
    (SERVICES, "scope", "national", ["national"]),
    (SERVICES, "narr_level", "2", ["1", "2", "3", "4"]),
    (SERVICES, "gender", "women", ["men", "women", "all"]),
    (SERVICES, "beds_available", "true", ["true"]),
    (SERVICES, "housing_moud", "true", ["true"]),
    (("hsds/services",), "full", "false", ["true", "false"]),
    (("hsds/services",), "format", "json", ["json"]),
]

# The services' closed lists that live in the database: param -> the key
# of GET /api/v1/categories and the taxonomy that holds them.
DATABASE = {
    "category": ("categories", "recovery-support"),
    "population": ("populations", "recovery-population"),
    "cost": ("costs", "recovery-cost"),
}


def codes(param):
    """The codes of a database vocabulary as the API lists them."""
    body = api("categories").json()
    return [t["code"] for t in body[DATABASE[param][0]]]


class StaticClosedLists(unittest.TestCase):
    def test_good_values_pass(self):
        for paths, param, good, _ in STATIC:
            for path in paths:
                with self.subTest(path=path, param=param):
                    r = api(path, {param: good})
                    self.assertEqual(r.status, 200, r.body[:300])

    def test_every_listed_value_passes(self):
        """The message's values are values: each one is accepted."""
        for paths, param, _, values in STATIC:
            for value in values:
                with self.subTest(param=param, value=value):
                    params = {param: value}
                    if (param, value) == ("sort", "distance"):
                        params.update(lat=41.88, lng=-87.63)
                    r = api(paths[0], params)
                    self.assertEqual(r.status, 200, r.body[:300])

    def test_unknown_value_is_400_with_the_values(self):
        for paths, param, _, values in STATIC:
            for path in paths:
                with self.subTest(path=path, param=param):
                    message = error_of(self, api(path, {param: "nonsense"}), param)
                    self.assertEqual(message, unknown_message(param, "nonsense", values))

    def test_case_matters(self):
        message = error_of(self, api("meetings", {"attendance": "Online"}), "attendance")
        self.assertEqual(message, unknown_message("attendance", "Online",
                                                  ["in_person", "online", "hybrid"]))
        message = error_of(self, api("meetings", {"day": "Sat"}), "day")
        self.assertEqual(message, unknown_message("day", "Sat", DAYS))

    def test_mixed_list_names_the_unknown_item(self):
        message = error_of(self, api("meetings", {"day": "today,someday,1"}), "day")
        self.assertEqual(message, unknown_message("day", "someday", DAYS))
        message = error_of(self, api("services", {"gender": "men,boys"}), "gender")
        self.assertEqual(message, unknown_message("gender", "boys", ["men", "women", "all"]))

    def test_a_long_value_is_cut_short(self):
        message = error_of(self, api("meetings", {"attendance": "x" * 60}), "attendance")
        self.assertEqual(message, unknown_message("attendance", "x" * 40 + "...",
                                                  ["in_person", "online", "hybrid"]))

    def test_malformed_lists_keep_their_message(self):
        """An empty item is not a value: the list's own wording stays."""
        message = error_of(self, api("meetings", {"attendance": "online,"}), "attendance")
        self.assertIn("comma-separated list", message)


class DatabaseClosedLists(unittest.TestCase):
    def test_categories_lists_the_vocabularies(self):
        for param, (_, taxonomy) in DATABASE.items():
            with self.subTest(param=param):
                want = [row[0] for row in sql(
                    "SELECT t.code FROM hsds.taxonomy_term t "
                    "JOIN hsds.taxonomy x ON x.id = t.taxonomy_id "
                    f"WHERE x.name = '{taxonomy}' ORDER BY t.position, t.code")]
                self.assertTrue(want)
                self.assertEqual(codes(param), want)

    def test_every_code_passes(self):
        for param in DATABASE:
            for code in codes(param):
                for path in SERVICES:
                    with self.subTest(path=path, param=param, code=code):
                        r = api(path, {param: code})
                        self.assertEqual(r.status, 200, r.body[:300])

    def test_unknown_code_is_400_with_the_codes(self):
        for param in DATABASE:
            for path in SERVICES:
                with self.subTest(path=path, param=param):
                    message = error_of(self, api(path, {param: "gold"}), param)
                    self.assertEqual(message, unknown_message(param, "gold", codes(param)))

    def test_the_issue_examples(self):
        message = error_of(self, api("services", {"cost": "gold"}), "cost")
        self.assertTrue(message.startswith(
            "cost: unknown value 'gold'; the values are free, sliding-scale, "), message)
        error_of(self, api("services", {"category": "nonsense"}), "category")
        error_of(self, api("services", {"population": "aliens"}), "population")

    def test_case_matters(self):
        message = error_of(self, api("services", {"cost": "Free"}), "cost")
        self.assertEqual(message, unknown_message("cost", "Free", codes("cost")))

    def test_mixed_list_names_the_unknown_code(self):
        good = codes("population")[0]
        message = error_of(self, api("services", {"population": f"{good},aliens"}),
                           "population")
        self.assertEqual(message, unknown_message("population", "aliens", codes("population")))

    def test_first_unknown_parameter_is_named(self):
        resp = api("services", {"category": "nonsense", "cost": "gold"})
        self.assertEqual(error_of(self, resp, "category"),
                         unknown_message("category", "nonsense", codes("category")))

    def test_other_filters_are_checked_first(self):
        """A bad value that the rules catch is answered before the lookup."""
        error_of(self, api("services", {"cost": "gold", "limit": "0"}), "limit")

    def test_a_term_added_to_the_database_is_allowed_at_once(self):
        """The codes are read from the database for each request, not at
        connect: a new cost code is accepted, and listed, without a restart."""
        code = "vocab-test-barter"
        term = "6f0e8a52-5b7e-4c36-9d0a-0000000fff01"
        before = error_of(self, api("services", {"cost": code}), "cost")
        self.assertNotIn(code + ",", before)
        sql("INSERT INTO hsds.taxonomy_term (id, taxonomy_id, taxonomy, language, position, "
            "code, name, name_es) SELECT '" + term + "', x.id, x.name, 'en', 99, '" + code +
            "', 'Barter', 'Trueque' FROM hsds.taxonomy x WHERE x.name = 'recovery-cost'")
        try:
            r = api("services/facets", {"cost": code})
            self.assertEqual(r.status, 200, r.body[:300])
            message = error_of(self, api("services", {"cost": "gold"}), "cost")
            self.assertTrue(message.endswith(", " + code), message)
        finally:
            sql(f"DELETE FROM hsds.taxonomy_term WHERE id = '{term}'")
        error_of(self, api("services", {"cost": code, "limit": 1}), "cost")


class OpenLists(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.fellowships = [r[0] for r in sql("SELECT slug FROM fellowships ORDER BY slug")]
        cls.types = [r[0] for r in sql("SELECT code FROM meeting_types ORDER BY code")]
        # A type code no meeting has: known, but it finds nothing.
        cls.idle_type = sql_value(
            "SELECT coalesce((SELECT t.code FROM meeting_types t WHERE NOT EXISTS "
            "(SELECT 1 FROM meetings m WHERE t.code = ANY (m.types)) ORDER BY t.code "
            "LIMIT 1), '')")

    def test_vocabularies_are_what_the_api_lists(self):
        self.assertEqual(sorted(f["slug"] for f in api("fellowships").json()["fellowships"]),
                         self.fellowships)
        self.assertEqual(sorted(t["code"] for t in api("types").json()["types"]),
                         sorted(self.types))

    def test_all_known_has_no_unknown_member(self):
        for path in MEETINGS:
            with self.subTest(path=path):
                r = api(path, {"fellowship": ",".join(self.fellowships[:3]),
                               "type": "O"})
                self.assertEqual(r.status, 200)
                self.assertNotIn("unknown", r.json())
                self.assertNotIn("unknown", api(path).json())

    def test_unknown_values_are_named(self):
        for path in MEETINGS:
            with self.subTest(path=path):
                r = api(path, {"fellowship": "nan", "type": "XYZ"})
                self.assertEqual(r.status, 200, r.body[:300])
                self.assertEqual(r.json()["unknown"], {"fellowship": ["nan"], "type": ["XYZ"]})

    def test_only_the_lists_with_unknown_values_appear(self):
        body = api("meetings", {"fellowship": "aa", "type": "XYZ"}).json()
        self.assertEqual(body["unknown"], {"type": ["XYZ"]})
        body = api("meetings/facets", {"fellowship": "nan", "type": "O"}).json()
        self.assertEqual(body["unknown"], {"fellowship": ["nan"]})

    def test_mixed_lists_name_exactly_the_unmatched_values_in_order(self):
        known = self.fellowships[0]
        for path in MEETINGS:
            with self.subTest(path=path):
                body = api(path, {"fellowship": f"zz,{known},nan,zz",
                                  "type": "XYZ,O,ABC"}).json()
                self.assertEqual(body["unknown"], {"fellowship": ["zz", "nan"],
                                                   "type": ["XYZ", "ABC"]})

    def test_unknown_values_do_not_change_what_is_found(self):
        known = api("meetings", {"fellowship": "aa", "limit": 5}).json()
        mixed = api("meetings", {"fellowship": "aa,nan", "limit": 5}).json()
        self.assertEqual(mixed["count"], known["count"])
        self.assertEqual([m["id"] for m in mixed["meetings"]],
                         [m["id"] for m in known["meetings"]])
        facets = api("meetings/facets", {"fellowship": "aa,nan"}).json()
        self.assertEqual(facets["count"], api("meetings/facets", {"fellowship": "aa"}).json()["count"])

    def test_type_codes_are_case_sensitive(self):
        self.assertIn("O", self.types)
        self.assertNotIn("o", self.types)
        body = api("meetings", {"type": "o"}).json()
        self.assertEqual(body["unknown"], {"type": ["o"]})

    def test_fellowship_slugs_are_lower_case(self):
        resp = api("meetings", {"fellowship": "AA"})
        self.assertEqual(resp.status, 400)
        self.assertEqual(resp.json()["error"]["param"], "fellowship")

    def test_known_but_nothing_found_is_not_unknown(self):
        """Unknown means not in the vocabulary, not "no result here"."""
        body = api("meetings", {"fellowship": "aa", "q": "zzqxjvkw"}).json()
        self.assertEqual(body["count"], 0)
        self.assertNotIn("unknown", body)
        if not self.idle_type:
            self.skipTest("every type code has meetings in this database")
        body = api("meetings", {"type": self.idle_type}).json()
        self.assertEqual(body["count"], 0)
        self.assertNotIn("unknown", body)

    def test_closed_errors_come_before_unknown(self):
        resp = api("meetings", {"fellowship": "nan", "attendance": "offline"})
        self.assertEqual(error_of(self, resp, "attendance"),
                         unknown_message("attendance", "offline",
                                         ["in_person", "online", "hybrid"]))


if __name__ == "__main__":
    main()
