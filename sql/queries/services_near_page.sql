-- The page of a services search near a point found on its own, when
-- services_near.sql's candidates do not hold it (few matches among many
-- locations): every location within $radius metres of ($lat, $lng) and
-- every area that reaches the point, filtered, in services_near.sql's
-- order; $limit, $offset. Bounded by the radius and the areas, not by the
-- page.
-- The columns are services_near.sql's (the count's are NULL).
--
-- The filters, NULL for none: every services search's, numbered alike and
-- first (sql/queries/include/services_filter.sql, the national and
-- recovery residences' filters in their form for a search near a point,
-- services_related.sql); then its own: $lat, $lng, $radius in metres, and
-- the rest as above.
-- @params @services_filter lat lng radius limit offset
WITH nearest AS (
    SELECT DISTINCT ON (sal.service_id) sal.service_id, l.id AS location_id,
           l.geog <-> ST_SetSRID(ST_MakePoint($lng, $lat), 4326)::geography AS dist
    FROM hsds.location l
    JOIN hsds.service_at_location sal ON sal.location_id = l.id
    WHERE ST_DWithin(l.geog, ST_SetSRID(ST_MakePoint($lng, $lat), 4326)::geography, $radius, false)
    ORDER BY sal.service_id, dist, l.id
),
candidates AS (
    SELECT service_id, location_id, dist, NULL::text AS area_name, 0 AS area_rank
    FROM nearest
    UNION ALL
    SELECT a.service_id, NULL, NULL, a.area_name, a.area_rank
    FROM hsds.areas_reaching($lat, $lng) a
    WHERE NOT EXISTS (SELECT FROM nearest n WHERE n.service_id = a.service_id)
),
page AS (
    SELECT s.id, c.location_id, c.dist, c.area_name,
           row_number() OVER (ORDER BY c.dist NULLS LAST, c.area_rank, s.name, s.id) AS ord
    FROM candidates c
    JOIN hsds.service s ON s.id = c.service_id
    WHERE s.listed
      -- @include services_filter
      -- @include services_related
    ORDER BY ord
    LIMIT $limit::bigint OFFSET $offset::bigint
)
SELECT r.id, r.name, r.organization_id, r.organization_name, r.description, r.url, r.email,
       r.phone, r.categories, r.populations, r.costs, r.languages, r.accessibility, r.moud,
       r.assured_date, r.open_now, r.location, r.distance_km, r.area_name, r.recovery_housing,
       r.confirmed_at, r.stale,
       NULL::bigint AS count, NULL::boolean AS count_exact, NULL::numeric AS reach_km,
       true AS held
FROM hsds.service_rows(
    (SELECT array_agg(p.id ORDER BY p.ord) FROM page p),
    (SELECT array_agg(p.location_id ORDER BY p.ord) FROM page p),
    (SELECT array_agg(p.dist ORDER BY p.ord) FROM page p),
    (SELECT array_agg(p.area_name ORDER BY p.ord) FROM page p),
    search_now($now::text, $tz::text)) WITH ORDINALITY AS r
ORDER BY r.ordinality
