-- Calendar export (GET /api/v1/meetings/{id}.ics): the VTIMEZONE component
-- RFC 5545 asks for each TZID used, built from the server's own zone rules.
--
-- The transitions of zone tz during year y: for each, the local time just
-- before it (DTSTART of the component is in the offset it changes from),
-- the offsets from and to, in minutes.
CREATE FUNCTION zone_transitions(tz text, y integer)
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

-- "+0530" from minutes east of UTC.
CREATE FUNCTION ics_offset(minutes integer) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN minutes < 0 THEN '-' ELSE '+' END
        || to_char(abs(minutes) / 60, 'FM00') || to_char(abs(minutes) % 60, 'FM00')
$$;

-- The RRULE of a yearly transition on the date of d: the nth weekday of its
-- month, or the last one when no later one falls in the month.
CREATE FUNCTION ics_yearly_rule(d timestamp) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT 'FREQ=YEARLY;BYMONTH=' || extract(month FROM d)::integer || ';BYDAY='
        || CASE WHEN extract(month FROM d + interval '7 days') <> extract(month FROM d) THEN '-1'
                ELSE ((extract(day FROM d)::integer - 1) / 7 + 1)::text END
        || (ARRAY['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'])[extract(dow FROM d)::integer + 1]
$$;

-- The VTIMEZONE of tz as it stands this year: a STANDARD and a DAYLIGHT
-- component repeating yearly for a zone that changes its clocks, one
-- STANDARD component for one that does not. Lines end in CRLF.
CREATE FUNCTION ics_vtimezone(tz text, y integer) RETURNS text
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
