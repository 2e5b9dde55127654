-- Imports of real feeds (`finder import`): what a source is and how its last
-- import went, the Meeting Guide fields the finder keeps so that it can
-- publish them again, private contact details, and the set-based merge of
-- one staged feed into meetings and locations.
--
-- The derived columns of meetings (geog, languages, search_doc,
-- duration_min, utc_week_minute) are kept by row triggers, and foreign keys
-- are checked by row triggers too: together most of the cost of writing
-- 100,000 meetings. import_apply() writes set-based instead: it runs as its
-- owner with session_replication_role = replica, which skips both, computes
-- the derived columns with the same functions the triggers use, and takes
-- every referenced id from a join with the table it references, so each
-- foreign key holds by construction. It is the only code that does so.

-- Sources ------------------------------------------------------------------

ALTER TABLE sources ADD COLUMN format text
    CHECK (format IN ('meeting-guide', 'bmlt', 'csv', 'demo'));
-- The fellowship of a feed's meetings when a row does not say.
ALTER TABLE sources ADD COLUMN fellowship_id smallint REFERENCES fellowships (id);
-- Whether the source publishes its groups' contact details (emails, phone
-- numbers of people). Off unless the source says so.
ALTER TABLE sources ADD COLUMN contacts_public boolean NOT NULL DEFAULT false;
ALTER TABLE sources ADD COLUMN last_import_at timestamptz;
-- The last import's report: counts (inserted, updated, unchanged,
-- deactivated, rejected, unmapped, geocoded, warnings, rows) and seconds.
ALTER TABLE sources ADD COLUMN last_import jsonb;
UPDATE sources SET format = 'demo' WHERE demo;

-- Locations ----------------------------------------------------------------

-- An imported location is identified within its source by a digest of all
-- its fields, so a changed address is a new location and nothing that
-- points at the old one moves.
ALTER TABLE locations ADD COLUMN source_key text;
CREATE UNIQUE INDEX locations_source_key_idx ON locations (source_id, source_key);
ALTER TABLE locations ADD COLUMN formatted_address text;
ALTER TABLE locations ADD COLUMN notes text;
-- Meeting Guide regions, general to specific ("COSTA MESA").
ALTER TABLE locations ADD COLUMN regions text[] NOT NULL DEFAULT '{}';
-- The address is only near (an online meeting's rough place).
ALTER TABLE locations ADD COLUMN approximate boolean NOT NULL DEFAULT false;
-- Where the point came from: the feed, or the gazetteer from a ZIP code or
-- a city (then it is a centre, and approximate). NULL when there is none.
ALTER TABLE locations ADD COLUMN geocoded text CHECK (geocoded IN ('feed', 'zip', 'city'));
UPDATE locations SET geocoded = 'feed' WHERE geog IS NOT NULL;

-- Meetings -----------------------------------------------------------------

ALTER TABLE meetings ADD COLUMN url text;
ALTER TABLE meetings ADD COLUMN conference_url_notes text;
ALTER TABLE meetings ADD COLUMN conference_phone_notes text;
ALTER TABLE meetings ADD COLUMN group_notes text;
-- Contacts of groups and people from the feed (never shown unless the
-- source's contacts_public).
ALTER TABLE meetings ADD COLUMN contacts jsonb;
-- The feed's own `updated`, when it gives one.
ALTER TABLE meetings ADD COLUMN source_updated timestamptz;
-- Digest of the staged row the meeting was last written from: an import
-- that brings the same row again leaves the meeting alone.
ALTER TABLE meetings ADD COLUMN import_hash text;
-- When the meeting left its feed (active is then false).
ALTER TABLE meetings ADD COLUMN inactive_since timestamptz;
ALTER TABLE meetings ADD CONSTRAINT meetings_inactive_since_check
    CHECK (inactive_since IS NULL OR NOT active);

-- Type codes ---------------------------------------------------------------

-- Codes that only some fellowships use.
INSERT INTO meeting_types (code, label, label_es, family) VALUES
    ('AC', 'Adult Child Focus', 'Enfoque en hijos adultos', false),
    ('PARENTS', 'Parents of Alcoholics', 'Padres de alcohólicos', false),
    ('ALATEEN', 'Alateen', 'Alateen', true);

-- What a code in a fellowship's feed means, where it is not the Meeting
-- Guide meaning: Al-Anon's POA is Parents of Alcoholics (AA's is Proof of
-- Attendance), its Y is Alateen (AA's is Young People). The export writes
-- the fellowship's own code back.
CREATE TABLE fellowship_type_codes (
    fellowship_id smallint NOT NULL REFERENCES fellowships (id),
    feed_code     text NOT NULL,
    code          text NOT NULL REFERENCES meeting_types (code),
    PRIMARY KEY (fellowship_id, feed_code),
    UNIQUE (fellowship_id, code)
);
INSERT INTO fellowship_type_codes (fellowship_id, feed_code, code)
SELECT f.id, v.feed_code, v.code
FROM fellowships f
JOIN (VALUES ('POA', 'PARENTS'), ('Y', 'ALATEEN')) AS v (feed_code, code) ON true
WHERE f.slug IN ('al-anon', 'alateen');

-- The code of one entry of a feed's types for a fellowship: the
-- fellowship's own meaning first, then a Meeting Guide code in any case
-- ("onl" is ONL), then a type's English or Spanish name ("Wheelchair Access"
-- is X); anything else is kept as written. NULL for an empty entry.
CREATE FUNCTION import_type_code(given text, fellowship smallint) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN given <> '' THEN coalesce(
               (SELECT x.code FROM fellowship_type_codes x
                WHERE x.fellowship_id = fellowship AND x.feed_code = upper(given)),
               (SELECT t.code FROM meeting_types t WHERE upper(t.code) = upper(given)),
               (SELECT min(t.code) FROM meeting_types t
                WHERE lower(t.label) = lower(given) OR lower(t.label_es) = lower(given)),
               given) END
$$;

-- The codes to publish for a fellowship's meeting: the reverse of the above.
CREATE FUNCTION export_type_codes(codes text[], fellowship smallint) RETURNS text[]
LANGUAGE sql STABLE AS $$
    SELECT coalesce(array_agg(coalesce(x.feed_code, c) ORDER BY coalesce(x.feed_code, c)), '{}')
    FROM unnest(codes) AS c
    LEFT JOIN fellowship_type_codes x ON x.fellowship_id = fellowship AND x.code = c
$$;

-- Derived columns: one formula each, for the triggers and the import ------

CREATE FUNCTION meeting_duration(start_time time, end_time time) RETURNS smallint
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN start_time IS NULL OR end_time IS NULL OR end_time = start_time THEN 60
        WHEN end_time > start_time THEN (extract(epoch FROM end_time - start_time)::integer / 60)
        ELSE (extract(epoch FROM end_time - start_time)::integer / 60 + 1440)
    END::smallint
$$;

CREATE FUNCTION meeting_week_minute(day smallint, start_time time, zone_offset integer)
RETURNS smallint
LANGUAGE sql IMMUTABLE AS $$
    SELECT (((day * 1440 + extract(epoch FROM start_time)::integer / 60 - zone_offset)
             % 10080 + 10080) % 10080)::smallint
$$;

-- Immutable (the configuration named as a regconfig, no concat_ws), so that
-- the import's staging table computes it as a generated column while the
-- rows stream in.
CREATE FUNCTION meeting_doc(name text, group_name text, notes text, location_name text,
                            city text, address text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT setweight(to_tsvector('finder'::regconfig, coalesce(name, '')), 'A')
        || setweight(to_tsvector('finder'::regconfig, coalesce(group_name, '')), 'B')
        || setweight(to_tsvector('finder'::regconfig,
                                 coalesce(location_name || ' ' || city, location_name, city, '')),
                     'B')
        || setweight(to_tsvector('finder'::regconfig, coalesce(address, '')), 'C')
        || setweight(to_tsvector('finder'::regconfig, coalesce(notes, '')), 'D')
$$;

CREATE OR REPLACE FUNCTION meeting_search_doc(m meetings) RETURNS tsvector
LANGUAGE sql STABLE AS $$
    SELECT meeting_doc(m.name, m.group_name, m.notes, l.name, l.city, l.address)
    FROM (SELECT 1) one
    LEFT JOIN locations l ON l.id = m.location_id
$$;

CREATE OR REPLACE FUNCTION meetings_set_schedule() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.duration_min := meeting_duration(NEW.start_time, NEW.end_time);
    NEW.utc_week_minute := meeting_week_minute(NEW.day, NEW.start_time,
                                               zone_standard_offset(NEW.timezone));
    RETURN NEW;
END
$$;

-- The staged feed ----------------------------------------------------------

-- The shape of one staged meeting; import_begin() makes a temporary table
-- like it, which `finder import` fills with COPY. Every value is already
-- normal (import.c): key unique in the feed and slug-shaped, zone and
-- fellowship known, attendance decided.
CREATE TABLE import_row_shape (
    row                    integer NOT NULL,
    key                    text NOT NULL,
    -- Digests (import.c) of the whole row and of its place's fields.
    hash                   text NOT NULL,
    loc_key                text,
    name                   text NOT NULL,
    day                    smallint,
    start_time             time,
    end_time               time,
    timezone               text NOT NULL,
    attendance             text NOT NULL,
    types                  text[] NOT NULL,
    fellowship             text NOT NULL,
    notes                  text,
    group_name             text,
    group_notes            text,
    conference_url         text,
    conference_url_notes   text,
    conference_phone       text,
    conference_phone_notes text,
    location_name          text,
    location_notes         text,
    address                text,
    city                   text,
    region                 text,
    postal_code            text,
    country                text,
    formatted_address      text,
    regions                text[] NOT NULL,
    lat                    double precision,
    lng                    double precision,
    approximate            boolean NOT NULL,
    url                    text,
    source_updated         timestamptz,
    contacts               jsonb,
    -- The meeting's keyword document, made as each row arrives.
    search_doc             tsvector GENERATED ALWAYS AS
        (meeting_doc(name, group_name, notes, location_name, city, address)) STORED
);

CREATE FUNCTION import_begin() RETURNS void
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
CREATE FUNCTION import_geocode(postal_code text, city text, region text, country text,
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
-- from the caller, which read the file.
CREATE FUNCTION import_apply(src_slug text, rejected integer, warnings integer,
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
        SELECT DISTINCT ON (r.loc_key) r.*
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
           ARRAY(SELECT DISTINCT e.code FROM unnest(l.types) g
                 JOIN entries e ON e.fellowship_id = l.fellowship_id AND e.given = g
                 WHERE e.code IS NOT NULL ORDER BY e.code) AS codes
    FROM lists l;
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

-- The view gains what imports bring: the place's notes, regions and how it was
-- placed, the Meeting Guide notes fields, the source, and the contacts only
-- when the source publishes them. `updated` is the source's own date when its
-- feed gave one, else when the finder last wrote the meeting.
CREATE OR REPLACE VIEW meeting_details AS
 SELECT m.id,
    m.slug,
    m.name,
    f.slug AS fellowship_slug,
    f.name AS fellowship_name,
    m.day,
    to_char(m.start_time::interval, 'HH24:MI'::text) AS "time",
    to_char(m.end_time::interval, 'HH24:MI'::text) AS end_time,
    m.timezone,
    m.attendance,
    array_to_string(m.types, E'\x1f') AS types,
    m.location_id,
    l.name AS location_name,
    l.address,
    l.city,
    l.region,
    l.postal_code,
    l.country,
    st_y(l.geog::geometry) AS lat,
    st_x(l.geog::geometry) AS lng,
    m.conference_url,
    m.conference_phone,
    m.notes,
    m.group_name,
    to_char((coalesce(m.source_updated, m.updated_at) AT TIME ZONE 'UTC'::text),
            'YYYY-MM-DD"T"HH24:MI:SS"Z"'::text) AS updated,
    m.geog,
    m.types AS type_codes,
    m.start_time,
    m.active,
    m.fellowship_id,
    f.audience = 'family'::text OR m.types && (( SELECT array_agg(meeting_types.code) AS array_agg
           FROM meeting_types
          WHERE meeting_types.family)) AS for_family,
    f.moud OR ('MOUD'::text = ANY (m.types)) AS moud,
    m.languages,
    array_to_string(m.languages, E'\x1f') AS language_list,
    m.search_doc,
    m.duration_min,
    m.utc_week_minute,
    l.formatted_address,
    l.notes AS location_notes,
    l.regions,
    l.approximate,
    l.geocoded,
    m.url,
    m.conference_url_notes,
    m.conference_phone_notes,
    m.group_notes,
    CASE WHEN (SELECT s.contacts_public FROM sources s WHERE s.id = m.source_id)
         THEN m.contacts END AS contacts,
    m.source_id,
    (SELECT s.slug FROM sources s WHERE s.id = m.source_id) AS source_slug,
    m.source_key,
    m.source_updated,
    m.updated_at
   FROM meetings m
     JOIN fellowships f ON f.id = m.fellowship_id
     LEFT JOIN locations l ON l.id = m.location_id;
