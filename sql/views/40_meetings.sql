-- sql/views/40_meetings.sql
-- Meetings: the triggers that keep a meeting's derived columns, its
-- search document, its schedule and time filters, the filter block of the
-- meeting searches, the view meeting_details and the rows of a search's
-- page.
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

-- Trigger (meetings, before a row is written with its place): the meeting
-- carries its place's point, so that a search near a point reads one table.
CREATE OR REPLACE FUNCTION meetings_copy_geog() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.geog := (SELECT geog FROM locations WHERE id = NEW.location_id);
    RETURN NEW;
END
$$;

-- Trigger (locations, after update of geog): the place's new point to its
-- meetings.
CREATE OR REPLACE FUNCTION locations_push_geog() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE meetings SET geog = NEW.geog WHERE location_id = NEW.id;
    RETURN NULL;
END
$$;

-- The languages of a meeting with these type codes from this source.
CREATE OR REPLACE FUNCTION meeting_languages(codes text[], source integer) RETURNS text[]
LANGUAGE sql STABLE AS $$
    SELECT coalesce(
        (SELECT array_agg(DISTINCT t.language ORDER BY t.language)
         FROM meeting_types t WHERE t.code = ANY (codes) AND t.language IS NOT NULL),
        ARRAY[(SELECT default_language FROM sources WHERE id = source)])
$$;

-- Trigger (meetings, before insert or update of types or source): the
-- languages, from the type codes.
CREATE OR REPLACE FUNCTION meetings_set_languages() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.languages := meeting_languages(NEW.types, NEW.source_id);
    RETURN NEW;
END
$$;

-- Ranking of keyword searches without a location: meetings whose name holds
-- every word (the weight-A part of their document) first. Computing
-- ts_rank_cd for every match was most of the time of a search for a common
-- word; whether the name matches is one more index-style test a row.
--
-- The query of web-search text q restricted to weight A: every lexeme of
-- websearch_to_tsquery gets the :A label ('grupo' <-> 'vida' becomes
-- 'grupo':A <-> 'vida':A).
CREATE OR REPLACE FUNCTION name_query(q text) RETURNS tsquery
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT regexp_replace(websearch_to_tsquery('finder', q)::text,
                          '(''(?:[^'']|'''')*'')', '\1:A', 'g')::tsquery
$$;

-- Immutable (the configuration named as a regconfig, no concat_ws), so that
-- the import's staging table computes it as a generated column while the
-- rows stream in.
-- Generated columns use it: keep its signature and its values.
CREATE OR REPLACE FUNCTION meeting_doc(name text, group_name text, notes text, location_name text,
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

-- The document of a meeting: name first, then group and place, then notes
-- (meeting_doc() of its columns and its place's).
CREATE OR REPLACE FUNCTION meeting_search_doc(m meetings) RETURNS tsvector
LANGUAGE sql STABLE AS $$
    SELECT meeting_doc(m.name, m.group_name, m.notes, l.name, l.city, l.address)
    FROM (SELECT 1) one
    LEFT JOIN locations l ON l.id = m.location_id
$$;

-- Trigger (meetings, before insert or update of what its document holds):
-- the meeting's search document.
CREATE OR REPLACE FUNCTION meetings_set_search_doc() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_doc := meeting_search_doc(NEW);
    RETURN NEW;
END
$$;

-- Trigger (locations, after update of name, address or city): these are
-- in the place's meetings' documents, which are written again.
CREATE OR REPLACE FUNCTION locations_push_search_doc() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE meetings m SET search_doc = meeting_search_doc(m) WHERE m.location_id = NEW.id;
    RETURN NULL;
END
$$;

-- The code of one entry of a feed's types for a fellowship: the
-- fellowship's own meaning first, then a Meeting Guide code in any case
-- ("onl" is ONL), then a type's English or Spanish name ("Wheelchair Access"
-- is X); anything else is kept as written. NULL for an empty entry.
CREATE OR REPLACE FUNCTION import_type_code(given text, fellowship smallint) RETURNS text
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
CREATE OR REPLACE FUNCTION export_type_codes(codes text[], fellowship smallint) RETURNS text[]
LANGUAGE sql STABLE AS $$
    SELECT coalesce(array_agg(coalesce(x.feed_code, c) ORDER BY coalesce(x.feed_code, c)), '{}')
    FROM unnest(codes) AS c
    LEFT JOIN fellowship_type_codes x ON x.fellowship_id = fellowship AND x.code = c
$$;

-- Derived columns: one formula each, for the triggers and the import.
--
-- A meeting's length in minutes: 60 without an end (or one equal to its
-- start), across midnight when it ends before it starts.
CREATE OR REPLACE FUNCTION meeting_duration(start_time time, end_time time) RETURNS smallint
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN start_time IS NULL OR end_time IS NULL OR end_time = start_time THEN 60
        WHEN end_time > start_time THEN (extract(epoch FROM end_time - start_time)::integer / 60)
        ELSE (extract(epoch FROM end_time - start_time)::integer / 60 + 1440)
    END::smallint
$$;

-- The minute of a UTC week (0 = Sunday 00:00 UTC) at which a meeting on
-- day at start_time starts, in a zone zone_offset minutes east of UTC.
CREATE OR REPLACE FUNCTION meeting_week_minute(day smallint, start_time time, zone_offset integer)
RETURNS smallint
LANGUAGE sql IMMUTABLE AS $$
    SELECT (((day * 1440 + extract(epoch FROM start_time)::integer / 60 - zone_offset)
             % 10080 + 10080) % 10080)::smallint
$$;

-- The start in a UTC week by the zone's daylight offset, for zones that
-- have one (NULL elsewhere). A meeting's true UTC start minute is always
-- utc_week_minute (standard time) or this (daylight time), so looking up
-- both columns finds exactly the meetings that may start in a span of
-- minutes: no hour of slack around it, which at a million meetings is six
-- thousand meetings read for nothing. Generated (by the zone rules PostgreSQL
-- has when the row is written, as utc_week_minute is by its trigger), so
-- every writer keeps it; IMMUTABLE for that reason only.
-- A generated column uses it: keep its signature and its values.
CREATE OR REPLACE FUNCTION meeting_week_minute_dst(day smallint, start_time time, tz text)
RETURNS smallint
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN zone_daylight_offset(tz) <> zone_standard_offset(tz)
                THEN meeting_week_minute(day, start_time, zone_daylight_offset(tz)) END
$$;

-- Trigger (meetings, before insert or update of the schedule): the
-- duration and the UTC week minute by the zone's standard offset
-- (utc_week_minute).
CREATE OR REPLACE FUNCTION meetings_set_schedule() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.duration_min := meeting_duration(NEW.start_time, NEW.end_time);
    NEW.utc_week_minute := meeting_week_minute(NEW.day, NEW.start_time,
                                               zone_standard_offset(NEW.timezone));
    RETURN NEW;
END
$$;

-- The local start of the occurrence in the week (Sunday to Saturday, in tz)
-- that holds instant anchor, k weeks on: one conversion to the zone's time
-- (date_bin counts weeks from a Sunday).
--
-- These functions are single expressions, so that the planner inlines them
-- into a query instead of calling them row by row. They are STABLE, as the
-- arithmetic of timestamptz with intervals is.
CREATE OR REPLACE FUNCTION meeting_local_start(day smallint, start_time time, tz text,
                                               anchor timestamptz, k integer) RETURNS timestamp
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT date_bin('7 days', anchor AT TIME ZONE tz, timestamp '2000-01-02')
           + make_interval(days => day + 7 * k) + start_time
$$;

-- When the meeting next starts at or after now; NULL by appointment. Three
-- conversions of zone: a search computes this for every meeting it sorts
-- or filters by time.
CREATE OR REPLACE FUNCTION meeting_next_start(day smallint, start_time time, tz text,
                                              now timestamptz) RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN meeting_local_start(day, start_time, tz, now, 0) AT TIME ZONE tz >= now
                THEN meeting_local_start(day, start_time, tz, now, 0) AT TIME ZONE tz
                ELSE meeting_local_start(day, start_time, tz, now, 1) AT TIME ZONE tz END
$$;

-- Whether an occurrence has started and not yet ended at now (this week's,
-- or last week's running past midnight into this one).
CREATE OR REPLACE FUNCTION meeting_in_progress(day smallint, start_time time, duration_min smallint,
                                    tz text, now timestamptz) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT (meeting_local_start(day, start_time, tz, now, 0) AT TIME ZONE tz <= now
            AND now < (meeting_local_start(day, start_time, tz, now, 0)
                       + make_interval(mins => duration_min)) AT TIME ZONE tz)
        OR (meeting_local_start(day, start_time, tz, now, -1) AT TIME ZONE tz <= now
            AND now < (meeting_local_start(day, start_time, tz, now, -1)
                       + make_interval(mins => duration_min)) AT TIME ZONE tz)
$$;

-- Day codes of the day parameter: 0 (Sunday) to 6, 7 today, 8 tomorrow.
-- Whether weekday dow matches one of them, today being seen from zone tz.
CREATE OR REPLACE FUNCTION day_codes_match(dow integer, days smallint[], tz text, now timestamptz)
RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT dow = ANY (days)
        OR (7 = ANY (days) AND dow = extract(dow FROM now AT TIME ZONE tz)::integer)
        OR (8 = ANY (days) AND dow = (extract(dow FROM now AT TIME ZONE tz)::integer + 1) % 7)
$$;

-- The day and start time of a meeting as the searcher sees them: in tz,
-- for its next occurrence; in its own zone when tz is NULL.
CREATE OR REPLACE FUNCTION meeting_seen_dow(day smallint, start_time time, zone text, tz text,
                                 now timestamptz) RETURNS integer
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN tz IS NULL THEN day::integer
                ELSE extract(dow FROM meeting_next_start(day, start_time, zone, now)
                                      AT TIME ZONE tz)::integer END
$$;

-- The start time of a meeting seen from zone tz (its next start's time of
-- day there); its own start_time without tz.
CREATE OR REPLACE FUNCTION meeting_seen_time(day smallint, start_time time, zone text, tz text,
                                  now timestamptz) RETURNS time
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN tz IS NULL THEN start_time
                ELSE (meeting_next_start(day, start_time, zone, now) AT TIME ZONE tz)::time END
$$;

-- Whether a meeting matches the time filters of a search; a NULL filter
-- matches everything, and a meeting by appointment matches no time filter.
-- days: day codes, seen in tz (or each meeting's zone); t_from..t_to: a
-- window of start times (inclusive; past midnight when t_from > t_to);
-- within: minutes from now within which it starts; in_progress: it is on.
CREATE OR REPLACE FUNCTION meeting_time_match(day smallint, start_time time, duration_min smallint,
                                   zone text, days smallint[], t_from time, t_to time,
                                   tz text, now timestamptz, within integer,
                                   in_progress boolean) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT (days IS NULL
            OR (day IS NOT NULL
                AND day_codes_match(meeting_seen_dow(day, start_time, zone, tz, now), days,
                                    coalesce(tz, zone), now)))
       AND (t_from IS NULL
            OR (day IS NOT NULL
                AND CASE WHEN t_from <= t_to
                         THEN meeting_seen_time(day, start_time, zone, tz, now)
                              BETWEEN t_from AND t_to
                         ELSE meeting_seen_time(day, start_time, zone, tz, now) >= t_from
                              OR meeting_seen_time(day, start_time, zone, tz, now) <= t_to END))
       AND (within IS NULL
            OR meeting_next_start(day, start_time, zone, now)
               <= now + make_interval(mins => within))
       AND (in_progress IS NULL
            OR (day IS NOT NULL
                AND meeting_in_progress(day, start_time, duration_min, zone, now) = in_progress))
$$;

-- Index helpers: a superset of what meeting_time_match accepts, as values
-- an index can look up. NULL when they would not narrow the search. Queries
-- call them in a scalar subquery, so that they run once, not once a row.
--
-- The local weekdays a day filter can match: the days themselves in each
-- meeting's zone (today and tomorrow differ between zones by at most a day);
-- seen from tz, a day either side.
CREATE OR REPLACE FUNCTION day_prefilter(days smallint[], tz text, now timestamptz) RETURNS smallint[]
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT array_agg(DISTINCT d::smallint)
    FROM unnest(days) AS c,
         LATERAL (SELECT CASE WHEN c < 7 THEN c
                              ELSE (extract(dow FROM now + make_interval(hours => h))::integer
                                    + c - 7) % 7 END AS base
                  FROM (VALUES (-12), (0), (14)) AS span (h)) b,
         LATERAL (SELECT ((b.base + shift) % 7 + 7) % 7 AS d
                  FROM (VALUES (-1), (0), (1)) AS s (shift)
                  WHERE tz IS NOT NULL OR shift = 0) x
    WHERE days IS NOT NULL
$$;

-- The week minutes to look up for starts_within and in_progress (NULL when
-- neither is asked). An occurrence on now started at most a day ago.
CREATE OR REPLACE FUNCTION time_prefilter(within integer, in_progress boolean, now timestamptz)
RETURNS smallint[]
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN in_progress THEN
                    utc_week_minutes(now - interval '1 day', now)
                WHEN within IS NOT NULL THEN
                    utc_week_minutes(now, now + make_interval(mins => within))
           END
$$;

-- The week minutes to look up for days and a window of start times seen
-- from tz (NULL without tz: then the meetings' own day and start_time
-- columns serve). Each day is its next date in tz (today's for 7). As the
-- exact test reads them: a meeting matches when its next start, seen from
-- tz, falls on one of the days at a time of day in the window, so a window
-- past midnight (22:00 to 02:00) is, on each day, its two parts on that
-- same date (00:00 to 02:00 and 22:00 to 23:59): the look-up must be a
-- superset of the test by itself.
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

-- Who a meeting is for and whether it welcomes MOUD, from what the walk's
-- index holds: the fellowships and the type codes that make a meeting one
-- for families (Al-Anon, … and meetings typed AL or AL-AN) or
-- medication-friendly (MARA, … and meetings typed MOUD). Reference data:
-- queries call these once, in a scalar subquery.
CREATE OR REPLACE FUNCTION family_fellowships() RETURNS smallint[]
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(id ORDER BY id), '{}') FROM fellowships WHERE audience = 'family'
$$;

-- The type codes that make a meeting one for families.
CREATE OR REPLACE FUNCTION family_types() RETURNS text[]
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(code ORDER BY code), '{}') FROM meeting_types WHERE family
$$;

-- The fellowships whose every meeting is medication-friendly (MOUD).
CREATE OR REPLACE FUNCTION moud_fellowships() RETURNS smallint[]
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(id ORDER BY id), '{}') FROM fellowships WHERE moud
$$;

-- The ids of the fellowships of these slugs.
CREATE OR REPLACE FUNCTION fellowship_ids(slugs text[]) RETURNS smallint[]
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
-- time_prefilter above, looked up in both week-minute columns: see
-- meeting_week_minute_dst above, hence each twice, as
-- an argument of its own for each column). Each argument is used once: an
-- argument holding a subquery and used twice would keep PostgreSQL from
-- inlining the function (it would then run once a row, on every column).
CREATE OR REPLACE FUNCTION meeting_filter(
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

-- The shape the API reads meetings in: one row a meeting with its
-- fellowship and place, in the text forms the JSON carries. The planner
-- flattens the view, so filters on geog and the meeting columns still use
-- their indexes.
--
-- A view keeps its columns in order: new ones are appended at the end
-- (CREATE OR REPLACE VIEW allows nothing else; see the top of this file).
CREATE OR REPLACE VIEW meeting_details AS
SELECT m.id,
       m.slug,
       m.name,
       f.slug AS fellowship_slug,
       f.name AS fellowship_name,
       m.day,
       to_char(m.start_time, 'HH24:MI') AS time,
       to_char(m.end_time, 'HH24:MI') AS end_time,
       m.timezone,
       m.attendance,
       -- Codes joined with the unit separator, which no code contains.
       array_to_string(m.types, E'\x1f') AS types,
       m.location_id,
       l.name AS location_name,
       l.address,
       l.city,
       l.region,
       l.postal_code,
       l.country,
       ST_Y(l.geog::geometry) AS lat,
       ST_X(l.geog::geometry) AS lng,
       m.conference_url,
       m.conference_phone,
       m.notes,
       m.group_name,
       -- The source's own date when its feed gave one, else when the
       -- finder last wrote the meeting.
       to_char(coalesce(m.source_updated, m.updated_at) AT TIME ZONE 'UTC',
               'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS updated,
       -- The meeting's copy of its place's point (meetings_copy_geog), which
       -- a search near a point filters on.
       m.geog,
       m.types AS type_codes,
       m.start_time,
       m.active,
       -- What the filters read: audience, medication, languages.
       m.fellowship_id,
       (f.audience = 'family'
        OR m.types && (SELECT array_agg(code) FROM meeting_types WHERE family)) AS for_family,
       (f.moud OR 'MOUD' = ANY (m.types)) AS moud,
       m.languages,
       array_to_string(m.languages, E'\x1f') AS language_list,
       -- The keywords' document.
       m.search_doc,
       -- The schedule: minutes long, and the start in a UTC week.
       m.duration_min,
       m.utc_week_minute,
       -- What imports bring: the place's notes, regions and how it was
       -- placed, the Meeting Guide notes fields, the source, and the
       -- contacts only when the source publishes them.
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

-- The columns every meeting search returns for the meetings of its page
-- (ids, in that order), seen at now from zone tz (NULL: each meeting's
-- own): what sql/queries/meetings_*.sql put after their own columns and
-- fcgi/src/api_meetings.c reads (its enum meeting_column), and the place's
-- point for the distance. next_start is the meeting's next start in tz,
-- local_time the same instant in its own zone; confirmed_at is when its
-- source last confirmed it (ISO 8601, UTC; NULL when the source has no
-- url) and stale whether that was longer ago than the source's
-- stale_after, at now.
--
-- PL/pgSQL with a generic plan, planned once per connection: the handler's
-- sessions plan every statement anew for its parameters (a NULL filter
-- folds away, the right index is chosen), which for this join of the view
-- would cost as much as running it, for a plan that never changes.
CREATE OR REPLACE FUNCTION meeting_rows(ids bigint[], now timestamptz, tz text)
RETURNS TABLE (id bigint, slug text, name text, fellowship_slug text, fellowship_name text,
               day smallint, "time" text, end_time text, timezone text, attendance text,
               types text, location_name text, address text, city text, region text,
               postal_code text, country text, lat double precision, lng double precision,
               conference_url text, conference_phone text, notes text, group_name text,
               updated text, language_list text, next_start text, local_time text,
               confirmed_at text, stale boolean, geog geography)
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
           to_char(source_confirmed_at(src) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
           source_stale(src, meeting_rows.now),
           d.geog
    FROM unnest(ids) WITH ORDINALITY AS u (id, i)
    JOIN meeting_details d ON d.id = u.id
    JOIN sources src ON src.id = d.source_id
    CROSS JOIN LATERAL (SELECT meeting_next_start(d.day, d.start_time, d.timezone,
                                                  meeting_rows.now) AS at OFFSET 0) n
    ORDER BY u.i;
END
$$;
