-- Bulk loads at national scale (issue 12): the demo load and a first
-- import write hundreds of thousands of meetings, and each written row
-- computes its generated columns (018_search_scale.sql).
--
-- utc_week_minute_dst called meeting_week_minute_dst(), a SQL function that
-- PostgreSQL could not inline: it is IMMUTABLE and called the STABLE zone
-- offset functions, so each row ran three SQL functions of its own, about
-- 60 microseconds, most of a first import's time. The zone offsets are
-- immutable in fact (AT TIME ZONE with a zone's name is, for PostgreSQL: it
-- reads the zone rules it was built with), so they are declared so, and no
-- longer STRICT (a STRICT function whose body holds least() or greatest()
-- is never inlined; a NULL zone still gives NULL). The bodies are those of
-- 009_schedule.sql and 018_search_scale.sql, unchanged: every value stays
-- the same. The generated column's expression now inlines down to a few
-- zone conversions, about 1.5 microseconds a row.

CREATE OR REPLACE FUNCTION zone_standard_offset(tz text) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT least(
        extract(epoch FROM (timestamptz '2026-01-15 12:00Z' AT TIME ZONE tz)
                         - (timestamptz '2026-01-15 12:00Z' AT TIME ZONE 'UTC')),
        extract(epoch FROM (timestamptz '2026-07-15 12:00Z' AT TIME ZONE tz)
                         - (timestamptz '2026-07-15 12:00Z' AT TIME ZONE 'UTC'))
    )::integer / 60
$$;

CREATE OR REPLACE FUNCTION zone_daylight_offset(tz text) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT greatest(
        extract(epoch FROM (timestamptz '2026-01-15 12:00Z' AT TIME ZONE tz)
                         - (timestamptz '2026-01-15 12:00Z' AT TIME ZONE 'UTC')),
        extract(epoch FROM (timestamptz '2026-07-15 12:00Z' AT TIME ZONE tz)
                         - (timestamptz '2026-07-15 12:00Z' AT TIME ZONE 'UTC'))
    )::integer / 60
$$;

-- Loading into an empty table ----------------------------------------------
--
-- Keeping an index while rows are written costs a descent of the index per
-- row; building it after they are in costs one sort. Into an empty (or
-- nearly empty) table a bulk writer (demo.load) drops the table's
-- secondary indexes first and builds them again after, in the same
-- transaction. The statements that build them again are read from the
-- catalog just before the drop (pg_get_indexdef, as pg_indexes shows
-- them), so they are the indexes the migrations made, whatever those are
-- by then. Indexes that back a constraint (primary key, unique, exclusion)
-- or that a foreign key relies on stay, and are kept row by row.

-- Drops table tbl's other indexes and returns the statements that make them
-- again: each CREATE INDEX, then ALTER TABLE ... CLUSTER ON for the index
-- the table is clustered on and COMMENT ON INDEX for one with a comment.
-- An index outside the database's default tablespace is left in place.
-- Takes an ACCESS EXCLUSIVE lock on tbl until the transaction ends.
CREATE FUNCTION indexes_drop_for_load(tbl regclass) RETURNS text[]
LANGUAGE plpgsql AS $$
DECLARE
    idx     record;
    restore text[] := '{}';
BEGIN
    FOR idx IN
        SELECT i.indexrelid::regclass AS name, pg_get_indexdef(i.indexrelid) AS def,
               i.indisclustered, obj_description(i.indexrelid, 'pg_class') AS comment
        FROM pg_index i
        JOIN pg_class c ON c.oid = i.indexrelid
        WHERE i.indrelid = tbl AND c.reltablespace = 0
          AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
        ORDER BY c.relname
    LOOP
        restore := restore || idx.def;
        IF idx.indisclustered THEN
            restore := restore || format('ALTER TABLE %s CLUSTER ON %s', tbl, idx.name);
        END IF;
        IF idx.comment IS NOT NULL THEN
            restore := restore || format('COMMENT ON INDEX %s IS %L', idx.name, idx.comment);
        END IF;
        EXECUTE format('DROP INDEX %s', idx.name);
    END LOOP;
    RETURN restore;
END
$$;

-- Runs the statements indexes_drop_for_load() returned: builds the indexes.
CREATE FUNCTION indexes_restore(statements text[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    statement text;
BEGIN
    FOREACH statement IN ARRAY coalesce(statements, '{}') LOOP
        EXECUTE statement;
    END LOOP;
END
$$;
