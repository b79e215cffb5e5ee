import type { Config } from './config';

/** Hosts where plain http is acceptable even in production: the machine itself, and onion services (Tor encrypts end to end). */
function httpIsAcceptable(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]' || hostname.endsWith('.onion');
}

/**
 * With NODE_ENV=production, what would make this process unsafe to run; each entry names the
 * variable and the fix. Empty outside production. `service` is 'api' or 'worker': only the api
 * serves /metrics.
 */
export function productionRefusals(config: Config, service: string): string[] {
  if (config.NODE_ENV !== 'production') return [];
  const problems: string[] = [];
  const url = new URL(config.PUBLIC_URL);
  if (url.protocol === 'http:' && !httpIsAcceptable(url.hostname)) {
    problems.push(
      `PUBLIC_URL=${JSON.stringify(config.PUBLIC_URL)}: plain http on a public host sends staff passwords and sessions unencrypted. ` +
        'Put Sauti behind TLS (see docs/operations.md, "Behind nginx") and set PUBLIC_URL=https://…, or serve it as an onion service (http://….onion).',
    );
  }
  if (service === 'api' && !config.METRICS_TOKEN) {
    problems.push(
      'METRICS_TOKEN is not set: /metrics is served on the public port and would show case counts and queue backlogs to anyone. ' +
        'Set METRICS_TOKEN to a random string of 16 or more characters (e.g. `openssl rand -hex 24`) and give it only to your monitoring.',
    );
  }
  return problems;
}

export class ProductionRefusal extends Error {
  constructor(readonly problems: string[]) {
    super(`Refusing to start with NODE_ENV=production:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ProductionRefusal';
  }
}
