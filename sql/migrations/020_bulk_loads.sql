-- Bulk loads at national scale (issue 12): a demo of 500,000 meetings and
-- a first import of 100,000 write every row of meetings and each of its
-- indexes. Three things make that cheaper without changing what is
-- written: the week minute in daylight time is computed inline instead of
-- through three SQL functions a row; an empty table's secondary indexes can
-- be built after a bulk load (demo.load) instead of row by row; and two of
-- import_apply()'s statements read less.

-- Generated week minutes -----------------------------------------------------
--
-- utc_week_minute_dst called meeting_week_minute_dst(), a SQL function that
-- PostgreSQL could not inline: it is IMMUTABLE and called the STABLE zone
-- offset functions, so each row ran three SQL functions of its own, about
-- 60 microseconds: a third to a half of a first import's time. The zone
-- offsets are immutable in fact (AT TIME ZONE with a zone's name is, for
-- PostgreSQL: it reads the zone rules it was built with), so they are
-- declared so, and no longer STRICT (a STRICT function whose body holds
-- least() or greatest() is never inlined; a NULL zone still gives NULL).
-- The bodies are those of 009_schedule.sql and 018_search_scale.sql,
-- unchanged: every value stays the same. The generated column's expression
-- now inlines down to a few zone conversions, about 1.5 microseconds a row
-- (tests/sql/test_demo.sql checks that it is inlined).

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
-- row; building it after they are in costs one sort. Into an empty table
-- a bulk writer (demo.load) drops the table's secondary indexes first and
-- builds them again after, in the same transaction. The statements that
-- build them again are read from the catalog just before the drop
-- (pg_get_indexdef, as pg_indexes shows them), so they are the indexes the
-- migrations made, whatever those are by then. Indexes that back a
-- constraint (primary key, unique, exclusion) or that a foreign key relies
-- on stay, and are kept row by row.

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

-- A first import ----------------------------------------------------------
--
-- import_apply() of 012_imports.sql, the same but in two statements: the
-- new places are picked from the staged rows with only the place's columns
-- (the whole staged row, keyword document and all, was sorted to pick
-- them), and the type codes of each list are aggregated in one pass over
-- the lists instead of a subquery per list, which scanned every distinct
-- entry once a list (6,617 lists of a 100,000-meeting feed). Together half
-- a second of a first import of 100,000 meetings; the rest of its time is
-- writing the rows into meetings and its fourteen indexes.

-- Merges the staged feed into source `src_slug`'s meetings, in the
-- caller's transaction: new keys are inserted, changed rows updated (a
-- meeting that had left the feed comes back), rows equal to what was last
-- written (the same `hash`) are left alone, and active meetings whose key is
-- not in the feed are deactivated. Only new and changed rows are worked on
-- past the first join, so a feed that did not change costs little. Returns
-- the counts and records them on the source, with `rejected` and `warnings`
-- from the caller, which read the file.
CREATE OR REPLACE FUNCTION import_apply(src_slug text, rejected integer, warnings integer,
                             started timestamptz)
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = public, pg_temp
SET session_replication_role = replica
AS $$
DECLARE
    src      sources;
    n_rows   integer;
    n_ins    integer;
    n_upd    integer;
    n_same   integer;
    n_gone   integer;
    n_unmap  integer;
    n_geo    integer;
    report   jsonb;
BEGIN
    SELECT * INTO STRICT src FROM sources WHERE slug = src_slug FOR UPDATE;
    DROP VIEW IF EXISTS pg_temp.import_writes;
    DROP TABLE IF EXISTS pg_temp.import_gone, pg_temp.import_plan, pg_temp.import_codes,
                         pg_temp.import_langs, pg_temp.import_zones;

    -- Temporary tables have no statistics until analysed; without them the
    -- joins below would be planned as nested loops over the whole feed.
    CREATE UNIQUE INDEX ON pg_temp.import_rows (key);
    ANALYZE pg_temp.import_rows (key, loc_key, lat, types, fellowship, timezone);
    SELECT count(*) INTO n_rows FROM pg_temp.import_rows;

    -- The source's meetings that are not in the feed any more.
    CREATE TEMP TABLE import_gone ON COMMIT DROP AS
    SELECT m.id FROM meetings m
    WHERE m.source_id = src.id AND m.active
      AND NOT EXISTS (SELECT 1 FROM pg_temp.import_rows r WHERE r.key = m.source_key);

    -- What to do with each row: insert, update, or nothing ('same').
    CREATE TEMP TABLE import_plan ON COMMIT DROP AS
    SELECT r.key, m.id AS meeting_id, src.id AS source_id,
           CASE WHEN m.id IS NULL THEN 'insert'
                WHEN m.active AND m.import_hash = r.hash THEN 'same'
                ELSE 'update' END AS action
    FROM pg_temp.import_rows r
    LEFT JOIN meetings m ON m.source_id = src.id AND m.source_key = r.key;
    DELETE FROM import_plan WHERE action = 'same';
    GET DIAGNOSTICS n_same = ROW_COUNT;
    CREATE UNIQUE INDEX ON import_plan (key);
    ANALYZE import_plan;
    SELECT count(*) FILTER (WHERE action = 'insert'), count(*) FILTER (WHERE action = 'update')
    INTO n_ins, n_upd FROM import_plan;

    -- New places, each placed through the gazetteer (once per distinct
    -- postal code, city, region and country) when the feed gave no point.
    WITH todo AS MATERIALIZED (
        SELECT DISTINCT ON (r.loc_key) r.loc_key, r.location_name, r.location_notes, r.address,
               r.city, r.region, r.postal_code, r.country, r.formatted_address, r.regions,
               r.approximate, r.lat, r.lng
        FROM pg_temp.import_rows r
        JOIN import_plan p ON p.key = r.key
        WHERE r.loc_key IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM locations l
                          WHERE l.source_id = src.id AND l.source_key = r.loc_key)
        ORDER BY r.loc_key, r.row
    ), found AS (
        SELECT a.postal_code, a.city, a.region, a.country, g.*
        FROM (SELECT DISTINCT postal_code, city, region, country FROM todo
              WHERE lat IS NULL) a
        CROSS JOIN LATERAL import_geocode(a.postal_code, a.city, a.region, a.country) g
    )
    INSERT INTO locations (source_id, source_key, name, notes, address, city, region,
                           postal_code, country, formatted_address, regions, approximate,
                           geog, geocoded)
    SELECT src.id, t.loc_key, t.location_name, t.location_notes, t.address, t.city, t.region,
           t.postal_code, t.country, t.formatted_address, t.regions,
           t.approximate OR g.how IS NOT NULL,
           CASE WHEN t.lat IS NOT NULL THEN ST_SetSRID(ST_MakePoint(t.lng, t.lat), 4326)::geography
                WHEN g.how IS NOT NULL THEN ST_SetSRID(ST_MakePoint(g.lng, g.lat), 4326)::geography
           END,
           CASE WHEN t.lat IS NOT NULL THEN 'feed' ELSE g.how END
    FROM todo t
    LEFT JOIN found g ON t.lat IS NULL
                     AND g.postal_code IS NOT DISTINCT FROM t.postal_code
                     AND g.city IS NOT DISTINCT FROM t.city
                     AND g.region IS NOT DISTINCT FROM t.region
                     AND g.country IS NOT DISTINCT FROM t.country;

    -- Type codes, languages and zone offsets: once per distinct entry, list
    -- and zone of the rows to write, not once a row.
    CREATE TEMP TABLE import_codes ON COMMIT DROP AS
    WITH lists AS (
        SELECT DISTINCT r.types, f.id AS fellowship_id
        FROM pg_temp.import_rows r
        JOIN import_plan p ON p.key = r.key
        JOIN fellowships f ON f.slug = r.fellowship
    ), entries AS MATERIALIZED (
        SELECT e.fellowship_id, e.given, import_type_code(e.given, e.fellowship_id) AS code
        FROM (SELECT DISTINCT l.fellowship_id, g AS given FROM lists l, unnest(l.types) g) e
    )
    SELECT l.types, l.fellowship_id,
           coalesce(array_agg(DISTINCT e.code ORDER BY e.code) FILTER (WHERE e.code IS NOT NULL),
                    '{}') AS codes
    FROM lists l
    LEFT JOIN LATERAL unnest(l.types) g ON true
    LEFT JOIN entries e ON e.fellowship_id = l.fellowship_id AND e.given = g
    GROUP BY l.types, l.fellowship_id;
    CREATE TEMP TABLE import_langs ON COMMIT DROP AS
    SELECT codes, meeting_languages(codes, src.id) AS languages
    FROM (SELECT DISTINCT codes FROM import_codes) d;
    CREATE TEMP TABLE import_zones ON COMMIT DROP AS
    SELECT timezone, zone_standard_offset(timezone) AS std_offset
    FROM (SELECT DISTINCT r.timezone FROM pg_temp.import_rows r
          JOIN import_plan p ON p.key = r.key) d;
    ANALYZE import_codes;
    ANALYZE import_langs;
    ANALYZE import_zones;

    -- The rows to write, complete with every derived column (a view, as
    -- DDL, cannot name a variable: the source's id comes from the plan).
    CREATE TEMP VIEW import_writes AS
    SELECT p.action, p.meeting_id, r.key, f.id AS fellowship_id, r.name, r.day,
           r.start_time, r.end_time, r.timezone, r.attendance, c.codes, r.conference_url,
           r.conference_url_notes, r.conference_phone, r.conference_phone_notes, r.notes,
           r.group_name, r.group_notes, l.id AS location_id, r.url, r.contacts,
           r.source_updated, r.hash, l.geog, lg.languages,
           r.search_doc,
           meeting_duration(r.start_time, r.end_time) AS duration_min,
           meeting_week_minute(r.day, r.start_time, z.std_offset) AS utc_week_minute
    FROM import_plan p
    JOIN pg_temp.import_rows r ON r.key = p.key
    JOIN fellowships f ON f.slug = r.fellowship
    JOIN import_codes c ON c.types = r.types AND c.fellowship_id = f.id
    JOIN import_langs lg ON lg.codes = c.codes
    JOIN import_zones z ON z.timezone = r.timezone
    LEFT JOIN locations l ON l.source_id = p.source_id AND l.source_key = r.loc_key;

    INSERT INTO meetings (source_id, source_key, fellowship_id, name, slug, day, start_time,
                          end_time, timezone, attendance, types, conference_url,
                          conference_url_notes, conference_phone, conference_phone_notes,
                          notes, group_name, group_notes, location_id, url, contacts,
                          source_updated, import_hash, updated_at, active,
                          geog, languages, search_doc, duration_min, utc_week_minute)
    SELECT src.id, w.key, w.fellowship_id, w.name, src.slug || '-' || w.key, w.day,
           w.start_time, w.end_time, w.timezone, w.attendance, w.codes, w.conference_url,
           w.conference_url_notes, w.conference_phone, w.conference_phone_notes, w.notes,
           w.group_name, w.group_notes, w.location_id, w.url, w.contacts, w.source_updated,
           w.hash, started, true, w.geog, w.languages, w.search_doc, w.duration_min,
           w.utc_week_minute
    FROM import_writes w
    WHERE w.action = 'insert';

    UPDATE meetings m
    SET fellowship_id = w.fellowship_id, name = w.name, day = w.day,
        start_time = w.start_time, end_time = w.end_time, timezone = w.timezone,
        attendance = w.attendance, types = w.codes, conference_url = w.conference_url,
        conference_url_notes = w.conference_url_notes, conference_phone = w.conference_phone,
        conference_phone_notes = w.conference_phone_notes, notes = w.notes,
        group_name = w.group_name, group_notes = w.group_notes, location_id = w.location_id,
        url = w.url, contacts = w.contacts, source_updated = w.source_updated,
        import_hash = w.hash, updated_at = started, active = true, inactive_since = NULL,
        geog = w.geog, languages = w.languages, search_doc = w.search_doc,
        duration_min = w.duration_min, utc_week_minute = w.utc_week_minute
    FROM import_writes w
    WHERE w.action = 'update' AND m.id = w.meeting_id;
    DROP VIEW import_writes;

    UPDATE meetings m
    SET active = false, inactive_since = started, updated_at = started
    FROM import_gone g
    WHERE m.id = g.id;
    GET DIAGNOSTICS n_gone = ROW_COUNT;

    -- Meetings to go to with a place but no point (unmapped: listed, never
    -- found by distance), and points from the gazetteer.
    SELECT count(*) FILTER (WHERE l.geog IS NULL AND r.attendance <> 'online'),
           count(*) FILTER (WHERE l.geocoded IN ('zip', 'city'))
    INTO n_unmap, n_geo
    FROM pg_temp.import_rows r
    JOIN locations l ON l.source_id = src.id AND l.source_key = r.loc_key;

    report := jsonb_build_object(
        'rows', n_rows, 'inserted', n_ins, 'updated', n_upd, 'unchanged', n_same,
        'deactivated', n_gone, 'rejected', rejected, 'warnings', warnings,
        'unmapped', n_unmap, 'geocoded', n_geo,
        'active', (SELECT count(*) FROM meetings WHERE source_id = src.id AND active),
        'seconds', round(extract(epoch FROM clock_timestamp() - started)::numeric, 3));
    UPDATE sources SET last_import_at = started, last_import = report WHERE id = src.id;
    RETURN report;
END
$$;
-- Runs as its owner: only the importer may call it (sql/roles.sql).
REVOKE ALL ON FUNCTION import_apply(text, integer, integer, timestamptz) FROM PUBLIC;
