-- Services anywhere: with keywords ($keywords) the best matches first
-- (ts_rank of the search document: names weigh most), else by name; $limit,
-- $offset; and how many match, exact up to $candidates.
--
-- Its work is bounded by the page: the candidates are the first
-- $candidates + 1 matches by name (the (name, id) index walked in order), or
-- with keywords the first $candidates + 1 the keywords' index finds, ranked
-- among themselves. The page, within the first $candidates
-- (fcgi/src/api_services.c bounds offset + limit), is always among them.
-- The columns are services_near.sql's.
--
-- The filters, NULL for none: every services search's, numbered alike and
-- first (sql/queries/include/services_filter.sql, the national and
-- recovery residences' filters in their form for a search anywhere,
-- services_related_ids.sql); then its own as above.
-- @params @services_filter limit offset candidates
WITH cand AS MATERIALIZED (
    SELECT s.id, s.name,
           CASE WHEN $keywords::text IS NOT NULL
                THEN ts_rank(s.search_doc, websearch_to_tsquery('finder', $keywords)) END AS rank
    FROM hsds.service s
    WHERE s.listed
      -- @include services_filter
      -- @include services_related_ids
    ORDER BY CASE WHEN $keywords::text IS NULL THEN s.name END, CASE WHEN $keywords::text IS NULL THEN s.id END
    LIMIT $candidates::bigint + 1
),
held AS (
    SELECT least(count(*), $candidates::bigint) AS hits, count(*) <= $candidates::bigint AS exact FROM cand
),
page AS (
    SELECT c.id, NULL::uuid AS location_id, NULL::double precision AS dist,
           NULL::text AS area_name,
           row_number() OVER (ORDER BY c.rank DESC NULLS LAST, c.name, c.id) AS ord
    FROM cand c
    ORDER BY ord
    LIMIT $limit::bigint OFFSET $offset::bigint
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
    search_now($now::text, $tz::text)) WITH ORDINALITY AS r ON true
ORDER BY r.ordinality
