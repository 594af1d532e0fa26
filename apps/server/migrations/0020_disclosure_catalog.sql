-- migrate:up
-- The disclosure catalogue (公开目录): categories and items, synced from seed/disclosure-catalog.json at
-- every start. Frequency, due days and whether an item is active are editable by the admin; an edited
-- item keeps its edits when the seed file is synced again (is_customized). Every change of the catalogue
-- is published as a ledger snapshot; disclosure_catalog_versions lists those snapshots.
CREATE TABLE disclosure_categories (
  code text COLLATE "C" PRIMARY KEY CHECK (code ~ '^[a-z_]{2,32}$'),
  name_zh text NOT NULL CHECK (length(name_zh) BETWEEN 1 AND 64),
  name_en text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 128),
  sort integer NOT NULL DEFAULT 0
);

CREATE TABLE disclosure_items (
  code text COLLATE "C" PRIMARY KEY CHECK (code ~ '^[A-Z][A-Z0-9]{1,9}$'),
  category text COLLATE "C" NOT NULL REFERENCES disclosure_categories (code),
  name_zh text NOT NULL CHECK (length(name_zh) BETWEEN 1 AND 128),
  name_en text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 256),
  frequency text NOT NULL CHECK (frequency IN ('monthly', 'quarterly', 'semiannual', 'annual', 'immediate', 'on_change', 'per_stage')),
  -- grace after the period ends (or after the event, for event items), in calendar days
  due_days integer NOT NULL CHECK (due_days BETWEEN 0 AND 366),
  is_active boolean NOT NULL DEFAULT true,
  sort integer NOT NULL DEFAULT 0,
  -- set by an admin edit: the seed sync then refreshes only names, category and order
  is_customized boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX disclosure_items_category_idx ON disclosure_items (category, sort);

-- Each published state of the catalogue: the ledger snapshot that holds it.
CREATE TABLE disclosure_catalog_versions (
  ledger_idx bigint PRIMARY KEY,
  digest text NOT NULL CHECK (digest ~ '^[0-9a-f]{64}$'),
  reason text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER disclosure_catalog_versions_immutable BEFORE UPDATE OR DELETE ON disclosure_catalog_versions
  FOR EACH ROW EXECUTE FUNCTION forbid_change();

-- migrate:down
DROP TABLE disclosure_catalog_versions;
DROP TABLE disclosure_items;
DROP TABLE disclosure_categories;
