-- "Report a problem": what visitors tell us about a meeting or a service
-- (POST /api/v1/feedback). Only what they typed is kept: no address, no user
-- agent, nothing else about the sender. The handler writes it as
-- finder_feedback, a role that can insert here and do nothing else (see
-- sql/roles.sql). The CHECKs hold what the handler checks
-- (fcgi/src/feedback.c), so a row the handler would refuse cannot be stored
-- another way either.
CREATE TABLE feedback (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind       text NOT NULL CHECK (kind IN ('meeting', 'service')),
    meeting_id bigint REFERENCES meetings (id),
    service_id uuid REFERENCES hsds.service (id),
    message    text NOT NULL CHECK (char_length(message) BETWEEN 1 AND 2000
                                    AND message !~ '[\x01-\x08\x0b-\x1f\x7f-\x9f]'),
    contact    text CHECK (char_length(contact) <= 200
                           AND contact !~ '[\x01-\x1f\x7f-\x9f]'),
    created_at timestamptz NOT NULL DEFAULT now(),
    -- One target, of the kind named.
    CHECK ((kind = 'meeting') = (meeting_id IS NOT NULL)),
    CHECK ((kind = 'service') = (service_id IS NOT NULL))
);
-- The foreign keys are checked on every delete of a meeting or a service.
CREATE INDEX feedback_meeting_idx ON feedback (meeting_id) WHERE meeting_id IS NOT NULL;
CREATE INDEX feedback_service_idx ON feedback (service_id) WHERE service_id IS NOT NULL;
