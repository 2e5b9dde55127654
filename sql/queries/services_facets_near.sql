-- Facets of a services search near a place: how many of the services that
-- services_near_count counts (the same parameters, $1 to $12) have each
-- category, population, cost and language code, and each answer to
-- whether they welcome MOUD and whether they are open now ('true',
-- 'false', 'unknown' when the service does not say).
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
matched AS (
    SELECT s.id, s.category_codes, s.population_codes, s.cost_codes, s.language_codes, s.moud,
           hsds.open_at(s, search_now($12::text, $11::text)) AS open_now
    FROM candidates c
    JOIN hsds.service s ON s.id = c.service_id
    WHERE s.listed
      AND ($4::text[] IS NULL OR s.category_codes && $4)
      AND ($5::text[] IS NULL OR s.population_codes && $5)
      AND ($6::text[] IS NULL OR s.language_codes && $6)
      AND ($7::text[] IS NULL OR s.cost_codes && $7)
      AND ($8::boolean IS NULL OR s.moud = $8)
      AND ($10::text IS NULL OR s.search_doc @@ websearch_to_tsquery('finder', $10))
),
matches AS (
    SELECT * FROM matched m WHERE $9::boolean IS NULL OR m.open_now
)
SELECT 'count' AS facet, NULL AS value, count(*) FROM matches
UNION ALL
SELECT 'category', code, count(*) FROM matches, unnest(category_codes) AS code GROUP BY code
UNION ALL
SELECT 'population', code, count(*) FROM matches, unnest(population_codes) AS code GROUP BY code
UNION ALL
SELECT 'cost', code, count(*) FROM matches, unnest(cost_codes) AS code GROUP BY code
UNION ALL
SELECT 'language', code, count(*) FROM matches, unnest(language_codes) AS code GROUP BY code
UNION ALL
SELECT 'moud', coalesce(moud::text, 'unknown'), count(*) FROM matches GROUP BY moud
UNION ALL
SELECT 'open_now', coalesce(open_now::text, 'unknown'), count(*) FROM matches GROUP BY open_now
