-- The Meeting Guide feed of the active meetings, as a cursor the handler
-- reads in chunks (feed_fetch.sql) inside one read-only transaction: one row
-- a meeting, its JSON object as text. Keys come in the Meeting Guide order;
-- NULL, empty strings and empty arrays are left out.
--
-- The filters are feed_state.sql's: $1 a source slug, $2 fellowship slugs
-- text[], $3 a region or city (any of the place's regions, or its city,
-- accents and case aside), each NULL for none. $4 is the finder's origin
-- ("http://host:port") or NULL: a meeting without a page at its source links
-- to its record in this API instead. $5 says which slugs: true, the
-- meeting's key in its source (unique there: the handler's feed of one
-- source); false, the finder's own slug (unique overall: every other feed,
-- and the parts of the feed of all sources that `finder feeds` writes one
-- source at a time).
--
-- The order is by source, then by meeting (meetings_source_order_idx), so
-- that the feed of all sources is the sources' parts one after another:
-- fcgi/src/feeds.c joins them, and the files it writes are byte for byte
-- what this statement gives.
--
-- `types` are the codes as the meeting's fellowship writes them
-- (export_type_codes). `attendance_option` is the 12 Step Meeting List
-- plugin's field; `fellowship` (a slug of /api/v1/fellowships) is this
-- finder's, which `finder import` reads back. Contacts (contact_1_name and so on, as the source gave
-- them) follow the other keys only when the view publishes them, that is
-- when the source's contacts_public; a key the object already has is never
-- taken from them. `updated` is the source's own when it gave one (so that a
-- feed read back says what it said), else when the finder last wrote it.
--
-- Meetings whose place is temporarily closed and that have no online way
-- in (closed: in no search) are published too, with TC among their types
-- and `attendance_option` "inactive", the 12 Step Meeting List plugin's
-- word for them. An online meeting that has a place with a street, not
-- said to be approximate, gets TC as well: consumers take a link or a
-- phone at a real address for a meeting held there too (hybrid), so TC
-- says the place is not where it meets; one whose place is approximate
-- says so ("approximate": "yes"). `approximate` is left out when the
-- source did not say. A point the gazetteer gave (the centre of a ZIP
-- code or a town) is left out: consumers place the address themselves.
-- The steward's `feedback_url` and the contribution
-- handles are published as the feed gave them.
DECLARE feed_cursor NO SCROLL CURSOR FOR
SELECT CASE WHEN d.contacts IS NULL OR jsonb_typeof(d.contacts) <> 'object' THEN o.obj
            ELSE left(o.obj, -1) || coalesce(
                (SELECT string_agg(',' || to_json(c.key)::text || ':' || c.value::text, ''
                                   ORDER BY c.key)
                 FROM jsonb_each(d.contacts) AS c
                 WHERE jsonb_typeof(c.value) <> 'null'
                   AND c.key <> ALL (ARRAY[
                       'name', 'slug', 'day', 'time', 'end_time', 'timezone', 'types',
                       'location', 'location_notes', 'formatted_address', 'address', 'city',
                       'state', 'postal_code', 'country', 'regions', 'approximate', 'latitude',
                       'longitude', 'conference_url', 'conference_url_notes',
                       'conference_phone', 'conference_phone_notes', 'notes', 'group',
                       'group_notes', 'updated', 'url', 'feedback_url', 'venmo', 'paypal',
                       'square', 'attendance_option', 'fellowship'])), '') || '}'
       END
FROM meeting_details d
JOIN meetings mt ON mt.id = d.id
-- A lateral subquery, so that PostgreSQL memoizes it: there are far fewer
-- lists of codes than meetings, and translating one costs.
CROSS JOIN LATERAL (
    SELECT export_type_codes(d.type_codes, d.fellowship_id) AS codes OFFSET 0
) c
-- The codes with TC where the place is not where the meeting is (above),
-- in order; outside the memoized subquery, which would not be memoized
-- with more keys.
CROSS JOIN LATERAL (
    SELECT CASE WHEN (mt.closed OR (d.attendance = 'online' AND d.location_id IS NOT NULL
                                    AND d.approximate IS NOT TRUE))
                     AND NOT 'TC' = ANY (c.codes)
                THEN ARRAY(SELECT t FROM unnest(c.codes || 'TC'::text) AS t ORDER BY t)
                ELSE c.codes END AS codes
) tc
CROSS JOIN LATERAL (
    SELECT json_strip_nulls(json_build_object(
        'name', d.name,
        'slug', CASE WHEN $5::boolean THEN d.source_key ELSE d.slug END,
        'day', d.day,
        'time', d.time,
        'end_time', d.end_time,
        'timezone', d.timezone,
        'types', nullif(tc.codes, '{}'),
        'location', nullif(d.location_name, ''),
        'location_notes', nullif(d.location_notes, ''),
        'formatted_address', coalesce(nullif(d.formatted_address, ''), nullif(concat_ws(', ',
            nullif(d.address, ''), nullif(d.city, ''),
            nullif(concat_ws(' ', nullif(d.region, ''), nullif(d.postal_code, '')), ''),
            nullif(d.country, '')), '')),
        'address', nullif(d.address, ''),
        'city', nullif(d.city, ''),
        'state', nullif(d.region, ''),
        'postal_code', nullif(d.postal_code, ''),
        'country', nullif(d.country, ''),
        'regions', nullif(d.regions, '{}'),
        'approximate', CASE d.approximate WHEN true THEN 'yes' WHEN false THEN 'no' END,
        'latitude', CASE WHEN d.geocoded IS DISTINCT FROM 'zip' AND d.geocoded IS DISTINCT FROM 'city'
                         THEN trim_scale(round(d.lat::numeric, 5)) END,
        'longitude', CASE WHEN d.geocoded IS DISTINCT FROM 'zip' AND d.geocoded IS DISTINCT FROM 'city'
                          THEN trim_scale(round(d.lng::numeric, 5)) END,
        'conference_url', nullif(d.conference_url, ''),
        'conference_url_notes', nullif(d.conference_url_notes, ''),
        'conference_phone', nullif(d.conference_phone, ''),
        'conference_phone_notes', nullif(d.conference_phone_notes, ''),
        'notes', nullif(d.notes, ''),
        'group', nullif(d.group_name, ''),
        'group_notes', nullif(d.group_notes, ''),
        'updated', to_char(coalesce(d.source_updated, d.updated_at) AT TIME ZONE 'UTC',
                           'YYYY-MM-DD HH24:MI:SS'),
        'url', coalesce(nullif(d.url, ''), $4::text || '/api/v1/meetings/' || d.id),
        'feedback_url', mt.feedback_url,
        'venmo', mt.venmo,
        'paypal', mt.paypal,
        'square', mt.square,
        'attendance_option', CASE WHEN mt.closed THEN 'inactive' ELSE d.attendance END,
        'fellowship', d.fellowship_slug))::text AS obj
) o
WHERE (d.active OR mt.closed)
  AND ($1::text IS NULL OR d.source_id = (SELECT s.id FROM sources s WHERE s.slug = $1))
  AND ($2::text[] IS NULL OR d.fellowship_slug = ANY ($2))
  AND ($3::text IS NULL OR place_key(d.city) = place_key($3)
       OR EXISTS (SELECT 1 FROM unnest(d.regions) AS r WHERE place_key(r) = place_key($3)))
ORDER BY d.source_id, d.id
