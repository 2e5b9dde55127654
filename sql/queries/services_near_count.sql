-- How many services services_near would find without its limit ($1-$12).
-- $1 lat, $2 lng, $3 radius in metres; the filters, NULL for none: $4
-- category codes text[], $5 population codes text[], $6 language codes
-- text[], $7 cost codes text[] (each: any of), $8 welcomes MOUD boolean, $9
-- open now boolean, $10 keywords (web search syntax: all words, "quoted
-- phrases"), $11 the searcher's zone (reads a $12 without an offset), $12
-- now (ISO 8601; NULL: the clock).
-- open_now: the service's hours (hsds.open_at), the GiST index on
-- hours_utc first finding those that may be open at that minute.
WITH nearest AS (
    SELECT DISTINCT sal.service_id
    FROM hsds.location l
    JOIN hsds.service_at_location sal ON sal.location_id = l.id
    WHERE ST_DWithin(l.geog, ST_SetSRID(ST_MakePoint($2, $1), 4326)::geography, $3, false)
),
candidates AS (
    SELECT service_id FROM nearest
    UNION ALL
    SELECT a.service_id
    FROM hsds.areas_reaching($1, $2) a
    WHERE NOT EXISTS (SELECT FROM nearest n WHERE n.service_id = a.service_id)
),
matches AS NOT MATERIALIZED (
    SELECT s.id
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
)
SELECT count(*)
FROM matches m
