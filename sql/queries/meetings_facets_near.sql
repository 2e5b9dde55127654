-- Facets of a search near a place: how many of the meetings that
-- meetings_near_count counts (the same parameters, $1 to $17) have each
-- fellowship, attendance, day ('none': by appointment), type code, language
-- code, audience ('family' or 'recovery'), moud ('true' or 'false') and time
-- of day (TSML UI's windows, which overlap, in each meeting's own zone).
WITH matches AS (
    SELECT fellowship_slug, attendance, day, start_time, type_codes, languages, for_family, moud
    FROM meeting_details
    WHERE active
      AND ST_DWithin(geog, ST_SetSRID(ST_MakePoint($2, $1), 4326)::geography, $3, false)
      AND ($5::text[] IS NULL OR fellowship_slug = ANY ($5))
      AND ($6::text[] IS NULL OR type_codes @> $6)
      AND ($7::text[] IS NULL OR attendance = ANY ($7))
      AND ($8::boolean IS NULL OR for_family = $8)
      AND ($9::boolean IS NULL OR moud = $9)
      AND ($10::text[] IS NULL OR languages && $10)
      AND ($11::text IS NULL OR search_doc @@ websearch_to_tsquery('finder', $11))
      AND ($4::smallint[] IS NULL OR $12::text IS NOT NULL OR day = ANY ((SELECT day_prefilter($4, $12, search_now($13::text, $12::text)))::smallint[]))
      AND ($4::smallint[] IS NULL AND $14::time IS NULL OR $12::text IS NULL OR utc_week_minute = ANY ((SELECT tz_window_prefilter($4, $14::time, $15::time, $12, search_now($13::text, $12::text)))::smallint[]))
      AND ($14::time IS NULL OR $12::text IS NOT NULL OR start_time BETWEEN $14 AND $15 OR ($14 > $15 AND (start_time >= $14 OR start_time <= $15)))
      AND ($16::integer IS NULL AND $17::boolean IS NULL OR utc_week_minute = ANY ((SELECT time_prefilter($16, $17, search_now($13::text, $12::text)))::smallint[]))
      AND meeting_time_match(day, start_time, duration_min, timezone, $4, $14, $15, $12, search_now($13::text, $12::text), $16, $17)
)
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
SELECT 'time', w.name, count(*)
FROM matches
JOIN (VALUES ('morning', time '04:00', time '11:59'), ('midday', '11:00', '16:59'),
             ('evening', '16:00', '20:59'), ('night', '20:00', '04:59')) AS w (name, a, b)
  ON CASE WHEN w.a <= w.b THEN start_time BETWEEN w.a AND w.b
          ELSE start_time >= w.a OR start_time <= w.b END
GROUP BY w.name
