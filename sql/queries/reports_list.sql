-- The reports `finder reports` lists (fcgi/src/reports.c), newest first: of
-- the source whose slug is $1 (NULL: every source), made at or after $2
-- (NULL: ever), the open ones only unless $3. Times in UTC, ISO 8601. The
-- contact is here: the listing is for the people who run the finder, and
-- never leaves it. delivery is the state of the steward's copy: delivered;
-- pending (not tried yet); retrying (tried and failed, tried again at
-- next_delivery_at); gave_up (failed 12 times: reports_failed.sql);
-- no_webhook (its source has none); no_source; not_sent (resolved before it
-- was delivered). next_delivery_at is when the next attempt is due, for the
-- pending and retrying ones only. json is the whole row, for --format json.
WITH r AS (
    SELECT f.id, f.kind, f.message, f.contact, f.delivery_attempts, f.delivery_error,
           coalesce(f.meeting_id::text, f.service_id::text) AS target_id,
           CASE f.kind WHEN 'meeting' THEN to_json(f.meeting_id)
                       ELSE to_json(f.service_id) END AS target_json,
           coalesce(m.name, v.name) AS target_name,
           s.slug AS source,
           CASE
               WHEN f.delivered_at IS NOT NULL THEN 'delivered'
               WHEN f.source_id IS NULL THEN 'no_source'
               WHEN f.resolved_at IS NOT NULL THEN 'not_sent'
               WHEN f.delivery_attempts > 0 AND f.next_delivery_at IS NULL THEN 'gave_up'
               WHEN w.source_id IS NULL THEN 'no_webhook'
               WHEN f.delivery_attempts > 0 THEN 'retrying'
               ELSE 'pending'
           END AS delivery,
           to_char(f.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS created_at,
           to_char(f.resolved_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS resolved_at,
           to_char(f.delivered_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS delivered_at,
           to_char(f.next_delivery_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
               AS next_delivery_at,
           f.created_at AS created
    FROM feedback f
    LEFT JOIN sources s ON s.id = f.source_id
    LEFT JOIN meetings m ON m.id = f.meeting_id
    LEFT JOIN hsds.service v ON v.id = f.service_id
    LEFT JOIN source_webhooks w ON w.source_id = f.source_id
    WHERE ($1::text IS NULL OR s.slug = $1::text)
      AND ($2::timestamptz IS NULL OR f.created_at >= $2::timestamptz)
      AND ($3::boolean OR f.resolved_at IS NULL)
)
SELECT id, created_at, kind, target_id, target_name, source, message, contact, resolved_at,
       delivery, delivered_at, delivery_attempts, next_attempt_at AS next_delivery_at,
       delivery_error,
       json_build_object(
           'id', id, 'created_at', created_at, 'kind', kind,
           kind, json_build_object('id', target_json, 'name', target_name),
           'source', source, 'message', message, 'contact', contact,
           'resolved_at', resolved_at,
           'delivery', json_build_object(
               'state', delivery, 'delivered_at', delivered_at,
               'attempts', delivery_attempts, 'next_attempt_at', next_attempt_at,
               'error', delivery_error)) AS json
FROM r, LATERAL (SELECT CASE WHEN delivery IN ('pending', 'retrying')
                            THEN next_delivery_at END AS next_attempt_at) n
ORDER BY created DESC, id DESC
