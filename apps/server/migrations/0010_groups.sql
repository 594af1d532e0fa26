-- migrate:up
-- Supervision groups (微信监督群) of a village, their admins and members.
CREATE TABLE supervision_groups (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  region_code text COLLATE "C" NOT NULL REFERENCES regions (code),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
  platform text NOT NULL CHECK (platform IN ('wechat', 'wecom', 'web')),
  external_name text,
  -- 企业微信 group-robot webhook; a credential, never returned by the API (only whether it is set).
  wecom_webhook_url text,
  is_active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (region_code, name)
);

CREATE TABLE group_admins (
  group_id uuid NOT NULL REFERENCES supervision_groups (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (group_id, user_id)
);

CREATE TABLE group_members (
  group_id uuid NOT NULL REFERENCES supervision_groups (id) ON DELETE CASCADE,
  member_id uuid NOT NULL REFERENCES members (id),
  region_code text COLLATE "C" NOT NULL,
  joined_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (group_id, member_id)
);
CREATE INDEX group_members_member_idx ON group_members (member_id);
CREATE INDEX group_members_region_idx ON group_members (region_code);

-- Coverage counters per village next to the household/member counts (kept by triggers below).
ALTER TABLE village_stats
  ADD COLUMN households_in_groups integer NOT NULL DEFAULT 0,
  ADD COLUMN members_in_groups integer NOT NULL DEFAULT 0,
  ADD COLUMN groups integer NOT NULL DEFAULT 0;

-- Recompute the coverage of the given villages; a village is a few hundred households, so this
-- is cheap, and doing it per statement keeps bulk imports fast.
CREATE FUNCTION refresh_village_coverage(codes text[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO village_stats AS s (region_code, households_in_groups, members_in_groups, groups)
  SELECT c.code,
    (SELECT count(DISTINCT m.household_id) FROM members m JOIN households h ON h.id = m.household_id AND h.is_active
       WHERE m.region_code = c.code AND m.is_active AND EXISTS (SELECT 1 FROM group_members gm WHERE gm.member_id = m.id)),
    (SELECT count(*) FROM members m WHERE m.region_code = c.code AND m.is_active AND EXISTS (SELECT 1 FROM group_members gm WHERE gm.member_id = m.id)),
    (SELECT count(*) FROM supervision_groups g WHERE g.region_code = c.code AND g.is_active)
  FROM unnest(codes) AS c(code)
  JOIN regions r ON r.code = c.code
  ON CONFLICT (region_code) DO UPDATE SET
    households_in_groups = excluded.households_in_groups,
    members_in_groups = excluded.members_in_groups,
    groups = excluded.groups;
$$;

CREATE FUNCTION coverage_after_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  codes text[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(DISTINCT region_code) INTO codes FROM new_rows;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(DISTINCT region_code) INTO codes FROM old_rows;
  ELSE
    SELECT array_agg(DISTINCT region_code) INTO codes FROM (SELECT region_code FROM new_rows UNION SELECT region_code FROM old_rows) u;
  END IF;
  IF codes IS NOT NULL THEN PERFORM refresh_village_coverage(codes); END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER group_members_coverage_ins AFTER INSERT ON group_members REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION coverage_after_change();
CREATE TRIGGER group_members_coverage_del AFTER DELETE ON group_members REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION coverage_after_change();
CREATE TRIGGER groups_coverage_ins AFTER INSERT ON supervision_groups REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION coverage_after_change();
CREATE TRIGGER groups_coverage_upd AFTER UPDATE ON supervision_groups REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION coverage_after_change();
-- Members and households change coverage when they are deactivated or move.
CREATE TRIGGER members_coverage_upd AFTER UPDATE ON members REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION coverage_after_change();
CREATE TRIGGER households_coverage_upd AFTER UPDATE ON households REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION coverage_after_change();

-- migrate:down
DROP TRIGGER households_coverage_upd ON households;
DROP TRIGGER members_coverage_upd ON members;
DROP FUNCTION coverage_after_change() CASCADE;
DROP FUNCTION refresh_village_coverage(text[]);
ALTER TABLE village_stats DROP COLUMN households_in_groups, DROP COLUMN members_in_groups, DROP COLUMN groups;
DROP TABLE group_members;
DROP TABLE group_admins;
DROP TABLE supervision_groups;
