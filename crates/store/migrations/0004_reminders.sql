-- Appointment reminders: one row per (appointment, kind) — "24h", "2h" — due at a UTC instant.
-- A worker claims due rows (a lease, so another process skips them), re-checks, records the
-- intent to send (`sending`) before calling Twilio and the message SID after. A row found in
-- `sending` with its lease expired may or may not have gone out: it becomes `unknown` and is
-- never sent again (at most once).
CREATE TABLE IF NOT EXISTS reminders (
    id                 TEXT   PRIMARY KEY,
    client_id          TEXT   NOT NULL,
    customer_id        TEXT   NOT NULL,
    project_id         TEXT   NOT NULL,
    kind               TEXT   NOT NULL,
    -- the appointment, as an instant and as the customer's wall clock in its zone
    appointment_at     BIGINT NOT NULL,
    appointment_local  TEXT   NOT NULL,
    timezone           TEXT   NOT NULL,
    due_at             BIGINT NOT NULL,
    -- scheduled, claimed, sending, sent, void, skipped, failed, unknown
    status             TEXT   NOT NULL,
    reason             TEXT,
    lease_owner        TEXT,
    lease_until        BIGINT,
    attempts           BIGINT NOT NULL DEFAULT 0,
    message_sid        TEXT,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_reminders_due ON reminders (status, due_at);
CREATE INDEX IF NOT EXISTS idx_reminders_project ON reminders (client_id, project_id);
-- At most one open reminder of a kind per project: a new booking voids the old ones first.
CREATE UNIQUE INDEX IF NOT EXISTS idx_reminders_open ON reminders (client_id, project_id, kind)
    WHERE status IN ('scheduled', 'claimed');
