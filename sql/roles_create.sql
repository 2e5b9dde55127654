-- The finder's three roles, made when missing (the cluster's, not one
-- database's). sql/roles.sql includes this; scripts/stack.sh restore runs it
-- alone before pg_restore, whose grants name the roles.

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'finder_reader') THEN
        CREATE ROLE finder_reader LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'finder_importer') THEN
        CREATE ROLE finder_importer LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'finder_feedback') THEN
        CREATE ROLE finder_feedback LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT;
    END IF;
END
$$;
