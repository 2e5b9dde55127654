-- The meetings searches' region filter ($region, as meetings_region.sql)
-- through the ids of the locations the names match (region_location_ids in
-- sql/views/20_places.sql), which the index of the meetings' places then
-- finds: the form of meetings_all.sql and meetings_facets_all.sql, whose
-- candidates in a small region are its meetings alone.
AND ($region::text[] IS NULL
     OR m.location_id = ANY ((SELECT region_location_ids($region::text[]))::bigint[]))
