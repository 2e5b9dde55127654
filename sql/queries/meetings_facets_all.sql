-- Facets of a search anywhere: as meetings_facets_near, over the meetings
-- that meetings_all_count counts (the same parameters, $1 to $8).
WITH matches AS (
    SELECT fellowship_slug, attendance, day, start_time, type_codes
    FROM meeting_details
    WHERE active
      AND ($1::smallint[] IS NULL OR day = ANY ($1))
      AND ($2::text[] IS NULL OR fellowship_slug = ANY ($2))
      AND ($3::text[] IS NULL OR type_codes @> $3)
      AND ($4::text[] IS NULL OR attendance = ANY ($4))
      AND ($5::boolean IS NULL OR for_family = $5)
      AND ($6::boolean IS NULL OR moud = $6)
      AND ($7::text[] IS NULL OR languages && $7)
      AND ($8::text IS NULL OR search_doc @@ websearch_to_tsquery('finder', $8))
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
SELECT 'time', w.name, count(*)
FROM matches
JOIN (VALUES ('morning', time '04:00', time '11:59'), ('midday', '11:00', '16:59'),
             ('evening', '16:00', '20:59'), ('night', '20:00', '04:59')) AS w (name, a, b)
  ON CASE WHEN w.a <= w.b THEN start_time BETWEEN w.a AND w.b
          ELSE start_time >= w.a OR start_time <= w.b END
GROUP BY w.name
