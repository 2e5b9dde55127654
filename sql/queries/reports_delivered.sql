-- Records that the webhook took report $1 (a 2xx answer).
UPDATE feedback
SET delivered_at = now(), delivery_attempts = delivery_attempts + 1,
    next_delivery_at = NULL, delivery_error = NULL
WHERE id = $1::bigint
