-- Write-ahead records of PF360 writes: made durable before the write is sent, settled after.
-- While a write is unfinished (pending, or sent with no answer), `open_project` holds
-- client/customer/project and its unique index stops a second write to the same project from
-- any session or process. Settled rows keep NULL there (NULLs never clash).
CREATE TABLE IF NOT EXISTS write_intents (
    id                 TEXT   PRIMARY KEY,
    session_id         TEXT   NOT NULL,
    client_message_id  TEXT,
    client_id          TEXT   NOT NULL,
    customer_id        TEXT   NOT NULL,
    project_id         TEXT   NOT NULL,
    kind               TEXT   NOT NULL,
    slot               TEXT,
    status             TEXT   NOT NULL,
    open_project       TEXT,
    live_until         BIGINT NOT NULL,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS idx_write_intents_open ON write_intents (open_project);
CREATE INDEX IF NOT EXISTS idx_write_intents_customer ON write_intents (client_id, customer_id, status);
CREATE INDEX IF NOT EXISTS idx_write_intents_message ON write_intents (session_id, client_message_id);

-- The client_message_id of a conversation's first message: a retry of that message (its
-- answer lost) finds the conversation it started instead of starting another.
ALTER TABLE sessions ADD COLUMN origin_message_id TEXT;
CREATE UNIQUE INDEX IF NOT EXISTS idx_sessions_origin ON sessions (client_id, customer_id, origin_message_id);
