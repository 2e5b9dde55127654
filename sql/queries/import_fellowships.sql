-- The fellowships a feed's meeting may name (sorted by the importer).
SELECT slug FROM fellowships
