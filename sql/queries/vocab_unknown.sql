-- The values of a search's filters that their vocabularies do not hold:
-- $1 fellowship slugs and $2 meeting type codes (the feeds' vocabularies,
-- which grow with imports: GET /api/v1/fellowships and /api/v1/types), $3
-- category, $4 population and $5 cost codes (the finder's own, closed:
-- the codes GET /api/v1/categories lists, found as categories.sql finds
-- them); each text[] or NULL for none. One row per unknown value, each
-- once, in the order of the parameters and then as given. Columns: param,
-- value, and for a closed vocabulary all its codes in their order, joined
-- by ", " (NULL for an open one).
WITH closed (param, taxonomy) AS (
    VALUES ('category', 'recovery-support'), ('population', 'recovery-population'),
           ('cost', 'recovery-cost')
), terms AS (
    SELECT c.param, t.code, t.position
    FROM hsds.taxonomy_term t
    JOIN hsds.taxonomy x ON x.id = t.taxonomy_id
    JOIN closed c ON c.taxonomy = x.name
), given (k, param, value, i) AS (
    SELECT 1, 'fellowship', u.v, u.i FROM unnest($1::text[]) WITH ORDINALITY AS u (v, i)
    UNION ALL
    SELECT 2, 'type', u.v, u.i FROM unnest($2::text[]) WITH ORDINALITY AS u (v, i)
    UNION ALL
    SELECT 3, 'category', u.v, u.i FROM unnest($3::text[]) WITH ORDINALITY AS u (v, i)
    UNION ALL
    SELECT 4, 'population', u.v, u.i FROM unnest($4::text[]) WITH ORDINALITY AS u (v, i)
    UNION ALL
    SELECT 5, 'cost', u.v, u.i FROM unnest($5::text[]) WITH ORDINALITY AS u (v, i)
)
SELECT g.param, g.value,
       CASE WHEN g.k >= 3
            THEN (SELECT string_agg(t.code, ', ' ORDER BY t.position, t.code)
                  FROM terms t WHERE t.param = g.param) END AS allowed
FROM given g
WHERE NOT CASE g.k
          WHEN 1 THEN EXISTS (SELECT 1 FROM fellowships f WHERE f.slug = g.value)
          WHEN 2 THEN EXISTS (SELECT 1 FROM meeting_types m WHERE m.code = g.value)
          ELSE EXISTS (SELECT 1 FROM terms t WHERE t.param = g.param AND t.code = g.value)
          END
GROUP BY g.k, g.param, g.value
ORDER BY g.k, min(g.i)
