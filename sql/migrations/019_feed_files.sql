-- The Meeting Guide feed as files (`finder feeds`, fcgi/src/feeds.c): the
-- feed lists its meetings by source, then by id (sql/queries/
-- feed_declare.sql), so that the feed of all sources is the sources' parts
-- joined, and each source's part is written on its own. This index reads a
-- source's meetings in that order without a sort, and the whole feed too,
-- one source after another.
CREATE INDEX meetings_source_order_idx ON meetings (source_id, id);
