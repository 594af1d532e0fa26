-- migrate:up
-- Per-village counts kept by statement-level triggers, so region pages aggregate at most a few
-- thousand village rows instead of scanning 1.79 million members on every request.
CREATE TABLE village_stats (
  region_code text COLLATE "C" PRIMARY KEY REFERENCES regions (code),
  households integer NOT NULL DEFAULT 0,
  members integer NOT NULL DEFAULT 0
);

CREATE FUNCTION village_stats_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  deltas text := CASE TG_OP
    WHEN 'INSERT' THEN 'SELECT region_code, 1 AS delta FROM new_rows WHERE is_active'
    WHEN 'DELETE' THEN 'SELECT region_code, -1 AS delta FROM old_rows WHERE is_active'
    ELSE 'SELECT region_code, 1 AS delta FROM new_rows WHERE is_active
          UNION ALL SELECT region_code, -1 FROM old_rows WHERE is_active' END;
BEGIN
  -- One upsert per statement: +1 for each active new row, -1 for each active old row, per village.
  EXECUTE format(
    'INSERT INTO village_stats AS s (region_code, %1$I)
       SELECT region_code, sum(delta) FROM (%2$s) d GROUP BY region_code HAVING sum(delta) <> 0
     ON CONFLICT (region_code) DO UPDATE SET %1$I = s.%1$I + excluded.%1$I', TG_ARGV[0], deltas);
  RETURN NULL;
END $$;

CREATE TRIGGER households_stats_ins AFTER INSERT ON households REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION village_stats_apply('households');
CREATE TRIGGER households_stats_upd AFTER UPDATE ON households REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION village_stats_apply('households');
CREATE TRIGGER households_stats_del AFTER DELETE ON households REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION village_stats_apply('households');
CREATE TRIGGER members_stats_ins AFTER INSERT ON members REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION village_stats_apply('members');
CREATE TRIGGER members_stats_upd AFTER UPDATE ON members REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION village_stats_apply('members');
CREATE TRIGGER members_stats_del AFTER DELETE ON members REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION village_stats_apply('members');

INSERT INTO village_stats (region_code, households, members)
SELECT code,
  (SELECT count(*) FROM households h WHERE h.region_code = r.code AND h.is_active),
  (SELECT count(*) FROM members m WHERE m.region_code = r.code AND m.is_active)
FROM regions r WHERE r.level = 'village'
ON CONFLICT DO NOTHING;

-- migrate:down
DROP TRIGGER members_stats_del ON members;
DROP TRIGGER members_stats_upd ON members;
DROP TRIGGER members_stats_ins ON members;
DROP TRIGGER households_stats_del ON households;
DROP TRIGGER households_stats_upd ON households;
DROP TRIGGER households_stats_ins ON households;
DROP FUNCTION village_stats_apply();
DROP TABLE village_stats;
