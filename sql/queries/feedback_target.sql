-- Whether feedback may name this target: an active meeting (its id in $1)
-- or a listed service (its uuid in $2); the other is NULL. Run as the
-- reader, before the insert (the feedback role can read nothing). One row,
-- true or false.
SELECT EXISTS (SELECT FROM meetings WHERE id = $1::bigint AND active)
    OR EXISTS (SELECT FROM hsds.service WHERE id = $2::uuid AND listed)
