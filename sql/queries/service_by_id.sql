-- One listed service by id ($1) with everything the finder keeps about it,
-- for GET /api/v1/services/{id}; whether it and each schedule are open is
-- seen at $3 (ISO 8601; NULL: the clock), read in zone $2 when $3 has no
-- offset. Nested parts are JSON: organization, locations (each with its
-- addresses, accessibility, phones and schedules), phones, schedules,
-- languages, cost options, service areas, categories (with labels),
-- recovery housing, peer support. A schedule's zone is the one
-- hsds.service_open reads it in: its own, its location's, the service's
-- first location's, the source's default. Last, when the source last
-- confirmed it (ISO 8601, UTC; NULL for a source without a url), whether
-- that is stale at $3, and the source's name. No row for an unknown or
-- unlisted id.
WITH s AS (
    SELECT s.*, search_now($3::text, $2::text) AS at,
           coalesce((SELECT l.timezone FROM hsds.service_at_location sal
                     JOIN hsds.location l ON l.id = sal.location_id
                     WHERE sal.service_id = s.id AND l.timezone IS NOT NULL
                     ORDER BY l.id LIMIT 1),
                    src.default_timezone) AS default_zone,
           source_confirmed_at(src) AS confirmed_at,
           source_stale(src, search_now($3::text, $2::text)) AS stale, src.name AS source_name
    FROM hsds.service s
    JOIN sources src ON src.id = s.source_id
    WHERE s.id = $1 AND s.listed
)
SELECT s.id, s.name, s.alternate_name, s.description, s.url, s.email,
       s.eligibility_description, s.fees_description, s.application_process, s.wait_time,
       s.alert, s.accreditations, s.minimum_age, s.maximum_age, s.moud, s.assured_date,
       hsds.service_open(s.id, s.at) AS open_now,
       to_json(s.population_codes) AS populations, to_json(s.cost_codes) AS costs,
       to_json(s.accessibility_codes) AS accessibility,
       json_build_object('id', o.id, 'name', o.name, 'description', o.description,
                         'url', o.website, 'email', o.email) AS organization,
       (SELECT coalesce(json_agg(json_build_object(
                   'id', l.id, 'name', l.name, 'description', l.description,
                   'location_type', l.location_type, 'transportation', l.transportation,
                   'url', l.url, 'lat', ST_Y(l.geog::geometry), 'lng', ST_X(l.geog::geometry),
                   'timezone', l.timezone,
                   'addresses', (SELECT coalesce(json_agg(json_build_object(
                                            'address_1', a.address_1, 'address_2', a.address_2,
                                            'city', a.city,
                                            'region', coalesce(a.state_province, a.region),
                                            'postal_code', a.postal_code, 'country', a.country,
                                            'address_type', a.address_type)
                                        ORDER BY a.address_type <> 'physical', a.id), '[]')
                                 FROM hsds.address a WHERE a.location_id = l.id),
                   'accessibility', (SELECT coalesce(json_agg(json_build_object(
                                                'description', x.description,
                                                'details', x.details, 'url', x.url)
                                            ORDER BY x.id), '[]')
                                     FROM hsds.accessibility x WHERE x.location_id = l.id),
                   'phones', (SELECT coalesce(json_agg(json_build_object(
                                         'number', p.number, 'extension', p.extension,
                                         'type', p.type, 'description', p.description)
                                     ORDER BY p.id), '[]')
                              FROM hsds.phone p
                              WHERE p.location_id = l.id OR p.service_at_location_id = sal.id),
                   'schedules', (SELECT coalesce(json_agg(json_build_object(
                                            'freq', sc.freq, 'byday', sc.byday,
                                            'opens_at', to_char(sc.opens_at, 'HH24:MI'),
                                            'closes_at', to_char(sc.closes_at, 'HH24:MI'),
                                            'timezone', z.zone,
                                            'open_now', hsds.schedule_open(sc, z.zone, s.at),
                                            'valid_from', sc.valid_from, 'valid_to', sc.valid_to,
                                            'description', sc.description)
                                        ORDER BY sc.id), '[]')
                                 FROM hsds.schedule sc
                                 CROSS JOIN LATERAL (SELECT coalesce(sc.tz, l.timezone,
                                                                     s.default_zone) AS zone) z
                                 WHERE sc.location_id = l.id OR sc.service_at_location_id = sal.id))
               ORDER BY l.geog IS NULL, l.id), '[]')
        FROM hsds.service_at_location sal
        JOIN hsds.location l ON l.id = sal.location_id
        WHERE sal.service_id = s.id) AS locations,
       (SELECT coalesce(json_agg(json_build_object(
                   'number', p.number, 'extension', p.extension, 'type', p.type,
                   'description', p.description) ORDER BY p.id), '[]')
        FROM hsds.phone p WHERE p.service_id = s.id) AS phones,
       (SELECT coalesce(json_agg(json_build_object(
                   'freq', sc.freq, 'byday', sc.byday,
                   'opens_at', to_char(sc.opens_at, 'HH24:MI'),
                   'closes_at', to_char(sc.closes_at, 'HH24:MI'),
                   'timezone', z.zone, 'open_now', hsds.schedule_open(sc, z.zone, s.at),
                   'valid_from', sc.valid_from, 'valid_to', sc.valid_to,
                   'description', sc.description) ORDER BY sc.id), '[]')
        FROM hsds.schedule sc
        LEFT JOIN hsds.location l ON l.id = sc.location_id
        CROSS JOIN LATERAL (SELECT coalesce(sc.tz, l.timezone, s.default_zone) AS zone) z
        WHERE sc.service_id = s.id) AS schedules,
       (SELECT coalesce(json_agg(json_build_object('code', g.code, 'name', g.name)
                                 ORDER BY g.code), '[]')
        FROM (SELECT DISTINCT ON (lg.code) lg.code, lg.name
              FROM hsds.language lg
              WHERE lg.code IS NOT NULL
                AND (lg.service_id = s.id
                     OR lg.location_id IN (SELECT sal.location_id FROM hsds.service_at_location sal
                                           WHERE sal.service_id = s.id))
              ORDER BY lg.code, lg.name IS NULL, lg.id) g) AS languages,
       (SELECT coalesce(json_agg(json_build_object(
                   'option', c.option, 'amount', c.amount, 'currency', c.currency,
                   'amount_description', c.amount_description, 'valid_from', c.valid_from,
                   'valid_to', c.valid_to) ORDER BY c.id), '[]')
        FROM hsds.cost_option c WHERE c.service_id = s.id) AS cost_options,
       (SELECT coalesce(json_agg(json_build_object(
                   'name', hsds.service_area_label(a), 'description', a.description,
                   'country', a.country, 'region', a.region, 'polygon', a.geom IS NOT NULL)
                   ORDER BY a.id), '[]')
        FROM hsds.service_area a WHERE a.service_id = s.id) AS service_areas,
       (SELECT coalesce(json_agg(json_build_object('code', t.code, 'name', t.name,
                                                   'name_es', t.name_es)
                                 ORDER BY t.position), '[]')
        FROM hsds.taxonomy_term t
        JOIN hsds.taxonomy x ON x.id = t.taxonomy_id
        WHERE x.name = 'recovery-support' AND t.code = ANY (s.category_codes)) AS categories,
       (SELECT json_build_object('narr_level', r.narr_level,
                                 'certifying_body', r.certifying_body,
                                 'certification_status', r.certification_status,
                                 'moud_allowed', r.moud_allowed,
                                 'gender_served', r.gender_served,
                                 'population_served', r.population_served, 'beds', r.beds,
                                 'beds_available', r.beds_available)
        FROM hsds.recovery_housing r WHERE r.service_id = s.id) AS recovery_housing,
       (SELECT json_build_object('credential', ps.credential,
                                 'credentialing_body', ps.credentialing_body)
        FROM hsds.peer_support ps WHERE ps.service_id = s.id) AS peer_support,
       to_char(s.confirmed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS confirmed_at,
       s.stale, s.source_name
FROM s
JOIN hsds.organization o ON o.id = s.organization_id
