-- The active meetings of source $1 (slug) before the merge, for --max-drop.
SELECT count(*) FROM meetings m JOIN sources s ON s.id = m.source_id WHERE s.slug = $1 AND m.active
