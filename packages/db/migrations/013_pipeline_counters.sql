-- Issue 12: what triage reads for every case, kept instead of counted.
--
-- staff_users.open_cases is the number of cases assigned to the person that are not closed. Triage
-- reads it for each eligible person on every case; counting it (SELECT count(*) … WHERE
-- assignee_id = … AND status <> 'closed') cost more with every case a person holds. A trigger keeps
-- it, so every path that assigns, hands on, closes, reopens or deletes a case keeps it right
-- without knowing about it. Triage's one-statement claim reads it under the person's row lock.
ALTER TABLE staff_users ADD COLUMN open_cases integer NOT NULL DEFAULT 0;
UPDATE staff_users u SET open_cases = (SELECT count(*) FROM cases c WHERE c.assignee_id = u.id AND c.status <> 'closed');
ALTER TABLE staff_users ADD CONSTRAINT staff_users_open_cases_not_negative CHECK (open_cases >= 0);

CREATE FUNCTION cases_keep_open_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.assignee_id IS NOT DISTINCT FROM NEW.assignee_id AND (OLD.status <> 'closed') = (NEW.status <> 'closed') THEN
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.assignee_id IS NOT NULL AND OLD.status <> 'closed' THEN
    UPDATE staff_users SET open_cases = open_cases - 1 WHERE id = OLD.assignee_id;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.assignee_id IS NOT NULL AND NEW.status <> 'closed' THEN
    UPDATE staff_users SET open_cases = open_cases + 1 WHERE id = NEW.assignee_id;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER cases_keep_open_count AFTER INSERT OR DELETE OR UPDATE OF assignee_id, status ON cases
  FOR EACH ROW EXECUTE FUNCTION cases_keep_open_count();

-- Marking a digest sent or failed (UPDATE … WHERE digest_id = $1) scanned every notification ever
-- written; it now finds the digest's rows by index. Only rows in a digest are indexed.
CREATE INDEX notifications_digest ON notifications (digest_id) WHERE digest_id IS NOT NULL;
