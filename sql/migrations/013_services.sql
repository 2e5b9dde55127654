-- Recovery support services: a directory beside the meetings, in the shape
-- of Open Referral HSDS 3.0 (https://docs.openreferral.org/en/latest/).
--
-- The tables live in their own schema, hsds, under HSDS's own names
-- (organization, service, location, service_at_location, address, phone,
-- schedule, language, cost_option, service_area, accessibility, taxonomy,
-- taxonomy_term, attribute), with the HSDS fields the finder uses. Ids are
-- uuids, as in HSDS; an import keeps a source's own uuid and derives one
-- from the source's key otherwise (hsds.make_id).
--
-- What HSDS has no field for is an extension, named as such below:
--   * the recovery vocabularies (categories, populations served, costs,
--     accessibility) are taxonomy terms, linked to a service by attribute
--     rows as HSDS does it, and copied into arrays on the service
--     (*_codes) that the search's GIN indexes serve; hsds.service_refresh()
--     rebuilds the arrays from the attributes after every write;
--   * hsds.recovery_housing (NARR level, certification, MOUD, gender,
--     population, beds) and hsds.peer_support (credential);
--   * a location's geography point and time zone, a schedule's IANA zone,
--     a service area's country, region and polygon.

ALTER TABLE sources DROP CONSTRAINT IF EXISTS sources_format_check;
ALTER TABLE sources ADD CONSTRAINT sources_format_check
    CHECK (format IN ('meeting-guide', 'bmlt', 'csv', 'hsds', 'demo'));

CREATE SCHEMA hsds;

-- Taxonomies ---------------------------------------------------------------

CREATE TABLE hsds.taxonomy (
    id          uuid PRIMARY KEY,
    name        text NOT NULL,
    description text,
    uri         text,
    version     text
);

CREATE TABLE hsds.taxonomy_term (
    id             uuid PRIMARY KEY,
    code           text,
    name           text NOT NULL,
    description    text,
    parent_id      uuid REFERENCES hsds.taxonomy_term (id),
    taxonomy       text,
    taxonomy_id    uuid REFERENCES hsds.taxonomy (id),
    language       text,
    term_uri       text,
    -- Extension: the Spanish label and description.
    name_es        text,
    description_es text,
    -- Extension: the order the finder lists a vocabulary in.
    position       smallint
);
CREATE UNIQUE INDEX taxonomy_term_code_idx ON hsds.taxonomy_term (taxonomy_id, code);

-- The finder's own vocabularies. Their ids are fixed, so that an HSDS
-- export from one finder imports into another with the same meaning.
INSERT INTO hsds.taxonomy (id, name, description, version) VALUES
    ('6f0e8a52-5b7e-4c36-9d0a-000000000001', 'recovery-support',
     'Recovery Finder: kinds of community recovery support', '1'),
    ('6f0e8a52-5b7e-4c36-9d0a-000000000002', 'recovery-population',
     'Recovery Finder: populations a service is for', '1'),
    ('6f0e8a52-5b7e-4c36-9d0a-000000000003', 'recovery-cost',
     'Recovery Finder: how a service is paid for', '1'),
    ('6f0e8a52-5b7e-4c36-9d0a-000000000004', 'recovery-accessibility',
     'Recovery Finder: accessibility of a service', '1');

INSERT INTO hsds.taxonomy_term (id, taxonomy_id, taxonomy, language, position, code, name,
                                name_es, description, description_es)
SELECT ('6f0e8a52-5b7e-4c36-9d0a-' || lpad(to_hex(t.n * 256 + v.pos), 12, '0'))::uuid,
       ('6f0e8a52-5b7e-4c36-9d0a-00000000000' || t.n)::uuid, t.name, 'en', v.pos,
       v.code, v.name, v.name_es, v.description, v.description_es
FROM (VALUES (1, 'recovery-support'), (2, 'recovery-population'), (3, 'recovery-cost'),
             (4, 'recovery-accessibility')) AS t (n, name)
JOIN (VALUES
    (1, 1, 'peer-support', 'Peer recovery coaching', 'Acompañamiento de pares en recuperación',
     'Peer recovery coaches and peer support workers: people in recovery, trained to help others start and keep recovery.',
     'Coaches y especialistas de apoyo entre pares: personas en recuperación formadas para ayudar a otras a iniciarla y mantenerla.'),
    (1, 2, 'case-management', 'Case and care management', 'Gestión de casos y de cuidados',
     'Help getting food, housing, income support, legal aid, transportation and employment.',
     'Ayuda para conseguir alimentos, vivienda, ingresos, asistencia legal, transporte y empleo.'),
    (1, 3, 'recovery-housing', 'Recovery housing', 'Vivienda de recuperación',
     'Alcohol- and drug-free homes for people in recovery, from peer-run houses to homes with services on site (NARR levels I–IV).',
     'Hogares libres de alcohol y drogas para personas en recuperación, desde casas gestionadas por pares hasta hogares con servicios (niveles NARR I–IV).'),
    (1, 4, 'employment', 'Supported employment and vocational rehabilitation',
     'Empleo con apoyo y rehabilitación vocacional',
     'Help finding, getting and keeping work, and training for it.',
     'Ayuda para buscar, conseguir y mantener un trabajo, y formación para ello.'),
    (1, 5, 'recovery-community-center', 'Recovery community centers',
     'Centros comunitarios de recuperación',
     'Places run by and for people in recovery: meetings, peer support, classes and a place to belong.',
     'Lugares gestionados por y para personas en recuperación: reuniones, apoyo entre pares, talleres y un lugar de pertenencia.'),
    (1, 6, 'telephone-support', 'Telephone and online recovery support',
     'Apoyo a la recuperación por teléfono y en línea',
     'Recovery check-ins, warmlines and peer support by phone, text or video.',
     'Llamadas de seguimiento, líneas de apoyo y acompañamiento entre pares por teléfono, mensaje o video.'),
    (1, 7, 'outreach', 'Assertive community outreach', 'Alcance comunitario activo',
     'Workers who go out to meet people where they are: on the street, in shelters, after an overdose.',
     'Equipos que salen al encuentro de las personas donde están: en la calle, en albergues, tras una sobredosis.'),
    (1, 8, 'family-support', 'Family support', 'Apoyo a familias',
     'Support, education and groups for parents, partners and families of people who use substances.',
     'Apoyo, información y grupos para madres, padres, parejas y familias de personas que consumen sustancias.'),
    (1, 9, 'cultural-community', 'Culturally specific communities of recovery',
     'Comunidades de recuperación culturalmente específicas',
     'Recovery communities rooted in a culture, faith, language or identity.',
     'Comunidades de recuperación arraigadas en una cultura, fe, idioma o identidad.'),
    (1, 10, 'digital-recovery', 'Digital recovery apps and tools',
     'Aplicaciones y herramientas digitales de recuperación',
     'Apps and online programs that support recovery.',
     'Aplicaciones y programas en línea que apoyan la recuperación.'),
    (2, 1, 'women', 'Women', 'Mujeres', NULL, NULL),
    (2, 2, 'men', 'Men', 'Hombres', NULL, NULL),
    (2, 3, 'youth', 'Youth and young adults', 'Jóvenes', NULL, NULL),
    (2, 4, 'older-adults', 'Older adults', 'Personas mayores', NULL, NULL),
    (2, 5, 'veterans', 'Veterans', 'Veteranos', NULL, NULL),
    (2, 6, 'lgbtq', 'LGBTQ+', 'LGBTQ+', NULL, NULL),
    (2, 7, 'justice-involved', 'People involved with the justice system',
     'Personas con antecedentes judiciales', NULL, NULL),
    (2, 8, 'families', 'Families', 'Familias', NULL, NULL),
    (3, 1, 'free', 'Free', 'Gratis', NULL, NULL),
    (3, 2, 'sliding-scale', 'Sliding scale', 'Tarifa según ingresos', NULL, NULL),
    (3, 3, 'medicaid', 'Medicaid', 'Medicaid', NULL, NULL),
    (3, 4, 'private-insurance', 'Private insurance', 'Seguro privado', NULL, NULL),
    (3, 5, 'self-pay', 'Self-pay', 'Pago propio', NULL, NULL),
    (4, 1, 'wheelchair', 'Wheelchair accessible', 'Accesible en silla de ruedas', NULL, NULL),
    (4, 2, 'hearing-loop', 'Hearing loop', 'Bucle de inducción auditiva', NULL, NULL),
    (4, 3, 'sign-language', 'Sign language', 'Lengua de señas', NULL, NULL),
    (4, 4, 'tty', 'TTY and relay calls', 'TTY y servicio de retransmisión', NULL, NULL),
    (4, 5, 'large-print', 'Large print', 'Letra grande', NULL, NULL),
    (4, 6, 'screen-reader', 'Works with screen readers', 'Compatible con lectores de pantalla',
     NULL, NULL),
    (4, 7, 'transit', 'Near public transit', 'Cerca del transporte público', NULL, NULL)
) AS v (taxonomy, pos, code, name, name_es, description, description_es)
  ON v.taxonomy = t.n;

-- Names of outside taxonomies' terms (Open Eligibility, 211/AIRS, a
-- directory's own) that mean one of the finder's categories, as lower-case
-- keys of the term's name or code; an import maps terms through it.
CREATE TABLE hsds.category_crosswalk (
    term_key text PRIMARY KEY,
    code     text NOT NULL
);
INSERT INTO hsds.category_crosswalk (term_key, code) VALUES
    ('peer support', 'peer-support'), ('peer recovery support', 'peer-support'),
    ('peer recovery coaching', 'peer-support'), ('recovery coaching', 'peer-support'),
    ('peer counseling', 'peer-support'), ('peer support services', 'peer-support'),
    ('case management', 'case-management'), ('care management', 'case-management'),
    ('care coordination', 'case-management'), ('help find housing', 'case-management'),
    ('benefits assistance', 'case-management'), ('legal aid', 'case-management'),
    ('sober living', 'recovery-housing'), ('recovery housing', 'recovery-housing'),
    ('recovery residences', 'recovery-housing'), ('transitional housing', 'recovery-housing'),
    ('supported employment', 'employment'), ('vocational rehabilitation', 'employment'),
    ('job training', 'employment'), ('help find work', 'employment'),
    ('employment', 'employment'), ('career counseling', 'employment'),
    ('recovery community center', 'recovery-community-center'),
    ('recovery community organization', 'recovery-community-center'),
    ('drop-in center', 'recovery-community-center'),
    ('warmline', 'telephone-support'), ('telephone support', 'telephone-support'),
    ('hotlines', 'telephone-support'), ('help hotlines', 'telephone-support'),
    ('street outreach', 'outreach'), ('outreach', 'outreach'),
    ('family support', 'family-support'), ('family counseling', 'family-support'),
    ('support groups', 'family-support'), ('parenting education', 'family-support'),
    ('12-step', 'cultural-community'), ('culturally specific services', 'cultural-community'),
    ('digital recovery support', 'digital-recovery'), ('recovery apps', 'digital-recovery');

-- Organizations, services, locations ----------------------------------------

CREATE TABLE hsds.organization (
    id                     uuid PRIMARY KEY,
    source_id              integer NOT NULL REFERENCES sources (id),
    source_key             text NOT NULL,
    name                   text NOT NULL CHECK (name <> ''),
    alternate_name         text,
    description            text,
    email                  text,
    website                text,
    tax_status             text,
    tax_id                 text,
    year_incorporated      integer,
    legal_status           text,
    logo                   text,
    uri                    text,
    parent_organization_id uuid,
    UNIQUE (source_id, source_key)
);

CREATE TABLE hsds.service (
    id                      uuid PRIMARY KEY,
    source_id               integer NOT NULL REFERENCES sources (id),
    source_key              text NOT NULL,
    organization_id         uuid NOT NULL REFERENCES hsds.organization (id),
    name                    text NOT NULL CHECK (name <> ''),
    alternate_name          text,
    description             text,
    url                     text,
    email                   text,
    status                  text NOT NULL DEFAULT 'active'
        CHECK (status IN ('active', 'inactive', 'defunct', 'temporarily closed')),
    interpretation_services text,
    application_process     text,
    fees_description        text,
    wait_time               text,
    fees                    text,
    accreditations          text,
    eligibility_description text,
    minimum_age             numeric,
    maximum_age             numeric,
    -- HSDS: the date the service's information was last checked.
    assured_date            date,
    assurer_email           text,
    licenses                text,
    alert                   text,
    last_modified           timestamptz,
    -- Extension: whether the service welcomes people taking medication for
    -- opioid use disorder (NULL: it does not say).
    moud                    boolean,
    -- Extension: the vocabularies' codes (from attribute rows) and language
    -- codes (from language rows) of the service and its locations, for the
    -- search (hsds.service_refresh).
    category_codes          text[] NOT NULL DEFAULT '{}',
    population_codes        text[] NOT NULL DEFAULT '{}',
    cost_codes              text[] NOT NULL DEFAULT '{}',
    accessibility_codes     text[] NOT NULL DEFAULT '{}',
    language_codes          text[] NOT NULL DEFAULT '{}',
    search_doc              tsvector NOT NULL DEFAULT ''::tsvector,
    -- Extension: opening hours as minutes of the week (see "Opening hours"
    -- below): the UTC minutes at which it may be open, for the index, and,
    -- when exact, the local minutes and their zone.
    hours_utc               int4multirange,
    hours_local             int4multirange,
    hours_zone              text,
    -- Extension: how the finder keeps it. An import deactivates a service
    -- its source no longer lists (inactive_since) and brings it back when
    -- the source lists it again. import_hash: the staged record's digest.
    import_hash             text,
    inactive_since          timestamptz,
    updated_at              timestamptz NOT NULL DEFAULT now(),
    listed                  boolean NOT NULL
        GENERATED ALWAYS AS (status = 'active' AND inactive_since IS NULL) STORED,
    UNIQUE (source_id, source_key)
);
CREATE INDEX service_organization_idx ON hsds.service (organization_id);
CREATE INDEX service_name_idx ON hsds.service (name, id) WHERE listed;
CREATE INDEX service_category_idx ON hsds.service USING gin (category_codes) WHERE listed;
CREATE INDEX service_search_idx ON hsds.service USING gin (search_doc) WHERE listed;
CREATE INDEX service_modified_idx ON hsds.service (updated_at);
CREATE INDEX service_hours_idx ON hsds.service USING gist (hours_utc) WHERE listed;

CREATE TABLE hsds.location (
    id                       uuid PRIMARY KEY,
    source_id                integer NOT NULL REFERENCES sources (id),
    source_key               text NOT NULL,
    location_type            text NOT NULL DEFAULT 'physical'
        CHECK (location_type IN ('physical', 'postal', 'virtual')),
    url                      text,
    organization_id          uuid REFERENCES hsds.organization (id),
    name                     text,
    alternate_name           text,
    description              text,
    transportation           text,
    -- As the source gave them, even when they are not a place on Earth.
    latitude                 numeric,
    longitude                numeric,
    external_identifier      text,
    external_identifier_type text,
    -- Extension: the point searched by distance: latitude and longitude
    -- when they are a real place, else the gazetteer's place for the
    -- address (geocoded 'zip' or 'city'), else NULL (not on the map).
    geog                     geography(Point, 4326),
    geocoded                 text CHECK (geocoded IN ('zip', 'city')),
    -- Extension: the IANA time zone of the location's schedules.
    timezone                 text,
    UNIQUE (source_id, source_key)
);
CREATE INDEX location_geog_idx ON hsds.location USING gist (geog);
CREATE INDEX location_organization_idx ON hsds.location (organization_id);

CREATE TABLE hsds.service_at_location (
    id          uuid PRIMARY KEY,
    service_id  uuid NOT NULL REFERENCES hsds.service (id) ON DELETE CASCADE,
    location_id uuid NOT NULL REFERENCES hsds.location (id) ON DELETE CASCADE,
    description text,
    UNIQUE (location_id, service_id)
);
CREATE INDEX service_at_location_service_idx ON hsds.service_at_location (service_id);

CREATE TABLE hsds.address (
    id             uuid PRIMARY KEY,
    location_id    uuid NOT NULL REFERENCES hsds.location (id) ON DELETE CASCADE,
    attention      text,
    address_1      text,
    address_2      text,
    city           text,
    region         text,
    state_province text,
    postal_code    text,
    country        text,
    address_type   text NOT NULL DEFAULT 'physical'
        CHECK (address_type IN ('physical', 'postal', 'virtual'))
);
CREATE INDEX address_location_idx ON hsds.address (location_id);

CREATE TABLE hsds.accessibility (
    id          uuid PRIMARY KEY,
    location_id uuid NOT NULL REFERENCES hsds.location (id) ON DELETE CASCADE,
    description text,
    details     text,
    url         text
);
CREATE INDEX accessibility_location_idx ON hsds.accessibility (location_id);

-- Phones, schedules, languages, costs, areas --------------------------------

-- A phone belongs to a service, a location or an organization (HSDS lets
-- one row name several; the finder keeps at least one).
CREATE TABLE hsds.phone (
    id                     uuid PRIMARY KEY,
    service_id             uuid REFERENCES hsds.service (id) ON DELETE CASCADE,
    location_id            uuid REFERENCES hsds.location (id) ON DELETE CASCADE,
    organization_id        uuid REFERENCES hsds.organization (id) ON DELETE CASCADE,
    service_at_location_id uuid REFERENCES hsds.service_at_location (id) ON DELETE CASCADE,
    number                 text NOT NULL CHECK (number <> ''),
    extension              text,
    type                   text,
    description            text,
    CHECK (num_nonnulls(service_id, location_id, organization_id, service_at_location_id) > 0)
);
CREATE INDEX phone_service_idx ON hsds.phone (service_id);
CREATE INDEX phone_location_idx ON hsds.phone (location_id);
CREATE INDEX phone_organization_idx ON hsds.phone (organization_id);
CREATE INDEX phone_service_at_location_idx ON hsds.phone (service_at_location_id);

-- RRULE-like, as HSDS: freq WEEKLY with byday 'MO,TU', or MONTHLY with
-- byday '2MO' or '-1FR'; opens_at..closes_at local time, past midnight when
-- closes_at <= opens_at (the same time: the whole day).
CREATE TABLE hsds.schedule (
    id                     uuid PRIMARY KEY,
    service_id             uuid REFERENCES hsds.service (id) ON DELETE CASCADE,
    location_id            uuid REFERENCES hsds.location (id) ON DELETE CASCADE,
    service_at_location_id uuid REFERENCES hsds.service_at_location (id) ON DELETE CASCADE,
    valid_from             date,
    valid_to               date,
    dtstart                date,
    -- HSDS: the UTC offset in hours, as the source gave it.
    timezone               numeric,
    until                  date,
    count                  integer,
    wkst                   text,
    freq                   text CHECK (freq IN ('WEEKLY', 'MONTHLY')),
    interval               integer,
    byday                  text,
    byweekno               text,
    bymonthday             text,
    byyearday              text,
    description            text,
    opens_at               time,
    closes_at              time,
    schedule_link          text,
    attending_type         text,
    notes                  text,
    -- Extension: the IANA zone (or a '+03:00' offset) the times are in;
    -- NULL: the location's zone, else the source's default.
    tz                     text,
    CHECK (num_nonnulls(service_id, location_id, service_at_location_id) > 0)
);
CREATE INDEX schedule_service_idx ON hsds.schedule (service_id);
CREATE INDEX schedule_location_idx ON hsds.schedule (location_id);
CREATE INDEX schedule_service_at_location_idx ON hsds.schedule (service_at_location_id);

CREATE TABLE hsds.language (
    id          uuid PRIMARY KEY,
    service_id  uuid REFERENCES hsds.service (id) ON DELETE CASCADE,
    location_id uuid REFERENCES hsds.location (id) ON DELETE CASCADE,
    phone_id    uuid REFERENCES hsds.phone (id) ON DELETE CASCADE,
    name        text,
    -- ISO 639 (two letters where there are two, as the search's lang=).
    code        text,
    note        text,
    CHECK (num_nonnulls(service_id, location_id, phone_id) > 0)
);
CREATE INDEX language_service_idx ON hsds.language (service_id);
CREATE INDEX language_location_idx ON hsds.language (location_id);
CREATE INDEX language_phone_idx ON hsds.language (phone_id);

CREATE TABLE hsds.cost_option (
    id                 uuid PRIMARY KEY,
    service_id         uuid NOT NULL REFERENCES hsds.service (id) ON DELETE CASCADE,
    valid_from         date,
    valid_to           date,
    option             text,
    currency           text,
    amount             numeric,
    amount_description text
);
CREATE INDEX cost_option_service_idx ON hsds.cost_option (service_id);

-- Where a service reaches people who do not come to a location: a phone
-- line for a state, an app for a country, an outreach team's polygon.
CREATE TABLE hsds.service_area (
    id          uuid PRIMARY KEY,
    service_id  uuid NOT NULL REFERENCES hsds.service (id) ON DELETE CASCADE,
    name        text,
    description text,
    extent      text,
    extent_type text,
    uri         text,
    -- Extension: what the search covers. A polygon (from a GeoJSON or WKT
    -- extent), or a country (ISO 3166-1 alpha-2) with, for a state or
    -- province, its letter code as the gazetteer writes it (MO, ON).
    country     text CHECK (country ~ '^[A-Z]{2}$'),
    region      text,
    geom        geography(MultiPolygon, 4326),
    CHECK (region IS NULL OR country IS NOT NULL)
);
CREATE INDEX service_area_service_idx ON hsds.service_area (service_id);
CREATE INDEX service_area_geom_idx ON hsds.service_area USING gist (geom);
CREATE INDEX service_area_region_idx ON hsds.service_area (country, region);

-- HSDS: links a taxonomy term to any record (link_entity names its table).
CREATE TABLE hsds.attribute (
    id               uuid PRIMARY KEY,
    link_id          uuid NOT NULL,
    taxonomy_term_id uuid NOT NULL REFERENCES hsds.taxonomy_term (id),
    link_type        text,
    link_entity      text NOT NULL,
    value            text
);
CREATE INDEX attribute_link_idx ON hsds.attribute (link_id);
CREATE INDEX attribute_term_idx ON hsds.attribute (taxonomy_term_id);

-- Recovery extensions ---------------------------------------------------------

-- A recovery residence (DOMAIN.md: NARR levels are a kind of support, not a
-- rating: I peer-run, II monitored, III supervised, IV service provider).
CREATE TABLE hsds.recovery_housing (
    service_id           uuid PRIMARY KEY REFERENCES hsds.service (id) ON DELETE CASCADE,
    narr_level           smallint CHECK (narr_level BETWEEN 1 AND 4),
    certifying_body      text,
    certification_status text
        CHECK (certification_status IN ('certified', 'pending', 'not-certified', 'expired')),
    moud_allowed         boolean,
    gender_served        text CHECK (gender_served IN ('men', 'women', 'all')),
    population_served    text,
    beds                 integer CHECK (beds >= 0),
    beds_available       integer CHECK (beds_available >= 0)
);

-- A peer recovery support service's credential (a state peer certification).
CREATE TABLE hsds.peer_support (
    service_id         uuid PRIMARY KEY REFERENCES hsds.service (id) ON DELETE CASCADE,
    credential         text,
    credentialing_body text
);

-- Functions ------------------------------------------------------------------

-- The id a record of a source gets: the source's own id when it is a uuid,
-- else one derived from the source, the table and the key (stable across
-- imports).
CREATE FUNCTION hsds.derived_id(source_slug text, kind text, key text) RETURNS uuid
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT md5(source_slug || E'\x1f' || kind || E'\x1f' || key)::uuid $$;

-- A service's search document: its name and its organization's (A), other
-- names (B), description (C), eligibility and fees (D).
CREATE FUNCTION hsds.service_doc(s hsds.service, org_name text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT setweight(to_tsvector('finder'::regconfig, coalesce(s.name, '')), 'A')
        || setweight(to_tsvector('finder'::regconfig, coalesce(org_name, '')), 'A')
        || setweight(to_tsvector('finder'::regconfig, coalesce(s.alternate_name, '')), 'B')
        || setweight(to_tsvector('finder'::regconfig, coalesce(s.description, '')), 'C')
        || setweight(to_tsvector('finder'::regconfig,
                                 coalesce(s.eligibility_description, '') || ' '
                                 || coalesce(s.fees_description, '')), 'D')
$$;


-- The gazetteer's country and region of a point: those of the nearest
-- place (city or ZIP centre) within 150 km, as a service area's country
-- and region are written. No row far from every known place.
CREATE INDEX places_geog_idx ON places
    USING gist ((ST_SetSRID(ST_MakePoint(lng, lat), 4326)::geography));

CREATE FUNCTION hsds.point_area(lat double precision, lng double precision,
                                OUT country text, OUT region text)
RETURNS SETOF record
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT p.country, p.region
    FROM places p
    WHERE ST_DWithin(ST_SetSRID(ST_MakePoint(p.lng, p.lat), 4326)::geography,
                     ST_SetSRID(ST_MakePoint($2, $1), 4326)::geography, 150000)
    ORDER BY ST_SetSRID(ST_MakePoint(p.lng, p.lat), 4326)::geography
             <-> ST_SetSRID(ST_MakePoint($2, $1), 4326)::geography
    LIMIT 1
$$;

-- A local timestamp of the instant at in zone: an IANA name or a '+03:00'
-- offset (east of UTC positive, as ISO 8601 writes it).
CREATE FUNCTION hsds.local_time(at timestamptz, zone text) RETURNS timestamp
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN zone ~ '^[+-][0-9]{2}:[0-9]{2}$'
                THEN (at AT TIME ZONE 'UTC') + zone::interval
                ELSE at AT TIME ZONE zone END
$$;

-- Opening hours ---------------------------------------------------------------

-- Two ways to tell whether a service is open at an instant. The first
-- reads its schedules (hsds.service_open, hsds.services_open): exact, and
-- the definition. The second (hsds.open_at, below) looks up minutes of the
-- week kept on the service, and gives the same answers fast enough to test
-- every match of a search.

-- Whether a byday list ('MO,TU', '2MO', '-1FR') of freq names local date
-- d: an item names d when it is d's day code, with for freq MONTHLY an
-- optional ordinal that must be d's week of the month counted from the
-- start (2MO) or from the end (-1MO); items that are not of that form match
-- nothing. PL/pgSQL, whose compiled form a session keeps: it is called
-- once per schedule a search looks at.
CREATE FUNCTION hsds.byday_matches(freq text, byday text, d date) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
AS $$
DECLARE
    code text := (ARRAY['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'])
                     [extract(dow FROM d)::integer + 1];
    from_start integer := (extract(day FROM d)::integer - 1) / 7 + 1;
    last_day integer := extract(day FROM date_trunc('month', d) + interval '1 month - 1 day');
    from_end integer := (last_day - extract(day FROM d)::integer) / 7 + 1;
    items text := upper(replace(coalesce(byday, ''), ' ', ''));
BEGIN
    IF freq IS DISTINCT FROM 'MONTHLY' THEN
        RETURN items ~ ('(^|,)(-?[1-5])?' || code || '(,|$)');
    END IF;
    RETURN items ~ ('(^|,)(' || from_start || ')?' || code || '(,|$)')
        OR items ~ ('(^|,)-' || from_end || code || '(,|$)');
END
$$;

-- Whether schedule row s is open at instant at, its times read in zone. A
-- schedule without both times, or without days, says nothing: false. One
-- expression, which PostgreSQL inlines into its caller.
CREATE FUNCTION hsds.schedule_open(s hsds.schedule, zone text, at timestamptz)
RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT s.opens_at IS NOT NULL AND s.closes_at IS NOT NULL
       AND (s.valid_from IS NULL OR hsds.local_time(at, zone)::date >= s.valid_from)
       AND (s.valid_to IS NULL OR hsds.local_time(at, zone)::date <= s.valid_to)
       AND (s.until IS NULL OR hsds.local_time(at, zone)::date <= s.until)
       AND CASE
           WHEN s.opens_at < s.closes_at THEN
               hsds.byday_matches(s.freq, s.byday, hsds.local_time(at, zone)::date)
               AND hsds.local_time(at, zone)::time >= s.opens_at
               AND hsds.local_time(at, zone)::time < s.closes_at
           ELSE -- past midnight, or the whole day when the times are equal
               (hsds.byday_matches(s.freq, s.byday, hsds.local_time(at, zone)::date)
                AND hsds.local_time(at, zone)::time >= s.opens_at)
               OR (hsds.byday_matches(s.freq, s.byday, hsds.local_time(at, zone)::date - 1)
                   AND hsds.local_time(at, zone)::time < s.closes_at)
       END
$$;

-- Whether each of the services ids is open at instant at: a service's
-- schedules are its own, its locations' and its service_at_location rows';
-- a schedule's zone is its own, its location's, the service's first
-- location's, else the source's default. A service none of whose schedules
-- has days and times has no row (its answer is NULL). The schedules are
-- found through indexes, once per set rather than once per service.
CREATE FUNCTION hsds.services_open(ids uuid[], at timestamptz,
                                   OUT service_id uuid, OUT open boolean)
RETURNS SETOF record
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT z.service_id, coalesce(bool_or(hsds.schedule_open(z.s, z.zone, at)), false)
    FROM (
        SELECT k.service_id, sc AS s,
               coalesce(sc.tz, l.timezone,
                        (SELECT sl.timezone FROM hsds.service_at_location sal
                         JOIN hsds.location sl ON sl.id = sal.location_id
                         WHERE sal.service_id = k.service_id AND sl.timezone IS NOT NULL
                         ORDER BY sl.id LIMIT 1),
                        src.default_timezone) AS zone
        FROM (SELECT h.service_id, h.id FROM hsds.schedule h WHERE h.service_id = ANY (ids)
              UNION
              SELECT sal.service_id, h.id
              FROM hsds.service_at_location sal
              JOIN hsds.schedule h ON h.location_id = sal.location_id
              WHERE sal.service_id = ANY (ids)
              UNION
              SELECT sal.service_id, h.id
              FROM hsds.service_at_location sal
              JOIN hsds.schedule h ON h.service_at_location_id = sal.id
              WHERE sal.service_id = ANY (ids)) k
        JOIN hsds.schedule sc ON sc.id = k.id
        JOIN hsds.service sv ON sv.id = k.service_id
        JOIN sources src ON src.id = sv.source_id
        LEFT JOIN hsds.service_at_location own ON own.id = sc.service_at_location_id
        LEFT JOIN hsds.location l ON l.id = coalesce(sc.location_id, own.location_id)
        WHERE sc.opens_at IS NOT NULL AND sc.closes_at IS NOT NULL
        -- Kept a subquery, so that zone stays a plain column and
        -- hsds.schedule_open is inlined rather than run as a function.
        OFFSET 0
    ) z
    GROUP BY z.service_id
$$;

-- Whether service id is open at instant at (NULL: its schedules do not
-- say): one case of hsds.services_open.
CREATE FUNCTION hsds.service_open(service_id uuid, at timestamptz) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT o.open FROM hsds.services_open(ARRAY[$1], $2) o
$$;

-- Opening hours as ranges of minutes of the week, so that "open now" is an
-- index lookup and an integer comparison rather than a walk through every
-- matching service's schedules (hsds.services_open for every match: at
-- 100,000 services, open_now anywhere and the facets took 5-6 s, past the
-- statement timeout).
--
-- Minutes of the week count from Sunday 00:00 (0) to Saturday 23:59
-- (10079). For each service, hsds.service_hours_refresh keeps:
--   hours_utc   the UTC minutes at which it may be open: every schedule with
--               days and times, shifted by each offset its zone has in the
--               year (standard and summer time), MONTHLY days and validity
--               dates ignored. A superset of the truth, for the GiST index.
--               NULL when no schedule has both times (open_now unknown).
--   hours_local the local minutes at which it is open, and hours_zone their
--               zone, when that is exact: every schedule WEEKLY (or without
--               freq), without validity dates, all in one zone. Else NULL,
--               and hsds.open_at asks hsds.service_open.
-- hsds.open_at(service, at) gives the same answer as
-- hsds.service_open(id, at), faster: tests/sql/test_service_hours.sql
-- checks that for every service at hard instants, and
-- tests/api/test_services.py checks both against a model in Python.

-- The minute of the week an opening starts: at opens on day (0 = Sunday),
-- moved shift minutes earlier, wrapped around the week.
CREATE FUNCTION hsds.week_start(day integer, opens time, shift integer) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT ((day * 1440 + extract(hour FROM opens)::integer * 60
             + extract(minute FROM opens)::integer - shift) % 10080 + 10080) % 10080
$$;

-- How many minutes an opening lasts: to closes, past midnight when closes
-- <= opens (the same time: 24 hours).
CREATE FUNCTION hsds.open_minutes(opens time, closes time) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN closes > opens THEN (extract(epoch FROM closes - opens) / 60)::integer
                ELSE 1440 - (extract(epoch FROM opens - closes) / 60)::integer END
$$;

-- The minutes of the week an opening covers: from opens on day (0 =
-- Sunday) to closes, past midnight when closes <= opens (the same time: 24
-- hours), moved shift minutes earlier, wrapped around the week's end.
CREATE FUNCTION hsds.week_ranges(day integer, opens time, closes time, shift integer)
RETURNS int4multirange
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    -- One expression (no FROM), so that PostgreSQL inlines it into the
    -- refresh's query instead of calling it once a schedule and day.
    SELECT CASE
        WHEN hsds.week_start(day, opens, shift) + hsds.open_minutes(opens, closes) <= 10080
        THEN int4multirange(int4range(hsds.week_start(day, opens, shift),
                                      hsds.week_start(day, opens, shift)
                                      + hsds.open_minutes(opens, closes)))
        ELSE int4multirange(int4range(hsds.week_start(day, opens, shift), 10080),
                            int4range(0, hsds.week_start(day, opens, shift)
                                         + hsds.open_minutes(opens, closes) - 10080))
    END
$$;

-- The minute of the week of instant at in zone (an IANA name or '+03:00').
CREATE FUNCTION hsds.week_minute(at timestamptz, zone text) RETURNS integer
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    -- One expression, inlined into the search's filter. date_trunc('week')
    -- is a Monday: Sunday is 1440 minutes before it.
    SELECT ((floor(extract(epoch FROM hsds.local_time(at, zone)
                                     - date_trunc('week', hsds.local_time(at, zone))) / 60)::integer
             + 1440) % 10080)
$$;

-- The offsets (minutes east of UTC) a zone has this year: one, or two where
-- it keeps summer time.
CREATE FUNCTION hsds.zone_offsets(zone text) RETURNS SETOF integer
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT DISTINCT (extract(epoch FROM hsds.local_time(t, zone) - (t AT TIME ZONE 'UTC')) / 60)::integer
    FROM (VALUES (date_trunc('year', now()) + interval '14 days'),
                 (date_trunc('year', now()) + interval '195 days')) AS v (t)
$$;

-- Recomputes the hours columns of the given services (all when ids is
-- NULL). hsds.service_refresh calls it.
CREATE FUNCTION hsds.service_hours_refresh(ids uuid[]) RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
    n integer;
BEGIN
    WITH sched AS (
        -- Each service's schedules with days and times, and their zones,
        -- found as hsds.services_open finds them.
        SELECT k.service_id, sc.freq, sc.byday, sc.opens_at, sc.closes_at,
               sc.valid_from IS NULL AND sc.valid_to IS NULL AND sc.until IS NULL
                   AND sc.freq IS DISTINCT FROM 'MONTHLY' AS simple,
               coalesce(sc.tz, l.timezone,
                        (SELECT sl.timezone FROM hsds.service_at_location sal
                         JOIN hsds.location sl ON sl.id = sal.location_id
                         WHERE sal.service_id = k.service_id AND sl.timezone IS NOT NULL
                         ORDER BY sl.id LIMIT 1),
                        src.default_timezone) AS zone
        FROM (SELECT h.service_id, h.id FROM hsds.schedule h
              WHERE ids IS NULL AND h.service_id IS NOT NULL OR h.service_id = ANY (ids)
              UNION
              SELECT sal.service_id, h.id
              FROM hsds.service_at_location sal
              JOIN hsds.schedule h ON h.location_id = sal.location_id
              WHERE ids IS NULL OR sal.service_id = ANY (ids)
              UNION
              SELECT sal.service_id, h.id
              FROM hsds.service_at_location sal
              JOIN hsds.schedule h ON h.service_at_location_id = sal.id
              WHERE ids IS NULL OR sal.service_id = ANY (ids)) k
        JOIN hsds.schedule sc ON sc.id = k.id
        JOIN hsds.service sv ON sv.id = k.service_id
        JOIN sources src ON src.id = sv.source_id
        LEFT JOIN hsds.service_at_location own ON own.id = sc.service_at_location_id
        LEFT JOIN hsds.location l ON l.id = coalesce(sc.location_id, own.location_id)
        WHERE sc.opens_at IS NOT NULL AND sc.closes_at IS NOT NULL
    ),
    days AS (
        -- One row per schedule and day it names (ordinals dropped: a
        -- superset for MONTHLY).
        SELECT s.*, d.dow
        FROM sched s
        CROSS JOIN LATERAL (
            SELECT DISTINCT array_position(ARRAY['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'],
                                           right(item, 2)) - 1 AS dow
            FROM unnest(string_to_array(upper(replace(coalesce(s.byday, ''), ' ', '')), ','))
                 AS item
            WHERE item ~ '^(-?[1-5])?(SU|MO|TU|WE|TH|FR|SA)$'
        ) d
    ),
    offsets AS (
        SELECT z.zone, o.offset_min
        FROM (SELECT DISTINCT zone FROM sched) z
        CROSS JOIN LATERAL hsds.zone_offsets(z.zone) AS o (offset_min)
    ),
    utc AS (
        SELECT d.service_id, range_agg(r) AS ranges
        FROM days d
        JOIN offsets o ON o.zone = d.zone
        CROSS JOIN LATERAL unnest(hsds.week_ranges(d.dow, d.opens_at, d.closes_at,
                                                   o.offset_min)) AS r
        GROUP BY d.service_id
    ),
    local AS (
        SELECT d.service_id, range_agg(r) AS ranges
        FROM days d
        CROSS JOIN LATERAL unnest(hsds.week_ranges(d.dow, d.opens_at, d.closes_at, 0)) AS r
        GROUP BY d.service_id
    ),
    exact AS (
        SELECT s.service_id, bool_and(s.simple) AND count(DISTINCT s.zone) = 1 AS exact,
               min(s.zone) AS zone
        FROM sched s
        GROUP BY s.service_id
    ),
    hours AS (
        SELECT e.service_id, coalesce(u.ranges, '{}') AS utc,
               CASE WHEN e.exact THEN coalesce(l.ranges, '{}') END AS local,
               CASE WHEN e.exact THEN e.zone END AS zone
        FROM exact e
        LEFT JOIN utc u ON u.service_id = e.service_id
        LEFT JOIN local l ON l.service_id = e.service_id
    )
    UPDATE hsds.service sv
    SET hours_utc = h.utc, hours_local = h.local, hours_zone = h.zone
    FROM hsds.service x
    LEFT JOIN hours h ON h.service_id = x.id
    WHERE sv.id = x.id AND (ids IS NULL OR x.id = ANY (ids))
      AND (sv.hours_utc, sv.hours_local, sv.hours_zone)
          IS DISTINCT FROM (h.utc, h.local, h.zone);
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END
$$;

-- Whether service s is open at instant at: NULL when no schedule of it
-- has days and times. The same answer as hsds.service_open(s.id, at).
CREATE FUNCTION hsds.open_at(s hsds.service, at timestamptz) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN s.hours_utc IS NULL THEN NULL
                WHEN NOT s.hours_utc @> hsds.week_minute(at, 'UTC') THEN false
                WHEN s.hours_zone IS NOT NULL
                    THEN s.hours_local @> hsds.week_minute(at, s.hours_zone)
                ELSE hsds.service_open(s.id, at) END
$$;

-- Rebuilds the search columns of the given services (all when ids is NULL)
-- from their attribute and language rows, their organization's name and
-- their schedules (hsds.service_hours_refresh). Every writer calls it after
-- writing (the import; the demo loader writes the same columns itself).
-- The arrays are subqueries of the SET list, and the languages found
-- through two index lookups (an OR of the service's and its locations'
-- languages read the whole language table once a service).
CREATE FUNCTION hsds.service_refresh(ids uuid[]) RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
    n integer;
BEGIN
    UPDATE hsds.service s
    SET (category_codes, population_codes, cost_codes, accessibility_codes) = (
            SELECT coalesce(array_agg(DISTINCT t.code ORDER BY t.code)
                                FILTER (WHERE x.name = 'recovery-support'), '{}'),
                   coalesce(array_agg(DISTINCT t.code ORDER BY t.code)
                                FILTER (WHERE x.name = 'recovery-population'), '{}'),
                   coalesce(array_agg(DISTINCT t.code ORDER BY t.code)
                                FILTER (WHERE x.name = 'recovery-cost'), '{}'),
                   coalesce(array_agg(DISTINCT t.code ORDER BY t.code)
                                FILTER (WHERE x.name = 'recovery-accessibility'), '{}')
            FROM hsds.attribute a
            JOIN hsds.taxonomy_term t ON t.id = a.taxonomy_term_id
            JOIN hsds.taxonomy x ON x.id = t.taxonomy_id
            WHERE a.link_id = s.id AND x.name LIKE 'recovery-%'),
        -- Two index lookups: an OR of the service's and its locations'
        -- languages scanned the whole language table once a service.
        language_codes = coalesce(
            (SELECT array_agg(DISTINCT x.code ORDER BY x.code)
             FROM (SELECT l.code FROM hsds.language l WHERE l.service_id = s.id
                   UNION ALL
                   SELECT l.code
                   FROM hsds.service_at_location sal
                   JOIN hsds.language l ON l.location_id = sal.location_id
                   WHERE sal.service_id = s.id) x
             WHERE x.code IS NOT NULL), '{}'),
        search_doc = hsds.service_doc(s, o.name)
    FROM hsds.organization o
    WHERE o.id = s.organization_id AND (ids IS NULL OR s.id = ANY (ids));
    GET DIAGNOSTICS n = ROW_COUNT;
    PERFORM hsds.service_hours_refresh(ids);
    RETURN n;
END
$$;
