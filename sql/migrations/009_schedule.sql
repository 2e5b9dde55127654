-- Time: when a weekly meeting next starts, whether it is on now, and whether
-- it starts in a window of a searcher's day, all exact across daylight-saving
-- changes and for meetings that run past midnight.
--
-- A meeting repeats weekly at (day, start_time) in its own zone and lasts
-- duration_min (to end_time, past midnight if end_time is earlier; an hour
-- when there is no end_time). An occurrence is the local date-time of that
-- weekday in some week, turned into an instant by the zone's rules for that
-- date (AT TIME ZONE), so a change of the clocks between now and then is
-- taken into account.
--
-- utc_week_minute places the start in a UTC week using the zone's standard
-- (lowest) offset: its true UTC minute is never later and at most an hour
-- earlier, so an index on it narrows a search to a band of the week that the
-- exact functions below then check.

ALTER TABLE meetings ADD COLUMN duration_min smallint NOT NULL DEFAULT 60
    CHECK (duration_min BETWEEN 1 AND 1440);
ALTER TABLE meetings ADD COLUMN utc_week_minute smallint
    CHECK (utc_week_minute BETWEEN 0 AND 10079);

-- Minutes east of UTC that zone tz keeps outside daylight-saving time.
CREATE FUNCTION zone_standard_offset(tz text) RETURNS integer
LANGUAGE sql STABLE STRICT AS $$
    SELECT least(
        extract(epoch FROM (timestamptz '2026-01-15 12:00Z' AT TIME ZONE tz)
                         - (timestamptz '2026-01-15 12:00Z' AT TIME ZONE 'UTC')),
        extract(epoch FROM (timestamptz '2026-07-15 12:00Z' AT TIME ZONE tz)
                         - (timestamptz '2026-07-15 12:00Z' AT TIME ZONE 'UTC'))
    )::integer / 60
$$;

CREATE FUNCTION meetings_set_schedule() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    minutes integer;
BEGIN
    NEW.duration_min := 60;
    IF NEW.end_time IS NOT NULL AND NEW.start_time IS NOT NULL
       AND NEW.end_time <> NEW.start_time THEN
        minutes := extract(epoch FROM NEW.end_time - NEW.start_time)::integer / 60;
        NEW.duration_min := CASE WHEN minutes > 0 THEN minutes ELSE minutes + 1440 END;
    END IF;
    NEW.utc_week_minute := NULL;
    IF NEW.day IS NOT NULL THEN
        NEW.utc_week_minute := ((NEW.day * 1440
                                 + extract(epoch FROM NEW.start_time)::integer / 60
                                 - zone_standard_offset(NEW.timezone)) % 10080 + 10080) % 10080;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER meetings_set_schedule
    BEFORE INSERT OR UPDATE OF day, start_time, end_time, timezone, duration_min,
                               utc_week_minute ON meetings
    FOR EACH ROW EXECUTE FUNCTION meetings_set_schedule();

UPDATE meetings SET duration_min = duration_min;

CREATE INDEX meetings_utc_week_minute_idx ON meetings (utc_week_minute) WHERE active;

-- The local start of the occurrence in the week (Sunday to Saturday, in tz)
-- that holds instant anchor, k weeks on.
CREATE FUNCTION meeting_local_start(day smallint, start_time time, tz text,
                                    anchor timestamptz, k integer) RETURNS timestamp
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT ((anchor AT TIME ZONE tz)::date
            - extract(dow FROM anchor AT TIME ZONE tz)::integer + day + 7 * k) + start_time
$$;

-- When the meeting next starts at or after now; NULL by appointment.
-- These functions are single expressions, so that the planner inlines them
-- into a query instead of calling them row by row. They are STABLE, as the
-- arithmetic of timestamptz with intervals is.
CREATE FUNCTION meeting_next_start(day smallint, start_time time, tz text, now timestamptz)
RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN meeting_local_start(day, start_time, tz, now, 0) AT TIME ZONE tz >= now
                THEN meeting_local_start(day, start_time, tz, now, 0) AT TIME ZONE tz
                ELSE meeting_local_start(day, start_time, tz, now, 1) AT TIME ZONE tz END
$$;

-- Whether an occurrence has started and not yet ended at now (this week's,
-- or last week's running past midnight into this one).
CREATE FUNCTION meeting_in_progress(day smallint, start_time time, duration_min smallint,
                                    tz text, now timestamptz) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT (meeting_local_start(day, start_time, tz, now, 0) AT TIME ZONE tz <= now
            AND now < (meeting_local_start(day, start_time, tz, now, 0)
                       + make_interval(mins => duration_min)) AT TIME ZONE tz)
        OR (meeting_local_start(day, start_time, tz, now, -1) AT TIME ZONE tz <= now
            AND now < (meeting_local_start(day, start_time, tz, now, -1)
                       + make_interval(mins => duration_min)) AT TIME ZONE tz)
$$;


-- ISO 8601 with the offset of zone tz: 2026-03-08T19:00:00-04:00.
CREATE FUNCTION iso_in_zone(ts timestamptz, tz text) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT to_char(ts AT TIME ZONE tz, 'YYYY-MM-DD"T"HH24:MI:SS')
        || CASE WHEN off < interval '0' THEN '-' ELSE '+' END
        || to_char(abs(extract(epoch FROM off))::integer / 3600, 'FM00') || ':'
        || to_char(abs(extract(epoch FROM off))::integer / 60 % 60, 'FM00')
    FROM (SELECT (ts AT TIME ZONE tz) - (ts AT TIME ZONE 'UTC') AS off) o
$$;

-- The searcher's clock: now= as given (with its offset, or in tz when it
-- has none), else the time of the query.
CREATE FUNCTION search_now(given text, tz text) RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN given IS NULL THEN now()
                WHEN given ~ '(Z|[+-][0-9]{2}(:?[0-9]{2})?)$' THEN given::timestamptz
                ELSE given::timestamp AT TIME ZONE coalesce(tz, 'UTC') END
$$;

-- Day codes of the day parameter: 0 (Sunday) to 6, 7 today, 8 tomorrow.
-- Whether weekday dow matches one of them, today being seen from zone tz.
CREATE FUNCTION day_codes_match(dow integer, days smallint[], tz text, now timestamptz)
RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT dow = ANY (days)
        OR (7 = ANY (days) AND dow = extract(dow FROM now AT TIME ZONE tz)::integer)
        OR (8 = ANY (days) AND dow = (extract(dow FROM now AT TIME ZONE tz)::integer + 1) % 7)
$$;

-- The day and start time of a meeting as the searcher sees them: in tz,
-- for its next occurrence; in its own zone when tz is NULL.
CREATE FUNCTION meeting_seen_dow(day smallint, start_time time, zone text, tz text,
                                 now timestamptz) RETURNS integer
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN tz IS NULL THEN day::integer
                ELSE extract(dow FROM meeting_next_start(day, start_time, zone, now)
                                      AT TIME ZONE tz)::integer END
$$;

CREATE FUNCTION meeting_seen_time(day smallint, start_time time, zone text, tz text,
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
CREATE FUNCTION meeting_time_match(day smallint, start_time time, duration_min smallint,
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
CREATE FUNCTION day_prefilter(days smallint[], tz text, now timestamptz) RETURNS smallint[]
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

-- The UTC week minutes (by standard offsets: see utc_week_minute) of the
-- meetings that may start between t1 and t2; NULL for a span of a week or
-- more.
CREATE FUNCTION utc_week_minutes(t1 timestamptz, t2 timestamptz) RETURNS smallint[]
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN t2 - t1 >= interval '6 days 22 hours' THEN NULL ELSE
        (SELECT array_agg(DISTINCT ((m0 + i) % 10080)::smallint)
         FROM (SELECT ((extract(dow FROM t1 AT TIME ZONE 'UTC')::integer * 1440
                        + extract(hour FROM t1 AT TIME ZONE 'UTC')::integer * 60
                        + extract(minute FROM t1 AT TIME ZONE 'UTC')::integer)) AS m0) s,
              generate_series(0, (extract(epoch FROM t2 - t1)::integer / 60) + 61) AS i)
    END
$$;

-- The week minutes to look up for starts_within and in_progress (NULL when
-- neither is asked). An occurrence on now started at most a day ago.
CREATE FUNCTION time_prefilter(within integer, in_progress boolean, now timestamptz)
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
-- columns serve). Each day is its next date in tz (today's for 7).
CREATE FUNCTION tz_window_prefilter(days smallint[], t_from time, t_to time, tz text,
                                    now timestamptz) RETURNS smallint[]
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT array_agg(DISTINCT m)
    FROM (SELECT (now AT TIME ZONE tz)::date
                 + ((CASE WHEN c < 7 THEN c
                          ELSE extract(dow FROM now AT TIME ZONE tz)::integer + c - 7 END
                     - extract(dow FROM now AT TIME ZONE tz)::integer) % 7 + 7) % 7 AS d
          FROM unnest(coalesce(days, '{0,1,2,3,4,5,6}')) AS c) dates,
         LATERAL unnest(utc_week_minutes(
             (d + coalesce(t_from, time '00:00')) AT TIME ZONE tz,
             ((d + CASE WHEN t_from > t_to THEN 1 ELSE 0 END)
                + coalesce(t_to, time '23:59')) AT TIME ZONE tz)) AS m
    WHERE tz IS NOT NULL AND (days IS NOT NULL OR t_from IS NOT NULL)
$$;

-- The view gains the schedule columns (appended).
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
       to_char(m.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS updated,
       m.geog,
       m.types AS type_codes,
       m.start_time,
       m.active,
       m.fellowship_id,
       (f.audience = 'family'
        OR m.types && (SELECT array_agg(code) FROM meeting_types WHERE family)) AS for_family,
       (f.moud OR 'MOUD' = ANY (m.types)) AS moud,
       m.languages,
       array_to_string(m.languages, E'\x1f') AS language_list,
       m.search_doc,
       m.duration_min,
       m.utc_week_minute
FROM meetings m
JOIN fellowships f ON f.id = m.fellowship_id
LEFT JOIN locations l ON l.id = m.location_id;
