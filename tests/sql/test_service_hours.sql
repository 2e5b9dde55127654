-- Checks the opening-hours index of the services (sql/migrations: the
-- hours_utc, hours_local and hours_zone columns, hsds.week_ranges,
-- hsds.week_minute, hsds.open_at): open_at must give exactly what
-- hsds.service_open gives by reading the schedules, for every service in
-- the database (the demo services, and any others), at instants chosen to
-- be hard: around midnight, the week's end, the changes of summer time in
-- America and Europe, a month's last days. Run as the superuser:
--
--     psql -d finder -f tests/sql/test_service_hours.sql
--
-- Each check prints "ok - <description>" as a NOTICE, or raises an error
-- "not ok - <description> (<details>)"; every check runs, and the script
-- ends with an error (exit status 3) if any failed.

\set ON_ERROR_STOP 0
\set QUIET 1
\o /dev/null
SET client_min_messages = notice;

CREATE TEMP SEQUENCE hours_test_failures;

CREATE FUNCTION pg_temp.check(description text, query text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    passed  boolean;
    details text;
BEGIN
    BEGIN
        EXECUTE query INTO passed, details;
    EXCEPTION WHEN OTHERS THEN
        passed := false;
        details := SQLERRM;
    END;
    IF passed THEN
        RAISE NOTICE 'ok - %', description;
    ELSE
        PERFORM nextval('hours_test_failures');
        RAISE EXCEPTION 'not ok - % (%)', description, coalesce(details, 'no details');
    END IF;
END
$$;

SELECT pg_temp.check('an opening inside one day is one range of week minutes', $q$
    SELECT hsds.week_ranges(1, '10:00', '18:00', 0) = '{[2040,2520)}'::int4multirange,
           hsds.week_ranges(1, '10:00', '18:00', 0)::text
$q$);

SELECT pg_temp.check('an opening past Saturday midnight wraps to Sunday morning', $q$
    SELECT hsds.week_ranges(6, '22:00', '02:00', 0) = '{[0,120),[9960,10080)}'::int4multirange,
           hsds.week_ranges(6, '22:00', '02:00', 0)::text
$q$);

SELECT pg_temp.check('equal times are the whole day; an offset moves the range, wrapping', $q$
    SELECT hsds.week_ranges(3, '00:00', '00:00', 0) = '{[4320,5760)}'::int4multirange
           AND hsds.week_ranges(0, '01:00', '03:00', 120) = '{[10020,10080),[0,60)}'::int4multirange
           AND hsds.week_ranges(0, '01:00', '03:00', -300) = '{[360,480)}'::int4multirange,
           hsds.week_ranges(0, '01:00', '03:00', 120)::text
$q$);

SELECT pg_temp.check('the minute of the week, in UTC, in a named zone and at an offset', $q$
    SELECT hsds.week_minute('2026-11-22T00:00Z', 'UTC') = 0            -- a Sunday
           AND hsds.week_minute('2026-11-28T23:59:59Z', 'UTC') = 10079  -- Saturday
           AND hsds.week_minute('2026-11-23T01:30Z', 'America/Chicago') = 1170 -- Sun 19:30
           AND hsds.week_minute('2026-11-23T22:30Z', '+03:00') = 2970,  -- Tue 01:30
           hsds.week_minute('2026-11-23T01:30Z', 'America/Chicago')::text
$q$);

SELECT pg_temp.check('there are services with hours to check, exact ones and others', $q$
    SELECT count(*) FILTER (WHERE hours_zone IS NOT NULL) > 0
           AND count(*) FILTER (WHERE hours_utc IS NULL) > 0,
           format('%s services, %s exact, %s without hours', count(*),
                  count(*) FILTER (WHERE hours_zone IS NOT NULL),
                  count(*) FILTER (WHERE hours_utc IS NULL))
    FROM hsds.service
$q$);

-- The instants: every 14 hours 7 minutes through a week (many times of
-- day, every weekday), then the hard ones.
CREATE TEMP TABLE instants AS
SELECT '2026-11-22T00:07Z'::timestamptz + n * interval '14 hours 7 minutes' AS at
FROM generate_series(0, 11) AS n
UNION ALL
SELECT unnest(ARRAY[
    '2026-03-08T07:59:59Z', '2026-03-08T08:00Z', '2026-03-08T09:30Z',  -- US spring forward
    '2026-11-01T05:30Z', '2026-11-01T06:30Z', '2026-11-01T07:30Z',     -- US fall back
    '2026-03-29T00:30Z', '2026-03-29T01:30Z',                          -- EU spring forward
    '2026-10-25T00:30Z', '2026-10-25T01:30Z',                          -- EU fall back
    '2026-11-28T23:59:59Z', '2026-11-29T00:00Z',                       -- the week's end, UTC
    '2026-11-30T18:00Z', '2026-12-01T06:00Z'                           -- a month's end
]::timestamptz[]);

SELECT pg_temp.check('open_at agrees with the schedules (service_open) for every service and instant', $q$
    SELECT count(*) = 0,
           format('%s disagreements, e.g. %s', count(*),
                  string_agg(id || ' at ' || at, ', ') FILTER (WHERE r <= 3))
    FROM (
        SELECT s.id, i.at, row_number() OVER () AS r
        FROM hsds.service s CROSS JOIN instants i
        WHERE hsds.open_at(s, i.at) IS DISTINCT FROM hsds.service_open(s.id, i.at)
    ) d
$q$);

SELECT pg_temp.check('some services are open and some closed at the instants (the test is not vacuous)', $q$
    SELECT count(*) FILTER (WHERE o) > 0 AND count(*) FILTER (WHERE NOT o) > 0,
           format('%s open, %s closed', count(*) FILTER (WHERE o), count(*) FILTER (WHERE NOT o))
    FROM (SELECT hsds.open_at(s, i.at) AS o FROM hsds.service s CROSS JOIN instants i) x
$q$);

\set ON_ERROR_STOP 1
DO $$
DECLARE failed bigint;
BEGIN
    SELECT CASE WHEN is_called THEN last_value ELSE 0 END INTO failed FROM hours_test_failures;
    IF failed > 0 THEN
        RAISE EXCEPTION 'test_service_hours.sql: % check(s) failed', failed;
    END IF;
END
$$;
