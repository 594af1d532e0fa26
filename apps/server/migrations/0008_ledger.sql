-- migrate:up
-- Transparency ledger (RFC 9162 Merkle log). Entries are canonical JSON; idx is gap-free from 0.
CREATE TABLE ledger_entries (
  idx bigint PRIMARY KEY CHECK (idx >= 0),
  entry text NOT NULL,
  leaf_hash bytea NOT NULL CHECK (length(leaf_hash) = 32),
  type text NOT NULL,
  ref text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ledger_entries_ref_idx ON ledger_entries (ref, idx);

-- Hash of every complete aligned subtree of 2^level leaves (level >= 1) starting at leaf idx * 2^level,
-- so that any proof is O(log n) row reads instead of a recomputation of the tree.
CREATE TABLE ledger_nodes (
  level smallint NOT NULL CHECK (level BETWEEN 1 AND 62),
  idx bigint NOT NULL CHECK (idx >= 0),
  hash bytea NOT NULL CHECK (length(hash) = 32),
  PRIMARY KEY (level, idx)
);

-- Signed tree heads in the C2SP signed-note format.
CREATE TABLE ledger_checkpoints (
  size bigint PRIMARY KEY CHECK (size >= 0),
  root_hash bytea NOT NULL CHECK (length(root_hash) = 32),
  note text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Published reference content (region registry, catalogue, ...) whose digest the ledger holds.
CREATE TABLE published_snapshots (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind text NOT NULL,
  ref text NOT NULL,
  content jsonb NOT NULL,
  digest text NOT NULL CHECK (digest ~ '^[0-9a-f]{64}$'),
  ledger_idx bigint NOT NULL REFERENCES ledger_entries (idx),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX published_snapshots_kind_idx ON published_snapshots (kind, created_at DESC);

CREATE TRIGGER ledger_entries_immutable BEFORE UPDATE OR DELETE ON ledger_entries
  FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER ledger_nodes_immutable BEFORE UPDATE OR DELETE ON ledger_nodes
  FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER ledger_checkpoints_immutable BEFORE UPDATE OR DELETE ON ledger_checkpoints
  FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER published_snapshots_immutable BEFORE UPDATE OR DELETE ON published_snapshots
  FOR EACH ROW EXECUTE FUNCTION forbid_change();
-- TRUNCATE bypasses row triggers; refuse it too.
CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries
  FOR EACH STATEMENT EXECUTE FUNCTION forbid_change();
CREATE TRIGGER ledger_nodes_no_truncate BEFORE TRUNCATE ON ledger_nodes
  FOR EACH STATEMENT EXECUTE FUNCTION forbid_change();
CREATE TRIGGER published_snapshots_no_truncate BEFORE TRUNCATE ON published_snapshots
  FOR EACH STATEMENT EXECUTE FUNCTION forbid_change();

-- migrate:down
DROP TABLE published_snapshots;
DROP TABLE ledger_checkpoints;
DROP TABLE ledger_nodes;
DROP TABLE ledger_entries;
