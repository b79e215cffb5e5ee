import { AsyncLocalStorage } from 'node:async_hooks';
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

const requestContext = new AsyncLocalStorage<{ requestId: string }>();

/** Runs fn with a request id that every log line written inside it carries. */
export function withRequestId<T>(requestId: string, fn: () => T): T {
  return requestContext.run({ requestId }, fn);
}

export function currentRequestId(): string | undefined {
  return requestContext.getStore()?.requestId;
}

/**
 * Paths that must never reach a log line, whatever a caller passes in. Sauti logs ids, counts and
 * timings only; these are a second fence behind that habit.
 */
export const REDACTED_PATHS = [
  'req.headers',
  'req.remoteAddress',
  'req.remotePort',
  'headers',
  'body',
  'req.body',
  'ip',
  'userAgent',
  'authKey',
  'token',
  'password',
  'loginKey',
  'receipt',
  'report',
  '*.authKey',
  '*.token',
  '*.password',
  '*.loginKey',
  '*.receipt',
  '*.report',
  '*.body',
];

export function createLogger(options: { name: string; level?: string; destination?: DestinationStream }): Logger {
  return pino(
    {
      name: options.name,
      level: options.level ?? 'info',
      redact: { paths: REDACTED_PATHS, remove: true },
      base: { name: options.name },
      mixin: () => {
        const requestId = currentRequestId();
        return requestId ? { requestId } : {};
      },
      serializers: { err: pino.stdSerializers.err },
    },
    options.destination ?? pino.destination({ sync: false }),
  );
}
