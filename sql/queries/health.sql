-- The health check: whether the data shown is the fictional demo set.
SELECT EXISTS (SELECT 1 FROM sources WHERE demo) AS demo
