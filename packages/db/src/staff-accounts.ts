import type { Queryable } from './pool';

export type StaffStatus = 'invited' | 'active' | 'disabled';

export type StaffAccount = {
  id: string;
  email: string;
  displayName: string;
  unitId: string | null;
  roles: string[];
  status: StaffStatus;
  publicKey: Buffer | null;
  encryptedPrivateKey: Buffer | null;
  recoveryEncryptedPrivateKey: Buffer | null;
  passwordSalt: Buffer | null;
  loginKeyHash: string | null;
  totpSecret: Buffer | null;
  totpLastStep: number | null;
  failedLogins: number;
  lockedUntil: Date | null;
  createdAt: Date;
  activatedAt: Date | null;
};

const ACCOUNT_COLUMNS = `id, email, display_name, unit_id, roles, status, public_key, encrypted_private_key,
  recovery_encrypted_private_key, password_salt, login_key_hash, totp_secret, totp_last_step, failed_logins,
  locked_until, created_at, activated_at`;

type AccountRow = {
  id: string; email: string; display_name: string; unit_id: string | null; roles: string[]; status: StaffStatus;
  public_key: Buffer | null; encrypted_private_key: Buffer | null; recovery_encrypted_private_key: Buffer | null;
  password_salt: Buffer | null; login_key_hash: string | null; totp_secret: Buffer | null; totp_last_step: string | null;
  failed_logins: number; locked_until: Date | null; created_at: Date; activated_at: Date | null;
};

const account = (r: AccountRow): StaffAccount => ({
  id: r.id, email: r.email, displayName: r.display_name, unitId: r.unit_id, roles: r.roles, status: r.status,
  publicKey: r.public_key, encryptedPrivateKey: r.encrypted_private_key, recoveryEncryptedPrivateKey: r.recovery_encrypted_private_key,
  passwordSalt: r.password_salt, loginKeyHash: r.login_key_hash, totpSecret: r.totp_secret,
  totpLastStep: r.totp_last_step === null ? null : Number(r.totp_last_step), failedLogins: r.failed_logins,
  lockedUntil: r.locked_until, createdAt: r.created_at, activatedAt: r.activated_at,
});

export async function findStaffByEmail(db: Queryable, email: string): Promise<StaffAccount | null> {
  const { rows } = await db.query<AccountRow>(`SELECT ${ACCOUNT_COLUMNS} FROM staff_users WHERE email = lower($1)`, [email]);
  return rows[0] ? account(rows[0]) : null;
}

export async function findStaffById(db: Queryable, id: string): Promise<StaffAccount | null> {
  const { rows } = await db.query<AccountRow>(`SELECT ${ACCOUNT_COLUMNS} FROM staff_users WHERE id = $1`, [id]);
  return rows[0] ? account(rows[0]) : null;
}

/**
 * Counts a failed sign-in. From the fifth failure on, the account refuses every attempt for
 * 2^(n−5) seconds, at most 15 minutes. Per account, never per address.
 */
export async function recordLoginFailure(db: Queryable, userId: string): Promise<{ failedLogins: number; lockedUntil: Date | null }> {
  const { rows } = await db.query<{ failed_logins: number; locked_until: Date | null }>(
    `UPDATE staff_users
        SET failed_logins = failed_logins + 1,
            locked_until = CASE WHEN failed_logins + 1 >= 5
                                THEN now() + make_interval(secs => least(900, power(2, failed_logins + 1 - 5)))
                                ELSE locked_until END
      WHERE id = $1 RETURNING failed_logins, locked_until`,
    [userId],
  );
  return { failedLogins: rows[0]?.failed_logins ?? 0, lockedUntil: rows[0]?.locked_until ?? null };
}

export async function isLockedOut(db: Queryable, userId: string): Promise<boolean> {
  const { rows } = await db.query<{ locked: boolean }>('SELECT coalesce(locked_until > now(), false) AS locked FROM staff_users WHERE id = $1', [userId]);
  return rows[0]?.locked ?? false;
}

/**
 * Accepts a TOTP time step only if it is later than the last one accepted, atomically, so that the
 * same code cannot be used twice even by two requests at once.
 */
export async function acceptTotpStep(db: Queryable, userId: string, step: number): Promise<boolean> {
  const { rowCount } = await db.query(
    'UPDATE staff_users SET totp_last_step = $2 WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)',
    [userId, step],
  );
  return rowCount === 1;
}

export async function resetLoginFailures(db: Queryable, userId: string): Promise<void> {
  await db.query('UPDATE staff_users SET failed_logins = 0, locked_until = NULL WHERE id = $1', [userId]);
}

export async function createInvitedStaff(
  db: Queryable,
  u: { id: string; email: string; displayName: string; unitId: string | null; roles: string[] },
): Promise<void> {
  await db.query(
    `INSERT INTO staff_users (id, email, display_name, unit_id, roles, status) VALUES ($1, lower($2), $3, $4, $5, 'invited')`,
    [u.id, u.email, u.displayName, u.unitId, u.roles],
  );
}

export async function createInvite(
  db: Queryable,
  i: { id: string; userId: string; tokenDigest: Buffer; invitedBy: string | null; validSeconds: number },
): Promise<Date> {
  // A new invitation replaces any earlier one that was not used.
  await db.query('UPDATE staff_invites SET revoked_at = now() WHERE user_id = $1 AND used_at IS NULL AND revoked_at IS NULL', [i.userId]);
  const { rows } = await db.query<{ expires_at: Date }>(
    `INSERT INTO staff_invites (id, user_id, token_digest, invited_by, expires_at)
     VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5)) RETURNING expires_at`,
    [i.id, i.userId, i.tokenDigest, i.invitedBy, i.validSeconds],
  );
  return rows[0]!.expires_at;
}

export type InviteRow = {
  id: string; userId: string; email: string; displayName: string; userStatus: StaffStatus; totpSecret: Buffer | null;
  expiresAt: Date; usedAt: Date | null; revokedAt: Date | null; sentAt: Date | null; usable: boolean;
};

const INVITE_SQL = `SELECT i.id, i.user_id, u.email, u.display_name, u.status, i.totp_secret, i.expires_at, i.used_at, i.revoked_at, i.sent_at,
  (i.used_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > now() AND u.status = 'invited') AS usable
  FROM staff_invites i JOIN staff_users u ON u.id = i.user_id WHERE i.purpose = 'activation'`;

type InviteDbRow = {
  id: string; user_id: string; email: string; display_name: string; status: StaffStatus; totp_secret: Buffer | null;
  expires_at: Date; used_at: Date | null; revoked_at: Date | null; sent_at: Date | null; usable: boolean;
};
const invite = (r: InviteDbRow): InviteRow => ({
  id: r.id, userId: r.user_id, email: r.email, displayName: r.display_name, userStatus: r.status, totpSecret: r.totp_secret,
  expiresAt: r.expires_at, usedAt: r.used_at, revokedAt: r.revoked_at, sentAt: r.sent_at, usable: r.usable,
});

export async function findInviteByDigest(db: Queryable, tokenDigest: Buffer, forUpdate = false): Promise<InviteRow | null> {
  const { rows } = await db.query<InviteDbRow>(`${INVITE_SQL} AND i.token_digest = $1${forUpdate ? ' FOR UPDATE OF i' : ''}`, [tokenDigest]);
  return rows[0] ? invite(rows[0]) : null;
}

export async function findInviteById(db: Queryable, id: string): Promise<InviteRow | null> {
  const { rows } = await db.query<InviteDbRow>(`${INVITE_SQL} AND i.id = $1`, [id]);
  return rows[0] ? invite(rows[0]) : null;
}

/** The secret is chosen once per invitation, so reloading the activation page shows the same one. */
export async function setInviteTotpSecretOnce(db: Queryable, inviteId: string, secret: Buffer): Promise<Buffer> {
  await db.query('UPDATE staff_invites SET totp_secret = $2 WHERE id = $1 AND totp_secret IS NULL', [inviteId, secret]);
  const { rows } = await db.query<{ totp_secret: Buffer }>('SELECT totp_secret FROM staff_invites WHERE id = $1', [inviteId]);
  return rows[0]!.totp_secret;
}

export async function markInviteSent(db: Queryable, inviteId: string): Promise<void> {
  await db.query('UPDATE staff_invites SET sent_at = now(), send_attempts = send_attempts + 1, last_error = NULL WHERE id = $1', [inviteId]);
}

export async function markInviteSendFailed(db: Queryable, inviteId: string, error: string): Promise<void> {
  await db.query('UPDATE staff_invites SET send_attempts = send_attempts + 1, last_error = $2 WHERE id = $1', [inviteId, error.slice(0, 200)]);
}

export async function activateStaffAccount(
  db: Queryable,
  a: {
    inviteId: string; userId: string; passwordSalt: Buffer; loginKeyHash: string; publicKey: Buffer; encryptedPrivateKey: Buffer;
    recoveryEncryptedPrivateKey: Buffer; totpSecret: Buffer; totpStep: number;
  },
): Promise<void> {
  await db.query('UPDATE staff_invites SET used_at = now() WHERE id = $1', [a.inviteId]);
  await db.query(
    `UPDATE staff_users SET status = 'active', activated_at = now(), password_salt = $2, login_key_hash = $3, public_key = $4,
            encrypted_private_key = $5, recovery_encrypted_private_key = $6, totp_secret = $7, totp_last_step = $8,
            failed_logins = 0, locked_until = NULL
      WHERE id = $1 AND status = 'invited'`,
    [a.userId, a.passwordSalt, a.loginKeyHash, a.publicKey, a.encryptedPrivateKey, a.recoveryEncryptedPrivateKey, a.totpSecret, a.totpStep],
  );
}

/** Password change or recovery: the same private key, re-wrapped under a new salt. */
export async function replacePasswordMaterial(
  db: Queryable,
  p: { userId: string; passwordSalt: Buffer; loginKeyHash: string; encryptedPrivateKey: Buffer },
): Promise<void> {
  await db.query(
    `UPDATE staff_users SET password_salt = $2, login_key_hash = $3, encrypted_private_key = $4, failed_logins = 0, locked_until = NULL,
            recovery_challenge_digest = NULL, recovery_challenge_expires_at = NULL
      WHERE id = $1`,
    [p.userId, p.passwordSalt, p.loginKeyHash, p.encryptedPrivateKey],
  );
}

export async function setRecoveryChallenge(db: Queryable, userId: string, digest: Buffer, validSeconds: number): Promise<void> {
  await db.query(
    `UPDATE staff_users SET recovery_challenge_digest = $2, recovery_challenge_expires_at = now() + make_interval(secs => $3) WHERE id = $1`,
    [userId, digest, validSeconds],
  );
}

/** Returns true once for a matching, unexpired challenge, and clears it. */
export async function consumeRecoveryChallenge(db: Queryable, userId: string, digest: Buffer): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE staff_users SET recovery_challenge_digest = NULL, recovery_challenge_expires_at = NULL
      WHERE id = $1 AND status = 'active' AND recovery_challenge_digest = $2 AND recovery_challenge_expires_at > now()`,
    [userId, digest],
  );
  return rowCount === 1;
}

export type StaffListing = {
  id: string; email: string; displayName: string; unitId: string | null; unitName: string | null; roles: string[];
  status: StaffStatus; createdAt: Date; activatedAt: Date | null; publicKey: Buffer | null;
};

export async function listStaff(db: Queryable, options: { activeWithKeysOnly?: boolean } = {}): Promise<StaffListing[]> {
  const { rows } = await db.query<{
    id: string; email: string; display_name: string; unit_id: string | null; unit_name: string | null; roles: string[];
    status: StaffStatus; created_at: Date; activated_at: Date | null; public_key: Buffer | null;
  }>(
    `SELECT u.id, u.email, u.display_name, u.unit_id, un.name AS unit_name, u.roles, u.status, u.created_at, u.activated_at, u.public_key
       FROM staff_users u LEFT JOIN units un ON un.id = u.unit_id
      WHERE NOT $1::boolean OR (u.status = 'active' AND u.public_key IS NOT NULL)
      ORDER BY u.display_name, u.id`,
    [options.activeWithKeysOnly ?? false],
  );
  return rows.map((r) => ({
    id: r.id, email: r.email, displayName: r.display_name, unitId: r.unit_id, unitName: r.unit_name, roles: r.roles, status: r.status,
    createdAt: r.created_at, activatedAt: r.activated_at, publicKey: r.public_key,
  }));
}

export async function updateStaff(db: Queryable, id: string, change: { roles?: string[]; unitId?: string | null; displayName?: string }): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE staff_users SET roles = coalesce($2, roles), unit_id = CASE WHEN $3 THEN $4::uuid ELSE unit_id END,
            display_name = coalesce($5, display_name)
      WHERE id = $1`,
    [id, change.roles ?? null, change.unitId !== undefined, change.unitId ?? null, change.displayName ?? null],
  );
  return rowCount === 1;
}

export async function setStaffStatus(db: Queryable, id: string, status: 'active' | 'disabled'): Promise<boolean> {
  const { rowCount } = await db.query(
    // Only accounts that finished activation can be (re-)enabled.
    `UPDATE staff_users SET status = $2 WHERE id = $1 AND ($2 = 'disabled' OR login_key_hash IS NOT NULL)`,
    [id, status],
  );
  return rowCount === 1;
}

export async function countActiveAdmins(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: string }>(`SELECT count(*) AS n FROM staff_users WHERE status = 'active' AND 'admin' = ANY(roles)`);
  return Number(rows[0]?.n ?? 0);
}

export type UnitRecord = { id: string; name: string; supervisorId: string | null; members: number };

export async function createUnit(db: Queryable, u: { id: string; name: string; supervisorId: string | null }): Promise<void> {
  await db.query('INSERT INTO units (id, name, supervisor_id) VALUES ($1, $2, $3)', [u.id, u.name, u.supervisorId]);
}

export async function updateUnit(db: Queryable, id: string, change: { name?: string; supervisorId?: string | null }): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE units SET name = coalesce($2, name), supervisor_id = CASE WHEN $3 THEN $4::uuid ELSE supervisor_id END WHERE id = $1`,
    [id, change.name ?? null, change.supervisorId !== undefined, change.supervisorId ?? null],
  );
  return rowCount === 1;
}

export async function listUnits(db: Queryable): Promise<UnitRecord[]> {
  const { rows } = await db.query<{ id: string; name: string; supervisor_id: string | null; members: string }>(
    `SELECT un.id, un.name, un.supervisor_id, (SELECT count(*) FROM staff_users u WHERE u.unit_id = un.id) AS members
       FROM units un ORDER BY un.name`,
  );
  return rows.map((r) => ({ id: r.id, name: r.name, supervisorId: r.supervisor_id, members: Number(r.members) }));
}

export async function unitExists(db: Queryable, id: string): Promise<boolean> {
  const { rowCount } = await db.query('SELECT 1 FROM units WHERE id = $1', [id]);
  return rowCount === 1;
}

/** Active staff holding any of the roles (e.g. everyone who must hear of a change to who receives reports). */
export async function listActiveStaffWithRoles(db: Queryable, roles: string[]): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(`SELECT id FROM staff_users WHERE status = 'active' AND roles && $1::text[] ORDER BY id`, [roles]);
  return rows.map((r) => r.id);
}
