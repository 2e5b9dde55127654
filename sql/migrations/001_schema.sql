-- The core schema: fellowships, meeting types, sources, locations, meetings.
-- Applied once by scripts/db.sh migrate, inside one transaction, and recorded
-- in schema_migrations.

CREATE EXTENSION IF NOT EXISTS postgis;

CREATE TABLE fellowships (
    id       smallint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug     text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    name     text NOT NULL,
    -- Who the fellowship's meetings are for: people in recovery, their
    -- families and friends, or both.
    audience text NOT NULL CHECK (audience IN ('recovery', 'family', 'both'))
);

-- Meeting Guide type codes plus this project's MOUD (medication-friendly).
CREATE TABLE meeting_types (
    code  text PRIMARY KEY CHECK (code ~ '^[A-Za-z0-9-]{1,12}$'),
    label text NOT NULL
);

-- Where meetings come from: a feed, a spreadsheet, or the demo generator.
CREATE TABLE sources (
    id               integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug             text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    name             text NOT NULL,
    default_timezone text NOT NULL DEFAULT 'UTC',
    demo             boolean NOT NULL DEFAULT false,
    created_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE locations (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_id   integer NOT NULL REFERENCES sources (id),
    name        text,
    address     text,
    city        text,
    region      text,
    postal_code text,
    country     text,
    -- NULL for a location that could not be placed on the map.
    geog        geography(Point, 4326)
);
CREATE INDEX locations_geog_idx ON locations USING gist (geog);
CREATE INDEX locations_source_idx ON locations (source_id);

CREATE TABLE meetings (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_id        integer NOT NULL REFERENCES sources (id),
    source_key       text NOT NULL,
    fellowship_id    smallint NOT NULL REFERENCES fellowships (id),
    name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
    slug             text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'
                                                 AND length(slug) <= 100),
    -- 0 = Sunday ... 6 = Saturday; NULL day and time = by appointment.
    day              smallint CHECK (day BETWEEN 0 AND 6),
    start_time       time,
    end_time         time,
    timezone         text NOT NULL,
    attendance       text NOT NULL CHECK (attendance IN ('in_person', 'online', 'hybrid')),
    types            text[] NOT NULL DEFAULT '{}',
    conference_url   text,
    conference_phone text,
    notes            text,
    group_name       text,
    location_id      bigint REFERENCES locations (id),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    active           boolean NOT NULL DEFAULT true,
    UNIQUE (source_id, source_key),
    CHECK ((day IS NULL) = (start_time IS NULL)),
    -- An in-person or hybrid meeting has a place; an online one has a link
    -- or a phone number (the Meeting Guide rule).
    CHECK (attendance = 'online' OR location_id IS NOT NULL),
    CHECK (attendance = 'in_person' OR conference_url IS NOT NULL
                                    OR conference_phone IS NOT NULL)
);
CREATE INDEX meetings_location_idx ON meetings (location_id) WHERE active;
CREATE INDEX meetings_schedule_idx ON meetings (day, start_time, id) WHERE active;
CREATE INDEX meetings_types_idx ON meetings USING gin (types) WHERE active;
CREATE INDEX meetings_fellowship_idx ON meetings (fellowship_id) WHERE active;
