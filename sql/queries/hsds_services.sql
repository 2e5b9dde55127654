-- GET /api/v1/hsds/services: one page of the listed services, by id, and
-- how many match in all. $1 search (web-search keywords over search_doc),
-- $2 taxonomy_term_id, $3 taxonomy_id (services with an attribute of that
-- term, or of any term of that taxonomy), $4 organization_id,
-- $5 modified_after (against updated_at: when the finder last wrote the
-- service), each NULL for no filter; $6 per_page, $7 offset, $8 't' for
-- full services ('f': the list's summaries). One row: total and contents,
-- the page as a JSON array (sql/migrations/014_hsds_export.sql).
-- The matches are found once, then counted and cut: inlined into both, the
-- filters ran twice, and a deep page sorted every match again (at 100,000
-- services, a taxonomy matching all: 270 ms against 440; the last page: 80
-- ms against 225).
WITH m AS MATERIALIZED (
    SELECT s.id
    FROM hsds.service s
    WHERE s.listed
      AND ($1::text IS NULL OR s.search_doc @@ websearch_to_tsquery('finder', $1))
      AND ($2::uuid IS NULL OR s.id IN (SELECT a.link_id FROM hsds.attribute a
                                        WHERE a.taxonomy_term_id = $2
                                          AND a.link_entity = 'service'))
      AND ($3::uuid IS NULL OR s.id IN (SELECT a.link_id FROM hsds.attribute a
                                        JOIN hsds.taxonomy_term t ON t.id = a.taxonomy_term_id
                                        WHERE t.taxonomy_id = $3
                                          AND a.link_entity = 'service'))
      AND ($4::uuid IS NULL OR s.organization_id = $4)
      AND ($5::timestamptz IS NULL OR s.updated_at >= $5)
)
SELECT (SELECT count(*) FROM m) AS total,
       (SELECT coalesce(json_agg(CASE WHEN $8::boolean THEN hsds.service_json(s.id)
                                      ELSE hsds.service_summary_json(s) END
                                 ORDER BY s.id), '[]')
        FROM (SELECT id FROM m ORDER BY id LIMIT $6::bigint OFFSET $7::bigint) p
        JOIN hsds.service s ON s.id = p.id) AS contents
