-- The page of a search anywhere, soonest first, when meetings_all.sql's
-- candidates are not all the matches: the meetings that match every filter
-- and may start within a window from now, by next start, meetings at the
-- same instant by id (then those by appointment, those whose name holds
-- the keywords first, by id); $limit, $offset;
-- $step the window's step (see below). The columns are meetings_all.sql's
-- (the count's are NULL).
--
-- The window: the meetings that may start from now to window minutes on,
-- looked up by their UTC week minute (standard or daylight time: see
-- utc_week_minute_dst in sql/migrations/018_search_scale.sql) and then
-- checked exactly. The window is the first step's (window_minutes(): about
-- 500 meetings' worth at the table's density, at least five minutes) times
-- 8^$step; NULL (the whole week) at the last step. in_window says whether a
-- meeting surely starts within the window: a full page whose last row does
-- is the true first page (api_meetings.c tries the steps in turn).
-- A meeting's exact next start costs three conversions of zone; it is
-- computed only for the meetings that can be on the page: ub and lb bound
-- each meeting's next start in minutes from the first whole minute at or
-- after now (week_until in sql/migrations/018_search_scale.sql,
-- search_week_minute in 021_soonest_walk.sql), and those whose lower bound is past
-- the page's cut (the upper bound of the page's last) cannot be.
--
-- The filters, NULL for none: every meetings search's, numbered alike and
-- first (sql/queries/include/meetings_filter.sql); then its own as above.
-- @params @meetings_filter limit offset step
WITH win AS (
    SELECT CASE WHEN $step::integer IS NOT NULL
                THEN window_minutes() * 8 ^ $step::integer END AS minutes
),
found AS MATERIALIZED (
    SELECT m.id, m.day, m.start_time, m.timezone,
           m.search_doc @@ (SELECT name_query($keywords::text)) AS named,
           least(week_until(m.utc_week_minute, (SELECT search_week_minute(search_now($now::text, $tz::text)))),
                 week_until(m.utc_week_minute_dst, (SELECT search_week_minute(search_now($now::text, $tz::text))))) AS lb,
           greatest(week_until(m.utc_week_minute, (SELECT search_week_minute(search_now($now::text, $tz::text)))),
                    week_until(m.utc_week_minute_dst, (SELECT search_week_minute(search_now($now::text, $tz::text))))) AS ub
    FROM meetings m
    WHERE m.active
      -- @include meetings_filter
      -- @include meetings_region
      AND ($step::integer IS NULL
           OR m.utc_week_minute = ANY ((SELECT utc_week_minutes(search_now($now::text, $tz::text),
                  search_now($now::text, $tz::text) + make_interval(mins => (SELECT w.minutes FROM win w)::integer)))::smallint[])
           OR m.utc_week_minute_dst = ANY ((SELECT utc_week_minutes(search_now($now::text, $tz::text),
                  search_now($now::text, $tz::text) + make_interval(mins => (SELECT w.minutes FROM win w)::integer)))::smallint[]))
),
cut AS (
    SELECT f.ub FROM found f ORDER BY f.ub NULLS LAST OFFSET $limit::bigint + $offset::bigint - 1 LIMIT 1
),
page AS (
    SELECT f.id, f.next_at,
           row_number() OVER (ORDER BY f.next_at, (f.next_at IS NULL AND coalesce(f.named, false)) DESC,
                                       f.id) AS ord
    FROM (SELECT f.*, meeting_next_start(f.day, f.start_time, f.timezone, search_now($now::text, $tz::text)) AS next_at
          FROM found f
          WHERE (SELECT c.ub FROM cut c) IS NULL OR f.lb <= (SELECT c.ub FROM cut c)) f
    ORDER BY ord
    LIMIT $limit::bigint OFFSET $offset::bigint
)
SELECT r.id, r.slug, r.name, r.fellowship_slug, r.fellowship_name, r.day, r.time,
       r.end_time, r.timezone, r.attendance, r.types, r.location_name, r.address, r.city,
       r.region, r.postal_code, r.country, r.lat, r.lng, r.conference_url,
       r.conference_phone, r.notes, r.group_name, r.updated, r.language_list, r.next_start,
       r.local_time, r.confirmed_at, r.stale, NULL::numeric AS distance_km,
       (SELECT w.minutes IS NULL FROM win w)
       OR (SELECT p.next_at FROM page p WHERE p.id = r.id)
          <= search_now($now::text, $tz::text) + make_interval(mins => (SELECT w.minutes FROM win w)::integer) AS in_window,
       NULL::bigint AS count, NULL::boolean AS count_exact, NULL::numeric AS reach_km,
       true AS held
FROM meeting_rows((SELECT array_agg(p.id ORDER BY p.ord) FROM page p),
                  search_now($now::text, $tz::text), $tz::text) WITH ORDINALITY AS r
ORDER BY r.ordinality
