-- Issue 15, deliverable 2(b): survey invitation codes e-mailed through the outbox. The address
-- and the code exist only here and only until the e-mail is sent: the worker deletes the row once
-- the SMTP server accepted it, and the sweep deletes rows still unsent after expires_on. Nothing
-- links a row to its code's hash in survey_codes (no shared id, no time finer than a day there).
CREATE TABLE survey_invitation_mail (
  id            uuid PRIMARY KEY,
  iteration_id  uuid NOT NULL REFERENCES survey_iterations(id) ON DELETE CASCADE,
  email         text NOT NULL,
  code          text NOT NULL,
  -- A UTC day, as every survey table: no time finer than a day (test/surveys.test.ts).
  expires_on    date NOT NULL
);
CREATE INDEX survey_invitation_mail_expiry ON survey_invitation_mail (expires_on);
