import { findCaseAssignee, requestNotification, withTransaction, type Db } from '@sauti/db';

/** A reporter wrote: tell the assignee, without saying which case or what. */
export async function noteReporterActivity(pool: Db, caseId: string, eventId: string): Promise<boolean> {
  const assignee = await findCaseAssignee(pool, caseId);
  if (!assignee) return false;
  // Notification id = event id: a redelivered event creates no second notification.
  await withTransaction(pool, (tx) => requestNotification(tx, assignee, 'case_activity', eventId));
  return true;
}
