-- Facets of a services search near a place: how many of the matches among
-- services_near.sql's candidates (the same parameters, $1 to $17; $18 the
-- locations and areas read) have each category, population, cost and
-- language code, and each answer to whether they welcome MOUD and whether
-- they are open now ('true', 'false', 'unknown' when the service does not
-- say); the recovery residences among them by NARR level, gender served,
-- whether beds are available ('true', 'false', 'unknown') and whether
-- residents may take MOUD (housing_moud, the same three); and, as the facet 'scope', whether the candidates were all of them
-- ('exact' 1 or 0) and how far the located ones reach ('reach_m', metres,
-- when not the whole radius). Bounded, as services_near.sql is.
--
-- $1 lat, $2 lng, $3 radius in metres; the filters, NULL for none: $4
-- category codes text[], $5 population codes text[], $6 language codes
-- text[], $7 cost codes text[] (each: any of), $8 welcomes MOUD boolean, $9
-- open now boolean, $10 keywords (web search syntax: all words, "quoted
-- phrases"), $11 the searcher's zone (reads a $12 without an offset), $12
-- now (ISO 8601; NULL: the clock); $13 national boolean: only services
-- with an area that is the whole of the country hsds.point_area finds at
-- the point; recovery residences (hsds.recovery_housing), NULL for none:
-- $14 NARR levels smallint[] (any of), $15 genders served text[] (any
-- of), $16 beds available boolean (beds_available > 0), $17 residents
-- may take MOUD boolean (moud_allowed).
-- open_now: the service's hours (hsds.open_at), the GiST index on
-- hours_utc first finding those that may be open at that minute.
WITH loc AS MATERIALIZED (
    SELECT l.id, l.geog <-> ST_SetSRID(ST_MakePoint($2, $1), 4326)::geography AS dist
    FROM hsds.location l
    WHERE l.geog IS NOT NULL
    ORDER BY l.geog <-> ST_SetSRID(ST_MakePoint($2, $1), 4326)::geography
    FETCH FIRST ($18::bigint) ROWS WITH TIES
),
nearest AS (
    SELECT DISTINCT ON (sal.service_id) sal.service_id, c.id AS location_id, c.dist
    FROM loc c
    JOIN hsds.service_at_location sal ON sal.location_id = c.id
    WHERE c.dist <= $3
    ORDER BY sal.service_id, c.dist, c.id
),
-- The areas that reach the point, at most $18 + 1 of each kind read.
area_read AS MATERIALIZED (
    (SELECT a.service_id, hsds.service_area_label(a) AS label, 0 AS rank, a.id, 1 AS kind
     FROM hsds.service_area a
     WHERE ST_Intersects(a.geom, ST_SetSRID(ST_MakePoint($2, $1), 4326)::geography)
     LIMIT $18::bigint + 1)
    UNION ALL
    (SELECT a.service_id, hsds.service_area_label(a), 0, a.id, 2
     FROM hsds.point_area($1, $2) h
     JOIN hsds.service_area a ON a.country = h.country AND a.region = h.region
     WHERE a.geom IS NULL
     LIMIT $18::bigint + 1)
    UNION ALL
    (SELECT a.service_id, hsds.service_area_label(a), 1, a.id, 3
     FROM hsds.point_area($1, $2) h
     JOIN hsds.service_area a ON a.country = h.country AND a.region IS NULL
     WHERE a.geom IS NULL
     LIMIT $18::bigint + 1)
),
-- Each service once: at its nearest location, else under its best area
-- (polygons and states before countries, then by area name).
candidates AS (
    SELECT n.service_id, n.location_id, n.dist, NULL::text AS area_name, 0 AS area_rank
    FROM nearest n
    UNION ALL
    (SELECT DISTINCT ON (x.service_id) x.service_id, NULL, NULL, x.label, x.rank
     FROM area_read x
     WHERE NOT EXISTS (SELECT FROM nearest n WHERE n.service_id = x.service_id)
     ORDER BY x.service_id, x.rank, x.label, x.id)
),
matches AS MATERIALIZED (
    SELECT s.id, s.name, c.location_id, c.dist, c.area_name, c.area_rank
    FROM candidates c
    JOIN hsds.service s ON s.id = c.service_id
    WHERE s.listed
      AND ($4::text[] IS NULL OR s.category_codes && $4)
      AND ($5::text[] IS NULL OR s.population_codes && $5)
      AND ($6::text[] IS NULL OR s.language_codes && $6)
      AND ($7::text[] IS NULL OR s.cost_codes && $7)
      AND ($8::boolean IS NULL OR s.moud = $8)
      AND ($10::text IS NULL OR s.search_doc @@ websearch_to_tsquery('finder', $10))
      AND ($9::boolean IS NULL
           OR s.hours_utc @> hsds.week_minute(search_now($12::text, $11::text), 'UTC')
              AND hsds.open_at(s, search_now($12::text, $11::text)))
      AND ($13::boolean IS NULL
           OR EXISTS (SELECT FROM hsds.service_area a
                      WHERE a.service_id = s.id AND a.region IS NULL AND a.geom IS NULL
                        AND a.country = (SELECT h.country FROM hsds.point_area($1, $2) h)))
      AND ($14::smallint[] IS NULL AND $15::text[] IS NULL AND $16::boolean IS NULL
           AND $17::boolean IS NULL
           OR EXISTS (SELECT FROM hsds.recovery_housing r
                      WHERE r.service_id = s.id
                        AND ($14::smallint[] IS NULL OR r.narr_level = ANY ($14))
                        AND ($15::text[] IS NULL OR r.gender_served = ANY ($15))
                        AND ($16::boolean IS NULL OR r.beds_available > 0)
                        AND ($17::boolean IS NULL OR r.moud_allowed = $17)))
),
scope AS (
    SELECT (SELECT count(*) FROM matches) AS hits,
           (SELECT count(*) FROM matches WHERE dist IS NOT NULL) AS located,
           (SELECT count(*) < $18::bigint OR coalesce(max(dist) > $3, true) FROM loc)
               AS loc_exact,
           (SELECT coalesce(max(n), 0) <= $18::bigint
            FROM (SELECT count(*) AS n FROM area_read GROUP BY kind) k) AS area_exact,
           (SELECT max(dist) FROM loc) AS reach
),
matches_facets AS (
    SELECT s.id, s.category_codes, s.population_codes, s.cost_codes, s.language_codes, s.moud,
           hsds.open_at(s, search_now($12::text, $11::text)) AS open_now
    FROM matches m
    JOIN hsds.service s ON s.id = m.id
),
-- Each match's residence looked up by its key (LIMIT: not a join, which
-- the planner would make a scan of every residence).
housing_facets AS (
    SELECT r.narr_level, r.gender_served, r.beds_available, r.moud_allowed
    FROM matches m
    CROSS JOIN LATERAL (SELECT x.narr_level, x.gender_served, x.beds_available, x.moud_allowed
                        FROM hsds.recovery_housing x WHERE x.service_id = m.id LIMIT 1) r
)
SELECT 'scope', 'exact', (loc_exact AND area_exact)::integer::bigint FROM scope
UNION ALL
SELECT 'scope', 'reach_m', CASE WHEN NOT loc_exact THEN round(reach)::bigint END FROM scope
UNION ALL
SELECT 'count' AS facet, NULL AS value, count(*) FROM matches_facets
UNION ALL
SELECT 'category', code, count(*) FROM matches_facets, unnest(category_codes) AS code GROUP BY code
UNION ALL
SELECT 'population', code, count(*) FROM matches_facets, unnest(population_codes) AS code GROUP BY code
UNION ALL
SELECT 'cost', code, count(*) FROM matches_facets, unnest(cost_codes) AS code GROUP BY code
UNION ALL
SELECT 'language', code, count(*) FROM matches_facets, unnest(language_codes) AS code GROUP BY code
UNION ALL
SELECT 'moud', coalesce(moud::text, 'unknown'), count(*) FROM matches_facets GROUP BY moud
UNION ALL
SELECT 'open_now', coalesce(open_now::text, 'unknown'), count(*) FROM matches_facets GROUP BY open_now
UNION ALL
SELECT 'narr_level', narr_level::text, count(*) FROM housing_facets
WHERE narr_level IS NOT NULL GROUP BY narr_level
UNION ALL
SELECT 'gender', gender_served, count(*) FROM housing_facets
WHERE gender_served IS NOT NULL GROUP BY gender_served
UNION ALL
SELECT 'beds_available', coalesce((beds_available > 0)::text, 'unknown'), count(*)
FROM housing_facets GROUP BY beds_available > 0
UNION ALL
SELECT 'housing_moud', coalesce(moud_allowed::text, 'unknown'), count(*) FROM housing_facets
GROUP BY moud_allowed
