-- `finder source add`: creates or updates a source that is synced from its
-- url. $1 slug, $2 name, $3 format, $4 url, $5 BMLT service bodies
-- (integer[] as text), $6 every (interval), $7 default time zone, $8
-- fellowship slug, $9 default language, $10 max_drop (a fraction), $11
-- stale_after, $12 expire_after, $13 steward's feedback URL, $14 steward's
-- feedback email, $15 the data's licence, $16 its URL, $17 the attribution
-- ('' removes one; a new licence without a URL has none). A NULL keeps
-- what the source has (or the default). A
-- source added again (after remove, or a file import's source given a url)
-- is enabled and due now; a new url forgets the old one's validators.
-- Columns: id, fellowship (slug, NULL when the source has none).
INSERT INTO sources (slug, name, format, url, bmlt_services, sync_every, default_timezone,
                     fellowship_id, default_language, max_drop, stale_after, expire_after,
                     feedback_url, feedback_email, license, license_url, attribution,
                     next_sync_at)
VALUES ($1, coalesce($2, $1), $3, $4, $5::integer[], coalesce($6::interval, interval '6 hours'),
        coalesce($7, 'UTC'), (SELECT id FROM fellowships WHERE slug = $8), coalesce($9, 'en'),
        coalesce($10::real, 0.5), coalesce($11::interval, interval '30 days'),
        coalesce($12::interval, interval '90 days'), $13, $14, nullif($15, ''), nullif($16, ''),
        nullif($17, ''), now())
ON CONFLICT (slug) DO UPDATE
SET name = coalesce($2, sources.name),
    format = EXCLUDED.format,
    url = EXCLUDED.url,
    bmlt_services = coalesce($5::integer[], sources.bmlt_services),
    sync_every = coalesce($6::interval, sources.sync_every, interval '6 hours'),
    default_timezone = coalesce($7, sources.default_timezone),
    fellowship_id = coalesce(EXCLUDED.fellowship_id, sources.fellowship_id),
    default_language = coalesce($9, sources.default_language),
    max_drop = coalesce($10::real, sources.max_drop),
    stale_after = coalesce($11::interval, sources.stale_after),
    expire_after = coalesce($12::interval, sources.expire_after),
    feedback_url = coalesce($13, sources.feedback_url),
    feedback_email = coalesce($14, sources.feedback_email),
    license = CASE WHEN $15::text IS NULL THEN sources.license ELSE nullif($15, '') END,
    license_url = CASE WHEN $16::text IS NOT NULL THEN nullif($16, '')
                       WHEN $15::text IS NOT NULL THEN NULL ELSE sources.license_url END,
    attribution = CASE WHEN $17::text IS NULL THEN sources.attribution ELSE nullif($17, '') END,
    enabled = true,
    removed_at = NULL,
    next_sync_at = now(),
    failures = 0,
    etag = CASE WHEN sources.url IS DISTINCT FROM EXCLUDED.url THEN NULL ELSE sources.etag END,
    last_modified = CASE WHEN sources.url IS DISTINCT FROM EXCLUDED.url THEN NULL
                         ELSE sources.last_modified END,
    body_digest = CASE WHEN sources.url IS DISTINCT FROM EXCLUDED.url THEN NULL
                       ELSE sources.body_digest END,
    sync_status = CASE WHEN sources.sync_status = 'disabled' THEN 'new' ELSE sources.sync_status END
WHERE NOT sources.demo
RETURNING id, (SELECT f.slug FROM fellowships f WHERE f.id = sources.fellowship_id)
