-- One active meeting ($1) as a calendar needs it: its next start as local
-- date-time in its zone, the weekday of the weekly rule, the zone's
-- VTIMEZONE, and the text fields. No row for an
-- unknown id; day NULL for a meeting by appointment, which has no schedule.
SELECT id, slug, name, fellowship_name, day, timezone, duration_min,
       to_char(meeting_next_start(day, start_time, timezone, now()) AT TIME ZONE timezone,
               'YYYYMMDD"T"HH24MISS') AS dtstart,
       (ARRAY['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'])[day + 1] AS byday,
       -- The rules as of the year before, so the observances begin before
       -- the first occurrence.
       ics_vtimezone(timezone, extract(year FROM meeting_next_start(day, start_time, timezone,
                                                                     now()))::integer - 1)
           AS vtimezone,
       -- An online meeting's place is its link: a street address would send
       -- people to a building the meeting is not in.
       CASE WHEN attendance <> 'online'
            THEN concat_ws(', ', location_name, address, city, region, postal_code, country) END AS place,
       conference_url, conference_phone, notes,
       to_char((SELECT updated_at FROM meetings m WHERE m.id = d.id) AT TIME ZONE 'UTC',
               'YYYYMMDD"T"HH24MISS"Z"') AS dtstamp
FROM meeting_details d
WHERE active AND id = $1
