-- Facets of a services search near a place: how many of the matches among
-- services_near.sql's candidates (the same filters and point; $candidates
-- the locations and areas read) have each category, population, cost and
-- language code, and each answer to whether they welcome MOUD and whether
-- they are open now ('true', 'false', 'unknown' when the service does not
-- say); the recovery residences among them by NARR level, gender served,
-- whether beds are available ('true', 'false', 'unknown') and whether
-- residents may take MOUD (housing_moud, the same three); and, as the
-- facet 'scope', whether the candidates were all of them ('exact' 1 or 0) and how far the located ones reach ('reach_m', metres,
-- when not the whole radius). Bounded, as services_near.sql is.
--
-- The filters, NULL for none: every services search's, numbered alike and
-- first (sql/queries/include/services_filter.sql, the national and
-- recovery residences' filters in their form for a search near a point,
-- services_related.sql); then its own: $lat, $lng, $radius in metres, and
-- the rest as above.
-- @params @services_filter lat lng radius candidates
WITH loc AS MATERIALIZED (
    SELECT l.id, l.geog <-> ST_SetSRID(ST_MakePoint($lng, $lat), 4326)::geography AS dist
    FROM hsds.location l
    WHERE l.geog IS NOT NULL
    ORDER BY l.geog <-> ST_SetSRID(ST_MakePoint($lng, $lat), 4326)::geography
    FETCH FIRST ($candidates::bigint) ROWS WITH TIES
),
nearest AS (
    SELECT DISTINCT ON (sal.service_id) sal.service_id, c.id AS location_id, c.dist
    FROM loc c
    JOIN hsds.service_at_location sal ON sal.location_id = c.id
    WHERE c.dist <= $radius
    ORDER BY sal.service_id, c.dist, c.id
),
-- The areas that reach the point, at most $candidates + 1 of each kind read.
area_read AS MATERIALIZED (
    (SELECT a.service_id, hsds.service_area_label(a) AS label, 0 AS rank, a.id, 1 AS kind
     FROM hsds.service_area a
     WHERE ST_Intersects(a.geom, ST_SetSRID(ST_MakePoint($lng, $lat), 4326)::geography)
     LIMIT $candidates::bigint + 1)
    UNION ALL
    (SELECT a.service_id, hsds.service_area_label(a), 0, a.id, 2
     FROM hsds.point_area($lat, $lng) h
     JOIN hsds.service_area a ON a.country = h.country AND a.region = h.region
     WHERE a.geom IS NULL
     LIMIT $candidates::bigint + 1)
    UNION ALL
    (SELECT a.service_id, hsds.service_area_label(a), 1, a.id, 3
     FROM hsds.point_area($lat, $lng) h
     JOIN hsds.service_area a ON a.country = h.country AND a.region IS NULL
     WHERE a.geom IS NULL
     LIMIT $candidates::bigint + 1)
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
      -- @include services_filter
      -- @include services_related
),
scope AS (
    SELECT (SELECT count(*) FROM matches) AS hits,
           (SELECT count(*) FROM matches WHERE dist IS NOT NULL) AS located,
           (SELECT count(*) < $candidates::bigint OR coalesce(max(dist) > $radius, true) FROM loc)
               AS loc_exact,
           (SELECT coalesce(max(n), 0) <= $candidates::bigint
            FROM (SELECT count(*) AS n FROM area_read GROUP BY kind) k) AS area_exact,
           (SELECT max(dist) FROM loc) AS reach
),
matches_facets AS (
    SELECT s.id, s.category_codes, s.population_codes, s.cost_codes, s.language_codes, s.moud,
           hsds.open_at(s, search_now($now::text, $tz::text)) AS open_now
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
