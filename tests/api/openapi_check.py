"""Checks an API answer against web/openapi.json, the API's description:
its status must be one the document lists for the operation (the method on
the path template the path matches), and its body must match the schema
of that status for its content type (JSON Schema 2020-12, with Debian's
python3-jsonschema). harness.request() calls check() on every answer to a
path under /api/v1/, so a test whose request gets an answer that drifts
from the document fails, naming the method, path, status and the schema's
complaint."""

import json
import os
import re
import urllib.parse

import jsonschema

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DOCUMENT = os.path.join(ROOT, "web", "openapi.json")
PREFIX = "/api/v1/"

# Statuses nginx answers itself on any path, documented operation or not
# (a request it cannot parse or will not take): their bodies are errors.
NGINX_STATUSES = {400, 405, 411, 413, 414, 429, 431, 501, 503, 505}

_doc = None
_templates = None
_validators = {}


def document():
    global _doc, _templates
    if _doc is None:
        with open(DOCUMENT, encoding="utf-8") as f:
            _doc = json.load(f)
        _templates = []
        for template in _doc["paths"]:
            parts = re.split(r"(\{[^}]+\})", template)
            rx = "".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts)
            literal = sum(len(p) for p in parts if not p.startswith("{"))
            _templates.append((literal, template, re.compile(rx + r"\Z")))
        # The most literal template first: /meetings/facets before
        # /meetings/{id}, /meetings/{id}.ics before /meetings/{id}.
        _templates.sort(key=lambda t: -t[0])
    return _doc


def template_of(path):
    """The document's path template that path matches, or None."""
    document()
    for _, template, rx in _templates:
        if rx.match(path):
            return template
    return None


def resolve(obj):
    """obj with a local $ref (#/components/...) followed."""
    while isinstance(obj, dict) and "$ref" in obj and obj["$ref"].startswith("#/"):
        node = document()
        for part in obj["$ref"][2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        obj = node
    return obj


def validator(schema):
    """A validator of schema, whose $refs resolve against the document."""
    key = json.dumps(schema, sort_keys=True)
    if key not in _validators:
        root = dict(schema)
        root["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        root["components"] = document()["components"]
        _validators[key] = jsonschema.Draft202012Validator(root)
    return _validators[key]


def error_response(status=None):
    """The document's answer for a path or method it has no operation for:
    its 404 and 405 answers, else any error (nginx's own have its shape)."""
    named = {404: "NotFound", 405: "MethodNotAllowed"}
    if status in named:
        return resolve({"$ref": "#/components/responses/" + named[status]})
    return {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _fail(method, target, status, why):
    raise AssertionError(f"OpenAPI: {method} {target} answered {status}: {why}")


def _check_headers(method, target, status, response, headers):
    for name, header in response.get("headers", {}).items():
        header = resolve(header)
        value = headers.get(name.lower())
        if value is None:
            if header.get("required"):
                _fail(method, target, status, f"no {name} header, which the document requires")
            continue
        schema = header.get("schema", {})
        if "integer" in (schema.get("type") or ""):
            if not value.isdigit():
                _fail(method, target, status, f"{name}: {value!r} is not a whole number")
            value = int(value)
        err = jsonschema.exceptions.best_match(validator(schema).iter_errors(value))
        if err is not None:
            _fail(method, target, status, f"{name}: {err.message}")


def _check_body(method, target, status, response, headers, body):
    _check_headers(method, target, status, response, headers)
    content = response.get("content")
    if not content:
        if body and method != "HEAD":
            _fail(method, target, status, "a body where the document describes none")
        return
    ctype = (headers.get("content-type") or "").split(";")[0].strip().lower()
    if ctype not in content:
        _fail(method, target, status,
              f"Content-Type {ctype or '(none)'}, not one of {sorted(content)}")
    if method == "HEAD" or ctype != "application/json":
        return  # no body to read, or one the document describes as text
    try:
        instance = json.loads(body.decode("utf-8"))
    except ValueError as e:
        _fail(method, target, status, f"the body is not JSON ({e})")
    schema = content[ctype].get("schema", {})
    err = jsonschema.exceptions.best_match(validator(schema).iter_errors(instance))
    if err is not None:
        where = "/".join(str(p) for p in err.absolute_path) or "(the body)"
        _fail(method, target, status, f"at {where}: {err.message}")


def check(method, target, status, headers, body):
    """Raises AssertionError when the answer (status, headers with lower-case
    names, body bytes) is not one the document describes. Paths outside
    /api/v1/ are not the API's, and pass."""
    if not target.startswith("/"):
        return  # an absolute form or *: nginx's business
    path = urllib.parse.unquote(urllib.parse.urlsplit(target).path)
    if not path.startswith(PREFIX):
        return
    if status == 204 and method == "OPTIONS":
        return  # a CORS preflight, which nginx answers without a body
    template = template_of(path)
    if template is None:
        # No such endpoint: 404 not_found, or one of nginx's own errors.
        if status != 404 and status not in NGINX_STATUSES:
            _fail(method, target, status, "no path of the document matches, and not a 404")
        return _check_body(method, target, status, error_response(status), headers, body)
    ops = document()["paths"][template]
    op = ops.get("get" if method == "HEAD" else method.lower())
    if op is None:
        # A method the path does not take: 405 with Allow (documented in
        # info.description), or nginx's own error.
        if status not in NGINX_STATUSES:
            _fail(method, target, status, f"{template} has no {method}, and not a 405")
        return _check_body(method, target, status, error_response(status), headers, body)
    response = op["responses"].get(str(status))
    if response is None:
        _fail(method, target, status,
              f"status not listed for {method} {template} (lists {sorted(op['responses'])})")
    _check_body(method, target, status, resolve(response), headers, body)
