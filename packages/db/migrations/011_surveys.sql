-- Integrity perception surveys (issue 15, docs/protocol.md §10). Forward-only.
-- Nothing here links a response to an invitation code: codes are stored as hashes with a count of
-- remaining uses, responses as ciphertext with the hash of a blind-signed token; both carry dates
-- (UTC days), never times of day, and random ids, never sequences.

CREATE TABLE surveys (
  id          uuid PRIMARY KEY,
  definition  jsonb NOT NULL,
  created_on  date NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')::date,
  created_by  uuid REFERENCES staff_users(id)
);

CREATE TABLE survey_iterations (
  id           uuid PRIMARY KEY,
  survey_id    uuid NOT NULL REFERENCES surveys(id),
  number       integer NOT NULL CHECK (number >= 1),
  status       text NOT NULL CHECK (status IN ('open', 'closed')),
  open_link    boolean NOT NULL DEFAULT false,
  -- The questionnaires as asked, frozen at opening, so later edits do not change what N meant.
  definition   jsonb NOT NULL,
  public_key   bytea NOT NULL,
  -- RFC 9474 signing key of this iteration only (a participation gate; it decrypts nothing).
  private_key  bytea NOT NULL,
  opened_on    date NOT NULL,
  closed_on    date,
  UNIQUE (survey_id, number)
);
CREATE UNIQUE INDEX survey_iterations_one_open ON survey_iterations (survey_id) WHERE status = 'open';

-- The analysts each response of the iteration is sealed to, in a fixed order.
CREATE TABLE survey_iteration_analysts (
  iteration_id  uuid NOT NULL REFERENCES survey_iterations(id),
  position      integer NOT NULL,
  analyst_id    uuid NOT NULL REFERENCES staff_users(id),
  public_key    bytea NOT NULL CHECK (length(public_key) = 32),
  PRIMARY KEY (iteration_id, position),
  UNIQUE (iteration_id, analyst_id)
);

CREATE TABLE survey_codes (
  code_hash     bytea PRIMARY KEY CHECK (length(code_hash) = 32),
  iteration_id  uuid NOT NULL REFERENCES survey_iterations(id),
  uses          integer NOT NULL CHECK (uses >= 1),
  uses_left     integer NOT NULL CHECK (uses_left >= 0 AND uses_left <= uses),
  issued_on     date NOT NULL
);
CREATE INDEX survey_codes_iteration ON survey_codes (iteration_id);

CREATE TABLE survey_responses (
  id            uuid PRIMARY KEY,
  iteration_id  uuid NOT NULL REFERENCES survey_iterations(id),
  -- SHA-256 of the prepared token; NULL for open-link responses (proof of work instead).
  token_hash    bytea UNIQUE CHECK (length(token_hash) = 32),
  ciphertext    bytea NOT NULL,
  -- One 80-byte sealed key per analyst, in survey_iteration_analysts.position order.
  key_wraps     bytea[] NOT NULL,
  request_digest bytea NOT NULL,
  received_on   date NOT NULL
);
CREATE INDEX survey_responses_iteration ON survey_responses (iteration_id, id);
