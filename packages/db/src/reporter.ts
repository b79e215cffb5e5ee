import type { Queryable } from './pool';

/** Reporter session lifetimes: idle expiry slides with use, but never past `absoluteSeconds` after creation. */
export type ReporterSessionLimits = { idleSeconds: number; absoluteSeconds: number; maxPerCase: number };

/**
 * Opens a session for a case. A case keeps at most `maxPerCase` sessions: the oldest end when a new
 * one would exceed it (the case row is locked so that concurrent sign-ins cannot overshoot).
 */
export async function createReporterSession(db: Queryable, input: { tokenDigest: Buffer; caseId: string } & ReporterSessionLimits): Promise<Date> {
  await db.query('SELECT 1 FROM cases WHERE id = $1 FOR UPDATE', [input.caseId]);
  await db.query(
    `DELETE FROM reporter_sessions WHERE token_digest IN (
       SELECT token_digest FROM reporter_sessions WHERE case_id = $1
        ORDER BY (expires_at > now()) DESC, created_at DESC OFFSET $2)`,
    [input.caseId, Math.max(0, input.maxPerCase - 1)],
  );
  const { rows } = await db.query<{ expires_at: Date }>(
    `INSERT INTO reporter_sessions (token_digest, case_id, expires_at)
     VALUES ($1, $2, now() + make_interval(secs => least($3, $4)::double precision)) RETURNING expires_at`,
    [input.tokenDigest, input.caseId, input.idleSeconds, input.absoluteSeconds],
  );
  return rows[0]!.expires_at;
}

/** Finds a live session and slides its idle expiry forward, never past its absolute end; null when unknown or expired. */
export async function touchReporterSession(db: Queryable, tokenDigest: Buffer, limits: Pick<ReporterSessionLimits, 'idleSeconds' | 'absoluteSeconds'>): Promise<string | null> {
  const { rows } = await db.query<{ case_id: string }>(
    `UPDATE reporter_sessions
        SET expires_at = least(now() + make_interval(secs => $2), created_at + make_interval(secs => $3))
      WHERE token_digest = $1 AND expires_at > now() AND created_at + make_interval(secs => $3) > now()
      RETURNING case_id`,
    [tokenDigest, limits.idleSeconds, limits.absoluteSeconds],
  );
  return rows[0]?.case_id ?? null;
}

export async function deleteReporterSession(db: Queryable, tokenDigest: Buffer): Promise<void> {
  await db.query('DELETE FROM reporter_sessions WHERE token_digest = $1', [tokenDigest]);
}

export type StoredMessage = { id: string; caseId: string; author: 'reporter' | 'staff'; body: Buffer; createdAt: Date };

export async function findMessage(db: Queryable, id: string): Promise<StoredMessage | null> {
  const { rows } = await db.query<{ id: string; case_id: string; author: 'reporter' | 'staff'; body: Buffer; created_at: Date }>(
    'SELECT id, case_id, author, body, created_at FROM messages WHERE id = $1',
    [id],
  );
  const m = rows[0];
  return m ? { id: m.id, caseId: m.case_id, author: m.author, body: m.body, createdAt: m.created_at } : null;
}

/** Inserts unless the id exists; returns null when it already did (the caller decides 200 or 409). */
export async function insertMessage(
  db: Queryable,
  m: { id: string; caseId: string; author: 'reporter' | 'staff'; authorUserId?: string | null; body: Buffer },
): Promise<Date | null> {
  const { rows } = await db.query<{ created_at: Date }>(
    `INSERT INTO messages (id, case_id, author, author_user_id, body) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (id) DO NOTHING RETURNING created_at`,
    [m.id, m.caseId, m.author, m.authorUserId ?? null, m.body],
  );
  return rows[0]?.created_at ?? null;
}

/** Returns false when the challenge was already spent. */
export async function spendPowChallenge(db: Queryable, challengeDigest: Buffer, expiresAt: Date): Promise<boolean> {
  const { rowCount } = await db.query(
    'INSERT INTO pow_spent (challenge_digest, expires_at) VALUES ($1, $2) ON CONFLICT DO NOTHING',
    [challengeDigest, expiresAt],
  );
  return rowCount === 1;
}

/** Housekeeping: spent challenges past expiry and expired reporter sessions. */
export async function purgeExpired(db: Queryable): Promise<{ challenges: number; sessions: number }> {
  const a = await db.query('DELETE FROM pow_spent WHERE expires_at < now()');
  const s = await db.query('DELETE FROM reporter_sessions WHERE expires_at < now()');
  return { challenges: a.rowCount ?? 0, sessions: s.rowCount ?? 0 };
}

/** Messages of a case (both sides), by count and stored bytes; locks the case row so that concurrent posts cannot overshoot a cap. */
export async function lockCaseMessageUsage(db: Queryable, caseId: string): Promise<{ count: number; bytes: number }> {
  await db.query('SELECT 1 FROM cases WHERE id = $1 FOR UPDATE', [caseId]);
  const { rows } = await db.query<{ count: string; bytes: string }>(
    'SELECT count(*) AS count, coalesce(sum(octet_length(body)), 0) AS bytes FROM messages WHERE case_id = $1',
    [caseId],
  );
  return { count: Number(rows[0]?.count ?? 0), bytes: Number(rows[0]?.bytes ?? 0) };
}
