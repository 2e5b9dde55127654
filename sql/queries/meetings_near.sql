-- Meetings within $radius metres of ($lat, $lng), nearest first (ties by
-- id), or soonest first when $sort is true; $limit, $offset; and how
-- many match, counted among the $candidates meetings nearest the point.
--
-- Its work is bounded by the page, not by how many meetings match: the
-- candidates are the $candidates active meetings nearest the point, found by
-- walking the index of their points outwards (meetings_earth_idx), each
-- marked whether it matches (in the radius, and every filter). When the
-- walk went past the radius, every meeting in it was a candidate and the
-- count is exact; else it is exact within reach_km of the point, the
-- distance of the last candidate (WITH TIES: every meeting at that distance
-- is one).
--
-- The page comes from the candidates when they hold it: all the radius, or,
-- nearest first, matches enough. Otherwise (held false) there are no page
-- rows and the handler asks meetings_near_page.sql (nearest first) or
-- meetings_near_soonest.sql (soonest first) for the page.
--
-- One row a meeting of the page, the columns of meeting_rows() and the
-- distance, then the count's: count, count_exact, reach_km, held; one row
-- with NULL meeting columns when the page is empty.
--
-- The filters, NULL for none: every meetings search's, numbered alike and
-- first (sql/queries/include/meetings_filter.sql); then its own: $lat,
-- $lng and $radius in metres, and the rest as above.
-- @params @meetings_filter lat lng radius limit offset candidates sort
WITH cand AS MATERIALIZED (
    SELECT m.id,
           m.earth <-> earth_point($lat, $lng) AS chord,
           m.earth <-> earth_point($lat, $lng) <= earth_chord($radius)
           -- @include meetings_filter
           -- @include meetings_region
           AS hit
    FROM meetings m
    WHERE m.active AND m.earth IS NOT NULL
    ORDER BY m.earth <-> earth_point($lat, $lng)
    FETCH FIRST ($candidates::bigint) ROWS WITH TIES
),
scope AS (
    SELECT count(*) FILTER (WHERE hit) AS hits,
           count(*) < $candidates::bigint OR coalesce(max(chord) > earth_chord($radius), true) AS exact,
           max(chord) AS reach
    FROM cand
),
held AS (
    SELECT s.*, s.exact OR (NOT $sort::boolean AND s.hits >= $limit::bigint + $offset::bigint) AS held
    FROM scope s
),
-- Nearest first: the candidates' order. Soonest first (all the radius
-- among them): by next start, which only the matches need.
page AS (
    SELECT c.id, row_number() OVER (ORDER BY c.chord, c.id) AS ord
    FROM cand c
    WHERE c.hit AND NOT $sort::boolean AND (SELECT h.held FROM held h)
    ORDER BY c.chord, c.id
    LIMIT $limit::bigint OFFSET $offset::bigint
),
page_soonest AS (
    SELECT c.id,
           row_number() OVER (ORDER BY meeting_next_start(m.day, m.start_time, m.timezone,
                                                          search_now($now::text, $tz::text)), c.chord, c.id) AS ord
    FROM cand c
    JOIN meetings m ON m.id = c.id
    WHERE c.hit AND $sort::boolean AND (SELECT h.held FROM held h)
    ORDER BY meeting_next_start(m.day, m.start_time, m.timezone, search_now($now::text, $tz::text)),
             c.chord, c.id
    LIMIT $limit::bigint OFFSET $offset::bigint
)
SELECT r.id, r.slug, r.name, r.fellowship_slug, r.fellowship_name, r.day, r.time,
       r.end_time, r.timezone, r.attendance, r.types, r.location_name, r.address, r.city,
       r.region, r.postal_code, r.country, r.lat, r.lng, r.conference_url,
       r.conference_phone, r.notes, r.group_name, r.updated, r.language_list, r.next_start,
       r.local_time, r.confirmed_at, r.stale,
       round(((r.geog <-> ST_SetSRID(ST_MakePoint($lng, $lat), 4326)::geography) / 1000)::numeric,
             3) AS distance_km,
       true AS in_window, h.hits AS count, h.exact AS count_exact,
       round((earth_arc(h.reach) / 1000)::numeric, 3) AS reach_km, h.held
FROM held h
LEFT JOIN LATERAL meeting_rows(
    (SELECT array_agg(p.id ORDER BY p.ord)
     FROM (SELECT id, ord FROM page UNION ALL SELECT id, ord FROM page_soonest) p),
    search_now($now::text, $tz::text), $tz::text) WITH ORDINALITY AS r ON true
ORDER BY r.ordinality
