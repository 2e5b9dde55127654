-- Searches by distance read the meeting's own copy of its location's point,
-- so a radius count with day or type filters is one table and its indexes,
-- not a join per meeting. Triggers keep the copy equal to the location's.

ALTER TABLE meetings ADD COLUMN geog geography(Point, 4326);

UPDATE meetings m SET geog = l.geog FROM locations l WHERE l.id = m.location_id;

-- Not partial, so that CLUSTER can order the table by place.
CREATE INDEX meetings_geog_idx ON meetings USING gist (geog);

CREATE FUNCTION meetings_copy_geog() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.geog := (SELECT geog FROM locations WHERE id = NEW.location_id);
    RETURN NEW;
END
$$;

CREATE TRIGGER meetings_copy_geog
    BEFORE INSERT OR UPDATE OF location_id, geog ON meetings
    FOR EACH ROW EXECUTE FUNCTION meetings_copy_geog();

CREATE FUNCTION locations_push_geog() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE meetings SET geog = NEW.geog WHERE location_id = NEW.id;
    RETURN NULL;
END
$$;

CREATE TRIGGER locations_push_geog
    AFTER UPDATE OF geog ON locations
    FOR EACH ROW WHEN (OLD.geog IS DISTINCT FROM NEW.geog)
    EXECUTE FUNCTION locations_push_geog();

CREATE OR REPLACE VIEW meeting_details AS
SELECT m.id,
       m.slug,
       m.name,
       f.slug AS fellowship_slug,
       f.name AS fellowship_name,
       m.day,
       to_char(m.start_time, 'HH24:MI') AS time,
       to_char(m.end_time, 'HH24:MI') AS end_time,
       m.timezone,
       m.attendance,
       array_to_string(m.types, E'\x1f') AS types,
       m.location_id,
       l.name AS location_name,
       l.address,
       l.city,
       l.region,
       l.postal_code,
       l.country,
       ST_Y(l.geog::geometry) AS lat,
       ST_X(l.geog::geometry) AS lng,
       m.conference_url,
       m.conference_phone,
       m.notes,
       m.group_name,
       to_char(m.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS updated,
       m.geog,
       m.types AS type_codes,
       m.start_time,
       m.active,
       m.fellowship_id
FROM meetings m
JOIN fellowships f ON f.id = m.fellowship_id
LEFT JOIN locations l ON l.id = m.location_id;
