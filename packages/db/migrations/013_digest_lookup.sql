-- Issue 12: marking a digest sent or failed (UPDATE … WHERE digest_id = $1) scanned every
-- notification ever written; it now finds the digest's rows by index. Only rows in a digest are indexed.
CREATE INDEX notifications_digest ON notifications (digest_id) WHERE digest_id IS NOT NULL;
