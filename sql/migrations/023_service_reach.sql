-- Who a service reaches: the services whose area is a whole country, for
-- scope=national (GET /api/v1/services and /services/facets,
-- sql/queries/services_*.sql), and the regions of the areas an HSDS import
-- gives by name only (fcgi/src/import.c).
--
-- Numbered 023, not 022: another branch may add a 022 at the same time.

-- Services that reach everyone in a country: those with a service area that
-- is a whole country (a country, no region, no polygon). scope=national
-- reads them through this index rather than every service; they are a few
-- in a hundred.
CREATE INDEX service_area_country_idx ON hsds.service_area (country, service_id)
    WHERE region IS NULL AND geom IS NULL AND country IS NOT NULL;

-- The key a service area's name is looked up by among the gazetteer's
-- regions: place_key() without the words around a state's name ("State of
-- Texas", "Commonwealth of Massachusetts", "New York State", "Georgia
-- (statewide)", "Estado de Jalisco" -> texas, massachusetts, new york,
-- georgia, jalisco).
CREATE FUNCTION hsds.area_region_key(name text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    SELECT regexp_replace(regexp_replace(place_key(name),
        '^(the )?(statewide )?((state|commonwealth|province|territory|estado|provincia) (of|de|del|du) )?',
        ''),
        '( (state|province|statewide|provincewide|wide))+$', '')
$$;

-- The regions of the service areas an import gives by name only (areas, a
-- JSON array of {"name": ..., "country": ...}; country the area's own
-- ISO 3166-1 code when it gave one, else null): one row per area whose name
-- is a region of the gazetteer (places.region_name, or its letter code),
-- with its 1-based position in the array. Within the given country; without
-- one, a US state first (the finder's directories are mostly American),
-- else the one country that has a region of that name. A name that is no
-- region, or a region of several countries and none of them the US, gets
-- no row. Reads every region of the gazetteer once (a few hundred).
CREATE FUNCTION hsds.import_area_regions(areas jsonb)
RETURNS TABLE (ord integer, country text, region text)
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    WITH given AS MATERIALIZED (
        SELECT x.i::integer AS i, hsds.area_region_key(x.a ->> 'name') AS k,
               upper(x.a ->> 'country') AS country
        FROM jsonb_array_elements(areas) WITH ORDINALITY AS x (a, i)
    ),
    regions AS MATERIALIZED (
        SELECT DISTINCT p.country, p.region, p.region_key
        FROM places p
        WHERE p.region IS NOT NULL AND p.region_key IS NOT NULL
    ),
    found AS (
        SELECT g.i, r.country, r.region,
               count(*) OVER (PARTITION BY g.i, r.country = 'US') AS ties,
               rank() OVER (PARTITION BY g.i ORDER BY r.country = 'US' DESC) AS pick
        FROM given g
        JOIN regions r
          ON (r.region_key = g.k OR (lower(r.region) = g.k AND length(g.k) BETWEEN 2 AND 3))
         AND (g.country IS NULL OR r.country = g.country)
        WHERE g.k <> ''
    )
    SELECT f.i, f.country, f.region FROM found f WHERE f.pick = 1 AND f.ties = 1
$$;
