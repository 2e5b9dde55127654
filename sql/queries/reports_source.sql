-- Whether a source has the slug $1 (`finder reports --source`): one row,
-- true or false.
SELECT EXISTS (SELECT FROM sources WHERE slug = $1::text)
