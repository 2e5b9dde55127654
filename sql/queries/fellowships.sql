-- The fellowships, for GET /api/v1/fellowships.
SELECT slug, name, name_es, audience, moud
FROM fellowships
ORDER BY name
