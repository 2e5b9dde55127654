-- Merges the staged meetings into source $1 (slug), $2 rejected and $3
-- warned about by the importer: inserts, updates, leaves alone and
-- deactivates, and records the report on the source; the report's counts
-- as JSON (sql/migrations/012_imports.sql).
SELECT import_apply($1, $2, $3, now())
