-- migrate:up
-- Regions use the 12-digit statistical division code. Collation "C" makes `code LIKE '3505%'`
-- an index range scan, which every scoped query relies on.
CREATE TABLE regions (
  code text COLLATE "C" PRIMARY KEY CHECK (code ~ '^[0-9]{12}$'),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
  level text NOT NULL CHECK (level IN ('province', 'city', 'county', 'town', 'village')),
  parent_code text COLLATE "C" REFERENCES regions (code),
  is_illustrative boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX regions_parent_idx ON regions (parent_code, code);

-- migrate:down
DROP TABLE regions;
