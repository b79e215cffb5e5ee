import { fail, ok, type Result } from '@sauti/core';
import { createQueue, QUEUES, type QueueName } from '@sauti/jobs';
import type { Job, Queue } from 'bullmq';
import type IORedis from 'ioredis';

const QUEUE_UNAVAILABLE = 'The job queue (Redis) cannot be reached right now; reports are still accepted and wait in the outbox. Try again shortly.';

export type QueueCountsRow = { name: QueueName; counts: Record<string, number> };

/** Queue health for admins: depths, failed jobs (ids and reasons only: jobs carry no content), retry. */
export class QueueAdmin {
  private readonly queues = new Map<QueueName, Queue>();

  constructor(
    private readonly redis: IORedis,
    private readonly prefix: string,
  ) {}

  async counts(): Promise<Result<QueueCountsRow[]>> {
    return this.withRedis(async () =>
      ok(await Promise.all(Object.values(QUEUES).map(async (name) => ({ name, counts: await this.queue(name).getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed') })))),
    );
  }

  async failed(name: string): Promise<Result<Job[]>> {
    return this.withRedis(async () => {
      const key = this.known(name);
      return key ? ok(await this.queue(key).getFailed(0, 99)) : noQueue(name);
    });
  }

  async retry(name: string, jobId: string): Promise<Result<{ retried: true }>> {
    return this.withRedis(async () => {
      const key = this.known(name);
      if (!key) return noQueue(name);
      const job = await this.queue(key).getJob(jobId);
      if (!job) return fail('not_found', 'There is no such job (it may have been retried or removed already).');
      if (!(await job.isFailed())) return fail('conflict', 'Only a failed job can be retried.');
      await job.retry();
      return ok({ retried: true as const });
    });
  }

  private known(name: string): QueueName | null {
    return (Object.values(QUEUES) as string[]).includes(name) ? (name as QueueName) : null;
  }

  private queue(name: QueueName): Queue {
    if (!this.queues.has(name)) this.queues.set(name, createQueue(name, this.redis, this.prefix));
    return this.queues.get(name)!;
  }

  private async withRedis<T>(fn: () => Promise<Result<T>>): Promise<Result<T>> {
    if (this.redis.status !== 'ready') return fail('unavailable', QUEUE_UNAVAILABLE);
    try {
      return await fn();
    } catch {
      return fail('unavailable', QUEUE_UNAVAILABLE);
    }
  }
}

const noQueue = (name: string) => fail<never>('not_found', `There is no queue named "${name}".`);
