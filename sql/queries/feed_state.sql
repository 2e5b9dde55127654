-- What GET /api/v1/feeds/meeting-guide.json needs before it exports: whether
-- the filters name a source and fellowships that exist, and the validators
-- of the selection, cheap next to the export itself. The filters are
-- feed_declare.sql's: $1 a source slug, $2 fellowship slugs text[], $3 a
-- region or city (accents and case aside), each NULL for none; $4 the
-- origin the export links meetings to (it is part of the body).
--
-- The selection counts inactive meetings too: deactivating a meeting sets
-- its updated_at, so max(updated_at) moves when a meeting leaves the feed,
-- and the counts move when one is deleted. The sources' contacts_public
-- decides whether contacts are published and has no time of its own, so it
-- is part of the tag (not of Last-Modified). The tag also holds the
-- filters, normalised, and the origin.
SELECT ($1::text IS NOT NULL AND NOT EXISTS (SELECT 1 FROM sources WHERE slug = $1))
           AS unknown_source,
       (SELECT u.s FROM unnest($2::text[]) WITH ORDINALITY AS u (s, i)
        WHERE NOT EXISTS (SELECT 1 FROM fellowships f WHERE f.slug = u.s)
        ORDER BY u.i LIMIT 1) AS unknown_fellowship,
       'W/"' || md5(concat_ws(E'\x1f',
           extract(epoch FROM a.last_at), a.active, a.total,
           (SELECT string_agg(s.id || ':' || s.contacts_public, ',' ORDER BY s.id) FROM sources s),
           (SELECT string_agg(x.fellowship_id || x.feed_code || '=' || x.code, ','
                              ORDER BY x.fellowship_id, x.feed_code)
            FROM fellowship_type_codes x),
           $1::text,
           (SELECT array_agg(DISTINCT s ORDER BY s) FROM unnest($2::text[]) AS s)::text,
           place_key($3::text),
           $4::text)) || '"' AS etag,
       to_char(a.last_at AT TIME ZONE 'UTC', 'Dy, DD Mon YYYY HH24:MI:SS "GMT"') AS last_modified,
       extract(epoch FROM date_trunc('second', a.last_at))::bigint AS last_modified_epoch
FROM (
    SELECT max(d.updated_at) AS last_at, count(*) FILTER (WHERE d.active) AS active,
           count(*) AS total
    FROM meeting_details d
    WHERE ($1::text IS NULL OR d.source_id = (SELECT s.id FROM sources s WHERE s.slug = $1))
      AND ($2::text[] IS NULL OR d.fellowship_slug = ANY ($2))
      AND ($3::text IS NULL OR place_key(d.city) = place_key($3)
           OR EXISTS (SELECT 1 FROM unnest(d.regions) AS r WHERE place_key(r) = place_key($3)))
) a
