-- One meeting by id ($1), listed or not: a link to a meeting its source
-- has since dropped still finds it, marked so. After the columns every
-- meeting query returns (in_window is not used here), the detail's own:
-- its page at its source, the Meeting Guide notes fields, whether the
-- address is only near, the source, the contacts (NULL unless the source
-- publishes them: see the view), whether it is listed and since when it
-- is not, and the source's name; then whether it is temporarily closed
-- (TC, no online way in: not listed in search, but still by its source),
-- its contribution handles, and its steward as JSON text (NULL when the
-- source gives neither a feedback link nor an address): the source's name,
-- the meeting's feedback_url or else the source's, and the source's
-- address. When the source last confirmed it and whether that is stale are
-- seen at the clock (a detail has no now=).
SELECT id, slug, name, fellowship_slug, fellowship_name, day, time, end_time,
       timezone, attendance, types, location_name, address, city, region,
       postal_code, country, lat, lng, conference_url, conference_phone, notes,
       group_name, updated, language_list,
       iso_in_zone(meeting_next_start(day, start_time, timezone, now()), timezone) AS next_start,
       iso_in_zone(meeting_next_start(day, start_time, timezone, now()), timezone) AS local_time,
       to_char(src.confirmed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS confirmed_at,
       src.stale, NULL::numeric AS distance_km,
       NULL::boolean AS in_window,
       url, location_notes, conference_url_notes, conference_phone_notes, group_notes,
       approximate, source_slug, contacts,
       active,
       (SELECT to_char(m.inactive_since AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
        FROM meetings m WHERE m.id = meeting_details.id) AS inactive_since,
       src.source_name, x.closed, x.venmo, x.paypal, x.square, x.steward
FROM meeting_details
CROSS JOIN LATERAL (SELECT source_confirmed_at(s) AS confirmed_at, source_stale(s, now()) AS stale,
                           s.name AS source_name
                    FROM sources s WHERE s.id = meeting_details.source_id) src
CROSS JOIN LATERAL (
    SELECT m.closed, m.venmo, m.paypal, m.square,
           CASE WHEN coalesce(m.feedback_url, s.feedback_url, s.feedback_email) IS NOT NULL
                THEN json_build_object('name', s.name,
                                       'url', coalesce(m.feedback_url, s.feedback_url),
                                       'email', s.feedback_email)::text END AS steward
    FROM meetings m
    JOIN sources s ON s.id = m.source_id
    WHERE m.id = meeting_details.id
) x
WHERE id = $1
