-- HSDS imports as real directories write them (issue 14): the service
-- areas an import gives by name, placed by the gazetteer with what the
-- import knows of where the service is.
--
-- Numbered 026: 024 and 025 belong to other branches of the same issue.

-- The one country a name or code stands for: an ISO 3166-1 alpha-2 code in
-- any case ("us", "GE"), or a name place_countries lists once ("USA",
-- "United States", "Georgia"); NULL otherwise.
CREATE FUNCTION hsds.import_country(given text) RETURNS text
LANGUAGE sql STABLE STRICT PARALLEL SAFE
AS $$
    SELECT CASE WHEN btrim(given) ~ '^[A-Za-z]{2}$' THEN upper(btrim(given))
                ELSE (SELECT min(c.country) FROM place_countries c
                      WHERE c.key = place_key(given)
                      HAVING count(DISTINCT c.country) = 1) END
$$;

-- Where the service areas an import gives by name only are (areas: a JSON
-- array of {"name", "country", "near"}: country the ISO 3166-1 code the
-- area itself gave, near the country its service is in as the import
-- read it, a code or a name; both may be absent). One row per area the
-- gazetteer can place, with its 1-based position in the array and `how`:
--   'country'  the name is a country's (its own or its service's country,
--              else the one country of that name): country, no region;
--   'region'   a region of the gazetteer (places.region_name, or its
--              letter code) in the area's country, else in its service's
--              country, else a US state, else the one country that has a
--              region of that name: country and region;
--   'guess'    as 'region' when neither country decided it and a country
--              has the name too ("Georgia": the US state, or the country).
-- The first of these that holds decides; two answers of the same rank
-- (regions of two countries, neither the US) give no row. Reads every
-- region of the gazetteer once (a few hundred).
CREATE FUNCTION hsds.import_area_places(areas jsonb)
RETURNS TABLE (ord integer, country text, region text, how text)
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    WITH given AS MATERIALIZED (
        SELECT x.i::integer AS i, hsds.area_region_key(x.a ->> 'name') AS k,
               coalesce(place_key(x.a ->> 'name'), '') AS name_key,
               upper(x.a ->> 'country') AS country,
               coalesce(upper(x.a ->> 'country'), hsds.import_country(x.a ->> 'near')) AS home
        FROM jsonb_array_elements(areas) WITH ORDINALITY AS x (a, i)
        WHERE jsonb_typeof(x.a) = 'object'
    ),
    regions AS MATERIALIZED (
        SELECT DISTINCT p.country, p.region, p.region_key
        FROM places p
        WHERE p.region IS NOT NULL AND p.region_key IS NOT NULL
    ),
    named AS (
        -- The countries of that name.
        SELECT DISTINCT g.i, c.country
        FROM given g
        JOIN place_countries c ON c.key IN (g.name_key, g.k)
        WHERE g.name_key <> ''
    ),
    candidates AS (
        SELECT n.i, 1 AS rank, n.country, NULL::text AS region, 'country' AS how
        FROM named n JOIN given g ON g.i = n.i
        WHERE n.country = g.home
        UNION
        SELECT g.i, CASE WHEN r.country = g.home THEN 2
                         WHEN g.country IS NOT NULL THEN NULL
                         WHEN r.country = 'US' THEN 3 ELSE 4 END,
               r.country, r.region,
               CASE WHEN r.country IS DISTINCT FROM g.home
                         AND EXISTS (SELECT 1 FROM named n
                                     WHERE n.i = g.i AND n.country <> r.country)
                    THEN 'guess' ELSE 'region' END
        FROM given g
        JOIN regions r
          ON r.region_key = g.k OR (lower(r.region) = g.k AND length(g.k) BETWEEN 2 AND 3)
        WHERE g.k <> ''
        UNION
        SELECT n.i, 5, n.country, NULL, 'country'
        FROM named n JOIN given g ON g.i = n.i
        WHERE g.country IS NULL
    ),
    ranked AS (
        SELECT c.*, min(c.rank) OVER (PARTITION BY c.i) AS best,
               count(*) OVER (PARTITION BY c.i, c.rank) AS ties
        FROM candidates c
        WHERE c.rank IS NOT NULL
    )
    SELECT r.i, r.country, r.region, r.how
    FROM ranked r
    WHERE r.rank = r.best AND r.ties = 1
$$;

-- Superseded by hsds.import_area_places (fcgi/src/import.c asks it).
DROP FUNCTION hsds.import_area_regions(jsonb);
