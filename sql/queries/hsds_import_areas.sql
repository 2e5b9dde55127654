-- The gazetteer's region or country for each service area given by name
-- only; $1 the areas as JSON, each row numbered by ord (from 1) in the
-- order given.
SELECT ord, country, region, how FROM hsds.import_area_places($1)
