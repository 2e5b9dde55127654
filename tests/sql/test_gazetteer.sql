-- Checks the gazetteer (sql/migrations/006_gazetteer.sql, loaded by
-- scripts/gazetteer.sh) and the three statements the handler prepares from
-- sql/queries/: places_search (GET /api/v1/places?q=), place_resolve and
-- place_suggest (near=). Run as the superuser from the project root, on a
-- database with the migrations applied and the gazetteer loaded:
--
--     scripts/stack.sh psql -f tests/sql/test_gazetteer.sql
--
-- Each check prints "ok - <description>" as a NOTICE, or raises an error
-- "not ok - <description> (<details>)"; every check runs, and the script
-- ends with an error if any failed.

\set ON_ERROR_STOP 0
\set QUIET 1
\o /dev/null
SET client_min_messages = notice;

-- The statements exactly as the handler prepares them: as prepared
-- statements (for their plans) and as temporary SQL functions (to use their
-- rows inside checks).
\set search_sql `cat sql/queries/places_search.sql`
\set resolve_sql `cat sql/queries/place_resolve.sql`
\set suggest_sql `cat sql/queries/place_suggest.sql`
PREPARE gaz_search(text) AS :search_sql;
PREPARE gaz_resolve(text) AS :resolve_sql;
PREPARE gaz_suggest(text) AS :suggest_sql;

SELECT format('CREATE FUNCTION pg_temp.search(text) RETURNS TABLE (kind text, name text,
                   region text, country text, postal_code text, lat double precision,
                   lng double precision, population bigint, label text)
               LANGUAGE sql STABLE AS %L', :'search_sql') \gexec
SELECT format('CREATE FUNCTION pg_temp.resolve(text) RETURNS TABLE (lat double precision,
                   lng double precision, label text)
               LANGUAGE sql STABLE AS %L', :'resolve_sql') \gexec
SELECT format('CREATE FUNCTION pg_temp.suggest(text) RETURNS TABLE (label text)
               LANGUAGE sql STABLE AS %L', :'suggest_sql') \gexec

-- Kilometres between a point and (lat, lng).
CREATE FUNCTION pg_temp.km(lat1 double precision, lng1 double precision,
                           lat2 double precision, lng2 double precision)
RETURNS double precision LANGUAGE sql IMMUTABLE AS $$
    SELECT ST_Distance(ST_SetSRID(ST_MakePoint(lng1, lat1), 4326)::geography,
                       ST_SetSRID(ST_MakePoint(lng2, lat2), 4326)::geography) / 1000
$$;

CREATE TEMP SEQUENCE gazetteer_test_failures;

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
        PERFORM nextval('gazetteer_test_failures');
        RAISE EXCEPTION 'not ok - % (%)', description, coalesce(details, 'no details');
    END IF;
END
$$;

-- resolves(description, typed, lat, lng, label): near=typed resolves to
-- one point within 20 km of (lat, lng), with that label when one is given.
CREATE FUNCTION pg_temp.resolves(description text, typed text, lat double precision,
                                 lng double precision, label text DEFAULT NULL) RETURNS void
LANGUAGE sql AS $$
    SELECT pg_temp.check(description, format($q$
        SELECT count(*) = 1 AND bool_and(pg_temp.km(lat, lng, %s, %s) < 20)
               AND (%L IS NULL OR bool_and(label = %L)),
               format('%%s rows: %%s', count(*), string_agg(format('%%s, %%s %%s', lat, lng, label), '; '))
        FROM pg_temp.resolve(%L)
    $q$, lat, lng, label, label, typed))
$$;

-- The data.

SELECT pg_temp.check('the gazetteer is loaded: >100,000 cities, >40,000 ZIPs, names, countries', $q$
    SELECT count(*) FILTER (WHERE kind = 'city') > 100000
           AND count(*) FILTER (WHERE kind = 'zip') > 40000
           AND (SELECT count(*) FROM place_names WHERE rank = 1) > 10000
           AND (SELECT count(DISTINCT country) FROM place_countries) > 200,
           format('%s cities, %s ZIPs', count(*) FILTER (WHERE kind = 'city'),
                  count(*) FILTER (WHERE kind = 'zip'))
    FROM places
$q$);

SELECT pg_temp.check('place_key: lower case, no accents or apostrophes, punctuation to one space', $q$
    SELECT place_key('Ciudad de México') = 'ciudad de mexico'
           AND place_key('  St. John''s ') = 'st johns'
           AND place_key('Winston–Salem') = 'winston salem'
           AND place_key('SÃO PAULO') = 'sao paulo'
           AND place_key('Köln') = 'koln',
           format('%s | %s | %s | %s | %s', place_key('Ciudad de México'), place_key('  St. John''s '),
                  place_key('Winston–Salem'), place_key('SÃO PAULO'), place_key('Köln'))
$q$);

SELECT pg_temp.check('place_query: name key, ZIP digits, up to two narrowing parts', $q$
    SELECT a::text = '(springfield,,il,us)' AND b::text = '("60601 1234",60601,,)'
           AND c::text = '("ciudad de mexico",,mx,)' AND d::text = '("",,,)',
           format('%s %s %s %s', a, b, c, d)
    FROM (SELECT place_query('Springfield, IL, US') AS a, place_query('60601-1234') AS b,
                 place_query('Ciudad de México (Mexico City), MX') AS c, place_query(' , ') AS d) x
$q$);

SELECT pg_temp.check('finder_reader may read the gazetteer tables', $q$
    SELECT bool_and(has_table_privilege('finder_reader', t, 'SELECT')), string_agg(t, ' ')
    FROM unnest(ARRAY['places', 'place_names', 'place_countries']) AS t
$q$);

-- near=: place_resolve.

SELECT pg_temp.resolves('ZIP 60601 resolves to the Loop, Chicago', '60601', 41.88, -87.63, '60601 (Chicago, IL)');
SELECT pg_temp.resolves('a ZIP+4 resolves by its ZIP', '60601-1234', 41.88, -87.63);
SELECT pg_temp.resolves('"Chicago" resolves to Chicago', 'Chicago', 41.88, -87.63, 'Chicago, IL, US');
SELECT pg_temp.resolves('"Springfield, IL" resolves to Illinois''s capital', 'Springfield, IL', 39.80, -89.64, 'Springfield, IL, US');
SELECT pg_temp.resolves('"springfield, missouri" resolves to Springfield, MO', 'springfield, missouri', 37.21, -93.29, 'Springfield, MO, US');
SELECT pg_temp.resolves('"Springfield, MO" resolves to Springfield, MO', 'Springfield, MO', 37.21, -93.29, 'Springfield, MO, US');
SELECT pg_temp.resolves('"Toronto" resolves to Toronto, Ontario', 'Toronto', 43.70, -79.42, 'Toronto, ON, CA');
SELECT pg_temp.resolves('"Ciudad de México" resolves to Mexico City', 'Ciudad de México', 19.43, -99.13);
SELECT pg_temp.resolves('"ciudad de mexico" (no accent) resolves to Mexico City', 'ciudad de mexico', 19.43, -99.13);
SELECT pg_temp.resolves('"Mexico City" resolves to Mexico City', 'Mexico City', 19.43, -99.13, 'Mexico City, MX');
SELECT pg_temp.resolves('"new york" resolves to New York City', 'new york', 40.71, -74.01);
SELECT pg_temp.resolves('"Nueva York" resolves to New York City', 'Nueva York', 40.71, -74.01);
SELECT pg_temp.resolves('"Montreal" matches Montréal', 'Montreal', 45.51, -73.59);
SELECT pg_temp.resolves('"London, Ontario" is not London, England', 'London, Ontario', 42.98, -81.23, 'London, ON, CA');
SELECT pg_temp.resolves('"Paris, France" narrows by country name', 'Paris, France', 48.85, 2.35);
SELECT pg_temp.resolves('a US town below 1,000 people resolves through the ZIP list', 'Holtsville, NY', 40.82, -73.05, 'Holtsville, NY, US');

SELECT pg_temp.check('every label of places_search reads back through place_resolve to the same point', $q$
    SELECT count(*) > 20 AND bool_and(r.lat = s.lat AND r.lng = s.lng),
           string_agg(s.label, '; ') FILTER (WHERE r.lat IS DISTINCT FROM s.lat OR r.lng IS DISTINCT FROM s.lng)
    FROM unnest(ARRAY['toronto', 'springfield, il', 'Ciudad de Mex', '606', 'new york', 'london', 'holts']) AS t
    CROSS JOIN LATERAL pg_temp.search(t) s
    LEFT JOIN LATERAL pg_temp.resolve(s.label) r ON true
$q$);

SELECT pg_temp.check('an unknown place ("Chicgo") does not resolve, and Chicago is suggested', $q$
    SELECT NOT EXISTS (SELECT FROM pg_temp.resolve('Chicgo'))
           AND 'Chicago, IL, US' = ANY (s) AND cardinality(s) BETWEEN 1 AND 5,
           array_to_string(s, '; ')
    FROM (SELECT ARRAY(SELECT label FROM pg_temp.suggest('Chicgo')) AS s) x
$q$);

SELECT pg_temp.check('suggestions put the named state first ("Sprngfield, MO")', $q$
    SELECT s[1] = 'Springfield, MO, US', array_to_string(s, '; ')
    FROM (SELECT ARRAY(SELECT label FROM pg_temp.suggest('Sprngfield, MO') WITH ORDINALITY AS g (label, i)
                       ORDER BY i) AS s) x
$q$);

SELECT pg_temp.check('an unknown ZIP suggests nearby ZIPs', $q$
    SELECT cardinality(s) = 5 AND s[1] LIKE '6069_ (Chicago, IL)', array_to_string(s, '; ')
    FROM (SELECT ARRAY(SELECT label FROM pg_temp.suggest('60698') WITH ORDINALITY AS g (label, i)
                       ORDER BY i) AS s) x
$q$);

-- GET /api/v1/places?q=: places_search.

SELECT pg_temp.check('"spring": at most 10 places named Spring…, most populous first', $q$
    SELECT count(*) BETWEEN 2 AND 10
           AND bool_and(kind = 'city' AND starts_with(place_key(name), 'spring'))
           AND bool_and(population <= prev) IS NOT false,
           string_agg(format('%s %s', label, population), '; ' ORDER BY i)
    FROM (SELECT s.*, lag(population) OVER (ORDER BY i) AS prev
          FROM pg_temp.search('spring') WITH ORDINALITY
               AS s (kind, name, region, country, postal_code, lat, lng, population, label, i)) x
$q$);

SELECT pg_temp.check('"springfield, il" gives only Illinois', $q$
    SELECT count(*) >= 1 AND bool_and(region = 'IL' AND country = 'US'),
           string_agg(label, '; ')
    FROM pg_temp.search('springfield, il')
$q$);

SELECT pg_temp.check('"Ciudad de Mex" finds Mexico City under its Spanish name', $q$
    SELECT bool_or(name = 'Mexico City' AND country = 'MX' AND label LIKE 'Ciudad de México (Mexico City)%'),
           string_agg(label, '; ')
    FROM pg_temp.search('Ciudad de Mex')
$q$);

SELECT pg_temp.check('"toronto" gives Toronto, Ontario first', $q$
    SELECT (array_agg(label ORDER BY i))[1] = 'Toronto, ON, CA', string_agg(label, '; ' ORDER BY i)
    FROM pg_temp.search('toronto') WITH ORDINALITY
         AS s (kind, name, region, country, postal_code, lat, lng, population, label, i)
$q$);

SELECT pg_temp.check('"606" completes ZIP codes 60601…, in order', $q$
    SELECT count(*) = 10 AND bool_and(kind = 'zip' AND postal_code LIKE '606%')
           AND array_agg(postal_code ORDER BY i) = array_agg(postal_code ORDER BY postal_code)
           AND (array_agg(label ORDER BY i))[1] = '60601 (Chicago, IL)',
           string_agg(label, '; ' ORDER BY i)
    FROM pg_temp.search('606') WITH ORDINALITY
         AS s (kind, name, region, country, postal_code, lat, lng, population, label, i)
$q$);

SELECT pg_temp.check('empty, blank and punctuation-only input: no rows, no error', $q$
    SELECT count(*) = 0, string_agg(label, '; ')
    FROM unnest(ARRAY['', ' ', ',', ',,,', '()', '%', '_', '\', '''', E'\t', '-']) AS t
    CROSS JOIN LATERAL (SELECT label FROM pg_temp.search(t)
                        UNION ALL SELECT label FROM pg_temp.resolve(t)
                        UNION ALL SELECT label FROM pg_temp.suggest(t)) r
$q$);

SELECT pg_temp.check('% and _ are punctuation, not wildcards; long input is no error', $q$
    SELECT NOT EXISTS (SELECT FROM pg_temp.search('sp_ing'))
           AND ARRAY(SELECT label FROM pg_temp.search('spring%')) = ARRAY(SELECT label FROM pg_temp.search('spring'))
           AND (SELECT count(*) FROM pg_temp.search(repeat('x', 300))) = 0
           AND (SELECT count(*) FROM pg_temp.resolve(repeat('x', 300))) = 0
           AND (SELECT count(*) FROM pg_temp.suggest(repeat('x', 300))) <= 5,
           (SELECT string_agg(label, '; ') FROM pg_temp.search('sp_ing'))
$q$);

-- Plans: every statement is served by indexes, in the custom plans of its
-- first executions and in the generic plan the server may switch to.
DO $$
DECLARE
    mode text;
    stmt text;
    typed text;
    plan text;
    bad text := '';
BEGIN
    FOREACH mode IN ARRAY ARRAY['force_custom_plan', 'force_generic_plan'] LOOP
        PERFORM set_config('plan_cache_mode', mode, true);
        FOREACH stmt IN ARRAY ARRAY['gaz_search', 'gaz_resolve', 'gaz_suggest'] LOOP
            FOREACH typed IN ARRAY ARRAY['s', 'spring', 'springfield, il', 'Ciudad de Mex',
                                         '606', '60601', 'Chicgo', 'Chicgo, IL'] LOOP
                EXECUTE format('EXPLAIN (FORMAT JSON) EXECUTE %I(%L)', stmt, typed) INTO plan;
                IF plan ~ '"Node Type": "Seq Scan",[^}]*"Relation Name": "place(s|_names|_countries)"' THEN
                    bad := bad || format(' %s(%L) %s;', stmt, typed, mode);
                END IF;
            END LOOP;
        END LOOP;
    END LOOP;
    PERFORM set_config('plan_cache_mode', 'auto', true);
    IF bad = '' THEN
        RAISE NOTICE 'ok - no sequential scan of places, place_names or place_countries in any plan';
    ELSE
        PERFORM nextval('gazetteer_test_failures');
        RAISE EXCEPTION 'not ok - no sequential scan of the gazetteer tables (seq scan in:%)', bad;
    END IF;
END
$$;

\set ON_ERROR_STOP 1
DO $$
DECLARE failed bigint;
BEGIN
    SELECT CASE WHEN is_called THEN last_value ELSE 0 END INTO failed FROM gazetteer_test_failures;
    IF failed > 0 THEN
        RAISE EXCEPTION 'test_gazetteer.sql: % check(s) failed', failed;
    END IF;
END
$$;
