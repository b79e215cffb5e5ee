import type { Config } from '@sauti/config';
import { createPool, migrate } from '@sauti/db';
import { createProducerConnection, createQueue, createWorker, createWorkerConnection, QUEUES, type QueueName } from '@sauti/jobs';
import { createLogger, type Logger } from '@sauti/log';
import type { Queue, Worker } from 'bullmq';
import nodemailer from 'nodemailer';
import { createProcessors } from './processors';
import { AuditSealer } from './audit-sealer';
import { OutboxRelay } from './relay';

export type RunningWorker = { stop: () => Promise<void>; relay: OutboxRelay; sealer: AuditSealer };

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
  const processors = createProcessors({
    pool, log, mail: { pool, mailer, from: config.SMTP_FROM, publicUrl: config.PUBLIC_URL },
    staleDigestSeconds: config.STALE_DIGEST_SECONDS, staleTriageSeconds: config.STALE_TRIAGE_SECONDS, auditors: config.AUDIT_AUDITOR_EMAILS ?? [],
  });
  const workers: Worker[] = (Object.values(QUEUES) as QueueName[]).map((name) =>
    // The sweep and the checkpoint e-mails run one job at a time.
    createWorker(name, processors[name], workerConnection, name === QUEUES.maintenance || name === QUEUES.audit ? { ...common, concurrency: 1 } : common),
  );
  for (const w of workers) {
    w.on('error', (error) => log.warn({ err: { type: error.name, message: error.message } }, 'worker connection problem'));
    w.on('failed', (job, error) =>
      // The error's class and code only: an SMTP message can quote an address.
      log.warn({ jobId: job?.id, queue: w.name, attemptsMade: job?.attemptsMade, err: { type: error.name, code: (error as { code?: string }).code } }, 'job failed'),
    );
  }

  const relay = new OutboxRelay({
    pool, databaseUrl: config.DATABASE_URL, queues, log, pollMs: config.OUTBOX_POLL_MS,
    notify: { delayMaxMs: config.NOTIFY_DELAY_MAX_MS, attempts: config.NOTIFY_ATTEMPTS },
  });
  await relay.start();

  const sealer = new AuditSealer({
    pool, databaseUrl: config.DATABASE_URL, log, intervalMs: config.AUDIT_SEAL_INTERVAL_MS, batch: config.AUDIT_SEAL_BATCH,
    checkpointIntervalMs: config.AUDIT_CHECKPOINT_INTERVAL_MS, witnessDir: config.AUDIT_WITNESS_DIR,
    mailAuditors: (config.AUDIT_AUDITOR_EMAILS ?? []).length > 0, signingKeyFile: config.AUDIT_SIGNING_KEY_FILE,
  });
  sealer.start();

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
    // The statistics view the dashboard reads (issue 14): at most this old.
    queues.maintenance
      .upsertJobScheduler('statistics', { every: config.STATISTICS_REFRESH_MS }, { name: 'statistics', opts: { removeOnComplete: 100, removeOnFail: 100, attempts: 1 } })
      .catch((error: Error) => log.warn({ err: { type: error.name } }, 'could not register the statistics refresh schedule yet'));
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
      await sealer.stop();
      // close() waits for jobs in progress to finish.
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all(Object.values(queues).map((q) => q.close()));
      workerConnection.disconnect();
      producer.disconnect();
      mailer.close();
      await pool.end();
      log.info('worker stopped');
    })());
  return { stop, relay, sealer };
}
