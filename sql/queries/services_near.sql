-- Services near ($1 lat, $2 lng): first those with a location within $3
-- metres, nearest first, each once at its nearest location; then those
-- whose service area reaches the point, without a distance, polygons and
-- states before countries, then by name; $18 limit, $19 offset; and how
-- many match, counted among the candidates.
--
-- Its work is bounded by the page, not by how many services match: the
-- candidates are the services at the $20 locations nearest the point
-- (walking the GiST index on hsds.location.geog outwards), and those whose
-- area reaches the point, at most $20 + 1 areas of each kind (polygon,
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
    FETCH FIRST ($20::bigint) ROWS WITH TIES
),
nearest AS (
    SELECT DISTINCT ON (sal.service_id) sal.service_id, c.id AS location_id, c.dist
    FROM loc c
    JOIN hsds.service_at_location sal ON sal.location_id = c.id
    WHERE c.dist <= $3
    ORDER BY sal.service_id, c.dist, c.id
),
-- The areas that reach the point, at most $20 + 1 of each kind read.
area_read AS MATERIALIZED (
    (SELECT a.service_id, hsds.service_area_label(a) AS label, 0 AS rank, a.id, 1 AS kind
     FROM hsds.service_area a
     WHERE ST_Intersects(a.geom, ST_SetSRID(ST_MakePoint($2, $1), 4326)::geography)
     LIMIT $20::bigint + 1)
    UNION ALL
    (SELECT a.service_id, hsds.service_area_label(a), 0, a.id, 2
     FROM hsds.point_area($1, $2) h
     JOIN hsds.service_area a ON a.country = h.country AND a.region = h.region
     WHERE a.geom IS NULL
     LIMIT $20::bigint + 1)
    UNION ALL
    (SELECT a.service_id, hsds.service_area_label(a), 1, a.id, 3
     FROM hsds.point_area($1, $2) h
     JOIN hsds.service_area a ON a.country = h.country AND a.region IS NULL
     WHERE a.geom IS NULL
     LIMIT $20::bigint + 1)
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
           (SELECT count(*) < $20::bigint OR coalesce(max(dist) > $3, true) FROM loc)
               AS loc_exact,
           (SELECT coalesce(max(n), 0) <= $20::bigint
            FROM (SELECT count(*) AS n FROM area_read GROUP BY kind) k) AS area_exact,
           (SELECT max(dist) FROM loc) AS reach
),
held AS (
    SELECT s.hits, s.loc_exact AND s.area_exact AS exact, s.loc_exact, s.reach,
           s.loc_exact OR s.located >= $18::bigint + $19::bigint AS held
    FROM scope s
),
page AS (
    SELECT m.*, row_number() OVER (ORDER BY m.dist NULLS LAST, m.area_rank, m.name, m.id) AS ord
    FROM matches m
    WHERE (SELECT h.held FROM held h)
    ORDER BY ord
    LIMIT $18::bigint OFFSET $19::bigint
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
    search_now($12::text, $11::text)) WITH ORDINALITY AS r ON true
ORDER BY r.ordinality
