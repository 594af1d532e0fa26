-- migrate:up
-- Append in one round trip: index, leaf hash and every subtree the new leaf completes are computed
-- next to the data while the append lock is held (RFC 9162: leaf = SHA-256(0x00 || entry),
-- node = SHA-256(0x01 || left || right)). The lock is the same advisory key as before.
CREATE FUNCTION ledger_append(p_entry text, p_type text, p_ref text) RETURNS TABLE (idx bigint, leaf_hash bytea)
LANGUAGE plpgsql AS $$
DECLARE
  n bigint;
  leaf bytea;
  hash bytea;
  left_hash bytea;
  lvl integer := 0;
  i bigint;
BEGIN
  PERFORM pg_advisory_xact_lock(727100);
  SELECT coalesce(max(e.idx) + 1, 0) INTO n FROM ledger_entries e;
  leaf := sha256('\x00'::bytea || convert_to(p_entry, 'UTF8'));
  INSERT INTO ledger_entries (idx, entry, leaf_hash, type, ref) VALUES (n, p_entry, leaf, p_type, p_ref);
  hash := leaf;
  i := n;
  WHILE i % 2 = 1 LOOP
    IF lvl = 0 THEN
      SELECT e.leaf_hash INTO STRICT left_hash FROM ledger_entries e WHERE e.idx = i - 1;
    ELSE
      SELECT nd.hash INTO STRICT left_hash FROM ledger_nodes nd WHERE nd.level = lvl AND nd.idx = i - 1;
    END IF;
    hash := sha256('\x01'::bytea || left_hash || hash);
    lvl := lvl + 1;
    i := i / 2;
    INSERT INTO ledger_nodes (level, idx, hash) VALUES (lvl, i, hash);
  END LOOP;
  idx := n;
  leaf_hash := leaf;
  RETURN NEXT;
END $$;

-- migrate:down
DROP FUNCTION ledger_append(text, text, text);
