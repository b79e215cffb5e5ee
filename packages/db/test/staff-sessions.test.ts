import { randomBytes } from 'node:crypto';
import {
  createStaffSession,
  deleteStaffSession,
  deleteStaffSessionsOf,
  purgeExpiredStaffSessions,
  setStaffStatus,
  touchStaffSession,
  withTransaction,
} from '@sauti/db';
import { useDatabase } from './harness';

const IDLE = 1800;
const ABSOLUTE = 43_200;

/** Staff sessions: stored only as digests, ended by idle time, absolute expiry, account status or sign-out. */
describe('staff sessions (real Postgres)', () => {
  const db = useDatabase();

  const open = async (userId: string) => {
    const idDigest = randomBytes(32);
    const csrfDigest = randomBytes(32);
    const at = await createStaffSession(db.pool, { idDigest, userId, csrfDigest, absoluteSeconds: ABSOLUTE });
    return { idDigest, csrfDigest, ...at };
  };
  const exists = async (idDigest: Buffer) =>
    (await db.pool.query('SELECT 1 FROM staff_sessions WHERE id_digest = $1', [idDigest])).rowCount === 1;

  it('when a session is created, then its row holds the digests and an absolute expiry after the creation time', async () => {
    const s = await open(db.alice);
    expect(s.expiresAt.getTime() - s.createdAt.getTime()).toBe(ABSOLUTE * 1000);
    const { rows } = await db.pool.query<{ user_id: string; csrf_digest: Buffer }>('SELECT user_id, csrf_digest FROM staff_sessions WHERE id_digest = $1', [s.idDigest]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.user_id).toBe(db.alice);
    expect(rows[0]!.csrf_digest.equals(s.csrfDigest)).toBe(true);
  });

  it('when a live session is touched, then it returns the account and its roles and moves the idle clock forward', async () => {
    const s = await open(db.alice);
    await db.pool.query("UPDATE staff_sessions SET last_seen_at = now() - interval '10 minutes' WHERE id_digest = $1", [s.idDigest]);
    const before = (await db.pool.query<{ last_seen_at: Date }>('SELECT last_seen_at FROM staff_sessions WHERE id_digest = $1', [s.idDigest])).rows[0]!.last_seen_at;
    const touched = await touchStaffSession(db.pool, s.idDigest, IDLE);
    expect(touched).toEqual(expect.objectContaining({ userId: db.alice, roles: ['investigator'] }));
    expect(touched!.csrfDigest.equals(s.csrfDigest)).toBe(true);
    expect(touched!.lastSeenAt.getTime()).toBeGreaterThan(before.getTime());
    expect(touched!.expiresAt.getTime()).toBe(s.expiresAt.getTime());
  });

  it('when an unknown digest is touched, then it is null', async () => {
    expect(await touchStaffSession(db.pool, randomBytes(32), IDLE)).toBeNull();
  });

  it('when a session has been idle for longer than the idle limit, then touching it returns null and deletes it', async () => {
    const s = await open(db.alice);
    await db.pool.query('UPDATE staff_sessions SET last_seen_at = now() - make_interval(secs => $2) WHERE id_digest = $1', [s.idDigest, IDLE + 1]);
    expect(await touchStaffSession(db.pool, s.idDigest, IDLE)).toBeNull();
    expect(await exists(s.idDigest)).toBe(false);
  });

  it('when a session is past its absolute expiry, then touching it returns null and deletes it even though it was just used', async () => {
    const s = await open(db.alice);
    await db.pool.query("UPDATE staff_sessions SET expires_at = now() - interval '1 second' WHERE id_digest = $1", [s.idDigest]);
    expect(await touchStaffSession(db.pool, s.idDigest, IDLE)).toBeNull();
    expect(await exists(s.idDigest)).toBe(false);
  });

  it('when the account is disabled, then its session stops working and is deleted', async () => {
    const carol = db.org.custodians[0]!.id;
    await db.pool.query("UPDATE staff_users SET login_key_hash = 'x' WHERE id = $1", [carol]);
    const s = await open(carol);
    expect(await touchStaffSession(db.pool, s.idDigest, IDLE)).not.toBeNull();
    expect(await setStaffStatus(db.pool, carol, 'disabled')).toBe(true);
    expect(await touchStaffSession(db.pool, s.idDigest, IDLE)).toBeNull();
    expect(await exists(s.idDigest)).toBe(false);
    expect(await setStaffStatus(db.pool, carol, 'active')).toBe(true);
  });

  it('when a session is signed out, then only that session is gone', async () => {
    const a = await open(db.alice);
    const b = await open(db.alice);
    await deleteStaffSession(db.pool, a.idDigest);
    expect(await exists(a.idDigest)).toBe(false);
    expect(await touchStaffSession(db.pool, b.idDigest, IDLE)).not.toBeNull();
  });

  it('when every session of a person is ended but the current one, then the current one and other people\'s sessions survive', async () => {
    const keep = await open(db.bob);
    const drop1 = await open(db.bob);
    const drop2 = await open(db.bob);
    const other = await open(db.alice);
    expect(await deleteStaffSessionsOf(db.pool, db.bob, keep.idDigest)).toBe(2);
    expect(await exists(keep.idDigest)).toBe(true);
    expect(await exists(drop1.idDigest)).toBe(false);
    expect(await exists(drop2.idDigest)).toBe(false);
    expect(await exists(other.idDigest)).toBe(true);
    expect(await deleteStaffSessionsOf(db.pool, db.bob)).toBe(1);
    expect(await exists(keep.idDigest)).toBe(false);
    expect(await exists(other.idDigest)).toBe(true);
  });

  it('when ending sessions rolls back with its transaction, then the sessions still work', async () => {
    const s = await open(db.alice);
    await expect(withTransaction(db.pool, async (tx) => {
      expect(await deleteStaffSessionsOf(tx, db.alice)).toBeGreaterThanOrEqual(1);
      throw new Error('abort');
    })).rejects.toThrow('abort');
    expect(await touchStaffSession(db.pool, s.idDigest, IDLE)).not.toBeNull();
  });

  it('when expired sessions are purged, then idle and past-expiry sessions go and live ones stay', async () => {
    const live = await open(db.alice);
    const idle = await open(db.alice);
    const expired = await open(db.bob);
    await db.pool.query('UPDATE staff_sessions SET last_seen_at = now() - make_interval(secs => $2) WHERE id_digest = $1', [idle.idDigest, IDLE + 60]);
    await db.pool.query("UPDATE staff_sessions SET expires_at = now() - interval '1 minute' WHERE id_digest = $1", [expired.idDigest]);
    expect(await purgeExpiredStaffSessions(db.pool, IDLE)).toBeGreaterThanOrEqual(2);
    expect(await exists(live.idDigest)).toBe(true);
    expect(await exists(idle.idDigest)).toBe(false);
    expect(await exists(expired.idDigest)).toBe(false);
    expect(await purgeExpiredStaffSessions(db.pool, IDLE)).toBe(0);
  });
});
