"""The route table and web/openapi.json agree: every route of
fcgi/src/route.c (`finder routes`) is a path of the document with the same
methods and query parameters, each with the same bounds, choices, pattern
and lengths as its rule, and the document has no path that no route (or
nginx itself) serves. A control shows the comparison finds a difference."""

import copy
import json
import os
import subprocess
import unittest

import harness
import openapi_check

ROOT = harness.ROOT
# Paths nginx serves itself, with no route in the handler.
NGINX_PATHS = {"/api/v1/openapi.json"}


def finder_bin():
    """FINDER_BIN (the stack's handler) when set, else build/finder."""
    given = os.environ.get("FINDER_BIN")
    if given and os.access(given, os.X_OK):
        return given
    return os.path.join(ROOT, "build", "finder")


def route_table():
    out = subprocess.run([finder_bin(), "routes"], check=True, capture_output=True,
                         text=True).stdout
    return json.loads(out)["routes"]


def anchored(pattern):
    """A PCRE2 pattern the handler matches whole, as the document writes it."""
    return "^(?:" + pattern + ")$"


def resolve(doc, obj):
    while isinstance(obj, dict) and "$ref" in obj:
        node = doc
        for part in obj["$ref"][2:].split("/"):
            node = node[part]
        obj = node
    return obj


def compare_value(where, rule, schema):
    """What differs between a parameter's rule and its schema."""
    found = []

    def differ(what, theirs, ours):
        if theirs != ours:
            found.append(f"{where}: {what} is {ours!r} in the document, {theirs!r} in the rule")

    kind = rule["type"]
    if kind in ("number", "integer"):
        differ("type", kind, schema.get("type"))
        differ("minimum", rule["min"], schema.get("minimum"))
        differ("maximum", rule["max"], schema.get("maximum"))
        return found
    if kind in ("list", "text_list"):
        differ("type", "array", schema.get("type"))
        differ("maxItems", rule["max_items"], schema.get("maxItems"))
        schema = schema.get("items", {})
    differ("item type" if kind.endswith("list") else "type", "string", schema.get("type"))
    if "choices" in rule:
        differ("enum", sorted(rule["choices"]), sorted(schema.get("enum", [])))
        return found
    differ("enum", None, schema.get("enum"))
    differ("pattern", anchored(rule["pattern"]) if "pattern" in rule else None,
           schema.get("pattern"))
    differ("maxLength", rule["max_length"], schema.get("maxLength"))
    return found


def differences(routes, doc):
    """Every difference between the route table and the document, in words."""
    found = []
    by_path = {r["path"]: r for r in routes}
    paths = doc.get("paths", {})
    for path in sorted(set(by_path) - set(paths)):
        found.append(f"{path}: a route the document lacks")
    for path in sorted(set(paths) - set(by_path) - NGINX_PATHS):
        found.append(f"{path}: in the document, but no route serves it")
    for path in sorted(set(by_path) & set(paths)):
        route, ops = by_path[path], paths[path]
        methods = {m.upper() for m in ops if m in ("get", "post", "put", "delete", "patch",
                                                   "head", "options")}
        if "GET" in methods:
            methods.add("HEAD")  # every GET also answers HEAD
        if methods != set(route["methods"]):
            found.append(f"{path}: methods {sorted(methods)} in the document, "
                         f"{sorted(route['methods'])} in the route")
        op = ops.get(route["methods"][0].lower(), {})
        params = [resolve(doc, p) for p in op.get("parameters", [])]
        query = {p["name"]: p for p in params if p.get("in") == "query"}
        rules = {r["name"]: r for r in route["parameters"]}
        for name in sorted(set(rules) - set(query)):
            found.append(f"{path}: parameter {name} the document lacks")
        for name in sorted(set(query) - set(rules)):
            found.append(f"{path}: parameter {name} in the document, but not in the rules")
        for name in sorted(set(rules) & set(query)):
            found += compare_value(f"{path} {name}", rules[name], query[name].get("schema", {}))
        ids = [p for p in params if p.get("in") == "path"]
        if "id_pattern" in route:
            if len(ids) != 1:
                found.append(f"{path}: {len(ids)} path parameters in the document, not 1")
            else:
                found += compare_value(f"{path} {{id}}", {"type": "choice",
                                       "pattern": route["id_pattern"],
                                       "max_length": ids[0]["schema"].get("maxLength")},
                                       ids[0]["schema"])
        elif ids:
            found.append(f"{path}: path parameters in the document, none in the route")
    return found


class Parity(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.routes = route_table()
        cls.doc = openapi_check.document()

    def test_route_table_and_document_agree(self):
        self.assertGreater(len(self.routes), 15)
        self.assertEqual(differences(self.routes, self.doc), [])

    def test_nginx_serves_the_paths_no_route_serves(self):
        with open(os.path.join(ROOT, "nginx", "finder.conf.template")) as f:
            conf = f.read()
        for path in NGINX_PATHS:
            self.assertIn(f"location = {path} ", conf)
            self.assertIn(path, self.doc["paths"])

    def test_control_a_removed_parameter_and_an_added_path_are_found(self):
        doc = copy.deepcopy(self.doc)
        op = doc["paths"]["/api/v1/meetings"]["get"]
        op["parameters"] = [p for p in op["parameters"]
                            if resolve(doc, p)["name"] != "starts_within"]
        doc["paths"]["/api/v1/meetings/nearby"] = copy.deepcopy(doc["paths"]["/api/v1/types"])
        self.assertEqual(differences(self.routes, doc), [
            "/api/v1/meetings/nearby: in the document, but no route serves it",
            "/api/v1/meetings: parameter starts_within the document lacks",
        ])

    def test_control_a_changed_bound_choice_and_method_are_found(self):
        doc = copy.deepcopy(self.doc)
        doc["components"]["parameters"]["limit"]["schema"]["maximum"] = 500
        doc["components"]["parameters"]["attendance"]["schema"]["items"]["enum"].append("phone")
        doc["paths"]["/api/v1/types"]["post"] = doc["paths"]["/api/v1/types"]["get"]
        found = differences(self.routes, doc)
        self.assertIn("/api/v1/meetings limit: maximum is 500 in the document, 100.0 in the rule",
                      found)
        self.assertTrue(any("attendance: enum" in f for f in found), found)
        self.assertTrue(any(f.startswith("/api/v1/types: methods") for f in found), found)

    def test_control_a_route_the_document_lacks_is_found(self):
        doc = copy.deepcopy(self.doc)
        del doc["paths"]["/api/v1/categories"]
        self.assertEqual(differences(self.routes, doc),
                         ["/api/v1/categories: a route the document lacks"])


if __name__ == "__main__":
    harness.main()
