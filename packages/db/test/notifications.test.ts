import { randomUUID } from 'node:crypto';
import {
  claimDigest,
  countSweepRecoveredNotifications,
  listFailedNotifications,
  markDigestFailed,
  markDigestSent,
  requestNotification,
  requestStaleDigests,
  retryFailedNotifications,
  withTransaction,
} from '@sauti/db';
import { useDatabase } from './harness';

describe('notifications (real Postgres)', () => {
  const db = useDatabase();
  let userId: string;
  beforeAll(async () => {
    userId = db.org.investigators[0]!.id;
  });

  const outboxFor = async (user: string) =>
    (await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE topic = 'notification.requested' AND payload->>'userId' = $1`, [user])).rows[0]!.n;

  it('when a notification is requested twice with one id, then one row and one outbox event exist', async () => {
    const id = randomUUID();
    await withTransaction(db.pool, (tx) => requestNotification(tx, userId, 'case_activity', id));
    await withTransaction(db.pool, (tx) => requestNotification(tx, userId, 'case_activity', id));
    expect((await db.pool.query('SELECT 1 FROM notifications WHERE id = $1', [id])).rowCount).toBe(1);
    expect(await outboxFor(userId)).toBe(1);
  });

  it('when a digest is claimed, sent and claimed again, then the second claim finds nothing', async () => {
    await withTransaction(db.pool, (tx) => requestNotification(tx, userId, 'new_case'));
    const digest = await claimDigest(db.pool, userId, randomUUID());
    expect(digest).toEqual(expect.objectContaining({ email: db.org.investigators[0]!.email, kinds: ['case_activity', 'new_case'] }));
    await markDigestSent(db.pool, digest!.digestId);
    expect(await claimDigest(db.pool, userId, randomUUID())).toBeNull();
  });

  it('when a send failed and more was requested meanwhile, then the retry resends the same digest with the new request in it', async () => {
    await withTransaction(db.pool, (tx) => requestNotification(tx, userId, 'new_case'));
    const first = await claimDigest(db.pool, userId, randomUUID());
    await markDigestFailed(db.pool, first!.digestId, 'ECONNREFUSED', false);
    await withTransaction(db.pool, (tx) => requestNotification(tx, userId, 'deadline_reminder'));
    const retry = await claimDigest(db.pool, userId, randomUUID());
    expect(retry!.digestId).toBe(first!.digestId);
    expect(retry!.kinds).toEqual(['new_case', 'deadline_reminder']);
    await markDigestFailed(db.pool, retry!.digestId, 'ECONNREFUSED', true);
    expect((await listFailedNotifications(db.pool)).map((f) => f.kind).sort()).toEqual(['deadline_reminder', 'new_case']);
    expect(await retryFailedNotifications(db.pool)).toEqual([userId]);
    expect(await listFailedNotifications(db.pool)).toEqual([]);
    const again = await claimDigest(db.pool, userId, randomUUID());
    expect(again!.digestId).not.toBe(first!.digestId);
    await markDigestSent(db.pool, again!.digestId);
  });

  it('when a notification waits longer than the threshold, then the sweep re-requests its person and counts it once per recovery', async () => {
    const other = db.org.investigators[1]!.id;
    await withTransaction(db.pool, (tx) => requestNotification(tx, other, 'new_case'));
    await withTransaction(db.pool, (tx) => requestNotification(tx, other, 'escalation'));
    expect(await requestStaleDigests(db.pool, 3600)).toEqual({ users: 0, notifications: 0 });
    await db.pool.query(`UPDATE notifications SET created_at = now() - interval '10 minutes' WHERE user_id = $1`, [other]);
    const before = await outboxFor(other);
    const counter = await countSweepRecoveredNotifications(db.pool);
    expect(await requestStaleDigests(db.pool, 120)).toEqual({ users: 1, notifications: 2 });
    expect(await outboxFor(other)).toBe(before + 1);
    expect(await countSweepRecoveredNotifications(db.pool)).toBe(counter + 2);
  });
});
