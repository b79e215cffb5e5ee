import { randomUUID } from 'node:crypto';
import { acknowledgementDueAt, chooseAssignee } from '@sauti/core';
import {
  appendAudit,
  assignCase,
  createNotification,
  enqueueOutbox,
  listAssignmentCandidates,
  lockCaseForTriage,
  markUntriageable,
  withTransaction,
  type Db,
} from '@sauti/db';

export type TriageOutcome = 'assigned' | 'already_triaged' | 'nobody_eligible' | 'missing';

/**
 * Assigns a received case to the least-loaded eligible recipient, sets the acknowledgement
 * deadline, audits, and asks for one notification — in one transaction, under a row lock, so a
 * redelivered or concurrent job changes nothing the second time.
 */
export async function triageCase(pool: Db, caseId: string): Promise<TriageOutcome> {
  return withTransaction(pool, async (tx) => {
    const c = await lockCaseForTriage(tx, caseId);
    if (!c) return 'missing';
    if (c.assigneeId) return 'already_triaged';
    const dueAt = acknowledgementDueAt(c.receivedAt, { acknowledgeDays: c.acknowledgeDays, feedbackDays: 90 });
    const decision = chooseAssignee(await listAssignmentCandidates(tx, c));
    if (decision.kind === 'nobody_eligible') {
      await markUntriageable(tx, { caseId, acknowledgeDueAt: dueAt });
      await appendAudit(tx, { actorType: 'system', action: 'case.unassigned', caseId, details: { reason: decision.reason } });
      return 'nobody_eligible';
    }
    await assignCase(tx, { caseId, userId: decision.userId, acknowledgeDueAt: dueAt });
    await appendAudit(tx, {
      actorType: 'system', action: 'case.assigned', caseId, details: { assigneeId: decision.userId, reason: decision.reason },
    });
    const notificationId = randomUUID();
    await createNotification(tx, { id: notificationId, userId: decision.userId, kind: 'new_case' });
    await enqueueOutbox(tx, { id: randomUUID(), topic: 'notification.requested', aggregateId: notificationId });
    return 'assigned';
  });
}
