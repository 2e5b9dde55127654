-- Services anywhere: with keywords ($7) the best matches first (ts_rank of
-- the search document: names weigh most), else by name. $10 limit, $11
-- offset. The columns are services_near's.
-- The filters, NULL for none: $1 category codes text[], $2 population codes
-- text[], $3 language codes text[], $4 cost codes text[] (each: any of), $5
-- welcomes MOUD boolean, $6 open now boolean, $7 keywords (web search
-- syntax: all words, "quoted phrases"), $8 the searcher's zone (reads a $9
-- without an offset), $9 now (ISO 8601; NULL: the clock).
-- open_now: the service's hours (hsds.open_at), the GiST index on
-- hours_utc first finding those that may be open at that minute.
WITH matches AS NOT MATERIALIZED (
    SELECT s.id, s.name, s.search_doc
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
),
page AS (
    SELECT m.id, m.name, ts_rank(m.search_doc, websearch_to_tsquery('finder', $7)) AS rank
    FROM matches m
    ORDER BY CASE WHEN $7::text IS NOT NULL
                  THEN ts_rank(m.search_doc, websearch_to_tsquery('finder', $7)) END DESC,
             m.name, m.id
    LIMIT $10 OFFSET $11
)
SELECT s.id, s.name, o.id AS organization_id, o.name AS organization_name, s.description,
       s.url, s.email, coalesce(sp.number, lp.number) AS phone,
       to_json(s.category_codes) AS categories, to_json(s.population_codes) AS populations,
       to_json(s.cost_codes) AS costs, to_json(s.language_codes) AS languages,
       to_json(s.accessibility_codes) AS accessibility, s.moud, s.assured_date,
       hsds.open_at(s, search_now($9::text, $8::text)) AS open_now,
       CASE WHEN l.id IS NOT NULL THEN json_build_object(
           'id', l.id, 'name', l.name, 'address', a.address_1, 'city', a.city,
           'region', coalesce(a.state_province, a.region), 'postal_code', a.postal_code,
           'country', a.country, 'lat', ST_Y(l.geog::geometry), 'lng', ST_X(l.geog::geometry))
       END AS location,
       NULL::numeric AS distance_km, NULL::text AS area_name,
       CASE WHEN r.service_id IS NOT NULL THEN json_build_object(
           'narr_level', r.narr_level, 'certification_status', r.certification_status,
           'moud_allowed', r.moud_allowed, 'gender_served', r.gender_served, 'beds', r.beds,
           'beds_available', r.beds_available)
       END AS recovery_housing,
       -- No count here (services_all_count gives it): with a window over every
       -- match the page could no longer stop at its 25th by name.
       NULL::bigint AS total
FROM page p
JOIN hsds.service s ON s.id = p.id
JOIN hsds.organization o ON o.id = s.organization_id
-- The location shown: the first, one with a point on the map
-- before one without, then by id.
LEFT JOIN LATERAL (
    SELECT fl.id
    FROM hsds.service_at_location sal
    JOIN hsds.location fl ON fl.id = sal.location_id
    WHERE sal.service_id = s.id
    ORDER BY fl.geog IS NULL, fl.id
    LIMIT 1
) f ON true
LEFT JOIN hsds.location l ON l.id = f.id
-- Its physical address, else its first.
LEFT JOIN LATERAL (
    SELECT ad.* FROM hsds.address ad
    WHERE ad.location_id = l.id
    ORDER BY ad.address_type <> 'physical', ad.id
    LIMIT 1
) a ON true
-- The number to call: the service's first voice phone (a phone without a
-- type counts as one), else the shown location's.
LEFT JOIN LATERAL (
    SELECT x.number FROM hsds.phone x
    WHERE x.service_id = s.id AND coalesce(x.type, 'voice') = 'voice'
    ORDER BY x.id
    LIMIT 1
) sp ON true
LEFT JOIN LATERAL (
    SELECT x.number FROM hsds.phone x
    WHERE x.location_id = l.id AND coalesce(x.type, 'voice') = 'voice'
    ORDER BY x.id
    LIMIT 1
) lp ON sp.number IS NULL
LEFT JOIN hsds.recovery_housing r ON r.service_id = s.id
ORDER BY p.rank DESC NULLS LAST, p.name, p.id
