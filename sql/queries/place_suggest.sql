-- Close matches for a near= that place_resolve could not resolve: $1 is
-- the text as typed. Up to 5 distinct labels of places whose name is
-- similar to it (trigram similarity of the keys, 0.3 or more: "Chicgo" ->
-- "Chicago, IL, US"), places inside the region or country named after a
-- comma first, then the most similar, ties to the most populous. For
-- digits, the US ZIP codes that share the first three, nearest first.
-- Column: label.
WITH q AS MATERIALIZED (
    SELECT name_key, zip, scope1, scope2,
           ARRAY(SELECT c.country FROM place_countries c WHERE c.key = scope1) AS countries1,
           ARRAY(SELECT c.country FROM place_countries c WHERE c.key = scope2) AS countries2
    FROM place_query($1)
),
candidates AS (
    -- Each place once, under its most similar name.
    SELECT DISTINCT ON (c.place_id) c.place_id, c.rank, c.name, c.population, c.score, c.in_scope
    FROM q
    CROSS JOIN LATERAL (
        SELECT n.place_id, n.rank, n.name, n.population,
               similarity(n.key, q.name_key) AS score,
               coalesce((q.scope1 IS NOT NULL OR q.scope2 IS NOT NULL)
                   AND (q.scope1 IS NULL OR q.scope1 = lower(n.region) OR q.scope1 = n.region_key
                        OR n.country = ANY (q.countries1))
                   AND (q.scope2 IS NULL OR q.scope2 = lower(n.region) OR q.scope2 = n.region_key
                        OR n.country = ANY (q.countries2)), false) AS in_scope
        FROM place_names n
        WHERE n.key % q.name_key AND similarity(n.key, q.name_key) >= 0.3
        ORDER BY in_scope DESC, score DESC, n.rank, n.population DESC NULLS LAST, n.place_id
        LIMIT 50
    ) c
    WHERE q.zip IS NULL AND q.name_key <> ''
    ORDER BY c.place_id, c.in_scope DESC, c.score DESC, c.rank
),
labelled AS (
    SELECT place_label(p.kind, p.name, c.name, c.rank, p.region, p.region_name, p.country,
                       p.postal_code) AS label,
           c.in_scope, c.score, c.population
    FROM candidates c
    JOIN places p ON p.id = c.place_id
    UNION ALL
    SELECT place_label(z.kind, z.name, NULL, NULL, z.region, z.region_name, z.country,
                       z.postal_code),
           false, -abs(z.postal_code::integer - rpad(q.zip, 5, '0')::integer), NULL
    FROM q
    CROSS JOIN LATERAL (
        SELECT p.kind, p.name, p.region, p.region_name, p.country, p.postal_code
        FROM places p
        WHERE p.kind = 'zip' AND p.postal_code >= left(q.zip, 3)
          AND p.postal_code < left(q.zip, 3) || U&'\+10FFFF'
        ORDER BY abs(p.postal_code::integer - rpad(q.zip, 5, '0')::integer), p.postal_code
        LIMIT 5
    ) z
    WHERE length(q.zip) >= 3
)
SELECT label
FROM (
    SELECT DISTINCT ON (label) label, in_scope, score, population
    FROM labelled
    ORDER BY label, in_scope DESC, score DESC, population DESC NULLS LAST
) d
ORDER BY in_scope DESC, score DESC, population DESC NULLS LAST, label
LIMIT 5
