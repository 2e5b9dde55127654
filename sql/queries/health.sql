-- The health check: whether the data shown is the fictional demo set, and
-- whether this connection reads from a standby and how far behind its
-- primary that standby is: 0 seconds when it has replayed all it received,
-- else the time since the last transaction it replayed (the measure of
-- postgres_exporter's pg_replication_lag); NULL when it cannot tell (no
-- transaction replayed since it started, and nothing received).
SELECT EXISTS (SELECT 1 FROM sources WHERE demo) AS demo,
       pg_is_in_recovery() AS standby,
       CASE WHEN NOT pg_is_in_recovery() THEN NULL
            WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
            -- greatest() skips a NULL: without this line "cannot tell" would be 0.
            WHEN pg_last_xact_replay_timestamp() IS NULL THEN NULL
            ELSE greatest(0, extract(epoch FROM now() - pg_last_xact_replay_timestamp()))
       END AS lag_seconds
