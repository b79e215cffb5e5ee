import { Writable } from 'node:stream';
import { createLogger, withRequestId } from './index';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString());
      callback();
    },
  });
  return { lines, destination };
}

describe('logger', () => {
  it('when a caller logs secrets or addresses by mistake, then they are removed', () => {
    const { lines, destination } = capture();
    const log = createLogger({ name: 't', destination });
    log.info({ body: 'plaintext', ip: '10.1.2.3', userAgent: 'UA', ctx: { authKey: 'k', receipt: 'R' }, count: 3 }, 'hello');
    const text = lines.join('');
    expect(text).toContain('"count":3');
    for (const secret of ['plaintext', '10.1.2.3', 'UA', '"k"', '"R"']) expect(text).not.toContain(secret);
  });

  it('when inside a request, then each line carries the request id', () => {
    const { lines, destination } = capture();
    const log = createLogger({ name: 't', destination });
    withRequestId('req-1', () => log.info('inside'));
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ requestId: 'req-1', msg: 'inside' });
  });
});
