-- Sauti initial schema. Forward-only: never edit a migration that has shipped; add another.
-- Everything a reporter or handler wrote is stored as opaque ciphertext (bytea); the server
-- cannot read it. No table has a column for an IP address or a user agent.

CREATE TABLE deployment (
  singleton      boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  receipt_salt   bytea NOT NULL CHECK (length(receipt_salt) = 16),
  server_secret  bytea NOT NULL CHECK (length(server_secret) = 32),
  created_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE units (
  id          uuid PRIMARY KEY,
  name        text NOT NULL UNIQUE,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE staff_users (
  id                              uuid PRIMARY KEY,
  email                           text NOT NULL UNIQUE CHECK (email = lower(email)),
  display_name                    text NOT NULL,
  unit_id                         uuid REFERENCES units(id),
  roles                           text[] NOT NULL DEFAULT '{}',
  status                          text NOT NULL CHECK (status IN ('invited', 'active', 'disabled')),
  public_key                      bytea CHECK (length(public_key) = 32),
  encrypted_private_key           bytea,
  recovery_encrypted_private_key  bytea,
  password_salt                   bytea CHECK (length(password_salt) = 16),
  login_key_hash                  text,
  last_assigned_at                timestamptz,
  created_at                      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE contexts (
  id                uuid PRIMARY KEY,
  slug              text NOT NULL UNIQUE,
  name              text NOT NULL,
  channel           text NOT NULL CHECK (channel IN ('public', 'internal')),
  description       text NOT NULL DEFAULT '',
  max_exclusions    integer NOT NULL DEFAULT 1 CHECK (max_exclusions >= 0),
  acknowledge_days  integer NOT NULL DEFAULT 7 CHECK (acknowledge_days > 0),
  feedback_days     integer NOT NULL DEFAULT 90 CHECK (feedback_days > 0),
  retention_days    integer NOT NULL DEFAULT 365 CHECK (retention_days > 0),
  questions         jsonb NOT NULL DEFAULT '[]',
  active            boolean NOT NULL DEFAULT true,
  position          integer NOT NULL DEFAULT 0,
  created_at        timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE context_categories (
  context_id  uuid NOT NULL REFERENCES contexts(id) ON DELETE CASCADE,
  id          text NOT NULL,
  label       text NOT NULL,
  position    integer NOT NULL DEFAULT 0,
  PRIMARY KEY (context_id, id)
);

CREATE TABLE context_regions (
  context_id  uuid NOT NULL REFERENCES contexts(id) ON DELETE CASCADE,
  id          text NOT NULL,
  label       text NOT NULL,
  position    integer NOT NULL DEFAULT 0,
  PRIMARY KEY (context_id, id)
);

CREATE TABLE context_recipients (
  context_id  uuid NOT NULL REFERENCES contexts(id) ON DELETE CASCADE,
  user_id     uuid NOT NULL REFERENCES staff_users(id),
  PRIMARY KEY (context_id, user_id)
);

CREATE TABLE context_custodians (
  context_id  uuid NOT NULL REFERENCES contexts(id) ON DELETE CASCADE,
  user_id     uuid NOT NULL REFERENCES staff_users(id),
  PRIMARY KEY (context_id, user_id)
);

CREATE TABLE cases (
  id                            uuid PRIMARY KEY,
  reference                     text NOT NULL UNIQUE,
  context_id                    uuid NOT NULL REFERENCES contexts(id),
  channel                       text NOT NULL CHECK (channel IN ('public', 'internal')),
  category_id                   text NOT NULL,
  region_id                     text,
  language                      text NOT NULL,
  urgent                        boolean NOT NULL,
  excluded_recipient_ids        uuid[] NOT NULL DEFAULT '{}',
  report                        bytea NOT NULL,
  request_digest                bytea NOT NULL,
  reporter_lookup               bytea NOT NULL UNIQUE CHECK (length(reporter_lookup) = 32),
  reporter_public_key           bytea NOT NULL CHECK (length(reporter_public_key) = 32),
  reporter_sealed_key           bytea NOT NULL CHECK (length(reporter_sealed_key) = 80),
  identity_ciphertext           bytea,
  identity_reporter_sealed_key  bytea CHECK (length(identity_reporter_sealed_key) = 80),
  status                        text NOT NULL DEFAULT 'received'
                                  CHECK (status IN ('received', 'acknowledged', 'in_progress', 'closed')),
  assignee_id                   uuid REFERENCES staff_users(id),
  received_at                   timestamptz NOT NULL DEFAULT now(),
  triaged_at                    timestamptz,
  acknowledge_due_at            timestamptz,
  acknowledged_at               timestamptz,
  feedback_due_at               timestamptz,
  closed_at                     timestamptz,
  CHECK ((identity_ciphertext IS NULL) = (identity_reporter_sealed_key IS NULL))
);
CREATE INDEX cases_assignee_open ON cases (assignee_id) WHERE status <> 'closed';

CREATE TABLE case_key_wraps (
  case_id       uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  recipient_id  uuid NOT NULL REFERENCES staff_users(id),
  sealed_key    bytea NOT NULL CHECK (length(sealed_key) = 112),
  granted_by    uuid REFERENCES staff_users(id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (case_id, recipient_id)
);

CREATE TABLE identity_wraps (
  case_id       uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  recipient_id  uuid NOT NULL REFERENCES staff_users(id),
  sealed_key    bytea NOT NULL CHECK (length(sealed_key) = 80),
  granted_by    uuid REFERENCES staff_users(id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (case_id, recipient_id)
);

CREATE TABLE case_status_history (
  id       bigserial PRIMARY KEY,
  case_id  uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  status   text NOT NULL,
  at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_status_history_case ON case_status_history (case_id, id);

CREATE TABLE messages (
  id              uuid PRIMARY KEY,
  case_id         uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  author          text NOT NULL CHECK (author IN ('reporter', 'staff')),
  author_user_id  uuid REFERENCES staff_users(id),
  body            bytea NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX messages_case ON messages (case_id, created_at);

-- Bearer tokens are kept only as SHA-256 digests.
CREATE TABLE reporter_sessions (
  token_digest  bytea PRIMARY KEY CHECK (length(token_digest) = 32),
  case_id       uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL
);

-- Proof-of-work challenges are stateless (signed); only spent ones are remembered, until expiry.
CREATE TABLE pow_spent (
  challenge_digest  bytea PRIMARY KEY,
  expires_at        timestamptz NOT NULL
);

CREATE TABLE outbox (
  id            uuid PRIMARY KEY,
  topic         text NOT NULL,
  aggregate_id  uuid NOT NULL,
  payload       jsonb NOT NULL DEFAULT '{}',
  created_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
  published_at  timestamptz
);
CREATE INDEX outbox_unpublished ON outbox (created_at) WHERE published_at IS NULL;

-- Append-only, hash-chained. No content, no addresses: who did what to which case, when.
CREATE TABLE audit_events (
  seq         bigserial PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  actor_type  text NOT NULL CHECK (actor_type IN ('system', 'staff', 'reporter')),
  actor_id    uuid,
  action      text NOT NULL,
  case_id     uuid,
  details     jsonb NOT NULL DEFAULT '{}',
  prev_hash   bytea NOT NULL,
  hash        bytea NOT NULL UNIQUE
);

CREATE TABLE notifications (
  id          uuid PRIMARY KEY,
  user_id     uuid NOT NULL REFERENCES staff_users(id),
  kind        text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  sent_at     timestamptz,
  attempts    integer NOT NULL DEFAULT 0,
  last_error  text
);
