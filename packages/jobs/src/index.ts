import { Queue, Worker, type Job, type JobsOptions, type Processor, type WorkerOptions } from 'bullmq';
import IORedis, { type RedisOptions } from 'ioredis';
import { z } from 'zod';

/** Queue names. Jobs carry ids only — BullMQ stores job data in Redis in clear text. */
export const QUEUES = { triage: 'triage', notify: 'notify', activity: 'activity', invite: 'invite', maintenance: 'maintenance', audit: 'audit' } as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export const triageJobSchema = z.strictObject({ eventId: z.uuid(), caseId: z.uuid() });
/** A per-person digest of pending notifications; one job id per person, so requests coalesce. */
export const notifyJobSchema = z.strictObject({ userId: z.uuid() });
export const activityJobSchema = z.strictObject({ eventId: z.uuid(), caseId: z.uuid() });
export type TriageJob = z.infer<typeof triageJobSchema>;
export type NotifyJob = z.infer<typeof notifyJobSchema>;
export type ActivityJob = z.infer<typeof activityJobSchema>;
/** A staff invitation to e-mail; the worker recomputes the link's token from the invite id. */
export const inviteJobSchema = z.strictObject({ inviteId: z.uuid() });
export type InviteJob = z.infer<typeof inviteJobSchema>;
/** A survey invitation to e-mail (invite queue); the address and code stay in Postgres until sent. */
export const surveyInvitationJobSchema = z.strictObject({ surveyInvitationId: z.uuid() });
export type SurveyInvitationJob = z.infer<typeof surveyInvitationJobSchema>;
/** A signed audit checkpoint to e-mail to the configured auditors. */
export const auditCheckpointJobSchema = z.strictObject({ checkpointId: z.uuid() });
export type AuditCheckpointJob = z.infer<typeof auditCheckpointJobSchema>;

/**
 * The deduplication id of a person's digest. While a digest job waits (delayed), further requests
 * join it; while it runs, BullMQ keeps the last request and starts one follow-up digest when the
 * running one finishes (keepLastIfActive), so that a request arriving after the running job claimed
 * its notifications is sent without waiting for the sweep.
 */
export const digestJobId = (userId: string) => `digest-${userId}`;

export type OutboxJob = { queue: QueueName; data: TriageJob | NotifyJob | ActivityJob | InviteJob | SurveyInvitationJob | AuditCheckpointJob; deduplicationId?: string };

/** Outbox topic → the queue and job payload that carries it. */
export function jobForOutboxEvent(event: { id: string; topic: string; aggregateId: string; payload: Record<string, unknown> }): OutboxJob | null {
  switch (event.topic) {
    case 'case.received':
      return { queue: QUEUES.triage, data: { eventId: event.id, caseId: event.aggregateId } };
    case 'notification.requested': {
      const userId = event.payload.userId;
      if (typeof userId !== 'string') return null;
      return { queue: QUEUES.notify, data: { userId }, deduplicationId: digestJobId(userId) };
    }
    case 'case.reporter_message':
      return { queue: QUEUES.activity, data: { eventId: event.id, caseId: event.aggregateId } };
    case 'staff.invite':
      return { queue: QUEUES.invite, data: { inviteId: event.aggregateId } };
    case 'survey.invitation':
      return { queue: QUEUES.invite, data: { surveyInvitationId: event.aggregateId } };
    case 'audit.checkpoint':
      return { queue: QUEUES.audit, data: { checkpointId: event.aggregateId } };
    default:
      return null;
  }
}

export type NotifySettings = { delayMaxMs: number; attempts: number };

/**
 * A digest job: a random delay so that an e-mail's time does not reveal when a report was
 * submitted — uniform in [max/2, max], so there is always a window in which requests join the
 * digest (one e-mail per person per window) — and removal when done, so that the next request
 * starts a new digest. A follow-up digest created on completion gets the same kind of delay.
 */
export function notifyJobOptions(deduplicationId: string, settings: NotifySettings, random: () => number = Math.random): JobsOptions {
  return {
    deduplication: { id: deduplicationId, keepLastIfActive: true },
    delay: settings.delayMaxMs > 0 ? Math.floor(((1 + random()) * settings.delayMaxMs) / 2) : 0,
    removeOnComplete: true,
    removeOnFail: true,
    attempts: settings.attempts,
  };
}

/** How the relay adds an outbox event's job: jobId = event id (a re-publish is a no-op), digest options for notify. */
export function jobOptionsFor(eventId: string, job: OutboxJob, notify: NotifySettings): JobsOptions {
  if (job.queue === QUEUES.notify && job.deduplicationId) return { jobId: eventId, ...notifyJobOptions(job.deduplicationId, notify) };
  return { jobId: eventId };
}

/** Retries with exponential backoff; BullMQ adds no jitter, so the worker's backoffStrategy does. */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'jittered' },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

/** Exponential from 1 s, capped at 5 minutes, with full jitter so retries do not arrive in step. */
export function jitteredBackoff(attemptsMade: number, random: () => number = Math.random): number {
  const ceiling = Math.min(300_000, 1_000 * 2 ** Math.max(0, attemptsMade - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

function redisOptions(url: string, extra: RedisOptions): { url: string; options: RedisOptions } {
  return { url, options: { lazyConnect: false, ...extra } };
}

/** Producer connection: fails fast instead of queueing commands while Redis is away. */
export function createProducerConnection(url: string): IORedis {
  const { options } = redisOptions(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  const redis = new IORedis(url, options);
  redis.on('error', () => undefined);
  return redis;
}

/** Worker connection: BullMQ requires maxRetriesPerRequest null for blocking commands. */
export function createWorkerConnection(url: string): IORedis {
  const { options } = redisOptions(url, { maxRetriesPerRequest: null });
  const redis = new IORedis(url, options);
  redis.on('error', () => undefined);
  return redis;
}

export function createQueue(name: QueueName, connection: IORedis, prefix: string): Queue {
  const queue = new Queue(name, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS });
  queue.on('error', () => undefined);
  return queue;
}

export function createWorker<T>(
  name: QueueName,
  processor: Processor<T>,
  connection: IORedis,
  options: { prefix: string; concurrency?: number } & Partial<WorkerOptions>,
): Worker<T> {
  const { prefix, concurrency, ...rest } = options;
  return new Worker<T>(name, processor, {
    connection,
    prefix,
    concurrency: concurrency ?? 4,
    settings: { backoffStrategy: (attemptsMade: number) => jitteredBackoff(attemptsMade) },
    ...rest,
  });
}

export type { Job };

/**
 * Redis's maxmemory-policy, read with CONFIG GET on a short-lived connection of its own; throws when
 * Redis cannot be reached or refuses CONFIG (as managed services often do).
 */
export async function redisEvictionPolicy(url: string, timeoutMs = 5_000): Promise<string> {
  const redis = new IORedis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: timeoutMs });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    const answer = (await redis.call('CONFIG', 'GET', 'maxmemory-policy')) as string[];
    if (answer[1] === undefined) throw new Error('CONFIG GET maxmemory-policy gave no answer');
    return answer[1];
  } finally {
    redis.disconnect();
  }
}

/**
 * Logs a warning at boot unless Redis will never evict a key: with any other policy, memory pressure
 * silently deletes queued jobs (docs/operations.md, "Redis"). Never throws.
 */
export async function warnUnlessNoEviction(url: string, log: { warn: (obj: object, msg: string) => void; info: (obj: object, msg: string) => void }): Promise<void> {
  try {
    const policy = await redisEvictionPolicy(url);
    if (policy === 'noeviction') log.info({ maxmemoryPolicy: policy }, 'Redis maxmemory-policy is noeviction: queued jobs are never evicted.');
    else {
      log.warn({ maxmemoryPolicy: policy }, `Redis maxmemory-policy is ${policy}: under memory pressure Redis may delete queued jobs. Set maxmemory-policy noeviction (docs/operations.md, "Redis").`);
    }
  } catch (error) {
    log.warn({ reason: (error as Error).message }, 'Could not check Redis maxmemory-policy (CONFIG GET refused or Redis unreachable): make sure it is noeviction (docs/operations.md, "Redis").');
  }
}
