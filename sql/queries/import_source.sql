-- The source `finder import` writes to, created on its first import and
-- updated from the command's options: $1 slug, $2 name, $3 format, $4
-- default time zone, $5 fellowship slug, $6 default language, $7 whether
-- its contacts are public ('true'/'false'), $8 its steward's feedback URL
-- and $9 feedback address, $10 the data's licence, $11 its URL and $12
-- whom to credit ('' removes one; a new licence without a URL has none).
-- A NULL option keeps what the source has. The row is locked until the import commits, so two imports
-- of one source run one after the other. Columns: id, default_timezone,
-- fellowship (slug), demo.
INSERT INTO sources (slug, name, format, default_timezone, fellowship_id, default_language,
                     contacts_public, feedback_url, feedback_email, license, license_url,
                     attribution)
VALUES ($1, coalesce($2, $1), $3, coalesce($4, 'UTC'), (SELECT id FROM fellowships WHERE slug = $5),
        coalesce($6, 'en'), coalesce($7::boolean, false), nullif($8, ''), nullif($9, ''),
        nullif($10, ''), nullif($11, ''), nullif($12, ''))
ON CONFLICT (slug) DO UPDATE
SET name = coalesce($2, sources.name),
    format = EXCLUDED.format,
    default_timezone = coalesce($4, sources.default_timezone),
    fellowship_id = coalesce(EXCLUDED.fellowship_id, sources.fellowship_id),
    default_language = coalesce($6, sources.default_language),
    contacts_public = coalesce($7::boolean, sources.contacts_public),
    feedback_url = CASE WHEN $8::text IS NULL THEN sources.feedback_url ELSE nullif($8, '') END,
    feedback_email = CASE WHEN $9::text IS NULL THEN sources.feedback_email
                          ELSE nullif($9, '') END,
    license = CASE WHEN $10::text IS NULL THEN sources.license ELSE nullif($10, '') END,
    license_url = CASE WHEN $11::text IS NOT NULL THEN nullif($11, '')
                       WHEN $10::text IS NOT NULL THEN NULL ELSE sources.license_url END,
    attribution = CASE WHEN $12::text IS NULL THEN sources.attribution
                       ELSE nullif($12, '') END
WHERE NOT sources.demo
RETURNING id, default_timezone, (SELECT f.slug FROM fellowships f WHERE f.id = fellowship_id),
          demo
