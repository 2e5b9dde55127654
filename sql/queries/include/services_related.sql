-- The services searches' filters on other tables ($national and the
-- recovery residences', as services_filter.sql names them), in the form
-- for a search near a point: each candidate's service area and residence
-- looked up by its key (the candidates are a few hundred). $national, any
-- text: only services with an area that is the whole of the country
-- hsds.point_area finds at the point ($lat, $lng of the statement).
-- services_related_ids.sql is the other form. Spliced in after
-- services_filter.sql.
AND ($national::text IS NULL
     OR EXISTS (SELECT FROM hsds.service_area a
                WHERE a.service_id = s.id AND a.region IS NULL AND a.geom IS NULL
                  AND a.country = (SELECT h.country FROM hsds.point_area($lat, $lng) h)))
AND ($narr_level::smallint[] IS NULL AND $gender::text[] IS NULL AND $beds_available::boolean IS NULL
     AND $housing_moud::boolean IS NULL
     OR EXISTS (SELECT FROM hsds.recovery_housing r
                WHERE r.service_id = s.id
                  AND ($narr_level::smallint[] IS NULL OR r.narr_level = ANY ($narr_level))
                  AND ($gender::text[] IS NULL OR r.gender_served = ANY ($gender))
                  AND ($beds_available::boolean IS NULL OR r.beds_available > 0)
                  AND ($housing_moud::boolean IS NULL OR r.moud_allowed = $housing_moud)))
