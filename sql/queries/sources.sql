-- Every source, by slug (GET /api/v1/sources): what it is, its active
-- meetings and listed services, and its last import's report (sources.last_import, written by
-- import_apply; `imported` false when it was never imported). A count the
-- report lacks, or that is not a number, is NULL. Then the sync's state: the
-- url (NULL: imported from files), status ('file' for those; else new, ok,
-- failed, held, disabled or expired), its error, the times of the last
-- check, change and success, the next sync, when the listings expired, and
-- whether they are stale (not confirmed for the source's stale_after).
-- Last, the terms of the source's data: its licence, the licence's URL and
-- whom to credit (NULL: not stated). Removed sources are left out.
SELECT s.slug, s.name, s.format, f.slug AS fellowship, s.default_timezone, s.demo,
       s.contacts_public,
       (SELECT count(*) FROM meetings m WHERE m.source_id = s.id AND m.active) AS meetings,
       (SELECT count(*) FROM hsds.service sv WHERE sv.source_id = s.id AND sv.listed) AS services,
       to_char(s.last_import_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS last_import_at,
       coalesce(jsonb_typeof(s.last_import) = 'object', false) AS imported,
       r.inserted, r.updated, r.unchanged, r.deactivated, r.rejected, r.unmapped, r.geocoded,
       r.warnings, r.rows, r.seconds,
       s.url,
       CASE WHEN s.url IS NULL THEN 'file' WHEN NOT s.enabled THEN 'disabled'
            WHEN s.expired_at IS NOT NULL THEN 'expired' ELSE s.sync_status END AS status,
       s.sync_error,
       to_char(s.last_check_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       to_char(s.last_change_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       to_char(s.last_success_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       to_char(s.next_sync_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       to_char(s.expired_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       coalesce(source_confirmed_at(s) < now() - s.stale_after, false) AS stale,
       s.license, s.license_url, s.attribution
FROM sources s
LEFT JOIN fellowships f ON f.id = s.fellowship_id
LEFT JOIN LATERAL jsonb_to_record(
    (SELECT jsonb_object_agg(e.key, e.value) FROM jsonb_each(s.last_import) AS e
     WHERE jsonb_typeof(s.last_import) = 'object' AND jsonb_typeof(e.value) = 'number'))
    AS r (inserted numeric, updated numeric, unchanged numeric, deactivated numeric,
          rejected numeric, unmapped numeric, geocoded numeric, warnings numeric,
          rows numeric, seconds numeric) ON true
WHERE s.removed_at IS NULL
ORDER BY s.slug
