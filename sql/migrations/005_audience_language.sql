-- What the meeting search filters on besides place and schedule: Spanish
-- labels for the lists, the language a type code stands for, which codes
-- mark a concurrent family group, which fellowships are built for people on
-- medication (MOUD), and each meeting's languages, kept by a trigger from its
-- type codes (or its source's default language when it has none).

ALTER TABLE fellowships ADD COLUMN name_es text;
ALTER TABLE fellowships ADD COLUMN moud boolean NOT NULL DEFAULT false;
ALTER TABLE meeting_types ADD COLUMN label_es text;
-- ISO 639-1 code of the language a type code names (S = es), else NULL.
ALTER TABLE meeting_types ADD COLUMN language text CHECK (language ~ '^[a-z]{2}$');
-- Concurrent Al-Anon or Alateen meetings are for families too.
ALTER TABLE meeting_types ADD COLUMN family boolean NOT NULL DEFAULT false;
ALTER TABLE sources ADD COLUMN default_language text NOT NULL DEFAULT 'en'
    CHECK (default_language ~ '^[a-z]{2}$');

UPDATE fellowships f SET name_es = v.name_es FROM (VALUES
    ('aa', 'Alcohólicos Anónimos'),
    ('na', 'Narcóticos Anónimos'),
    ('smart', 'SMART Recovery'),
    ('smart-family', 'SMART Recovery Familia y Amigos'),
    ('al-anon', 'Grupos de Familia Al-Anon'),
    ('alateen', 'Alateen'),
    ('nar-anon', 'Grupos de Familia Nar-Anon'),
    ('families-anonymous', 'Familias Anónimas'),
    ('ca', 'Cocainómanos Anónimos'),
    ('cma', 'Crystal Meth Anónimos'),
    ('recovery-dharma', 'Recovery Dharma'),
    ('lifering', 'LifeRing Recuperación Secular'),
    ('mara', 'Recuperación Asistida con Medicación Anónimos (MARA)'),
    ('celebrate-recovery', 'Celebremos la Recuperación'),
    ('women-for-sobriety', 'Mujeres por la Sobriedad'),
    ('aca', 'Hijos Adultos de Alcohólicos')
) AS v (slug, name_es) WHERE f.slug = v.slug;
UPDATE fellowships SET moud = true WHERE slug = 'mara';

UPDATE meeting_types t SET label_es = v.label_es, language = v.language FROM (VALUES
    ('11', 'Meditación del 11.º Paso', NULL),
    ('12x12', 'Pasos y Tradiciones', NULL),
    ('A', 'Secular', NULL),
    ('ABSI', 'Como lo ve Bill', NULL),
    ('AF', 'Afrikáans', 'af'),
    ('AL', 'Concurrente con Alateen', NULL),
    ('AL-AN', 'Concurrente con Al-Anon', NULL),
    ('AM', 'Amárico', 'am'),
    ('AR', 'Árabe', 'ar'),
    ('ASL', 'Lengua de señas americana', NULL),
    ('B', 'Libro Grande', NULL),
    ('BA', 'Cuidado de niños disponible', NULL),
    ('BE', 'Principiantes', NULL),
    ('BG', 'Búlgaro', 'bg'),
    ('BI', 'Bisexual', NULL),
    ('BRK', 'Desayuno', NULL),
    ('C', 'Cerrada', NULL),
    ('CAN', 'A la luz de las velas', NULL),
    ('CF', 'Se admiten niños', NULL),
    ('D', 'Discusión', NULL),
    ('DA', 'Danés', 'da'),
    ('DB', 'Canasta digital', NULL),
    ('DD', 'Diagnóstico dual', NULL),
    ('DE', 'Alemán', 'de'),
    ('DR', 'Reflexiones diarias', NULL),
    ('EL', 'Griego', 'el'),
    ('EN', 'Inglés', 'en'),
    ('FA', 'Persa', 'fa'),
    ('FF', 'Sin fragancias', NULL),
    ('FI', 'Finés', 'fi'),
    ('FR', 'Francés', 'fr'),
    ('G', 'Gay', NULL),
    ('GR', 'Grapevine', NULL),
    ('H', 'Cumpleaños', NULL),
    ('HE', 'Hebreo', 'he'),
    ('HI', 'Hindi', 'hi'),
    ('HR', 'Croata', 'hr'),
    ('HU', 'Húngaro', 'hu'),
    ('IS', 'Islandés', 'is'),
    ('ITA', 'Italiano', 'it'),
    ('JA', 'Japonés', 'ja'),
    ('KA', 'Georgiano', 'ka'),
    ('KOR', 'Coreano', 'ko'),
    ('L', 'Lesbianas', NULL),
    ('LGBTQ', 'LGBTQ', NULL),
    ('LIT', 'Literatura', NULL),
    ('LS', 'Viviendo sobrio', NULL),
    ('LT', 'Lituano', 'lt'),
    ('M', 'Hombres', NULL),
    ('MED', 'Meditación', NULL),
    ('ML', 'Malayalam', 'ml'),
    ('MT', 'Maltés', 'mt'),
    ('N', 'Nativos americanos', NULL),
    ('NB', 'No binario', NULL),
    ('NDG', 'Indígena', NULL),
    ('NE', 'Nepalí', 'ne'),
    ('NL', 'Neerlandés', 'nl'),
    ('NO', 'Noruego', 'no'),
    ('O', 'Abierta', NULL),
    ('OUT', 'Al aire libre', NULL),
    ('P', 'Profesionales', NULL),
    ('POA', 'Constancia de asistencia', NULL),
    ('POC', 'Personas de color', NULL),
    ('POL', 'Polaco', 'pl'),
    ('POR', 'Portugués', 'pt'),
    ('PUN', 'Panyabí', 'pa'),
    ('RUS', 'Ruso', 'ru'),
    ('S', 'Español', 'es'),
    ('SEN', 'Personas mayores', NULL),
    ('SK', 'Eslovaco', 'sk'),
    ('SL', 'Esloveno', 'sl'),
    ('SM', 'Se permite fumar', NULL),
    ('SP', 'Orador', NULL),
    ('ST', 'Estudio de pasos', NULL),
    ('SV', 'Sueco', 'sv'),
    ('T', 'Transgénero', NULL),
    ('TC', 'Local cerrado temporalmente', NULL),
    ('TH', 'Tailandés', 'th'),
    ('TL', 'Tagalo', 'tl'),
    ('TR', 'Estudio de tradiciones', NULL),
    ('TUR', 'Turco', 'tr'),
    ('UK', 'Ucraniano', 'uk'),
    ('W', 'Mujeres', NULL),
    ('X', 'Acceso para silla de ruedas', NULL),
    ('XB', 'Baño accesible para silla de ruedas', NULL),
    ('XT', 'Se permite la conversación cruzada', NULL),
    ('Y', 'Jóvenes', NULL),
    ('BV-I', 'Ciegos o con discapacidad visual', NULL),
    ('D-HOH', 'Sordos o con dificultades auditivas', NULL),
    ('ONL', 'En línea', NULL),
    ('MOUD', 'Acepta medicación (MOUD)', NULL)
) AS v (code, label_es, language) WHERE t.code = v.code;
UPDATE meeting_types SET family = true WHERE code IN ('AL', 'AL-AN');
ALTER TABLE fellowships ALTER COLUMN name_es SET NOT NULL;
ALTER TABLE meeting_types ALTER COLUMN label_es SET NOT NULL;

ALTER TABLE meetings ADD COLUMN languages text[] NOT NULL DEFAULT '{}';

-- The languages of a meeting with these type codes from this source.
CREATE FUNCTION meeting_languages(codes text[], source integer) RETURNS text[]
LANGUAGE sql STABLE AS $$
    SELECT coalesce(
        (SELECT array_agg(DISTINCT t.language ORDER BY t.language)
         FROM meeting_types t WHERE t.code = ANY (codes) AND t.language IS NOT NULL),
        ARRAY[(SELECT default_language FROM sources WHERE id = source)])
$$;

UPDATE meetings SET languages = meeting_languages(types, source_id);

CREATE FUNCTION meetings_set_languages() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.languages := meeting_languages(NEW.types, NEW.source_id);
    RETURN NEW;
END
$$;

CREATE TRIGGER meetings_set_languages
    BEFORE INSERT OR UPDATE OF types, source_id, languages ON meetings
    FOR EACH ROW EXECUTE FUNCTION meetings_set_languages();

CREATE INDEX meetings_languages_idx ON meetings USING gin (languages) WHERE active;

-- The view gains what the new filters read (appended: a view keeps its
-- columns in order).
CREATE OR REPLACE VIEW meeting_details AS
SELECT m.id,
       m.slug,
       m.name,
       f.slug AS fellowship_slug,
       f.name AS fellowship_name,
       m.day,
       to_char(m.start_time, 'HH24:MI') AS time,
       to_char(m.end_time, 'HH24:MI') AS end_time,
       m.timezone,
       m.attendance,
       array_to_string(m.types, E'\x1f') AS types,
       m.location_id,
       l.name AS location_name,
       l.address,
       l.city,
       l.region,
       l.postal_code,
       l.country,
       ST_Y(l.geog::geometry) AS lat,
       ST_X(l.geog::geometry) AS lng,
       m.conference_url,
       m.conference_phone,
       m.notes,
       m.group_name,
       to_char(m.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS updated,
       m.geog,
       m.types AS type_codes,
       m.start_time,
       m.active,
       m.fellowship_id,
       (f.audience = 'family'
        OR m.types && (SELECT array_agg(code) FROM meeting_types WHERE family)) AS for_family,
       (f.moud OR 'MOUD' = ANY (m.types)) AS moud,
       m.languages,
       array_to_string(m.languages, E'\x1f') AS language_list
FROM meetings m
JOIN fellowships f ON f.id = m.fellowship_id
LEFT JOIN locations l ON l.id = m.location_id;
