"""A failed start stops what it started (scripts/stack.sh start and run),
and leaves running what it found running. Each test makes a start fail on
purpose after PostgreSQL is up, with a setting checked late, on a cluster
of its own (a state directory and ports of this suite's, beside the test
stack, which it does not touch)."""

import os
import shutil
import socket
import subprocess
import tempfile
import unittest

from harness import ROOT, main

STACK = os.path.join(ROOT, "scripts", "stack.sh")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listening(port):
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


class FailedStart(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.var = tempfile.mkdtemp(prefix="finder-start.")
        # Ports and a database of this suite's; no demo data, no
        # scheduler unless a test asks (each setting may be overridden).
        cls.env = dict(os.environ, VAR_DIR=cls.var, PORT=str(free_port()), DB_PORT=str(free_port()),
                       DB_NAME="finder_start", DEMO_SIZE="0", DEMO_SERVICES="0", REPLICAS="0",
                       HANDLERS="1", WORKERS="1", SYNC_INTERVAL="0")

    @classmethod
    def tearDownClass(cls):
        subprocess.run([STACK, "stop"], env=cls.env, capture_output=True, timeout=120)
        shutil.rmtree(cls.var, ignore_errors=True)

    def stack(self, *args, check=True, **settings):
        out = subprocess.run([STACK, *args], env=dict(self.env, **settings), capture_output=True,
                             text=True, timeout=600)
        if check and out.returncode != 0:
            self.fail(f"stack.sh {' '.join(args)} failed:\n{out.stderr[-2000:]}")
        return out

    def failing(self, *args, reason, **settings):
        """stack.sh ARGS with SETTINGS must fail for REASON."""
        out = self.stack(*args, check=False, **settings)
        self.assertNotEqual(out.returncode, 0, out.stderr[-2000:])
        self.assertIn(reason, out.stderr)
        return out

    def said(self, out):
        """The failed start said what it does (checked last: what runs
        matters first)."""
        self.assertIn("the start failed; stopping what it started", out.stderr)

    def running(self, pgdata):
        """Whether a postmaster runs on the data directory pgdata (it
        removes postmaster.pid when it stops)."""
        return os.path.exists(os.path.join(self.var, pgdata, "postmaster.pid"))

    def leftovers(self):
        """Processes whose command line or environment names this suite's
        state directory (the postmaster's -D, nginx's -p, the handler's
        socket and pid file)."""
        found = []
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    text = f.read()
                with open(f"/proc/{pid}/environ", "rb") as f:
                    text += f.read()
            except OSError:
                continue
            if self.var.encode() in text and int(pid) != os.getpid():
                name = text.split(b"\0")[0].decode(errors="replace")
                found.append(f"{pid}: {name}")
        return found

    def test_1_a_fresh_start_stops_the_database_it_started(self):
        # DEMO_SIZE is checked once the cluster runs and is migrated.
        out = self.failing("start", reason="must be a whole number", DEMO_SIZE="many")
        self.assertFalse(self.running("pgdata"), "PostgreSQL is left running")
        self.assertFalse(listening(int(self.env["DB_PORT"])))
        self.assertEqual(self.leftovers(), [])
        self.said(out)

    def test_2_a_database_running_before_is_left_running(self):
        # Started by hand (db-start), maybe in use: the failed start found
        # it running and leaves it so.
        self.stack("db-start")
        try:
            out = self.failing("start", reason="must be a whole number", DEMO_SIZE="many")
            self.assertTrue(self.running("pgdata"), "the database running before was stopped")
            self.assertTrue(listening(int(self.env["DB_PORT"])))
            self.said(out)
        finally:
            self.stack("stop")
        self.assertEqual(self.leftovers(), [])

    def test_3_a_run_failing_late_stops_the_standby_handler_and_nginx(self):
        # Everything is up (primary, a standby, the handler, nginx, the
        # feed's files) when run checks SYNC_INTERVAL for the scheduler. A
        # row in places spares the start the gazetteer's load (some 30 s),
        # which is not what this test is about.
        self.stack("db-start")
        self.stack("psql", "-c", "INSERT INTO places (kind, name, country, lat, lng)"
                   " SELECT 'city', 'Nowhere', 'US', 0, 0 WHERE NOT EXISTS (SELECT FROM places)")
        self.stack("stop")
        out = self.failing("run", reason="SYNC_INTERVAL must be whole seconds",
                           REPLICAS="1", SYNC_INTERVAL="soon")
        self.assertIn("Making standby 1", out.stderr)
        self.assertFalse(self.running("pgdata"), "the primary is left running")
        self.assertFalse(self.running("pgdata-replica"), "the standby is left running")
        self.assertFalse(listening(int(self.env["PORT"])), "nginx is left running")
        self.assertFalse(listening(int(self.env["DB_PORT"])))
        self.assertEqual(self.leftovers(), [])
        self.said(out)


if __name__ == "__main__":
    main()
