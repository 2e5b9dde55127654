-- Sources synced from their URLs (`finder source`, `finder sync`: fcgi/src/sync.c
-- and fetch.c), stale listings, and reports routed to the sources' stewards.
--
-- A source with a url is fetched every sync_every and imported when its
-- body changed; one without (a file handed to `finder import`) works as
-- before and never goes stale. Each attempt is a row of source_attempts.

-- Sources ------------------------------------------------------------------

ALTER TABLE sources
    -- Where the source publishes its data: a feed's URL, an HSDS document,
    -- a CSV file, or a BMLT server's root (its semantic API is asked for
    -- bmlt_services, with their children).
    ADD COLUMN url text CHECK (url ~ '^https?://[^\s]+$' AND char_length(url) <= 2000),
    ADD COLUMN bmlt_services integer[],
    ADD COLUMN sync_every interval CHECK (sync_every >= interval '1 minute'),
    -- Disabled sources are neither fetched nor expired; removed ones are
    -- also out of GET /api/v1/sources, and their listings out of search.
    ADD COLUMN enabled boolean NOT NULL DEFAULT true,
    ADD COLUMN removed_at timestamptz,
    -- The last fetch that was imported: its validators, for a conditional
    -- GET, and a digest of its body, so that an identical body changes
    -- nothing.
    ADD COLUMN etag text,
    ADD COLUMN last_modified text,
    ADD COLUMN body_digest text,
    -- When the source was last asked, last changed (an import that changed
    -- something), last answered well (imported, unchanged, or 304).
    ADD COLUMN last_check_at timestamptz,
    ADD COLUMN last_change_at timestamptz,
    ADD COLUMN last_success_at timestamptz,
    ADD COLUMN sync_status text NOT NULL DEFAULT 'new'
        CHECK (sync_status IN ('new', 'ok', 'failed', 'held', 'disabled', 'expired')),
    ADD COLUMN sync_error text,
    -- Failed attempts in a row: the next is put off 2^failures minutes
    -- (at most sync_every).
    ADD COLUMN failures integer NOT NULL DEFAULT 0,
    ADD COLUMN next_sync_at timestamptz,
    -- A sync that would take away more than max_drop of the source's
    -- active listings is held, not applied, until someone confirms it
    -- (`finder source confirm`), which sets drop_confirmed for one sync.
    ADD COLUMN max_drop real NOT NULL DEFAULT 0.5 CHECK (max_drop > 0 AND max_drop <= 1),
    ADD COLUMN drop_confirmed boolean NOT NULL DEFAULT false,
    -- Listings of a source with a url not confirmed for stale_after are
    -- shown as stale; past expire_after they leave search (expired_at).
    ADD COLUMN stale_after interval NOT NULL DEFAULT interval '30 days',
    ADD COLUMN expire_after interval NOT NULL DEFAULT interval '90 days',
    ADD COLUMN expired_at timestamptz,
    -- Where a listing's steward takes corrections, when the feed gives none
    -- of its own for a meeting.
    ADD COLUMN feedback_url text CHECK (feedback_url ~ '^https?://[^\s]+$'
                                        AND char_length(feedback_url) <= 2000),
    ADD COLUMN feedback_email text CHECK (feedback_email ~ '^[^@\s]+@[^@\s]+$'
                                          AND char_length(feedback_email) <= 254),
    ADD CONSTRAINT sources_expire_after_stale CHECK (expire_after > stale_after),
    ADD CONSTRAINT sources_sync_needs_url CHECK (sync_every IS NULL OR url IS NOT NULL);

-- Sources the scheduler looks at.
CREATE INDEX sources_next_sync_idx ON sources (next_sync_at) WHERE url IS NOT NULL;

-- When the source last confirmed its listings: NULL for a source without a
-- url (a file import), which is never stale.
CREATE FUNCTION source_confirmed_at(src sources) RETURNS timestamptz
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN src.url IS NULL THEN NULL
                ELSE coalesce(src.last_success_at, src.created_at) END
$$;

-- Every fetch: what was asked, what came back, what was done with it.
CREATE TABLE source_attempts (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_id   integer NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    started_at  timestamptz NOT NULL,
    finished_at timestamptz NOT NULL,
    -- changed: imported; unchanged: 304 or the same body; held: a drop
    -- past max_drop; failed: see error.
    outcome     text NOT NULL CHECK (outcome IN ('changed', 'unchanged', 'held', 'failed')),
    http_status integer,
    bytes       bigint,
    error       text,
    report      jsonb
);
CREATE INDEX source_attempts_source_idx ON source_attempts (source_id, started_at DESC);

-- A steward's webhook: each new report on one of the source's listings is
-- POSTed there as JSON. Apart from sources, since a webhook URL may carry
-- a secret: the reader never sees it (sql/roles.sql).
CREATE TABLE source_webhooks (
    source_id integer PRIMARY KEY REFERENCES sources (id) ON DELETE CASCADE,
    url       text NOT NULL CHECK (url ~ '^https?://[^\s]+$' AND char_length(url) <= 2000)
);

-- Reports ------------------------------------------------------------------

-- Each report is stored with the source of what it is about, is resolved
-- by `finder reports resolve`, and is delivered to the source's webhook by
-- the sync pass (retried with back-off).
ALTER TABLE feedback
    ADD COLUMN source_id integer REFERENCES sources (id),
    ADD COLUMN resolved_at timestamptz,
    ADD COLUMN delivered_at timestamptz,
    ADD COLUMN delivery_attempts integer NOT NULL DEFAULT 0,
    ADD COLUMN next_delivery_at timestamptz,
    ADD COLUMN delivery_error text;

UPDATE feedback f SET source_id = m.source_id FROM meetings m WHERE m.id = f.meeting_id;
UPDATE feedback f SET source_id = s.source_id FROM hsds.service s WHERE s.id = f.service_id;

CREATE INDEX feedback_source_idx ON feedback (source_id, created_at);
CREATE INDEX feedback_undelivered_idx ON feedback (next_delivery_at)
    WHERE delivered_at IS NULL AND source_id IS NOT NULL;

-- The handler's feedback role can insert and nothing else, not even read
-- meetings: the source is filled in as the table's owner.
CREATE FUNCTION feedback_source() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    NEW.source_id := CASE NEW.kind
        WHEN 'meeting' THEN (SELECT m.source_id FROM meetings m WHERE m.id = NEW.meeting_id)
        ELSE (SELECT s.source_id FROM hsds.service s WHERE s.id = NEW.service_id) END;
    NEW.next_delivery_at := now();
    RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION feedback_source() FROM PUBLIC;
CREATE TRIGGER feedback_source BEFORE INSERT ON feedback
    FOR EACH ROW EXECUTE FUNCTION feedback_source();

-- Takes a source's listings out of search, as if its feed had dropped them
-- (meetings inactive, services unlisted, both with inactive_since): for a
-- source whose data expired, or that was removed. A later import of the
-- source brings back what its feed still holds. Returns how many left.
CREATE FUNCTION source_withdraw(src_slug text, at timestamptz)
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
    src_id integer;
    n_meet integer;
    n_serv integer;
BEGIN
    SELECT id INTO STRICT src_id FROM sources WHERE slug = src_slug AND NOT demo FOR UPDATE;
    UPDATE meetings SET active = false, inactive_since = at, updated_at = at
    WHERE source_id = src_id AND active;
    GET DIAGNOSTICS n_meet = ROW_COUNT;
    UPDATE hsds.service SET inactive_since = at, updated_at = at
    WHERE source_id = src_id AND inactive_since IS NULL;
    GET DIAGNOSTICS n_serv = ROW_COUNT;
    RETURN n_meet + n_serv;
END
$$;
REVOKE ALL ON FUNCTION source_withdraw(text, timestamptz) FROM PUBLIC;
