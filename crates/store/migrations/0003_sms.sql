-- The SMS channel: the language a directory customer is texted in, every text in and out by
-- Twilio's MessageSid (a retried webhook finds the first answer), and the consent ledger.

ALTER TABLE customers ADD COLUMN language TEXT;

CREATE TABLE IF NOT EXISTS sms_messages (
    message_sid   TEXT   PRIMARY KEY,
    -- inbound or outbound
    direction     TEXT   NOT NULL,
    phone         TEXT   NOT NULL,
    client_id     TEXT,
    customer_id   TEXT,
    session_id    TEXT,
    body          TEXT   NOT NULL,
    -- inbound: the answer given, returned again to a retry of the same MessageSid
    reply         TEXT,
    -- inbound: received, answered; outbound: queued, sent, delivered, undelivered, failed
    status        TEXT   NOT NULL,
    error_code    TEXT,
    segments      BIGINT,
    encoding      TEXT,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_sms_messages_phone ON sms_messages (phone, created_at);

-- Every opt-out and opt-in, with the keyword and when (TCPA records); the customer's flags
-- hold the current state.
CREATE TABLE IF NOT EXISTS sms_consent_events (
    id           TEXT   PRIMARY KEY,
    phone        TEXT   NOT NULL,
    -- The order of a phone's events (their times can tie).
    seq          BIGINT NOT NULL,
    client_id    TEXT,
    customer_id  TEXT,
    kind         TEXT   NOT NULL,
    keyword      TEXT   NOT NULL,
    created_at   BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_sms_consent_phone ON sms_consent_events (phone, seq);
