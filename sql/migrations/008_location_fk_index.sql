-- The index on meetings.location_id covered active meetings only, so the
-- foreign-key check behind deleting a location could not use it and read
-- the whole meetings table; an importer that drops unused locations needs
-- it whole.
DROP INDEX meetings_location_idx;
CREATE INDEX meetings_location_idx ON meetings (location_id);
