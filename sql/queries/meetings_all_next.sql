-- The page of a search anywhere, soonest first, when meetings_all.sql's
-- candidates are not all the matches and no filter is of day, time of day
-- or in progress (starting within minutes may be): the matches met first
-- walking each index of start times from now round the week, by
-- next start, meetings at the same instant by id (then those by
-- appointment, those whose name holds the keywords first, by id); $limit
-- limit, $offset offset; $step the walk's step (see below). The columns are
-- meetings_all.sql's (the count's are NULL).
--
-- A meeting's true next start is one of its two week minutes' (standard
-- or daylight time; utc_week_minute_dst in sql/migrations/018_search_scale.sql),
-- so the lesser of the two is a lower bound of it. Each walk takes the
-- first k matches in its own index's order from now (k: four pages to the
-- page's end, at least 100, times 8^$step; all of them when $step is NULL), and
-- every meeting neither walk took has both week minutes at or past the
-- walks' last: it starts no sooner than the lesser of the two. The page is
-- found among the meetings the walks took, by their exact next start, and
-- in_window says whether it is surely the true page: full, and its last
-- starting before any meeting the walks left could. api_meetings.c tries
-- the steps in turn, the last one (NULL) taking every match. Each walk
-- reads about k matches' worth of rows wherever the page is in the week:
-- at a million meetings, five minutes of the busiest hour hold 16,000
-- meetings, all of which a window of start times read.
--
-- Starting within $within minutes: no match starts more than $within + 120 minutes
-- on by either week minute (the daylight one is the earlier by an hour),
-- and the walks stop there.
--
-- The filters, NULL for none: every meetings search's, numbered alike and
-- first (sql/queries/include/meetings_filter.sql); then its own as above.
-- @params @meetings_filter limit offset step
-- The statement is asked only when $day, $time_from and $in_progress are NULL; it is exact
-- with them too, but no faster.
WITH walk AS (
    SELECT t.t0, search_week_minute(search_now($now::text, $tz::text)) AS m0,
           least(10079, coalesce($within::integer + 121, 10079)) AS horizon,
           CASE WHEN $step::integer IS NOT NULL
                THEN greatest(100, 4 * ($limit::bigint + $offset::bigint)) * 8 ^ $step::integer END::bigint AS k
    FROM (SELECT date_trunc('minute', search_now($now::text, $tz::text) + interval '59.999999 seconds')
                 AS t0) t  -- the minute of m0 (search_week_minute)
),
-- t0: the first whole minute at or after now; a meeting whose week minute
-- is k starts next at t0 + week_until(k, m0) minutes, if at that minute.
-- The standard-time walk: from m0 to the week's end, then round.
by_std AS MATERIALIZED (
    SELECT u.id, u.until FROM (
        (SELECT m.id, m.utc_week_minute - (SELECT w.m0 FROM walk w) AS until
         FROM meetings m
         WHERE m.active AND m.utc_week_minute >= (SELECT w.m0 FROM walk w)
           AND m.utc_week_minute <= (SELECT w.m0 + w.horizon FROM walk w)
           -- @include meetings_filter
           -- @include meetings_region
         ORDER BY m.utc_week_minute, m.id
         LIMIT (SELECT w.k FROM walk w))
        UNION ALL
        (SELECT m.id, m.utc_week_minute + 10080 - (SELECT w.m0 FROM walk w) AS until
         FROM meetings m
         WHERE m.active AND m.utc_week_minute < (SELECT w.m0 FROM walk w)
           AND m.utc_week_minute <= (SELECT w.m0 + w.horizon - 10080 FROM walk w)
           -- @include meetings_filter
           -- @include meetings_region
         ORDER BY m.utc_week_minute, m.id
         LIMIT (SELECT w.k FROM walk w))
    ) u
    LIMIT (SELECT w.k FROM walk w)
),
-- How far the standard-time walk reached: the last one's minutes from t0
-- when it stopped at k, else the horizon (it took every match up to it).
std_reach AS (
    SELECT CASE WHEN (SELECT count(*) FROM by_std) >= (SELECT w.k FROM walk w)
                THEN (SELECT max(s.until) FROM by_std s)
                ELSE (SELECT w.horizon FROM walk w) END AS until
),
-- The zones whose daylight minute a match in the daylight walk's reach can
-- start at: those in daylight time at t0 or at the reach's end (a zone
-- changes its offset at most once in a week), found by skipping through
-- the index of (timezone, daylight minute) zone by zone. In December, the
-- southern ones alone: the walk reads no northern meeting.
daylight_zones AS MATERIALIZED (
    WITH RECURSIVE zone AS (
        (SELECT m.timezone AS tz FROM meetings m
         WHERE m.active AND m.utc_week_minute_dst IS NOT NULL
         ORDER BY m.timezone LIMIT 1)
        UNION ALL
        SELECT (SELECT m.timezone FROM meetings m
                WHERE m.active AND m.utc_week_minute_dst IS NOT NULL AND m.timezone > z.tz
                ORDER BY m.timezone LIMIT 1)
        FROM zone z
        WHERE z.tz IS NOT NULL
    )
    SELECT z.tz FROM zone z, walk w, std_reach r
    WHERE z.tz IS NOT NULL
      AND (zone_offset_at(z.tz, w.t0) = zone_daylight_offset(z.tz)
           OR zone_offset_at(z.tz, w.t0 + make_interval(mins => r.until))
              = zone_daylight_offset(z.tz))
),
-- The daylight-time walk, the same way, as far as the standard one reached
-- and at most 4k, of the matches whose next start is not their standard
-- minute's (those the standard walk bounds; meetings in zones without
-- daylight time have no daylight minute), zone by zone, in the zones in
-- daylight time. In winter the daylight minutes
-- of the northern zones are an hour before their true starts: counting
-- them, a walk through the busiest minute would say nothing of the hour.
by_dst AS MATERIALIZED (
    SELECT u.id, u.until FROM daylight_zones z CROSS JOIN LATERAL (
                (SELECT m.id, m.utc_week_minute_dst - (SELECT w.m0 FROM walk w) AS until
                 FROM meetings m
                 WHERE m.active AND m.timezone = z.tz AND m.utc_week_minute_dst >= (SELECT w.m0 FROM walk w)
                   AND m.utc_week_minute_dst <= (SELECT w.m0 + r.until FROM walk w, std_reach r)
                   -- @include meetings_filter
                   -- @include meetings_region
                   AND meeting_next_start(m.day, m.start_time, m.timezone, search_now($now::text, $tz::text))
                       <> (SELECT w.t0 FROM walk w)
                          + make_interval(mins => week_until(m.utc_week_minute, (SELECT w.m0 FROM walk w)))
                 ORDER BY m.utc_week_minute_dst, m.id
                 LIMIT (SELECT 4 * w.k FROM walk w))
                UNION ALL
                (SELECT m.id, m.utc_week_minute_dst + 10080 - (SELECT w.m0 FROM walk w) AS until
                 FROM meetings m
                 WHERE m.active AND m.timezone = z.tz AND m.utc_week_minute_dst < (SELECT w.m0 FROM walk w)
                   AND m.utc_week_minute_dst <= (SELECT w.m0 + r.until - 10080 FROM walk w, std_reach r)
                   -- @include meetings_filter
                   -- @include meetings_region
                   AND meeting_next_start(m.day, m.start_time, m.timezone, search_now($now::text, $tz::text))
                       <> (SELECT w.t0 FROM walk w)
                          + make_interval(mins => week_until(m.utc_week_minute, (SELECT w.m0 FROM walk w)))
                 ORDER BY m.utc_week_minute_dst, m.id
                 LIMIT (SELECT 4 * w.k FROM walk w))
    ) u
    ORDER BY u.until, u.id
    LIMIT (SELECT 4 * w.k FROM walk w)
),
-- Meetings by appointment come after every scheduled one; the page needs
-- at most its end's worth of them.
by_appointment AS MATERIALIZED (
    SELECT m.id
    FROM meetings m
    WHERE m.active AND m.utc_week_minute IS NULL
      -- @include meetings_filter
      -- @include meetings_region
    ORDER BY coalesce(m.search_doc @@ (SELECT name_query($keywords::text)), false) DESC, m.id
    LIMIT $limit::bigint + $offset::bigint
),
-- The last meeting of each walk that left some (its until, its id): every
-- meeting that walk left comes after it in the walk's order, (week minute,
-- id), and so starts no sooner than the lesser of the two, or at the same
-- minute with a greater id. None: the walks left no match.
bound AS (
    SELECT b.until, b.id FROM (
        (SELECT s.until, s.id FROM by_std s
         WHERE (SELECT count(*) FROM by_std) >= (SELECT w.k FROM walk w)
         ORDER BY s.until DESC, s.id DESC LIMIT 1)
        UNION ALL
        (SELECT d.until, d.id FROM by_dst d
         WHERE (SELECT count(*) FROM by_dst) >= (SELECT 4 * w.k FROM walk w)
         ORDER BY d.until DESC, d.id DESC LIMIT 1)
    ) b
    ORDER BY b.until, b.id
    LIMIT 1
),
-- Soonest first, meetings at the same instant by id (the walks' order);
-- by appointment last, those whose name holds the keywords first.
page AS (
    SELECT f.id, f.next_at,
           row_number() OVER (ORDER BY f.next_at, (f.next_at IS NULL AND coalesce(f.named, false)) DESC,
                                       f.id) AS ord
    FROM (SELECT m.id,
                 m.search_doc @@ (SELECT name_query($keywords::text)) AS named,
                 meeting_next_start(m.day, m.start_time, m.timezone,
                                    search_now($now::text, $tz::text)) AS next_at
          FROM (SELECT id FROM by_std UNION SELECT id FROM by_dst
                UNION SELECT id FROM by_appointment) c
          JOIN meetings m ON m.id = c.id) f
    ORDER BY ord
    LIMIT $limit::bigint OFFSET $offset::bigint
),
-- The true page: the walks left nothing, or it is full and its last comes
-- before (or is) the bound, which every meeting they left comes after.
proven AS (
    SELECT NOT EXISTS (SELECT 1 FROM bound)
           OR ((SELECT count(*) FROM page) = $limit::bigint
               AND EXISTS (SELECT 1
                           FROM (SELECT p.next_at, p.id FROM page p ORDER BY p.ord DESC LIMIT 1) l,
                                bound b
                           WHERE (l.next_at, l.id)
                                 <= ((SELECT w.t0 FROM walk w)
                                     + make_interval(mins => b.until), b.id))) AS ok
)
SELECT r.id, r.slug, r.name, r.fellowship_slug, r.fellowship_name, r.day, r.time,
       r.end_time, r.timezone, r.attendance, r.types, r.location_name, r.address, r.city,
       r.region, r.postal_code, r.country, r.lat, r.lng, r.conference_url,
       r.conference_phone, r.notes, r.group_name, r.updated, r.language_list, r.next_start,
       r.local_time, r.confirmed_at, r.stale, NULL::numeric AS distance_km,
       coalesce((SELECT p.ok FROM proven p), false) AS in_window,
       NULL::bigint AS count, NULL::boolean AS count_exact, NULL::numeric AS reach_km,
       true AS held
FROM meeting_rows((SELECT array_agg(p.id ORDER BY p.ord) FROM page p),
                  search_now($now::text, $tz::text), $tz::text) WITH ORDINALITY AS r
ORDER BY r.ordinality
