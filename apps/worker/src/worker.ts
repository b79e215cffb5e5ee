import type { Config } from '@sauti/config';
import { createPool, migrate, purgeExpired } from '@sauti/db';
import {
  activityJobSchema,
  createProducerConnection,
  createQueue,
  createWorker,
  createWorkerConnection,
  notifyJobSchema,
  QUEUES,
  triageJobSchema,
  type QueueName,
} from '@sauti/jobs';
import { createLogger, type Logger } from '@sauti/log';
import { UnrecoverableError, type Job, type Queue, type Worker } from 'bullmq';
import nodemailer from 'nodemailer';
import type { z } from 'zod';
import { noteReporterActivity, sendNotification } from './notify';
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
  const common = { prefix: config.QUEUE_PREFIX, concurrency: config.WORKER_CONCURRENCY };
  const workers: Worker[] = [
    createWorker(QUEUES.triage, async (job) => {
      const { caseId } = payload(triageJobSchema, job);
      const outcome = await triageCase(pool, caseId);
      log.info({ jobId: job.id, queue: 'triage', outcome }, 'job done');
      if (outcome === 'missing') throw new UnrecoverableError('case does not exist');
      return outcome;
    }, workerConnection, common),
    createWorker(QUEUES.notify, async (job) => {
      const { notificationId } = payload(notifyJobSchema, job);
      const outcome = await sendNotification({ pool, mailer, from: config.SMTP_FROM, publicUrl: config.PUBLIC_URL }, notificationId);
      log.info({ jobId: job.id, queue: 'notify', outcome }, 'job done');
      return outcome;
    }, workerConnection, common),
    createWorker(QUEUES.activity, async (job) => {
      const { caseId, eventId } = payload(activityJobSchema, job);
      const notified = await noteReporterActivity(pool, caseId, eventId);
      log.info({ jobId: job.id, queue: 'activity', notified }, 'job done');
      return notified;
    }, workerConnection, common),
  ];
  for (const w of workers) {
    w.on('error', (error) => log.warn({ err: { type: error.name, message: error.message } }, 'worker connection problem'));
    w.on('failed', (job, error) =>
      log.warn({ jobId: job?.id, queue: w.name, attemptsMade: job?.attemptsMade, err: { type: error.name, message: error.message } }, 'job failed'),
    );
  }

  const relay = new OutboxRelay({
    pool, databaseUrl: config.DATABASE_URL, queues, log, pollMs: config.OUTBOX_POLL_MS, notifyDelayMaxMs: config.NOTIFY_DELAY_MAX_MS,
  });
  await relay.start();

  const housekeeping = setInterval(() => {
    purgeExpired(pool).catch(() => undefined);
  }, 60_000);
  housekeeping.unref();
  log.info({ concurrency: config.WORKER_CONCURRENCY }, 'worker started');

  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      clearInterval(housekeeping);
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
