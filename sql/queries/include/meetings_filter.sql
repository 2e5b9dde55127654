-- The meetings searches' filters, as one conjunct of a WHERE (or of a
-- candidate's hit) over meetings m, spliced into every sql/queries/meetings_*
-- statement at its `-- @include meetings_filter` line by scripts/sqlinc.sh.
-- Each search, near a point or anywhere, filters alike and numbers the
-- filters alike, first and in the order of the @params line below, the
-- slots MP_DAY to MP_REGION of enum meetings_param in fcgi/src/db.h; a
-- statement's own parameters follow. NULL is no filter. The region is a
-- fragment of its own, in two forms (meetings_region.sql,
-- meetings_region_ids.sql).
--
-- A new filter: its name at the end of the @params line (and its slot
-- before MP_FILTERS__MAX in db.h), its condition here (or, one that a
-- function of the meeting's columns can test, in meeting_filter of
-- sql/views/40_meetings.sql, as an argument here), its rule row (and its
-- field) in api_meetings.c with the line of build_query that fills its
-- slot, its parameter in web/openapi.json. Every search, and the walk of
-- sql/views/41_meetings_walk.sql, splices this block in.
--
-- day: day codes smallint[] (0-6 Sunday to Saturday, 7 today, 8 tomorrow);
-- fellowship: slugs text[]; type: codes text[] (all required); attendance
-- text[]; family: for families boolean; moud: medication-friendly boolean;
-- language: codes text[]; keywords: web search syntax (all words, "quoted
-- phrases"); tz: the searcher's zone (days and times are seen in it; NULL:
-- each meeting's own); now: ISO 8601 (NULL: the clock); time_from,
-- time_to: a window of start times; within: starting within minutes;
-- in_progress boolean; region: region or city names text[] (see
-- meeting_filter in sql/views/40_meetings.sql).
-- @params day fellowship type attendance family moud language keywords tz now time_from time_to within in_progress region
AND meeting_filter(m.fellowship_id, m.types, m.attendance, m.languages, m.search_doc,
               m.day, m.start_time, m.duration_min, m.timezone, m.utc_week_minute,
               m.utc_week_minute_dst,
               $day::smallint[], $fellowship::text[], $type::text[],
               $attendance::text[], $family::boolean, $moud::boolean,
               $language::text[], $keywords::text, $tz::text, search_now($now::text, $tz::text),
               $time_from::time, $time_to::time, $within::integer, $in_progress::boolean,
               (SELECT fellowship_ids($fellowship::text[])), (SELECT family_fellowships()),
               (SELECT family_types()), (SELECT moud_fellowships()),
               (SELECT day_prefilter($day::smallint[], $tz::text, search_now($now::text, $tz::text))),
               (SELECT tz_window_prefilter($day::smallint[], $time_from::time, $time_to::time,
                                           $tz::text, search_now($now::text, $tz::text))),
               (SELECT tz_window_prefilter($day::smallint[], $time_from::time, $time_to::time,
                                           $tz::text, search_now($now::text, $tz::text))),
               (SELECT time_prefilter($within::integer, $in_progress::boolean, search_now($now::text, $tz::text))),
               (SELECT time_prefilter($within::integer, $in_progress::boolean, search_now($now::text, $tz::text))))
