-- The page of a search near a point, nearest first, found alone: the
-- meetings within $radius metres of ($lat, $lng) that match every filter,
-- found by walking the index of their points outwards from the point and
-- stopping after the page ($limit, $offset; WITH TIES keeps the
-- meetings as far as the last, so that the order is by distance, then id).
-- The box around the point bounds the walk by the radius. The walk is
-- meetings_near_walk() of sql/views/41_meetings_walk.sql, planned there so
-- that it walks rather than reads the whole box, with these same filters
-- (the fragments spliced into its body).
--
-- The handler asks it when meetings_near.sql's candidates do not hold the
-- page (few matches among many meetings); make bench measures it as the
-- ceiling of a search near a point. The columns are meetings_near.sql's
-- (the count's are NULL).
--
-- The filters, NULL for none: every meetings search's, numbered alike and
-- first (sql/queries/include/meetings_filter.sql); then its own: $lat,
-- $lng and $radius in metres, and the rest as above.
-- @params @meetings_filter lat lng radius limit offset
WITH page AS (
    SELECT f.id, row_number() OVER (ORDER BY f.chord, f.id) AS ord
    FROM meetings_near_walk($lat::float8, $lng::float8, $radius::float8, $day::smallint[], $fellowship::text[], $type::text[], $attendance::text[],
                            $family::boolean, $moud::boolean, $language::text[], $keywords::text, $tz::text,
                            $now::text, $time_from::time, $time_to::time, $within::integer, $in_progress::boolean,
                            $region::text[], $limit::bigint + $offset::bigint) f
    ORDER BY f.chord, f.id
    LIMIT $limit::bigint OFFSET $offset::bigint
)
SELECT r.id, r.slug, r.name, r.fellowship_slug, r.fellowship_name, r.day, r.time,
       r.end_time, r.timezone, r.attendance, r.types, r.location_name, r.address, r.city,
       r.region, r.postal_code, r.country, r.lat, r.lng, r.conference_url,
       r.conference_phone, r.notes, r.group_name, r.updated, r.language_list, r.next_start,
       r.local_time, r.confirmed_at, r.stale,
       round(((r.geog <-> ST_SetSRID(ST_MakePoint($lng, $lat), 4326)::geography) / 1000)::numeric,
             3) AS distance_km,
       true AS in_window, NULL::bigint AS count, NULL::boolean AS count_exact,
       NULL::numeric AS reach_km, true AS held
FROM meeting_rows((SELECT array_agg(p.id ORDER BY p.ord) FROM page p),
                  search_now($now::text, $tz::text), $tz::text) WITH ORDINALITY AS r
ORDER BY r.ordinality
