-- The meeting type codes, for GET /api/v1/types.
SELECT code, label, label_es, language, family
FROM meeting_types
ORDER BY code
