-- migrate:up
-- Accounts: officials log in with login + password, villagers with phone + one-time code.
CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind text NOT NULL CHECK (kind IN ('official', 'villager')),
  login text COLLATE "C" UNIQUE CHECK (login = lower(login)),
  name text NOT NULL,
  phone text CHECK (phone ~ '^1[3-9][0-9]{9}$'),
  password_hash text,
  totp_secret text,
  is_active boolean NOT NULL DEFAULT true,
  failed_logins integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  department_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (kind = 'villager' OR password_hash IS NOT NULL)
);
CREATE UNIQUE INDEX users_villager_phone_key ON users (phone) WHERE kind = 'villager';
CREATE INDEX users_name_trgm_idx ON users USING gin (name gin_trgm_ops);

-- A role held over a region scope; one person may hold several.
CREATE TABLE role_assignments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role text NOT NULL,
  region_code text COLLATE "C" NOT NULL REFERENCES regions (code),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (user_id, role, region_code)
);
CREATE INDEX role_assignments_region_idx ON role_assignments (region_code, role);

-- Sessions are looked up by the SHA-256 of the bearer/cookie token; the token itself is never stored.
CREATE TABLE sessions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  token_hash bytea NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  ip text,
  user_agent text
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

-- One-time login codes for villagers, stored as keyed hashes.
CREATE TABLE otp_codes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  phone text NOT NULL,
  code_hash bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  used_at timestamptz
);
CREATE INDEX otp_codes_phone_idx ON otp_codes (phone, created_at DESC);

-- migrate:down
DROP TABLE otp_codes;
DROP TABLE sessions;
DROP TABLE role_assignments;
DROP TABLE users;
