-- The meetings searches' filters, as one conjunct of a WHERE (or of a
-- candidate's hit) over meetings m: spliced into every sql/queries/meetings_*
-- statement at its `-- @include meetings_filter` line by scripts/sqlinc.sh,
-- so that each search, near a point or anywhere, filters alike and numbers
-- the filters alike: $1 to $15, the slots MP_DAY to MP_REGION of enum
-- meetings_param in fcgi/src/db.h (the statement's own parameters follow).
-- NULL is no filter. The region ($15) is its own fragment, in two forms
-- (meetings_region.sql, meetings_region_ids.sql).
--
-- $1 day codes smallint[] (0-6 Sunday to Saturday, 7 today, 8 tomorrow),
-- $2 fellowship slugs text[], $3 type codes text[] (all required), $4
-- attendance text[], $5 for families boolean, $6 medication-friendly
-- boolean, $7 languages text[], $8 keywords (web search syntax: all words,
-- "quoted phrases"), $9 the searcher's zone (days and times are seen in it;
-- NULL: each meeting's own), $10 now (ISO 8601; NULL: the clock), $11..$12
-- a window of start times, $13 starting within minutes, $14 in progress
-- (see meeting_filter in sql/views/40_meetings.sql).
AND meeting_filter(m.fellowship_id, m.types, m.attendance, m.languages, m.search_doc,
               m.day, m.start_time, m.duration_min, m.timezone, m.utc_week_minute,
               m.utc_week_minute_dst,
               $1::smallint[], $2::text[], $3::text[],
               $4::text[], $5::boolean, $6::boolean,
               $7::text[], $8::text, $9::text, search_now($10::text, $9::text),
               $11::time, $12::time, $13::integer, $14::boolean,
               (SELECT fellowship_ids($2::text[])), (SELECT family_fellowships()),
               (SELECT family_types()), (SELECT moud_fellowships()),
               (SELECT day_prefilter($1::smallint[], $9::text, search_now($10::text, $9::text))),
               (SELECT tz_window_prefilter($1::smallint[], $11::time, $12::time,
                                           $9::text, search_now($10::text, $9::text))),
               (SELECT tz_window_prefilter($1::smallint[], $11::time, $12::time,
                                           $9::text, search_now($10::text, $9::text))),
               (SELECT time_prefilter($13::integer, $14::boolean, search_now($10::text, $9::text))),
               (SELECT time_prefilter($13::integer, $14::boolean, search_now($10::text, $9::text))))
