import { randomUUID } from 'node:crypto';
import { appendAudit, enqueueOutbox, listFailedNotifications, retryFailedNotifications, withTransaction, type Db, type FailedNotificationRecord } from '@sauti/db';

/** Notifications that finally failed (content-free: who and when, never what). */
export async function listFailed(pool: Db): Promise<FailedNotificationRecord[]> {
  return listFailedNotifications(pool);
}

/** Failed notifications go back to pending; a digest request per person goes through the outbox. */
export async function retryNotifications(pool: Db, actorId: string): Promise<{ people: number }> {
  return withTransaction(pool, async (tx) => {
    const users = await retryFailedNotifications(tx);
    for (const userId of users) {
      await enqueueOutbox(tx, { id: randomUUID(), topic: 'notification.requested', aggregateId: randomUUID(), payload: { userId } });
    }
    await appendAudit(tx, { actorType: 'staff', actorId, action: 'admin.notifications_retried', details: { people: users.length } });
    return { people: users.length };
  });
}
