-- On-behalf intake (issue 13): how a report reached Sauti. "web" is a reporter's own browser; an
-- intake officer records "hotline" (telephone), "walk_in" (in person) and "letter" reports in theirs,
-- sealed the same way. Who recorded it is in the audit log, not on the case. Forward-only.

ALTER TABLE cases
  ADD COLUMN intake_channel text NOT NULL DEFAULT 'web' CHECK (intake_channel IN ('web', 'hotline', 'walk_in', 'letter'));
