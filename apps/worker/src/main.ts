import { runService } from '@sauti/config';
import { warnUnlessNoEviction } from '@sauti/jobs';
import { createLogger } from '@sauti/log';
import { startWorker } from './worker';

runService('worker', async (config) => {
  const log = createLogger({ name: 'worker', level: config.LOG_LEVEL });
  const running = await startWorker(config, { log });
  void warnUnlessNoEviction(config.REDIS_URL, log);
  return { stop: running.stop, log };
});
