"""Shared pieces of the API tests: HTTP against the running stack, SQL
through the stack's psql, and a unittest runner that ends with the RESULT
line tests/run.sh counts."""

import functools
import gzip
import http.client
import json
import os
import subprocess
import sys
import threading
import time
import unittest
import urllib.parse

import openapi_check

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:8080")
VAR_DIR = os.environ.get("VAR_DIR", os.path.join(ROOT, "var"))
_base = urllib.parse.urlsplit(BASE_URL)


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def header(self, name):
        return self.headers.get(name.lower())

    def json(self):
        return json.loads(self.body.decode("utf-8"))


def request(method, target, headers=None, timeout=20):
    """Sends one request with the target exactly as given (no quoting), so
    tests can send what a hostile client would."""
    conn = http.client.HTTPConnection(_base.hostname, _base.port, timeout=timeout)
    try:
        given = {k.lower() for k in (headers or {})}
        conn.putrequest(method, target, skip_accept_encoding=True, skip_host="host" in given)
        for k, v in (headers or {}).items():
            conn.putheader(k, v)
        conn.endheaders()
        resp = conn.getresponse()
        body = resp.read()
        hdrs = {k.lower(): v for k, v in resp.getheaders()}
        if hdrs.get("content-encoding") == "gzip":
            body = gzip.decompress(body)
        # Every answer under /api/v1/ must be one web/openapi.json
        # describes: a drift fails the test that made the request.
        openapi_check.check(method, target, resp.status, hdrs, body)
        return Response(resp.status, hdrs, body)
    finally:
        conn.close()


def get(target, **kw):
    return request("GET", target, **kw)


def api(path, params=None):
    """GET /api/v1/PATH with params (a dict or list of pairs) encoded."""
    target = "/api/v1/" + path
    if params:
        target += "?" + urllib.parse.urlencode(params, safe=",")
    return get(target)


class SearchLoad:
    """Threads each sending a search (GET /api/v1/meetings with params)
    after another, pause seconds apart, from now until stop(): the load a
    fault test keeps on the stack while it restarts or stops a part of it.
    answers holds one (time.monotonic() at the answer, status, response) a
    search, in the order they came: status is the HTTP status, or the repr
    of the OSError of a search that got no answer; response is the
    Response of a status other than 200 (to judge the error), else None,
    so that a long load keeps little."""

    def __init__(self, params, threads=1, pause=0.0):
        self.answers = []
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._search, args=(params, pause))
                         for _ in range(threads)]
        for t in self._threads:
            t.start()

    def _search(self, params, pause):
        while not self._stop.is_set():
            try:
                r = api("meetings", params)
                self.answers.append((time.monotonic(), r.status, None if r.status == 200 else r))
            except OSError as e:
                self.answers.append((time.monotonic(), repr(e), None))
            if pause:
                self._stop.wait(pause)

    def stop(self):
        """Ends the load once each thread has its search in hand answered;
        returns answers."""
        self._stop.set()
        for t in self._threads:
            t.join()
        return self.answers

    def failed(self):
        """The statuses other than 200, in order."""
        return [status for _, status, _ in self.answers if status != 200]


def query_text(name):
    """The SQL of sql/queries/NAME.sql as the handler prepares it: its
    fragments (sql/queries/include/) spliced in by scripts/sqlinc.sh."""
    return subprocess.run(
        [os.path.join(ROOT, "scripts", "sqlinc.sh"),
         os.path.join(ROOT, "sql", "queries", name + ".sql")],
        check=True, capture_output=True, text=True).stdout


@functools.lru_cache(maxsize=None)
def query_params(name):
    """The parameter names of sql/queries/NAME.sql in order, $1's first: its
    -- @params line with its fragments' names in place (scripts/sqlinc.sh
    -p); empty for a statement without one."""
    return tuple(subprocess.run(
        [os.path.join(ROOT, "scripts", "sqlinc.sh"), "-p",
         os.path.join(ROOT, "sql", "queries", name + ".sql")],
        check=True, capture_output=True, text=True).stdout.split())


def query_args(name, values):
    """The arguments of sql/queries/NAME.sql in the order of its parameters,
    from values: a dict of their names (as its -- @params line and its
    fragments' name them: "day", "lat", "limit") to SQL literals; those not
    given are NULL. A name the statement does not take is an error, so that
    a value is never bound to nothing. A statement without names ($1, $2)
    takes a sequence, in order."""
    names = query_params(name)
    if not isinstance(values, dict):
        if names:
            raise ValueError(f"{name} names its parameters: give them by name")
        return list(values)
    unknown = sorted(set(values) - set(names))
    if unknown:
        raise ValueError(f"{name} takes no parameter {', '.join(unknown)}")
    return [values.get(n, "NULL") for n in names]


def prepared(name, values):
    """SQL that prepares sql/queries/NAME.sql as q, as the handler does (the
    parameters' types inferred from the statement), and the EXECUTE of it
    with values (query_args): "PREPARE q AS ...;\nEXECUTE q(...)"."""
    args = query_args(name, values)
    return (f"PREPARE q AS {query_text(name)};\n"
            f"EXECUTE q{'(' + ', '.join(args) + ')' if args else ''}")


def sql(query):
    """Runs one query as the cluster's superuser; returns rows of strings."""
    out = subprocess.run(
        [os.path.join(ROOT, "scripts", "stack.sh"), "psql", "-tA", "-F", "\t", "-c", query],
        check=True, capture_output=True, text=True).stdout
    return [line.split("\t") for line in out.splitlines() if line != ""]


def sql_value(query):
    return sql(query)[0][0]


def forget_sources(pattern):
    """Removes the sources whose slug is LIKE pattern and everything they
    imported, meetings and services (as the superuser: the importer deletes
    nothing), so that a suite can run again on the same database."""
    src = f"(SELECT id FROM sources WHERE slug LIKE '{pattern}')"
    sql(f"""DELETE FROM meetings WHERE source_id IN {src};
            DELETE FROM locations WHERE source_id IN {src};
            DELETE FROM hsds.attribute WHERE link_id IN
                (SELECT id FROM hsds.service WHERE source_id IN {src});
            DELETE FROM hsds.service WHERE source_id IN {src};
            DELETE FROM hsds.location WHERE source_id IN {src};
            DELETE FROM hsds.organization WHERE source_id IN {src};
            DELETE FROM sources WHERE slug LIKE '{pattern}'""")


def stack(*args):
    subprocess.run([os.path.join(ROOT, "scripts", "stack.sh"), *args], check=True,
                   capture_output=True, text=True)


def main():
    suite = unittest.defaultTestLoader.loadTestsFromModule(sys.modules["__main__"])
    result = unittest.TextTestRunner(verbosity=2, stream=sys.stdout).run(suite)
    failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
    skipped = len(result.skipped)
    passed = result.testsRun - failed - skipped
    print(f"RESULT passed={passed} failed={failed} skipped={skipped}")
    sys.exit(0 if failed == 0 else 1)
