#!/bin/sh
# docker-compose's app service: wait for the database, apply the migrations
# and (the first time) the demo data and the gazetteer, then run the handler
# on :9000, and beside it bring the Meeting Guide feed's files in
# FINDER_FEEDS_DIR up to date (the web service asks the handler for what has
# no file yet). With FINDER_SKIP_MIGRATE=1 (a second handler, app2), it
# waits for the app service's migrations instead, and writes no files.
# DB_READ_HOSTS (db-replica,db) lists the servers searches read from.
set -eu
export DB_HOST="${DB_HOST:-db}" DB_PORT="${DB_PORT:-5432}" DB_NAME="${DB_NAME:-finder}"
export PGPASSWORD="${POSTGRES_PASSWORD:?POSTGRES_PASSWORD is required}"
for i in $(seq 60); do
    pg_isready -q -h "$DB_HOST" -p "$DB_PORT" && break
    sleep 1
done
if [ "${FINDER_SKIP_MIGRATE:-}" = 1 ]; then
    # Another handler (the app service) applies the migrations: wait until
    # the last one is recorded.
    last=$(basename "$(ls /app/sql/migrations/[0-9]*.sql | tail -1)" .sql)
    for i in $(seq 300); do
        psql -X -q -tA -h "$DB_HOST" -p "$DB_PORT" -U "${DB_SUPERUSER:-postgres}" -d "$DB_NAME" \
            -c "SELECT 1 FROM schema_migrations WHERE version = '$last'" 2>/dev/null | grep -q 1 && break
        sleep 2
    done
else
    /app/scripts/stack.sh migrate
fi
unset PGPASSWORD
# Searches from the first of DB_READ_HOSTS (standbys, then the primary) that
# is a standby, else from the primary; reports to the primary.
if [ -n "${DB_READ_HOSTS:-}" ]; then
    ports=$(printf '%s' "$DB_READ_HOSTS" | sed "s/[^,][^,]*/$DB_PORT/g")
    read_servers="host=$DB_READ_HOSTS port=$ports target_session_attrs=prefer-standby"
else
    read_servers="host=$DB_HOST port=$DB_PORT"
fi
export FINDER_DATABASE="$read_servers dbname=$DB_NAME user=finder_reader password=$FINDER_READER_PASSWORD"
export FINDER_FEEDBACK_DATABASE="host=$DB_HOST port=$DB_PORT dbname=$DB_NAME user=finder_feedback password=$FINDER_FEEDBACK_PASSWORD"
export FINDER_SOCKET="${FINDER_SOCKET:-:9000}"
if [ -n "${FINDER_FEEDS_DIR:-}" ] && [ "${FINDER_SKIP_MIGRATE:-}" != 1 ]; then
    /app/build/finder feeds --quiet || echo "app: the feed's files were not written" >&2 &
fi
exec /app/build/finder serve
