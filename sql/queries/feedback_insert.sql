-- Stores one report for POST /api/v1/feedback, as finder_feedback: kind
-- ($1), the meeting's id ($2) or the service's uuid ($3), the message ($4)
-- and the optional contact ($5). No RETURNING: the role cannot read the row.
INSERT INTO feedback (kind, meeting_id, service_id, message, contact)
VALUES ($1, $2::bigint, $3::uuid, $4, $5)
