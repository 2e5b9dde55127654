-- Stale listings shown as stale (issue 14): every meeting and service of a
-- search, and each one's detail, carries when its source last confirmed it
-- (source_confirmed_at() of 024_source_sync.sql) and whether that was
-- longer ago than the source's stale_after, seen at the searcher's now.
--
-- The source is looked up by its key for each row of a page, as the page's
-- other columns are: the work still grows with the page, not the data.

-- source_confirmed_at() reads nothing but its argument: safe in parallel,
-- as the search functions that now call it are marked.
ALTER FUNCTION source_confirmed_at(sources) PARALLEL SAFE;

-- Whether a source's listings are stale at now: not confirmed for longer
-- than its stale_after. A source without a url (a file import, the demo)
-- never is.
CREATE FUNCTION source_stale(src sources, now timestamptz) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce(now - source_confirmed_at(src) > src.stale_after, false)
$$;

-- meeting_rows() of 018_search_scale.sql with two more columns before the
-- place's point: confirmed_at (ISO 8601, UTC; NULL when the source has no
-- url) and stale (at now). sql/queries/meetings_*.sql put them after
-- local_time, where fcgi/src/api_meetings.c reads them (enum
-- meeting_column).
DROP FUNCTION meeting_rows(bigint[], timestamptz, text);
CREATE FUNCTION meeting_rows(ids bigint[], now timestamptz, tz text)
RETURNS TABLE (id bigint, slug text, name text, fellowship_slug text, fellowship_name text,
               day smallint, "time" text, end_time text, timezone text, attendance text,
               types text, location_name text, address text, city text, region text,
               postal_code text, country text, lat double precision, lng double precision,
               conference_url text, conference_phone text, notes text, group_name text,
               updated text, language_list text, next_start text, local_time text,
               confirmed_at text, stale boolean, geog geography)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET plan_cache_mode = force_generic_plan
AS $$
BEGIN
    RETURN QUERY
    SELECT d.id, d.slug, d.name, d.fellowship_slug, d.fellowship_name, d.day, d.time,
           d.end_time, d.timezone, d.attendance, d.types, d.location_name, d.address, d.city,
           d.region, d.postal_code, d.country, d.lat, d.lng, d.conference_url,
           d.conference_phone, d.notes, d.group_name, d.updated, d.language_list,
           iso_in_zone(n.at, coalesce(meeting_rows.tz, d.timezone)), iso_in_zone(n.at, d.timezone),
           to_char(source_confirmed_at(src) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
           source_stale(src, meeting_rows.now),
           d.geog
    FROM unnest(ids) WITH ORDINALITY AS u (id, i)
    JOIN meeting_details d ON d.id = u.id
    JOIN sources src ON src.id = d.source_id
    CROSS JOIN LATERAL (SELECT meeting_next_start(d.day, d.start_time, d.timezone,
                                                  meeting_rows.now) AS at OFFSET 0) n
    ORDER BY u.i;
END
$$;

-- hsds.service_rows() of 018_search_scale.sql with the same two columns
-- last (fcgi/src/api_services.c: enum service_column).
DROP FUNCTION hsds.service_rows(uuid[], uuid[], double precision[], text[], timestamptz);
CREATE FUNCTION hsds.service_rows(ids uuid[], location_ids uuid[], dists double precision[],
                                  area_names text[], now timestamptz)
RETURNS TABLE (id uuid, name text, organization_id uuid, organization_name text,
               description text, url text, email text, phone text, categories json,
               populations json, costs json, languages json, accessibility json,
               moud boolean, assured_date date, open_now boolean, location json,
               distance_km numeric, area_name text, recovery_housing json,
               confirmed_at text, stale boolean)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET plan_cache_mode = force_generic_plan
AS $$
BEGIN
    RETURN QUERY
    SELECT s.id, s.name, o.id, o.name, s.description, s.url, s.email,
           coalesce(sp.number, lp.number),
           to_json(s.category_codes), to_json(s.population_codes), to_json(s.cost_codes),
           to_json(s.language_codes), to_json(s.accessibility_codes), s.moud, s.assured_date,
           hsds.open_at(s, service_rows.now),
           CASE WHEN l.id IS NOT NULL THEN json_build_object(
               'id', l.id, 'name', l.name, 'address', a.address_1, 'city', a.city,
               'region', coalesce(a.state_province, a.region), 'postal_code', a.postal_code,
               'country', a.country, 'lat', ST_Y(l.geog::geometry), 'lng', ST_X(l.geog::geometry))
           END,
           round((p.dist / 1000)::numeric, 3), p.area_name,
           CASE WHEN r.service_id IS NOT NULL THEN json_build_object(
               'narr_level', r.narr_level, 'certification_status', r.certification_status,
               'moud_allowed', r.moud_allowed, 'gender_served', r.gender_served, 'beds', r.beds,
               'beds_available', r.beds_available)
           END,
           to_char(source_confirmed_at(src) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
           source_stale(src, service_rows.now)
    FROM unnest(ids, location_ids, dists, area_names) WITH ORDINALITY
         AS p (id, location_id, dist, area_name, i)
    JOIN hsds.service s ON s.id = p.id
    JOIN hsds.organization o ON o.id = s.organization_id
    JOIN sources src ON src.id = s.source_id
    -- The location shown: the one it was found at, else its first, one with
    -- a point on the map before one without, then by id.
    LEFT JOIN LATERAL (
        SELECT fl.id
        FROM hsds.service_at_location sal
        JOIN hsds.location fl ON fl.id = sal.location_id
        WHERE sal.service_id = s.id
        ORDER BY fl.geog IS NULL, fl.id
        LIMIT 1
    ) f ON p.location_id IS NULL
    LEFT JOIN hsds.location l ON l.id = coalesce(p.location_id, f.id)
    -- Its physical address, else its first.
    LEFT JOIN LATERAL (
        SELECT ad.* FROM hsds.address ad
        WHERE ad.location_id = l.id
        ORDER BY ad.address_type <> 'physical', ad.id
        LIMIT 1
    ) a ON true
    -- The number to call: the service's first voice phone (a phone without
    -- a type counts as one), else the shown location's.
    LEFT JOIN LATERAL (
        SELECT x.number FROM hsds.phone x
        WHERE x.service_id = s.id AND coalesce(x.type, 'voice') = 'voice'
        ORDER BY x.id
        LIMIT 1
    ) sp ON true
    LEFT JOIN LATERAL (
        SELECT x.number FROM hsds.phone x
        WHERE x.location_id = l.id AND coalesce(x.type, 'voice') = 'voice'
        ORDER BY x.id
        LIMIT 1
    ) lp ON sp.number IS NULL
    LEFT JOIN hsds.recovery_housing r ON r.service_id = s.id
    ORDER BY p.i;
END
$$;
