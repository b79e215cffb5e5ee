import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { ready as cryptoReady } from '@sauti/crypto';
import type { Config } from '@sauti/config';
import { createPool, ensureDeployment, IntakeContextCache, migrate } from '@sauti/db';
import { createProducerConnection } from '@sauti/jobs';
import { createLogger, type Logger } from '@sauti/log';
import { createApp, webDirOf } from './app';
import { assertReleaseMatches } from './http/release';
import type { ApiDeps } from './deps';
import { FailureCounter, RateLimits } from './http/rate-limit';

export type RunningServer = { server: Server; url: string; deps: ApiDeps; stop: () => Promise<void> };

/** Starts the api; tests own the lifecycle through the returned stop(). */
export async function startServer(config: Config, options: { log?: Logger } = {}): Promise<RunningServer> {
  const log = options.log ?? createLogger({ name: 'api', level: config.LOG_LEVEL });
  // Before anything is opened: a production server never serves web code that is not the signed release.
  if (config.NODE_ENV === 'production' && config.SERVE_WEB && existsSync(webDirOf(config))) assertReleaseMatches(webDirOf(config));
  await cryptoReady();
  const pool = createPool(config.DATABASE_URL);
  await migrate(pool);
  const deployment = await ensureDeployment(pool);
  const redis = createProducerConnection(config.REDIS_URL);
  const intake = new IntakeContextCache(pool, config.DATABASE_URL);
  await intake.start();
  const limits = new RateLimits(redis, config, deployment.serverSecret, log);
  const failures = new FailureCounter(redis, config, log);
  const deps: ApiDeps = { config, pool, redis, log, deployment, intake, limits, failures };
  const app = createApp(deps);
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.PORT, config.HOST, (error?: Error) => (error ? reject(error) : resolve(s)));
  });
  // Longer than typical client and load-balancer idle timeouts, so the server is not the side that
  // closes a kept-alive socket just as a client reuses it.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 10 * 60_000;
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const url = `http://${config.HOST}:${port}`;
  log.info({ port }, 'api listening');

  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      // Finish requests in flight, then release connections.
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 10_000).unref();
      });
      redis.disconnect();
      await intake.stop();
      await pool.end();
      log.info('api stopped');
    })());
  return { server, url, deps, stop };
}
