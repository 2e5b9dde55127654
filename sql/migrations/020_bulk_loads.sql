-- Bulk loads at national scale (issue 12): the demo load and a first
-- import write hundreds of thousands of meetings, and each written row
-- computes its generated columns (018_search_scale.sql).
--
-- utc_week_minute_dst called meeting_week_minute_dst(), a SQL function that
-- PostgreSQL could not inline: it is IMMUTABLE and called the STABLE zone
-- offset functions, so each row ran three SQL functions of its own, about
-- 60 microseconds, most of a first import's time. The zone offsets are
-- immutable in fact (AT TIME ZONE with a zone's name is, for PostgreSQL: it
-- reads the zone rules it was built with), so they are declared so, and no
-- longer STRICT (a STRICT function whose body holds least() or greatest()
-- is never inlined; a NULL zone still gives NULL). The bodies are those of
-- 009_schedule.sql and 018_search_scale.sql, unchanged: every value stays
-- the same. The generated column's expression now inlines down to a few
-- zone conversions, about 1.5 microseconds a row.

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
