-- sql/views/60_hsds.sql
-- HSDS 3.0 JSON export of services (GET /api/v1/hsds/...): one function
-- an object.
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

-- A date-time as HSDS writes it: UTC, milliseconds, 'Z'.
CREATE OR REPLACE FUNCTION hsds.json_datetime(t timestamptz) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') $$;

-- A phone extension: HSDS types it as a number. An extension that is a
-- plain whole number is written as one; anything else ('012', 'x12') as the
-- text it is, rather than lose it.
CREATE OR REPLACE FUNCTION hsds.json_extension(e text) RETURNS json
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN e ~ '^(0|[1-9][0-9]{0,14})$' THEN to_json(e::bigint)
                ELSE to_json(e) END
$$;

-- The objects. Each takes its row and the lists already made for it.
CREATE OR REPLACE FUNCTION hsds.language_json(l hsds.language) RETURNS json
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT json_build_object('id', l.id, 'name', l.name, 'code', l.code, 'note', l.note) $$;

-- A phone, with its languages (a JSON array) as given.
CREATE OR REPLACE FUNCTION hsds.phone_json(p hsds.phone, languages json) RETURNS json
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT json_build_object(
        'id', p.id, 'number', p.number, 'extension', hsds.json_extension(p.extension),
        'type', p.type, 'description', p.description, 'languages', languages)
$$;

-- A schedule, with the finder's extension tz.
CREATE OR REPLACE FUNCTION hsds.schedule_json(s hsds.schedule) RETURNS json
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT json_build_object(
        'id', s.id, 'valid_from', s.valid_from, 'valid_to', s.valid_to, 'dtstart', s.dtstart,
        'timezone', s.timezone, 'until', s.until, 'count', s.count, 'wkst', s.wkst,
        'freq', s.freq, 'interval', s.interval, 'byday', s.byday, 'byweekno', s.byweekno,
        'bymonthday', s.bymonthday, 'byyearday', s.byyearday, 'description', s.description,
        'opens_at', s.opens_at, 'closes_at', s.closes_at, 'schedule_link', s.schedule_link,
        'attending_type', s.attending_type, 'notes', s.notes,
        -- Extension: the IANA zone (or '+03:00') the times are in.
        'tz', s.tz)
$$;

-- An address.
CREATE OR REPLACE FUNCTION hsds.address_json(a hsds.address) RETURNS json
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT json_build_object(
        'id', a.id, 'attention', a.attention, 'address_1', a.address_1,
        'address_2', a.address_2, 'city', a.city, 'region', a.region,
        'state_province', a.state_province, 'postal_code', a.postal_code,
        'country', a.country, 'address_type', a.address_type)
$$;

-- An accessibility entry.
CREATE OR REPLACE FUNCTION hsds.accessibility_json(x hsds.accessibility) RETURNS json
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT json_build_object('id', x.id, 'description', x.description, 'details', x.details,
                             'url', x.url)
$$;

-- An attribute with its term, and the term's taxonomy as taxonomy_detail.
CREATE OR REPLACE FUNCTION hsds.attribute_json(a hsds.attribute, t hsds.taxonomy_term,
                                               x hsds.taxonomy)
RETURNS json
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT json_build_object(
        'id', a.id, 'link_type', a.link_type, 'link_entity', a.link_entity, 'value', a.value,
        'taxonomy_term', json_build_object(
            'id', t.id, 'code', t.code, 'name', t.name, 'description', t.description,
            'parent_id', t.parent_id, 'taxonomy', t.taxonomy,
            'taxonomy_detail', CASE WHEN x.id IS NOT NULL THEN json_build_object(
                'id', x.id, 'name', x.name, 'description', x.description, 'uri', x.uri,
                'version', x.version) END,
            'language', t.language, 'taxonomy_id', t.taxonomy_id, 'term_uri', t.term_uri))
$$;

-- A location: its own fields, and its children as the caller gathered them
-- (JSON arrays).
CREATE OR REPLACE FUNCTION hsds.location_json(l hsds.location, languages json, addresses json,
                                              accessibility json, phones json,
                                              schedules json, attributes json)
RETURNS json
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT json_build_object(
        'id', l.id, 'location_type', l.location_type, 'url', l.url,
        'organization_id', l.organization_id, 'name', l.name,
        'alternate_name', l.alternate_name, 'description', l.description,
        'transportation', l.transportation, 'latitude', l.latitude, 'longitude', l.longitude,
        'external_identifier', l.external_identifier,
        'external_identifier_type', l.external_identifier_type,
        -- Extension: the IANA zone of the location's schedules.
        'timezone', l.timezone,
        'languages', languages, 'addresses', addresses, 'accessibility', accessibility,
        'phones', phones, 'schedules', schedules, 'attributes', attributes)
$$;

-- A service area, its coverage written in extent and extent_type.
CREATE OR REPLACE FUNCTION hsds.service_area_json(a hsds.service_area) RETURNS json
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT json_build_object(
        'id', a.id, 'name', a.name, 'description', a.description,
        'extent', CASE WHEN a.geom IS NOT NULL THEN ST_AsGeoJSON(a.geom)
                       WHEN a.region IS NOT NULL THEN a.country || '-' || a.region
                       WHEN a.country IS NOT NULL THEN a.country
                       ELSE a.extent END,
        'extent_type', CASE WHEN a.geom IS NOT NULL THEN 'geojson'
                            WHEN a.region IS NOT NULL THEN 'iso3166-2'
                            WHEN a.country IS NOT NULL THEN 'iso3166-1'
                            ELSE a.extent_type END,
        'uri', a.uri)
$$;

-- A cost option.
CREATE OR REPLACE FUNCTION hsds.cost_option_json(c hsds.cost_option) RETURNS json
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT json_build_object(
        'id', c.id, 'valid_from', c.valid_from, 'valid_to', c.valid_to, 'option', c.option,
        'currency', c.currency, 'amount', c.amount, 'amount_description', c.amount_description)
$$;

-- An organization: its own fields, and its phones in a full service (NULL,
-- left out, in a list's summary).
CREATE OR REPLACE FUNCTION hsds.organization_json(o hsds.organization, phones json)
RETURNS json
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT json_build_object(
        'id', o.id, 'name', o.name, 'alternate_name', o.alternate_name,
        'description', o.description, 'email', o.email, 'website', o.website,
        'tax_status', o.tax_status, 'tax_id', o.tax_id,
        'year_incorporated', o.year_incorporated, 'legal_status', o.legal_status,
        'logo', o.logo, 'uri', o.uri, 'parent_organization_id', o.parent_organization_id,
        'phones', phones)
$$;

-- A service: its one-to-one fields and organization (the HSDS list's item,
-- compiled/service_list.json), and the lists of a full service
-- (compiled/service.json), NULL in a summary. Nulls not yet stripped.
CREATE OR REPLACE FUNCTION hsds.service_object_json(
    s hsds.service, organization json, phones json, schedules json, service_areas json,
    service_at_locations json, languages json, cost_options json, attributes json,
    recovery_housing json, peer_support json)
RETURNS json
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT json_build_object(
        'id', s.id, 'name', s.name, 'alternate_name', s.alternate_name,
        'description', s.description, 'url', s.url, 'email', s.email, 'status', s.status,
        'interpretation_services', s.interpretation_services,
        'application_process', s.application_process,
        'fees_description', s.fees_description, 'wait_time', s.wait_time, 'fees', s.fees,
        'accreditations', s.accreditations,
        'eligibility_description', s.eligibility_description,
        'minimum_age', s.minimum_age, 'maximum_age', s.maximum_age,
        'assured_date', s.assured_date, 'assurer_email', s.assurer_email,
        'licenses', s.licenses, 'alert', s.alert,
        -- The source's own when it gave one, else when the finder last
        -- wrote the service.
        'last_modified', hsds.json_datetime(coalesce(s.last_modified, s.updated_at)),
        'phones', phones, 'schedules', schedules, 'service_areas', service_areas,
        'service_at_locations', service_at_locations, 'languages', languages,
        'organization', organization, 'cost_options', cost_options,
        'attributes', attributes,
        -- Extensions: whether it welcomes people taking MOUD; a recovery
        -- residence's details; a peer support service's credential.
        'moud', s.moud, 'recovery_housing', recovery_housing, 'peer_support', peer_support)
$$;

-- A list's item: the service's one-to-one fields and its organization.
CREATE OR REPLACE FUNCTION hsds.service_summary_json(s hsds.service) RETURNS json
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT json_strip_nulls(hsds.service_object_json(
        s, (SELECT hsds.organization_json(o, NULL) FROM hsds.organization o
            WHERE o.id = s.organization_id),
        NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL))
$$;

-- The full service of id (GET /api/v1/hsds/services/{id}), or NULL when
-- there is none. It does not look at service.listed: the queries do.
-- Phones, schedules and attributes belong to a service, a location, a
-- service at a location or an organization: each list below is one index
-- lookup by its owner.
CREATE OR REPLACE FUNCTION hsds.service_json(id uuid) RETURNS json
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT json_strip_nulls(hsds.service_object_json(
        s,
        hsds.organization_json(o, (
            SELECT coalesce(json_agg(hsds.phone_json(p, (
                       SELECT coalesce(json_agg(hsds.language_json(pl) ORDER BY pl.id), '[]')
                       FROM hsds.language pl WHERE pl.phone_id = p.id)) ORDER BY p.id), '[]')
            FROM hsds.phone p WHERE p.organization_id = o.id)),
        (SELECT coalesce(json_agg(hsds.phone_json(p, (
                    SELECT coalesce(json_agg(hsds.language_json(pl) ORDER BY pl.id), '[]')
                    FROM hsds.language pl WHERE pl.phone_id = p.id)) ORDER BY p.id), '[]')
         FROM hsds.phone p WHERE p.service_id = s.id),
        (SELECT coalesce(json_agg(hsds.schedule_json(sc) ORDER BY sc.id), '[]')
         FROM hsds.schedule sc WHERE sc.service_id = s.id),
        (SELECT coalesce(json_agg(hsds.service_area_json(a) ORDER BY a.id), '[]')
         FROM hsds.service_area a WHERE a.service_id = s.id),
        (SELECT coalesce(json_agg(json_build_object(
                    'id', sal.id, 'description', sal.description,
                    'phones', (
                        SELECT coalesce(json_agg(hsds.phone_json(p, (
                                   SELECT coalesce(json_agg(hsds.language_json(pl)
                                                            ORDER BY pl.id), '[]')
                                   FROM hsds.language pl WHERE pl.phone_id = p.id))
                               ORDER BY p.id), '[]')
                        FROM hsds.phone p WHERE p.service_at_location_id = sal.id),
                    'schedules', (
                        SELECT coalesce(json_agg(hsds.schedule_json(sc) ORDER BY sc.id), '[]')
                        FROM hsds.schedule sc WHERE sc.service_at_location_id = sal.id),
                    'location', hsds.location_json(
                        l,
                        (SELECT coalesce(json_agg(hsds.language_json(ll) ORDER BY ll.id), '[]')
                         FROM hsds.language ll WHERE ll.location_id = l.id),
                        (SELECT coalesce(json_agg(hsds.address_json(ad) ORDER BY ad.id), '[]')
                         FROM hsds.address ad WHERE ad.location_id = l.id),
                        (SELECT coalesce(json_agg(hsds.accessibility_json(ac) ORDER BY ac.id),
                                         '[]')
                         FROM hsds.accessibility ac WHERE ac.location_id = l.id),
                        (SELECT coalesce(json_agg(hsds.phone_json(p, (
                                    SELECT coalesce(json_agg(hsds.language_json(pl)
                                                             ORDER BY pl.id), '[]')
                                    FROM hsds.language pl WHERE pl.phone_id = p.id))
                                ORDER BY p.id), '[]')
                         FROM hsds.phone p WHERE p.location_id = l.id),
                        (SELECT coalesce(json_agg(hsds.schedule_json(sc) ORDER BY sc.id), '[]')
                         FROM hsds.schedule sc WHERE sc.location_id = l.id),
                        (SELECT coalesce(json_agg(hsds.attribute_json(la, t, x) ORDER BY la.id),
                                         '[]')
                         FROM hsds.attribute la
                         JOIN hsds.taxonomy_term t ON t.id = la.taxonomy_term_id
                         LEFT JOIN hsds.taxonomy x ON x.id = t.taxonomy_id
                         WHERE la.link_id = l.id AND la.link_entity = 'location')))
                ORDER BY sal.id), '[]')
         FROM hsds.service_at_location sal
         JOIN hsds.location l ON l.id = sal.location_id
         WHERE sal.service_id = s.id),
        (SELECT coalesce(json_agg(hsds.language_json(sl) ORDER BY sl.id), '[]')
         FROM hsds.language sl WHERE sl.service_id = s.id),
        (SELECT coalesce(json_agg(hsds.cost_option_json(c) ORDER BY c.id), '[]')
         FROM hsds.cost_option c WHERE c.service_id = s.id),
        (SELECT coalesce(json_agg(hsds.attribute_json(sa, t, x) ORDER BY sa.id), '[]')
         FROM hsds.attribute sa
         JOIN hsds.taxonomy_term t ON t.id = sa.taxonomy_term_id
         LEFT JOIN hsds.taxonomy x ON x.id = t.taxonomy_id
         WHERE sa.link_id = s.id AND sa.link_entity = 'service'),
        (SELECT json_build_object(
                    'narr_level', r.narr_level, 'certifying_body', r.certifying_body,
                    'certification_status', r.certification_status,
                    'moud_allowed', r.moud_allowed, 'gender_served', r.gender_served,
                    'population_served', r.population_served, 'beds', r.beds,
                    'beds_available', r.beds_available)
         FROM hsds.recovery_housing r WHERE r.service_id = s.id),
        (SELECT json_build_object('credential', ps.credential,
                                  'credentialing_body', ps.credentialing_body)
         FROM hsds.peer_support ps WHERE ps.service_id = s.id)))
    FROM hsds.service s
    JOIN hsds.organization o ON o.id = s.organization_id
    WHERE s.id = service_json.id
$$;
