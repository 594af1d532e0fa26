-- migrate:up
-- Which late or missing obligations (village, item, period) the daily compliance job has already
-- announced, so each is announced once per status however often the job runs.
CREATE TABLE disclosure_compliance_notices (
  region_code text COLLATE "C" NOT NULL REFERENCES regions (code),
  item_code text COLLATE "C" NOT NULL REFERENCES disclosure_items (code),
  period text NOT NULL,
  -- event items: the event's reference ('' when none), so two events of one day are told apart
  event_ref text NOT NULL DEFAULT '',
  status text NOT NULL CHECK (status IN ('late', 'missing')),
  due_on date NOT NULL,
  notified_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (region_code, item_code, period, event_ref, status)
);

-- migrate:down
DROP TABLE disclosure_compliance_notices;
