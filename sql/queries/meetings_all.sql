-- Meetings anywhere: soonest first when $sort is true (meetings at the same
-- instant by id; by-appointment meetings last, those whose name holds the
-- keywords first, by id), else (with keywords) those whose name holds the
-- keywords first, then by day and time (by-appointment meetings last);
-- $limit, $offset; and how many match, counted up to $candidates.
--
-- Its work is bounded by the page, not by how many meetings match: the
-- candidates are the first $candidates + 1 matches in order of their start in the
-- week from now (the index on utc_week_minute walked from this minute round
-- the week, then the meetings by appointment), or, when a filter is rarer,
-- those its own index finds first; with a filter of time (day, time,
-- starts_within, in_progress), the first its window's index finds, in no
-- particular order (the index of the window reads fewer than the walk
-- would). The count is exact up to $candidates (count_exact); past it, it says $candidates.
-- A region ($region) is looked up through its places (region_location_ids() of
-- sql/migrations/022_region_filter.sql, then the index of the meetings'
-- places): the candidates of a small region are its meetings, read without
-- walking every other meeting on the way to $candidates + 1 matches.
--
-- The page comes from the candidates when they hold it (all the matches;
-- or, best matches first, the first $candidates + 1 found). Otherwise (soonest
-- first with more matches than that: held false) there are no page rows and
-- the handler asks meetings_all_next.sql (or, with a filter of day, time of
-- day or in progress, meetings_all_soonest.sql) for the page.
-- A meeting's exact next start costs three conversions of zone; it is
-- computed only for the meetings that can be on the page: ub and lb bound
-- each meeting's next start in minutes from the first whole minute at or
-- after now (week_until in sql/migrations/018_search_scale.sql,
-- search_week_minute in 021_soonest_walk.sql), and those whose lower bound is past
-- the page's cut (the upper bound of the page's last) cannot be.
--
-- The columns are meetings_near.sql's, without a distance; one row with
-- NULL meeting columns when the page is empty.
--
-- The filters, NULL for none: every meetings search's, numbered alike and
-- first (sql/queries/include/meetings_filter.sql); then its own as above.
-- @params @meetings_filter limit offset candidates sort
WITH cand AS MATERIALIZED (
    SELECT u.id FROM (
        (SELECT m.id
      FROM meetings m
      WHERE m.active AND m.utc_week_minute >= (SELECT search_week_minute(search_now($now::text, $tz::text)))
        -- @include meetings_filter
        -- @include meetings_region_ids
      ORDER BY CASE WHEN $day::smallint[] IS NULL AND $time_from::time IS NULL AND $within::integer IS NULL AND $in_progress::boolean IS NULL THEN m.utc_week_minute END, CASE WHEN $day::smallint[] IS NULL AND $time_from::time IS NULL AND $within::integer IS NULL AND $in_progress::boolean IS NULL THEN m.id END
      LIMIT $candidates::bigint + 1)
        UNION ALL
        (SELECT m.id
      FROM meetings m
      WHERE m.active AND m.utc_week_minute < (SELECT search_week_minute(search_now($now::text, $tz::text)))
        -- @include meetings_filter
        -- @include meetings_region_ids
      ORDER BY CASE WHEN $day::smallint[] IS NULL AND $time_from::time IS NULL AND $within::integer IS NULL AND $in_progress::boolean IS NULL THEN m.utc_week_minute END, CASE WHEN $day::smallint[] IS NULL AND $time_from::time IS NULL AND $within::integer IS NULL AND $in_progress::boolean IS NULL THEN m.id END
      LIMIT $candidates::bigint + 1)
        UNION ALL
        (SELECT m.id
      FROM meetings m
      WHERE m.active AND m.utc_week_minute IS NULL
        -- @include meetings_filter
        -- @include meetings_region_ids
      ORDER BY CASE WHEN $day::smallint[] IS NULL AND $time_from::time IS NULL AND $within::integer IS NULL AND $in_progress::boolean IS NULL THEN m.id END
      LIMIT $candidates::bigint + 1)
    ) u
    LIMIT $candidates::bigint + 1
),
held AS (
    SELECT least(count(*), $candidates::bigint) AS hits, count(*) <= $candidates::bigint AS exact,
           count(*) <= $candidates::bigint OR NOT $sort::boolean AS held
    FROM cand
),
ranked AS MATERIALIZED (
    SELECT c.id, m.day, m.start_time, m.timezone,
           m.search_doc @@ (SELECT name_query($keywords::text)) AS named,
           least(week_until(m.utc_week_minute, (SELECT search_week_minute(search_now($now::text, $tz::text)))),
                 week_until(m.utc_week_minute_dst, (SELECT search_week_minute(search_now($now::text, $tz::text))))) AS lb,
           greatest(week_until(m.utc_week_minute, (SELECT search_week_minute(search_now($now::text, $tz::text)))),
                    week_until(m.utc_week_minute_dst, (SELECT search_week_minute(search_now($now::text, $tz::text))))) AS ub
    FROM cand c
    JOIN meetings m ON m.id = c.id
    WHERE (SELECT h.held FROM held h)
),
cut AS (
    SELECT r.ub FROM ranked r WHERE $sort::boolean ORDER BY r.ub NULLS LAST
    OFFSET $limit::bigint + $offset::bigint - 1 LIMIT 1
),
page AS (
    SELECT r.id,
           row_number() OVER (
               ORDER BY r.next_at,
                        CASE WHEN $sort::boolean THEN r.next_at IS NULL AND coalesce(r.named, false)
                             ELSE r.named END DESC,
                        CASE WHEN NOT $sort::boolean THEN r.day END NULLS LAST,
                        CASE WHEN NOT $sort::boolean THEN r.start_time END, r.id) AS ord
    FROM (SELECT r.*,
                 CASE WHEN $sort::boolean
                      THEN meeting_next_start(r.day, r.start_time, r.timezone,
                                              search_now($now::text, $tz::text)) END AS next_at
          FROM ranked r
          WHERE NOT $sort::boolean OR (SELECT c.ub FROM cut c) IS NULL
                OR r.lb <= (SELECT c.ub FROM cut c)) r
    ORDER BY ord
    LIMIT $limit::bigint OFFSET $offset::bigint
)
SELECT r.id, r.slug, r.name, r.fellowship_slug, r.fellowship_name, r.day, r.time,
       r.end_time, r.timezone, r.attendance, r.types, r.location_name, r.address, r.city,
       r.region, r.postal_code, r.country, r.lat, r.lng, r.conference_url,
       r.conference_phone, r.notes, r.group_name, r.updated, r.language_list, r.next_start,
       r.local_time, r.confirmed_at, r.stale, NULL::numeric AS distance_km,
       true AS in_window, h.hits AS count, h.exact AS count_exact,
       NULL::numeric AS reach_km, h.held
FROM held h
LEFT JOIN LATERAL meeting_rows((SELECT array_agg(p.id ORDER BY p.ord) FROM page p),
                               search_now($now::text, $tz::text), $tz::text) WITH ORDINALITY AS r ON true
ORDER BY r.ordinality
