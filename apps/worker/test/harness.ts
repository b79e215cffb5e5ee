import { randomBytes } from 'node:crypto';
import { ready } from '@sauti/crypto';
import { createPool, type Db } from '@sauti/db';
import { createProducerConnection, createQueue, createWorker, createWorkerConnection, QUEUES, type QueueName } from '@sauti/jobs';
import type { Queue, Worker } from 'bullmq';
import nodemailer, { type Transporter } from 'nodemailer';
import { createTestDatabase } from '../../../test/helpers/database';
import { REDIS_URL } from '../../../test/helpers/env';
import { captureLogs } from '../../../test/helpers/log-capture';
import { startSmtpSink, type CapturedMail } from '../../../test/helpers/smtp-sink';
import { createProcessors } from '../src/processors';
import { OutboxRelay } from '../src/relay';

export const PUBLIC_URL = 'https://sauti.test';
export const FROM = 'Sauti <no-reply@sauti.invalid>';

/**
 * The worker's processors against real services, without the process around them: a database of
 * the test's own, a BullMQ prefix of its own on the machine's Redis, a real SMTP sink, and the
 * outbox relay. Only the queues a test names get a worker; the sweep runs only when a test calls it.
 */
export type WorkerHarness = {
  pool: Db;
  mail: CapturedMail[];
  mailer: Transporter;
  queues: Record<QueueName, Queue>;
  logs: string[];
  /** Stops the outbox relay (events wait in the outbox) / starts a new one. */
  pauseRelay: () => Promise<void>;
  resumeRelay: () => Promise<void>;
  /** Holds every e-mail before it leaves, until the returned release is called; `entered` resolves when one is held. */
  holdMail: () => { entered: Promise<void>; release: () => void };
  run: (...names: QueueName[]) => Worker[];
  stop: () => Promise<void>;
};

export async function startHarness(options: { notifyAttempts?: number; relay?: boolean } = {}): Promise<WorkerHarness> {
  await ready(); // the fixtures make real key pairs
  const database = await createTestDatabase();
  const pool = createPool(database.url);
  const smtp = await startSmtpSink();
  const mailer = nodemailer.createTransport(smtp.url);
  let gate: { enter: () => void; released: Promise<void> } | null = null;
  // A nodemailer plugin: the real transport, paused before sending while a test holds it.
  mailer.use('compile', (_mail, callback) => {
    if (!gate) return callback();
    gate.enter();
    void gate.released.then(() => callback());
  });
  const prefix = `sauti-wt-${randomBytes(4).toString('hex')}`;
  const producer = createProducerConnection(REDIS_URL);
  const connection = createWorkerConnection(REDIS_URL);
  const queues = Object.fromEntries(Object.values(QUEUES).map((q) => [q, createQueue(q, producer, prefix)])) as Record<QueueName, Queue>;
  const { log, lines } = captureLogs('worker');
  const processors = createProcessors({ pool, log, mail: { pool, mailer, from: FROM, publicUrl: PUBLIC_URL }, staleDigestSeconds: 120, staleTriageSeconds: 300 });
  const newRelay = () => new OutboxRelay({ pool, databaseUrl: database.url, queues, log, pollMs: 100, notify: { delayMaxMs: 0, attempts: options.notifyAttempts ?? 3 } });
  let relay: OutboxRelay | null = null;
  const resumeRelay = async () => {
    relay = newRelay();
    await relay.start();
  };
  const pauseRelay = async () => {
    await relay?.stop();
    relay = null;
  };
  if (options.relay !== false) await resumeRelay();
  const workers: Worker[] = [];
  return {
    pool, mail: smtp.messages, mailer, queues, logs: lines, pauseRelay, resumeRelay,
    holdMail: () => {
      let enter!: () => void;
      let release!: () => void;
      const entered = new Promise<void>((r) => (enter = r));
      const released = new Promise<void>((r) => (release = r));
      gate = { enter, released };
      return {
        entered,
        release: () => {
          gate = null;
          release();
        },
      };
    },
    run: (...names) => {
      const started = names.map((name) => createWorker(name, processors[name], connection, { prefix, concurrency: 2 }));
      workers.push(...started);
      return started;
    },
    stop: async () => {
      await pauseRelay();
      await Promise.all(workers.map((w) => w.close()));
      for (const q of Object.values(queues)) {
        await q.obliterate({ force: true }).catch(() => undefined);
        await q.close();
      }
      connection.disconnect();
      producer.disconnect();
      mailer.close();
      await pool.end();
      await smtp.close();
      await database.drop();
    },
  };
}
