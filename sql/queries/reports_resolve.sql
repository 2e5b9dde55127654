-- Resolves the reports whose ids are in $1 (`finder reports resolve`): the
-- open ones get resolved_at now; resolved ones keep theirs. One row for each
-- id asked: the id, whether there is such a report, whether this resolved
-- it, and when it was resolved before (NULL when it was open or unknown).
-- The caller rolls back when an id is unknown.
WITH asked AS (
    SELECT DISTINCT unnest($1::bigint[]) AS id
), resolved AS (
    UPDATE feedback f SET resolved_at = now()
    FROM asked a
    WHERE f.id = a.id AND f.resolved_at IS NULL
    RETURNING f.id
)
SELECT a.id, f.id IS NOT NULL AS known, r.id IS NOT NULL AS resolved_now,
       to_char(f.resolved_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS resolved_before
FROM asked a
LEFT JOIN feedback f ON f.id = a.id
LEFT JOIN resolved r ON r.id = a.id
ORDER BY a.id
