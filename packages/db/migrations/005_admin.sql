-- Administration: an invitation can also re-enrol the authenticator of an active account that
-- keeps its keys (an admin's "TOTP reset" for a lost phone). Forward-only.

ALTER TABLE staff_invites
  ADD COLUMN purpose text NOT NULL DEFAULT 'activation' CHECK (purpose IN ('activation', 'totp_reset'));
