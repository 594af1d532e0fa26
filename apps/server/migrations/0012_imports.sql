-- migrate:up
-- Registry imports run as jobs; progress and row-level errors are visible while they run.
CREATE TABLE import_jobs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind text NOT NULL CHECK (kind IN ('households')),
  -- the requester's widest scope at upload time: rows outside it are refused
  scope_prefixes text[] NOT NULL,
  requested_by uuid REFERENCES users (id),
  file_sha256 text COLLATE "C" NOT NULL REFERENCES files (sha256),
  file_name text NOT NULL,
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
  total integer,
  processed integer NOT NULL DEFAULT 0,
  inserted integer NOT NULL DEFAULT 0,
  updated integer NOT NULL DEFAULT 0,
  unchanged integer NOT NULL DEFAULT 0,
  error_count integer NOT NULL DEFAULT 0,
  -- the first errors (row, column, reason); error_count has the total
  errors jsonb NOT NULL DEFAULT '[]',
  failure text,
  created_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  finished_at timestamptz
);
CREATE INDEX import_jobs_requested_idx ON import_jobs (requested_by, created_at DESC);

-- migrate:down
DROP TABLE import_jobs;
