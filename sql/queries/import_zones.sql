-- The time zones a feed's meeting may name (sorted by the importer).
SELECT name FROM pg_timezone_names
