-- Triage pipeline: routing rules, priorities, deadline alerts, digests, retention and legal hold.

CREATE TABLE routing_rules (
  id                uuid PRIMARY KEY,
  position          integer NOT NULL,
  name              text NOT NULL,
  -- Match conditions; NULL matches anything.
  context_id        uuid REFERENCES contexts(id) ON DELETE CASCADE,
  channel           text CHECK (channel IN ('public', 'internal')),
  category_id       text,
  region_id         text,
  urgent            boolean,
  -- What a match decides.
  target_unit_id    uuid REFERENCES units(id),
  priority          text NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'critical')),
  acknowledge_days  integer CHECK (acknowledge_days > 0),
  feedback_days     integer CHECK (feedback_days > 0),
  is_default        boolean NOT NULL DEFAULT false,
  updated_at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (position)
);

ALTER TABLE cases
  ADD COLUMN unit_id          uuid REFERENCES units(id),
  ADD COLUMN priority         text NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'critical')),
  ADD COLUMN routing_rule_id  uuid,
  ADD COLUMN feedback_days    integer CHECK (feedback_days > 0),
  ADD COLUMN legal_hold       boolean NOT NULL DEFAULT false,
  -- Extension of the feedback deadline (EU 2019/1937 art. 9(1)(f): up to 6 months), reason as ciphertext.
  ADD COLUMN feedback_extended_reason bytea;

ALTER TABLE contexts ADD COLUMN reminder_days_before integer NOT NULL DEFAULT 2 CHECK (reminder_days_before >= 0);

-- One row per alert sent about a deadline; the due time is part of the key, so moving a deadline
-- (an extension) makes new alerts possible while a repeated sweep sends nothing twice.
CREATE TABLE deadline_alerts (
  case_id   uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  kind      text NOT NULL CHECK (kind IN ('acknowledge', 'feedback')),
  stage     text NOT NULL CHECK (stage IN ('reminder', 'escalation')),
  due_at    timestamptz NOT NULL,
  sent_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (case_id, kind, stage, due_at)
);

-- Notifications are sent in per-person digests; a digest id ties the rows one e-mail covered.
ALTER TABLE notifications
  ADD COLUMN digest_id  uuid,
  ADD COLUMN failed_at  timestamptz;
CREATE INDEX notifications_pending ON notifications (user_id) WHERE sent_at IS NULL AND failed_at IS NULL;
