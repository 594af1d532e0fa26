-- migrate:up
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Rows that the transparency ledger covers must never change in place: a correction is a new row.
-- A trigger (not only grants) so that even a connection with the owner's rights is refused.
CREATE OR REPLACE FUNCTION forbid_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'IMMUTABLE: % rows cannot be %d', TG_TABLE_NAME, lower(TG_OP)
    USING ERRCODE = 'P0001', HINT = 'publish a correction as a new version';
END $$;

-- migrate:down
DROP FUNCTION IF EXISTS forbid_change();
DROP EXTENSION IF EXISTS pg_trgm;
