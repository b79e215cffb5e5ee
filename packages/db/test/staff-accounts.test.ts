import { randomBytes, randomUUID } from 'node:crypto';
import {
  acceptTotpStep,
  activateStaffAccount,
  consumeRecoveryChallenge,
  countActiveAdmins,
  createInvite,
  createInvitedStaff,
  createUnit,
  findInviteByDigest,
  findInviteById,
  findStaffByEmail,
  findStaffById,
  isLockedOut,
  listStaff,
  listUnits,
  markInviteSendFailed,
  markInviteSent,
  recordLoginFailure,
  replacePasswordMaterial,
  resetLoginFailures,
  setInviteTotpSecretOnce,
  setRecoveryChallenge,
  setStaffStatus,
  unitExists,
  updateStaff,
  updateUnit,
  withTransaction,
} from '@sauti/db';
import { useDatabase } from './harness';

const DAY3 = 72 * 3600;

/** Staff accounts: invitation, activation, lockout, TOTP replay, recovery, listing and units. */
describe('staff accounts (real Postgres)', () => {
  const db = useDatabase();
  let admin: string;
  beforeAll(async () => {
    admin = db.org.custodians[0]!.id;
  });

  const invited = async (email = `New.${randomUUID().slice(0, 8)}@Test.Sauti.Invalid`) => {
    const id = randomUUID();
    await createInvitedStaff(db.pool, { id, email, displayName: `Person ${id.slice(0, 4)}`, unitId: db.org.unitId, roles: ['investigator'] });
    return { id, email };
  };
  const activation = (inviteId: string, userId: string) => ({
    inviteId, userId, passwordSalt: randomBytes(16), loginKeyHash: `$argon2id$${randomUUID()}`, publicKey: randomBytes(32),
    encryptedPrivateKey: randomBytes(72), recoveryEncryptedPrivateKey: randomBytes(72), totpSecret: randomBytes(20), totpStep: 1000,
  });

  it('when a person is invited, then the account is stored with a lower-case e-mail, found by any casing, and has no key material', async () => {
    const { id, email } = await invited();
    const byEmail = await findStaffByEmail(db.pool, email.toUpperCase());
    expect(byEmail).toEqual(expect.objectContaining({ id, email: email.toLowerCase(), status: 'invited', roles: ['investigator'], unitId: db.org.unitId }));
    expect(byEmail!.publicKey).toBeNull();
    expect(byEmail!.loginKeyHash).toBeNull();
    expect((await findStaffById(db.pool, id))!.email).toBe(email.toLowerCase());
    expect(await findStaffById(db.pool, randomUUID())).toBeNull();
    await expect(createInvitedStaff(db.pool, { id: randomUUID(), email: email.toUpperCase(), displayName: 'Twin', unitId: null, roles: [] })).rejects.toThrow();
  });

  it('when a second invitation is created, then the first is revoked and only the second is usable', async () => {
    const { id } = await invited();
    const d1 = randomBytes(32);
    const d2 = randomBytes(32);
    const i1 = randomUUID();
    const i2 = randomUUID();
    const exp = await createInvite(db.pool, { id: i1, userId: id, tokenDigest: d1, invitedBy: admin, validSeconds: DAY3 });
    expect(exp.getTime()).toBeGreaterThan(Date.now() + (DAY3 - 3600) * 1000);
    expect((await findInviteByDigest(db.pool, d1))!.usable).toBe(true);
    await createInvite(db.pool, { id: i2, userId: id, tokenDigest: d2, invitedBy: admin, validSeconds: DAY3 });
    const first = await findInviteByDigest(db.pool, d1);
    expect(first).toEqual(expect.objectContaining({ id: i1, usable: false }));
    expect(first!.revokedAt).not.toBeNull();
    expect(await findInviteById(db.pool, i2)).toEqual(expect.objectContaining({ userId: id, userStatus: 'invited', usable: true, revokedAt: null }));
    expect(await findInviteByDigest(db.pool, randomBytes(32))).toBeNull();
  });

  it('when an invitation has expired, then it is not usable', async () => {
    const { id } = await invited();
    const d = randomBytes(32);
    const inviteId = randomUUID();
    await createInvite(db.pool, { id: inviteId, userId: id, tokenDigest: d, invitedBy: admin, validSeconds: DAY3 });
    await db.pool.query("UPDATE staff_invites SET expires_at = now() - interval '1 second' WHERE id = $1", [inviteId]);
    expect((await findInviteByDigest(db.pool, d))!.usable).toBe(false);
  });

  it('when the invitation TOTP secret is set twice, then the first secret is kept', async () => {
    const { id } = await invited();
    const inviteId = randomUUID();
    await createInvite(db.pool, { id: inviteId, userId: id, tokenDigest: randomBytes(32), invitedBy: admin, validSeconds: DAY3 });
    const s1 = randomBytes(20);
    expect((await setInviteTotpSecretOnce(db.pool, inviteId, s1)).equals(s1)).toBe(true);
    expect((await setInviteTotpSecretOnce(db.pool, inviteId, randomBytes(20))).equals(s1)).toBe(true);
    expect((await findInviteById(db.pool, inviteId))!.totpSecret!.equals(s1)).toBe(true);
  });

  it('when sending succeeds or fails, then the attempts, error (cut to 200 chars) and sent time are recorded', async () => {
    const { id } = await invited();
    const inviteId = randomUUID();
    await createInvite(db.pool, { id: inviteId, userId: id, tokenDigest: randomBytes(32), invitedBy: null, validSeconds: DAY3 });
    await markInviteSendFailed(db.pool, inviteId, 'x'.repeat(500));
    let r = (await db.pool.query<{ send_attempts: number; last_error: string | null; sent_at: Date | null }>('SELECT send_attempts, last_error, sent_at FROM staff_invites WHERE id = $1', [inviteId])).rows[0]!;
    expect(r).toEqual({ send_attempts: 1, last_error: 'x'.repeat(200), sent_at: null });
    await markInviteSent(db.pool, inviteId);
    r = (await db.pool.query<{ send_attempts: number; last_error: string | null; sent_at: Date | null }>('SELECT send_attempts, last_error, sent_at FROM staff_invites WHERE id = $1', [inviteId])).rows[0]!;
    expect(r.send_attempts).toBe(2);
    expect(r.last_error).toBeNull();
    expect(r.sent_at).toBeInstanceOf(Date);
  });

  it('when an account is activated, then it is active with its key material and the invitation is used', async () => {
    const { id } = await invited();
    const inviteId = randomUUID();
    const d = randomBytes(32);
    await createInvite(db.pool, { id: inviteId, userId: id, tokenDigest: d, invitedBy: admin, validSeconds: DAY3 });
    const a = activation(inviteId, id);
    await withTransaction(db.pool, (tx) => activateStaffAccount(tx, a));
    const acc = (await findStaffById(db.pool, id))!;
    expect(acc).toEqual(expect.objectContaining({ status: 'active', loginKeyHash: a.loginKeyHash, totpLastStep: 1000, failedLogins: 0 }));
    expect(acc.publicKey!.equals(a.publicKey)).toBe(true);
    expect(acc.encryptedPrivateKey!.equals(a.encryptedPrivateKey)).toBe(true);
    expect(acc.activatedAt).toBeInstanceOf(Date);
    const inv = (await findInviteByDigest(db.pool, d))!;
    expect(inv.usedAt).not.toBeNull();
    expect(inv.usable).toBe(false);
  });

  it('when the activation transaction throws, then neither the account nor the invitation change', async () => {
    const { id } = await invited();
    const inviteId = randomUUID();
    const d = randomBytes(32);
    await createInvite(db.pool, { id: inviteId, userId: id, tokenDigest: d, invitedBy: admin, validSeconds: DAY3 });
    await expect(withTransaction(db.pool, async (tx) => {
      await activateStaffAccount(tx, activation(inviteId, id));
      throw new Error('abort');
    })).rejects.toThrow('abort');
    expect((await findStaffById(db.pool, id))!.status).toBe('invited');
    expect((await findStaffById(db.pool, id))!.publicKey).toBeNull();
    expect((await findInviteByDigest(db.pool, d))!.usable).toBe(true);
  });

  it('when a TOTP step is accepted, then the same or an earlier step is refused and a later one accepted', async () => {
    const user = db.org.investigators[0]!.id;
    expect(await acceptTotpStep(db.pool, user, 5000)).toBe(true);
    expect(await acceptTotpStep(db.pool, user, 5000)).toBe(false);
    expect(await acceptTotpStep(db.pool, user, 4999)).toBe(false);
    expect(await acceptTotpStep(db.pool, user, 5001)).toBe(true);
    expect((await findStaffById(db.pool, user))!.totpLastStep).toBe(5001);
  });

  it('when the same step is offered by two connections at once, then exactly one is accepted', async () => {
    const user = db.org.investigators[1]!.id;
    const results = await Promise.all([acceptTotpStep(db.pool, user, 9000), acceptTotpStep(db.pool, user, 9000), acceptTotpStep(db.pool, user, 9000)]);
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('when sign-in fails five times, then the account is locked; a reset clears the count and the lock', async () => {
    const { id } = await invited();
    for (let n = 1; n <= 4; n++) {
      expect(await recordLoginFailure(db.pool, id)).toEqual({ failedLogins: n, lockedUntil: null });
      expect(await isLockedOut(db.pool, id)).toBe(false);
    }
    const fifth = await recordLoginFailure(db.pool, id);
    expect(fifth.failedLogins).toBe(5);
    expect(fifth.lockedUntil).toBeInstanceOf(Date);
    expect(await isLockedOut(db.pool, id)).toBe(true);
    await db.pool.query("UPDATE staff_users SET failed_logins = 40 WHERE id = $1", [id]);
    const capped = await recordLoginFailure(db.pool, id);
    const { rows } = await db.pool.query<{ secs: number }>('SELECT extract(epoch FROM locked_until - now())::float8 AS secs FROM staff_users WHERE id = $1', [id]);
    expect(capped.failedLogins).toBe(41);
    expect(rows[0]!.secs).toBeLessThanOrEqual(900);
    expect(rows[0]!.secs).toBeGreaterThan(800);
    await resetLoginFailures(db.pool, id);
    expect(await isLockedOut(db.pool, id)).toBe(false);
    expect((await findStaffById(db.pool, id))!).toEqual(expect.objectContaining({ failedLogins: 0, lockedUntil: null }));
    expect(await isLockedOut(db.pool, randomUUID())).toBe(false);
    expect(await recordLoginFailure(db.pool, randomUUID())).toEqual({ failedLogins: 0, lockedUntil: null });
  });

  it('when a recovery challenge is set, then it is consumed once, and an expired or wrong one is refused', async () => {
    const user = db.org.investigators[0]!.id;
    const d = randomBytes(32);
    await setRecoveryChallenge(db.pool, user, d, 600);
    expect(await consumeRecoveryChallenge(db.pool, user, randomBytes(32))).toBe(false);
    expect(await consumeRecoveryChallenge(db.pool, user, d)).toBe(true);
    expect(await consumeRecoveryChallenge(db.pool, user, d)).toBe(false);
    const e = randomBytes(32);
    await setRecoveryChallenge(db.pool, user, e, 600);
    await db.pool.query("UPDATE staff_users SET recovery_challenge_expires_at = now() - interval '1 second' WHERE id = $1", [user]);
    expect(await consumeRecoveryChallenge(db.pool, user, e)).toBe(false);
  });

  it('when the password material is replaced, then the lock and any pending recovery challenge are cleared', async () => {
    const user = db.org.investigators[1]!.id;
    const d = randomBytes(32);
    await setRecoveryChallenge(db.pool, user, d, 600);
    await db.pool.query("UPDATE staff_users SET failed_logins = 7, locked_until = now() + interval '1 hour' WHERE id = $1", [user]);
    const p = { userId: user, passwordSalt: randomBytes(16), loginKeyHash: '$argon2id$new', encryptedPrivateKey: randomBytes(72) };
    await replacePasswordMaterial(db.pool, p);
    const acc = (await findStaffById(db.pool, user))!;
    expect(acc).toEqual(expect.objectContaining({ loginKeyHash: '$argon2id$new', failedLogins: 0, lockedUntil: null }));
    expect(acc.passwordSalt!.equals(p.passwordSalt)).toBe(true);
    expect(await consumeRecoveryChallenge(db.pool, user, d)).toBe(false);
  });

  it('when staff are updated and their status changed, then only activated accounts can be (re-)enabled', async () => {
    const { id } = await invited();
    const unit = randomUUID();
    await createUnit(db.pool, { id: unit, name: `Unit B ${unit.slice(0, 4)}`, supervisorId: null });
    expect(await updateStaff(db.pool, id, { roles: ['supervisor'], unitId: unit })).toBe(true);
    expect(await findStaffById(db.pool, id)).toEqual(expect.objectContaining({ roles: ['supervisor'], unitId: unit, displayName: `Person ${id.slice(0, 4)}` }));
    expect(await updateStaff(db.pool, id, { displayName: 'Renamed' })).toBe(true);
    expect(await findStaffById(db.pool, id)).toEqual(expect.objectContaining({ roles: ['supervisor'], unitId: unit, displayName: 'Renamed' }));
    expect(await updateStaff(db.pool, id, { unitId: null })).toBe(true);
    expect((await findStaffById(db.pool, id))!.unitId).toBeNull();
    expect(await updateStaff(db.pool, randomUUID(), { displayName: 'Nobody' })).toBe(false);
    expect(await setStaffStatus(db.pool, id, 'active')).toBe(false);
    expect((await findStaffById(db.pool, id))!.status).toBe('invited');
    expect(await setStaffStatus(db.pool, id, 'disabled')).toBe(true);
    expect((await findStaffById(db.pool, id))!.status).toBe('disabled');
  });

  it('when staff are listed, then activeWithKeysOnly leaves out invited and disabled accounts', async () => {
    const { id } = await invited();
    const all = await listStaff(db.pool);
    expect(all.map((s) => s.id)).toEqual(expect.arrayContaining([id, ...db.org.investigators.map((p) => p.id)]));
    expect(all.find((s) => s.id === db.org.investigators[0]!.id)!.unitName).toMatch(/^Unit /);
    const keyed = await listStaff(db.pool, { activeWithKeysOnly: true });
    expect(keyed.map((s) => s.id)).not.toContain(id);
    expect(keyed.every((s) => s.status === 'active' && s.publicKey !== null)).toBe(true);
    expect(keyed.map((s) => s.id)).toEqual(expect.arrayContaining(db.org.investigators.map((p) => p.id)));
  });

  it('when an admin is added or disabled, then the active admin count follows', async () => {
    const before = await countActiveAdmins(db.pool);
    const { id } = await invited();
    await updateStaff(db.pool, id, { roles: ['admin'] });
    expect(await countActiveAdmins(db.pool)).toBe(before);
    await db.pool.query("UPDATE staff_users SET status = 'active', login_key_hash = 'h' WHERE id = $1", [id]);
    expect(await countActiveAdmins(db.pool)).toBe(before + 1);
    await setStaffStatus(db.pool, id, 'disabled');
    expect(await countActiveAdmins(db.pool)).toBe(before);
  });

  it('when units are created and updated, then the listing shows names, supervisors and member counts', async () => {
    const unit = randomUUID();
    const sup = db.org.investigators[0]!.id;
    await createUnit(db.pool, { id: unit, name: `ZZ Unit ${unit.slice(0, 4)}`, supervisorId: null });
    expect(await unitExists(db.pool, unit)).toBe(true);
    expect(await unitExists(db.pool, randomUUID())).toBe(false);
    expect(await updateUnit(db.pool, unit, { supervisorId: sup })).toBe(true);
    expect(await updateUnit(db.pool, unit, { name: `ZZ Renamed ${unit.slice(0, 4)}` })).toBe(true);
    expect(await updateUnit(db.pool, randomUUID(), { name: 'none' })).toBe(false);
    const { id } = await invited();
    await updateStaff(db.pool, id, { unitId: unit });
    const listed = (await listUnits(db.pool)).find((u) => u.id === unit);
    expect(listed).toEqual({ id: unit, name: `ZZ Renamed ${unit.slice(0, 4)}`, supervisorId: sup, members: 1 });
    expect(await updateUnit(db.pool, unit, { supervisorId: null })).toBe(true);
    expect((await listUnits(db.pool)).find((u) => u.id === unit)!.supervisorId).toBeNull();
    const home = (await listUnits(db.pool)).find((u) => u.id === db.org.unitId)!;
    expect(home.members).toBeGreaterThanOrEqual(3);
  });
});
