#!/bin/sh
# docker-compose's app service: wait for the database, apply the migrations
# and (the first time) the demo data and the gazetteer, then run the handler
# on :9000, and beside it bring the Meeting Guide feed's files in
# FINDER_FEEDS_DIR up to date (the web service asks the handler for what has
# no file yet).
set -eu
export DB_HOST="${DB_HOST:-db}" DB_PORT="${DB_PORT:-5432}" DB_NAME="${DB_NAME:-finder}"
export PGPASSWORD="${POSTGRES_PASSWORD:?POSTGRES_PASSWORD is required}"
for i in $(seq 60); do
    pg_isready -q -h "$DB_HOST" -p "$DB_PORT" && break
    sleep 1
done
/app/scripts/stack.sh migrate
unset PGPASSWORD
export FINDER_DATABASE="host=$DB_HOST port=$DB_PORT dbname=$DB_NAME user=finder_reader password=$FINDER_READER_PASSWORD"
export FINDER_FEEDBACK_DATABASE="host=$DB_HOST port=$DB_PORT dbname=$DB_NAME user=finder_feedback password=$FINDER_FEEDBACK_PASSWORD"
export FINDER_SOCKET="${FINDER_SOCKET:-:9000}"
if [ -n "${FINDER_FEEDS_DIR:-}" ]; then
    /app/build/finder feeds --quiet || echo "app: the feed's files were not written" >&2 &
fi
exec /app/build/finder serve
