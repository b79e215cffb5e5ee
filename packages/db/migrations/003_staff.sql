-- Staff workspace: accounts, sessions, invites, case handling, grants, identity custodians.
-- Forward-only. Still no column for an IP address, a user agent or any plaintext: notes, status
-- reasons and identity-request reasons are ciphertext made in a staff browser.

ALTER TABLE units ADD COLUMN supervisor_id uuid REFERENCES staff_users(id);

ALTER TABLE staff_users
  -- RFC 6238 secret. It must live on the server, which checks the codes; see docs/staff-api.md.
  ADD COLUMN totp_secret     bytea CHECK (length(totp_secret) = 20),
  -- Last accepted time step: a code is never accepted twice.
  ADD COLUMN totp_last_step  bigint,
  ADD COLUMN failed_logins   integer NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
  ADD COLUMN locked_until    timestamptz,
  ADD COLUMN activated_at    timestamptz,
  -- Account recovery: a random challenge sealed to the account's public key; only its digest is kept.
  ADD COLUMN recovery_challenge_digest  bytea CHECK (length(recovery_challenge_digest) = 32),
  ADD COLUMN recovery_challenge_expires_at timestamptz;

-- One-time activation links. The token is derived from the invite id under the deployment secret
-- (so the worker can put it in the e-mail) and stored here only as its SHA-256 digest.
CREATE TABLE staff_invites (
  id            uuid PRIMARY KEY,
  user_id       uuid NOT NULL REFERENCES staff_users(id) ON DELETE CASCADE,
  token_digest  bytea NOT NULL UNIQUE CHECK (length(token_digest) = 32),
  invited_by    uuid REFERENCES staff_users(id),
  totp_secret   bytea CHECK (length(totp_secret) = 20),
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  used_at       timestamptz,
  revoked_at    timestamptz,
  sent_at       timestamptz,
  send_attempts integer NOT NULL DEFAULT 0,
  last_error    text
);
CREATE INDEX staff_invites_user ON staff_invites (user_id);

-- Session ids and CSRF tokens are kept only as SHA-256 digests.
CREATE TABLE staff_sessions (
  id_digest     bytea PRIMARY KEY CHECK (length(id_digest) = 32),
  user_id       uuid NOT NULL REFERENCES staff_users(id) ON DELETE CASCADE,
  csrf_digest   bytea NOT NULL CHECK (length(csrf_digest) = 32),
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL
);
CREATE INDEX staff_sessions_user ON staff_sessions (user_id);

ALTER TABLE cases
  ADD COLUMN outcome text CHECK (outcome IN ('substantiated', 'unsubstantiated', 'referred', 'not_actionable')),
  ADD COLUMN identity_disclosed_at timestamptz;

-- Who changed the status, and the reason as aead(staffKey, …, "sip1/note/<case>/<reason_id>").
-- The reporter's view selects only status and time from this table.
ALTER TABLE case_status_history
  ADD COLUMN actor_id   uuid REFERENCES staff_users(id),
  ADD COLUMN outcome    text,
  ADD COLUMN reason_id  uuid,
  ADD COLUMN reason     bytea;

CREATE TABLE case_notes (
  id              uuid PRIMARY KEY,
  case_id         uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  author_user_id  uuid NOT NULL REFERENCES staff_users(id),
  body            bytea NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_notes_case ON case_notes (case_id, created_at);

-- Unread markers: when each holder last opened the case.
CREATE TABLE case_reads (
  case_id       uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  user_id       uuid NOT NULL REFERENCES staff_users(id) ON DELETE CASCADE,
  last_read_at  timestamptz NOT NULL,
  PRIMARY KEY (case_id, user_id)
);

CREATE TABLE identity_requests (
  id            uuid PRIMARY KEY,
  case_id       uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  requester_id  uuid NOT NULL REFERENCES staff_users(id),
  -- aead(staffKey, …, "sip1/note/<case>/<id>"): the handling team's record of why.
  reason        bytea NOT NULL,
  status        text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'denied')),
  decided_by    uuid REFERENCES staff_users(id),
  decided_at    timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX identity_requests_one_pending ON identity_requests (case_id, requester_id) WHERE status = 'pending';

-- The same reason sealed to each custodian's public key, so the custodian can judge it.
CREATE TABLE identity_request_reasons (
  request_id     uuid NOT NULL REFERENCES identity_requests(id) ON DELETE CASCADE,
  custodian_id   uuid NOT NULL REFERENCES staff_users(id),
  sealed_reason  bytea NOT NULL,
  PRIMARY KEY (request_id, custodian_id)
);
