-- Roles and grants, applied after the migrations on every start (idempotent).
--
-- finder_reader is the role the FastCGI handler connects as: it can read the
-- public tables and nothing else, and its transactions are read-only.
-- finder_importer is the role `finder import` connects as: it can read what
-- the reader reads, add and change sources, locations and meetings, and make
-- the temporary staging tables; it can delete nothing.
-- finder_feedback is the handler's second role, for POST /api/v1/feedback:
-- it can insert into feedback and use its id sequence, and nothing else (not
-- even read what it wrote). Neither of the others can read feedback.

\ir roles_create.sql

ALTER ROLE finder_reader SET default_transaction_read_only = on;
ALTER ROLE finder_reader CONNECTION LIMIT 200;

REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO finder_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO finder_reader;
REVOKE ALL ON schema_migrations FROM finder_reader;

GRANT USAGE ON SCHEMA public TO finder_importer;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO finder_importer;
REVOKE ALL ON schema_migrations FROM finder_importer;
GRANT INSERT, UPDATE ON sources, locations, meetings TO finder_importer;
-- import_apply() writes as its owner with row triggers off (see
-- sql/migrations/012_imports.sql); only the importer may call it.
GRANT EXECUTE ON FUNCTION import_apply(text, integer, integer, timestamptz) TO finder_importer;

-- The services directory (sql/migrations/013_services.sql), schema hsds:
-- both roles read it.
GRANT USAGE ON SCHEMA hsds TO finder_reader, finder_importer;
GRANT SELECT ON ALL TABLES IN SCHEMA hsds TO finder_reader, finder_importer;

-- Services imports (sql/migrations/015_hsds_import.sql): the importer
-- stages records in a temporary table and calls hsds_import_apply(), which
-- writes the hsds tables as its owner (deleting only the children of the
-- records it replaces); the role itself can write none of them.
GRANT EXECUTE ON FUNCTION hsds_import_begin() TO finder_importer;
GRANT EXECUTE ON FUNCTION hsds_import_apply(text, integer, integer, timestamptz)
    TO finder_importer;

-- Feedback (sql/migrations/017_feedback.sql). The grants above gave every
-- table in public to the reader and the importer; what visitors report is
-- for the people who run the finder, so those two lose it again. A handful
-- of workers each hold at most one feedback connection.
REVOKE ALL ON feedback FROM finder_reader, finder_importer;
ALTER ROLE finder_feedback CONNECTION LIMIT 50;
GRANT USAGE ON SCHEMA public TO finder_feedback;
GRANT INSERT ON feedback TO finder_feedback;
GRANT USAGE ON SEQUENCE feedback_id_seq TO finder_feedback;

-- Synced sources (sql/migrations/024_source_sync.sql). `finder sync`,
-- `finder source` and `finder reports` connect as the importer: it records
-- attempts, keeps webhooks, takes expired sources' listings out of search
-- (source_withdraw), and reads reports to list and deliver them, writing
-- only whether they were delivered or resolved. The reader sees neither the
-- attempts nor the webhooks (a webhook URL may carry a secret).
REVOKE ALL ON source_attempts, source_webhooks FROM finder_reader;
GRANT INSERT, DELETE ON source_attempts TO finder_importer;
GRANT USAGE ON SEQUENCE source_attempts_id_seq TO finder_importer;
GRANT INSERT, UPDATE, DELETE ON source_webhooks TO finder_importer;
GRANT SELECT, UPDATE (resolved_at, delivered_at, delivery_attempts, next_delivery_at,
                      delivery_error) ON feedback TO finder_importer;
GRANT EXECUTE ON FUNCTION source_withdraw(text, timestamptz) TO finder_importer;
