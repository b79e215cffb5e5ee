import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../packages/log/src';

/** A real pino logger whose lines are kept in memory, so tests can scan what would be logged. */
export function captureLogs(name: string): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString());
      callback();
    },
  });
  return { log: createLogger({ name, level: 'debug', destination }), lines };
}
