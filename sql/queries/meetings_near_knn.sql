-- meetings_near for a crowded area (the handler picks it when the count is
-- large): the same rows in the same order, found by walking the GiST index
-- outwards from the point and stopping after $19 + $20 matches. The radius is
-- checked as a distance, not with ST_DWithin, so that the planner walks the
-- index instead of collecting every meeting in range. WITH TIES keeps the
-- meetings at the same distance as the last, so the (distance, id) order is
-- the same as meetings_near's. Used only nearest first ($18 false); its
-- parameters are meetings_near's.
SELECT id, slug, name, fellowship_slug, fellowship_name, day, time, end_time,
       timezone, attendance, types, location_name, address, city, region,
       postal_code, country, lat, lng, conference_url, conference_phone, notes,
       group_name, updated, language_list,
       iso_in_zone(meeting_next_start(day, start_time, timezone, search_now($13::text, $12::text)), coalesce($12::text, timezone)) AS next_start,
       iso_in_zone(meeting_next_start(day, start_time, timezone, search_now($13::text, $12::text)), timezone) AS local_time, round((dist / 1000)::numeric, 3) AS distance_km,
       true AS in_window
FROM (
    SELECT *, geog <-> ST_SetSRID(ST_MakePoint($2, $1), 4326)::geography AS dist
    FROM meeting_details
    WHERE active
      AND (geog <-> ST_SetSRID(ST_MakePoint($2, $1), 4326)::geography) <= $3
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
    ORDER BY geog <-> ST_SetSRID(ST_MakePoint($2, $1), 4326)::geography
    FETCH FIRST ($19::bigint + $20::bigint) ROWS WITH TIES
) nearest
ORDER BY CASE WHEN $18::boolean THEN meeting_next_start(day, start_time, timezone, search_now($13::text, $12::text)) END, dist, id
LIMIT $19 OFFSET $20
