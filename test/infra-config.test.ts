import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../packages/config/src';
import { encryptedFileSize } from '../packages/crypto/src';
import {
  SAUTI_NGINX_CONF, TOR, TORRC_EXAMPLE, nginxTest, selfSignedCertificate, tempPrefix, writeNginxConf,
} from './helpers/nginx';

// The deployment examples in infra/ are checked by the real tools, not only read.
jest.setTimeout(60_000);

const nginxConf = readFileSync(SAUTI_NGINX_CONF, 'utf8');
/** Directives of the file, comments stripped. */
const directives = nginxConf.split('\n').map((l) => l.replace(/#.*$/, '').trim()).filter(Boolean);

function sizeInBytes(value: string): number {
  const m = /^(\d+)([kmg]?)$/i.exec(value);
  if (!m) throw new Error(`not an nginx size: ${value}`);
  return Number(m[1]) * { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'];
}

describe('infra/nginx/sauti.conf', () => {
  it('when nginx checks it with a self-signed certificate made for the test, then nginx -t accepts it', () => {
    const prefix = tempPrefix('nginx-t');
    try {
      const { cert, key } = selfSignedCertificate(prefix.dir);
      const conf = writeNginxConf(prefix.dir, { httpsPort: 8443, httpPort: 8081, upstream: '127.0.0.1:8080', cert, key });
      const result = nginxTest(prefix.dir, conf);
      expect(result).toMatchObject({ status: 0 });
      expect(result.output).toMatch(/syntax is ok/);
      expect(result.output).toMatch(/test is successful/);
    } finally {
      prefix.remove();
    }
  });

  it('when the certificate it names is missing, then nginx -t refuses it (the check above can fail)', () => {
    const prefix = tempPrefix('nginx-t-bad');
    try {
      const conf = writeNginxConf(prefix.dir, {
        httpsPort: 8443, httpPort: 8081, upstream: '127.0.0.1:8080', cert: path.join(prefix.dir, 'missing.pem'), key: path.join(prefix.dir, 'missing-key.pem'),
      });
      const result = nginxTest(prefix.dir, conf);
      expect(result.status).not.toBe(0);
      expect(result.output).toMatch(/missing\.pem/);
    } finally {
      prefix.remove();
    }
  });

  it('then it logs no client address: no access log, per-request errors (which name the client) not logged', () => {
    expect(directives).toContain('access_log off;');
    expect(directives.filter((d) => d.startsWith('access_log'))).toEqual(['access_log off;']);
    const errorLogs = directives.filter((d) => d.startsWith('error_log'));
    expect(errorLogs).toHaveLength(1);
    expect(errorLogs[0]).toMatch(/ emerg;$/);
    expect(directives.filter((d) => d.startsWith('log_format'))).toEqual([]);
  });

  it('then it passes no client address to the api and sends HSTS for at least a year', () => {
    expect(directives).toContain('proxy_set_header X-Forwarded-For "";');
    expect(directives).toContain('proxy_set_header X-Real-IP "";');
    expect(nginxConf).not.toMatch(/\$remote_addr|\$proxy_add_x_forwarded_for|\$binary_remote_addr/);
    const hsts = directives.find((d) => d.startsWith('add_header Strict-Transport-Security'));
    expect(hsts).toBeDefined();
    expect(Number(/max-age=(\d+)/.exec(hsts!)![1])).toBeGreaterThanOrEqual(31_536_000);
    expect(hsts).toMatch(/ always;$/);
    expect(directives).toContain('proxy_hide_header Strict-Transport-Security;');
  });

  it('then its body limit fits the largest encrypted evidence file FILE_MAX_BYTES allows (and not much more), unbuffered', () => {
    const limit = directives.find((d) => d.startsWith('client_max_body_size'));
    expect(limit).toBeDefined();
    const bytes = sizeInBytes(/^client_max_body_size\s+(\S+);$/.exec(limit!)![1]!);
    const largestUpload = encryptedFileSize(loadConfig({}).FILE_MAX_BYTES);
    expect(bytes).toBeGreaterThanOrEqual(largestUpload);
    expect(bytes - largestUpload).toBeLessThan(1024 ** 2);
    expect(directives).toContain('proxy_request_buffering off;');
  });
});

describe('infra/tor/torrc.example', () => {
  /** The example with its directories moved into a temporary prefix (tor wants them 0700 and its own). */
  function verify(torrc: string): { status: number; output: string } {
    const prefix = tempPrefix('tor');
    try {
      const serviceDir = path.join(prefix.dir, 'hidden-service');
      mkdirSync(serviceDir, { mode: 0o700 });
      const dataDir = path.join(prefix.dir, 'data');
      mkdirSync(dataDir, { mode: 0o700 });
      const file = path.join(prefix.dir, 'torrc');
      writeFileSync(file, torrc.replace('HiddenServiceDir /var/lib/tor/sauti/', `HiddenServiceDir ${serviceDir}/`));
      try {
        const output = execFileSync(TOR, ['--verify-config', '-f', file, '--DataDirectory', dataDir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
        return { status: 0, output };
      } catch (error) {
        const e = error as { status: number | null; stdout?: string; stderr?: string };
        return { status: e.status ?? -1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
      }
    } finally {
      prefix.remove();
    }
  }

  const torrc = readFileSync(TORRC_EXAMPLE, 'utf8');

  it('when tor verifies it, then the configuration is valid', () => {
    expect(torrc).toContain('HiddenServiceDir /var/lib/tor/sauti/');
    const result = verify(torrc);
    expect(result.output).toMatch(/Configuration was valid/);
    expect(result.status).toBe(0);
  });

  it('when a line is wrong, then tor --verify-config refuses it (the check above can fail)', () => {
    const result = verify(torrc.replace('HiddenServicePort 80 127.0.0.1:8080', 'HiddenServicePort 80 127.0.0.1:notaport'));
    expect(result.status).not.toBe(0);
  });

  it("then the onion service points at the api's default port on loopback, as a v3 service", () => {
    const lines = torrc.split('\n').map((l) => l.replace(/#.*$/, '').trim()).filter(Boolean);
    expect(lines).toContain(`HiddenServicePort 80 127.0.0.1:${loadConfig({}).PORT}`);
    expect(lines).toContain('HiddenServiceVersion 3');
    expect(lines).toContain('SocksPort 0');
  });
});
