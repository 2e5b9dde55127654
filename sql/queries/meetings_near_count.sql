-- How many meetings meetings_near would find without its limit.
SELECT count(*)
FROM meeting_details
WHERE active
  AND ST_DWithin(geog, ST_SetSRID(ST_MakePoint($2, $1), 4326)::geography, $3, false)
  AND ($4::smallint[] IS NULL OR day = ANY ($4))
  AND ($5::text[] IS NULL OR fellowship_slug = ANY ($5))
  AND ($6::text[] IS NULL OR type_codes @> $6)
  AND ($7::text[] IS NULL OR attendance = ANY ($7))
  AND ($8::boolean IS NULL OR for_family = $8)
  AND ($9::boolean IS NULL OR moud = $9)
  AND ($10::text[] IS NULL OR languages && $10)
  AND ($11::text IS NULL OR search_doc @@ websearch_to_tsquery('finder', $11))
