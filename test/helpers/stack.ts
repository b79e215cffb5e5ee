import { randomBytes } from 'node:crypto';
import { loadConfig, type Config } from '../../packages/config/src';
import { createPool, type Db } from '../../packages/db/src';
import { startServer, type RunningServer } from '../../apps/api/src/server';
import { startWorker, type RunningWorker } from '../../apps/worker/src/worker';
import { createTestDatabase } from './database';
import { REDIS_URL, TEST_INTAKE_LIMITS } from './env';
import { captureLogs } from './log-capture';
import { startSmtpSink, type CapturedMail } from './smtp-sink';

export type TestStack = {
  config: Config;
  pool: Db;
  api: RunningServer;
  worker: RunningWorker | null;
  mail: CapturedMail[];
  /** Makes the SMTP sink refuse (550) or accept messages. */
  setSmtpRejecting: (reject: boolean) => void;
  apiLogs: string[];
  workerLogs: string[];
  startWorker: () => Promise<RunningWorker>;
  stop: () => Promise<void>;
};

/**
 * The real platform for one test file: its own Postgres database, its own BullMQ prefix on the
 * machine's Redis, a real SMTP sink, the api on an ephemeral port and (optionally) a worker.
 */
export async function startStack(
  options: { env?: Record<string, string>; worker?: boolean; mapDatabaseUrl?: (url: string) => string } = {},
): Promise<TestStack> {
  const database = await createTestDatabase();
  const smtp = await startSmtpSink();
  const config = loadConfig({
    DATABASE_URL: options.mapDatabaseUrl ? options.mapDatabaseUrl(database.url) : database.url,
    REDIS_URL,
    SMTP_URL: smtp.url,
    PORT: '0',
    POW_DIFFICULTY: '6',
    ...TEST_INTAKE_LIMITS,
    // Live /metrics, so tests can watch a counter move; test/abuse.test.ts checks the windowed snapshot.
    METRICS_WINDOW_SECONDS: '0',
    QUEUE_PREFIX: `sauti-test-${randomBytes(4).toString('hex')}`,
    OUTBOX_POLL_MS: '200',
    NOTIFY_DELAY_MAX_MS: '0',
    LOG_LEVEL: 'debug',
    SERVE_WEB: 'false',
    ...options.env,
  });
  // The test's own pool goes straight to the database, past any proxy the api is put behind.
  const pool = createPool(database.url);
  const apiCapture = captureLogs('api');
  const workerCapture = captureLogs('worker');
  const api = await startServer(config, { log: apiCapture.log });
  const stack: TestStack = {
    config, pool, api, worker: null, mail: smtp.messages, setSmtpRejecting: smtp.setRejecting, apiLogs: apiCapture.lines, workerLogs: workerCapture.lines,
    startWorker: async () => (stack.worker = await startWorker(config, { log: workerCapture.log })),
    stop: async () => {
      await stack.worker?.stop();
      await api.stop();
      await pool.end();
      await smtp.close();
      await database.drop();
    },
  };
  if (options.worker !== false) await stack.startWorker();
  return stack;
}
