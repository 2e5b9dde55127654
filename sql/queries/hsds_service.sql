-- GET /api/v1/hsds/services/{id}: the listed service $1 in full, as HSDS
-- 3.0 JSON (sql/migrations/014_hsds_export.sql); no row when there is none.
SELECT hsds.service_json(s.id)
FROM hsds.service s
WHERE s.id = $1::uuid AND s.listed
