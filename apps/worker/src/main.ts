import { runService } from '@sauti/config';
import { createLogger } from '@sauti/log';
import { startWorker } from './worker';

runService('worker', async (config) => {
  const log = createLogger({ name: 'worker', level: config.LOG_LEVEL });
  const running = await startWorker(config, { log });
  return { stop: running.stop, log };
});
