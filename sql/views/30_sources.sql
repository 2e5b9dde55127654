-- sql/views/30_sources.sql
-- Sources: when one last confirmed its listings, whether they are stale,
-- feedback tied to its source, and withdrawing a source's listings.
--
-- A repeatable file. scripts/stack.sh (db_migrate) applies every file of
-- sql/views/ on every start, after the migrations and before sql/roles.sql,
-- each in one transaction, in the order of their names (what a file uses
-- comes from an earlier file, or earlier in it). Together they hold the
-- current definition of every function, view and trigger function; the
-- migrations that first made them keep their old definitions as history,
-- are never edited, and from 029 on hold table changes and data moves only
-- (tests/api/test_views.py checks both, and that these files define
-- everything exactly as the migrations did when they were taken from them).
--
-- To change one, change it here, in place:
--   * a function: CREATE OR REPLACE FUNCTION with the same name, argument
--     types and return type. Other argument types would make a second
--     function beside the first, and another return type is refused: write
--     DROP FUNCTION IF EXISTS name(old argument types) above it first.
--   * a view: CREATE OR REPLACE VIEW can only append columns at the end.
--     To rename, retype, reorder or remove one, write DROP VIEW IF EXISTS
--     name CASCADE above it, and restate below it what the CASCADE takes
--     (functions and views over it, and roles.sql grants it again).
--   * to remove one: DROP ... IF EXISTS in place of its definition.
-- Functions that a generated column or an index uses (place_key,
-- place_keys, earth_point, meeting_doc, meeting_week_minute_dst and the
-- zone offsets it calls) keep their signature and their results for every
-- input: stored values were computed with them. Functions that queries
-- inline (LANGUAGE sql, one expression, no SET clause) stay so.

-- When the source last confirmed its listings: NULL for a source without a
-- url (a file import), which is never stale. It reads nothing but its
-- argument: safe in parallel, as the search functions that call it are
-- marked.
CREATE OR REPLACE FUNCTION source_confirmed_at(src sources) RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN src.url IS NULL THEN NULL
                ELSE coalesce(src.last_success_at, src.created_at) END
$$;

-- Whether a source's listings are stale at now: not confirmed for longer
-- than its stale_after. A source without a url (a file import, the demo)
-- never is.
CREATE OR REPLACE FUNCTION source_stale(src sources, now timestamptz) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce(now - source_confirmed_at(src) > src.stale_after, false)
$$;

-- The handler's feedback role can insert and nothing else, not even read
-- meetings: the source is filled in as the table's owner.
CREATE OR REPLACE FUNCTION feedback_source() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    NEW.source_id := CASE NEW.kind
        WHEN 'meeting' THEN (SELECT m.source_id FROM meetings m WHERE m.id = NEW.meeting_id)
        ELSE (SELECT s.source_id FROM hsds.service s WHERE s.id = NEW.service_id) END;
    NEW.next_delivery_at := now();
    RETURN NEW;
END
$$;

REVOKE ALL ON FUNCTION feedback_source() FROM PUBLIC;

-- Takes a source's listings out of search, as if its feed had dropped them
-- (meetings inactive, services unlisted, both with inactive_since): for a
-- source whose data expired, or that was removed. Closed meetings leave
-- with the rest (they are listed by id and published while their feed
-- lists them). A later import of the source brings back what its feed
-- still holds. Returns how many left.
CREATE OR REPLACE FUNCTION source_withdraw(src_slug text, at timestamptz)
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
    src_id integer;
    n_meet integer;
    n_serv integer;
BEGIN
    SELECT id INTO STRICT src_id FROM sources WHERE slug = src_slug AND NOT demo FOR UPDATE;
    UPDATE meetings SET active = false, closed = false, inactive_since = at, updated_at = at
    WHERE source_id = src_id AND (active OR closed);
    GET DIAGNOSTICS n_meet = ROW_COUNT;
    UPDATE hsds.service SET inactive_since = at, updated_at = at
    WHERE source_id = src_id AND inactive_since IS NULL;
    GET DIAGNOSTICS n_serv = ROW_COUNT;
    RETURN n_meet + n_serv;
END
$$;

REVOKE ALL ON FUNCTION source_withdraw(text, timestamptz) FROM PUBLIC;
