-- `finder import`'s session, before its transaction: warnings only from
-- the import's functions, and room in memory for the staged feed, a
-- temporary table (temp_buffers must be set before the session's first
-- temporary table). Run as one simple query, without parameters.
SET client_min_messages = warning;
SET temp_buffers = '256MB';
