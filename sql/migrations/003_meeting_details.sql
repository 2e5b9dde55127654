-- The shape the API reads meetings in: one row a meeting with its
-- fellowship and place, in the text forms the JSON carries. The planner
-- flattens the view, so filters on geog and the meeting columns still use
-- their indexes.

CREATE VIEW meeting_details AS
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
       -- Codes joined with the unit separator, which no code contains.
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
       l.geog,
       m.types AS type_codes,
       m.start_time,
       m.active
FROM meetings m
JOIN fellowships f ON f.id = m.fellowship_id
LEFT JOIN locations l ON l.id = m.location_id;
