-- migrate:up
-- The village ledger (收支明细): one income or expense line of a village. Money in integer fen.
-- review_status is the joint review's (联审) current state, derived from line_reviews in the same
-- transaction. disclosure_id is the F01 disclosure that published the line; from then on the line is
-- fixed for good (ledger_lines_guard_published).
CREATE TABLE ledger_lines (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  region_code text COLLATE "C" NOT NULL REFERENCES regions (code),
  direction text NOT NULL CHECK (direction IN ('income', 'expense')),
  line_date date NOT NULL,
  amount_fen bigint NOT NULL CHECK (amount_fen > 0 AND amount_fen <= 100000000000),
  subject text NOT NULL CHECK (length(subject) BETWEEN 1 AND 40),
  counterparty text NOT NULL CHECK (length(counterparty) BETWEEN 1 AND 100),
  counterparty_kind text NOT NULL DEFAULT 'organisation' CHECK (counterparty_kind IN ('organisation', 'person')),
  payment_method text NOT NULL CHECK (payment_method IN ('bank', 'cash', 'wechat', 'alipay', 'other')),
  voucher_no text NOT NULL CHECK (length(voucher_no) BETWEEN 1 AND 40),
  summary text CHECK (length(summary) <= 200),
  review_status text NOT NULL CHECK (review_status IN ('not_required', 'pending', 'approved', 'rejected')),
  disclosure_id uuid REFERENCES disclosures (id),
  created_by uuid NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  -- income needs no review; every expense is reviewed
  CHECK ((direction = 'income') = (review_status = 'not_required'))
);
CREATE INDEX ledger_lines_month_idx ON ledger_lines (region_code, line_date, id);
-- the review queue: a town's pending expenses, oldest first
CREATE INDEX ledger_lines_review_idx ON ledger_lines (region_code, review_status, created_at, id) WHERE direction = 'expense';
CREATE INDEX ledger_lines_disclosure_idx ON ledger_lines (disclosure_id) WHERE disclosure_id IS NOT NULL;

-- Whether a line has been published by an F01 disclosure (such a line never changes again).
CREATE FUNCTION ledger_line_is_published(line uuid) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT EXISTS (
    SELECT 1 FROM ledger_lines l JOIN disclosures d ON d.id = l.disclosure_id
    WHERE l.id = line AND d.status = 'published')
$$;

-- A published line (disclosure_id set and that disclosure published) is never updated or deleted,
-- whoever asks: a mistake is corrected by a new (reversing) line in a corrected version.
CREATE FUNCTION ledger_lines_guard_published() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.disclosure_id IS NOT NULL AND EXISTS (SELECT 1 FROM disclosures WHERE id = OLD.disclosure_id AND status = 'published') THEN
    RAISE EXCEPTION 'IMMUTABLE: a published ledger line cannot be changed'
      USING ERRCODE = 'P0001', HINT = 'add a reversing line and publish a correction';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
CREATE TRIGGER ledger_lines_published_guard BEFORE UPDATE OR DELETE ON ledger_lines
  FOR EACH ROW EXECUTE FUNCTION ledger_lines_guard_published();

-- Which lines a disclosure (F01) lists: set while drafting, fixed once published. A line is in at
-- most one disclosure.
CREATE TABLE disclosure_lines (
  region_code text COLLATE "C" NOT NULL,
  disclosure_id uuid NOT NULL REFERENCES disclosures (id),
  line_id uuid NOT NULL UNIQUE REFERENCES ledger_lines (id),
  attached_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (region_code, disclosure_id, line_id)
);
CREATE INDEX disclosure_lines_disclosure_idx ON disclosure_lines (disclosure_id);

CREATE FUNCTION disclosure_lines_guard_published() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF ledger_line_is_published(OLD.line_id) THEN
    RAISE EXCEPTION 'IMMUTABLE: a published ledger line stays in its disclosure'
      USING ERRCODE = 'P0001';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
CREATE TRIGGER disclosure_lines_published_guard BEFORE UPDATE OR DELETE ON disclosure_lines
  FOR EACH ROW EXECUTE FUNCTION disclosure_lines_guard_published();

-- An original invoice (原始票据): the uploaded image or PDF (by SHA-256, checked by content), its
-- thumbnail, what its QR code said, and the fields as the bookkeeper typed or confirmed them.
CREATE TABLE invoices (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  region_code text COLLATE "C" NOT NULL REFERENCES regions (code),
  file_sha256 text COLLATE "C" NOT NULL REFERENCES files (sha256),
  mime_type text NOT NULL CHECK (mime_type IN ('image/jpeg', 'image/png', 'image/webp', 'application/pdf')),
  size_bytes bigint NOT NULL CHECK (size_bytes > 0),
  width integer CHECK (width > 0),
  height integer CHECK (height > 0),
  page_count integer CHECK (page_count > 0),
  thumbnail_sha256 text COLLATE "C" NOT NULL REFERENCES files (sha256),
  qr_status text NOT NULL CHECK (qr_status IN ('decoded', 'none', 'not_invoice')),
  qr_text text CHECK (length(qr_text) <= 4000),
  qr_message text,
  -- the decoded QR payload (qr_status = 'decoded')
  qr_code text,
  qr_number text,
  qr_date date,
  qr_amount_fen bigint,
  qr_kind text,
  qr_check_code text,
  -- typed (initially the QR's values), corrected and confirmed by the bookkeeper
  code text CHECK (code ~ '^([0-9]{10,12})?$'),
  number text CHECK (number ~ '^([0-9]{8}|[0-9]{20})$'),
  invoice_date date,
  amount_fen bigint CHECK (amount_fen > 0),
  tax_fen bigint CHECK (tax_fen >= 0),
  seller_name text CHECK (length(seller_name) BETWEEN 1 AND 100),
  seller_tax_id text CHECK (seller_tax_id ~ '^[0-9A-Z]{15,20}$'),
  confirmed_at timestamptz,
  confirmed_by uuid REFERENCES users (id),
  line_id uuid REFERENCES ledger_lines (id),
  uploaded_by uuid NOT NULL REFERENCES users (id),
  uploaded_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((qr_status = 'decoded') = (qr_number IS NOT NULL)),
  CHECK ((confirmed_at IS NULL) = (confirmed_by IS NULL))
);
CREATE INDEX invoices_region_idx ON invoices (region_code, uploaded_at DESC);
CREATE INDEX invoices_line_idx ON invoices (line_id) WHERE line_id IS NOT NULL;
-- the same bytes in two places (a red-flag signal)
CREATE INDEX invoices_file_idx ON invoices (file_sha256);

-- An invoice of a published line is part of what was published.
CREATE FUNCTION invoices_guard_published() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.line_id IS NOT NULL AND ledger_line_is_published(OLD.line_id) THEN
    RAISE EXCEPTION 'IMMUTABLE: an invoice of a published ledger line cannot be changed'
      USING ERRCODE = 'P0001';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
CREATE TRIGGER invoices_published_guard BEFORE UPDATE OR DELETE ON invoices
  FOR EACH ROW EXECUTE FUNCTION invoices_guard_published();

-- The generated seal image of each reviewing unit (a town government), shown beside its approvals.
CREATE TABLE review_stamps (
  region_code text COLLATE "C" PRIMARY KEY REFERENCES regions (code),
  unit_name text NOT NULL,
  stamp_sha256 text COLLATE "C" NOT NULL REFERENCES files (sha256),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX review_stamps_sha_idx ON review_stamps (stamp_sha256);

-- Joint-review decisions on expense lines, as made: append-only. The reviewer's name, unit and the
-- unit's seal are recorded with each decision (a later rename changes nothing here).
CREATE TABLE line_reviews (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  region_code text COLLATE "C" NOT NULL,
  line_id uuid NOT NULL REFERENCES ledger_lines (id),
  decision text NOT NULL CHECK (decision IN ('approve', 'reject')),
  reason text CHECK (length(reason) BETWEEN 1 AND 500),
  reviewer_id uuid NOT NULL REFERENCES users (id),
  reviewer_name text NOT NULL,
  reviewer_unit_code text COLLATE "C" NOT NULL REFERENCES regions (code),
  reviewer_unit text NOT NULL,
  stamp_sha256 text COLLATE "C" REFERENCES files (sha256),
  ledger_idx bigint NOT NULL,
  reviewed_at timestamptz NOT NULL DEFAULT now(),
  CHECK (decision = 'approve' OR reason IS NOT NULL),
  CHECK ((decision = 'approve') = (stamp_sha256 IS NOT NULL))
);
CREATE INDEX line_reviews_line_idx ON line_reviews (region_code, line_id, reviewed_at DESC);
CREATE TRIGGER line_reviews_immutable BEFORE UPDATE OR DELETE ON line_reviews
  FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER line_reviews_no_truncate BEFORE TRUNCATE ON line_reviews
  FOR EACH STATEMENT EXECUTE FUNCTION forbid_change();

-- Joint-review decisions on disclosures whose item needs review (F01), append-only, same shape.
CREATE TABLE disclosure_reviews (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  region_code text COLLATE "C" NOT NULL,
  disclosure_id uuid NOT NULL REFERENCES disclosures (id),
  decision text NOT NULL CHECK (decision IN ('approve', 'reject')),
  reason text CHECK (length(reason) BETWEEN 1 AND 500),
  reviewer_id uuid NOT NULL REFERENCES users (id),
  reviewer_name text NOT NULL,
  reviewer_unit_code text COLLATE "C" NOT NULL REFERENCES regions (code),
  reviewer_unit text NOT NULL,
  stamp_sha256 text COLLATE "C" REFERENCES files (sha256),
  ledger_idx bigint NOT NULL,
  reviewed_at timestamptz NOT NULL DEFAULT now(),
  CHECK (decision = 'approve' OR reason IS NOT NULL),
  CHECK ((decision = 'approve') = (stamp_sha256 IS NOT NULL))
);
CREATE INDEX disclosure_reviews_disclosure_idx ON disclosure_reviews (region_code, disclosure_id, reviewed_at DESC);
CREATE TRIGGER disclosure_reviews_immutable BEFORE UPDATE OR DELETE ON disclosure_reviews
  FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER disclosure_reviews_no_truncate BEFORE TRUNCATE ON disclosure_reviews
  FOR EACH STATEMENT EXECUTE FUNCTION forbid_change();

-- migrate:down
DROP TABLE disclosure_reviews;
DROP TABLE line_reviews;
DROP TABLE review_stamps;
DROP TABLE invoices;
DROP FUNCTION invoices_guard_published();
DROP TABLE disclosure_lines;
DROP FUNCTION disclosure_lines_guard_published();
DROP TABLE ledger_lines;
DROP FUNCTION ledger_lines_guard_published();
DROP FUNCTION ledger_line_is_published(uuid);
