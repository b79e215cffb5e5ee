import type { Queryable } from './pool';

export type FileAuthor = 'reporter' | 'staff';

export type CaseFileRecord = {
  id: string;
  caseId: string;
  author: FileAuthor;
  authorUserId: string | null;
  meta: Buffer;
  /** Length of the encrypted stream in bytes: all the server knows of the file. */
  size: number;
  blobId: string | null;
  createdAt: Date;
  uploadedAt: Date | null;
};

type Row = {
  id: string; case_id: string; author: FileAuthor; author_user_id: string | null; meta: Buffer; size: string;
  blob_id: string | null; created_at: Date; uploaded_at: Date | null;
};

const COLUMNS = 'id, case_id, author, author_user_id, meta, size, blob_id, created_at, uploaded_at';

const fromRow = (r: Row): CaseFileRecord => ({
  id: r.id, caseId: r.case_id, author: r.author, authorUserId: r.author_user_id, meta: r.meta, size: Number(r.size),
  blobId: r.blob_id, createdAt: r.created_at, uploadedAt: r.uploaded_at,
});

export async function findCaseFile(db: Queryable, id: string): Promise<CaseFileRecord | null> {
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM case_files WHERE id = $1`, [id]);
  return rows[0] ? fromRow(rows[0]) : null;
}

/** Files whose content is completely stored, oldest first; registered-only files are not listed. */
export async function listUploadedCaseFiles(db: Queryable, caseId: string): Promise<CaseFileRecord[]> {
  const { rows } = await db.query<Row>(
    `SELECT ${COLUMNS} FROM case_files WHERE case_id = $1 AND blob_id IS NOT NULL ORDER BY created_at, id`,
    [caseId],
  );
  return rows.map(fromRow);
}

/**
 * Locks the case row (so concurrent registrations for one case are counted one after the other)
 * and answers what its files already take, registered-but-not-uploaded ones included. Null when
 * the case does not exist. Call inside a transaction.
 */
export async function lockCaseFileUsage(tx: Queryable, caseId: string): Promise<{ count: number; bytes: number } | null> {
  const { rowCount } = await tx.query('SELECT 1 FROM cases WHERE id = $1 FOR UPDATE', [caseId]);
  if (!rowCount) return null;
  const { rows } = await tx.query<{ count: number; bytes: string }>(
    'SELECT count(*)::int AS count, coalesce(sum(size), 0)::text AS bytes FROM case_files WHERE case_id = $1',
    [caseId],
  );
  return { count: rows[0]!.count, bytes: Number(rows[0]!.bytes) };
}

/** Inserts unless the id exists; returns null when it already did (the caller decides 200 or 409). */
export async function insertCaseFile(
  tx: Queryable,
  f: { id: string; caseId: string; author: FileAuthor; authorUserId: string | null; meta: Buffer; size: number },
): Promise<CaseFileRecord | null> {
  const { rows } = await tx.query<Row>(
    `INSERT INTO case_files (id, case_id, author, author_user_id, meta, size) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (id) DO NOTHING RETURNING ${COLUMNS}`,
    [f.id, f.caseId, f.author, f.authorUserId, f.meta, f.size],
  );
  return rows[0] ? fromRow(rows[0]) : null;
}

/** Links stored content to its file; false when the file already had content (a concurrent upload won). */
export async function attachFileContent(tx: Queryable, fileId: string, blobId: string): Promise<boolean> {
  const { rowCount } = await tx.query(
    'UPDATE case_files SET blob_id = $2, uploaded_at = now() WHERE id = $1 AND blob_id IS NULL',
    [fileId, blobId],
  );
  return rowCount === 1;
}

/** Registered files that never got their content are forgotten after this long, freeing the case's quota. */
export const FILE_REGISTRATION_TTL_SECONDS = 24 * 3600;
/** Uploads in progress are younger than this (the api's request timeout is 10 minutes). */
export const UPLOAD_STALE_SECONDS = 3600;

/**
 * Housekeeping for the Postgres blob store: removes uploads that broke off (incomplete blobs and
 * their chunks), complete blobs that no file ended up pointing at (a crash between storing and
 * linking), and registrations whose content never arrived. Only rows older than the given ages are
 * touched, so uploads in progress are left alone.
 */
export async function purgeAbandonedFileUploads(
  db: Queryable,
  options: { staleSeconds?: number; registrationTtlSeconds?: number } = {},
): Promise<{ blobs: number; registrations: number }> {
  const stale = options.staleSeconds ?? UPLOAD_STALE_SECONDS;
  const ttl = options.registrationTtlSeconds ?? FILE_REGISTRATION_TTL_SECONDS;
  const blobs = await db.query(
    `DELETE FROM blobs b
      WHERE b.created_at < now() - make_interval(secs => $1)
        AND (NOT b.complete OR NOT EXISTS (SELECT 1 FROM case_files f WHERE f.blob_id = b.id))`,
    [stale],
  );
  const registrations = await db.query(
    'DELETE FROM case_files WHERE blob_id IS NULL AND created_at < now() - make_interval(secs => $1)',
    [ttl],
  );
  return { blobs: blobs.rowCount ?? 0, registrations: registrations.rowCount ?? 0 };
}
