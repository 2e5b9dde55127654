-- sql/views/10_time.sql
-- Time: zone offsets, week minutes and the searcher's clock, and the
-- VTIMEZONE of the calendar export (GET /api/v1/meetings/{id}.ics).
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

-- Minutes east of UTC that zone tz keeps outside daylight-saving time.
--
-- This and zone_daylight_offset are IMMUTABLE (AT TIME ZONE with a zone's
-- name is, in fact: it reads the zone rules PostgreSQL was built with) and
-- not STRICT (a STRICT function whose body holds least() or greatest() is
-- never inlined; a NULL zone still gives NULL), so that the generated
-- column utc_week_minute_dst (meeting_week_minute_dst(), 40_meetings.sql)
-- inlines down to a few zone conversions, about 1.5 microseconds a row
-- where three SQL functions a row took 60 (tests/sql/test_demo.sql checks
-- that it is inlined). A generated column depends on it: keep its
-- signature and its values.
CREATE OR REPLACE FUNCTION zone_standard_offset(tz text) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT least(
        extract(epoch FROM (timestamptz '2026-01-15 12:00Z' AT TIME ZONE tz)
                         - (timestamptz '2026-01-15 12:00Z' AT TIME ZONE 'UTC')),
        extract(epoch FROM (timestamptz '2026-07-15 12:00Z' AT TIME ZONE tz)
                         - (timestamptz '2026-07-15 12:00Z' AT TIME ZONE 'UTC'))
    )::integer / 60
$$;

-- Minutes east of UTC that zone tz keeps in daylight-saving time (the larger
-- of its two offsets; its standard one where it has no other). IMMUTABLE,
-- not STRICT, and used by a generated column, as zone_standard_offset.
CREATE OR REPLACE FUNCTION zone_daylight_offset(tz text) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT greatest(
        extract(epoch FROM (timestamptz '2026-01-15 12:00Z' AT TIME ZONE tz)
                         - (timestamptz '2026-01-15 12:00Z' AT TIME ZONE 'UTC')),
        extract(epoch FROM (timestamptz '2026-07-15 12:00Z' AT TIME ZONE tz)
                         - (timestamptz '2026-07-15 12:00Z' AT TIME ZONE 'UTC'))
    )::integer / 60
$$;

-- Minutes east of UTC that zone tz keeps at instant t.
CREATE OR REPLACE FUNCTION zone_offset_at(tz text, t timestamptz) RETURNS integer
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT (extract(epoch FROM (t AT TIME ZONE tz) - (t AT TIME ZONE 'UTC')) / 60)::integer
$$;

-- Calendar export (GET /api/v1/meetings/{id}.ics): the VTIMEZONE component
-- RFC 5545 asks for each TZID used, built from the server's own zone rules.
--
-- The transitions of zone tz during year y: for each, the local time just
-- before it (DTSTART of the component is in the offset it changes from),
-- the offsets from and to, in minutes.
CREATE OR REPLACE FUNCTION zone_transitions(tz text, y integer)
RETURNS TABLE (local_start timestamp, offset_from integer, offset_to integer)
LANGUAGE sql STABLE AS $$
    WITH hours AS (
        SELECT t, extract(epoch FROM (t AT TIME ZONE tz) - (t AT TIME ZONE 'UTC'))::integer / 60 AS off
        FROM generate_series(make_timestamptz(y, 1, 1, 0, 0, 0, 'UTC'),
                             make_timestamptz(y, 12, 31, 23, 0, 0, 'UTC'),
                             interval '1 hour') AS t
    ), changes AS (
        SELECT t, lag(off) OVER (ORDER BY t) AS off_from, off AS off_to FROM hours
    )
    SELECT (t AT TIME ZONE 'UTC') + make_interval(mins => off_from), off_from, off_to
    FROM changes WHERE off_from <> off_to
$$;

-- ISO 8601 with the offset of zone tz: 2026-03-08T19:00:00-04:00.
CREATE OR REPLACE FUNCTION iso_in_zone(ts timestamptz, tz text) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT to_char(ts AT TIME ZONE tz, 'YYYY-MM-DD"T"HH24:MI:SS')
        || CASE WHEN off < interval '0' THEN '-' ELSE '+' END
        || to_char(abs(extract(epoch FROM off))::integer / 3600, 'FM00') || ':'
        || to_char(abs(extract(epoch FROM off))::integer / 60 % 60, 'FM00')
    FROM (SELECT (ts AT TIME ZONE tz) - (ts AT TIME ZONE 'UTC') AS off) o
$$;

-- The searcher's clock: now= as given (with its offset, or in tz when it
-- has none), else the time of the query.
CREATE OR REPLACE FUNCTION search_now(given text, tz text) RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN given IS NULL THEN now()
                WHEN given ~ '(Z|[+-][0-9]{2}(:?[0-9]{2})?)$' THEN given::timestamptz
                ELSE given::timestamp AT TIME ZONE coalesce(tz, 'UTC') END
$$;

-- The UTC week minutes (standard or daylight: see meeting_week_minute_dst
-- in 40_meetings.sql) of the meetings that may start between t1 and t2,
-- both included; NULL for a span of a week or more. Exact: no hour of
-- slack around the span.
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

-- The UTC week minute of instant t (0 = Sunday 00:00 UTC).
CREATE OR REPLACE FUNCTION utc_week_minute_of(t timestamptz) RETURNS smallint
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
CREATE OR REPLACE FUNCTION week_until(k smallint, m0 smallint) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT (k - m0 + 10080) % 10080
$$;

-- The first window of a soonest-first search that looks meetings up by
-- their start (sql/queries/meetings_*_soonest.sql), in minutes: about 500
-- meetings' worth at the table's density (from the planner's statistics),
-- at least five minutes. A search then widens it eightfold a step, so a
-- common search reads about as many meetings at a million as at fifty
-- thousand.
CREATE OR REPLACE FUNCTION window_minutes() RETURNS double precision
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT greatest(5, least(10080, 500 * 10080 / greatest(c.reltuples, 1)))
    FROM pg_class c WHERE c.oid = 'meetings'::regclass
$$;

-- The UTC week minute a search's soonest-first order counts from: that of
-- the first whole minute at or after t. A meeting whose week minute is k
-- starts next week_until(k, this) minutes after that minute, by its
-- standard or its daylight minute: exact bounds. Counted from t's own
-- minute, as they were, a meeting that started seconds ago was said to
-- start now, not a week on; with a page's worth of them (ten thousand
-- meetings share the busiest minute at a million) the cut of
-- meetings_all.sql and the *_soonest.sql statements left out the meetings
-- that truly come next.
CREATE OR REPLACE FUNCTION search_week_minute(t timestamptz) RETURNS smallint
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT utc_week_minute_of(date_trunc('minute', t + interval '59.999999 seconds'))
$$;

-- "+0530" from minutes east of UTC.
CREATE OR REPLACE FUNCTION ics_offset(minutes integer) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN minutes < 0 THEN '-' ELSE '+' END
        || to_char(abs(minutes) / 60, 'FM00') || to_char(abs(minutes) % 60, 'FM00')
$$;

-- The RRULE of a yearly transition on the date of d: the nth weekday of its
-- month, or the last one when no later one falls in the month.
CREATE OR REPLACE FUNCTION ics_yearly_rule(d timestamp) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT 'FREQ=YEARLY;BYMONTH=' || extract(month FROM d)::integer || ';BYDAY='
        || CASE WHEN extract(month FROM d + interval '7 days') <> extract(month FROM d) THEN '-1'
                ELSE ((extract(day FROM d)::integer - 1) / 7 + 1)::text END
        || (ARRAY['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'])[extract(dow FROM d)::integer + 1]
$$;

-- The VTIMEZONE of tz as it stands this year: a STANDARD and a DAYLIGHT
-- component repeating yearly for a zone that changes its clocks, one
-- STANDARD component for one that does not. Lines end in CRLF.
CREATE OR REPLACE FUNCTION ics_vtimezone(tz text, y integer) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT 'BEGIN:VTIMEZONE' || E'\r\n' || 'TZID:' || tz || E'\r\n'
        || coalesce(
            (SELECT string_agg(
                 'BEGIN:' || CASE WHEN offset_to > offset_from THEN 'DAYLIGHT' ELSE 'STANDARD' END
                 || E'\r\n' || 'DTSTART:' || to_char(local_start, 'YYYYMMDD"T"HH24MISS') || E'\r\n'
                 || 'RRULE:' || ics_yearly_rule(local_start) || E'\r\n'
                 || 'TZOFFSETFROM:' || ics_offset(offset_from) || E'\r\n'
                 || 'TZOFFSETTO:' || ics_offset(offset_to) || E'\r\n'
                 || 'END:' || CASE WHEN offset_to > offset_from THEN 'DAYLIGHT' ELSE 'STANDARD' END
                 || E'\r\n', '' ORDER BY local_start)
             FROM zone_transitions(tz, y)),
            (SELECT 'BEGIN:STANDARD' || E'\r\n' || 'DTSTART:19700101T000000' || E'\r\n'
                 || 'TZOFFSETFROM:' || ics_offset(o) || E'\r\n'
                 || 'TZOFFSETTO:' || ics_offset(o) || E'\r\n' || 'END:STANDARD' || E'\r\n'
             FROM (SELECT extract(epoch FROM (now() AT TIME ZONE tz) - (now() AT TIME ZONE 'UTC'))::integer / 60 AS o) z))
        || 'END:VTIMEZONE' || E'\r\n'
$$;
