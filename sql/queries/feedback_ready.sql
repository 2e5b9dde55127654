-- The health check's question to the feedback connection: whether reports
-- can be stored (the connection is to a primary, which accepts writes).
SELECT NOT pg_is_in_recovery() AS writable
