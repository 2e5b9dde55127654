-- What a steward's webhook receives for the report $1
-- (fcgi/src/reports_deliver.c): the report, what it is about (the feed's
-- own key for it, and its link in the finder under the origin $2, NULL for
-- none) and the source's slug. Never the reporter's contact.
SELECT json_build_object(
    'id', f.id,
    'created_at', to_char(f.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
    'kind', f.kind,
    'message', f.message,
    f.kind, CASE f.kind
        WHEN 'meeting' THEN json_build_object(
            'id', m.id, 'name', m.name, 'source_key', m.source_key,
            'url', $2::text || '/api/v1/meetings/' || m.id)
        ELSE json_build_object(
            'id', v.id, 'name', v.name, 'source_key', v.source_key,
            'url', $2::text || '/api/v1/services/' || v.id) END,
    'source', s.slug)
FROM feedback f
JOIN sources s ON s.id = f.source_id
LEFT JOIN meetings m ON m.id = f.meeting_id
LEFT JOIN hsds.service v ON v.id = f.service_id
WHERE f.id = $1::bigint
