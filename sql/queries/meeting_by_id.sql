-- One active meeting by id ($1).
SELECT id, slug, name, fellowship_slug, fellowship_name, day, time, end_time,
       timezone, attendance, types, location_name, address, city, region,
       postal_code, country, lat, lng, conference_url, conference_phone, notes,
       group_name, updated, language_list, NULL::numeric AS distance_km
FROM meeting_details
WHERE active AND id = $1
