-- The page of a search near a point, soonest first, when
-- meetings_near.sql's candidates are not the whole radius: the meetings
-- within $3 metres of ($1 lat, $2 lng) that match every filter, by next
-- start (then distance, id); $19 limit, $20 offset. The columns are
-- meetings_near.sql's (the count's are NULL).
--
-- It reads every meeting in the radius (the box around the point bounds
-- it): bounded by the radius, not by the page. (A window of start times, as
-- meetings_all_soonest.sql looks meetings up by, is not combined with the
-- radius by the planner, whose estimate of a box is a fixed fraction of
-- the table; each window would read the radius again.)
-- A meeting's exact next start costs three conversions of zone; it is
-- computed only for the meetings that can be on the page: ub and lb bound
-- each meeting's next start in minutes from the first whole minute at or
-- after now (week_until in sql/migrations/018_search_scale.sql,
-- search_week_minute in 021_soonest_walk.sql), and those whose lower bound is past
-- the page's cut (the upper bound of the page's last) cannot be.
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
WITH found AS MATERIALIZED (
    SELECT m.id, m.earth <-> earth_point($1, $2) AS chord, m.day, m.start_time, m.timezone,
           least(week_until(m.utc_week_minute, (SELECT search_week_minute(search_now($13::text, $12::text)))),
                 week_until(m.utc_week_minute_dst, (SELECT search_week_minute(search_now($13::text, $12::text))))) AS lb,
           greatest(week_until(m.utc_week_minute, (SELECT search_week_minute(search_now($13::text, $12::text)))),
                    week_until(m.utc_week_minute_dst, (SELECT search_week_minute(search_now($13::text, $12::text))))) AS ub
    FROM meetings m
    WHERE m.active
      AND m.earth <@ cube_enlarge(earth_point($1, $2), earth_chord($3), 3)
      AND m.earth <-> earth_point($1, $2) <= earth_chord($3)
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
                        AND l.place_keys && place_keys($18::text[])))
),
cut AS (
    SELECT f.ub FROM found f ORDER BY f.ub NULLS LAST
    OFFSET $19::bigint + $20::bigint - 1 LIMIT 1
),
page AS (
    SELECT f.id,
           row_number() OVER (ORDER BY meeting_next_start(f.day, f.start_time, f.timezone,
                                                          search_now($13::text, $12::text)),
                                       f.chord, f.id) AS ord
    FROM found f
    WHERE (SELECT c.ub FROM cut c) IS NULL OR f.lb <= (SELECT c.ub FROM cut c)
    ORDER BY ord
    LIMIT $19::bigint OFFSET $20::bigint
)
SELECT r.id, r.slug, r.name, r.fellowship_slug, r.fellowship_name, r.day, r.time,
       r.end_time, r.timezone, r.attendance, r.types, r.location_name, r.address, r.city,
       r.region, r.postal_code, r.country, r.lat, r.lng, r.conference_url,
       r.conference_phone, r.notes, r.group_name, r.updated, r.language_list, r.next_start,
       r.local_time, r.confirmed_at, r.stale,
       round(((r.geog <-> ST_SetSRID(ST_MakePoint($2, $1), 4326)::geography) / 1000)::numeric,
             3) AS distance_km,
       true AS in_window, NULL::bigint AS count, NULL::boolean AS count_exact,
       NULL::numeric AS reach_km, true AS held
FROM meeting_rows((SELECT array_agg(p.id ORDER BY p.ord) FROM page p),
                  search_now($13::text, $12::text), $12::text) WITH ORDINALITY AS r
ORDER BY r.ordinality
