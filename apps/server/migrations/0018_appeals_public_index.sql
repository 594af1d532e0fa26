-- migrate:up
-- Open311 and the villagers' public lists page through public appeals by time, city-wide.
CREATE INDEX appeals_public_created_idx ON appeals (created_at DESC, id DESC) WHERE is_public;

-- migrate:down
DROP INDEX appeals_public_created_idx;
