-- One source as the sync fetches it, $1 slug. Columns: id, format, url,
-- BMLT service bodies (comma-separated), etag, last_modified, body_digest,
-- expired (its listings were withdrawn: the next good fetch is imported
-- whatever its validators), drop_confirmed, max_drop (whole percent),
-- enabled, removed.
SELECT id, format, url, array_to_string(bmlt_services, ','), etag, last_modified, body_digest,
       expired_at IS NOT NULL, drop_confirmed, round(max_drop * 100)::integer, enabled,
       removed_at IS NOT NULL
FROM sources
WHERE slug = $1 AND NOT demo
