-- Operator texts in several UI languages (issue 13): the language a context's own texts are written
-- in, and their translations by UI language and text key ("name", "category.<id>", …).
ALTER TABLE contexts
  ADD COLUMN default_language text NOT NULL DEFAULT 'en' CHECK (default_language IN ('en', 'fr', 'ar', 'es', 'pt', 'sw')),
  ADD COLUMN translations jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(translations) = 'object');

-- Identity disclosure (issue 13): the custodian's reason for approving, sealed in the custodian's
-- browser to the requester's public key (seal(pk, utf8(JSON({ text })))). The server cannot read it.
ALTER TABLE identity_requests ADD COLUMN decision_reason bytea;
