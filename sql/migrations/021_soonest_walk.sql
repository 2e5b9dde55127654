-- The daylight-time week minutes' index orders meetings at the same minute
-- by id, as the standard one does (018_search_scale.sql), so that a
-- soonest-first page anywhere can be found by walking both indexes from
-- now and stopping after a few pages' worth of matches
-- (sql/queries/meetings_all_next.sql): every meeting a walk left then
-- comes after its last in (minute, id), and meetings at the same instant
-- are paged by id. Without the id, a walk that stops inside the busiest
-- minute (ten thousand meetings at a million) proves nothing.
DROP INDEX meetings_utc_week_minute_dst_idx;
CREATE INDEX meetings_utc_week_minute_dst_idx ON meetings (utc_week_minute_dst, id)
    WHERE active AND utc_week_minute_dst IS NOT NULL;

-- The UTC week minute a search's soonest-first order counts from: that of
-- the first whole minute at or after t. A meeting whose week minute is k
-- starts next week_until(k, this) minutes after that minute, by its
-- standard or its daylight minute: exact bounds. Counted from t's own
-- minute, as they were, a meeting that started seconds ago was said to
-- start now, not a week on; with a page's worth of them (ten thousand
-- meetings share the busiest minute at a million) the cut of
-- meetings_all.sql and the *_soonest.sql statements left out the meetings
-- that truly come next.
CREATE FUNCTION search_week_minute(t timestamptz) RETURNS smallint
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT utc_week_minute_of(date_trunc('minute', t + interval '59.999999 seconds'))
$$;

-- The first n meetings within radius metres of (lat, lng) that match every
-- filter (meeting_filter's), nearest first (ties by id, WITH TIES), found
-- by walking the index of their points outwards within the radius's box:
-- it reads as many meetings as it takes to find n, at most the box.
-- sql/queries/meetings_near_page.sql's walk, planned here with bitmap scans
-- off: cube keeps no statistics, so the planner takes the box for a
-- thousandth of the table and reads all of it (at a million meetings, the
-- 25,000 meetings within 25 km of Chicago, 64 ms) to sort what matches,
-- where the walk reads the 1,200 it needs (6 ms). Custom plans, so that a
-- filter not given folds away, as in the handler's sessions.
CREATE FUNCTION meetings_near_walk(lat float8, lng float8, radius float8,
    f_days smallint[], f_fellowships text[], f_types text[], f_attendance text[],
    f_family boolean, f_moud boolean, f_languages text[], f_keywords text, f_tz text,
    f_now text, f_from time, f_to time, f_within integer, f_in_progress boolean, n bigint)
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
    ORDER BY m.earth <-> earth_point(lat, lng)
    FETCH FIRST (n) ROWS WITH TIES;
END
$$;

-- Minutes east of UTC that zone tz keeps at instant t.
CREATE FUNCTION zone_offset_at(tz text, t timestamptz) RETURNS integer
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT (extract(epoch FROM (t AT TIME ZONE tz) - (t AT TIME ZONE 'UTC')) / 60)::integer
$$;

-- The daylight walk of meetings_all_next.sql goes zone by zone, through
-- the zones in daylight time only (and finds them by skipping through
-- this index): in winter it reads no meeting of the northern zones, whose
-- daylight minutes are an hour before their true starts. At a million
-- meetings, a walk of the busiest hour read 8,500 of them, 100 ms.
CREATE INDEX meetings_zone_dst_idx ON meetings (timezone, utc_week_minute_dst, id)
    WHERE active AND utc_week_minute_dst IS NOT NULL;

-- Attendance beside the week minutes: a search for online (or in-person)
-- meetings starting within a span of minutes finds them in the index
-- alone, and reads only them. At a million meetings, online meetings
-- starting within the hour at the busiest hour: 1,400 rows read for the
-- count's 1,001 matches, 16 ms, where the minutes alone read 17,600, 81 ms.
CREATE INDEX meetings_attendance_minute_idx ON meetings (attendance, utc_week_minute)
    WHERE active;
CREATE INDEX meetings_attendance_minute_dst_idx ON meetings (attendance, utc_week_minute_dst)
    WHERE active AND utc_week_minute_dst IS NOT NULL;
