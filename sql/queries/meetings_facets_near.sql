-- Facets of a search near a place: how many of the matches among the $candidates
-- meetings nearest the point (meetings_near.sql's candidates, within the
-- radius) have each fellowship, attendance, day ('none': by appointment),
-- type code, language code, audience ('family' or 'recovery'), moud
-- ('true' or 'false'), region (each meeting's most specific: the last of
-- its place's regions, else its city; at most 30, those with the most
-- meetings) and time of day (TSML UI's windows, which overlap, in each
-- meeting's own zone); and, as the facet 'scope', whether those
-- candidates were the whole radius ('exact' 1 or 0) and how far they
-- reach ('reach_m', metres). Bounded, as meetings_near.sql is.
--
-- The filters, NULL for none: every meetings search's, numbered alike and
-- first (sql/queries/include/meetings_filter.sql); then its own: $lat,
-- $lng and $radius in metres, and the rest as above.
-- @params @meetings_filter lat lng radius candidates
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
matches AS MATERIALIZED (
    SELECT d.id, d.fellowship_slug, d.attendance, d.day, d.start_time, d.type_codes,
           d.languages, d.for_family, d.moud, d.regions, d.city
    FROM cand c
    JOIN meeting_details d ON d.id = c.id
    WHERE c.hit
)
SELECT 'scope', 'exact',
       (count(*) < $candidates::bigint OR coalesce(max(chord) > earth_chord($radius), true))::integer::bigint
FROM cand
UNION ALL
SELECT 'scope', 'reach_m', round(earth_arc(max(chord)))::bigint FROM cand
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
