-- Records a failed delivery of report $1, $2 saying why (an HTTP status, a
-- timeout, a refused address): the next try comes 1, 2, 4 ... minutes
-- later (at most 6 hours), and none after the 12th failure. Returns the
-- attempts so far and when the next is (NULL: given up).
UPDATE feedback
SET delivery_attempts = delivery_attempts + 1,
    delivery_error = left($2::text, 300),
    next_delivery_at = CASE
        WHEN delivery_attempts + 1 >= 12 THEN NULL
        ELSE now() + least(interval '1 minute' * power(2, delivery_attempts),
                           interval '6 hours') END
WHERE id = $1::bigint
RETURNING delivery_attempts,
          to_char(next_delivery_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
