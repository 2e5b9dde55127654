-- meetings_near for a crowded area (the handler picks it when the count is
-- large): the same rows in the same order, found by walking the GiST index
-- outwards from the point and stopping after $12 + $13 matches. The radius is
-- checked as a distance, not with ST_DWithin, so that the planner walks the
-- index instead of collecting every meeting in range. WITH TIES keeps the
-- meetings at the same distance as the last, so the (distance, id) order is
-- the same as meetings_near's.
SELECT id, slug, name, fellowship_slug, fellowship_name, day, time, end_time,
       timezone, attendance, types, location_name, address, city, region,
       postal_code, country, lat, lng, conference_url, conference_phone, notes,
       group_name, updated, language_list, round((dist / 1000)::numeric, 3) AS distance_km
FROM (
    SELECT *, geog <-> ST_SetSRID(ST_MakePoint($2, $1), 4326)::geography AS dist
    FROM meeting_details
    WHERE active
      AND (geog <-> ST_SetSRID(ST_MakePoint($2, $1), 4326)::geography) <= $3
      AND ($4::smallint[] IS NULL OR day = ANY ($4))
      AND ($5::text[] IS NULL OR fellowship_slug = ANY ($5))
      AND ($6::text[] IS NULL OR type_codes @> $6)
      AND ($7::text[] IS NULL OR attendance = ANY ($7))
      AND ($8::boolean IS NULL OR for_family = $8)
      AND ($9::boolean IS NULL OR moud = $9)
      AND ($10::text[] IS NULL OR languages && $10)
      AND ($11::text IS NULL OR search_doc @@ websearch_to_tsquery('finder', $11))
    ORDER BY geog <-> ST_SetSRID(ST_MakePoint($2, $1), 4326)::geography
    FETCH FIRST ($12::bigint + $13::bigint) ROWS WITH TIES
) nearest
ORDER BY dist, id
LIMIT $12 OFFSET $13
