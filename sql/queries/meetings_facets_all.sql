-- Facets of a search anywhere: as meetings_facets_near.sql, over the first
-- $candidates matches of meetings_all.sql's candidates (in order of their start in
-- the week from now); the facet 'scope' says whether they were all the
-- matches ('exact' 1 or 0). Bounded, as meetings_all.sql is, and finds a
-- region's meetings as it does (through their places).
--
-- The filters, NULL for none: every meetings search's, numbered alike and
-- first (sql/queries/include/meetings_filter.sql); then its own as above.
-- @params @meetings_filter candidates
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
matches AS MATERIALIZED (
    SELECT d.id, d.fellowship_slug, d.attendance, d.day, d.start_time, d.type_codes,
           d.languages, d.for_family, d.moud, d.regions, d.city
    FROM (SELECT id FROM cand LIMIT $candidates::bigint) c
    JOIN meeting_details d ON d.id = c.id
)
SELECT 'scope', 'exact', ((SELECT count(*) FROM cand) <= $candidates::bigint)::integer::bigint
UNION ALL
SELECT 'count' AS facet, NULL AS value, count(*) FROM matches
UNION ALL
SELECT 'fellowship', fellowship_slug, count(*) FROM matches GROUP BY fellowship_slug
UNION ALL
SELECT 'attendance', attendance, count(*) FROM matches GROUP BY attendance
UNION ALL
SELECT 'day', coalesce(day::text, 'none'), count(*) FROM matches GROUP BY day
UNION ALL
SELECT 'type', code, count(*) FROM matches, unnest(type_codes) AS code GROUP BY code
UNION ALL
SELECT 'language', code, count(*) FROM matches, unnest(languages) AS code GROUP BY code
UNION ALL
-- for_family and moud are never null (meeting_details), so each pair sums
-- to count.
SELECT 'for', CASE WHEN for_family THEN 'family' ELSE 'recovery' END, count(*)
FROM matches GROUP BY for_family
UNION ALL
SELECT 'moud', moud::text, count(*) FROM matches GROUP BY moud
UNION ALL
-- Each meeting's most specific place: the last of its regions, else its
-- city; names that differ only in case or accents (the same place_key(),
-- computed once a name rather than once a meeting) are one place, shown as
-- the spelling of its first stored meeting. The 30 with the most meetings.
(SELECT 'region', p.name, p.n
 FROM (SELECT (array_agg(g.name ORDER BY g.first_id))[1] AS name, sum(g.n)::bigint AS n,
              place_key(g.name) AS key
       FROM (SELECT coalesce(nullif(regions[cardinality(regions)], ''), city) AS name,
                    count(*) AS n, min(id) AS first_id
             FROM matches
             GROUP BY 1) g
       WHERE place_key(g.name) <> ''
       GROUP BY place_key(g.name)) p
 ORDER BY p.n DESC, p.key
 LIMIT 30)
UNION ALL
SELECT 'time', w.name, count(*)
FROM matches
JOIN (VALUES ('morning', time '04:00', time '11:59'), ('midday', '11:00', '16:59'),
             ('evening', '16:00', '20:59'), ('night', '20:00', '04:59')) AS w (name, a, b)
  ON CASE WHEN w.a <= w.b THEN start_time BETWEEN w.a AND w.b
          ELSE start_time >= w.a OR start_time <= w.b END
GROUP BY w.name
