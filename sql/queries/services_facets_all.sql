-- Facets of a services search anywhere: as services_facets_near, over the
-- services that services_all_count counts (the same parameters, $1 to $9).
WITH matched AS (
    SELECT s.id, s.category_codes, s.population_codes, s.cost_codes, s.language_codes, s.moud,
           hsds.open_at(s, search_now($9::text, $8::text)) AS open_now
    FROM hsds.service s
    WHERE s.listed
      AND ($1::text[] IS NULL OR s.category_codes && $1)
      AND ($2::text[] IS NULL OR s.population_codes && $2)
      AND ($3::text[] IS NULL OR s.language_codes && $3)
      AND ($4::text[] IS NULL OR s.cost_codes && $4)
      AND ($5::boolean IS NULL OR s.moud = $5)
      AND ($7::text IS NULL OR s.search_doc @@ websearch_to_tsquery('finder', $7))
),
matches AS (
    SELECT * FROM matched m WHERE $6::boolean IS NULL OR m.open_now
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
