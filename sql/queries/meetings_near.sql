-- Meetings within $3 metres of ($1 lat, $2 lng), nearest first.
-- $4 days smallint[], $5 fellowship slugs text[], $6 type codes text[] (all
-- required), $7 attendance text[], $8 for families (boolean), $9
-- medication-friendly (boolean), $10 languages text[], $11 keywords (web
-- search syntax: all words, "quoted phrases"): NULL means no filter.
-- $12 limit, $13 offset.
-- Distance is the sphere distance that the GiST index orders by, so the
-- order and the distance_km shown always agree.
SELECT id, slug, name, fellowship_slug, fellowship_name, day, time, end_time,
       timezone, attendance, types, location_name, address, city, region,
       postal_code, country, lat, lng, conference_url, conference_phone, notes,
       group_name, updated, language_list,
       round(((geog <-> ST_SetSRID(ST_MakePoint($2, $1), 4326)::geography) / 1000)::numeric, 3) AS distance_km
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
ORDER BY geog <-> ST_SetSRID(ST_MakePoint($2, $1), 4326)::geography, id
LIMIT $12 OFFSET $13
