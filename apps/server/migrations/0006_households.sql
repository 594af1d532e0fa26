-- migrate:up
-- Households (户) and members (村民) of a village. ID-card numbers only as keyed hash + last 4.
CREATE TABLE households (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  region_code text COLLATE "C" NOT NULL REFERENCES regions (code),
  household_no text NOT NULL,
  head_name text NOT NULL,
  is_active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (region_code, household_no)
);

CREATE TABLE members (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  region_code text COLLATE "C" NOT NULL REFERENCES regions (code),
  household_id uuid NOT NULL REFERENCES households (id),
  name text NOT NULL,
  relation text,
  phone text CHECK (phone ~ '^1[3-9][0-9]{9}$'),
  id_hash bytea,
  id_last4 text CHECK (id_last4 ~ '^[0-9Xx]{4}$'),
  user_id uuid REFERENCES users (id),
  is_active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX members_region_idx ON members (region_code, household_id);
CREATE UNIQUE INDEX members_active_phone_key ON members (phone) WHERE is_active AND phone IS NOT NULL;
CREATE UNIQUE INDEX members_id_hash_key ON members (region_code, id_hash) WHERE id_hash IS NOT NULL;

-- migrate:down
DROP TABLE members;
DROP TABLE households;
