-- sql/views/20_places.sql
-- Places: points and distances on the earth's sphere, and the keys that
-- compare place names (the gazetteer, the region filter).
--
-- A repeatable file. scripts/stack.sh (db_migrate) applies every file of
-- sql/views/ on every start, after the migrations and before sql/roles.sql,
-- each in one transaction, in the order of their names (what a file uses
-- comes from an earlier file, or earlier in it). Together they hold the
-- current definition of every function, view and trigger function; the
-- migrations that first made them keep their old definitions as history,
-- are never edited, and from 029 on hold table changes and data moves only
-- (tests/api/test_views.py checks both, and that these files define
-- everything exactly as the migrations did when they were taken from them).
--
-- To change one, change it here, in place:
--   * a function: CREATE OR REPLACE FUNCTION with the same name, argument
--     types and return type. Other argument types would make a second
--     function beside the first, and another return type is refused: write
--     DROP FUNCTION IF EXISTS name(old argument types) above it first.
--   * a view: CREATE OR REPLACE VIEW can only append columns at the end.
--     To rename, retype, reorder or remove one, write DROP VIEW IF EXISTS
--     name CASCADE above it, and restate below it what the CASCADE takes
--     (functions and views over it, and roles.sql grants it again).
--   * to remove one: DROP ... IF EXISTS in place of its definition.
-- Functions that a generated column or an index uses (place_key,
-- place_keys, earth_point, meeting_doc, meeting_week_minute_dst and the
-- zone offsets it calls) keep their signature and their results for every
-- input: stored values were computed with them. Functions that queries
-- inline (LANGUAGE sql, one expression, no SET clause) stay so.

-- The sphere PostGIS measures geography distances on (`<->` and
-- ST_Distance(..., false)): the WGS 84 mean radius, in metres.
CREATE OR REPLACE FUNCTION earth_radius() RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT 6371008.7714150598::double precision $$;

-- The point at latitude lat, longitude lng (degrees) on that sphere; NULL
-- when either is NULL.
-- Generated columns use it: keep its signature and its values.
CREATE OR REPLACE FUNCTION earth_point(lat double precision, lng double precision) RETURNS cube
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT cube(ARRAY[earth_radius() * cos(radians(lat)) * cos(radians(lng)),
                      earth_radius() * cos(radians(lat)) * sin(radians(lng)),
                      earth_radius() * sin(radians(lat))])
$$;

-- The chord of a distance along the sphere (metres), and back.
CREATE OR REPLACE FUNCTION earth_chord(metres double precision) RETURNS double precision
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT 2 * earth_radius() * sin(least(metres, pi() * earth_radius()) / (2 * earth_radius()))
$$;

-- The distance in metres along the earth's surface of a chord of the
-- sphere of earth_radius() (what the <-> of two earth_point()s gives).
CREATE OR REPLACE FUNCTION earth_arc(chord double precision) RETURNS double precision
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT 2 * earth_radius() * asin(least(chord / (2 * earth_radius()), 1))
$$;

-- unaccent() is only STABLE (its dictionary could change); naming the
-- dictionary makes the result depend on nothing else, so this wrapper may
-- be IMMUTABLE and serve generated columns and indexes. unaccent leaves a
-- Latin-script name ASCII, so lower() under "C" is the same everywhere.
-- Generated columns use it: keep its signature and its values.
CREATE OR REPLACE FUNCTION place_key(name text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT btrim(regexp_replace(
               translate(lower(public.unaccent('public.unaccent'::regdictionary, name) COLLATE "C"),
                         '''`´‘’ʻʼ', ''),
               '[^a-z0-9\u0080-\uffff]+', ' ', 'g'))
$$;

-- What a query typed into near= or /places asks for: the key of the name
-- (the part before the first comma; text in parentheses is dropped, so the
-- labels of place_label() read back), the ZIP digits when that key is 1 to
-- 5 digits (a ZIP+4 keeps its first five), and up to two narrowing keys
-- from the non-empty parts after commas ("Springfield, IL", "Springfield,
-- Illinois, US", "León, México").
CREATE OR REPLACE FUNCTION place_query(q text, OUT name_key text, OUT zip text,
                            OUT scope1 text, OUT scope2 text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT k, substring(k FROM '^([0-9]{1,5})(?: [0-9]{4})?$'), s[1], s[2]
    FROM (SELECT coalesce(place_key(split_part(t, ',', 1)), '') AS k,
                 ARRAY(SELECT place_key(u.part)
                       FROM unnest((string_to_array(t, ','))[2:]) WITH ORDINALITY AS u (part, i)
                       WHERE place_key(u.part) <> ''
                       ORDER BY u.i) AS s
          FROM (SELECT regexp_replace(coalesce(q, ''), '\([^)]*\)?', ' ', 'g') AS t) a) b
$$;

-- The one-line label of a place: "Springfield, IL, US", "Toronto, ON, CA",
-- "Lyon, Auvergne-Rhône-Alpes, FR", "Mexico City, MX" (a region named like
-- its city is left out), "Ciudad de México (Mexico City), MX" when another
-- name matched (rank 1), "60601 (Chicago, IL)" for a ZIP, "Holtsville, NY,
-- US" for a town known only from the ZIP list (rank 2).
CREATE OR REPLACE FUNCTION place_label(kind text, name text, matched text, rank smallint,
                            region text, region_name text, country text, postal_code text)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN kind = 'zip' AND rank = 2 THEN concat_ws(', ', name, region, 'US')
        WHEN kind = 'zip' THEN postal_code || ' (' || concat_ws(', ', name, region) || ')'
        ELSE concat_ws(', ',
            CASE WHEN rank = 1 AND matched IS NOT NULL THEN matched || ' (' || name || ')' ELSE name END,
            coalesce(region, CASE WHEN place_key(region_name) <> place_key(name) THEN region_name END),
            country)
    END
$$;

-- The keys of names (place_key of each, in order), without the names that
-- have none (NULL, or nothing but punctuation): a name that is all
-- punctuation matches nothing.
-- Generated columns use it: keep its signature and its values.
CREATE OR REPLACE FUNCTION place_keys(names text[]) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT ARRAY(SELECT k
                 FROM unnest(names) WITH ORDINALITY AS u (name, i),
                      LATERAL place_key(u.name) AS k
                 WHERE k <> ''
                 ORDER BY u.i)
$$;

-- The ids of the places whose regions or city is one of names, by key, for
-- a search anywhere: those statements (sql/queries/meetings_all.sql and
-- meetings_facets_all.sql) look the places' meetings up by location
-- (meetings_location_idx), reading the region's meetings rather than every
-- meeting on the way to 1,001 matches of a small region. The searches near
-- a point and the pages test each meeting they read against its place's
-- keys instead (one look-up a meeting, however large the region: a whole
-- city's places in an array would be read through for every meeting).
-- Never NULL: no place, no match.
CREATE OR REPLACE FUNCTION region_location_ids(names text[]) RETURNS bigint[]
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(l.id ORDER BY l.id), '{}')
    FROM locations l
    WHERE l.place_keys && place_keys(names)
$$;
