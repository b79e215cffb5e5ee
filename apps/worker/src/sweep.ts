import { randomUUID } from 'node:crypto';
import {
  appendAudit,
  claimDueDeadlineAlerts,
  deleteCase,
  enqueueOutbox,
  findSupervisorFor,
  listStaleUntriagedCases,
  lockCasesToPurge,
  purgeAbandonedFileUploads,
  purgeExpired,
  purgeExpiredSurveyInvitationMails,
  requestNotification,
  requestStaleDigests,
  withTransaction,
  type Db,
} from '@sauti/db';

export type SweepCounts = { reminders: number; escalations: number; purged: number; staleDigests: number; recoveredNotifications: number; staleTriages: number; expired: number };

/**
 * The periodic sweep (a BullMQ job scheduler, so it survives restarts and runs on one worker at a
 * time): deadline reminders and escalations, retention purge, and a safety net that re-requests
 * digests for notifications a lost job left pending. Postgres is the source of truth for all of it,
 * so a Redis that lost its data loses no deadline.
 */
export async function runSweep(pool: Db, options: { staleDigestSeconds: number; staleTriageSeconds?: number }): Promise<SweepCounts> {
  const counts: SweepCounts = { reminders: 0, escalations: 0, purged: 0, staleDigests: 0, recoveredNotifications: 0, staleTriages: 0, expired: 0 };

  await withTransaction(pool, async (tx) => {
    for (const alert of await claimDueDeadlineAlerts(tx)) {
      const details = { kind: alert.kind, dueAt: alert.dueAt.toISOString() };
      if (alert.stage === 'reminder') {
        if (alert.assigneeId) await requestNotification(tx, alert.assigneeId, 'deadline_reminder');
        await appendAudit(tx, { actorType: 'system', action: 'case.deadline_reminder', caseId: alert.caseId, details: { ...details, assigneeId: alert.assigneeId } });
        counts.reminders++;
      } else {
        const supervisor = await findSupervisorFor(tx, alert);
        if (supervisor) await requestNotification(tx, supervisor, 'deadline_passed');
        if (alert.assigneeId && alert.assigneeId !== supervisor) await requestNotification(tx, alert.assigneeId, 'deadline_passed');
        await appendAudit(tx, { actorType: 'system', action: 'case.deadline_passed', caseId: alert.caseId, details: { ...details, escalatedTo: supervisor } });
        counts.escalations++;
      }
    }
  });

  await withTransaction(pool, async (tx) => {
    for (const c of await lockCasesToPurge(tx)) {
      await deleteCase(tx, c.id);
      await appendAudit(tx, { actorType: 'system', action: 'case.purged', caseId: c.id, details: { contextId: c.contextId, reason: 'retention period over' } });
      counts.purged++;
    }
  });

  for (const caseId of await listStaleUntriagedCases(pool, options.staleTriageSeconds ?? 300)) {
    await enqueueOutbox(pool, { id: randomUUID(), topic: 'case.received', aggregateId: caseId });
    counts.staleTriages++;
  }

  // Normally empty: a request that arrives while its person's digest job runs gets a follow-up job
  // (packages/jobs, notifyJobOptions). A non-zero count means the first line missed one.
  const stale = await requestStaleDigests(pool, options.staleDigestSeconds);
  counts.staleDigests = stale.users;
  counts.recoveredNotifications = stale.notifications;

  const expired = await purgeExpired(pool);
  const uploads = await purgeAbandonedFileUploads(pool);
  // Survey invitations still unsent after their days: the address and the code are forgotten.
  const invitations = await purgeExpiredSurveyInvitationMails(pool);
  counts.expired = expired.challenges + expired.sessions + uploads.blobs + uploads.registrations + invitations;
  return counts;
}
