-- One active meeting by id ($1).
SELECT id, slug, name, fellowship_slug, fellowship_name, day, time, end_time,
       timezone, attendance, types, location_name, address, city, region,
       postal_code, country, lat, lng, conference_url, conference_phone, notes,
       group_name, updated, language_list,
       iso_in_zone(meeting_next_start(day, start_time, timezone, now()), timezone) AS next_start,
       iso_in_zone(meeting_next_start(day, start_time, timezone, now()), timezone) AS local_time, NULL::numeric AS distance_km
FROM meeting_details
WHERE active AND id = $1
