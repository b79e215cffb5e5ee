import { randomUUID } from 'node:crypto';
import { createNotification, enqueueOutbox, type Queryable } from '@sauti/db';

/** Asks, inside the caller's transaction, for a (digested, content-free) e-mail to a person. */
export async function requestNotification(tx: Queryable, userId: string, kind: string, id: string = randomUUID()): Promise<void> {
  if (!(await createNotification(tx, { id, userId, kind }))) return;
  await enqueueOutbox(tx, { id: randomUUID(), topic: 'notification.requested', aggregateId: id, payload: { userId } });
}
