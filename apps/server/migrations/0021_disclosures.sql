-- migrate:up
-- A disclosure (公开) of one village, item and period (or event). The row holds the working draft and
-- the current state; what was published lives in disclosure_versions, which only ever grows.
-- Status: draft → submitted → (approved | rejected: joint review) → published.
CREATE TABLE disclosures (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  region_code text COLLATE "C" NOT NULL REFERENCES regions (code),
  item_code text COLLATE "C" NOT NULL REFERENCES disclosure_items (code),
  -- 'YYYY-MM', 'YYYY-Qn', 'YYYY-Hn', 'YYYY' for periodic items; the event date 'YYYY-MM-DD' for event items
  period text NOT NULL CHECK (period ~ '^[0-9]{4}(-(0[1-9]|1[0-2])|-Q[1-4]|-H[12]|-[0-9]{2}-[0-9]{2})?$'),
  period_start date NOT NULL,
  period_end date NOT NULL CHECK (period_end >= period_start),
  -- event items only: the event's date and an optional reference (resolution no., project stage, …)
  event_date date,
  event_ref text CHECK (length(event_ref) BETWEEN 1 AND 64),
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted', 'approved', 'rejected', 'published')),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 120),
  body text NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
  current_version integer NOT NULL DEFAULT 0 CHECK (current_version >= 0),
  created_by uuid NOT NULL REFERENCES users (id),
  submitted_by uuid REFERENCES users (id),
  submitted_at timestamptz,
  first_published_at timestamptz,
  last_published_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((status = 'published') = (current_version > 0)),
  CHECK ((status = 'published') = (first_published_at IS NOT NULL)),
  CHECK (event_ref IS NULL OR event_date IS NOT NULL)
);
-- One disclosure per village, item and period; events are told apart by their reference.
CREATE UNIQUE INDEX disclosures_period_key ON disclosures (region_code, item_code, period, coalesce(event_ref, ''));
-- Compliance joins published rows by (village, item, period); lists page by time.
CREATE INDEX disclosures_published_idx ON disclosures (region_code, item_code, period) INCLUDE (first_published_at) WHERE first_published_at IS NOT NULL;
CREATE INDEX disclosures_village_list_idx ON disclosures (region_code, (coalesce(last_published_at, updated_at)) DESC, id DESC);
-- Event obligations: a village's (or region's) events of a window.
CREATE INDEX disclosures_event_idx ON disclosures (region_code, event_date) WHERE event_date IS NOT NULL;

-- Once published, the row changes only together with a new version (a correction), and never leaves
-- the published state or its village, item and period; it is never deleted.
CREATE FUNCTION disclosures_guard_published() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status <> 'published' THEN
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
  END IF;
  IF TG_OP = 'DELETE'
     OR NEW.status <> 'published'
     OR (NEW.region_code, NEW.item_code, NEW.period, NEW.event_ref, NEW.first_published_at)
        IS DISTINCT FROM (OLD.region_code, OLD.item_code, OLD.period, OLD.event_ref, OLD.first_published_at)
     OR NEW.current_version < OLD.current_version
     OR ((NEW.title, NEW.body) IS DISTINCT FROM (OLD.title, OLD.body) AND NEW.current_version = OLD.current_version) THEN
    RAISE EXCEPTION 'IMMUTABLE: a published disclosure changes only by a new version'
      USING ERRCODE = 'P0001', HINT = 'publish a correction as a new version';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER disclosures_published_guard BEFORE UPDATE OR DELETE ON disclosures
  FOR EACH ROW EXECUTE FUNCTION disclosures_guard_published();

-- Every published version, as published: the ledger holds its content digest. Insert-only.
CREATE TABLE disclosure_versions (
  disclosure_id uuid NOT NULL REFERENCES disclosures (id),
  version integer NOT NULL CHECK (version >= 1),
  region_code text COLLATE "C" NOT NULL,
  title text NOT NULL,
  body text NOT NULL,
  -- structured data of the item (ledger lines for F01, recipients for V04, …), as published
  structured jsonb NOT NULL DEFAULT '{}',
  -- why a correction was published; the first version has none
  reason text CHECK (length(reason) BETWEEN 1 AND 500),
  published_at timestamptz NOT NULL,
  published_by uuid NOT NULL REFERENCES users (id),
  publisher_name text NOT NULL,
  digest text NOT NULL CHECK (digest ~ '^[0-9a-f]{64}$'),
  ledger_idx bigint NOT NULL,
  PRIMARY KEY (disclosure_id, version),
  CHECK ((version = 1) = (reason IS NULL))
);
CREATE INDEX disclosure_versions_region_idx ON disclosure_versions (region_code, published_at DESC);
CREATE TRIGGER disclosure_versions_immutable BEFORE UPDATE OR DELETE ON disclosure_versions
  FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER disclosure_versions_no_truncate BEFORE TRUNCATE ON disclosure_versions
  FOR EACH STATEMENT EXECUTE FUNCTION forbid_change();

-- migrate:down
DROP TABLE disclosure_versions;
DROP TABLE disclosures;
DROP FUNCTION disclosures_guard_published();
