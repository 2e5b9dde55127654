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
