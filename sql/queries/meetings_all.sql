-- Meetings anywhere: soonest first when $15 (sort by next start) is true,
-- else meetings whose name has the keywords first, then by day and time
-- (by-appointment meetings last). $16 limit, $17 offset. $18, minutes or NULL: soonest
-- first, only meetings that may start within that many minutes (in_window
-- tells which surely do): see api_meetings.c.
-- The filters, NULL for none: $1 day codes smallint[] (0-6 Sunday to
-- Saturday, 7 today, 8 tomorrow), $2 fellowship slugs text[], $3 type codes
-- text[] (all required), $4 attendance text[], $5 for families boolean, $6
-- medication-friendly boolean, $7 languages text[], $8 keywords (web search
-- syntax: all words, "quoted phrases"), $9 the searcher's zone (days and
-- times are seen in it; NULL: each meeting's own), $10 now (ISO 8601; NULL:
-- the clock), $11..$12 a window of start times, $13 starting within
-- minutes, $14 in progress.
SELECT id, slug, name, fellowship_slug, fellowship_name, day, time, end_time,
       timezone, attendance, types, location_name, address, city, region,
       postal_code, country, lat, lng, conference_url, conference_phone, notes,
       group_name, updated, language_list,
       iso_in_zone(meeting_next_start(day, start_time, timezone, search_now($10::text, $9::text)), coalesce($9::text, timezone)) AS next_start,
       iso_in_zone(meeting_next_start(day, start_time, timezone, search_now($10::text, $9::text)), timezone) AS local_time, NULL::numeric AS distance_km,
       ($18::integer IS NULL
        OR meeting_next_start(day, start_time, timezone, search_now($10::text, $9::text))
           <= search_now($10::text, $9::text) + make_interval(mins => $18)) AS in_window
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
  AND ($18::integer IS NULL OR utc_week_minute = ANY ((SELECT utc_week_minutes(search_now($10::text, $9::text), search_now($10::text, $9::text) + make_interval(mins => $18)))::smallint[]))
ORDER BY CASE WHEN $15::boolean THEN meeting_next_start(day, start_time, timezone, search_now($10::text, $9::text)) END,
         search_doc @@ (SELECT name_query($8)) DESC,
         day NULLS LAST, start_time, id
LIMIT $16 OFFSET $17
