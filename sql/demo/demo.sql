-- Demo data for Recovery Finder: every meeting, group, venue, address, link
-- and phone number made here is FICTIONAL. Only the city centres (and their
-- time zones) are real, so that searches by place, distance and time of day
-- behave as they would on real data. Conference links point at
-- meet.example.org and phone numbers use the fictional 555-01xx range.
--
-- Usage (scripts/stack.sh db_demo; as the cluster superuser):
--     psql -d finder -f sql/demo/demo.sql -c "SELECT demo.load(20000)"
--
-- The data is DETERMINISTIC: nothing calls random() or now(). Every choice is
-- taken from hashint8extended(row number, choice number), so the same n gives
-- byte-identical rows on every load (tests can pin fingerprints, screenshots
-- and examples stay stable), and meeting i never depends on n: demo.load(1000)
-- is a prefix of demo.load(500000). Everything is set-based SQL, fast enough
-- for 500,000 meetings.
--
-- This file is idempotent: it re-creates schema demo's tables and functions.
-- demo.load(n) replaces any earlier demo data (source slug 'demo').

SET client_encoding = 'UTF8';
SET client_min_messages = warning;

CREATE SCHEMA IF NOT EXISTS demo;

-- A non-negative 63-bit hash of (row number, choice number): the only source
-- of variety in the demo data.
CREATE OR REPLACE FUNCTION demo.h(i bigint, k integer) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT hashint8extended(i, k) & 9223372036854775807 $$;

-- The same as a fraction in [0, 1).
CREATE OR REPLACE FUNCTION demo.u(i bigint, k integer) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT (demo.h(i, k) >> 11)::double precision / 4503599627370496.0 $$;

-- One element of a word list, chosen by a hash.
CREATE OR REPLACE FUNCTION demo.pick(words text[], h bigint) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT words[1 + (h % cardinality(words))::integer] $$;

-- "Women's Step Study" -> 'womens-step-study'; accents folded, ß -> ss.
CREATE OR REPLACE FUNCTION demo.slugify(s text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT trim(BOTH '-' FROM regexp_replace(
        lower(translate(replace(replace(replace(s, 'ß', 'ss'), '&', ' and '), '''', ''),
                        'áàâäãåéèêëíìîïóòôöõúùûüñçÁÀÂÄÃÅÉÈÊËÍÌÎÏÓÒÔÖÕÚÙÛÜÑÇ',
                        'aaaaaaeeeeiiiiooooouuuuncAAAAAAEEEEIIIIOOOOOUUUUNC')),
        '[^a-z0-9]+', '-', 'g'))
$$;

-- The same for a template: '{day} Night Live' -> '{day}-night-live'.
CREATE OR REPLACE FUNCTION demo.slug_template(s text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT regexp_replace(demo.slugify(regexp_replace(s, '\{([a-z]+)\}', 'QQ\1QQ', 'g')),
                          'qq([a-z]+?)qq', '{\1}', 'g')
$$;

CREATE OR REPLACE FUNCTION demo.slug_templates(words text[]) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT ARRAY(SELECT demo.slug_template(w) FROM unnest(words) WITH ORDINALITY AS u (w, k)
                 ORDER BY k)
$$;


-- Real city centres. weight: rough population in thousands (metro for
-- Australia, whose cities proper are small); demo.load scales cities outside
-- the US down so that the data is mostly American. lang: the language most
-- local meetings use; alt_pct percent of meetings use alt_lang instead
-- (Spanish in US cities). postal_prefixes: the start of local postal codes.
-- arc_from/arc_span: the sector (bearing in degrees clockwise from north)
-- that is land, so that venues of lake and sea shore cities stay out of the
-- water (Chicago: west of the lakefront).
DROP TABLE IF EXISTS demo.cities CASCADE;
CREATE TABLE demo.cities (
    id              smallint PRIMARY KEY,
    name            text NOT NULL,
    region          text NOT NULL,
    country         text NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
    lat             double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lng             double precision NOT NULL CHECK (lng BETWEEN -180 AND 180),
    timezone        text NOT NULL,
    weight          integer NOT NULL CHECK (weight > 0),
    lang            text NOT NULL CHECK (lang IN ('en', 'es', 'fr', 'de')),
    alt_lang        text NOT NULL CHECK (alt_lang IN ('en', 'es', 'fr', 'de')),
    alt_pct         smallint NOT NULL CHECK (alt_pct BETWEEN 0 AND 100),
    postal_prefixes text[] NOT NULL,
    arc_from        smallint NOT NULL DEFAULT 0,
    arc_span        smallint NOT NULL DEFAULT 360 CHECK (arc_span BETWEEN 1 AND 360),
    slug            text GENERATED ALWAYS AS (demo.slugify(name)) STORED,
    -- Word lists for venues and addresses follow local usage.
    locale          text GENERATED ALWAYS AS (
                        CASE WHEN lang = 'fr' THEN 'qc'
                             WHEN lang = 'es' AND country = 'ES' THEN 'es'
                             WHEN lang = 'es' THEN 'mx'
                             WHEN country = 'DE' THEN 'de'
                             WHEN country IN ('GB', 'IE') THEN 'gb'
                             WHEN country = 'AU' THEN 'au'
                             ELSE 'us' END) STORED,
    -- Venues are placed up to this far from the centre: 20 km for the
    -- largest cities, less for small ones.
    radius_km       double precision GENERATED ALWAYS AS
                        (least(20.0, 4.0 + 0.3 * sqrt(weight::double precision))) STORED,
    UNIQUE (name, region, country)
);

INSERT INTO demo.cities (id, name, region, country, lat, lng, timezone, weight,
                         lang, alt_lang, alt_pct, postal_prefixes, arc_from, arc_span)
VALUES
    (1, 'New York', 'NY', 'US', 40.7128, -74.0060, 'America/New_York', 8300, 'en', 'es', 10, ARRAY['100'], 0, 360),
    (2, 'Boston', 'MA', 'US', 42.3601, -71.0589, 'America/New_York', 650, 'en', 'es', 5, ARRAY['021'], 170, 210),
    (3, 'Philadelphia', 'PA', 'US', 39.9526, -75.1652, 'America/New_York', 1580, 'en', 'es', 6, ARRAY['191'], 0, 360),
    (4, 'Pittsburgh', 'PA', 'US', 40.4406, -79.9959, 'America/New_York', 300, 'en', 'es', 2, ARRAY['152'], 0, 360),
    (5, 'Buffalo', 'NY', 'US', 42.8864, -78.8784, 'America/New_York', 275, 'en', 'es', 3, ARRAY['142'], 330, 200),
    (6, 'Rochester', 'NY', 'US', 43.1566, -77.6088, 'America/New_York', 210, 'en', 'es', 4, ARRAY['146'], 0, 360),
    (7, 'Syracuse', 'NY', 'US', 43.0481, -76.1474, 'America/New_York', 145, 'en', 'es', 3, ARRAY['132'], 0, 360),
    (8, 'Albany', 'NY', 'US', 42.6526, -73.7562, 'America/New_York', 100, 'en', 'es', 3, ARRAY['122'], 0, 360),
    (9, 'Hartford', 'CT', 'US', 41.7658, -72.6734, 'America/New_York', 120, 'en', 'es', 15, ARRAY['061'], 0, 360),
    (10, 'New Haven', 'CT', 'US', 41.3083, -72.9279, 'America/New_York', 135, 'en', 'es', 8, ARRAY['065'], 250, 220),
    (11, 'Providence', 'RI', 'US', 41.8240, -71.4128, 'America/New_York', 190, 'en', 'es', 12, ARRAY['029'], 270, 210),
    (12, 'Worcester', 'MA', 'US', 42.2626, -71.8023, 'America/New_York', 205, 'en', 'es', 6, ARRAY['016'], 0, 360),
    (13, 'Springfield', 'MA', 'US', 42.1015, -72.5898, 'America/New_York', 155, 'en', 'es', 12, ARRAY['011'], 0, 360),
    (14, 'Portland', 'ME', 'US', 43.6591, -70.2568, 'America/New_York', 68, 'en', 'es', 1, ARRAY['041'], 190, 160),
    (15, 'Manchester', 'NH', 'US', 42.9956, -71.4548, 'America/New_York', 115, 'en', 'es', 3, ARRAY['031'], 0, 360),
    (16, 'Burlington', 'VT', 'US', 44.4759, -73.2121, 'America/New_York', 45, 'en', 'es', 1, ARRAY['054'], 0, 180),
    (17, 'Newark', 'NJ', 'US', 40.7357, -74.1724, 'America/New_York', 310, 'en', 'es', 12, ARRAY['071'], 0, 360),
    (18, 'Jersey City', 'NJ', 'US', 40.7178, -74.0431, 'America/New_York', 290, 'en', 'es', 10, ARRAY['073'], 180, 180),
    (19, 'Trenton', 'NJ', 'US', 40.2206, -74.7597, 'America/New_York', 90, 'en', 'es', 10, ARRAY['086'], 0, 360),
    (20, 'Allentown', 'PA', 'US', 40.6023, -75.4714, 'America/New_York', 125, 'en', 'es', 12, ARRAY['181'], 0, 360),
    (21, 'Scranton', 'PA', 'US', 41.4090, -75.6624, 'America/New_York', 76, 'en', 'es', 4, ARRAY['185'], 0, 360),
    (22, 'Harrisburg', 'PA', 'US', 40.2732, -76.8867, 'America/New_York', 50, 'en', 'es', 5, ARRAY['171'], 0, 360),
    (23, 'Erie', 'PA', 'US', 42.1292, -80.0851, 'America/New_York', 95, 'en', 'es', 2, ARRAY['165'], 80, 200),
    (24, 'Baltimore', 'MD', 'US', 39.2904, -76.6122, 'America/New_York', 580, 'en', 'es', 4, ARRAY['212'], 200, 270),
    (25, 'Washington', 'DC', 'US', 38.9072, -77.0369, 'America/New_York', 690, 'en', 'es', 8, ARRAY['200'], 0, 360),
    (26, 'Wilmington', 'DE', 'US', 39.7391, -75.5398, 'America/New_York', 71, 'en', 'es', 5, ARRAY['198'], 0, 360),
    (27, 'Richmond', 'VA', 'US', 37.5407, -77.4360, 'America/New_York', 230, 'en', 'es', 4, ARRAY['232'], 0, 360),
    (28, 'Norfolk', 'VA', 'US', 36.8508, -76.2859, 'America/New_York', 235, 'en', 'es', 3, ARRAY['235'], 90, 210),
    (29, 'Virginia Beach', 'VA', 'US', 36.8529, -75.9780, 'America/New_York', 455, 'en', 'es', 3, ARRAY['234'], 180, 180),
    (30, 'Roanoke', 'VA', 'US', 37.2710, -79.9414, 'America/New_York', 100, 'en', 'es', 2, ARRAY['240'], 0, 360),
    (31, 'Charleston', 'WV', 'US', 38.3498, -81.6326, 'America/New_York', 48, 'en', 'es', 1, ARRAY['253'], 0, 360),
    (32, 'Charlotte', 'NC', 'US', 35.2271, -80.8431, 'America/New_York', 880, 'en', 'es', 6, ARRAY['282'], 0, 360),
    (33, 'Raleigh', 'NC', 'US', 35.7796, -78.6382, 'America/New_York', 470, 'en', 'es', 5, ARRAY['276'], 0, 360),
    (34, 'Durham', 'NC', 'US', 35.9940, -78.8986, 'America/New_York', 285, 'en', 'es', 6, ARRAY['277'], 0, 360),
    (35, 'Greensboro', 'NC', 'US', 36.0726, -79.7920, 'America/New_York', 300, 'en', 'es', 4, ARRAY['274'], 0, 360),
    (36, 'Asheville', 'NC', 'US', 35.5951, -82.5515, 'America/New_York', 95, 'en', 'es', 2, ARRAY['288'], 0, 360),
    (37, 'Wilmington', 'NC', 'US', 34.2257, -77.9447, 'America/New_York', 120, 'en', 'es', 3, ARRAY['284'], 0, 360),
    (38, 'Charleston', 'SC', 'US', 32.7765, -79.9311, 'America/New_York', 150, 'en', 'es', 2, ARRAY['294'], 220, 200),
    (39, 'Columbia', 'SC', 'US', 34.0007, -81.0348, 'America/New_York', 137, 'en', 'es', 3, ARRAY['292'], 0, 360),
    (40, 'Greenville', 'SC', 'US', 34.8526, -82.3940, 'America/New_York', 72, 'en', 'es', 4, ARRAY['296'], 0, 360),
    (41, 'Atlanta', 'GA', 'US', 33.7490, -84.3880, 'America/New_York', 500, 'en', 'es', 5, ARRAY['303'], 0, 360),
    (42, 'Savannah', 'GA', 'US', 32.0809, -81.0912, 'America/New_York', 147, 'en', 'es', 3, ARRAY['314'], 0, 360),
    (43, 'Augusta', 'GA', 'US', 33.4735, -82.0105, 'America/New_York', 200, 'en', 'es', 3, ARRAY['309'], 0, 360),
    (44, 'Jacksonville', 'FL', 'US', 30.3322, -81.6557, 'America/New_York', 950, 'en', 'es', 5, ARRAY['322'], 0, 360),
    (45, 'Miami', 'FL', 'US', 25.7617, -80.1918, 'America/New_York', 450, 'en', 'es', 35, ARRAY['331'], 185, 170),
    (46, 'Tampa', 'FL', 'US', 27.9506, -82.4572, 'America/New_York', 390, 'en', 'es', 8, ARRAY['336'], 300, 180),
    (47, 'Orlando', 'FL', 'US', 28.5383, -81.3792, 'America/New_York', 310, 'en', 'es', 10, ARRAY['328'], 0, 360),
    (48, 'St. Petersburg', 'FL', 'US', 27.7676, -82.6403, 'America/New_York', 260, 'en', 'es', 4, ARRAY['337'], 200, 180),
    (49, 'Fort Lauderdale', 'FL', 'US', 26.1224, -80.1373, 'America/New_York', 182, 'en', 'es', 12, ARRAY['333'], 185, 170),
    (50, 'West Palm Beach', 'FL', 'US', 26.7153, -80.0534, 'America/New_York', 117, 'en', 'es', 10, ARRAY['334'], 185, 170),
    (51, 'Tallahassee', 'FL', 'US', 30.4383, -84.2807, 'America/New_York', 196, 'en', 'es', 3, ARRAY['323'], 0, 360),
    (52, 'Pensacola', 'FL', 'US', 30.4213, -87.2169, 'America/Chicago', 54, 'en', 'es', 2, ARRAY['325'], 270, 190),
    (53, 'Gainesville', 'FL', 'US', 29.6516, -82.3248, 'America/New_York', 141, 'en', 'es', 4, ARRAY['326'], 0, 360),
    (54, 'Fort Myers', 'FL', 'US', 26.6406, -81.8723, 'America/New_York', 92, 'en', 'es', 8, ARRAY['339'], 0, 360),
    (55, 'Birmingham', 'AL', 'US', 33.5186, -86.8104, 'America/Chicago', 200, 'en', 'es', 2, ARRAY['352'], 0, 360),
    (56, 'Montgomery', 'AL', 'US', 32.3792, -86.3077, 'America/Chicago', 200, 'en', 'es', 2, ARRAY['361'], 0, 360),
    (57, 'Mobile', 'AL', 'US', 30.6954, -88.0399, 'America/Chicago', 187, 'en', 'es', 2, ARRAY['366'], 200, 240),
    (58, 'Huntsville', 'AL', 'US', 34.7304, -86.5861, 'America/Chicago', 215, 'en', 'es', 3, ARRAY['358'], 0, 360),
    (59, 'Jackson', 'MS', 'US', 32.2988, -90.1848, 'America/Chicago', 150, 'en', 'es', 1, ARRAY['392'], 0, 360),
    (60, 'Nashville', 'TN', 'US', 36.1627, -86.7816, 'America/Chicago', 690, 'en', 'es', 5, ARRAY['372'], 0, 360),
    (61, 'Memphis', 'TN', 'US', 35.1495, -90.0490, 'America/Chicago', 630, 'en', 'es', 4, ARRAY['381'], 0, 360),
    (62, 'Knoxville', 'TN', 'US', 35.9606, -83.9207, 'America/New_York', 190, 'en', 'es', 2, ARRAY['379'], 0, 360),
    (63, 'Chattanooga', 'TN', 'US', 35.0456, -85.3097, 'America/New_York', 180, 'en', 'es', 3, ARRAY['374'], 0, 360),
    (64, 'Louisville', 'KY', 'US', 38.2527, -85.7585, 'America/Kentucky/Louisville', 620, 'en', 'es', 3, ARRAY['402'], 0, 360),
    (65, 'Lexington', 'KY', 'US', 38.0406, -84.5037, 'America/New_York', 320, 'en', 'es', 4, ARRAY['405'], 0, 360),
    (66, 'New Orleans', 'LA', 'US', 29.9511, -90.0715, 'America/Chicago', 380, 'en', 'es', 5, ARRAY['701'], 80, 200),
    (67, 'Baton Rouge', 'LA', 'US', 30.4515, -91.1871, 'America/Chicago', 225, 'en', 'es', 2, ARRAY['708'], 0, 360),
    (68, 'Shreveport', 'LA', 'US', 32.5252, -93.7502, 'America/Chicago', 185, 'en', 'es', 2, ARRAY['711'], 0, 360),
    (69, 'Little Rock', 'AR', 'US', 34.7465, -92.2896, 'America/Chicago', 200, 'en', 'es', 4, ARRAY['722'], 0, 360),
    (70, 'Chicago', 'IL', 'US', 41.8781, -87.6298, 'America/Chicago', 2700, 'en', 'es', 10, ARRAY['606'], 170, 180),
    (71, 'Aurora', 'IL', 'US', 41.7606, -88.3201, 'America/Chicago', 180, 'en', 'es', 25, ARRAY['605'], 0, 360),
    (72, 'Rockford', 'IL', 'US', 42.2711, -89.0940, 'America/Chicago', 148, 'en', 'es', 8, ARRAY['611'], 0, 360),
    (73, 'Springfield', 'IL', 'US', 39.7817, -89.6501, 'America/Chicago', 114, 'en', 'es', 2, ARRAY['627'], 0, 360),
    (74, 'Peoria', 'IL', 'US', 40.6936, -89.5890, 'America/Chicago', 113, 'en', 'es', 3, ARRAY['616'], 0, 360),
    (75, 'Milwaukee', 'WI', 'US', 43.0389, -87.9065, 'America/Chicago', 575, 'en', 'es', 8, ARRAY['532'], 185, 170),
    (76, 'Madison', 'WI', 'US', 43.0731, -89.4012, 'America/Chicago', 270, 'en', 'es', 4, ARRAY['537'], 0, 360),
    (77, 'Green Bay', 'WI', 'US', 44.5133, -88.0133, 'America/Chicago', 107, 'en', 'es', 6, ARRAY['543'], 150, 180),
    (78, 'Minneapolis', 'MN', 'US', 44.9778, -93.2650, 'America/Chicago', 425, 'en', 'es', 5, ARRAY['554'], 0, 360),
    (79, 'St. Paul', 'MN', 'US', 44.9537, -93.0900, 'America/Chicago', 305, 'en', 'es', 5, ARRAY['551'], 0, 360),
    (80, 'Duluth', 'MN', 'US', 46.7867, -92.1005, 'America/Chicago', 87, 'en', 'es', 1, ARRAY['558'], 225, 180),
    (81, 'Des Moines', 'IA', 'US', 41.5868, -93.6250, 'America/Chicago', 215, 'en', 'es', 5, ARRAY['503'], 0, 360),
    (82, 'Cedar Rapids', 'IA', 'US', 41.9779, -91.6656, 'America/Chicago', 137, 'en', 'es', 2, ARRAY['524'], 0, 360),
    (83, 'Detroit', 'MI', 'US', 42.3314, -83.0458, 'America/Detroit', 640, 'en', 'es', 5, ARRAY['482'], 200, 220),
    (84, 'Grand Rapids', 'MI', 'US', 42.9634, -85.6681, 'America/Detroit', 200, 'en', 'es', 6, ARRAY['495'], 0, 360),
    (85, 'Lansing', 'MI', 'US', 42.7325, -84.5555, 'America/Detroit', 113, 'en', 'es', 4, ARRAY['489'], 0, 360),
    (86, 'Ann Arbor', 'MI', 'US', 42.2808, -83.7430, 'America/Detroit', 123, 'en', 'es', 3, ARRAY['481'], 0, 360),
    (87, 'Indianapolis', 'IN', 'US', 39.7684, -86.1581, 'America/Indiana/Indianapolis', 880, 'en', 'es', 4, ARRAY['462'], 0, 360),
    (88, 'Fort Wayne', 'IN', 'US', 41.0793, -85.1394, 'America/Indiana/Indianapolis', 265, 'en', 'es', 4, ARRAY['468'], 0, 360),
    (89, 'Gary', 'IN', 'US', 41.5934, -87.3464, 'America/Chicago', 70, 'en', 'es', 6, ARRAY['464'], 90, 180),
    (90, 'Columbus', 'OH', 'US', 39.9612, -82.9988, 'America/New_York', 900, 'en', 'es', 3, ARRAY['432'], 0, 360),
    (91, 'Cleveland', 'OH', 'US', 41.4993, -81.6944, 'America/New_York', 370, 'en', 'es', 6, ARRAY['441'], 75, 210),
    (92, 'Cincinnati', 'OH', 'US', 39.1031, -84.5120, 'America/New_York', 310, 'en', 'es', 2, ARRAY['452'], 0, 360),
    (93, 'Toledo', 'OH', 'US', 41.6528, -83.5379, 'America/New_York', 270, 'en', 'es', 5, ARRAY['436'], 0, 360),
    (94, 'Akron', 'OH', 'US', 41.0814, -81.5190, 'America/New_York', 190, 'en', 'es', 1, ARRAY['443'], 0, 360),
    (95, 'Dayton', 'OH', 'US', 39.7589, -84.1916, 'America/New_York', 137, 'en', 'es', 2, ARRAY['454'], 0, 360),
    (96, 'St. Louis', 'MO', 'US', 38.6270, -90.1994, 'America/Chicago', 300, 'en', 'es', 2, ARRAY['631'], 0, 360),
    (97, 'Kansas City', 'MO', 'US', 39.0997, -94.5786, 'America/Chicago', 510, 'en', 'es', 6, ARRAY['641'], 0, 360),
    (98, 'Springfield', 'MO', 'US', 37.2090, -93.2923, 'America/Chicago', 170, 'en', 'es', 2, ARRAY['658'], 0, 360),
    (99, 'Wichita', 'KS', 'US', 37.6872, -97.3301, 'America/Chicago', 395, 'en', 'es', 10, ARRAY['672'], 0, 360),
    (100, 'Topeka', 'KS', 'US', 39.0473, -95.6752, 'America/Chicago', 126, 'en', 'es', 8, ARRAY['666'], 0, 360),
    (101, 'Omaha', 'NE', 'US', 41.2565, -95.9345, 'America/Chicago', 485, 'en', 'es', 8, ARRAY['681'], 0, 360),
    (102, 'Lincoln', 'NE', 'US', 40.8136, -96.7026, 'America/Chicago', 290, 'en', 'es', 4, ARRAY['685'], 0, 360),
    (103, 'Sioux Falls', 'SD', 'US', 43.5446, -96.7311, 'America/Chicago', 195, 'en', 'es', 3, ARRAY['571'], 0, 360),
    (104, 'Rapid City', 'SD', 'US', 44.0805, -103.2310, 'America/Denver', 75, 'en', 'es', 2, ARRAY['577'], 0, 360),
    (105, 'Fargo', 'ND', 'US', 46.8772, -96.7898, 'America/Chicago', 125, 'en', 'es', 2, ARRAY['581'], 0, 360),
    (106, 'Bismarck', 'ND', 'US', 46.8083, -100.7837, 'America/Chicago', 74, 'en', 'es', 1, ARRAY['585'], 0, 360),
    (107, 'Houston', 'TX', 'US', 29.7604, -95.3698, 'America/Chicago', 2300, 'en', 'es', 18, ARRAY['770'], 0, 360),
    (108, 'Dallas', 'TX', 'US', 32.7767, -96.7970, 'America/Chicago', 1300, 'en', 'es', 15, ARRAY['752'], 0, 360),
    (109, 'San Antonio', 'TX', 'US', 29.4241, -98.4936, 'America/Chicago', 1450, 'en', 'es', 25, ARRAY['782'], 0, 360),
    (110, 'Austin', 'TX', 'US', 30.2672, -97.7431, 'America/Chicago', 960, 'en', 'es', 10, ARRAY['787'], 0, 360),
    (111, 'Fort Worth', 'TX', 'US', 32.7555, -97.3308, 'America/Chicago', 920, 'en', 'es', 10, ARRAY['761'], 0, 360),
    (112, 'El Paso', 'TX', 'US', 31.7619, -106.4850, 'America/Denver', 680, 'en', 'es', 35, ARRAY['799'], 300, 180),
    (113, 'Corpus Christi', 'TX', 'US', 27.8006, -97.3964, 'America/Chicago', 317, 'en', 'es', 20, ARRAY['784'], 180, 180),
    (114, 'Laredo', 'TX', 'US', 27.5306, -99.4803, 'America/Chicago', 255, 'en', 'es', 45, ARRAY['780'], 330, 180),
    (115, 'Brownsville', 'TX', 'US', 25.9017, -97.4975, 'America/Chicago', 186, 'en', 'es', 40, ARRAY['785'], 270, 180),
    (116, 'McAllen', 'TX', 'US', 26.2034, -98.2300, 'America/Chicago', 143, 'en', 'es', 45, ARRAY['785'], 270, 180),
    (117, 'Lubbock', 'TX', 'US', 33.5779, -101.8552, 'America/Chicago', 260, 'en', 'es', 8, ARRAY['794'], 0, 360),
    (118, 'Amarillo', 'TX', 'US', 35.2220, -101.8313, 'America/Chicago', 200, 'en', 'es', 8, ARRAY['791'], 0, 360),
    (119, 'Oklahoma City', 'OK', 'US', 35.4676, -97.5164, 'America/Chicago', 680, 'en', 'es', 6, ARRAY['731'], 0, 360),
    (120, 'Tulsa', 'OK', 'US', 36.1540, -95.9928, 'America/Chicago', 410, 'en', 'es', 5, ARRAY['741'], 0, 360),
    (121, 'Denver', 'CO', 'US', 39.7392, -104.9903, 'America/Denver', 715, 'en', 'es', 8, ARRAY['802'], 0, 360),
    (122, 'Colorado Springs', 'CO', 'US', 38.8339, -104.8214, 'America/Denver', 480, 'en', 'es', 5, ARRAY['809'], 0, 360),
    (123, 'Fort Collins', 'CO', 'US', 40.5853, -105.0844, 'America/Denver', 170, 'en', 'es', 3, ARRAY['805'], 0, 360),
    (124, 'Pueblo', 'CO', 'US', 38.2544, -104.6091, 'America/Denver', 111, 'en', 'es', 10, ARRAY['810'], 0, 360),
    (125, 'Albuquerque', 'NM', 'US', 35.0844, -106.6504, 'America/Denver', 565, 'en', 'es', 15, ARRAY['871'], 0, 360),
    (126, 'Santa Fe', 'NM', 'US', 35.6870, -105.9378, 'America/Denver', 88, 'en', 'es', 12, ARRAY['875'], 0, 360),
    (127, 'Las Cruces', 'NM', 'US', 32.3199, -106.7637, 'America/Denver', 111, 'en', 'es', 25, ARRAY['880'], 0, 360),
    (128, 'Phoenix', 'AZ', 'US', 33.4484, -112.0740, 'America/Phoenix', 1600, 'en', 'es', 15, ARRAY['850'], 0, 360),
    (129, 'Tucson', 'AZ', 'US', 32.2226, -110.9747, 'America/Phoenix', 540, 'en', 'es', 15, ARRAY['857'], 0, 360),
    (130, 'Flagstaff', 'AZ', 'US', 35.1983, -111.6513, 'America/Phoenix', 76, 'en', 'es', 4, ARRAY['860'], 0, 360),
    (131, 'Yuma', 'AZ', 'US', 32.6927, -114.6277, 'America/Phoenix', 95, 'en', 'es', 25, ARRAY['853'], 0, 360),
    (132, 'Salt Lake City', 'UT', 'US', 40.7608, -111.8910, 'America/Denver', 200, 'en', 'es', 6, ARRAY['841'], 0, 360),
    (133, 'Provo', 'UT', 'US', 40.2338, -111.6585, 'America/Denver', 115, 'en', 'es', 4, ARRAY['846'], 0, 360),
    (134, 'Ogden', 'UT', 'US', 41.2230, -111.9738, 'America/Denver', 87, 'en', 'es', 6, ARRAY['844'], 0, 360),
    (135, 'Las Vegas', 'NV', 'US', 36.1699, -115.1398, 'America/Los_Angeles', 640, 'en', 'es', 12, ARRAY['891'], 0, 360),
    (136, 'Reno', 'NV', 'US', 39.5296, -119.8138, 'America/Los_Angeles', 265, 'en', 'es', 6, ARRAY['895'], 0, 360),
    (137, 'Boise', 'ID', 'US', 43.6150, -116.2023, 'America/Boise', 235, 'en', 'es', 3, ARRAY['837'], 0, 360),
    (138, 'Billings', 'MT', 'US', 45.7833, -108.5007, 'America/Denver', 117, 'en', 'es', 1, ARRAY['591'], 0, 360),
    (139, 'Missoula', 'MT', 'US', 46.8721, -113.9940, 'America/Denver', 75, 'en', 'es', 1, ARRAY['598'], 0, 360),
    (140, 'Cheyenne', 'WY', 'US', 41.1400, -104.8202, 'America/Denver', 65, 'en', 'es', 3, ARRAY['820'], 0, 360),
    (141, 'Casper', 'WY', 'US', 42.8666, -106.3131, 'America/Denver', 59, 'en', 'es', 2, ARRAY['826'], 0, 360),
    (142, 'Los Angeles', 'CA', 'US', 34.0522, -118.2437, 'America/Los_Angeles', 3900, 'en', 'es', 25, ARRAY['900'], 0, 360),
    (143, 'San Diego', 'CA', 'US', 32.7157, -117.1611, 'America/Los_Angeles', 1390, 'en', 'es', 15, ARRAY['921'], 330, 200),
    (144, 'San Jose', 'CA', 'US', 37.3382, -121.8863, 'America/Los_Angeles', 1000, 'en', 'es', 12, ARRAY['951'], 0, 360),
    (145, 'San Francisco', 'CA', 'US', 37.7749, -122.4194, 'America/Los_Angeles', 810, 'en', 'es', 8, ARRAY['941'], 120, 120),
    (146, 'Oakland', 'CA', 'US', 37.8044, -122.2712, 'America/Los_Angeles', 430, 'en', 'es', 10, ARRAY['946'], 330, 230),
    (147, 'Sacramento', 'CA', 'US', 38.5816, -121.4944, 'America/Los_Angeles', 525, 'en', 'es', 8, ARRAY['958'], 0, 360),
    (148, 'Fresno', 'CA', 'US', 36.7378, -119.7871, 'America/Los_Angeles', 540, 'en', 'es', 15, ARRAY['937'], 0, 360),
    (149, 'Long Beach', 'CA', 'US', 33.7701, -118.1937, 'America/Los_Angeles', 460, 'en', 'es', 12, ARRAY['908'], 280, 160),
    (150, 'Bakersfield', 'CA', 'US', 35.3733, -119.0187, 'America/Los_Angeles', 400, 'en', 'es', 15, ARRAY['933'], 0, 360),
    (151, 'Anaheim', 'CA', 'US', 33.8366, -117.9143, 'America/Los_Angeles', 345, 'en', 'es', 15, ARRAY['928'], 0, 360),
    (152, 'Riverside', 'CA', 'US', 33.9806, -117.3755, 'America/Los_Angeles', 315, 'en', 'es', 15, ARRAY['925'], 0, 360),
    (153, 'San Bernardino', 'CA', 'US', 34.1083, -117.2898, 'America/Los_Angeles', 222, 'en', 'es', 18, ARRAY['924'], 0, 360),
    (154, 'Santa Barbara', 'CA', 'US', 34.4208, -119.6982, 'America/Los_Angeles', 88, 'en', 'es', 10, ARRAY['931'], 260, 200),
    (155, 'Santa Rosa', 'CA', 'US', 38.4404, -122.7141, 'America/Los_Angeles', 178, 'en', 'es', 8, ARRAY['954'], 0, 360),
    (156, 'Stockton', 'CA', 'US', 37.9577, -121.2908, 'America/Los_Angeles', 320, 'en', 'es', 12, ARRAY['952'], 0, 360),
    (157, 'Redding', 'CA', 'US', 40.5865, -122.3917, 'America/Los_Angeles', 93, 'en', 'es', 2, ARRAY['960'], 0, 360),
    (158, 'Eureka', 'CA', 'US', 40.8021, -124.1637, 'America/Los_Angeles', 26, 'en', 'es', 2, ARRAY['955'], 340, 220),
    (159, 'Palm Springs', 'CA', 'US', 33.8303, -116.5453, 'America/Los_Angeles', 45, 'en', 'es', 10, ARRAY['922'], 0, 360),
    (160, 'Seattle', 'WA', 'US', 47.6062, -122.3321, 'America/Los_Angeles', 740, 'en', 'es', 4, ARRAY['981'], 340, 240),
    (161, 'Spokane', 'WA', 'US', 47.6588, -117.4260, 'America/Los_Angeles', 230, 'en', 'es', 2, ARRAY['992'], 0, 360),
    (162, 'Tacoma', 'WA', 'US', 47.2529, -122.4443, 'America/Los_Angeles', 220, 'en', 'es', 4, ARRAY['984'], 60, 170),
    (163, 'Bellingham', 'WA', 'US', 48.7519, -122.4787, 'America/Los_Angeles', 92, 'en', 'es', 3, ARRAY['982'], 330, 210),
    (164, 'Olympia', 'WA', 'US', 47.0379, -122.9007, 'America/Los_Angeles', 55, 'en', 'es', 3, ARRAY['985'], 0, 360),
    (165, 'Portland', 'OR', 'US', 45.5152, -122.6784, 'America/Los_Angeles', 650, 'en', 'es', 5, ARRAY['972'], 0, 360),
    (166, 'Eugene', 'OR', 'US', 44.0521, -123.0868, 'America/Los_Angeles', 177, 'en', 'es', 3, ARRAY['974'], 0, 360),
    (167, 'Salem', 'OR', 'US', 44.9429, -123.0351, 'America/Los_Angeles', 177, 'en', 'es', 10, ARRAY['973'], 0, 360),
    (168, 'Bend', 'OR', 'US', 44.0582, -121.3153, 'America/Los_Angeles', 100, 'en', 'es', 3, ARRAY['977'], 0, 360),
    (169, 'Anchorage', 'AK', 'US', 61.2181, -149.9003, 'America/Anchorage', 290, 'en', 'es', 2, ARRAY['995'], 40, 150),
    (170, 'Fairbanks', 'AK', 'US', 64.8378, -147.7164, 'America/Anchorage', 32, 'en', 'es', 1, ARRAY['997'], 0, 360),
    (171, 'Juneau', 'AK', 'US', 58.3019, -134.4197, 'America/Juneau', 32, 'en', 'es', 1, ARRAY['998'], 0, 360),
    (172, 'Honolulu', 'HI', 'US', 21.3069, -157.8583, 'Pacific/Honolulu', 350, 'en', 'es', 1, ARRAY['968'], 280, 180),
    (173, 'Hilo', 'HI', 'US', 19.7241, -155.0868, 'Pacific/Honolulu', 45, 'en', 'es', 1, ARRAY['967'], 130, 170),
    (174, 'Kahului', 'HI', 'US', 20.8893, -156.4729, 'Pacific/Honolulu', 28, 'en', 'es', 1, ARRAY['967'], 90, 180),
    (175, 'San Juan', 'PR', 'US', 18.4655, -66.1057, 'America/Puerto_Rico', 340, 'es', 'en', 5, ARRAY['009'], 90, 180),
    (176, 'Toronto', 'ON', 'CA', 43.6532, -79.3832, 'America/Toronto', 2800, 'en', 'es', 3, ARRAY['M'], 260, 180),
    (177, 'Montréal', 'QC', 'CA', 45.5017, -73.5673, 'America/Toronto', 1760, 'fr', 'en', 35, ARRAY['H'], 0, 360),
    (178, 'Vancouver', 'BC', 'CA', 49.2827, -123.1207, 'America/Vancouver', 660, 'en', 'es', 2, ARRAY['V'], 80, 180),
    (179, 'Calgary', 'AB', 'CA', 51.0447, -114.0719, 'America/Edmonton', 1300, 'en', 'es', 2, ARRAY['T'], 0, 360),
    (180, 'Edmonton', 'AB', 'CA', 53.5461, -113.4938, 'America/Edmonton', 1010, 'en', 'es', 1, ARRAY['T'], 0, 360),
    (181, 'Ottawa', 'ON', 'CA', 45.4215, -75.6972, 'America/Toronto', 1000, 'en', 'fr', 15, ARRAY['K'], 0, 360),
    (182, 'Winnipeg', 'MB', 'CA', 49.8951, -97.1384, 'America/Winnipeg', 750, 'en', 'fr', 3, ARRAY['R'], 0, 360),
    (183, 'Québec', 'QC', 'CA', 46.8139, -71.2080, 'America/Toronto', 550, 'fr', 'en', 8, ARRAY['G'], 200, 220),
    (184, 'Hamilton', 'ON', 'CA', 43.2557, -79.8711, 'America/Toronto', 570, 'en', 'es', 2, ARRAY['L'], 140, 160),
    (185, 'Halifax', 'NS', 'CA', 44.6488, -63.5752, 'America/Halifax', 440, 'en', 'fr', 2, ARRAY['B'], 200, 180),
    (186, 'Victoria', 'BC', 'CA', 48.4284, -123.3656, 'America/Vancouver', 92, 'en', 'es', 1, ARRAY['V'], 315, 125),
    (187, 'Saskatoon', 'SK', 'CA', 52.1332, -106.6700, 'America/Regina', 270, 'en', 'es', 1, ARRAY['S'], 0, 360),
    (188, 'Regina', 'SK', 'CA', 50.4452, -104.6189, 'America/Regina', 230, 'en', 'es', 1, ARRAY['S'], 0, 360),
    (189, 'St. John''s', 'NL', 'CA', 47.5615, -52.7126, 'America/St_Johns', 110, 'en', 'es', 1, ARRAY['A'], 180, 180),
    (190, 'London', 'ON', 'CA', 42.9849, -81.2453, 'America/Toronto', 420, 'en', 'es', 2, ARRAY['N'], 0, 360),
    (191, 'Ciudad de México', 'CMX', 'MX', 19.4326, -99.1332, 'America/Mexico_City', 9200, 'es', 'en', 3, ARRAY['06'], 0, 360),
    (192, 'Guadalajara', 'JAL', 'MX', 20.6597, -103.3496, 'America/Mexico_City', 1400, 'es', 'en', 4, ARRAY['44'], 0, 360),
    (193, 'Monterrey', 'NLE', 'MX', 25.6866, -100.3161, 'America/Monterrey', 1150, 'es', 'en', 3, ARRAY['64'], 0, 360),
    (194, 'Tijuana', 'BCN', 'MX', 32.5149, -117.0382, 'America/Tijuana', 1900, 'es', 'en', 5, ARRAY['22'], 90, 140),
    (195, 'Puebla', 'PUE', 'MX', 19.0414, -98.2063, 'America/Mexico_City', 1700, 'es', 'en', 1, ARRAY['72'], 0, 360),
    (196, 'León', 'GUA', 'MX', 21.1250, -101.6860, 'America/Mexico_City', 1700, 'es', 'en', 1, ARRAY['37'], 0, 360),
    (197, 'Mérida', 'YUC', 'MX', 20.9674, -89.5926, 'America/Merida', 1000, 'es', 'en', 4, ARRAY['97'], 0, 360),
    (198, 'Querétaro', 'QUE', 'MX', 20.5888, -100.3899, 'America/Mexico_City', 1050, 'es', 'en', 2, ARRAY['76'], 0, 360),
    (199, 'Hermosillo', 'SON', 'MX', 29.0729, -110.9559, 'America/Hermosillo', 940, 'es', 'en', 2, ARRAY['83'], 0, 360),
    (200, 'Cancún', 'ROO', 'MX', 21.1619, -86.8515, 'America/Cancun', 890, 'es', 'en', 15, ARRAY['77'], 190, 160),
    (201, 'Culiacán', 'SIN', 'MX', 24.8091, -107.3940, 'America/Mazatlan', 1000, 'es', 'en', 1, ARRAY['80'], 0, 360),
    (202, 'Chihuahua', 'CHH', 'MX', 28.6320, -106.0691, 'America/Chihuahua', 940, 'es', 'en', 1, ARRAY['31'], 0, 360),
    (203, 'Aguascalientes', 'AGU', 'MX', 21.8853, -102.2916, 'America/Mexico_City', 950, 'es', 'en', 1, ARRAY['20'], 0, 360),
    (204, 'Mexicali', 'BCN', 'MX', 32.6245, -115.4523, 'America/Tijuana', 1050, 'es', 'en', 3, ARRAY['21'], 0, 360),
    (205, 'London', 'ENG', 'GB', 51.5074, -0.1278, 'Europe/London', 8900, 'en', 'es', 2, ARRAY['E','N','NW','SE','SW','W'], 0, 360),
    (206, 'Manchester', 'ENG', 'GB', 53.4808, -2.2426, 'Europe/London', 550, 'en', 'es', 1, ARRAY['M'], 0, 360),
    (207, 'Birmingham', 'ENG', 'GB', 52.4862, -1.8904, 'Europe/London', 1140, 'en', 'es', 1, ARRAY['B'], 0, 360),
    (208, 'Liverpool', 'ENG', 'GB', 53.4084, -2.9916, 'Europe/London', 490, 'en', 'es', 1, ARRAY['L'], 0, 200),
    (209, 'Leeds', 'ENG', 'GB', 53.8008, -1.5491, 'Europe/London', 800, 'en', 'es', 1, ARRAY['LS'], 0, 360),
    (210, 'Glasgow', 'SCT', 'GB', 55.8642, -4.2518, 'Europe/London', 630, 'en', 'es', 1, ARRAY['G'], 0, 360),
    (211, 'Edinburgh', 'SCT', 'GB', 55.9533, -3.1883, 'Europe/London', 525, 'en', 'es', 1, ARRAY['EH'], 80, 200),
    (212, 'Bristol', 'ENG', 'GB', 51.4545, -2.5879, 'Europe/London', 470, 'en', 'es', 1, ARRAY['BS'], 0, 360),
    (213, 'Cardiff', 'WLS', 'GB', 51.4816, -3.1791, 'Europe/London', 360, 'en', 'es', 1, ARRAY['CF'], 270, 190),
    (214, 'Belfast', 'NIR', 'GB', 54.5973, -5.9301, 'Europe/London', 345, 'en', 'es', 1, ARRAY['BT'], 140, 180),
    (215, 'Newcastle upon Tyne', 'ENG', 'GB', 54.9783, -1.6178, 'Europe/London', 300, 'en', 'es', 1, ARRAY['NE'], 0, 360),
    (216, 'Sheffield', 'ENG', 'GB', 53.3811, -1.4701, 'Europe/London', 560, 'en', 'es', 1, ARRAY['S'], 0, 360),
    (217, 'Nottingham', 'ENG', 'GB', 52.9548, -1.1581, 'Europe/London', 330, 'en', 'es', 1, ARRAY['NG'], 0, 360),
    (218, 'Dublin', 'D', 'IE', 53.3498, -6.2603, 'Europe/Dublin', 590, 'en', 'es', 1, ARRAY['D01','D02','D03','D04','D06','D07','D08','D09','D11','D12','D15','D24'], 180, 180),
    (219, 'Cork', 'CO', 'IE', 51.8985, -8.4756, 'Europe/Dublin', 210, 'en', 'es', 1, ARRAY['T12','T23'], 0, 360),
    (220, 'Galway', 'G', 'IE', 53.2707, -9.0568, 'Europe/Dublin', 85, 'en', 'es', 1, ARRAY['H91'], 270, 190),
    (221, 'Limerick', 'LK', 'IE', 52.6638, -8.6267, 'Europe/Dublin', 95, 'en', 'es', 1, ARRAY['V94'], 0, 360),
    (222, 'Madrid', 'MD', 'ES', 40.4168, -3.7038, 'Europe/Madrid', 3300, 'es', 'en', 4, ARRAY['28'], 0, 360),
    (223, 'Barcelona', 'CT', 'ES', 41.3851, 2.1734, 'Europe/Madrid', 1640, 'es', 'en', 6, ARRAY['08'], 200, 200),
    (224, 'Valencia', 'VC', 'ES', 39.4699, -0.3763, 'Europe/Madrid', 800, 'es', 'en', 3, ARRAY['46'], 180, 180),
    (225, 'Sevilla', 'AN', 'ES', 37.3891, -5.9845, 'Europe/Madrid', 685, 'es', 'en', 2, ARRAY['41'], 0, 360),
    (226, 'Málaga', 'AN', 'ES', 36.7213, -4.4214, 'Europe/Madrid', 580, 'es', 'en', 10, ARRAY['29'], 260, 200),
    (227, 'Bilbao', 'PV', 'ES', 43.2630, -2.9350, 'Europe/Madrid', 345, 'es', 'en', 2, ARRAY['48'], 0, 360),
    (228, 'Zaragoza', 'AR', 'ES', 41.6488, -0.8891, 'Europe/Madrid', 675, 'es', 'en', 1, ARRAY['50'], 0, 360),
    (229, 'Palma', 'IB', 'ES', 39.5696, 2.6502, 'Europe/Madrid', 420, 'es', 'en', 12, ARRAY['07'], 270, 190),
    (230, 'Las Palmas de Gran Canaria', 'CN', 'ES', 28.1235, -15.4363, 'Atlantic/Canary', 380, 'es', 'en', 8, ARRAY['35'], 160, 110),
    (231, 'Alicante', 'VC', 'ES', 38.3452, -0.4810, 'Europe/Madrid', 340, 'es', 'en', 12, ARRAY['03'], 210, 210),
    (232, 'Berlin', 'BE', 'DE', 52.5200, 13.4050, 'Europe/Berlin', 3700, 'de', 'en', 25, ARRAY['10','12','13'], 0, 360),
    (233, 'Hamburg', 'HH', 'DE', 53.5511, 9.9937, 'Europe/Berlin', 1850, 'de', 'en', 15, ARRAY['20','22'], 0, 360),
    (234, 'München', 'BY', 'DE', 48.1351, 11.5820, 'Europe/Berlin', 1500, 'de', 'en', 20, ARRAY['80','81'], 0, 360),
    (235, 'Köln', 'NW', 'DE', 50.9375, 6.9603, 'Europe/Berlin', 1080, 'de', 'en', 12, ARRAY['50','51'], 0, 360),
    (236, 'Frankfurt am Main', 'HE', 'DE', 50.1109, 8.6821, 'Europe/Berlin', 760, 'de', 'en', 20, ARRAY['60'], 0, 360),
    (237, 'Stuttgart', 'BW', 'DE', 48.7758, 9.1829, 'Europe/Berlin', 630, 'de', 'en', 10, ARRAY['70'], 0, 360),
    (238, 'Düsseldorf', 'NW', 'DE', 51.2277, 6.7735, 'Europe/Berlin', 620, 'de', 'en', 10, ARRAY['40'], 0, 360),
    (239, 'Leipzig', 'SN', 'DE', 51.3397, 12.3731, 'Europe/Berlin', 600, 'de', 'en', 5, ARRAY['04'], 0, 360),
    (240, 'Dresden', 'SN', 'DE', 51.0504, 13.7373, 'Europe/Berlin', 555, 'de', 'en', 5, ARRAY['01'], 0, 360),
    (241, 'Sydney', 'NSW', 'AU', -33.8688, 151.2093, 'Australia/Sydney', 5300, 'en', 'es', 1, ARRAY['20','21','22'], 180, 180),
    (242, 'Melbourne', 'VIC', 'AU', -37.8136, 144.9631, 'Australia/Melbourne', 5100, 'en', 'es', 1, ARRAY['30','31'], 270, 210),
    (243, 'Brisbane', 'QLD', 'AU', -27.4698, 153.0251, 'Australia/Brisbane', 2600, 'en', 'es', 1, ARRAY['40','41'], 0, 360),
    (244, 'Perth', 'WA', 'AU', -31.9505, 115.8605, 'Australia/Perth', 2100, 'en', 'es', 1, ARRAY['60','61'], 350, 200),
    (245, 'Adelaide', 'SA', 'AU', -34.9285, 138.6007, 'Australia/Adelaide', 1400, 'en', 'es', 1, ARRAY['50'], 350, 200),
    (246, 'Gold Coast', 'QLD', 'AU', -28.0167, 153.4000, 'Australia/Brisbane', 700, 'en', 'es', 1, ARRAY['42'], 190, 160),
    (247, 'Canberra', 'ACT', 'AU', -35.2809, 149.1300, 'Australia/Sydney', 460, 'en', 'es', 1, ARRAY['26'], 0, 360),
    (248, 'Hobart', 'TAS', 'AU', -42.8821, 147.3272, 'Australia/Hobart', 250, 'en', 'es', 1, ARRAY['70'], 240, 150),
    (249, 'Darwin', 'NT', 'AU', -12.4634, 130.8456, 'Australia/Darwin', 150, 'en', 'es', 1, ARRAY['08'], 50, 100),
    (250, 'Newcastle', 'NSW', 'AU', -32.9283, 151.7817, 'Australia/Sydney', 500, 'en', 'es', 1, ARRAY['23'], 180, 170)
;

-- Every time zone must be one PostgreSQL knows.
DO $$
DECLARE bad text;
BEGIN
    SELECT string_agg(DISTINCT c.timezone, ', ') INTO bad
    FROM demo.cities c
    WHERE NOT EXISTS (SELECT 1 FROM pg_timezone_names z WHERE z.name = c.timezone);
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'demo.cities: unknown time zones: %', bad;
    END IF;
END
$$;

-- Word lists. A template's {placeholders} are filled from other lists.
-- Lists named *.<locale> or *.<lang> follow the city's or the meeting's
-- language; name.<fellowship slug>.<lang> are meeting-name templates.
-- slugs holds the words already slugified, so that a meeting's slug is put
-- together from pieces instead of running regular expressions per row.
DROP TABLE IF EXISTS demo.words CASCADE;
CREATE TABLE demo.words (
    list  text PRIMARY KEY,
    words text[] NOT NULL CHECK (cardinality(words) > 0),
    slugs text[] GENERATED ALWAYS AS (demo.slug_templates(words)) STORED
);

INSERT INTO demo.words (list, words) VALUES
-- Day names, indexed by day + 1 (0 = Sunday).
('day.en', ARRAY['Sunday','Monday','Tuesday','Wednesday','Thursday','Friday','Saturday']),
('day.es', ARRAY['Domingo','Lunes','Martes','Miércoles','Jueves','Viernes','Sábado']),
('day.de', ARRAY['Sonntag','Montag','Dienstag','Mittwoch','Donnerstag','Freitag','Samstag']),
('day.fr', ARRAY['Dimanche','Lundi','Mardi','Mercredi','Jeudi','Vendredi','Samedi']),

-- Venues.
('venue.us', ARRAY[
    'St. {saint} Church', 'St. {saint} Church', 'St. {saint} Episcopal Church',
    'St. {saint} Catholic Church', 'St. {saint} Lutheran Church',
    'First {denom} Church', 'First {denom} Church', '{adj} {denom} Church',
    '{adj} {denom} Church', '{adj} {denom} Church', '{adj} Church Fellowship Hall',
    '{hood} Community Center', '{hood} Community Center', '{hood} Community Center',
    '{city} Alano Club', 'Alano Club of {city}', '{hood} Alano Club',
    '{hood} Recovery Community Center', '{city} Recovery Community Center',
    '{city} Public Library', '{hood} Branch Library',
    'St. {saint} Hospital Conference Room', '{city} General Hospital Conference Room',
    'Memorial Hospital Conference Room', 'Mercy Medical Center, Conference Room B',
    '{club} Club', '{club} Club', '{club} Clubhouse',
    '{hood} YMCA', '{city} Family YMCA', '{hood} Senior Center',
    '{hood} Treatment Center', 'American Legion Post {n}', 'VFW Post {n}',
    'Knights of Columbus Hall', 'Unitarian Universalist Fellowship',
    'Friends Meeting House', 'Temple Beth El', '{hood} Park Fieldhouse',
    '{hood} Neighborhood House', 'Salvation Army Community Center']),
('venue.gb', ARRAY[
    'St {saint} Church Hall', 'St {saint} Church Hall', 'St {saint} Church Hall',
    'St {saint} Church', '{denom} Church Hall', '{denom} Church Hall',
    '{hood} Community Centre', '{hood} Community Centre', '{hood} Community Centre',
    'Friends Meeting House', 'Quaker Meeting House', '{city} Central Library',
    '{hood} Library', '{hood} Health Centre', 'St {saint} Hospital, Seminar Room',
    'Scout Hut', '{hood} Parish Hall', 'Salvation Army Hall', '{hood} Recovery Hub',
    '{hood} Neighbourhood Centre']),
('venue.au', ARRAY[
    'St {saint} Church Hall', 'St {saint} Church Hall', 'Uniting Church Hall',
    '{hood} Uniting Church Hall', '{hood} Community Centre', '{hood} Community Centre',
    '{hood} Community Centre', '{hood} Neighbourhood House', '{hood} Library',
    '{city} Community Health Centre', '{hood} Anglican Church Hall',
    'St {saint} Catholic Church Hall', '{hood} Recovery Hub', 'Salvation Army Hall',
    'Scout Hall', '{hood} Senior Citizens Centre']),
('venue.qc', ARRAY[
    'Sous-sol de l''église {saint}', 'Sous-sol de l''église {saint}', 'Église {saint}',
    'Salle paroissiale {saint}', 'Centre communautaire {hood}', 'Centre communautaire {hood}',
    'Bibliothèque {hood}', 'Centre de loisirs {hood}', 'Hôpital {saint}, salle de conférence',
    'Maison de la famille {hood}', 'Centre communautaire de {city}', 'Centre de santé {hood}']),
('venue.mx', ARRAY[
    'Parroquia de {saint}', 'Parroquia de {saint}', 'Templo de {saint}',
    'Salón parroquial de {saint}', 'Centro Comunitario {hood}', 'Centro Comunitario {hood}',
    'Casa de la Cultura', 'Biblioteca Pública {hood}', 'Hospital General, Sala de Juntas',
    'Centro de Salud {hood}', 'Salón del grupo', 'Salón del grupo', 'Salón del grupo',
    'Oficina Intergrupal de {city}']),
('venue.es', ARRAY[
    'Parroquia de {saint}', 'Parroquia de {saint}', 'Salón parroquial de {saint}',
    'Centro Cívico {hood}', 'Centro Cívico {hood}', 'Centro Social {hood}',
    'Casa de Cultura {hood}', 'Biblioteca Municipal {hood}', 'Centro de Salud {hood}',
    'Hospital {saint}, sala de reuniones', 'Asociación Vecinal {hood}', 'Local del grupo']),
('venue.de', ARRAY[
    'Gemeindehaus {saint}', 'Gemeindehaus {saint}', 'Ev. Gemeindezentrum {hood}',
    'Pfarrheim St. Joseph', 'Selbsthilfezentrum {hood}', 'Selbsthilfekontaktstelle {city}',
    'Nachbarschaftshaus {hood}', 'Bürgerhaus {hood}', 'Stadtteilbibliothek {hood}',
    'Klinikum {city} {hood}, Konferenzraum', 'Caritas-Zentrum {hood}',
    'Diakonie-Zentrum {hood}', 'Stadtteilzentrum {hood}']),
('saint.us', ARRAY['Mark''s','Paul''s','John''s','Luke''s','Matthew''s','Peter''s','James''',
    'Andrew''s','Mary''s','Anne''s','Joseph''s','Michael''s','Patrick''s','Francis''',
    'Thomas''','Stephen''s','Barnabas''','Timothy''s','Margaret''s','Catherine''s',
    'Augustine''s','Bartholomew''s','Philip''s','Jude''s','Columba''s','Agnes''',
    'Monica''s','Clement''s','Aidan''s','Bridget''s']),
('saint.gb', ARRAY['Mary''s','John''s','Paul''s','Peter''s','Andrew''s','Michael''s',
    'Luke''s','Mark''s','James''','George''s','Margaret''s','Stephen''s','Thomas''',
    'Columba''s','Aidan''s','Bride''s','Patrick''s','Anne''s','Barnabas''','Chad''s']),
('saint.au', ARRAY['Mary''s','John''s','Paul''s','Peter''s','Andrew''s','Michael''s',
    'Luke''s','Mark''s','James''','Stephen''s','Columba''s','Patrick''s','Joseph''s']),
('saint.qc', ARRAY['Saint-Jean','Saint-Pierre','Saint-Joseph','Saint-Michel','Saint-Marc',
    'Saint-Louis','Saint-Denis','Sainte-Anne','Sainte-Marie','Saint-Jacques',
    'Saint-François','Sainte-Cécile','Saint-Édouard','Saint-Ambroise']),
('saint.mx', ARRAY['San José','Santa María','San Juan Bautista','Nuestra Señora de Guadalupe',
    'San Francisco de Asís','Santa Teresa','San Miguel Arcángel','Sagrado Corazón',
    'San Judas Tadeo','Santa Rosa de Lima','San Antonio de Padua','Santo Niño',
    'San Pedro','La Asunción','El Carmen']),
('saint.es', ARRAY['San José','Santa María','San Juan','Santiago Apóstol','San Francisco',
    'Santa Teresa','San Miguel','Sagrado Corazón','San Pedro','Nuestra Señora del Carmen',
    'San Antonio','Santa Ana','San Vicente Ferrer','La Asunción']),
('saint.de', ARRAY['St. Marien','St. Johannis','St. Paul','St. Michael','St. Nikolai',
    'St. Petri','St. Joseph','Heilig Kreuz','der Lutherkirche','der Christuskirche',
    'der Friedenskirche','der Pauluskirche']),
('denom.us', ARRAY['Methodist','Presbyterian','Baptist','Congregational','United Methodist',
    'Christian','Lutheran','Episcopal','Reformed','Community','Evangelical Covenant',
    'Unitarian']),
('denom.gb', ARRAY['Methodist','Baptist','United Reformed','Catholic','Congregational',
    'Presbyterian']),
('adj.us', ARRAY['Grace','Trinity','Christ','Faith','Good Shepherd','Holy Cross','Redeemer',
    'Calvary','Bethel','Emmanuel','Zion','Peace','Hope','Our Savior''s','Bethany',
    'Covenant','Messiah','Resurrection','Advent','Westminster','Immanuel','Holy Trinity',
    'New Life','Cornerstone']),
('club.us', ARRAY['Serenity','Triangle','Easy Does It','Live and Let Live','Fellowship',
    'Unity','Sobriety','Keystone','Lighthouse','Freedom','Gratitude','Hope',
    'Friendship','Bridge','Oasis']),
('hood.us', ARRAY['Northside','Westside','Eastside','Southside','Downtown','Uptown',
    'Midtown','Lakeview','Riverside','Hillcrest','Fairview','Maplewood','Cedar Grove',
    'Brookside','Greenwood','Lincoln Park','Jefferson','Roosevelt','Franklin',
    'Highland','Parkview','Sunnyside','Meadowbrook','Glenwood','Oak Hill',
    'Pleasant Valley','Westwood','Southgate','Northgate','Old Town','Heritage',
    'Willow Creek','Spring Hill','Ridgeview','Elmwood','Kingsley','Garfield',
    'Central','University']),
('hood.gb', ARRAY['Northfield','Westfield','Eastgate','Southside','Town Centre','Old Town',
    'Riverside','Hillside','Parkside','Kingsway','Brookfield','Ashfield','Fairfield',
    'Greenhill','Oakwood','Castle','Market','Abbey','Victoria','Albert','Grange',
    'Newtown','Moorside','Chapelfield']),
('hood.au', ARRAY['North','South','East','West','Central','Riverside','Parkside','Hillside',
    'Highgate','Kingston','Newtown','Oakleigh','Ashfield','Springvale','Greenvale',
    'Woodville','Fairfield','Brookvale','Lakeside','Mount Pleasant','Bellevue']),
('hood.qc', ARRAY['Saint-Michel','Rosemont','Villeray','Limoilou','Centre-Sud','Notre-Dame',
    'du Plateau','Sainte-Foy','Saint-Roch','Hochelaga','Ahuntsic','Verdun',
    'Charlesbourg','Beauport']),
('hood.mx', ARRAY['Centro','Las Flores','Jardines','Los Pinos','El Carmen','San Antonio',
    'Reforma','Independencia','Juárez','Hidalgo','Morelos','La Paz','Libertad',
    'San Rafael','Obrera','Moderna','Guadalupe','Santa Cruz','Las Águilas','Del Valle']),
('hood.es', ARRAY['Centro','Casco Antiguo','Ensanche','San Blas','Las Delicias','El Carmen',
    'San Antonio','La Paz','Los Ángeles','Santa Cruz','San Pablo','Vistalegre',
    'Arrabal','La Florida','El Puerto','Las Arenas','Universidad']),
('hood.de', ARRAY['Mitte','Nord','Süd','Ost','West','Altstadt','Neustadt','Innenstadt',
    'Südstadt','Weststadt','Nordstadt','Oststadt']),

-- Street addresses.
('addr.us', ARRAY['{num} {street} {sfx}', '{num} {street} {sfx}', '{num} {street} {sfx}',
    '{num} {dir} {street} {sfx}', '{num} {ord} {sfx}', '{num} Broadway']),
('addr.qc', ARRAY['{num}, {sfx} {street}']),
('addr.gb', ARRAY['{num} {street}']),
('addr.au', ARRAY['{num} {street}']),
('addr.mx', ARRAY['{sfx} {street} {num}', '{sfx} {street} {num}, Col. {hood}']),
('addr.es', ARRAY['{sfx} {street}, {num}']),
('addr.de', ARRAY['{street} {num}']),
('street.us', ARRAY['Main','Oak','Maple','Washington','Park','Elm','Lincoln','Church',
    'Market','Lake','Pine','Cedar','Jefferson','Madison','Franklin','Highland','Center',
    'Walnut','Chestnut','Spring','Union','Grand','Mill','Prospect','State','Broad',
    'Water','Adams','Jackson','Monroe','Hill','Ridge','Sunset','Forest','River',
    'Locust','Willow','Cherry','Central','Dogwood','Magnolia','Hickory','Lafayette',
    'Clinton','Grant','Sherman','Division','College','School','Academy','Pleasant',
    'Summit','Vine','Poplar','Birch','Spruce','Laurel','Meadow','Orchard','Railroad',
    'Depot','Wilson','Taylor','Hamilton','Roosevelt','Kennedy','Martin Luther King Jr']),
('sfx.us', ARRAY['St','St','St','Ave','Ave','Rd','Blvd','Dr','Ln','Way']),
('dir.us', ARRAY['N','S','E','W']),
('ord.us', ARRAY['1st','2nd','3rd','4th','5th','6th','7th','8th','9th','10th','11th',
    '12th','14th','16th','18th','21st','23rd','25th','31st','42nd']),
('street.qc', ARRAY['Saint-Denis','Sainte-Catherine','Notre-Dame','Principale','Sherbrooke',
    'Saint-Laurent','du Parc','Laurier','Saint-Joseph','de l''Église','Saint-Jean',
    'des Érables','Saint-Hubert','Papineau']),
('sfx.qc', ARRAY['rue','rue','rue','boulevard','avenue','chemin']),
('street.gb', ARRAY['High Street','Church Road','Station Road','Victoria Road','Park Road',
    'London Road','Mill Lane','King Street','Queen Street','Green Lane','Manor Road',
    'Church Street','The Crescent','Albert Road','New Road','North Street','Grange Road',
    'Springfield Road','St John''s Road','Castle Street','Chapel Street','Windsor Road',
    'George Street','York Road','Main Street']),
('street.au', ARRAY['George Street','King Street','Victoria Street','Elizabeth Street',
    'Smith Street','Bridge Road','Church Street','High Street','Station Street',
    'Hunter Street','Pacific Highway','Military Road','Beach Road','Albert Street',
    'William Street','Queen Street','Main Road','Railway Parade','The Esplanade',
    'Park Road']),
('street.mx', ARRAY['Hidalgo','Juárez','Morelos','Madero','Allende','Zaragoza',
    'Independencia','Reforma','Insurgentes','Constitución','5 de Mayo',
    '16 de Septiembre','Benito Juárez','Revolución','Guerrero','Aldama','Matamoros',
    'Obregón','Libertad','Vicente Guerrero','Emiliano Zapata','Lázaro Cárdenas']),
('sfx.mx', ARRAY['Calle','Calle','Av.']),
('street.es', ARRAY['Mayor','de Alcalá','Real','Nueva','de San Vicente',
    'de la Constitución','del Carmen','de Santa Ana','de la Paz','de Colón',
    'de Cervantes','del Sol','de la Iglesia','de Goya','del Prado','de Andalucía',
    'de la Libertad','de San Francisco','de Santiago']),
('sfx.es', ARRAY['Calle','Calle','Calle','Avenida','Plaza','Paseo']),
('street.de', ARRAY['Hauptstraße','Bahnhofstraße','Kirchstraße','Schulstraße',
    'Gartenstraße','Lindenstraße','Goethestraße','Schillerstraße','Berliner Straße',
    'Marktplatz','Bergstraße','Dorfstraße','Friedrichstraße','Mozartstraße',
    'Parkstraße','Ringstraße','Wiesenstraße','Waldstraße','Am Markt','Kirchplatz']),

-- Meeting-name themes (English per fellowship; other languages shared).
('theme.aa', ARRAY['Keep It Simple','Easy Does It','One Day at a Time','Back to Basics',
    'Came to Believe','Serenity Seekers','Primary Purpose','Into Action',
    'Attitude Adjustment','Language of the Heart','Principles Before Personalities',
    'Spiritual Awakening','Acceptance','Hope and Recovery','Rule 62','Road to Recovery',
    'New Beginnings','Stepping Stones','Trudgers','Fellowship of the Spirit',
    'Happy Destiny','Joy of Living','Freedom','Promises','Sunlight of the Spirit',
    'Daily Reprieve','Design for Living','Keep Coming Back','Live and Let Live',
    'First Things First','Just for Today','Grateful Hearts','Mustard Seed','Serenity',
    'Unity','There Is a Solution','Second Chance',
    'Road of Happy Destiny','Honesty','How It Works','Big Book Thumpers',
    'Hope on the Hill']),
('theme.na', ARRAY['Clean and Serene','Just for Today','Miracles Happen','Never Alone',
    'Freedom','Recovery in Progress','Living Clean','We Do Recover','The NA Way',
    'Clean Time','Surrender','Hope Without Dope','Primary Purpose','Keep Coming Back',
    'New Way of Life','It Works','Gratitude','Unity','Clean and Free','Reaching Out',
    'Recovery Connection','No Matter What','Out of the Darkness','Life Is Good',
    'Spiritual Principle a Day','Basic Text Study']),
('theme.ca', ARRAY['Hope Dealers','Clean and Sober','Free at Last','Keep Coming Back',
    'Stepping Stones','Fresh Start','Came to Believe','Chain Breakers','Solutions',
    'Higher Ground','New Freedom']),
('theme.cma', ARRAY['Crystal Clear','Clearly Sober','Clean Slate','Crystal Free',
    'Life After Meth','Higher Ground','Brand New Day','Clear Path']),
('theme.al-anon', ARRAY['Hope for Today','Courage to Change','One Day at a Time',
    'Serenity Seekers','Detachment with Love','Paths to Recovery','Keep It Simple',
    'Living with Sobriety','Easy Does It','How Al-Anon Works','Discovering Choices',
    'Just for Today','Let It Begin with Me','Many Voices One Journey','Gratitude',
    'Sanity Seekers','Miracles','New Hope','Reaching for Personal Freedom']),
('theme.alateen', ARRAY['Teens of Hope','Courage','Teen Power','Young Hearts',
    'New Beginnings','Serenity','Sunshine','Hope']),
('theme.nar-anon', ARRAY['Hope','Serenity','Keep It Simple','Strength and Hope',
    'Courage to Change','Peace Within','Turning Point','New Perspectives',
    'Family Recovery','Safe Harbor']),
('theme.families-anonymous', ARRAY['Hope','Serenity','Today','Letting Go','New Beginnings',
    'Circle of Support','Lifeline']),
('theme.aca', ARRAY['Healing Hearts','Inner Child','Laundry List Study',
    'Yellow Workbook Study','Safe Harbor','Reparenting','Identity','Loving Parent']),
('theme.recovery-dharma', ARRAY['Refuge','Awakening','Middle Way','Open Heart','Mindful',
    'Lotus','Beginner''s Mind','Present Moment','Lovingkindness','Still Water']),
('theme.mara', ARRAY['Many Paths','All Paths','New Freedom','Whole Person','Hope']),
('theme.women-for-sobriety', ARRAY['New Life','Hope','Acceptance','Empowerment','Bloom']),
('theme.smart', ARRAY['Balance','Choices','Tools for Change','New Directions']),
('theme.smart-family', ARRAY['Balance','Choices','Tools for Change','New Directions']),
('theme.lifering', ARRAY['Sober Self','Empowerment','Secular Sobriety']),
('theme.celebrate-recovery', ARRAY['Freedom','Hope','New Life']),
('theme.es', ARRAY['Nueva Vida','Esperanza','Renacer','Serenidad','Un Día a la Vez',
    'Solo por Hoy','Fe y Esperanza','Despertar','Camino a la Libertad','Amanecer',
    'Libertad','Unidad','Nuevo Amanecer','Alegría de Vivir','Hermandad','Sobriedad',
    'Paz y Serenidad','Fortaleza','La Luz','Buena Voluntad','Renovación',
    'Nueva Esperanza','Vida Feliz','Los Pioneros','24 Horas','Paso a Paso',
    'Volver a Vivir','Puerta Abierta','Sendero de Luz','Gratitud']),
('theme.de', ARRAY['Neubeginn','Hoffnung','Gelassenheit','Nur für heute','Einheit',
    'Lichtblick','Freiheit','Zuversicht','Morgenstern','Neuer Weg','Sonnenaufgang',
    'Kompass','Brücke','Oase','Leuchtturm','Schritt für Schritt','Vertrauen',
    'Mut zur Veränderung','Anker','Lebensfreude']),
('theme.fr', ARRAY['Espoir','Renaissance','Sérénité','Juste pour aujourd''hui',
    'Nouveau Départ','Lâcher Prise','Un jour à la fois','Liberté','Le Phare',
    'Soleil Levant','Unité','Gratitude','Le Réveil','La Source','Bonne Entente',
    'Partage','Oasis','Nouvelle Vie','Les Matinaux','Vivre Sobre']),

-- Time-of-day names ({day} is the meeting's day).
('tod.early', ARRAY['Early Birds','Sunrise Serenity','Eye Opener','Rise and Shine',
    'Early Risers','Coffee and Serenity','Morning Glory','Daybreak Group',
    'Sunrise Group','First Light']),
('tod.morning', ARRAY['Mid-Morning Group','Morning Meditation','Coffee Break',
    'Second Cup','Morning After Group','{day} Morning Serenity']),
('tod.noon', ARRAY['Nooners','Lunch Bunch','High Noon','Brown Bag','Noon Day Group',
    'Lunchtime Serenity','Midday Miracles','Noon Recovery']),
('tod.afternoon', ARRAY['Afternoon Serenity','Three O''Clock Group','Afternoon Break',
    'Tea Time Group']),
('tod.happy', ARRAY['Happy Hour Group','After Work Group','Drive Time',
    'Five O''Clock Somewhere','Attitude Adjustment Hour','Happy Hour']),
('tod.evening', ARRAY['{day} Night Live','{day} Night Group','Candlelight',
    'Evening Reflections','Night Light','Sundowners']),
('tod.late', ARRAY['Night Owls','Midnight Madness','Last Call Group','Graveyard Group',
    'Late Night Serenity','Night Watch','Insomniacs']),

-- Meeting-name templates per fellowship and language.
('name.aa.en', ARRAY['{theme}','{theme}','{theme}','{theme} Group','{theme} Group','{tod}',
    '{tod}','{tod}','{dayp} {fmt}','{dayp} {fmt}','{hood} {fmt}','{hood} Group',
    '{city} {fmt}','{theme} {fmt}']),
('name.na.en', ARRAY['{theme}','{theme}','{theme} Group','{theme} NA','{tod}',
    '{dayp} {fmt}','{hood} NA','{city} NA {fmt}']),
('name.ca.en', ARRAY['{theme}','{theme} CA','{theme} Group','{hood} CA','{tod}',
    '{dayp} {fmt}']),
('name.cma.en', ARRAY['{theme} CMA','{theme}','{dayp} CMA','{hood} CMA']),
('name.al-anon.en', ARRAY['{theme} Al-Anon Family Group','{theme} Al-Anon Family Group',
    '{theme} AFG','{theme} Al-Anon','{dayp} Al-Anon','{hood} Al-Anon Family Group',
    '{city} Al-Anon {fmt}']),
('name.alateen.en', ARRAY['{theme} Alateen','{city} Alateen','{hood} Alateen',
    'Alateen {theme}']),
('name.nar-anon.en', ARRAY['{theme} Nar-Anon Family Group','{theme} Nar-Anon',
    '{city} Nar-Anon','{dayp} Nar-Anon']),
('name.families-anonymous.en', ARRAY['Families Anonymous {theme} Group',
    '{city} Families Anonymous','{hood} Families Anonymous','FA {dayp} Group']),
('name.aca.en', ARRAY['{theme} ACA','ACA {theme}','{dayp} ACA',
    '{city} Adult Children of Alcoholics']),
('name.smart.en', ARRAY['SMART Recovery {day}','SMART Recovery {city}',
    'SMART Recovery {city} {dayp}','SMART Recovery {hood}','SMART Recovery {dayp}']),
('name.smart-family.en', ARRAY['SMART Recovery Family & Friends',
    'SMART Recovery Family & Friends {day}','SMART Family & Friends {city}']),
('name.lifering.en', ARRAY['LifeRing {city}','LifeRing {dayp}',
    'LifeRing Secular Recovery {city}','LifeRing {hood}']),
('name.recovery-dharma.en', ARRAY['Recovery Dharma {city}','Recovery Dharma {dayp}',
    'Recovery Dharma {hood} Sangha','{theme} Sangha']),
('name.mara.en', ARRAY['MARA {city}','MARA {dayp}','Medication-Assisted Recovery {dayp}',
    'MARA {theme} Group']),
('name.celebrate-recovery.en', ARRAY['Celebrate Recovery {city}',
    'Celebrate Recovery at {venue}','Celebrate Recovery {hood}']),
('name.women-for-sobriety.en', ARRAY['Women for Sobriety {city}','WFS {dayp} Group',
    'Women for Sobriety {theme}']),
('name.aa.es', ARRAY['Grupo {theme}','Grupo {theme}','Grupo {theme}','Grupo {theme} de AA',
    '{theme}']),
('name.na.es', ARRAY['Grupo {theme} NA','NA Grupo {theme}','Grupo {theme}']),
('name.ca.es', ARRAY['Grupo {theme} CA','CA Grupo {theme}']),
('name.al-anon.es', ARRAY['Grupo de Familia Al-Anon {theme}','Al-Anon Grupo {theme}']),
('name.alateen.es', ARRAY['Alateen {theme}','Grupo Alateen {theme}']),
('name.nar-anon.es', ARRAY['Nar-Anon Grupo {theme}','Grupo Nar-Anon {theme}']),
('name.aa.de', ARRAY['AA-Gruppe {theme}','AA-Gruppe {theme}','AA {wday}sgruppe',
    'AA-Meeting {theme}','AA {city}-{hood}']),
('name.na.de', ARRAY['NA-Gruppe {theme}','NA {city}-{hood}','NA-Meeting {theme}']),
('name.ca.de', ARRAY['CA-Gruppe {theme}','CA {city}']),
('name.al-anon.de', ARRAY['Al-Anon Familiengruppe {theme}','Al-Anon {city}-{hood}']),
('name.alateen.de', ARRAY['Alateen-Gruppe {theme}','Alateen {city}']),
('name.nar-anon.de', ARRAY['Nar-Anon Gruppe {theme}','Nar-Anon {city}']),
('name.aa.fr', ARRAY['Groupe {theme}','Groupe {theme}','Groupe {theme} AA','{theme}']),
('name.na.fr', ARRAY['Groupe {theme} NA','NA {theme}']),
('name.ca.fr', ARRAY['Groupe {theme} CA']),
('name.al-anon.fr', ARRAY['Groupe Al-Anon {theme}','Al-Anon {theme}']),
('name.alateen.fr', ARRAY['Alateen {theme}']),
('name.nar-anon.fr', ARRAY['Groupe Nar-Anon {theme}']),
-- Names that follow a meeting's types (AA, NA, CA, CMA).
('name.W.en', ARRAY['Women''s {fmt}','Women''s {theme}','{dayp} Women''s Group',
    'Sisters in Sobriety','Women in Recovery']),
('name.M.en', ARRAY['Men''s {fmt}','Men''s {theme}','{dayp} Men''s Group',
    'Brothers in Recovery','Men''s Stag']),
('name.Y.en', ARRAY['Young People''s Group','Young and Sober','Young People''s {fmt}',
    '{city} Young People''s Group','Youth in Recovery']),
('name.BE.en', ARRAY['Newcomers Meeting','Beginners Group','Newcomers {fmt}',
    'First Step Group','Beginners {dayp}']),
('name.LGBTQ.en', ARRAY['Rainbow Group','Pride Group','Lambda Group','Rainbow Serenity',
    'Out and Sober','Queer and Sober']),
('name.W.es', ARRAY['Grupo de Mujeres {theme}','Mujeres {theme}']),
('name.Y.es', ARRAY['Grupo Juvenil {theme}','Jóvenes {theme}']),
('name.W.de', ARRAY['AA-Frauengruppe {theme}','Frauenmeeting {theme}']),
('name.W.fr', ARRAY['Groupe de femmes {theme}']),
('group.en', ARRAY['{theme} Group']),
('group.es', ARRAY['Grupo {theme}']),
('group.de', ARRAY['Gruppe {theme}']),
('group.fr', ARRAY['Groupe {theme}']),

-- Notes.
('notes.en', ARRAY['Enter through the side door.','Fictional demo meeting.',
    'Parking in the back lot.','Meets in the basement; follow the signs.',
    'Room 2, upstairs.','Coffee from 15 minutes before the meeting.',
    'Use the east entrance.','Ring the bell at the back door.',
    'Literature available.','Elevator access from the parking lot.',
    'Please silence your phone.','Fictional demo meeting.']),
('notes.es', ARRAY['Entrada por la puerta lateral.','Reunión ficticia de demostración.',
    'Estacionamiento en la parte de atrás.','Segundo piso, salón 3.',
    'Café desde 15 minutos antes.']),
('notes.de', ARRAY['Eingang über den Hof.','Fiktives Demo-Meeting.',
    'Zweiter Stock, Raum 2.','Bitte klingeln.','Kaffee ab 15 Minuten vorher.']),
('notes.fr', ARRAY['Entrée par la porte de côté.','Réunion fictive de démonstration.',
    'Au sous-sol.','Salle 2, à l''étage.','Café 15 minutes avant.']),
('notes.online.en', ARRAY['Meeting ID and passcode are on the group''s website.',
    'Cameras optional.','Please rename yourself with your first name.',
    'The waiting room opens 10 minutes early.',
    'Fictional demo meeting: the link goes nowhere.']),
('notes.online.es', ARRAY['La contraseña está en el sitio web del grupo.',
    'Reunión ficticia de demostración: el enlace no lleva a ninguna parte.']),
('notes.online.de', ARRAY['Kennwort auf der Website der Gruppe.',
    'Fiktives Demo-Meeting: der Link führt nirgendwohin.']),
('notes.online.fr', ARRAY['Le mot de passe est sur le site du groupe.',
    'Réunion fictive de démonstration : le lien ne mène nulle part.']);

-- demo.clear(src): removes source src's meetings and locations. TRUNCATE
-- when the demo is all there is: much faster than DELETE, which checks
-- each deleted location against meetings.location_id (and each meeting
-- against the reports that name it: these checks must run, hence origin).
CREATE OR REPLACE FUNCTION demo.clear(src integer) RETURNS void
LANGUAGE plpgsql
SET session_replication_role = origin
AS $fn$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM sources WHERE id <> src) THEN
        BEGIN
            TRUNCATE meetings, locations;
        EXCEPTION WHEN feature_not_supported OR insufficient_privilege THEN
            NULL;  -- referenced by another table, or not ours to truncate
        END;
    END IF;
    DELETE FROM meetings WHERE source_id = src;
    DELETE FROM locations WHERE source_id = src;
END
$fn$;

-- demo.load(n): replaces the demo source's data with n fictional meetings at
-- about 0.3 n venues. Returns the number of meetings inserted.
--
-- Meetings come in runs of 1-16 consecutive row numbers that share a venue
-- (a block); about half of the online meetings ignore theirs. Block j and
-- meeting i draw their choices from demo.h(j, 1000+) and demo.h(i, 1..99),
-- so neither depends on n. Row ids are assigned explicitly (max id so far +
-- rank) so that a fresh database always gets the same ids. JIT is off:
-- compiling these wide expressions costs more than it saves.
--
-- Writing is most of the cost at national scale, so the rows are written as
-- import_apply() (sql/migrations/012_imports.sql) writes a feed: with the
-- row triggers off (session_replication_role = replica, which also skips
-- the foreign-key checks: every id comes from a row just written or
-- looked up), each derived column (geog, languages, search_doc,
-- duration_min, utc_week_minute) computed set-based with the functions
-- the triggers use, zone offsets and languages once per zone and list of
-- types (tests/sql/test_demo.sql checks every row against the triggers).
-- The rows go in in the order of their places along a Hilbert curve, so
-- that meetings near each other share pages (what CLUSTER on the spatial
-- index did after the load, rewriting the table and every index). Into an
-- empty table the secondary indexes are built once after the rows are in
-- (indexes_drop_for_load(), sql/migrations/020_bulk_loads.sql) instead of
-- being kept row by row.
CREATE OR REPLACE FUNCTION demo.load(n integer) RETURNS integer
LANGUAGE plpgsql
SET client_min_messages = warning
SET jit = off
SET session_replication_role = replica
AS $fn$
DECLARE
    src        integer;
    aa_id      smallint;
    city_slots smallint[];
    fell_slots smallint[];
    time_slots smallint[];
    day_en     text[];
    day_de     text[];
    w_denom_us text[];
    w_denom_gb text[];
    w_adj      text[];
    w_club     text[];
    w_dir      text[];
    w_ord      text[];
    loc_base   bigint;
    mtg_base   bigint;
    inserted   integer;
    meeting_indexes  text[];
    location_indexes text[];
BEGIN
    IF n IS NULL OR n < 0 OR n > 10000000 THEN
        RAISE EXCEPTION 'demo.load: n must be between 0 and 10000000, not %', n;
    END IF;

    -- Made up here: no one's to credit, free for any use (as migration 029
    -- sets it on a database made before).
    INSERT INTO sources (slug, name, demo, default_timezone, format, license, license_url,
                         attribution)
    VALUES ('demo', 'Demo data (fictional)', true, 'America/Chicago', 'demo', 'CC0-1.0',
            'https://creativecommons.org/publicdomain/zero/1.0/',
            'Synthetic demo data (fictional), generated by Recovery Finder')
    ON CONFLICT (slug) DO UPDATE
        SET name = EXCLUDED.name, demo = true, default_timezone = EXCLUDED.default_timezone,
            format = 'demo', license = EXCLUDED.license, license_url = EXCLUDED.license_url,
            attribution = EXCLUDED.attribution
    RETURNING id INTO src;
    PERFORM demo.clear(src);

    SELECT id INTO aa_id FROM fellowships WHERE slug = 'aa';
    IF aa_id IS NULL THEN
        RAISE EXCEPTION 'demo.load: fellowship aa is missing (apply the migrations first)';
    END IF;

    -- Weighted choices as arrays with one slot per unit of weight. Cities
    -- outside the US count 0.3 of their population.
    SELECT array_agg(c.id ORDER BY c.id, g) INTO city_slots
    FROM demo.cities c,
         generate_series(1, greatest(1, round(c.weight
             * CASE WHEN c.country = 'US' THEN 1.0 ELSE 0.3 END / 10.0)::integer)) AS g;

    -- Roughly how often each fellowship's meetings appear in real listings.
    SELECT array_agg(f.id ORDER BY w.ord, g) INTO fell_slots
    FROM (VALUES (1, 'aa', 540), (2, 'na', 160), (3, 'al-anon', 80), (4, 'smart', 50),
                 (5, 'alateen', 12), (6, 'nar-anon', 18), (7, 'ca', 20), (8, 'cma', 15),
                 (9, 'recovery-dharma', 20), (10, 'lifering', 8), (11, 'mara', 10),
                 (12, 'families-anonymous', 8), (13, 'smart-family', 10),
                 (14, 'celebrate-recovery', 20), (15, 'women-for-sobriety', 5),
                 (16, 'aca', 14)) AS w (ord, slug, weight)
    JOIN fellowships f ON f.slug = w.slug
    CROSS JOIN LATERAL generate_series(1, w.weight) AS g;

    -- Start times (minutes after midnight, local): early mornings, noon and
    -- 17:30-20:30 are the busiest; a few start late and end after midnight.
    SELECT array_agg(w.minute::smallint ORDER BY w.minute, g) INTO time_slots
    FROM (VALUES (0, 1), (330, 1), (360, 4), (390, 8), (420, 14), (450, 8), (480, 8),
                 (510, 4), (540, 5), (570, 4), (600, 8), (630, 4), (660, 3), (690, 3),
                 (720, 20), (735, 3), (750, 5), (780, 3), (840, 2), (900, 2), (930, 1),
                 (960, 2), (990, 2), (1020, 5), (1050, 12), (1080, 20), (1110, 18),
                 (1140, 36), (1170, 24), (1200, 22), (1230, 10), (1260, 4), (1290, 2),
                 (1320, 2), (1350, 1), (1380, 2), (1410, 1)) AS w (minute, weight)
    CROSS JOIN LATERAL generate_series(1, w.weight) AS g;

    SELECT words INTO day_en FROM demo.words WHERE list = 'day.en';
    SELECT words INTO day_de FROM demo.words WHERE list = 'day.de';
    SELECT words INTO w_denom_us FROM demo.words WHERE list = 'denom.us';
    SELECT words INTO w_denom_gb FROM demo.words WHERE list = 'denom.gb';
    SELECT words INTO w_adj FROM demo.words WHERE list = 'adj.us';
    SELECT words INTO w_club FROM demo.words WHERE list = 'club.us';
    SELECT words INTO w_dir FROM demo.words WHERE list = 'dir.us';
    SELECT words INTO w_ord FROM demo.words WHERE list = 'ord.us';

    DROP TABLE IF EXISTS pg_temp.demo_blk, pg_temp.demo_m, pg_temp.demo_loc, pg_temp.demo_rows;

    -- Blocks of consecutive meetings at one venue.
    CREATE TEMP TABLE demo_blk ON COMMIT DROP AS
    SELECT s.j, s.first_i, least(s.first_i + s.size - 1, n) AS last_i
    FROM (SELECT b.j, b.size, sum(b.size) OVER (ORDER BY b.j) - b.size + 1 AS first_i
          FROM (SELECT j, CASE WHEN r < 30 THEN 1 WHEN r < 52 THEN 2 WHEN r < 67 THEN 3
                               WHEN r < 77 THEN 4 WHEN r < 84 THEN 5 WHEN r < 89 THEN 6
                               WHEN r < 96 THEN 7 + (demo.h(j, 1001) % 3)::integer
                               ELSE 10 + (demo.h(j, 1001) % 7)::integer END AS size
                FROM generate_series(1, n) AS j,
                     LATERAL (SELECT (demo.h(j, 1000) % 100)::integer AS r) AS r) AS b) AS s
    WHERE s.first_i <= n;

    -- What each meeting is, before names.
    CREATE TEMP TABLE demo_m ON COMMIT DROP AS
    SELECT x.i, x.j,
           CASE WHEN a.v < 70 THEN 'in_person' WHEN a.v < 85 THEN 'online' ELSE 'hybrid' END
               AS attendance,
           (a.v < 70 OR a.v >= 85 OR demo.h(x.i, 2) % 2 = 0) AS has_loc,
           fell_slots[1 + (demo.h(x.i, 3) % cardinality(fell_slots))::integer] AS fellowship_id,
           (demo.h(x.i, 4) % 7)::smallint AS day,
           time_slots[1 + (demo.h(x.i, 5) % cardinality(time_slots))::integer]::integer
               AS start_min,
           CASE WHEN demo.h(x.i, 6) % 4 = 0 THEN 90 ELSE 60 END AS duration,
           city_slots[1 + (demo.h(x.i, 7) % cardinality(city_slots))::integer] AS own_city
    FROM (SELECT b.j, generate_series(b.first_i, b.last_i) AS i FROM demo_blk b) AS x,
         LATERAL (SELECT (demo.h(x.i, 1) % 100)::integer AS v) AS a;
    ANALYZE demo_m;

    -- Venues: the blocks that some meeting uses.
    SELECT coalesce(max(id), 0) INTO loc_base FROM locations;
    CREATE TEMP TABLE demo_loc ON COMMIT DROP AS
    WITH u AS (
        SELECT d.j, loc_base + row_number() OVER (ORDER BY d.j) AS id,
               city_slots[1 + (demo.h(d.j, 1100) % cardinality(city_slots))::integer] AS city_id
        FROM (SELECT DISTINCT j FROM demo_m WHERE has_loc) AS d
    ), t AS (
        SELECT u.j, u.id, c.id AS city_id, c.name AS city, c.region, c.country, c.locale,
               c.postal_prefixes[1 + (demo.h(u.j, 1120) % cardinality(c.postal_prefixes))::integer]
                   AS pfx,
               c.lat AS clat, c.lng AS clng,
               radians(c.arc_from + c.arc_span * demo.u(u.j, 1130)) AS bearing,
               c.radius_km * (0.02 + 0.98 * power(demo.u(u.j, 1131), 1.3)) AS dist_km,
               demo.pick(wv.words, demo.h(u.j, 1101)) AS venue_tpl,
               demo.pick(wa.words, demo.h(u.j, 1110)) AS addr_tpl,
               demo.pick(ws.words, demo.h(u.j, 1102)) AS saint,
               demo.pick(wh.words, demo.h(u.j, 1104)) AS hood,
               demo.pick(wst.words, demo.h(u.j, 1111)) AS street,
               demo.pick(wsf.words, demo.h(u.j, 1112)) AS sfx
        FROM u
        JOIN demo.cities c ON c.id = u.city_id
        JOIN demo.words wv ON wv.list = 'venue.' || c.locale
        JOIN demo.words wa ON wa.list = 'addr.' || c.locale
        JOIN demo.words ws ON ws.list = 'saint.' || c.locale
        JOIN demo.words wh ON wh.list = 'hood.' || c.locale
        JOIN demo.words wst ON wst.list = 'street.' || c.locale
        LEFT JOIN demo.words wsf ON wsf.list = 'sfx.' || c.locale
        OFFSET 0
    ), named AS (
        SELECT t.*,
               replace(replace(replace(replace(replace(replace(replace(t.venue_tpl,
                   '{saint}', t.saint),
                   '{denom}', demo.pick(CASE WHEN t.locale = 'gb' THEN w_denom_gb ELSE w_denom_us END,
                                        demo.h(t.j, 1103))),
                   '{adj}', demo.pick(w_adj, demo.h(t.j, 1105))),
                   '{club}', demo.pick(w_club, demo.h(t.j, 1106))),
                   '{hood}', t.hood),
                   '{city}', t.city),
                   '{n}', (1 + demo.h(t.j, 1107) % 899)::text) AS raw_name
        FROM t
        OFFSET 0
    )
    SELECT j, id, city_id, city, region, country, hood,
           CASE WHEN country = 'CA'
                THEN replace(replace(raw_name, 'Center', 'Centre'), 'Neighborhood', 'Neighbourhood')
                ELSE raw_name END AS name,
           replace(replace(replace(replace(replace(replace(
               CASE WHEN country = 'MX' THEN addr_tpl ELSE replace(addr_tpl, ', Col. {hood}', '') END,
               '{num}', (CASE WHEN locale IN ('us', 'qc') THEN 100 + demo.h(j, 1116) % 9900
                              WHEN locale = 'mx' THEN 1 + demo.h(j, 1116) % 2500
                              ELSE 1 + demo.h(j, 1116) % 180 END)::text),
               '{street}', street),
               '{sfx}', coalesce(sfx, '')),
               '{dir}', demo.pick(w_dir, demo.h(j, 1113))),
               '{ord}', demo.pick(w_ord, demo.h(j, 1114))),
               '{hood}', hood) AS address,
           CASE country
               WHEN 'US' THEN pfx || lpad((1 + demo.h(j, 1121) % 99)::text, 2, '0')
               WHEN 'CA' THEN pfx || (1 + demo.h(j, 1121) % 9)::text
                    || substr('ABCEGHJKLMNPRSTVWXYZ', 1 + (demo.h(j, 1122) % 20)::integer, 1)
                    || ' ' || (demo.h(j, 1123) % 10)::text
                    || substr('ABCEGHJKLMNPRSTVWXYZ', 1 + (demo.h(j, 1124) % 20)::integer, 1)
                    || (demo.h(j, 1125) % 10)::text
               WHEN 'GB' THEN pfx || (1 + demo.h(j, 1121) % 20)::text
                    || ' ' || (1 + demo.h(j, 1123) % 9)::text
                    || substr('ABDEFGHJLNPQRSTUWXYZ', 1 + (demo.h(j, 1122) % 20)::integer, 1)
                    || substr('ABDEFGHJLNPQRSTUWXYZ', 1 + (demo.h(j, 1124) % 20)::integer, 1)
               WHEN 'IE' THEN pfx || ' '
                    || substr('ACDEFHKNPRTVWXY', 1 + (demo.h(j, 1122) % 15)::integer, 1)
                    || (demo.h(j, 1123) % 10)::text
                    || substr('ACDEFHKNPRTVWXY0123456789', 1 + (demo.h(j, 1124) % 25)::integer, 1)
                    || (demo.h(j, 1125) % 10)::text
               WHEN 'ES' THEN pfx || lpad((1 + demo.h(j, 1121) % 60)::text, 3, '0')
               WHEN 'AU' THEN pfx || lpad((demo.h(j, 1121) % 100)::text, 2, '0')
               ELSE pfx || lpad((demo.h(j, 1121) % 1000)::text, 3, '0')
           END AS postal_code,
           round((clat + dist_km * cos(bearing) / 111.32)::numeric, 6)::double precision AS lat,
           round((clng + dist_km * sin(bearing) / (111.32 * cos(radians(clat))))::numeric, 6)
               ::double precision AS lng
    FROM named;
    ANALYZE demo_loc;

    -- Into an empty table, the indexes after the rows (see above).
    IF NOT EXISTS (SELECT 1 FROM locations) THEN
        location_indexes := indexes_drop_for_load('locations');
    END IF;
    -- Each venue's neighbourhood is its Meeting Guide region (the one its
    -- name may carry), so that a search can be narrowed to one.
    INSERT INTO locations (id, source_id, name, address, city, region, postal_code, country,
                           regions, geog)
    OVERRIDING SYSTEM VALUE
    SELECT id, src, name, address, city, region, postal_code, country, ARRAY[hood], geog
    FROM (SELECT *, ST_SetSRID(ST_MakePoint(lng, lat), 4326)::geography AS geog
          FROM demo_loc OFFSET 0) l
    ORDER BY geog::geometry, id;
    PERFORM indexes_restore(location_indexes);

    -- Meetings, first their own columns. Each step is fenced with OFFSET 0
    -- so that the planner computes its columns once instead of copying
    -- their expressions into every later use.
    SELECT coalesce(max(id), 0) INTO mtg_base FROM meetings;
    CREATE TEMP TABLE demo_rows ON COMMIT DROP AS
    WITH placed AS (
        SELECT m.*, l.id AS location_id, l.name AS venue,
               CASE WHEN m.has_loc THEN l.city_id ELSE m.own_city END AS city_id
        FROM demo_m m
        LEFT JOIN demo_loc l ON m.has_loc AND l.j = m.j
        OFFSET 0
    ), localized AS (
        SELECT p.*, c.name AS city, c.slug AS city_slug, c.country, c.locale, c.timezone,
               CASE WHEN demo.h(p.i, 8) % 100 < c.alt_pct THEN c.alt_lang ELSE c.lang END AS lang,
               f.slug AS fellowship_slug
        FROM placed p
        JOIN demo.cities c ON c.id = p.city_id
        JOIN fellowships f ON f.id = p.fellowship_id
        OFFSET 0
    ), fellowship AS (
        -- Meetings in Spanish, German or French: only the fellowships
        -- that commonly meet in those languages; the rest become AA.
        SELECT z.*,
               CASE WHEN z.lang <> 'en' AND z.fellowship_slug NOT IN
                         ('aa', 'na', 'ca', 'al-anon', 'alateen', 'nar-anon')
                    THEN 'aa' ELSE z.fellowship_slug END AS fs,
               CASE WHEN z.lang <> 'en' AND z.fellowship_slug NOT IN
                         ('aa', 'na', 'ca', 'al-anon', 'alateen', 'nar-anon')
                    THEN aa_id ELSE z.fellowship_id END AS fid,
               (demo.h(z.i, 9) % 100)::integer AS r9,
               (demo.h(z.i, 10) % 100)::integer AS r10,
               (demo.h(z.i, 11) % 100)::integer AS r11,
               (demo.h(z.i, 20) % 1000)::integer AS r20,
               (demo.h(z.i, 21) % 100)::integer AS r21
        FROM localized z
        OFFSET 0
    ), typed AS (
        SELECT y.*,
               CASE WHEN y.fs IN ('aa', 'na', 'ca', 'cma')
                        THEN CASE WHEN y.r9 < 50 THEN 'O' WHEN y.r9 < 93 THEN 'C' END
                    WHEN y.fs = 'alateen' THEN 'C'
                    WHEN y.fs IN ('al-anon', 'nar-anon', 'families-anonymous', 'aca', 'smart-family')
                        THEN CASE WHEN y.r9 < 60 THEN 'C' WHEN y.r9 < 85 THEN 'O' END
                    ELSE CASE WHEN y.r9 < 55 THEN 'O' END
               END AS t_oc,
               CASE WHEN y.fs = 'aa' THEN
                        CASE WHEN y.r10 < 38 THEN 'D' WHEN y.r10 < 53 THEN 'SP'
                             WHEN y.r10 < 65 THEN 'B' WHEN y.r10 < 75 THEN 'ST'
                             WHEN y.r10 < 79 THEN '12x12' WHEN y.r10 < 83 THEN 'LIT'
                             WHEN y.r10 < 86 THEN 'DR' WHEN y.r10 < 88 THEN 'ABSI'
                             WHEN y.r10 < 90 THEN 'GR' WHEN y.r10 < 92 THEN 'TR'
                             WHEN y.r10 < 95 THEN '11' END
                    WHEN y.fs IN ('na', 'ca', 'cma') THEN
                        CASE WHEN y.r10 < 50 THEN 'D' WHEN y.r10 < 63 THEN 'SP'
                             WHEN y.r10 < 75 THEN 'ST' WHEN y.r10 < 90 THEN 'LIT' END
                    WHEN y.fs IN ('al-anon', 'alateen', 'nar-anon', 'families-anonymous', 'aca') THEN
                        CASE WHEN y.r10 < 55 THEN 'D' WHEN y.r10 < 70 THEN 'ST'
                             WHEN y.r10 < 90 THEN 'LIT' WHEN y.r10 < 95 THEN 'SP' END
                    WHEN y.fs = 'recovery-dharma' THEN
                        CASE WHEN y.r10 < 70 THEN 'MED' WHEN y.r10 < 95 THEN 'D' END
                    ELSE CASE WHEN y.r10 < 80 THEN 'D' END
               END AS t_fmt,
               CASE WHEN y.fs = 'women-for-sobriety' THEN 'W'
                    WHEN y.fs = 'alateen' THEN NULL
                    WHEN y.fs IN ('aa', 'na', 'ca', 'cma', 'smart')
                        THEN CASE WHEN y.r11 < 7 THEN 'W' WHEN y.r11 < 12 THEN 'M' END
                    WHEN y.fs IN ('al-anon', 'nar-anon', 'aca', 'families-anonymous', 'smart-family')
                        THEN CASE WHEN y.r11 < 4 THEN 'W' WHEN y.r11 < 6 THEN 'M' END
                    ELSE CASE WHEN y.r11 < 3 THEN 'W' WHEN y.r11 < 5 THEN 'M' END
               END AS t_gender,
               CASE WHEN y.fs IN ('aa', 'na', 'ca', 'cma', 'smart') AND demo.h(y.i, 12) % 100 < 3
                    THEN 'Y' END AS t_young,
               CASE WHEN y.fs NOT IN ('alateen', 'families-anonymous', 'celebrate-recovery')
                         AND demo.h(y.i, 13) % 1000 < 25
                    THEN 'LGBTQ' END AS t_lgbtq,
               CASE WHEN y.fs IN ('aa', 'na', 'ca', 'cma', 'smart', 'al-anon', 'nar-anon')
                         AND demo.h(y.i, 14) % 100 < 7
                    THEN 'BE' END AS t_newcomer,
               (y.attendance <> 'online' AND demo.h(y.i, 15) % 100 < 35) AS wheelchair,
               CASE WHEN y.fs = 'mara'
                         OR (y.fs IN ('aa', 'na', 'smart') AND demo.h(y.i, 19) % 100 < 8)
                    THEN 'MOUD' END AS t_moud,
               CASE y.lang WHEN 'es' THEN 'S' WHEN 'de' THEN 'DE' WHEN 'fr' THEN 'FR'
                   ELSE CASE WHEN y.country NOT IN ('US', 'CA', 'GB', 'IE', 'AU') THEN 'EN' END
               END AS t_lang,
               CASE WHEN y.fs = 'aa' THEN
                        CASE WHEN y.r20 < 30 THEN 'A'
                             WHEN y.r20 < 40 THEN 'AL-AN'
                             WHEN y.r20 < 60 THEN CASE WHEN y.start_min >= 1140 THEN 'CAN' END
                             WHEN y.r20 < 75 THEN CASE WHEN y.start_min BETWEEN 300 AND 599
                                                       THEN 'BRK' END
                             WHEN y.r20 < 80 THEN 'ASL'
                             WHEN y.r20 < 90 THEN 'SEN'
                             WHEN y.r20 < 95 THEN CASE WHEN y.attendance = 'in_person'
                                                       THEN 'OUT' END
                             WHEN y.r20 < 110 THEN 'DD'
                             WHEN y.r20 < 120 THEN CASE WHEN y.country = 'US' THEN 'POC' END END
                    WHEN y.fs = 'na' THEN
                        CASE WHEN y.r20 < 10 THEN 'ASL' WHEN y.r20 < 30 THEN 'DD'
                             WHEN y.r20 < 40 THEN CASE WHEN y.country = 'US' THEN 'POC' END END
                    WHEN y.fs = 'al-anon' THEN
                        CASE WHEN y.r20 < 50 THEN 'AL' WHEN y.r20 < 60 THEN 'SEN' END
                    WHEN y.fs IN ('smart', 'lifering') THEN
                        CASE WHEN y.r20 < 300 THEN 'XT' END
               END AS t_extra
        FROM fellowship y
        OFFSET 0
    ), keyed AS (
        SELECT k.*,
               -- Type codes in bytewise order, one slot per code.
               array_remove(ARRAY[
                   CASE WHEN k.t_fmt = '11' THEN '11' END,
                   CASE WHEN k.t_fmt = '12x12' THEN '12x12' END,
                   CASE WHEN k.t_extra = 'A' THEN 'A' END,
                   CASE WHEN k.t_fmt = 'ABSI' THEN 'ABSI' END,
                   CASE WHEN k.t_extra = 'AL' THEN 'AL' END,
                   CASE WHEN k.t_extra = 'AL-AN' THEN 'AL-AN' END,
                   CASE WHEN k.t_extra = 'ASL' THEN 'ASL' END,
                   CASE WHEN k.t_fmt = 'B' THEN 'B' END,
                   CASE WHEN k.attendance = 'in_person' AND demo.h(k.i, 18) % 100 < 2
                        THEN 'BA' END,
                   k.t_newcomer,
                   CASE WHEN k.t_extra = 'BRK' THEN 'BRK' END,
                   CASE WHEN k.t_oc = 'C' THEN 'C' END,
                   CASE WHEN k.t_extra = 'CAN' THEN 'CAN' END,
                   CASE WHEN k.attendance <> 'online' AND k.fs <> 'alateen'
                             AND demo.h(k.i, 17) % 100 < 4 THEN 'CF' END,
                   CASE WHEN k.t_fmt = 'D' THEN 'D' END,
                   CASE WHEN k.t_extra = 'DD' THEN 'DD' END,
                   CASE WHEN k.t_lang = 'DE' THEN 'DE' END,
                   CASE WHEN k.t_fmt = 'DR' THEN 'DR' END,
                   CASE WHEN k.t_lang = 'EN' THEN 'EN' END,
                   CASE WHEN k.t_lang = 'FR' THEN 'FR' END,
                   CASE WHEN k.t_fmt = 'GR' THEN 'GR' END,
                   k.t_lgbtq,
                   CASE WHEN k.t_fmt = 'LIT' THEN 'LIT' END,
                   CASE WHEN k.t_gender = 'M' THEN 'M' END,
                   CASE WHEN k.t_fmt = 'MED' THEN 'MED' END,
                   k.t_moud,
                   CASE WHEN k.t_oc = 'O' THEN 'O' END,
                   CASE WHEN k.t_extra = 'OUT' THEN 'OUT' END,
                   CASE WHEN k.t_extra = 'POC' THEN 'POC' END,
                   CASE WHEN k.t_lang = 'S' THEN 'S' END,
                   CASE WHEN k.t_extra = 'SEN' THEN 'SEN' END,
                   CASE WHEN k.t_fmt = 'SP' THEN 'SP' END,
                   CASE WHEN k.t_fmt = 'ST' THEN 'ST' END,
                   -- Online at its group's venue: the place is temporarily
                   -- closed to it, as Meeting Guide feeds say it (a link at a
                   -- street address alone reads as hybrid).
                   CASE WHEN k.attendance = 'online' AND k.location_id IS NOT NULL THEN 'TC' END,
                   CASE WHEN k.t_fmt = 'TR' THEN 'TR' END,
                   CASE WHEN k.t_gender = 'W' THEN 'W' END,
                   CASE WHEN k.wheelchair THEN 'X' END,
                   CASE WHEN k.wheelchair AND demo.h(k.i, 16) % 2 = 0 THEN 'XB' END,
                   CASE WHEN k.t_extra = 'XT' THEN 'XT' END,
                   k.t_young], NULL) AS types,
               -- Some names follow the meeting's types ("Women's Step Study").
               CASE WHEN k.r21 < 60 AND k.lang = 'en' AND k.fs IN ('aa', 'na', 'ca', 'cma')
                         AND coalesce(k.t_lgbtq, k.t_young, k.t_gender, k.t_newcomer) IS NOT NULL
                    THEN 'name.' || coalesce(k.t_lgbtq, k.t_young, k.t_gender, k.t_newcomer) || '.en'
                    WHEN k.r21 < 60 AND k.fs = 'aa' AND k.lang <> 'en' AND k.t_gender = 'W'
                    THEN 'name.W.' || k.lang
                    WHEN k.r21 < 60 AND k.fs = 'aa' AND k.lang = 'es' AND k.t_young IS NOT NULL
                    THEN 'name.Y.es'
                    ELSE 'name.' || k.fs || '.' || k.lang
               END AS name_key,
               CASE WHEN k.start_min < 300 OR k.start_min >= 1290 THEN 'tod.late'
                    WHEN k.start_min < 540 THEN 'tod.early'
                    WHEN k.start_min < 690 THEN 'tod.morning'
                    WHEN k.start_min < 840 THEN 'tod.noon'
                    WHEN k.start_min < 1020 THEN 'tod.afternoon'
                    WHEN k.start_min < 1140 THEN 'tod.happy'
                    ELSE 'tod.evening' END AS tod_key,
               CASE WHEN k.lang = 'en' THEN 'theme.' || k.fs ELSE 'theme.' || k.lang END AS theme_key,
               'notes.' || CASE WHEN k.attendance = 'online' THEN 'online.' ELSE '' END || k.lang
                   AS notes_key,
               CASE k.t_fmt WHEN 'D' THEN 'Discussion' WHEN 'SP' THEN 'Speaker Meeting'
                    WHEN 'B' THEN 'Big Book Study' WHEN 'ST' THEN 'Step Study'
                    WHEN '12x12' THEN 'Twelve and Twelve'
                    WHEN 'LIT' THEN CASE WHEN k.fs = 'na' THEN 'Basic Text Study'
                                         ELSE 'Literature Study' END
                    WHEN 'DR' THEN 'Daily Reflections' WHEN 'ABSI' THEN 'As Bill Sees It'
                    WHEN 'GR' THEN 'Grapevine' WHEN 'TR' THEN 'Traditions Study'
                    WHEN '11' THEN '11th Step Meditation' WHEN 'MED' THEN 'Meditation'
                    ELSE 'Meeting' END AS fmt,
               CASE WHEN k.start_min < 300 THEN 'Night' WHEN k.start_min < 690 THEN 'Morning'
                    WHEN k.start_min < 840 THEN 'Noon' WHEN k.start_min < 1020 THEN 'Afternoon'
                    WHEN k.start_min < 1080 THEN 'Evening' ELSE 'Night' END AS daypart,
               CASE WHEN k.attendance = 'online' AND demo.h(k.i, 27) % 100 < 10
                    THEN CASE k.lang WHEN 'es' THEN ' (en línea)' WHEN 'fr' THEN ' (en ligne)'
                                     ELSE ' Online' END
                    ELSE '' END AS suffix
        FROM typed k
        OFFSET 0
    ), worded AS (
        -- Each word is picked once, with its slug at the same position.
        SELECT k.*,
               1 + (demo.h(k.i, 22) % cardinality(wn.words))::integer AS n_name,
               1 + (demo.h(k.i, 23) % cardinality(wt.words))::integer AS n_theme,
               1 + (demo.h(k.i, 24) % cardinality(wd.words))::integer AS n_tod,
               1 + (demo.h(k.i, 25) % cardinality(wh.words))::integer AS n_hood,
               wn.words AS name_words, wn.slugs AS name_slugs,
               wt.words AS theme_words, wt.slugs AS theme_slugs,
               wd.words AS tod_words, wd.slugs AS tod_slugs,
               wh.words AS hood_words, wh.slugs AS hood_slugs,
               demo.pick(wo.words, demo.h(k.i, 26)) AS note
        FROM keyed k
        JOIN demo.words wn ON wn.list = k.name_key
        JOIN demo.words wt ON wt.list = k.theme_key
        JOIN demo.words wd ON wd.list = k.tod_key
        JOIN demo.words wh ON wh.list = 'hood.' || k.locale
        JOIN demo.words wo ON wo.list = k.notes_key
        OFFSET 0
    ), named AS (
        SELECT w.*, w.theme_words[w.n_theme] AS theme,
               replace(replace(replace(replace(replace(replace(replace(replace(replace(
                   replace(w.name_words[w.n_name], '{tod}', w.tod_words[w.n_tod]),
                   '{theme}', w.theme_words[w.n_theme]),
                   '{fmt}', w.fmt),
                   '{dayp}', day_en[w.day + 1] || ' ' || w.daypart),
                   '{day}', day_en[w.day + 1]),
                   '{wday}', day_de[w.day + 1]),
                   '{hood}', w.hood_words[w.n_hood]),
                   '{city}', w.city),
                   '{venue}', coalesce(w.venue, w.city)),
                   '  ', ' ') || w.suffix AS name,
               -- The same, from the slugified words.
               replace(replace(replace(replace(replace(replace(replace(
                   replace(w.name_slugs[w.n_name], '{tod}', w.tod_slugs[w.n_tod]),
                   '{theme}', w.theme_slugs[w.n_theme]),
                   '{fmt}', lower(replace(w.fmt, ' ', '-'))),
                   '{dayp}', lower(day_en[w.day + 1] || '-' || w.daypart)),
                   '{day}', lower(day_en[w.day + 1])),
                   '{wday}', lower(day_de[w.day + 1])),
                   '{hood}', w.hood_slugs[w.n_hood]),
                   '{city}', w.city_slug)
               || CASE w.suffix WHEN '' THEN '' WHEN ' (en línea)' THEN '-en-linea'
                                WHEN ' (en ligne)' THEN '-en-ligne' ELSE '-online' END AS name_slug
        FROM worded w
        OFFSET 0
    ), slugged AS (
        SELECT s.*,
               rtrim(left(CASE WHEN s.name_slug LIKE '%{venue}%' THEN demo.slugify(s.name)
                               ELSE s.name_slug END, 50), '-') || '-' || s.i AS slug,
               (s.attendance = 'online' AND demo.h(s.i, 28) % 100 < 3) AS phone_only
        FROM named s
        OFFSET 0
    )
    SELECT mtg_base + q.i AS id, q.i::text AS source_key, q.fid AS fellowship_id, q.name,
           q.slug, q.day,
           time '00:00' + q.start_min * interval '1 minute' AS start_time,
           time '00:00' + (q.start_min + q.duration) * interval '1 minute' AS end_time,
           q.timezone, q.attendance, q.types,
           CASE WHEN q.attendance <> 'in_person' AND NOT q.phone_only
                THEN 'https://meet.example.org/demo/' || q.slug END AS conference_url,
           -- 555-0100..0199 numbers are reserved for fiction.
           CASE WHEN q.attendance <> 'in_person' AND (q.phone_only OR demo.h(q.i, 29) % 100 < 30)
                THEN '+1555010' || lpad((demo.h(q.i, 30) % 10000)::text, 4, '0')
                     || CASE WHEN demo.h(q.i, 31) % 2 = 0
                             THEN ',,' || (100000000 + demo.h(q.i, 32) % 900000000)::text || '#'
                             ELSE '' END
           END AS conference_phone,
           CASE WHEN demo.h(q.i, 33) % 100 < 28 THEN q.note END AS notes,
           CASE WHEN demo.h(q.i, 34) % 100 < 30
                     AND q.fs IN ('aa', 'na', 'ca', 'cma', 'al-anon', 'alateen', 'nar-anon',
                                  'families-anonymous', 'aca')
                THEN CASE q.lang WHEN 'es' THEN 'Grupo ' || q.theme
                                 WHEN 'de' THEN 'Gruppe ' || q.theme
                                 WHEN 'fr' THEN 'Groupe ' || q.theme
                                 ELSE q.theme || ' Group' END
           END AS group_name,
           q.location_id,
           timestamptz '2026-01-01 00:00:00+00'
               + (demo.h(q.i, 35) % (270 * 24 * 60)) * interval '1 minute' AS updated_at
    FROM slugged q;
    ANALYZE demo_rows;

    -- Then written with their derived columns, as the triggers would give
    -- them: the place's point, the languages of the types (once per list),
    -- the keyword document, the duration and the UTC week minute (the
    -- zone's offset once per zone). The document, meeting_doc() of the
    -- meeting's name, group, notes and place, is made of parts that repeat
    -- (a demo name is one of a few thousand, a place is shared by a block
    -- of meetings), each made once by meeting_doc() itself and joined in its
    -- order (name and group, place, notes): concatenating tsvectors shifts
    -- each part's positions by those before it, so this is the same
    -- document for any meeting with fewer than 16,384 words and fewer than
    -- 256 of one word, as every demo meeting. Nearby meetings together (see
    -- above); those without a place last.
    IF NOT EXISTS (SELECT 1 FROM meetings) THEN
        meeting_indexes := indexes_drop_for_load('meetings');
    END IF;
    INSERT INTO meetings (id, source_id, source_key, fellowship_id, name, slug, day, start_time,
                          end_time, timezone, attendance, types, conference_url, conference_phone,
                          notes, group_name, location_id, updated_at, active,
                          geog, languages, search_doc, duration_min, utc_week_minute)
    OVERRIDING SYSTEM VALUE
    SELECT r.id, src, r.source_key, r.fellowship_id, r.name, r.slug, r.day, r.start_time,
           r.end_time, r.timezone, r.attendance, r.types, r.conference_url, r.conference_phone,
           r.notes, r.group_name, r.location_id, r.updated_at, true,
           l.geog, g.languages, dg.doc || coalesce(l.doc, '') || dn.doc,
           meeting_duration(r.start_time, r.end_time),
           meeting_week_minute(r.day, r.start_time, z.std_offset)
    FROM demo_rows r
    LEFT JOIN (SELECT l.id, l.geog, meeting_doc(NULL, NULL, NULL, l.name, l.city, l.address) AS doc
               FROM locations l WHERE l.source_id = src OFFSET 0) l ON l.id = r.location_id
    JOIN (SELECT t.name, t.group_name, meeting_doc(t.name, t.group_name, NULL, NULL, NULL, NULL) AS doc
          FROM (SELECT DISTINCT name, coalesce(group_name, '') AS group_name FROM demo_rows) t
          OFFSET 0) dg ON dg.name = r.name AND dg.group_name = coalesce(r.group_name, '')
    JOIN (SELECT t.notes, meeting_doc(NULL, NULL, t.notes, NULL, NULL, NULL) AS doc
          FROM (SELECT DISTINCT coalesce(notes, '') AS notes FROM demo_rows) t OFFSET 0) dn
        ON dn.notes = coalesce(r.notes, '')
    JOIN (SELECT t.types, meeting_languages(t.types, src) AS languages
          FROM (SELECT DISTINCT types FROM demo_rows) t OFFSET 0) g ON g.types = r.types
    JOIN (SELECT t.timezone, zone_standard_offset(t.timezone) AS std_offset
          FROM (SELECT DISTINCT timezone FROM demo_rows) t OFFSET 0) z ON z.timezone = r.timezone
    ORDER BY l.geog::geometry, r.id;
    GET DIAGNOSTICS inserted = ROW_COUNT;
    PERFORM indexes_restore(meeting_indexes);
    IF inserted <> n THEN
        RAISE EXCEPTION 'demo.load: inserted % meetings, expected %', inserted, n;
    END IF;

    -- Keep the identity sequences ahead of the explicit ids.
    PERFORM setval(pg_get_serial_sequence('locations', 'id'),
                   greatest(coalesce((SELECT max(id) FROM locations), 1),
                            coalesce(pg_sequence_last_value(pg_get_serial_sequence('locations', 'id')::regclass), 1)));
    PERFORM setval(pg_get_serial_sequence('meetings', 'id'),
                   greatest(coalesce((SELECT max(id) FROM meetings), 1),
                            coalesce(pg_sequence_last_value(pg_get_serial_sequence('meetings', 'id')::regclass), 1)));

    DROP TABLE demo_blk, demo_m, demo_loc, demo_rows;
    RETURN inserted;
END
$fn$;
