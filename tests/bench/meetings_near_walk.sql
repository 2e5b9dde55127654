-- make bench's ceiling of a search near a point: its page alone, as the
-- index walk to it with every filter and without counting (the walk
-- outwards from the point stops at the page's last match; the radius is a
-- filter, not a bound). Not a statement of the handler: a search stops its
-- walk at 1,000 meetings and counts (sql/queries/meetings_near.sql), and
-- finds a page past them within the radius (meetings_near_page.sql). The
-- parameters and columns are meetings_near_page.sql's.
WITH page AS (
    SELECT f.id, row_number() OVER (ORDER BY f.chord, f.id) AS ord
    FROM (SELECT m.id, m.earth <-> earth_point($1, $2) AS chord
          FROM meetings m
          WHERE m.active AND m.earth IS NOT NULL
            AND m.earth <-> earth_point($1, $2) <= earth_chord($3)
            AND meeting_filter(m.fellowship_id, m.types, m.attendance, m.languages, m.search_doc,
                               m.day, m.start_time, m.duration_min, m.timezone, m.utc_week_minute,
                               m.utc_week_minute_dst,
                               $4::smallint[], $5::text[], $6::text[],
                               $7::text[], $8::boolean, $9::boolean,
                               $10::text[], $11::text, $12::text, search_now($13::text, $12::text),
                               $14::time, $15::time, $16::integer, $17::boolean,
                               (SELECT fellowship_ids($5::text[])), (SELECT family_fellowships()),
                               (SELECT family_types()), (SELECT moud_fellowships()),
                               (SELECT day_prefilter($4::smallint[], $12::text, search_now($13::text, $12::text))),
                               (SELECT tz_window_prefilter($4::smallint[], $14::time, $15::time,
                                                           $12::text, search_now($13::text, $12::text))),
                               (SELECT tz_window_prefilter($4::smallint[], $14::time, $15::time,
                                                           $12::text, search_now($13::text, $12::text))),
                               (SELECT time_prefilter($16::integer, $17::boolean, search_now($13::text, $12::text))),
                               (SELECT time_prefilter($16::integer, $17::boolean, search_now($13::text, $12::text))))
          ORDER BY m.earth <-> earth_point($1, $2)
          FETCH FIRST ($18::bigint + $19::bigint) ROWS WITH TIES) f
    ORDER BY f.chord, f.id
    LIMIT $18::bigint OFFSET $19::bigint
)
SELECT r.id, r.slug, r.name, r.fellowship_slug, r.fellowship_name, r.day, r.time,
       r.end_time, r.timezone, r.attendance, r.types, r.location_name, r.address, r.city,
       r.region, r.postal_code, r.country, r.lat, r.lng, r.conference_url,
       r.conference_phone, r.notes, r.group_name, r.updated, r.language_list, r.next_start,
       r.local_time,
       round(((r.geog <-> ST_SetSRID(ST_MakePoint($2, $1), 4326)::geography) / 1000)::numeric,
             3) AS distance_km
FROM meeting_rows((SELECT array_agg(p.id ORDER BY p.ord) FROM page p),
                  search_now($13::text, $12::text), $12::text) WITH ORDINALITY AS r
ORDER BY r.ordinality
