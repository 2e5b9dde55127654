-- Claims the next report due for its steward's webhook
-- (fcgi/src/reports_deliver.c): undelivered, open, due, of a source with a
-- webhook, and not of a source in $1 (those whose webhook failed earlier in
-- the pass). The claim is a lease: next_delivery_at moves 5 minutes on, so
-- that no other pass takes the report while it is sent (and SKIP LOCKED
-- passes over one being claimed); the outcome (reports_delivered.sql,
-- reports_failed.sql) sets it again, and a pass cut short leaves the report
-- to be tried when the lease ends. At most one row: the report's id, its
-- source's slug, the webhook's url.
WITH due AS (
    SELECT f.id, w.url
    FROM feedback f
    JOIN source_webhooks w ON w.source_id = f.source_id
    WHERE f.delivered_at IS NULL AND f.source_id IS NOT NULL
      AND f.resolved_at IS NULL
      AND f.next_delivery_at <= now()
      AND f.source_id <> ALL ($1::integer[])
    ORDER BY f.next_delivery_at, f.id
    LIMIT 1
    FOR UPDATE OF f SKIP LOCKED
)
UPDATE feedback f SET next_delivery_at = now() + interval '5 minutes'
FROM due, sources s
WHERE f.id = due.id AND s.id = f.source_id
RETURNING f.id, f.source_id, s.slug, due.url
