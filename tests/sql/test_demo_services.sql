-- Checks the demo recovery support services made by sql/demo/services.sql.
-- Run as the superuser against a database with the migrations applied and
-- demo.load_services(N) done (N >= 1000; the stack loads DEMO_SERVICES,
-- 3000 by default):
--
--     psql -d finder -f tests/sql/test_demo_services.sql
--
-- Each check prints "ok - <description>" as a NOTICE, or raises an error
-- "not ok - <description> (<details>)"; every check runs, and the script
-- ends with an error (exit status 3) if any failed.
--
-- The determinism checks load the services again: 1000 twice (the two
-- fingerprints must be equal), then the N that was there (its first 1000
-- services must be the same as those of the load of 1000). The database
-- ends with the N it started with, with the same ids.

\set ON_ERROR_STOP 0
\set QUIET 1
\o /dev/null
SET client_min_messages = notice;

CREATE TEMP SEQUENCE demo_services_test_failures;

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
        PERFORM nextval('demo_services_test_failures');
        RAISE EXCEPTION 'not ok - % (%)', description, coalesce(details, 'no details');
    END IF;
END
$$;

-- The demo services, with their row number.
CREATE TEMP VIEW ds AS
SELECT s.*, s.source_key::integer AS i
FROM hsds.service s
JOIN sources src ON src.id = s.source_id AND src.slug = 'demo-services';

-- fingerprint(m): md5 of services 1..m with everything that hangs off
-- them (ids included), one line per service in row order.
CREATE FUNCTION pg_temp.fingerprint(m integer) RETURNS text
LANGUAGE sql AS $$
    SELECT md5(string_agg(concat_ws('|', s.id, s.source_key, s.name, s.alternate_name,
               s.description, s.url, s.email, s.status, s.application_process,
               s.fees_description, s.eligibility_description, s.minimum_age, s.maximum_age,
               s.assured_date, s.last_modified, s.moud, s.updated_at, s.category_codes,
               s.population_codes, s.cost_codes, s.accessibility_codes, s.language_codes,
               s.search_doc,
               (SELECT concat_ws('/', o.id, o.source_key, o.name, o.description, o.email,
                                 o.website, o.year_incorporated)
                FROM hsds.organization o WHERE o.id = s.organization_id),
               (SELECT string_agg(concat_ws('/', sal.id, l.id, l.source_key, l.name, l.latitude,
                                            l.longitude, ST_AsText(l.geog), l.timezone,
                                            l.transportation, a.id, a.address_1, a.city,
                                            a.state_province, a.postal_code, a.country),
                                  ';' ORDER BY sal.id)
                FROM hsds.service_at_location sal
                JOIN hsds.location l ON l.id = sal.location_id
                LEFT JOIN hsds.address a ON a.location_id = l.id
                WHERE sal.service_id = s.id),
               (SELECT string_agg(concat_ws('/', p.id, p.number, p.extension, p.type,
                                            p.description), ';' ORDER BY p.id)
                FROM hsds.phone p WHERE p.service_id = s.id),
               (SELECT string_agg(concat_ws('/', x.id, x.freq, x.byday, x.opens_at, x.closes_at,
                                            x.tz, x.description), ';' ORDER BY x.id)
                FROM hsds.schedule x WHERE x.service_id = s.id),
               (SELECT string_agg(concat_ws('/', g.id, g.name, g.code), ';' ORDER BY g.id)
                FROM hsds.language g WHERE g.service_id = s.id),
               (SELECT string_agg(concat_ws('/', c.id, c.option, c.currency, c.amount,
                                            c.amount_description), ';' ORDER BY c.id)
                FROM hsds.cost_option c WHERE c.service_id = s.id),
               (SELECT string_agg(concat_ws('/', r.id, r.name, r.extent, r.extent_type, r.country,
                                            r.region, ST_AsText(r.geom)), ';' ORDER BY r.id)
                FROM hsds.service_area r WHERE r.service_id = s.id),
               (SELECT string_agg(concat_ws('/', t.id, t.taxonomy_term_id), ';' ORDER BY t.id)
                FROM hsds.attribute t WHERE t.link_id = s.id),
               (SELECT concat_ws('/', h.narr_level, h.certifying_body, h.certification_status,
                                 h.moud_allowed, h.gender_served, h.population_served, h.beds,
                                 h.beds_available)
                FROM hsds.recovery_housing h WHERE h.service_id = s.id),
               (SELECT concat_ws('/', q.credential, q.credentialing_body)
                FROM hsds.peer_support q WHERE q.service_id = s.id)),
           E'\n' ORDER BY s.i))
    FROM ds s
    WHERE s.i <= m
$$;

CREATE TEMP TABLE fingerprints (name text PRIMARY KEY, md5 text);
CREATE TEMP TABLE started AS SELECT count(*)::integer AS n FROM ds;

SELECT pg_temp.check('the demo-services source exists, flagged demo, named as fictional', $q$
    SELECT count(*) = 1 AND bool_and(demo) AND bool_and(format = 'demo')
           AND bool_and(name = 'Demo services (fictional)'),
           format('%s rows', count(*))
    FROM sources WHERE slug = 'demo-services'
$q$);

SELECT pg_temp.check('N services with source keys 1..N, N >= 1000', $q$
    SELECT count(*) = max(i) AND min(i) = 1 AND count(DISTINCT i) = count(*) AND count(*) >= 1000,
           format('%s services, keys %s..%s', count(*), min(i), max(i))
    FROM ds
$q$);

-- Determinism: the same n gives the same rows; a smaller load is a prefix.
SELECT demo.load_services(1000);
INSERT INTO fingerprints SELECT 'first', pg_temp.fingerprint(1000);
SELECT demo.load_services(1000);
INSERT INTO fingerprints SELECT 'second', pg_temp.fingerprint(1000);
SELECT demo.load_services(n) FROM started;
INSERT INTO fingerprints SELECT 'prefix', pg_temp.fingerprint(1000);

SELECT pg_temp.check('demo.load_services(1000) twice gives the same rows, ids included', $q$
    SELECT a.md5 = b.md5, format('%s, then %s', a.md5, b.md5)
    FROM fingerprints a, fingerprints b WHERE a.name = 'first' AND b.name = 'second'
$q$);

SELECT pg_temp.check('demo.load_services(N) begins with the rows of demo.load_services(1000)', $q$
    SELECT a.md5 = b.md5 AND (SELECT count(*) FROM ds) = (SELECT n FROM started),
           format('load of 1000: %s, first 1000 of %s: %s', a.md5, (SELECT count(*) FROM ds), b.md5)
    FROM fingerprints a, fingerprints b WHERE a.name = 'first' AND b.name = 'prefix'
$q$);

SELECT pg_temp.check('every category of the recovery-support taxonomy, each 1-35% of services', $q$
    SELECT count(*) = 10 AND bool_and(share BETWEEN 0.01 AND 0.35),
           string_agg(code || ' ' || round(100 * share, 1) || '%', ', ' ORDER BY code)
    FROM (SELECT t.code, (SELECT count(*) FROM ds WHERE t.code = ANY (ds.category_codes))::numeric
                         / (SELECT count(*) FROM ds) AS share
          FROM hsds.taxonomy_term t
          JOIN hsds.taxonomy x ON x.id = t.taxonomy_id AND x.name = 'recovery-support') AS c
    WHERE share > 0
$q$);

SELECT pg_temp.check('every population, cost and accessibility term is used', $q$
    SELECT count(*) = 0, string_agg(x.name || ':' || t.code, ', ')
    FROM hsds.taxonomy_term t
    JOIN hsds.taxonomy x ON x.id = t.taxonomy_id
    WHERE x.name IN ('recovery-population', 'recovery-cost', 'recovery-accessibility')
      AND NOT EXISTS (SELECT 1 FROM hsds.attribute a JOIN ds ON ds.id = a.link_id
                      WHERE a.taxonomy_term_id = t.id)
$q$);

SELECT pg_temp.check('every service listed, of an organization of the source, several services an organization', $q$
    SELECT bool_and(s.listed) AND bool_and(o.source_id = s.source_id)
           AND count(*)::numeric / count(DISTINCT o.id) BETWEEN 2 AND 5,
           format('%s services, %s organizations, %s not listed', count(*), count(DISTINCT o.id),
                  count(*) FILTER (WHERE NOT s.listed))
    FROM ds s LEFT JOIN hsds.organization o ON o.id = s.organization_id
$q$);

SELECT pg_temp.check('every service has a location or a service area, not both', $q$
    SELECT count(*) FILTER (WHERE has_loc = has_area) = 0
           AND count(*) FILTER (WHERE has_area) BETWEEN 0.05 * count(*) AND 0.3 * count(*),
           format('%s with both or neither, %s with an area of %s',
                  count(*) FILTER (WHERE has_loc = has_area), count(*) FILTER (WHERE has_area),
                  count(*))
    FROM (SELECT EXISTS (SELECT 1 FROM hsds.service_at_location sal WHERE sal.service_id = s.id)
                     AS has_loc,
                 EXISTS (SELECT 1 FROM hsds.service_area a WHERE a.service_id = s.id) AS has_area
          FROM ds s) AS x
$q$);

SELECT pg_temp.check('locations: a point within 50 km of their demo city, its time zone, an address', $q$
    SELECT count(*) > 0
           AND count(*) FILTER (WHERE c.id IS NULL OR l.geog IS NULL
                                OR NOT ST_DWithin(l.geog, ST_SetSRID(ST_MakePoint(c.lng, c.lat), 4326)::geography, 50000)
                                OR l.timezone IS DISTINCT FROM c.timezone
                                OR a.address_1 IS NULL OR a.postal_code IS NULL
                                OR abs(l.latitude - ST_Y(l.geog::geometry)) > 1e-6) = 0,
           format('%s of %s locations are wrong', count(*) FILTER (WHERE c.id IS NULL OR l.geog IS NULL
                      OR NOT ST_DWithin(l.geog, ST_SetSRID(ST_MakePoint(c.lng, c.lat), 4326)::geography, 50000)
                      OR l.timezone IS DISTINCT FROM c.timezone OR a.address_1 IS NULL
                      OR a.postal_code IS NULL), count(*))
    FROM hsds.location l
    JOIN sources src ON src.id = l.source_id AND src.slug = 'demo-services'
    LEFT JOIN hsds.address a ON a.location_id = l.id
    LEFT JOIN demo.cities c ON c.name = a.city AND c.region = a.state_province AND c.country = a.country
$q$);

SELECT pg_temp.check('areas: a state (US + region of a demo city), a country, or a polygon near a demo city', $q$
    SELECT count(*) FILTER (WHERE NOT ok) = 0
           AND count(*) FILTER (WHERE extent_type = 'iso3166-2') > 0
           AND count(*) FILTER (WHERE extent_type = 'iso3166-1') > 0
           AND count(*) FILTER (WHERE extent_type = 'geojson') > 0
           AND count(DISTINCT country) FILTER (WHERE extent_type = 'iso3166-1') >= 2,
           format('%s wrong of %s; %s', count(*) FILTER (WHERE NOT ok), count(*),
                  string_agg(DISTINCT extent_type || ' ' || coalesce(country, '-'), ', '))
    FROM (SELECT a.*,
                 CASE a.extent_type
                     WHEN 'iso3166-2' THEN a.country = 'US' AND a.extent = 'US-' || a.region
                         AND a.geom IS NULL
                         AND EXISTS (SELECT 1 FROM demo.cities c
                                     WHERE c.country = 'US' AND c.region = a.region)
                     WHEN 'iso3166-1' THEN a.region IS NULL AND a.extent = a.country
                         AND a.geom IS NULL
                         AND a.country IN (SELECT country FROM demo.cities UNION SELECT 'PR')
                     WHEN 'geojson' THEN a.country IS NULL AND a.geom IS NOT NULL
                         AND ST_GeometryType(a.geom::geometry) = 'ST_MultiPolygon'
                         AND ST_HausdorffDistance(ST_GeomFromGeoJSON(a.extent), a.geom::geometry) < 1e-4
                         AND EXISTS (SELECT 1 FROM demo.cities c
                                     WHERE ST_Intersects(a.geom,
                                               ST_SetSRID(ST_MakePoint(c.lng, c.lat), 4326)::geography))
                     ELSE false END AS ok
          FROM hsds.service_area a JOIN ds ON ds.id = a.service_id) AS x
$q$);

-- A whole-country area named like a state reached every state's searchers
-- (a Georgia line in Kansas City): an area named like a state is that state.
SELECT pg_temp.check('an area named like a US state covers that state, not the country', $q$
    SELECT count(*) = 0,
           string_agg(DISTINCT a.name || ' ' || a.country || coalesce('-' || a.region, ''), ', ')
    FROM hsds.service_area a
    JOIN ds ON ds.id = a.service_id
    JOIN demo.service_regions r ON r.name = a.name AND r.region <> 'PR'
    WHERE a.country IS DISTINCT FROM 'US' OR a.region IS DISTINCT FROM r.region
$q$);

-- The demo's areas are what an import would make of their names: asked
-- of the gazetteer as `finder import --format hsds` asks it (the name, near
-- the area's country), a state's name is that state, and no name is placed
-- anywhere else (a country's own-language name the gazetteer does not list,
-- "Deutschland", may stay unplaced).
SELECT pg_temp.check('an area''s name is where an import would place it (when the gazetteer is loaded)', $q$
    SELECT count(*) FILTER (WHERE NOT ok) = 0 OR NOT EXISTS (SELECT 1 FROM places),
           format('%s of %s areas misplaced: %s', count(*) FILTER (WHERE NOT ok), count(*),
                  string_agg(DISTINCT name || ' ' || coalesce(country, '-') || '/'
                             || coalesce(region, '-') || ' -> ' || coalesce(found, '?'), ', ')
                      FILTER (WHERE NOT ok))
    FROM (SELECT a.name, a.country, a.region,
                 p.country || coalesce('/' || p.region, '') AS found,
                 CASE WHEN a.extent_type = 'iso3166-2'
                          THEN p.how = 'region' AND p.country = a.country
                               AND p.region = a.region
                      ELSE p.ord IS NULL
                           OR (p.how = 'country' AND p.country = a.country AND a.region IS NULL)
                 END AS ok
          FROM hsds.service_area a
          JOIN ds ON ds.id = a.service_id
          LEFT JOIN LATERAL hsds.import_area_places(jsonb_build_array(jsonb_build_object(
              'name', a.name, 'near', a.country))) p ON true) AS x
$q$);

SELECT pg_temp.check('national lines and apps reach the whole US, named after it or their provider', $q$
    SELECT count(*) >= 5 AND count(*) FILTER (WHERE ds.name LIKE '%United States%'
                                                  AND ds.category_codes[1] = 'telephone-support') = 0,
           format('%s services, %s lines named after the country', count(*),
                  count(*) FILTER (WHERE ds.name LIKE '%United States%'
                                   AND ds.category_codes[1] = 'telephone-support'))
    FROM hsds.service_area a
    JOIN ds ON ds.id = a.service_id
    WHERE a.country = 'US' AND a.region IS NULL AND a.geom IS NULL
      AND ds.category_codes && '{telephone-support,digital-recovery}'
$q$);

SELECT pg_temp.check('a statewide area''s state is the gazetteer''s for its demo cities (when loaded)', $q$
    SELECT count(*) FILTER (WHERE p.region IS DISTINCT FROM c.region) = 0
           OR NOT EXISTS (SELECT 1 FROM places),
           string_agg(DISTINCT c.name || ' ' || c.region || ' -> ' || coalesce(p.region, '?'), ', ')
               FILTER (WHERE p.region IS DISTINCT FROM c.region)
    FROM demo.cities c
    LEFT JOIN LATERAL hsds.point_area(c.lat, c.lng) p ON true
    WHERE c.region IN (SELECT a.region FROM hsds.service_area a JOIN ds ON ds.id = a.service_id
                       WHERE a.extent_type = 'iso3166-2')
$q$);

SELECT pg_temp.check('outreach teams have a polygon and no location; apps a country', $q$
    SELECT count(*) FILTER (WHERE 'outreach' = ANY (category_codes)
                                  AND category_codes[1] = 'outreach' AND NOT poly) = 0
           AND count(*) FILTER (WHERE poly AND NOT ('outreach' = ANY (category_codes))) = 0
           AND count(*) FILTER (WHERE 'digital-recovery' = ANY (category_codes)
                                  AND NOT ('peer-support' = ANY (category_codes))
                                  AND area_type IS NULL) = 0,
           format('%s outreach services, %s with a polygon', count(*) FILTER (WHERE 'outreach' = ANY (category_codes)),
                  count(*) FILTER (WHERE poly))
    FROM (SELECT s.category_codes, a.extent_type AS area_type,
                 coalesce(a.extent_type = 'geojson', false)
                     AND NOT EXISTS (SELECT 1 FROM hsds.service_at_location sal
                                     WHERE sal.service_id = s.id) AS poly
          FROM ds s LEFT JOIN hsds.service_area a ON a.service_id = s.id) AS x
$q$);

SELECT pg_temp.check('schedules: weekly, valid days and zones, office hours, 24/7 and past midnight, some none', $q$
    SELECT count(*) FILTER (WHERE freq IS DISTINCT FROM 'WEEKLY' OR opens_at IS NULL OR closes_at IS NULL
                              OR byday !~ '^(MO|TU|WE|TH|FR|SA|SU)(,(MO|TU|WE|TH|FR|SA|SU))*$'
                              OR (tz IS NOT NULL AND NOT EXISTS (SELECT 1 FROM pg_timezone_names z
                                                                 WHERE z.name = x.tz))) = 0
           AND count(*) FILTER (WHERE opens_at = closes_at AND byday = 'MO,TU,WE,TH,FR,SA,SU') > 0
           AND count(*) FILTER (WHERE closes_at < opens_at) > 0
           AND count(*) FILTER (WHERE byday = 'MO,TU,WE,TH,FR' AND opens_at BETWEEN '08:00' AND '10:00') > 0
           AND count(*) FILTER (WHERE opens_at >= '17:00' AND closes_at > opens_at) > 0
           AND (SELECT count(*) FROM ds WHERE NOT EXISTS (SELECT 1 FROM hsds.schedule y
                                                          WHERE y.service_id = ds.id)) > 0,
           format('%s schedules, %s invalid, %s all day, %s past midnight', count(*),
                  count(*) FILTER (WHERE freq IS DISTINCT FROM 'WEEKLY' OR opens_at IS NULL
                                   OR byday !~ '^(MO|TU|WE|TH|FR|SA|SU)(,(MO|TU|WE|TH|FR|SA|SU))*$'),
                  count(*) FILTER (WHERE opens_at = closes_at), count(*) FILTER (WHERE closes_at < opens_at))
    FROM hsds.schedule x JOIN ds ON ds.id = x.service_id
$q$);

SELECT pg_temp.check('a schedule''s zone is known: hsds.service_open is true or false for every scheduled service', $q$
    SELECT count(*) FILTER (WHERE hsds.service_open(s.id, timestamptz '2026-11-25 18:00:00+00') IS NULL) = 0
           AND count(*) FILTER (WHERE hsds.service_open(s.id, timestamptz '2026-11-25 18:00:00+00')) > 0,
           format('%s services, %s open, %s unknown', count(*),
                  count(*) FILTER (WHERE hsds.service_open(s.id, timestamptz '2026-11-25 18:00:00+00')),
                  count(*) FILTER (WHERE hsds.service_open(s.id, timestamptz '2026-11-25 18:00:00+00') IS NULL))
    FROM ds s
    WHERE EXISTS (SELECT 1 FROM hsds.schedule x WHERE x.service_id = s.id) AND s.i % 7 = 0
$q$);

SELECT pg_temp.check('the *_codes arrays are the attributes'' and languages'' codes, sorted', $q$
    SELECT count(*) FILTER (WHERE s.category_codes <> v.cats OR s.population_codes <> v.pops
                              OR s.cost_codes <> v.costs OR s.accessibility_codes <> v.access
                              OR s.language_codes <> v.langs) = 0
           AND count(*) FILTER (WHERE cardinality(s.category_codes) = 0
                                  OR cardinality(s.cost_codes) = 0
                                  OR cardinality(s.language_codes) = 0) = 0,
           format('%s of %s differ', count(*) FILTER (WHERE s.category_codes <> v.cats
                      OR s.population_codes <> v.pops OR s.cost_codes <> v.costs
                      OR s.accessibility_codes <> v.access OR s.language_codes <> v.langs), count(*))
    FROM ds s
    CROSS JOIN LATERAL (
        SELECT coalesce(array_agg(t.code ORDER BY t.code) FILTER (WHERE x.name = 'recovery-support'), '{}') AS cats,
               coalesce(array_agg(t.code ORDER BY t.code) FILTER (WHERE x.name = 'recovery-population'), '{}') AS pops,
               coalesce(array_agg(t.code ORDER BY t.code) FILTER (WHERE x.name = 'recovery-cost'), '{}') AS costs,
               coalesce(array_agg(t.code ORDER BY t.code) FILTER (WHERE x.name = 'recovery-accessibility'), '{}') AS access,
               coalesce((SELECT array_agg(g.code ORDER BY g.code) FROM hsds.language g
                         WHERE g.service_id = s.id), '{}') AS langs
        FROM hsds.attribute a
        JOIN hsds.taxonomy_term t ON t.id = a.taxonomy_term_id
        JOIN hsds.taxonomy x ON x.id = t.taxonomy_id
        WHERE a.link_id = s.id AND a.link_entity = 'service'
    ) v
$q$);

SELECT pg_temp.check('search_doc is hsds.service_doc of the service and its organization', $q$
    SELECT count(*) FILTER (WHERE s.search_doc <> hsds.service_doc(s2, o.name)) = 0,
           format('%s of %s differ', count(*) FILTER (WHERE s.search_doc <> hsds.service_doc(s2, o.name)),
                  count(*))
    FROM ds s
    JOIN hsds.service s2 ON s2.id = s.id
    JOIN hsds.organization o ON o.id = s.organization_id
$q$);

SELECT pg_temp.check('hsds.service_refresh changes no column of what the loader wrote', $q$
    WITH before AS (
        SELECT s FROM hsds.service s JOIN ds ON ds.id = s.id WHERE ds.i % 25 = 1
    ), refreshed AS (
        SELECT hsds.service_refresh(ARRAY(SELECT (b.s).id FROM before b)) AS n
    )
    SELECT r.n = (SELECT count(*) FROM before)
           AND NOT EXISTS (SELECT 1 FROM before b JOIN hsds.service s ON s.id = (b.s).id
                           WHERE s IS DISTINCT FROM b.s),
           format('%s refreshed, %s changed', r.n,
                  (SELECT count(*) FROM before b JOIN hsds.service s ON s.id = (b.s).id
                   WHERE s IS DISTINCT FROM b.s))
    FROM refreshed r
$q$);

SELECT pg_temp.check('opening hours kept for every scheduled service (hsds.open_at agrees with service_open)', $q$
    SELECT count(*) FILTER (WHERE (s.hours_utc IS NULL) <> NOT has_sched) = 0
           AND count(*) FILTER (WHERE has_sched AND hsds.open_at(s, timestamptz '2026-11-27 02:30:00+00')
                                    IS DISTINCT FROM hsds.service_open(s.id, timestamptz '2026-11-27 02:30:00+00')) = 0,
           format('%s services, %s scheduled, %s without hours', count(*), count(*) FILTER (WHERE has_sched),
                  count(*) FILTER (WHERE has_sched AND s.hours_utc IS NULL))
    FROM hsds.service s
    JOIN ds ON ds.id = s.id
    CROSS JOIN LATERAL (SELECT EXISTS (SELECT 1 FROM hsds.schedule x WHERE x.service_id = s.id) AS has_sched) h
    WHERE ds.i % 5 = 0
$q$);

SELECT pg_temp.check('no orphans (the loader skips the foreign-key triggers)', $q$
    SELECT sum(n) = 0, string_agg(what || ' ' || n, ', ') FILTER (WHERE n > 0)
    FROM (
        SELECT 'service->organization' AS what, count(*) AS n FROM hsds.service s
        WHERE NOT EXISTS (SELECT 1 FROM hsds.organization o WHERE o.id = s.organization_id)
        UNION ALL SELECT 'location->organization', count(*) FROM hsds.location l
        WHERE l.organization_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM hsds.organization o WHERE o.id = l.organization_id)
        UNION ALL SELECT 'service_at_location', count(*) FROM hsds.service_at_location x
        WHERE NOT EXISTS (SELECT 1 FROM hsds.service s WHERE s.id = x.service_id)
           OR NOT EXISTS (SELECT 1 FROM hsds.location l WHERE l.id = x.location_id)
        UNION ALL SELECT 'address', count(*) FROM hsds.address x
        WHERE NOT EXISTS (SELECT 1 FROM hsds.location l WHERE l.id = x.location_id)
        UNION ALL SELECT 'phone', count(*) FROM hsds.phone x
        WHERE x.service_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM hsds.service s WHERE s.id = x.service_id)
        UNION ALL SELECT 'schedule', count(*) FROM hsds.schedule x
        WHERE x.service_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM hsds.service s WHERE s.id = x.service_id)
        UNION ALL SELECT 'language', count(*) FROM hsds.language x
        WHERE x.service_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM hsds.service s WHERE s.id = x.service_id)
        UNION ALL SELECT 'cost_option', count(*) FROM hsds.cost_option x
        WHERE NOT EXISTS (SELECT 1 FROM hsds.service s WHERE s.id = x.service_id)
        UNION ALL SELECT 'service_area', count(*) FROM hsds.service_area x
        WHERE NOT EXISTS (SELECT 1 FROM hsds.service s WHERE s.id = x.service_id)
        UNION ALL SELECT 'recovery_housing', count(*) FROM hsds.recovery_housing x
        WHERE NOT EXISTS (SELECT 1 FROM hsds.service s WHERE s.id = x.service_id)
        UNION ALL SELECT 'peer_support', count(*) FROM hsds.peer_support x
        WHERE NOT EXISTS (SELECT 1 FROM hsds.service s WHERE s.id = x.service_id)
        UNION ALL SELECT 'attribute', count(*) FROM hsds.attribute x
        WHERE x.link_entity = 'service' AND NOT EXISTS (SELECT 1 FROM hsds.service s WHERE s.id = x.link_id)
    ) AS o
$q$);

SELECT pg_temp.check('recovery housing: a row for each house; NARR I-IV in the US; beds available <= beds', $q$
    SELECT count(*) FILTER (WHERE h.service_id IS NULL) = 0
           AND count(*) FILTER (WHERE us AND (h.narr_level IS NULL OR h.certifying_body IS NULL
                                              OR h.certification_status IS NULL)) = 0
           AND count(DISTINCT h.narr_level) = 4
           AND count(*) FILTER (WHERE h.beds_available > h.beds OR h.beds < 1) = 0
           AND count(*) FILTER (WHERE h.gender_served IN ('men', 'women')
                                  AND NOT (h.gender_served = ANY (s.population_codes))) = 0
           AND count(DISTINCT h.moud_allowed) = 2
           AND (SELECT count(*) FROM hsds.recovery_housing r JOIN ds ON ds.id = r.service_id
                WHERE NOT ('recovery-housing' = ANY (ds.category_codes))) = 0,
           format('%s houses, levels %s', count(*), string_agg(DISTINCT h.narr_level::text, ','))
    FROM ds s
    LEFT JOIN hsds.recovery_housing h ON h.service_id = s.id
    CROSS JOIN LATERAL (SELECT EXISTS (SELECT 1 FROM hsds.service_at_location sal
                                       JOIN hsds.address a ON a.location_id = sal.location_id
                                       WHERE sal.service_id = s.id AND a.country = 'US'
                                         AND a.state_province <> 'PR') AS us) AS u
    WHERE s.category_codes[1] = 'recovery-housing'
       OR (cardinality(s.category_codes) = 1 AND 'recovery-housing' = ANY (s.category_codes))
$q$);

SELECT pg_temp.check('peer support: a credential for peer support services only', $q$
    SELECT count(*) > 0
           AND count(*) FILTER (WHERE p.credential IS NULL OR p.credential = ''
                                  OR p.credentialing_body IS NULL
                                  OR NOT ('peer-support' = ANY (s.category_codes))) = 0
           AND count(*) FILTER (WHERE p.credential LIKE '%(CPRS)') > 0,
           format('%s with a credential', count(*))
    FROM hsds.peer_support p JOIN ds s ON s.id = p.service_id
$q$);

SELECT pg_temp.check('languages: Spanish in some US services, in every Mexican and Spanish one, with Spanish names', $q$
    SELECT avg(('es' = ANY (s.language_codes))::integer) FILTER (WHERE a.country = 'US') BETWEEN 0.03 AND 0.3
           AND bool_and('es' = ANY (s.language_codes)) FILTER (WHERE a.country IN ('MX', 'ES'))
           AND count(*) FILTER (WHERE a.country IN ('MX', 'ES')
                                  AND s.name ~ '(Casa|Centro|Grupo|Línea|Apoyo|Gestión|Empleo|Equipo|Hogar|Coaches|Aplicación|Programa|Alcance|Comunidad|Coordinación|Ayuda|Preparación|Mujeres|Hombres|Jóvenes|Círculo|Orientación|Llamadas|Acompañamiento)')
               > 0.8 * count(*) FILTER (WHERE a.country IN ('MX', 'ES'))
           AND count(*) FILTER (WHERE s.alternate_name IS NOT NULL) > 0,
           format('US: %s%% Spanish; MX/ES: %s services', round(100 * avg(('es' = ANY (s.language_codes))::integer)
                  FILTER (WHERE a.country = 'US'), 1), count(*) FILTER (WHERE a.country IN ('MX', 'ES')))
    FROM ds s
    JOIN hsds.service_at_location sal ON sal.service_id = s.id
    JOIN hsds.address a ON a.location_id = sal.location_id
$q$);

SELECT pg_temp.check('MOUD: true, false and not said all present; peer support mostly welcomes it', $q$
    SELECT count(DISTINCT coalesce(moud::text, 'null')) = 3
           AND avg((moud IS TRUE)::integer) FILTER (WHERE category_codes[1] = 'peer-support') > 0.5,
           format('%s true, %s false, %s null', count(*) FILTER (WHERE moud), count(*) FILTER (WHERE NOT moud),
                  count(*) FILTER (WHERE moud IS NULL))
    FROM ds
$q$);

SELECT pg_temp.check('assured within the two years before 2026-11-01, spread out; no now()', $q$
    SELECT min(assured_date) >= date '2024-11-01' AND max(assured_date) <= date '2026-11-01'
           AND count(DISTINCT date_trunc('month', assured_date)) >= 20
           AND max(updated_at) < timestamptz '2026-11-02' AND max(last_modified) < timestamptz '2026-11-02',
           format('%s..%s', min(assured_date), max(assured_date))
    FROM ds
$q$);

SELECT pg_temp.check('nothing looks real: 555-01xx phones, example.org/.com sites and e-mail', $q$
    SELECT (SELECT count(*) FROM hsds.phone p JOIN ds ON ds.id = p.service_id
            WHERE p.number !~ '555-01[0-9]{2}$') = 0
           AND (SELECT count(*) FROM ds WHERE url !~ '^https://[a-z0-9-]+\.example\.(org|com)/'
                                          OR email !~ '@[a-z0-9-]+\.example\.org$') = 0
           AND (SELECT count(*) FROM hsds.organization o JOIN sources src ON src.id = o.source_id
                WHERE src.slug = 'demo-services'
                  AND (o.website !~ '^https://[a-z0-9-]+\.example\.org/$'
                       OR o.email !~ '^info@[a-z0-9-]+\.example\.org$')) = 0,
           NULL
$q$);

SELECT pg_temp.check('names and descriptions are filled in: no placeholders, no doubled spaces', $q$
    SELECT count(*) FILTER (WHERE concat(name, alternate_name, description) ~ '[{}]|  |^ | $'
                              OR description IS NULL OR name = '') = 0,
           string_agg(name, '; ') FILTER (WHERE concat(name, alternate_name, description) ~ '[{}]|  |^ | $')
    FROM ds
$q$);

\set ON_ERROR_STOP 1
DO $$
DECLARE failed bigint;
BEGIN
    SELECT CASE WHEN is_called THEN last_value ELSE 0 END INTO failed
    FROM demo_services_test_failures;
    IF failed > 0 THEN
        RAISE EXCEPTION 'test_demo_services.sql: % check(s) failed', failed;
    END IF;
END
$$;
