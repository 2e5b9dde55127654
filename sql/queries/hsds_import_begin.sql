-- Makes the services import's staging table, hsds_import_rows
-- (sql/migrations/015_hsds_import.sql).
SELECT hsds_import_begin()
