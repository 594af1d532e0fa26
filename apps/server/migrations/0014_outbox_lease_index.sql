-- migrate:up
-- Rows left 'sending' by a worker that died are found by their lease end.
CREATE INDEX outbox_sending_idx ON outbox_messages (next_attempt_at) WHERE status = 'sending';

-- migrate:down
DROP INDEX outbox_sending_idx;
