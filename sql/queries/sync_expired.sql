-- Synced sources whose listings have not been confirmed for their
-- expire_after at $1 (timestamptz; NULL: now), and are still in search.
-- Columns: slug, confirmed at (ISO 8601 UTC), expire_after (text).
SELECT s.slug,
       to_char(source_confirmed_at(s) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       s.expire_after::text
FROM sources s
WHERE s.url IS NOT NULL AND s.enabled AND s.removed_at IS NULL AND s.expired_at IS NULL
  AND NOT s.demo
  AND source_confirmed_at(s) < coalesce($1::timestamptz, now()) - s.expire_after
ORDER BY s.slug
