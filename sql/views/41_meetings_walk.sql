-- sql/views/41_meetings_walk.sql
-- The walk outwards of a search near a point whose page the candidates do
-- not hold (sql/queries/meetings_near_page.sql): its filters are the
-- meetings searches' own block, sql/queries/include/meetings_filter.sql
-- and the walk's form of the region's (meetings_region.sql), spliced into
-- the function's body by scripts/sqlinc.sh (as into the statements), so
-- that the filters live once. Their $day...$region become the function's
-- parameters by position ($4 to $18), which the @params line below numbers
-- in the order of its arguments.
--
-- A repeatable file, as the others of sql/views/ (see 40_meetings.sql);
-- scripts/stack.sh (db_migrate) and tests/api/test_views.py apply every
-- file of sql/views/ through scripts/sqlinc.sh: applied as it is, without
-- the splicing, the walk would not filter (psql would read the @include
-- lines as comments).
-- @params lat lng radius @meetings_filter n

-- The first n meetings within radius metres of (lat, lng) that match every
-- filter (meeting_filter's, with the region filter f_regions tested against
-- each walked meeting's place), nearest first (ties by id, WITH TIES),
-- found by walking the index of their points outwards within the radius's
-- box: it reads as many meetings as it takes to find n, at most the box.
-- sql/queries/meetings_near_page.sql's walk, planned here with bitmap scans
-- off: cube keeps no statistics, so the planner takes the box for a
-- thousandth of the table and reads all of it (at a million meetings, the
-- 25,000 meetings within 25 km of Chicago, 64 ms) to sort what matches,
-- where the walk reads the 1,200 it needs (6 ms). Custom plans, so that a
-- filter not given folds away, as in the handler's sessions.
CREATE OR REPLACE FUNCTION meetings_near_walk(lat float8, lng float8, radius float8,
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
      -- @include meetings_filter
      -- @include meetings_region
    ORDER BY m.earth <-> earth_point(lat, lng)
    FETCH FIRST (n) ROWS WITH TIES;
END
$$;
