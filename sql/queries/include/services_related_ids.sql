-- The services searches' filters on other tables ($national and the
-- recovery residences', as services_related.sql), in the form for a search
-- anywhere: the ids of the services they let through read whole, then the
-- services looked up by id. $national: '*' any country, or an ISO 3166-1
-- code: only services with an area that is a whole country (that country)
-- (a few in a hundred, read through their partial index); the recovery
-- residences are a fifth of the services at most. Spliced in after
-- services_filter.sql.
AND ($national::text IS NULL
     OR s.id = ANY (ARRAY(SELECT a.service_id FROM hsds.service_area a
                          WHERE a.country IS NOT NULL AND a.region IS NULL
                            AND a.geom IS NULL
                            AND ($national::text = '*' OR a.country = $national::text))))
AND ($narr_level::smallint[] IS NULL AND $gender::text[] IS NULL AND $beds_available::boolean IS NULL
     AND $housing_moud::boolean IS NULL
     OR s.id = ANY (ARRAY(SELECT r.service_id FROM hsds.recovery_housing r
                          WHERE ($narr_level::smallint[] IS NULL OR r.narr_level = ANY ($narr_level))
                            AND ($gender::text[] IS NULL OR r.gender_served = ANY ($gender))
                            AND ($beds_available::boolean IS NULL OR r.beds_available > 0)
                            AND ($housing_moud::boolean IS NULL OR r.moud_allowed = $housing_moud))))
