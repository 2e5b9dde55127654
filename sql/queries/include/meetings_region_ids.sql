-- The region filter of the meetings searches ($15, as meetings_region.sql),
-- through the ids of the locations the names match (region_location_ids):
-- the form of meetings_all.sql and meetings_facets_all.sql, whose branches
-- read every match in an index's order.
AND ($15::text[] IS NULL
     OR m.location_id = ANY ((SELECT region_location_ids($15::text[]))::bigint[]))
