import { OUTBOX_CHANNEL, relayOutboxBatch, type Db, type OutboxEvent } from '@sauti/db';
import { jobForOutboxEvent, jobOptionsFor, type NotifySettings, type QueueName } from '@sauti/jobs';
import type { Logger } from '@sauti/log';
import type { JobsOptions, Queue } from 'bullmq';
import { Client } from 'pg';

/**
 * Moves committed outbox events to BullMQ (jobId = event id, so a re-publish is a no-op). Wakes on
 * Postgres NOTIFY and polls as a fallback; while Redis is down it keeps retrying and nothing is
 * lost, because an event leaves the outbox only after BullMQ has taken it.
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private again = false;
  private stopped = false;
  private listener: Client | null = null;
  private failures = 0;

  constructor(
    private readonly deps: { pool: Db; databaseUrl: string; queues: Record<QueueName, Queue>; log: Logger; pollMs: number; notify: NotifySettings },
  ) {}

  async start(): Promise<void> {
    await this.listen();
    this.schedule(0);
  }

  private async listen(): Promise<void> {
    try {
      const client = new Client({ connectionString: this.deps.databaseUrl, application_name: 'sauti-relay' });
      client.on('error', () => {
        this.listener = null;
        if (!this.stopped) setTimeout(() => void this.listen(), 1_000).unref();
      });
      client.on('notification', () => this.schedule(0));
      await client.connect();
      await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
      this.listener = client;
    } catch {
      if (!this.stopped) setTimeout(() => void this.listen(), 1_000).unref();
    }
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), delay);
  }

  /** Publishes until the outbox is empty, then sleeps until NOTIFY or the next poll. */
  async tick(): Promise<number> {
    this.running = true;
    let total = 0;
    try {
      for (;;) {
        this.again = false;
        const n = await relayOutboxBatch(this.deps.pool, (events) => this.publish(events));
        total += n;
        if (n === 0 && !this.again) break;
      }
      this.failures = 0;
    } catch (error) {
      this.failures++;
      if (this.failures === 1 || this.failures % 20 === 0) {
        this.deps.log.warn({ err: { type: (error as Error).name, message: (error as Error).message }, failures: this.failures }, 'outbox relay cannot publish yet; will retry');
      }
    } finally {
      this.running = false;
    }
    const backoff = this.failures > 0 ? Math.min(5_000, 200 * 2 ** Math.min(this.failures, 5)) : this.deps.pollMs;
    this.schedule(this.again ? 0 : backoff);
    return total;
  }

  private async publish(events: OutboxEvent[]): Promise<void> {
    const byQueue = new Map<QueueName, { name: string; data: object; opts: JobsOptions }[]>();
    for (const event of events) {
      const job = jobForOutboxEvent(event);
      if (!job) {
        this.deps.log.warn({ eventId: event.id, topic: event.topic }, 'outbox event with no job; marking published');
        continue;
      }
      const list = byQueue.get(job.queue) ?? [];
      const opts = jobOptionsFor(event.id, job, this.deps.notify);
      list.push({ name: event.topic, data: job.data, opts });
      byQueue.set(job.queue, list);
    }
    for (const [queue, jobs] of byQueue) await this.deps.queues[queue].addBulk(jobs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    while (this.running) await new Promise((r) => setTimeout(r, 20));
    await this.listener?.end().catch(() => undefined);
  }
}
