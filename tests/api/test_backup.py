"""Backups that restore (scripts/stack.sh backup and restore), against the
running stack: what a deployer cannot import again (a visitor's report, a
source with its settings, webhook and sync history, a meeting edited by
hand) is dumped, restored into a second database of the same cluster and
compared row for row; restore refuses a database that holds data unless
FORCE=1. The stack's own database is only read (and given the rows above,
which are taken away again)."""

import os
import random
import shutil
import stat
import subprocess
import tempfile
import unittest

from harness import ROOT, VAR_DIR, main, sql, sql_value
from test_feedback import demo_meeting, post

STACK = os.path.join(ROOT, "scripts", "stack.sh")
DB_NAME = os.environ.get("DB_NAME", "finder")
RESTORED = DB_NAME + "_restore"
# A restore loads the gazetteer again (some 15 s here); this bounds each.
RESTORE_SECONDS = 300

# What must come back as it was, row for row.
COMPARED = {
    "feedback": "SELECT * FROM feedback ORDER BY id",
    "sources": "SELECT * FROM sources ORDER BY id",
    "source_webhooks": "SELECT * FROM source_webhooks ORDER BY source_id",
    "source_attempts": "SELECT * FROM source_attempts ORDER BY id",
    "meetings": "SELECT id, notes, name, updated_at FROM meetings ORDER BY id",
    "schema_migrations": "SELECT version FROM schema_migrations ORDER BY version",
}


def stack_in(db, *args, force=None, timeout=60):
    """scripts/stack.sh ARGS with DB_NAME=db; returns the completed process."""
    env = dict(os.environ, DB_NAME=db)
    env.pop("FORCE", None)
    if force is not None:
        env["FORCE"] = force
    return subprocess.run([STACK, *args], env=env, capture_output=True, text=True,
                          timeout=timeout)


def rows_in(db, query):
    p = stack_in(db, "psql", "-tA", "-F", "\t", "-c", query)
    if p.returncode != 0:
        raise AssertionError(f"psql on {db}: {p.stderr}")
    return p.stdout.splitlines()


def drop(db):
    stack_in(db, "psql", "-d", "postgres", "-c", f'DROP DATABASE IF EXISTS "{db}"')


class Backup(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="finder-backup-")
        drop(RESTORED)
        drop(RESTORED + "_restoring")
        cls.slug = f"backup-test-{random.randrange(1 << 30)}"
        p = stack_in(DB_NAME, "source", "add", cls.slug, "--url",
                     "https://feeds.example.org/meetings.json", "--format", "meeting-guide",
                     "--every", "12h", "--timezone", "America/Chicago", "--fellowship", "aa",
                     "--stale-after", "20d", "--expire-after", "60d",
                     "--feedback-url", "https://example.org/fix",
                     "--webhook", "https://hooks.example.org/finder")
        if p.returncode != 0:
            raise AssertionError(f"source add: {p.stderr}")
        cls.source_id = sql_value(f"SELECT id FROM sources WHERE slug = '{cls.slug}'")
        sql(f"INSERT INTO source_attempts (source_id, started_at, finished_at, outcome, "
            f"http_status, bytes, error) VALUES ({cls.source_id}, now() - interval '1 minute', "
            f"now(), 'failed', 503, 0, 'backup test: unavailable')")
        cls.meeting = demo_meeting()
        cls.notes = sql(f"SELECT notes FROM meetings WHERE id = {cls.meeting}")[0]
        sql(f"UPDATE meetings SET notes = 'Backup test: the side door' WHERE id = {cls.meeting}")
        status, _, body = post({"kind": "meeting", "id": cls.meeting,
                                "message": "Backup test: moved upstairs",
                                "contact": "Ana, ana@example.org"})
        if status != 201:
            raise AssertionError(f"report: {status} {body!r}")
        cls.dump = os.path.join(cls.dir, "finder.dump")
        cls.backup = stack_in(DB_NAME, "backup", cls.dump, timeout=120)
        cls.restore = None
        if cls.backup.returncode == 0:
            cls.restore = stack_in(RESTORED, "restore", cls.dump, timeout=RESTORE_SECONDS)

    @classmethod
    def tearDownClass(cls):
        drop(RESTORED)
        drop(RESTORED + "_restoring")
        shutil.rmtree(cls.dir, ignore_errors=True)
        notes = "NULL" if cls.notes == [""] else "'" + cls.notes[0].replace("'", "''") + "'"
        sql(f"UPDATE meetings SET notes = {notes} WHERE id = {cls.meeting}")
        stack_in(DB_NAME, "source", "remove", cls.slug)

    def setUp(self):
        self.assertEqual(self.backup.returncode, 0, self.backup.stderr)
        self.assertIsNotNone(self.restore)
        self.assertEqual(self.restore.returncode, 0, self.restore.stderr)

    def test_backup_names_its_file_and_keeps_it_private(self):
        file, size = self.backup.stdout.strip().split("\t")
        self.assertEqual(file, self.dump)
        self.assertTrue(size)
        self.assertEqual(stat.S_IMODE(os.stat(self.dump).st_mode), 0o600)
        self.assertFalse(os.path.exists(self.dump + ".partial"))

    def test_default_file_is_in_var_backups(self):
        p = stack_in(DB_NAME, "backup", timeout=120)
        self.assertEqual(p.returncode, 0, p.stderr)
        file = p.stdout.strip().split("\t")[0]
        try:
            backups = os.path.join(VAR_DIR, "backups")
            self.assertEqual(os.path.dirname(file), backups)
            self.assertRegex(os.path.basename(file), r"^finder-\d{8}T\d{6}Z\.dump$")
            self.assertEqual(stat.S_IMODE(os.stat(backups).st_mode), 0o700)
            self.assertEqual(stat.S_IMODE(os.stat(file).st_mode), 0o600)
        finally:
            os.unlink(file)

    def test_backup_refuses_an_existing_file(self):
        p = stack_in(DB_NAME, "backup", self.dump)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("exists", p.stderr)

    def test_rows_come_back(self):
        for table, query in COMPARED.items():
            with self.subTest(table=table):
                self.assertEqual(rows_in(RESTORED, query), rows_in(DB_NAME, query))

    def test_the_irreplaceable_rows_are_there(self):
        self.assertEqual(rows_in(RESTORED, f"SELECT message, contact FROM feedback "
                                           f"WHERE meeting_id = {self.meeting} "
                                           f"ORDER BY id DESC LIMIT 1"),
                         ["Backup test: moved upstairs\tAna, ana@example.org"])
        self.assertEqual(rows_in(RESTORED, f"SELECT s.url, s.feedback_url, w.url FROM sources s "
                                           f"JOIN source_webhooks w ON w.source_id = s.id "
                                           f"WHERE s.slug = '{self.slug}'"),
                         ["https://feeds.example.org/meetings.json\thttps://example.org/fix\t"
                          "https://hooks.example.org/finder"])
        self.assertEqual(rows_in(RESTORED, f"SELECT notes FROM meetings WHERE id = {self.meeting}"),
                         ["Backup test: the side door"])

    def test_gazetteer_is_loaded_again(self):
        query = "SELECT count(*), count(DISTINCT kind) FROM places"
        self.assertEqual(rows_in(RESTORED, query), rows_in(DB_NAME, query))
        self.assertNotEqual(rows_in(RESTORED, query), ["0\t0"])

    def test_roles_hold_in_the_restored_database(self):
        query = ("SELECT has_database_privilege('finder_reader', current_database(), 'CONNECT'), "
                 "has_table_privilege('finder_reader', 'meetings', 'SELECT'), "
                 "has_table_privilege('finder_reader', 'feedback', 'SELECT'), "
                 "has_table_privilege('finder_feedback', 'feedback', 'INSERT'), "
                 "has_function_privilege('finder_reader', "
                 "'import_apply(text, integer, integer, timestamptz)', 'EXECUTE')")
        self.assertEqual(rows_in(RESTORED, query), ["t\tt\tf\tt\tf"])
        reader = subprocess.run(
            ["psql", "-X", "-h", os.path.join(VAR_DIR, "run"), "-p", os.environ.get("DB_PORT", "5432"),
             "-U", "finder_reader", "-d", RESTORED, "-tAc",
             "SELECT count(*) > 0 FROM meetings WHERE active"],
            capture_output=True, text=True, timeout=30)
        self.assertEqual((reader.returncode, reader.stdout.strip()), (0, "t"), reader.stderr)

    def test_refuses_a_database_holding_data(self):
        before = rows_in(RESTORED, COMPARED["feedback"])
        for db in (RESTORED, DB_NAME):
            with self.subTest(db=db):
                p = stack_in(db, "restore", self.dump)
                self.assertNotEqual(p.returncode, 0)
                self.assertIn("holds data", p.stderr)
                self.assertIn("FORCE=1", p.stderr)
        self.assertEqual(rows_in(RESTORED, COMPARED["feedback"]), before)
        self.assertEqual(rows_in(RESTORED, "SELECT count(*) FROM pg_database "
                                           "WHERE datname LIKE '%\\_restoring'"), ["0"])

    def test_force_replaces_it(self):
        sql_insert = (f"INSERT INTO feedback (kind, meeting_id, message) "
                      f"VALUES ('meeting', {self.meeting}, 'only in the restored copy')")
        rows_in(RESTORED, sql_insert)
        p = stack_in(RESTORED, "restore", self.dump, force="1", timeout=RESTORE_SECONDS)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("dropping", p.stderr)
        self.assertEqual(rows_in(RESTORED, "SELECT count(*) FROM feedback "
                                           "WHERE message = 'only in the restored copy'"), ["0"])
        self.assertEqual(rows_in(RESTORED, COMPARED["feedback"]),
                         rows_in(DB_NAME, COMPARED["feedback"]))

    def test_restore_needs_a_readable_file(self):
        p = stack_in(RESTORED + "_absent", "restore", os.path.join(self.dir, "missing.dump"))
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("cannot read", p.stderr)


if __name__ == "__main__":
    main()
