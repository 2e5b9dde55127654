-- Facets of a services search anywhere: as services_facets_near.sql, over
-- services_all.sql's candidates (the same parameters, $1 to $14; $15 how
-- many), the first $15 matches; the facet 'scope' says whether they were
-- all the matches ('exact' 1 or 0).
--
-- The filters, NULL for none: $1 category codes text[], $2 population codes
-- text[], $3 language codes text[], $4 cost codes text[] (each: any of), $5
-- welcomes MOUD boolean, $6 open now boolean, $7 keywords (web search
-- syntax: all words, "quoted phrases"), $8 the searcher's zone (reads a $9
-- without an offset), $9 now (ISO 8601; NULL: the clock); $10 national
-- ('*' any country, or an ISO 3166-1 code, NULL for none): only services
-- with an area that is a whole country (that country) (a few in a
-- hundred, read through their partial index and looked up by id);
-- recovery residences (hsds.recovery_housing, read whole: a fifth of the
-- services at most), NULL for none: $11 NARR levels smallint[] (any of),
-- $12 genders served text[] (any of), $13 beds available boolean
-- (beds_available > 0), $14 residents may take MOUD boolean (moud_allowed).
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
      AND ($10::text IS NULL
           OR s.id = ANY (ARRAY(SELECT a.service_id FROM hsds.service_area a
                                WHERE a.country IS NOT NULL AND a.region IS NULL
                                  AND a.geom IS NULL
                                  AND ($10::text = '*' OR a.country = $10::text))))
      AND ($11::smallint[] IS NULL AND $12::text[] IS NULL AND $13::boolean IS NULL
           AND $14::boolean IS NULL
           OR s.id = ANY (ARRAY(SELECT r.service_id FROM hsds.recovery_housing r
                                WHERE ($11::smallint[] IS NULL OR r.narr_level = ANY ($11))
                                  AND ($12::text[] IS NULL OR r.gender_served = ANY ($12))
                                  AND ($13::boolean IS NULL OR r.beds_available > 0)
                                  AND ($14::boolean IS NULL OR r.moud_allowed = $14))))
    ORDER BY CASE WHEN $7::text IS NULL THEN s.name END, CASE WHEN $7::text IS NULL THEN s.id END
    LIMIT $15::bigint + 1
),
matches AS (
    SELECT s.id, s.category_codes, s.population_codes, s.cost_codes, s.language_codes, s.moud,
           hsds.open_at(s, search_now($9::text, $8::text)) AS open_now
    FROM (SELECT id FROM cand LIMIT $15::bigint) c
    JOIN hsds.service s ON s.id = c.id
),
-- Each match's residence looked up by its key (LIMIT: not a join, which
-- the planner would make a scan of every residence).
housing_facets AS (
    SELECT r.narr_level, r.gender_served, r.beds_available, r.moud_allowed
    FROM matches m
    CROSS JOIN LATERAL (SELECT x.narr_level, x.gender_served, x.beds_available, x.moud_allowed
                        FROM hsds.recovery_housing x WHERE x.service_id = m.id LIMIT 1) r
)
SELECT 'scope', 'exact', ((SELECT count(*) FROM cand) <= $15::bigint)::integer::bigint
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
