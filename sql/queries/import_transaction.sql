-- The import's transaction, right after its BEGIN: no statement timeout
-- (a large feed takes minutes), but no endless wait for a lock either.
-- Run as one simple query, without parameters.
SET LOCAL statement_timeout = 0;
SET LOCAL lock_timeout = '30s';
