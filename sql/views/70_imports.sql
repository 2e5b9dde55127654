-- sql/views/70_imports.sql
-- Imports: staging and applying a meeting feed (import_apply) and an HSDS
-- feed (hsds_import_apply), and the bulk load's index drop and restore.
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

-- The staging table of one meeting import (import_rows, shaped as
-- import_row_shape with its generated columns), empty, dropped at commit.
CREATE OR REPLACE FUNCTION import_begin() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    DROP TABLE IF EXISTS pg_temp.import_rows;
    CREATE TEMP TABLE import_rows (LIKE import_row_shape INCLUDING GENERATED) ON COMMIT DROP;
END
$$;

-- A point for a place the feed gave no coordinates for: the centre of its
-- US ZIP code, else of its city, narrowed by the region (state or province,
-- by code or name) or the country given; NULL when the gazetteer does not
-- know it or cannot tell which one it is.
CREATE OR REPLACE FUNCTION import_geocode(postal_code text, city text, region text, country text,
                               OUT lat double precision, OUT lng double precision,
                               OUT how text)
LANGUAGE sql STABLE AS $$
    SELECT lat, lng, how FROM (
        SELECT p.lat, p.lng, 'zip' AS how, 1 AS pref
        FROM places p
        WHERE p.kind = 'zip' AND p.postal_code = substr(import_geocode.postal_code, 1, 5)
          AND import_geocode.postal_code ~ '^[0-9]{5}(-[0-9]{4})?$'
          AND coalesce(upper(import_geocode.country), 'US') IN ('US', 'USA', 'UNITED STATES',
                                                                'UNITED STATES OF AMERICA')
        UNION ALL
        SELECT p.lat, p.lng, 'city', 2
        FROM (
            SELECT n.place_id
            FROM place_names n
            WHERE n.key = place_key(import_geocode.city)
              AND (import_geocode.region IS NOT NULL OR import_geocode.country IS NOT NULL)
              AND (import_geocode.region IS NULL
                   OR lower(import_geocode.region) = lower(n.region)
                   OR place_key(import_geocode.region) = n.region_key)
              AND (import_geocode.country IS NULL
                   OR n.country IN (SELECT c.country FROM place_countries c
                                    WHERE c.key = place_key(import_geocode.country)))
            ORDER BY n.rank, n.population DESC NULLS LAST, n.place_id
            LIMIT 1
        ) b
        JOIN places p ON p.id = b.place_id
        WHERE import_geocode.city IS NOT NULL
    ) found
    ORDER BY pref
    LIMIT 1
$$;

-- Merges the staged feed into source `src_slug`'s meetings, in the
-- caller's transaction: new keys are inserted, changed rows updated (a
-- meeting that had left the feed comes back), rows equal to what was last
-- written (the same `hash`) are left alone, and active meetings whose key is
-- not in the feed are deactivated. Only new and changed rows are worked on
-- past the first join, so a feed that did not change costs little. Returns
-- the counts and records them on the source, with `rejected` and `warnings`
-- from the caller, which read the file. Besides:
--
--   * A meeting stored by an earlier import under the slug-shaped form of
--     its feed's slug ("a-b" for "A_B") is found again under the slug as
--     written: its key is changed to it, so that it keeps its id and its
--     links, when no meeting of the source has that key yet and the feed
--     does not hold the old key as well.
--   * Closed meetings (TC, no online way in) are written inactive but
--     closed; a closed meeting is still in its feed, so it is neither
--     deactivated nor counted as gone, and the report counts them.
--   * A new meeting's slug is the source's and the row's slug; when another
--     meeting already has it (a source whose slug ends where another's
--     key begins, or a key that changed its form), the key's digest is
--     added, so that an import never fails on it.
--   * The steward's link and the contribution handles are written.
--   * A place's approximate is the feed's word on its address (NULL when
--     it said nothing), not true for every place the gazetteer placed: a
--     street placed at its town's centre is still a street.
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
    ANALYZE pg_temp.import_rows (key, slug, loc_key, lat, types, fellowship, timezone);
    SELECT count(*) INTO n_rows FROM pg_temp.import_rows;

    -- Meetings an earlier import keyed by the slug form of their slug.
    UPDATE meetings m
    SET source_key = r.key
    FROM pg_temp.import_rows r
    WHERE m.source_id = src.id AND m.source_key = r.slug AND r.key <> r.slug
      AND NOT EXISTS (SELECT 1 FROM pg_temp.import_rows o WHERE o.key = r.slug)
      AND NOT EXISTS (SELECT 1 FROM meetings x WHERE x.source_id = src.id
                                                 AND x.source_key = r.key);

    -- The source's meetings that are not in the feed any more.
    CREATE TEMP TABLE import_gone ON COMMIT DROP AS
    SELECT m.id FROM meetings m
    WHERE m.source_id = src.id AND (m.active OR m.closed)
      AND NOT EXISTS (SELECT 1 FROM pg_temp.import_rows r WHERE r.key = m.source_key);

    -- What to do with each row: insert, update, or nothing ('same').
    CREATE TEMP TABLE import_plan ON COMMIT DROP AS
    SELECT r.key, m.id AS meeting_id, src.id AS source_id,
           CASE WHEN m.id IS NULL THEN 'insert'
                WHEN (m.active OR m.closed) AND m.import_hash = r.hash THEN 'same'
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
    -- Whether the place is approximate is what the feed (or import.c) said
    -- of its address: a street placed at its town's centre is still a
    -- street (geocoded says that its point is only near).
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
           t.approximate,
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
    SELECT p.action, p.meeting_id, r.key, r.slug, f.id AS fellowship_id, r.name, r.day,
           r.start_time, r.end_time, r.timezone, r.attendance, r.closed, c.codes,
           r.conference_url, r.conference_url_notes, r.conference_phone,
           r.conference_phone_notes, r.notes, r.group_name, r.group_notes,
           l.id AS location_id, r.url, r.feedback_url, r.venmo, r.paypal, r.square,
           r.contacts, r.source_updated, r.hash, l.geog, lg.languages,
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
                          notes, group_name, group_notes, location_id, url, feedback_url,
                          venmo, paypal, square, contacts, source_updated, import_hash,
                          updated_at, active, closed,
                          geog, languages, search_doc, duration_min, utc_week_minute)
    SELECT src.id, w.key, w.fellowship_id, w.name,
           CASE WHEN taken.id IS NULL THEN src.slug || '-' || w.slug
                ELSE src.slug || '-' || rtrim(left(w.slug, 54), '-') || '-'
                     || left(md5(w.key), 8) END,
           w.day, w.start_time, w.end_time, w.timezone, w.attendance, w.codes,
           w.conference_url, w.conference_url_notes, w.conference_phone,
           w.conference_phone_notes, w.notes, w.group_name, w.group_notes, w.location_id,
           w.url, w.feedback_url, w.venmo, w.paypal, w.square, w.contacts, w.source_updated,
           w.hash, started, NOT w.closed, w.closed, w.geog, w.languages, w.search_doc,
           w.duration_min, w.utc_week_minute
    FROM import_writes w
    -- A join, not EXISTS: planned as one (an index probe a row, or one
    -- hash of the slugs), where a subquery per row could scan the table.
    LEFT JOIN meetings taken ON taken.slug = src.slug || '-' || w.slug
    WHERE w.action = 'insert';

    UPDATE meetings m
    SET fellowship_id = w.fellowship_id, name = w.name, day = w.day,
        start_time = w.start_time, end_time = w.end_time, timezone = w.timezone,
        attendance = w.attendance, types = w.codes, conference_url = w.conference_url,
        conference_url_notes = w.conference_url_notes, conference_phone = w.conference_phone,
        conference_phone_notes = w.conference_phone_notes, notes = w.notes,
        group_name = w.group_name, group_notes = w.group_notes, location_id = w.location_id,
        url = w.url, feedback_url = w.feedback_url, venmo = w.venmo, paypal = w.paypal,
        square = w.square, contacts = w.contacts, source_updated = w.source_updated,
        import_hash = w.hash, updated_at = started, active = NOT w.closed,
        closed = w.closed, inactive_since = NULL,
        geog = w.geog, languages = w.languages, search_doc = w.search_doc,
        duration_min = w.duration_min, utc_week_minute = w.utc_week_minute
    FROM import_writes w
    WHERE w.action = 'update' AND m.id = w.meeting_id;
    DROP VIEW import_writes;

    UPDATE meetings m
    SET active = false, closed = false, inactive_since = started, updated_at = started
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
        'closed', (SELECT count(*) FROM meetings WHERE source_id = src.id AND closed),
        'seconds', round(extract(epoch FROM clock_timestamp() - started)::numeric, 3));
    UPDATE sources SET last_import_at = started, last_import = report WHERE id = src.id;
    RETURN report;
END
$$;

REVOKE ALL ON FUNCTION import_apply(text, integer, integer, timestamptz) FROM PUBLIC;

-- Drops table tbl's other indexes and returns the statements that make them
-- again: each CREATE INDEX, then ALTER TABLE ... CLUSTER ON for the index
-- the table is clustered on and COMMENT ON INDEX for one with a comment.
-- An index outside the database's default tablespace is left in place.
-- Takes an ACCESS EXCLUSIVE lock on tbl until the transaction ends.
CREATE OR REPLACE FUNCTION indexes_drop_for_load(tbl regclass) RETURNS text[]
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
CREATE OR REPLACE FUNCTION indexes_restore(statements text[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    statement text;
BEGIN
    FOREACH statement IN ARRAY coalesce(statements, '{}') LOOP
        EXECUTE statement;
    END LOOP;
END
$$;

-- The staging table of one services import (hsds_import_rows, shaped as
-- hsds_import_row_shape), empty, dropped at commit.
CREATE OR REPLACE FUNCTION hsds_import_begin() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    DROP TABLE IF EXISTS pg_temp.hsds_import_rows;
    CREATE TEMP TABLE hsds_import_rows (LIKE hsds_import_row_shape) ON COMMIT DROP;
END
$$;

-- A GeoJSON Polygon or MultiPolygon as a service area's geography; NULL
-- when the text is not one PostGIS reads as a valid polygon (the import
-- then keeps the extent as text and goes on).
CREATE OR REPLACE FUNCTION hsds.import_polygon(geojson text) RETURNS geography
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    g geometry;
BEGIN
    IF geojson IS NULL THEN
        RETURN NULL;
    END IF;
    g := ST_SetSRID(ST_GeomFromGeoJSON(geojson), 4326);
    IF ST_GeometryType(g) NOT IN ('ST_Polygon', 'ST_MultiPolygon') OR NOT ST_IsValid(g) THEN
        RETURN NULL;
    END IF;
    RETURN ST_Multi(g)::geography;
EXCEPTION WHEN OTHERS THEN
    RETURN NULL;
END
$$;

-- A key or id as a uuid, or NULL when it is not one (compared with
-- uuid columns, so that their indexes serve).
CREATE OR REPLACE FUNCTION hsds.import_uuid(given text) RETURNS uuid
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN given ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                THEN given::uuid END
$$;

-- The id of a new record: the source's own when it is a uuid that no row
-- of `tbl` has, else one derived from the source, the kind and the key.
-- (`taken` is asked by the caller, which knows the table.)
CREATE OR REPLACE FUNCTION hsds.import_id(given text, taken boolean, source_slug text, kind text,
                               key text) RETURNS uuid
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN given ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                     AND NOT taken THEN given::uuid
                ELSE hsds.derived_id(source_slug, kind, key) END
$$;

-- Inserts the children in array `field` of the records of temporary table
-- `parents` (id, key, doc, action) whose action is not 'same', into `tbl`,
-- with `parent_col` set to the record's id and `columns` read from the
-- elements by name. A child keeps its own uuid when no row has it yet and
-- no earlier child in this insert has it; else its id is derived from the
-- parent's key and its position, so it stays the same from import to
-- import. Only called by hsds_import_apply() with constant names.
CREATE OR REPLACE FUNCTION hsds.import_children(parents text, parent_kind text, field text, tbl text,
                                     parent_col text, columns text[], source_slug text)
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format(
        'INSERT INTO hsds.%1$I (id, %2$I, %3$s)
         SELECT CASE WHEN x.id IS NOT NULL
                          AND row_number() OVER (PARTITION BY x.id ORDER BY w.key, x.ordinality) = 1
                          AND NOT EXISTS (SELECT 1 FROM hsds.%1$I t WHERE t.id = x.id)
                     THEN x.id
                     ELSE hsds.derived_id(%4$L, %1$L, %5$L || %6$L || w.key || %6$L || x.ordinality)
                END,
                w.id, %7$s
         FROM pg_temp.%8$I w
         CROSS JOIN LATERAL jsonb_populate_recordset(NULL::hsds.%1$I, w.doc -> %9$L)
              WITH ORDINALITY AS x
         WHERE w.action <> %10$L AND jsonb_typeof(w.doc -> %9$L) = %11$L',
        tbl, parent_col, array_to_string(ARRAY(SELECT quote_ident(c) FROM unnest(columns) c), ', '),
        source_slug, parent_kind, E'\x1f',
        array_to_string(ARRAY(SELECT 'x.' || quote_ident(c) FROM unnest(columns) c), ', '),
        parents, field, 'same', 'array');
END
$$;

REVOKE ALL ON FUNCTION hsds.import_children(text, text, text, text, text, text[], text) FROM PUBLIC;

-- Inserts the languages of the phones that hsds.import_children has just
-- inserted for the records of `parents` (a phone's `languages` array in
-- the staged document). A phone is found again by the id import_children
-- gave it: its own uuid, or the id derived from the parent's key and the
-- phone's position (preferred when both are the parent's: an id repeated
-- within one record). A language keeps its own uuid when no row has it and
-- no earlier language in this insert has it, else gets one derived from
-- the phone's id and its position. Only called by hsds_import_apply().
CREATE OR REPLACE FUNCTION hsds.import_phone_languages(parents text, parent_kind text, parent_col text,
                                            source_slug text)
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format(
        'INSERT INTO hsds.language (id, phone_id, name, code, note)
         SELECT CASE WHEN l.id IS NOT NULL
                          AND row_number() OVER (PARTITION BY l.id ORDER BY p.id, l.ordinality) = 1
                          AND NOT EXISTS (SELECT 1 FROM hsds.language t WHERE t.id = l.id)
                     THEN l.id
                     ELSE hsds.derived_id(%1$L, %2$L, p.id::text || %3$L || l.ordinality)
                END,
                p.id, l.name, l.code, l.note
         FROM pg_temp.%4$I w
         CROSS JOIN LATERAL jsonb_array_elements(w.doc -> %5$L) WITH ORDINALITY AS x (phone, k)
         CROSS JOIN LATERAL (
             SELECT ph.id FROM hsds.phone ph
             WHERE ph.%6$I = w.id
               AND ph.id IN (hsds.derived_id(%1$L, %7$L, %8$L || %3$L || w.key || %3$L || x.k),
                             (x.phone ->> %9$L)::uuid)
             ORDER BY ph.id = hsds.derived_id(%1$L, %7$L, %8$L || %3$L || w.key || %3$L || x.k) DESC
             LIMIT 1) p
         CROSS JOIN LATERAL jsonb_populate_recordset(NULL::hsds.language, x.phone -> %10$L)
              WITH ORDINALITY AS l
         WHERE w.action <> %11$L AND jsonb_typeof(w.doc -> %5$L) = %12$L
           AND jsonb_typeof(x.phone -> %10$L) = %12$L',
        source_slug, 'language', E'\x1f', parents, 'phones', parent_col, 'phone', parent_kind,
        'id', 'languages', 'same', 'array');
END
$$;

-- The one country a name or code stands for: an ISO 3166-1 alpha-2 code in
-- any case ("us", "GE"), or a name place_countries lists once ("USA",
-- "United States", "Georgia"); NULL otherwise.
CREATE OR REPLACE FUNCTION hsds.import_country(given text) RETURNS text
LANGUAGE sql STABLE STRICT PARALLEL SAFE
AS $$
    SELECT CASE WHEN btrim(given) ~ '^[A-Za-z]{2}$' THEN upper(btrim(given))
                ELSE (SELECT min(c.country) FROM place_countries c
                      WHERE c.key = place_key(given)
                      HAVING count(DISTINCT c.country) = 1) END
$$;

-- Where the service areas an import gives by name only are (areas: a JSON
-- array of {"name", "country", "near"}: country the ISO 3166-1 code the
-- area itself gave, near the country its service is in as the import
-- read it, a code or a name; both may be absent). One row per area the
-- gazetteer can place, with its 1-based position in the array and `how`:
--   'country'  the name is a country's (its own or its service's country,
--              else the one country of that name): country, no region;
--   'region'   a region of the gazetteer (places.region_name, or its
--              letter code) in the area's country, else in its service's
--              country, else a US state, else the one country that has a
--              region of that name: country and region;
--   'guess'    as 'region' when neither country decided it and a country
--              has the name too ("Georgia": the US state, or the country).
-- The first of these that holds decides; two answers of the same rank
-- (regions of two countries, neither the US) give no row. Reads every
-- region of the gazetteer once (a few hundred).
CREATE OR REPLACE FUNCTION hsds.import_area_places(areas jsonb)
RETURNS TABLE (ord integer, country text, region text, how text)
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    WITH given AS MATERIALIZED (
        SELECT x.i::integer AS i, hsds.area_region_key(x.a ->> 'name') AS k,
               coalesce(place_key(x.a ->> 'name'), '') AS name_key,
               upper(x.a ->> 'country') AS country,
               coalesce(upper(x.a ->> 'country'), hsds.import_country(x.a ->> 'near')) AS home
        FROM jsonb_array_elements(areas) WITH ORDINALITY AS x (a, i)
        WHERE jsonb_typeof(x.a) = 'object'
    ),
    regions AS MATERIALIZED (
        SELECT DISTINCT p.country, p.region, p.region_key
        FROM places p
        WHERE p.region IS NOT NULL AND p.region_key IS NOT NULL
    ),
    named AS (
        -- The countries of that name.
        SELECT DISTINCT g.i, c.country
        FROM given g
        JOIN place_countries c ON c.key IN (g.name_key, g.k)
        WHERE g.name_key <> ''
    ),
    candidates AS (
        SELECT n.i, 1 AS rank, n.country, NULL::text AS region, 'country' AS how
        FROM named n JOIN given g ON g.i = n.i
        WHERE n.country = g.home
        UNION
        SELECT g.i, CASE WHEN r.country = g.home THEN 2
                         WHEN g.country IS NOT NULL THEN NULL
                         WHEN r.country = 'US' THEN 3 ELSE 4 END,
               r.country, r.region,
               CASE WHEN r.country IS DISTINCT FROM g.home
                         AND EXISTS (SELECT 1 FROM named n
                                     WHERE n.i = g.i AND n.country <> r.country)
                    THEN 'guess' ELSE 'region' END
        FROM given g
        JOIN regions r
          ON r.region_key = g.k OR (lower(r.region) = g.k AND length(g.k) BETWEEN 2 AND 3)
        WHERE g.k <> ''
        UNION
        SELECT n.i, 5, n.country, NULL, 'country'
        FROM named n JOIN given g ON g.i = n.i
        WHERE g.country IS NULL
    ),
    ranked AS (
        SELECT c.*, min(c.rank) OVER (PARTITION BY c.i) AS best,
               count(*) OVER (PARTITION BY c.i, c.rank) AS ties
        FROM candidates c
        WHERE c.rank IS NOT NULL
    )
    SELECT r.i, r.country, r.region, r.how
    FROM ranked r
    WHERE r.rank = r.best AND r.ties = 1
$$;

-- Merges the staged records into source `src_slug`'s organizations,
-- locations and services, in the caller's transaction: new keys are
-- inserted, changed records updated with their children replaced (a
-- service that had left the input comes back), records equal to what was
-- last written (the same digest) are left alone, and listed services whose
-- key is not staged are deactivated (inactive_since). Locations without a
-- point are placed by the gazetteer from their address's ZIP code or city
-- (geocoded). Attributes are linked to the finder's terms by taxonomy name
-- and code or through hsds.category_crosswalk, else to the outside
-- taxonomy's term, kept in hsds.taxonomy_term. Returns the report (the
-- meeting import's keys, counting services) and records it on the source,
-- with `rejected` and `warnings` from the caller, which read the input.
CREATE OR REPLACE FUNCTION hsds_import_apply(src_slug text, rejected integer, warnings integer,
                                  started timestamptz)
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = public, pg_temp
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
    changed  uuid[];
    report   jsonb;
BEGIN
    SELECT * INTO STRICT src FROM sources WHERE slug = src_slug FOR UPDATE;
    DROP TABLE IF EXISTS pg_temp.hsds_staged, pg_temp.hsds_org_write, pg_temp.hsds_loc_write,
                         pg_temp.hsds_svc_write, pg_temp.hsds_attrs;

    -- One record a kind and key: the first staged (a location shared by
    -- several services is staged with each).
    CREATE TEMP TABLE hsds_staged ON COMMIT DROP AS
    SELECT DISTINCT ON (kind, key) * FROM pg_temp.hsds_import_rows ORDER BY kind, key, row;
    CREATE UNIQUE INDEX ON hsds_staged (kind, key);
    ANALYZE hsds_staged;
    SELECT count(*) INTO n_rows FROM hsds_staged WHERE kind = 'service';

    -- Organizations ----------------------------------------------------
    CREATE TEMP TABLE hsds_org_write ON COMMIT DROP AS
    SELECT r.key, r.hash, r.doc, o.id AS old_id,
           coalesce(o.id, hsds.import_id(r.key, EXISTS (SELECT 1 FROM hsds.organization x
                                                        WHERE x.id = hsds.import_uuid(r.key)),
                                         src.slug, 'organization', r.key)) AS id,
           CASE WHEN o.id IS NULL THEN 'insert' WHEN o.import_hash = r.hash THEN 'same'
                ELSE 'update' END AS action
    FROM hsds_staged r
    LEFT JOIN hsds.organization o ON o.source_id = src.id AND o.source_key = r.key
    WHERE r.kind = 'organization';
    -- Temporary tables have no statistics until analysed; without them the
    -- joins below are planned as nested loops over the whole input.
    ANALYZE hsds_org_write;

    INSERT INTO hsds.organization (id, source_id, source_key, name, alternate_name, description,
                                   email, website, tax_status, tax_id, year_incorporated,
                                   legal_status, logo, uri, parent_organization_id, import_hash)
    SELECT w.id, src.id, w.key, d.name, d.alternate_name, d.description, d.email, d.website,
           d.tax_status, d.tax_id, d.year_incorporated, d.legal_status, d.logo, d.uri,
           d.parent_organization_id, w.hash
    FROM hsds_org_write w
    CROSS JOIN LATERAL jsonb_populate_record(NULL::hsds.organization, w.doc) d
    WHERE w.action = 'insert';

    UPDATE hsds.organization o
    SET name = d.name, alternate_name = d.alternate_name, description = d.description,
        email = d.email, website = d.website, tax_status = d.tax_status, tax_id = d.tax_id,
        year_incorporated = d.year_incorporated, legal_status = d.legal_status, logo = d.logo,
        uri = d.uri, parent_organization_id = d.parent_organization_id, import_hash = w.hash
    FROM hsds_org_write w
    CROSS JOIN LATERAL jsonb_populate_record(NULL::hsds.organization, w.doc) d
    WHERE w.action = 'update' AND o.id = w.id;

    -- Locations -----------------------------------------------------------
    CREATE TEMP TABLE hsds_loc_write ON COMMIT DROP AS
    SELECT r.key, r.hash, r.doc, coalesce((r.doc ->> 'point')::boolean, false) AS point,
           coalesce(l.id, hsds.import_id(r.key, EXISTS (SELECT 1 FROM hsds.location x
                                                        WHERE x.id = hsds.import_uuid(r.key)),
                                         src.slug, 'location', r.key)) AS id,
           CASE WHEN l.id IS NULL THEN 'insert' WHEN l.import_hash = r.hash THEN 'same'
                ELSE 'update' END AS action,
           (SELECT o.id FROM hsds.organization o
            WHERE o.source_id = src.id AND o.source_key = r.doc ->> 'organization') AS organization_id,
           z.name AS timezone,
           NULL::geography AS geog, NULL::text AS geocoded,
           a.postal_code, a.city, coalesce(a.state_province, a.region) AS region, a.country
    FROM hsds_staged r
    LEFT JOIN hsds.location l ON l.source_id = src.id AND l.source_key = r.key
    LEFT JOIN (SELECT name FROM pg_timezone_names) z ON z.name = r.doc ->> 'timezone'
    LEFT JOIN LATERAL (
        SELECT x.* FROM jsonb_populate_recordset(NULL::hsds.address, r.doc -> 'addresses')
                        WITH ORDINALITY x
        WHERE jsonb_typeof(r.doc -> 'addresses') = 'array'
        ORDER BY x.address_type <> 'physical', x.ordinality
        LIMIT 1) a ON true
    WHERE r.kind = 'location';
    CREATE UNIQUE INDEX ON hsds_loc_write (id);
    ANALYZE hsds_loc_write;

    -- A point from the coordinates when they are a place; else, for a
    -- place one goes to, the gazetteer's (once per distinct address).
    UPDATE hsds_loc_write w
    SET geog = ST_SetSRID(ST_MakePoint((w.doc ->> 'longitude')::float8,
                                       (w.doc ->> 'latitude')::float8), 4326)::geography
    WHERE w.point AND w.action <> 'same';
    UPDATE hsds_loc_write w
    SET geog = ST_SetSRID(ST_MakePoint(g.lng, g.lat), 4326)::geography, geocoded = g.how
    FROM (SELECT DISTINCT postal_code, city, region, country FROM hsds_loc_write
          WHERE NOT point AND action <> 'same'
            AND coalesce(doc ->> 'location_type', 'physical') <> 'virtual') a
    CROSS JOIN LATERAL import_geocode(a.postal_code, a.city, a.region, a.country) g
    WHERE NOT w.point AND w.action <> 'same'
      AND coalesce(w.doc ->> 'location_type', 'physical') <> 'virtual'
      AND w.postal_code IS NOT DISTINCT FROM a.postal_code AND w.city IS NOT DISTINCT FROM a.city
      AND w.region IS NOT DISTINCT FROM a.region AND w.country IS NOT DISTINCT FROM a.country;

    DELETE FROM hsds.address WHERE location_id IN
        (SELECT id FROM hsds_loc_write WHERE action = 'update');
    DELETE FROM hsds.accessibility WHERE location_id IN
        (SELECT id FROM hsds_loc_write WHERE action = 'update');
    DELETE FROM hsds.phone WHERE location_id IN
        (SELECT id FROM hsds_loc_write WHERE action = 'update');
    DELETE FROM hsds.schedule WHERE location_id IN
        (SELECT id FROM hsds_loc_write WHERE action = 'update');
    DELETE FROM hsds.language WHERE location_id IN
        (SELECT id FROM hsds_loc_write WHERE action = 'update');

    INSERT INTO hsds.location (id, source_id, source_key, location_type, url, organization_id,
                               name, alternate_name, description, transportation, latitude,
                               longitude, external_identifier, external_identifier_type, geog,
                               geocoded, timezone, import_hash)
    SELECT w.id, src.id, w.key, coalesce(d.location_type, 'physical'), d.url, w.organization_id,
           d.name, d.alternate_name, d.description, d.transportation, d.latitude, d.longitude,
           d.external_identifier, d.external_identifier_type, w.geog, w.geocoded,
           coalesce(w.timezone, src.default_timezone), w.hash
    FROM hsds_loc_write w
    CROSS JOIN LATERAL jsonb_populate_record(NULL::hsds.location, w.doc) d
    WHERE w.action = 'insert';

    UPDATE hsds.location l
    SET location_type = coalesce(d.location_type, 'physical'), url = d.url,
        organization_id = w.organization_id, name = d.name, alternate_name = d.alternate_name,
        description = d.description, transportation = d.transportation, latitude = d.latitude,
        longitude = d.longitude, external_identifier = d.external_identifier,
        external_identifier_type = d.external_identifier_type, geog = w.geog,
        geocoded = w.geocoded, timezone = coalesce(w.timezone, src.default_timezone),
        import_hash = w.hash
    FROM hsds_loc_write w
    CROSS JOIN LATERAL jsonb_populate_record(NULL::hsds.location, w.doc) d
    WHERE w.action = 'update' AND l.id = w.id;

    PERFORM hsds.import_children('hsds_loc_write', 'location', 'addresses', 'address',
        'location_id', ARRAY['attention', 'address_1', 'address_2', 'city', 'region',
                             'state_province', 'postal_code', 'country', 'address_type'],
        src.slug);
    PERFORM hsds.import_children('hsds_loc_write', 'location', 'accessibility', 'accessibility',
        'location_id', ARRAY['description', 'details', 'url'], src.slug);
    PERFORM hsds.import_children('hsds_loc_write', 'location', 'phones', 'phone', 'location_id',
        ARRAY['number', 'extension', 'type', 'description'], src.slug);
    PERFORM hsds.import_phone_languages('hsds_loc_write', 'location', 'location_id', src.slug);
    PERFORM hsds.import_children('hsds_loc_write', 'location', 'schedules', 'schedule',
        'location_id', ARRAY['valid_from', 'valid_to', 'dtstart', 'timezone', 'until', 'count',
                             'wkst', 'freq', 'interval', 'byday', 'byweekno', 'bymonthday',
                             'byyearday', 'description', 'opens_at', 'closes_at',
                             'schedule_link', 'attending_type', 'notes', 'tz'], src.slug);
    PERFORM hsds.import_children('hsds_loc_write', 'location', 'languages', 'language',
        'location_id', ARRAY['name', 'code', 'note'], src.slug);

    -- Services --------------------------------------------------------------
    CREATE TEMP TABLE hsds_svc_write ON COMMIT DROP AS
    SELECT r.key, r.hash, r.doc, s.id AS old_id,
           coalesce(s.id, hsds.import_id(r.key, EXISTS (SELECT 1 FROM hsds.service x
                                                        WHERE x.id = hsds.import_uuid(r.key)),
                                         src.slug, 'service', r.key)) AS id,
           CASE WHEN s.id IS NULL THEN 'insert'
                WHEN s.import_hash = r.hash AND s.inactive_since IS NULL THEN 'same'
                ELSE 'update' END AS action,
           (SELECT o.id FROM hsds.organization o
            WHERE o.source_id = src.id AND o.source_key = r.doc ->> 'organization') AS organization_id
    FROM hsds_staged r
    LEFT JOIN hsds.service s ON s.source_id = src.id AND s.source_key = r.key
    WHERE r.kind = 'service';
    CREATE UNIQUE INDEX ON hsds_svc_write (key);
    ANALYZE hsds_svc_write;
    SELECT count(*) FILTER (WHERE action = 'insert'), count(*) FILTER (WHERE action = 'update'),
           count(*) FILTER (WHERE action = 'same')
    INTO n_ins, n_upd, n_same FROM hsds_svc_write;

    DELETE FROM hsds.phone WHERE service_id IN
        (SELECT id FROM hsds_svc_write WHERE action = 'update');
    DELETE FROM hsds.schedule WHERE service_id IN
        (SELECT id FROM hsds_svc_write WHERE action = 'update');
    DELETE FROM hsds.language WHERE service_id IN
        (SELECT id FROM hsds_svc_write WHERE action = 'update');
    DELETE FROM hsds.cost_option WHERE service_id IN
        (SELECT id FROM hsds_svc_write WHERE action = 'update');
    DELETE FROM hsds.service_area WHERE service_id IN
        (SELECT id FROM hsds_svc_write WHERE action = 'update');
    DELETE FROM hsds.service_at_location WHERE service_id IN
        (SELECT id FROM hsds_svc_write WHERE action = 'update');
    DELETE FROM hsds.attribute WHERE link_entity = 'service' AND link_id IN
        (SELECT id FROM hsds_svc_write WHERE action = 'update');
    DELETE FROM hsds.recovery_housing WHERE service_id IN
        (SELECT id FROM hsds_svc_write WHERE action = 'update');
    DELETE FROM hsds.peer_support WHERE service_id IN
        (SELECT id FROM hsds_svc_write WHERE action = 'update');

    INSERT INTO hsds.service (id, source_id, source_key, organization_id, name, alternate_name,
                              description, url, email, status, interpretation_services,
                              application_process, fees_description, wait_time, fees,
                              accreditations, eligibility_description, minimum_age, maximum_age,
                              assured_date, assurer_email, licenses, alert, last_modified, moud,
                              import_hash, updated_at)
    SELECT w.id, src.id, w.key, w.organization_id, d.name, d.alternate_name, d.description,
           d.url, d.email, coalesce(d.status, 'active'), d.interpretation_services,
           d.application_process, d.fees_description, d.wait_time, d.fees, d.accreditations,
           d.eligibility_description, d.minimum_age, d.maximum_age, d.assured_date,
           d.assurer_email, d.licenses, d.alert, d.last_modified, d.moud, w.hash, started
    FROM hsds_svc_write w
    CROSS JOIN LATERAL jsonb_populate_record(NULL::hsds.service, w.doc) d
    WHERE w.action = 'insert';

    UPDATE hsds.service s
    SET organization_id = w.organization_id, name = d.name, alternate_name = d.alternate_name,
        description = d.description, url = d.url, email = d.email,
        status = coalesce(d.status, 'active'), interpretation_services = d.interpretation_services,
        application_process = d.application_process, fees_description = d.fees_description,
        wait_time = d.wait_time, fees = d.fees, accreditations = d.accreditations,
        eligibility_description = d.eligibility_description, minimum_age = d.minimum_age,
        maximum_age = d.maximum_age, assured_date = d.assured_date,
        assurer_email = d.assurer_email, licenses = d.licenses, alert = d.alert,
        last_modified = d.last_modified, moud = d.moud, import_hash = w.hash,
        inactive_since = NULL, updated_at = started
    FROM hsds_svc_write w
    CROSS JOIN LATERAL jsonb_populate_record(NULL::hsds.service, w.doc) d
    WHERE w.action = 'update' AND s.id = w.id;

    PERFORM hsds.import_children('hsds_svc_write', 'service', 'phones', 'phone', 'service_id',
        ARRAY['number', 'extension', 'type', 'description'], src.slug);
    PERFORM hsds.import_phone_languages('hsds_svc_write', 'service', 'service_id', src.slug);
    PERFORM hsds.import_children('hsds_svc_write', 'service', 'schedules', 'schedule',
        'service_id', ARRAY['valid_from', 'valid_to', 'dtstart', 'timezone', 'until', 'count',
                            'wkst', 'freq', 'interval', 'byday', 'byweekno', 'bymonthday',
                            'byyearday', 'description', 'opens_at', 'closes_at',
                            'schedule_link', 'attending_type', 'notes', 'tz'], src.slug);
    PERFORM hsds.import_children('hsds_svc_write', 'service', 'languages', 'language',
        'service_id', ARRAY['name', 'code', 'note'], src.slug);
    PERFORM hsds.import_children('hsds_svc_write', 'service', 'cost_options', 'cost_option',
        'service_id', ARRAY['valid_from', 'valid_to', 'option', 'currency', 'amount',
                            'amount_description'], src.slug);
    PERFORM hsds.import_children('hsds_svc_write', 'service', 'service_areas', 'service_area',
        'service_id', ARRAY['name', 'description', 'extent', 'extent_type', 'uri', 'country',
                            'region'], src.slug);
    UPDATE hsds.service_area a SET geom = hsds.import_polygon(a.extent)
    FROM hsds_svc_write w
    WHERE a.service_id = w.id AND w.action <> 'same' AND lower(a.extent_type) = 'geojson';

    -- A schedule's zone must be one PostgreSQL knows (the importer checks
    -- only its form), or the searches that read it would fail.
    UPDATE hsds.schedule sc SET tz = NULL
    WHERE sc.tz IS NOT NULL AND sc.tz !~ '^[+-][0-9]{2}:[0-9]{2}$'
      AND NOT EXISTS (SELECT 1 FROM pg_timezone_names z WHERE z.name = sc.tz)
      AND (sc.service_id IN (SELECT id FROM hsds_svc_write WHERE action <> 'same')
           OR sc.location_id IN (SELECT id FROM hsds_loc_write WHERE action <> 'same'));

    -- A service at each of its locations (once each).
    INSERT INTO hsds.service_at_location (id, service_id, location_id, description)
    SELECT CASE WHEN x.id IS NOT NULL
                     AND row_number() OVER (PARTITION BY x.id ORDER BY x.key, x.n) = 1
                     AND NOT EXISTS (SELECT 1 FROM hsds.service_at_location t WHERE t.id = x.id)
                THEN x.id
                ELSE hsds.derived_id(src.slug, 'service_at_location', x.key || E'\x1f' || x.location)
           END,
           x.service_id, x.location_id, x.description
    FROM (
        SELECT DISTINCT ON (w.id, l.id) w.id AS service_id, w.key, e.n, l.id AS location_id,
               hsds.import_uuid(e.j ->> 'id') AS id,
               e.j ->> 'location' AS location, e.j ->> 'description' AS description
        FROM hsds_svc_write w
        CROSS JOIN LATERAL jsonb_array_elements(
            CASE WHEN jsonb_typeof(w.doc -> 'locations') = 'array' THEN w.doc -> 'locations'
                 ELSE '[]' END) WITH ORDINALITY AS e (j, n)
        JOIN hsds.location l ON l.source_id = src.id AND l.source_key = e.j ->> 'location'
        WHERE w.action <> 'same'
        ORDER BY w.id, l.id, e.n
    ) x;

    INSERT INTO hsds.recovery_housing (service_id, narr_level, certifying_body,
                                       certification_status, moud_allowed, gender_served,
                                       population_served, beds, beds_available)
    SELECT w.id, d.narr_level, d.certifying_body, d.certification_status, d.moud_allowed,
           d.gender_served, d.population_served, d.beds, d.beds_available
    FROM hsds_svc_write w
    CROSS JOIN LATERAL jsonb_populate_record(NULL::hsds.recovery_housing,
                                             w.doc -> 'recovery_housing') d
    WHERE w.action <> 'same' AND jsonb_typeof(w.doc -> 'recovery_housing') = 'object';
    INSERT INTO hsds.peer_support (service_id, credential, credentialing_body)
    SELECT w.id, d.credential, d.credentialing_body
    FROM hsds_svc_write w
    CROSS JOIN LATERAL jsonb_populate_record(NULL::hsds.peer_support, w.doc -> 'peer_support') d
    WHERE w.action <> 'same' AND jsonb_typeof(w.doc -> 'peer_support') = 'object';

    -- Attributes: the finder's own term (by taxonomy name and code, or by
    -- the crosswalk from the term's name or code), else the outside term.
    CREATE TEMP TABLE hsds_attrs ON COMMIT DROP AS
    SELECT w.id AS service_id, w.key, e.n, e.j ->> 'id' AS given_id,
           e.j ->> 'link_type' AS link_type, e.j ->> 'value' AS value, e.j -> 'taxonomy_term' AS term,
           coalesce(e.j -> 'taxonomy_term' -> 'taxonomy_detail' ->> 'name',
                    e.j -> 'taxonomy_term' ->> 'taxonomy') AS taxonomy_name,
           NULL::uuid AS taxonomy_id, NULL::uuid AS wanted_id, NULL::uuid AS term_id
    FROM hsds_svc_write w
    CROSS JOIN LATERAL jsonb_array_elements(
        CASE WHEN jsonb_typeof(w.doc -> 'attributes') = 'array' THEN w.doc -> 'attributes'
             ELSE '[]' END) WITH ORDINALITY AS e (j, n)
    WHERE w.action <> 'same';

    UPDATE hsds_attrs h SET term_id = t.id
    FROM hsds.taxonomy x
    JOIN hsds.taxonomy_term t ON t.taxonomy_id = x.id
    WHERE x.name LIKE 'recovery-%' AND x.name = h.taxonomy_name AND t.code = h.term ->> 'code';
    UPDATE hsds_attrs h SET term_id = t.id
    FROM hsds.category_crosswalk c
    JOIN hsds.taxonomy x ON x.name = 'recovery-support'
    JOIN hsds.taxonomy_term t ON t.taxonomy_id = x.id AND t.code = c.code
    WHERE h.term_id IS NULL
      AND c.term_key IN (lower(h.term ->> 'name'), lower(h.term ->> 'code'));

    UPDATE hsds_attrs h
    SET taxonomy_id = CASE WHEN h.taxonomy_name IS NOT NULL THEN
            coalesce((h.term -> 'taxonomy_detail' ->> 'id')::uuid,
                     hsds.derived_id('hsds', 'taxonomy', h.taxonomy_name)) END
    WHERE h.term_id IS NULL;
    UPDATE hsds_attrs h
    SET wanted_id = coalesce((h.term ->> 'id')::uuid,
                             hsds.derived_id('hsds', 'taxonomy_term',
                                             coalesce(h.taxonomy_name, '') || E'\x1f'
                                             || coalesce(h.term ->> 'code', h.term ->> 'name')))
    WHERE h.term_id IS NULL;
    INSERT INTO hsds.taxonomy (id, name, description, uri, version)
    SELECT DISTINCT ON (h.taxonomy_id) h.taxonomy_id, h.taxonomy_name,
           h.term -> 'taxonomy_detail' ->> 'description', h.term -> 'taxonomy_detail' ->> 'uri',
           h.term -> 'taxonomy_detail' ->> 'version'
    FROM hsds_attrs h
    WHERE h.term_id IS NULL AND h.taxonomy_id IS NOT NULL
    ORDER BY h.taxonomy_id, h.key, h.n
    ON CONFLICT DO NOTHING;
    INSERT INTO hsds.taxonomy_term (id, code, name, description, parent_id, taxonomy, taxonomy_id,
                                    language, term_uri)
    SELECT DISTINCT ON (h.wanted_id) h.wanted_id, h.term ->> 'code',
           coalesce(h.term ->> 'name', h.term ->> 'code'), h.term ->> 'description',
           (SELECT p.id FROM hsds.taxonomy_term p
            WHERE p.id = hsds.import_uuid(h.term ->> 'parent_id')),
           h.term ->> 'taxonomy', (SELECT x.id FROM hsds.taxonomy x WHERE x.id = h.taxonomy_id),
           h.term ->> 'language', h.term ->> 'term_uri'
    FROM hsds_attrs h
    WHERE h.term_id IS NULL
    ORDER BY h.wanted_id, h.key, h.n
    ON CONFLICT DO NOTHING;
    UPDATE hsds_attrs h
    SET term_id = coalesce((SELECT t.id FROM hsds.taxonomy_term t WHERE t.id = h.wanted_id),
                           (SELECT t.id FROM hsds.taxonomy_term t
                            WHERE t.taxonomy_id = h.taxonomy_id AND t.code = h.term ->> 'code'))
    WHERE h.term_id IS NULL;

    INSERT INTO hsds.attribute (id, link_id, taxonomy_term_id, link_type, link_entity, value)
    SELECT CASE WHEN h.given_id IS NOT NULL
                     AND row_number() OVER (PARTITION BY h.given_id ORDER BY h.key, h.n) = 1
                     AND NOT EXISTS (SELECT 1 FROM hsds.attribute a
                                     WHERE a.id = hsds.import_uuid(h.given_id))
                THEN h.given_id::uuid
                ELSE hsds.derived_id(src.slug, 'attribute', h.key || E'\x1f' || h.n) END,
           h.service_id, h.term_id, h.link_type, 'service', h.value
    FROM hsds_attrs h
    WHERE h.term_id IS NOT NULL;

    -- Services that left the input.
    UPDATE hsds.service s
    SET inactive_since = started, updated_at = started
    WHERE s.source_id = src.id AND s.inactive_since IS NULL
      AND NOT EXISTS (SELECT 1 FROM hsds_svc_write w WHERE w.key = s.source_key);
    GET DIAGNOSTICS n_gone = ROW_COUNT;

    -- The search columns of every service whose record, location or
    -- organization was written.
    changed := ARRAY(
        SELECT id FROM hsds_svc_write WHERE action <> 'same'
        UNION
        SELECT sal.service_id FROM hsds.service_at_location sal
        WHERE sal.location_id IN (SELECT id FROM hsds_loc_write WHERE action <> 'same')
        UNION
        SELECT s.id FROM hsds.service s
        WHERE s.organization_id IN (SELECT id FROM hsds_org_write WHERE action <> 'same'));
    IF cardinality(changed) > 0 THEN
        PERFORM hsds.service_refresh(changed);
        UPDATE hsds.service s SET updated_at = started
        WHERE s.id = ANY (changed) AND s.updated_at <> started;
    END IF;

    -- Places one goes to without a point (listed, never found by
    -- distance), and points from the gazetteer.
    SELECT count(*) FILTER (WHERE l.geog IS NULL AND l.location_type <> 'virtual'),
           count(*) FILTER (WHERE l.geocoded IS NOT NULL)
    INTO n_unmap, n_geo
    FROM hsds_loc_write w
    JOIN hsds.location l ON l.id = w.id;

    report := jsonb_build_object(
        'rows', n_rows, 'inserted', n_ins, 'updated', n_upd, 'unchanged', n_same,
        'deactivated', n_gone, 'rejected', rejected, 'warnings', warnings,
        'unmapped', n_unmap, 'geocoded', n_geo,
        'active', (SELECT count(*) FROM hsds.service WHERE source_id = src.id AND listed),
        'seconds', round(extract(epoch FROM clock_timestamp() - started)::numeric, 3));
    UPDATE sources SET last_import_at = started, last_import = report WHERE id = src.id;
    RETURN report;
END
$$;

REVOKE ALL ON FUNCTION hsds_import_apply(text, integer, integer, timestamptz) FROM PUBLIC;
