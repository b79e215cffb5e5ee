-- Issue 12: what triage reads for every case, kept instead of counted, by one trigger.
--
-- staff_users.open_cases is the number of cases assigned to the person that are not closed. Triage
-- reads it for each eligible person on every case; counting it (SELECT count(*) … WHERE
-- assignee_id = … AND status <> 'closed') cost more with every case a person holds. One trigger on
-- cases now keeps all of a person's assignment bookkeeping in one UPDATE of their row: the open-case
-- count (assigned, handed on, closed, reopened, deleted), and — when a case is given to them — the
-- assignment counter (before: a trigger of its own, 007) and last_assigned_at (before: written by
-- each caller). Every path that assigns, hands on, closes or deletes a case keeps them right
-- without knowing about them. Triage's one-statement claim reads the count under the person's row lock.
ALTER TABLE staff_users ADD COLUMN open_cases integer NOT NULL DEFAULT 0;
UPDATE staff_users u SET open_cases = (SELECT count(*) FROM cases c WHERE c.assignee_id = u.id AND c.status <> 'closed');
ALTER TABLE staff_users ADD CONSTRAINT staff_users_open_cases_not_negative CHECK (open_cases >= 0);

DROP TRIGGER cases_assignment_bump ON cases;
DROP FUNCTION staff_assignment_bump();

CREATE FUNCTION cases_assignee_bookkeeping() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  was_open boolean := TG_OP <> 'INSERT' AND OLD.assignee_id IS NOT NULL AND OLD.status <> 'closed';
  is_open boolean := TG_OP <> 'DELETE' AND NEW.assignee_id IS NOT NULL AND NEW.status <> 'closed';
  -- Given to someone other than before (as 007's counter did: an update, not an insert).
  given boolean := TG_OP = 'UPDATE' AND NEW.assignee_id IS NOT NULL AND NEW.assignee_id IS DISTINCT FROM OLD.assignee_id;
BEGIN
  IF NOT given AND was_open AND is_open THEN
    RETURN NULL; -- the same person, still open
  END IF;
  IF was_open THEN
    UPDATE staff_users SET open_cases = open_cases - 1 WHERE id = OLD.assignee_id;
  END IF;
  IF is_open OR given THEN
    UPDATE staff_users
       SET open_cases = open_cases + CASE WHEN is_open THEN 1 ELSE 0 END,
           assignment_version = assignment_version + CASE WHEN given THEN 1 ELSE 0 END,
           last_assigned_at = CASE WHEN given THEN now() ELSE last_assigned_at END
     WHERE id = NEW.assignee_id;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER cases_assignee_bookkeeping AFTER INSERT OR DELETE OR UPDATE OF assignee_id, status ON cases
  FOR EACH ROW EXECUTE FUNCTION cases_assignee_bookkeeping();

-- Marking a digest sent or failed (UPDATE … WHERE digest_id = $1) scanned every notification ever
-- written; it now finds the digest's rows by index. Only rows in a digest are indexed.
CREATE INDEX notifications_digest ON notifications (digest_id) WHERE digest_id IS NOT NULL;
