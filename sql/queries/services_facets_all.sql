-- Facets of a services search anywhere: as services_facets_near.sql, over
-- services_all.sql's candidates (the same parameters, $1 to $9; $10 how
-- many), the first $10 matches; the facet 'scope' says whether they were
-- all the matches ('exact' 1 or 0).
--
-- The filters, NULL for none: $1 category codes text[], $2 population codes
-- text[], $3 language codes text[], $4 cost codes text[] (each: any of), $5
-- welcomes MOUD boolean, $6 open now boolean, $7 keywords (web search
-- syntax: all words, "quoted phrases"), $8 the searcher's zone (reads a $9
-- without an offset), $9 now (ISO 8601; NULL: the clock).
WITH cand AS MATERIALIZED (
    SELECT s.id
    FROM hsds.service s
    WHERE s.listed
      AND ($1::text[] IS NULL OR s.category_codes && $1)
      AND ($2::text[] IS NULL OR s.population_codes && $2)
      AND ($3::text[] IS NULL OR s.language_codes && $3)
      AND ($4::text[] IS NULL OR s.cost_codes && $4)
      AND ($5::boolean IS NULL OR s.moud = $5)
      AND ($7::text IS NULL OR s.search_doc @@ websearch_to_tsquery('finder', $7))
      AND ($6::boolean IS NULL
           OR s.hours_utc @> hsds.week_minute(search_now($9::text, $8::text), 'UTC')
              AND hsds.open_at(s, search_now($9::text, $8::text)))
    ORDER BY CASE WHEN $7::text IS NULL THEN s.name END, CASE WHEN $7::text IS NULL THEN s.id END
    LIMIT $10::bigint + 1
),
matches AS (
    SELECT s.id, s.category_codes, s.population_codes, s.cost_codes, s.language_codes, s.moud,
           hsds.open_at(s, search_now($9::text, $8::text)) AS open_now
    FROM (SELECT id FROM cand LIMIT $10::bigint) c
    JOIN hsds.service s ON s.id = c.id
)
SELECT 'scope', 'exact', ((SELECT count(*) FROM cand) <= $10::bigint)::integer::bigint
UNION ALL
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
