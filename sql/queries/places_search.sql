-- Completion for GET /api/v1/places?q=: $1 is the text as typed (the
-- handler passes it unchanged; place_query() parses and normalizes it).
-- At most 10 places whose name starts with it, accents and case aside:
-- main names before other names ("Ciudad de Mex" finds Mexico City under
-- its Spanish name) before US towns known only from the ZIP list, each
-- group most populous first. Parts after a comma narrow by the start of a
-- region code or name, or of a country code or name ("springfield, il",
-- "london, on", "paris, france"). One to five digits complete US ZIP
-- codes in order ("606" -> 60601, 60602, ...). No rows for an empty query.
-- Columns: kind (city|zip), name, region, country, postal_code, lat, lng,
-- population (NULL for a ZIP), label ("Springfield, IL, US", "60601
-- (Chicago, IL)", "Ciudad de México (Mexico City), MX").
WITH q AS MATERIALIZED (
    SELECT name_key, zip, scope1, scope2,
           ARRAY(SELECT c.country FROM place_countries c
                 WHERE c.key >= scope1 AND c.key < scope1 || U&'\+10FFFF') AS countries1,
           ARRAY(SELECT c.country FROM place_countries c
                 WHERE c.key >= scope2 AND c.key < scope2 || U&'\+10FFFF') AS countries2
    FROM place_query($1)
),
named AS (
    -- Each place once, under its best matching name.
    SELECT DISTINCT ON (b.place_id) b.place_id, b.rank, b.name, b.population, b.key
    FROM q
    CROSS JOIN LATERAL (
        SELECT n.place_id, n.rank, n.name, n.population, n.key
        FROM place_names n
        WHERE n.key >= q.name_key AND n.key < q.name_key || U&'\+10FFFF'
          AND (q.scope1 IS NULL OR starts_with(lower(n.region), q.scope1)
               OR starts_with(n.region_key, q.scope1) OR n.country = ANY (q.countries1))
          AND (q.scope2 IS NULL OR starts_with(lower(n.region), q.scope2)
               OR starts_with(n.region_key, q.scope2) OR n.country = ANY (q.countries2))
        ORDER BY n.rank, n.population DESC NULLS LAST, n.key, n.place_id
        -- A place matches under a few of its names at most: 100 names
        -- leave 10 places.
        LIMIT 100
    ) b
    WHERE q.zip IS NULL AND q.name_key <> ''
    ORDER BY b.place_id, b.rank, length(b.key), b.key
),
found AS (
    SELECT place_id, rank, name AS matched, population, key AS sort_key FROM named
    UNION ALL
    SELECT z.id, NULL, NULL, NULL, z.postal_code
    FROM q
    CROSS JOIN LATERAL (
        SELECT p.id, p.postal_code
        FROM places p
        WHERE p.kind = 'zip' AND p.postal_code >= q.zip AND p.postal_code < q.zip || U&'\+10FFFF'
        ORDER BY p.postal_code
        LIMIT 10
    ) z
)
SELECT p.kind, p.name, p.region, p.country, p.postal_code, p.lat, p.lng, p.population,
       place_label(p.kind, p.name, f.matched, f.rank, p.region, p.region_name, p.country,
                   p.postal_code) AS label
FROM found f
JOIN places p ON p.id = f.place_id
ORDER BY f.rank NULLS FIRST, f.population DESC NULLS LAST, f.sort_key, p.id
LIMIT 10
