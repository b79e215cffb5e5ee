import { refreshStatistics, type Db } from '@sauti/db';
import { activityJobSchema, auditCheckpointJobSchema, inviteJobSchema, notifyJobSchema, surveyInvitationJobSchema, triageJobSchema, type QueueName } from '@sauti/jobs';
import type { Logger } from '@sauti/log';
import { UnrecoverableError, type Job, type Processor } from 'bullmq';
import type { z } from 'zod';
import { noteReporterActivity } from './activity';
import { recordDigestFailure, sendDigest } from './mail/digest';
import { sendCheckpointMail } from './mail/audit-checkpoint';
import { sendInvite } from './mail/invite';
import { sendSurveyInvitation } from './mail/survey-invitation';
import type { MailDeps } from './mail/mailer';
import { runSweep } from './sweep';
import { triageCase } from './triage';

/** A payload that does not parse will never parse: fail it for good instead of retrying. */
function payload<S extends z.ZodType>(schema: S, job: Job): z.infer<S> {
  const parsed = schema.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`job ${job.id} has an invalid payload`);
  return parsed.data;
}

export type ProcessorDeps = {
  pool: Db; mail: MailDeps; log: Logger; staleDigestSeconds: number; staleTriageSeconds: number;
  /** Who receives each signed audit checkpoint (AUDIT_AUDITOR_EMAILS). */
  auditors?: string[];
};

/** One processor per queue; worker.ts runs them, the medium tests run them against a queue of their own. */
export function createProcessors(deps: ProcessorDeps): Record<QueueName, Processor> {
  const { pool, log } = deps;
  return {
    triage: async (job) => {
      const { caseId } = payload(triageJobSchema, job);
      const outcome = await triageCase(pool, caseId);
      log.info({ jobId: job.id, queue: 'triage', outcome }, 'job done');
      if (outcome === 'missing') throw new UnrecoverableError('case does not exist');
      return outcome;
    },
    // One digest e-mail per job. Requests arriving while it runs get a follow-up job from BullMQ.
    notify: async (job) => {
      const { userId } = payload(notifyJobSchema, job);
      const final = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      try {
        const result = await sendDigest(deps.mail, userId);
        log.info({ jobId: job.id, queue: 'notify', outcome: result.outcome, notifications: result.notifications ?? 0 }, 'job done');
        return result.outcome;
      } catch (error) {
        await recordDigestFailure(pool, error, final);
        throw error;
      }
    },
    activity: async (job) => {
      const { caseId, eventId } = payload(activityJobSchema, job);
      const notified = await noteReporterActivity(pool, caseId, eventId);
      log.info({ jobId: job.id, queue: 'activity', notified }, 'job done');
      return notified;
    },
    maintenance: async (job) => {
      if (job.name === 'statistics') {
        const started = Date.now();
        await refreshStatistics(pool);
        log.info({ jobId: job.id, queue: 'maintenance', ms: Date.now() - started }, 'statistics refreshed');
        return { refreshed: true };
      }
      const counts = await runSweep(pool, { staleDigestSeconds: deps.staleDigestSeconds, staleTriageSeconds: deps.staleTriageSeconds });
      // A recovered notification means a digest job missed it: worth a warning, not only a count.
      if (counts.recoveredNotifications > 0) log.warn({ jobId: job.id, recoveredNotifications: counts.recoveredNotifications }, 'sweep re-requested stale notifications');
      log.info({ jobId: job.id, queue: 'maintenance', ...counts }, 'sweep done');
      return counts;
    },
    invite: async (job) => {
      // Survey invitations share the queue (and its retries) with staff invitations.
      if (job.data && typeof job.data === 'object' && 'surveyInvitationId' in job.data) {
        const { surveyInvitationId } = payload(surveyInvitationJobSchema, job);
        const outcome = await sendSurveyInvitation(deps.mail, surveyInvitationId);
        log.info({ jobId: job.id, queue: 'invite', kind: 'survey', outcome }, 'job done');
        return outcome;
      }
      const { inviteId } = payload(inviteJobSchema, job);
      const outcome = await sendInvite(deps.mail, inviteId);
      log.info({ jobId: job.id, queue: 'invite', outcome }, 'job done');
      return outcome;
    },
    audit: async (job) => {
      const { checkpointId } = payload(auditCheckpointJobSchema, job);
      const outcome = await sendCheckpointMail(deps.mail, deps.auditors ?? [], checkpointId);
      log.info({ jobId: job.id, queue: 'audit', outcome }, 'job done');
      return outcome;
    },
  };
}
