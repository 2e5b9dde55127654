-- The HSDS records into the staging table hsds_import_begin() made, one a
-- line in COPY's text format: its row, kind, key, its document's digest
-- and the document as JSON text.
COPY hsds_import_rows (row, kind, key, hash, doc) FROM STDIN
