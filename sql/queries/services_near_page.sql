-- The page of a services search near a point found on its own, when
-- services_near.sql's candidates do not hold it (few matches among many
-- locations): every location within $3 metres of ($1 lat, $2 lng) and every
-- area that reaches the point, filtered, in services_near.sql's order; $18
-- limit, $19 offset. Bounded by the radius and the areas, not by the page.
-- The columns are services_near.sql's (the count's are NULL).
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
page AS (
    SELECT s.id, c.location_id, c.dist, c.area_name,
           row_number() OVER (ORDER BY c.dist NULLS LAST, c.area_rank, s.name, s.id) AS ord
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
    ORDER BY ord
    LIMIT $18::bigint OFFSET $19::bigint
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
    search_now($12::text, $11::text)) WITH ORDINALITY AS r
ORDER BY r.ordinality
