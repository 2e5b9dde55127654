-- Facets of a search anywhere: as meetings_facets_near, over the meetings
-- that meetings_all_count counts (the same parameters, $1 to $14).
WITH matches AS (
    SELECT fellowship_slug, attendance, day, start_time, type_codes, languages, for_family, moud
    FROM meeting_details
    WHERE active
      AND ($2::text[] IS NULL OR fellowship_slug = ANY ($2))
      AND ($3::text[] IS NULL OR type_codes @> $3)
      AND ($4::text[] IS NULL OR attendance = ANY ($4))
      AND ($5::boolean IS NULL OR for_family = $5)
      AND ($6::boolean IS NULL OR moud = $6)
      AND ($7::text[] IS NULL OR languages && $7)
      AND ($8::text IS NULL OR search_doc @@ websearch_to_tsquery('finder', $8))
      AND ($1::smallint[] IS NULL OR $9::text IS NOT NULL OR day = ANY ((SELECT day_prefilter($1, $9, search_now($10::text, $9::text)))::smallint[]))
      AND ($1::smallint[] IS NULL AND $11::time IS NULL OR $9::text IS NULL OR utc_week_minute = ANY ((SELECT tz_window_prefilter($1, $11::time, $12::time, $9, search_now($10::text, $9::text)))::smallint[]))
      AND ($11::time IS NULL OR $9::text IS NOT NULL OR start_time BETWEEN $11 AND $12 OR ($11 > $12 AND (start_time >= $11 OR start_time <= $12)))
      AND ($13::integer IS NULL AND $14::boolean IS NULL OR utc_week_minute = ANY ((SELECT time_prefilter($13, $14, search_now($10::text, $9::text)))::smallint[]))
      AND meeting_time_match(day, start_time, duration_min, timezone, $1, $11, $12, $9, search_now($10::text, $9::text), $13, $14)
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
