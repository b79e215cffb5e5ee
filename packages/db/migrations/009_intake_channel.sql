-- On-behalf intake (issue 13): how a report reached Sauti. "web" is a reporter's own browser; an
-- intake officer records "hotline" (telephone), "walk_in" (in person) and "letter" reports in theirs,
-- sealed the same way. Who recorded it is in the audit log, not on the case. Forward-only.

ALTER TABLE cases
  ADD COLUMN intake_channel text NOT NULL DEFAULT 'web' CHECK (intake_channel IN ('web', 'hotline', 'walk_in', 'letter'));

-- A routing rule's region condition may name several offices or border posts (issue 13): any of
-- them matches; NULL still matches any region.
ALTER TABLE routing_rules ADD COLUMN region_ids text[] CHECK (region_ids IS NULL OR cardinality(region_ids) > 0);
UPDATE routing_rules SET region_ids = ARRAY[region_id] WHERE region_id IS NOT NULL;
ALTER TABLE routing_rules DROP COLUMN region_id;
