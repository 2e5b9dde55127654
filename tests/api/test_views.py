"""The views and functions of sql/views/ (re-applied by scripts/stack.sh's
db_migrate on every start, after the migrations) against the migrations
they were taken from: a second database of the stack's cluster is made from
sql/migrations/ alone, and every function's, view's and trigger's definition
in the test database (migrations, then sql/views/) must read as it does
there, but for those CHANGED lists, changed in sql/views/ since; every
function and view the migrations make must be restated by some file of
sql/views/; and no migration from FIRST_CODELESS on may define one. The
files are applied as db_migrate applies them: through scripts/sqlinc.sh.
The stack's own database is only read."""

import glob
import json
import os
import re
import subprocess
import unittest

from harness import ROOT, main

STACK = os.path.join(ROOT, "scripts", "stack.sh")
DB_NAME = os.environ.get("DB_NAME", "finder")
REFERENCE = DB_NAME + "_migrations_only"
MIGRATIONS = sorted(glob.glob(os.path.join(ROOT, "sql", "migrations", "[0-9]*.sql")))
VIEWS = sorted(glob.glob(os.path.join(ROOT, "sql", "views", "[0-9]*.sql")))

# The first migration number after views and functions moved to sql/views/:
# from this one on, migrations change tables and move data only.
FIRST_CODELESS = 29

# What sql/views/ defines otherwise than the migrations did, changed there
# since (in place, as its files say), and why.
CHANGED = {
    # Its filters are the searches' block (sql/queries/include/), spliced
    # into its body: the same conditions, the arguments by position.
    "function meetings_near_walk(double precision,double precision,double precision,"
    "smallint[],text[],text[],text[],boolean,boolean,text[],text,text,text,"
    "time without time zone,time without time zone,integer,boolean,text[],bigint)":
        "sql/views/41_meetings_walk.sql",
}

# The finder's schemas (demo's functions are the demo loader's, not the
# migrations').
SCHEMAS = "('public', 'hsds')"
NOT_EXTENSION = """NOT EXISTS (SELECT 1 FROM pg_depend d
    WHERE d.objid = {oid} AND d.deptype = 'e')"""

# Every definition, keyed by kind and identity: one JSON object.
DEFINITIONS = f"""
SELECT json_object_agg(k, v) FROM (
    SELECT 'function ' || p.oid::regprocedure::text AS k,
           pg_get_functiondef(p.oid) || coalesce(' ACL ' || p.proacl::text, '') AS v
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname IN {SCHEMAS} AND {NOT_EXTENSION.format(oid='p.oid')}
    UNION ALL
    SELECT 'view ' || c.oid::regclass::text,
           pg_get_viewdef(c.oid) || coalesce(' OPTIONS ' || c.reloptions::text, '')
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('v', 'm') AND n.nspname IN {SCHEMAS}
       AND {NOT_EXTENSION.format(oid='c.oid')}
    UNION ALL
    SELECT 'trigger ' || t.tgname || ' on ' || t.tgrelid::regclass::text,
           pg_get_triggerdef(t.oid)
      FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE NOT t.tgisinternal AND n.nspname IN {SCHEMAS}
) defs
"""

# What the current transaction has not written: the functions and views
# whose catalog row (a view's: its rule) is older than it.
UNTOUCHED = f"""
SELECT p.oid::regprocedure::text
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname IN {SCHEMAS} AND {NOT_EXTENSION.format(oid='p.oid')}
   AND p.xmin::text <> (pg_current_xact_id()::text::bigint % 4294967296)::text
UNION ALL
SELECT c.oid::regclass::text
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_rewrite r ON r.ev_class = c.oid
 WHERE c.relkind IN ('v', 'm') AND n.nspname IN {SCHEMAS}
   AND {NOT_EXTENSION.format(oid='c.oid')}
   AND r.xmin::text <> (pg_current_xact_id()::text::bigint % 4294967296)::text
ORDER BY 1;
"""


def psql(db, *args, stdin=None):
    """scripts/stack.sh psql on database db (as the cluster's superuser);
    returns its output, or fails with psql's errors."""
    env = dict(os.environ, DB_NAME=db)
    p = subprocess.run([STACK, "psql", "-tA", *args], env=env, input=stdin,
                       capture_output=True, text=True, timeout=300)
    if p.returncode != 0:
        raise AssertionError(f"psql on {db}: {p.stderr[-2000:]}")
    return p.stdout


def spliced(path):
    """A file of sql/views/ as db_migrate applies it (scripts/sqlinc.sh)."""
    return subprocess.run([os.path.join(ROOT, "scripts", "sqlinc.sh"), path], check=True,
                          capture_output=True, text=True).stdout


def definitions(db):
    return json.loads(psql(db, "-c", DEFINITIONS))


# CREATE statements that make code: what a migration from FIRST_CODELESS on
# may not hold. CREATE TRIGGER is the table's (it stays with the table);
# the function it runs is not.
DEFINES_CODE = re.compile(
    r"\bCREATE\s+(OR\s+REPLACE\s+)?(FUNCTION|PROCEDURE|AGGREGATE|"
    r"(MATERIALIZED\s+|RECURSIVE\s+)?VIEW)\b", re.IGNORECASE)


def defines_code(text):
    """Whether SQL text (comments left out) creates a function or a view."""
    return DEFINES_CODE.search(re.sub(r"--[^\n]*", "", text)) is not None


class Views(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        psql("postgres", "-c", f'DROP DATABASE IF EXISTS "{REFERENCE}"')
        psql("postgres", "-c", f'CREATE DATABASE "{REFERENCE}"')
        # As db_migrate makes it (roles.sql grants on it).
        psql(REFERENCE, "-c", "CREATE TABLE schema_migrations (version text PRIMARY KEY,"
             " applied_at timestamptz NOT NULL DEFAULT now())")
        for f in MIGRATIONS:
            psql(REFERENCE, "-1", "-f", f)
        # The roles' grants too, as db_migrate gives them (sql/views/ left out).
        psql(REFERENCE, "-f", os.path.join(ROOT, "sql", "roles.sql"))

    @classmethod
    def tearDownClass(cls):
        psql("postgres", "-c", f'DROP DATABASE IF EXISTS "{REFERENCE}"')

    def test_definitions_as_the_migrations_made_them(self):
        made = definitions(REFERENCE)
        now = definitions(DB_NAME)
        self.assertGreater(len([k for k in made if k.startswith("function ")]), 100)
        self.assertIn("view meeting_details", made)
        self.assertEqual(sorted(set(made) - set(now)), [], "missing after sql/views/")
        self.assertEqual(sorted(set(now) - set(made)), [], "not made by the migrations")
        changed = sorted(k for k in made if made[k] != now[k])
        self.assertEqual(changed, sorted(CHANGED), "defined otherwise by sql/views/")

    def test_every_function_and_view_restated(self):
        # In one transaction on the migrations' database, rolled back: each
        # CREATE OR REPLACE writes its object's catalog row again, so what
        # the transaction did not write, no file of sql/views/ restates.
        script = ("BEGIN;\n" + "".join(spliced(f) + "\n" for f in VIEWS) + UNTOUCHED
                  + "ROLLBACK;\n")
        out = psql(REFERENCE, "-v", "ON_ERROR_STOP=1", stdin=script)
        self.assertEqual(out.split(), [], "defined by the migrations, in no file of sql/views/")

    def test_views_files_apply_alone(self):
        # Last (unittest runs a class's tests in the order of their names):
        # the migrations' database is the reference until here. Each file
        # in its own transaction, as db_migrate applies it.
        for f in VIEWS:
            psql(REFERENCE, "-1", "-f", "-", stdin=spliced(f))
        self.assertEqual(definitions(REFERENCE), definitions(DB_NAME))

    def test_no_code_in_new_migrations(self):
        late = [f for f in MIGRATIONS
                if int(os.path.basename(f).split("_")[0]) >= FIRST_CODELESS]
        for f in late:
            with open(f) as fh:
                self.assertFalse(defines_code(fh.read()),
                                 f"{f} defines a function or a view: put it in sql/views/")

    def test_the_migration_check_can_fail(self):
        # The control: the check sees what the migrations up to now hold.
        with open(os.path.join(ROOT, "sql", "migrations", "003_meeting_details.sql")) as fh:
            self.assertTrue(defines_code(fh.read()))
        self.assertTrue(defines_code("create or replace function f() returns int"))
        self.assertTrue(defines_code("CREATE\n  VIEW v AS SELECT 1"))
        self.assertTrue(defines_code("CREATE MATERIALIZED VIEW v AS SELECT 1"))
        self.assertFalse(defines_code("ALTER TABLE meetings ADD COLUMN x int;"))
        self.assertFalse(defines_code("CREATE TRIGGER t BEFORE INSERT ON meetings\n"
                                      "    FOR EACH ROW EXECUTE FUNCTION meetings_set_languages();"))
        self.assertFalse(defines_code("-- CREATE FUNCTION, in a comment\nSELECT 1;"))


if __name__ == "__main__":
    main()
