-- One attempt of the sync, recorded, and the source's state moved on. $1
-- source id, $2 started, $3 outcome (changed, unchanged, held, failed), $4
-- HTTP status, $5 bytes, $6 error, $7 report (jsonb), $8 ETag, $9
-- Last-Modified, $10 body digest, $11 finished (the pass's clock). A good
-- answer (changed or unchanged) confirms the listings; a 200 that was
-- applied keeps its validators (a 304 keeps the old ones). A failure puts
-- the next attempt off 2^failures minutes, at most sync_every. Columns:
-- next sync (ISO 8601 UTC).
WITH attempt AS (
    INSERT INTO source_attempts (source_id, started_at, finished_at, outcome, http_status,
                                 bytes, error, report)
    VALUES ($1, $2::timestamptz, $11::timestamptz, $3, $4::integer, $5::bigint, $6,
            $7::jsonb)
)
UPDATE sources s
SET last_check_at = $11::timestamptz,
    last_success_at = CASE WHEN $3 IN ('changed', 'unchanged') THEN $11::timestamptz
                           ELSE s.last_success_at END,
    last_change_at = CASE WHEN $3 = 'changed' THEN $11::timestamptz ELSE s.last_change_at END,
    etag = CASE WHEN $3 IN ('changed', 'unchanged') AND $4::integer = 200 THEN $8
                ELSE s.etag END,
    last_modified = CASE WHEN $3 IN ('changed', 'unchanged') AND $4::integer = 200 THEN $9
                         ELSE s.last_modified END,
    body_digest = CASE WHEN $3 IN ('changed', 'unchanged') AND $4::integer = 200 THEN $10
                       ELSE s.body_digest END,
    sync_status = CASE WHEN $3 IN ('changed', 'unchanged') THEN 'ok'
                       WHEN s.expired_at IS NOT NULL THEN 'expired'
                       ELSE $3 END,
    sync_error = CASE WHEN $3 IN ('changed', 'unchanged') THEN NULL ELSE $6 END,
    failures = CASE WHEN $3 = 'failed' THEN s.failures + 1 ELSE 0 END,
    drop_confirmed = CASE WHEN $3 = 'changed' THEN false ELSE s.drop_confirmed END,
    expired_at = CASE WHEN $3 IN ('changed', 'unchanged') THEN NULL ELSE s.expired_at END,
    next_sync_at = $11::timestamptz +
        CASE WHEN $3 = 'failed'
             THEN least(coalesce(s.sync_every, interval '6 hours'),
                        interval '1 minute' * power(2, least(s.failures, 20)))
             ELSE coalesce(s.sync_every, interval '6 hours') END
WHERE s.id = $1
RETURNING to_char(s.next_sync_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
