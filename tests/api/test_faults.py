"""Fault tests: a worker killed, the database restarted, the handler down.
They disturb the stack, so tests/run.sh runs them after the API tests."""

import os
import signal
import subprocess
import threading
import time
import unittest

from harness import ROOT, VAR_DIR, SearchLoad, api, main, request, sql, stack

# A search that always reaches the handler: nginx's cache keeps answers
# without a place only, and would answer those while the handler is down.
NEAR = {"lat": 41.88, "lng": -87.63, "limit": 5}

WORKERS = int(os.environ.get("WORKERS", "3"))


def master_pid():
    with open(os.path.join(VAR_DIR, "run", "finder.pid")) as f:
        return int(f.read())


def worker_pids():
    out = subprocess.run(["pgrep", "-P", str(master_pid())], capture_output=True, text=True)
    return sorted(int(p) for p in out.stdout.split())


def wait_for(predicate, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def dead(pid):
    """Whether process pid has exited (gone, or a zombie its parent has not
    reaped yet): it can no longer accept a connection."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


def read(path):
    with open(path) as f:
        return f.read()


def healthy():
    try:
        return api("health").status == 200
    except OSError:
        return False


class WorkerKilled(unittest.TestCase):
    def test_master_replaces_a_killed_worker(self):
        before = worker_pids()
        self.assertEqual(len(before), WORKERS)
        os.kill(before[0], signal.SIGKILL)
        # SIGKILL is delivered asynchronously: until the worker is dead it
        # may still accept a connection and then die with it, which nginx
        # rightly answers 503. What is tested is the time after.
        self.assertTrue(wait_for(lambda: dead(before[0]), 10))
        # Searches near a point, which nginx never answers from its cache.
        statuses = [api("meetings", NEAR).status for _ in range(30)]
        self.assertEqual(set(statuses), {200})
        self.assertTrue(wait_for(lambda: len(worker_pids()) == WORKERS, 10))
        after = worker_pids()
        self.assertNotIn(before[0], after)
        self.assertEqual(set(before[1:]) & set(after), set(before[1:]))


def database_unavailable(r):
    """Whether r is the JSON 503 of a database that cannot be reached."""
    return (r.header("content-type").startswith("application/json") and
            r.json()["error"]["code"] == "database_unavailable" and
            int(r.header("retry-after")) >= 1)


class DatabaseRestart(unittest.TestCase):
    def test_503_while_down_then_recovers_without_restarting_handler(self):
        master = master_pid()
        workers = worker_pids()
        self.assertTrue(healthy())
        stack("db-stop")
        try:
            for _ in range(WORKERS * 3):
                r = api("meetings", {"lat": 41.88, "lng": -87.63})
                self.assertEqual(r.status, 503)
                self.assertGreaterEqual(int(r.header("retry-after")), 1)
                self.assertEqual(r.json()["error"]["code"], "database_unavailable")
            h = api("health")
            self.assertEqual(h.status, 503)
            self.assertEqual(h.json()["database"], "unavailable")
        finally:
            stack("db-start")
        self.assertTrue(wait_for(lambda: all(
            api("meetings", NEAR).status == 200 for _ in range(WORKERS * 2)), 30))
        self.assertEqual(master_pid(), master)
        self.assertEqual(worker_pids(), workers, "no worker crashed or was replaced")

    def test_restart_under_load_answers_only_200_or_503_and_recovers_within_2_s(self):
        workers = worker_pids()
        load = SearchLoad({"lat": 40.7, "lng": -74.0}, threads=3)
        try:
            time.sleep(0.5)
            stack("db-stop")
            time.sleep(1.5)
            stack("db-start")
            back = time.monotonic()
            # Full service: every worker answering, WORKERS * 3 searches in a
            # row (each worker retries its connection within a second).
            served = wait_for(lambda: all(
                api("meetings", NEAR).status == 200 for _ in range(WORKERS * 3)), 30)
            recovered = time.monotonic() - back
            time.sleep(0.5)
        finally:
            answers = load.stop()
        statuses = {status for _, status, _ in answers}
        refused = [r for _, status, r in answers if status == 503]
        late = [when - back for when, status, _ in answers if when > back + 2 and status != 200]
        print(f"{len(answers)} searches across the restart: {len(refused)} answered 503 while "
              f"the database was down, full service {recovered:.2f} s after it was back, "
              f"{len(late)} errors later than 2 s")
        self.assertTrue(statuses <= {200, 503}, statuses)
        self.assertTrue(all(database_unavailable(r) for r in refused), "a 503 was not the JSON error")
        self.assertIn(200, statuses)
        self.assertTrue(served)
        self.assertLessEqual(recovered, 2.0)
        self.assertEqual(late, [])
        self.assertEqual(worker_pids(), workers, "no worker crashed or was replaced")
        self.assertTrue(wait_for(healthy, 30))


class HandlerDown(unittest.TestCase):
    def test_nginx_answers_json_503_and_master_exits_cleanly(self):
        pid = master_pid()
        os.kill(pid, signal.SIGTERM)
        self.assertTrue(wait_for(lambda: not os.path.exists(f"/proc/{pid}"), 15))
        self.assertFalse(os.path.exists(os.path.join(VAR_DIR, "run", "finder.sock")))
        self.assertFalse(os.path.exists(os.path.join(VAR_DIR, "run", "finder.pid")))
        try:
            r = api("meetings", NEAR)
            self.assertEqual(r.status, 503)
            self.assertTrue(r.header("content-type").startswith("application/json"))
            self.assertEqual(r.json()["error"]["code"], "unavailable")
            self.assertIsNotNone(r.header("retry-after"))
            self.assertEqual(r.header("x-content-type-options"), "nosniff")
            self.assertEqual(r.header("referrer-policy"), "no-referrer")
            self.assertEqual(r.header("access-control-allow-origin"), "*")
            # A report while the handler is down: the same JSON, without
            # the read API's CORS header.
            r = request("POST", "/api/v1/feedback", headers={"Content-Type": "application/json",
                                                              "Content-Length": "0"})
            self.assertEqual(r.status, 503)
            self.assertTrue(r.header("content-type").startswith("application/json"))
            self.assertEqual(r.json()["error"]["code"], "unavailable")
            self.assertIsNotNone(r.header("retry-after"))
            self.assertEqual(r.header("x-content-type-options"), "nosniff")
            self.assertIsNone(r.header("access-control-allow-origin"))
            # nginx's error log keeps no request line either.
            api("meetings", {"lat": "41.77777", "lng": "-87.6"})
            log = open(os.path.join(VAR_DIR, "log", "nginx-error.log")).read()
            self.assertNotIn("41.77777", log)
        finally:
            stack("app-start")
        self.assertTrue(wait_for(healthy, 15))


class HandlerStalled(unittest.TestCase):
    def test_a_handler_that_never_answers_is_a_json_503_after_the_read_timeout(self):
        # Every worker stopped (SIGSTOP): nginx's connection is accepted
        # into the socket's backlog and nothing answers; after
        # fastcgi_read_timeout (15 s) nginx's 504 is the JSON 503.
        stalled = [master_pid()] + worker_pids()
        # runuser, the master's parent when the stack runs as root, stops
        # itself when its child stops (as su does), and would stay stopped,
        # never reaping the handler: it is continued too.
        with open(f"/proc/{stalled[0]}/stat") as f:
            parent = int(f.read().rsplit(")", 1)[1].split()[1])
        for pid in stalled:
            os.kill(pid, signal.SIGSTOP)
        try:
            start = time.monotonic()
            r = request("GET", "/api/v1/meetings?lat=41.88&lng=-87.63&limit=3", timeout=40)
            waited = time.monotonic() - start
        finally:
            for pid in stalled:
                os.kill(pid, signal.SIGCONT)
            if parent > 1:
                os.kill(parent, signal.SIGCONT)
        print(f"nginx gave up on the stalled handler after {waited:.1f} s")
        self.assertEqual(r.status, 503)
        self.assertTrue(r.header("content-type").startswith("application/json"))
        self.assertEqual(r.json()["error"]["code"], "unavailable")
        self.assertIsNotNone(r.header("retry-after"))
        self.assertEqual(r.header("cache-control"), "no-store")
        self.assertGreaterEqual(waited, 14)
        self.assertTrue(wait_for(healthy, 15))
        with open(f"/proc/{parent}/stat") as f:
            self.assertNotEqual(f.read().rsplit(")", 1)[1].split()[0], "T", "the handler's parent was left stopped")


class Drain(unittest.TestCase):
    def test_sigterm_lets_the_request_in_hand_finish(self):
        # A search held by a lock on meetings, in a worker when the master
        # is told to stop: it is answered before the worker exits. The lock
        # is held for about 1.3 s, well within the reader's statement
        # timeout (5 s), which must not be what ends the search.
        root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        locker = subprocess.Popen([os.path.join(root, "scripts", "stack.sh"), "psql", "-q"],
                                  stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL, text=True)
        locked = lambda: sql("SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                             "WHERE c.relname = 'meetings' AND l.mode = 'AccessExclusiveLock' "
                             "AND l.granted")[0][0] == "1"
        answers, master = [], master_pid()

        def search():
            start = time.monotonic()
            r = api("meetings", NEAR)
            answers.append((r, time.monotonic() - start))

        searcher = threading.Thread(target=search)
        try:
            locker.stdin.write("BEGIN;\nLOCK TABLE meetings IN ACCESS EXCLUSIVE MODE;\n")
            locker.stdin.flush()
            self.assertTrue(wait_for(locked, 10), "the lock was not taken")
            searcher.start()
            time.sleep(1.0)  # the search reaches a worker and waits for the lock
            os.kill(master, signal.SIGTERM)
            time.sleep(0.3)
            self.assertFalse(dead(master), "the master left before its worker finished")
        finally:
            locker.stdin.write("ROLLBACK;\n")
            locker.stdin.close()
            locker.wait(timeout=30)
            searcher.join(timeout=30)
        try:
            self.assertEqual([r.status for r, _ in answers], [200],
                             [r.body[:200] for r, _ in answers])
            # Answered after the lock went, so it was in hand at SIGTERM.
            self.assertGreaterEqual(answers[0][1], 1.25)
            print(f"the search held {answers[0][1]:.2f} s was answered 200 across SIGTERM")
            self.assertTrue(wait_for(lambda: dead(master), 15), "the master did not exit")
        finally:
            stack("app-start")
        self.assertTrue(wait_for(healthy, 15))


class Reload(unittest.TestCase):
    def test_reload_replaces_every_worker_without_a_failed_request(self):
        before = set(worker_pids())
        master = master_pid()
        load = SearchLoad(NEAR, threads=4)
        try:
            time.sleep(1)
            stack("reload")
            replaced = wait_for(lambda: len(worker_pids()) == WORKERS and
                                not before & set(worker_pids()), 20)
            time.sleep(1)
        finally:
            results = load.stop()
        failed = load.failed()
        print(f"{len(results)} requests across the reload, {len(failed)} failed")
        self.assertTrue(replaced, "the workers were not all replaced")
        self.assertEqual(master_pid(), master, "the master itself was restarted")
        self.assertEqual(failed, [])
        self.assertGreater(len(results), 20)


class RollingRestart(unittest.TestCase):
    def test_two_handlers_restarted_in_turn_under_load_fail_no_request(self):
        root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        script = os.path.join(root, "scripts", "stack.sh")
        two = dict(os.environ, HANDLERS="2")
        pidfile = lambda name: os.path.join(VAR_DIR, "run", name + ".pid")

        def pids():
            out = []
            for name in ("finder", "finder-2"):
                with open(pidfile(name)) as f:
                    out.append(int(f.read()))
            return out

        subprocess.run([script, "app-start"], env=two, check=True, capture_output=True)
        try:
            self.assertTrue(wait_for(healthy, 15))
            before = pids()
            load = SearchLoad(NEAR, threads=4)
            start = time.time()
            try:
                time.sleep(1)
                roll = subprocess.run([script, "restart-handlers"], env=two, capture_output=True,
                                      text=True, timeout=120)
                time.sleep(1)
            finally:
                results = load.stop()
            self.assertEqual(roll.returncode, 0, roll.stderr)
            failed = load.failed()
            print(f"{len(results)} requests in {time.time() - start:.1f} s across the rolling "
                  f"restart of 2 handlers, {len(failed)} failed")
            after = pids()
            self.assertTrue(before[0] != after[0] and before[1] != after[1], (before, after))
            self.assertEqual(failed, [])
            self.assertGreater(len(results), 20)
        finally:
            stack("app-start")
            self.assertFalse(os.path.exists(pidfile("finder-2")))
        self.assertTrue(wait_for(healthy, 15))


class RunSupervision(unittest.TestCase):
    """`make run` (scripts/stack.sh run) starts again a handler that died and
    an nginx that stopped, and leaves the database alone."""

    def start_run(self, name):
        """scripts/stack.sh run in the background, its output in log/NAME,
        once it serves: the process, and a function that reads its output
        so far. The scheduler runs, and passes once an hour: its first pass
        only."""
        out_path = os.path.join(VAR_DIR, "log", name)
        env = dict(os.environ, SYNC_INTERVAL="3600")
        with open(out_path, "w") as out:
            run = subprocess.Popen([os.path.join(ROOT, "scripts", "stack.sh"), "run"], env=env,
                                   stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        output = lambda: read(out_path)
        self.assertTrue(wait_for(lambda: "Press Ctrl-C to stop." in output(), 180), output())
        self.assertTrue(wait_for(healthy, 15))
        return run, output

    def test_a_dead_handler_is_started_again_and_the_database_left_alone(self):
        run, output = self.start_run("run-supervision.out")
        try:
            postmaster = read(os.path.join(VAR_DIR, "pgdata", "postmaster.pid")).split("\n")[0]
            old = master_pid()
            start = time.time()
            os.kill(old, signal.SIGKILL)
            self.assertTrue(wait_for(lambda: os.path.exists(os.path.join(VAR_DIR, "run", "finder.pid"))
                                     and master_pid() != old and healthy(), 30), output())
            print(f"the handler was back {time.time() - start:.1f} s after SIGKILL")
            self.assertIn("the handler exited", output())
            with open(os.path.join(VAR_DIR, "run", "nginx.pid")) as f:
                nginx = int(f.read())
            os.kill(nginx, signal.SIGQUIT)  # nginx's own graceful stop
            self.assertTrue(wait_for(lambda: "nginx exited" in output() and healthy(), 30), output())
            # The scheduler too, which serves no visitor: started again.
            sync_pid = os.path.join(VAR_DIR, "run", "sync.pid")
            scheduler = int(read(sync_pid))
            os.kill(scheduler, signal.SIGKILL)
            self.assertTrue(wait_for(lambda: "the scheduler exited" in output(), 15), output())
            self.assertTrue(wait_for(lambda: os.path.exists(sync_pid) and
                                     int(read(sync_pid) or 0) not in (0, scheduler) and
                                     not dead(int(read(sync_pid))), 15), output())
            self.assertEqual(postmaster,
                             read(os.path.join(VAR_DIR, "pgdata", "postmaster.pid")).split("\n")[0],
                             "the database was restarted")
            self.assertIsNone(run.poll(), "the run ended")
        finally:
            # The run's shell only: the handler and nginx it started serve on.
            if run.poll() is None:
                run.kill()
            run.wait()
            stack("app-start")
        self.assertTrue(wait_for(healthy, 15))

    def test_b_make_stop_ends_a_run_in_the_foreground(self):
        """`make stop` from another terminal while `make run` supervises: the
        run stops everything and exits 0, and starts nothing again (it used
        to start nginx again as stop stopped it, which kept the port)."""
        run, output = self.start_run("run-stop.out")
        try:
            with open(os.path.join(VAR_DIR, "run", "nginx.pid")) as f:
                nginx = int(f.read())
            stack("stop")
            self.assertEqual(run.wait(timeout=90), 0, output())
            self.assertIn("Stopped.", output())
            time.sleep(2)  # a start again would come within the supervisor's second
            self.assertTrue(dead(nginx), "nginx still runs")
            for name in ("nginx.pid", "finder.pid", "sync.pid", "run.pid"):
                self.assertFalse(os.path.exists(os.path.join(VAR_DIR, "run", name)), name)
            self.assertFalse(healthy(), "something still answers on the port")
            self.assertNotIn("starting it again", output())
        finally:
            if run.poll() is None:
                run.kill()
            run.wait()
            stack("start")
        self.assertTrue(wait_for(healthy, 30))


if __name__ == "__main__":
    main()
