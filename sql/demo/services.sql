-- Demo recovery support services for Recovery Finder: every organization,
-- service, address, phone number, e-mail address and web site made here is
-- FICTIONAL. Only the city centres (demo.cities, with their time zones) are
-- real. Web sites and e-mail addresses are under example.org and
-- example.com; phone numbers are in the 555-0100..0199 range kept for
-- fiction.
--
-- Usage (scripts/stack.sh db_demo; as the cluster superuser, after
-- sql/demo/demo.sql in the same psql call, whose functions demo.h, demo.u,
-- demo.pick, demo.slugify and tables demo.cities, demo.words it uses):
--     psql -d finder -f sql/demo/demo.sql -f sql/demo/services.sql \
--          -c "SELECT demo.load_services(3000)"
--
-- As demo.load, it is DETERMINISTIC (no random(), no now(): every choice is
-- a hash of the row number and a choice number, and dates count back from a
-- fixed day) and service i never depends on n: demo.load_services(1000) is
-- a prefix of demo.load_services(100000), ids included (hsds.derived_id of
-- the row's key). Set-based SQL: 3,000 services take about 3 s, 100,000
-- about a minute on 2 cores, most of it writing rows and their indexes.
--
-- The shape: services come in runs of consecutive row numbers that share an
-- organization (1-8 services). An organization is of a kind (a recovery
-- community organization, a recovery housing operator, a community agency,
-- an employment program, a family network, a culturally specific community,
-- an outreach collaborative, a statewide network, a national provider),
-- and the kind decides its services' categories. Local services sit at the
-- organization's office or at a site of their own in the organization's
-- city (each recovery house at its own address); outreach teams have no
-- location but a polygon around their city; statewide lines cover a state
-- (country 'US' and its region), national lines and apps a country.
--
-- This file is idempotent. demo.load_services(n) replaces the data of the
-- source 'demo-services' and returns the number of services inserted.

SET client_encoding = 'UTF8';
SET client_min_messages = warning;

-- Names of the regions and countries the services' areas and texts use,
-- and what a country's services are paid in and dialled with.
DROP TABLE IF EXISTS demo.service_countries CASCADE;
CREATE TABLE demo.service_countries (
    country    text PRIMARY KEY,
    name       text NOT NULL,
    name_local text NOT NULL,
    currency   text NOT NULL,
    dial       text NOT NULL,
    -- The zone a national line's hours are given in.
    timezone   text NOT NULL
);
INSERT INTO demo.service_countries VALUES
    ('US', 'United States', 'United States', 'USD', '+1', 'America/New_York'),
    ('PR', 'Puerto Rico', 'Puerto Rico', 'USD', '+1', 'America/Puerto_Rico'),
    ('CA', 'Canada', 'Canada', 'CAD', '+1', 'America/Toronto'),
    ('MX', 'Mexico', 'México', 'MXN', '+52', 'America/Mexico_City'),
    ('GB', 'United Kingdom', 'United Kingdom', 'GBP', '+44', 'Europe/London'),
    ('IE', 'Ireland', 'Ireland', 'EUR', '+353', 'Europe/Dublin'),
    ('ES', 'Spain', 'España', 'EUR', '+34', 'Europe/Madrid'),
    ('DE', 'Germany', 'Deutschland', 'EUR', '+49', 'Europe/Berlin'),
    ('AU', 'Australia', 'Australia', 'AUD', '+61', 'Australia/Sydney');

DROP TABLE IF EXISTS demo.service_regions CASCADE;
CREATE TABLE demo.service_regions (
    region text PRIMARY KEY,
    name   text NOT NULL
);
INSERT INTO demo.service_regions VALUES
    ('AK', 'Alaska'), ('AL', 'Alabama'), ('AR', 'Arkansas'), ('AZ', 'Arizona'),
    ('CA', 'California'), ('CO', 'Colorado'), ('CT', 'Connecticut'),
    ('DC', 'District of Columbia'), ('DE', 'Delaware'), ('FL', 'Florida'), ('GA', 'Georgia'),
    ('HI', 'Hawaii'), ('IA', 'Iowa'), ('ID', 'Idaho'), ('IL', 'Illinois'), ('IN', 'Indiana'),
    ('KS', 'Kansas'), ('KY', 'Kentucky'), ('LA', 'Louisiana'), ('MA', 'Massachusetts'),
    ('MD', 'Maryland'), ('ME', 'Maine'), ('MI', 'Michigan'), ('MN', 'Minnesota'),
    ('MO', 'Missouri'), ('MS', 'Mississippi'), ('MT', 'Montana'), ('NC', 'North Carolina'),
    ('ND', 'North Dakota'), ('NE', 'Nebraska'), ('NH', 'New Hampshire'), ('NJ', 'New Jersey'),
    ('NM', 'New Mexico'), ('NV', 'Nevada'), ('NY', 'New York'), ('OH', 'Ohio'),
    ('OK', 'Oklahoma'), ('OR', 'Oregon'), ('PA', 'Pennsylvania'), ('PR', 'Puerto Rico'),
    ('RI', 'Rhode Island'), ('SC', 'South Carolina'), ('SD', 'South Dakota'),
    ('TN', 'Tennessee'), ('TX', 'Texas'), ('UT', 'Utah'), ('VA', 'Virginia'),
    ('VT', 'Vermont'), ('WA', 'Washington'), ('WI', 'Wisconsin'), ('WV', 'West Virginia'),
    ('WY', 'Wyoming');

-- Every US demo city's state has a name.
DO $$
DECLARE bad text;
BEGIN
    SELECT string_agg(DISTINCT c.region, ', ') INTO bad
    FROM demo.cities c
    WHERE c.country = 'US' AND NOT EXISTS (SELECT 1 FROM demo.service_regions r
                                           WHERE r.region = c.region);
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'demo.service_regions: no name for %', bad;
    END IF;
END
$$;

-- The organization kinds: how often each appears, how many services it
-- runs, and its services' categories (one slot per unit of weight).
DROP TABLE IF EXISTS demo.service_kinds CASCADE;
CREATE TABLE demo.service_kinds (
    ord      smallint PRIMARY KEY,
    kind     text NOT NULL UNIQUE,
    weight   integer NOT NULL CHECK (weight > 0),
    min_size integer NOT NULL,
    max_size integer NOT NULL CHECK (max_size BETWEEN min_size AND 8),
    cats     text[] NOT NULL
);
INSERT INTO demo.service_kinds VALUES
    (1, 'rco', 14, 2, 6, ARRAY['recovery-community-center', 'recovery-community-center',
        'recovery-community-center', 'peer-support', 'peer-support', 'peer-support',
        'peer-support', 'family-support', 'family-support', 'employment',
        'telephone-support', 'cultural-community']),
    (2, 'housing', 12, 1, 6, ARRAY['recovery-housing', 'recovery-housing', 'recovery-housing',
        'recovery-housing', 'recovery-housing', 'recovery-housing', 'recovery-housing',
        'recovery-housing', 'recovery-housing', 'peer-support']),
    (3, 'agency', 16, 2, 7, ARRAY['case-management', 'case-management', 'case-management',
        'case-management', 'case-management', 'case-management', 'outreach', 'outreach',
        'peer-support', 'peer-support', 'peer-support', 'employment', 'family-support']),
    (4, 'work', 7, 1, 3, ARRAY['employment', 'employment', 'employment', 'employment',
        'case-management']),
    (5, 'family', 7, 1, 3, ARRAY['family-support', 'family-support', 'family-support',
        'family-support', 'telephone-support']),
    (6, 'culture', 7, 1, 3, ARRAY['cultural-community', 'cultural-community',
        'cultural-community', 'cultural-community', 'peer-support', 'family-support']),
    (7, 'outreach', 5, 1, 3, ARRAY['outreach', 'outreach', 'outreach', 'peer-support',
        'case-management']),
    (8, 'state', 4, 1, 4, ARRAY['telephone-support', 'telephone-support', 'telephone-support',
        'telephone-support', 'peer-support', 'family-support', 'digital-recovery',
        'digital-recovery']),
    (9, 'national', 2, 1, 3, ARRAY['digital-recovery', 'digital-recovery', 'digital-recovery',
        'digital-recovery', 'telephone-support', 'telephone-support']);

-- Word lists, as demo.words (whose hood.*, street.*, sfx.*, addr.* lists
-- the addresses use). Lists end in the text's language; a list missing in
-- a language falls back to English. Placeholders: {city}, {hood},
-- {street}, {state} (the state's name, or the country's outside the US
-- and for a national provider, whose area is the country), {adj}, {org}.
DROP TABLE IF EXISTS demo.service_words CASCADE;
CREATE TABLE demo.service_words (
    list  text PRIMARY KEY,
    words text[] NOT NULL CHECK (cardinality(words) > 0)
);
INSERT INTO demo.service_words (list, words) VALUES
('adj', ARRAY['New Leaf', 'Cedar Path', 'Harbor Light', 'Bridgeway', 'Lantern', 'Evergreen',
    'Compass', 'Keystone', 'Crossroads', 'Open Door', 'Riverbend', 'Sunrise', 'Fresh Start',
    'Milestone', 'Northstar', 'Anchor', 'Pathways', 'Beacon', 'Summit', 'Willow',
    'Stepping Stone', 'Clear Water', 'Common Ground', 'Second Wind']),

-- Organizations.
('org.rco.en', ARRAY['{city} Recovery Alliance', '{hood} Recovery Community',
    'Recovery Connection of {city}', '{city} Area Recovery Network', 'Voices of Recovery {city}',
    '{hood} Recovery Collective', '{adj} Recovery Community of {city}',
    '{adj} Recovery Community Organization']),
('org.rco.es', ARRAY['Alianza para la Recuperación de {city}', 'Comunidad en Recuperación {hood}',
    'Red de Recuperación {adj}', 'Voces de la Recuperación {city}']),
('org.rco.de', ARRAY['Genesungsgemeinschaft {city}-{hood}', 'Selbsthilfenetz {city}',
    'Stimmen der Genesung {city}']),
('org.rco.fr', ARRAY['Communauté de rétablissement {hood}', 'Réseau rétablissement {city}',
    'Voix du rétablissement {city}']),
('org.housing.en', ARRAY['{adj} Recovery Residences', '{hood} Sober Living',
    '{adj} Recovery Homes', '{city} Recovery Residences', '{adj} House Network',
    '{hood} Recovery Housing Collective']),
('org.housing.es', ARRAY['Casas de Recuperación {adj}', 'Hogares de Recuperación {hood}',
    'Viviendas de Recuperación {city}']),
('org.housing.de', ARRAY['Wohngemeinschaften {adj}', 'Genesungswohnen {city}']),
('org.housing.fr', ARRAY['Maisons de rétablissement {hood}', 'Hébergement {adj}']),
('org.agency.en', ARRAY['{city} Community Health Services', '{hood} Family and Community Services',
    '{city} Behavioral Health Partners', '{adj} Community Services of {city}',
    '{hood} Neighborhood Health Center', '{adj} Human Services']),
('org.agency.es', ARRAY['Servicios Comunitarios de Salud {city}', 'Centro de Salud Comunitaria {hood}',
    'Servicios Sociales {adj}']),
('org.agency.de', ARRAY['Suchtberatung {city}-{hood}', 'Soziale Dienste {city}',
    'Gemeindepsychiatrischer Verbund {city}']),
('org.agency.fr', ARRAY['Services communautaires {hood}', 'Centre de santé communautaire {city}']),
('org.work.en', ARRAY['{adj} Employment Services', '{city} Works for Recovery',
    'Second Start Careers {city}', '{hood} Job Center']),
('org.work.es', ARRAY['Empleo y Recuperación {city}', 'Centro de Empleo {hood}']),
('org.work.de', ARRAY['Arbeit und Genesung {city}', 'Beschäftigungsprojekt {adj}']),
('org.work.fr', ARRAY['Emploi et rétablissement {city}', 'Carrefour emploi {hood}']),
('org.family.en', ARRAY['{city} Families in Recovery', 'Family Circle Recovery Support',
    'Parents for Recovery {city}', '{hood} Family Recovery Network']),
('org.family.es', ARRAY['Familias en Recuperación {city}', 'Red de Familias {hood}']),
('org.family.de', ARRAY['Angehörige in Genesung {city}', 'Elternkreis {city}-{hood}']),
('org.family.fr', ARRAY['Familles en rétablissement {city}', 'Parents entraide {hood}']),
('org.culture.en', ARRAY['{city} Recovery Circles', '{hood} Healing Community',
    '{adj} Recovery Fellowship', 'Many Roots Recovery {city}']),
('org.culture.es', ARRAY['Círculos de Recuperación {city}', 'Comunidad {adj}']),
('org.culture.de', ARRAY['Genesungskreise {city}', 'Interkulturelle Selbsthilfe {city}']),
('org.culture.fr', ARRAY['Cercles de rétablissement {city}', 'Communauté {hood}']),
('org.outreach.en', ARRAY['{city} Street Outreach Collaborative', 'Mobile Recovery Outreach of {city}',
    '{city} Overdose Response Partnership', '{adj} Outreach']),
('org.outreach.es', ARRAY['Alcance Comunitario {city}', 'Brigadas de Recuperación {city}']),
('org.outreach.de', ARRAY['Streetwork {city}', 'Aufsuchende Hilfe {city}']),
('org.outreach.fr', ARRAY['Travail de rue {city}', 'Équipe mobile {city}']),
('org.state.en', ARRAY['{state} Recovery Support Network', '{state} Peer Recovery Network',
    '{state} Alliance for Recovery', 'Recovery {state}']),
('org.state.es', ARRAY['Red de Apoyo a la Recuperación de {state}', 'Recuperación {state}']),
('org.state.de', ARRAY['Genesungsnetz {state}', 'Selbsthilfe {state}']),
('org.state.fr', ARRAY['Réseau rétablissement {state}']),
('org.national.en', ARRAY['{adj} Digital Recovery', 'Recovery Anywhere {state}',
    '{adj} Recovery Online', 'Recovery Line {state}']),
('org.national.es', ARRAY['Recuperación en Línea {state}', '{adj} Digital']),
('org.national.de', ARRAY['Genesung online {state}', '{adj} Digital']),
('org.national.fr', ARRAY['Rétablissement en ligne {state}']),

('odesc.rco.en', ARRAY['A recovery community organization run by and for people in recovery and their families.',
    'People in recovery, working together so that everyone in {city} can find a way to recovery.']),
('odesc.housing.en', ARRAY['Alcohol- and drug-free homes for people in recovery in and around {city}.',
    'Peer-run and supervised recovery homes.']),
('odesc.agency.en', ARRAY['A community agency: health, housing and benefits help for people and families in {city}.',
    'Community health and social services, including recovery support.']),
('odesc.work.en', ARRAY['Job training and placement for people in recovery.']),
('odesc.family.en', ARRAY['Families helping families affected by substance use.']),
('odesc.culture.en', ARRAY['Recovery communities rooted in culture, faith, language and identity.']),
('odesc.outreach.en', ARRAY['Outreach workers who meet people where they are.']),
('odesc.state.en', ARRAY['A statewide network of recovery supports by phone, text and online.']),
('odesc.national.en', ARRAY['Recovery support by phone and online, wherever you are.']),
('odesc.any.es', ARRAY['Una organización sin fines de lucro que apoya a personas y familias en recuperación.']),
('odesc.any.de', ARRAY['Ein gemeinnütziger Verein, der Menschen und Familien in der Genesung unterstützt.']),
('odesc.any.fr', ARRAY['Un organisme à but non lucratif qui soutient les personnes et les familles en rétablissement.']),

-- Services at a location.
('svc.peer-support.en', ARRAY['Peer Recovery Coaching', 'Recovery Coach Program',
    'Peer Support Drop-In', 'One-to-One Peer Recovery Support', 'Hospital Peer Recovery Coaches',
    'Peer Support for Reentry', 'Recovery Coaching at {hood}']),
('svc.peer-support.es', ARRAY['Acompañamiento entre Pares', 'Coaches de Recuperación',
    'Apoyo entre Pares {hood}']),
('svc.peer-support.de', ARRAY['Genesungsbegleitung', 'Peer-Beratung {hood}']),
('svc.peer-support.fr', ARRAY['Soutien par les pairs', 'Accompagnement par les pairs {hood}']),
('svc.case-management.en', ARRAY['Recovery Case Management', 'Care Coordination for Recovery',
    'Benefits and Housing Navigation', 'Recovery Resource Navigation', 'Reentry Case Management',
    'Help with Food, Housing and Benefits']),
('svc.case-management.es', ARRAY['Gestión de Casos', 'Ayuda con Vivienda y Beneficios',
    'Coordinación de Cuidados']),
('svc.case-management.de', ARRAY['Fallmanagement', 'Sozialberatung {hood}']),
('svc.case-management.fr', ARRAY['Gestion de cas', 'Aide au logement et aux prestations']),
('svc.recovery-housing.en', ARRAY['{street} House', '{street} Street Residence', '{adj} House',
    '{hood} Recovery Home', '{adj} Residence']),
('svc.recovery-housing.es', ARRAY['Casa {street}', 'Hogar de Recuperación {hood}', 'Casa {adj}']),
('svc.recovery-housing.de', ARRAY['Wohngemeinschaft {street}', 'Haus {hood}']),
('svc.recovery-housing.fr', ARRAY['Maison {street}', 'Maison {hood}']),
('svc.employment.en', ARRAY['Supported Employment Program', 'Job Readiness and Placement',
    'Recovery-Friendly Job Coaching', 'Vocational Training for People in Recovery',
    'Career Coaching']),
('svc.employment.es', ARRAY['Empleo con Apoyo', 'Preparación para el Empleo']),
('svc.employment.de', ARRAY['Unterstützte Beschäftigung', 'Berufliche Wiedereingliederung']),
('svc.employment.fr', ARRAY['Emploi accompagné', 'Réinsertion professionnelle']),
('svc.recovery-community-center.en', ARRAY['{hood} Recovery Community Center',
    '{city} Recovery Center', 'Recovery Clubhouse {hood}', '{adj} Recovery Hub']),
('svc.recovery-community-center.es', ARRAY['Centro Comunitario de Recuperación {hood}',
    'Casa de la Recuperación {city}']),
('svc.recovery-community-center.de', ARRAY['Genesungstreff {hood}', 'Selbsthilfezentrum {hood}']),
('svc.recovery-community-center.fr', ARRAY['Centre communautaire de rétablissement {hood}']),
('svc.telephone-support.en', ARRAY['{city} Recovery Warmline', 'Recovery Check-In Calls',
    'Peer Support by Phone and Text', 'Evening Recovery Warmline']),
('svc.telephone-support.es', ARRAY['Línea de Apoyo a la Recuperación', 'Llamadas de Seguimiento']),
('svc.telephone-support.de', ARRAY['Genesungstelefon {city}']),
('svc.telephone-support.fr', ARRAY['Ligne d''écoute rétablissement']),
('svc.outreach.en', ARRAY['Street Outreach Team', 'Post-Overdose Outreach',
    'Mobile Recovery Outreach', 'Shelter Outreach and Engagement']),
('svc.outreach.es', ARRAY['Equipo de Alcance en la Calle', 'Alcance tras una Sobredosis']),
('svc.outreach.de', ARRAY['Streetwork-Team', 'Aufsuchende Suchthilfe']),
('svc.outreach.fr', ARRAY['Équipe de travail de rue', 'Intervention de proximité']),
('svc.family-support.en', ARRAY['Family Recovery Support Group', 'Parent Coaching for Families',
    'Family Education Series', 'Support for Partners and Families']),
('svc.family-support.es', ARRAY['Grupo de Apoyo para Familias', 'Orientación para Madres y Padres']),
('svc.family-support.de', ARRAY['Angehörigengruppe', 'Elternberatung']),
('svc.family-support.fr', ARRAY['Groupe de soutien aux familles', 'Soutien aux parents']),
('svc.digital-recovery.en', ARRAY['{adj} Recovery App', '{adj} Daily Check-In',
    '{adj} Online Recovery Program', 'Sober Days Tracker', 'Recovery Circles Online']),
('svc.digital-recovery.es', ARRAY['Aplicación {adj}', 'Programa de Recuperación en Línea']),
('svc.digital-recovery.de', ARRAY['Genesungs-App {adj}', 'Online-Programm {adj}']),
('svc.digital-recovery.fr', ARRAY['Application {adj}', 'Programme en ligne {adj}']),

-- Culturally specific communities, with the population each is for
-- (culture.pop.<lang>, at the same position; '' for none).
('svc.cultural-community.en', ARRAY['Sisters in Recovery {city}', 'Brothers in Recovery Circle',
    'Rainbow Recovery Collective', 'Veterans Recovery Circle', 'Latino Recovery Circle',
    'Indigenous Healing Circle', 'Faith and Recovery Fellowship', 'Young Adults Recovery Collective',
    'Elders in Recovery', 'Reentry Recovery Circle', 'Deaf Recovery Community',
    'African American Recovery Fellowship', 'Asian American Recovery Circle']),
('culture.pop.en', ARRAY['women', 'men', 'lgbtq', 'veterans', '', '', '', 'youth',
    'older-adults', 'justice-involved', '', '', '']),
('svc.cultural-community.es', ARRAY['Mujeres en Recuperación', 'Hombres en Recuperación',
    'Jóvenes en Recuperación', 'Círculo Latino de Recuperación', 'Comunidad de Fe y Recuperación']),
('culture.pop.es', ARRAY['women', 'men', 'youth', '', '']),
('svc.cultural-community.de', ARRAY['Frauen in Genesung {city}', 'Junge Menschen in Genesung',
    'Regenbogen-Genesungsgruppe', 'Interkulturelle Genesungsgruppe']),
('culture.pop.de', ARRAY['women', 'youth', 'lgbtq', '']),
('svc.cultural-community.fr', ARRAY['Femmes en rétablissement', 'Jeunes en rétablissement',
    'Cercle autochtone de guérison']),
('culture.pop.fr', ARRAY['women', 'youth', '']),

-- Services with an area instead of a location ({state}: the state's name,
-- or the country's).
('area.telephone-support.en', ARRAY['{state} Recovery Warmline', '{state} Peer Support Line',
    '{state} Recovery Text Line', 'Recovery Support Line ({state})']),
('area.telephone-support.es', ARRAY['Línea de Recuperación de {state}', 'Línea de Apoyo entre Pares']),
('area.telephone-support.de', ARRAY['Genesungstelefon {state}']),
('area.telephone-support.fr', ARRAY['Ligne rétablissement {state}']),
('area.peer-support.en', ARRAY['{state} Peer Recovery Coaching by Phone', 'Video Recovery Coaching']),
('area.peer-support.es', ARRAY['Acompañamiento entre Pares por Teléfono']),
('area.family-support.en', ARRAY['{state} Family Recovery Line', 'Family Support by Phone']),
('area.family-support.es', ARRAY['Línea para Familias de {state}']),
-- A national provider's lines, named after it ({adj}) rather than the
-- country, which would name them all alike.
('national.telephone-support.en', ARRAY['{adj} National Recovery Helpline',
    '{adj} Recovery Warmline', '{adj} Peer Support Line', '{adj} Recovery Text Line']),
('national.telephone-support.es', ARRAY['Línea Nacional de Recuperación {adj}',
    'Línea de Apoyo entre Pares {adj}']),
('national.telephone-support.de', ARRAY['{adj} Genesungstelefon']),
('national.telephone-support.fr', ARRAY['Ligne nationale rétablissement {adj}']),

-- Descriptions.
('desc.peer-support.en', ARRAY['Meet with a peer recovery coach: someone in recovery who is trained to help you set goals, find resources and stay on track.',
    'Trained peers with lived experience offer one-to-one support at any stage of recovery, from the first day on.',
    'Talk with someone who has been there. Coaches help with recovery plans, appointments and finding community.']),
('desc.peer-support.es', ARRAY['Reúnase con un coach de recuperación: una persona en recuperación formada para ayudarle a fijar metas y encontrar recursos.']),
('desc.peer-support.de', ARRAY['Genesungsbegleiter mit eigener Erfahrung unterstützen Sie im Einzelgespräch.']),
('desc.peer-support.fr', ARRAY['Des pairs formés, qui ont vécu le rétablissement, vous accompagnent en personne.']),
('desc.case-management.en', ARRAY['A case manager helps you get food, housing, income support, legal aid, transportation and work.',
    'Help with applications for benefits, ID documents, housing and health insurance, and rides to appointments.',
    'One person who helps you coordinate your care and connect to the services you need.']),
('desc.case-management.es', ARRAY['Un gestor de casos le ayuda a conseguir alimentos, vivienda, ingresos, asistencia legal y transporte.']),
('desc.case-management.de', ARRAY['Hilfe bei Anträgen, Wohnungssuche, Behördengängen und Arbeitssuche.']),
('desc.case-management.fr', ARRAY['Aide pour le logement, les prestations, les papiers et le transport.']),
('desc.recovery-housing.en', ARRAY['A safe, alcohol- and drug-free home shared with others in recovery. House meetings every week.',
    'Shared recovery housing close to buses, jobs and meetings. Residents support each other.',
    'A structured recovery home with house rules, chores and weekly check-ins.']),
('desc.recovery-housing.es', ARRAY['Un hogar seguro y libre de alcohol y drogas, compartido con otras personas en recuperación.']),
('desc.recovery-housing.de', ARRAY['Eine alkohol- und drogenfreie Wohngemeinschaft für Menschen in der Genesung.']),
('desc.recovery-housing.fr', ARRAY['Un logement partagé sans alcool ni drogue pour les personnes en rétablissement.']),
('desc.employment.en', ARRAY['Help finding, getting and keeping a job: résumés, interview practice and employers who hire people in recovery.',
    'Job training and coaching, with support after you start work.']),
('desc.employment.es', ARRAY['Ayuda para buscar, conseguir y mantener un trabajo.']),
('desc.employment.de', ARRAY['Unterstützung bei der Arbeitssuche und im neuen Job.']),
('desc.employment.fr', ARRAY['Aide pour trouver et garder un emploi.']),
('desc.recovery-community-center.en', ARRAY['A welcoming place run by people in recovery: coffee, meetings, classes, peer coaching and a computer lab.',
    'Drop in to connect with others in recovery. All pathways to recovery are welcome.']),
('desc.recovery-community-center.es', ARRAY['Un lugar acogedor gestionado por personas en recuperación: reuniones, talleres y apoyo entre pares.']),
('desc.recovery-community-center.de', ARRAY['Ein offener Treffpunkt von und für Menschen in der Genesung.']),
('desc.recovery-community-center.fr', ARRAY['Un lieu d''accueil géré par des personnes en rétablissement.']),
('desc.telephone-support.en', ARRAY['Call or text to talk with a trained peer. Not a crisis line: in an emergency, call 911.',
    'Regular recovery check-in calls from a peer, at times that suit you.',
    'A warmline for anyone in recovery or thinking about it, and for their families.']),
('desc.telephone-support.es', ARRAY['Llame o envíe un mensaje para hablar con una persona en recuperación. No es una línea de crisis.']),
('desc.telephone-support.de', ARRAY['Rufen Sie an und sprechen Sie mit einem Genesungsbegleiter. Keine Notrufnummer.']),
('desc.telephone-support.fr', ARRAY['Appelez pour parler avec un pair formé. Ce n''est pas une ligne de crise.']),
('desc.outreach.en', ARRAY['Outreach workers meet people where they are: on the street, in shelters and encampments, with naloxone and a way into care.',
    'A peer and a nurse visit people after an overdose to offer support and a way into treatment and recovery.']),
('desc.outreach.es', ARRAY['Un equipo que sale al encuentro de las personas: en la calle, en albergues y tras una sobredosis.']),
('desc.outreach.de', ARRAY['Streetworker suchen Menschen dort auf, wo sie sind, mit Beratung und Naloxon.']),
('desc.outreach.fr', ARRAY['Des intervenants vont à la rencontre des personnes, dans la rue et dans les refuges.']),
('desc.family-support.en', ARRAY['A group for parents, partners and families of people who use alcohol or drugs. Learn, share and take care of yourself.',
    'Coaching and education for families: how to help a loved one and how to cope.']),
('desc.family-support.es', ARRAY['Un grupo para madres, padres, parejas y familias de personas que consumen alcohol o drogas.']),
('desc.family-support.de', ARRAY['Eine Gruppe für Eltern, Partner und Angehörige.']),
('desc.family-support.fr', ARRAY['Un groupe pour les parents, conjoints et proches.']),
('desc.cultural-community.en', ARRAY['A recovery community rooted in shared culture and experience. Gatherings, mentoring and support.',
    'Recovery support that honors your culture, language and identity.']),
('desc.cultural-community.es', ARRAY['Una comunidad de recuperación arraigada en la cultura y la experiencia compartidas.']),
('desc.cultural-community.de', ARRAY['Eine Genesungsgemeinschaft, die Kultur und Identität einbezieht.']),
('desc.cultural-community.fr', ARRAY['Une communauté de rétablissement ancrée dans la culture et l''identité.']),
('desc.digital-recovery.en', ARRAY['An app for daily check-ins, goals and reminders, with online peer groups.',
    'A free online program: short lessons, a sobriety tracker and chat with trained peers.']),
('desc.digital-recovery.es', ARRAY['Una aplicación para registros diarios, metas y grupos de apoyo en línea.']),
('desc.digital-recovery.de', ARRAY['Eine App für tägliche Check-ins, Ziele und Online-Gruppen.']),
('desc.digital-recovery.fr', ARRAY['Une application pour le suivi quotidien et les groupes en ligne.']),

-- Eligibility and how to apply.
('elig.recovery-housing.en', ARRAY['Adults 18 and over in recovery from alcohol or drug use.',
    'Adults in recovery; an interview and a house agreement first.']),
('elig.any.en', ARRAY['Anyone affected by substance use.', 'Adults 18 and over.',
    'Anyone in or seeking recovery, and their families.']),
('elig.any.es', ARRAY['Cualquier persona afectada por el consumo de sustancias.']),
('elig.any.de', ARRAY['Alle, die von Suchtproblemen betroffen sind.']),
('elig.any.fr', ARRAY['Toute personne touchée par la consommation de substances.']),
('apply.any.en', ARRAY['Call or walk in.', 'Call to set up a first meeting.', 'Walk in during open hours.',
    'Fill in the form on the web site or call.']),
('apply.recovery-housing.en', ARRAY['Call for an interview. Bed availability changes weekly.']),
('apply.digital-recovery.en', ARRAY['Download the app or sign up on the web site.']),
('apply.any.es', ARRAY['Llame o visítenos sin cita.', 'Llame para una primera cita.']),
('apply.any.de', ARRAY['Rufen Sie an oder kommen Sie vorbei.']),
('apply.any.fr', ARRAY['Appelez ou passez nous voir.']),
('popserved', ARRAY['Adults 18 and over', 'Adults in early recovery', 'Young adults 18-25',
    'Adults leaving treatment or incarceration', 'Veterans', 'Parents with children']);

-- Who pays and in what words, by the cost code a service's main cost has.
DROP TABLE IF EXISTS demo.service_costs CASCADE;
CREATE TABLE demo.service_costs (
    code   text PRIMARY KEY,
    option text NOT NULL,
    note   text
);
INSERT INTO demo.service_costs VALUES
    ('free', 'Free', 'No cost.'),
    ('sliding-scale', 'Sliding scale', 'Fees based on income; no one is turned away for inability to pay.'),
    ('medicaid', 'Medicaid', 'Medicaid accepted.'),
    ('private-insurance', 'Private insurance', 'Most private insurance plans accepted.'),
    ('self-pay', 'Self-pay', NULL);

-- demo.clear_services(src): removes source src's services, organizations
-- and locations, with what hangs off them. TRUNCATE when no other source
-- has any (much faster than DELETE's per-row foreign-key checks).
CREATE OR REPLACE FUNCTION demo.clear_services(src integer) RETURNS void
LANGUAGE plpgsql
SET session_replication_role = origin  -- the DELETEs cascade through triggers
AS $fn$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM hsds.organization WHERE source_id <> src)
       AND NOT EXISTS (SELECT 1 FROM hsds.service WHERE source_id <> src)
       AND NOT EXISTS (SELECT 1 FROM hsds.location WHERE source_id <> src) THEN
        BEGIN
            TRUNCATE hsds.attribute, hsds.recovery_housing, hsds.peer_support,
                     hsds.service_area, hsds.cost_option, hsds.language, hsds.schedule,
                     hsds.phone, hsds.accessibility, hsds.address, hsds.service_at_location,
                     hsds.service, hsds.location, hsds.organization;
            RETURN;
        EXCEPTION WHEN feature_not_supported OR insufficient_privilege THEN
            NULL;  -- referenced by another table, or not ours to truncate
        END;
    END IF;
    DELETE FROM hsds.attribute a
    WHERE a.link_id IN (SELECT id FROM hsds.service WHERE source_id = src
                        UNION ALL SELECT id FROM hsds.location WHERE source_id = src
                        UNION ALL SELECT id FROM hsds.organization WHERE source_id = src);
    DELETE FROM hsds.service WHERE source_id = src;
    DELETE FROM hsds.location WHERE source_id = src;
    DELETE FROM hsds.organization WHERE source_id = src;
END
$fn$;

-- demo.load_services(n): replaces the source 'demo-services' with n
-- fictional services. Organization j (a run of consecutive services) draws
-- its choices from demo.h(j, 3000+), service i from demo.h(i, 2000+), a
-- location from its key's number and 3100+ (an organization's office) or
-- 3200+ (a service's own site). The steps are fenced with OFFSET 0, as in
-- demo.load, so that each column is computed once.
--
-- Writing is most of the cost, so: the rows' foreign keys hold by
-- construction and are not checked row by row (session_replication_role
-- = replica skips the checks' triggers; tests/sql/test_demo_services.sql
-- looks for orphans), and a service is written once, with the search
-- columns hsds.service_refresh would give it, instead of being written and
-- then updated; only the opening hours, which hsds.service_hours_refresh
-- derives from the schedules, are an update (the test checks that
-- service_refresh leaves every column as the loader wrote it).
CREATE OR REPLACE FUNCTION demo.load_services(n integer) RETURNS integer
LANGUAGE plpgsql
SET client_min_messages = warning
SET jit = off
SET session_replication_role = replica
AS $fn$
DECLARE
    src        integer;
    city_slots smallint[];
    kind_slots text[];
    w_adj      text[];
    w_pop      text[];
    -- Dates count back from this day, not from today.
    day0       constant date := date '2026-11-01';
    inserted   integer;
BEGIN
    IF n IS NULL OR n < 0 OR n > 2000000 THEN
        RAISE EXCEPTION 'demo.load_services: n must be between 0 and 2000000, not %', n;
    END IF;

    -- Made up here: no one's to credit, free for any use (as migration 029
    -- sets it on a database made before).
    INSERT INTO sources (slug, name, demo, default_timezone, format, license, license_url,
                         attribution)
    VALUES ('demo-services', 'Demo services (fictional)', true, 'America/Chicago', 'demo',
            'CC0-1.0', 'https://creativecommons.org/publicdomain/zero/1.0/',
            'Synthetic demo data (fictional), generated by Recovery Finder')
    ON CONFLICT (slug) DO UPDATE
        SET name = EXCLUDED.name, demo = true, default_timezone = EXCLUDED.default_timezone,
            format = 'demo', license = EXCLUDED.license, license_url = EXCLUDED.license_url,
            attribution = EXCLUDED.attribution
    RETURNING id INTO src;
    PERFORM demo.clear_services(src);

    -- The same weights as demo.load: cities outside the US count 0.3.
    SELECT array_agg(c.id ORDER BY c.id, g) INTO city_slots
    FROM demo.cities c,
         generate_series(1, greatest(1, round(c.weight
             * CASE WHEN c.country = 'US' THEN 1.0 ELSE 0.3 END / 10.0)::integer)) AS g;
    SELECT array_agg(k.kind ORDER BY k.ord, g) INTO kind_slots
    FROM demo.service_kinds k, generate_series(1, k.weight) AS g;
    SELECT words INTO w_adj FROM demo.service_words WHERE list = 'adj';
    SELECT words INTO w_pop FROM demo.service_words WHERE list = 'popserved';

    DROP TABLE IF EXISTS pg_temp.demo_so, pg_temp.demo_ss, pg_temp.demo_sl,
                         pg_temp.demo_sarea;

    -- Organizations: runs of consecutive services, of a kind, in a city.
    CREATE TEMP TABLE demo_so ON COMMIT DROP AS
    WITH k AS (
        SELECT j, kind_slots[1 + (demo.h(j, 3000) % cardinality(kind_slots))::integer] AS kind
        FROM generate_series(1, n) AS j
    ), b AS (
        SELECT k.j, k.kind, sk.min_size + (demo.h(k.j, 3001) % (sk.max_size - sk.min_size + 1))::integer
                   AS size
        FROM k JOIN demo.service_kinds sk ON sk.kind = k.kind
    ), s AS (
        SELECT b.*, sum(b.size) OVER (ORDER BY b.j) - b.size + 1 AS first_i FROM b
    ), placed AS (
        SELECT s.j, s.kind, s.first_i::integer, least(s.first_i + s.size - 1, n)::integer AS last_i,
               c.id AS city_id, c.name AS city, c.country, c.region, c.lang, c.locale,
               -- A national provider is named after the country it
               -- covers: its area, named after the state of its office
               -- but the whole country, reached every state's searchers.
               CASE WHEN c.country = 'US' AND c.region <> 'PR' AND s.kind <> 'national'
                    THEN r.name ELSE sc.name_local END AS state,
               demo.pick(w_adj, demo.h(s.j, 3002)) AS adj,
               demo.pick(wh.words, demo.h(s.j, 3003)) AS hood,
               coalesce(wo.words, woe.words) AS org_words,
               coalesce(wd.words, wde.words) AS desc_words
        FROM s
        JOIN demo.cities c
          ON c.id = city_slots[1 + (demo.h(s.j, 3004) % cardinality(city_slots))::integer]
        JOIN demo.service_countries sc
          ON sc.country = CASE WHEN c.region = 'PR' THEN 'PR' ELSE c.country END
        LEFT JOIN demo.service_regions r ON r.region = c.region AND c.country = 'US'
        JOIN demo.words wh ON wh.list = 'hood.' || c.locale
        LEFT JOIN demo.service_words wo ON wo.list = 'org.' || s.kind || '.' || c.lang
        JOIN demo.service_words woe ON woe.list = 'org.' || s.kind || '.en'
        LEFT JOIN demo.service_words wd
          ON wd.list = CASE WHEN c.lang = 'en' THEN 'odesc.' || s.kind || '.en'
                            ELSE 'odesc.any.' || c.lang END
        JOIN demo.service_words wde ON wde.list = 'odesc.' || s.kind || '.en'
        WHERE s.first_i <= n
        OFFSET 0
    ), named AS (
        SELECT p.*,
               replace(replace(replace(replace(
                   demo.pick(p.org_words, demo.h(p.j, 3005)),
                   '{city}', p.city), '{hood}', p.hood), '{state}', p.state), '{adj}', p.adj)
                   AS name,
               replace(demo.pick(p.desc_words, demo.h(p.j, 3006)), '{city}', p.city) AS description
        FROM placed p
        OFFSET 0
    )
    SELECT named.*, hsds.derived_id('demo-services', 'organization', named.j::text) AS id,
           left(demo.slugify(named.name), 40) || '-' || named.j AS slug
    FROM named;

    -- Services: what each is, before words.
    CREATE TEMP TABLE demo_ss ON COMMIT DROP AS
    WITH base AS (
        SELECT x.i, o.j, o.kind, o.id AS org_id, o.name AS org_name, o.slug AS org_slug,
               o.city_id, o.city, o.country, o.region, o.lang, o.locale, o.state, o.hood AS org_hood,
               c.alt_lang, c.alt_pct, c.timezone, c.radius_km,
               sk.cats[1 + (demo.h(x.i, 2000) % cardinality(sk.cats))::integer] AS cat,
               (demo.h(x.i, 2001) % 100)::integer AS r1,
               (demo.h(x.i, 2002) % 100)::integer AS r2,
               (demo.h(x.i, 2003) % 100)::integer AS r3,
               (demo.h(x.i, 2004) % 100)::integer AS r4,
               (demo.h(x.i, 2005) % 100)::integer AS r5,
               (demo.h(x.i, 2006) % 100)::integer AS r6
        FROM demo_so o
        CROSS JOIN LATERAL generate_series(o.first_i, o.last_i) AS x (i)
        JOIN demo.cities c ON c.id = o.city_id
        JOIN demo.service_kinds sk ON sk.kind = o.kind
        OFFSET 0
    ), moded AS (
        SELECT b.*,
               CASE WHEN b.kind = 'state' AND b.country = 'US' AND b.region <> 'PR' THEN 'state'
                    WHEN b.kind IN ('state', 'national') THEN 'country'
                    WHEN b.cat = 'outreach' THEN 'polygon'
                    WHEN b.cat = 'recovery-housing' OR b.r1 < 30 THEN 'own'
                    ELSE 'site' END AS mode,
               CASE WHEN b.r2 < CASE b.cat WHEN 'recovery-community-center' THEN 40 ELSE 18 END
                    THEN CASE b.cat
                             WHEN 'recovery-community-center' THEN 'peer-support'
                             WHEN 'recovery-housing' THEN 'peer-support'
                             WHEN 'peer-support' THEN 'case-management'
                             WHEN 'employment' THEN 'case-management'
                             WHEN 'cultural-community' THEN 'peer-support'
                             WHEN 'outreach' THEN 'peer-support'
                             WHEN 'telephone-support' THEN 'peer-support'
                             WHEN 'digital-recovery' THEN 'peer-support'
                             WHEN 'case-management' THEN 'employment'
                             WHEN 'family-support' THEN 'peer-support' END
               END AS cat2,
               -- The second language: Spanish in US cities at the city's
               -- share (more for lines that serve a whole state or
               -- country), the city's other language elsewhere.
               b.r3 < CASE WHEN b.kind IN ('state', 'national') THEN greatest(b.alt_pct, 35)
                           ELSE b.alt_pct END AS offers_alt,
               CASE WHEN b.cat = 'recovery-housing' THEN
                        CASE WHEN b.r4 < 50 THEN 'men' WHEN b.r4 < 85 THEN 'women' ELSE 'all' END
               END AS gender
        FROM base b
        OFFSET 0
    ), timed AS (
        SELECT m.*,
               -- Weekly schedules by category: office hours, evenings, a
               -- community center's long days, 24/7 lines, late lines past
               -- midnight, or none (most apps, many houses).
               CASE m.cat
                   WHEN 'peer-support' THEN CASE WHEN m.mode = 'country' AND m.r5 < 40 THEN 'allday'
                       WHEN m.r5 < 45 THEN 'office' WHEN m.r5 < 60 THEN 'office_sat'
                       WHEN m.r5 < 70 THEN 'weekdays' WHEN m.r5 < 88 THEN 'evening' ELSE 'none' END
                   WHEN 'case-management' THEN CASE WHEN m.r5 < 70 THEN 'office'
                       WHEN m.r5 < 82 THEN 'weekdays' WHEN m.r5 < 92 THEN 'office_sat'
                       WHEN m.r5 < 96 THEN 'evening' ELSE 'none' END
                   WHEN 'recovery-housing' THEN CASE WHEN m.r5 < 40 THEN 'none'
                       WHEN m.r5 < 70 THEN 'office' ELSE 'allday' END
                   WHEN 'employment' THEN CASE WHEN m.r5 < 70 THEN 'office'
                       WHEN m.r5 < 85 THEN 'weekdays' WHEN m.r5 < 95 THEN 'evening' ELSE 'none' END
                   WHEN 'recovery-community-center' THEN CASE WHEN m.r5 < 70 THEN 'center'
                       WHEN m.r5 < 88 THEN 'office_sat' ELSE 'late' END
                   WHEN 'telephone-support' THEN CASE WHEN m.r5 < 35 THEN 'allday'
                       WHEN m.r5 < 65 THEN 'late' WHEN m.r5 < 85 THEN 'evening' ELSE 'office' END
                   WHEN 'outreach' THEN CASE WHEN m.r5 < 40 THEN 'office'
                       WHEN m.r5 < 75 THEN 'late' WHEN m.r5 < 85 THEN 'allday' ELSE 'evening' END
                   WHEN 'family-support' THEN CASE WHEN m.r5 < 70 THEN 'evening'
                       WHEN m.r5 < 90 THEN 'office' ELSE 'none' END
                   WHEN 'cultural-community' THEN CASE WHEN m.r5 < 60 THEN 'evening'
                       WHEN m.r5 < 80 THEN 'center' ELSE 'office' END
                   ELSE CASE WHEN m.r5 < 60 THEN 'none' ELSE 'allday' END
               END AS pattern,
               -- Whether it welcomes people taking MOUD (NULL: it does not say).
               CASE WHEN m.cat = 'recovery-housing' THEN
                        CASE WHEN m.r6 < 60 THEN true WHEN m.r6 < 85 THEN false END
                    WHEN m.cat IN ('peer-support', 'outreach') THEN
                        CASE WHEN m.r6 < 75 THEN true END
                    ELSE CASE WHEN m.r6 < 40 THEN true WHEN m.r6 < 45 THEN false END
               END AS moud,
               (demo.h(m.i, 2007) % 100)::integer AS r7,
               (demo.h(m.i, 2008) % 100)::integer AS r8,
               (demo.h(m.i, 2009) % 100)::integer AS r9
        FROM moded m
        OFFSET 0
    ), coded AS (
        SELECT t.*,
               -- Costs, in code order (as hsds.service_refresh writes
               -- them), and the main one (the cost_option row).
               CASE t.cat
                   WHEN 'recovery-housing' THEN
                       CASE WHEN t.country = 'US' AND t.r8 < 12 THEN ARRAY['medicaid']
                            ELSE '{}'::text[] END
                       || CASE WHEN t.r7 < 80 THEN ARRAY['self-pay'] ELSE ARRAY['sliding-scale'] END
                   WHEN 'peer-support' THEN ARRAY['free']
                       || CASE WHEN t.country = 'US' AND t.r7 < 40 THEN ARRAY['medicaid']
                               ELSE '{}'::text[] END
                       || CASE WHEN t.r8 < 10 THEN ARRAY['private-insurance'] ELSE '{}'::text[] END
                   WHEN 'case-management' THEN ARRAY['free']
                       || CASE WHEN t.country = 'US' AND t.r7 < 30 THEN ARRAY['medicaid']
                               ELSE '{}'::text[] END
                   WHEN 'family-support' THEN
                       CASE WHEN t.r7 < 90 THEN ARRAY['free'] ELSE ARRAY['sliding-scale'] END
                   WHEN 'digital-recovery' THEN
                       CASE WHEN t.r7 < 60 THEN ARRAY['free'] WHEN t.r7 < 80 THEN ARRAY['self-pay']
                            ELSE ARRAY['private-insurance', 'self-pay'] END
                   WHEN 'employment' THEN
                       CASE WHEN t.r7 < 90 THEN ARRAY['free'] ELSE ARRAY['sliding-scale'] END
                   ELSE ARRAY['free']
               END AS costs,
               CASE t.cat
                   WHEN 'recovery-housing' THEN
                       CASE WHEN t.r7 < 80 THEN 'self-pay' ELSE 'sliding-scale' END
                   WHEN 'family-support' THEN CASE WHEN t.r7 < 90 THEN 'free' ELSE 'sliding-scale' END
                   WHEN 'digital-recovery' THEN
                       CASE WHEN t.r7 < 60 THEN 'free' WHEN t.r7 < 80 THEN 'self-pay'
                            ELSE 'private-insurance' END
                   WHEN 'employment' THEN CASE WHEN t.r7 < 90 THEN 'free' ELSE 'sliding-scale' END
                   ELSE 'free'
               END AS main_cost,
               -- Populations: families for family support, the house's
               -- gender, now and then one more.
               array_remove(ARRAY[
                   CASE WHEN t.cat = 'family-support' THEN 'families' END,
                   CASE t.gender WHEN 'men' THEN 'men' WHEN 'women' THEN 'women' END,
                   CASE WHEN t.r9 < 22 AND t.cat NOT IN ('recovery-housing', 'cultural-community')
                        THEN (ARRAY['women', 'men', 'youth', 'youth', 'older-adults', 'veterans',
                                    'lgbtq', 'justice-involved', 'justice-involved', 'families'])
                             [1 + (demo.h(t.i, 2010) % 10)::integer] END,
                   CASE WHEN t.cat = 'recovery-housing' AND t.r9 < 15
                        THEN (ARRAY['veterans', 'justice-involved', 'youth', 'lgbtq', 'families'])
                             [1 + (demo.h(t.i, 2010) % 5)::integer] END], NULL) AS pops,
               -- Accessibility: of the place, of the phone line, of the
               -- app; in code order.
               array_remove(ARRAY[
                   CASE WHEN t.mode IN ('site', 'own') AND demo.h(t.i, 2012) % 100 < 5
                        THEN 'hearing-loop' END,
                   CASE WHEN t.mode IN ('site', 'own') AND demo.h(t.i, 2015) % 100 < 8
                        THEN 'large-print' END,
                   CASE WHEN t.cat = 'digital-recovery' AND demo.h(t.i, 2016) % 100 < 60
                        THEN 'screen-reader' END,
                   CASE WHEN demo.h(t.i, 2013) % 100 < 4 THEN 'sign-language' END,
                   CASE WHEN t.mode IN ('site', 'own') AND demo.h(t.i, 2017) % 100 < 50
                        THEN 'transit' END,
                   CASE WHEN t.cat IN ('telephone-support', 'peer-support')
                             AND t.mode IN ('state', 'country') AND demo.h(t.i, 2014) % 100 < 40
                        THEN 'tty' END,
                   CASE WHEN t.mode IN ('site', 'own') AND demo.h(t.i, 2011) % 100 < 62
                        THEN 'wheelchair' END], NULL) AS access
        FROM timed t
        OFFSET 0
    ), worded AS (
        SELECT d.*,
               demo.pick(wh.words, demo.h(d.i, 2100)) AS hood,
               demo.pick(wst.words, demo.h(d.i, 2101)) AS street,
               demo.pick(w_adj, demo.h(d.i, 2102)) AS adj,
               coalesce(wn.words, wne.words) AS name_words,
               CASE WHEN d.cat = 'cultural-community'
                    THEN coalesce(wcp.words, wcpe.words) END AS pop_words,
               demo.pick(coalesce(wd.words, wde.words), demo.h(d.i, 2103)) AS desc_tpl,
               demo.pick(coalesce(we.words, wee.words), demo.h(d.i, 2104)) AS eligibility,
               demo.pick(coalesce(wa.words, wae.words), demo.h(d.i, 2105)) AS apply,
               1 + (demo.h(d.i, 2106) % cardinality(coalesce(wn.words, wne.words)))::integer AS n_name,
               demo.pick(wns.words, demo.h(d.i, 2107)) AS name_es,
               demo.pick(wds.words, demo.h(d.i, 2108)) AS desc_es
        FROM coded d
        JOIN demo.words wh ON wh.list = 'hood.' || d.locale
        JOIN demo.words wst ON wst.list = 'street.' || d.locale
        LEFT JOIN demo.service_words wn
          ON wn.list = CASE WHEN d.cat = 'digital-recovery' THEN 'svc.'
                            WHEN d.kind = 'national' THEN 'national.'
                            WHEN d.mode IN ('state', 'country') THEN 'area.'
                            ELSE 'svc.' END || d.cat || '.' || d.lang
        JOIN demo.service_words wne
          ON wne.list = CASE WHEN d.cat = 'digital-recovery' THEN 'svc.'
                             WHEN d.kind = 'national' THEN 'national.'
                             WHEN d.mode IN ('state', 'country') THEN 'area.'
                             ELSE 'svc.' END || d.cat || '.en'
        LEFT JOIN demo.service_words wcp ON wcp.list = 'culture.pop.' || d.lang
        LEFT JOIN demo.service_words wcpe ON wcpe.list = 'culture.pop.en'
        LEFT JOIN demo.service_words wd ON wd.list = 'desc.' || d.cat || '.' || d.lang
        JOIN demo.service_words wde ON wde.list = 'desc.' || d.cat || '.en'
        LEFT JOIN demo.service_words we
          ON we.list = CASE WHEN d.lang = 'en' AND d.cat = 'recovery-housing'
                            THEN 'elig.recovery-housing.en' ELSE 'elig.any.' || d.lang END
        JOIN demo.service_words wee ON wee.list = 'elig.any.en'
        LEFT JOIN demo.service_words wa
          ON wa.list = CASE WHEN d.lang = 'en' AND d.cat IN ('recovery-housing', 'digital-recovery')
                            THEN 'apply.' || d.cat || '.en' ELSE 'apply.any.' || d.lang END
        JOIN demo.service_words wae ON wae.list = 'apply.any.en'
        LEFT JOIN demo.service_words wns ON wns.list = 'svc.' || d.cat || '.es'
        LEFT JOIN demo.service_words wds ON wds.list = 'desc.' || d.cat || '.es'
        OFFSET 0
    ), named AS (
        SELECT w.*,
               replace(replace(replace(replace(replace(replace(
                   w.name_words[w.n_name], '{city}', w.city), '{hood}', w.hood),
                   '{street}', w.street), '{state}', w.state), '{adj}', w.adj), '{org}', w.org_name)
               || CASE w.gender
                      WHEN 'men' THEN CASE w.lang WHEN 'es' THEN ' para Hombres' WHEN 'de' THEN ' für Männer'
                                                  WHEN 'fr' THEN ' pour hommes' ELSE ' for Men' END
                      WHEN 'women' THEN CASE w.lang WHEN 'es' THEN ' para Mujeres' WHEN 'de' THEN ' für Frauen'
                                                    WHEN 'fr' THEN ' pour femmes' ELSE ' for Women' END
                      ELSE '' END AS name,
               replace(replace(replace(replace(
                   w.name_es, '{city}', w.city), '{hood}', w.hood), '{street}', w.street),
                   '{adj}', w.adj) AS name_es_filled,
               nullif(w.pop_words[w.n_name], '') AS culture_pop
        FROM worded w
        OFFSET 0
    )
    SELECT n.i, n.j, n.kind, n.org_id, n.org_name, n.org_slug, n.city_id, n.city, n.country,
           n.region, n.lang, n.alt_lang, n.locale, n.state, n.timezone, n.radius_km, n.cat, n.cat2,
           n.mode, n.offers_alt, n.gender, n.pattern, n.moud, n.costs, n.main_cost, n.access, n.hood,
           n.org_hood, n.r7, n.r8, n.r9,
           hsds.derived_id('demo-services', 'service', n.i::text) AS id,
           n.name,
           -- A Spanish name beside the English one for half of the US
           -- services that also serve in Spanish.
           CASE WHEN n.lang = 'en' AND n.alt_lang = 'es' AND n.offers_alt AND n.r8 < 50
                THEN n.name_es_filled END AS alternate_name,
           replace(n.desc_tpl, '{city}', n.city)
           || CASE WHEN n.moud THEN
                  CASE n.lang
                      WHEN 'es' THEN ' Bienvenidas las personas que toman medicamentos para el trastorno por consumo de opioides.'
                      WHEN 'de' THEN ' Menschen in Substitutionsbehandlung sind willkommen.'
                      WHEN 'fr' THEN ' Les personnes sous traitement par agonistes opioïdes sont les bienvenues.'
                      ELSE ' People taking medication for opioid use disorder (MOUD) are welcome.' END
                  ELSE '' END
           || CASE WHEN n.lang = 'en' AND n.alt_lang = 'es' AND n.offers_alt
                   THEN CASE WHEN n.r8 < 50 THEN ' ' || n.desc_es ELSE ' Se habla español.' END
                   ELSE '' END AS description,
           n.eligibility, n.apply,
           -- Categories and languages in code order.
           CASE WHEN n.cat2 IS NULL THEN ARRAY[n.cat] WHEN n.cat < n.cat2 THEN ARRAY[n.cat, n.cat2]
                ELSE ARRAY[n.cat2, n.cat] END AS cats,
           CASE WHEN NOT n.offers_alt OR n.alt_lang = n.lang THEN ARRAY[n.lang]
                WHEN n.lang < n.alt_lang THEN ARRAY[n.lang, n.alt_lang]
                ELSE ARRAY[n.alt_lang, n.lang] END AS langs,
           ARRAY(SELECT DISTINCT p FROM unnest(n.pops || n.culture_pop) AS p
                 WHERE p IS NOT NULL ORDER BY p) AS pops,
           day0 - (demo.h(n.i, 2109) % 731)::integer AS assured_date
    FROM named n;
    ANALYZE demo_ss (i, j, city_id, mode, cat);

    -- Locations: an organization's office (key org-J) when one of its
    -- services is there, and a service's own site (svc-I). Points lie in
    -- the city's land sector, as demo.load places venues.
    CREATE TEMP TABLE demo_sl ON COMMIT DROP AS
    WITH u AS (
        SELECT DISTINCT ON (s.j) 'org-' || s.j AS key, s.j::bigint AS seed, 3100 AS salt, s.j,
               s.org_id, s.city_id, s.org_name AS name, s.org_hood AS hood
        FROM demo_ss s WHERE s.mode = 'site'
        UNION ALL
        SELECT 'svc-' || s.i, s.i, 3200, s.j, s.org_id, s.city_id,
               CASE WHEN s.cat = 'recovery-housing' THEN s.name ELSE s.org_name || ', ' || s.hood END,
               s.hood
        FROM demo_ss s WHERE s.mode = 'own'
    ), t AS (
        SELECT u.*, c.name AS city, c.region, c.country, c.locale, c.timezone, c.lat AS clat,
               c.lng AS clng,
               c.postal_prefixes[1 + (demo.h(u.seed, u.salt + 1) % cardinality(c.postal_prefixes))::integer]
                   AS pfx,
               radians(c.arc_from + c.arc_span * demo.u(u.seed, u.salt + 2)) AS bearing,
               c.radius_km * (0.02 + 0.98 * power(demo.u(u.seed, u.salt + 3), 1.3)) AS dist_km,
               demo.pick(wa.words, demo.h(u.seed, u.salt + 4)) AS addr_tpl,
               demo.pick(wst.words, demo.h(u.seed, u.salt + 5)) AS street,
               demo.pick(wsf.words, demo.h(u.seed, u.salt + 6)) AS sfx
        FROM u
        JOIN demo.cities c ON c.id = u.city_id
        JOIN demo.words wa ON wa.list = 'addr.' || c.locale
        JOIN demo.words wst ON wst.list = 'street.' || c.locale
        LEFT JOIN demo.words wsf ON wsf.list = 'sfx.' || c.locale
        OFFSET 0
    )
    SELECT t.key, t.j, t.org_id, t.city_id, t.name, t.city, t.region, t.country, t.timezone,
           demo.h(t.seed, t.salt + 15) % 100 < 40 AS near_bus,
           hsds.derived_id('demo-services', 'location', t.key) AS id,
           replace(replace(replace(replace(replace(replace(
               CASE WHEN t.country = 'MX' THEN t.addr_tpl ELSE replace(t.addr_tpl, ', Col. {hood}', '') END,
               '{num}', (CASE WHEN t.locale IN ('us', 'qc') THEN 100 + demo.h(t.seed, t.salt + 7) % 9900
                              WHEN t.locale = 'mx' THEN 1 + demo.h(t.seed, t.salt + 7) % 2500
                              ELSE 1 + demo.h(t.seed, t.salt + 7) % 180 END)::text),
               '{street}', t.street),
               '{sfx}', coalesce(t.sfx, '')),
               '{dir}', (ARRAY['N', 'S', 'E', 'W'])[1 + (demo.h(t.seed, t.salt + 8) % 4)::integer]),
               '{ord}', (ARRAY['1st', '2nd', '3rd', '4th', '5th', '6th', '7th', '8th', '9th', '10th'])
                            [1 + (demo.h(t.seed, t.salt + 9) % 10)::integer]),
               '{hood}', t.hood) AS address,
           CASE t.country
               WHEN 'US' THEN t.pfx || lpad((1 + demo.h(t.seed, t.salt + 10) % 99)::text, 2, '0')
               WHEN 'CA' THEN t.pfx || (1 + demo.h(t.seed, t.salt + 10) % 9)::text
                    || substr('ABCEGHJKLMNPRSTVWXYZ', 1 + (demo.h(t.seed, t.salt + 11) % 20)::integer, 1)
                    || ' ' || (demo.h(t.seed, t.salt + 12) % 10)::text
                    || substr('ABCEGHJKLMNPRSTVWXYZ', 1 + (demo.h(t.seed, t.salt + 13) % 20)::integer, 1)
                    || (demo.h(t.seed, t.salt + 14) % 10)::text
               WHEN 'GB' THEN t.pfx || (1 + demo.h(t.seed, t.salt + 10) % 20)::text
                    || ' ' || (1 + demo.h(t.seed, t.salt + 12) % 9)::text
                    || substr('ABDEFGHJLNPQRSTUWXYZ', 1 + (demo.h(t.seed, t.salt + 11) % 20)::integer, 1)
                    || substr('ABDEFGHJLNPQRSTUWXYZ', 1 + (demo.h(t.seed, t.salt + 13) % 20)::integer, 1)
               WHEN 'IE' THEN t.pfx || ' '
                    || substr('ACDEFHKNPRTVWXY', 1 + (demo.h(t.seed, t.salt + 11) % 15)::integer, 1)
                    || (demo.h(t.seed, t.salt + 12) % 10)::text
                    || substr('ACDEFHKNPRTVWXY0123456789', 1 + (demo.h(t.seed, t.salt + 13) % 25)::integer, 1)
                    || (demo.h(t.seed, t.salt + 14) % 10)::text
               WHEN 'ES' THEN t.pfx || lpad((1 + demo.h(t.seed, t.salt + 10) % 60)::text, 3, '0')
               WHEN 'AU' THEN t.pfx || lpad((demo.h(t.seed, t.salt + 10) % 100)::text, 2, '0')
               ELSE t.pfx || lpad((demo.h(t.seed, t.salt + 10) % 1000)::text, 3, '0')
           END AS postal_code,
           round((t.clat + t.dist_km * cos(t.bearing) / 111.32)::numeric, 6) AS lat,
           round((t.clng + t.dist_km * sin(t.bearing) / (111.32 * cos(radians(t.clat))))::numeric, 6)
               AS lng
    FROM t;

    -- Outreach areas: a disc around the city centre, half again as wide as
    -- the area the city's venues are placed in.
    CREATE TEMP TABLE demo_sarea ON COMMIT DROP AS
    SELECT a.city_id, a.geom, ST_AsGeoJSON(a.geom, 5) AS geojson
    FROM (SELECT c.id AS city_id,
                 ST_Multi(ST_Buffer(ST_SetSRID(ST_MakePoint(c.lng, c.lat), 4326)::geography,
                                    c.radius_km * 1500.0, 'quad_segs=8')::geometry)::geography
                     AS geom
          FROM demo.cities c
          WHERE c.id IN (SELECT city_id FROM demo_ss WHERE mode = 'polygon')) AS a;

    INSERT INTO hsds.organization (id, source_id, source_key, name, description, email, website,
                                   year_incorporated)
    SELECT o.id, src, o.j::text, o.name, o.description,
           'info@' || o.slug || '.example.org', 'https://' || o.slug || '.example.org/',
           1975 + (demo.h(o.j, 3007) % 49)::integer
    FROM demo_so o;

    -- The search columns as hsds.service_refresh writes them: sorted,
    -- without duplicates; search_doc from hsds.service_doc.
    INSERT INTO hsds.service (id, source_id, source_key, organization_id, name, alternate_name,
                              description, url, email, status, application_process,
                              fees_description, eligibility_description, minimum_age,
                              maximum_age, assured_date, last_modified, moud, updated_at,
                              category_codes, population_codes, cost_codes, accessibility_codes,
                              language_codes, search_doc)
    SELECT v.id, src, v.i::text, v.org_id, v.name, v.alternate_name, v.description, v.url,
           v.email, 'active', v.apply, v.fees, v.eligibility, v.minimum_age, v.maximum_age,
           v.assured_date, v.modified, v.moud, v.modified, v.cats, v.pops, v.costs, v.access,
           v.langs,
           -- hsds.service_doc(service, org_name), written out: calling it
           -- takes an hsds.service row, and building one per row costs
           -- more than the rest of the insert.
           setweight(to_tsvector('finder'::regconfig, v.name), 'A')
           || setweight(to_tsvector('finder'::regconfig, v.org_name), 'A')
           || setweight(to_tsvector('finder'::regconfig, coalesce(v.alternate_name, '')), 'B')
           || setweight(to_tsvector('finder'::regconfig, v.description), 'C')
           || setweight(to_tsvector('finder'::regconfig,
                                    coalesce(v.eligibility, '') || ' ' || coalesce(v.fees, '')), 'D')
    FROM (
        SELECT s.*,
               CASE WHEN s.cat = 'digital-recovery'
                    THEN 'https://' || s.org_slug || '.example.com/app-' || s.i
                    ELSE 'https://' || s.org_slug || '.example.org/services/' || s.i END AS url,
               CASE WHEN s.r7 % 3 = 0
                    THEN 'help-' || s.i || '@' || s.org_slug || '.example.org' END AS email,
               CASE WHEN s.lang = 'en' THEN sc.note END AS fees,
               CASE WHEN 'youth' = ANY (s.pops) THEN 16
                    WHEN s.cat = 'recovery-housing' OR s.eligibility LIKE '%18 and over%' THEN 18
               END AS minimum_age,
               CASE WHEN 'youth' = ANY (s.pops) THEN 25 END AS maximum_age,
               s.assured_date::timestamp AT TIME ZONE 'UTC' + interval '9 hours' AS modified
        FROM demo_ss s
        JOIN demo.service_costs sc ON sc.code = s.main_cost
    ) v;
    GET DIAGNOSTICS inserted = ROW_COUNT;
    IF inserted <> n THEN
        RAISE EXCEPTION 'demo.load_services: inserted % services, expected %', inserted, n;
    END IF;

    INSERT INTO hsds.location (id, source_id, source_key, location_type, organization_id, name,
                               latitude, longitude, geog, timezone, transportation)
    SELECT l.id, src, l.key, 'physical', l.org_id, l.name, l.lat, l.lng,
           ST_SetSRID(ST_MakePoint(l.lng::double precision, l.lat::double precision), 4326)::geography,
           l.timezone,
           CASE WHEN l.near_bus THEN 'Bus stop one block away.' END
    FROM demo_sl l
    ORDER BY l.lat, l.lng;

    INSERT INTO hsds.address (id, location_id, address_1, city, state_province, postal_code,
                              country, address_type)
    SELECT hsds.derived_id('demo-services', 'address', l.key), l.id, l.address, l.city, l.region,
           l.postal_code, l.country, 'physical'
    FROM demo_sl l;

    INSERT INTO hsds.service_at_location (id, service_id, location_id)
    SELECT hsds.derived_id('demo-services', 'service_at_location', s.i::text), s.id,
           hsds.derived_id('demo-services', 'location',
                           CASE s.mode WHEN 'site' THEN 'org-' || s.j ELSE 'svc-' || s.i END)
    FROM demo_ss s
    WHERE s.mode IN ('site', 'own');

    -- Phones: a voice line for each service; lines and coaching by phone
    -- often take texts too. 555-0100..0199 is kept for fiction.
    INSERT INTO hsds.phone (id, service_id, number, extension, type, description)
    SELECT hsds.derived_id('demo-services', 'phone', s.i || '-' || p.k), s.id,
           CASE WHEN sc.dial = '+1' THEN '+1 555-555-01' ELSE sc.dial || ' 555-01' END
               || lpad((demo.h(s.i, 2200 + p.k) % 100)::text, 2, '0'),
           CASE WHEN p.k = 1 AND s.mode = 'site' AND demo.h(s.i, 2203) % 100 < 30
                THEN (100 + demo.h(s.i, 2204) % 900)::text END,
           CASE p.k WHEN 1 THEN 'voice' ELSE 'text' END,
           CASE WHEN p.k = 2 THEN 'Text messages' END
    FROM demo_ss s
    JOIN demo.service_countries sc
      ON sc.country = CASE WHEN s.region = 'PR' THEN 'PR' ELSE s.country END
    CROSS JOIN LATERAL (VALUES (1), (2)) AS p (k)
    WHERE p.k = 1
       OR (s.cat IN ('telephone-support', 'peer-support') AND demo.h(s.i, 2205) % 100 < 35);

    -- Languages: the city's, and the second one for some.
    INSERT INTO hsds.language (id, service_id, name, code)
    SELECT hsds.derived_id('demo-services', 'language', s.i || '-' || g.code), s.id,
           CASE g.code WHEN 'en' THEN 'English' WHEN 'es' THEN 'Spanish' WHEN 'de' THEN 'German'
                       ELSE 'French' END,
           g.code
    FROM demo_ss s
    CROSS JOIN LATERAL unnest(s.langs) AS g (code);

    -- Schedules, in the location's zone; those of services without a
    -- location name their zone.
    INSERT INTO hsds.schedule (id, service_id, freq, byday, opens_at, closes_at, tz, description)
    SELECT hsds.derived_id('demo-services', 'schedule', x.i || '-' || x.k), x.id, 'WEEKLY',
           x.byday, x.opens_at, x.closes_at,
           CASE WHEN x.mode = 'country' AND x.country = 'US' AND x.region <> 'PR'
                    THEN 'America/New_York'
                WHEN x.mode IN ('state', 'country') THEN x.timezone END,
           CASE WHEN x.opens_at = x.closes_at THEN 'Open 24 hours, every day.'
                WHEN x.closes_at < x.opens_at THEN 'Late hours: open past midnight.' END
    FROM (
        SELECT s.i, s.id, s.mode, s.country, s.region, s.timezone, r.k,
               CASE s.pattern
                   WHEN 'office' THEN 'MO,TU,WE,TH,FR'
                   WHEN 'office_sat' THEN CASE r.k WHEN 1 THEN 'MO,TU,WE,TH,FR' ELSE 'SA' END
                   WHEN 'weekdays' THEN (ARRAY['MO,WE,FR', 'TU,TH', 'MO,TU,WE,TH', 'TU,WE,TH'])
                                        [1 + (demo.h(s.i, 2300) % 4)::integer]
                   WHEN 'evening' THEN (ARRAY['MO,WE', 'TU,TH', 'MO,TU,WE,TH', 'WE', 'TU', 'TH', 'MO'])
                                       [1 + (demo.h(s.i, 2300) % 7)::integer]
                   WHEN 'center' THEN CASE r.k WHEN 1 THEN 'MO,TU,WE,TH,FR'
                                      ELSE (ARRAY['SA,SU', 'SA'])[1 + (demo.h(s.i, 2300) % 2)::integer] END
                   WHEN 'allday' THEN 'MO,TU,WE,TH,FR,SA,SU'
                   WHEN 'late' THEN (ARRAY['FR,SA', 'TH,FR,SA', 'MO,TU,WE,TH,FR,SA,SU', 'SU,MO,TU,WE,TH'])
                                    [1 + (demo.h(s.i, 2300) % 4)::integer]
               END AS byday,
               CASE WHEN s.pattern = 'allday' THEN time '00:00'
                    WHEN s.pattern IN ('office', 'office_sat', 'weekdays') AND r.k = 1
                        THEN (ARRAY[time '08:00', '08:30', '09:00', '09:00', '10:00'])
                             [1 + (demo.h(s.i, 2301) % 5)::integer]
                    WHEN s.pattern = 'office_sat' THEN time '10:00'
                    WHEN s.pattern = 'evening' THEN (ARRAY[time '17:00', '17:30', '18:00', '18:30', '19:00'])
                                                    [1 + (demo.h(s.i, 2301) % 5)::integer]
                    WHEN s.pattern = 'center' AND r.k = 1
                        THEN (ARRAY[time '09:00', '10:00', '11:00'])[1 + (demo.h(s.i, 2301) % 3)::integer]
                    WHEN s.pattern = 'center' THEN time '12:00'
                    ELSE (ARRAY[time '20:00', '21:00', '22:00'])[1 + (demo.h(s.i, 2301) % 3)::integer]
               END AS opens_at,
               CASE WHEN s.pattern = 'allday' THEN time '00:00'
                    WHEN s.pattern IN ('office', 'office_sat', 'weekdays') AND r.k = 1
                        THEN (ARRAY[time '16:00', '16:30', '17:00', '17:00', '18:00'])
                             [1 + (demo.h(s.i, 2302) % 5)::integer]
                    WHEN s.pattern = 'office_sat' THEN time '14:00'
                    WHEN s.pattern = 'evening'
                        THEN (ARRAY[time '17:00', '17:30', '18:00', '18:30', '19:00'])
                             [1 + (demo.h(s.i, 2301) % 5)::integer]
                             + (2 + demo.h(s.i, 2302) % 2)::integer * interval '1 hour'
                    WHEN s.pattern = 'center' AND r.k = 1
                        THEN (ARRAY[time '19:00', '20:00', '21:00'])[1 + (demo.h(s.i, 2302) % 3)::integer]
                    WHEN s.pattern = 'center' THEN time '17:00'
                    ELSE (ARRAY[time '01:00', '02:00', '03:00', '04:00'])[1 + (demo.h(s.i, 2302) % 4)::integer]
               END AS closes_at
        FROM demo_ss s
        CROSS JOIN LATERAL (VALUES (1), (2)) AS r (k)
        WHERE s.pattern <> 'none' AND (r.k = 1 OR s.pattern IN ('office_sat', 'center'))
    ) x;

    -- The main cost, with an amount where there is one.
    INSERT INTO hsds.cost_option (id, service_id, option, currency, amount, amount_description)
    SELECT hsds.derived_id('demo-services', 'cost_option', s.i::text), s.id, sc.option,
           CASE WHEN s.main_cost = 'self-pay' THEN cc.currency END,
           CASE WHEN s.main_cost = 'self-pay' AND s.cat = 'recovery-housing'
                    THEN 100 + 10 * (demo.h(s.i, 2400) % 16)
                WHEN s.main_cost = 'self-pay' THEN 5 + demo.h(s.i, 2400) % 10 END,
           CASE WHEN s.main_cost = 'self-pay' AND s.cat = 'recovery-housing'
                    THEN 'per week, utilities included'
                WHEN s.main_cost = 'self-pay' THEN 'per month' END
    FROM demo_ss s
    JOIN demo.service_costs sc ON sc.code = s.main_cost
    JOIN demo.service_countries cc
      ON cc.country = CASE WHEN s.region = 'PR' THEN 'PR' ELSE s.country END;

    -- Areas: a state (country US and its region), a country, or a polygon.
    INSERT INTO hsds.service_area (id, service_id, name, extent, extent_type, country, region, geom)
    SELECT hsds.derived_id('demo-services', 'service_area', s.i::text), s.id,
           CASE s.mode WHEN 'polygon' THEN s.city || ' and surroundings' ELSE s.state END,
           CASE s.mode WHEN 'state' THEN 'US-' || s.region
                       WHEN 'country' THEN a.country
                       ELSE g.geojson END,
           CASE s.mode WHEN 'state' THEN 'iso3166-2' WHEN 'country' THEN 'iso3166-1'
                       ELSE 'geojson' END,
           CASE s.mode WHEN 'polygon' THEN NULL ELSE a.country END,
           CASE s.mode WHEN 'state' THEN s.region END,
           g.geom
    FROM demo_ss s
    CROSS JOIN LATERAL (SELECT CASE WHEN s.region = 'PR' THEN 'PR' ELSE s.country END AS country) AS a
    LEFT JOIN demo_sarea g ON s.mode = 'polygon' AND g.city_id = s.city_id
    WHERE s.mode IN ('state', 'country', 'polygon');

    -- The vocabularies, as HSDS attributes: categories, populations,
    -- costs, accessibility.
    INSERT INTO hsds.attribute (id, link_id, taxonomy_term_id, link_type, link_entity)
    SELECT hsds.derived_id('demo-services', 'attribute', s.i || '-' || v.taxonomy || '-' || v.code),
           s.id, t.id, NULL, 'service'
    FROM demo_ss s
    CROSS JOIN LATERAL (
        SELECT 'recovery-support' AS taxonomy, c AS code FROM unnest(s.cats) AS c
        UNION ALL SELECT 'recovery-population', p FROM unnest(s.pops) AS p
        UNION ALL SELECT 'recovery-cost', c FROM unnest(s.costs) AS c
        UNION ALL SELECT 'recovery-accessibility', a FROM unnest(s.access) AS a
    ) AS v
    JOIN hsds.taxonomy x ON x.name = v.taxonomy
    JOIN hsds.taxonomy_term t ON t.taxonomy_id = x.id AND t.code = v.code;

    -- Recovery housing: NARR levels in the US (I peer-run ... IV service
    -- provider), certified by a fictional state association.
    INSERT INTO hsds.recovery_housing (service_id, narr_level, certifying_body,
                                       certification_status, moud_allowed, gender_served,
                                       population_served, beds, beds_available)
    SELECT s.id, h.level,
           CASE WHEN h.level IS NOT NULL THEN s.state || ' Recovery Residence Association' END,
           CASE WHEN h.level IS NULL THEN NULL WHEN s.r9 < 65 THEN 'certified'
                WHEN s.r9 < 75 THEN 'pending' WHEN s.r9 < 95 THEN 'not-certified'
                ELSE 'expired' END,
           s.moud, s.gender, demo.pick(w_pop, demo.h(s.i, 2501)), h.beds,
           (demo.h(s.i, 2502) % (h.beds / 3 + 1))::integer
    FROM demo_ss s
    CROSS JOIN LATERAL (
        SELECT l.level,
               CASE WHEN l.level = 4 THEN 12 + (demo.h(s.i, 2503) % 29)::integer
                    ELSE 6 + (demo.h(s.i, 2503) % 13)::integer END AS beds
        FROM (SELECT CASE WHEN s.country <> 'US' OR s.region = 'PR' THEN NULL
                          WHEN s.r8 < 30 THEN 1 WHEN s.r8 < 70 THEN 2 WHEN s.r8 < 90 THEN 3
                          ELSE 4 END::smallint AS level) AS l
    ) AS h
    WHERE s.cat = 'recovery-housing';

    -- Peer support: the coach's credential.
    INSERT INTO hsds.peer_support (service_id, credential, credentialing_body)
    SELECT s.id,
           CASE WHEN s.country = 'US' AND s.region <> 'PR' THEN
                    (ARRAY[s.state || ' Certified Peer Recovery Specialist (CPRS)',
                           s.state || ' Certified Recovery Coach (CRC)',
                           s.state || ' Peer Recovery Support Specialist (PRSS)'])
                    [1 + (demo.h(s.i, 2600) % 3)::integer]
                WHEN s.lang = 'es' THEN 'Especialista certificado en apoyo entre pares'
                WHEN s.lang = 'de' THEN 'Zertifizierte Genesungsbegleitung'
                WHEN s.lang = 'fr' THEN 'Pair aidant certifié'
                ELSE 'Certified Peer Support Worker' END,
           s.state || CASE s.lang WHEN 'es' THEN ' – Consejo de Certificación de Pares'
                                  WHEN 'de' THEN ' – Zertifizierungsrat Genesungsbegleitung'
                                  WHEN 'fr' THEN ' – Conseil de certification des pairs'
                                  ELSE ' Peer Certification Board' END
    FROM demo_ss s
    WHERE s.cat = 'peer-support';

    -- The opening hours hsds.service_refresh keeps besides the search
    -- columns (hours_utc, hours_local, hours_zone: 013_services.sql),
    -- by its own function, from the schedules just written. Its plan needs
    -- the tables' statistics: in a new database they have none yet, and
    -- without them it takes minutes instead of seconds.
    ANALYZE hsds.service, hsds.schedule, hsds.service_at_location, hsds.location;
    PERFORM hsds.service_hours_refresh(NULL);

    DROP TABLE demo_so, demo_ss, demo_sl, demo_sarea;
    RETURN inserted;
END
$fn$;
