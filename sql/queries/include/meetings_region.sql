-- The meetings searches' region filter: $region region or city names text[],
-- NULL for none. A meeting matches by its location's place keys: any of
-- its Meeting Guide regions or its city, without regard to case or accents
-- (place_keys in sql/views/20_places.sql). The form for a walk that reads
-- meetings one by one (near a point, soonest first); meetings_region_ids.sql
-- is the other form. Spliced in after meetings_filter.sql.
AND ($region::text[] IS NULL
     OR EXISTS (SELECT 1 FROM locations l
                WHERE l.id = m.location_id
                  AND l.place_keys && place_keys($region::text[])))
