-- The other active meetings at the location of meeting $1, by day and time,
-- for GET /api/v1/meetings/{id}. Online-only meetings have no place to
-- share (some feeds give them the group's address): none.
SELECT o.id, o.slug, o.name, f.slug AS fellowship_slug, o.day,
       to_char(o.start_time, 'HH24:MI') AS time, to_char(o.end_time, 'HH24:MI') AS end_time
FROM meetings m
JOIN meetings o ON o.location_id = m.location_id AND o.id <> m.id AND o.active
JOIN fellowships f ON f.id = o.fellowship_id
WHERE m.id = $1 AND m.attendance <> 'online'
ORDER BY o.day NULLS LAST, o.start_time, o.id
LIMIT 100
