"""What nginx serves besides the API (nginx/finder.conf.template), against
the running stack: the page and /embed, the same page for the partner
widget's iframe on other sites, with their security headers; the page's
settings in /config.json (the map's tile server) and that server in the
Content-Security-Policy; the crisis lines in /crisis.json (CRISIS_LINES); Leaflet from web/node_modules at /vendor/leaflet/,
compressed; npm's files never served; no cookies; CORS on the API only."""

import json
import os
import re
import subprocess
import unittest
import urllib.parse

from harness import ROOT, get, main, request

PERMISSIONS_POLICY = "geolocation=(self), camera=(), microphone=(), interest-cohort=()"
# Everything nginx answers here, the API's answers and its errors included.
TARGETS = ("/", "/embed", "/embed?partner=example", "/index.html", "/config.json", "/crisis.json",
           "/vendor/leaflet/leaflet.css", "/vendor/leaflet/leaflet-src.esm.js",
           "/package.json", "/no-such-file", "/api/v1/health", "/api/v1/meetings?limit=1",
           "/api/v1/meetings?lat=x")
NOT_SERVED = ("/package.json", "/package-lock.json", "/node_modules", "/node_modules/",
              "/node_modules/leaflet/package.json", "/node_modules/leaflet/dist/leaflet.css",
              "/node_modules/.package-lock.json", "/%6Eode_modules/leaflet/package.json",
              "/vendor/leaflet/../../package.json", "/vendor/leaflet/../package-lock.json",
              "/vendor/leaflet/package.json")


def csp(response):
    """The Content-Security-Policy as {directive: [source, ...]}."""
    policy = {}
    for part in response.header("content-security-policy").split(";"):
        words = part.split()
        if words:
            policy[words[0]] = words[1:]
    return policy


def gzipped(target):
    return request("GET", target, headers={"Accept-Encoding": "gzip"})


class EmbeddablePage(unittest.TestCase):
    def test_embed_is_the_page(self):
        page = get("/")
        self.assertEqual(page.status, 200)
        for target in ("/embed", "/embed?partner=example"):
            r = get(target)
            self.assertEqual(r.status, 200, target)
            self.assertEqual(r.header("content-type").split(";")[0], "text/html", target)
            self.assertEqual(r.body, page.body, target)

    def test_only_embed_may_be_framed_by_other_sites(self):
        for target, ancestors in (("/", ["'self'"]), ("/index.html", ["'self'"]),
                                  ("/embed", ["*"]), ("/embed?partner=example", ["*"]),
                                  ("/embedded", ["'self'"]), ("/config.json", ["'self'"]),
                                  ("/api/v1/health", ["'self'"])):
            self.assertEqual(csp(get(target))["frame-ancestors"], ancestors, target)

    def test_embed_has_the_page_policy_otherwise(self):
        page, embed = csp(get("/")), csp(get("/embed"))
        del page["frame-ancestors"], embed["frame-ancestors"]
        self.assertEqual(embed, page)
        self.assertEqual(page["script-src"], ["'self'"])
        self.assertEqual(page["object-src"], ["'none'"])

    def test_security_headers_everywhere(self):
        for target in TARGETS:
            r = get(target)
            self.assertEqual(r.header("x-content-type-options"), "nosniff", target)
            self.assertEqual(r.header("referrer-policy"), "no-referrer", target)
            self.assertEqual(r.header("permissions-policy"), PERMISSIONS_POLICY, target)
            self.assertNotIn("unsafe-inline", r.header("content-security-policy"), target)
            self.assertNotIn("unsafe-eval", r.header("content-security-policy"), target)

    def test_no_cookies(self):
        for target in TARGETS + NOT_SERVED:
            self.assertIsNone(get(target).header("set-cookie"), target)

    def test_static_files_are_revalidated(self):
        for target in ("/", "/embed", "/config.json", "/vendor/leaflet/leaflet.css"):
            self.assertEqual(get(target).header("cache-control"), "no-cache", target)
        r = get("/")
        self.assertIsNotNone(r.header("etag"))
        again = request("GET", "/", headers={"If-None-Match": r.header("etag")})
        self.assertEqual(again.status, 304)
        # The API keeps the handler's own policy.
        self.assertEqual(get("/api/v1/health").header("cache-control"), "no-store")


class MapSettings(unittest.TestCase):
    def test_config_names_a_tile_server(self):
        r = get("/config.json")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.header("content-type").split(";")[0], "application/json")
        config = r.json()
        self.assertEqual(set(config), {"map_tiles", "map_attribution"})
        tiles = config["map_tiles"]
        for part in ("{z}", "{x}", "{y}"):
            self.assertIn(part, tiles)
        self.assertIsInstance(config["map_attribution"], str)
        self.assertNotEqual(config["map_attribution"].strip(), "")

    def test_images_may_come_from_the_tile_server_only(self):
        tiles = get("/config.json").json()["map_tiles"]
        url = urllib.parse.urlsplit(tiles)
        img_src = csp(get("/"))["img-src"]
        if url.scheme:
            self.assertIn(url.scheme, ("https", "http"))
            origin = f"{url.scheme}://{url.netloc}"
            self.assertEqual(img_src, ["'self'", "data:", origin])
        else:
            # Tiles from this server: nothing beside the page's own.
            self.assertTrue(tiles.startswith("/") and not tiles.startswith("//"), tiles)
            self.assertEqual(img_src, ["'self'", "data:"])
        # Nothing else is loaded from the tile server.
        for directive in ("default-src", "script-src", "style-src", "connect-src"):
            self.assertEqual(csp(get("/"))[directive], ["'self'"], directive)


STACK = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts", "stack.sh")


def crisis_json(value):
    """scripts/stack.sh's rendering of CRISIS_LINES=value: (status, output)."""
    env = {k: v for k, v in os.environ.items() if k != "CRISIS_LINES"}
    if value is not None:
        env["CRISIS_LINES"] = value
    done = subprocess.run(["bash", STACK, "crisis-json"], env=env, capture_output=True, text=True)
    return done.returncode, done.stdout.strip() or done.stderr.strip()


class CrisisLines(unittest.TestCase):
    def test_the_page_own_lines_by_default(self):
        r = get("/crisis.json")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.header("content-type").split(";")[0], "application/json")
        self.assertEqual(r.json(), {"crisis_lines": None})

    def test_a_deployment_names_its_own(self):
        status, out = crisis_json("Línea de la Vida=800 911 2000;Locatel \"CDMX\"=+52 55 5658-1111")
        self.assertEqual(status, 0, out)
        self.assertEqual(json.loads(out), [{"label": "Línea de la Vida", "tel": "800 911 2000"},
                                           {"label": 'Locatel "CDMX"', "tel": "+52 55 5658-1111"}])
        self.assertEqual(crisis_json("none"), (0, "[]"))
        self.assertEqual(crisis_json(None), (0, "null"))

    def test_what_is_not_a_phone_line_is_refused(self):
        for value in ("988", "Help=call us", "Help=988;Other", "Help=<script>"):
            status, out = crisis_json(value)
            self.assertNotEqual(status, 0, value)
            self.assertIn("CRISIS_LINES", out, value)


class Leaflet(unittest.TestCase):
    FILES = (("/vendor/leaflet/leaflet-src.esm.js", ("application/javascript", "text/javascript")),
             ("/vendor/leaflet/leaflet.css", ("text/css",)))

    def test_served_with_their_types_and_compressed(self):
        for target, types in self.FILES:
            plain = get(target)
            self.assertEqual(plain.status, 200, target)
            self.assertIn(plain.header("content-type").split(";")[0], types, target)
            self.assertIsNone(plain.header("content-encoding"), target)
            packed = gzipped(target)
            self.assertEqual(packed.status, 200, target)
            self.assertEqual(packed.header("content-encoding"), "gzip", target)
            self.assertEqual(packed.body, plain.body, target)  # harness decompresses

    def test_the_module_and_its_images(self):
        self.assertIn(b"export {", get("/vendor/leaflet/leaflet-src.esm.js").body)
        css = get("/vendor/leaflet/leaflet.css").body.decode()
        self.assertIn(".leaflet-container", css)
        # The images leaflet.css names, beside it, and the markers' shadow,
        # which Leaflet finds beside the icon.
        images = set(re.findall(r"url\((images/[\w.-]+)\)", css))
        self.assertIn("images/marker-icon.png", images)
        for name in sorted(images | {"images/marker-shadow.png"}):
            r = get("/vendor/leaflet/" + name)
            self.assertEqual(r.status, 200, name)
            self.assertEqual(r.header("content-type"), "image/png", name)

    def test_npm_files_are_not_served(self):
        for target in NOT_SERVED:
            r = get(target)
            self.assertEqual(r.status, 404, target)
            self.assertNotIn(b'"leaflet"', r.body, target)
            self.assertNotIn(b"lockfileVersion", r.body, target)

    def test_no_directory_listing(self):
        for target in ("/vendor/", "/vendor/leaflet/", "/vendor/leaflet/images/"):
            r = get(target)
            self.assertIn(r.status, (403, 404), target)
            self.assertNotIn(b".png", r.body, target)
            self.assertNotIn(b"leaflet.css", r.body, target)


class OpenApiDocument(unittest.TestCase):
    """GET /api/v1/openapi.json: web/openapi.json, served as the file."""

    def test_served_as_json_with_cors_and_revalidated(self):
        r = get("/api/v1/openapi.json")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.header("content-type"), "application/json; charset=utf-8")
        self.assertEqual(r.header("access-control-allow-origin"), "*")
        self.assertEqual(r.header("cache-control"), "no-cache")
        self.assertEqual(r.header("x-content-type-options"), "nosniff")
        with open(os.path.join(ROOT, "web", "openapi.json"), "rb") as f:
            self.assertEqual(r.body, f.read())
        self.assertTrue(r.json()["openapi"].startswith("3.1."))
        again = get("/api/v1/openapi.json", headers={"If-None-Match": r.header("etag")})
        self.assertEqual(again.status, 304)

    def test_only_get_and_head(self):
        r = request("POST", "/api/v1/openapi.json", headers={"Content-Length": "0"})
        self.assertEqual(r.status, 405)
        self.assertEqual(r.header("allow"), "GET, HEAD")
        self.assertEqual(r.json()["error"]["code"], "method_not_allowed")


class Cors(unittest.TestCase):
    ORIGIN = {"Origin": "https://partner.example.org"}

    def test_the_api_allows_any_origin(self):
        for method in ("GET", "HEAD"):
            r = request(method, "/api/v1/meetings?limit=1", headers=self.ORIGIN)
            self.assertEqual(r.status, 200, method)
            self.assertEqual(r.header("access-control-allow-origin"), "*", method)
            self.assertIsNone(r.header("access-control-allow-credentials"), method)

    def test_the_page_and_its_files_get_none(self):
        for target in ("/", "/embed", "/config.json", "/vendor/leaflet/leaflet-src.esm.js",
                       "/package.json"):
            r = request("GET", target, headers=self.ORIGIN)
            self.assertIsNone(r.header("access-control-allow-origin"), target)
            self.assertIsNone(r.header("access-control-allow-credentials"), target)


if __name__ == "__main__":
    main()
