-- The services search (GET /api/v1/services, /services/facets and
-- /services/{id}, sql/queries/services_*.sql and service_by_id.sql): the
-- parts that several queries share.

-- A service area's name for people: its own, else its state or country
-- code as an export writes it (US-MO, US).
CREATE FUNCTION hsds.service_area_label(a hsds.service_area) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT coalesce(a.name, a.country || coalesce('-' || a.region, ''))
$$;

-- The services whose service area reaches the point (lat, lng): a polygon
-- that covers it, the state and the country hsds.point_area finds there.
-- Each service once, under its best area: polygons and states (rank 0)
-- before countries (rank 1), then by area name. Each branch is served by
-- its own index (the GiST on geom, the btree on country and region).
CREATE FUNCTION hsds.areas_reaching(lat double precision, lng double precision,
                                    OUT service_id uuid, OUT area_name text,
                                    OUT area_rank integer)
RETURNS SETOF record
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT DISTINCT ON (x.service_id) x.service_id, x.label, x.rank
    FROM (
        SELECT a.service_id, hsds.service_area_label(a) AS label, 0 AS rank, a.id
        FROM hsds.service_area a
        WHERE ST_Intersects(a.geom, ST_SetSRID(ST_MakePoint($2, $1), 4326)::geography)
        UNION ALL
        SELECT a.service_id, hsds.service_area_label(a), 0, a.id
        FROM hsds.point_area($1, $2) h
        JOIN hsds.service_area a ON a.country = h.country AND a.region = h.region
        WHERE a.geom IS NULL
        UNION ALL
        SELECT a.service_id, hsds.service_area_label(a), 1, a.id
        FROM hsds.point_area($1, $2) h
        JOIN hsds.service_area a ON a.country = h.country AND a.region IS NULL
        WHERE a.geom IS NULL
    ) x
    ORDER BY x.service_id, x.rank, x.label, x.id
$$;
