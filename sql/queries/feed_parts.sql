-- What `finder feeds` (fcgi/src/feeds.c) needs to bring the feed's files up
-- to date: every source, in the order the feed of all sources lists them
-- (feed_declare.sql: by source, then by meeting), with a fingerprint of all
-- that its part of the feed is made from. A source whose fingerprint has
-- not moved since its files were written is not read again.
--
-- $1 is the origin the export links meetings to, $2 the text of
-- feed_declare.sql, so that a new export statement changes every
-- fingerprint. As in feed_state.sql, the newest updated_at and the counts
-- move when a meeting is added, changed, deactivated or deleted; the
-- source's contacts_public, the fellowships' slugs and their own type codes
-- change the text without touching a meeting.
SELECT s.id, s.slug,
       md5(concat_ws(E'\x1f',
           extract(epoch FROM a.last_at), a.active, a.total, s.contacts_public,
           r.fellowships, r.codes, $1::text, md5($2::text))) AS tag
FROM sources s
CROSS JOIN (
    SELECT (SELECT string_agg(f.id || '=' || f.slug, ',' ORDER BY f.id) FROM fellowships f)
               AS fellowships,
           (SELECT string_agg(x.fellowship_id || x.feed_code || '=' || x.code, ','
                              ORDER BY x.fellowship_id, x.feed_code)
            FROM fellowship_type_codes x) AS codes
) r
CROSS JOIN LATERAL (
    SELECT max(m.updated_at) AS last_at, count(*) FILTER (WHERE m.active) AS active,
           count(*) AS total
    FROM meetings m
    WHERE m.source_id = s.id
) a
ORDER BY s.id
