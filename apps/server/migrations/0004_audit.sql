-- migrate:up
-- Every write and every read of sensitive data, appended in the same transaction as the change.
CREATE TABLE audit_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  actor_id uuid,
  action text NOT NULL,
  entity_type text NOT NULL,
  entity_id text,
  region_code text COLLATE "C",
  request_id text,
  ip text,
  details jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_events_entity_idx ON audit_events (entity_type, entity_id);
CREATE INDEX audit_events_region_idx ON audit_events (region_code, at);
CREATE INDEX audit_events_actor_idx ON audit_events (actor_id, at);
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION forbid_change();

-- migrate:down
DROP TABLE audit_events;
