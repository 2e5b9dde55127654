-- Keyword search (q): every word must match, a quoted phrase as a phrase,
-- without regard to case or accents, over the meeting's name, group and
-- notes and its location's name, address and city. A text search
-- configuration that unaccents before the simple dictionary (no stemming:
-- the words are names, in many languages), a weighted document per meeting
-- kept by triggers, and a GIN index.

CREATE EXTENSION IF NOT EXISTS unaccent;

CREATE TEXT SEARCH CONFIGURATION finder (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION finder
    ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part
    WITH unaccent, simple;

-- The document of a meeting: name first, then group and place, then notes.
CREATE FUNCTION meeting_search_doc(m meetings) RETURNS tsvector
LANGUAGE sql STABLE AS $$
    SELECT setweight(to_tsvector('finder', coalesce(m.name, '')), 'A')
        || setweight(to_tsvector('finder', coalesce(m.group_name, '')), 'B')
        || setweight(to_tsvector('finder', concat_ws(' ', l.name, l.city)), 'B')
        || setweight(to_tsvector('finder', coalesce(l.address, '')), 'C')
        || setweight(to_tsvector('finder', coalesce(m.notes, '')), 'D')
    FROM (SELECT 1) one
    LEFT JOIN locations l ON l.id = m.location_id
$$;

ALTER TABLE meetings ADD COLUMN search_doc tsvector;
UPDATE meetings m SET search_doc = meeting_search_doc(m);
ALTER TABLE meetings ALTER COLUMN search_doc SET NOT NULL;

CREATE FUNCTION meetings_set_search_doc() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_doc := meeting_search_doc(NEW);
    RETURN NEW;
END
$$;

CREATE TRIGGER meetings_set_search_doc
    BEFORE INSERT OR UPDATE OF name, group_name, notes, location_id, search_doc ON meetings
    FOR EACH ROW EXECUTE FUNCTION meetings_set_search_doc();

CREATE FUNCTION locations_push_search_doc() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE meetings m SET search_doc = meeting_search_doc(m) WHERE m.location_id = NEW.id;
    RETURN NULL;
END
$$;

CREATE TRIGGER locations_push_search_doc
    AFTER UPDATE OF name, address, city ON locations
    FOR EACH ROW EXECUTE FUNCTION locations_push_search_doc();

CREATE INDEX meetings_search_idx ON meetings USING gin (search_doc) WHERE active;

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
       m.fellowship_id,
       (f.audience = 'family'
        OR m.types && (SELECT array_agg(code) FROM meeting_types WHERE family)) AS for_family,
       (f.moud OR 'MOUD' = ANY (m.types)) AS moud,
       m.languages,
       array_to_string(m.languages, E'\x1f') AS language_list,
       m.search_doc
FROM meetings m
JOIN fellowships f ON f.id = m.fellowship_id
LEFT JOIN locations l ON l.id = m.location_id;
