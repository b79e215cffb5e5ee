import type { Queryable } from './pool';

/**
 * An admin's TOTP reset is an invitation with purpose 'totp_reset' (staff_invites, migration 005):
 * same one-time token, same 72-hour expiry, same e-mail path through the outbox, but it keeps the
 * person's keys and password and only re-enrols the authenticator. It is usable only while the
 * account is active, so the activation endpoints (which want an 'invited' account) refuse it.
 */

export async function createTotpResetInvite(
  tx: Queryable,
  i: { id: string; userId: string; tokenDigest: Buffer; invitedBy: string; validSeconds: number },
): Promise<Date> {
  // A new invitation of either kind replaces any earlier one that was not used.
  await tx.query('UPDATE staff_invites SET revoked_at = now() WHERE user_id = $1 AND used_at IS NULL AND revoked_at IS NULL', [i.userId]);
  const { rows } = await tx.query<{ expires_at: Date }>(
    `INSERT INTO staff_invites (id, user_id, token_digest, invited_by, expires_at, purpose)
     VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5), 'totp_reset') RETURNING expires_at`,
    [i.id, i.userId, i.tokenDigest, i.invitedBy, i.validSeconds],
  );
  return rows[0]!.expires_at;
}

/** The old authenticator stops working at once: without a secret nobody can sign in or recover. */
export async function clearTotpSecret(tx: Queryable, userId: string): Promise<void> {
  await tx.query('UPDATE staff_users SET totp_secret = NULL, totp_last_step = NULL WHERE id = $1', [userId]);
}

export type TotpResetInvite = {
  id: string; userId: string; email: string; displayName: string; totpSecret: Buffer | null; expiresAt: Date; sentAt: Date | null;
  loginKeyHash: string | null; usable: boolean;
};

type Row = {
  id: string; user_id: string; email: string; display_name: string; totp_secret: Buffer | null; expires_at: Date; sent_at: Date | null;
  login_key_hash: string | null; usable: boolean;
};

const SQL = `SELECT i.id, i.user_id, u.email, u.display_name, i.totp_secret, i.expires_at, i.sent_at, u.login_key_hash,
  (i.used_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > now() AND u.status = 'active') AS usable
  FROM staff_invites i JOIN staff_users u ON u.id = i.user_id WHERE i.purpose = 'totp_reset'`;

const toInvite = (r: Row): TotpResetInvite => ({
  id: r.id, userId: r.user_id, email: r.email, displayName: r.display_name, totpSecret: r.totp_secret, expiresAt: r.expires_at,
  sentAt: r.sent_at, loginKeyHash: r.login_key_hash, usable: r.usable,
});

export async function findTotpResetByDigest(db: Queryable, tokenDigest: Buffer, forUpdate = false): Promise<TotpResetInvite | null> {
  const { rows } = await db.query<Row>(`${SQL} AND i.token_digest = $1${forUpdate ? ' FOR UPDATE OF i' : ''}`, [tokenDigest]);
  return rows[0] ? toInvite(rows[0]) : null;
}

export async function findTotpResetById(db: Queryable, id: string): Promise<TotpResetInvite | null> {
  const { rows } = await db.query<Row>(`${SQL} AND i.id = $1`, [id]);
  return rows[0] ? toInvite(rows[0]) : null;
}

/** Marks the reset used and installs the new secret, with its first code's step (never accepted twice). */
export async function completeTotpReset(tx: Queryable, r: { inviteId: string; userId: string; totpSecret: Buffer; totpStep: number }): Promise<void> {
  await tx.query('UPDATE staff_invites SET used_at = now() WHERE id = $1', [r.inviteId]);
  await tx.query('UPDATE staff_users SET totp_secret = $2, totp_last_step = $3, failed_logins = 0, locked_until = NULL WHERE id = $1', [
    r.userId, r.totpSecret, r.totpStep,
  ]);
}
