-- migrate:up
-- Outside systems that file appeals through the Open311 GeoReport v2 façade. Only the SHA-256 of each
-- API key is kept (the key is shown once, by the CLI); a client may file only into villages under its region.
CREATE TABLE open311_clients (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  key_hash bytea NOT NULL UNIQUE CHECK (length(key_hash) = 32),
  region_code text COLLATE "C" NOT NULL REFERENCES regions (code),
  is_active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz
);

-- migrate:down
DROP TABLE open311_clients;
