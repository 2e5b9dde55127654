-- The finder's vocabularies for GET /api/v1/categories, each in its own
-- order: categories (with how many listed services have each, by the GIN
-- index on category_codes), populations, costs, accessibility. Columns:
-- taxonomy, code, name, name_es, description, description_es, services
-- (NULL but for categories).
SELECT x.name AS taxonomy, t.code, t.name, t.name_es, t.description, t.description_es,
       CASE WHEN x.name = 'recovery-support'
            THEN (SELECT count(*) FROM hsds.service s
                  WHERE s.listed AND s.category_codes @> ARRAY[t.code]) END AS services
FROM hsds.taxonomy_term t
JOIN hsds.taxonomy x ON x.id = t.taxonomy_id
WHERE x.name IN ('recovery-support', 'recovery-population', 'recovery-cost',
                 'recovery-accessibility')
ORDER BY x.name, t.position, t.code
