-- The region filter of the meetings searches ($15 region or city names
-- text[], NULL for none), by each meeting's own location: a place matches by
-- any of its Meeting Guide regions or its city, without regard to case or
-- accents (place_keys in sql/migrations/022_region_filter.sql). Spliced
-- after meetings_filter.sql where the walk reads meetings one by one (near a
-- point, soonest first); meetings_region_ids.sql is the form for the
-- searches anywhere that read all the matches.
AND ($15::text[] IS NULL
     OR EXISTS (SELECT 1 FROM locations l
                WHERE l.id = m.location_id
                  AND l.place_keys && place_keys($15::text[])))
