-- Meetings anywhere, by day and time (by-appointment meetings last).
-- $1 days, $2 fellowship slugs, $3 type codes (all required), $4 attendance,
-- $5 for families, $6 medication-friendly, $7 languages: NULL means no
-- filter. $9 limit, $10 offset.
SELECT id, slug, name, fellowship_slug, fellowship_name, day, time, end_time,
       timezone, attendance, types, location_name, address, city, region,
       postal_code, country, lat, lng, conference_url, conference_phone, notes,
       group_name, updated, language_list, NULL::numeric AS distance_km
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
ORDER BY ts_rank_cd(search_doc, websearch_to_tsquery('finder', $8)) DESC,
         day NULLS LAST, start_time, id
LIMIT $9 OFFSET $10
