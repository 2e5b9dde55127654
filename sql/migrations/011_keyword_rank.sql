-- Ranking of keyword searches without a location: meetings whose name holds
-- every word (the weight-A part of their document) first. Computing
-- ts_rank_cd for every match was most of the time of a search for a common
-- word; whether the name matches is one more index-style test a row.
--
-- The query of web-search text q restricted to weight A: every lexeme of
-- websearch_to_tsquery gets the :A label ('grupo' <-> 'vida' becomes
-- 'grupo':A <-> 'vida':A).
CREATE FUNCTION name_query(q text) RETURNS tsquery
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT regexp_replace(websearch_to_tsquery('finder', q)::text,
                          '(''(?:[^'']|'''')*'')', '\1:A', 'g')::tsquery
$$;
