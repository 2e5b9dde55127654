-- Makes the meeting import's staging table, import_rows
-- (sql/migrations/012_imports.sql).
SELECT import_begin()
