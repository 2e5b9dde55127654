-- The meeting rows into the staging table import_begin() made, in COPY's
-- text format. The columns are in the order import_copy.c writes them:
-- the row number, the key, the slug, the two digests, then the meeting's
-- fields and its place's fields. Change one, change both.
COPY import_rows (row, key, slug, hash, loc_key,
                  name, day, start_time, end_time, timezone, attendance, closed, types, fellowship,
                  notes, group_name, group_notes, conference_url, conference_url_notes,
                  conference_phone, conference_phone_notes, url, feedback_url, venmo, paypal, square,
                  source_updated, contacts,
                  location_name, location_notes, address, city, region, postal_code, country,
                  formatted_address, regions, lat, lng, approximate)
FROM STDIN
