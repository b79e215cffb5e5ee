-- Integrity monitoring (issue 14). Forward-only.

-- 1. Case outcomes: a fixed, documented list (packages/core/src/lifecycle.ts OUTCOMES). The outcome
-- is clear text by design, for statistics; the reason beside it stays ciphertext.
ALTER TABLE cases DROP CONSTRAINT IF EXISTS cases_outcome_check;
ALTER TABLE cases ADD CONSTRAINT cases_outcome_check CHECK (outcome IN (
  'substantiated', 'partly_substantiated', 'unsubstantiated', 'referred_prosecution', 'referred', 'not_actionable', 'withdrawn'));

-- 2. Categories mapped to the ten factors of the Revised Arusha Declaration (packages/core/src/arusha.ts).
-- No foreign key to context_categories: an edit of a context's category list must not drop the
-- mapping of a category that keeps its id.
CREATE TABLE category_factors (
  context_id   uuid NOT NULL REFERENCES contexts(id) ON DELETE CASCADE,
  category_id  text NOT NULL,
  factor       text NOT NULL CHECK (factor IN ('leadership', 'regulatory_framework', 'transparency', 'automation', 'reform_modernisation',
                                               'audit_investigation', 'code_of_conduct', 'human_resources', 'morale_culture', 'private_sector')),
  PRIMARY KEY (context_id, category_id, factor)
);

-- 5. Who sees statistics of which unit: a supervisor or analyst with a unit sees that unit only,
-- unless an administrator grants every unit.
ALTER TABLE staff_users ADD COLUMN statistics_all_units boolean NOT NULL DEFAULT false;

-- 3. What every indicator is computed from: one narrow row per case with routing metadata and
-- lifecycle times only (never ciphertext). Refreshed by the worker (STATISTICS_REFRESH_MS), so the
-- dashboard reads at most that old a picture; statistics_refreshes says when it was taken.
CREATE MATERIALIZED VIEW statistics_cases AS
SELECT c.id,
       c.received_at,
       c.context_id,
       c.channel,
       c.category_id,
       c.region_id,
       c.unit_id,
       (c.identity_ciphertext IS NULL) AS anonymous,
       c.status,
       c.outcome,
       c.acknowledged_at,
       COALESCE(c.acknowledge_due_at, c.received_at + make_interval(days => x.acknowledge_days)) AS acknowledge_due_at,
       c.closed_at,
       m.first_feedback_at,
       COALESCE(c.feedback_due_at,
                COALESCE(c.acknowledged_at, c.acknowledge_due_at, c.received_at + make_interval(days => x.acknowledge_days))
                  + make_interval(days => COALESCE(c.feedback_days, x.feedback_days))) AS feedback_due_at,
       COALESCE(m.reengaged, false) AS reengaged
  FROM cases c
  JOIN contexts x ON x.id = c.context_id
  LEFT JOIN LATERAL (
    SELECT min(created_at) FILTER (WHERE author = 'staff') AS first_feedback_at,
           bool_or(author = 'reporter') AS reengaged
      FROM messages WHERE case_id = c.id
  ) m ON true
WITH DATA;
CREATE UNIQUE INDEX statistics_cases_id ON statistics_cases (id);
CREATE INDEX statistics_cases_received ON statistics_cases (received_at);
CREATE INDEX statistics_cases_unit_received ON statistics_cases (unit_id, received_at);

CREATE TABLE statistics_refreshes (
  singleton     boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  refreshed_at  timestamptz NOT NULL
);
INSERT INTO statistics_refreshes (refreshed_at) VALUES (now());
