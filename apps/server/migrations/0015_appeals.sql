-- migrate:up
-- Working-day calendar (工作日) seeded from the yearly State Council notices; editable as new years appear.
CREATE TABLE work_calendar (
  day date PRIMARY KEY,
  is_working boolean NOT NULL,
  name text
);

-- Appeal categories (also the Open311 service codes).
CREATE TABLE appeal_categories (
  code text PRIMARY KEY CHECK (code ~ '^[a-z_]{2,32}$'),
  name_zh text NOT NULL,
  name_en text NOT NULL,
  sort integer NOT NULL DEFAULT 0,
  is_active boolean NOT NULL DEFAULT true
);
INSERT INTO appeal_categories (code, name_zh, name_en, sort) VALUES
  ('traffic', '交通出行', 'Transport', 10),
  ('sanitation', '环境卫生', 'Sanitation', 20),
  ('village_look', '村容村貌', 'Village appearance', 30),
  ('housing_land', '建房用地', 'Housing and land', 40),
  ('social_security', '社会保障', 'Social security', 50),
  ('disputes', '矛盾纠纷', 'Disputes', 60),
  ('village_finance', '村务财务', 'Village affairs and finance', 70),
  ('cadre_conduct', '干部作风', 'Conduct of cadres', 80),
  ('other', '其他', 'Other', 90);

-- Functional bureaus that appeals can be diverted to.
CREATE TABLE departments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  region_code text COLLATE "C" NOT NULL REFERENCES regions (code),
  name text NOT NULL,
  categories text[] NOT NULL DEFAULT '{}',
  is_active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (region_code, name)
);
ALTER TABLE users ADD CONSTRAINT users_department_fk FOREIGN KEY (department_id) REFERENCES departments (id);

-- Deadlines per level and category in working days (category NULL = the level's default).
CREATE TABLE appeal_sla (
  level text NOT NULL CHECK (level IN ('village', 'town', 'county', 'city', 'department')),
  category text REFERENCES appeal_categories (code),
  accept_days integer NOT NULL CHECK (accept_days BETWEEN 1 AND 30),
  resolve_days integer NOT NULL CHECK (resolve_days BETWEEN 1 AND 90),
  auto_escalate_after_breaches integer NOT NULL DEFAULT 2 CHECK (auto_escalate_after_breaches BETWEEN 1 AND 10),
  UNIQUE NULLS NOT DISTINCT (level, category)
);
INSERT INTO appeal_sla (level, category, accept_days, resolve_days) VALUES
  ('village', NULL, 1, 5), ('town', NULL, 1, 5), ('county', NULL, 1, 5), ('city', NULL, 1, 5), ('department', NULL, 1, 5);

-- An appeal (群众诉求). The current state columns are derived from appeal_events in the same transaction.
CREATE TABLE appeals (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tracking_no text NOT NULL UNIQUE,
  region_code text COLLATE "C" NOT NULL REFERENCES regions (code),
  category text NOT NULL REFERENCES appeal_categories (code),
  channel text NOT NULL CHECK (channel IN ('villager', 'group', 'hotline', 'visit', 'open311')),
  content text NOT NULL CHECK (length(content) BETWEEN 1 AND 4000),
  -- jieba tokens of the content, space-separated, for duplicate suggestions (trigram similarity)
  content_tokens text NOT NULL DEFAULT '',
  transcript text,
  latitude numeric(9, 6),
  longitude numeric(9, 6),
  address text,
  is_public boolean NOT NULL DEFAULT true,
  submitter_user_id uuid REFERENCES users (id),
  submitter_member_id uuid REFERENCES members (id),
  submitter_name text,
  submitter_phone text,
  registered_by uuid REFERENCES users (id),
  chat_post_id uuid REFERENCES chat_posts (id),
  -- idempotency keys are unique per owner: the submitting or registering account, or the API client
  idempotency_owner text,
  idempotency_key text,
  raw jsonb NOT NULL,
  status text NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted', 'accepted', 'in_progress', 'waiting', 'resolved', 'closed', 'rejected', 'merged', 'reopened')),
  holder_level text NOT NULL DEFAULT 'village' CHECK (holder_level IN ('village', 'town', 'county', 'city', 'department')),
  holder_region_code text COLLATE "C" NOT NULL,
  holder_department_id uuid REFERENCES departments (id),
  highest_level text NOT NULL DEFAULT 'village',
  merged_into uuid REFERENCES appeals (id),
  stage text CHECK (stage IN ('accept', 'resolve')),
  stage_started_at timestamptz,
  due_at timestamptz,
  is_overdue boolean NOT NULL DEFAULT false,
  was_ever_overdue boolean NOT NULL DEFAULT false,
  paused_at timestamptz,
  warned_at timestamptz,
  breach_count integer NOT NULL DEFAULT 0,
  urge_count integer NOT NULL DEFAULT 0,
  escalation_count integer NOT NULL DEFAULT 0,
  accepted_at timestamptz,
  resolved_at timestamptz,
  resolved_within_days boolean,
  closed_at timestamptz,
  rating text CHECK (rating IN ('satisfied', 'basically', 'unsatisfied')),
  rating_comment text,
  rated_at timestamptz,
  reopen_count integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX appeals_idempotency_key ON appeals (idempotency_owner, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX appeals_region_idx ON appeals (region_code, created_at DESC);
CREATE INDEX appeals_holder_idx ON appeals (holder_region_code, status, due_at);
CREATE INDEX appeals_due_idx ON appeals (due_at) WHERE status IN ('submitted', 'accepted', 'in_progress', 'reopened');
CREATE INDEX appeals_submitter_idx ON appeals (submitter_user_id, created_at DESC);
CREATE INDEX appeals_tokens_trgm_idx ON appeals USING gin (content_tokens gin_trgm_ops);

-- Every step on the record: who, when, from where to where, why, public text, internal note.
CREATE TABLE appeal_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  appeal_id uuid NOT NULL REFERENCES appeals (id),
  region_code text COLLATE "C" NOT NULL,
  type text NOT NULL,
  at timestamptz NOT NULL DEFAULT now(),
  actor_user_id uuid REFERENCES users (id),
  actor_label text,
  from_level text,
  to_level text,
  from_region_code text,
  to_region_code text,
  department_id uuid REFERENCES departments (id),
  reason text,
  public_text text,
  internal_note text,
  due_at timestamptz,
  was_overdue boolean,
  ledger_idx bigint
);
CREATE INDEX appeal_events_appeal_idx ON appeal_events (appeal_id, id);
CREATE INDEX appeal_events_region_idx ON appeal_events (region_code, at);
CREATE TRIGGER appeal_events_append_only BEFORE UPDATE OR DELETE ON appeal_events FOR EACH ROW EXECUTE FUNCTION forbid_change();

CREATE TABLE appeal_followers (
  appeal_id uuid NOT NULL REFERENCES appeals (id),
  user_id uuid NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (appeal_id, user_id)
);

CREATE TABLE appeal_files (
  appeal_id uuid NOT NULL REFERENCES appeals (id),
  sha256 text COLLATE "C" NOT NULL REFERENCES files (sha256),
  kind text NOT NULL CHECK (kind IN ('voice', 'photo')),
  position smallint NOT NULL DEFAULT 0,
  PRIMARY KEY (appeal_id, sha256)
);

-- Daily rollups per village and category so city-wide statistics read thousands of rows, not millions.
CREATE TABLE appeal_daily_stats (
  region_code text COLLATE "C" NOT NULL,
  day date NOT NULL,
  category text NOT NULL,
  received integer NOT NULL DEFAULT 0,
  accepted integer NOT NULL DEFAULT 0,
  resolved integer NOT NULL DEFAULT 0,
  resolved_within_days integer NOT NULL DEFAULT 0,
  closed integer NOT NULL DEFAULT 0,
  rejected integer NOT NULL DEFAULT 0,
  overdue integer NOT NULL DEFAULT 0,
  urges integer NOT NULL DEFAULT 0,
  escalated_town integer NOT NULL DEFAULT 0,
  escalated_county integer NOT NULL DEFAULT 0,
  escalated_city integer NOT NULL DEFAULT 0,
  diverted integer NOT NULL DEFAULT 0,
  reopened integer NOT NULL DEFAULT 0,
  satisfied integer NOT NULL DEFAULT 0,
  basically integer NOT NULL DEFAULT 0,
  unsatisfied integer NOT NULL DEFAULT 0,
  PRIMARY KEY (region_code, day, category)
);

-- Tracking numbers: village code, China date, per-village-day sequence (350524107201-20230516-0042).
CREATE TABLE appeal_sequences (
  region_code text COLLATE "C" NOT NULL,
  day date NOT NULL,
  last integer NOT NULL,
  PRIMARY KEY (region_code, day)
);

-- migrate:down
DROP TABLE appeal_sequences;
DROP TABLE appeal_daily_stats;
DROP TABLE appeal_files;
DROP TABLE appeal_followers;
DROP TABLE appeal_events;
DROP TABLE appeals;
DROP TABLE appeal_sla;
ALTER TABLE users DROP CONSTRAINT users_department_fk;
DROP TABLE departments;
DROP TABLE appeal_categories;
DROP TABLE work_calendar;
