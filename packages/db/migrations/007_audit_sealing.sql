-- Audit appends without a chain lock (issue 12). A writer inserts its entry in its own transaction
-- and records that transaction's id; the sealer (one worker at a time) links entries into the hash
-- chain later, in (xid, seq) order, once no transaction that could still add an earlier entry is
-- running. Forward-only: entries written before this migration keep their hashes and take chain
-- positions 1..n in seq order, which is the order they were chained in, so they stay verifiable.

ALTER TABLE audit_events ADD COLUMN xid xid8;
ALTER TABLE audit_events ADD COLUMN chain_pos bigint;
UPDATE audit_events a SET chain_pos = o.n, xid = pg_current_xact_id()
  FROM (SELECT seq, row_number() OVER (ORDER BY seq) AS n FROM audit_events) o
 WHERE o.seq = a.seq;
ALTER TABLE audit_events
  ALTER COLUMN xid SET DEFAULT pg_current_xact_id(),
  ALTER COLUMN xid SET NOT NULL,
  ALTER COLUMN prev_hash DROP NOT NULL,
  ALTER COLUMN hash DROP NOT NULL,
  ADD CONSTRAINT audit_events_chain_pos_key UNIQUE (chain_pos),
  ADD CONSTRAINT audit_events_sealed_whole CHECK ((chain_pos IS NULL) = (hash IS NULL) AND (hash IS NULL) = (prev_hash IS NULL));
-- What the sealer reads next, and what verify-audit and /metrics count as not sealed yet.
CREATE INDEX audit_events_unsealed ON audit_events (xid, seq) WHERE chain_pos IS NULL;

-- Signed checkpoints (length, head hash, time), also written to the witnesses outside the database.
CREATE TABLE audit_checkpoints (
  id          uuid PRIMARY KEY,
  length      bigint NOT NULL,
  head        bytea NOT NULL,
  at          timestamptz NOT NULL,
  public_key  bytea NOT NULL,
  signature   bytea NOT NULL,
  mailed_at   timestamptz
);
CREATE INDEX audit_checkpoints_at ON audit_checkpoints (at DESC);

-- The deployment's Ed25519 checkpoint key (32-byte seed), generated here when no key file is configured.
ALTER TABLE deployment ADD COLUMN audit_signing_seed bytea;

-- Triage without row locks that every other triage needs: a person's assignment counter is the
-- version a triage compares and bumps when it assigns, so two triages that chose the same person
-- cannot both win on a stale view of that person's load.
ALTER TABLE staff_users ADD COLUMN assignment_version bigint NOT NULL DEFAULT 0;
CREATE FUNCTION staff_assignment_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.assignee_id IS NOT NULL AND NEW.assignee_id IS DISTINCT FROM OLD.assignee_id THEN
    UPDATE staff_users SET assignment_version = assignment_version + 1 WHERE id = NEW.assignee_id;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER cases_assignment_bump AFTER UPDATE OF assignee_id ON cases
  FOR EACH ROW EXECUTE FUNCTION staff_assignment_bump();

-- Intake reads its contexts from a cache in each api process; any committed change to what intake
-- shows notifies them (delivered at commit), and they drop their copy. Only the columns intake
-- reads: triage's assignment counters and login bookkeeping do not disturb the cache.
CREATE FUNCTION notify_intake_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('sauti_intake', '');
  RETURN NULL;
END $$;
CREATE TRIGGER contexts_intake AFTER INSERT OR UPDATE OR DELETE ON contexts FOR EACH STATEMENT EXECUTE FUNCTION notify_intake_changed();
CREATE TRIGGER context_categories_intake AFTER INSERT OR UPDATE OR DELETE ON context_categories FOR EACH STATEMENT EXECUTE FUNCTION notify_intake_changed();
CREATE TRIGGER context_regions_intake AFTER INSERT OR UPDATE OR DELETE ON context_regions FOR EACH STATEMENT EXECUTE FUNCTION notify_intake_changed();
CREATE TRIGGER context_recipients_intake AFTER INSERT OR UPDATE OR DELETE ON context_recipients FOR EACH STATEMENT EXECUTE FUNCTION notify_intake_changed();
CREATE TRIGGER context_custodians_intake AFTER INSERT OR UPDATE OR DELETE ON context_custodians FOR EACH STATEMENT EXECUTE FUNCTION notify_intake_changed();
CREATE TRIGGER units_intake AFTER INSERT OR UPDATE OF name OR DELETE ON units FOR EACH STATEMENT EXECUTE FUNCTION notify_intake_changed();
CREATE TRIGGER staff_users_intake AFTER INSERT OR UPDATE OF status, public_key, display_name, unit_id OR DELETE ON staff_users
  FOR EACH STATEMENT EXECUTE FUNCTION notify_intake_changed();
