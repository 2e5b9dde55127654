-- Meetings within $3 metres of ($1 lat, $2 lng): nearest first, or soonest
-- first when $18 (sort by next start) is true. $19 limit, $20 offset. $21,
-- minutes or NULL: soonest first, only meetings that may start within that
-- many minutes (in_window tells which surely do): see api_meetings.c.
-- $1 lat, $2 lng, $3 radius in metres; the filters, NULL for none: $4 day
-- codes smallint[] (0-6 Sunday to Saturday, 7 today, 8 tomorrow), $5
-- fellowship slugs text[], $6 type codes text[] (all required), $7
-- attendance text[], $8 for families boolean, $9 medication-friendly
-- boolean, $10 languages text[], $11 keywords (web search syntax: all
-- words, "quoted phrases"), $12 the searcher's zone (days and times are
-- seen in it; NULL: each meeting's own), $13 now (ISO 8601; NULL: the
-- clock), $14..$15 a window of start times, $16 starting within minutes,
-- $17 in progress.
SELECT id, slug, name, fellowship_slug, fellowship_name, day, time, end_time,
       timezone, attendance, types, location_name, address, city, region,
       postal_code, country, lat, lng, conference_url, conference_phone, notes,
       group_name, updated, language_list,
       iso_in_zone(meeting_next_start(day, start_time, timezone, search_now($13::text, $12::text)), coalesce($12::text, timezone)) AS next_start,
       iso_in_zone(meeting_next_start(day, start_time, timezone, search_now($13::text, $12::text)), timezone) AS local_time,
       round(((geog <-> ST_SetSRID(ST_MakePoint($2, $1), 4326)::geography) / 1000)::numeric, 3) AS distance_km,
       ($21::integer IS NULL
        OR meeting_next_start(day, start_time, timezone, search_now($13::text, $12::text))
           <= search_now($13::text, $12::text) + make_interval(mins => $21)) AS in_window
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
  AND ($21::integer IS NULL OR utc_week_minute = ANY ((SELECT utc_week_minutes(search_now($13::text, $12::text), search_now($13::text, $12::text) + make_interval(mins => $21)))::smallint[]))
ORDER BY CASE WHEN $18::boolean THEN meeting_next_start(day, start_time, timezone, search_now($13::text, $12::text)) END,
         geog <-> ST_SetSRID(ST_MakePoint($2, $1), 4326)::geography, id
LIMIT $19 OFFSET $20
