-- Whether feedback may name this target: a meeting its source lists, active
-- or closed (its place temporarily closed: that it reopened is worth a
-- report), its id in $1, or a listed service (its uuid in $2); the other is NULL. Run as the
-- reader, before the insert (the feedback role can read nothing). One row,
-- true or false.
SELECT EXISTS (SELECT FROM meetings WHERE id = $1::bigint AND (active OR closed))
    OR EXISTS (SELECT FROM hsds.service WHERE id = $2::uuid AND listed)
