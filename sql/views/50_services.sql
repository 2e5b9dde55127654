-- sql/views/50_services.sql
-- Services (schema hsds): documents, areas, opening hours and the rows of
-- a services search's page.
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

-- The id a record of a source gets: the source's own id when it is a uuid,
-- else one derived from the source, the table and the key (stable across
-- imports).
CREATE OR REPLACE FUNCTION hsds.derived_id(source_slug text, kind text, key text) RETURNS uuid
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT md5(source_slug || E'\x1f' || kind || E'\x1f' || key)::uuid $$;

-- A service's search document: its name and its organization's (A), other
-- names (B), description (C), eligibility and fees (D).
CREATE OR REPLACE FUNCTION hsds.service_doc(s hsds.service, org_name text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT setweight(to_tsvector('finder'::regconfig, coalesce(s.name, '')), 'A')
        || setweight(to_tsvector('finder'::regconfig, coalesce(org_name, '')), 'A')
        || setweight(to_tsvector('finder'::regconfig, coalesce(s.alternate_name, '')), 'B')
        || setweight(to_tsvector('finder'::regconfig, coalesce(s.description, '')), 'C')
        || setweight(to_tsvector('finder'::regconfig,
                                 coalesce(s.eligibility_description, '') || ' '
                                 || coalesce(s.fees_description, '')), 'D')
$$;

-- The country and region of the gazetteer's place nearest to (lat, lng),
-- within 150 km; no row when there is none.
CREATE OR REPLACE FUNCTION hsds.point_area(lat double precision, lng double precision,
                                OUT country text, OUT region text)
RETURNS SETOF record
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT p.country, p.region
    FROM places p
    WHERE ST_DWithin(ST_SetSRID(ST_MakePoint(p.lng, p.lat), 4326)::geography,
                     ST_SetSRID(ST_MakePoint($2, $1), 4326)::geography, 150000)
    ORDER BY ST_SetSRID(ST_MakePoint(p.lng, p.lat), 4326)::geography
             <-> ST_SetSRID(ST_MakePoint($2, $1), 4326)::geography
    LIMIT 1
$$;

-- A local timestamp of the instant at in zone: an IANA name or a '+03:00'
-- offset (east of UTC positive, as ISO 8601 writes it).
CREATE OR REPLACE FUNCTION hsds.local_time(at timestamptz, zone text) RETURNS timestamp
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN zone ~ '^[+-][0-9]{2}:[0-9]{2}$'
                THEN (at AT TIME ZONE 'UTC') + zone::interval
                ELSE at AT TIME ZONE zone END
$$;

-- Whether a byday list ('MO,TU', '2MO', '-1FR') of freq names local date
-- d: an item names d when it is d's day code, with for freq MONTHLY an
-- optional ordinal that must be d's week of the month counted from the
-- start (2MO) or from the end (-1MO); items that are not of that form match
-- nothing. PL/pgSQL, whose compiled form a session keeps: it is called
-- once per schedule a search looks at.
CREATE OR REPLACE FUNCTION hsds.byday_matches(freq text, byday text, d date) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
AS $$
DECLARE
    code text := (ARRAY['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'])
                     [extract(dow FROM d)::integer + 1];
    from_start integer := (extract(day FROM d)::integer - 1) / 7 + 1;
    last_day integer := extract(day FROM date_trunc('month', d) + interval '1 month - 1 day');
    from_end integer := (last_day - extract(day FROM d)::integer) / 7 + 1;
    items text := upper(replace(coalesce(byday, ''), ' ', ''));
BEGIN
    IF freq IS DISTINCT FROM 'MONTHLY' THEN
        RETURN items ~ ('(^|,)(-?[1-5])?' || code || '(,|$)');
    END IF;
    RETURN items ~ ('(^|,)(' || from_start || ')?' || code || '(,|$)')
        OR items ~ ('(^|,)-' || from_end || code || '(,|$)');
END
$$;

-- Whether schedule row s is open at instant at, its times read in zone. A
-- schedule without both times, or without days, says nothing: false. One
-- expression, which PostgreSQL inlines into its caller.
CREATE OR REPLACE FUNCTION hsds.schedule_open(s hsds.schedule, zone text, at timestamptz)
RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT s.opens_at IS NOT NULL AND s.closes_at IS NOT NULL
       AND (s.valid_from IS NULL OR hsds.local_time(at, zone)::date >= s.valid_from)
       AND (s.valid_to IS NULL OR hsds.local_time(at, zone)::date <= s.valid_to)
       AND (s.until IS NULL OR hsds.local_time(at, zone)::date <= s.until)
       AND CASE
           WHEN s.opens_at < s.closes_at THEN
               hsds.byday_matches(s.freq, s.byday, hsds.local_time(at, zone)::date)
               AND hsds.local_time(at, zone)::time >= s.opens_at
               AND hsds.local_time(at, zone)::time < s.closes_at
           ELSE -- past midnight, or the whole day when the times are equal
               (hsds.byday_matches(s.freq, s.byday, hsds.local_time(at, zone)::date)
                AND hsds.local_time(at, zone)::time >= s.opens_at)
               OR (hsds.byday_matches(s.freq, s.byday, hsds.local_time(at, zone)::date - 1)
                   AND hsds.local_time(at, zone)::time < s.closes_at)
       END
$$;

-- Whether each of the services ids is open at instant at: a service's
-- schedules are its own, its locations' and its service_at_location rows';
-- a schedule's zone is its own, its location's, the service's first
-- location's, else the source's default. A service none of whose schedules
-- has days and times has no row (its answer is NULL). The schedules are
-- found through indexes, once per set rather than once per service.
CREATE OR REPLACE FUNCTION hsds.services_open(ids uuid[], at timestamptz,
                                   OUT service_id uuid, OUT open boolean)
RETURNS SETOF record
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT z.service_id, coalesce(bool_or(hsds.schedule_open(z.s, z.zone, at)), false)
    FROM (
        SELECT k.service_id, sc AS s,
               coalesce(sc.tz, l.timezone,
                        (SELECT sl.timezone FROM hsds.service_at_location sal
                         JOIN hsds.location sl ON sl.id = sal.location_id
                         WHERE sal.service_id = k.service_id AND sl.timezone IS NOT NULL
                         ORDER BY sl.id LIMIT 1),
                        src.default_timezone) AS zone
        FROM (SELECT h.service_id, h.id FROM hsds.schedule h WHERE h.service_id = ANY (ids)
              UNION
              SELECT sal.service_id, h.id
              FROM hsds.service_at_location sal
              JOIN hsds.schedule h ON h.location_id = sal.location_id
              WHERE sal.service_id = ANY (ids)
              UNION
              SELECT sal.service_id, h.id
              FROM hsds.service_at_location sal
              JOIN hsds.schedule h ON h.service_at_location_id = sal.id
              WHERE sal.service_id = ANY (ids)) k
        JOIN hsds.schedule sc ON sc.id = k.id
        JOIN hsds.service sv ON sv.id = k.service_id
        JOIN sources src ON src.id = sv.source_id
        LEFT JOIN hsds.service_at_location own ON own.id = sc.service_at_location_id
        LEFT JOIN hsds.location l ON l.id = coalesce(sc.location_id, own.location_id)
        WHERE sc.opens_at IS NOT NULL AND sc.closes_at IS NOT NULL
        -- Kept a subquery, so that zone stays a plain column and
        -- hsds.schedule_open is inlined rather than run as a function.
        OFFSET 0
    ) z
    GROUP BY z.service_id
$$;

-- Whether service id is open at instant at (NULL: its schedules do not
-- say): one case of hsds.services_open.
CREATE OR REPLACE FUNCTION hsds.service_open(service_id uuid, at timestamptz) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT o.open FROM hsds.services_open(ARRAY[$1], $2) o
$$;

-- The minute of the week an opening starts: at opens on day (0 = Sunday),
-- moved shift minutes earlier, wrapped around the week.
CREATE OR REPLACE FUNCTION hsds.week_start(day integer, opens time, shift integer) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT ((day * 1440 + extract(hour FROM opens)::integer * 60
             + extract(minute FROM opens)::integer - shift) % 10080 + 10080) % 10080
$$;

-- How many minutes an opening lasts: to closes, past midnight when closes
-- <= opens (the same time: 24 hours).
CREATE OR REPLACE FUNCTION hsds.open_minutes(opens time, closes time) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN closes > opens THEN (extract(epoch FROM closes - opens) / 60)::integer
                ELSE 1440 - (extract(epoch FROM opens - closes) / 60)::integer END
$$;

-- The minutes of the week an opening covers: from opens on day (0 =
-- Sunday) to closes, past midnight when closes <= opens (the same time: 24
-- hours), moved shift minutes earlier, wrapped around the week's end.
CREATE OR REPLACE FUNCTION hsds.week_ranges(day integer, opens time, closes time, shift integer)
RETURNS int4multirange
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    -- One expression (no FROM), so that PostgreSQL inlines it into the
    -- refresh's query instead of calling it once a schedule and day.
    SELECT CASE
        WHEN hsds.week_start(day, opens, shift) + hsds.open_minutes(opens, closes) <= 10080
        THEN int4multirange(int4range(hsds.week_start(day, opens, shift),
                                      hsds.week_start(day, opens, shift)
                                      + hsds.open_minutes(opens, closes)))
        ELSE int4multirange(int4range(hsds.week_start(day, opens, shift), 10080),
                            int4range(0, hsds.week_start(day, opens, shift)
                                         + hsds.open_minutes(opens, closes) - 10080))
    END
$$;

-- The minute of the week of instant at in zone (an IANA name or '+03:00').
CREATE OR REPLACE FUNCTION hsds.week_minute(at timestamptz, zone text) RETURNS integer
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    -- One expression, inlined into the search's filter. date_trunc('week')
    -- is a Monday: Sunday is 1440 minutes before it.
    SELECT ((floor(extract(epoch FROM hsds.local_time(at, zone)
                                     - date_trunc('week', hsds.local_time(at, zone))) / 60)::integer
             + 1440) % 10080)
$$;

-- The offsets (minutes east of UTC) a zone has this year: one, or two where
-- it keeps summer time.
CREATE OR REPLACE FUNCTION hsds.zone_offsets(zone text) RETURNS SETOF integer
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT DISTINCT (extract(epoch FROM hsds.local_time(t, zone) - (t AT TIME ZONE 'UTC')) / 60)::integer
    FROM (VALUES (date_trunc('year', now()) + interval '14 days'),
                 (date_trunc('year', now()) + interval '195 days')) AS v (t)
$$;

-- Recomputes the hours columns of the given services (all when ids is
-- NULL). hsds.service_refresh calls it.
CREATE OR REPLACE FUNCTION hsds.service_hours_refresh(ids uuid[]) RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
    n integer;
BEGIN
    WITH sched AS (
        -- Each service's schedules with days and times, and their zones,
        -- found as hsds.services_open finds them.
        SELECT k.service_id, sc.freq, sc.byday, sc.opens_at, sc.closes_at,
               sc.valid_from IS NULL AND sc.valid_to IS NULL AND sc.until IS NULL
                   AND sc.freq IS DISTINCT FROM 'MONTHLY' AS simple,
               coalesce(sc.tz, l.timezone,
                        (SELECT sl.timezone FROM hsds.service_at_location sal
                         JOIN hsds.location sl ON sl.id = sal.location_id
                         WHERE sal.service_id = k.service_id AND sl.timezone IS NOT NULL
                         ORDER BY sl.id LIMIT 1),
                        src.default_timezone) AS zone
        FROM (SELECT h.service_id, h.id FROM hsds.schedule h
              WHERE ids IS NULL AND h.service_id IS NOT NULL OR h.service_id = ANY (ids)
              UNION
              SELECT sal.service_id, h.id
              FROM hsds.service_at_location sal
              JOIN hsds.schedule h ON h.location_id = sal.location_id
              WHERE ids IS NULL OR sal.service_id = ANY (ids)
              UNION
              SELECT sal.service_id, h.id
              FROM hsds.service_at_location sal
              JOIN hsds.schedule h ON h.service_at_location_id = sal.id
              WHERE ids IS NULL OR sal.service_id = ANY (ids)) k
        JOIN hsds.schedule sc ON sc.id = k.id
        JOIN hsds.service sv ON sv.id = k.service_id
        JOIN sources src ON src.id = sv.source_id
        LEFT JOIN hsds.service_at_location own ON own.id = sc.service_at_location_id
        LEFT JOIN hsds.location l ON l.id = coalesce(sc.location_id, own.location_id)
        WHERE sc.opens_at IS NOT NULL AND sc.closes_at IS NOT NULL
    ),
    days AS (
        -- One row per schedule and day it names (ordinals dropped: a
        -- superset for MONTHLY).
        SELECT s.*, d.dow
        FROM sched s
        CROSS JOIN LATERAL (
            SELECT DISTINCT array_position(ARRAY['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'],
                                           right(item, 2)) - 1 AS dow
            FROM unnest(string_to_array(upper(replace(coalesce(s.byday, ''), ' ', '')), ','))
                 AS item
            WHERE item ~ '^(-?[1-5])?(SU|MO|TU|WE|TH|FR|SA)$'
        ) d
    ),
    offsets AS (
        SELECT z.zone, o.offset_min
        FROM (SELECT DISTINCT zone FROM sched) z
        CROSS JOIN LATERAL hsds.zone_offsets(z.zone) AS o (offset_min)
    ),
    utc AS (
        SELECT d.service_id, range_agg(r) AS ranges
        FROM days d
        JOIN offsets o ON o.zone = d.zone
        CROSS JOIN LATERAL unnest(hsds.week_ranges(d.dow, d.opens_at, d.closes_at,
                                                   o.offset_min)) AS r
        GROUP BY d.service_id
    ),
    local AS (
        SELECT d.service_id, range_agg(r) AS ranges
        FROM days d
        CROSS JOIN LATERAL unnest(hsds.week_ranges(d.dow, d.opens_at, d.closes_at, 0)) AS r
        GROUP BY d.service_id
    ),
    exact AS (
        SELECT s.service_id, bool_and(s.simple) AND count(DISTINCT s.zone) = 1 AS exact,
               min(s.zone) AS zone
        FROM sched s
        GROUP BY s.service_id
    ),
    hours AS (
        SELECT e.service_id, coalesce(u.ranges, '{}') AS utc,
               CASE WHEN e.exact THEN coalesce(l.ranges, '{}') END AS local,
               CASE WHEN e.exact THEN e.zone END AS zone
        FROM exact e
        LEFT JOIN utc u ON u.service_id = e.service_id
        LEFT JOIN local l ON l.service_id = e.service_id
    )
    UPDATE hsds.service sv
    SET hours_utc = h.utc, hours_local = h.local, hours_zone = h.zone
    FROM hsds.service x
    LEFT JOIN hours h ON h.service_id = x.id
    WHERE sv.id = x.id AND (ids IS NULL OR x.id = ANY (ids))
      AND (sv.hours_utc, sv.hours_local, sv.hours_zone)
          IS DISTINCT FROM (h.utc, h.local, h.zone);
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END
$$;

-- Whether service s is open at instant at: NULL when no schedule of it
-- has days and times. The same answer as hsds.service_open(s.id, at).
CREATE OR REPLACE FUNCTION hsds.open_at(s hsds.service, at timestamptz) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN s.hours_utc IS NULL THEN NULL
                WHEN NOT s.hours_utc @> hsds.week_minute(at, 'UTC') THEN false
                WHEN s.hours_zone IS NOT NULL
                    THEN s.hours_local @> hsds.week_minute(at, s.hours_zone)
                ELSE hsds.service_open(s.id, at) END
$$;

-- Rebuilds the search columns of the given services (all when ids is NULL)
-- from their attribute and language rows, their organization's name and
-- their schedules (hsds.service_hours_refresh). Every writer calls it after
-- writing (the import; the demo loader writes the same columns itself).
-- The arrays are subqueries of the SET list, and the languages found
-- through two index lookups (an OR of the service's and its locations'
-- languages read the whole language table once a service).
CREATE OR REPLACE FUNCTION hsds.service_refresh(ids uuid[]) RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
    n integer;
BEGIN
    UPDATE hsds.service s
    SET (category_codes, population_codes, cost_codes, accessibility_codes) = (
            SELECT coalesce(array_agg(DISTINCT t.code ORDER BY t.code)
                                FILTER (WHERE x.name = 'recovery-support'), '{}'),
                   coalesce(array_agg(DISTINCT t.code ORDER BY t.code)
                                FILTER (WHERE x.name = 'recovery-population'), '{}'),
                   coalesce(array_agg(DISTINCT t.code ORDER BY t.code)
                                FILTER (WHERE x.name = 'recovery-cost'), '{}'),
                   coalesce(array_agg(DISTINCT t.code ORDER BY t.code)
                                FILTER (WHERE x.name = 'recovery-accessibility'), '{}')
            FROM hsds.attribute a
            JOIN hsds.taxonomy_term t ON t.id = a.taxonomy_term_id
            JOIN hsds.taxonomy x ON x.id = t.taxonomy_id
            WHERE a.link_id = s.id AND x.name LIKE 'recovery-%'),
        -- Two index lookups: an OR of the service's and its locations'
        -- languages scanned the whole language table once a service.
        language_codes = coalesce(
            (SELECT array_agg(DISTINCT x.code ORDER BY x.code)
             FROM (SELECT l.code FROM hsds.language l WHERE l.service_id = s.id
                   UNION ALL
                   SELECT l.code
                   FROM hsds.service_at_location sal
                   JOIN hsds.language l ON l.location_id = sal.location_id
                   WHERE sal.service_id = s.id) x
             WHERE x.code IS NOT NULL), '{}'),
        search_doc = hsds.service_doc(s, o.name)
    FROM hsds.organization o
    WHERE o.id = s.organization_id AND (ids IS NULL OR s.id = ANY (ids));
    GET DIAGNOSTICS n = ROW_COUNT;
    PERFORM hsds.service_hours_refresh(ids);
    RETURN n;
END
$$;

-- A service area's name for people: its own, else its state or country
-- code as an export writes it (US-MO, US).
CREATE OR REPLACE FUNCTION hsds.service_area_label(a hsds.service_area) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT coalesce(a.name, a.country || coalesce('-' || a.region, ''))
$$;

-- The services whose service area reaches the point (lat, lng): a polygon
-- that covers it, the state and the country hsds.point_area finds there.
-- Each service once, under its best area: polygons and states (rank 0)
-- before countries (rank 1), then by area name. Each branch is served by
-- its own index (the GiST on geom, the btree on country and region).
CREATE OR REPLACE FUNCTION hsds.areas_reaching(lat double precision, lng double precision,
                                    OUT service_id uuid, OUT area_name text,
                                    OUT area_rank integer)
RETURNS SETOF record
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT DISTINCT ON (x.service_id) x.service_id, x.label, x.rank
    FROM (
        SELECT a.service_id, hsds.service_area_label(a) AS label, 0 AS rank, a.id
        FROM hsds.service_area a
        WHERE ST_Intersects(a.geom, ST_SetSRID(ST_MakePoint($2, $1), 4326)::geography)
        UNION ALL
        SELECT a.service_id, hsds.service_area_label(a), 0, a.id
        FROM hsds.point_area($1, $2) h
        JOIN hsds.service_area a ON a.country = h.country AND a.region = h.region
        WHERE a.geom IS NULL
        UNION ALL
        SELECT a.service_id, hsds.service_area_label(a), 1, a.id
        FROM hsds.point_area($1, $2) h
        JOIN hsds.service_area a ON a.country = h.country AND a.region IS NULL
        WHERE a.geom IS NULL
    ) x
    ORDER BY x.service_id, x.rank, x.label, x.id
$$;

-- The key a service area's name is looked up by among the gazetteer's
-- regions: place_key() without the words around a state's name ("State of
-- Texas", "Commonwealth of Massachusetts", "New York State", "Georgia
-- (statewide)", "Estado de Jalisco" -> texas, massachusetts, new york,
-- georgia, jalisco).
CREATE OR REPLACE FUNCTION hsds.area_region_key(name text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    SELECT regexp_replace(regexp_replace(place_key(name),
        '^(the )?(statewide )?((state|commonwealth|province|territory|estado|provincia) (of|de|del|du) )?',
        ''),
        '( (state|province|statewide|provincewide|wide))+$', '')
$$;

-- The columns every services search returns for the services of its page,
-- in that order (ids), each with the location it was found at (NULL: found
-- through its area, or anywhere), its distance in metres and the name of
-- the area it was found through, and last when its source last confirmed
-- it and whether that makes it stale at now: what sql/queries/services_*.sql
-- return and fcgi/src/api_services.c reads (its enum service_column). A
-- generic plan, planned once per connection, as meeting_rows() is.
CREATE OR REPLACE FUNCTION hsds.service_rows(ids uuid[], location_ids uuid[], dists double precision[],
                                  area_names text[], now timestamptz)
RETURNS TABLE (id uuid, name text, organization_id uuid, organization_name text,
               description text, url text, email text, phone text, categories json,
               populations json, costs json, languages json, accessibility json,
               moud boolean, assured_date date, open_now boolean, location json,
               distance_km numeric, area_name text, recovery_housing json,
               confirmed_at text, stale boolean)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET plan_cache_mode = force_generic_plan
AS $$
BEGIN
    RETURN QUERY
    SELECT s.id, s.name, o.id, o.name, s.description, s.url, s.email,
           coalesce(sp.number, lp.number),
           to_json(s.category_codes), to_json(s.population_codes), to_json(s.cost_codes),
           to_json(s.language_codes), to_json(s.accessibility_codes), s.moud, s.assured_date,
           hsds.open_at(s, service_rows.now),
           CASE WHEN l.id IS NOT NULL THEN json_build_object(
               'id', l.id, 'name', l.name, 'address', a.address_1, 'city', a.city,
               'region', coalesce(a.state_province, a.region), 'postal_code', a.postal_code,
               'country', a.country, 'lat', ST_Y(l.geog::geometry), 'lng', ST_X(l.geog::geometry))
           END,
           round((p.dist / 1000)::numeric, 3), p.area_name,
           CASE WHEN r.service_id IS NOT NULL THEN json_build_object(
               'narr_level', r.narr_level, 'certification_status', r.certification_status,
               'moud_allowed', r.moud_allowed, 'gender_served', r.gender_served, 'beds', r.beds,
               'beds_available', r.beds_available)
           END,
           to_char(source_confirmed_at(src) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
           source_stale(src, service_rows.now)
    FROM unnest(ids, location_ids, dists, area_names) WITH ORDINALITY
         AS p (id, location_id, dist, area_name, i)
    JOIN hsds.service s ON s.id = p.id
    JOIN hsds.organization o ON o.id = s.organization_id
    JOIN sources src ON src.id = s.source_id
    -- The location shown: the one it was found at, else its first, one with
    -- a point on the map before one without, then by id.
    LEFT JOIN LATERAL (
        SELECT fl.id
        FROM hsds.service_at_location sal
        JOIN hsds.location fl ON fl.id = sal.location_id
        WHERE sal.service_id = s.id
        ORDER BY fl.geog IS NULL, fl.id
        LIMIT 1
    ) f ON p.location_id IS NULL
    LEFT JOIN hsds.location l ON l.id = coalesce(p.location_id, f.id)
    -- Its physical address, else its first.
    LEFT JOIN LATERAL (
        SELECT ad.* FROM hsds.address ad
        WHERE ad.location_id = l.id
        ORDER BY ad.address_type <> 'physical', ad.id
        LIMIT 1
    ) a ON true
    -- The number to call: the service's first voice phone (a phone without
    -- a type counts as one), else the shown location's.
    LEFT JOIN LATERAL (
        SELECT x.number FROM hsds.phone x
        WHERE x.service_id = s.id AND coalesce(x.type, 'voice') = 'voice'
        ORDER BY x.id
        LIMIT 1
    ) sp ON true
    LEFT JOIN LATERAL (
        SELECT x.number FROM hsds.phone x
        WHERE x.location_id = l.id AND coalesce(x.type, 'voice') = 'voice'
        ORDER BY x.id
        LIMIT 1
    ) lp ON sp.number IS NULL
    LEFT JOIN hsds.recovery_housing r ON r.service_id = s.id
    ORDER BY p.i;
END
$$;
