-- The page of a search near a point, nearest first, found alone: the
-- meetings within $18 metres of ($16 lat, $17 lng) that match every filter,
-- found by walking the index of their points outwards from the point and
-- stopping after the page ($19 limit, $20 offset; WITH TIES keeps the
-- meetings as far as the last, so that the order is by distance, then id).
-- The box around the point bounds the walk by the radius. The walk is
-- meetings_near_walk() of sql/migrations/022_region_filter.sql (021's,
-- with the region), planned there so that it walks rather than reads the
-- whole box.
--
-- The handler asks it when meetings_near.sql's candidates do not hold the
-- page (few matches among many meetings); make bench measures it as the
-- ceiling of a search near a point. The columns are meetings_near.sql's
-- (the count's are NULL).
--
-- $1 to $15 the filters, NULL for none, as every meetings search numbers
-- them (sql/queries/include/meetings_filter.sql, meetings_region.sql);
-- $16 lat, $17 lng, $18 radius in metres.
WITH page AS (
    SELECT f.id, row_number() OVER (ORDER BY f.chord, f.id) AS ord
    FROM meetings_near_walk($16::float8, $17::float8, $18::float8, $1::smallint[], $2::text[], $3::text[], $4::text[],
                            $5::boolean, $6::boolean, $7::text[], $8::text, $9::text,
                            $10::text, $11::time, $12::time, $13::integer, $14::boolean,
                            $15::text[], $19::bigint + $20::bigint) f
    ORDER BY f.chord, f.id
    LIMIT $19::bigint OFFSET $20::bigint
)
SELECT r.id, r.slug, r.name, r.fellowship_slug, r.fellowship_name, r.day, r.time,
       r.end_time, r.timezone, r.attendance, r.types, r.location_name, r.address, r.city,
       r.region, r.postal_code, r.country, r.lat, r.lng, r.conference_url,
       r.conference_phone, r.notes, r.group_name, r.updated, r.language_list, r.next_start,
       r.local_time, r.confirmed_at, r.stale,
       round(((r.geog <-> ST_SetSRID(ST_MakePoint($17, $16), 4326)::geography) / 1000)::numeric,
             3) AS distance_km,
       true AS in_window, NULL::bigint AS count, NULL::boolean AS count_exact,
       NULL::numeric AS reach_km, true AS held
FROM meeting_rows((SELECT array_agg(p.id ORDER BY p.ord) FROM page p),
                  search_now($10::text, $9::text), $9::text) WITH ORDINALITY AS r
ORDER BY r.ordinality
