-- migrate:up
-- The platform's own group feed (the `web` channel): notices posted by the platform and members' messages.
CREATE TABLE group_messages (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  group_id uuid NOT NULL REFERENCES supervision_groups (id),
  region_code text COLLATE "C" NOT NULL,
  kind text NOT NULL CHECK (kind IN ('notice', 'message')),
  -- what the notice is about: 'disclosure.published', 'meeting.started', 'survey.opened', 'ledger.checkpoint', ...
  topic text,
  title text,
  body text NOT NULL CHECK (length(body) BETWEEN 1 AND 4000),
  link text,
  author_user_id uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX group_messages_feed_idx ON group_messages (group_id, created_at DESC, id DESC);
CREATE INDEX group_messages_region_idx ON group_messages (region_code, created_at DESC);

-- Outbound messages, written in the same transaction as the business change and delivered by a job.
-- (channel, dedupe_key) is unique: the same message is never queued, nor delivered, twice on a channel.
CREATE TABLE outbox_messages (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  region_code text COLLATE "C" NOT NULL,
  group_id uuid REFERENCES supervision_groups (id),
  channel text NOT NULL CHECK (channel IN ('web', 'wecom', 'sms')),
  dedupe_key text NOT NULL,
  payload jsonb NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'delivered', 'failed', 'dead')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error text,
  delivered_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (channel, dedupe_key)
);
CREATE INDEX outbox_due_idx ON outbox_messages (next_attempt_at) WHERE status IN ('pending', 'failed');
CREATE INDEX outbox_region_idx ON outbox_messages (region_code, status, created_at DESC);

-- What a villager posted in the chat group, registered by the group admin; the original stays verbatim.
CREATE TABLE chat_posts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  region_code text COLLATE "C" NOT NULL REFERENCES regions (code),
  group_id uuid NOT NULL REFERENCES supervision_groups (id),
  registered_by uuid NOT NULL REFERENCES users (id),
  author_member_id uuid REFERENCES members (id),
  author_name text NOT NULL,
  posted_at timestamptz NOT NULL,
  original_text text,
  edited_text text,
  status text NOT NULL DEFAULT 'registered' CHECK (status IN ('registered', 'converted', 'dismissed')),
  converted_ref text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX chat_posts_region_idx ON chat_posts (region_code, created_at DESC);
-- The verbatim original can never change once registered.
CREATE FUNCTION chat_posts_keep_original() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.original_text IS DISTINCT FROM OLD.original_text OR NEW.posted_at IS DISTINCT FROM OLD.posted_at OR NEW.author_name IS DISTINCT FROM OLD.author_name THEN
    RAISE EXCEPTION 'IMMUTABLE: the original chat post is kept verbatim' USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER chat_posts_original_immutable BEFORE UPDATE ON chat_posts FOR EACH ROW EXECUTE FUNCTION chat_posts_keep_original();
CREATE TRIGGER chat_posts_no_delete BEFORE DELETE ON chat_posts FOR EACH ROW EXECUTE FUNCTION forbid_change();

CREATE TABLE chat_post_files (
  chat_post_id uuid NOT NULL REFERENCES chat_posts (id),
  sha256 text COLLATE "C" NOT NULL REFERENCES files (sha256),
  kind text NOT NULL CHECK (kind IN ('voice', 'photo', 'screenshot')),
  file_name text,
  position smallint NOT NULL DEFAULT 0,
  PRIMARY KEY (chat_post_id, sha256, kind)
);

-- migrate:down
DROP TABLE chat_post_files;
DROP TABLE chat_posts;
DROP FUNCTION chat_posts_keep_original();
DROP TABLE outbox_messages;
DROP TABLE group_messages;
