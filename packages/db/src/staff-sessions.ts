import type { Queryable } from './pool';

export type StaffSessionRow = {
  userId: string;
  roles: string[];
  csrfDigest: Buffer;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
};

export async function createStaffSession(
  db: Queryable,
  s: { idDigest: Buffer; userId: string; csrfDigest: Buffer; absoluteSeconds: number },
): Promise<{ createdAt: Date; expiresAt: Date }> {
  const { rows } = await db.query<{ created_at: Date; expires_at: Date }>(
    `INSERT INTO staff_sessions (id_digest, user_id, csrf_digest, expires_at)
     VALUES ($1, $2, $3, now() + make_interval(secs => $4)) RETURNING created_at, expires_at`,
    [s.idDigest, s.userId, s.csrfDigest, s.absoluteSeconds],
  );
  return { createdAt: rows[0]!.created_at, expiresAt: rows[0]!.expires_at };
}

/**
 * A live session of an active account, its idle clock moved forward; null when unknown, idle for
 * longer than idleSeconds, past its absolute expiry, or when the account is no longer active.
 * Expired sessions found here are deleted.
 */
export async function touchStaffSession(db: Queryable, idDigest: Buffer, idleSeconds: number): Promise<StaffSessionRow | null> {
  const { rows } = await db.query<{ user_id: string; roles: string[]; csrf_digest: Buffer; created_at: Date; last_seen_at: Date; expires_at: Date }>(
    `UPDATE staff_sessions s SET last_seen_at = now()
       FROM staff_users u
      WHERE s.id_digest = $1 AND u.id = s.user_id AND u.status = 'active'
        AND s.expires_at > now() AND s.last_seen_at > now() - make_interval(secs => $2)
      RETURNING s.user_id, u.roles, s.csrf_digest, s.created_at, s.last_seen_at, s.expires_at`,
    [idDigest, idleSeconds],
  );
  const r = rows[0];
  if (!r) {
    await db.query('DELETE FROM staff_sessions WHERE id_digest = $1', [idDigest]);
    return null;
  }
  return { userId: r.user_id, roles: r.roles, csrfDigest: r.csrf_digest, createdAt: r.created_at, lastSeenAt: r.last_seen_at, expiresAt: r.expires_at };
}

export async function deleteStaffSession(db: Queryable, idDigest: Buffer): Promise<void> {
  await db.query('DELETE FROM staff_sessions WHERE id_digest = $1', [idDigest]);
}

/** Ends every session of a person (disable, password change), except optionally the current one. */
export async function deleteStaffSessionsOf(db: Queryable, userId: string, keepIdDigest?: Buffer): Promise<number> {
  const { rowCount } = await db.query('DELETE FROM staff_sessions WHERE user_id = $1 AND ($2::bytea IS NULL OR id_digest <> $2)', [
    userId, keepIdDigest ?? null,
  ]);
  return rowCount ?? 0;
}

export async function purgeExpiredStaffSessions(db: Queryable, idleSeconds: number): Promise<number> {
  const { rowCount } = await db.query(
    'DELETE FROM staff_sessions WHERE expires_at < now() OR last_seen_at < now() - make_interval(secs => $1)',
    [idleSeconds],
  );
  return rowCount ?? 0;
}
