-- The listed services of source $1 (slug) before the merge, for --max-drop.
SELECT count(*) FROM hsds.service sv JOIN sources s ON s.id = sv.source_id WHERE s.slug = $1 AND sv.listed
