-- Merges the staged records into source $1 (slug), $2 rejected and $3
-- warned about by the importer; the report's counts as JSON
-- (sql/migrations/015_hsds_import.sql).
SELECT hsds_import_apply($1, $2, $3, now())
