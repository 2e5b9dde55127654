-- The page of a search near a point, soonest first, when
-- meetings_near.sql's candidates are not the whole radius: the meetings
-- within $radius metres of ($lat, $lng) that match every filter, by next
-- start (then distance, id); $limit, $offset. The columns are
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
-- The filters, NULL for none: every meetings search's, numbered alike and
-- first (sql/queries/include/meetings_filter.sql); then its own: $lat,
-- $lng and $radius in metres, and the rest as above.
-- @params @meetings_filter lat lng radius limit offset
WITH found AS MATERIALIZED (
    SELECT m.id, m.earth <-> earth_point($lat, $lng) AS chord, m.day, m.start_time, m.timezone,
           least(week_until(m.utc_week_minute, (SELECT search_week_minute(search_now($now::text, $tz::text)))),
                 week_until(m.utc_week_minute_dst, (SELECT search_week_minute(search_now($now::text, $tz::text))))) AS lb,
           greatest(week_until(m.utc_week_minute, (SELECT search_week_minute(search_now($now::text, $tz::text)))),
                    week_until(m.utc_week_minute_dst, (SELECT search_week_minute(search_now($now::text, $tz::text))))) AS ub
    FROM meetings m
    WHERE m.active
      AND m.earth <@ cube_enlarge(earth_point($lat, $lng), earth_chord($radius), 3)
      AND m.earth <-> earth_point($lat, $lng) <= earth_chord($radius)
      -- @include meetings_filter
      -- @include meetings_region
),
cut AS (
    SELECT f.ub FROM found f ORDER BY f.ub NULLS LAST
    OFFSET $limit::bigint + $offset::bigint - 1 LIMIT 1
),
page AS (
    SELECT f.id,
           row_number() OVER (ORDER BY meeting_next_start(f.day, f.start_time, f.timezone,
                                                          search_now($now::text, $tz::text)),
                                       f.chord, f.id) AS ord
    FROM found f
    WHERE (SELECT c.ub FROM cut c) IS NULL OR f.lb <= (SELECT c.ub FROM cut c)
    ORDER BY ord
    LIMIT $limit::bigint OFFSET $offset::bigint
)
SELECT r.id, r.slug, r.name, r.fellowship_slug, r.fellowship_name, r.day, r.time,
       r.end_time, r.timezone, r.attendance, r.types, r.location_name, r.address, r.city,
       r.region, r.postal_code, r.country, r.lat, r.lng, r.conference_url,
       r.conference_phone, r.notes, r.group_name, r.updated, r.language_list, r.next_start,
       r.local_time, r.confirmed_at, r.stale,
       round(((r.geog <-> ST_SetSRID(ST_MakePoint($lng, $lat), 4326)::geography) / 1000)::numeric,
             3) AS distance_km,
       true AS in_window, NULL::bigint AS count, NULL::boolean AS count_exact,
       NULL::numeric AS reach_km, true AS held
FROM meeting_rows((SELECT array_agg(p.id ORDER BY p.ord) FROM page p),
                  search_now($now::text, $tz::text), $tz::text) WITH ORDINALITY AS r
ORDER BY r.ordinality
