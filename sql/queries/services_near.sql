-- Services near ($1 lat, $2 lng): first those with a location within $3
-- metres, nearest first, each once at its nearest location; then those
-- whose service area reaches the point (hsds.areas_reaching), without a
-- distance, polygons and states before countries, then by name. $13 limit,
-- $14 offset.
-- $1 lat, $2 lng, $3 radius in metres; the filters, NULL for none: $4
-- category codes text[], $5 population codes text[], $6 language codes
-- text[], $7 cost codes text[] (each: any of), $8 welcomes MOUD boolean, $9
-- open now boolean, $10 keywords (web search syntax: all words, "quoted
-- phrases"), $11 the searcher's zone (reads a $12 without an offset), $12
-- now (ISO 8601; NULL: the clock).
-- open_now: the service's hours (hsds.open_at), the GiST index on
-- hours_utc first finding those that may be open at that minute.
WITH nearest AS (
    SELECT DISTINCT ON (sal.service_id) sal.service_id, l.id AS location_id,
           l.geog <-> ST_SetSRID(ST_MakePoint($2, $1), 4326)::geography AS dist
    FROM hsds.location l
    JOIN hsds.service_at_location sal ON sal.location_id = l.id
    WHERE ST_DWithin(l.geog, ST_SetSRID(ST_MakePoint($2, $1), 4326)::geography, $3, false)
    ORDER BY sal.service_id, dist, l.id
),
candidates AS (
    SELECT service_id, location_id, dist, NULL::text AS area_name, 0 AS area_rank
    FROM nearest
    UNION ALL
    SELECT a.service_id, NULL, NULL, a.area_name, a.area_rank
    FROM hsds.areas_reaching($1, $2) a
    WHERE NOT EXISTS (SELECT FROM nearest n WHERE n.service_id = a.service_id)
),
matches AS NOT MATERIALIZED (
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
),
page AS (
    SELECT m.*, count(*) OVER () AS total
    FROM matches m
    ORDER BY m.dist NULLS LAST, m.area_rank, m.name, m.id
    LIMIT $13 OFFSET $14
)
SELECT s.id, s.name, o.id AS organization_id, o.name AS organization_name, s.description,
       s.url, s.email, coalesce(sp.number, lp.number) AS phone,
       to_json(s.category_codes) AS categories, to_json(s.population_codes) AS populations,
       to_json(s.cost_codes) AS costs, to_json(s.language_codes) AS languages,
       to_json(s.accessibility_codes) AS accessibility, s.moud, s.assured_date,
       hsds.open_at(s, search_now($12::text, $11::text)) AS open_now,
       CASE WHEN l.id IS NOT NULL THEN json_build_object(
           'id', l.id, 'name', l.name, 'address', a.address_1, 'city', a.city,
           'region', coalesce(a.state_province, a.region), 'postal_code', a.postal_code,
           'country', a.country, 'lat', ST_Y(l.geog::geometry), 'lng', ST_X(l.geog::geometry))
       END AS location,
       round((p.dist / 1000)::numeric, 3) AS distance_km, p.area_name,
       CASE WHEN r.service_id IS NOT NULL THEN json_build_object(
           'narr_level', r.narr_level, 'certification_status', r.certification_status,
           'moud_allowed', r.moud_allowed, 'gender_served', r.gender_served, 'beds', r.beds,
           'beds_available', r.beds_available)
       END AS recovery_housing,
       p.total
FROM page p
JOIN hsds.service s ON s.id = p.id
JOIN hsds.organization o ON o.id = s.organization_id
-- The location shown: the nearest (above), else the first, one with a point on the map
-- before one without, then by id.
LEFT JOIN LATERAL (
    SELECT fl.id
    FROM hsds.service_at_location sal
    JOIN hsds.location fl ON fl.id = sal.location_id
    WHERE sal.service_id = s.id
    ORDER BY fl.geog IS NULL, fl.id
    LIMIT 1
) f ON p.location_id IS NULL
LEFT JOIN hsds.location l ON l.id = coalesce(p.location_id, f.id)
-- Its physical address, else its first.
LEFT JOIN LATERAL (
    SELECT ad.* FROM hsds.address ad
    WHERE ad.location_id = l.id
    ORDER BY ad.address_type <> 'physical', ad.id
    LIMIT 1
) a ON true
-- The number to call: the service's first voice phone (a phone without a
-- type counts as one), else the shown location's.
LEFT JOIN LATERAL (
    SELECT x.number FROM hsds.phone x
    WHERE x.service_id = s.id AND coalesce(x.type, 'voice') = 'voice'
    ORDER BY x.id
    LIMIT 1
) sp ON true
LEFT JOIN LATERAL (
    SELECT x.number FROM hsds.phone x
    WHERE x.location_id = l.id AND coalesce(x.type, 'voice') = 'voice'
    ORDER BY x.id
    LIMIT 1
) lp ON sp.number IS NULL
LEFT JOIN hsds.recovery_housing r ON r.service_id = s.id
ORDER BY p.dist NULLS LAST, p.area_rank, p.name, p.id
