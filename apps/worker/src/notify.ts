import { randomUUID } from 'node:crypto';
import { createNotification, enqueueOutbox, findCaseAssignee, getNotification, markNotificationFailed, markNotificationSent, withTransaction, type Db } from '@sauti/db';
import { UnrecoverableError } from 'bullmq';
import type { Transporter } from 'nodemailer';

/**
 * Content-free by design: no category, reference, content or time of submission, so that a
 * mailbox, a mail server or a screen over a shoulder learns nothing but "log in".
 */
export function notificationText(kind: string, publicUrl: string): { subject: string; text: string } {
  const signIn = `Sign in to Sauti to read it: ${new URL('/staff', publicUrl).toString()}`;
  if (kind === 'case_activity') {
    return { subject: 'Sauti: there is activity in your cases', text: `There is new activity in a case you handle.\n\n${signIn}\n` };
  }
  return { subject: 'Sauti: a new case awaits you', text: `A new case awaits you.\n\n${signIn}\n` };
}

export type SendOutcome = 'sent' | 'already_sent' | 'recipient_inactive';

export async function sendNotification(
  deps: { pool: Db; mailer: Transporter; from: string; publicUrl: string },
  notificationId: string,
): Promise<SendOutcome> {
  const n = await getNotification(deps.pool, notificationId);
  if (!n) throw new UnrecoverableError('notification does not exist');
  if (n.sentAt) return 'already_sent';
  if (n.status !== 'active') return 'recipient_inactive';
  const { subject, text } = notificationText(n.kind, deps.publicUrl);
  try {
    await deps.mailer.sendMail({ from: deps.from, to: n.email, subject, text });
  } catch (error) {
    await markNotificationFailed(deps.pool, n.id, (error as { code?: string }).code ?? (error as Error).name);
    throw error;
  }
  await markNotificationSent(deps.pool, n.id);
  return 'sent';
}

/** A reporter wrote: tell the assignee, without saying which case or what. */
export async function noteReporterActivity(pool: Db, caseId: string, eventId: string): Promise<boolean> {
  const assignee = await findCaseAssignee(pool, caseId);
  if (!assignee) return false;
  await withTransaction(pool, async (tx) => {
    // Notification id = event id: a redelivered event creates no second notification.
    if (!(await createNotification(tx, { id: eventId, userId: assignee, kind: 'case_activity' }))) return;
    await enqueueOutbox(tx, { id: randomUUID(), topic: 'notification.requested', aggregateId: eventId });
  });
  return true;
}
