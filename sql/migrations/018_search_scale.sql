-- Searches whose work is bounded by their page, not by how many meetings
-- match (issue 12). A search near a point walks the meetings outwards from
-- it, nearest first, and reads at most a fixed number of them for its count
-- and its facets (sql/queries/meetings_near.sql); the walk reads the index
-- alone, never the table, so each meeting it passes costs a fraction of a
-- microsecond.
--
-- PostGIS's geography index cannot answer from the index alone (it keeps
-- boxes, not points), so each meeting also has its place as a point of the
-- cube extension: three coordinates on a sphere of the Earth's mean radius.
-- The straight-line (chord) distance between two such points grows with
-- the distance along the sphere, so ordering by it is ordering by distance;
-- a radius becomes a chord (earth_chord) and a box around the point bounds
-- the walk.

CREATE EXTENSION IF NOT EXISTS cube;

-- The sphere PostGIS measures geography distances on (`<->` and
-- ST_Distance(..., false)): the WGS 84 mean radius, in metres.
CREATE FUNCTION earth_radius() RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT 6371008.7714150598::double precision $$;

-- The point at latitude lat, longitude lng (degrees) on that sphere; NULL
-- when either is NULL.
CREATE FUNCTION earth_point(lat double precision, lng double precision) RETURNS cube
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT cube(ARRAY[earth_radius() * cos(radians(lat)) * cos(radians(lng)),
                      earth_radius() * cos(radians(lat)) * sin(radians(lng)),
                      earth_radius() * sin(radians(lat))])
$$;

-- The chord of a distance along the sphere (metres), and back.
CREATE FUNCTION earth_chord(metres double precision) RETURNS double precision
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT 2 * earth_radius() * sin(least(metres, pi() * earth_radius()) / (2 * earth_radius()))
$$;

CREATE FUNCTION earth_arc(chord double precision) RETURNS double precision
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT 2 * earth_radius() * asin(least(chord / (2 * earth_radius()), 1))
$$;

-- Minutes east of UTC that zone tz keeps in daylight-saving time (the larger
-- of its two offsets; its standard one where it has no other).
CREATE FUNCTION zone_daylight_offset(tz text) RETURNS integer
LANGUAGE sql STABLE STRICT AS $$
    SELECT greatest(
        extract(epoch FROM (timestamptz '2026-01-15 12:00Z' AT TIME ZONE tz)
                         - (timestamptz '2026-01-15 12:00Z' AT TIME ZONE 'UTC')),
        extract(epoch FROM (timestamptz '2026-07-15 12:00Z' AT TIME ZONE tz)
                         - (timestamptz '2026-07-15 12:00Z' AT TIME ZONE 'UTC'))
    )::integer / 60
$$;

-- The start in a UTC week by the zone's daylight offset, for zones that
-- have one (NULL elsewhere). A meeting's true UTC start minute is always
-- utc_week_minute (standard time) or this (daylight time), so looking up
-- both columns finds exactly the meetings that may start in a span of
-- minutes: no hour of slack around it, which at a million meetings is six
-- thousand meetings read for nothing. Generated (by the zone rules PostgreSQL
-- has when the row is written, as utc_week_minute is by its trigger), so
-- every writer keeps it; IMMUTABLE for that reason only.
CREATE FUNCTION meeting_week_minute_dst(day smallint, start_time time, tz text)
RETURNS smallint
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN zone_daylight_offset(tz) <> zone_standard_offset(tz)
                THEN meeting_week_minute(day, start_time, zone_daylight_offset(tz)) END
$$;

-- Both generated, so that every writer (the triggers, import_apply() with
-- its triggers off, the demo loader) keeps them: earth equal to geog, and
-- utc_week_minute_dst (above). One statement: the table is rewritten once.
ALTER TABLE meetings
    ADD COLUMN earth cube
        GENERATED ALWAYS AS (earth_point(ST_Y(geog::geometry), ST_X(geog::geometry))) STORED,
    ADD COLUMN utc_week_minute_dst smallint
        GENERATED ALWAYS AS (meeting_week_minute_dst(day, start_time, timezone)) STORED;

-- The walk's index. It holds the id too, so that a search without filters
-- (or one whose filters leave nothing to read, such as the radius alone)
-- walks the index without reading the table. (Holding the filters' columns
-- as well was tried: the wider entries made every step of the walk three
-- times slower, more than the table reads they save.)
CREATE INDEX meetings_earth_idx ON meetings USING gist (earth) INCLUDE (id)
    WHERE active AND earth IS NOT NULL;

-- Who a meeting is for and whether it welcomes MOUD, from what the walk's
-- index holds: the fellowships and the type codes that make a meeting one
-- for families (Al-Anon, … and meetings typed AL or AL-AN) or
-- medication-friendly (MARA, … and meetings typed MOUD). Reference data:
-- queries call these once, in a scalar subquery.
CREATE FUNCTION family_fellowships() RETURNS smallint[]
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(id ORDER BY id), '{}') FROM fellowships WHERE audience = 'family'
$$;

CREATE FUNCTION family_types() RETURNS text[]
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(code ORDER BY code), '{}') FROM meeting_types WHERE family
$$;

CREATE FUNCTION moud_fellowships() RETURNS smallint[]
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(id ORDER BY id), '{}') FROM fellowships WHERE moud
$$;

CREATE FUNCTION fellowship_ids(slugs text[]) RETURNS smallint[]
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(id ORDER BY id), '{}') FROM fellowships WHERE slug = ANY (slugs)
$$;

-- Whether a meeting matches a search's filters: the one filter block of
-- every meeting search (sql/queries/meetings_*.sql), in terms of the
-- meeting's own columns, which the walk's index holds (the keywords'
-- document aside). Each filter is NULL for none: days smallint[] (0-6
-- Sunday to Saturday, 7 today, 8 tomorrow), fellowship slugs text[], type
-- codes text[] (all required), attendance text[], for families boolean,
-- medication-friendly boolean, languages text[], keywords (web search
-- syntax: all words, "quoted phrases"), the searcher's zone (days and times
-- are seen in it; NULL: each meeting's own), now, a window of start times
-- (t_from..t_to), starting within minutes, in progress.
--
-- A single expression, so that PostgreSQL inlines it into each query and,
-- under custom plans, folds away the filters that are NULL: what is left
-- reads only the columns it needs. An inlined function may not hold a
-- subquery, so what needs one comes in as an argument the query computes
-- once: the fellowships' ids
-- (fellowship_ids), the family fellowships and types, the MOUD fellowships,
-- and the index helpers' week minutes (day_prefilter, tz_window_prefilter,
-- time_prefilter of sql/migrations/009_schedule.sql, looked up in both
-- week-minute columns: see utc_week_minute_dst below, hence each twice, as
-- an argument of its own for each column). Each argument is used once: an
-- argument holding a subquery and used twice would keep PostgreSQL from
-- inlining the function (it would then run once a row, on every column).
CREATE FUNCTION meeting_filter(
    fellowship_id smallint, types text[], attendance text, languages text[],
    search_doc tsvector, day smallint, start_time time, duration_min smallint,
    timezone text, utc_week_minute smallint, utc_week_minute_dst smallint,
    f_days smallint[], f_fellowships text[], f_types text[], f_attendance text[],
    f_family boolean, f_moud boolean, f_languages text[], f_keywords text, f_tz text,
    f_now timestamptz, f_from time, f_to time, f_within integer, f_in_progress boolean,
    fellowship_ids smallint[], family_fellowships smallint[], family_types text[],
    moud_fellowships smallint[], local_days smallint[], tz_minutes smallint[],
    tz_minutes_again smallint[], time_minutes smallint[], time_minutes_again smallint[])
RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT (f_fellowships IS NULL OR fellowship_id = ANY (fellowship_ids))
       AND (f_types IS NULL OR types @> f_types)
       AND (f_attendance IS NULL OR attendance = ANY (f_attendance))
       AND (f_family IS NULL
            OR (fellowship_id = ANY (family_fellowships) OR types && family_types) = f_family)
       AND (f_moud IS NULL
            OR (fellowship_id = ANY (moud_fellowships) OR 'MOUD' = ANY (types)) = f_moud)
       AND (f_languages IS NULL OR languages && f_languages)
       AND (f_keywords IS NULL OR search_doc @@ websearch_to_tsquery('finder', f_keywords))
       AND (f_days IS NULL OR f_tz IS NOT NULL OR day = ANY (local_days))
       AND (f_days IS NULL AND f_from IS NULL OR f_tz IS NULL
            OR utc_week_minute = ANY (tz_minutes) OR utc_week_minute_dst = ANY (tz_minutes_again))
       AND (f_from IS NULL OR f_tz IS NOT NULL OR start_time BETWEEN f_from AND f_to
            OR (f_from > f_to AND (start_time >= f_from OR start_time <= f_to)))
       AND (f_within IS NULL AND f_in_progress IS NULL
            OR utc_week_minute = ANY (time_minutes)
            OR utc_week_minute_dst = ANY (time_minutes_again))
       AND meeting_time_match(day, start_time, duration_min, timezone, f_days, f_from, f_to,
                              f_tz, f_now, f_within, f_in_progress)
$$;

-- Time, faster and exact without slack ---------------------------------------
--
-- The local start of the occurrence in the week (Sunday to Saturday, in tz)
-- that holds instant anchor, k weeks on: one conversion to the zone's time
-- instead of two (date_bin counts weeks from a Sunday). The same values as
-- sql/migrations/009_schedule.sql's.
CREATE OR REPLACE FUNCTION meeting_local_start(day smallint, start_time time, tz text,
                                               anchor timestamptz, k integer) RETURNS timestamp
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT date_bin('7 days', anchor AT TIME ZONE tz, timestamp '2000-01-02')
           + make_interval(days => day + 7 * k) + start_time
$$;

-- When the meeting next starts at or after now; NULL by appointment. Three
-- conversions where there were nine: a search computes this for every
-- meeting it sorts or filters by time.
CREATE OR REPLACE FUNCTION meeting_next_start(day smallint, start_time time, tz text,
                                              now timestamptz) RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN meeting_local_start(day, start_time, tz, now, 0) AT TIME ZONE tz >= now
                THEN meeting_local_start(day, start_time, tz, now, 0) AT TIME ZONE tz
                ELSE meeting_local_start(day, start_time, tz, now, 1) AT TIME ZONE tz END
$$;

-- The daylight-time week minutes (utc_week_minute_dst, at the top), looked
-- up beside utc_week_minute's.
CREATE INDEX meetings_utc_week_minute_dst_idx ON meetings (utc_week_minute_dst)
    WHERE active AND utc_week_minute_dst IS NOT NULL;

-- A search anywhere reads its candidates in order of their start in the
-- week from now, by id (sql/queries/meetings_all.sql): the index gives that
-- order, so that the first thousand are always the same thousand.
DROP INDEX meetings_utc_week_minute_idx;
CREATE INDEX meetings_utc_week_minute_idx ON meetings (utc_week_minute, id) WHERE active;

-- The UTC week minutes (standard or daylight: see utc_week_minute_dst at
-- the top) of the meetings
-- that may start between t1 and t2, both included; NULL for a span of a
-- week or more. Exact now: the hour of slack of 009_schedule.sql is gone.
CREATE OR REPLACE FUNCTION utc_week_minutes(t1 timestamptz, t2 timestamptz) RETURNS smallint[]
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN t2 - t1 >= interval '7 days' THEN NULL ELSE
        (SELECT array_agg(DISTINCT ((m0 + i) % 10080)::smallint)
         FROM (SELECT ((extract(dow FROM t1 AT TIME ZONE 'UTC')::integer * 1440
                        + extract(hour FROM t1 AT TIME ZONE 'UTC')::integer * 60
                        + extract(minute FROM t1 AT TIME ZONE 'UTC')::integer)) AS m0) s,
              generate_series(0, extract(epoch FROM date_trunc('minute', t2)
                                                    - date_trunc('minute', t1))::integer / 60) AS i)
    END
$$;

-- The columns every meeting search returns for the meetings of its page
-- (ids, in that order), seen at now from zone tz (NULL: each meeting's
-- own): what sql/queries/meetings_*.sql put after their own columns and
-- fcgi/src/api_meetings.c reads (its enum meeting_column), and the place's
-- point for the distance. next_start is the meeting's next start in tz,
-- local_time the same instant in its own zone.
--
-- PL/pgSQL with a generic plan, planned once per connection: the handler's
-- sessions plan every statement anew for its parameters (a NULL filter
-- folds away, the right index is chosen), which for this join of the view
-- would cost as much as running it, for a plan that never changes.
CREATE FUNCTION meeting_rows(ids bigint[], now timestamptz, tz text)
RETURNS TABLE (id bigint, slug text, name text, fellowship_slug text, fellowship_name text,
               day smallint, "time" text, end_time text, timezone text, attendance text,
               types text, location_name text, address text, city text, region text,
               postal_code text, country text, lat double precision, lng double precision,
               conference_url text, conference_phone text, notes text, group_name text,
               updated text, language_list text, next_start text, local_time text,
               geog geography)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET plan_cache_mode = force_generic_plan
AS $$
BEGIN
    RETURN QUERY
    SELECT d.id, d.slug, d.name, d.fellowship_slug, d.fellowship_name, d.day, d.time,
           d.end_time, d.timezone, d.attendance, d.types, d.location_name, d.address, d.city,
           d.region, d.postal_code, d.country, d.lat, d.lng, d.conference_url,
           d.conference_phone, d.notes, d.group_name, d.updated, d.language_list,
           iso_in_zone(n.at, coalesce(meeting_rows.tz, d.timezone)), iso_in_zone(n.at, d.timezone),
           d.geog
    FROM unnest(ids) WITH ORDINALITY AS u (id, i)
    JOIN meeting_details d ON d.id = u.id
    CROSS JOIN LATERAL (SELECT meeting_next_start(d.day, d.start_time, d.timezone,
                                                  meeting_rows.now) AS at OFFSET 0) n
    ORDER BY u.i;
END
$$;

-- The first window of a soonest-first search that looks meetings up by
-- their start (sql/queries/meetings_*_soonest.sql), in minutes: about 500
-- meetings' worth at the table's density (from the planner's statistics),
-- at least five minutes. A search then widens it eightfold a step, so a
-- common search reads about as many meetings at a million as at fifty
-- thousand.
CREATE FUNCTION window_minutes() RETURNS double precision
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT greatest(5, least(10080, 500 * 10080 / greatest(c.reltuples, 1)))
    FROM pg_class c WHERE c.oid = 'meetings'::regclass
$$;

-- The UTC week minute of instant t (0 = Sunday 00:00 UTC).
CREATE FUNCTION utc_week_minute_of(t timestamptz) RETURNS smallint
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT (extract(dow FROM t AT TIME ZONE 'UTC')::integer * 1440
            + extract(hour FROM t AT TIME ZONE 'UTC')::integer * 60
            + extract(minute FROM t AT TIME ZONE 'UTC')::integer)::smallint
$$;

-- Minutes from week minute m0 on to week minute k, round the week. A
-- meeting's next start is this far from now's minute for one of its two
-- week minutes (standard or daylight time): so the lesser of the two is a
-- lower bound of it and the greater an upper bound, cheap to compute for
-- every meeting of a search where its exact next start (three conversions
-- of zone) is worth computing only for the few that can be first: see
-- sql/queries/meetings_*_soonest.sql.
CREATE FUNCTION week_until(k smallint, m0 smallint) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT (k - m0 + 10080) % 10080
$$;

-- The week minutes to look up for days and a window of start times seen
-- from tz (see 009_schedule.sql), now as the exact test reads them: a
-- meeting matches when its next start, seen from tz, falls on one of the
-- days at a time of day in the window, so a window past midnight (22:00 to
-- 02:00) is, on each day, its two parts on that same date (00:00 to 02:00
-- and 22:00 to 23:59). 009's version took the evening and the next
-- morning, which missed the morning part on the day itself: with the hour
-- of slack gone, the look-up must be a superset of the test by itself.
CREATE OR REPLACE FUNCTION tz_window_prefilter(days smallint[], t_from time, t_to time, tz text,
                                               now timestamptz) RETURNS smallint[]
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT array_agg(DISTINCT m)
    FROM (SELECT (now AT TIME ZONE tz)::date
                 + ((CASE WHEN c < 7 THEN c
                          ELSE extract(dow FROM now AT TIME ZONE tz)::integer + c - 7 END
                     - extract(dow FROM now AT TIME ZONE tz)::integer) % 7 + 7) % 7 AS d
          FROM unnest(coalesce(days, '{0,1,2,3,4,5,6}')) AS c) dates,
         LATERAL (VALUES (coalesce(t_from, time '00:00'),
                          CASE WHEN t_from > t_to THEN time '23:59'
                               ELSE coalesce(t_to, time '23:59') END),
                         (CASE WHEN t_from > t_to THEN time '00:00' END, t_to)) AS w (a, b),
         LATERAL unnest(utc_week_minutes((d + w.a) AT TIME ZONE tz,
                                         (d + w.b) AT TIME ZONE tz)) AS m
    WHERE tz IS NOT NULL AND (days IS NOT NULL OR t_from IS NOT NULL) AND w.a IS NOT NULL
$$;

-- Services ---------------------------------------------------------------

-- The columns every services search returns for the services of its page,
-- in that order (ids), each with the location it was found at (NULL: found
-- through its area, or anywhere), its distance in metres and the name of
-- the area it was found through: what sql/queries/services_*.sql return
-- and fcgi/src/api_services.c reads (its enum service_column). A generic
-- plan, planned once per connection, as meeting_rows() is.
CREATE FUNCTION hsds.service_rows(ids uuid[], location_ids uuid[], dists double precision[],
                                  area_names text[], now timestamptz)
RETURNS TABLE (id uuid, name text, organization_id uuid, organization_name text,
               description text, url text, email text, phone text, categories json,
               populations json, costs json, languages json, accessibility json,
               moud boolean, assured_date date, open_now boolean, location json,
               distance_km numeric, area_name text, recovery_housing json)
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
           END
    FROM unnest(ids, location_ids, dists, area_names) WITH ORDINALITY
         AS p (id, location_id, dist, area_name, i)
    JOIN hsds.service s ON s.id = p.id
    JOIN hsds.organization o ON o.id = s.organization_id
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

-- A services search anywhere finds its first matches through the index of
-- its rarest filter (sql/queries/services_all.sql); categories and keywords
-- had one, the other vocabularies now too, so that no filter leaves a
-- search to read every service.
CREATE INDEX service_population_idx ON hsds.service USING gin (population_codes) WHERE listed;
CREATE INDEX service_language_idx ON hsds.service USING gin (language_codes) WHERE listed;
CREATE INDEX service_cost_idx ON hsds.service USING gin (cost_codes) WHERE listed;
