-- Roles and grants, applied after the migrations on every start (idempotent).
--
-- finder_reader is the role the FastCGI handler connects as: it can read the
-- public tables and nothing else, and its transactions are read-only.

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'finder_reader') THEN
        CREATE ROLE finder_reader LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT;
    END IF;
END
$$;

ALTER ROLE finder_reader SET default_transaction_read_only = on;
ALTER ROLE finder_reader CONNECTION LIMIT 200;

REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO finder_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO finder_reader;
REVOKE ALL ON schema_migrations FROM finder_reader;
