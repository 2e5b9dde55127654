-- `finder source list`: every source that is not removed, synced or not.
-- Columns: slug, format, url, enabled, status, every (as text), last
-- success, next sync, error, active meetings, listed services, expired_at
-- (times as ISO 8601 UTC), the data's licence, its URL and the attribution
-- (NULL: not stated).
SELECT s.slug, s.format, s.url, s.enabled,
       CASE WHEN s.url IS NULL THEN 'file' WHEN NOT s.enabled THEN 'disabled'
            WHEN s.expired_at IS NOT NULL THEN 'expired' ELSE s.sync_status END,
       s.sync_every::text,
       to_char(s.last_success_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       to_char(s.next_sync_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       s.sync_error,
       (SELECT count(*) FROM meetings m WHERE m.source_id = s.id AND m.active),
       (SELECT count(*) FROM hsds.service sv WHERE sv.source_id = s.id AND sv.listed),
       to_char(s.expired_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       s.license, s.license_url, s.attribution
FROM sources s
WHERE s.removed_at IS NULL
ORDER BY s.slug
