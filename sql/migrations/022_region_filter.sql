-- A search by region or neighbourhood (issue 13): region= of
-- /api/v1/meetings and its facets takes names of regions or cities, and a
-- meeting matches when its place's Meeting Guide regions or its city is one
-- of them, without regard to case or accents, as the feed's region filter
-- matches (sql/queries/feed_declare.sql): by place_key() of
-- 006_gazetteer.sql.

-- The keys of names (place_key of each, in order), without the names that
-- have none (NULL, or nothing but punctuation): a name that is all
-- punctuation matches nothing.
CREATE FUNCTION place_keys(names text[]) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT ARRAY(SELECT k
                 FROM unnest(names) WITH ORDINALITY AS u (name, i),
                      LATERAL place_key(u.name) AS k
                 WHERE k <> ''
                 ORDER BY u.i)
$$;

-- Each place's keys, its regions' and its city's, kept by every writer (the
-- imports, the demo's load, an UPDATE by hand): a search compares keys, and
-- place_key() costs microseconds a name, too much to compute for every
-- meeting a search reads.
ALTER TABLE locations
    ADD COLUMN place_keys text[] GENERATED ALWAYS AS (place_keys(regions || city)) STORED;

-- The places of names, for a search anywhere (below).
CREATE INDEX locations_place_keys_idx ON locations USING gin (place_keys);

-- The ids of the places whose regions or city is one of names, by key, for
-- a search anywhere: those statements (sql/queries/meetings_all.sql and
-- meetings_facets_all.sql) look the places' meetings up by location
-- (meetings_location_idx), reading the region's meetings rather than every
-- meeting on the way to 1,001 matches of a small region. The searches near
-- a point and the pages test each meeting they read against its place's
-- keys instead (one look-up a meeting, however large the region: a whole
-- city's places in an array would be read through for every meeting).
-- Never NULL: no place, no match.
CREATE FUNCTION region_location_ids(names text[]) RETURNS bigint[]
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(l.id ORDER BY l.id), '{}')
    FROM locations l
    WHERE l.place_keys && place_keys(names)
$$;

-- meetings_near_walk() of 021_soonest_walk.sql with the region filter
-- (f_regions, NULL for none), tested against each walked meeting's place.
DROP FUNCTION meetings_near_walk(float8, float8, float8, smallint[], text[], text[], text[],
                                 boolean, boolean, text[], text, text, text, time, time,
                                 integer, boolean, bigint);

CREATE FUNCTION meetings_near_walk(lat float8, lng float8, radius float8,
    f_days smallint[], f_fellowships text[], f_types text[], f_attendance text[],
    f_family boolean, f_moud boolean, f_languages text[], f_keywords text, f_tz text,
    f_now text, f_from time, f_to time, f_within integer, f_in_progress boolean,
    f_regions text[], n bigint)
RETURNS TABLE (id bigint, chord double precision)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET enable_bitmapscan = off
SET plan_cache_mode = force_custom_plan
AS $$
BEGIN
    RETURN QUERY
    SELECT m.id, m.earth <-> earth_point(lat, lng) AS chord
    FROM meetings m
    WHERE m.active
      AND m.earth <@ cube_enlarge(earth_point(lat, lng), earth_chord(radius), 3)
      AND m.earth <-> earth_point(lat, lng) <= earth_chord(radius)
      AND meeting_filter(m.fellowship_id, m.types, m.attendance, m.languages, m.search_doc,
                         m.day, m.start_time, m.duration_min, m.timezone, m.utc_week_minute,
                         m.utc_week_minute_dst,
                         f_days, f_fellowships, f_types, f_attendance, f_family, f_moud,
                         f_languages, f_keywords, f_tz, search_now(f_now, f_tz),
                         f_from, f_to, f_within, f_in_progress,
                         (SELECT fellowship_ids(f_fellowships)), (SELECT family_fellowships()),
                         (SELECT family_types()), (SELECT moud_fellowships()),
                         (SELECT day_prefilter(f_days, f_tz, search_now(f_now, f_tz))),
                         (SELECT tz_window_prefilter(f_days, f_from, f_to, f_tz,
                                                     search_now(f_now, f_tz))),
                         (SELECT tz_window_prefilter(f_days, f_from, f_to, f_tz,
                                                     search_now(f_now, f_tz))),
                         (SELECT time_prefilter(f_within, f_in_progress, search_now(f_now, f_tz))),
                         (SELECT time_prefilter(f_within, f_in_progress, search_now(f_now, f_tz))))
      AND (f_regions IS NULL
           OR EXISTS (SELECT 1 FROM locations l
                      WHERE l.id = m.location_id AND l.place_keys && place_keys(f_regions)))
    ORDER BY m.earth <-> earth_point(lat, lng)
    FETCH FIRST (n) ROWS WITH TIES;
END
$$;
