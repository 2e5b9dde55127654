-- The sources a sync pass fetches at $1 (timestamptz; NULL: now): synced,
-- enabled, and due. Columns: slug.
SELECT slug
FROM sources
WHERE url IS NOT NULL AND enabled AND removed_at IS NULL
  AND (next_sync_at IS NULL OR next_sync_at <= coalesce($1::timestamptz, now()))
ORDER BY next_sync_at NULLS FIRST, slug
