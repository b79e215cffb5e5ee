import { ConfigError, loadConfig, type Config } from './config';
import { ProductionRefusal, productionRefusals } from './production';

type Service = { stop: () => Promise<void>; log: { info: (obj: object, msg: string) => void } };

/**
 * The boot of a Sauti process: parse the environment (a bad value stops it with exit code 2 and a
 * message naming each variable; so does, with NODE_ENV=production, an unsafe setting — see
 * productionRefusals), start, and stop gracefully on SIGTERM or SIGINT (exit 0).
 */
export function runService(name: string, start: (config: Config) => Promise<Service>): void {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const refusals = productionRefusals(config, name);
  if (refusals.length) {
    process.stderr.write(`${new ProductionRefusal(refusals).message}\n`);
    process.exit(2);
  }
  start(config).then(
    (service) => {
      const shutdown = (signal: string) => {
        service.log.info({ signal }, 'shutting down');
        service.stop().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGTERM', () => shutdown('SIGTERM'));
      process.once('SIGINT', () => shutdown('SIGINT'));
    },
    (error: Error) => {
      process.stderr.write(`${name} failed to start: ${error.message}\n`);
      process.exit(1);
    },
  );
}
