import type { Config } from '@sauti/config';
import { createPool, migrate } from '@sauti/db';
import {
  activityJobSchema,
  createProducerConnection,
  createQueue,
  createWorker,
  createWorkerConnection,
  notifyJobSchema,
  inviteJobSchema,
  QUEUES,
  triageJobSchema,
  type QueueName,
} from '@sauti/jobs';
import { createLogger, type Logger } from '@sauti/log';
import { UnrecoverableError, type Job, type Queue, type Worker } from 'bullmq';
import nodemailer from 'nodemailer';
import type { z } from 'zod';
import { noteReporterActivity, recordDigestFailure, sendDigest } from './notify';
import { runSweep } from './sweep';
import { sendInvite } from './invite';
import { OutboxRelay } from './relay';
import { triageCase } from './triage';

export type RunningWorker = { stop: () => Promise<void>; relay: OutboxRelay };

/** A payload that does not parse will never parse: fail it for good instead of retrying. */
function payload<S extends z.ZodType>(schema: S, job: Job): z.infer<S> {
  const parsed = schema.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`job ${job.id} has an invalid payload`);
  return parsed.data;
}

export async function startWorker(config: Config, options: { log?: Logger } = {}): Promise<RunningWorker> {
  const log = options.log ?? createLogger({ name: 'worker', level: config.LOG_LEVEL });
  const pool = createPool(config.DATABASE_URL);
  await migrate(pool);
  const mailer = nodemailer.createTransport(config.SMTP_URL, { from: config.SMTP_FROM });

  const producer = createProducerConnection(config.REDIS_URL);
  const queues = Object.fromEntries(
    Object.values(QUEUES).map((name) => [name, createQueue(name, producer, config.QUEUE_PREFIX)]),
  ) as Record<QueueName, Queue>;

  const workerConnection = createWorkerConnection(config.REDIS_URL);
  const common = {
    prefix: config.QUEUE_PREFIX,
    concurrency: config.WORKER_CONCURRENCY,
    // A worker killed mid-job: its lock lapses and another worker redoes the (idempotent) job.
    lockDuration: config.WORKER_LOCK_MS,
    stalledInterval: config.WORKER_LOCK_MS,
  };
  const workers: Worker[] = [
    createWorker(QUEUES.triage, async (job) => {
      const { caseId } = payload(triageJobSchema, job);
      const outcome = await triageCase(pool, caseId);
      log.info({ jobId: job.id, queue: 'triage', outcome }, 'job done');
      if (outcome === 'missing') throw new UnrecoverableError('case does not exist');
      return outcome;
    }, workerConnection, common),
    createWorker(QUEUES.notify, async (job) => {
      const { userId } = payload(notifyJobSchema, job);
      const final = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      let sent = 0;
      try {
        // Loop: requests that arrived while this job ran could not join it (same job id), so send them too.
        for (let round = 0; round < 5; round++) {
          const result = await sendDigest({ pool, mailer, from: config.SMTP_FROM, publicUrl: config.PUBLIC_URL }, userId);
          if (result.outcome === 'nothing_pending') break;
          sent++;
        }
      } catch (error) {
        await recordDigestFailure(pool, error, final);
        throw error;
      }
      log.info({ jobId: job.id, queue: 'notify', digests: sent }, 'job done');
      return sent;
    }, workerConnection, common),
    createWorker(QUEUES.activity, async (job) => {
      const { caseId, eventId } = payload(activityJobSchema, job);
      const notified = await noteReporterActivity(pool, caseId, eventId);
      log.info({ jobId: job.id, queue: 'activity', notified }, 'job done');
      return notified;
    }, workerConnection, common),
    createWorker(QUEUES.maintenance, async (job) => {
      const counts = await runSweep(pool, { staleDigestSeconds: config.STALE_DIGEST_SECONDS, staleTriageSeconds: config.STALE_TRIAGE_SECONDS });
      log.info({ jobId: job.id, queue: 'maintenance', ...counts }, 'sweep done');
      return counts;
    }, workerConnection, { ...common, concurrency: 1 }),
    createWorker(QUEUES.invite, async (job) => {
      const { inviteId } = payload(inviteJobSchema, job);
      const outcome = await sendInvite({ pool, mailer, from: config.SMTP_FROM, publicUrl: config.PUBLIC_URL }, inviteId);
      log.info({ jobId: job.id, queue: 'invite', outcome }, 'job done');
      return outcome;
    }, workerConnection, common),
  ];
  for (const w of workers) {
    w.on('error', (error) => log.warn({ err: { type: error.name, message: error.message } }, 'worker connection problem'));
    w.on('failed', (job, error) =>
      // The error's class and code only: an SMTP message can quote an address.
      log.warn({ jobId: job?.id, queue: w.name, attemptsMade: job?.attemptsMade, err: { type: error.name, code: (error as { code?: string }).code } }, 'job failed'),
    );
  }

  const relay = new OutboxRelay({
    pool, databaseUrl: config.DATABASE_URL, queues, log, pollMs: config.OUTBOX_POLL_MS,
    notifyDelayMaxMs: config.NOTIFY_DELAY_MAX_MS, notifyAttempts: config.NOTIFY_ATTEMPTS,
  });
  await relay.start();

  // One scheduler for all workers: BullMQ keeps it in Redis and creates one job per interval. If
  // Redis is down at start, the next worker start (or the relay's recovery) registers it again.
  let scheduleRetry: NodeJS.Timeout | null = null;
  const registerSweep = (): void => {
    queues.maintenance
      .upsertJobScheduler('sweep', { every: config.SWEEP_INTERVAL_MS }, { name: 'sweep', opts: { removeOnComplete: 100, removeOnFail: 100, attempts: 1 } })
      .catch((error: Error) => {
        log.warn({ err: { type: error.name } }, 'could not register the sweep schedule yet; retrying');
        scheduleRetry = setTimeout(registerSweep, 5_000);
        scheduleRetry.unref();
      });
  };
  registerSweep();
  // A Redis that restarted empty has forgotten the scheduler: register it again on every reconnect.
  producer.on('ready', registerSweep);
  log.info({ concurrency: config.WORKER_CONCURRENCY }, 'worker started');

  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      if (scheduleRetry) clearTimeout(scheduleRetry);
      await relay.stop();
      // close() waits for jobs in progress to finish.
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all(Object.values(queues).map((q) => q.close()));
      workerConnection.disconnect();
      producer.disconnect();
      mailer.close();
      await pool.end();
      log.info('worker stopped');
    })());
  return { stop, relay };
}
