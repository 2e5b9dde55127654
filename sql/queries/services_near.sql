-- Services near ($lat, $lng): first those with a location within $radius
-- metres, nearest first, each once at its nearest location; then those
-- whose service area reaches the point, without a distance, polygons and
-- states before countries, then by name; $limit, $offset; and how many
-- match, counted among the candidates.
--
-- Its work is bounded by the page, not by how many services match: the
-- candidates are the services at the $candidates locations nearest the
-- point (walking the GiST index on hsds.location.geog outwards), and those
-- whose area reaches the point, at most $candidates + 1 areas of each kind (polygon,
-- state, country) read. The count is exact when the walk went past the
-- radius and no kind of area had more (count_exact); else the located part
-- is exact within reach_km of the point.
--
-- The page comes from the candidates when they hold it: all the located
-- services in the radius, or located matches enough for the page. Else
-- (held false) there are no page rows and the handler asks
-- services_near_page.sql. Past the areas read, area services are listed
-- from those read.
--
-- One row a service of the page (the columns of hsds.service_rows()), then
-- the count's: count, count_exact, reach_km, held; one row with NULL
-- service columns when the page is empty.
--
-- The filters, NULL for none: every services search's, numbered alike and
-- first (sql/queries/include/services_filter.sql, the national and
-- recovery residences' filters in their form for a search near a point,
-- services_related.sql); then its own: $lat, $lng, $radius in metres, and
-- the rest as above.
-- @params @services_filter lat lng radius limit offset candidates
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
held AS (
    SELECT s.hits, s.loc_exact AND s.area_exact AS exact, s.loc_exact, s.reach,
           s.loc_exact OR s.located >= $limit::bigint + $offset::bigint AS held
    FROM scope s
),
page AS (
    SELECT m.*, row_number() OVER (ORDER BY m.dist NULLS LAST, m.area_rank, m.name, m.id) AS ord
    FROM matches m
    WHERE (SELECT h.held FROM held h)
    ORDER BY ord
    LIMIT $limit::bigint OFFSET $offset::bigint
)
SELECT r.id, r.name, r.organization_id, r.organization_name, r.description, r.url, r.email,
       r.phone, r.categories, r.populations, r.costs, r.languages, r.accessibility, r.moud,
       r.assured_date, r.open_now, r.location, r.distance_km, r.area_name, r.recovery_housing,
       r.confirmed_at, r.stale,
       h.hits AS count, h.exact AS count_exact,
       CASE WHEN NOT h.loc_exact THEN round((h.reach / 1000)::numeric, 3) END AS reach_km,
       h.held
FROM held h
LEFT JOIN LATERAL hsds.service_rows(
    (SELECT array_agg(p.id ORDER BY p.ord) FROM page p),
    (SELECT array_agg(p.location_id ORDER BY p.ord) FROM page p),
    (SELECT array_agg(p.dist ORDER BY p.ord) FROM page p),
    (SELECT array_agg(p.area_name ORDER BY p.ord) FROM page p),
    search_now($now::text, $tz::text)) WITH ORDINALITY AS r ON true
ORDER BY r.ordinality
