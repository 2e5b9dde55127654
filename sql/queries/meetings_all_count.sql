-- How many meetings meetings_all would find without its limit.
SELECT count(*)
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
