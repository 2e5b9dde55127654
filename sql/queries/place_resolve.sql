-- Resolves near= to one point: $1 is the text as typed. A US ZIP code
-- (or ZIP+4) resolves to its centroid; otherwise the place whose name
-- equals $1, accents and case aside ("Ciudad de México" = "ciudad de
-- mexico"): a main name before another name ("Mexico City" and "Ciudad de
-- México" both give Mexico City) before a US town known only from the ZIP
-- list, the most populous first. Parts after a comma narrow by region code
-- or name, or country code or name, all of them exactly ("Springfield, IL",
-- "Springfield, Missouri", "Toronto, Canada", "Springfield, IL, US"), so a
-- label from places_search reads back. Columns: lat, lng, label. No row
-- when nothing matches (place_suggest then offers close names).
WITH q AS MATERIALIZED (
    SELECT name_key, zip, scope1, scope2,
           ARRAY(SELECT c.country FROM place_countries c WHERE c.key = scope1) AS countries1,
           ARRAY(SELECT c.country FROM place_countries c WHERE c.key = scope2) AS countries2
    FROM place_query($1)
)
SELECT lat, lng, label
FROM (
    SELECT p.lat, p.lng,
           place_label(p.kind, p.name, NULL, NULL, p.region, p.region_name, p.country,
                       p.postal_code) AS label
    FROM q
    JOIN places p ON p.kind = 'zip' AND p.postal_code = q.zip
    WHERE length(q.zip) = 5
    UNION ALL
    SELECT p.lat, p.lng,
           place_label(p.kind, p.name, b.name, b.rank, p.region, p.region_name, p.country,
                       p.postal_code)
    FROM q
    CROSS JOIN LATERAL (
        SELECT n.place_id, n.rank, n.name
        FROM place_names n
        WHERE n.key = q.name_key
          AND (q.scope1 IS NULL OR q.scope1 = lower(n.region) OR q.scope1 = n.region_key
               OR n.country = ANY (q.countries1))
          AND (q.scope2 IS NULL OR q.scope2 = lower(n.region) OR q.scope2 = n.region_key
               OR n.country = ANY (q.countries2))
        ORDER BY n.rank, n.population DESC NULLS LAST, n.place_id
        LIMIT 1
    ) b
    JOIN places p ON p.id = b.place_id
    WHERE q.zip IS NULL AND q.name_key <> ''
) r
LIMIT 1
