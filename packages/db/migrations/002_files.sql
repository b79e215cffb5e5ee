-- Encrypted evidence files (docs/protocol.md §7). The server keeps each file's encrypted meta and its
-- encrypted stream as opaque bytes; all it knows is their lengths.

-- The blob store: a stream is kept as ordered rows of at most 256 KiB, so that it goes in and out
-- of Postgres with constant memory. A blob is readable only once complete; until then it is a
-- staged upload that housekeeping removes if it is abandoned.
CREATE TABLE blobs (
  id          uuid PRIMARY KEY,
  size        bigint NOT NULL CHECK (size >= 0),
  complete    boolean NOT NULL DEFAULT false,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX blobs_created ON blobs (created_at);

CREATE TABLE blob_chunks (
  blob_id  uuid NOT NULL REFERENCES blobs(id) ON DELETE CASCADE,
  seq      integer NOT NULL CHECK (seq >= 0),
  data     bytea NOT NULL,
  PRIMARY KEY (blob_id, seq)
);
-- Ciphertext does not compress: skip TOAST's compression attempt, keep out-of-line storage.
ALTER TABLE blob_chunks ALTER COLUMN data SET STORAGE EXTERNAL;

-- A file is registered first (meta, size) and listed only once its content is stored (blob_id set).
CREATE TABLE case_files (
  id              uuid PRIMARY KEY,
  case_id         uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  author          text NOT NULL CHECK (author IN ('reporter', 'staff')),
  author_user_id  uuid REFERENCES staff_users(id),
  meta            bytea NOT NULL,
  size            bigint NOT NULL CHECK (size >= 0),
  blob_id         uuid UNIQUE REFERENCES blobs(id),
  created_at      timestamptz NOT NULL DEFAULT now(),
  uploaded_at     timestamptz,
  CHECK ((blob_id IS NULL) = (uploaded_at IS NULL)),
  CHECK ((author = 'staff') = (author_user_id IS NOT NULL))
);
CREATE INDEX case_files_case ON case_files (case_id, created_at);

-- A case's files go with it (retention purge deletes the case row): the file rows cascade, and
-- this removes each one's blob, whose chunks cascade in turn — all in the deleting transaction.
CREATE FUNCTION case_files_drop_blob() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.blob_id IS NOT NULL THEN
    DELETE FROM blobs WHERE id = OLD.blob_id;
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER case_files_drop_blob AFTER DELETE ON case_files
  FOR EACH ROW EXECUTE FUNCTION case_files_drop_blob();
