-- Facets of a services search anywhere: as services_facets_near.sql, over
-- services_all.sql's candidates (the same filters; $candidates how many),
-- the first $candidates matches; the facet 'scope' says whether they were
-- all the matches ('exact' 1 or 0).
--
-- The filters, NULL for none: every services search's, numbered alike and
-- first (sql/queries/include/services_filter.sql, the national and
-- recovery residences' filters in their form for a search anywhere,
-- services_related_ids.sql); then its own as above.
-- @params @services_filter candidates
WITH cand AS MATERIALIZED (
    SELECT s.id
    FROM hsds.service s
    WHERE s.listed
      -- @include services_filter
      -- @include services_related_ids
    ORDER BY CASE WHEN $keywords::text IS NULL THEN s.name END, CASE WHEN $keywords::text IS NULL THEN s.id END
    LIMIT $candidates::bigint + 1
),
matches AS (
    SELECT s.id, s.category_codes, s.population_codes, s.cost_codes, s.language_codes, s.moud,
           hsds.open_at(s, search_now($now::text, $tz::text)) AS open_now
    FROM (SELECT id FROM cand LIMIT $candidates::bigint) c
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
SELECT 'scope', 'exact', ((SELECT count(*) FROM cand) <= $candidates::bigint)::integer::bigint
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
