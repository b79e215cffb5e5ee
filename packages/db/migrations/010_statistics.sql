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
       -- A report recorded on someone's behalf (migration 009) counts under how it arrived.
       CASE WHEN c.intake_channel = 'web' THEN c.channel ELSE c.intake_channel END AS channel,
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
       COALESCE(m.reengaged, false) AS reengaged,
       -- Whole minutes from receipt, for medians and percentiles (sorted as integers, in memory).
       (extract(epoch FROM c.acknowledged_at - c.received_at) / 60)::integer AS ack_minutes,
       (extract(epoch FROM m.first_feedback_at - c.received_at) / 60)::integer AS feedback_minutes,
       (extract(epoch FROM c.closed_at - c.received_at) / 60)::integer AS close_minutes
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

-- What the dashboard reads: a daily rollup of statistics_cases, a few rows per case folded into
-- counts per (day received, context, channel, unit, dimension, key[, key2]). 'status' has exactly
-- one row per case and is the base for channel, unit, context, time and age; 'category' carries the
-- category (joined to category_factors for the factor breakdown); 'outcome' (closed cases only)
-- carries the category as key2; 'flag' counts the cases each summary figure counts. Deadlines are
-- judged against the time of the refresh. Refreshed with statistics_cases.
CREATE MATERIALIZED VIEW statistics_daily AS
SELECT (s.received_at AT TIME ZONE 'UTC')::date AS day, s.context_id, s.channel, s.unit_id, v.dimension, v.key, v.key2, count(*)::bigint AS n
  FROM statistics_cases s
  CROSS JOIN LATERAL (VALUES
    ('status', s.status, ''),
    ('category', s.category_id, ''),
    ('region', COALESCE(s.region_id, 'none'), ''),
    ('identity', CASE WHEN s.anonymous THEN 'anonymous' ELSE 'confidential' END, ''),
    ('reengagement', CASE WHEN s.reengaged THEN 'returned' ELSE 'not_returned' END, ''),
    ('outcome', CASE WHEN s.status = 'closed' THEN COALESCE(s.outcome, 'none') END, s.category_id),
    ('flag', CASE WHEN s.anonymous THEN 'anonymous' END, ''),
    ('flag', CASE WHEN s.reengaged THEN 'reengaged' END, ''),
    ('flag', CASE WHEN s.acknowledged_at IS NOT NULL OR s.acknowledge_due_at < now() THEN 'ack_decided' END, ''),
    ('flag', CASE WHEN s.acknowledged_at <= s.acknowledge_due_at THEN 'ack_in_time' END, ''),
    ('flag', CASE WHEN s.first_feedback_at IS NOT NULL OR s.feedback_due_at < now() THEN 'fb_decided' END, ''),
    ('flag', CASE WHEN s.first_feedback_at <= s.feedback_due_at THEN 'fb_in_time' END, '')
  ) AS v(dimension, key, key2)
 WHERE v.key IS NOT NULL
 GROUP BY 1, 2, 3, 4, 5, 6, 7
WITH DATA;
CREATE UNIQUE INDEX statistics_daily_key ON statistics_daily (dimension, day, context_id, channel, unit_id, key, key2) NULLS NOT DISTINCT;

-- Medians and 90th percentiles without sorting every case: durations in whole days (rounded), counted
-- per month received. A period's whole months are read from here, its partial months at either
-- end from statistics_cases. Refreshed with the others.
CREATE MATERIALIZED VIEW statistics_durations AS
SELECT date_trunc('month', s.received_at AT TIME ZONE 'UTC')::date AS month, s.context_id, s.channel, s.unit_id, v.kind, v.days, count(*)::bigint AS n
  FROM statistics_cases s
  CROSS JOIN LATERAL (VALUES
    ('ack', round(s.ack_minutes / 1440.0)::integer),
    ('feedback', round(s.feedback_minutes / 1440.0)::integer),
    ('close', round(s.close_minutes / 1440.0)::integer)
  ) AS v(kind, days)
 WHERE v.days IS NOT NULL
 GROUP BY 1, 2, 3, 4, 5, 6
WITH DATA;
CREATE UNIQUE INDEX statistics_durations_key ON statistics_durations (kind, month, context_id, channel, unit_id, days) NULLS NOT DISTINCT;
