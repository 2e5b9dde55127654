-- How many services services_all would find without its limit ($1-$9).
-- The filters, NULL for none: $1 category codes text[], $2 population codes
-- text[], $3 language codes text[], $4 cost codes text[] (each: any of), $5
-- welcomes MOUD boolean, $6 open now boolean, $7 keywords (web search
-- syntax: all words, "quoted phrases"), $8 the searcher's zone (reads a $9
-- without an offset), $9 now (ISO 8601; NULL: the clock).
-- open_now: the service's hours (hsds.open_at), the GiST index on
-- hours_utc first finding those that may be open at that minute.
WITH matches AS NOT MATERIALIZED (
    SELECT s.id
    FROM hsds.service s
    WHERE s.listed
      AND ($1::text[] IS NULL OR s.category_codes && $1)
      AND ($2::text[] IS NULL OR s.population_codes && $2)
      AND ($3::text[] IS NULL OR s.language_codes && $3)
      AND ($4::text[] IS NULL OR s.cost_codes && $4)
      AND ($5::boolean IS NULL OR s.moud = $5)
      AND ($7::text IS NULL OR s.search_doc @@ websearch_to_tsquery('finder', $7))
      AND ($6::boolean IS NULL
           OR s.hours_utc @> hsds.week_minute(search_now($9::text, $8::text), 'UTC')
              AND hsds.open_at(s, search_now($9::text, $8::text)))
)
SELECT count(*)
FROM matches m
