-- Services anywhere: with keywords ($7) the best matches first (ts_rank of
-- the search document: names weigh most), else by name; $15 limit, $16
-- offset; and how many match, exact up to $17.
--
-- Its work is bounded by the page: the candidates are the first $17 + 1
-- matches by name (the (name, id) index walked in order), or with keywords
-- the first $17 + 1 the keywords' index finds, ranked among themselves. The
-- page, within the first $17 (fcgi/src/api_services.c bounds offset +
-- limit), is always among them. The columns are services_near.sql's.
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
    SELECT s.id, s.name,
           CASE WHEN $7::text IS NOT NULL
                THEN ts_rank(s.search_doc, websearch_to_tsquery('finder', $7)) END AS rank
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
    LIMIT $17::bigint + 1
),
held AS (
    SELECT least(count(*), $17::bigint) AS hits, count(*) <= $17::bigint AS exact FROM cand
),
page AS (
    SELECT c.id, NULL::uuid AS location_id, NULL::double precision AS dist,
           NULL::text AS area_name,
           row_number() OVER (ORDER BY c.rank DESC NULLS LAST, c.name, c.id) AS ord
    FROM cand c
    ORDER BY ord
    LIMIT $15::bigint OFFSET $16::bigint
)
SELECT r.id, r.name, r.organization_id, r.organization_name, r.description, r.url, r.email,
       r.phone, r.categories, r.populations, r.costs, r.languages, r.accessibility, r.moud,
       r.assured_date, r.open_now, r.location, r.distance_km, r.area_name, r.recovery_housing,
       r.confirmed_at, r.stale,
       h.hits AS count, h.exact AS count_exact, NULL::numeric AS reach_km, true AS held
FROM held h
LEFT JOIN LATERAL hsds.service_rows(
    (SELECT array_agg(p.id ORDER BY p.ord) FROM page p),
    (SELECT array_agg(p.location_id ORDER BY p.ord) FROM page p),
    (SELECT array_agg(p.dist ORDER BY p.ord) FROM page p),
    (SELECT array_agg(p.area_name ORDER BY p.ord) FROM page p),
    search_now($9::text, $8::text)) WITH ORDINALITY AS r ON true
ORDER BY r.ordinality
