import { runService } from '@sauti/config';
import { warnUnlessNoEviction } from '@sauti/jobs';
import { createLogger } from '@sauti/log';
import { startServer } from './server';

runService('api', async (config) => {
  const log = createLogger({ name: 'api', level: config.LOG_LEVEL });
  const running = await startServer(config, { log });
  void warnUnlessNoEviction(config.REDIS_URL, log);
  return { stop: running.stop, log };
});
