-- migrate:up
-- Small key/value facts about this installation (e.g. when the demo data was loaded).
CREATE TABLE app_meta (
  key text PRIMARY KEY,
  value jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- migrate:down
DROP TABLE app_meta;
