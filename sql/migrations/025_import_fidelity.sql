-- Real feeds read as they mean it (issue 14): what an import keeps so that
-- its export says what the feed said, field for field.
--
--   * A meeting whose place is temporarily closed (TC) and that has no
--     online way in is kept, marked closed: out of search, shown by id,
--     published with TC. It used to be rejected, and came back as a new
--     meeting when its place reopened.
--   * A feed's slug is kept as written (source_key), up to 255 characters;
--     the finder's own slug (meetings.slug) stays slug-shaped. import.c
--     sends both.
--   * `approximate` is unknown when the feed does not say (NULL), not "no".
--   * The steward's link (`feedback_url`) and the contribution handles
--     (`venmo`, `paypal`, `square`) are kept as the feed gave them and
--     published: groups publish them for everyone.

-- Meetings ------------------------------------------------------------------

ALTER TABLE meetings
    -- Temporarily closed with no online way in: active is false (so in no
    -- search) while inactive_since stays NULL as long as the feed lists it.
    ADD COLUMN closed boolean NOT NULL DEFAULT false,
    -- Where the meeting's steward takes corrections, as its feed gave it.
    ADD COLUMN feedback_url text CHECK (feedback_url ~ '^https?://[^\s]+$'
                                        AND char_length(feedback_url) <= 2000),
    -- Contribution handles as the group published them ("@Group",
    -- "paypal.me/Group", "$Group").
    ADD COLUMN venmo text CHECK (char_length(venmo) BETWEEN 1 AND 100),
    ADD COLUMN paypal text CHECK (char_length(paypal) BETWEEN 1 AND 100),
    ADD COLUMN square text CHECK (char_length(square) BETWEEN 1 AND 100),
    ADD CONSTRAINT meetings_closed_check
        CHECK (NOT closed OR (NOT active AND inactive_since IS NULL));

-- Locations -----------------------------------------------------------------

-- NULL: the feed did not say whether the place is only near.
ALTER TABLE locations ALTER COLUMN approximate DROP NOT NULL;

-- The staged feed -------------------------------------------------------------

ALTER TABLE import_row_shape
    ALTER COLUMN approximate DROP NOT NULL,
    -- The finder's own slug for a new meeting, unique in the feed (the key
    -- is the feed's slug as written).
    ADD COLUMN slug text NOT NULL,
    ADD COLUMN closed boolean NOT NULL,
    ADD COLUMN feedback_url text,
    ADD COLUMN venmo text,
    ADD COLUMN paypal text,
    ADD COLUMN square text;

-- import_apply() of 020_bulk_loads.sql, with what this migration adds:
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
--     it said nothing), no longer true for every place the gazetteer
--     placed: a street placed at its town's centre is still a street.
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

-- source_withdraw() of 024_source_sync.sql: closed meetings leave with the
-- rest (they are listed by id and published while their feed lists them).
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
