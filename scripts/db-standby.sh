#!/bin/sh
# docker-compose's db-replica: a streaming standby of the db service that
# the handlers read from. The first time (an empty volume) it copies db with
# pg_basebackup and a replication slot of its own (REPLICA_SLOT: the primary
# keeps the WAL a stopped standby still needs, up to db's
# max_slot_wal_keep_size), then it runs as a hot standby. A standby that
# fell further behind than that cannot catch up: remove its volume and it
# is made again.
set -eu
PGDATA=${PGDATA:-/var/lib/postgresql/data}
PRIMARY_HOST=${PRIMARY_HOST:-db}
PRIMARY_PORT=${PRIMARY_PORT:-5432}
REPLICA_SLOT=${REPLICA_SLOT:-replica_1}
export PGPASSWORD="${POSTGRES_PASSWORD:?POSTGRES_PASSWORD is required}"
until pg_isready -q -h "$PRIMARY_HOST" -p "$PRIMARY_PORT"; do sleep 1; done
if [ ! -s "$PGDATA/PG_VERSION" ]; then
    echo "db-replica: copying $PRIMARY_HOST (pg_basebackup, slot $REPLICA_SLOT)"
    # A slot left by this standby's earlier volume holds WAL for nothing.
    psql -X -q -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U postgres -d postgres -tAc \
        "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots
         WHERE slot_name = '$REPLICA_SLOT' AND NOT active" >/dev/null
    pg_basebackup -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U postgres -D "$PGDATA" \
        -R -X stream -C -S "$REPLICA_SLOT" -c fast
fi
chmod 700 "$PGDATA"
unset PGPASSWORD
exec postgres -c hot_standby=on -c hot_standby_feedback=on
