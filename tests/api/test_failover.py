"""Failover: a streaming standby beside the test stack's cluster (REPLICAS=1),
the handler reading from it and writing reports to the primary. Under a wrk
search load, the primary is stopped (searches go on from the standby;
reports answer 503 JSON with Retry-After until the primary is back), then
the standby (reads move to the primary, and back once it returns). Each test
prints what it measured. tests/run.sh runs this suite last: it stops and
starts the databases, and leaves the stack as it found it."""

import os
import re
import subprocess
import time
import unittest

from harness import BASE_URL, ROOT, SearchLoad, api, main
from test_feedback import demo_meeting, post

WORKERS = int(os.environ.get("WORKERS", "3"))
SCRIPT = os.path.join(ROOT, "scripts", "stack.sh")
# Near a point: nginx's cache never answers it, every one reaches a worker.
NEAR = {"lat": 41.88, "lng": -87.63, "limit": 5}
SEARCH_URL = f"{BASE_URL}/api/v1/meetings?lat=41.88&lng=-87.63&limit=5"
# The demo meeting the reports are on, chosen as the suite starts.
meeting_id = None


def stack_with(replicas, *args):
    """scripts/stack.sh ARGS with REPLICAS set; returns its seconds."""
    start = time.monotonic()
    done = subprocess.run([SCRIPT, *args], env=dict(os.environ, REPLICAS=str(replicas)),
                          capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        raise AssertionError(f"stack.sh {' '.join(args)}: {done.stderr}")
    return time.monotonic() - start


def health():
    try:
        r = api("health")
        return r.status, (r.json() if r.status in (200, 503) else {})
    except OSError:
        return None, {}


def wait_for(predicate, seconds):
    """Seconds until predicate held, or None after seconds."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if predicate():
            return time.monotonic() - start
        time.sleep(0.1)
    return None


def all_workers_read(where):
    """Whether 2 * WORKERS health checks in a row read from where: every
    worker, as far as the accept queue spreads them."""
    return all(health()[1].get("reads") == where for _ in range(WORKERS * 2))


def report():
    """A report on a demo meeting: (status, headers, body)."""
    return post({"kind": "meeting", "id": meeting_id, "message": "The room moved upstairs."})


class Load:
    """wrk's search load for seconds, and beside it a probe: a search every
    20 ms, its time and status kept, to tell when the errors stopped."""

    def __init__(self, seconds):
        self.started = time.monotonic()
        self.wrk = subprocess.Popen(["wrk", "-t2", "-c8", f"-d{seconds}s", "--timeout", "5s",
                                     SEARCH_URL], stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT, text=True)
        self.probe = SearchLoad(NEAR, pause=0.02)

    def finish(self):
        """Waits for wrk; returns (requests, failed): failed counts the
        answers other than 2xx and 3xx and the socket errors."""
        out, _ = self.wrk.communicate(timeout=60)
        self.probe.stop()
        total = re.search(r"(\d+) requests in", out)
        non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                            out)
        if total is None:
            raise AssertionError(f"wrk: {out}")
        failed = int(non2xx.group(1)) if non2xx else 0
        failed += sum(int(n) for n in sockets.groups()) if sockets else 0
        return int(total.group(1)), failed

    def last_error_after(self, t):
        """Seconds from t to the last probe that was not a 200 (0 for none)."""
        bad = [when for when, status, _ in self.probe.answers if when >= t and status != 200]
        return max(bad) - t if bad else 0.0


class PrimaryAndStandby(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        global meeting_id
        meeting_id = demo_meeting()
        seconds = stack_with(1, "replica-start")
        print(f"standby made (pg_basebackup) and started in {seconds:.1f} s")
        stack_with(1, "app-start")
        if wait_for(lambda: all_workers_read("standby"), 30) is None:
            raise AssertionError(f"the handler does not read from the standby: {health()}")

    @classmethod
    def tearDownClass(cls):
        stack_with(0, "db-start")
        stack_with(1, "replica-remove")
        stack_with(0, "app-start")
        if wait_for(lambda: health()[1].get("status") == "ok", 15) is None:
            raise AssertionError(f"the stack did not come back: {health()}")

    def test_1_health_tells_the_standby_and_its_lag(self):
        status, body = health()
        self.assertEqual(status, 200)
        self.assertEqual(body, {"status": "ok", "database": "ok", "reads": "standby",
                                "lag": "none", "reports": "ok", "demo": True})

    def test_2_primary_stopped_under_load(self):
        load = Load(9)
        time.sleep(2)
        stopped = time.monotonic()
        stack_with(1, "db-stop")
        try:
            status, hdrs, body = report()
            self.assertEqual(status, 503, body)
            self.assertTrue(hdrs["content-type"].startswith("application/json"))
            self.assertIn(b'"database_unavailable"', body)
            self.assertGreaterEqual(int(hdrs["retry-after"]), 1)
            self.assertNotIn("access-control-allow-origin", hdrs)
            status, h = health()
            self.assertEqual((status, h.get("status"), h.get("reads"), h.get("reports")),
                             (200, "degraded", "standby", "unavailable"))
            time.sleep(2)
        finally:
            stack_with(1, "db-start")
        back = time.monotonic()
        stored = wait_for(lambda: report()[0] == 201, 10)
        total, failed = load.finish()
        last = load.last_error_after(stopped)
        print(f"primary stopped under wrk: {total} searches, {failed} failed; the last probe "
              f"error {last:.2f} s after the stop; reports stored again "
              f"{stored if stored is None else round(stored, 2)} s after the primary was back")
        self.assertEqual(failed, 0, "searches failed while the standby served them")
        self.assertLessEqual(last, 2.0)
        self.assertIsNotNone(stored, "reports were not stored after the primary came back")
        self.assertLessEqual(stored, 2.0)
        self.assertGreater(total, 100)
        self.assertIsNotNone(wait_for(lambda: health()[1].get("reports") == "ok", 5))

    def test_3_standby_stopped_under_load_then_back(self):
        load = Load(7)
        time.sleep(2)
        stopped = time.monotonic()
        stack_with(1, "replica-stop")
        moved = wait_for(lambda: all_workers_read("primary"), 10)
        total, failed = load.finish()
        last = load.last_error_after(stopped)
        print(f"standby stopped under wrk: {total} searches, {failed} failed; the last probe "
              f"error {last:.2f} s after the stop; every worker on the primary after "
              f"{moved if moved is None else round(moved, 2)} s")
        self.assertIsNotNone(moved, "reads did not move to the primary")
        self.assertLessEqual(last, 2.0)
        self.assertEqual(failed, 0, "searches failed while reads moved to the primary")
        self.assertEqual(report()[0], 201)
        # Back: each worker tries for a standby again ten seconds after it
        # settled for the primary.
        stack_with(1, "replica-start")
        returned = wait_for(lambda: all_workers_read("standby"), 40)
        print(f"standby started again: every worker read from it after "
              f"{returned if returned is None else round(returned, 1)} s")
        self.assertIsNotNone(returned, "reads did not return to the standby")


if __name__ == "__main__":
    main()
