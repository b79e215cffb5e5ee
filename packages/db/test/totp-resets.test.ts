import { randomBytes, randomUUID } from 'node:crypto';
import {
  acceptTotpStep,
  clearTotpSecret,
  completeTotpReset,
  createInvite,
  createTotpResetInvite,
  findInviteByDigest,
  findStaffById,
  findTotpResetByDigest,
  findTotpResetById,
  setStaffStatus,
  withTransaction,
} from '@sauti/db';
import { useDatabase } from './harness';

const VALID = 72 * 3600;

/** TOTP resets: an invitation of purpose 'totp_reset' that re-enrols only the authenticator of an active account. */
describe('TOTP resets (real Postgres)', () => {
  const db = useDatabase();
  let admin: string;
  beforeAll(async () => {
    admin = db.org.custodians[0]!.id;
  });

  /** An active account with password material and an enrolled authenticator at step 100. */
  const enrolled = async () => {
    const id = db.org.investigators[0]!.id;
    await db.pool.query(
      "UPDATE staff_users SET status = 'active', login_key_hash = 'h', totp_secret = $2, totp_last_step = 100, failed_logins = 6, locked_until = now() + interval '5 minutes' WHERE id = $1",
      [id, randomBytes(20)],
    );
    return id;
  };
  const reset = async (userId: string) => {
    const id = randomUUID();
    const tokenDigest = randomBytes(32);
    const expiresAt = await withTransaction(db.pool, async (tx) => {
      const at = await createTotpResetInvite(tx, { id, userId, tokenDigest, invitedBy: admin, validSeconds: VALID });
      await clearTotpSecret(tx, userId);
      return at;
    });
    return { id, tokenDigest, expiresAt };
  };

  it('when a reset is created, then the old authenticator is gone at once and the reset is usable, found by digest and by id', async () => {
    const user = await enrolled();
    const r = await reset(user);
    const acc = (await findStaffById(db.pool, user))!;
    expect(acc.totpSecret).toBeNull();
    expect(acc.totpLastStep).toBeNull();
    expect(acc.loginKeyHash).toBe('h');
    const found = await findTotpResetByDigest(db.pool, r.tokenDigest);
    expect(found).toEqual(expect.objectContaining({ id: r.id, userId: user, usable: true, totpSecret: null, sentAt: null, loginKeyHash: 'h' }));
    expect(found!.expiresAt.getTime()).toBe(r.expiresAt.getTime());
    expect(await findTotpResetById(db.pool, r.id)).toEqual(found);
    expect((await db.pool.query<{ purpose: string }>('SELECT purpose FROM staff_invites WHERE id = $1', [r.id])).rows[0]!.purpose).toBe('totp_reset');
  });

  it('when the reset is created in a transaction that throws, then nothing is written and the old authenticator still works', async () => {
    const user = await enrolled();
    const before = (await findStaffById(db.pool, user))!.totpSecret!;
    const tokenDigest = randomBytes(32);
    await expect(withTransaction(db.pool, async (tx) => {
      await createTotpResetInvite(tx, { id: randomUUID(), userId: user, tokenDigest, invitedBy: admin, validSeconds: VALID });
      await clearTotpSecret(tx, user);
      throw new Error('abort');
    })).rejects.toThrow('abort');
    expect(await findTotpResetByDigest(db.pool, tokenDigest)).toBeNull();
    expect((await findStaffById(db.pool, user))!.totpSecret!.equals(before)).toBe(true);
    expect(await acceptTotpStep(db.pool, user, 101)).toBe(true);
  });

  it('when a new reset or invitation is created, then the earlier unused one is revoked', async () => {
    const user = await enrolled();
    const first = await reset(user);
    const second = await reset(user);
    expect((await findTotpResetById(db.pool, first.id))!.usable).toBe(false);
    expect((await findTotpResetById(db.pool, second.id))!.usable).toBe(true);
    await createInvite(db.pool, { id: randomUUID(), userId: user, tokenDigest: randomBytes(32), invitedBy: admin, validSeconds: VALID });
    expect((await findTotpResetById(db.pool, second.id))!.usable).toBe(false);
  });

  it('when a reset is completed, then it is used, the new secret is installed with its first step, and that step is never accepted again', async () => {
    const user = await enrolled();
    const r = await reset(user);
    const secret = randomBytes(20);
    await withTransaction(db.pool, async (tx) => {
      const locked = await findTotpResetByDigest(tx, r.tokenDigest, true);
      expect(locked!.usable).toBe(true);
      await completeTotpReset(tx, { inviteId: locked!.id, userId: user, totpSecret: secret, totpStep: 7000 });
    });
    const acc = (await findStaffById(db.pool, user))!;
    expect(acc.totpSecret!.equals(secret)).toBe(true);
    expect(acc).toEqual(expect.objectContaining({ totpLastStep: 7000, failedLogins: 0, lockedUntil: null, loginKeyHash: 'h' }));
    expect((await findTotpResetByDigest(db.pool, r.tokenDigest))!.usable).toBe(false);
    expect(await acceptTotpStep(db.pool, user, 7000)).toBe(false);
    expect(await acceptTotpStep(db.pool, user, 7001)).toBe(true);
  });

  it('when completing rolls back, then the reset stays usable and the account has no secret', async () => {
    const user = await enrolled();
    const r = await reset(user);
    await expect(withTransaction(db.pool, async (tx) => {
      await completeTotpReset(tx, { inviteId: r.id, userId: user, totpSecret: randomBytes(20), totpStep: 8000 });
      throw new Error('abort');
    })).rejects.toThrow('abort');
    expect((await findTotpResetById(db.pool, r.id))!.usable).toBe(true);
    expect((await findStaffById(db.pool, user))!.totpSecret).toBeNull();
  });

  it('when the reset has expired or the account is disabled, then it is not usable', async () => {
    const user = await enrolled();
    const r = await reset(user);
    await db.pool.query("UPDATE staff_invites SET expires_at = now() - interval '1 second' WHERE id = $1", [r.id]);
    expect((await findTotpResetById(db.pool, r.id))!.usable).toBe(false);
    const s = await reset(user);
    expect(await setStaffStatus(db.pool, user, 'disabled')).toBe(true);
    expect((await findTotpResetById(db.pool, s.id))!.usable).toBe(false);
    expect(await setStaffStatus(db.pool, user, 'active')).toBe(true);
    expect((await findTotpResetById(db.pool, s.id))!.usable).toBe(true);
  });

  it('when an activation invitation and a reset exist, then each finder sees only its own kind', async () => {
    const invitee = randomUUID();
    await db.pool.query("INSERT INTO staff_users (id, email, display_name, roles, status) VALUES ($1, $2, 'New', '{investigator}', 'invited')", [invitee, `${invitee}@test.sauti.invalid`]);
    const digest = randomBytes(32);
    const inviteId = randomUUID();
    await createInvite(db.pool, { id: inviteId, userId: invitee, tokenDigest: digest, invitedBy: admin, validSeconds: VALID });
    expect(await findTotpResetByDigest(db.pool, digest)).toBeNull();
    expect(await findTotpResetById(db.pool, inviteId)).toBeNull();
    const user = await enrolled();
    const r = await reset(user);
    // The activation path looks up activation invitations only: a reset's token is not one.
    expect(await findInviteByDigest(db.pool, r.tokenDigest)).toBeNull();
  });
});
