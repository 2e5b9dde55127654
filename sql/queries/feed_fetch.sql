-- The next rows of the feed's cursor (feed_declare.sql), in its
-- transaction; fewer than asked for means the end.
FETCH FORWARD 1000 FROM feed_cursor
