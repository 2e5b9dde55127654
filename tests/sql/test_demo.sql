-- Checks the demo data made by sql/demo/demo.sql. Run as the superuser
-- against a database with the migrations applied and demo.load(N) done
-- (N >= 2000; the runner uses 2000):
--
--     psql -d finder -f tests/sql/test_demo.sql
--     psql -d finder -v demo_n=2000 -f tests/sql/test_demo.sql   -- pin N
--
-- Each check prints "ok - <description>" as a NOTICE, or raises an error
-- "not ok - <description> (<details>)"; every check runs, and the script
-- ends with an error (exit status 3) if any failed.
--
-- The fingerprints cover meetings 1..50 and 1..2000, which do not depend on
-- N (demo.load(N) is a prefix of any larger load). After a deliberate change
-- to the generator, recompute them with the queries in the two checks and
-- paste the new values here.

\set ON_ERROR_STOP 0
\set QUIET 1
\o /dev/null
SET client_min_messages = notice;
\if :{?demo_n}
\else
\set demo_n 0
\endif
SELECT set_config('demo_test.n', :'demo_n', false) \gset ignored_

-- Failures are counted in a sequence: nextval survives the error that
-- reports the failure.
CREATE TEMP SEQUENCE demo_test_failures;

-- check(description, query): the query returns one row (ok boolean,
-- details text). Any error in it counts as a failure of that check.
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
        PERFORM nextval('demo_test_failures');
        RAISE EXCEPTION 'not ok - % (%)', description, coalesce(details, 'no details');
    END IF;
END
$$;

-- The lines of an EXPLAIN.
CREATE FUNCTION pg_temp.explain_lines(statement text) RETURNS SETOF text
LANGUAGE plpgsql AS $$
DECLARE
    line text;
BEGIN
    FOR line IN EXECUTE statement LOOP
        RETURN NEXT line;
    END LOOP;
END
$$;

-- The demo rows, and the N they were loaded with.
CREATE TEMP VIEW dm AS
SELECT m.*, m.source_key::integer AS i, f.slug AS fellowship, f.audience
FROM meetings m
JOIN sources s ON s.id = m.source_id AND s.slug = 'demo'
JOIN fellowships f ON f.id = m.fellowship_id;

CREATE TEMP VIEW demo_n AS
SELECT coalesce(nullif(current_setting('demo_test.n'), '0')::integer,
                (SELECT max(i) FROM dm)) AS n;

SELECT pg_temp.check('the demo source exists, flagged demo, named as fictional', $q$
    SELECT count(*) = 1 AND bool_and(demo) AND bool_and(name = 'Demo data (fictional)')
           AND bool_and(default_timezone = 'America/Chicago'),
           format('%s rows', count(*))
    FROM sources WHERE slug = 'demo'
$q$);

SELECT pg_temp.check('demo.load made exactly N meetings, source keys 1..N, N >= 2000', $q$
    SELECT count(*) = n AND count(DISTINCT i) = n AND min(i) = 1 AND max(i) = n AND n >= 2000,
           format('N = %s, %s meetings, keys %s..%s', n, count(*), min(i), max(i))
    FROM dm, demo_n GROUP BY n
$q$);

SELECT pg_temp.check('about 0.3 N venues, every one used by a meeting', $q$
    SELECT count(*) BETWEEN 0.25 * n AND 0.36 * n
           AND count(*) = (SELECT count(DISTINCT location_id) FROM dm),
           format('%s locations for N = %s', count(*), n)
    FROM locations l JOIN sources s ON s.id = l.source_id AND s.slug = 'demo', demo_n
    GROUP BY n
$q$);

SELECT pg_temp.check('fingerprint of meetings 1..50 (every column, with their venues)', $q$
    SELECT md5(string_agg(concat_ws('|', m.source_key, m.fellowship, m.name, m.slug, m.day,
                   m.start_time, m.end_time, m.timezone, m.attendance, m.types::text,
                   m.conference_url, m.conference_phone, m.notes, m.group_name,
                   to_char(m.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'),
                   l.name, l.address, l.city, l.region, l.postal_code, l.country,
                   round(ST_Y(l.geog::geometry)::numeric, 5),
                   round(ST_X(l.geog::geometry)::numeric, 5)),
               E'\n' ORDER BY m.i)) = '4779e9385b3215dbbbdbc8ea47359784',
           'md5 is ' || md5(string_agg(concat_ws('|', m.source_key, m.fellowship, m.name, m.slug,
                   m.day, m.start_time, m.end_time, m.timezone, m.attendance, m.types::text,
                   m.conference_url, m.conference_phone, m.notes, m.group_name,
                   to_char(m.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'),
                   l.name, l.address, l.city, l.region, l.postal_code, l.country,
                   round(ST_Y(l.geog::geometry)::numeric, 5),
                   round(ST_X(l.geog::geometry)::numeric, 5)),
               E'\n' ORDER BY m.i))
    FROM dm m LEFT JOIN locations l ON l.id = m.location_id
    WHERE m.i <= 50
$q$);

SELECT pg_temp.check('fingerprint of meetings 1..2000 (slug, types, time, placed or not)', $q$
    SELECT md5(string_agg(concat_ws('|', source_key, slug, types::text, start_time,
                                    location_id IS NULL), E'\n' ORDER BY i))
               = '93b5d2728b80a680ea62f717eb0ae9ef',
           'md5 is ' || md5(string_agg(concat_ws('|', source_key, slug, types::text, start_time,
                                                 location_id IS NULL), E'\n' ORDER BY i))
    FROM dm WHERE i <= 2000
$q$);

SELECT pg_temp.check('slugs are unique, URL-safe, at most 64 characters', $q$
    SELECT count(*) = count(DISTINCT slug)
           AND bool_and(slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 64),
           format('%s slugs, %s distinct, longest %s', count(*), count(DISTINCT slug),
                  max(length(slug)))
    FROM dm
$q$);

SELECT pg_temp.check('names are plausible (no placeholders left, no doubled words)', $q$
    SELECT count(*) FILTER (WHERE name ~ '[{}]|  |^ | $|Group Group') = 0,
           string_agg(name, '; ') FILTER (WHERE name ~ '[{}]|  |^ | $|Group Group')
    FROM dm
$q$);

SELECT pg_temp.check('every type code exists in meeting_types; types sorted, no duplicates, no ONL', $q$
    SELECT count(*) FILTER (WHERE t.code NOT IN (SELECT code FROM meeting_types) OR t.code = 'ONL') = 0
           AND (SELECT count(*) FROM dm
                WHERE types <> ARRAY(SELECT DISTINCT c COLLATE "C" FROM unnest(types) c ORDER BY 1)) = 0,
           string_agg(DISTINCT t.code, ', ') FILTER (WHERE t.code NOT IN (SELECT code FROM meeting_types)
                                                       OR t.code = 'ONL')
    FROM dm, unnest(dm.types) AS t (code)
$q$);

SELECT pg_temp.check('most meetings are open or closed; common types all present', $q$
    SELECT count(*) FILTER (WHERE types && ARRAY['O', 'C']) > 0.8 * count(*)
           AND (SELECT count(DISTINCT c) FROM dm, unnest(types) c
                WHERE c IN ('O', 'C', 'D', 'SP', 'B', 'ST', 'BE', 'W', 'M', 'Y', 'LGBTQ', 'X',
                            'XB', 'CF', 'BA', 'S', 'MOUD')) = 17,
           format('%s of %s are O or C', count(*) FILTER (WHERE types && ARRAY['O', 'C']), count(*))
    FROM dm
$q$);

SELECT pg_temp.check('attendance: ~70% in person, ~15% online, ~15% hybrid', $q$
    SELECT avg((attendance = 'in_person')::integer) BETWEEN 0.62 AND 0.78
           AND avg((attendance = 'online')::integer) BETWEEN 0.10 AND 0.20
           AND avg((attendance = 'hybrid')::integer) BETWEEN 0.10 AND 0.20,
           format('in person %s, online %s, hybrid %s',
                  round(avg((attendance = 'in_person')::integer), 3),
                  round(avg((attendance = 'online')::integer), 3),
                  round(avg((attendance = 'hybrid')::integer), 3))
    FROM dm
$q$);

SELECT pg_temp.check('every in-person or hybrid meeting has a placed, addressed venue', $q$
    SELECT count(*) FILTER (WHERE l.id IS NULL OR l.geog IS NULL OR l.name IS NULL
                               OR l.address IS NULL OR l.city IS NULL OR l.region IS NULL
                               OR l.postal_code IS NULL OR l.country !~ '^[A-Z]{2}$') = 0,
           format('%s without', count(*) FILTER (WHERE l.id IS NULL OR l.geog IS NULL
                               OR l.name IS NULL OR l.address IS NULL OR l.city IS NULL
                               OR l.region IS NULL OR l.postal_code IS NULL
                               OR l.country !~ '^[A-Z]{2}$'))
    FROM dm m LEFT JOIN locations l ON l.id = m.location_id
    WHERE m.attendance IN ('in_person', 'hybrid')
$q$);

SELECT pg_temp.check('online and hybrid meetings have a link or phone; about half of online ones no venue', $q$
    SELECT count(*) FILTER (WHERE conference_url IS NULL AND conference_phone IS NULL) = 0
           AND bool_and(conference_url IS NULL OR conference_url LIKE 'https://meet.example.org/demo/%')
           AND bool_and(conference_phone IS NULL OR conference_phone ~ '^\+1555010[0-9]{4}(,,[0-9]+#)?$')
           AND avg((location_id IS NULL)::integer) FILTER (WHERE attendance = 'online')
               BETWEEN 0.35 AND 0.65,
           format('%s of %s online meetings have no venue',
                  count(*) FILTER (WHERE attendance = 'online' AND location_id IS NULL),
                  count(*) FILTER (WHERE attendance = 'online'))
    FROM dm WHERE attendance <> 'in_person'
$q$);

SELECT pg_temp.check('in-person meetings carry no link or phone', $q$
    SELECT count(*) = 0, format('%s with a link', count(*))
    FROM dm WHERE attendance = 'in_person' AND (conference_url IS NOT NULL OR conference_phone IS NOT NULL)
$q$);

SELECT pg_temp.check('some meetings within 10 km of the centre of Chicago', $q$
    SELECT count(*) >= 5, format('%s within 10 km', count(*))
    FROM dm m JOIN locations l ON l.id = m.location_id
    WHERE ST_DWithin(l.geog, ST_SetSRID(ST_MakePoint(-87.6298, 41.8781), 4326)::geography, 10000)
$q$);

SELECT pg_temp.check('venues lie within 21 km of their city centre', $q$
    SELECT count(*) FILTER (WHERE ST_Distance(l.geog, ST_SetSRID(ST_MakePoint(c.lng, c.lat), 4326)::geography)
                                  > 21000) = 0,
           format('%s venues too far', count(*) FILTER (WHERE ST_Distance(l.geog,
                  ST_SetSRID(ST_MakePoint(c.lng, c.lat), 4326)::geography) > 21000))
    FROM locations l
    JOIN sources s ON s.id = l.source_id AND s.slug = 'demo'
    JOIN demo.cities c ON c.name = l.city AND c.region = l.region AND c.country = l.country
$q$);

SELECT pg_temp.check('several fellowships, AA the most common, family groups present', $q$
    SELECT count(DISTINCT fellowship) >= 8
           AND mode() WITHIN GROUP (ORDER BY fellowship) = 'aa'
           AND count(*) FILTER (WHERE audience = 'family') > 0.05 * count(*)
           AND count(*) FILTER (WHERE fellowship = 'al-anon') > 0,
           format('%s fellowships, %s family meetings', count(DISTINCT fellowship),
                  count(*) FILTER (WHERE audience = 'family'))
    FROM dm
$q$);

SELECT pg_temp.check('MOUD: every MARA meeting, and 3-15% of AA/NA/SMART meetings', $q$
    SELECT bool_and('MOUD' = ANY(types)) FILTER (WHERE fellowship = 'mara')
           AND avg(('MOUD' = ANY(types))::integer) FILTER (WHERE fellowship IN ('aa', 'na', 'smart'))
               BETWEEN 0.03 AND 0.15,
           format('%s of AA/NA/SMART', round(avg(('MOUD' = ANY(types))::integer)
                  FILTER (WHERE fellowship IN ('aa', 'na', 'smart')), 3))
    FROM dm
$q$);

SELECT pg_temp.check('Spanish meetings: in Mexico nearly all, in the US some, mostly Spanish names', $q$
    SELECT avg(('S' = ANY(m.types))::integer) FILTER (WHERE l.country = 'MX') > 0.85
           AND count(*) FILTER (WHERE l.country = 'US' AND 'S' = ANY(m.types)) > 0
           AND avg((m.name ~ '^(Grupo|Mujeres|Jóvenes|NA |CA |Al-Anon|Alateen|Nar-Anon)'
                    OR m.name ~ '(Vida|Esperanza|Renacer|Serenidad|Vez|Hoy|Luz|Libertad|Horas|Paso|Vivir|Abierta|Gratitud|Amanecer|Unidad|Hermandad|Sobriedad|Fortaleza|Voluntad|Renovación|Feliz|Pioneros|Despertar)')::integer)
               FILTER (WHERE 'S' = ANY(m.types)) > 0.9,
           format('%s Spanish meetings', count(*) FILTER (WHERE 'S' = ANY(m.types)))
    FROM dm m LEFT JOIN locations l ON l.id = m.location_id
$q$);

SELECT pg_temp.check('every time zone is one PostgreSQL knows, and the venue city''s', $q$
    SELECT count(*) FILTER (WHERE m.timezone NOT IN (SELECT name FROM pg_timezone_names)) = 0
           AND count(*) FILTER (WHERE c.timezone IS NOT NULL AND c.timezone <> m.timezone) = 0
           AND count(DISTINCT m.timezone) >= 10,
           string_agg(DISTINCT m.timezone, ', ')
               FILTER (WHERE m.timezone NOT IN (SELECT name FROM pg_timezone_names))
    FROM dm m
    LEFT JOIN locations l ON l.id = m.location_id
    LEFT JOIN demo.cities c ON c.name = l.city AND c.region = l.region AND c.country = l.country
$q$);

SELECT pg_temp.check('schedules: days 0-6, quarter hours, 60 or 90 minutes, a few past midnight', $q$
    SELECT count(DISTINCT day) = 7 AND bool_and(day BETWEEN 0 AND 6)
           AND bool_and(extract(minute FROM start_time)::integer % 15 = 0
                        AND extract(second FROM start_time) = 0)
           AND bool_and((extract(epoch FROM end_time - start_time)::integer + 86400) % 86400
                        IN (3600, 5400))
           AND count(*) FILTER (WHERE end_time < start_time) > 0
           AND avg((start_time BETWEEN '17:30' AND '20:30')::integer) > 0.4,
           format('%s cross midnight, %s%% start 17:30-20:30',
                  count(*) FILTER (WHERE end_time < start_time),
                  round(100 * avg((start_time BETWEEN '17:30' AND '20:30')::integer)))
    FROM dm
$q$);

SELECT pg_temp.check('all active, deterministic updated_at in 2026, some notes and group names', $q$
    SELECT bool_and(active)
           AND min(updated_at) >= timestamptz '2026-01-01 00:00:00+00'
           AND max(updated_at) < timestamptz '2026-10-01 00:00:00+00'
           AND avg((notes IS NOT NULL)::integer) BETWEEN 0.15 AND 0.45
           AND avg((group_name IS NOT NULL)::integer) BETWEEN 0.1 AND 0.45,
           format('updated %s..%s', min(updated_at), max(updated_at))
    FROM dm
$q$);

SELECT pg_temp.check('demo.cities: about 150-250 real cities, Chicago at its centre', $q$
    SELECT count(*) BETWEEN 150 AND 250
           AND count(*) FILTER (WHERE name = 'Chicago' AND region = 'IL'
                                AND abs(lat - 41.8781) < 0.01 AND abs(lng + 87.6298) < 0.01) = 1
           AND count(DISTINCT timezone) FILTER (WHERE country = 'US') >= 6,
           format('%s cities', count(*))
    FROM demo.cities
$q$);

-- The loader writes with the row triggers off (session_replication_role =
-- replica): the foreign keys hold by construction, and the columns the
-- triggers derive are computed by the loader itself.
SELECT pg_temp.check('no orphans (the loader skips the foreign-key triggers)', $q$
    SELECT sum(n) = 0, string_agg(what || ' ' || n, ', ') FILTER (WHERE n > 0)
    FROM (
        SELECT 'meeting->location' AS what, count(*) AS n FROM dm
        WHERE location_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM locations l WHERE l.id = dm.location_id)
        UNION ALL SELECT 'meeting->fellowship', count(*) FROM meetings m
        WHERE NOT EXISTS (SELECT 1 FROM fellowships f WHERE f.id = m.fellowship_id)
        UNION ALL SELECT 'meeting->source', count(*) FROM meetings m
        WHERE NOT EXISTS (SELECT 1 FROM sources s WHERE s.id = m.source_id)
        UNION ALL SELECT 'location->source', count(*) FROM locations l
        WHERE NOT EXISTS (SELECT 1 FROM sources s WHERE s.id = l.source_id)) c
$q$);

-- An UPDATE that names the triggers' columns makes every derived column
-- again, as the triggers do; what the loader wrote must be the same. (In a
-- transaction that is rolled back.)
BEGIN;
CREATE TEMP TABLE demo_written AS
SELECT id, geog::text AS geog, languages, search_doc, duration_min, utc_week_minute,
       earth, utc_week_minute_dst
FROM dm;
UPDATE meetings m SET location_id = m.location_id, types = m.types, day = m.day, name = m.name
FROM sources s WHERE s.id = m.source_id AND s.slug = 'demo';
SELECT pg_temp.check('derived columns as the row triggers make them, every meeting (geog, languages, search_doc, duration_min, week minutes, earth)', $q$
    SELECT count(*) = 0 AND (SELECT count(*) FROM demo_written) = (SELECT count(*) FROM dm),
           format('%s of %s meetings differ, the first %s', count(*),
                  (SELECT count(*) FROM demo_written), min(w.id))
    FROM demo_written w
    JOIN meetings m ON m.id = w.id
    WHERE w.geog IS DISTINCT FROM m.geog::text OR w.languages IS DISTINCT FROM m.languages
       OR w.search_doc IS DISTINCT FROM m.search_doc
       OR w.duration_min IS DISTINCT FROM m.duration_min
       OR w.utc_week_minute IS DISTINCT FROM m.utc_week_minute
       OR w.utc_week_minute_dst IS DISTINCT FROM m.utc_week_minute_dst
       OR w.earth IS DISTINCT FROM m.earth
$q$);
ROLLBACK;

-- Each written row computes utc_week_minute_dst (migration 018): inlined
-- into a few zone conversions it costs about 1.5 microseconds, called as a
-- SQL function 60 (sql/migrations/020_bulk_loads.sql).
SELECT pg_temp.check('the generated week minute in daylight time is computed inline, not by a function call a row', $q$
    SELECT position('meeting_week_minute_dst' IN plan) = 0 AND position('zone_' IN plan) = 0,
           plan
    FROM (SELECT string_agg(p, ' ') AS plan
          FROM pg_temp.explain_lines('EXPLAIN (VERBOSE) SELECT meeting_week_minute_dst(day, start_time, timezone) FROM meetings') AS p) e
$q$);

-- What CLUSTER on the spatial index used to do after the load: meetings
-- near each other on the same pages. The loader writes them in the order
-- of their places along a Hilbert curve (geometry's sort order), those
-- without a place last; rows that reuse space freed by earlier deletes may
-- fall out of it.
SELECT pg_temp.check('meetings lie in the order of their places (at most 2% out of it)', $q$
    SELECT count(*) FILTER (WHERE out_of_order) <= 0.02 * count(*),
           format('%s of %s meetings out of order', count(*) FILTER (WHERE out_of_order), count(*))
    FROM (SELECT (m.geog::geometry, m.id) < lag((m.geog::geometry, m.id)) OVER (ORDER BY m.ctid)
                 AS out_of_order
          FROM meetings m JOIN sources s ON s.id = m.source_id AND s.slug = 'demo') o
$q$);

-- Loading again (in a transaction that is rolled back) gives the same
-- rows, and leaves meetings and locations with the indexes they had: the
-- migrations' own, each built again after the rows when the table was
-- empty (indexes_drop_for_load(), sql/migrations/020_bulk_loads.sql).
BEGIN;
CREATE TEMP TABLE demo_before AS
SELECT (SELECT count(*) FROM dm)::integer AS n,
       (SELECT md5(string_agg((to_jsonb(m) - 'id' - 'location_id' - 'source_id')::text, E'\n'
                              ORDER BY m.i))
        FROM dm m) AS rows,
       (SELECT NOT EXISTS (SELECT 1 FROM meetings m JOIN sources s ON s.id = m.source_id
                           WHERE s.slug <> 'demo')) AS demo_only;
CREATE TEMP TABLE demo_indexes AS
SELECT 'before' AS at, i.indrelid::regclass::text AS tbl, c.relname, i.indexrelid,
       pg_get_indexdef(i.indexrelid) AS def, i.indisclustered, i.indisvalid
FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
WHERE i.indrelid IN ('meetings'::regclass, 'locations'::regclass);
SELECT demo.load(n) FROM demo_before;
INSERT INTO demo_indexes
SELECT 'after', i.indrelid::regclass::text, c.relname, i.indexrelid,
       pg_get_indexdef(i.indexrelid), i.indisclustered, i.indisvalid
FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
WHERE i.indrelid IN ('meetings'::regclass, 'locations'::regclass);
SELECT pg_temp.check('demo.load(N) again gives the same rows, every column', $q$
    SELECT b.rows = md5(string_agg((to_jsonb(m) - 'id' - 'location_id' - 'source_id')::text, E'\n'
                                   ORDER BY m.i)),
           format('%s before, %s after', b.rows,
                  md5(string_agg((to_jsonb(m) - 'id' - 'location_id' - 'source_id')::text, E'\n'
                                 ORDER BY m.i)))
    FROM dm m, demo_before b GROUP BY b.rows
$q$);
SELECT pg_temp.check('a demo load leaves the indexes of meetings and locations as they were', $q$
    SELECT count(*) = 0,
           string_agg(coalesce(a.relname, b.relname) || CASE WHEN a.relname IS NULL THEN ' lost'
                      WHEN b.relname IS NULL THEN ' new' ELSE ' changed' END, ', ')
    FROM (SELECT * FROM demo_indexes WHERE at = 'before') b
    FULL JOIN (SELECT * FROM demo_indexes WHERE at = 'after') a
        ON a.tbl = b.tbl AND a.relname = b.relname AND a.def = b.def
       AND a.indisclustered = b.indisclustered AND a.indisvalid = b.indisvalid
    WHERE a.relname IS NULL OR b.relname IS NULL
$q$);
SELECT pg_temp.check('into an empty table, the indexes but those of constraints are built after the rows', $q$
    SELECT NOT (SELECT demo_only FROM demo_before)
           OR bool_and((a.indexrelid <> b.indexrelid)
                       = NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = a.indexrelid)),
           format('%s of the %s indexes of meetings built again',
                  count(*) FILTER (WHERE a.indexrelid <> b.indexrelid), count(*))
    FROM demo_indexes b JOIN demo_indexes a ON a.relname = b.relname AND a.at = 'after'
    WHERE b.at = 'before' AND b.tbl = 'meetings'
$q$);
ROLLBACK;

\set ON_ERROR_STOP 1
DO $$
DECLARE failed bigint;
BEGIN
    SELECT CASE WHEN is_called THEN last_value ELSE 0 END INTO failed FROM demo_test_failures;
    IF failed > 0 THEN
        RAISE EXCEPTION 'test_demo.sql: % check(s) failed', failed;
    END IF;
END
$$;
