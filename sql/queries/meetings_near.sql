-- Meetings within $3 metres of ($1 lat, $2 lng), nearest first (ties by
-- id), or soonest first when $22 is true; $19 limit, $20 offset; and how
-- many match, counted among the $21 meetings nearest the point.
--
-- Its work is bounded by the page, not by how many meetings match: the
-- candidates are the $21 active meetings nearest the point, found by
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
-- $1 lat, $2 lng, $3 radius in metres; the filters, NULL for none (see
-- meeting_filter in sql/migrations/018_search_scale.sql): $4 day codes
-- smallint[] (0-6 Sunday to Saturday, 7 today, 8 tomorrow), $5 fellowship
-- slugs text[], $6 type codes text[] (all required), $7 attendance text[],
-- $8 for families boolean, $9 medication-friendly boolean, $10 languages
-- text[], $11 keywords (web search syntax: all words, "quoted phrases"),
-- $12 the searcher's zone (days and times are seen in it; NULL: each
-- meeting's own), $13 now (ISO 8601; NULL: the clock), $14..$15 a window of
-- start times, $16 starting within minutes, $17 in progress, $18 region or
-- city names text[] (a place matches by any of its Meeting Guide regions or
-- its city, without regard to case or accents: place_keys in
-- sql/migrations/022_region_filter.sql).
WITH cand AS MATERIALIZED (
    SELECT m.id,
           m.earth <-> earth_point($1, $2) AS chord,
           m.earth <-> earth_point($1, $2) <= earth_chord($3)
           AND meeting_filter(m.fellowship_id, m.types, m.attendance, m.languages, m.search_doc,
                              m.day, m.start_time, m.duration_min, m.timezone, m.utc_week_minute,
                              m.utc_week_minute_dst,
                              $4::smallint[], $5::text[], $6::text[],
                              $7::text[], $8::boolean, $9::boolean,
                              $10::text[], $11::text, $12::text, search_now($13::text, $12::text),
                              $14::time, $15::time, $16::integer, $17::boolean,
                              (SELECT fellowship_ids($5::text[])), (SELECT family_fellowships()),
                              (SELECT family_types()), (SELECT moud_fellowships()),
                              (SELECT day_prefilter($4::smallint[], $12::text, search_now($13::text, $12::text))),
                              (SELECT tz_window_prefilter($4::smallint[], $14::time, $15::time,
                                                          $12::text, search_now($13::text, $12::text))),
                              (SELECT tz_window_prefilter($4::smallint[], $14::time, $15::time,
                                                          $12::text, search_now($13::text, $12::text))),
                              (SELECT time_prefilter($16::integer, $17::boolean, search_now($13::text, $12::text))),
                              (SELECT time_prefilter($16::integer, $17::boolean, search_now($13::text, $12::text))))
           AND ($18::text[] IS NULL
                OR EXISTS (SELECT 1 FROM locations l
                           WHERE l.id = m.location_id
                             AND l.place_keys && place_keys($18::text[]))) AS hit
    FROM meetings m
    WHERE m.active AND m.earth IS NOT NULL
    ORDER BY m.earth <-> earth_point($1, $2)
    FETCH FIRST ($21::bigint) ROWS WITH TIES
),
scope AS (
    SELECT count(*) FILTER (WHERE hit) AS hits,
           count(*) < $21::bigint OR coalesce(max(chord) > earth_chord($3), true) AS exact,
           max(chord) AS reach
    FROM cand
),
held AS (
    SELECT s.*, s.exact OR (NOT $22::boolean AND s.hits >= $19::bigint + $20::bigint) AS held
    FROM scope s
),
-- Nearest first: the candidates' order. Soonest first (all the radius
-- among them): by next start, which only the matches need.
page AS (
    SELECT c.id, row_number() OVER (ORDER BY c.chord, c.id) AS ord
    FROM cand c
    WHERE c.hit AND NOT $22::boolean AND (SELECT h.held FROM held h)
    ORDER BY c.chord, c.id
    LIMIT $19::bigint OFFSET $20::bigint
),
page_soonest AS (
    SELECT c.id,
           row_number() OVER (ORDER BY meeting_next_start(m.day, m.start_time, m.timezone,
                                                          search_now($13::text, $12::text)), c.chord, c.id) AS ord
    FROM cand c
    JOIN meetings m ON m.id = c.id
    WHERE c.hit AND $22::boolean AND (SELECT h.held FROM held h)
    ORDER BY meeting_next_start(m.day, m.start_time, m.timezone, search_now($13::text, $12::text)),
             c.chord, c.id
    LIMIT $19::bigint OFFSET $20::bigint
)
SELECT r.id, r.slug, r.name, r.fellowship_slug, r.fellowship_name, r.day, r.time,
       r.end_time, r.timezone, r.attendance, r.types, r.location_name, r.address, r.city,
       r.region, r.postal_code, r.country, r.lat, r.lng, r.conference_url,
       r.conference_phone, r.notes, r.group_name, r.updated, r.language_list, r.next_start,
       r.local_time, r.confirmed_at, r.stale,
       round(((r.geog <-> ST_SetSRID(ST_MakePoint($2, $1), 4326)::geography) / 1000)::numeric,
             3) AS distance_km,
       true AS in_window, h.hits AS count, h.exact AS count_exact,
       round((earth_arc(h.reach) / 1000)::numeric, 3) AS reach_km, h.held
FROM held h
LEFT JOIN LATERAL meeting_rows(
    (SELECT array_agg(p.id ORDER BY p.ord)
     FROM (SELECT id, ord FROM page UNION ALL SELECT id, ord FROM page_soonest) p),
    search_now($13::text, $12::text), $12::text) WITH ORDINALITY AS r ON true
ORDER BY r.ordinality
